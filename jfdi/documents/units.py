"""Units as a shop writes them, in headers ("Length [mm]", "Torque Nm", "Poids (kg)", "Länge/mm")
and after values ("0.25 in", "120 °C"), each folded to one symbol: the symbol JFDI's units library
(jfdi/preview/units/units.ts) converts, for the units it converts, so a generated tool can pass a
column's unit straight to it. Other units (pieces, percent, currencies, volts...) are labels: found
and named the same way every time, never converted.

Units are matched as written first, then ignoring case when that names only one unit ("MM",
"MPA"). A bare word at the end of a header counts only when it cannot be an ordinary word or an
abbreviation: "Torque Nm" has a unit, "Size L", "Rev A" and "Diameter min" do not."""

from __future__ import annotations

import re

# symbol: (dimension, aliases). The dimensions are those of units.ts; "label" units are not converted.
UNITS: dict[str, tuple[str, tuple[str, ...]]] = {
    "µm": ("length", ("µm", "μm", "um", "micron", "microns")),
    "mm": ("length", ("mm", "millimeter", "millimetre", "millimeters", "millimetres")),
    "cm": ("length", ("cm", "centimeter", "centimetre", "centimeters", "centimetres")),
    "m": ("length", ("m", "meter", "metre", "meters", "metres", "mtr")),
    "in": ("length", ("in", "inch", "inches", "in.", '"', "″", "zoll", "pouce", "pouces")),
    "ft": ("length", ("ft", "feet", "foot", "ft.")),
    "g": ("mass", ("g", "gram", "grams", "gramm", "gramme", "grammes")),
    "kg": ("mass", ("kg", "kilogram", "kilograms", "kilogramm", "kilogramme", "kilogrammes", "kgs")),
    "lb": ("mass", ("lb", "lbs", "lb.", "lbs.", "pound", "pounds")),
    "N": ("force", ("N", "newton", "newtons")),
    "kN": ("force", ("kN",)),
    "lbf": ("force", ("lbf",)),
    "N·m": ("torque", ("N·m", "Nm", "N.m", "N-m", "N*m", "N m", "N⋅m", "newton-meter", "newton metre")),
    "lbf·ft": ("torque", ("lbf·ft", "lbf-ft", "lbf.ft", "lbf ft", "ft-lb", "ft·lb", "ft-lbf", "ft·lbf", "ft.lb", "lb-ft", "lb·ft",
                          "ft lb", "ft lbf", "ftlb", "ft-lbs", "lb.ft")),
    "lbf·in": ("torque", ("lbf·in", "lbf-in", "lbf.in", "lbf in", "in-lb", "in·lb", "in-lbf", "in·lbf", "in.lb", "lb-in", "lb·in",
                          "in lb", "in lbf", "inlb", "in-lbs", "lb.in")),
    "Pa": ("pressure", ("Pa", "pascal")),
    "kPa": ("pressure", ("kPa",)),
    "MPa": ("pressure", ("MPa",)),
    "N/mm²": ("pressure", ("N/mm²", "N/mm2", "N/mm^2")),
    "bar": ("pressure", ("bar",)),
    "psi": ("pressure", ("psi",)),
    "°C": ("temperature", ("°C", "ºC", "° C", "degC", "deg C", "deg. C", "celsius", "℃")),
    "°F": ("temperature", ("°F", "ºF", "° F", "degF", "deg F", "deg. F", "fahrenheit", "℉")),
    "K": ("temperature", ("K", "kelvin")),
    "L": ("volume", ("L", "l", "liter", "litre", "liters", "litres", "ltr", "Ltr")),
    "mL": ("volume", ("mL", "ml")),
    "gal": ("volume", ("gal", "gallon", "gallons", "US gal")),
    "s": ("time", ("s", "sec", "secs", "second", "seconds")),
    "min": ("time", ("min", "mins", "minute", "minutes")),
    "h": ("time", ("h", "hr", "hrs", "hour", "hours", "Std", "Std.")),
    "pcs": ("label", ("pcs", "pc", "pcs.", "pc.", "pce", "pces", "piece", "pieces", "pièce", "pièces", "Stk", "Stk.",
                      "Stück", "St.",
                      "ea", "each", "units")),
    "%": ("label", ("%", "percent", "pct")),
    "‰": ("label", ("‰",)),
    "°": ("label", ("°", "deg", "degree", "degrees", "Grad")),
    "rpm": ("label", ("rpm", "RPM", "1/min", "U/min", "tr/min", "min⁻¹", "min-1")),
    "m/s": ("label", ("m/s",)),
    "mm/s": ("label", ("mm/s",)),
    "m/min": ("label", ("m/min",)),
    "mm/min": ("label", ("mm/min",)),
    "mm²": ("label", ("mm²", "mm2", "mm^2", "sq mm")),
    "cm²": ("label", ("cm²", "cm2")),
    "m²": ("label", ("m²", "m2", "sqm", "sq m")),
    "m³": ("label", ("m³", "m3")),
    "V": ("label", ("V", "volt", "volts")),
    "mA": ("label", ("mA",)),
    "A": ("label", ("A", "amp", "amps", "ampere")),
    "W": ("label", ("W", "watt", "watts")),
    "kW": ("label", ("kW",)),
    "kWh": ("label", ("kWh",)),
    "Hz": ("label", ("Hz",)),
    "HRC": ("label", ("HRC",)),
    "HB": ("label", ("HB",)),
    "HV": ("label", ("HV",)),
    "EUR": ("label", ("EUR", "€", "Euro", "euro", "euros")),
    "USD": ("label", ("USD", "$", "US$")),
    "GBP": ("label", ("GBP", "£")),
    "CHF": ("label", ("CHF",)),
    "CAD": ("label", ("CAD", "C$")),
    "JPY": ("label", ("JPY", "¥")),
    "CNY": ("label", ("CNY", "RMB")),
}

# Never a unit when it stands alone at the end of a header: letters ("Size L", "Rev A") and words
# that qualify a column as often as they name a unit ("Diameter min", "Length in", "Qty each").
_NOT_BARE = frozenset({"min", "in", "in.", "each", "units", "ea", "st.", "std", "std.", "grad", "l", "pc", "pc."})

_EXACT: dict[str, str] = {}
_FOLDED: dict[str, str | None] = {}  # None: two units share the folded spelling
for _symbol, (_dimension, _aliases) in UNITS.items():
    for _alias in (_symbol, *_aliases):
        _EXACT[_alias] = _symbol
for _alias, _symbol in _EXACT.items():
    _key = _alias.casefold()
    _FOLDED[_key] = _symbol if _FOLDED.get(_key, _symbol) == _symbol else None


def unit_symbol(text: str) -> str | None:
    """The symbol of the unit written as `text` ("Nm" -> "N·m", "MPA" -> "MPa", "EUR/kg"), or None."""
    text = " ".join(text.replace("\u00a0", " ").split())
    if not text:
        return None
    symbol = _EXACT.get(text) or _FOLDED.get(text.casefold())
    if symbol is None and text.count("/") == 1:  # a rate: "EUR/kg", "pcs/h"
        top, bottom = (unit_symbol(part) for part in text.split("/"))
        symbol = f"{top}/{bottom}" if top and bottom else None
    return symbol


# "Length [mm]", "Qty (pcs)", "Länge {mm}", "Length (in mm)"; the last bracket that names a unit.
_BRACKETED = re.compile(r"[\[({]\s*(?:(?:in|en|em)\s+)?([^\[\](){}]{1,20}?)\s*[\])}]", re.I)
# "Weight, kg", "Gewicht/kg" (quantity/unit, as ISO 80000 writes it), "length_mm"
_SEPARATED = re.compile(r"(?:\w{2,}\s*[,/]\s*|\w_)([^\s,/_]{1,12})$")


def header_unit(header: str) -> str | None:
    """The unit a column header names, or None."""
    header = " ".join(str(header).split())
    for found in reversed(_BRACKETED.findall(header)):
        symbol = unit_symbol(found)
        if symbol:
            return symbol
    words = header.rsplit(" ", 1)
    if len(words) == 2 and _bare_unit(words[1]):
        return _bare_unit(words[1])
    match = _SEPARATED.search(header)
    if match and (len(match.group(1)) >= 2 or not match.group(0)[-2] == "_"):
        return unit_symbol(match.group(1))
    return None


def _bare_unit(word: str) -> str | None:
    """A last word that is a unit: as written ("Nm", "°C", "%"), or in capitals ("PSI", "KG"), but
    never one letter ("Size L") nor a word in _NOT_BARE."""
    if word.casefold() in _NOT_BARE or (len(word) < 2 and word.isalpha()):
        return None
    if word.isupper() and len(word) >= 2:
        return unit_symbol(word)
    return _EXACT.get(word) or (unit_symbol(word) if "/" in word else None)
