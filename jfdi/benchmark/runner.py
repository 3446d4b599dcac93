"""Each prompt through each provider, measured and checked.

A named provider is the only one tried (no fallback: the provider is what is measured). Nothing
is written to the generation log. Checks per output: code extracted, syntax, type-check (the
preview's checker), renders in Chromium without errors, a default export, Tailwind classes, and
the prompt's own expectations in the rendered DOM. With a judge (judge.py), each rendered output
is also screenshot into the results folder and scored by the judge; its cost is kept apart."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from ..code import looks_like_code
from ..generation import Generation, Run, rounded
from ..images import load_images
from ..project import Files, has_default_export, main_code
from ..prompts import build_request
from ..providers import Provider
from ..router import Describe, Router
from .judge import Judge, Judgement
from .prompts import BenchPrompt
from .render import SHOT_NAMES, Renderer
from .report import quality

Progress = Callable[[int, int, str], None]

_CLASS_STRINGS = re.compile(r"""className\s*=\s*(?:"([^"]*)"|'([^']*)'|\{\s*`([^`]*)`)""")
_UTILITY = re.compile(
    r"^(?:[a-z]+:)*-?(?:p[xytblr]?|m[xytblr]?|w|h|size|gap(?:-[xy])?|space-[xy]|text|bg|border(?:-[xytblr])?|rounded(?:-[a-z]+)?"
    r"|shadow|font|leading|tracking|ring|divide-[xy]|overflow(?:-[xy])?|col-span|row-span|grid-cols|grid-rows|items|justify|self"
    r"|max-w|min-w|max-h|min-h|top|left|right|bottom|inset|z|opacity|flex|grid|inline-flex|inline-block|block|hidden|table"
    r"|sr-only|truncate|uppercase|lowercase|capitalize|underline|italic|cursor|transition|duration|animate|outline|placeholder"
    r"|accent|fill|stroke|whitespace|break|list|divide|decoration|align|object|aspect|order|shrink|grow|basis|sticky|fixed"
    r"|absolute|relative)(?:-|$)"
)


def uses_tailwind(code: str) -> bool:
    """At least three Tailwind utility classes in className attributes."""
    classes = set()
    for match in _CLASS_STRINGS.finditer(code):
        classes.update(c for c in " ".join(filter(None, match.groups())).split() if _UTILITY.match(c))
    return len(classes) >= 3


def check_output(
    files: Files,
    expect: Sequence[dict],
    checker: Callable[[Files], Any] | None,
    renderer: Renderer | None,
    shots: Path | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(checks, details): the scored checks of one output (a project), and what explains them;
    with `shots`, a folder, the render's screenshots go there (details["screenshots"])."""
    code = main_code(files)
    checks: dict[str, Any] = {
        "extracted": bool(code.strip()) and looks_like_code(code),
        "parses": None, "typechecks": None, "renders": None,
        "default_export": False, "tailwind": False,
        "expect_passed": 0, "expect_total": len(expect),
    }
    details: dict[str, Any] = {}
    if not checks["extracted"]:
        return checks, details
    checks["default_export"] = any(has_default_export(text) for text in files.values())
    checks["tailwind"] = uses_tailwind("\n".join(files.values()))
    if checker is not None:
        result = checker(files)
        checks["parses"], checks["typechecks"] = result.syntax_ok, result.typecheck_ok
        details["problems"] = [str(p) for p in result.problems][:5]
        details["check_notes"] = list(result.notes)
    if renderer is not None:
        rendered = renderer.render(files, expect, shots)
        if shots is not None:
            details["screenshots"] = rendered.screenshots
            if rendered.screenshot_error:
                details["screenshot_error"] = rendered.screenshot_error
        checks["renders"] = rendered.renders
        checks["expect_passed"], checks["expect_total"] = rendered.expect_passed, rendered.expect_total
        details["render_errors"] = rendered.errors[:5]
        details["expect"] = rendered.expect_results
        if rendered.note:
            details["render_note"] = rendered.note
    return checks, details


def run_suite(
    providers: Mapping[str, Provider],
    names: Sequence[str],
    prompts: Sequence[BenchPrompt],
    *,
    repeat: int = 1,
    timeout_s: float = 120.0,
    max_tokens: int = 8192,
    checker: Callable[[str], Any] | None = None,
    renderer: Renderer | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    describe: Describe | None = None,
    max_upload_mb: float = 25.0,
    judge: Judge | None = None,
    results_dir: Path | None = None,
) -> list[dict[str, Any]]:
    """One row per prompt x provider x repeat (see report.py for what is in a row). A prompt's
    images go with it; `describe` gives them as text to a provider that cannot see, and the time
    to the first token then includes reading them. A `judge` scores each rendered output from
    its screenshots, kept under `results_dir`/screenshots (paths in the row relative to it)."""
    if judge is not None and (renderer is None or results_dir is None):
        raise ValueError("the judge needs the renderer and a results folder for its screenshots")
    router = Router(providers, list(names), timeout_s=timeout_s, describe=describe)
    for name in names:
        router.chain(name)  # an unknown provider is bad input before anything runs
    runs = [(prompt, name, r) for prompt in prompts for name in names for r in range(1, repeat + 1)]
    rows = []
    for done, (prompt, name, r) in enumerate(runs):
        if cancel is not None and cancel.is_set():
            break
        if progress is not None:
            progress(done, len(runs), f"{name} · {prompt.id} · run {r} of {repeat}")
        gen = Generation(prompt=prompt.prompt, provider_requested=name)
        stop = cancel or threading.Event()
        images = load_images(prompt.images, max_upload_mb=max_upload_mb)
        request = build_request(prompt.prompt, max_tokens=max_tokens, images=images)
        for _ in Run(gen, router.run(request, name, stop), stop):
            pass
        shots = results_dir / "screenshots" / prompt.id / f"{name}-{r}" if judge is not None else None
        row = _row(prompt, name, r, gen, providers[name], checker, renderer, shots)
        if judge is not None:
            if progress is not None:
                progress(done, len(runs), f"judging {name} · {prompt.id} · run {r}")
            row.update(_judged(judge, prompt, row, results_dir))
        rows.append(row)
    if progress is not None:
        progress(len(rows), len(runs), "done")
    return rows


def _judged(judge: Judge, prompt: BenchPrompt, row: dict[str, Any], results_dir: Path) -> dict[str, Any]:
    """The judge's keys of a row: judge_score (None: no score), judge_notes, the screenshots (relative
    to the results folder) and what judging cost (`judge`). An output with no code, or whose
    screenshots could not all be taken, is not shown to it."""
    shots = row["details"].pop("screenshots", [])
    if len(shots) == len(SHOT_NAMES):
        judgement = judge.judge(prompt.prompt, prompt.expect, shots)
    else:
        why = row["details"].get("screenshot_error") or "no code to render: nothing to judge"
        judgement = Judgement(None, "", judge.name, judge.provider.model, problems=[why])
    return {"judge_score": judgement.score, "judge_notes": judgement.notes,
            "screenshots": [str(path.relative_to(results_dir)) for path in shots], "judge": judgement.record()}


def _row(prompt: BenchPrompt, name: str, repeat: int, gen: Generation, provider: Provider, checker, renderer,
         shots: Path | None = None) -> dict[str, Any]:
    files = gen.files if gen.status == "ok" else {}
    checks, details = check_output(files, prompt.expect, checker, renderer, shots)
    decode_s = (gen.total_s - gen.ttft_s) if gen.total_s is not None and gen.ttft_s is not None else None
    return {
        "prompt": prompt.id,
        "prompt_text": prompt.prompt,
        "seed": prompt.seed,
        "provider": name,
        "model": gen.model or provider.model,
        "repeat": repeat,
        "answered": gen.status == "ok",  # the provider finished an answer (timed even without code)
        "ok": gen.status == "ok" and checks["extracted"],
        "error": gen.error or (None if checks["extracted"] else "no code in the answer"),
        "ttft_s": rounded(gen.ttft_s),
        "total_s": rounded(gen.total_s),
        "output_tokens": gen.output_tokens,
        "tokens_per_s": rounded(gen.output_tokens / decode_s) if gen.output_tokens and decode_s else None,
        "notices": list(gen.notices),
        "cost_usd": gen.cost_usd,
        "checks": checks,
        "quality": quality(checks),
        "details": details,
    }

