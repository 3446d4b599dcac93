"""What the preview's events do, as plain functions and generators (no Gradio here).

Each version of the project put in the preview gets a token. What is known about a version (its
compile checks, and the runtime errors its frame reports) is kept here, per token, rather than
in a gr.State: the check and the frame's reports arrive on concurrent events, and a state copy
returned by one would overwrite the other's. When the version's files are those of a logged
generation, its findings are stored with that generation. A project that cannot be previewed
(too many files, one too large) is not sent to the frame or the checker: the details say why.
The project zip is built when asked for (`project_file`), not for every version shown."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

from ..preview import CheckResult, check, component_message
from ..preview.fix import accessibility_problems, describe_accessibility, fix_prompt, runtime_problems
from ..preview.srcdoc import refused_message
from ..project import Files, ProjectError, check_files, entry_of, import_cycles
from .downloads import Downloads
from .handlers import ChatState, Handlers, View

KEEP_VERSIONS = 500  # per app process; a version no browser shows any more is forgotten
MAX_REPORTS = 30  # per version: a component that logs on every render must not fill the log
MAX_SHOWN = 5  # problems listed beside the preview
# What the frame finds after each render (what is visible, accessibility): a few per render,
# kept even when errors have used up MAX_REPORTS.
FINDINGS = ("seen", "blank", "a11y", "audited")
MAX_FINDINGS = 40


@dataclass
class Version:
    token: str
    files: Files
    generation_id: str | None
    checks: CheckResult | None = None
    runtime: list[dict] = field(default_factory=list)
    refused: str = ""  # why the project cannot be previewed at all
    message: dict = field(default_factory=dict)  # what the frame was sent (component_message)
    # Why the code is not whole (its answer was still cut off at the token limit): whatever the
    # checks find, the version never passes.
    incomplete: str = ""

    @property
    def has_code(self) -> bool:
        return any(text.strip() for text in self.files.values())

    def has_problems(self) -> bool:
        return bool((self.checks and self.checks.ok is False) or runtime_problems(self.runtime) or self.accessibility)

    @property
    def blank(self) -> bool:
        return any(r["kind"] == "blank" for r in self.runtime)

    @property
    def errors(self) -> list[dict]:
        """The preview's problems other than a blank render."""
        return [r for r in runtime_problems(self.runtime) if r["kind"] != "blank"]

    @property
    def seen(self) -> dict | None:
        """What the frame measured on screen after the render; None until it did."""
        return next((r for r in self.runtime if r["kind"] == "seen"), None)

    @property
    def audit(self) -> dict | None:
        """The accessibility check's closing report; None until it ran."""
        return next((r for r in self.runtime if r["kind"] == "audited"), None)

    @property
    def accessibility(self) -> list[dict]:
        return accessibility_problems(self.runtime)

    def record(self) -> dict:
        """What is stored with the generation."""
        data = self.checks.to_dict() if self.checks else {"ok": None}
        data["runtime_errors"] = runtime_problems(self.runtime)
        if self.incomplete:
            data.update(ok=False, incomplete=self.incomplete)
        checked = self.audit is not None and not self.audit.get("failed")
        data["accessibility"] = self.accessibility if checked else None  # None: not checked
        data["seen"] = self.seen
        return data


@dataclass(frozen=True)
class PreviewView:
    component: dict | None  # the frame's new value; None: leave the frame as it is
    summary: str  # one line under the code panel
    details: str  # markdown beside the preview
    can_fix: bool
    token: str | None
    can_download: bool = False  # the version has code to export as a project


class PreviewHandlers:
    def __init__(self, handlers: Handlers, *, downloads: Downloads, checker: Callable[[Files], CheckResult] = check):
        self.handlers = handlers
        self.services = handlers.services
        self.settings = handlers.engine.settings
        self.downloads = downloads
        self.checker = checker
        self._versions: OrderedDict[str, Version] = OrderedDict()
        self._lock = threading.Lock()

    # -- showing a version ------------------------------------------------------------------
    def show(self, files: Files, state: ChatState, token: str | None = None) -> PreviewView:
        """Put the project in the preview; the checks follow in `checks`. The version already
        there is sent again as it was, never skipped: Gradio leaves a frame that was skipped
        before its tab was first opened without its props, and host.js keeps a frame whose token
        it already shows."""
        current = self._get(token)
        if current is not None and current.files == files:
            if current.generation_id is None and not current.refused:  # an edit on show, just saved as a version
                with self._lock:
                    current.generation_id = self.services.generation_with_files(state.generation_id, files)
                    self._save(current)
            return self._view(current, component=current.message)
        try:
            check_files(files)
        except ProjectError as exc:
            message = refused_message(str(exc))
            version = Version(message["token"], dict(files), None, refused=str(exc), message=message)
        else:
            message = component_message(files, target_px=self.settings.touch_target_px)
            generation_id = self.services.generation_with_files(state.generation_id, files)
            version = Version(message["token"], dict(files), generation_id, message=message,
                              incomplete=self.services.cut_off(generation_id))
        with self._lock:
            self._versions[version.token] = version
            while len(self._versions) > KEEP_VERSIONS:
                self._versions.popitem(last=False)
        return self._view(version, component=message)

    def checks(self, token: str | None) -> PreviewView | None:
        """Run the syntax and type checks for the version on show and store them."""
        version = self._get(token)
        if version is None:
            return None
        if version.checks is not None or version.refused:
            return self._view(version, component=None)
        result = self.checker(version.files) if version.has_code else None
        with self._lock:
            version.checks = result
            self._save(version)
        return self._view(version, component=None)

    def report(self, token: str | None, reports: Sequence[dict]) -> PreviewView | None:
        """Reports from the version's frame (runtime errors and notices); others are ignored."""
        version = self._get(token)
        if version is None:
            return None
        with self._lock:
            for report in reports:
                if not (isinstance(report, dict) and isinstance(report.get("kind"), str)):
                    continue
                finding = report["kind"] in FINDINGS
                kept = sum(1 for r in version.runtime if (r["kind"] in FINDINGS) == finding)
                if kept < (MAX_FINDINGS if finding else MAX_REPORTS):
                    version.runtime.append(_clean(report))
            self._save(version)
        return self._view(version, component=None)

    def project_file(self, token: str | None) -> str | None:
        """The version on show as a Vite project zip, written now; None when there is none.
        ProjectError when the project cannot be exported (it says why)."""
        version = self._get(token)
        path = self.downloads.project(version.files) if version else None
        return str(path) if path else None

    # -- fixing -----------------------------------------------------------------------------
    def fix(self, token: str | None, files: Files, provider: str, state: ChatState, session: str) -> Iterator[View]:
        """Send the version's files with their problems back through the router; the fixed project
        replaces it, and the new generation's parent is the one it fixes."""
        version = self._get(token)
        prompt = fix_prompt(version.checks, version.runtime) if version else None
        if version is None or prompt is None:
            status = "✅ Nothing to fix: the checks and the preview found no problems."
            yield View(self.handlers.chat(state), files, status, state)
            return
        yield from self.handlers.generate(prompt, provider, state, version.files, session, kind="fix")

    def autofix(self, token: str | None, provider: str, state: ChatState, session: str) -> Iterator[View]:
        """After a failed compile check: up to Settings.autofix rounds of fixing, each checked
        again (and stored with its generation) before the next."""
        version = self._get(token)
        if version is None:
            return
        files, result, runtime = version.files, version.checks, version.runtime
        for _ in range(self.settings.autofix):
            prompt = fix_prompt(result, runtime) if result is not None and result.ok is False else None
            if prompt is None:
                return
            last = None
            for last in self.handlers.generate(prompt, provider, state, files, session, kind="fix"):
                yield last
            if last is None or last.state.generation_id == state.generation_id:
                return  # no new generation: the status line says why
            state, files, runtime = last.state, last.files, []
            result = self.checker(files)
            generation_id = self.services.generation_with_files(state.generation_id, files)
            self._save(Version("", files, generation_id, checks=result, incomplete=self.services.cut_off(generation_id)))

    # -- helpers ------------------------------------------------------------------------------
    def _get(self, token: str | None) -> Version | None:
        with self._lock:
            return self._versions.get(token) if token else None

    def _save(self, version: Version) -> None:
        if version.generation_id:
            self.services.record_checks(version.generation_id, version.record())

    def _view(self, version: Version, component: dict | None) -> PreviewView:
        return PreviewView(
            component=component,
            summary=summary_line(version),
            details=details_markdown(version),
            can_fix=version.has_problems(),
            token=version.token,
            can_download=version.has_code and not version.refused,
        )


def summary_line(version: Version) -> str:
    if not version.has_code:
        return ""
    if version.refused:
        return "**Checks** ❌ not previewed — see the Preview tab"
    checks = version.checks
    parts = ["⚠️ incomplete: cut off at the token limit"] if version.incomplete else []
    if checks is None:
        parts.append("⏳ checking…")
    else:
        if checks.import_errors:
            parts.append(f"❌ imports ({len(checks.import_errors)})")
        kinds = (("syntax", checks.syntax_ok, checks.syntax_errors), ("types", checks.typecheck_ok, checks.type_errors))
        for name, ok, problems in kinds:
            if not (version.incomplete and ok):  # code that is not whole passes nothing, even where it parses
                parts.append(_mark(name, ok, len(problems)))
    errors = version.errors
    if version.blank:
        parts.append("❌ nothing visible")
    if errors:
        parts.append(f"❌ preview: {len(errors)} error{'s' if len(errors) > 1 else ''}")
    audit = version.audit
    if audit is not None:
        serious = len(version.accessibility)
        if audit.get("failed"):
            parts.append("➖ ♿ not checked")
        elif serious:
            parts.append(f"♿ {serious} serious")
        elif not version.incomplete:  # code that is not whole passes nothing
            parts.append("♿ ✅")
    line = "**Checks** " + " · ".join(parts)
    return line + (" — see the Preview tab, or press Fix" if version.has_problems() else "")


def details_markdown(version: Version) -> str:
    if not version.has_code:
        return ""
    if version.refused:
        return f"❌ Not previewed: {_md(version.refused)}"
    entry = entry_of(version.files)
    lines = [f"⚠️ **Incomplete**: {version.incomplete}"] if version.incomplete else []
    lines += [f"ℹ️ {_md(entry.explain())}"] if entry.ambiguous else []
    # Legal in JavaScript, but a value used while the files load may then be undefined.
    lines += [f"ℹ️ Import cycle: {_md(' → '.join(cycle))}" for cycle in import_cycles(version.files)]
    checks = version.checks
    if checks is not None:
        kinds = (("Imports", not checks.import_errors, checks.import_errors), ("Syntax", checks.syntax_ok, checks.syntax_errors),
                 ("Types", checks.typecheck_ok, checks.type_errors))
        for title, ok, problems in kinds:
            if ok is False:
                lines += _section(f"❌ {title}", [f"{_where(p.file, p.line, p.column)}{_md(p.message)}" for p in problems])
        lines += [f"ℹ️ {note}" for note in checks.notes]
        if checks.ok and not version.incomplete:
            lines.append(f"✅ Syntax and types pass ({checks.tools}, {checks.seconds:.2f} s)")
    if version.blank:
        lines.append("**❌ Nothing visible**: the component rendered no text or element a person can see (it returned "
                     "null, has no size, is hidden, or its text is the colour of its background).")
    if version.errors:
        items = [f"{_where(r.get('file'), r.get('line'), r.get('column'))}{r['kind']}: {_md(r['message'])}" for r in version.errors]
        lines += _section("❌ In the preview", items)
    if version.seen is not None and not version.blank:
        lines.append(f"ℹ️ On screen: {_md(version.seen['message'])}")
    lines += _accessibility(version)
    lines += [f"ℹ️ {_md(r['message'])}" for r in version.runtime if r.get("kind") == "notice"][:MAX_SHOWN]
    warnings = [f"`console.warn`: {_md(r['message'])}" for r in version.runtime if r.get("kind") == "warning"]
    lines += [f"ℹ️ {w}" for w in warnings[:MAX_SHOWN]]
    return "\n\n".join(lines)


def _accessibility(version: Version) -> list[str]:
    audit = version.audit
    if audit is None:
        return []
    if audit.get("failed"):
        return [f"ℹ️ Accessibility not checked: {_md(audit['message'])}"]
    problems = version.accessibility
    if not problems:  # code that is not whole passes nothing: what arrived is only described
        mark = "ℹ️" if version.incomplete else "✅"
        return [f"{mark} Accessibility: no serious or critical problems ({audit.get('tool', '')})"]
    return _section(f"❌ Accessibility ({audit.get('tool', '')})", [_md(describe_accessibility(r)) for r in problems])


def _section(title: str, items: list[str]) -> list[str]:
    more = [f"- … and {len(items) - MAX_SHOWN} more"] if len(items) > MAX_SHOWN else []
    return [f"**{title}**", "\n".join([f"- {item}" for item in items[:MAX_SHOWN]] + more)]


def _where(file: str | None, line: int | None, column: int | None = None) -> str:
    if not line:
        return ""
    named = f"{file} " if file else ""
    return f"{named}line {line}{f', column {column}' if column else ''}: "


def _mark(name: str, ok: bool | None, count: int) -> str:
    if ok is None:
        return f"➖ {name} not checked"
    return f"✅ {name}" if ok else f"❌ {name} ({count})"


def _md(text: str) -> str:
    # Messages come from generated code: shown as code, never as markup or links.
    return "`" + " ".join(text.replace("`", "'").split()) + "`"


def _clean(report: dict) -> dict:
    keep = {"kind": str(report["kind"])[:40], "message": str(report.get("message", ""))[:2000]}
    for key in ("file", "stack", "rule", "impact", "help", "target", "html", "tool"):
        if isinstance(report.get(key), str):
            keep[key] = report[key][:2000]
    for key in ("line", "column", "count", "text", "elements", "width", "height", "violations"):
        if isinstance(report.get(key), int) and not isinstance(report.get(key), bool):
            keep[key] = report[key]
    if report.get("failed") is True:
        keep["failed"] = True
    return keep


