"""The request that asks a model to fix the code: what the checks and the preview found, with
line numbers, in words a model acts on."""

from __future__ import annotations

from typing import Sequence

from .checks import CheckResult
from .libraries import library_set

# Runtime reports worth fixing; notices (sample props, placeholder icons) and console warnings
# are not problems. Accessibility findings ("a11y") have their own section.
FIXABLE = ("syntax", "import", "runtime", "render", "uncaught", "unhandled-rejection", "console", "blocked", "timeout", "blank")
MAX_LISTED = 12


def runtime_problems(reports: Sequence[dict]) -> list[dict]:
    seen, problems = set(), []
    for report in reports:
        key = (report.get("kind"), report.get("message"), report.get("line"))
        if report.get("kind") in FIXABLE and key not in seen:
            seen.add(key)
            problems.append(report)
    return problems


def accessibility_problems(reports: Sequence[dict]) -> list[dict]:
    """The serious and critical accessibility findings of a render, one per rule."""
    found = {}
    for report in reports:
        if report.get("kind") == "a11y":
            found.setdefault(report.get("rule"), report)
    return list(found.values())


def describe_accessibility(report: dict) -> str:
    """A finding as a model or a person acts on it: the rule, the fix hint, the element."""
    count = report.get("count") or 1
    where = f"{count} elements, the first: {report.get('target')}" if count > 1 else report.get("target")
    return f"{report.get('rule')} ({report.get('impact')}): {report.get('help')}; {where}: {report.get('html')}"


def _describe(report: dict) -> str:
    named = f"{report['file']}, " if report.get("file") else ""
    where = f" ({named}line {report['line']})" if report.get("line") else ""
    return f"{report.get('kind')}: {report.get('message')}{where}"


def fix_prompt(result: CheckResult | None, reports: Sequence[dict] = ()) -> str | None:
    """The prompt for a fix, or None when there is nothing to fix."""
    sections = []
    if result is not None and result.import_errors:
        sections.append(("Imports that are not available", [str(p) for p in result.import_errors]))
    if result is not None and result.syntax_errors:
        sections.append(("Syntax errors", [str(p) for p in result.syntax_errors]))
    if result is not None and result.type_errors:
        sections.append(("TypeScript errors (strict mode, React 18 types)", [str(p) for p in result.type_errors]))
    runtime = runtime_problems(reports)
    if runtime:
        sections.append(("Errors in the live preview (React 18 in the browser, no network)", [_describe(r) for r in runtime]))
    access = accessibility_problems(reports)
    if access:
        title = "Accessibility problems (serious and critical, WCAG 2.2 AA)"
        sections.append((title, [describe_accessibility(r) for r in access]))
    if not sections:
        return None
    lines = ["Fix the current code: it has these problems."]
    for title, items in sections:
        lines.append(f"\n{title}:")
        lines.extend(f"- {item}" for item in items[:MAX_LISTED])
        if len(items) > MAX_LISTED:
            lines.append(f"- and {len(items) - MAX_LISTED} more")
    lines.append(
        "\nChange only what the fix needs, keep the design and the behaviour, and import only the project's "
        f"own files and {library_set().import_names()}."
    )
    return "\n".join(lines)
