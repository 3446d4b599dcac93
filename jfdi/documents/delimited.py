"""CSV and TSV: which character separates the fields, and the rows.

The separator is the one of , ; tab | that splits the first lines into the same number of fields
most consistently (Excel's "sep=;" first line, when there is one, says it outright; a .tsv is
tab-separated unless it has no tab). When two split the lines equally well (";" and "," in
"12,5;3,75"), the one whose fields read as values wins, and a warning says which was chosen when
that was close. A
CSV separated by semicolons is what Excel writes where the decimal mark is a comma: that is the
hint the datasets get for "1,234"."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from typing import Iterator

from .values import parse_date, parse_number

DELIMITERS = ",;\t|"
SAMPLE_LINES = 50
# Read with one separator, this much larger a share of the fields are values (numbers, dates) or
# free of the other separator: no doubt worth a warning.
CLEARLY_CLEANER = 0.1
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


def read_rows(text: str, name: str, kind: str, warnings: list[str]) -> tuple[Iterator[list[str]], str, int]:
    """(rows, delimiter, lines): the rows as an iterator, the separator, and how many lines the
    text has (for saying how much a row cap left out)."""
    delimiter, start = _declared(text)
    if delimiter is None:
        delimiter = detect_delimiter(text, name, kind, warnings)
    body = text[start:]
    quoting = csv.QUOTE_MINIMAL
    opened_on = _unclosed_quote(body, delimiter)
    if opened_on:
        quoting = csv.QUOTE_NONE
        line = opened_on + text.count("\n", 0, start)  # counted in the file, "sep=" line included
        warnings.append(f"{name}: the quote that opens a field on line {line} is never closed, so quotes were read "
                        "as plain characters to keep every line a row; check that line (a field with a separator "
                        "in it may have been split)")
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, quoting=quoting)
    return reader, delimiter, text.count("\n", start) + (0 if text.endswith("\n") else 1)


def _unclosed_quote(text: str, delimiter: str) -> int:
    """The line (from 1) of a quote that opens a field and is never closed, else 0. A CSV reader
    takes all the rest of the file as that one field, and the rows in it are lost without a word.
    Only the quotes are visited: a large export has far fewer of them than characters."""
    quoted, opened_at, closed_at = False, -1, -2
    for match in re.finditer('"', text):
        at = match.start()
        if quoted:
            quoted, closed_at = False, at
        elif at == closed_at + 1:  # "" inside a quoted field: a quote, and the field goes on
            quoted = True
        elif at == 0 or text[at - 1] in (delimiter, "\n"):
            quoted, opened_at = True, at
    return text.count("\n", 0, opened_at) + 1 if quoted else 0


def decimal_hint(delimiter: str) -> str:
    return {";": ",", ",": "."}.get(delimiter, "")


def _declared(text: str) -> tuple[str | None, int]:
    """Excel's "sep=;" first line: the separator, and where the data starts."""
    first, _, _ = text[:16].partition("\n")
    first = first.strip().strip('"')
    if first.lower().startswith("sep=") and len(first) == 5:
        return first[4], text.index("\n") + 1 if "\n" in text else len(text)
    return None, 0


def detect_delimiter(text: str, name: str, kind: str, warnings: list[str]) -> str:
    sample = _sample(text)
    if kind == "tsv" and "\t" in sample:
        return "\t"
    scores = {d: _consistency(sample, d) for d in DELIMITERS if d in sample}
    scores = {d: s for d, s in scores.items() if s[1] > 1}
    if not scores:
        return "\t" if kind == "tsv" else ","
    best = max(scores.values())
    tied = [d for d, s in scores.items() if s[0] >= best[0] - 0.05 and s[0] > 0]
    if len(tied) == 1:
        return tied[0]
    clean = {d: _clean_share(sample, d, tied) for d in tied}
    chosen = max(tied, key=lambda d: (clean[d], scores[d]))
    if all(clean[chosen] - clean[d] >= CLEARLY_CLEANER for d in tied if d != chosen):
        return chosen  # "12,5;3,75": the commas are decimal marks, not separators
    others = ", ".join(_NAMES[d] for d in tied if d != chosen)
    warnings.append(
        f"{name}: the separator could be {_NAMES[chosen]} or {others}; it was read as {_NAMES[chosen]}-separated "
        f"({scores[chosen][1]} columns): if the columns look wrong, save it again with one separator"
    )
    return chosen


def _sample(text: str) -> str:
    lines = text[:65536].splitlines()
    if len(text) > 65536 and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    return "\n".join(lines[:SAMPLE_LINES])


def _rows(sample: str, delimiter: str) -> list[list[str]]:
    try:
        return [row for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if row]
    except csv.Error:
        return []


def _consistency(sample: str, delimiter: str) -> tuple[float, int]:
    """(share of lines with the usual number of fields, that number)."""
    counts = Counter(len(row) for row in _rows(sample, delimiter))
    if not counts:
        return 0.0, 0
    fields, lines = counts.most_common(1)[0]
    return lines / sum(counts.values()), fields


def _clean_share(sample: str, delimiter: str, rivals: list[str]) -> float:
    """The share of fields that read as a value or hold no rival separator."""
    cells = [c.strip() for row in _rows(sample, delimiter) for c in row]
    if not cells:
        return 0.0
    others = [d for d in rivals if d != delimiter]

    def clean(cell: str) -> bool:
        if parse_number(cell, ".") or parse_number(cell, ",") or parse_date(cell, "dmy"):
            return True
        return not any(d in cell for d in others)

    return sum(map(clean, cells)) / len(cells)
