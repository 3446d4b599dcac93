"""The team's view of the log: this machine's journal merged with what Convex holds, the
workspaces, the share links, and the sync between them. What the UI and the CLI call.

Reads from Convex get READ_TIMEOUT (a couple of seconds) and fall back to the journal, saying so,
when Convex is away; writes only ever touch the journal and wake the background sync."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import httpx

from ..config import Settings
from ..generation import now_iso
from .convex import (
    READ_TIMEOUT,
    ConvexClient,
    ConvexError,
    generation_from_convex,
    iso_to_ms,
    share_from_convex,
    workspace_from_convex,
)
from .shares import Share, merged, new_token
from .sqlite import Store
from .sync import NOT_CONFIGURED, Syncer, SyncResult, SyncStatus
from .workspaces import Workspace, add_workspace, check_name, local_workspaces, tidy_name


@dataclass(frozen=True)
class History:
    """Generations newest first, as journal records with one more key: `shared` (on Convex)."""

    rows: list[dict[str, Any]]
    team: bool  # True when Convex answered: the rows include the team's generations
    notice: str = ""  # when `team` is False: why, in a sentence for the user


class Team:
    def __init__(
        self,
        store: Store,
        client: ConvexClient | None = None,
        *,
        syncer: Syncer | None = None,
        read_timeout: httpx.Timeout = READ_TIMEOUT,
    ):
        self.store = store
        self.client = client
        self.syncer = syncer or Syncer(store, client)
        self.read_timeout = read_timeout

    @classmethod
    def from_settings(cls, settings: Settings, store: Store) -> "Team":
        client = None
        if settings.convex_url:
            client = ConvexClient(settings.convex_url, auth_token=settings.convex_auth_token)
        return cls(store, client)

    # sync

    def start(self) -> "Team":
        """Start the background sync (the app does this at launch)."""
        self.syncer.start()
        return self

    def wake(self) -> None:
        """Ask the background sync to push now; returns at once."""
        self.syncer.wake()

    def sync_now(self) -> SyncResult:
        """Push what is pending, in this thread (the CLI's `sync`). Can take a few seconds."""
        return self.syncer.push_pending()

    def sync_status(self) -> SyncStatus:
        return self.syncer.status()

    # history

    def history(self, limit: int = 50, workspace: str | None = None) -> History:
        local = self.store.recent(limit=limit, workspace=workspace or None)
        waiting = self.store.outbox_waiting("generation", [r["id"] for r in local])
        for row in local:
            row["shared"] = self.client is not None and row["id"] not in waiting
        if self.client is None:
            return History(local, team=False, notice=NOT_CONFIGURED)
        args: dict[str, Any] = {"limit": limit}
        if workspace:
            args["workspace"] = workspace
        try:
            docs = self.client.query("generations:recent", args, timeout=self.read_timeout)
        except ConvexError as exc:
            return History(local, team=False, notice=f"Team history unavailable, showing this machine's only: {exc}")
        merged = {doc["clientId"]: {**generation_from_convex(doc), "shared": True} for doc in docs}
        for row in local:  # the journal's copy is whole (Convex may hold a shortened conversation)
            merged[row["id"]] = {**row, "shared": row["shared"] or row["id"] in merged}
        rows = sorted(merged.values(), key=lambda r: iso_to_ms(r["created_at"]), reverse=True)
        return History(rows[:limit], team=True)

    def get(self, generation_id: str) -> dict[str, Any] | None:
        """One generation: from the journal, else from Convex (a teammate's). Raises ConvexError
        when it is not here and Convex cannot be asked."""
        record = self.store.get(generation_id)
        if record is not None or self.client is None:
            return record
        doc = self.client.query("generations:get", {"clientId": generation_id}, timeout=self.read_timeout)
        return generation_from_convex(doc) if doc else None

    def timeline(self, generation_id: str) -> list[dict[str, Any]]:
        """Every version of the conversation `generation_id` belongs to, oldest first: this
        machine's merged with the team's (a teammate may have continued it). With Convex away,
        this machine's; empty when neither knows the generation. Raises ConvexError only when
        the generation is not here and Convex cannot be asked."""
        local = self.store.timeline(generation_id)
        if self.client is None:
            return local
        try:
            first = local[0] if local else self.get(generation_id)
            if first is None:
                return []
            docs = self.client.query("generations:timeline", {"conversationId": first["conversation_id"]},
                                     timeout=self.read_timeout)
        except ConvexError:
            if local:
                return local
            raise
        merged = {doc["clientId"]: generation_from_convex(doc) for doc in docs}
        merged.update((row["id"], row) for row in local)  # the journal's copy is whole
        return sorted(merged.values(), key=lambda r: iso_to_ms(r["created_at"]))

    # share links

    def add_share(self, generation_id: str, *, public: bool) -> Share:
        """A new link to a generation, kept here and queued for Convex."""
        share = Share(new_token(), generation_id, public, now_iso())
        self.store.add_share(share.row())
        self.wake()
        return share

    def share(self, token: str) -> Share | None:
        """A link by its token: this machine's copy merged with the team's, so that a link made or
        revoked on another replica counts here. With Convex away, this machine's word."""
        row = self.store.share(token)
        here = Share.from_row(row) if row else None
        if self.client is None:
            return here
        try:
            doc = self.client.query("shares:get", {"token": token}, timeout=self.read_timeout)
        except ConvexError:
            return here
        return merged(here, Share.from_row(share_from_convex(doc)) if doc else None)

    def shares(self, limit: int = 100) -> tuple[list[Share], str]:
        """Links, newest first (the team's from Convex merged with this machine's), and a notice
        when only this machine's could be listed."""
        here = [Share.from_row(row) for row in self.store.shares(limit)]
        if self.client is None:
            return here, NOT_CONFIGURED
        try:
            docs = self.client.query("shares:list", {"limit": limit}, timeout=self.read_timeout)
        except ConvexError as exc:
            return here, f"Team links unavailable, showing this machine's only: {exc}"
        by_token = {doc["token"]: Share.from_row(share_from_convex(doc)) for doc in docs}
        for share in here:
            by_token[share.token] = merged(share, by_token.get(share.token))
        return sorted(by_token.values(), key=lambda s: iso_to_ms(s.created_at), reverse=True)[:limit], ""

    def revoke_share(self, token: str) -> Share | None:
        """Revoke a link, whichever replica made it: the revocation is kept here and queued for
        Convex. None when neither this machine nor the team knows the token."""
        found = self.share(token)
        if found is None or not found.active:
            return found
        revoked = replace(found, revoked_at=now_iso())
        self.store.add_share(revoked.row())
        self.wake()
        return revoked

    # workspaces

    def list_workspaces(self) -> list[Workspace]:
        """Every workspace, oldest first: the team's (refreshed from Convex when it answers) and
        this machine's, each with its status."""
        if self.client is not None:
            try:
                docs = self.client.query("workspaces:list", {}, timeout=self.read_timeout)
            except ConvexError:
                pass  # the journal remembers the team's workspaces; the status panel says Convex is away
            else:
                self.store.remember_workspaces(workspace_from_convex(d) for d in docs)
        return local_workspaces(self.store, shared=self.client is not None)

    def workspace_named(self, name: str) -> str:
        """The workspace a generation named `name` goes to: a known one in its own spelling ("line 2"
        is "Line 2"), else the name as the Workspaces tab would keep it. BadInput for a name it refuses."""
        tidy = tidy_name(name)
        known = [w.name for w in local_workspaces(self.store, shared=self.client is not None)]
        return next((other for other in known if other.lower() == tidy.lower()), None) or check_name(tidy, known)

    def create_workspace(self, name: str) -> Workspace:
        """Create a workspace here and queue it for Convex. BadInput for an empty, too long,
        oddly spelled or already used name."""
        workspace = add_workspace(self.store, name, shared=self.client is not None)
        self.wake()
        return workspace

    def close(self) -> None:
        self.syncer.stop()
        if self.client is not None:
            self.client.close()
