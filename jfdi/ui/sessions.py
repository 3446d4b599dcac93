"""New sessions that cost nothing until they are used.

Gradio 6.31 starts every new session (a browser's first event, each API client's first request)
by building the config of every component on the page, for deep links (`gr.DeepLinkButton`),
which JFDI does not use: 9 ms of CPU for this page's 155 blocks, on the server's event loop, where
every request in flight waits for it. Forty users arriving at once waited for forty of them
(`benchmarks/load.py`, 40 users: first update median 0.88 s with Gradio's sessions, 0.29 s with
these). Here a session builds a component's config when something reads it, and reading them all
(the deep-link route) gives what Gradio's eager copy would have."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Iterator

import gradio.state_holder
from gradio.state_holder import SessionState


class LazySession(SessionState):
    """Gradio's SessionState with `config_values` filled on demand."""

    def __init__(self, blocks) -> None:
        # Gradio's own __init__, shown a page without components: it copies the page's config as
        # usual and builds no component's config (it builds those of the blocks it is shown).
        super().__init__(SimpleNamespace(default_config=blocks.default_config, blocks={}))
        self._page_ids: list[int] | None = [key for key in self.blocks_config.blocks if key in blocks.blocks]

    @property
    def components(self) -> Iterator[dict]:
        self._fill()
        return super().components

    def _fill(self) -> None:
        """Every component's config, in page order, keeping those a handler already set."""
        if self._page_ids is None:
            return
        blocks, made = self.blocks_config.blocks, self.config_values
        filled = {}
        for key in self._page_ids:
            if key in made:
                filled[key] = made[key]
            elif key in blocks:
                filled[key] = self.blocks_config.config_for_block(key, [], blocks[key])
        filled.update(made)  # set for blocks the page did not start with
        self.config_values = filled
        self._page_ids = None


def use_lazy_sessions() -> None:
    """Make every session Gradio starts from now on a LazySession. Gradio's StateHolder makes its
    sessions by this module-level name (checked by tests/test_sessions.py)."""
    gradio.state_holder.SessionState = LazySession
