"""Images checked and prepared before any model sees them: what a user sends from a phone, and the
bad files that must each get a clear message, with nothing kept."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from jfdi.images import (
    MASTER_LONGEST_SIDE,
    MAX_IMAGES,
    BadImage,
    ImageTooLarge,
    TooManyImages,
    UnsupportedImage,
    fit,
    load_images,
    prepare_image,
)
from jfdi.images.store import ImageStore
from tests import image_files as files


def decoded(part) -> Image.Image:
    return Image.open(io.BytesIO(part.data))


def test_a_phone_photo_is_turned_upright_downscaled_and_loses_its_location():
    part = prepare_image(files.photo_jpeg(), "IMG_0412.jpg")
    # 4032 x 3024 held upright: portrait, the longer side at the limit.
    assert (part.width, part.height) == (1500, MASTER_LONGEST_SIDE)
    image = decoded(part)
    assert image.size == (1500, 2000) and part.media_type == "image/jpeg"
    red = image.getpixel((1400, 100))  # the top-left red block of the sensor is now top-right
    assert red[0] > 150 and red[1] < 80
    assert not image.getexif(), "the photo's EXIF (orientation, location) must not travel"


def test_a_screenshot_within_the_limits_is_kept_byte_for_byte():
    data = files.screenshot_png()
    part = prepare_image(data, "screen.png")
    assert part.data == data and part.media_type == "image/png" and (part.width, part.height) == (1280, 800)


def test_a_webp_is_taken_and_sent_as_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 120, 200)).save(buffer, "WEBP")
    part = prepare_image(buffer.getvalue(), "board.webp")
    assert part.media_type == "image/jpeg" and decoded(part).size == (300, 200)


def test_a_heic_photo_is_decoded():
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(buffer, "HEIF")
    part = prepare_image(buffer.getvalue(), "IMG_0001.HEIC")
    assert part.media_type == "image/jpeg" and (part.width, part.height) == (640, 480)


def test_heic_without_its_decoder_says_what_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_heif(name, *args, **kwargs):
        if name == "pillow_heif":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_heif)
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    with pytest.raises(UnsupportedImage, match="pip install pillow-heif.*Most Compatible"):
        prepare_image(heic, "IMG_0001.HEIC")


@pytest.mark.parametrize(
    ("data", "name", "error", "message"),
    [
        (files.huge_png(), "bomb.png", ImageTooLarge, "more than the 50 megapixels"),
        (files.SVG_WITH_SCRIPT, "logo.svg", UnsupportedImage, "SVG drawing.*export it as PNG"),
        (files.PDF_BYTES, "scan.png", UnsupportedImage, "is a PDF, not an image: attach it under Documents"),
        (files.animated_gif(500), "spinner.gif", UnsupportedImage, "is an animation"),
        (files.photo_jpeg((1200, 900))[:4000], "cut.jpg", BadImage, "damaged or cut short"),
        (b"", "empty.png", BadImage, "is empty"),
        (b"GIF89a" + b"\x00" * 20, "broken.gif", BadImage, "damaged"),
        (b"hello, world", "notes.jpg", UnsupportedImage, "not an image JFDI reads.*PNG, JPEG, WebP or HEIC"),
    ],
    ids=["20000x20000-png", "svg-with-script", "pdf-renamed-png", "gif-500-frames", "truncated-jpeg", "empty",
         "broken-gif", "text"],
)
def test_bad_images_are_refused_with_a_clear_message_and_quickly(data, name, error, message):
    started = time.monotonic()
    with pytest.raises(error, match=message) as refused:
        prepare_image(data, name)
    assert name in str(refused.value)
    assert time.monotonic() - started < 2.0, "refused from the header, before decoding"


def test_a_40_mb_photo_is_over_the_upload_limit(tmp_path):
    big = tmp_path / "DSC_0001.jpg"
    with big.open("wb") as out:
        out.write(files.photo_jpeg((800, 600)))
        out.truncate(40 * 1024 * 1024)
    with pytest.raises(ImageTooLarge, match=r"DSC_0001.jpg is 40.0 MB, over the 25 MB limit.*JFDI_MAX_UPLOAD_MB"):
        load_images([big], max_upload_mb=25)


def test_thirty_images_at_once_are_refused_before_any_is_read(tmp_path):
    paths = [tmp_path / f"page-{n}.png" for n in range(30)]  # not even written: the count is checked first
    with pytest.raises(TooManyImages, match=f"30 images at once: JFDI takes at most {MAX_IMAGES}"):
        load_images(paths, max_upload_mb=25)


def test_a_missing_file_is_bad_input(tmp_path):
    with pytest.raises(BadImage, match="nope.png: no such file"):
        load_images([tmp_path / "nope.png"], max_upload_mb=25)


def test_fitting_to_a_provider_limit_is_done_once_per_image_and_limit():
    part = prepare_image(files.photo_jpeg(), "IMG_0412.jpg")
    fitted = fit(part, 1568, 3_750_000)
    assert max(fitted.width, fitted.height) == 1568 and max(decoded(fitted).size) == 1568
    assert fit(part, 1568, 3_750_000) is fitted
    assert fit(part, 2000, 10_000_000) is part  # already within


def test_fitting_under_a_byte_limit_lowers_quality_then_size():
    noise = Image.effect_noise((1500, 1500), 120).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    part = prepare_image(buffer.getvalue(), "noise.png")
    fitted = fit(part, 1568, 300_000)
    assert len(fitted.data) <= 300_000 and fitted.media_type == "image/jpeg"


def test_the_store_keeps_an_image_once_and_atomically(tmp_path):
    store = ImageStore(tmp_path / "images")
    part = prepare_image(files.screenshot_png(), "screen.png")
    path = store.put(part)
    assert path == tmp_path / "images" / part.sha256[:2] / f"{part.sha256}.png" and path.read_bytes() == part.data
    mtime = path.stat().st_mtime_ns
    assert store.put(prepare_image(files.screenshot_png(), "again.png")) == path and path.stat().st_mtime_ns == mtime
    again = store.get(part.sha256, "screen.png")
    assert again == part and (again.width, again.height) == (1280, 800)
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".incoming")]
    assert store.get("0" * 64) is None
