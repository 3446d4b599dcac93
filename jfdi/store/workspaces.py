"""Workspaces in the local journal: the ones made here (queued for Convex like generations) and the
team's, as last read from Convex. A generation names its workspace; history filters by it."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Iterable

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
    return [Workspace(r["id"], r["name"], r["created_at"], _status(r["waiting"], shared)) for r in store.workspaces()]


def _status(waiting: bool, shared: bool) -> str:
    if not shared:
        return "this machine only"
    return "waiting to sync" if waiting else "shared"


def add_workspace(store: Store, name: str, *, shared: bool) -> Workspace:
    """Insert a new workspace and queue it for Convex, in one transaction."""
    workspace_id, created_at = uuid.uuid4().hex, now_iso()
    kept = store.add_workspace(workspace_id, created_at, lambda taken: check_name(name, taken))
    return Workspace(workspace_id, kept, created_at, _status(True, shared))
