"""Ollama beside JFDI: reuse or start a server, wait until it answers, pull the models it needs.

`start_ollama.py` is a thin command line over `start_ollama()`; app.py calls the same function when
JFDI_START_OLLAMA=1. The Settings panel uses `list_models()` and `pull()`. Nothing here imports
Gradio; every failure is a typed `OllamaError` whose message says what to do."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import httpx

from .config import Settings, load_settings
from .errors import BadInput, JFDIError
from .net import error_message

INSTALL_URL = "https://ollama.com/install.sh"
DOWNLOAD_PAGE = "https://ollama.com/download"
LOG_NAME = "ollama.log"
STOP_GRACE_S = 10.0
LOG_TAIL_LINES = 15
# Loopback answers come in milliseconds; a port that accepts but stays silent is not Ollama.
PROBE_TIMEOUT = httpx.Timeout(connect=1.0, read=2.0, write=2.0, pool=1.0)
LIST_TIMEOUT = httpx.Timeout(connect=2.0, read=5.0, write=5.0, pool=2.0)
# A pull takes minutes; the read timeout bounds only the silence between two progress lines.
PULL_TIMEOUT = httpx.Timeout(connect=5.0, read=300.0, write=30.0, pool=5.0)
TAG_HINT = (
    "Check the tag: Ollama library models look like qwen2.5-coder:7b, "
    "GGUF builds on Hugging Face like hf.co/<user>/<repo>:<quant>."
)

Say = Callable[[str], None]
OnProgress = Callable[[str, "PullProgress"], None]


class OllamaError(JFDIError):
    """Ollama could not be reached, started or asked for a model."""


class OllamaUnreachable(OllamaError):
    """Nothing answers at the host."""


class NotOllama(OllamaError):
    """Something answers at the host, but it is not Ollama."""


class OllamaNotInstalled(OllamaError):
    """No `ollama` on PATH and no server to reuse."""


class OllamaInstallFailed(OllamaError):
    """Ollama's install script could not be fetched or did not succeed."""


class OllamaStartFailed(OllamaError):
    """`ollama serve` died while starting; `log_tail` holds the last lines it wrote."""

    def __init__(self, message: str, log_tail: str = ""):
        super().__init__(f"{message}\nlast lines of its log:\n{log_tail}" if log_tail else message)
        self.log_tail = log_tail


class OllamaStartTimeout(OllamaStartFailed):
    """`ollama serve` did not answer before the deadline (it has been stopped)."""


class PullFailed(OllamaError):
    def __init__(self, tag: str, reason: str, hint: str = ""):
        super().__init__(f"Ollama could not pull {tag}: {reason}" + (f". {hint}" if hint else ""))
        self.tag = tag
        self.reason = reason


@dataclass(frozen=True)
class ModelInfo:
    """One model the server has, as /api/tags lists it."""

    name: str
    size: int  # bytes on disk
    modified_at: str = ""
    family: str = ""
    parameter_size: str = ""
    quantization: str = ""

    @property
    def size_label(self) -> str:
        return human_size(self.size)


@dataclass(frozen=True)
class PullProgress:
    """One line of /api/pull's stream: a status, and byte counts while a layer downloads."""

    status: str
    completed: int | None = None
    total: int | None = None
    digest: str = ""

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, (self.completed or 0) / self.total)

    def describe(self) -> str:
        if self.fraction is None:
            return self.status
        return f"{self.status} {self.fraction:4.0%} ({human_size(self.completed or 0)} of {human_size(self.total or 0)})"


@dataclass
class OllamaHandle:
    """The server JFDI talks to. `process` is None when an already running server was reused;
    `stop()` only ever stops a server that this handle started."""

    host: str
    version: str
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    models: tuple[ModelInfo, ...] = ()
    missing: tuple[str, ...] = ()  # requested but not pulled (pulling was turned off)

    @property
    def started(self) -> bool:
        return self.process is not None

    def wait(self) -> int | None:
        """Block until the started server exits; its exit code (None for a reused server)."""
        return None if self.process is None else self.process.wait()

    def stop(self, grace_s: float = STOP_GRACE_S) -> int | None:
        """Terminate the started server, kill it if it is still there after `grace_s`; its exit code."""
        return None if self.process is None else _stop(self.process, grace_s)


def human_size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def has_model(names: Sequence[str], tag: str) -> bool:
    # Ollama lists "llama3:latest" for a model pulled as "llama3".
    wanted = {tag, f"{tag}:latest"}
    return any(name in wanted for name in names)


# The server's API -------------------------------------------------------------------------------


@contextmanager
def _http(client: httpx.Client | None) -> Iterator[httpx.Client]:
    if client is not None:
        yield client
    else:
        with httpx.Client() as own:
            yield own


def _why(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _not_ollama(host: str, what: str) -> NotOllama:
    return NotOllama(
        f"something is listening at {host}, but it is not Ollama: it {what}. Stop that program, "
        "or give Ollama another port, e.g. OLLAMA_HOST=http://127.0.0.1:11435"
    )


def _unreachable(host: str) -> OllamaUnreachable:
    return OllamaUnreachable(f"no Ollama server answers at {host}; start one with: python start_ollama.py")


def _json_answer(host: str, response: httpx.Response, path: str) -> dict:
    if response.status_code != 200:
        raise _not_ollama(host, f"answered HTTP {response.status_code} to {path}")
    try:
        data = response.json()
    except ValueError:
        raise _not_ollama(host, f"answered {path} with {error_message(response.text)[:80]!r}, which is not JSON") from None
    if not isinstance(data, dict):
        raise _not_ollama(host, f"answered {path} with {response.text[:80]!r}")
    return data


def server_version(host: str, client: httpx.Client | None = None) -> str | None:
    """Ollama's version at `host`, or None when nothing listens there.

    Raises NotOllama when something else holds the port (an HTTP server with another API, or a
    listener that does not speak HTTP)."""
    try:
        with _http(client) as http:
            response = http.get(f"{host}/api/version", timeout=PROBE_TIMEOUT)
    except (httpx.ConnectError, httpx.ConnectTimeout):
        return None
    except httpx.TransportError as exc:
        raise _not_ollama(host, f"accepted a connection but did not answer /api/version over HTTP ({_why(exc)})") from None
    version = _json_answer(host, response, "/api/version").get("version")
    if not isinstance(version, str):
        raise _not_ollama(host, f"answered /api/version without a version: {response.text[:80]!r}")
    return version


def list_models(host: str, client: httpx.Client | None = None) -> list[ModelInfo]:
    """The models the server has (GET /api/tags), in its order."""
    try:
        with _http(client) as http:
            response = http.get(f"{host}/api/tags", timeout=LIST_TIMEOUT)
    except (httpx.ConnectError, httpx.ConnectTimeout):
        raise _unreachable(host) from None
    except httpx.TransportError as exc:
        raise OllamaUnreachable(f"Ollama at {host} did not answer /api/tags: {_why(exc)}") from None
    entries = _json_answer(host, response, "/api/tags").get("models") or []
    models = []
    for entry in entries:
        details = entry.get("details") or {}
        models.append(ModelInfo(
            name=str(entry.get("name") or entry.get("model") or ""),
            size=int(entry.get("size") or 0),
            modified_at=str(entry.get("modified_at") or ""),
            family=str(details.get("family") or ""),
            parameter_size=str(details.get("parameter_size") or ""),
            quantization=str(details.get("quantization_level") or ""),
        ))
    return models


def pull(host: str, tag: str, client: httpx.Client | None = None) -> Iterator[PullProgress]:
    """Pull `tag` (POST /api/pull), yielding each progress line until Ollama reports success.

    Raises PullFailed when Ollama refuses the tag or the download breaks off, OllamaUnreachable
    when no server answers, BadInput for an empty tag."""
    tag = tag.strip()
    if not tag:
        raise BadInput(f"enter a model tag to pull. {TAG_HINT}")
    try:
        with _http(client) as http, http.stream(
            "POST", f"{host}/api/pull", json={"model": tag, "stream": True}, timeout=PULL_TIMEOUT
        ) as response:
            if response.status_code != 200:
                body = response.read().decode("utf-8", "replace")
                raise PullFailed(tag, f"HTTP {response.status_code}: {error_message(body)}", TAG_HINT)
            for line in response.iter_lines():
                if not line.strip():
                    continue
                event = _pull_event(tag, line)
                if "error" in event:
                    raise PullFailed(tag, str(event["error"]), TAG_HINT)
                progress = PullProgress(
                    status=str(event.get("status") or ""),
                    completed=event.get("completed"),
                    total=event.get("total"),
                    digest=str(event.get("digest") or ""),
                )
                yield progress
                if progress.status == "success":
                    return
            raise PullFailed(tag, "the stream ended before Ollama reported success; try again")
    except (httpx.ConnectError, httpx.ConnectTimeout):
        raise _unreachable(host) from None
    except httpx.TimeoutException:
        raise PullFailed(tag, f"no progress from Ollama for {PULL_TIMEOUT.read:.0f} s") from None
    except httpx.TransportError as exc:
        raise PullFailed(tag, f"the connection to Ollama broke: {_why(exc)}; try again") from None


def _pull_event(tag: str, line: str) -> dict:
    try:
        event = json.loads(line)
    except ValueError:
        event = None
    if not isinstance(event, dict):
        raise PullFailed(tag, f"Ollama sent a line that is not JSON: {line[:80]!r}")
    return event


# The server's process ---------------------------------------------------------------------------


def _quiet(_: str) -> None:
    pass


def start_ollama(
    settings: Settings | None = None,
    *,
    models: Sequence[str] | None = None,
    install: bool = False,
    timeout_s: float = 60.0,
    pull_models: bool = True,
    say: Say = _quiet,
    on_progress: OnProgress | None = None,
    client: httpx.Client | None = None,
    install_url: str = INSTALL_URL,
) -> OllamaHandle:
    """Reuse the server at OLLAMA_HOST or start `ollama serve`, then pull the missing `models`
    (default: JFDI_OLLAMA_MODEL). `timeout_s` bounds the wait for a started server to answer.
    If anything fails after this call started a server, that server is stopped before the error
    is raised, so nothing is left running."""
    settings = settings or load_settings()
    tags = [settings.ollama_model] if models is None else [t.strip() for t in models if t.strip()]
    handle = ensure_server(
        settings.ollama_host, data_dir=settings.data_dir, install=install, timeout_s=timeout_s,
        say=say, client=client, install_url=install_url,
    )
    try:
        available = list_models(handle.host, client)
        missing = [tag for tag in tags if not has_model([m.name for m in available], tag)]
        if pull_models and missing:
            for tag in missing:
                say(f"pulling {tag}")
                for progress in pull(handle.host, tag, client):
                    if on_progress is not None:
                        on_progress(tag, progress)
            available = list_models(handle.host, client)
            missing = [tag for tag in tags if not has_model([m.name for m in available], tag)]
    except BaseException:
        handle.stop()
        raise
    handle.models, handle.missing = tuple(available), tuple(missing)
    return handle


def ensure_server(
    host: str,
    *,
    data_dir: Path,
    install: bool = False,
    timeout_s: float = 60.0,
    say: Say = _quiet,
    client: httpx.Client | None = None,
    install_url: str = INSTALL_URL,
) -> OllamaHandle:
    """A handle on a server that answers at `host`: the running one, or a new `ollama serve`."""
    version = server_version(host, client)
    if version is not None:
        say(f"Ollama {version} is already running at {host}; using it")
        return OllamaHandle(host=host, version=version)
    if httpx.URL(host).host not in ("127.0.0.1", "::1", "localhost"):
        raise OllamaUnreachable(
            f"no Ollama server answers at {host}, and start_ollama.py can only start one on this machine. "
            "Start Ollama on that host, or unset OLLAMA_HOST to run one here"
        )
    binary = shutil.which("ollama")
    if binary is None and install:
        install_ollama(data_dir=data_dir, say=say, url=install_url, client=client)
        version = server_version(host, client)  # on Linux the script may start a system service
        if version is not None:
            say(f"Ollama {version} is running at {host} (started by the installer); using it")
            return OllamaHandle(host=host, version=version)
        binary = shutil.which("ollama")
        if binary is None:
            raise OllamaInstallFailed(
                f"Ollama's install script finished, but there is still no `ollama` on PATH; "
                f"open a new shell and try again, or download Ollama from {DOWNLOAD_PAGE}"
            )
    if binary is None:
        raise OllamaNotInstalled(
            f"Ollama is not installed (no `ollama` on PATH) and no server answers at {host}. Install it "
            f"with its official script: curl -fsSL {INSTALL_URL} | sh  (or run: python start_ollama.py "
            f"--install), or download it from {DOWNLOAD_PAGE}"
        )
    return _serve(binary, host, data_dir, timeout_s, say, client)


def _serve(binary: str, host: str, data_dir: Path, timeout_s: float, say: Say, client: httpx.Client | None) -> OllamaHandle:
    url = httpx.URL(host)
    address = f"[{url.host}]:{url.port}" if ":" in url.host else f"{url.host}:{url.port}"
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / LOG_NAME
    with open(log_path, "ab") as log:
        log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {binary} serve on {address}\n".encode())
        log.flush()
        offset = log.tell()
        try:
            # A session of its own: Ctrl-C in the terminal reaches this process, which then stops
            # the server in order, instead of both racing to exit.
            process = subprocess.Popen(
                [binary, "serve"], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "OLLAMA_HOST": address}, start_new_session=True,
            )
        except OSError as exc:
            raise OllamaStartFailed(f"could not run {binary} serve: {exc}") from None
    say(f"started {binary} serve on {address} (pid {process.pid}); log: {log_path}")
    try:
        version = _wait_ready(host, process, log_path, offset, timeout_s, client)
    except BaseException:
        _stop(process, STOP_GRACE_S)
        raise
    say(f"Ollama {version} is answering at {host}")
    return OllamaHandle(host=host, version=version, process=process, log_path=log_path)


def _wait_ready(host: str, process: subprocess.Popen, log_path: Path, offset: int, timeout_s: float, client: httpx.Client | None) -> str:
    """Poll /api/version until it answers, the process exits, or the deadline passes."""
    deadline = time.monotonic() + timeout_s
    pause = 0.05
    while True:
        code = process.poll()
        if code is not None:
            raise OllamaStartFailed(f"ollama serve exited with code {code} while starting", _log_tail(log_path, offset))
        try:
            version = server_version(host, client)
        except NotOllama:
            # The port was free a moment ago: a server still coming up may accept before it
            # answers, and if another program took the port, `ollama serve` exits and says so.
            version = None
        if version is not None:
            return version
        left = deadline - time.monotonic()
        if left <= 0:
            raise OllamaStartTimeout(
                f"ollama serve did not answer at {host} within {timeout_s:g} s, so it was stopped; "
                f"allow longer with --timeout, or read {log_path}",
                _log_tail(log_path, offset),
            )
        time.sleep(min(pause, left))
        pause = min(pause * 1.5, 0.5)


def _log_tail(log_path: Path, offset: int) -> str:
    with open(log_path, "rb") as log:
        log.seek(offset)
        lines = log.read().decode("utf-8", "replace").splitlines()
    return "\n".join(lines[-LOG_TAIL_LINES:])


def _stop(process: subprocess.Popen, grace_s: float) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def install_ollama(*, data_dir: Path, say: Say = _quiet, url: str = INSTALL_URL, client: httpx.Client | None = None) -> None:
    """Download Ollama's official install script into `data_dir` and run it (Linux only)."""
    if not sys.platform.startswith("linux"):
        raise OllamaInstallFailed(f"Ollama's install script is for Linux; download Ollama from {DOWNLOAD_PAGE}")
    say(f"downloading Ollama's install script from {url}")
    try:
        with _http(client) as http:
            response = http.get(url, follow_redirects=True, timeout=PULL_TIMEOUT)
            response.raise_for_status()
    except httpx.HTTPError as exc:
        raise OllamaInstallFailed(f"could not download {url} ({_why(exc)}); download Ollama from {DOWNLOAD_PAGE}") from None
    data_dir.mkdir(parents=True, exist_ok=True)
    script = data_dir / "ollama-install.sh"
    script.write_bytes(response.content)
    say(f"running {script} (it may ask for your password to install system-wide)")
    code = subprocess.call(["/bin/sh", str(script)])
    if code != 0:
        raise OllamaInstallFailed(
            f"Ollama's install script failed with exit code {code} (its output is above); "
            f"download Ollama from {DOWNLOAD_PAGE} instead"
        )
