"""Uploaded documents (purchase orders, BOMs, spec sheets) as markdown for the prompt.

    from jfdi.documents import parse
    doc = parse("po.pdf", progress=lambda done, total, message: ...)
    doc.markdown, doc.pages[0].engine, doc.warnings, doc.as_reference(), doc.metadata()
"""

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
from .model import Document, Element, Page
from .parsing import Progress, parse
from .source import SUPPORTED_TYPES

__all__ = [
    "SUPPORTED_TYPES",
    "CorruptDocument",
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
    "UnsupportedDocument",
    "parse",
]
