"""Uploaded documents (purchase orders, BOMs, spec sheets) as markdown for the prompt.

    from jfdi.documents import parse
    doc = parse("po.pdf", progress=lambda done, total, message: ...)
    doc.markdown, doc.pages[0].engine, doc.warnings, doc.as_reference(), doc.metadata()
    doc.datasets[0].schema(), doc.datasets[0].rows, doc.schema()    # its tables, typed
"""

from .dataset import COLUMN_TYPES, Column, Dataset
from .errors import (
    CorruptDocument,
    DocumentError,
    DocumentNotFound,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    EngineUnavailable,
    UnsupportedDocument,
)
from .model import Document, Element, Page, Table
from .parsing import Progress, parse
from .source import ACCEPTED_TYPES, SUPPORTED_TYPES

__all__ = [
    "ACCEPTED_TYPES",
    "COLUMN_TYPES",
    "SUPPORTED_TYPES",
    "Column",
    "CorruptDocument",
    "Dataset",
    "Document",
    "DocumentError",
    "DocumentNotFound",
    "DocumentTooLarge",
    "Element",
    "EmptyDocument",
    "EncryptedDocument",
    "EngineUnavailable",
    "Page",
    "Progress",
    "Table",
    "UnsupportedDocument",
    "parse",
]
