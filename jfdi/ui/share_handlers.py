"""What the app's share links do (no Gradio here): make a link to the conversation's generation,
list and revoke links, and open a shared generation as a new conversation ("Open in JFDI")."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import JFDIError
from .handlers import ChatState, Handlers, View


@dataclass(frozen=True)
class Links:
    rows: list[list[str]]  # path, prompt, access, created, state: newest first
    active: list[tuple[str, str]]  # (label, token) of the links that can still be revoked
    notice: str = ""


class ShareHandlers:
    def __init__(self, handlers: Handlers):
        self.handlers = handlers
        self.services = handlers.services

    def make_link(self, state: ChatState, public: bool) -> tuple[str, str]:
        """(the link's path or "", what happened) for the generation the conversation is on."""
        if not state.generation_id:
            return "", "✍️ Generate something first, or open one from the History: a link shows a logged generation."
        try:
            share = self.services.share(state.generation_id, public=public)
        except JFDIError as exc:
            return "", f"❌ {exc}"
        if not self.handlers.engine.settings.auth:
            who = "anyone who can reach this app (it has no login: JFDI_AUTH is unset)"
        elif share.public:
            who = "anyone with the link, without logging in"
        else:
            who = "whoever can log in to this app"
        return share.path, f"✅ A read-only link to this generation, for {who}. Revoke it below when the demo is over."

    def links(self) -> Links:
        found, notice = self.services.shares()
        rows = [[s.path, s.prompt or s.generation_id, "public" if s.public else "login",
                 s.created_at.replace("T", " ")[:16], "active" if s.active else "revoked"] for s in found]
        active = [(f"{s.token[:12]}… {s.prompt or s.generation_id}"[:70], s.token) for s in found if s.active]
        return Links(rows, active, notice if self.handlers.engine.settings.convex_url else "")

    def revoke(self, token: str | None) -> str:
        if not token:
            return "Pick the link to revoke."
        try:
            revoked = self.services.revoke_share(token)
        except JFDIError as exc:
            return f"❌ {exc}"
        return f"🚫 Revoked {revoked.path}: it now answers 404, here and on every replica once synced."

    def open_shared(self, token: str, state: ChatState) -> View:
        """A share link's "Open in JFDI": its generation becomes this session's conversation, in the
        session's own workspace; follow-ups are new generations, the link shows the original."""
        share = self.services.link(token)
        try:
            record = self.handlers.engine.team.get(share.generation_id) if share else None
        except JFDIError as exc:
            return View(self.handlers.chat(state), {}, f"❌ Could not load the shared generation: {exc}", state)
        if record is None:
            return View(self.handlers.chat(state), {}, "❌ That share link was revoked, or never existed.", state)
        status = "🔗 Opened a shared generation as a new conversation: ask for changes to make it your own."
        return self.handlers.conversation(record, state.workspace, status)
