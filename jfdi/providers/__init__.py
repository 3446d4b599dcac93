"""One module per provider, one streaming interface (base.Provider), typed errors (jfdi.errors)."""

from __future__ import annotations

from ..config import Settings
from .base import Delta, Message, Provider, ProviderStatus, Request, Usage


def build_providers(settings: Settings) -> dict[str, Provider]:
    """Every provider, built from settings. Nothing here touches the network or loads a model."""
    from .claude import ClaudeProvider
    from .local import LocalProvider
    from .ollama import OllamaProvider
    from .openrouter import OpenRouterProvider

    return {
        "claude": ClaudeProvider(settings),
        "local": LocalProvider(settings),
        "openrouter": OpenRouterProvider(settings),
        "ollama": OllamaProvider(settings),
    }


__all__ = ["Delta", "Message", "Provider", "ProviderStatus", "Request", "Usage", "build_providers"]
