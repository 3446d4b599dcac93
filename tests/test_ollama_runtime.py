"""start_ollama.py and jfdi.ollama_runtime: the API calls against the loopback Ollama server, the
process handling against a stand-in `ollama` on PATH, and the script run as a real subprocess."""

from __future__ import annotations

import io
import os
import queue
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from jfdi.errors import BadInput
from jfdi.ollama_runtime import (
    NotOllama,
    OllamaInstallFailed,
    OllamaStartFailed,
    OllamaStartTimeout,
    OllamaUnreachable,
    PullFailed,
    PullProgress,
    ensure_server,
    list_models,
    pull,
    server_version,
    start_ollama,
)
from start_ollama import PullPrinter
from tests.loopback import LoopbackServer, OllamaRegistryServer, OllamaServer, WebPageServer, closed_port

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "start_ollama.py"
STAND_IN = REPO / "tests" / "stand_in_ollama.py"
SIZE = 4_920_000_000  # what the loopback /api/tags reports for every model


class TextServer(LoopbackServer):
    """Answers every GET with one fixed body: a web page, or an install script."""

    def __init__(self, body: str, content_type: str = "text/html"):
        self.body = body.encode()
        self.content_type = content_type
        super().__init__()

    def route(self, ex, req):
        h = ex.handler
        h.send_response(200)
        h.send_header("content-type", self.content_type)
        h.send_header("content-length", str(len(self.body)))
        h.end_headers()
        h.wfile.write(self.body)


class HangUpListener:
    """A raw TCP listener that accepts each connection and closes it without a word."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.close()

    def close(self):
        self.sock.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def unclaimed_port() -> int:
    """A free port below the kernel's ephemeral range, for a server started by the test: no other
    process's `bind(0)` or outgoing connection can take it between the check and the start."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    for port in random.sample(range(max(1024, low - 12000), low), 50):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


@pytest.fixture
def host(monkeypatch) -> str:
    url = f"http://127.0.0.1:{unclaimed_port()}"
    monkeypatch.setenv("OLLAMA_HOST", url)
    return url


@pytest.fixture
def stand_in(tmp_path, monkeypatch):
    """PATH holds only a stand-in `ollama`; returns a function giving the pid it wrote."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "ollama"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{STAND_IN}" "$@"\n')
    wrapper.chmod(0o755)
    pidfile = tmp_path / "ollama.pid"
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("STAND_IN_OLLAMA_PIDFILE", str(pidfile))
    monkeypatch.setenv("STAND_IN_OLLAMA_REGISTRY", f"coder:8b={SIZE}")

    def pid() -> int:
        return int(pidfile.read_text())

    return pid


@pytest.fixture
def no_ollama_on_path(tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return empty


# The API the Settings panel uses ---------------------------------------------------------------


def test_list_models_gives_names_and_sizes(ollama_server):
    models = list_models(ollama_server.url)
    assert [(m.name, m.size_label) for m in models] == [("seed-coder-test:latest", "4.9 GB")]


def test_list_models_without_a_server_says_how_to_start_one():
    with pytest.raises(OllamaUnreachable, match="start_ollama.py"):
        list_models(f"http://127.0.0.1:{closed_port()}")


def test_pull_streams_progress_until_success_and_the_model_is_then_listed():
    with OllamaRegistryServer(registry={"coder:8b": SIZE}) as server:
        steps = list(pull(server.url, "coder:8b"))
        assert steps[0].status == "pulling manifest" and steps[0].fraction is None
        assert [s.fraction for s in steps if s.total] == [0.0, 0.25, 0.5, 0.75, 1.0]
        assert steps[3].describe() == "pulling 3f6a1c0e9b2d  50% (2.5 GB of 4.9 GB)"
        assert steps[-1].status == "success"
        assert [m.name for m in list_models(server.url)] == ["coder:8b"]
        assert server.requests[0].body == {"model": "coder:8b", "stream": True}


def test_pull_of_a_tag_the_registry_lacks_raises_ollamas_reason():
    with OllamaRegistryServer() as server, pytest.raises(PullFailed) as info:
        list(pull(server.url, "hf.co/nobody/no-such-GGUF:Q4_K_M"))
    message = str(info.value)
    assert "hf.co/nobody/no-such-GGUF:Q4_K_M" in message and "file does not exist" in message
    assert "hf.co/<user>/<repo>:<quant>" in message


def test_pull_of_a_malformed_name_raises_on_http_400():
    with OllamaRegistryServer() as server, pytest.raises(PullFailed, match="HTTP 400: invalid model name"):
        list(pull(server.url, "two words"))


def test_pull_that_ends_before_success_is_a_failure():
    with OllamaServer() as server:
        server.pull_script = lambda name: [{"status": "pulling manifest"}]
        with pytest.raises(PullFailed, match="ended before Ollama reported success"):
            list(pull(server.url, "coder:8b"))


def test_pull_with_an_empty_tag_is_bad_input(ollama_server):
    with pytest.raises(BadInput, match="enter a model tag"):
        list(pull(ollama_server.url, "  "))
    assert ollama_server.requests == []


# Telling Ollama from whatever else holds the port ------------------------------------------------


def test_server_version_tells_ollama_from_nothing_and_from_other_programs(ollama_server):
    assert server_version(ollama_server.url) == "0.12.6"
    assert server_version(f"http://127.0.0.1:{closed_port()}") is None
    with LoopbackServer() as other, pytest.raises(NotOllama, match="HTTP 404 to /api/version"):
        server_version(other.url)
    with TextServer("<html>Jenkins</html>") as web, pytest.raises(NotOllama, match="not JSON"):
        server_version(web.url)
    listener = HangUpListener()
    try:
        with pytest.raises(NotOllama, match="did not answer /api/version over HTTP"):
            server_version(listener.url)
    finally:
        listener.close()


# Starting and stopping the process ---------------------------------------------------------------


def test_a_running_server_is_reused_and_left_running(ollama_server, tmp_path, no_ollama_on_path):
    handle = ensure_server(ollama_server.url, data_dir=tmp_path)
    assert not handle.started and handle.version == "0.12.6"
    assert handle.stop() is None
    assert server_version(ollama_server.url) == "0.12.6"


def test_a_slow_server_is_waited_for_then_stopped(stand_in, host, tmp_path, monkeypatch):
    monkeypatch.setenv("STAND_IN_OLLAMA_DELAY_S", "0.5")
    handle = ensure_server(host, data_dir=tmp_path / "data", timeout_s=15)
    assert handle.started and handle.version == "0.12.6"
    assert f"Listening on {host.split('://')[1]}" in handle.log_path.read_text()
    assert handle.stop() == 0
    assert not alive(stand_in()) and server_version(host) is None


def test_a_server_that_ignores_sigterm_is_killed_after_the_grace_period(stand_in, host, tmp_path, monkeypatch):
    monkeypatch.setenv("STAND_IN_OLLAMA_IGNORE_TERM", "1")
    handle = ensure_server(host, data_dir=tmp_path, timeout_s=15)
    assert handle.stop(grace_s=0.3) == -signal.SIGKILL
    assert not alive(stand_in())


def test_a_server_that_dies_while_starting_is_reported_with_its_log(stand_in, host, tmp_path, monkeypatch):
    monkeypatch.setenv("STAND_IN_OLLAMA_CRASH", "Error: could not create directory mkdir /models: permission denied")
    with pytest.raises(OllamaStartFailed) as info:
        ensure_server(host, data_dir=tmp_path, timeout_s=15)
    assert "exited with code 1" in str(info.value)
    assert "mkdir /models: permission denied" in info.value.log_tail


def test_a_server_still_silent_at_the_deadline_is_stopped(stand_in, host, tmp_path, monkeypatch):
    monkeypatch.setenv("STAND_IN_OLLAMA_DELAY_S", "30")
    with pytest.raises(OllamaStartTimeout, match="within 0.3 s, so it was stopped"):
        ensure_server(host, data_dir=tmp_path, timeout_s=0.3)
    assert not alive(stand_in())


def test_a_remote_host_that_does_not_answer_is_not_started_here(tmp_path, no_ollama_on_path):
    with pytest.raises(OllamaUnreachable, match="only start one on this machine"):
        ensure_server("http://192.0.2.1:11434", data_dir=tmp_path)


def test_a_failed_pull_stops_the_server_it_started(stand_in, host, settings):
    with pytest.raises(PullFailed, match="file does not exist"):
        start_ollama(replace(settings, ollama_host=host), models=["no/such:tag"], timeout_s=15)
    assert not alive(stand_in())


def test_install_runs_the_official_script_then_starts_ollama(stand_in, host, tmp_path, monkeypatch):
    bin_dir = tmp_path / "installed"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    script = (
        "PATH=/usr/bin:/bin\n"
        f"printf '#!/bin/sh\\nexec \"%s\" \"%s\" \"$@\"\\n' '{sys.executable}' '{STAND_IN}' > '{bin_dir}/ollama'\n"
        f"chmod +x '{bin_dir}/ollama'\n"
    )
    with TextServer(script, "text/x-sh") as site:
        handle = ensure_server(host, data_dir=tmp_path / "data", install=True, install_url=f"{site.url}/install.sh", timeout_s=15)
    try:
        assert handle.started and (tmp_path / "data" / "ollama-install.sh").read_text() == script
    finally:
        handle.stop()


def test_an_install_script_that_fails_is_reported(tmp_path, host, no_ollama_on_path):
    with TextServer("exit 3\n", "text/x-sh") as site, pytest.raises(OllamaInstallFailed, match="exit code 3"):
        ensure_server(host, data_dir=tmp_path, install=True, install_url=f"{site.url}/install.sh")


# The script, as a user runs it -------------------------------------------------------------------


class Script:
    """start_ollama.py running in the background; its stdout is read line by line as it comes."""

    def __init__(self, cwd: Path, *args: str):
        self.proc = subprocess.Popen(
            [sys.executable, str(SCRIPT), *args], cwd=cwd, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=lambda: [self.lines.put(line) for line in self.proc.stdout], daemon=True)
        self.reader.start()

    def wait_for(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.seen):
            try:
                self.seen.append(self.lines.get(timeout=max(0.01, deadline - time.monotonic())))
            except queue.Empty:
                raise AssertionError(f"no {text!r} within {timeout} s; stdout so far: {''.join(self.seen)!r}") from None

    def finish(self, timeout: float = 20.0) -> tuple[int, str, str]:
        code = self.proc.wait(timeout)
        stderr = self.proc.stderr.read()
        self.reader.join(timeout)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code, "".join(self.seen), stderr


@pytest.fixture
def run(tmp_path):
    """Run start_ollama.py to the end (in tmp_path, so no developer .env is read)."""

    def run(*args: str) -> tuple[int, str, str]:
        return Script(tmp_path, *args).finish()

    return run


def test_script_starts_pulls_serves_and_stops_on_sigterm(stand_in, host, tmp_path):
    script = Script(tmp_path, "--models", "coder:8b")
    script.wait_for("Ctrl-C or SIGTERM stops it")
    pid = stand_in()
    assert server_version(host) == "0.12.6"
    script.proc.send_signal(signal.SIGTERM)
    code, out, err = script.finish()
    assert code == 0, err
    for line in ("pulling coder:8b", "pulling manifest", " 50% (2.5 GB of 4.9 GB)", "100% (4.9 GB of 4.9 GB)",
                 "success", f"ready: Ollama 0.12.6 at {host} (started here)", "model coder:8b  4.9 GB",
                 "ollama serve stopped"):
        assert line in out
    assert not alive(pid) and server_version(host) is None
    assert "Listening on" in (tmp_path / "data" / "ollama.log").read_text()


def test_script_stops_the_server_on_ctrl_c(stand_in, host, tmp_path):
    script = Script(tmp_path, "--models", "coder:8b", "--no-pull")
    script.wait_for("Ctrl-C or SIGTERM stops it")
    pid = stand_in()
    script.proc.send_signal(signal.SIGINT)
    code, out, err = script.finish()
    assert code == 0, err
    assert "not pulled: coder:8b" in out and "pulling" not in out
    assert not alive(pid)


def test_script_reuses_a_running_server_and_exits(run, monkeypatch, no_ollama_on_path):
    with OllamaServer(models=["seed-coder-test:latest"]) as server:
        monkeypatch.setenv("OLLAMA_HOST", server.url)
        code, out, err = run("--models", "seed-coder-test")
        assert code == 0, err
        assert "already running" in out and "(reused)" in out and "model seed-coder-test:latest" in out
        assert [r.path for r in server.requests if r.method == "POST"] == []


@pytest.mark.parametrize("squatter", ["http", "tcp"])
def test_script_refuses_a_port_held_by_something_else(run, monkeypatch, stand_in, squatter):
    other = LoopbackServer() if squatter == "http" else HangUpListener()
    try:
        monkeypatch.setenv("OLLAMA_HOST", other.url)
        code, out, err = run()
    finally:
        other.close()
    assert code == 1
    assert "it is not Ollama" in err and "Traceback" not in err
    assert not Path(os.environ["STAND_IN_OLLAMA_PIDFILE"]).exists()  # nothing was started


def test_script_reports_a_crash_at_start_with_the_last_log_lines(run, stand_in, host, monkeypatch):
    monkeypatch.setenv("STAND_IN_OLLAMA_CRASH", f"Error: listen tcp {host[7:]}: bind: address already in use")
    code, out, err = run()
    assert code == 1
    assert "exited with code 1 while starting" in err and "bind: address already in use" in err
    assert "Traceback" not in err


def test_script_gives_up_at_the_deadline_and_stops_the_server(run, stand_in, host, monkeypatch):
    monkeypatch.setenv("STAND_IN_OLLAMA_DELAY_S", "30")
    code, out, err = run("--timeout", "0.5")
    assert code == 1
    assert f"did not answer at {host} within 0.5 s" in err and "Traceback" not in err
    assert not alive(stand_in())


def test_script_reports_a_failing_pull_and_stops_the_server(run, stand_in, host):
    code, out, err = run("--models", "hf.co/nobody/no-such-GGUF:Q4_K_M")
    assert code == 1
    assert "could not pull hf.co/nobody/no-such-GGUF:Q4_K_M: pull model manifest: file does not exist" in err
    assert "Traceback" not in err and not alive(stand_in())


def test_script_without_ollama_or_a_server_says_how_to_install(run, host, no_ollama_on_path):
    code, out, err = run()
    assert code == 1
    for hint in ("curl -fsSL https://ollama.com/install.sh | sh", "--install", "https://ollama.com/download"):
        assert hint in err
    assert "Traceback" not in err


def test_script_rejects_bad_arguments(run):
    code, _, err = run("--timeout", "0")
    assert code == 2 and "must be greater than 0" in err


def test_script_reports_a_server_that_exits_on_its_own(stand_in, host, tmp_path):
    script = Script(tmp_path, "--no-pull")
    script.wait_for("Ctrl-C or SIGTERM stops it")
    os.kill(stand_in(), signal.SIGKILL)
    code, out, err = script.finish()
    assert code == 1
    assert "ollama serve exited on its own with code -9" in err and "ollama.log" in err


def test_pull_progress_updates_one_line_in_place_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    printer = PullPrinter(out)
    layer = dict(status="pulling 3f6a1c0e9b2d", total=1000)
    for progress in (PullProgress("pulling manifest"), PullProgress(**layer, completed=500),
                     PullProgress(**layer, completed=1000), PullProgress("success")):
        printer("coder:8b", progress)
    lines = out.getvalue().split("\n")
    assert lines[0] == "\r  pulling manifest\x1b[K"
    assert lines[1] == "  pulling 3f6a1c0e9b2d  50% (500 B of 1.0 kB)\x1b[K\r  pulling 3f6a1c0e9b2d 100% (1.0 kB of 1.0 kB)\x1b[K"
    assert lines[2:] == ["  success\x1b[K", ""]


def test_a_web_page_where_ollama_should_be_is_named_by_its_title_on_one_line():
    with WebPageServer(200, "Jenkins [Jenkins]") as web, pytest.raises(NotOllama) as info:
        server_version(web.url)
    message = str(info.value)
    assert "Jenkins [Jenkins]" in message and "not JSON" in message
    assert "<" not in message and "\n" not in message
