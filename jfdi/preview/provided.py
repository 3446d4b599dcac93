"""JFDI's own TypeScript modules, which a generated project imports and JFDI writes: the units and
tolerances library and the CSV helpers.

    import { convert, parseTolerance, check } from "@/jfdi/units";
    import { toCsv, downloadCsv } from "@/jfdi/csv";

`@/` is src/ in the preview, the checks and the exported Vite project alike (tsconfig `paths`, Vite
`alias`), so a module is an ordinary file of the project, src/jfdi/<name>.ts: JFDI adds it to an
answer whose code imports it (`provided_for`), and the model never writes or reads its source (the
system prompt lists what it exports). Each is type-checked and tested on its own by
tests/units/run.mjs."""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping

from ..project import Files, imports, is_relative, is_script, resolve
from .libraries import HERE

SOURCES = {
    "src/jfdi/units.ts": HERE / "units" / "units.ts",
    "src/jfdi/csv.ts": HERE / "csv" / "csv.ts",
}


@lru_cache(maxsize=1)
def provided_modules() -> dict[str, str]:
    """Every module JFDI provides, {project path: source}."""
    return {path: source.read_text(encoding="utf-8") for path, source in SOURCES.items()}


def provided_for(files: Mapping[str, str]) -> Files:
    """The provided modules that `files` import (and those they import in turn)."""
    available = provided_modules()
    wanted: Files = {}
    pending = [(path, code) for path, code in files.items() if is_script(path) and path not in available]
    while pending:
        path, code = pending.pop()
        for specifier, _line in imports(code):
            found = resolve(specifier, path, available) if is_relative(specifier) else None
            if found is not None and found not in wanted:
                wanted[found] = available[found]
                pending.append((found, available[found]))
    return wanted


def without_provided(files: Mapping[str, str]) -> Files:
    """The files without JFDI's modules: what a model reads as the current code."""
    return {path: text for path, text in files.items() if path not in SOURCES}
