"""The provider registry is the one place a provider is defined: the CLI, the UI, settings
validation, routing messages and pricing all read from the provider classes."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from jfdi.__main__ import build_parser
from jfdi.errors import BadInput, ConfigError
from jfdi.generation import Generation, Run
from jfdi.prompts import build_request
from jfdi.providers import PROVIDERS, Provider, Registry
from jfdi.providers.base import Delta, Usage
from jfdi.router import Router
from jfdi.ui import render


class EchoProvider(Provider):
    """A third-party provider: all it takes to join is its class in the registry's list."""

    name = "echo"
    label = "Echo"
    runs_on = "this test"
    free = True

    def __init__(self, settings):
        self.model = "echo-1"

    def configured(self) -> bool:
        return True

    def stream(self, request, cancel):
        yield Delta(text=f"export default function Echo() {{ return <p>{request.messages[-1].content}</p> }}")
        yield Delta(stop_reason="end_turn", usage=Usage(3, 9))


def cli_provider_choices() -> list[str]:
    generate = build_parser()._subparsers._group_actions[0].choices["generate"]
    return next(a.choices for a in generate._actions if a.dest == "provider")


def test_the_cli_and_the_ui_offer_what_the_registry_has():
    assert list(cli_provider_choices()) == ["auto", "claude", "local", "openrouter", "ollama"]
    assert render.PROVIDER_CHOICES == [("Auto", "auto")] + [(cls.label, cls.name) for cls in PROVIDERS]
    assert dict(render.PROVIDER_CHOICES)["Seed-Coder (local)"] == "local"  # the provider's own label


def test_model_info_says_where_each_provider_runs(settings):
    engine_statuses = [p.status() for p in PROVIDERS.build(settings).values()]
    table = render.model_info_markdown(engine_statuses)
    assert "| Claude | `claude-sonnet-5-5` | Anthropic's cloud |" in table
    assert "| Seed-Coder (local) |" in table and "| this machine |" in table


def test_a_third_provider_joins_in_one_line(settings):
    registry = Registry(*PROVIDERS, EchoProvider)
    providers = registry.build(replace(settings, providers=("echo", "claude")))
    assert registry.choices()[-1] == "echo" and isinstance(providers["echo"], EchoProvider)
    router = Router(providers, ["echo", "claude"])
    gen, cancel = Generation(prompt="hi"), threading.Event()
    for _ in Run(gen, router.run(build_request("hello"), "echo", cancel), cancel):
        pass
    assert gen.status == "ok" and gen.provider == "echo" and "hello" in gen.text and gen.cost_usd == 0.0
    with pytest.raises(BadInput, match="use one of auto, claude, local, openrouter, ollama, echo"):
        router.chain("gpt")


def test_settings_naming_a_provider_nobody_registered_are_refused(settings):
    with pytest.raises(ConfigError, match="JFDI_PROVIDERS names unknown provider echo"):
        PROVIDERS.build(replace(settings, providers=("claude", "echo")))


def test_cost_comes_from_the_provider_class(settings):
    providers = PROVIDERS.build(settings)
    usage = Usage(input_tokens=1_000_000, output_tokens=100_000)
    assert providers["claude"].cost(usage) == pytest.approx(2.0 + 1.0)  # list price of a Sonnet 5
    assert providers["local"].cost(usage) == 0.0 and providers["ollama"].cost(usage) == 0.0
    assert providers["openrouter"].cost(replace(usage, cost_usd=0.42)) == 0.42  # the service's own figure wins
    unknown = replace(settings, openrouter_model="someone/unpriced-model")
    assert PROVIDERS.build(unknown)["openrouter"].cost(usage) is None
