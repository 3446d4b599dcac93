"""Operations beside generation that the UI and the CLI share, over one engine: Ollama's models,
the benchmark suite on the engine's providers, the preview checks kept with a logged generation,
and share links to a generation.

Each returns data or raises a JFDIError whose message is written for the user; how it is shown
(a table, a status line, stderr) is the caller's business. Heavy parts (the benchmark's renderer
and chart) are imported when an operation needs them."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from .engine import Engine
from .errors import BadInput
from .generation import is_incomplete
from .ollama_runtime import ModelInfo, PullProgress, list_models, pull
from .store.shares import TOKEN, Share, token_of

if TYPE_CHECKING:
    from .benchmark.prompts import BenchPrompt
    from .benchmark.report import ProviderSummary
    from .documents.parsing import Progress


@dataclass(frozen=True)
class BenchmarkResult:
    """One benchmark run. `runs` < `planned` when it was stopped; with no run finished, nothing
    was written and the paths are None."""

    planned: int
    runs: int = 0
    summaries: list[ProviderSummary] = field(default_factory=list)  # a row per provider
    criteria: str = ""  # markdown: the original design's criteria as measured
    results: Path | None = None  # results.json
    chart: Path | None = None
    report: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def folder(self) -> Path | None:
        return self.results.parent if self.results else None


class Services:
    def __init__(self, engine: Engine):
        self.engine = engine

    # -- Ollama ---------------------------------------------------------------------------------
    def ollama_models(self) -> list[ModelInfo]:
        """The models the configured Ollama server has. OllamaError when it cannot be asked."""
        return list_models(self.engine.settings.ollama_host)

    def pull_ollama_model(self, tag: str) -> Iterator[PullProgress]:
        """Pull a model into the configured Ollama server, a progress line at a time, to the end.
        BadInput for an empty tag; OllamaError when the server refuses it or cannot be reached."""
        yield from pull(self.engine.settings.ollama_host, tag)

    # -- benchmark --------------------------------------------------------------------------------
    def benchmark_prompts(self) -> list[BenchPrompt]:
        """The suite's prompts (benchmarks/prompts.json); `seed` ones are the original design's."""
        from .benchmark.prompts import load_prompts

        return load_prompts()

    def run_benchmark(
        self,
        providers: Sequence[str],
        prompt_ids: Sequence[str],
        repeat: int = 1,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        command: str = "the app's Benchmarks tab",
        judge: str = "",
    ) -> BenchmarkResult:
        """The benchmark suite on the engine's own providers (no fallback: the provider is what is
        measured); results.json, report.md and the chart go under <data dir>/benchmarks/<time>.
        `command` is what the report says started it. `judge`: a provider whose model sees images
        scores each rendered output from its screenshots (jfdi/benchmark/judge.py)."""
        from .benchmark.judge import Judge
        from .benchmark.render import Renderer
        from .benchmark.report import criteria_markdown, seed_criteria, summarise, write_report
        from .benchmark.runner import run_suite
        from .preview.checks import default_checker

        if not providers:
            raise BadInput("pick at least one provider.")
        unknown = sorted(set(providers) - set(self.engine.providers))
        if unknown:
            raise BadInput(f"unknown provider {', '.join(unknown)}; choose from {', '.join(self.engine.providers)}.")
        prompts = [p for p in self.benchmark_prompts() if p.id in set(prompt_ids)]
        if not prompts:
            raise BadInput("pick at least one prompt.")
        repeat = max(1, int(repeat))
        settings = self.engine.settings
        timeout_s = max(settings.timeout_s, 120.0)
        judge = (judge or "").strip().lower()
        if judge and judge not in self.engine.providers:
            raise BadInput(f"unknown judge {judge}; choose from {', '.join(self.engine.providers)}.")
        judging = Judge(self.engine.providers, judge, timeout_s=timeout_s) if judge else None  # one that cannot see: BadInput
        out = settings.data_dir / "benchmarks" / time.strftime("%Y%m%d-%H%M%S")
        renderer = Renderer()
        try:
            if judging is not None and not renderer.available():
                raise BadInput("the judge scores the rendered output, and Chromium is not installed here "
                               "(apt-get install chromium; pip install playwright)")
            notes = [] if renderer.available() else ["Chromium is not installed here: renders and expectations were not checked."]
            rows = run_suite(
                self.engine.providers, list(providers), prompts, repeat=repeat,
                timeout_s=timeout_s, max_tokens=settings.max_tokens, max_continues=settings.max_continues,
                checker=default_checker().check, renderer=renderer if renderer.available() else None,
                progress=progress, cancel=cancel, describe=self.engine.router.describe, max_upload_mb=settings.max_upload_mb,
                judge=judging, results_dir=out if judging is not None else None,
            )
        finally:
            renderer.close()
        planned = len(prompts) * len(providers) * repeat
        if not rows:
            return BenchmarkResult(planned, notes=notes)
        meta = {"command": command, "machine": {"cpu": "this server", "when": time.strftime("%Y-%m-%d %H:%M")},
                "providers": {n: self.engine.providers[n].model for n in providers}, "prompts": len(prompts),
                "repeat": repeat, "notes": notes,
                "judge": {"provider": judging.name, "model": judging.provider.model} if judging is not None else None}
        paths = write_report(out, rows, meta)
        summaries = summarise(rows)
        return BenchmarkResult(
            planned, len(rows), summaries, criteria_markdown(seed_criteria(summaries)),
            results=paths["results"], chart=paths["chart"], report=paths["report"], notes=notes,
        )

    # -- what the preview found ---------------------------------------------------------------
    def generation_with_files(self, generation_id: str | None, files: Mapping[str, str]) -> str | None:
        """`generation_id` when that logged generation's files are exactly `files`; None for an
        edited or unrelated project, whose findings belong to no generation."""
        if not generation_id or not files:
            return None
        record = self.engine.store.get(generation_id)
        return generation_id if record and record["files"] == dict(files) else None

    def cut_off(self, generation_id: str | None) -> str:
        """Why a logged generation's code is not whole (its answer was still cut off at the token
        limit after the last continuation); '' for any other generation."""
        record = self.engine.store.get(generation_id) if generation_id else None
        return record["error"] if record and is_incomplete(record["status"], record["stop_reason"]) else ""

    def record_checks(self, generation_id: str, checks: dict[str, Any]) -> bool:
        """Keep the preview's checks with a logged generation, and queue them for the team's
        copy. False when the generation is not in this machine's log."""
        if not self.engine.store.set_checks(generation_id, checks):
            return False
        self.engine.team.wake()
        return True

    # -- share links --------------------------------------------------------------------------
    def share(self, generation_id: str, *, public: bool = False) -> Share:
        """A new read-only link to a logged generation (this machine's or a teammate's on Convex).
        `public`: it opens without the app's login (JFDI_AUTH). BadInput for an unknown generation,
        one without code, or one whose code is incomplete (cut off at the token limit);
        TeamStoreError when it is not here and Convex cannot be asked."""
        generation_id = (generation_id or "").strip()
        record = self.engine.team.get(generation_id) if generation_id else None
        if record is None:
            raise BadInput(f"there is no generation {generation_id!r} in the log: `python -m jfdi history` lists them")
        if not (record.get("code") or "").strip():
            raise BadInput(f"generation {generation_id} has no code to share ({record['status']}: {record.get('error') or 'no answer'})")
        if is_incomplete(record["status"], record.get("stop_reason")):  # a stakeholder would take it for the tool
            raise BadInput(f"generation {generation_id} is not shared: its answer was {record['error']}")
        return self.engine.team.add_share(generation_id, public=public)

    def shares(self) -> tuple[list[Share], str]:
        """Every link, newest first, revoked ones included, and a notice when only this machine's
        could be listed."""
        return self.engine.team.shares()

    def revoke_share(self, link: str) -> Share:
        """Revoke a link, given its token or the whole link. BadInput when no one knows it."""
        token = token_of(link)
        found = self.engine.team.revoke_share(token) if token else None
        if found is None:
            raise BadInput(f"there is no share link {link.strip()!r}: `python -m jfdi share --list` lists them")
        return found

    def link(self, token: str) -> Share | None:
        """The active link with this token; None for a token that is unknown, revoked or malformed.
        Its generation is engine.team.get(link.generation_id)."""
        share = self.engine.team.share(token) if TOKEN.fullmatch(token or "") else None
        return share if share is not None and share.active else None
