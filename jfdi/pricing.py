"""Estimated cost of a generation, in USD, from published per-million-token prices.

A service that reports its own cost (OpenRouter) is believed first. Local runtimes cost nothing
per token. An unknown model has no estimate rather than a wrong one."""

from __future__ import annotations

from .providers.base import Usage

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

FREE_PROVIDERS = ("local", "ollama")


def estimate_cost(provider: str, model: str, usage: Usage) -> float | None:
    if usage.cost_usd is not None:
        return usage.cost_usd
    if provider in FREE_PROVIDERS:
        return 0.0
    if usage.input_tokens is None or usage.output_tokens is None:
        return None
    matches = [prefix for prefix in PRICES if model.startswith(prefix)]
    if not matches:
        return None
    price_in, price_out = PRICES[max(matches, key=len)]
    return (usage.input_tokens * price_in + usage.output_tokens * price_out) / 1_000_000
