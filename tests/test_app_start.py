"""The first request is as fast as the second: the providers' one-time set-up (the Claude SDK's
import takes seconds) runs while the app imports Gradio and builds the page, not after."""

from __future__ import annotations

from tests.apprunner import REPO, start_app


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
