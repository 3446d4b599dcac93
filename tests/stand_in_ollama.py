"""A stand-in for the `ollama` binary, for the tests of start_ollama.py's process handling.

The tests put a wrapper named `ollama` on PATH that runs this file. `ollama serve` serves the
loopback OllamaRegistryServer (Ollama's API, pulls included) on the address in OLLAMA_HOST, logs
to stderr the way Ollama does, and exits on SIGTERM. Environment knobs:

    STAND_IN_OLLAMA_CRASH=TEXT       write TEXT to stderr and exit 1 instead of serving
    STAND_IN_OLLAMA_DELAY_S=N        wait N seconds before listening (a slow start)
    STAND_IN_OLLAMA_IGNORE_TERM=1    ignore SIGTERM, so that only SIGKILL stops it
    STAND_IN_OLLAMA_MODELS=a,b       models already pulled
    STAND_IN_OLLAMA_REGISTRY=t=N,... tags that /api/pull can fetch, with their sizes in bytes
    STAND_IN_OLLAMA_PIDFILE=PATH     write the process id here
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.loopback import OllamaRegistryServer  # noqa: E402


def log(message: str) -> None:
    print(f'time={time.strftime("%Y-%m-%dT%H:%M:%S")} level=INFO msg="{message}"', file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    if argv[:1] != ["serve"]:
        print(f"stand-in ollama: only `serve` is implemented, not {argv}", file=sys.stderr)
        return 2
    env = os.environ.get
    if env("STAND_IN_OLLAMA_PIDFILE"):
        Path(env("STAND_IN_OLLAMA_PIDFILE")).write_text(str(os.getpid()))
    if env("STAND_IN_OLLAMA_CRASH"):
        log("starting")
        print(env("STAND_IN_OLLAMA_CRASH"), file=sys.stderr, flush=True)
        return 1
    time.sleep(float(env("STAND_IN_OLLAMA_DELAY_S") or 0))
    stop = threading.Event()
    if env("STAND_IN_OLLAMA_IGNORE_TERM"):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    address = (env("OLLAMA_HOST") or "127.0.0.1:11434").split("://")[-1]
    registry = dict(item.split("=") for item in (env("STAND_IN_OLLAMA_REGISTRY") or "").split(",") if item)
    server = OllamaRegistryServer(
        models=[m for m in (env("STAND_IN_OLLAMA_MODELS") or "").split(",") if m],
        registry={tag: int(size) for tag, size in registry.items()},
        port=int(address.rpartition(":")[2]),
    )
    log(f"Listening on {address} (version {server.version})")
    while not stop.is_set():
        time.sleep(0.02)
    server.close()
    log("server shut down")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
