"""The CLI: `python -m jfdi generate | status | history | parse | share | sync`.

stdout carries only the result (the code, or JSON), so `python -m jfdi generate "..." > Form.tsx`
works; progress and errors go to stderr. Exit codes: 0 done, 1 no provider produced code (or
only an unusable answer: one still cut off at the token limit), 2 bad input or settings,
130 interrupted, 141 the reader of stdout stopped early."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Sequence, TextIO

from .config import DOC_ENGINES, load_settings
from .errors import BadInput, ConfigError, JFDIError
from .providers import PROVIDERS

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_READER_GONE = 141  # 128 + SIGPIPE, as the shell reports a program that `| head` stopped


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m jfdi", description="JFDI: manufacturing apps from plain language.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    gen = commands.add_parser("generate", help="generate code for a prompt; the code goes to stdout")
    gen.add_argument("prompt", help='what to build, e.g. "Build an inventory reorder form with validation"')
    gen.add_argument("--provider", default="auto", type=str.lower, choices=PROVIDERS.choices(), help="default: auto")
    gen.add_argument("--workspace", help="tag for the generation log (default: the parent's workspace, else default)")
    gen.add_argument("--parent", metavar="ID",
                     help="a follow-up to generation ID (`history --json` lists ids): its code is the code to change")
    gen.add_argument(
        "--doc", action="append", default=[], metavar="FILE", help="a document to use as the spec (repeatable)"
    )
    gen.add_argument("--out", metavar="DIR", type=Path,
                     help="write every file of the result under DIR at its project path (stdout keeps the main file)")
    gen.add_argument(
        "--image", action="append", default=[], metavar="FILE",
        help="a photo of a form or a screenshot to build from: PNG, JPEG, WebP or HEIC (repeatable)",
    )

    status = commands.add_parser("status", help="one row per provider")
    status.add_argument("--json", action="store_true")

    history = commands.add_parser("history", help="recent generations, newest first")
    history.add_argument("--limit", type=_positive_int, default=20)
    history.add_argument("--workspace")
    history.add_argument("--json", action="store_true")
    history.add_argument("--versions", metavar="ID",
                         help="the version timeline of ID's conversation, oldest first, instead of the recent generations")

    parse = commands.add_parser("parse", help="a document (pdf, image, xlsx, csv, tsv, docx, txt, md) as markdown on stdout")
    parse.add_argument("file")
    parse.add_argument("--engine", type=str.lower, choices=DOC_ENGINES, help="default: JFDI_DOC_ENGINE or auto")
    parse.add_argument("--schema", action="store_true", help="print its tables' datasets (typed columns) as JSON instead")
    share = commands.add_parser("share", help="a read-only link to a generation; prints its path, /share/<token>")
    which = share.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", help="the generation to share (its id, as `history --json` shows it)")
    which.add_argument("--list", action="store_true", help="every link, newest first, revoked ones included")
    which.add_argument("--revoke", metavar="TOKEN", help="refuse a link from now on (its token, or the whole link)")
    share.add_argument("--public", action="store_true",
                       help="with JFDI_AUTH set: anyone with the link can open it, without the login")
    commands.add_parser("sync", help="push the generations waiting on this machine to Convex; prints pushed=N pending=M")
    return parser


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        return COMMANDS[args.command](args, settings, stdout, stderr)
    except (BadInput, ConfigError) as exc:
        print(f"error: {exc}", file=stderr)
        return EXIT_BAD_INPUT
    except JFDIError as exc:
        print(f"error: {exc}", file=stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:  # Ctrl-C before an answer streams (reading a document, starting up)
        print("interrupted", file=stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `... | head`: the reader has what it wanted; the generation is logged
        if stdout is sys.stdout:  # else Python's final flush of stdout fails again, with a traceback
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_READER_GONE


def cmd_generate(args, settings, stdout: TextIO, stderr: TextIO) -> int:
    from .engine import Engine
    from .generation import AttemptEnded, AttemptStarted, ContinuingAfterLimit, Notice, Replace, TextDelta
    from .images import load_images

    progress = _Progress(stderr)
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise BadInput(f"--out {args.out} is not a folder")
    prompt = _argument_text(args.prompt, progress)
    images = load_images(args.image, max_upload_mb=settings.max_upload_mb)
    documents = [_parse_document(path, None, settings, progress) for path in args.doc]
    engine = Engine(settings)
    try:
        options = dict(provider=args.provider, references=[d.as_reference() for d in documents],
                       documents=[d.metadata() for d in documents], images=images)
        if args.workspace is not None:
            options["workspace"] = engine.team.workspace_named(args.workspace)
        if args.parent is not None:
            run = engine.follow_up(prompt, args.parent, **options)
        else:
            run = engine.generate(prompt, **options)
        events = iter(run)
        announced = False  # the attempt that continues after the token limit was just announced
        try:
            for event in events:
                if isinstance(event, ContinuingAfterLimit):
                    progress.line(f"{event.label} hit the token limit; continuing the answer ({event.round} of {event.rounds})")
                    announced = True
                elif isinstance(event, AttemptStarted):
                    if not announced:
                        verb = "continuing on" if event.continuing else "asking"
                        progress.line(f"{verb} {event.label} ({event.model})")
                    announced = False
                elif isinstance(event, AttemptEnded):
                    announced = False  # it ended before it started (the request did not fit): say the next
                elif isinstance(event, Notice) and event.transient:
                    progress.notice(event.message)
                elif isinstance(event, Notice):
                    progress.line(event.message)
                    progress.notices_shown += 1
                elif isinstance(event, (TextDelta, Replace)):
                    progress.tick(len(event.text), replace=isinstance(event, Replace))
        except KeyboardInterrupt:
            run.cancel.set()
            for _ in events:  # the router stops the provider; the partial answer is logged
                pass
            progress.line("stopped; the partial answer is in the history")
            progress.line(run.generation.summary())
            return EXIT_INTERRUPTED
    finally:
        engine.close()
    gen = run.generation
    for message in gen.notices[progress.notices_shown:]:  # what the answer's files left out, and why
        progress.line(message)
    if gen.status == "ok":
        if args.out is not None:
            _write_files(gen.files, args.out, progress)
        stdout.write(gen.code.rstrip("\n") + "\n")
        stdout.flush()
        if gen.continues:
            progress.line(f"continued {gen.continues}× after the token limit")
        progress.line(gen.summary())
        return EXIT_OK
    progress.line(f"error: {gen.error}")
    if gen.incomplete:
        progress.line(f"the cut-off answer is kept in the history: python -m jfdi history --json (id {gen.id})")
    progress.line(gen.summary())
    return EXIT_FAILED


def _argument_text(value: str, progress: "_Progress") -> str:
    """Python keeps the bytes of an argument that are not UTF-8 as lone surrogates; a terminal or a
    script in Windows-1252 sends such bytes ("Caf\xe9"). Read them as that, and say so."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        pass
    try:
        text = os.fsencode(value).decode("cp1252")
    except UnicodeDecodeError:
        return value  # the engine refuses it as bad input
    progress.line("warning: the prompt is not UTF-8: it was read as Windows-1252 (cp1252); "
                  "set the terminal to UTF-8 if letters look wrong")
    return text


def _write_files(files: dict[str, str], folder: Path, progress: "_Progress") -> None:
    from .project import write_tree

    try:
        written = write_tree(files, folder)
    except OSError as exc:
        raise BadInput(f"cannot write the files under {folder}: {exc.strerror or exc}") from None
    for path in written:
        progress.line(f"wrote {path}")


def cmd_status(args, settings, stdout: TextIO, stderr: TextIO) -> int:
    from .engine import Engine

    engine = Engine(settings)
    try:
        statuses = engine.statuses(probe=True)
    finally:
        engine.close()
    rows = [
        {k: s.as_dict()[k] for k in ("name", "configured", "available", "model", "state", "detail", "vision")}
        for s in statuses
    ]
    if args.json:
        json.dump(rows, stdout, indent=2)
        stdout.write("\n")
        return EXIT_OK
    _table(
        stdout,
        ["name", "configured", "available", "images", "model", "detail"],
        [[r["name"], _yes(r["configured"]), _yes(r["available"]), "sees" if r["vision"] else "as text", r["model"],
          r["detail"] or r["state"]] for r in rows],
    )
    return EXIT_OK


@contextmanager
def _team(settings):
    """The log on this machine and, with CONVEX_URL, the team's: for the commands that only read
    or sync it (no providers are built)."""
    from .store import Store
    from .store.team import Team

    store = Store(settings.db_path)
    team = Team.from_settings(settings, store)
    try:
        yield team
    finally:
        team.close()
        store.close()


def cmd_history(args, settings, stdout: TextIO, stderr: TextIO) -> int:
    from .generation import shown_status

    if args.versions is not None:
        return _versions(args, settings, stdout)
    with _team(settings) as team:
        history = team.history(limit=args.limit, workspace=args.workspace)
    records = history.rows
    if history.notice and settings.convex_url:
        print(history.notice, file=stderr)
    if args.json:
        json.dump(records, stdout, indent=2)
        stdout.write("\n")
        return EXIT_OK
    if not records:
        print("no generations yet", file=stderr)
        return EXIT_OK
    _table(
        stdout,
        ["created_at", "status", "provider", "workspace", "prompt"],
        [[r["created_at"], shown_status(r), r["provider"] or "-", r["workspace"], _clip(r["prompt"], 60)] for r in records],
    )
    return EXIT_OK


def _versions(args, settings, stdout: TextIO) -> int:
    from .versions import checks_word, load_timeline

    with _team(settings) as team:
        timeline = load_timeline(team, args.versions)
    if args.json:
        json.dump(list(timeline.versions), stdout, indent=2)
        stdout.write("\n")
        return EXIT_OK
    _table(
        stdout,
        ["#", "id", "created_at", "kind", "parent", "status", "provider", "checks", "prompt"],
        [[str(n), v["id"], v["created_at"], v["kind"], _parent_number(timeline, v), v["status"], v["provider"] or "-",
          checks_word(v.get("checks")), _clip(v["prompt"], 50)]
         for n, v in enumerate(timeline.versions, start=1)],
    )
    return EXIT_OK


def _parent_number(timeline, version: dict) -> str:
    parent = timeline.parent(version["id"])
    return str(timeline.number(parent["id"])) if parent else "-"


def cmd_parse(args, settings, stdout: TextIO, stderr: TextIO) -> int:
    try:
        document = _parse_document(args.file, args.engine, settings, _Progress(stderr))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    if args.schema:
        json.dump(document.schema(), stdout, indent=2, ensure_ascii=False)
        stdout.write("\n")
    else:
        stdout.write(document.markdown.rstrip("\n") + "\n")
    stdout.flush()
    print(
        f"pages={len(document.pages)} engines={','.join(document.engines) or '-'} sha256={document.sha256} "
        f"datasets={len(document.datasets)}",
        file=stderr,
    )
    return EXIT_OK


def _parse_document(path: str, engine: str | None, settings, progress: "_Progress"):
    from .documents import parse

    def report(done: int, total: int, message: str) -> None:
        progress.notice(f"{path}: {message}")

    document = parse(path, engine=engine, settings=settings, progress=report)
    for warning in document.warnings:
        progress.line(f"warning: {warning}")
    return document


def cmd_share(args, settings, stdout: TextIO, stderr: TextIO) -> int:
    from .engine import Engine
    from .services import Services

    if args.public and not args.id:
        raise BadInput("--public goes with a generation id: share ID --public")
    engine = Engine(settings)
    try:
        services = Services(engine)
        if args.list:
            links, notice = services.shares()
            if notice and settings.convex_url:
                print(notice, file=stderr)
            if not links:
                print("no share links yet", file=stderr)
                return EXIT_OK
            _table(
                stdout,
                ["path", "generation", "access", "created_at", "state", "prompt"],
                [[s.path, s.generation_id, "public" if s.public else "login", s.created_at,
                  "active" if s.active else f"revoked {s.revoked_at}", _clip(s.prompt or "-", 40)] for s in links],
            )
            return EXIT_OK
        if args.revoke:
            revoked = services.revoke_share(args.revoke)
            print(f"revoked {revoked.path}", file=stderr)
        else:
            share = services.share(args.id, public=args.public)
            stdout.write(share.path + "\n")
            if share.public and settings.auth:
                print("public: anyone with the link can open it without logging in", file=stderr)
            elif not settings.auth:
                print("JFDI_AUTH is not set: anyone who can reach the app can open the link", file=stderr)
        if settings.convex_url:  # now, not at the app's next pass: other replicas should know at once
            pushed = engine.team.sync_now()
            if pushed.error:
                print(f"kept on this machine; the team's replicas learn it once Convex answers ({pushed.error})", file=stderr)
    finally:
        engine.close()
    return EXIT_OK


def cmd_sync(args, settings, stdout: TextIO, stderr: TextIO) -> int:
    with _team(settings) as team:
        result = team.sync_now()
    print(f"pushed={result.pushed} pending={result.pending}", file=stdout)
    if result.error:
        print(f"error: {result.error}", file=stderr)
        return EXIT_FAILED
    return EXIT_OK


COMMANDS: dict[str, Callable[..., int]] = {
    "generate": cmd_generate,
    "status": cmd_status,
    "history": cmd_history,
    "parse": cmd_parse,
    "share": cmd_share,
    "sync": cmd_sync,
}


class _Progress:
    """Progress on stderr: lines for events; on a terminal, a live line for the character count
    and for provider progress (loading, queue), which a log file gets every 10 s at most."""

    QUIET_S = 10.0

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.live = stream.isatty()
        self.chars = 0
        self.notices_shown = 0
        self._last = 0.0
        self._last_notice = -self.QUIET_S
        self._overwriting = False

    def line(self, text: str) -> None:
        if self._overwriting:
            self.stream.write("\r\033[K")
            self._overwriting = False
        print(text, file=self.stream, flush=True)

    def notice(self, text: str) -> None:
        if self.live:
            self.stream.write(f"\r\033[K{text}")
            self.stream.flush()
            self._overwriting = True
        elif time.monotonic() - self._last_notice >= self.QUIET_S:
            self._last_notice = time.monotonic()
            self.line(text)

    def tick(self, size: int, replace: bool = False) -> None:
        self.chars = size if replace else self.chars + size
        now = time.monotonic()
        if self.live and now - self._last > 0.1:
            self._last = now
            self.stream.write(f"\r\033[K  {self.chars:,} characters received")
            self.stream.flush()
            self._overwriting = True


def _table(stream: TextIO, headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    for row in [headers, *rows]:
        stream.write("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip() + "\n")


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


if __name__ == "__main__":
    sys.exit(main())
