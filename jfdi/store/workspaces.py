"""Workspaces in the local journal: the ones made here (queued for Convex like generations) and the
team's, as last read from Convex. A generation names its workspace; history filters by it."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any, Iterable

from ..errors import BadInput
from ..generation import now_iso
from .sqlite import Store

MAX_NAME = 40  # as convex/functions/workspaces.ts
_ALLOWED = re.compile(r"[^\W_][\w .-]*")


@dataclass(frozen=True)
class Workspace:
    id: str
    name: str
    created_at: str
    status: str  # "shared" (on Convex), "waiting to sync", or "this machine only" (no Convex)


def tidy_name(name: str) -> str:
    return " ".join((name or "").split())


def check_name(name: str, taken: Iterable[str]) -> str:
    """The name as it will be kept, or BadInput saying what to change."""
    tidy = tidy_name(name)
    if not tidy:
        raise BadInput('the workspace name is empty: type a name, e.g. "Plant 2 receiving"')
    if len(tidy) > MAX_NAME:
        raise BadInput(f"the workspace name is {len(tidy)} characters long: keep it to {MAX_NAME}")
    if not _ALLOWED.fullmatch(tidy):
        raise BadInput("a workspace name starts with a letter or digit and uses letters, digits, spaces, '-', '_' and '.'")
    for other in taken:
        if other.lower() == tidy.lower():
            raise BadInput(f'a workspace named "{other}" already exists: choose it from the list, or pick another name')
    return tidy


def local_workspaces(store: Store, *, shared: bool) -> list[Workspace]:
    """Every workspace the journal knows, oldest first; `shared` says whether Convex is configured."""
    rows = store.connection().execute(
        "SELECT w.id, w.name, w.created_at, o.id IS NOT NULL AS waiting FROM workspaces w "
        "LEFT JOIN outbox o ON o.kind = 'workspace' AND o.id = w.id ORDER BY w.created_at, w.rowid"
    ).fetchall()
    return [Workspace(r["id"], r["name"], r["created_at"], _status(bool(r["waiting"]), shared)) for r in rows]


def _status(waiting: bool, shared: bool) -> str:
    if not shared:
        return "this machine only"
    return "waiting to sync" if waiting else "shared"


def add_workspace(store: Store, name: str, *, shared: bool) -> Workspace:
    """Insert a new workspace and queue it for Convex, in one transaction."""
    row = {"id": uuid.uuid4().hex, "name": name, "created_at": now_iso()}
    with store.transaction() as conn:
        taken = [r[0] for r in conn.execute("SELECT name FROM workspaces")]
        row["name"] = check_name(name, taken)
        conn.execute("INSERT INTO workspaces (id, name, created_at) VALUES (:id, :name, :created_at)", row)
        conn.execute("INSERT INTO outbox (kind, id, queued_at) VALUES ('workspace', :id, :created_at)", row)
    return Workspace(row["id"], row["name"], row["created_at"], _status(True, shared))


def remember_team_workspaces(store: Store, rows: Iterable[dict[str, Any]]) -> None:
    """Keep the team's workspaces (read from Convex) so the list still shows them offline. They are
    on Convex already, so they are not queued; a name that is here already keeps its row."""
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO workspaces (id, name, created_at) VALUES (:id, :name, :created_at) ON CONFLICT DO NOTHING",
            list(rows),
        )
