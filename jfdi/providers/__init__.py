"""The providers: one module each, one streaming interface (base.Provider), typed errors
(jfdi.errors), and the registry that lists them. Importing this package loads no SDK and no model."""

from __future__ import annotations

from typing import Iterator

from ..config import Settings
from ..errors import BadInput, ConfigError
from .base import Delta, ImagePart, Message, Provider, ProviderStatus, Request, Usage
from .claude import ClaudeProvider
from .local import LocalProvider
from .ollama import OllamaProvider
from .openrouter import OpenRouterProvider

AUTO = "auto"


class Registry:
    """The provider classes JFDI knows, in the order the UI lists them. The CLI's choices, the UI's
    dropdown, settings validation and the router's messages all read from here."""

    def __init__(self, *classes: type[Provider]):
        self._classes = {cls.name: cls for cls in classes}

    def __iter__(self) -> Iterator[type[Provider]]:
        return iter(self._classes.values())

    def __getitem__(self, name: str) -> type[Provider]:
        try:
            return self._classes[name]
        except KeyError:
            raise BadInput(f"unknown provider {name!r}: use one of {', '.join(self._classes)}") from None

    def names(self) -> tuple[str, ...]:
        return tuple(self._classes)

    def choices(self) -> tuple[str, ...]:
        """What a user may ask for: `auto` (the routing order) or one provider by name."""
        return (AUTO, *self._classes)

    def build(self, settings: Settings) -> dict[str, Provider]:
        """Every provider, built from settings. Nothing here touches the network or loads a model."""
        unknown = [name for name in settings.providers if name not in self._classes]
        if unknown:
            raise ConfigError(
                f"JFDI_PROVIDERS names unknown provider {', '.join(unknown)}: "
                f"use a comma-separated list of {', '.join(self._classes)}"
            )
        return {name: cls(settings) for name, cls in self._classes.items()}


PROVIDERS = Registry(ClaudeProvider, LocalProvider, OpenRouterProvider, OllamaProvider)

__all__ = [
    "AUTO", "PROVIDERS", "Delta", "ImagePart", "Message", "Provider", "ProviderStatus", "Registry", "Request", "Usage",
]
