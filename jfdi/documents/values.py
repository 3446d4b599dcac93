"""Cell text as values, the way spreadsheets in English, French and German shops write them:
numbers with thousands separators or decimal commas ("1,234.5", "1.234,5", "1 234,5", SAP's
trailing minus "12,50-"), a unit or currency beside the number ("0.25 in", "€ 12,50", "12 %"),
dates in ISO, day-first and month-first order or with month names, yes/no words, and the tokens
that mean "nothing here" ("-", "n/a", Excel's "#N/A").

Whether "1,234" is one thousand or one point two is decided for a whole column (see
`decimal_vote`), never cell by cell."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .units import unit_symbol

EMPTY_TOKENS = frozenset({"", "-", "--", "—", "–", "n/a", "n.a.", "#n/a", "null", "nan", "k.a.", "n.v."})
# What Excel shows in a cell whose formula failed; a value that is not there.
EXCEL_ERRORS = frozenset(
    {"#div/0!", "#value!", "#ref!", "#name?", "#num!", "#null!", "#n/a", "#getting_data", "#spill!", "#calc!"}
)
TRUE_WORDS = frozenset({"true", "yes", "y", "ja", "j", "oui", "si", "sí", "vrai", "wahr", "x", "✓", "✔", "☑"})
FALSE_WORDS = frozenset({"false", "no", "n", "nein", "non", "faux", "falsch", "✗", "✘", "☐"})
MARKS = frozenset({"x", "✓", "✔", "☑"})  # a column of ticks and blanks is a checklist

_GROUPS = "'’ \u00a0\u202f"  # thousands separators that are never a decimal mark
_NUMBER = re.compile(
    r"^(?P<cur>[€$£¥]|US\$|C\$)?\s*(?P<sign>[-+−])?\s*(?P<cur2>[€$£¥])?\s*"
    r"(?P<num>\d(?:[\d.,'’ \u00a0\u202f]*\d)?|[.,]\d+)(?:[eE](?P<exp>[-+]?\d{1,3}))?(?P<minus>-)?"
    r"\s*(?P<unit>[^\d\s].{0,15}?)?\s*$"
)
_PLAIN = {mark: re.compile(r"-?\d{1,15}(?:" + re.escape(mark) + r"\d{1,15})?") for mark in ".,"}
_GROUPED = {sep: re.compile(r"^[1-9]\d{0,2}(?:" + re.escape(sep) + r"\d{3})+$") for sep in ".,'’ \u00a0\u202f"}


def decimal_vote(text: str) -> str | None:
    """ "," or "." when `text` can only be a number written with that decimal mark ("12,5",
    "1.234,5" -> ","; "0.42", "1,234,567" -> "."); None when it cannot tell ("1,234", "12")."""
    match = _NUMBER.match(text)
    if not match:
        return None
    num = match["num"]
    last_comma, last_dot = num.rfind(","), num.rfind(".")
    if last_comma >= 0 and last_dot >= 0:
        return "," if last_comma > last_dot else "."
    mark = "," if last_comma >= 0 else "." if last_dot >= 0 else None
    if mark is None:
        return None
    if num.count(mark) > 1:  # "1,234,567": a thousands separator
        return "." if mark == "," else ","
    whole, fraction = num.split(mark)
    # "1,234" may be either; "12,5", "0,250", "1234,567" and "1 234,567" can only be decimals.
    if len(fraction) != 3 or whole in ("", "0") or not whole.isdigit() or len(whole) > 3:
        return mark
    return None


def parse_number(text: str, decimal: str) -> tuple[float | int, str | None, bool] | None:
    """(value, unit symbol or None, whether a fraction was written) for a number written with
    `decimal` as its decimal mark; None when `text` is not one."""
    if _PLAIN[decimal].fullmatch(text):  # most cells: "12", "-3.75", "0,42", at C speed
        return (float(text.replace(",", ".")), None, True) if decimal in text else (int(text), None, False)
    match = _NUMBER.match(text)
    if not match:
        return None
    unit = match["unit"]
    symbol = None
    if unit:
        symbol = unit_symbol(unit)
        if symbol is None:
            return None
    currency = match["cur"] or match["cur2"]
    if currency:
        if symbol:
            return None
        symbol = unit_symbol(currency)
    num = match["num"]
    whole, _, fraction = num.partition(decimal)
    if decimal in fraction or not fraction.isdigit() and fraction:
        return None
    if whole and not whole.isdigit():
        separators = {c for c in whole if not c.isdigit()}
        if len(separators) != 1 or not _GROUPED[separators.pop()].match(whole):
            return None
        whole = "".join(c for c in whole if c.isdigit())
    negative = match["sign"] in ("-", "−") or bool(match["minus"])
    if match["exp"] is not None:
        value: float | int = float(f"{whole or '0'}.{fraction or '0'}e{match['exp']}")
        fraction = fraction or "0"
    elif fraction:
        value = float(f"{whole or '0'}.{fraction}")
    else:
        value = int(whole)
    return (-value if negative else value), symbol, bool(fraction)


_MONTHS = {
    # English, French, German; abbreviations with or without a dot
    **dict.fromkeys(("jan", "january", "janv", "janvier", "januar", "jän", "jänner"), 1),
    **dict.fromkeys(("feb", "february", "févr", "fevr", "février", "fevrier", "februar"), 2),
    **dict.fromkeys(("mar", "march", "mars", "mär", "märz", "maerz"), 3),
    **dict.fromkeys(("apr", "april", "avr", "avril"), 4),
    **dict.fromkeys(("may", "mai"), 5),
    **dict.fromkeys(("jun", "june", "juin", "juni"), 6),
    **dict.fromkeys(("jul", "july", "juil", "juillet", "juli"), 7),
    **dict.fromkeys(("aug", "august", "août", "aout"), 8),
    **dict.fromkeys(("sep", "sept", "september", "septembre"), 9),
    **dict.fromkeys(("oct", "october", "octobre", "okt", "oktober"), 10),
    **dict.fromkeys(("nov", "november", "novembre"), 11),
    **dict.fromkeys(("dec", "december", "déc", "décembre", "decembre", "dez", "dezember"), 12),
}
_TIME = r"(?:[T ]\s*(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?\s*(?P<ampm>[ap]\.?m\.?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_YMD = re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _TIME + r"$", re.I)
_NUMERIC = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})" + _TIME.replace("[T ]", "(?:,?\\s)") + r"$", re.I
)
_NAMED = re.compile(
    r"^(?:(?P<d>\d{1,2})\.?[ -](?P<mon>[^\W\d_]{3,10})\.?[-, ]\s*(?P<y>\d{4}|\d{2})"  # 15 mars 2024, 15-Mar-24
    r"|(?P<mon2>[^\W\d_]{3,10})\.? (?P<d2>\d{1,2}),? (?P<y2>\d{4}))"  # Mar 15, 2024
    + _TIME.replace("[T ]", "(?:,?\\s)")
    + r"$",
    re.I,
)


def date_order_vote(text: str) -> str | None:
    """ "dmy" or "mdy" when a numeric date can only be read one way ("25/03/2024", "03/25/2024",
    and day-first dotted dates as German and French write them), "either" for one like
    03/04/2024, None for anything else."""
    match = _NUMERIC.match(text)
    if not match:
        return None
    if match["sep"] == ".":
        return "dmy"
    a, b = int(match["a"]), int(match["b"])
    return "dmy" if a > 12 >= b else "mdy" if b > 12 >= a else "either"


def parse_date(text: str, order: str) -> date | datetime | None:
    """A date (or a datetime when a time is written) from `text`; `order` ("dmy" or "mdy") reads
    numeric dates like 03/04/2024."""
    match = _YMD.match(text)
    if match:
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    elif (match := _NUMERIC.match(text)) is not None:
        a, b = int(match["a"]), int(match["b"])
        day, month = (a, b) if order == "dmy" or match["sep"] == "." else (b, a)
        year = _year(match["y"])
    elif (match := _NAMED.match(text)) is not None:
        name = (match["mon"] or match["mon2"]).casefold().rstrip(".")
        month = _MONTHS.get(name, 0)
        day = int(match["d"] or match["d2"])
        year = _year(match["y"] or match["y2"])
    else:
        return None
    try:
        day_value = date(year, month, day)
    except ValueError:
        return None
    if match["h"] is None:
        return day_value
    hour, minute, second = int(match["h"]), int(match["mi"]), int(match["s"] or 0)
    if match["ampm"]:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return datetime(year, month, day, hour, minute, second)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # 24 -> 2024, 85 -> 1985, as spreadsheets read two-digit years
        year += 2000 if year < 70 else 1900
    return year


# Excel counts days from 1899-12-30 (its 1900 leap-year bug included); serials from 1970 to 2100.
EXCEL_EPOCH = datetime(1899, 12, 30)
SERIAL_RANGE = (25569, 73051)


def excel_serial(value: float) -> date | datetime:
    moment = EXCEL_EPOCH + timedelta(days=value)
    moment = (
        moment.replace(microsecond=0) if moment.microsecond < 500_000 else (moment + timedelta(seconds=1)).replace(microsecond=0)
    )
    return moment.date() if moment.time() == datetime.min.time() else moment
