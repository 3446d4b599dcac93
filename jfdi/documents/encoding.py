"""The encoding of an uploaded text file (CSV, TSV, TXT, MD), decided in a fixed order:

1. a byte-order mark: UTF-8, or UTF-16 (Excel's "Unicode text" export);
2. UTF-8, when the bytes are valid UTF-8 (ASCII is);
3. Windows-1252 (cp1252), when the bytes are valid in it and read as Western European text: a CSV
   exported by Excel on Windows in Western Europe or the Americas is cp1252 far more often than
   anything else, and a detector given a short file with a few accents guesses a Baltic or
   Central European code page ("Pièce" read as "Pičce", "Ø8" as "Ų8");
4. only then charset-normalizer's guess, which is reported as a guess.

Anything but UTF-8 is said in a warning, so a wrong guess never passes silently."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .errors import CorruptDocument, require

# Of the letters in a cp1252 reading, at most this share may be outside ASCII: French, German or
# Spanish text has an accent here and there; Cyrillic or Greek bytes read as cp1252 are all accents.
MAX_ACCENTED_SHARE = 0.3
MIN_LETTERS = 20  # fewer letters than this say too little to doubt cp1252


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # utf-8, utf-16, cp1252, or the detector's name for it
    guessed: bool = False

    def notice(self, name: str) -> str | None:
        """The warning to show, or None for UTF-8 and UTF-16 (which carry their own mark)."""
        if self.guessed:
            return (
                f"{name} is neither UTF-8 nor Windows-1252: its encoding was guessed as {self.encoding}; "
                "if letters look wrong, save it as UTF-8 (Excel: CSV UTF-8) and upload it again"
            )
        if self.encoding == "cp1252":
            return (
                f"{name} is not UTF-8: it was read as Windows-1252 (cp1252), the encoding of Excel's CSV files in "
                "Western Europe and the Americas; if letters look wrong, save it as CSV UTF-8 and upload it again"
            )
        return None


def decode_text(data: bytes, name: str) -> Decoded:
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(data[3:].decode("utf-8", errors="replace"), "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16", errors="replace"), "utf-16")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" not in data:  # NUL bytes: UTF-16 without its mark, or not text at all
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90 and 0x9D are not cp1252
            text = None
        if text is not None and _reads_as_western(text):
            return Decoded(text, "cp1252")
    charset_normalizer = require("charset_normalizer", "charset-normalizer", "detecting a text encoding")
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise CorruptDocument(f"{name} does not look like text in any known encoding: is it really a text file?")
    return Decoded(str(best), best.encoding, guessed=True)


def _reads_as_western(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    accented = sum(ord(ch) > 127 for ch in letters)
    return len(letters) < MIN_LETTERS or accented <= MAX_ACCENTED_SHARE * len(letters)
