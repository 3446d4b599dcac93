"""Opening uploaded images safely, and sizing page images for the engines.

The pixel limit is JFDI's own and is checked from the header, before any pixel is decoded: a few
kilobytes of PNG can claim to be 50,000 x 50,000 pixels and would take gigabytes to decode.
Pillow's own guard (a warning, then an error, at a higher count) is caught too, so it can never
escape as a crash or a stray warning."""

from __future__ import annotations

import io
import math
import warnings
from typing import TYPE_CHECKING

from ..images.pixels import MAX_IMAGE_PIXELS, to_rgb
from .errors import CorruptDocument, DocumentTooLarge

if TYPE_CHECKING:
    from PIL.Image import Image


def open_image(data: bytes, name: str) -> "Image":
    """Decode an upload to an upright RGB image (EXIF orientation applied, transparency on white)."""
    from PIL import Image, ImageOps

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            check_pixels(image.width, image.height, name)
            image.load()
            image = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise DocumentTooLarge(_too_many_pixels(name)) from None
        except (OSError, ValueError, SyntaxError, Image.UnidentifiedImageError) as exc:
            # Pillow reports truncated and malformed files as OSError, ValueError or SyntaxError.
            raise CorruptDocument(f"{name} is not a readable image ({exc}): export it again as PNG or JPEG") from None
    return to_rgb(image)


def check_pixels(width: int, height: int, name: str) -> None:
    if width <= 0 or height <= 0:
        raise CorruptDocument(f"{name} has no pixels ({width} x {height})")
    if width * height > MAX_IMAGE_PIXELS:
        raise DocumentTooLarge(_too_many_pixels(name, width, height))


def _too_many_pixels(name: str, width: int | None = None, height: int | None = None) -> str:
    size = f" is {width} x {height} pixels," if width else " has"
    return (
        f"{name}{size} more than the {MAX_IMAGE_PIXELS // 1_000_000} megapixels JFDI decodes: "
        "scale it down (300 dpi is plenty for a document) and upload it again"
    )


def render_scale(width_pt: float, height_pt: float, wanted: float) -> float:
    """The render scale for a PDF page: `wanted`, or less when the page is so large that it would
    exceed the pixel limit (a page can claim to be 200 inches wide)."""
    area = max(width_pt, 1.0) * max(height_pt, 1.0)
    return min(wanted, math.sqrt(MAX_IMAGE_PIXELS / area))
