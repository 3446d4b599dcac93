"""Start `python app.py` as a user does, with its providers pointed at loopback servers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.loopback import closed_port

REPO = Path(__file__).resolve().parent.parent


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen
    started_in_s: float
    log_path: Path
    env: dict = field(default_factory=dict)

    def first_update(self, prompt: str, provider: str = "auto") -> tuple[float, str]:
        """Seconds from submitting `prompt` to /generate (Gradio's HTTP API) to its first streamed
        update, and that update's status line."""
        began = time.monotonic()
        posted = httpx.post(self.url + "gradio_api/call/generate", json={"data": [prompt, provider, "", None]}, timeout=30)
        posted.raise_for_status()
        with httpx.stream("GET", self.url + f"gradio_api/call/generate/{posted.json()['event_id']}", timeout=60) as stream:
            for line in stream.iter_lines():
                if line.startswith("data: "):
                    code_and_status = json.loads(line[6:])[0]  # /generate has one output: (code, status)
                    return time.monotonic() - began, code_and_status[1]
        raise RuntimeError(f"/generate sent no update for {prompt!r}")

    def stop(self) -> str:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        return self.log_path.read_text(errors="replace")


def start_app(tmp: Path, env: dict[str, str], timeout_s: float = 60.0, script: Path = REPO / "app.py") -> RunningApp:
    """`python app.py` (or another `script` that serves the app) in `tmp`, once its page is served."""
    port = closed_port()
    tmp.mkdir(parents=True, exist_ok=True)
    log_path = tmp / "app.log"
    full_env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp),
        "PYTHONPATH": str(REPO),
        "GRADIO_SERVER_PORT": str(port),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "PYTHONUNBUFFERED": "1",
        "JFDI_DATA_DIR": str(tmp / "data"),
        "JFDI_LOCAL_MODEL": str(tmp / "no-local-model"),
        "OLLAMA_HOST": f"127.0.0.1:{closed_port()}",
        **env,
    }
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(script)], cwd=tmp, env=full_env,
        stdout=log_path.open("w"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    while time.monotonic() - started < timeout_s:
        if process.poll() is not None:
            raise RuntimeError(f"app.py exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return RunningApp(url, process, time.monotonic() - started, log_path, full_env)
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"app.py did not serve a page within {timeout_s} s:\n{log_path.read_text()}")
