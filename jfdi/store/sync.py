"""Push the local journal to Convex, in the background, without ever losing or doubling a record.

SQLite is written first (Engine.save); a trigger puts every generation in the outbox table, and
creating a workspace, or making or revoking a share link, puts it there too. The syncer pushes what
the outbox holds and removes an entry only once Convex has confirmed it. A crash between the two
leaves the entry, so the record is pushed again after a restart, and Convex's create returns the
first copy instead of adding one. A record that changes while it is on its way (its checks arrive)
keeps its entry for the next pass.

When Convex is away (refused, 5xx, timing out) a pass stops at the first failure and the syncer
waits 1, 2, 4 ... 60 s before the next; a record that Convex refuses (its function threw) waits on
its own growing delay, so it cannot hold up the others."""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from ..generation import now_iso
from .convex import (
    ConvexClient,
    ConvexError,
    ConvexUnavailable,
    generation_to_convex,
    iso_to_ms,
    share_to_convex,
    workspace_to_convex,
)
from .sqlite import Store

log = logging.getLogger(__name__)

NOT_CONFIGURED = "Convex is not configured (set CONVEX_URL): history is kept on this machine only"


@dataclass(frozen=True)
class SyncResult:
    pushed: int
    pending: int
    error: str | None = None  # why something could not be pushed; None when all went
    reachable: bool = True  # False: Convex was away, the pass stopped early

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class SyncStatus:
    """What the status panel shows about the team history."""

    configured: bool
    pending: int  # records on this machine that Convex has not confirmed
    last_error: str | None  # of the last pass, None once a pass went through cleanly
    last_error_at: str | None
    last_success_at: str | None  # when Convex last confirmed a push
    retry_in_s: float | None  # while Convex is away: seconds to the next try

    def summary(self) -> str:
        if not self.configured:
            return f"{NOT_CONFIGURED} ({self.pending} waiting)" if self.pending else NOT_CONFIGURED
        if self.last_error:
            retry = f"; retrying in {self.retry_in_s:.0f} s" if self.retry_in_s else ""
            return f"Convex: {self.pending} waiting on this machine{retry} ({self.last_error})"
        if self.pending:
            return f"Convex: {self.pending} waiting to be pushed"
        since = f" (last push {self.last_success_at})" if self.last_success_at else ""
        return f"Convex: in sync{since}"


class Outbox:
    """The outbox table: what Convex has not confirmed yet."""

    def __init__(self, store: Store):
        self.store = store

    def due(self, now: float) -> list[tuple[str, str]]:
        """Every entry in the order to push it: workspaces, then fresh entries oldest first, then
        entries that Convex refused, once their delay is over."""
        entries = self.store.outbox()
        return [(e["kind"], e["id"]) for e in entries if not e["tries"] or _retry_at(e["queued_at"], e["tries"]) <= now]

    def count(self) -> int:
        return self.store.outbox_count()

    def last_refusal(self) -> str | None:
        """Why Convex refused the latest entry it refused, if one is still waiting."""
        entry = self.store.outbox_last_refusal()
        return f"{entry['kind']} {entry['id']}: {entry['last_error']}" if entry else None

    def load(self, kind: str, key: str) -> dict[str, Any] | None:
        return self.store.queued_record(kind, key)

    def done(self, kind: str, key: str, pushed: dict[str, Any] | None = None) -> None:
        self.store.outbox_done(kind, key, pushed)

    def refused(self, kind: str, key: str, error: str) -> None:
        # queued_at moves to now: the next try is due a growing delay after this one.
        self.store.outbox_refused(kind, key, error, now_iso())


def _retry_at(queued_at: str, tries: int) -> float:
    return iso_to_ms(queued_at) / 1000 + min(60.0 * 2 ** (tries - 1), 3600.0)


_PUSH: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "generation": ("generations:create", generation_to_convex),
    "workspace": ("workspaces:create", workspace_to_convex),
    "share": ("shares:create", share_to_convex),
}


class Syncer:
    """Pushes the outbox to Convex: on demand (`push_pending`) or in a daemon thread (`start`)."""

    def __init__(
        self,
        store: Store,
        client: ConvexClient | None,
        *,
        backoff_s: tuple[float, float] = (1.0, 60.0),
        poll_s: float = 30.0,
        clock: Callable[[], float] = time.time,
    ):
        self.store = store
        self.client = client
        self.outbox = Outbox(store)
        self.backoff_s = backoff_s
        self.poll_s = poll_s  # also picks up what other processes (the CLI) wrote
        self.clock = clock
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._pushing = threading.Lock()  # one pass at a time in this process
        self._state = threading.Lock()
        self._thread: threading.Thread | None = None
        self._last_error: str | None = None
        self._last_error_at: str | None = None
        self._last_success_at: str | None = None
        self._retry_at: float | None = None  # monotonic

    @property
    def configured(self) -> bool:
        return self.client is not None

    def push_pending(self) -> SyncResult:
        """Push everything that is due now; stops early if Convex is away."""
        if self.client is None:
            return SyncResult(0, self.outbox.count(), NOT_CONFIGURED, reachable=False)
        with self._pushing:
            pushed, error, reachable = 0, None, True
            for kind, key in self.outbox.due(self.clock()):
                record = self.outbox.load(kind, key)
                if record is None:  # gone from the journal: nothing left to push
                    self.outbox.done(kind, key)
                    continue
                path, to_convex = _PUSH[kind]
                try:
                    self.client.mutation(path, to_convex(record))
                except ConvexUnavailable as exc:
                    error, reachable = str(exc), False
                    break
                # Refused by Convex, or a journal row that JFDI did not write and cannot convert.
                except (ConvexError, KeyError, TypeError, ValueError) as exc:
                    reason = str(exc) if isinstance(exc, ConvexError) else f"cannot be sent to Convex ({exc!r})"
                    error = f"{kind} {key}: {reason}"
                    self.outbox.refused(kind, key, reason)
                    continue
                self.outbox.done(kind, key, record)  # kept if the record changed while on its way
                pushed += 1
            result = SyncResult(pushed, self.outbox.count(), error, reachable)
        self._remember(result)
        return result

    def _remember(self, result: SyncResult) -> None:
        with self._state:
            if result.pushed:
                self._last_success_at = now_iso()
            self._last_error = result.error
            self._last_error_at = now_iso() if result.error else None
        if result.error:
            log.warning("sync to Convex: %s", result.error)

    def status(self) -> SyncStatus:
        with self._state:
            retry = None if self._retry_at is None else max(0.0, self._retry_at - time.monotonic())
            return SyncStatus(
                configured=self.configured,
                pending=self.outbox.count(),
                last_error=self._last_error or self.outbox.last_refusal(),
                last_error_at=self._last_error_at,
                last_success_at=self._last_success_at,
                retry_in_s=retry,
            )

    # the background thread

    def start(self) -> "Syncer":
        """Start pushing in the background (no-op without Convex, or when already started)."""
        if self.client is not None and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="jfdi-convex-sync", daemon=True)
            self._thread.start()
        return self

    def wake(self) -> None:
        """Something new is in the outbox. Costs nothing: the thread does the pushing."""
        self._wake.set()

    def stop(self, timeout: float = 1.0) -> None:
        """Stop the thread. A push stuck on a hanging server is left to its timeout: the thread is
        a daemon and the outbox keeps the record, so nothing waits for it."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                result = self.push_pending()
            except Exception as exc:  # a broken journal must not kill the thread silently
                log.exception("sync to Convex failed")
                result = SyncResult(0, 0, f"could not read the local journal: {exc}", reachable=False)
                self._remember(result)
            if result.reachable:
                failures = 0
                self._wake.wait(self.poll_s)
                continue
            failures += 1
            delay = self._backoff(failures)
            with self._state:
                self._retry_at = time.monotonic() + delay
            self._stopping.wait(delay)  # new records wait too: Convex is away
            with self._state:
                self._retry_at = None

    def _backoff(self, failures: int) -> float:
        first, most = self.backoff_s
        delay = min(most, first * 2 ** (failures - 1))
        return delay * random.uniform(0.8, 1.0)  # machines that lost Convex together do not return together
