"""Share links: a read-only link to one generation, by a random token (never the generation id).

A link is made public on purpose or follows the app's login (JFDI_AUTH); it can be revoked, and a
revoked link stays refused. Links live in the journal and are pushed to Convex like generations,
so that a link made on one replica of the app opens on every replica that shares the deployment."""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass, replace
from typing import Any

# 32 letters and digits: 190 random bits. No "-" or "_": a token that began with "-" would read as
# an option on the command line (share --revoke TOKEN).
TOKEN_ALPHABET = string.ascii_letters + string.digits
TOKEN_LENGTH = 32
# What a token looks like, checked before any lookup: anything else is simply not found.
TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")


@dataclass(frozen=True)
class Share:
    token: str
    generation_id: str
    public: bool  # opens without the app's login
    created_at: str
    revoked_at: str | None = None
    prompt: str | None = None  # the generation's prompt, where known (for lists)

    @property
    def path(self) -> str:
        """The link, relative to the app's root: what the CLI prints and the API returns."""
        return f"/share/{self.token}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def row(self) -> dict[str, Any]:
        """As the journal keeps it."""
        return {"token": self.token, "generation_id": self.generation_id, "public": int(self.public),
                "created_at": self.created_at, "revoked_at": self.revoked_at}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Share":
        return cls(row["token"], row["generation_id"], bool(row["public"]), row["created_at"], row.get("revoked_at"),
                   row.get("prompt"))


def new_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


def token_of(text: str) -> str | None:
    """The token in a token or a pasted link (https://…/share/<token>), or None."""
    candidate = (text or "").strip().rstrip("/").rsplit("/", 1)[-1]
    return candidate if TOKEN.fullmatch(candidate) else None


def merged(here: Share | None, team: Share | None) -> Share | None:
    """This machine's copy of a link and the team's (Convex): revoked if either was revoked."""
    if here is None or team is None:
        return here or team
    revoked = min(filter(None, (here.revoked_at, team.revoked_at)), default=None)
    return replace(here, revoked_at=revoked, prompt=here.prompt or team.prompt)
