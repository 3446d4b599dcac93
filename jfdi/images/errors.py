"""Why an image was refused. All are bad input (CLI exit 2): the message says what to send instead."""

from __future__ import annotations

from ..errors import BadInput


class BadImage(BadInput):
    """The file cannot be used as an image: damaged, empty, or not what its name says."""


class UnsupportedImage(BadImage):
    """A format JFDI does not take as an image (SVG, PDF, an animation, HEIC without its decoder)."""


class ImageTooLarge(BadImage):
    """Over the upload size or the pixel limit."""


class TooManyImages(BadImage):
    pass
