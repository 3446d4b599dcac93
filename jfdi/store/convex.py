"""Convex over its documented HTTP API: POST $CONVEX_URL/api/query and /api/mutation.

Not the official Python client: it blocks forever when a deployment is unreachable, and the sync
and the history must give up after a few seconds. Every call here has explicit timeouts and ends
in a value or a typed error. This module also owns the mapping between a journal record (the
SQLite log's shape, snake_case) and a Convex document (camelCase, see convex/functions/schema.ts)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import httpx

from ..code import answer_files
from ..errors import TeamStoreError
from ..project import is_data_module
from ..net import error_message
from ..redact import redact

# Pushes may carry a large generation; reads for the UI must come back quickly or not at all.
WRITE_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
READ_TIMEOUT = httpx.Timeout(2.0, connect=1.0)

# Convex rejects documents over 1 MiB; leave room for the field names and the encoding.
MAX_DOCUMENT_BYTES = 900_000

# Convex's HTTP status for "the function itself threw" (the body says why).
FUNCTION_FAILED = 560


class ConvexError(TeamStoreError):
    """A Convex call that gave no value. `transient` ones are worth retrying later as they are."""

    transient = False

    def __init__(self, message: str, *, status: int | None = None, data: Any = None):
        super().__init__(redact(message))
        self.status = status
        self.data = data


class ConvexUnavailable(ConvexError):
    """Refused, timed out, 5xx, 429, or an answer that is not the API's: Convex is away for now."""

    transient = True


class ConvexRejected(ConvexError):
    """Convex answered and said no (4xx): a wrong token or URL, a request it cannot read."""


class ConvexFunctionError(ConvexRejected):
    """The function ran and threw: the schema refused the arguments, or the function said no."""


class ConvexClient:
    def __init__(
        self,
        url: str,
        *,
        auth_token: str | None = None,
        timeout: httpx.Timeout = WRITE_TIMEOUT,
        client: httpx.Client | None = None,
    ):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._headers = {"content-type": "application/json", "accept": "application/json"}
        if auth_token:
            self._headers["authorization"] = f"Bearer {auth_token}"
        self._owned = client is None
        self._client = client or httpx.Client(timeout=timeout)

    def query(self, path: str, args: dict[str, Any] | None = None, *, timeout: httpx.Timeout | None = None) -> Any:
        return self._call("query", path, args, timeout)

    def mutation(self, path: str, args: dict[str, Any] | None = None, *, timeout: httpx.Timeout | None = None) -> Any:
        return self._call("mutation", path, args, timeout)

    def close(self) -> None:
        if self._owned:
            self._client.close()

    def _call(self, kind: str, path: str, args: dict[str, Any] | None, timeout: httpx.Timeout | None) -> Any:
        try:
            body = json.dumps({"path": path, "args": args or {}, "format": "json"}, allow_nan=False)
        except ValueError as exc:  # NaN or infinity: JSON has no such numbers
            raise ConvexRejected(f"cannot send {path} to Convex: {exc}") from None
        timeout = timeout or self.timeout
        try:
            response = self._client.post(f"{self.url}/api/{kind}", content=body, headers=self._headers, timeout=timeout)
        except httpx.TimeoutException:
            raise ConvexUnavailable(f"Convex at {self.url} did not answer {path} within {timeout.read:g} s") from None
        except httpx.TransportError as exc:
            raise ConvexUnavailable(f"cannot reach Convex at {self.url}: {_reason(exc)}") from None
        return _value(path, response)


def _value(path: str, response: httpx.Response) -> Any:
    status = response.status_code
    if status not in (200, FUNCTION_FAILED):
        text = f"Convex answered HTTP {status} to {path}: {error_message(response.text)}"
        if status in (408, 429) or status >= 500:
            raise ConvexUnavailable(text, status=status)
        if status in (401, 403):
            raise ConvexRejected(f"{text}. Check CONVEX_AUTH_TOKEN.", status=status)
        raise ConvexRejected(text, status=status)
    try:
        payload = response.json()
    except ValueError:
        payload = None
    outcome = payload.get("status") if isinstance(payload, dict) else None
    if outcome == "success":
        return payload.get("value")
    if outcome == "error":
        message = payload.get("errorMessage") or "no message"
        raise ConvexFunctionError(f"{path} failed on Convex: {message}", status=status, data=payload.get("errorData"))
    raise ConvexUnavailable(f"Convex sent an answer to {path} that is not the HTTP API's (HTTP {status})", status=status)


def _reason(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).lower()
        if "refused" in text:
            return "connection refused"
        if "name" in text or "resolve" in text or "known" in text:
            return "host not found"
        return "could not connect"
    return str(exc) or type(exc).__name__


# Journal record <-> Convex document ------------------------------------------------------------

# (journal name, Convex name); a None value in the journal is an absent field in Convex.
_GENERATION_FIELDS = (
    ("id", "clientId"),
    ("workspace", "workspace"),
    ("prompt", "prompt"),
    ("provider_requested", "providerRequested"),
    ("provider", "provider"),
    ("model", "model"),
    ("status", "status"),
    ("error", "error"),
    ("code", "code"),
    ("raw", "raw"),
    ("stop_reason", "stopReason"),
    ("input_tokens", "inputTokens"),
    ("output_tokens", "outputTokens"),
    ("cost_usd", "costUsd"),
    ("ttft_s", "ttftS"),
    ("total_s", "totalS"),
    ("parent_id", "parentId"),
    ("continues", "continues"),
    ("conversation_id", "conversationId"),
    ("kind", "kind"),
)
_ATTEMPT_FIELDS = (
    ("provider", "provider"),
    ("model", "model"),
    ("outcome", "outcome"),
    ("error", "error"),
    ("ttft_s", "ttftS"),
    ("seconds", "seconds"),
)
_DOCUMENT_FIELDS = (("name", "name"), ("sha256", "sha256"), ("engines", "engines"), ("pages", "pages"),
                    ("page_count", "pageCount"), ("edited", "edited"))
# Images: a reference (the hash, name, type and size), never the pixels: see convex/functions/schema.ts.
_IMAGE_FIELDS = (("sha256", "sha256"), ("name", "name"), ("media_type", "mediaType"), ("width", "width"),
                 ("height", "height"), ("bytes", "bytes"))
_EDIT_FIELDS = (("mode", "mode"), ("changed", "changed"), ("reasks", "reasks"), ("parsed", "parsed"),
                ("parse_note", "parseNote"))
# Convex keeps every number as float64; counts come back as 100.0 and are ints again here.
_COUNTS = ("input_tokens", "output_tokens", "continues")


def generation_to_convex(record: dict[str, Any]) -> dict[str, Any]:
    """The arguments of generations:create for a journal record."""
    doc = _rename(record, _GENERATION_FIELDS)
    doc["code"] = record.get("code") or ""
    doc["raw"] = record.get("raw") or ""
    doc["createdAt"] = iso_to_ms(record["created_at"])
    doc["attempts"] = [_rename(a, _ATTEMPT_FIELDS) for a in record.get("attempts") or []]
    doc["notices"] = [str(n) for n in record.get("notices") or []]
    doc["conversation"] = [
        {"prompt": t["prompt"], "answer": t["answer"], **({"images": list(t["images"])} if t.get("images") else {})}
        for t in record.get("conversation") or []
    ]
    doc["documents"] = [_rename(d, _DOCUMENT_FIELDS) for d in record.get("documents") or []]
    doc["images"] = [_rename(i, _IMAGE_FIELDS) for i in record.get("images") or []]
    if record.get("checks") is not None:
        doc["checks"] = record["checks"]
    if record.get("files"):
        doc["files"] = [{"path": path, "content": content} for path, content in record["files"].items()]
    if record.get("edit"):
        doc["edit"] = _rename(record["edit"], _EDIT_FIELDS)
    return _fit(doc)


def generation_from_convex(doc: dict[str, Any]) -> dict[str, Any]:
    """A journal-shaped record for a Convex document (as generations:recent and :get return them)."""
    record = _unrename(doc, _GENERATION_FIELDS)
    record["created_at"] = ms_to_iso(doc["createdAt"])
    # Pushed before versions were kept: an answer that starts its own conversation.
    record["conversation_id"] = record["conversation_id"] or record["id"]
    record["kind"] = record["kind"] or "answer"
    _whole_numbers(record, *_COUNTS)
    record["continues"] = record["continues"] or 0  # absent from records pushed before it was kept
    record["attempts"] = [_unrename(a, _ATTEMPT_FIELDS) for a in doc.get("attempts") or []]
    record["notices"] = list(doc.get("notices") or [])
    record["conversation"] = list(doc.get("conversation") or [])
    record["documents"] = [_whole_numbers(_unrename(d, _DOCUMENT_FIELDS), "pages", "page_count") for d in doc.get("documents") or []]
    record["images"] = [_whole_numbers(_unrename(i, _IMAGE_FIELDS), "width", "height", "bytes") for i in doc.get("images") or ()]
    record["checks"] = doc.get("checks")
    record["edit"] = _unrename(doc["edit"], _EDIT_FIELDS) if doc.get("edit") else None
    files = doc.get("files")
    record["files"] = {f["path"]: f["content"] for f in files} if files else answer_files(record["code"] or "").files
    return record


def workspace_to_convex(row: dict[str, Any]) -> dict[str, Any]:
    return {"clientId": row["id"], "name": row["name"], "createdAt": iso_to_ms(row["created_at"])}


def workspace_from_convex(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["clientId"], "name": doc["name"], "created_at": ms_to_iso(doc["createdAt"])}


def share_to_convex(row: dict[str, Any]) -> dict[str, Any]:
    """The arguments of shares:create for a journal row of the shares table."""
    doc = {"token": row["token"], "generationId": row["generation_id"], "public": bool(row["public"]),
           "createdAt": iso_to_ms(row["created_at"])}
    if row.get("revoked_at"):
        doc["revokedAt"] = iso_to_ms(row["revoked_at"])
    return doc


def share_from_convex(doc: dict[str, Any]) -> dict[str, Any]:
    """A journal-shaped share row (with the generation's prompt, as shares:list adds it)."""
    revoked = doc.get("revokedAt")
    return {"token": doc["token"], "generation_id": doc["generationId"], "public": bool(doc["public"]),
            "created_at": ms_to_iso(doc["createdAt"]), "revoked_at": ms_to_iso(revoked) if revoked is not None else None,
            "prompt": doc.get("prompt")}


def iso_to_ms(value: str) -> int:
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if when.tzinfo is None:  # the journal writes UTC
        when = when.replace(tzinfo=timezone.utc)
    return round(when.timestamp() * 1000)


def ms_to_iso(value: float) -> str:
    when = datetime.fromtimestamp(value / 1000, timezone.utc)
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _rename(source: dict[str, Any], fields: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {theirs: source[ours] for ours, theirs in fields if source.get(ours) is not None}


def _whole_numbers(record: dict[str, Any], *names: str) -> dict[str, Any]:
    """Convex hands every number back as float64: counts are whole numbers again here."""
    for name in names:
        if record.get(name) is not None:
            record[name] = int(record[name])
    return record


def _unrename(source: dict[str, Any], fields: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {ours: source.get(theirs) for ours, theirs in fields}


def _fit(doc: dict[str, Any]) -> dict[str, Any]:
    """Keep a long conversation under Convex's document limit: its oldest turns go first, then the
    raw answer, then the data modules (with a notice), then the files (the entry file's code
    stays). The journal keeps everything."""
    omitted = 0
    while _size(doc) > MAX_DOCUMENT_BYTES and len(doc["conversation"]) > 1:
        doc["conversation"] = doc["conversation"][1:]
        omitted += 1
    if omitted:
        doc["conversationOmitted"] = omitted
    if _size(doc) > MAX_DOCUMENT_BYTES:
        doc["raw"] = ""
    if _size(doc) > MAX_DOCUMENT_BYTES and doc.get("files"):
        data = [f["path"] for f in doc["files"] if is_data_module(f["path"], f["content"])]
        if data:
            doc["files"] = [f for f in doc["files"] if f["path"] not in data]
            doc["notices"] = [*doc["notices"], f"{', '.join(data)}: the uploaded data is too large for the team "
                              "store; the machine that generated it keeps it"]
    if _size(doc) > MAX_DOCUMENT_BYTES:
        doc.pop("files", None)
    return doc


def _size(doc: dict[str, Any]) -> int:
    return len(json.dumps(doc, ensure_ascii=False).encode())
