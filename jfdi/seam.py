"""Join a continuation onto an answer that broke off, so the code has no repeated or lost lines.

With prefill a model continues at the exact character; asked in words to continue, it often
restates the last line, opens a new code fence, or starts the whole answer again. The head of
the continuation is buffered until it can be compared with the end of the answer."""

from __future__ import annotations

from dataclasses import dataclass

HEAD_CHARS = 240  # how much of the continuation is held back for the comparison
MIN_OVERLAP = 12  # shorter matches ("}\n", "</div>") are as likely to be new code as repeats


@dataclass(frozen=True)
class Joined:
    text: str  # what to append to the answer
    restart: bool = False  # the continuation started the answer over: replace, don't append
    # The continuation wrapped itself in a code fence the answer never opened: its closing fence
    # (and any prose after it) must not reach the answer either.
    fenced: bool = False


def join(existing: str, head: str, *, at_line_start: bool = False) -> Joined:
    """Decide how the first characters of a continuation attach to `existing`.

    `existing` has no trailing white space (the router trims it before continuing, so that a
    prefilled model continues at a real character); `at_line_start` says whether it used to end
    with a line break, which an instructed model may or may not repeat."""
    fenced = False
    if _opens_fence(head):
        fenced = not _has_fence(existing)
        if fenced or _inside_fence(existing):
            # What follows a fence starts on a line of its own.
            head = head.lstrip().partition("\n")[2]
            at_line_start = True
    if _restarts(existing, head):
        return Joined(head, restart=True, fenced=fenced)
    return Joined(_attach(existing, head, at_line_start), fenced=fenced)


def _attach(existing: str, head: str, at_line_start: bool) -> str:
    for size in range(min(len(existing), len(head)), MIN_OVERLAP - 1, -1):
        if existing.endswith(head[:size]) and head[:size].strip():
            return head[size:]
    last_line = existing.rsplit("\n", 1)[-1].strip()
    first_line, _, rest = head.lstrip("\n").partition("\n")
    if at_line_start and len(last_line) >= 8 and first_line.strip() == last_line:
        return "\n" + rest
    if at_line_start and not head.startswith(("\n", "\r")):
        return "\n" + head
    return head


class SeamJoiner:
    """Streams a continuation through `join`: holds back the head, then passes text through.

    After a continuation that opened its own fence, text is passed on a line at a time so that
    the matching closing fence, and whatever follows it, can be dropped."""

    def __init__(self, existing: str, *, at_line_start: bool = False):
        self.existing = existing
        self.at_line_start = at_line_start
        self._head = ""
        self._decision: Joined | None = None
        self._pending = ""  # an incomplete line held back while watching for the closing fence
        self._closed = False

    def feed(self, text: str) -> Joined | None:
        if self._decision is None:
            self._head += text
            if len(self._head) < HEAD_CHARS:
                return None
            return self._decide()
        return self._pass(text)

    def flush(self) -> Joined | None:
        if self._decision is None:
            return self._decide(final=True)
        rest, self._pending = self._pending, ""
        return self._pass(rest, final=True) if rest else None

    def _decide(self, final: bool = False) -> Joined:
        self._decision = join(self.existing, self._head, at_line_start=self.at_line_start)
        if not self._decision.fenced:
            return self._decision
        filtered = self._pass(self._decision.text, final=final)
        return Joined(filtered.text if filtered else "", restart=self._decision.restart)

    def _pass(self, text: str, final: bool = False) -> Joined | None:
        if not self._decision.fenced:
            return Joined(text)
        if self._closed:
            return None
        lines = (self._pending + text).split("\n")
        self._pending = "" if final else lines.pop()
        kept = []
        for line in lines:
            if _opens_fence(line) and not line.strip().strip("`~"):
                self._closed = True
                break
            kept.append(line)
        out = "\n".join(kept)
        if kept and not self._closed and not final:
            out += "\n"
        return Joined(out) if out else None


def _opens_fence(text: str) -> bool:
    return text.lstrip().startswith(("```", "~~~"))


def _has_fence(text: str) -> bool:
    return any(_opens_fence(line) for line in text.splitlines())


def _inside_fence(text: str) -> bool:
    return sum(1 for line in text.splitlines() if _opens_fence(line)) % 2 == 1


def _restarts(existing: str, head: str) -> bool:
    """The continuation begins the way the answer began: the model started over."""
    start = existing.lstrip()[:60]
    return len(start) >= 40 and head.lstrip().startswith(start)
