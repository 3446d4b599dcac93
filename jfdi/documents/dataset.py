"""Typed datasets: a table from an upload (a sheet, a CSV, a table in a PDF or DOCX) as named,
typed columns and rows of values, and its schema as `python -m jfdi parse FILE --schema` prints it.

    dataset.schema()   {"name", "rows", "columns": [{"name", "type", "unit", "min", "max", "empty", "values"}]}
    dataset.rows       tuples of int, float, bool, date, datetime, str or None, in column order
    dataset.records()  the rows as JSON-ready dicts (dates as ISO strings)

A column's `name` is its header as written ("Länge [mm]"); `unit` is the unit's symbol as
jfdi/documents/units.py writes it ("mm", "N·m", "°C"), None when neither the header nor the values
name one; `values` lists an enum's values; `min` and `max` are numbers for integer and number
columns, ISO strings for dates, None otherwise."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime

COLUMN_TYPES = ("integer", "number", "boolean", "date", "datetime", "enum", "id", "text")

Value = int | float | bool | date | datetime | str | None


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # one of COLUMN_TYPES
    unit: str | None = None
    min: int | float | str | None = None
    max: int | float | str | None = None
    empty: int = 0
    values: tuple[str, ...] | None = None  # an enum's values, in the order they first appear

    def schema(self) -> dict:
        """The column as `parse --schema` prints it: every field, the enum's values as a list."""
        return {**asdict(self), "values": list(self.values) if self.values is not None else None}


@dataclass(frozen=True)
class Dataset:
    name: str  # the sheet's name, the file's stem, or "<stem> table N"
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...] = field(repr=False)
    source: str = ""  # where it was found, for messages: "sheet 'BOM' of bom.xlsx"
    title: str = ""  # the title rows above the header, if any ("Bill of materials A-100")

    def schema(self) -> dict:
        return {"name": self.name, "rows": len(self.rows), "columns": [column.schema() for column in self.columns]}

    def records(self, limit: int | None = None) -> list[dict]:
        names = [column.name for column in self.columns]
        rows = self.rows if limit is None else self.rows[:limit]
        return [dict(zip(names, (json_value(value) for value in row))) for row in rows]


def json_value(value: Value) -> int | float | bool | str | None:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
