"""Scores and the report: results.json (a row per prompt x provider x repeat), report.md and
report.png.

A run's quality is the share of the checks it passed, weighted by how much a user would miss
each: that it renders and does what the prompt asked weigh most. A check that could not run
(no Node for the type-check, no Chromium for the render) counts for no one, so providers are
compared on the same checks. A run that produced no code scores 0.

With a visual judge (judge.py), providers are also ranked by their mean judge score over the
outputs it scored (an output without a score counts for no one, and how many were scored is
shown beside it), the best and worst output of each are shown by their screenshots, and the
judge's own cost is reported apart from the providers'."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

WEIGHTS = {"parses": 15, "typechecks": 15, "renders": 25, "default_export": 5, "tailwind": 5, "expect": 35}
CHECKS = ("extracted", "parses", "typechecks", "renders", "default_export", "tailwind")
SEED_LOCAL_SECONDS = 30.0  # the original design's criterion: local generation under 30 s
SEED_QUALITY_RATIO = 0.9  # ... and output quality within 10% of Claude


def quality(checks: dict[str, Any]) -> float:
    if not checks.get("extracted"):
        return 0.0
    earned = available = 0.0
    for name, weight in WEIGHTS.items():
        if name == "expect":
            total = checks.get("expect_total") or 0
            if total:
                available += weight
                earned += weight * (checks.get("expect_passed") or 0) / total
            continue
        value = checks.get(name)
        if value is None:
            continue
        available += weight
        earned += weight if value else 0.0
    return round(100.0 * earned / available, 1) if available else 0.0


@dataclass(frozen=True)
class ProviderSummary:
    provider: str
    model: str
    runs: int
    ok_rate: float
    pass_rates: dict[str, float | None]  # per check; None when it never ran
    expect_rate: float | None
    quality: float
    quality_seed: float | None
    ratio_to_best: float
    median_ttft_s: float | None
    median_total_s: float | None
    median_total_seed_s: float | None
    median_tokens_per_s: float | None
    cost_usd: float | None
    judge_score: float | None = None  # mean over the outputs the judge scored; None: none scored
    judged: int = 0  # how many of the runs it scored
    judge_cost_usd: float | None = None  # what judging this provider's outputs cost (not in cost_usd)


def summarise(rows: Sequence[dict[str, Any]]) -> list[ProviderSummary]:
    providers = list(dict.fromkeys(r["provider"] for r in rows))
    partial = []
    for provider in providers:
        mine = [r for r in rows if r["provider"] == provider]
        seed = [r for r in mine if r.get("seed")]
        rates = {}
        for check in CHECKS:
            values = [r["checks"].get(check) for r in mine if r["checks"].get(check) is not None]
            rates[check] = sum(1 for v in values if v) / len(values) if values else None
        expect_total = sum(r["checks"].get("expect_total") or 0 for r in mine)
        costs = [r["cost_usd"] for r in mine if r.get("cost_usd") is not None]
        scores = [r["judge_score"] for r in mine if r.get("judge_score") is not None]
        judge_costs = [r["judge"]["cost_usd"] for r in mine if (r.get("judge") or {}).get("cost_usd") is not None]
        partial.append(dict(
            provider=provider,
            model=next((r["model"] for r in mine if r.get("model")), ""),
            runs=len(mine),
            ok_rate=sum(1 for r in mine if r["ok"]) / len(mine),
            pass_rates=rates,
            expect_rate=sum(r["checks"].get("expect_passed") or 0 for r in mine) / expect_total if expect_total else None,
            quality=round(statistics.fmean(r["quality"] for r in mine), 1),
            quality_seed=round(statistics.fmean(r["quality"] for r in seed), 1) if seed else None,
            median_ttft_s=_median(r.get("ttft_s") for r in mine if _answered(r)),
            median_total_s=_median(r.get("total_s") for r in mine if _answered(r)),
            median_total_seed_s=_median(r.get("total_s") for r in seed if _answered(r)),
            median_tokens_per_s=_median(r.get("tokens_per_s") for r in mine if _answered(r)),
            cost_usd=round(sum(costs), 6) if costs else None,
            judge_score=round(statistics.fmean(scores), 1) if scores else None,
            judged=len(scores),
            judge_cost_usd=round(sum(judge_costs), 6) if judge_costs else None,
        ))
    best = max((p["quality"] for p in partial), default=0.0)
    return [ProviderSummary(**p, ratio_to_best=round(p["quality"] / best, 3) if best else 0.0) for p in partial]


def seed_criteria(summaries: Sequence[ProviderSummary]) -> list[dict[str, Any]]:
    """The original design's stage-2 criteria, measured on its five test prompts."""
    by_name = {s.provider: s for s in summaries}
    local, claude = by_name.get("local"), by_name.get("claude")
    speed = local.median_total_seed_s if local else None
    criteria = [{
        "criterion": "Local generation under 30 s (median, seed prompts)",
        "value": None if speed is None else f"{speed:.1f} s with {local.model}",
        "met": None if speed is None else speed < SEED_LOCAL_SECONDS,
    }]
    if local and claude and local.quality_seed is not None and claude.quality_seed:
        ratio = local.quality_seed / claude.quality_seed
        criteria.append({
            "criterion": "Local quality within 10% of Claude (seed prompts)",
            "value": f"{local.quality_seed:.1f} vs {claude.quality_seed:.1f} ({ratio:.0%})",
            "met": ratio >= SEED_QUALITY_RATIO,
        })
    else:
        missing = " and ".join(n for n, s in (("local", local), ("claude", claude)) if s is None) or "seed prompts"
        criteria.append({"criterion": "Local quality within 10% of Claude (seed prompts)",
                         "value": f"not measured ({missing} not in this run)", "met": None})
    return criteria


def write_report(out: Path, rows: Sequence[dict[str, Any]], meta: dict[str, Any]) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    summaries = summarise(rows)
    criteria = seed_criteria(summaries)
    paths = {"results": out / "results.json", "report": out / "report.md", "chart": out / "report.png"}
    paths["results"].write_text(json.dumps({"meta": meta, "rows": list(rows)}, indent=2) + "\n")
    paths["report"].write_text(markdown(summaries, criteria, rows, meta))
    chart(summaries, paths["chart"])
    return paths


def markdown(summaries: Sequence[ProviderSummary], criteria: Sequence[dict], rows: Sequence[dict], meta: dict) -> str:
    lines = [
        "# JFDI benchmark",
        "",
        f"{meta.get('prompts', '?')} prompts x {len(summaries)} providers x {meta.get('repeat', 1)} repeat(s); "
        f"command `{meta.get('command', '')}`; machine: {meta.get('machine', {}).get('cpu', '?')}, "
        f"{meta.get('machine', {}).get('when', '')}.",
        "",
    ]
    for note in meta.get("notes", []):
        lines.append(f"> {note}")
    lines += [
        "",
        "## Providers",
        "",
        "| provider | model | runs | ok | " + " | ".join(CHECKS) + " | expect | quality | vs best | median ttft | median total | tok/s | cost |",
        "|---|---|---|---|" + "---|" * len(CHECKS) + "---|---|---|---|---|---|---|",
    ]
    for s in summaries:
        cells = [s.provider, f"`{s.model}`", str(s.runs), _pct(s.ok_rate)]
        cells += [_pct(s.pass_rates[c]) for c in CHECKS]
        cells += [_pct(s.expect_rate), f"{s.quality:.1f}", f"{s.ratio_to_best:.0%}", _secs(s.median_ttft_s),
                  _secs(s.median_total_s), _num(s.median_tokens_per_s), "-" if s.cost_usd is None else f"${s.cost_usd:.4f}"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Quality: the weighted share of checks passed (" + ", ".join(f"{k} {v}" for k, v in WEIGHTS.items())
              + "), 0 for a run without code; checks that could not run are left out for every provider.", "",
              criteria_markdown(criteria)]
    judged = bool(meta.get("judge"))
    if judged:
        lines += ["", judge_markdown(summaries, rows, meta["judge"])]
    judge_column = ("judge | ", "---|") if judged else ("", "")
    lines += ["", "## Runs", "", f"| prompt | provider | ok | quality | expect | {judge_column[0]}total | error |",
              f"|---|---|---|---|---|{judge_column[1]}---|---|"]
    for r in rows:
        expect = f"{r['checks'].get('expect_passed', 0)}/{r['checks'].get('expect_total', 0)}"
        judge = f"{_score(r.get('judge_score'))} | " if judged else ""
        lines.append(f"| {r['prompt']} | {r['provider']} | {'yes' if r['ok'] else 'no'} | {r['quality']:.1f} | {expect} | {judge}"
                     f"{_secs(r.get('total_s'))} | {_cell(r.get('error') or '')} |")
    return "\n".join(lines) + "\n"


def judge_markdown(summaries: Sequence[ProviderSummary], rows: Sequence[dict], judge: dict) -> str:
    """The providers ranked by the judge's mean score beside the machine checks, the judge's own
    cost, and the screenshots of each provider's best and worst scored output (paths relative to
    the results folder, where report.md is)."""
    spent = [r.get("judge") or {} for r in rows]
    calls = sum(j.get("calls") or 0 for j in spent)
    tokens = [sum(j.get(key) or 0 for j in spent) for key in ("input_tokens", "output_tokens")]
    costs = [s.judge_cost_usd for s in summaries if s.judge_cost_usd is not None]
    unscored = [r for r in rows if r.get("judge_score") is None]
    ranked = sorted(summaries, key=lambda s: (s.judge_score is None, -(s.judge_score or 0)))
    lines = [
        "## Visual judge",
        "",
        f"Judge: {judge.get('provider')} (`{judge.get('model')}`), {calls} calls, {tokens[0]:,} input and "
        f"{tokens[1]:,} output tokens, cost "
        f"{'not known' if not costs else f'${sum(costs):.4f}'}: counted apart from the providers' cost above. "
        f"It scored three screenshots of each rendered output (after load, after 1 s, after the expect items) "
        f"against the prompt and a checklist; {len(unscored)} of {len(rows)} outputs got no score "
        "(no code, or no usable answer).",
        "",
        "| rank | provider | judge score | scored | renders | expect | quality | judge cost |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for rank, s in enumerate(ranked, start=1):
        cost = "-" if s.judge_cost_usd is None else f"${s.judge_cost_usd:.4f}"
        lines.append(f"| {rank} | {s.provider} | {_num(s.judge_score)} | {s.judged}/{s.runs} | "
                     f"{_pct(s.pass_rates.get('renders'))} | {_pct(s.expect_rate)} | {s.quality:.1f} | {cost} |")
    lines += ["", "### Best and worst output per provider"]
    for s in ranked:
        scored = [r for r in rows if r["provider"] == s.provider and r.get("judge_score") is not None]
        lines += ["", f"#### {s.provider}", ""]
        if not scored:
            lines.append("No output was scored.")
            continue
        best = max(scored, key=lambda r: r["judge_score"])
        worst = min(scored, key=lambda r: r["judge_score"])
        for label, r in (("Best", best), ("Worst", worst)) if worst is not best else (("Only", best),):
            notes = " ".join((r.get("judge_notes") or "").split())
            shots = enumerate(r.get("screenshots") or [], start=1)
            lines += [f"{label}: {r['prompt']} (run {r.get('repeat', 1)}), score {r['judge_score']}: {notes}", "",
                      " ".join(f"![{s.provider} {r['prompt']} {n}]({path})" for n, path in shots), ""]
    return "\n".join(lines).rstrip()


def criteria_markdown(criteria: Sequence[dict]) -> str:
    """The report's section on the original design's criteria (seed_criteria), heading included."""
    lines = ["## The original design's criteria", "", "| criterion | measured | met |", "|---|---|---|"]
    lines += [f"| {c['criterion']} | {c['value'] or 'not measured'} | {_met(c['met'])} |" for c in criteria]
    return "\n".join(lines)


def chart(summaries: Sequence[ProviderSummary], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [s.provider for s in summaries]
    judged = any(s.judge_score is not None for s in summaries)
    fig, axes = plt.subplots(1, 3 if judged else 2, figsize=(15 if judged else 10, 4))
    left, right = axes[0], axes[1]
    left.bar(names, [s.quality for s in summaries], color="#d97706")
    left.set_ylim(0, 100)
    left.set_title("Quality (0-100)")
    right.bar(names, [s.median_total_s or 0 for s in summaries], color="#475569")
    right.axhline(SEED_LOCAL_SECONDS, color="#dc2626", linestyle="--", linewidth=1, label="30 s (seed criterion)")
    right.set_title("Median total seconds")
    right.legend(loc="upper right", fontsize=8)
    if judged:
        scored = [s for s in summaries if s.judge_score is not None]  # a provider with no score gets no bar, not 0
        axes[2].bar([s.provider for s in scored], [s.judge_score for s in scored], color="#7c3aed")
        axes[2].set_ylim(0, 100)
        axes[2].set_title("Visual judge, mean score (0-100)")
    for axis in axes:
        axis.tick_params(axis="x", rotation=20)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _answered(row: dict[str, Any]) -> bool:
    """Timed runs: the provider finished an answer, with code in it or not."""
    return row.get("answered", row["ok"])


def _median(values) -> float | None:
    found = [v for v in values if v is not None]
    return round(statistics.median(found), 3) if found else None


def _score(value: int | None) -> str:
    return "no score" if value is None else str(value)


def _cell(text: str) -> str:
    """Text that stays inside one markdown table cell or line."""
    return " ".join(text.replace("|", "/").split())[:80]


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _secs(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _met(value: bool | None) -> str:
    return "not measured" if value is None else ("✅ met" if value else "❌ not met")
