"""The engine's own catch-alls: in production the user's answer and the page come first; under the
tests (JFDI_RAISE_ERRORS=1) a bug in JFDI's code fails loudly instead of becoming a log line."""

from __future__ import annotations

import logging
import sqlite3

import pytest

from jfdi.engine import Engine
from jfdi.errors import BadInput
from jfdi.router import Router
from jfdi.store import Store
from jfdi.ui.monitor import StatusMonitor
from tests.fakes import FakeProvider


class BrokenStore(Store):
    def save(self, record):
        raise sqlite3.OperationalError("disk I/O error")


def engine_with(settings, store=None):
    claude = FakeProvider("claude").enqueue("export default function A() { return <p>hi</p> }")
    return Engine(settings, providers={"claude": claude}, router=Router({"claude": claude}, ["claude"]),
                  store=store or Store(settings.db_path))


def test_in_production_a_log_that_cannot_be_written_does_not_cost_the_answer(settings, monkeypatch, caplog):
    monkeypatch.delenv("JFDI_RAISE_ERRORS")
    engine = engine_with(settings, BrokenStore(settings.db_path))
    run = engine.generate("Build a greeting")
    with caplog.at_level(logging.ERROR):
        list(run)
    assert run.generation.status == "ok" and "hi" in run.generation.code
    assert "could not write generation" in caplog.text and "disk I/O error" in caplog.text


def test_under_the_tests_a_log_that_cannot_be_written_fails(settings):
    run = engine_with(settings, BrokenStore(settings.db_path)).generate("Build a greeting")
    with pytest.raises(sqlite3.OperationalError):
        list(run)


class FailingProbe(FakeProvider):
    def probe(self):
        raise RuntimeError("a bug in a status probe")


def monitor_with(settings):
    broken = FailingProbe("claude")
    engine = Engine(settings, providers={"claude": broken}, router=Router({"claude": broken}, ["claude"]),
                    store=Store(settings.db_path))
    return StatusMonitor(engine)


def test_in_production_a_failing_probe_leaves_the_status_read_without_probing(settings, monkeypatch):
    monkeypatch.delenv("JFDI_RAISE_ERRORS")
    monitor = monitor_with(settings)
    monitor.refresh()
    assert [(s.name, s.state) for s in monitor.snapshot()] == [("claude", "configured")]


def test_under_the_tests_a_failing_probe_fails(settings):
    with pytest.raises(RuntimeError, match="a bug in a status probe"):
        monitor_with(settings).refresh()


def test_a_prompt_that_is_not_unicode_text_is_bad_input(settings):
    """JSON may carry a lone surrogate ("\\udce9"); no provider and no database takes it."""
    engine = Engine(settings, providers={}, router=Router({}, []), store=Store(settings.db_path))
    with pytest.raises(BadInput, match="not valid Unicode"):
        engine.generate("Caf\udce9 form")
