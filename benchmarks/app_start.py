"""How fast the app comes up, and how late streamed text reaches an API client.

    python benchmarks/app_start.py [--starts 3] [--chunks 100]

1. Seconds from `python app.py` to the first served page, with a local model configured (a tiny
   model built here: the app must not wait for it). Target (issue 3): <= 5 s on this CPU machine.
2. The delay between a provider sending a chunk (a loopback OpenAI-style server, one chunk every
   50 ms) and its arrival in a gradio_client stream of /generate. Target: <= 100 ms median."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine, write_results  # noqa: E402
from tests.apprunner import start_app  # noqa: E402
from tests.loopback import OpenAIServer, Reply  # noqa: E402
from tests.tiny_models import build_tiny_llama  # noqa: E402

LINE = "// streamed chunk {:04d}\n"


def start_times(tmp: Path, model_dir: Path, starts: int) -> list[float]:
    times = []
    for i in range(starts):
        app = start_app(tmp / f"start{i}", {"JFDI_LOCAL_MODEL": str(model_dir), "JFDI_PROVIDERS": "local,claude"})
        times.append(app.started_in_s)
        app.stop()
    return times


def stream_delays(tmp: Path, chunks: int) -> list[float]:
    from gradio_client import Client

    with OpenAIServer() as server:
        server.processing_comments = False
        app = start_app(tmp / "stream", {
            "OPENROUTER_API_KEY": "sk-or-benchmark", "OPENROUTER_BASE_URL": f"{server.url}/v1", "JFDI_PROVIDERS": "openrouter",
        })
        try:
            client = Client(app.url, verbose=False)
            client.predict("warm up", "openrouter", api_name="/generate")
            server.sent_at.clear()
            server.enqueue(Reply(chunks=[LINE.format(i) for i in range(chunks)], delay_s=0.05))
            arrived: dict[int, float] = {}
            job = client.submit("Build a counter", "openrouter", api_name="/generate")
            for code, _status in job:
                now = time.monotonic()
                complete = (len(code) + 1) // len(LINE.format(0))
                for index in range(complete):
                    arrived.setdefault(index, now)
            sent = server.sent_at[:chunks]
        finally:
            app.stop()
    return [arrived[i] - sent[i] for i in range(min(len(sent), chunks)) if i in arrived]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--chunks", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        model_dir = build_tiny_llama(tmp / "tiny-model")
        starts = start_times(tmp, model_dir, args.starts)
        delays = sorted(d * 1000 for d in stream_delays(tmp, args.chunks))
    results = {
        "benchmark": "app_start",
        "command": f"python benchmarks/app_start.py --starts {args.starts} --chunks {args.chunks}",
        "machine": machine(),
        "start_s": [round(s, 2) for s in starts],
        "start_median_s": round(statistics.median(starts), 2),
        "chunk_delay_ms": {
            "chunks": len(delays),
            "median": round(statistics.median(delays), 1),
            "p95": round(delays[int(len(delays) * 0.95) - 1], 1),
            "max": round(delays[-1], 1),
        },
        "targets": {"start_s": 5, "chunk_delay_median_ms": 100},
    }
    results["met"] = {
        "start": results["start_median_s"] <= 5,
        "chunk_delay": results["chunk_delay_ms"]["median"] <= 100,
    }
    write_results("app_start", results)
    print(f"start: {results['start_s']} s (median {results['start_median_s']} s)")
    print(f"chunk delay: {results['chunk_delay_ms']}")


if __name__ == "__main__":
    main()
