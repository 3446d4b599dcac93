"""What a parsed document is: pages of labelled elements in reading order, and their markdown.

Element labels follow Dolphin's layout vocabulary (sec_0..sec_5 headings, para, list, tab, equ,
code, fig, cap, fnote, header, foot, watermark, distorted_page) so that every engine, the office
readers included, describes a page the same way; "text" is a block of text with no finer role."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..prompts import Reference
from .dataset import Dataset, json_value
from .tables import markdown_table

HEADING_LEVELS = {"sec_0": 1, "title": 1, "sec_1": 2, "sec_2": 3, "sec_3": 3, "sec_4": 3, "sec_5": 3, "sub_sec": 3}
# Neither carries text worth giving a model: a figure is pixels, a watermark is noise.
SKIPPED_LABELS = frozenset({"fig", "watermark"})
PAGE_BREAK = "\n\n---\n\n"
# Engines whose document is its tables: the model reads their columns, the project gets the rows.
TABLE_ENGINES = frozenset({"xlsx", "csv", "tsv"})
SAMPLE_ROWS = 5  # of a table, shown to the user and the model


@dataclass(frozen=True)
class Element:
    label: str
    text: str
    order: int

    def markdown(self) -> str:
        text = self.text.strip()
        if not text or self.label in SKIPPED_LABELS:
            return ""
        level = HEADING_LEVELS.get(self.label)
        if level:
            return "#" * level + " " + " ".join(text.split())
        if self.label == "list":
            return text if text.startswith(("- ", "* ")) else "- " + text
        if self.label == "equ":
            return "$$\n" + text.strip("$").strip() + "\n$$"
        if self.label == "code":
            return "```\n" + text + "\n```"
        return text


@dataclass(frozen=True)
class Table:
    """A table as the page holds it, before its columns are typed: rows of cells, as a spreadsheet
    stores them (numbers, dates, text) or as text (a PDF's, a DOCX's)."""

    rows: tuple[tuple[object, ...], ...] = field(repr=False)
    name: str = ""  # a sheet's name
    decimal_hint: str = ""  # the decimal mark the file suggests: "," in a CSV separated by semicolons


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as people count pages
    engine: str  # text | ocr | dolphin | xlsx | csv | tsv | docx | txt | md
    elements: tuple[Element, ...] = ()
    tables: tuple[Table, ...] = ()

    @property
    def markdown(self) -> str:
        ordered = sorted(self.elements, key=lambda e: e.order)
        return "\n\n".join(part for part in (e.markdown() for e in ordered) if part)


@dataclass(frozen=True)
class Document:
    name: str
    sha256: str
    pages: tuple[Page, ...]
    warnings: tuple[str, ...] = ()
    # Pages in the file; more than len(pages) when the page limit cut it short.
    page_count: int = 0
    # Its tables with typed columns: each sheet, the CSV, each table of a PDF or DOCX.
    datasets: tuple[Dataset, ...] = ()
    encoding: str | None = None  # a text file's encoding (see encoding.py); None for the others
    markdown: str = field(init=False)

    def __post_init__(self) -> None:
        parts = [page.markdown for page in self.pages]
        object.__setattr__(self, "markdown", PAGE_BREAK.join(part for part in parts if part))

    @property
    def engines(self) -> list[str]:
        return list(dict.fromkeys(page.engine for page in self.pages))

    @cached_property
    def context(self) -> str:
        """What the model reads of it, before the user edits it: a spreadsheet's, CSV's or TSV's
        columns (its rows reach the project as data modules, never the prompt); the markdown of
        any other document."""
        if not self.datasets or not set(self.engines) <= TABLE_ENGINES:
            return self.markdown
        return "\n\n".join(_columns_markdown(dataset) for dataset in self.datasets)

    def as_reference(self, markdown: str | None = None) -> Reference:
        """The document as prompt context, with its datasets; `markdown` is the user's edited
        version, if any."""
        return Reference(self.name, self.context if markdown is None else markdown, self.datasets)

    def schema(self) -> list[dict]:
        """The datasets' schemas, as `python -m jfdi parse FILE --schema` prints them."""
        return [dataset.schema() for dataset in self.datasets]

    def metadata(self) -> dict:
        """What the generation log keeps about the document (not its text)."""
        return {
            "name": self.name,
            "sha256": self.sha256,
            "engines": self.engines,
            "pages": len(self.pages),
            "page_count": self.page_count or len(self.pages),
        }


def _columns_markdown(dataset: Dataset) -> str:
    columns = markdown_table([
        ("column", "type", "unit", "min", "max", "empty", "values"),
        *((c.name, c.type, c.unit, c.min, c.max, c.empty, ", ".join(c.values or ())) for c in dataset.columns),
    ])
    first = dataset.rows[:SAMPLE_ROWS]
    sample = markdown_table([[c.name for c in dataset.columns], *([json_value(v) for v in row] for row in first)])
    title = f" ({dataset.title})" if dataset.title else ""
    return (f"Table {dataset.name!r}{title}: {len(dataset.rows):,} rows, every one of them in the project's data module "
            f"(<project_data>). Its columns:\n\n{columns}\n\nIts first {len(first)} rows:\n\n{sample}")
