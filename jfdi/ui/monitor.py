"""Provider status, refreshed on a background thread so that the page never waits on a probe
(an Ollama server that does not answer would otherwise hold up every refresh)."""

from __future__ import annotations

import threading

from ..engine import Engine
from ..config import raise_unexpected
from ..providers import ProviderStatus


class StatusMonitor:
    def __init__(self, engine: Engine, every_s: float = 3.0):
        self.engine = engine
        self.every_s = every_s
        self._snapshot: list[ProviderStatus] = engine.statuses(probe=False)
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "StatusMonitor":
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, daemon=True, name="jfdi-status")
            self._thread.start()
        return self

    def snapshot(self) -> list[ProviderStatus]:
        return list(self._snapshot)

    def refresh_soon(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    def refresh(self) -> None:
        """Probe every provider once; a probe that fails leaves the status read without probing."""
        try:
            self._snapshot = self.engine.statuses(probe=True)
        except Exception:  # a status probe must never take the page down
            if raise_unexpected():
                raise
            self._snapshot = self.engine.statuses(probe=False)

    def _loop(self) -> None:
        while not self._stopped.is_set():
            self.refresh()
            self._wake.wait(self.every_s)
            self._wake.clear()
