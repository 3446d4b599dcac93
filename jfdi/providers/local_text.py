"""Token ids to streamed text, a few tokens at a time, without decoding the whole answer again.

A token can end in the middle of a UTF-8 character, and some tokenizers decode a token differently
at the start of a text (SentencePiece drops the leading space). So each new piece is decoded
together with the tokens just before it, and only the text beyond theirs is handed out; a piece
that ends in a broken character waits for the next token."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_BROKEN = "\ufffd"


class IncrementalText:
    def __init__(self, tokenizer: Any, skip_special_tokens: bool = True) -> None:
        self._tokenizer = tokenizer
        self._skip = skip_special_tokens
        self._ids: list[int] = []
        self._start = 0  # the decoding window begins here
        self._shown = 0  # tokens up to here have been handed out as text

    def add(self, ids: Sequence[int]) -> str:
        """The text that `ids` add to the answer; empty while a character is still incomplete."""
        self._ids.extend(ids)
        return self._advance(final=False)

    def finish(self) -> str:
        """Whatever is still held back (a character the answer really ends in the middle of)."""
        return self._advance(final=True)

    def _advance(self, final: bool) -> str:
        before = self._decode(self._ids[self._start : self._shown])
        after = self._decode(self._ids[self._start :])
        if not final and (after.endswith(_BROKEN) or not after.startswith(before)):
            return ""
        self._start, self._shown = self._shown, len(self._ids)
        return after[len(before) :]

    def _decode(self, ids: Sequence[int]) -> str:
        return self._tokenizer.decode(ids, skip_special_tokens=self._skip) if ids else ""
