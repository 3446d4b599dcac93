"""The uploaded file, checked before any parser sees it: it exists, it is not empty, it is under the
size limit, and its content is what its name says. Nothing is written anywhere: the bytes are read
once, into memory, and hashed."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import (
    CorruptDocument,
    DocumentNotFound,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    UnsupportedDocument,
)

SUPPORTED_TYPES = ("pdf", "png", "jpg", "jpeg", "xlsx", "csv", "tsv", "docx", "txt", "md")
KIND_BY_SUFFIX = {"jpeg": "jpg", "markdown": "md"}
EXCEL_KINDS = ("xlsx", "xls")
# What an upload may be named: an .xls too, which ERP "Excel exports" often are while holding CSV.
ACCEPTED_TYPES = (*SUPPORTED_TYPES, "xls")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# An XLSX or DOCX is a zip archive; this much unpacked is far beyond any real BOM or spec sheet,
# and stops a small file that unpacks to gigabytes.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024

_MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff", "zip": b"PK\x03\x04"}
# Password-protected Office files are not zip archives but OLE compound files around the
# encrypted package.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Source:
    name: str
    kind: str  # one of SUPPORTED_TYPES, with jpeg folded into jpg
    data: bytes
    sha256: str
    notice: str = ""  # why it is read as another kind than its name says


def supported_list() -> str:
    return ", ".join(SUPPORTED_TYPES)


def read_source(path: str | os.PathLike, max_upload_mb: float) -> Source:
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise DocumentNotFound(f"{name or path}: no such file" if not path.exists() else f"{path}: not a file")
    suffix = path.suffix.lower().lstrip(".")
    kind = KIND_BY_SUFFIX.get(suffix, suffix)
    size = path.stat().st_size
    if size == 0:
        raise EmptyDocument(f"{name} is empty (0 bytes): upload the file again or pick another")
    limit = int(max_upload_mb * 1024 * 1024)
    if size > limit:
        raise DocumentTooLarge(
            f"{name} is {size / 1024 / 1024:.1f} MB, over the {max_upload_mb:g} MB limit: "
            "split it, or raise JFDI_MAX_UPLOAD_MB"
        )
    data = path.read_bytes()
    notice = ""
    if kind in EXCEL_KINDS and _is_delimited_text(data):
        kind, notice = "csv", f"{name} is a text file, not an Excel workbook: it was read as CSV"
    if kind == "xls" and data.startswith(_OLE):
        raise UnsupportedDocument(f"{name} is an Excel 97-2003 workbook: save it as .xlsx in Excel (File > Save As) "
                                  "and upload that")
    if kind not in SUPPORTED_TYPES:
        kind = _sniff(data) or ""
        if not kind:
            what = f".{suffix} files" if suffix else "files without an extension"
            raise UnsupportedDocument(f"{name}: {what} are not supported; use one of {supported_list()}")
    _check_content(name, kind, data)
    return Source(name=name, kind=kind, data=data, sha256=hashlib.sha256(data).hexdigest(), notice=notice)


def _is_delimited_text(data: bytes) -> bool:
    """Text that is not a web page: what an ERP's "Excel export" or a CSV saved under its
    workbook's name holds. A workbook is a zip or an OLE file, whose first bytes are never text."""
    head = data[:4096]
    if head.startswith(UTF16_BOMS):
        return True
    return b"\x00" not in head and not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and not any(
        head.startswith(magic) for magic in (_MAGIC["zip"], _OLE))


def _sniff(data: bytes) -> str | None:
    return next((kind for kind in ("pdf", "png", "jpg") if _looks_like(kind, data)), None)


def _looks_like(kind: str, data: bytes) -> bool:
    if kind == "pdf":  # PDF readers accept some junk before the header
        return b"%PDF-" in data[:1024]
    return data.startswith(_MAGIC[kind])


def _check_content(name: str, kind: str, data: bytes) -> None:
    label = kind.upper()
    if kind in ("xlsx", "docx"):
        if data.startswith(_OLE):
            raise EncryptedDocument(
                f"{name} is password-protected (or an old binary Office file): save it without a password as .{kind}"
            )
        if not _looks_like("zip", data):
            raise CorruptDocument(f"{name} is not a valid {label} file (it is not a zip archive): save it again as .{kind}")
        check_unpacked_size(name, data)
    elif kind in ("pdf", "png", "jpg") and not _looks_like(kind, data):
        raise CorruptDocument(f"{name} is not a valid {label} file: its content does not start like one")


def check_unpacked_size(name: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorruptDocument(f"{name} is damaged ({exc}): save it again and re-upload") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise DocumentTooLarge(
            f"{name} unpacks to {unpacked / 1024 / 1024:.0f} MB, over the {MAX_UNPACKED_BYTES // 1024 // 1024} MB "
            "that JFDI reads: split it into smaller files"
        )


def page_limit_notice(name: str, total: int, kept: int, unit: str = "pages") -> str:
    return f"{name} has {total} {unit}; only the first {kept} were read (JFDI_MAX_PAGES={kept})"
