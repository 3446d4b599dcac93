"""Loopback servers that speak each service's real wire protocol, faults included.

Tests (and benchmarks) point the real clients at these: the anthropic SDK at an Anthropic
Messages SSE server, httpx at an OpenAI-style SSE server and at Ollama's NDJSON API. Each server
answers requests from a queue of scripted `Reply`s (`server.enqueue(Reply(...))`), falling back
to `server.default` (or to `server.reply_for(request)`, a reply made from what was asked), and
records what it received in `server.requests`."""

from __future__ import annotations

import base64
import binascii
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


@dataclass
class Reply:
    """What the server does with the next request."""

    text: str = "export default function App() {\n  return <div className=\"p-4\">Hello</div>;\n}\n"
    chunks: list[str] | None = None  # explicit chunks; else `text` split into about 8 pieces
    status: int = 200
    error: str = ""  # the service's error type/message for non-200 replies and error events
    headers: dict[str, str] = field(default_factory=dict)
    # None, or one of:
    #   "cut"        close the connection after `cut_after` chunks, no end marker (chunked encoding broken)
    #   "cut_clean"  end the body cleanly after `cut_after` chunks, but without the end marker
    #   "hang"       send headers (and `cut_after` chunks), then go silent
    #   "hang_headers"  accept the request and never answer
    #   "reset"      accept the request and drop the connection without a response
    #   "malformed"  send a line that is not valid protocol after `cut_after` chunks
    #   "error_event" send the service's in-stream error after `cut_after` chunks
    #   "whole"      (OpenAI-style only) one chat.completion JSON document, as a server that ignores stream=true
    fault: str | None = None
    cut_after: int = 0
    delay_s: float = 0.0  # between chunks
    usage: tuple[int, int] | None = None  # (input, output) tokens reported; default: estimated
    cost: float | None = None  # OpenRouter's reported cost
    # How the answer ends, in the service's own field (Anthropic's stop_reason, OpenAI's
    # finish_reason, Ollama's done_reason): None is its ordinary end; "max_tokens" or "length"
    # say the token limit cut it off.
    stop: str | None = None

    def pieces(self) -> list[str]:
        if self.chunks is not None:
            return list(self.chunks)
        size = max(1, len(self.text) // 8)
        return [self.text[i : i + size] for i in range(0, len(self.text), size)]


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that hang up mid-reply (a cancelled stream, a timeout) are part of the tests.
        pass


class LoopbackServer:
    """A threaded HTTP/1.1 server on 127.0.0.1, on a free port unless `port` names one."""

    def __init__(self, port: int = 0) -> None:
        self.queue: deque[Reply] = deque()
        self.default: Reply | None = Reply()
        # When set, a request that finds the queue empty gets reply_for(request): an answer to
        # what it asked, so that many concurrent clients can each check they got their own.
        self.reply_for: Callable[[Received], Reply] | None = None
        self.requests: list[Received] = []
        self.sent_at: list[float] = []  # time.monotonic() of each streamed frame, for latency benchmarks
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                owner._dispatch(self, "GET")

            def do_POST(self):
                owner._dispatch(self, "POST")

        self.httpd = _QuietServer(("127.0.0.1", port), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    # scripting

    def enqueue(self, *replies: Reply) -> "LoopbackServer":
        with self._lock:
            self.queue.extend(replies)
        return self

    def next_reply(self, received: Received | None = None) -> Reply:
        with self._lock:
            if self.queue:
                return self.queue.popleft()
        if self.reply_for is not None and received is not None:
            return self.reply_for(received)
        if self.default is None:
            return Reply(status=500, error="nothing enqueued")
        return self.default

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # plumbing

    def _dispatch(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("content-length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        received = Received(method, handler.path, {k.lower(): v for k, v in handler.headers.items()}, body)
        with self._lock:
            self.requests.append(received)
        self.route(Exchange(handler, self), received)

    def route(self, ex: "Exchange", req: Received) -> None:
        ex.json(404, {"error": f"no route for {req.method} {req.path}"})

    def wait(self, seconds: float) -> None:
        """Sleep, but wake when the server closes, so hung replies end with the test."""
        self.stopping.wait(seconds)


class Exchange:
    """One response being written: plain JSON, or a chunked stream that may be cut."""

    def __init__(self, handler: BaseHTTPRequestHandler, server: LoopbackServer):
        self.handler = handler
        self.server = server

    def json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        h = self.handler
        h.send_response(status)
        h.send_header("content-type", "application/json")
        h.send_header("content-length", str(len(data)))
        for key, value in (headers or {}).items():
            h.send_header(key, value)
        h.end_headers()
        h.wfile.write(data)

    def stream(self, reply: Reply, content_type: str, frames: list[bytes], end: list[bytes], *, error_frame: bytes = b"", malformed: bytes = b"") -> None:
        """Send `frames` then `end`, applying the reply's fault."""
        h = self.handler
        if reply.fault == "reset":
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)
            return
        if reply.fault == "hang_headers":
            self.server.wait(60)
            h.close_connection = True
            return
        h.send_response(200)
        h.send_header("content-type", content_type)
        h.send_header("cache-control", "no-cache")
        clean_cut = reply.fault == "cut_clean"
        if clean_cut:
            h.send_header("connection", "close")
        else:
            h.send_header("transfer-encoding", "chunked")
        for key, value in reply.headers.items():
            h.send_header(key, value)
        h.end_headers()
        write = (lambda data: h.wfile.write(data)) if clean_cut else (lambda data: _write_chunk(h, data))
        limit = reply.cut_after if reply.fault else len(frames)
        try:
            for frame in frames[:limit]:
                write(frame)
                h.wfile.flush()
                self.server.sent_at.append(time.monotonic())
                if reply.delay_s:
                    self.server.wait(reply.delay_s)
            if reply.fault is None:
                for frame in end:
                    write(frame)
                h.wfile.write(b"0\r\n\r\n")
            elif reply.fault == "cut":
                h.wfile.flush()
                h.close_connection = True
                h.connection.shutdown(socket.SHUT_RDWR)
                return
            elif reply.fault == "cut_clean":
                h.close_connection = True
                return
            elif reply.fault == "hang":
                h.wfile.flush()
                self.server.wait(60)
                h.close_connection = True
                return
            elif reply.fault == "malformed":
                write(malformed)
                h.wfile.flush()
                self.server.wait(0.2)
                h.wfile.write(b"0\r\n\r\n")
            elif reply.fault == "error_event":
                write(error_frame)
                h.wfile.write(b"0\r\n\r\n")
            h.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            h.close_connection = True


def _write_chunk(handler: BaseHTTPRequestHandler, data: bytes) -> None:
    handler.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")


def _estimate_tokens(value: Any) -> int:
    return max(1, len(json.dumps(value)) // 4)


# Images, checked as the services check them ---------------------------------------------------------

IMAGE_MAGIC = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}


_BASE64_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")


class ImageRefused(Exception):
    """What a service answers to an image it cannot take (HTTP 400 and its message)."""


def content_parts(body: dict):
    """(message index, part index, part) for each message whose content is a list of parts."""
    for m, message in enumerate(body.get("messages") or []):
        content = message.get("content")
        if isinstance(content, list):
            for index, part in enumerate(content):
                yield m, index, part


def decode_image(data: Any, media_type: str, where: str, max_bytes: int | None = None) -> bytes:
    """The image's bytes from base64, refused as the services refuse them: not base64, a type they
    do not take, content that is not what the type says, over their size limit."""
    if media_type not in IMAGE_MAGIC:
        raise ImageRefused(f"{where}: media type {media_type!r} is not one of image/jpeg, image/png, image/gif, image/webp")
    if not isinstance(data, str):
        raise ImageRefused(f"{where}: expected a base64 string")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ImageRefused(f"{where}: illegal base64 data") from None
    if not raw.startswith(IMAGE_MAGIC[media_type]):
        raise ImageRefused(f"{where}: Image does not match the provided media type {media_type}")
    if max_bytes is not None and len(data) > max_bytes:
        raise ImageRefused(f"{where}: image exceeds 5 MB maximum: {len(data)} bytes > {max_bytes} bytes")
    return raw


# Anthropic Messages API ------------------------------------------------------------------------

ANTHROPIC_ERRORS = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


ANTHROPIC_MAX_IMAGE_BASE64 = 5 * 1024 * 1024
ANTHROPIC_MAX_IMAGE_SIDE = 8000


class AnthropicServer(LoopbackServer):
    """POST /v1/messages with stream=true: message_start … message_stop, as the API sends them.
    Content blocks are checked as the API checks them: text blocks, and image blocks with a base64
    source whose bytes are the media type they claim, at most 5 MB and 8000 pixels a side; the
    images of each request are kept in `images` (decoded bytes), a list per request."""

    def __init__(self, port: int = 0) -> None:
        super().__init__(port)
        self.images: list[list[bytes]] = []

    def route(self, ex: Exchange, req: Received) -> None:
        if req.method != "POST" or not req.path.startswith("/v1/messages"):
            return super().route(ex, req)
        if not (req.headers.get("x-api-key") or req.headers.get("authorization")):
            return ex.json(401, {"type": "error", "error": {"type": "authentication_error", "message": "x-api-key header is required"}})
        try:
            self.images.append(self._images(req.body or {}))
        except ImageRefused as exc:
            return ex.json(400, {"type": "error", "error": {"type": "invalid_request_error", "message": str(exc)}})
        reply = self.next_reply(req)
        if reply.status != 200:
            kind = ANTHROPIC_ERRORS.get(reply.status, "api_error")
            return ex.json(
                reply.status,
                {"type": "error", "error": {"type": kind, "message": reply.error or kind}},
                reply.headers,
            )
        body = req.body or {}
        model = body.get("model", "claude")
        pieces = reply.pieces()
        tokens_in, tokens_out = reply.usage or (_estimate_tokens(body.get("messages")), len(pieces))

        def event(name: str, data: dict) -> bytes:
            return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()

        frames = [
            event("message_start", {"type": "message_start", "message": {
                "id": "msg_loopback", "type": "message", "role": "assistant", "model": model, "content": [],
                "stop_reason": None, "stop_sequence": None,
                "usage": {"input_tokens": tokens_in, "output_tokens": 1}}}),
            event("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
            event("ping", {"type": "ping"}),
        ]
        body_frames = [
            event("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}})
            for p in pieces
        ]
        end = [
            event("content_block_stop", {"type": "content_block_stop", "index": 0}),
            event("message_delta", {"type": "message_delta", "delta": {"stop_reason": reply.stop or "end_turn", "stop_sequence": None}, "usage": {"output_tokens": tokens_out}}),
            event("message_stop", {"type": "message_stop"}),
        ]
        if reply.fault:
            reply = _shift_cut(reply, len(frames))
        ex.stream(
            reply, "text/event-stream", frames + body_frames, end,
            error_frame=event("error", {"type": "error", "error": {"type": reply.error or "overloaded_error", "message": "Overloaded"}}),
            malformed=b"event: content_block_delta\ndata: {not json\n\n",
        )

    @staticmethod
    def _images(body: dict) -> list[bytes]:
        found = []
        for m, b, block in content_parts(body):
            where = f"messages.{m}.content.{b}"
            if block.get("type") == "text":
                if not isinstance(block.get("text"), str):
                    raise ImageRefused(f"{where}.text: Field required")
                continue
            if block.get("type") != "image":
                raise ImageRefused(f"{where}.type: Input tag {block.get('type')!r} found is not one of the expected tags")
            source = block.get("source") or {}
            if source.get("type") != "base64":
                raise ImageRefused(f"{where}.image.source: only base64 images are served here")
            raw = decode_image(source.get("data"), source.get("media_type"), f"{where}.image.source.base64",
                               ANTHROPIC_MAX_IMAGE_BASE64)
            width, height = _image_size(raw)
            if max(width, height) > ANTHROPIC_MAX_IMAGE_SIDE:
                raise ImageRefused(f"{where}.image.source.base64: image dimensions exceed max allowed size: 8000 pixels")
            found.append(raw)
        return found


def _image_size(raw: bytes) -> tuple[int, int]:
    import io

    from PIL import Image

    with Image.open(io.BytesIO(raw)) as image:
        return image.size


# OpenAI-style chat completions (OpenRouter, vLLM, LM Studio, Ollama's /v1) ------------------------


class OpenAIServer(LoopbackServer):
    """POST …/chat/completions with stream=true: chat.completion.chunk events and [DONE].
    A message's content is a string or a list of parts, "text" or "image_url" with a base64 data
    URI, checked as OpenAI checks them. Models named in `vision_models` take images (None: every
    model); another one answers as OpenRouter does when no endpoint of a model takes images. The
    images of each request are kept in `images` (decoded bytes), a list per request."""

    processing_comments = True  # OpenRouter sends ": OPENROUTER PROCESSING" keep-alives

    def __init__(self, port: int = 0, vision_models: set[str] | None = None) -> None:
        super().__init__(port)
        self.vision_models = vision_models
        self.images: list[list[bytes]] = []

    def route(self, ex: Exchange, req: Received) -> None:
        if req.method != "POST" or not req.path.endswith("/chat/completions"):
            return super().route(ex, req)
        body = req.body or {}
        try:
            images = self._images(body)
        except ImageRefused as exc:
            return ex.json(400, {"error": {"message": str(exc), "type": "invalid_request_error", "code": 400}})
        if images and self.vision_models is not None and body.get("model") not in self.vision_models:
            return ex.json(404, {"error": {"message": "No endpoints found that support image input", "code": 404}})
        self.images.append(images)
        reply = self.next_reply(req)
        if reply.status != 200:
            return ex.json(reply.status, {"error": {"message": reply.error or "error", "code": reply.status}}, reply.headers)
        body = req.body or {}
        model = body.get("model", "model")
        pieces = reply.pieces()
        tokens_in, tokens_out = reply.usage or (_estimate_tokens(body.get("messages")), len(pieces))
        if reply.fault == "whole":
            return ex.json(200, {
                "id": "gen-loopback", "object": "chat.completion", "created": 0, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": tokens_in, "completion_tokens": tokens_out, "total_tokens": tokens_in + tokens_out},
            })

        def chunk(delta: dict, finish: str | None = None) -> bytes:
            data = {"id": "gen-loopback", "object": "chat.completion.chunk", "created": 0, "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            return f"data: {json.dumps(data)}\n\n".encode()

        frames = [b": OPENROUTER PROCESSING\n\n"] if self.processing_comments else []
        frames += [chunk({"role": "assistant", "content": p}) for p in pieces]
        usage = {"prompt_tokens": tokens_in, "completion_tokens": tokens_out, "total_tokens": tokens_in + tokens_out}
        if reply.cost is not None:
            usage["cost"] = reply.cost
        end = [
            chunk({}, reply.stop or "stop"),
            f"data: {json.dumps({'id': 'gen-loopback', 'object': 'chat.completion.chunk', 'model': model, 'choices': [], 'usage': usage})}\n\n".encode(),
            b"data: [DONE]\n\n",
        ]
        if reply.fault:
            reply = _shift_cut(reply, 1 if self.processing_comments else 0)
        error = {"error": {"code": 502, "message": reply.error or "Provider returned error"},
                 "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "error"}]}
        ex.stream(
            reply, "text/event-stream", frames, end,
            error_frame=f"data: {json.dumps(error)}\n\n".encode(),
            malformed=b"data: {\"choices\": [\n\n",
        )

    @staticmethod
    def _images(body: dict) -> list[bytes]:
        found = []
        for m, p, part in content_parts(body):
            where = f"messages[{m}].content[{p}]"
            if part.get("type") == "text":
                continue
            if part.get("type") != "image_url":
                raise ImageRefused(f"Invalid value for '{where}.type': {part.get('type')!r}")
            url = (part.get("image_url") or {}).get("url") or ""
            header, comma, data = url.partition(",")
            if not (header.startswith("data:") and header.endswith(";base64") and comma):
                raise ImageRefused(f"Invalid image URL in '{where}': expected a base64 data URI")
            found.append(decode_image(data, header[5:-7], where))
        return found


# Ollama native API ---------------------------------------------------------------------------------


class OllamaServer(LoopbackServer):
    """/api/chat NDJSON streaming, /api/tags, /api/version, /api/pull, as Ollama answers them.
    A message's `images` are bare base64 strings (a data: URI is not base64 to Ollama); models in
    `vision_models` take them, another model answers with Ollama's error for a model without a
    vision projector. The images of each request are kept in `images` (decoded bytes)."""

    def __init__(self, models: list[str] | None = None, version: str = "0.12.6", port: int = 0,
                 vision_models: set[str] | None = None):
        super().__init__(port)
        self.vision_models = set(vision_models or ())
        self.images: list[list[bytes]] = []
        self.models = list(models or [])
        self.version = version
        self.pull_script: Callable[[str], list[dict]] | None = None

    def route(self, ex: Exchange, req: Received) -> None:
        if req.method == "GET" and req.path == "/api/version":
            return ex.json(200, {"version": self.version})
        if req.method == "GET" and req.path == "/api/tags":
            return ex.json(200, {"models": [{"name": m, "model": m, "size": 4_920_000_000} for m in self.models]})
        if req.method == "GET" and req.path == "/":
            return ex.json(200, "Ollama is running")
        if req.method == "POST" and req.path == "/api/pull":
            return self._pull(ex, req)
        if req.method == "POST" and req.path == "/api/chat":
            return self._chat(ex, req)
        return super().route(ex, req)

    def _chat(self, ex: Exchange, req: Received) -> None:
        body = req.body or {}
        model = body.get("model", "")
        if self.models and model not in self.models and f"{model}:latest" not in self.models:
            return ex.json(404, {"error": f'model "{model}" not found, try pulling it first'})
        images = []
        for message in body.get("messages") or []:
            for data in message.get("images") or []:
                try:
                    images.append(base64.b64decode(data, validate=True))
                except (binascii.Error, ValueError, TypeError):  # Go's encoding/json reads a []byte from base64
                    text = data if isinstance(data, str) else ""
                    at = next((i for i, c in enumerate(text) if c not in _BASE64_ALPHABET), len(text))
                    return ex.json(400, {"error": f"illegal base64 data at input byte {at}"})
        if images and model not in self.vision_models:
            return ex.json(500, {"error": "this model is missing data required for image input"})
        self.images.append(images)
        reply = self.next_reply(req)
        if reply.status != 200:
            return ex.json(reply.status, {"error": reply.error or "error"}, reply.headers)
        pieces = reply.pieces()
        tokens_in, tokens_out = reply.usage or (_estimate_tokens(body.get("messages")), len(pieces))

        def line(data: dict) -> bytes:
            return (json.dumps(data) + "\n").encode()

        frames = [line({"model": model, "created_at": "2026-11-26T00:00:00Z", "message": {"role": "assistant", "content": p}, "done": False}) for p in pieces]
        end = [line({"model": model, "created_at": "2026-11-26T00:00:01Z", "message": {"role": "assistant", "content": ""},
                     "done": True, "done_reason": reply.stop or "stop", "total_duration": 1_000_000, "prompt_eval_count": tokens_in, "eval_count": tokens_out})]
        ex.stream(
            reply, "application/x-ndjson", frames, end,
            error_frame=line({"error": reply.error or "an error was encountered while running the model"}),
            malformed=b"{\"message\": \n",
        )

    def _pull(self, ex: Exchange, req: Received) -> None:
        name = (req.body or {}).get("model") or (req.body or {}).get("name") or ""
        if self.pull_script is not None:
            events = self.pull_script(name)
        else:
            events = [
                {"status": "pulling manifest"},
                {"status": "pulling 6a0746a1ec1a", "digest": "sha256:6a0746a1ec1a", "total": 1000, "completed": 500},
                {"status": "pulling 6a0746a1ec1a", "digest": "sha256:6a0746a1ec1a", "total": 1000, "completed": 1000},
                {"status": "verifying sha256 digest"},
                {"status": "writing manifest"},
                {"status": "success"},
            ]
            if name not in self.models:
                self.models.append(name)
        frames = [(json.dumps(e) + "\n").encode() for e in events]
        ex.stream(Reply(), "application/x-ndjson", frames, [])


class WebPageServer(LoopbackServer):
    """A web server that is not the API a setting should point at (a site's home page, a login
    portal, an nginx in front of a dead backend): every request gets `status` and an HTML page."""

    def __init__(self, status: int = 200, title: str = "Welcome", port: int = 0) -> None:
        super().__init__(port)
        self.status = status
        self.title = title

    def route(self, ex: Exchange, req: Received) -> None:
        page = (f"<!DOCTYPE html>\n<html>\n<head><title>{self.title}</title></head>\n"
                f"<body>\n<center><h1>{self.title}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n").encode()
        h = ex.handler
        h.send_response(self.status)
        h.send_header("content-type", "text/html; charset=utf-8")
        h.send_header("content-length", str(len(page)))
        h.end_headers()
        h.wfile.write(page)


def _shift_cut(reply: Reply, preamble: int) -> Reply:
    """Count `cut_after` in text chunks, not counting the protocol's opening frames."""
    from dataclasses import replace

    return replace(reply, cut_after=reply.cut_after + preamble)


def closed_port() -> int:
    """A port with nothing listening: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


# Ollama pulling from a registry ------------------------------------------------------------------


class OllamaRegistryServer(OllamaServer):
    """An OllamaServer whose /api/pull behaves like a pull from a registry: a tag in `registry`
    (tag -> size in bytes) streams its layer's progress and is then listed by /api/tags; any other
    tag streams Ollama's manifest error after the first line; a malformed name gets HTTP 400."""

    def __init__(self, models: list[str] | None = None, registry: dict[str, int] | None = None, port: int = 0):
        super().__init__(models, port=port)
        self.registry = dict(registry or {})

    def _pull(self, ex: Exchange, req: Received) -> None:
        name = str((req.body or {}).get("model") or (req.body or {}).get("name") or "")
        if not name or any(ch.isspace() for ch in name):
            return ex.json(400, {"error": "invalid model name"})
        events: list[dict] = [{"status": "pulling manifest"}]
        size = self.registry.get(name)
        if size is None:
            events.append({"error": "pull model manifest: file does not exist"})
        else:
            layer = {"status": "pulling 3f6a1c0e9b2d", "digest": "sha256:3f6a1c0e9b2d", "total": size}
            events.append(layer)  # Ollama leaves `completed` out until bytes arrive
            events += [{**layer, "completed": size * step // 4} for step in range(1, 5)]
            events += [{"status": "verifying sha256 digest"}, {"status": "writing manifest"}, {"status": "success"}]
        if size is not None and name not in self.models:
            self.models.append(name)  # listed by the time the client reads "success"
        frames = [(json.dumps(e) + "\n").encode() for e in events]
        ex.stream(Reply(), "application/x-ndjson", frames, [])


# Convex HTTP API --------------------------------------------------------------------------------------


class _FunctionThrew(Exception):
    pass


class ConvexServer(LoopbackServer):
    """POST /api/query and /api/mutation with {path, args, format: "json"}, answered as a Convex
    deployment answers them, by JFDI's functions (convex/functions/) run on documents kept in memory:
    a retried create finds the first copy, as it does on Convex.

    Each call takes the next Reply: status >= 400 is that HTTP error with Convex's {code, message}
    body; Reply(error="...") makes the function throw (HTTP 560, {"status": "error", ...});
    fault "hang_headers" never answers and never runs the function; "hang" runs it and never
    answers (the window where Convex has the record but the client does not know); "reset" drops
    the connection unanswered; delay_s answers that much later. Numbers are kept as float64, as
    Convex keeps them, so counts come back as 100.0."""

    def __init__(self, auth_token: str | None = None):
        super().__init__()
        # Headers and body leave in separate writes; without this, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every answer, which the sync benchmark would measure.
        self.httpd.RequestHandlerClass.disable_nagle_algorithm = True
        self.auth_token = auth_token
        self.generations: list[dict] = []  # every document stored, in order: a duplicate would show
        self.workspaces: list[dict] = []
        self.shares: list[dict] = []
        self._by_client_id: dict[str, dict] = {}
        self._db_lock = threading.Lock()  # a mutation is one transaction
        self._ids = 0
        self.functions: dict[tuple[str, str], Callable[[dict], Any]] = {
            ("mutation", "generations:create"): self._create_generation,
            ("query", "generations:recent"): self._recent_generations,
            ("query", "generations:get"): self._get_generation,
            ("query", "generations:timeline"): self._timeline,
            ("mutation", "workspaces:create"): self._create_workspace,
            ("query", "workspaces:list"): lambda args: sorted(self.workspaces, key=lambda d: d["createdAt"]),
            ("mutation", "shares:create"): self._create_share,
            ("query", "shares:get"): lambda args: self._share(args["token"]),
            ("query", "shares:list"): self._list_shares,
        }

    def calls(self, path: str) -> list[dict]:
        """The arguments of every call of a function that reached the server, in order."""
        return [r.body["args"] for r in self.requests if isinstance(r.body, dict) and r.body.get("path") == path]

    def route(self, ex: Exchange, req: Received) -> None:
        kind = req.path.removeprefix("/api/")
        if req.method != "POST" or kind not in ("query", "mutation"):
            return super().route(ex, req)
        if self.auth_token and req.headers.get("authorization") != f"Bearer {self.auth_token}":
            return ex.json(401, {"code": "Unauthenticated", "message": "Could not verify token"})
        reply = self.next_reply(req)
        if reply.fault == "reset":
            ex.handler.close_connection = True
            ex.handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if reply.fault == "hang_headers":
            self.wait(60)
            ex.handler.close_connection = True
            return
        if reply.status >= 400:
            return ex.json(reply.status, {"code": "InternalServerError", "message": reply.error or "Service unavailable"})
        body = req.body if isinstance(req.body, dict) else {}
        if reply.delay_s:
            self.wait(reply.delay_s)
        try:
            if reply.error:
                raise _FunctionThrew(f"Uncaught Error: {reply.error}")
            function = self.functions.get((kind, body.get("path")))
            if function is None or body.get("format") != "json" or not isinstance(body.get("args"), dict):
                raise _FunctionThrew(f"Could not find public function for '{body.get('path')}'")
            with self._db_lock:
                value = function(body["args"])
        except _FunctionThrew as exc:
            return ex.json(560, {"status": "error", "errorMessage": str(exc), "logLines": []})
        if reply.fault == "hang":
            self.wait(60)
            ex.handler.close_connection = True
            return
        ex.json(200, {"status": "success", "value": value, "logLines": []})

    # JFDI's functions, as convex/functions/*.ts define them

    def _insert(self, table: list[dict], fields: dict) -> dict:
        self._ids += 1
        doc = {"_id": f"{self._ids:032x}", "_creationTime": time.time() * 1000, **_as_float64(fields)}
        table.append(doc)
        return doc

    def _create_generation(self, args: dict) -> dict:
        for name in ("clientId", "createdAt", "workspace", "prompt", "status", "code", "raw", "attempts"):
            if name not in args:
                raise _FunctionThrew(f"ArgumentValidationError: Object is missing the required field `{name}`")
        existing = self._by_client_id.get(args["clientId"])  # Convex's by_client_id index
        if existing:  # a later copy of the same journal entry replaces the fields, never adds a document
            kept = {k: existing[k] for k in ("_id", "_creationTime")}
            existing.clear()
            existing.update(_as_float64(args), **kept)
            return {"id": existing["_id"], "created": False}
        doc = self._by_client_id[args["clientId"]] = self._insert(self.generations, args)
        return {"id": doc["_id"], "created": True}

    def _recent_generations(self, args: dict) -> list[dict]:
        docs = [d for d in self.generations if "workspace" not in args or d["workspace"] == args["workspace"]]
        count = min(max(int(args.get("limit", 20)), 1), 200)
        return sorted(docs, key=lambda d: d["createdAt"], reverse=True)[:count]

    def _get_generation(self, args: dict) -> dict | None:
        return self._by_client_id.get(args["clientId"])

    def _timeline(self, args: dict) -> list[dict]:
        conversation = args["conversationId"]
        versions = sorted((d for d in self.generations if d.get("conversationId") == conversation), key=lambda d: d["createdAt"])
        first = self._by_client_id.get(conversation)  # pushed before versions were kept
        return versions if first is None or first in versions else [first, *versions]

    def _create_workspace(self, args: dict) -> dict:
        name = " ".join(str(args.get("name", "")).split())
        if not name:
            raise _FunctionThrew("Uncaught ConvexError: the workspace name is empty")
        key = name.lower()
        existing = next((d for d in self.workspaces if d["clientId"] == args["clientId"] or d["nameKey"] == key), None)
        if existing:
            return {"id": existing["_id"], "created": False, "name": existing["name"]}
        doc = self._insert(self.workspaces, {**args, "name": name, "nameKey": key})
        return {"id": doc["_id"], "created": True, "name": name}


    def _share(self, token: str) -> dict | None:
        return next((d for d in self.shares if d["token"] == token), None)  # Convex's by_token index

    def _create_share(self, args: dict) -> dict:
        existing = self._share(args["token"])
        if existing:  # a revocation is kept from any machine; nothing un-revokes a link
            if "revokedAt" in args and "revokedAt" not in existing:
                existing["revokedAt"] = float(args["revokedAt"])
            return {"id": existing["_id"], "created": False}
        return {"id": self._insert(self.shares, args)["_id"], "created": True}

    def _list_shares(self, args: dict) -> list[dict]:
        newest = sorted(self.shares, key=lambda d: d["createdAt"], reverse=True)[: int(args.get("limit", 50))]
        prompt = {client_id: doc["prompt"] for client_id, doc in self._by_client_id.items()}
        return [{**d, "prompt": prompt.get(d["generationId"])} for d in newest]


def _as_float64(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dict):
        return {k: _as_float64(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_float64(v) for v in value]
    return value
