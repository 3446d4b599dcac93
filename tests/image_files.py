"""Images a user attaches, made by the tests: a phone photo (large, EXIF orientation and location),
a screenshot (PNG), a rendered form with fields that OCR must read, and the bad ones the app must
refuse with a clear message."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

# What OCR must read from form_png(): the title, the fields' labels, a unit, the sign-off line.
FORM_TITLE = "FIRST ARTICLE INSPECTION"
FORM_FIELDS = ("Part number", "Lot size", "Bore diameter (mm)", "Inspector")
FORM_SIGN_OFF = "Signature"


def photo_jpeg(size: tuple[int, int] = (4032, 3024), orientation: int = 6, gps: bool = True) -> bytes:
    """A phone photo: landscape pixels with an EXIF orientation (6: the phone was held upright, so
    the picture is to be turned 90° clockwise) and a location. A red block marks its top-left corner."""
    image = Image.new("RGB", size, (235, 232, 225))
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 4, size[1] // 4), fill=(200, 20, 20))
    exif = image.getexif()
    exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}
    return _encode(image, "JPEG", exif=exif, quality=85)


def screenshot_png(size: tuple[int, int] = (1280, 800)) -> bytes:
    image = Image.new("RGB", size, (248, 250, 252))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 220, size[1]), fill=(30, 41, 59))
    draw.text((240, 24), "Work orders", fill=(15, 23, 42), font=ImageFont.truetype(BOLD_FONT, 28))
    return _encode(image, "PNG")


def form_png(path: Path | None = None) -> bytes:
    """A printed inspection form, as a 1240 x 1754 page (A4 at 150 dpi)."""
    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    title, text = ImageFont.truetype(BOLD_FONT, 44), ImageFont.truetype(FONT, 30)
    draw.text((100, 100), FORM_TITLE, fill="black", font=title)
    for row, label in enumerate(FORM_FIELDS):
        y = 260 + row * 110
        draw.text((100, y), label, fill="black", font=text)
        draw.line((560, y + 36, 1140, y + 36), fill="black", width=2)
    for row, label in enumerate(("Visual check passed", "Burrs removed")):
        y = 760 + row * 80
        draw.rectangle((100, y, 136, y + 36), outline="black", width=3)
        draw.text((160, y), label, fill="black", font=text)
    draw.text((100, 1000), FORM_SIGN_OFF, fill="black", font=text)
    draw.line((330, 1036, 800, 1036), fill="black", width=2)
    data = _encode(image, "PNG")
    if path is not None:
        path.write_bytes(data)
    return data


def huge_png() -> bytes:
    """20,000 x 20,000 pixels in a few hundred kilobytes: a decompression bomb."""
    return _encode(Image.new("1", (20_000, 20_000)), "PNG")


def animated_gif(frames: int = 500) -> bytes:
    pictures = [Image.new("RGB", (64, 64), (i % 256, (i * 7) % 256, 90)) for i in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, "GIF", save_all=True, append_images=pictures[1:], duration=40)
    return buffer.getvalue()


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>fetch("/")</script></svg>'
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()
