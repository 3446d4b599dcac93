"""The first request is as fast as the second: the providers' one-time set-up (the Claude SDK's
import takes seconds) runs while the app imports Gradio and builds the page, not after."""

from __future__ import annotations

import gc

import pytest

from jfdi.engine import Engine
from jfdi.ui import app as app_module
from jfdi.ui.launch import launch
from tests.apprunner import REPO, start_app
from tests.fakes import FakeProvider


def test_the_first_request_after_the_page_is_served_does_not_wait_for_the_set_up(tmp_path):
    app = start_app(tmp_path, {"JFDI_PROVIDERS": "claude", "SLOW_SDK_IMPORT_S": "1.5"},
                    script=REPO / "tests" / "slow_set_up_app.py")
    try:
        first, first_status = app.first_update("Build a reorder form", "claude")
        second, _ = app.first_update("Build a stock table", "claude")
    finally:
        log = app.stop()
    assert first_status.startswith("⏳ Claude"), f"the set-up was still under way: {first_status!r}"
    # Had the import started after the page, the first request would wait most of its 1.5 s.
    assert first < second + 0.5, (first, second)
    assert "import gradio" in log and "JFDI" in log, "the start-up line tells Gradio's share from JFDI's"


@pytest.fixture
def serve_stand_in(monkeypatch):
    """jfdi.ui.app.serve replaced: `behave(on_served)` plays the part of serving the page."""
    seen = {}

    def install(behave):
        def serve(engine, *, on_served=None, **_):
            seen["collector on while starting"] = gc.isenabled()
            return behave(on_served)

        monkeypatch.setattr(app_module, "serve", serve)
        return seen

    yield install
    gc.unfreeze()
    gc.enable()


def test_the_collector_is_off_while_starting_and_back_on_once_the_page_is_served(settings, serve_stand_in, capsys):
    seen = serve_stand_in(lambda on_served: on_served())
    launch(settings, engine=Engine(settings, providers={"claude": FakeProvider("claude")}))
    assert seen["collector on while starting"] is False
    assert gc.isenabled(), "a long-running app without its collector grows without end"
    assert gc.get_freeze_count() > 0, "the start-up's objects are left out of later collections"
    assert "JFDI served the page" in capsys.readouterr().out


def test_a_start_that_fails_turns_the_collector_back_on(settings, serve_stand_in):
    def fail(on_served):
        raise OSError("Cannot find empty port in range: 7860-7860")

    serve_stand_in(fail)
    with pytest.raises(OSError):
        launch(settings, engine=Engine(settings, providers={"claude": FakeProvider("claude")}))
    assert gc.isenabled()
