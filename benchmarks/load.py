"""Forty people at once: N users stream `/generate` together, measured against one user alone.

    python benchmarks/load.py [--users 40] [--client gradio|http] [--solo 3]

`python app.py` runs with Claude pointed at a loopback Anthropic server that answers every request
with 12 chunks 0.25 s apart (a 3 s answer), made from the prompt it was given: each user asks for
a different station and must get the code for that station and no other. First one user alone
(`--solo` times, after a warm-up request), then N users at once. For each: the time from submitting
to the first streamed update and to the last one (the answer), median and p95; the app's CPU
seconds during the N-user run; the load average before and after (the machine is not ours alone).

`--client http` (the default) is Gradio's plain HTTP API (POST /gradio_api/call/generate, then the
event's SSE stream) from one asyncio loop. `--client gradio` is gradio_client, one Client (one
session) per user, as a script would use the API. Each submit makes two new HTTP clients (the POST,
and the stream it reads the results from) in the measuring process; with gradio_client's default
each builds a verifying TLS context, reading the CA bundle (0.1 s of CPU), even for this http://
address: forty submits then reach the app spread over two seconds (first update median 1.86 s,
the app's CPU 1.39 s, measured). The clients here are made with `ssl_verify=False`, which for a
plain-HTTP loopback address changes nothing but that cost (first update median 0.32 to 0.35 s).

Targets (issue 18): median answer at N users <= 1.5x one user alone, median first update <= 1 s,
no error, and no answer delivered to the wrong user."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine, write_results  # noqa: E402
from tests.apprunner import RunningApp, start_app  # noqa: E402
from tests.loopback import AnthropicServer, Received, Reply  # noqa: E402

CHUNKS = 12
CHUNK_DELAY_S = 0.25
POLL_S = 0.01  # how often a gradio_client user looks for news: the figures are this coarse
TAG = re.compile(r"station (\d+) \(([0-9a-f]{12})\)")
MARK = re.compile(r"// order ([0-9a-f]{12})")


def prompt_for(user: int) -> tuple[str, str]:
    """A prompt no other user sends, and the tag its answer must carry."""
    tag = uuid.uuid4().hex[:12]
    return f"Build the reorder form for station {user} ({tag})", tag


def answer(request: Received) -> Reply:
    """The loopback Claude's answer to one request: code for the station the prompt names."""
    asked = json.dumps((request.body or {}).get("messages", []))
    station, tag = TAG.findall(asked)[-1]
    lines = [f"// order {tag}\n", f"export default function Station{station}() {{\n"]
    lines += [f"  // field {i}\n" for i in range(CHUNKS - 3)]
    lines.append(f'  return <form className="p-4">Station {station}</form>;\n}}\n')
    return Reply(chunks=lines, delay_s=CHUNK_DELAY_S)


@dataclass
class Outcome:
    first_update_s: float | None = None
    answer_s: float | None = None
    error: str = ""
    wrong_user: bool = False


def judge(outcome: Outcome, tag: str, code: str, status: str) -> Outcome:
    marks = MARK.findall(code or "")
    if not status.startswith("✅"):
        outcome.error = status or "no final status"
    elif marks != [tag]:
        outcome.wrong_user = True
    return outcome


# -- the two kinds of client --------------------------------------------------------------------


class GradioClients:
    """One gradio_client.Client per user, made before the clock starts (each reads the config)."""

    def __init__(self, url: str, users: int):
        from gradio_client import Client

        # ssl_verify=False: see the module's doc (the URL is plain HTTP, nothing is verified).
        self.clients = [Client(url, verbose=False, ssl_verify=False) for _ in range(users)]

    def run(self, prompts: list[tuple[str, str]]) -> list[Outcome]:
        outcomes = [Outcome() for _ in prompts]
        start = threading.Barrier(len(prompts))

        def user(index: int) -> None:
            prompt, tag = prompts[index]
            outcome = outcomes[index]
            start.wait()
            began = time.monotonic()
            try:
                job = self.clients[index].submit(prompt, "claude", api_name="/generate")
                # job.outputs() every POLL_S rather than iterating the job: its iterator polls every
                # millisecond, and forty of those spend more CPU than the app (measured: 4.9 s in
                # the client against 1.5 s in the app), on a machine they share.
                while not job.done():
                    if outcome.first_update_s is None and job.outputs():
                        outcome.first_update_s = time.monotonic() - began
                    time.sleep(POLL_S)
                code, status = job.result()
                if outcome.first_update_s is None:
                    outcome.first_update_s = time.monotonic() - began
                outcome.answer_s = time.monotonic() - began
                judge(outcome, tag, code, status)
            except Exception as exc:  # a user who got an error: counted, not fatal
                outcome.error = f"{type(exc).__name__}: {exc}"

        threads = [threading.Thread(target=user, args=(i,)) for i in range(len(prompts))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return outcomes

    def close(self) -> None:
        for client in self.clients:
            client.close()


class HttpClients:
    """Gradio's HTTP API: POST /gradio_api/call/generate, then read the event's SSE stream."""

    def __init__(self, url: str, users: int):
        self.url = url

    def run(self, prompts: list[tuple[str, str]]) -> list[Outcome]:
        return asyncio.run(self._run(prompts))

    async def _run(self, prompts: list[tuple[str, str]]) -> list[Outcome]:
        import httpx

        limits = httpx.Limits(max_connections=len(prompts) * 2, max_keepalive_connections=len(prompts) * 2)
        async with httpx.AsyncClient(base_url=self.url, timeout=120, limits=limits) as http:
            return list(await asyncio.gather(*(self._user(http, prompt, tag) for prompt, tag in prompts)))

    async def _user(self, http, prompt: str, tag: str) -> Outcome:
        outcome = Outcome()
        began = time.monotonic()
        try:
            posted = await http.post("gradio_api/call/generate", json={"data": [prompt, "claude", "", None]})
            posted.raise_for_status()
            event_id = posted.json()["event_id"]
            kind, data = "", None
            async with http.stream("GET", f"gradio_api/call/generate/{event_id}") as stream:
                async for line in stream.aiter_lines():
                    if line.startswith("event: "):
                        kind = line[7:]
                    elif line.startswith("data: ") and kind in ("generating", "complete"):
                        if outcome.first_update_s is None:
                            outcome.first_update_s = time.monotonic() - began
                        data = json.loads(line[6:])
                    elif line.startswith("data: ") and kind == "error":
                        outcome.error = line[6:]
                        return outcome
            outcome.answer_s = time.monotonic() - began
            code, status = data[0] if data else ("", "")  # /generate has one output: (code, status)
            return judge(outcome, tag, code, status)
        except Exception as exc:
            outcome.error = f"{type(exc).__name__}: {exc}"
            return outcome

    def close(self) -> None:
        pass


CLIENTS = {"gradio": GradioClients, "http": HttpClients}


# -- measuring ------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    if not ordered:
        return {"median": None, "p95": None, "max": None}
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {"median": round(statistics.median(ordered), 3), "p95": round(p95, 3), "max": round(ordered[-1], 3)}


def measure(outcomes: list[Outcome]) -> dict:
    return {
        "users": len(outcomes),
        "first_update_s": summary([o.first_update_s for o in outcomes if o.first_update_s is not None]),
        "answer_s": summary([o.answer_s for o in outcomes if o.answer_s is not None and not o.error]),
        "errors": [o.error for o in outcomes if o.error],
        "wrong_user": sum(o.wrong_user for o in outcomes),
    }


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def run(app: RunningApp, users: int, client_kind: str, solo_runs: int) -> dict:
    clients = CLIENTS[client_kind](app.url, users)
    try:
        clients.run([prompt_for(0)])  # warm-up: the SDK's import, the first connection
        solo: list[Outcome] = []
        for _ in range(solo_runs):
            solo += clients.run([prompt_for(0)])
        load_before = loadavg()
        cpu_before = cpu_seconds(app.process.pid)
        started = time.monotonic()
        many = clients.run([prompt_for(user) for user in range(1, users + 1)])
        wall = time.monotonic() - started
        cpu = cpu_seconds(app.process.pid) - cpu_before
        load_after = loadavg()
    finally:
        clients.close()
    alone, together = measure(solo), measure(many)
    ratio = together["answer_s"]["median"] / alone["answer_s"]["median"] if together["answer_s"]["median"] else None
    return {
        "alone": alone,
        "together": together,
        "answer_ratio": round(ratio, 2) if ratio else None,
        "app_cpu_s": round(cpu, 2),
        "wall_s": round(wall, 2),
        "loadavg_before": load_before,
        "loadavg_after": load_after,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--client", choices=sorted(CLIENTS), default="http")
    parser.add_argument("--solo", type=int, default=3, help="runs of one user alone (default 3)")
    parser.add_argument("--out", default="load", help="results file name under benchmarks/results (default load)")
    args = parser.parse_args()
    with AnthropicServer() as claude, tempfile.TemporaryDirectory() as tmp:
        claude.reply_for = answer
        app = start_app(Path(tmp), {
            "ANTHROPIC_API_KEY": "sk-ant-benchmark", "ANTHROPIC_BASE_URL": claude.url,
            "JFDI_PROVIDERS": "claude", "JFDI_TIMEOUT_S": "60",
        })
        try:
            figures = run(app, args.users, args.client, args.solo)
        finally:
            app.stop()
    together, alone = figures["together"], figures["alone"]
    met = {
        "answer_ratio": figures["answer_ratio"] is not None and figures["answer_ratio"] <= 1.5,
        "first_update": together["first_update_s"]["median"] is not None and together["first_update_s"]["median"] <= 1.0,
        "no_error": not together["errors"] and not alone["errors"],
        "right_user": together["wrong_user"] == 0 and alone["wrong_user"] == 0,
    }
    results = {
        "benchmark": "load",
        "command": "python benchmarks/load.py " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "client": args.client,
        "claude": {"chunks": CHUNKS, "chunk_delay_s": CHUNK_DELAY_S},
        **figures,
        "targets": {"answer_ratio": 1.5, "first_update_median_s": 1.0, "errors": 0, "wrong_user": 0},
        "met": met,
    }
    path = write_results(args.out, results)
    print(f"one user alone ({len(alone['errors']) or 'no'} errors): first update {alone['first_update_s']}, answer {alone['answer_s']}")
    print(f"{args.users} users at once ({args.client} client): first update {together['first_update_s']}, "
          f"answer {together['answer_s']}")
    print(f"answer median {figures['answer_ratio']}x alone; errors {len(together['errors'])}; "
          f"wrong user {together['wrong_user']}; app CPU {figures['app_cpu_s']} s over {figures['wall_s']} s")
    print(f"load average before {figures['loadavg_before']}, after {figures['loadavg_after']}; met {met}; {path}")


if __name__ == "__main__":
    main()
