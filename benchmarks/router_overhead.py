"""Extra time `auto` adds when the first provider refuses connections, and when it is cooling
down, against calling the answering provider directly; all on loopback servers.

    python benchmarks/router_overhead.py [--runs 200]

Targets (issue 2): <= 50 ms extra when refused, <= 5 ms when cooling down."""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine, write_results  # noqa: E402
from jfdi.config import Settings  # noqa: E402
from jfdi.errors import ProviderUnreachable  # noqa: E402
from jfdi.generation import Generation, Run  # noqa: E402
from jfdi.prompts import build_request  # noqa: E402
from jfdi.providers.claude import ClaudeProvider  # noqa: E402
from jfdi.providers.openrouter import OpenRouterProvider  # noqa: E402
from jfdi.router import Cooldowns, Router  # noqa: E402
from tests.loopback import OpenAIServer, Reply, closed_port  # noqa: E402

REQUEST = build_request("Build a counter", max_tokens=256)


def timed(router: Router, choice: str) -> float:
    gen = Generation(prompt="Build a counter")
    cancel = threading.Event()
    started = time.perf_counter()
    for _ in Run(gen, router.run(REQUEST, choice, cancel), cancel):
        pass
    elapsed = time.perf_counter() - started
    assert gen.status == "ok" and gen.provider == "openrouter", gen.error
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    with OpenAIServer() as server:
        server.default = Reply(text="export default function Counter() { return null }")
        settings = Settings(
            anthropic_api_key="sk-ant-benchmark",
            anthropic_base_url=f"http://127.0.0.1:{closed_port()}",
            openrouter_api_key="sk-or-benchmark",
            openrouter_base_url=f"{server.url}/v1",
        )
        providers = {"claude": ClaudeProvider(settings), "openrouter": OpenRouterProvider(settings)}
        router = Router(providers, ["claude", "openrouter"], timeout_s=10)

        # Warm both paths: the SDK import, connection pools, first-call costs.
        for _ in range(5):
            router.cooldowns = Cooldowns()
            timed(router, "auto")
            timed(router, "openrouter")

        samples: dict[str, list[float]] = {"direct": [], "refused": [], "cooling": []}
        for _ in range(args.runs):
            # Interleaved, so drift on the machine touches every case alike.
            samples["direct"].append(timed(router, "openrouter"))
            router.cooldowns = Cooldowns()
            samples["refused"].append(timed(router, "auto"))
            router.cooldowns = Cooldowns(base_s=3600)
            router.cooldowns.failure("claude", ProviderUnreachable("down"))
            router.cooldowns.failure("claude", ProviderUnreachable("down"))
            samples["cooling"].append(timed(router, "auto"))

    direct = statistics.median(samples["direct"])
    rows = {}
    for case, values in samples.items():
        ms = sorted(v * 1000 for v in values)
        rows[case] = {
            "median_ms": round(statistics.median(ms), 3),
            "p95_ms": round(ms[int(len(ms) * 0.95) - 1], 3),
            "extra_median_ms": round((statistics.median(values) - direct) * 1000, 3),
        }
    results = {
        "benchmark": "router_overhead",
        "command": "python benchmarks/router_overhead.py --runs %d" % args.runs,
        "machine": machine(),
        "runs": args.runs,
        "cases": rows,
        "targets_ms": {"refused": 50, "cooling": 5},
        "met": {"refused": rows["refused"]["extra_median_ms"] <= 50, "cooling": rows["cooling"]["extra_median_ms"] <= 5},
    }
    write_results("router_overhead", results)
    for case, row in rows.items():
        print(f"{case:8s} median {row['median_ms']:8.2f} ms  p95 {row['p95_ms']:8.2f} ms  extra {row['extra_median_ms']:+7.2f} ms")


if __name__ == "__main__":
    main()
