"""A visual judge: a provider that sees looks at three screenshots of a rendered output (after
load, a second later, after the expect items clicked and typed) and scores it 0-100 against the
prompt and a checklist, as ArtifactsBench does (arXiv 2507.04952).

The judge must answer a JSON object {"score": integer 0-100, "notes": "..."}, alone or alone in a
code fence. Any other answer is sent back once with what is wrong with it; a second bad answer is
recorded as no score (None), never a guessed one. The judge goes through the router like any
request (retries, time limits), named alone, and what it costs is counted apart from the output
it judged."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from ..generation import Generation, Run
from ..images import prepare_image
from ..providers import Message, Provider, Request
from ..router import Router
from .errors import BadVerdict, JudgeCannotSee

SHOTS = ("after load", "one second later", "after the checks clicked and typed")
FIXED_CRITERIA = (
    "Fulfils the request: it is the tool that was asked for, with the data and actions it names.",
    "Layout: related things are grouped and aligned; nothing overlaps, is cut off or spills out.",
    "Readability: text is legible, with enough contrast and size for a shop floor.",
    "Visual polish: consistent spacing, colours and controls; it looks finished, not like a draft.",
    "State changes are visible: the last screenshot shows the component responding to the clicks and typing.",
)
NOTES_MAX = 500
TRIES = 2  # the question, then once more with what was wrong with the answer
JUDGE_MAX_TOKENS = 600
ANSWER_FORMAT = 'Answer with only a JSON object: {"score": <integer from 0 to 100>, "notes": "<one or two short sentences>"}.'
SYSTEM = (
    "You judge user interfaces that a code model generated for manufacturing engineers. You see "
    "screenshots of one rendered component and the request it answers, and you score how well it "
    "meets the checklist: 100 is everything met and polished, 0 is nothing usable (blank, an error, "
    "or another tool). Judge only what the screenshots show. " + ANSWER_FORMAT
)

# Each expect kind (prompts.py) in words, for the judge's checklist.
_ITEMS: dict[str, Callable[[dict], str]] = {
    "text": lambda i: f"Shows text matching “{i['value']}”.",
    "field": lambda i: f"Has a form field labelled “{i['label']}”.",
    "button": lambda i: f"Has a button named “{i['name']}”.",
    "role": lambda i: f"Shows at least {i.get('min', 1)} element(s) with the ARIA role {i['role']}.",
    "rows": lambda i: f"A table shows at least {i.get('min', 1)} data rows.",
    "click_changes": lambda i: f"Clicking {('the “' + i['button'] + '” button') if 'button' in i else 'the ' + i['role']} "
                               "changes what is shown.",
    "validation": lambda i: f"Entering “{i['value']}” in the “{i['field']}” field shows a message like "
                            f"“{i['message']}”.",
    "sort": lambda i: f"Clicking the {('“' + i['header'] + '”') if i.get('header') else 'a'} column header "
                      "reorders the rows.",
    "filter": lambda i: "Typing part of a row into a search box hides the other rows.",
    "chart": lambda i: f"A chart shows at least {i.get('min', 3)} points or bars.",
}

_FENCED = re.compile(r"```[A-Za-z]*[ \t]*\n(.*?)\n?```", re.S)


def checklist(expect: Sequence[dict]) -> list[str]:
    """The prompt's own expect items in words, then the fixed criteria."""
    return [_ITEMS[item["kind"]](item) for item in expect] + list(FIXED_CRITERIA)


def judge_request(prompt: str, expect: Sequence[dict], shots: Sequence[Path]) -> Request:
    images = tuple(prepare_image(path.read_bytes(), path.name) for path in shots)
    described = "; ".join(f"{n} {when}" for n, when in enumerate(SHOTS[: len(images)], start=1))
    text = "\n".join([
        f"The request:\n{prompt}",
        "",
        f"The screenshots, in order: {described}.",
        "",
        "Checklist:",
        *(f"- {line}" for line in checklist(expect)),
        "",
        ANSWER_FORMAT,
    ])
    return Request(system=SYSTEM, messages=(Message("user", text, images=images),), max_tokens=JUDGE_MAX_TOKENS)


def retry_request(first: Request, answer: str, reason: BadVerdict) -> Request:
    """The same question once more, with the answer that could not be used and why."""
    again = Message("user", f"That answer could not be used: {reason}. {ANSWER_FORMAT}")
    return Request(system=first.system, messages=(*first.messages, Message("assistant", answer or "(empty)"), again),
                   max_tokens=first.max_tokens)


@dataclass(frozen=True)
class Verdict:
    score: int
    notes: str


def parse_verdict(text: str) -> Verdict:
    """The judge's answer read strictly: the JSON object alone, or alone in one code fence; an
    integer score from 0 to 100 and notes that are text. BadVerdict says what is wrong."""
    body = text.strip()
    fenced = _FENCED.fullmatch(body)
    if fenced:
        body = fenced.group(1).strip()
    try:
        value = json.loads(body)
    except ValueError:
        raise BadVerdict("it is not a JSON object (nothing else may surround it)") from None
    if not isinstance(value, dict):
        raise BadVerdict(f"it is JSON but not an object ({type(value).__name__})")
    score = value.get("score")
    if isinstance(score, bool) or not isinstance(score, int):
        raise BadVerdict(f"score must be an integer, not {json.dumps(score)}")
    if not 0 <= score <= 100:
        raise BadVerdict(f"score {score} is outside 0-100")
    notes = value.get("notes")
    if not isinstance(notes, str):
        raise BadVerdict("notes must be a string")
    notes = notes.strip()
    if len(notes) > NOTES_MAX:
        notes = notes[:NOTES_MAX].rstrip() + f" [notes cut at {NOTES_MAX} characters]"
    return Verdict(score, notes)


@dataclass
class Judgement:
    """A judge's score of one output (None: no score) and what judging it cost."""

    score: int | None
    notes: str
    provider: str
    model: str
    calls: int = 0
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None
    # Why there is no score (or what the first, refused answer was wrong with).
    problems: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """What a benchmark row keeps about the judging, beside judge_score and judge_notes."""
        return {"provider": self.provider, "model": self.model, "calls": self.calls, "input_tokens": self.input_tokens,
                "output_tokens": self.output_tokens, "cost_usd": self.cost_usd, "problems": list(self.problems)}

    def add_call(self, gen: Generation) -> None:
        """Count one call to the judge (what it used and cost), whatever it answered."""
        self.calls += 1
        self.input_tokens = _plus(self.input_tokens, gen.input_tokens)
        self.output_tokens = _plus(self.output_tokens, gen.output_tokens)
        self.cost_usd = _plus(self.cost_usd, gen.cost_usd)


class Judge:
    """`judge(prompt, expect, shots)` for each output, on the provider named (no fallback)."""

    def __init__(self, providers: Mapping[str, Provider], name: str, *, timeout_s: float = 120.0):
        self.provider = providers[name]
        if not self.provider.sees_images:
            raise JudgeCannotSee(
                f"the judge must see images, and {self.provider.label} ({self.provider.model}) is given them as text: "
                "name a provider whose model sees (Claude; or set JFDI_OPENROUTER_VISION / JFDI_OLLAMA_VISION=on "
                "for a vision model)"
            )
        self.name = name
        self._router = Router(providers, [name], timeout_s=timeout_s)

    def judge(self, prompt: str, expect: Sequence[dict], shots: Sequence[Path]) -> Judgement:
        judgement = Judgement(None, "", self.name, self.provider.model)
        request = judge_request(prompt, expect, shots)
        for _ in range(TRIES):
            gen = self._ask(request)
            judgement.add_call(gen)
            if gen.status != "ok":
                judgement.problems.append(f"the judge failed: {gen.error or gen.status}")
                return judgement
            try:
                verdict = parse_verdict(gen.text)
            except BadVerdict as exc:
                judgement.problems.append(f"unusable answer ({exc}): {gen.text.strip()[:200]!r}")
                request = retry_request(request, gen.text, exc)
                continue
            judgement.score, judgement.notes = verdict.score, verdict.notes
            return judgement
        return judgement

    def _ask(self, request: Request) -> Generation:
        gen = Generation(prompt="benchmark judge", provider_requested=self.name)
        stop = threading.Event()
        for _ in Run(gen, self._router.run(request, self.name, stop), stop):
            pass
        return gen


def _plus(total: float | int | None, value: float | int | None):
    return total if value is None else (total or 0) + value
