"""An image as it travels to a provider: encoded bytes, their type and size, and a content hash.

Pure data (no Pillow here), so that the provider interface can carry images without importing an
imaging library; preparing and fitting them is prepare.py's job."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

MEDIA_TYPES = {"image/png": "png", "image/jpeg": "jpg"}


@dataclass(frozen=True, eq=False)
class ImagePart:
    data: bytes = field(repr=False)
    media_type: str  # image/png | image/jpeg: what every provider takes
    width: int
    height: int
    name: str = "image"
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        if self.media_type not in MEDIA_TYPES:
            raise ValueError(f"an ImagePart is PNG or JPEG, not {self.media_type}")
        object.__setattr__(self, "sha256", hashlib.sha256(self.data).hexdigest())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ImagePart) and other.sha256 == self.sha256 and other.name == self.name

    def __hash__(self) -> int:
        return hash((self.sha256, self.name))

    @property
    def extension(self) -> str:
        return MEDIA_TYPES[self.media_type]

    def base64(self) -> str:
        return base64.b64encode(self.data).decode("ascii")

    def data_uri(self) -> str:
        return f"data:{self.media_type};base64,{self.base64()}"

    def metadata(self) -> dict:
        """What the log keeps about the image (the bytes are kept once, in the image store)."""
        kept = ("sha256", "name", "media_type", "width", "height")
        return {**{key: getattr(self, key) for key in kept}, "bytes": len(self.data)}
