"""Pixel helpers that documents and images share: the pixel limit, RGB on white, downscaling."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

# 50 megapixels: a 600 dpi scan of an A4 page is 35, a phone photo 12 to 48.
MAX_IMAGE_PIXELS = 50_000_000


def to_rgb(image: "Image") -> "Image":
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image if image.mode == "RGB" else image.convert("RGB")


def shrink_to(image: "Image", longest_side: int) -> "Image":
    """Downscale so the longer side is at most `longest_side`; smaller images are left alone."""
    from PIL import Image

    scale = longest_side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)
