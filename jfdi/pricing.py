"""List prices of the paid models, in USD per million tokens (see Provider.cost for how a
request's cost is decided). An unknown model has no estimate rather than a wrong one."""

from __future__ import annotations

# (input, output) USD per million tokens; matched by the longest prefix of the model id.
PRICES: dict[str, tuple[float, float]] = {
    "claude-sonnet-5": (2.0, 10.0),
    "claude-sonnet-4": (3.0, 15.0),
    "claude-opus-5": (5.0, 25.0),
    "claude-opus-4-5": (5.0, 25.0),
    "claude-opus-4-6": (5.0, 25.0),
    "claude-opus-4-7": (5.0, 25.0),
    "claude-opus-4-8": (5.0, 25.0),
    "claude-haiku-4-5": (1.0, 5.0),
    "claude-haiku-5": (1.0, 5.0),
    "anthropic/claude-sonnet-5": (2.0, 10.0),
    "anthropic/claude-sonnet-4": (3.0, 15.0),
}


def list_price(model: str, input_tokens: int | None, output_tokens: int | None) -> float | None:
    if input_tokens is None or output_tokens is None:
        return None
    matches = [prefix for prefix in PRICES if model.startswith(prefix)]
    if not matches:
        return None
    price_in, price_out = PRICES[max(matches, key=len)]
    return (input_tokens * price_in + output_tokens * price_out) / 1_000_000
