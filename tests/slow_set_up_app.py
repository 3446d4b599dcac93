"""`python app.py` with a stand-in for Claude whose one-time set-up imports a slow module
(tests/slow_sdk.py), as Claude's imports the anthropic SDK. Started by tests/test_app_start.py
as a user starts the app."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jfdi.config import load_settings  # noqa: E402
from jfdi.engine import Engine  # noqa: E402
from jfdi.ui.launch import launch  # noqa: E402
from tests.fakes import FakeProvider  # noqa: E402


class SlowSetUpClaude(FakeProvider):
    def __init__(self) -> None:
        super().__init__("claude", label="Claude", model="claude-stand-in")
        self._imported = False

    def prepare(self) -> None:
        importlib.import_module("tests.slow_sdk")  # a second caller waits on Python's import lock
        self._imported = True

    def prepared(self) -> bool:
        return self._imported


if __name__ == "__main__":
    settings = load_settings()
    launch(settings, engine=Engine(settings, providers={"claude": SlowSetUpClaude()}))
