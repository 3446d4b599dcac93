"""Hugging Face ZeroGPU: a Space that borrows a GPU slice for each call of a function decorated
with `spaces.GPU`, and has none in between.

The `spaces` package (preinstalled on ZeroGPU Spaces) must be imported before anything touches
CUDA, because it replaces torch's CUDA with an emulation in the app's process; the decorated
function then runs in a forked process that holds the real GPU, with its arguments and every
value it yields pickled across. The weights must be loaded before the app launches, when ZeroGPU
packs them. Everywhere else this module does nothing and `spaces` is never imported."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# ZeroGPU schedules shorter requests first and aborts a call that outlives its request; a couple
# of minutes is the most it grants (the limit is not published).
MIN_SECONDS = 30
MAX_SECONDS = 120
# A rate every path reaches on a ZeroGPU slice (plain bf16 generate manages about 17 tokens/s on
# an H100, the fast path several times that), plus time to prefill and capture.
PLANNED_TOKENS_PER_S = 60
STARTUP_S = 15


def on_zerogpu() -> bool:
    """Whether this process is a ZeroGPU Space (the variable `spaces` itself reads)."""
    return os.environ.get("SPACES_ZERO_GPU", "").strip().lower() in ("1", "t", "true")


def prepare() -> None:
    """On ZeroGPU, import `spaces` now, before CUDA is touched; elsewhere nothing."""
    if on_zerogpu():
        _spaces()


def on_gpu(fn: F, seconds: Callable[..., int]) -> F:
    """`fn` as ZeroGPU's GPU call, asking for `seconds(*args)` each time; `fn` itself elsewhere."""
    if not on_zerogpu():
        return fn
    return _spaces().GPU(fn, duration=seconds)


def seconds_for(max_new_tokens: int) -> int:
    planned = STARTUP_S + math.ceil(max_new_tokens / PLANNED_TOKENS_PER_S)
    return max(MIN_SECONDS, min(MAX_SECONDS, planned))


def _spaces() -> Any:
    try:
        import spaces
    except ImportError as exc:
        raise ImportError(
            "SPACES_ZERO_GPU is set (a ZeroGPU Space) but the `spaces` package is missing: "
            "pip install spaces"
        ) from exc
    return spaces
