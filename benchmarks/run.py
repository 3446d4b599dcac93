"""Claude vs Seed-Coder vs OpenRouter vs Ollama on manufacturing prompts.

    python benchmarks/run.py --providers claude,local,openrouter,ollama [--prompts FILE]
                             [--repeat N] [--out DIR] [--only ID,ID] [--no-render] [--judge PROVIDER]

Each prompt goes through each named provider with no fallback (the provider is what is measured),
configured as the app is (environment and .env). Every output is checked: code extracted, TSX
parses, type-checks, renders in headless Chromium without errors, has a default export, uses
Tailwind, and does what the prompt's `expect` items say in the rendered DOM. Writes
DIR/results.json, DIR/report.md and DIR/report.png (default DIR: benchmarks/out/latest).

--judge PROVIDER: a provider whose model sees images scores each rendered output 0-100 from three
screenshots (DIR/screenshots/), the prompt and a checklist (jfdi/benchmark/judge.py); its cost is
reported apart."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine  # noqa: E402
from jfdi.benchmark.judge import Judge  # noqa: E402
from jfdi.benchmark.prompts import load_prompts  # noqa: E402
from jfdi.benchmark.render import Renderer  # noqa: E402
from jfdi.benchmark.report import write_report  # noqa: E402
from jfdi.benchmark.runner import run_suite  # noqa: E402
from jfdi.config import load_settings  # noqa: E402
from jfdi.documents.describe import ImageDescriber  # noqa: E402
from jfdi.errors import BadInput, ConfigError  # noqa: E402
from jfdi.providers import PROVIDERS  # noqa: E402

DEFAULT_OUT = Path(__file__).resolve().parent / "out" / "latest"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", default="claude,local,openrouter,ollama", help="comma-separated")
    parser.add_argument("--prompts", help="a prompts JSON file (default: jfdi/benchmark/prompts.json)")
    parser.add_argument("--only", help="comma-separated prompt ids to run")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-render", action="store_true", help="skip the Chromium checks")
    parser.add_argument("--judge", metavar="PROVIDER",
                        help="score each rendered output's screenshots with this provider (it must see images)")
    parser.add_argument("--note", action="append", default=[], help="a line for the report (repeatable)")
    args = parser.parse_args(argv)
    args.command = "python benchmarks/run.py " + " ".join(sys.argv[1:] if argv is None else argv)
    try:
        return run(args)
    except (BadInput, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def run(args: argparse.Namespace) -> int:
    names = [PROVIDERS[n.strip().lower()].name for n in args.providers.split(",") if n.strip()]
    if not names:
        raise BadInput(f"--providers names no provider: use some of {', '.join(PROVIDERS.names())}")
    if args.repeat < 1:
        raise BadInput("--repeat must be at least 1")
    prompts = load_prompts(args.prompts)
    if args.only:
        wanted = [i.strip() for i in args.only.split(",") if i.strip()]
        missing = sorted(set(wanted) - {p.id for p in prompts})
        if missing:
            raise BadInput(f"no prompt with id {', '.join(missing)}")
        prompts = [p for p in prompts if p.id in wanted]
    judge_name = PROVIDERS[args.judge.strip().lower()].name if args.judge else None
    if judge_name and args.no_render:
        raise BadInput("--judge scores the rendered output: it cannot run with --no-render")
    settings = load_settings()
    providers = PROVIDERS.build(settings)
    used = list(dict.fromkeys(names + ([judge_name] if judge_name else [])))
    unconfigured = [n for n in used if not providers[n].configured()]
    if unconfigured:
        hints = "; ".join(f"{n}: {providers[n].setup_hint() or 'not configured'}" for n in unconfigured)
        raise BadInput(f"not configured: {hints}")
    timeout_s = max(settings.timeout_s, 120.0)
    judge = Judge(providers, judge_name, timeout_s=timeout_s) if judge_name else None  # JudgeCannotSee up front
    for name in names:
        providers[name].warm_up()

    from jfdi.preview.checks import Checker

    renderer = None if args.no_render else Renderer()
    if judge is not None and not renderer.available():
        raise BadInput("--judge needs the render in Chromium (apt-get install chromium; pip install playwright)")
    checker = Checker()
    notes = list(args.note)
    if renderer is not None and not renderer.available():
        notes.append("Chromium was not found: renders and the prompts' expectations were not checked.")
        renderer = None
    elif renderer is None:
        notes.append("--no-render: renders and the prompts' expectations were not checked.")
    started = time.monotonic()

    def progress(done: int, total: int, message: str) -> None:
        print(f"[{done}/{total}] {message}", file=sys.stderr, flush=True)

    # Prompts with images (benchmarks/images.json): a provider that cannot see gets them as text,
    # read once per image in this run (the first such provider's time to first token includes it).
    describer = ImageDescriber(settings)
    try:
        rows = run_suite(providers, names, prompts, repeat=args.repeat, timeout_s=timeout_s,
                         max_tokens=settings.max_tokens, checker=checker.check, renderer=renderer, progress=progress,
                         describe=lambda image: describer.describe(image).text, max_upload_mb=settings.max_upload_mb,
                         judge=judge, results_dir=args.out)
    finally:
        checker.close()
        if renderer is not None:
            renderer.close()
    if any(r["checks"]["typechecks"] is None and r["checks"]["extracted"] for r in rows):
        notes.append("The type-check did not run for some outputs (no Node/TypeScript, or a syntax error first).")
    meta = {
        "command": args.command,
        "machine": machine(),
        "providers": {n: providers[n].model for n in names},
        "sees_images": {n: providers[n].sees_images for n in names},
        "prompts": len(prompts),
        "repeat": args.repeat,
        "seconds": round(time.monotonic() - started, 1),
        "notes": notes,
        "judge": {"provider": judge.name, "model": judge.provider.model} if judge else None,
    }
    paths = write_report(args.out, rows, meta)
    for path in paths.values():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
