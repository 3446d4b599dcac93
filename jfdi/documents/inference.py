"""A grid of cells (a sheet, a CSV, a table found in a PDF or DOCX) as a typed Dataset.

The header is the first row, among the first 20, whose filled cells cover the columns the rows
below it use: title rows above it (one value, or one merged cell repeated across the row) and
key-value lines ("PO: 4500017823") are skipped. A second header row is joined to it when it holds
only units ("mm", "[kg]") or names the columns under a merged heading ("Dimensions" over L, W, H).
A total row and notes at the end of the table are left out, and a repeated header row inside it
(a page break in an export) is dropped.

Each column gets the type that all its values fit (see COLUMN_TYPES). Documented fallbacks:
- a column of numbers with a few other values ("TBD") is typed by its numbers when the others are
  at most 5% of it (and at most 50): they are left empty in the rows, and a warning names them;
  more than that and the column is text;
- a column whose values carry different units ("6 mm", "0.25 in") is text, with a warning;
- a header row of numbers only (years, sizes) is kept as the header when its numbers are all
  different and do not fit the columns under them; otherwise the table has no header row and
  its columns are named "Column 1", "Column 2"..., with a warning;
- "1,234" is read with the decimal mark the column (or else the table) shows elsewhere, then
  the one the file suggests (a CSV separated by semicolons writes decimal commas), then ".";
  numeric dates such as 03/04/2024 likewise (day first with decimal commas), with a warning."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Sequence

from .dataset import Column, Dataset, Value
from .units import header_unit, unit_symbol
from .values import (
    EMPTY_TOKENS,
    EXCEL_ERRORS,
    FALSE_WORDS,
    MARKS,
    SERIAL_RANGE,
    TRUE_WORDS,
    date_order_vote,
    decimal_vote,
    excel_serial,
    parse_date,
    parse_number,
)

HEADER_SCAN = 20
BODY_SAMPLE = 50  # rows below a header candidate that show which columns the table uses
HEADER_COVERAGE = 0.8
ENUM_MAX = 12
MIXED_SHARE = 0.05
MIXED_MAX = 50
VOTE_SAMPLE = 2000  # cells per column that decide its decimal mark and date order
EXAMPLES = 3

# The words that mark a column or a row, in English, German, French (and Spanish where they differ).
_TOTAL_WORDS = ("total", "sum", "summe", "gesamt", "somme", "sous-total", "subtotal", "grand total", "totaal")
_ID_WORDS = frozenset(
    "id no nr num number nummer numéro numero sku code ref réf reference référence serial sn lot batch barcode ean gtin upc "
    "mpn pn po sachnummer part pièce piece article artikel teil".split()
)
_STRONG_ID_WORDS = frozenset("id no nr number nummer numéro numero serial sn sku ean gtin barcode upc po".split())
_QUANTITY_WORDS = frozenset(
    "qty quantity menge anzahl quantité qté count amount size total sum price cost of de der prix preis stock bestand".split()
)
_DATE_WORDS = frozenset(
    "date datum due dated delivery shipped received created modified updated day jour livraison échéance echeance termin "
    "time timestamp zeitstempel heure deadline expiry expiration ablauf péremption le".split()
)
_CODE = re.compile(r"^[A-Za-z0-9][\w\-./#:+]{0,39}$")
_LEADING_ZERO = re.compile(r"^[-+]?0\d")


def dataset_from_grid(
    grid: Sequence[Sequence[object]], name: str, where: str, warnings: list[str], decimal_hint: str = ""
) -> Dataset | None:
    """The dataset in `grid` (rows of cells, as read), or None when it holds no table. Warnings
    are added to `warnings`, each starting with `where` ("sheet 'BOM' of bom.xlsx")."""
    rows = _clean(grid)
    if not rows:
        return None
    width = len(rows[0])
    notes = _Notes(where, warnings)
    header_at, start, titles = _find_header(rows, width)
    if header_at is None:
        names, units, body = [f"Column {c + 1}" for c in range(width)], [None] * width, rows[start:]
        notes.add(
            "no header row was found (the first rows hold values like the rest): "
            f"the columns are named Column 1 to Column {width}"
        )
    else:
        header = rows[header_at]
        names, units, skip = _header_names(header, rows[header_at + 1 :], width)
        body = rows[header_at + 1 + skip :]
        if all(_kind(v) != "text" for v in header if v is not None):
            shown = ", ".join(names[:5]) + ("..." if len(names) > 5 else "")
            notes.add(f"the header row holds only numbers ({shown}): they were kept as the column names")
        body = _without_repeated_headers(body, header)
    body = _without_footer(body, width, notes)
    names = _unique(names)
    decimal = _decimal_mark(body, decimal_hint)
    order = _date_order(body)
    columns, values = [], []
    for c in range(width):
        column, typed = _type_column(names[c], units[c], [row[c] for row in body], decimal, order, notes)
        columns.append(column)
        values.append(typed)
    return Dataset(name, tuple(columns), tuple(zip(*values)) if body else (), where, " / ".join(titles))


class _Notes:
    def __init__(self, where: str, warnings: list[str]):
        self.where = where
        self.warnings = warnings

    def add(self, message: str) -> None:
        self.warnings.append(f"{self.where}: {message}")


def _clean(grid: Sequence[Sequence[object]]) -> list[list[object]]:
    """Rows of equal width without empty rows and columns; empty cells (and "-", "n/a") as None,
    text stripped."""
    rows = []
    for row in grid:
        cells = [_clean_cell(v) for v in row]
        if any(v is not None for v in cells):
            rows.append(cells)
    width = max((len(row) for row in rows), default=0)
    used = [c for c in range(width) if any(c < len(row) and row[c] is not None for row in rows)]
    return [[row[c] if c < len(row) else None for c in used] for row in rows] if used else []


def _clean_cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        return None if not text or (len(text) <= 5 and text.casefold() in EMPTY_TOKENS) else text
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def _kind(value: object) -> str:
    """What a cell looks like on its own: empty, number, date, boolean or text."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, (date, datetime)):
        return "date"
    if not isinstance(value, str):
        return "text"
    if value.casefold() in EXCEL_ERRORS:
        return "empty"
    if parse_number(value, ".") or parse_number(value, ","):
        return "number"
    if parse_date(value, "dmy"):
        return "date"
    return "text"


def _find_header(rows: list[list[object]], width: int) -> tuple[int | None, int, list[str]]:
    """The header row's index (None when the table has none), the index of the first row that
    is not a title or a preamble line, and the title rows above the header."""
    titles: list[str] = []
    for h in range(min(HEADER_SCAN, len(rows))):
        row = rows[h]
        filled = {c for c, v in enumerate(row) if v is not None}
        if width > 1 and len({str(row[c]) for c in filled}) <= 1:  # a title, alone or merged across
            titles.append(_text(row[min(filled)]))
            continue
        below = rows[h + 1 : h + 1 + BODY_SAMPLE]
        kinds = [_kind(row[c]) for c in filled]
        if _coverage(filled, below) >= HEADER_COVERAGE:
            if "text" in kinds or not below:
                return h, h, titles
            return (h if _numbers_are_a_header(row, sorted(filled), below) else None), h, titles
        if below and set(kinds) == {"text"} and _coverage(filled, below) >= 0.5:
            after = below[0]
            if any(_kind(v) in ("number", "date") for v in after):
                return h, h, titles  # the data starts right below: some columns have no name
            if (
                _is_subheader(after)
                and _coverage(filled | {c for c, v in enumerate(after) if v is not None}, below[1:]) >= HEADER_COVERAGE
            ):
                return h, h, titles  # a merged heading over a second header row
        # otherwise a line above the table ("PO Number: 4500017823", "Customer: ACME")
    return None, 0, titles


def _coverage(filled: set[int], below: list[list[object]]) -> float:
    """The share of the columns used below that `filled` names."""
    used = _used_columns(below) or filled
    return len(used & filled) / len(used) if used else 0.0


def _is_subheader(row: list[object]) -> bool:
    """Words only, without digits: "L", "W", "H"; "min", "max"; "Soll", "Ist"; "[mm]"."""
    filled = [v for v in row if v is not None]
    return bool(filled) and all(isinstance(v, str) and _kind(v) == "text" and not any(ch.isdigit() for ch in v) for v in filled)


def _used_columns(body: list[list[object]]) -> set[int]:
    if not body:
        return set()
    counts = Counter(c for row in body for c, v in enumerate(row) if v is not None)
    return {c for c, n in counts.items() if n >= 0.2 * len(body)}


def _numbers_are_a_header(row: list[object], filled: list[int], body: list[list[object]]) -> bool:
    """A row of numbers heads the table when its numbers are all different and, in at least half
    its columns, the column below holds something else or numbers outside its value."""
    values = [row[c] for c in filled]
    if len(set(map(str, values))) != len(values):
        return False
    misfits = 0
    for c in filled:
        below = [r[c] for r in body if r[c] is not None]
        numbers = [_as_number(v) for v in below]
        numbers = [n for n in numbers if n is not None]
        mine = _as_number(row[c])
        if mine is None or len(numbers) < len(below) / 2 or not min(numbers) <= mine <= max(numbers):
            misfits += 1
    return misfits >= len(filled) / 2


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        parsed = parse_number(value, ".") or parse_number(value, ",")
        return float(parsed[0]) if parsed else None
    return None


def _header_names(header: list[object], below: list[list[object]], width: int) -> tuple[list[str], list[str | None], int]:
    """Column names and header units, joining a second header row (units, or names under a merged
    heading) when there is one; the int is how many rows that took beyond the header."""
    names = [_text(v) for v in header]
    units: list[str | None] = [header_unit(n) if n else None for n in names]
    if len(below) < 2:
        return names, units, 0
    second = below[0]
    filled = [c for c, v in enumerate(second) if v is not None]
    if not _is_subheader(second):
        return names, units, 0
    row_units = [unit_symbol(_text(second[c]).strip("[]()")) for c in filled]
    if all(row_units):
        for c, unit in zip(filled, row_units):
            units[c] = units[c] or unit
        return names, units, 1
    rest = below[1 : 1 + BODY_SAMPLE]
    merged_heading = any(names[c] == "" for c in filled)
    typed_below = any(_mostly_values(rest, c) for c in filled)
    if not (merged_heading or typed_below):
        return names, units, 0
    heading = ""
    for c in range(width):
        heading = names[c] or (heading if c in filled else "")
        child = _text(second[c]) if second[c] is not None else ""
        if child:
            names[c] = f"{heading} {child}".strip() if heading != child else child
            units[c] = units[c] or header_unit(names[c])
    return names, units, 1


def _mostly_values(rows: list[list[object]], c: int) -> bool:
    kinds = [_kind(row[c]) for row in rows if row[c] is not None]
    return bool(kinds) and sum(k in ("number", "date") for k in kinds) >= 0.8 * len(kinds)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes") if value.time() != time(0) else value.date().isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return " ".join(str(value).split())


def _unique(names: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    unique = []
    for c, name in enumerate(names):
        name = name or f"Column {c + 1}"
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def _without_repeated_headers(body: list[list[object]], header: list[object]) -> list[list[object]]:
    return [row for row in body if row != header]


def _without_footer(body: list[list[object]], width: int, notes: _Notes) -> list[list[object]]:
    """The body less a total row and notes at its end."""
    end = len(body)
    while end > 0:
        row = body[end - 1]
        filled = [v for v in row if v is not None]
        first = _text(filled[0]).casefold().rstrip(":. ")
        if width >= 3 and len(filled) < width and isinstance(filled[0], str) and first.startswith(_TOTAL_WORDS):
            notes.add(f"the row {_text(filled[0])!r} at the end is a total and is not part of the dataset")
        elif width >= 3 and len(filled) == 1 and isinstance(filled[0], str) and " " in filled[0] and _kind(filled[0]) == "text":
            notes.add(f"the note below the table ({_clip(filled[0])!r}) is not part of the dataset")
        else:
            break
        end -= 1
    return body[:end]


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _decimal_mark(body: list[list[object]], hint: str) -> str:
    """The table's decimal mark, for columns that do not show their own: its cells' votes, else
    the file's hint, else "."."""
    votes = Counter(
        vote for row in body[:VOTE_SAMPLE] for v in row if isinstance(v, str) and (vote := decimal_vote(v)) is not None
    )
    if votes:
        return votes.most_common(1)[0][0]
    return hint or "."


def _date_order(body: list[list[object]]) -> str | None:
    """The table's order for numeric dates when its dates show one, else None."""
    return _majority([date_order_vote(v) for row in body[:VOTE_SAMPLE] for v in row if isinstance(v, str)])


@dataclass
class _Parsed:
    """A column's cells sorted by what they hold: (row, value) pairs."""

    numbers: list[tuple[int, float | int, str | None, bool]]  # row, value, unit, fraction written
    dates: list[tuple[int, date | datetime]]
    booleans: list[tuple[int, bool]]
    texts: list[tuple[int, str]]
    empty: int
    errors: int


def _type_column(
    name: str, unit: str | None, cells: list[object], table_decimal: str, table_order: str | None, notes: _Notes
) -> tuple[Column, list[Value]]:
    texts = [v for v in cells[:VOTE_SAMPLE] if isinstance(v, str)]
    decimal = _majority([decimal_vote(t) for t in texts]) or table_decimal
    order_votes = [date_order_vote(t) for t in texts]
    order = _majority(order_votes) or table_order or ("dmy" if decimal == "," else "mdy")
    parsed = _parse_cells(cells, decimal, order)
    where = f"column {name!r}"
    if "either" in order_votes and not _majority(order_votes) and not table_order and len(parsed.dates) > len(parsed.texts):
        example = texts[order_votes.index("either")]
        reading = "day/month/year" if order == "dmy" else "month/day/year"
        notes.add(f"{where}: dates such as {example} could be day or month first; they were read as {reading}")
    if parsed.errors:
        notes.add(
            f"{where} has {parsed.errors} cell{'s' * (parsed.errors > 1)} with an Excel error (#DIV/0!, #N/A...): left empty"
        )
    count = len(cells) - parsed.empty
    if count == 0:
        return Column(name, "text", unit, empty=len(cells)), [None] * len(cells)
    if parsed.booleans and len(parsed.booleans) == count:
        return _boolean_column(name, unit, cells, parsed)
    kinds = {"number": len(parsed.numbers), "date": len(parsed.dates)}
    kind = max(kinds, key=kinds.get)
    misfits = count - kinds[kind]
    if kinds[kind] and misfits <= min(MIXED_MAX, MIXED_SHARE * count):
        if misfits:
            outliers = [(row, text) for row, text in parsed.texts] + [(row, _text(v)) for row, v in parsed.booleans]
            if kind == "number":
                outliers += [(row, _text(v)) for row, v in parsed.dates]
            else:
                outliers += [(row, _text(v)) for row, v, _u, _f in parsed.numbers]
            shown = ", ".join(f"{text!r} (row {row + 1})" for row, text in sorted(outliers)[:EXAMPLES])
            notes.add(f"{where} holds {kind}s but {misfits} value{'s' * (misfits > 1)} are not: {shown}; they are left empty")
        if kind == "number":
            column = _number_column(name, unit, cells, parsed, notes)
            if column is not None:
                return column
        else:
            return _date_column(name, unit, cells, parsed)
    elif kinds["number"] >= count / 2 and parsed.texts:
        example = parsed.texts[0]
        notes.add(f"{where} mixes numbers and text (such as {example[1]!r} in row {example[0] + 1}): it is typed as text")
    return _text_column(name, unit, cells, parsed)


def _majority(votes: list[str | None]) -> str | None:
    counted = Counter(v for v in votes if v and v != "either")
    return counted.most_common(1)[0][0] if counted else None


def _parse_cells(cells: list[object], decimal: str, order: str) -> _Parsed:
    parsed = _Parsed([], [], [], [], 0, 0)
    words = Counter()
    for row, value in enumerate(cells):
        if value is None:
            parsed.empty += 1
        elif type(value) is not str:
            if isinstance(value, bool):
                parsed.booleans.append((row, value))
            elif isinstance(value, (int, float)):
                parsed.numbers.append((row, value, None, isinstance(value, float) and not value.is_integer()))
            elif isinstance(value, (date, datetime)):
                parsed.dates.append((row, value))
            else:  # a time of day, a duration
                parsed.texts.append((row, _text(value)))
        else:
            text = value
            folded = text.casefold()
            if folded in EXCEL_ERRORS:
                parsed.empty += 1
                parsed.errors += 1
                continue
            if folded in TRUE_WORDS or folded in FALSE_WORDS:
                words[folded] += 1
                parsed.booleans.append((row, folded in TRUE_WORDS))
                continue
            number = None if _LEADING_ZERO.match(text) else parse_number(text, decimal)
            if number is not None:
                parsed.numbers.append((row, *number))
                continue
            moment = parse_date(text, order)
            if moment is not None:
                parsed.dates.append((row, moment))
            else:
                parsed.texts.append((row, text))
    if parsed.booleans and (len(words) < 2 and not words.keys() & MARKS and not words.keys() & {"true", "false", "yes", "no"}):
        # one word alone ("n", "j", "non") is not a yes/no column: it is text like the rest
        parsed.texts.extend((row, str(cells[row])) for row, _v in parsed.booleans if isinstance(cells[row], str))
        parsed.booleans = [(row, v) for row, v in parsed.booleans if not isinstance(cells[row], str)]
        parsed.texts.sort()
    return parsed


def _boolean_column(name: str, unit: str | None, cells: list[object], parsed: _Parsed) -> tuple[Column, list[Value]]:
    values: list[Value] = [None] * len(cells)
    for row, value in parsed.booleans:
        values[row] = value
    ticks = {str(cells[row]).casefold() for row, _v in parsed.booleans if isinstance(cells[row], str)}
    empty = parsed.empty
    if ticks and ticks <= MARKS:  # a checklist: a blank is "no"
        values = [v if v is not None else False for v in values]
        empty = 0
    return Column(name, "boolean", unit, empty=empty), values


def _number_column(
    name: str, unit: str | None, cells: list[object], parsed: _Parsed, notes: _Notes
) -> tuple[Column, list[Value]] | None:
    """An integer, number, date (Excel serials), or id column; None when its units disagree."""
    written = Counter(u for _row, _v, u, _f in parsed.numbers if u)
    if len(written) > 1 or (unit and written and set(written) != {unit}):
        found = ", ".join(sorted({*written, *([unit] if unit else [])}))
        notes.add(f"column {name!r} mixes units ({found}): it is typed as text; convert its values to one unit")
        return None
    if written and not unit:
        unit = next(iter(written))
        bare = len(parsed.numbers) - written[unit]
        if bare:
            notes.add(f"column {name!r}: {bare} value{'s' * (bare > 1)} have no unit and are read as {unit}")
    values: list[Value] = [None] * len(cells)
    integral = not any(fraction for _r, _v, _u, fraction in parsed.numbers)
    for row, value, _u, _f in parsed.numbers:
        values[row] = int(value) if integral else float(value)
    numbers = [v for v in values if v is not None]
    empty = len(cells) - len(numbers)
    if not unit and _names_a_date(name) and all(SERIAL_RANGE[0] <= v <= SERIAL_RANGE[1] for v in numbers):
        moments = [excel_serial(v) if v is not None else None for v in values]
        return _date_column(
            name, unit, cells, _Parsed([], [(r, m) for r, m in enumerate(moments) if m is not None], [], [], empty, 0)
        )
    if integral and _names_an_id(name, strong=True) and all(v >= 1000 for v in numbers):
        return Column(name, "id", unit, empty=empty), [str(v) if v is not None else None for v in values]
    kind = "integer" if integral else "number"
    return Column(name, kind, unit, min(numbers), max(numbers), empty), values


def _date_column(name: str, unit: str | None, cells: list[object], parsed: _Parsed) -> tuple[Column, list[Value]]:
    values: list[Value] = [None] * len(cells)
    timed = any(isinstance(m, datetime) and m.time() != time(0) for _r, m in parsed.dates)
    for row, moment in parsed.dates:
        if timed:
            values[row] = moment if isinstance(moment, datetime) else datetime.combine(moment, time(0))
        else:
            values[row] = moment.date() if isinstance(moment, datetime) else moment
    present = [v for v in values if v is not None]
    return Column(
        name, "datetime" if timed else "date", unit, min(present).isoformat(), max(present).isoformat(), len(cells) - len(present)
    ), values


def _text_column(name: str, unit: str | None, cells: list[object], parsed: _Parsed) -> tuple[Column, list[Value]]:
    values: list[Value] = [
        _text(v) if v is not None and not (isinstance(v, str) and v.casefold() in EXCEL_ERRORS) else None for v in cells
    ]
    present = [v for v in values if v is not None]
    empty = len(cells) - len(present)
    distinct = list(dict.fromkeys(present))
    codes = all(_CODE.match(v) and any(ch.isdigit() for ch in v) for v in distinct)
    if codes and (_names_an_id(name) or (len(distinct) == len(present) >= 5 and any(ch.isalpha() for v in distinct for ch in v))):
        return Column(name, "id", unit, empty=empty), values
    if (
        len(distinct) < len(present)
        and len(distinct) <= min(ENUM_MAX, max(2, len(present) // 2))
        and max(map(len, distinct)) <= 40
    ):
        return Column(name, "enum", unit, empty=empty, values=tuple(distinct)), values
    return Column(name, "text", unit, empty=empty), values


def _words(header: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", header.casefold()))


def _names_an_id(header: str, strong: bool = False) -> bool:
    folded = header.casefold()
    words = _words(header)
    if words & _QUANTITY_WORDS:
        return False
    if any(mark in folded for mark in ("p/n", "s/n", "n°", "nº", "#")):
        return True
    return bool(words & (_STRONG_ID_WORDS if strong else _ID_WORDS)) or any(
        w.endswith(("nummer", "nr")) and len(w) > 6 for w in words
    )


def _names_a_date(header: str) -> bool:
    return any(w in _DATE_WORDS or w.endswith(("datum", "termin", "date")) for w in _words(header))
