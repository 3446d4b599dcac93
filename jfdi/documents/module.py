"""A dataset as a TypeScript module of the generated project: `src/data/<name>.ts`, with the row
type and every row, written by JFDI (never by the model) so that the preview, the checks, the log
and the export show the engineer's real rows.

    module = data_module(dataset, source="bom.csv")
    module.path   "src/data/bom.ts"
    module.text   // the module: interface BomRow, bomColumns, bomTotalRows, bom (the rows)
    describe_module(module.path, module.text)   // what the model reads about it: the types, a sample

The rows travel as one JSON string parsed when the module loads: a transpiler reads a string in
one token (an array literal of 20,000 rows costs it seconds), and JSON.parse reads compact arrays
faster than the engine reads object literals. A module is capped at MAX_MODULE_BYTES: a larger
dataset keeps its first rows, and the module and a notice say how many were left out."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable

from ..project import DATA_MODULE_MARKER, MAX_DATA_MODULE_BYTES as MAX_MODULE_BYTES
from .dataset import Column, Dataset

TS_TYPES = {"integer": "number", "number": "number", "boolean": "boolean"}
# Names a module's exports cannot take: words reserved in TypeScript, and globals a tool needs.
_RESERVED = frozenset({
    "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
    "enum", "export", "extends", "false", "finally", "for", "function", "if", "implements", "import", "in",
    "instanceof", "interface", "let", "new", "null", "package", "private", "protected", "public", "return", "static",
    "super", "switch", "this", "throw", "true", "try", "typeof", "undefined", "var", "void", "while", "with", "yield",
    "App", "React", "Array", "Object", "String", "Number", "Date", "Map", "Set", "JSON", "Math", "window", "document",
})


@dataclass(frozen=True)
class DataModule:
    path: str
    text: str
    rows: int  # rows in the module
    total: int  # rows in the dataset

    @property
    def notice(self) -> str:
        """Why rows were left out; empty when the module holds every row."""
        if self.rows == self.total:
            return ""
        return (f"{self.path} holds the first {self.rows:,} of {self.total:,} rows: a data module is capped at "
                f"{MAX_MODULE_BYTES // 1_000_000} MB")


def data_modules(datasets: Iterable[Dataset], source: str, taken: Iterable[str] = ()) -> tuple[DataModule, ...]:
    """A module per dataset with at least one row, at paths unique among them and `taken`."""
    used = set(taken)
    modules = []
    for dataset in datasets:
        if not dataset.rows:
            continue
        module = data_module(dataset, source, used)
        used.add(module.path)
        modules.append(module)
    return tuple(modules)


def data_module(dataset: Dataset, source: str, taken: Iterable[str] = ()) -> DataModule:
    slug = _unique(_slug(dataset.name) or "data", {path.removeprefix("src/data/").removesuffix(".ts") for path in taken})
    export = _identifier(slug, "data")
    row_type = export[0].upper() + export[1:] + "Row"
    keys = _keys(dataset.columns)
    rows, body = _rows_json(dataset)
    lines = [
        f"{DATA_MODULE_MARKER} {_comment(source)}: {dataset.name!r}, {rows:,} rows"
        + (f" (the first {rows:,} of {len(dataset.rows):,})" if rows < len(dataset.rows) else "") + ".",
        "// JFDI writes this file from the upload: edit the spreadsheet, not this file.",
        f"/** One row of {_comment(dataset.name)}. */",
        f"export interface {row_type} {{",
        *(line for column, key in zip(dataset.columns, keys) for line in _field(column, key)),
        "}",
        "",
        "/** The columns: the header as written, the field, its type and unit. */",
        f"export const {export}Columns = [",
        *(f"  {{ key: {json.dumps(key)}, header: {_ts_string(c.name)}, type: {json.dumps(c.type)}, unit: "
          f"{_ts_string(c.unit) if c.unit else 'null'} }}," for c, key in zip(dataset.columns, keys)),
        "] as const;",
        "",
        f"/** Rows in the upload; {export}.length is less when the module was capped. */",
        f"export const {export}TotalRows = {len(dataset.rows)};",
        "",
        f"const table: any[][] = JSON.parse({_ts_string(body)});",
        "",
        f"/** Every row of {_comment(dataset.name)}, in the upload's order. */",
        f"export const {export}: {row_type}[] = table.map((r) => ({{ "
        + ", ".join(f"{json.dumps(key)}: r[{i}]" for i, key in enumerate(keys)) + " }));",
        "",
    ]
    return DataModule(f"src/data/{slug}.ts", "\n".join(lines), rows, len(dataset.rows))


SAMPLE_ROWS = 5
_TABLE_LINE = re.compile(r"^const table: any\[\]\[\] = JSON\.parse\((?P<literal>.*)\);$", re.M)
_KEY = re.compile(r'^  \{ key: (?P<key>"[^"]*"),', re.M)


def describe_module(path: str, text: str, sample: int = SAMPLE_ROWS) -> str:
    """What the model reads about a data module: how to import it, its types (the module up to
    its rows) and its first rows, never all of them. Read from the module's text alone, so a
    module carried over from an earlier version is described the same way."""
    found = _TABLE_LINE.search(text)
    head = text[: found.start()].rstrip() if found else text[:4000]
    export = re.search(r"^export const (\w+): \w+\[\] =", text, re.M)
    names = [m[1] for m in re.finditer(r"^export (?:const|interface) (\w+)", text, re.M)]
    module = "./" + path.removeprefix("src/").removesuffix(".ts")
    lines = [f"{path} (written by JFDI with every row of the upload; import it, never write it):",
             f'import {{ {", ".join(n if not n.endswith("Row") else "type " + n for n in names)} }} from "{module}";',
             "```ts", head, "```"]
    if found and export:
        keys = [json.loads(m["key"]) for m in _KEY.finditer(head)]
        rows = json.loads(json.loads(found["literal"]))[:sample]
        records = [json.dumps(dict(zip(keys, row)), ensure_ascii=False) for row in rows]
        lines += [f"The first {len(records)} of {export[1]}:", *records]
    return "\n".join(lines)


def _field(column: Column, key: str) -> list[str]:
    about = [column.type, *([column.unit] if column.unit else [])]
    if column.min is not None and column.max is not None:
        about.append(f"{column.min} to {column.max}")
    if column.empty:
        about.append(f"{column.empty} empty")
    kind = TS_TYPES.get(column.type, "string")
    if column.type == "enum" and column.values:
        kind = " | ".join(_ts_string(value) for value in column.values)
    if column.empty:
        kind += " | null"
    return [f"  /** {_comment(column.name)}: {_comment(', '.join(map(str, about)))} */", f"  {key}: {kind};"]


def _rows_json(dataset: Dataset) -> tuple[int, str]:
    """How many rows fit under the cap, and them as one JSON text of arrays. The columns' types
    come from inference (numbers are numbers, text is text); dates become ISO strings."""
    room = MAX_MODULE_BYTES - 20_000  # for the type and the columns
    body = _json(dataset.rows)
    # Each character may take an escape once the text is a string literal: count it twice.
    if 2 * len(body.encode()) <= room:
        return len(dataset.rows), body
    parts: list[str] = []
    size = 2
    for row in dataset.rows:
        part = _json(row)
        size += 2 * len(part.encode()) + 1
        if size > room:
            break
        parts.append(part)
    return len(parts), "[" + ",".join(parts) + "]"


def _json(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_iso)
    except ValueError:  # NaN or infinity, which JSON cannot hold: empty cells
        return _json(_finite(value))


def _iso(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"a cell of type {type(value).__name__} cannot be a dataset value")


def _finite(value: object) -> object:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (tuple, list)):
        return [_finite(item) for item in value]
    return value


def _keys(columns: Iterable[Column]) -> list[str]:
    keys: list[str] = []
    for number, column in enumerate(columns, start=1):
        key = _identifier(column.name, f"column{number}")
        keys.append(_unique(key, set(keys), sep=""))
    return keys


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("Ø", "dia").replace("ø", "dia"))
    ascii_text = folded.encode("ascii", "ignore").decode()
    return re.findall(r"[A-Za-z0-9]+", ascii_text)


def _identifier(text: str, fallback: str) -> str:
    """camelCase of the text's words ("Length [mm]" -> lengthMm), `fallback` when none is left."""
    words = _words(text)
    if not words:
        return fallback
    name = words[0].lower() + "".join(word[:1].upper() + word[1:].lower() for word in words[1:])
    if name[0].isdigit():
        name = fallback + name[:1].upper() + name[1:]
    return fallback if name in _RESERVED else name


def _slug(text: str) -> str:
    return "-".join(word.lower() for word in _words(text))[:60].strip("-")


def _unique(name: str, taken: set[str], sep: str = "-") -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}{sep}{number}", number + 1
    return candidate


def _ts_string(text: str) -> str:
    # U+2028 and U+2029 end a line in older parsers: written as escapes.
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _comment(text: str) -> str:
    """Text safe inside a // or /** */ comment: one line, no comment end."""
    return " ".join(str(text).split()).replace("*/", "* /")
