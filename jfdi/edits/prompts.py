"""What the model is told about edits: the format (added to the system prompt when there is
current code), and the messages that ask again when an answer could not be used."""

from __future__ import annotations

from typing import Sequence

EDIT_INSTRUCTIONS = """

CHANGING THE CURRENT CODE:
- When the current code is shown, answer with edit blocks that change only what the request
  needs. Each block is the file's path on its own line, then:
src/App.tsx
<<<<<<< SEARCH
  const [quantity, setQuantity] = useState(0);
=======
  const [quantity, setQuantity] = useState(1);
>>>>>>> REPLACE
- SEARCH copies whole lines of the current file exactly, enough of them to match one place only;
  REPLACE is what those lines become (empty REPLACE: delete them). Use one block per place.
- A new file: a block under its new path with nothing between SEARCH and =======.
- When most of a file changes, send that whole file instead, in one fenced block with its path
  (```tsx src/App.tsx); files you do not send stay as they are.
- Never leave code out: no "// ... rest unchanged", "/* existing code */" or "..." in place of code."""


def again(reasons: Sequence[str]) -> str:
    """After edit blocks that did not apply, or a result that did not parse."""
    return (
        "Your answer could not be applied, so nothing was changed:\n"
        + _bullets(reasons)
        + "\nAnswer again with every edit block of the change, each SEARCH copied exactly from the current "
        "code shown earlier (enough lines to match one place), or with the whole file if that is simpler."
    )


def whole(reasons: Sequence[str], paths: Sequence[str]) -> str:
    """The last try, and the answer to elided code: the complete files, written out."""
    which = ", ".join(paths) if paths else "every file you change"
    return (
        "Your answer could not be used, so nothing was changed:\n"
        + _bullets(reasons)
        + f"\nSend the complete new version of {which}, each in one fenced block with its path on the fence "
        "line (```tsx src/App.tsx), with every line written out: no edit blocks, no \"...\" or "
        "\"unchanged\" comments in place of code."
    )


def _bullets(reasons: Sequence[str]) -> str:
    return "\n".join(f"- {reason}" for reason in reasons)
