"""What goes wrong with the benchmark's visual judge."""

from __future__ import annotations

from ..errors import BadInput, JFDIError


class JudgeCannotSee(BadInput):
    """The provider named as the judge is given images as text: it could not judge a screenshot."""


class BadVerdict(JFDIError):
    """The judge's answer is not the JSON object it was asked for; the message says why (and is
    sent back to the judge when it is asked once more)."""
