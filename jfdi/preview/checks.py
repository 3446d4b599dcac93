"""Checks before the preview, for a whole project at once: its imports (each one a file of the
project or a library of the set, jfdi/preview/libraries.py), syntax (file, line and column) and a
TypeScript type-check against React's and the libraries' types.

`check(files)` answers from a long-lived Node process (checker/worker.cjs) that keeps
TypeScript's language service warm, so a check costs a fraction of a second after the first.
Without Node nothing is checked and the result says why; without `npm ci` in checker/, syntax
is checked with the preview's own sucrase and the type-check says it is unavailable, while
TypeScript installs in the background (never on a path the UI waits for)."""

from __future__ import annotations

import atexit
import json
import logging
import os
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..project import ProjectError, check_files, code_files, imports, is_relative, resolve
from .libraries import library_set

log = logging.getLogger(__name__)

CHECKER_DIR = Path(__file__).resolve().parent / "checker"
START_TIMEOUT_S = 30.0
NICENESS = 10


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    message: str
    file: str = ""
    code: str = ""  # TypeScript's error code, e.g. TS2322

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}" if self.column else f"line {self.line}" if self.line else "no position"
        named = f"{self.file}, " if self.file else ""
        return f"{named}{where}: {self.message}" + (f" ({self.code})" if self.code else "")


@dataclass(frozen=True)
class CheckResult:
    syntax_ok: bool | None  # None: not checked (no Node)
    syntax_errors: tuple[Problem, ...] = ()
    typecheck_ok: bool | None = None  # None: not checked (no TypeScript, or the syntax failed)
    type_errors: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()  # why a check did not run
    tools: str = ""
    seconds: float = 0.0
    # Imports of neither a project file nor a library of the set, each saying what to use instead.
    import_errors: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool | None:
        """False when a check failed, True when all passed, None when one could not run."""
        if self.syntax_ok is False or self.typecheck_ok is False or self.import_errors:
            return False
        if self.syntax_ok and self.typecheck_ok:
            return True
        return None

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.import_errors + self.syntax_errors + self.type_errors

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data


class CheckerUnavailable(Exception):
    pass


@dataclass
class Checker:
    """One Node worker, started on first use and restarted if it dies or hangs."""

    node: str | None = field(default_factory=lambda: shutil.which("node"))
    npm: str | None = field(default_factory=lambda: shutil.which("npm"))
    directory: Path = CHECKER_DIR
    timeout_s: float = 30.0
    install: bool = True  # run `npm ci` in the background when TypeScript is missing

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._hello: dict[str, Any] = {}
        self._next_id = 0
        self._installing: threading.Thread | None = None
        self._install_error = ""

    # -- public ---------------------------------------------------------------------------
    def check(self, files: Mapping[str, str], *, syntax_only: bool = False) -> CheckResult:
        """`syntax_only`: parse without the type-check (typecheck_ok stays None), which is what a
        follow-up's edits must pass before they become the new version."""
        started = time.monotonic()
        sources = {path: code for path, code in files.items() if path.startswith("src/") and code.strip()}
        if not sources:
            return CheckResult(syntax_ok=None, notes=("nothing to check: the code is empty",))
        try:
            check_files(files)
        except ProjectError as exc:
            return CheckResult(syntax_ok=None, notes=(f"not checked: {exc}",))
        unresolved = _unresolved_imports(sources)
        unknown = tuple(problem for _, problem in unresolved)
        if not self.node:
            notes = ("checks unavailable: Node.js is not installed (install node 20 or newer)",)
            return CheckResult(syntax_ok=None, notes=notes, import_errors=unknown)
        with self._lock:
            try:
                answer = self._ask([{"path": path, "code": code} for path, code in sources.items()], syntax_only)
            except CheckerUnavailable as exc:
                return CheckResult(syntax_ok=None, notes=(str(exc),), import_errors=unknown)
        if "error" in answer:
            log.error("the checker failed: %s", answer["error"])
            notes = ("the checker failed on this code; see the app's log",)
            return CheckResult(syntax_ok=None, notes=notes, import_errors=unknown)
        notes = tuple(answer.get("notes") or ())
        if answer.get("typecheck_ok") is None and not self._hello.get("typescript") and not syntax_only:
            notes = (self._install_note(),)
        # TypeScript's "cannot find module" says less than the import check already did.
        reported = {specifier for specifier, _ in unresolved}
        type_errors = tuple(
            Problem(**p) for p in answer["type_errors"]
            if not (p["code"] == "TS2307" and any(f"'{name}'" in p["message"] for name in reported))
        )
        typecheck_ok = answer["typecheck_ok"] if answer["typecheck_ok"] is None else not type_errors
        return CheckResult(
            syntax_ok=answer["syntax_ok"],
            syntax_errors=tuple(Problem(**p) for p in answer["syntax_errors"]),
            typecheck_ok=typecheck_ok,
            type_errors=type_errors,
            notes=notes,
            tools=answer.get("tools", ""),
            seconds=round(time.monotonic() - started, 3),
            import_errors=unknown,
        )

    def warm_up(self) -> None:
        """Start the worker (and the install, if needed) and parse React's types, in the background."""
        if self.node:
            warm = {"src/App.tsx": "export default function App() { return null; }"}
            threading.Thread(target=self.check, args=(warm,), daemon=True).start()

    def close(self) -> None:
        with self._lock:
            self._stop()

    # -- the worker ---------------------------------------------------------------------------
    def _ask(self, files: list[dict], syntax_only: bool = False) -> dict[str, Any]:
        if self._process is None or self._process.poll() is not None or self._stale():
            self._start()
        self._next_id += 1
        request = json.dumps({"id": self._next_id, "files": files, "syntax_only": syntax_only}) + "\n"
        try:
            self._process.stdin.write(request)
            self._process.stdin.flush()
        except OSError:
            self._stop()
            raise CheckerUnavailable("checks unavailable: the checker stopped; it restarts on the next check") from None
        deadline = time.monotonic() + self.timeout_s
        while True:
            line = self._read(deadline)
            answer = json.loads(line)
            if answer.get("id") == self._next_id:
                return answer

    def _stale(self) -> bool:
        # Started before TypeScript was installed: restart to pick it up.
        return not self._hello.get("typescript") and self._typescript_installed()

    def _start(self) -> None:
        self._stop()
        if not self._typescript_installed():
            self._start_install()
        self._lines = queue.Queue()
        self._process = subprocess.Popen(
            [self.node, str(self.directory / "worker.cjs")],
            cwd=self.directory, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", bufsize=1,
        )
        if hasattr(os, "setpriority"):
            # A check is background work: the app and the browser rendering the preview come first.
            os.setpriority(os.PRIO_PROCESS, self._process.pid, NICENESS)
        threading.Thread(target=self._pump, args=(self._process, self._lines), daemon=True).start()
        self._hello = json.loads(self._read(time.monotonic() + START_TIMEOUT_S))

    @staticmethod
    def _pump(process: subprocess.Popen, lines: "queue.Queue[str | None]") -> None:
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    def _read(self, deadline: float) -> str:
        try:
            line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            self._stop()
            message = f"checks unavailable: the checker took longer than {self.timeout_s:.0f} s and was restarted"
            raise CheckerUnavailable(message) from None
        if line is None:
            self._stop()
            raise CheckerUnavailable("checks unavailable: the checker exited; it restarts on the next check")
        return line

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None

    # -- installing TypeScript ---------------------------------------------------------------
    def _typescript_installed(self) -> bool:
        return (self.directory / "node_modules" / "typescript" / "package.json").is_file()

    def _start_install(self) -> None:
        if not (self.install and self.npm) or self._installing is not None:
            return
        self._installing = threading.Thread(target=self._run_install, daemon=True, name="jfdi-npm-ci")
        self._installing.start()

    def _run_install(self) -> None:
        command = [self.npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"]
        try:
            done = subprocess.run(command, cwd=self.directory, capture_output=True, text=True, timeout=600)
            if done.returncode:
                lines = (done.stderr or done.stdout).strip().splitlines()
                self._install_error = lines[-1] if lines else f"exit status {done.returncode}"
        except (OSError, subprocess.TimeoutExpired) as exc:
            self._install_error = str(exc)

    def _install_note(self) -> str:
        where = f"npm ci in {self.directory}"
        if self._install_error:
            return f"type-check unavailable: {where} failed ({self._install_error}); run it by hand"
        if self._installing is not None and self._installing.is_alive():
            return f"type-check unavailable until TypeScript is installed ({where} is running)"
        return f"type-check unavailable: run {where}"


_default: Checker | None = None
_default_lock = threading.Lock()


def default_checker() -> Checker:
    global _default
    with _default_lock:
        if _default is None:
            _default = Checker()
            atexit.register(_default.close)
        return _default


def check(files: Mapping[str, str]) -> CheckResult:
    """Imports, syntax and types of a project (see CheckResult); never raises for bad code."""
    return default_checker().check(files)


def _unresolved_imports(files: Mapping[str, str]) -> list[tuple[str, Problem]]:
    """(specifier, problem) for each import that is neither a file of the project nor a library
    of the set; the problem says what to use instead. Data modules import nothing: their
    megabytes of rows are not searched."""
    libraries = library_set()
    found = []
    for path, code in code_files(files).items():
        for specifier, line in imports(code):
            if specifier.endswith(".css"):
                continue  # Tailwind styles the preview; a stylesheet the answer left out changes nothing
            if is_relative(specifier):
                if resolve(specifier, path, files) is None:
                    found.append((specifier, Problem(line, 0, f'"{specifier}": no file of the project has that path', file=path)))
            elif not libraries.provides(specifier):
                found.append((specifier, Problem(line, 0, libraries.unavailable(specifier), file=path)))
    return found
