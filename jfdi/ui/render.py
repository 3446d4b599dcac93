"""Text the UI shows, computed from engine objects: status lines, provider status, chat messages.
Plain functions of plain data, so they are tested without Gradio."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Sequence

from ..code import bare_code, looks_like_code
from ..edits.follow_up import describe as describe_edit
from ..generation import Generation, shown_status
from ..project import entry_of
from ..providers import PROVIDERS, ProviderStatus

if TYPE_CHECKING:
    from ..benchmark.report import ProviderSummary

STATE_ICONS = {
    "ready": "🟢",
    "configured": "🟢",
    "loading": "🟡",
    "cooling down": "🟠",
    "unavailable": "🔴",
    "not configured": "⚪",
}

PROVIDER_CHOICES = [("Auto", "auto"), *((cls.label, cls.name) for cls in PROVIDERS)]


def chat_answer(text: str) -> str:
    """An answer as chat markdown: bare code (as the system prompt asks for) gets a fence so it
    renders as highlighted code instead of mangled markdown."""
    if not text.strip():
        return "…"
    if "```" in text or "~~~" in text or not looks_like_code(text):
        return text
    return f"```tsx\n{bare_code(text)}\n```"


def chat_messages(turns: Sequence[tuple[str, str]], images: Sequence[Sequence[str]] = ()) -> list[dict]:
    """`images`: the files of each turn's images (as long as `turns` or shorter), shown as thumbnails."""
    messages = []
    for index, (prompt, answer) in enumerate(turns):
        messages.append(user_message(prompt, images[index] if index < len(images) else ()))
        messages.append({"role": "assistant", "content": chat_answer(answer)})
    return messages


def user_message(prompt: str, images: Sequence[str] = ()) -> dict:
    """A prompt, with the images it was sent with after it."""
    if not images:
        return {"role": "user", "content": prompt}
    return {"role": "user", "content": [prompt, *({"path": path} for path in images)]}


def live_status(gen: Generation, label: str, elapsed: float) -> str:
    parts = [f"⏳ {label}" if label else "⏳ starting"]
    if gen.text:
        parts.append(f"{len(gen.text):,} characters")
    parts.append(f"{elapsed:.1f} s")
    line = " · ".join(parts)
    trail = fallback_trail(gen)
    return f"{line} — {trail}" if trail else line


def final_status(gen: Generation, labels: dict[str, str]) -> str:
    """The status line after a generation: who answered, every fallback on the way, timing, cost."""
    trail = fallback_trail(gen)
    if gen.status == "ok":
        who = labels.get(gen.provider or "", gen.provider or "?")
        count = len(gen.files)
        parts = [f"✅ {who} ({gen.model})", f"{count} file{'s' if count != 1 else ''}"]
    elif gen.status == "stopped":
        parts = ["⏹ Stopped — the partial answer is kept in the chat and the history"]
    elif gen.incomplete:  # shown with its timing and cost, but never as done
        parts = [f"⚠️ {gen.error}"]
    else:
        return "❌ " + gen.error.replace("\n", " · ")
    if gen.continues and not gen.incomplete:
        parts.append(f"continued {gen.continues}× after the token limit")
    if gen.ttft_s is not None:
        parts.append(f"first token {gen.ttft_s:.1f} s")
    if gen.total_s is not None:
        parts.append(f"total {gen.total_s:.1f} s")
    if gen.input_tokens is not None or gen.output_tokens is not None:
        parts.append(f"{gen.input_tokens or 0:,} in / {gen.output_tokens or 0:,} out tokens")
    if gen.cost_usd is not None:
        parts.append(f"${gen.cost_usd:.4f}")
    if gen.edit and describe_edit(gen.edit):
        parts.append(describe_edit(gen.edit))
    line = " · ".join(parts)
    return f"{line} — {trail}" if trail else line


@dataclass(frozen=True)
class CodePanel:
    """What the code panel shows of a project: one file, picked from `choices` ((label, path))."""

    choices: list[tuple[str, str]]
    selected: str | None
    text: str
    language: str = "typescript"


LANGUAGES = {".css": "css", ".json": "json", ".md": "markdown", ".html": "html"}


def code_panel(files: Mapping[str, str], selected: str | None = None, *, running: bool = False) -> CodePanel:
    """The file to show: the one picked, if the project still has it; while an answer streams, the
    file being written (the last); otherwise the entry, which the picker marks with ▶."""
    entry = entry_of(files).path
    choices = [(f"▶ {path}" if path == entry else path, path) for path in files]
    if running and files:
        selected = list(files)[-1]
    elif selected not in files:
        selected = entry
    suffix = "." + selected.rpartition(".")[2] if selected and "." in selected else ""
    return CodePanel(choices, selected, files.get(selected, "") if selected else "", LANGUAGES.get(suffix, "typescript"))


def fallback_trail(gen: Generation) -> str:
    return " → ".join(gen.notices)


def provider_status_markdown(statuses: Sequence[ProviderStatus]) -> str:
    lines = []
    for s in statuses:
        icon = STATE_ICONS.get(s.state, "⚪")
        line = f"{icon} **{s.label}** — {s.state}"
        if s.model:
            line += f"  \n<small>`{s.model}` · {'sees images' if s.vision else 'images as text'}</small>"
        if s.detail:
            line += f"  \n<small>{s.detail}</small>"
        lines.append(line)
    return "\n\n".join(lines)


def model_info_markdown(statuses: Sequence[ProviderStatus]) -> str:
    rows = ["| Provider | Model | Runs on |", "|---|---|---|"]
    where = {cls.name: cls.runs_on for cls in PROVIDERS}
    for s in statuses:
        rows.append(f"| {s.label} | `{s.model}` | {where.get(s.name, '')} |")
    return "\n".join(rows)


def history_rows(records: Sequence[dict]) -> list[list[str]]:
    return [
        [
            r["created_at"].replace("T", " ")[:19],
            " ".join(r["prompt"].split())[:90],
            r.get("provider") or "—",
            shown_status(r),
            r.get("workspace") or "default",
            "☁️ team" if r.get("shared") else "this machine",
        ]
        for r in records
    ]


BENCHMARK_HEADERS = ["Provider", "Model", "Quality", "vs best", "OK", "Renders", "Expect", "Blank", "Console errors",
                     "A11y issues", "Judge", "Median total", "Tok/s", "Cost"]


def benchmark_rows(summaries: Sequence[ProviderSummary]) -> list[list[str]]:
    """The Benchmarks tab's table (BENCHMARK_HEADERS): a row per provider. "-" is a figure that
    was not measured (no render, no judge), never a zero."""

    def measured(value: float | None, form: str) -> str:
        return "-" if value is None else format(value, form)

    return [
        [
            s.provider,
            s.model,
            f"{s.quality:.1f}",
            f"{s.ratio_to_best:.0%}",
            f"{s.ok_rate:.0%}",
            measured(s.pass_rates["renders"], ".0%"),
            measured(s.expect_rate, ".0%"),
            measured(s.blank_rate, ".0%"),
            measured(s.console_errors, ".1f"),
            measured(s.a11y_violations, ".1f"),
            "-" if s.judge_score is None else f"{s.judge_score:.0f}/100 ({s.judged} of {s.runs})",
            "-" if s.median_total_s is None else f"{s.median_total_s:.1f} s",
            measured(s.median_tokens_per_s, ".0f"),
            "-" if s.cost_usd is None else f"${s.cost_usd:.4f}",
        ]
        for s in summaries
    ]


def weblink_iframe(url: str) -> str:
    """The WebLink page, sandboxed. It is another site: allow-same-origin lets it keep its own
    login cookies, and being cross-origin it still cannot reach this page's DOM or storage."""
    if not url.lower().startswith(("https://", "http://")):
        return f"<p>JFDI_WEBLINK_URL must be an http(s) address, not {html.escape(url)!s}.</p>"
    return (
        f'<iframe src="{html.escape(url, quote=True)}" title="WebLink" width="100%" height="600" '
        'style="border:0;border-radius:12px" referrerpolicy="no-referrer" '
        'sandbox="allow-scripts allow-same-origin allow-forms allow-popups"></iframe>'
    )
