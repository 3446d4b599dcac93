"""Preparing an image for the models: checked before it is decoded, turned upright, sized, encoded.

Every check that can be made from the first bytes or the header is made before a pixel is
decoded: the format (an SVG can carry script, a PDF renamed .png is a document), the pixel count (a
few kilobytes of PNG can claim 20,000 x 20,000 pixels), animation. What is kept (the "master") is
upright (EXIF orientation applied), at most MASTER_LONGEST_SIDE pixels on its longer side and
PNG or JPEG; a PNG or JPEG that already is all that, with no EXIF block, is kept byte for byte.
Re-encoding drops EXIF, which on a phone photo holds where it was taken."""

from __future__ import annotations

import io
import os
import threading
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .errors import BadImage, ImageTooLarge, TooManyImages, UnsupportedImage
from .part import ImagePart
from .pixels import MAX_IMAGE_PIXELS, shrink_to, to_rgb

if TYPE_CHECKING:
    from PIL.Image import Image

# A shop traveler or an inspection sheet is a few pages; more at once is a mistake more often than not.
MAX_IMAGES = 10
# The OCR engine reads at most 2000 pixels a side, and every provider's limit is at or below it.
MASTER_LONGEST_SIDE = 2000
JPEG_QUALITY = 90
# A screenshot stays PNG (sharp text) unless that is heavier than this; then JPEG.
MAX_PNG_BYTES = 4_000_000

# HEIF brands (ISO/IEC 23008-12) that phones write: HEIC stills and their sequences.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
_PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP", "gif": "GIF", "heif": "HEIF"}
SUPPORTED = "PNG, JPEG, WebP or HEIC"


def load_images(paths: Iterable[str | os.PathLike], *, max_upload_mb: float) -> list[ImagePart]:
    """Each file prepared, in order; BadImage for the first that cannot be used (and nothing else
    is kept: a request goes with all its images or not at all)."""
    paths = list(paths)
    if len(paths) > MAX_IMAGES:
        raise TooManyImages(
            f"{len(paths)} images at once: JFDI takes at most {MAX_IMAGES} per request; pick the pages that matter"
        )
    return [load_image(path, max_upload_mb=max_upload_mb) for path in paths]


def load_image(path: str | os.PathLike, *, max_upload_mb: float) -> ImagePart:
    path = Path(path)
    name = path.name or str(path)
    if not path.is_file():
        raise BadImage(f"{name}: no such file" if not path.exists() else f"{path}: not a file")
    size = path.stat().st_size
    limit = int(max_upload_mb * 1024 * 1024)
    if size > limit:
        raise ImageTooLarge(
            f"{name} is {size / 1024 / 1024:.1f} MB, over the {max_upload_mb:g} MB limit: send a smaller copy "
            "(a phone's 'large' or 'medium' size is plenty to read a form), or raise JFDI_MAX_UPLOAD_MB"
        )
    return prepare_image(path.read_bytes(), name)


def prepare_image(data: bytes, name: str = "image") -> ImagePart:
    """An image file's bytes as an ImagePart ready for any provider; BadImage when they cannot be used.
    (A screenshot taken in code, PNG bytes, goes through here too.)"""
    if not data:
        raise BadImage(f"{name} is empty (0 bytes): send the file again")
    kind = sniff(data, name)
    image = _decode(data, name, kind)
    if kind in ("png", "jpeg") and max(image.size) <= MASTER_LONGEST_SIDE and _plain(image):
        return ImagePart(data, f"image/{kind}", image.width, image.height, name)
    return encode(shrink_to(to_rgb(image), MASTER_LONGEST_SIDE), name, drawn=kind in ("png", "gif"))


def sniff(data: bytes, name: str) -> str:
    """The format from the first bytes, whatever the name says; UnsupportedImage with what to do."""
    head = data[:64]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heif"
    if b"%PDF-" in data[:1024]:
        raise UnsupportedImage(f"{name} is a PDF, not an image: attach it under Documents, where it is read page by page")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml", b"<!doctype svg")):
        raise UnsupportedImage(
            f"{name} is an SVG drawing, which JFDI does not take (it can carry scripts): export it as PNG"
        )
    raise UnsupportedImage(f"{name} is not an image JFDI reads: send a {SUPPORTED} file")


def _decode(data: bytes, name: str, kind: str) -> "Image":
    from PIL import Image, ImageOps

    if kind == "heif":
        _register_heif(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # The header only: size and frames are known before any pixel is decoded.
            image = Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[kind]])
            width, height = image.size
            if width <= 0 or height <= 0:
                raise BadImage(f"{name} has no pixels ({width} x {height})")
            if width * height > MAX_IMAGE_PIXELS:
                raise ImageTooLarge(_too_many_pixels(name, width, height))
            if getattr(image, "is_animated", False):
                raise UnsupportedImage(
                    f"{name} is an animation: JFDI reads still images; save the frame you mean as PNG"
                )
            if kind == "jpeg" and max(width, height) > MASTER_LONGEST_SIDE:
                # JPEG decodes at 1/2, 1/4 or 1/8 scale for a fraction of the time; never below the master size.
                scale = MASTER_LONGEST_SIDE / max(width, height)
                image.draft("RGB", (max(1, round(width * scale)), max(1, round(height * scale))))
            image.load()
            return ImageOps.exif_transpose(image)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise ImageTooLarge(_too_many_pixels(name)) from None
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            # Pillow reports truncated and malformed files as these; UnidentifiedImageError is an OSError.
            raise BadImage(f"{name} is damaged or cut short ({exc}): send the original file again") from None


def _register_heif(name: str) -> None:
    try:
        import pillow_heif
    except ImportError:
        raise UnsupportedImage(
            f"{name} is a HEIC photo, and pillow-heif, which decodes it, is not installed here: "
            "pip install pillow-heif, or set the phone's camera to 'Most Compatible' (JPEG)"
        ) from None
    pillow_heif.register_heif_opener()


def _plain(image: "Image") -> bool:
    """Nothing to change: 8-bit grey or RGB, and no EXIF (no orientation to apply, no location to drop)."""
    return image.mode in ("RGB", "L") and not image.getexif() and "exif" not in image.info


def _too_many_pixels(name: str, width: int | None = None, height: int | None = None) -> str:
    size = f" is {width:,} x {height:,} pixels," if width else " has"
    return (
        f"{name}{size} more than the {MAX_IMAGE_PIXELS // 1_000_000} megapixels JFDI decodes: "
        "scale it down (a 12-megapixel photo is plenty) and send it again"
    )


def encode(image: "Image", name: str, *, drawn: bool, max_bytes: int | None = None) -> ImagePart:
    """PNG for drawn images (screenshots: sharp text) while it stays light, JPEG otherwise; under
    `max_bytes` by lowering JPEG quality, then size."""
    if drawn:
        data = _save(image, "PNG")
        if len(data) <= min(MAX_PNG_BYTES, max_bytes or MAX_PNG_BYTES):
            return ImagePart(data, "image/png", image.width, image.height, name)
    for quality in (JPEG_QUALITY, 75, 60):
        data = _save(image, "JPEG", quality=quality)
        if max_bytes is None or len(data) <= max_bytes:
            return ImagePart(data, "image/jpeg", image.width, image.height, name)
    return encode(shrink_to(image, max(1, max(image.size) * 3 // 4)), name, drawn=False, max_bytes=max_bytes)


def _save(image: "Image", fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


_fitted: OrderedDict[tuple[str, int, int], ImagePart] = OrderedDict()
_fitted_lock = threading.Lock()
_FITTED_KEPT = 32


def fit(image: ImagePart, long_edge: int, max_bytes: int) -> ImagePart:
    """The image within a provider's limits (longer side, bytes), made once per image and limit:
    a retry or a continuation sends the same bytes without resizing again."""
    if max(image.width, image.height) <= long_edge and len(image.data) <= max_bytes:
        return image
    key = (image.sha256, long_edge, max_bytes)
    with _fitted_lock:
        if key in _fitted:
            _fitted.move_to_end(key)
            return _fitted[key]
    from PIL import Image

    decoded = Image.open(io.BytesIO(image.data))
    drawn = image.media_type == "image/png"
    fitted = encode(shrink_to(to_rgb(decoded), long_edge), image.name, drawn=drawn, max_bytes=max_bytes)
    with _fitted_lock:
        _fitted[key] = fitted
        while len(_fitted) > _FITTED_KEPT:
            _fitted.popitem(last=False)
    return fitted
