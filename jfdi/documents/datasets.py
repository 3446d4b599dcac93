"""A document's datasets, from the tables its pages hold: one per sheet (named after it), one for a
CSV or TSV (named after the file), one per table of a PDF, DOCX or image ("<file> table N"). A
PDF table that goes on over the next page under the same header is one dataset. Names are unique
within a document."""

from __future__ import annotations

from pathlib import PurePath
from typing import Sequence

from .dataset import Dataset
from .inference import dataset_from_grid
from .model import Page

SPREADSHEETS = ("xlsx",)
DELIMITED = ("csv", "tsv")


def datasets_of(name: str, pages: Sequence[Page], warnings: list[str]) -> tuple[Dataset, ...]:
    stem = PurePath(name).stem
    datasets: list[Dataset] = []
    pieces: list[tuple[str, str, list[tuple], str]] = []  # name, where, rows, decimal hint
    last_header: tuple | None = None
    last_page = 0
    for page in pages:
        for table in page.tables:
            rows = list(table.rows)
            if not rows:
                continue
            if page.engine in SPREADSHEETS:
                pieces.append((table.name, f"sheet {table.name!r} of {name}", rows, table.decimal_hint))
            elif page.engine in DELIMITED:
                pieces.append((stem, name, rows, table.decimal_hint))
            elif pieces and rows[0] == last_header and page.number in (last_page, last_page + 1):
                pieces[-1][2].extend(rows[1:])  # the same table, continued on the next page
            else:
                number = len(pieces) + 1
                where = f"table {number} of {name}" + (f" (page {page.number})" if len(pages) > 1 else "")
                pieces.append((f"{stem} table {number}", where, rows, table.decimal_hint))
            last_header, last_page = rows[0], page.number
    taken: set[str] = set()
    for dataset_name, where, rows, hint in pieces:
        dataset = dataset_from_grid(rows, _unique(dataset_name, taken), where, warnings, hint)
        if dataset is not None and (dataset.rows or len(dataset.columns) > 1):  # not a lone note
            datasets.append(dataset)
    return tuple(datasets)


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name or "data", 2
    while candidate in taken:
        candidate, number = f"{name} ({number})", number + 1
    taken.add(candidate)
    return candidate
