"""Images as input: a photo of a paper form, a whiteboard, a screenshot of an app.

    from jfdi.images import load_images
    images = load_images(["traveler.jpg"], max_upload_mb=25)   # BadImage on bad input
    Message("user", "Build this form", images=tuple(images))    # jfdi.providers.base

An `ImagePart` is prepared once (checked, upright, at most MASTER_LONGEST_SIDE pixels, encoded as
PNG or JPEG); each provider fits it to its own limit (`fit`), and a provider that cannot see gets
its text instead (describe.py). The log keeps images once, by content hash (store.py)."""

from .errors import BadImage, ImageTooLarge, TooManyImages, UnsupportedImage
from .part import ImagePart
from .prepare import MASTER_LONGEST_SIDE, MAX_IMAGES, fit, load_image, load_images, prepare_image

__all__ = [
    "MASTER_LONGEST_SIDE",
    "MAX_IMAGES",
    "BadImage",
    "ImagePart",
    "ImageTooLarge",
    "TooManyImages",
    "UnsupportedImage",
    "fit",
    "load_image",
    "load_images",
    "prepare_image",
]
