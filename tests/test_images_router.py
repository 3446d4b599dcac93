"""Images on every path through the router: a provider that sees gets them, one that cannot gets
their text, a fallback after a vision provider broke off mid-answer gets the text too, and no
request carries an image more than once."""

from __future__ import annotations

import threading

from jfdi.documents import EngineUnavailable
from jfdi.errors import Overloaded, TruncatedStream
from jfdi.generation import Generation, Run
from jfdi.images import prepare_image
from jfdi.prompts import CONTINUE_INSTRUCTION, IMAGE_INSTRUCTIONS, build_request
from jfdi.router import Router
from jfdi.ui import render
from tests import image_files as files
from tests.fakes import FakeProvider, Script
from tests.test_router import COMPONENT

FORM = prepare_image(files.form_png(), "inspection.png")
REQUEST = build_request("Build this inspection form", images=[FORM])


class Reader:
    """Stands in for the image describer: counts what it was asked to read."""

    def __init__(self, fail: Exception | None = None):
        self.read: list[str] = []
        self.fail = fail

    def __call__(self, image) -> str:
        self.read.append(image.name)
        if self.fail:
            raise self.fail
        return "# FIRST ARTICLE INSPECTION\n\nPart number ____"


def run(router: Router, request=REQUEST, choice="auto"):
    gen = Generation(prompt="Build this inspection form")
    cancel = threading.Event()
    list(Run(gen, router.run(request, choice, cancel), cancel))
    return gen


def router_of(*providers, describe=None) -> Router:
    names = [p.name for p in providers]
    return Router({p.name: p for p in providers}, names, timeout_s=2.0, backoff_s=0.01, describe=describe)


def test_the_request_carries_the_image_and_the_system_prompt_says_what_to_do_with_it():
    assert REQUEST.messages[-1].images == (FORM,) and REQUEST.images == (FORM,)
    assert REQUEST.system.endswith(IMAGE_INSTRUCTIONS) and "sign-off lines" in REQUEST.system
    assert "IMAGES:" not in build_request("Build a counter").system


def test_a_provider_that_sees_gets_the_image_and_nothing_is_read():
    claude = FakeProvider("claude", vision=True).enqueue(COMPONENT)
    reader = Reader()
    gen = run(router_of(claude, describe=reader))
    assert gen.status == "ok" and claude.requests[0].messages[-1].images == (FORM,)
    assert reader.read == [] and gen.notices == []


def test_a_text_only_provider_gets_the_images_text_and_the_status_says_so():
    local = FakeProvider("local", label="Seed-Coder (local)").enqueue(COMPONENT)
    gen = run(router_of(local, describe=Reader()))
    sent = local.requests[0].messages[-1]
    assert sent.images == () and local.requests[0].images == ()
    assert '<image_text name="inspection.png">\n# FIRST ARTICLE INSPECTION' in sent.content
    assert sent.content.endswith("Build this inspection form")
    assert gen.notices == ["image described as text for Seed-Coder (local)"]
    assert "image described as text for Seed-Coder (local)" in render.final_status(gen, {"local": "Seed-Coder (local)"})


def test_when_claude_breaks_off_mid_answer_the_text_only_fallback_continues_from_the_images_text():
    half = len(COMPONENT) // 2
    claude = FakeProvider("claude", vision=True).enqueue(Script(chunks=[COMPONENT[:half]], error=TruncatedStream("cut")))
    local = FakeProvider("local", label="Seed-Coder (local)").enqueue(COMPONENT[half:])
    reader = Reader()
    gen = run(router_of(claude, local, describe=reader))
    assert gen.status == "ok" and gen.provider == "local" and gen.code.strip() == COMPONENT.strip()
    assert claude.requests[0].images == (FORM,)
    continued = local.requests[0]
    assert continued.images == ()
    assert "<image_text" in continued.messages[0].content and continued.messages[-1].content == CONTINUE_INSTRUCTION
    assert reader.read == ["inspection.png"]
    assert "image described as text for Seed-Coder (local)" in gen.notices


def test_a_continuation_on_a_provider_that_sees_sends_each_image_once():
    half = len(COMPONENT) // 2
    first = FakeProvider("claude", vision=True, supports_prefill=True)
    first.enqueue(Script(chunks=[COMPONENT[:half]], error=TruncatedStream("cut")))
    second = FakeProvider("openrouter", vision=True).enqueue(COMPONENT[half:])
    gen = run(router_of(first, second, describe=Reader()))
    assert gen.status == "ok"
    assert second.requests[0].images == (FORM,), "the image once, with the request it belongs to"
    assert [m.role for m in second.requests[0].messages] == ["user", "assistant", "user"]


def test_retries_read_nothing_new_and_say_it_once():
    local = FakeProvider("local", label="Seed-Coder (local)")
    local.enqueue(Script(error=Overloaded("busy")), COMPONENT)
    gen = run(router_of(local, describe=Reader()))
    assert gen.status == "ok" and local.calls == 2
    assert gen.notices.count("image described as text for Seed-Coder (local)") == 1


def test_a_text_only_provider_is_passed_over_when_the_image_cannot_be_read_here():
    local = FakeProvider("local", label="Seed-Coder (local)")
    ollama = FakeProvider("ollama", vision=True).enqueue(COMPONENT)
    gen = run(router_of(local, ollama, describe=Reader(EngineUnavailable("OCR needs rapidocr-onnxruntime"))))
    assert gen.status == "ok" and gen.provider == "ollama" and local.calls == 0
    assert gen.attempts[0].outcome == "skipped" and "OCR needs rapidocr-onnxruntime" in gen.attempts[0].error


def test_without_an_image_reader_a_text_only_provider_cannot_take_images():
    local = FakeProvider("local")
    gen = run(router_of(local))
    assert gen.status == "error" and "cannot see images and no image reader is set up" in gen.error and local.calls == 0
