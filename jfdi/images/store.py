"""Images kept once, by content hash, under the data folder: <data>/images/ab/abcd....png.

The generation log refers to an image by its sha256; the same photo attached to ten requests is one
file. A file is written under a temporary name and renamed into place, so a crash or a full disk
never leaves half an image under a real name."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .part import MEDIA_TYPES, ImagePart

_TYPES_BY_EXTENSION = {extension: media for media, extension in MEDIA_TYPES.items()}


class ImageStore:
    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def put(self, image: ImagePart) -> Path:
        """Keep the image (once: an image already kept is not written again); returns its file."""
        path = self._path(image.sha256, image.extension)
        if not path.exists():
            _write_atomically(path, image.data)
        return path

    def path(self, sha256: str) -> Path | None:
        """The file of a kept image, or None."""
        for extension in _TYPES_BY_EXTENSION:
            path = self._path(sha256, extension)
            if path.is_file():
                return path
        return None

    def get(self, sha256: str, name: str = "image") -> ImagePart | None:
        """A kept image as an ImagePart again (its size read from the header), or None."""
        path = self.path(sha256)
        if path is None:
            return None
        from PIL import Image

        with Image.open(path) as header:
            width, height = header.size
        return ImagePart(path.read_bytes(), _TYPES_BY_EXTENSION[path.suffix[1:]], width, height, name)

    def read_note(self, sha256: str, kind: str) -> dict | None:
        """A small JSON note kept beside an image (its text description), or None."""
        path = self._path(sha256, f"{kind}.json")
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def write_note(self, sha256: str, kind: str, note: dict) -> None:
        _write_atomically(self._path(sha256, f"{kind}.json"), json.dumps(note, ensure_ascii=False).encode())

    def _path(self, sha256: str, extension: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.folder / sha256[:2] / f"{sha256}.{extension}"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
