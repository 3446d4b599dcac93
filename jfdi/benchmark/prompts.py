"""The benchmark prompts: prompts.json beside this module (package data: the app's Benchmarks tab
reads it too), each {"id", "prompt", "expect", "seed"?, "images"?}. `images` are image files sent
with the prompt (paths relative to the prompts file: benchmarks/images.json).

`expect` lists what must be true of the rendered component; each item has a `kind`:

    text        {"value": regex}                     the rendered text matches
    field       {"label": regex}                     a form control is labelled so (label, aria-label, placeholder, name)
    button      {"name": regex}                      a button is named so
    role        {"role": r, "min": n}                at least n elements with the ARIA role
    rows        {"min": n}                           a table (or grid) shows at least n data rows
    click_changes {"button": regex} | {"role": r}    clicking it changes what the component shows
    validation  {"field": regex, "value": v, "message": regex}
                                                     entering v (then leaving the field and submitting)
                                                     shows a message matching regex that was not there
    sort        {"header": regex}?                   clicking a column header reorders the rows
    filter                                           typing part of a row into a search box hides other rows
    chart       {"min": n}?                          an SVG chart shows at least n marks (dots, bars, line vertices)

Regexes are case-insensitive. `seed: true` marks the original design's five test prompts, on
which its success criteria are judged."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadInput

DEFAULT_PROMPTS = Path(__file__).resolve().parent / "prompts.json"

KINDS = {
    "text": ("value",),
    "field": ("label",),
    "button": ("name",),
    "role": ("role",),
    "rows": (),
    "click_changes": (),
    "validation": ("field", "value", "message"),
    "sort": (),
    "filter": (),
    "chart": (),
}

REGEX_KEYS = {
    "text": ("value",),
    "field": ("label",),
    "button": ("name",),
    "click_changes": ("button",),
    "validation": ("field", "message"),
    "sort": ("header",),
}


@dataclass(frozen=True)
class BenchPrompt:
    id: str
    prompt: str
    expect: tuple[dict, ...] = ()
    seed: bool = False
    images: tuple[Path, ...] = ()


def load_prompts(path: str | Path | None = None) -> list[BenchPrompt]:
    path = Path(path) if path else DEFAULT_PROMPTS
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"prompts file not found: {path}") from None
    except ValueError as exc:
        raise BadInput(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(entries, list) or not entries:
        raise BadInput(f"{path} must hold a non-empty JSON list of prompts")
    prompts, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}, entry {number}"
        if not isinstance(entry, dict) or not entry.get("id") or not str(entry.get("prompt", "")).strip():
            raise BadInput(f"{where}: each entry needs an id and a prompt")
        if entry["id"] in seen:
            raise BadInput(f"{where}: the id {entry['id']!r} is used twice")
        seen.add(entry["id"])
        expect = tuple(entry.get("expect") or ())
        for item in expect:
            _check_item(where, item)
        images = tuple(path.parent / name for name in entry.get("images") or ())
        missing = [str(image) for image in images if not image.is_file()]
        if missing:
            raise BadInput(f"{where}: no image file {', '.join(missing)}")
        prompts.append(BenchPrompt(entry["id"], entry["prompt"].strip(), expect, bool(entry.get("seed")), images))
    return prompts


def _check_item(where: str, item: object) -> None:
    if not isinstance(item, dict) or item.get("kind") not in KINDS:
        raise BadInput(f"{where}: each expect item needs a kind among {', '.join(KINDS)}: {item!r}")
    missing = [key for key in KINDS[item["kind"]] if key not in item]
    if missing:
        raise BadInput(f"{where}: a {item['kind']!r} item needs {', '.join(missing)}: {item!r}")
    if item["kind"] == "click_changes" and not ("button" in item or "role" in item):
        raise BadInput(f"{where}: a 'click_changes' item needs a button or a role: {item!r}")
    for key in REGEX_KEYS.get(item["kind"], ()):
        if key in item:
            try:
                re.compile(str(item[key]))
            except re.error as exc:
                raise BadInput(f"{where}: {key} is not a valid regex ({exc}): {item!r}") from None
