"""Start (or reuse) an Ollama server for JFDI, wait until it answers, and pull the models it needs.

    python start_ollama.py [--models TAG,...] [--install] [--timeout S] [--no-pull]

A server already answering at OLLAMA_HOST is reused and the script exits 0 once the models are
there. Otherwise it runs `ollama serve` (its output goes to $JFDI_DATA_DIR/ollama.log), keeps it
in the foreground, and stops it cleanly on Ctrl-C or SIGTERM. `--install` runs Ollama's official
install script first when there is no `ollama` on PATH; nothing is installed unless asked.
Exit codes: 0 ready (or stopped on request), 1 Ollama could not be started or a pull failed,
2 bad arguments or settings, 130 interrupted while starting.

In Python: `from jfdi.ollama_runtime import start_ollama` (re-exported here) returns a handle."""

from __future__ import annotations

import argparse
import signal
import sys
from typing import Sequence, TextIO

from jfdi.config import load_settings
from jfdi.errors import ConfigError, JFDIError
from jfdi.ollama_runtime import OllamaHandle, PullProgress, Say, start_ollama

__all__ = ["main", "start_ollama"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python start_ollama.py",
        description="Start or reuse an Ollama server for JFDI and pull its models.",
    )
    parser.add_argument("--models", type=_tags, metavar="TAG,...", help="models to pull (default: JFDI_OLLAMA_MODEL)")
    parser.add_argument("--install", action="store_true", help="run Ollama's install script if `ollama` is not on PATH")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="S", help="seconds to wait for the server to answer (default: 60)")
    parser.add_argument("--no-pull", action="store_true", help="only report which models are missing")
    return parser


def _tags(value: str) -> list[str]:
    tags = [t.strip() for t in value.split(",") if t.strip()]
    if not tags:
        raise argparse.ArgumentTypeError("give at least one model tag, e.g. --models qwen2.5-coder:7b")
    return tags


class PullPrinter:
    """Shows a pull as it streams: on a terminal one line updated in place per step; in a log, a
    line per step and per tenth of each download."""

    def __init__(self, out: TextIO):
        self.out = out
        self.tty = out.isatty()
        self.last: tuple[str, int] | None = None

    def __call__(self, tag: str, progress: PullProgress) -> None:
        fraction = progress.fraction
        key = (progress.status, -1 if fraction is None else int(fraction * 10))
        if self.tty:
            newline = self.last is not None and self.last[0] != progress.status
            self.out.write(("\n" if newline else "\r") + f"  {progress.describe()}\x1b[K")
            if progress.status == "success":
                self.out.write("\n")
        elif key != self.last:
            self.out.write(f"  {progress.describe()}\n")
        self.last = key
        self.out.flush()


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.timeout <= 0:
        parser.error("--timeout must be greater than 0")

    def say(message: str) -> None:
        print(message, file=stdout, flush=True)

    # SIGTERM takes the same path as Ctrl-C: stop the server this script started, then exit.
    # SIGINT is set too, in case this was launched with it ignored (as `cmd &` in a script does).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    handle = None
    try:
        handle = start_ollama(
            load_settings(), models=args.models, install=args.install, timeout_s=args.timeout,
            pull_models=not args.no_pull, say=say, on_progress=PullPrinter(stdout),
        )
        _report(handle, say)
        if not handle.started:
            return 0
        say(f"serving in the foreground (pid {handle.process.pid}); Ctrl-C or SIGTERM stops it")
        code = handle.wait()
    except ConfigError as exc:
        print(f"error: {exc}", file=stderr)
        return 2
    except JFDIError as exc:
        print(f"error: {exc}", file=stderr)
        return 1
    except KeyboardInterrupt:
        if handle is None or not handle.started:  # start_ollama() stopped anything it had started
            print("interrupted; nothing was left running", file=stderr)
            return 130
        say("stopping ollama serve")
        try:
            code = handle.stop()
        except KeyboardInterrupt:  # a second Ctrl-C: no more waiting
            code = handle.stop(grace_s=0)
        say(f"ollama serve stopped (exit code {code})")
        return 0
    print(f"error: ollama serve exited on its own with code {code}; see {handle.log_path}", file=stderr)
    return 1


def _report(handle: OllamaHandle, say: Say) -> None:
    origin = "started here" if handle.started else "reused"
    say(f"ready: Ollama {handle.version} at {handle.host} ({origin})")
    for model in handle.models:
        say(f"  model {model.name}  {model.size_label}")
    if not handle.models:
        say("  no models pulled yet")
    for tag in handle.missing:
        say(f"  not pulled: {tag}  (run without --no-pull, or: ollama pull {tag})")


if __name__ == "__main__":
    sys.exit(main())
