"""Why a document could not be read. Each is bad input (CLI exit 2) except EngineUnavailable, which
is about this machine, not the file: the message says what to install or set instead."""

from __future__ import annotations

from ..errors import BadInput, JFDIError


class DocumentError(BadInput):
    """The file itself cannot be used; nothing was parsed."""


class DocumentNotFound(DocumentError):
    pass


class UnsupportedDocument(DocumentError):
    pass


class EmptyDocument(DocumentError):
    pass


class DocumentTooLarge(DocumentError):
    """Over the upload size, the pixel limit of an image, or what an archive unpacks to."""


class EncryptedDocument(DocumentError):
    pass


class CorruptDocument(DocumentError):
    pass


class EngineUnavailable(JFDIError):
    """A parsing engine cannot run here: a library is missing or the model cannot be loaded."""


def require(module: str, package: str, purpose: str):
    """Import an optional library, or say which package to install for `purpose`."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise EngineUnavailable(f"{purpose} needs {package}: pip install {package}") from None
