"""Images in the Build tab's handlers, without a server: attached for the next message, refused
one by one with the reason, sent once, shown as thumbnails, reopened from the history."""

from __future__ import annotations

import pytest

from jfdi.engine import Engine
from jfdi.images import MAX_IMAGES
from jfdi.providers.base import ProviderStatus
from jfdi.router import Router
from jfdi.store import Store
from jfdi.ui import render
from jfdi.ui.handlers import ChatState, Handlers
from tests import image_files as files
from tests.fakes import FakeProvider, Script
from tests.test_ui_handlers import CODE, final


class CountingDescriber:
    def __init__(self):
        self.prefetched: list[str] = []

    def prefetch(self, images):
        self.prefetched += [image.name for image in images]

    def describe(self, image):
        raise AssertionError("not read in these tests")


@pytest.fixture
def claude():
    return FakeProvider("claude", label="Claude", model="claude-sonnet-5-5", vision=True)


@pytest.fixture
def engine(settings, claude):
    providers = {"claude": claude, "local": FakeProvider("local", label="Seed-Coder (local)")}
    router = Router(providers, ["claude", "local"], timeout_s=2, backoff_s=0.01)
    return Engine(settings, providers=providers, router=router, store=Store(settings.db_path), describer=CountingDescriber())


@pytest.fixture
def handlers(engine):
    return Handlers(engine)


@pytest.fixture
def uploads(tmp_path):
    (tmp_path / "traveler.jpg").write_bytes(files.photo_jpeg())
    (tmp_path / "screen.png").write_bytes(files.screenshot_png())
    (tmp_path / "scan.png").write_bytes(files.PDF_BYTES)
    return tmp_path


def test_images_are_attached_one_by_one_and_a_bad_one_is_refused_with_the_reason(handlers, engine, uploads):
    state, message = handlers.attach_images([uploads / name for name in ("traveler.jpg", "scan.png", "screen.png")], ChatState())
    assert [i.name for i in state.images] == ["traveler.jpg", "screen.png"]
    assert message.splitlines()[::2] == [
        "🖼️ traveler.jpg: 1500 × 2000, goes with your next message",
        "❌ scan.png is a PDF, not an image: attach it under Documents, where it is read page by page",
        "🖼️ screen.png: 1280 × 800, goes with your next message",
    ]
    thumbnails = handlers.pending_thumbnails(state)
    assert [name for _, name in thumbnails] == ["traveler.jpg", "screen.png"]
    assert all(engine.images.path(i.sha256) is not None for i in state.images), "kept, so the page can show them"
    assert engine.describer.prefetched == ["traveler.jpg", "screen.png"], "Seed-Coder cannot see: read ahead"
    again, _ = handlers.attach_images([uploads / "screen.png"], state)
    assert len(again.images) == 2, "the same image twice is one image"


def test_no_more_than_the_limit_wait_for_one_message(handlers, uploads):
    state = ChatState(images=tuple(handlers.attach_images([uploads / "screen.png"], ChatState())[0].images) * MAX_IMAGES)
    state, message = handlers.attach_images([uploads / "traveler.jpg"], state)
    assert len(state.images) == MAX_IMAGES and f"at most {MAX_IMAGES} images" in message


def test_the_images_go_with_the_next_message_only_and_show_in_the_conversation(handlers, claude, engine, uploads):
    state, _ = handlers.attach_images([uploads / "traveler.jpg"], ChatState())
    photo = state.images[0]
    claude.enqueue(CODE, CODE)
    views = final(handlers.generate("Build this traveler", "auto", state, {}, "s1"))
    assert claude.requests[0].images == (photo,)
    shown = {"path": str(engine.images.path(photo.sha256))}
    assert views[0].chat[-2] == {"role": "user", "content": ["Build this traveler", shown]}
    after = views[-1].state
    assert after.images == () and after.turn_images == ((photo.sha256,),)
    assert views[-1].chat[0]["content"][1] == {"path": str(engine.images.path(photo.sha256))}
    follow_up = final(handlers.generate("Make the header blue", "auto", after, {"src/Form.tsx": CODE}, "s1"))[-1]
    assert claude.requests[1].images == (), "a follow-up does not send the earlier image again"
    assert follow_up.state.turn_images == ((photo.sha256,), ())
    assert [m["content"] for m in follow_up.chat if m["role"] == "user"][1] == "Make the header blue"
    record = engine.store.get(follow_up.state.generation_id)
    assert record["images"] == [] and record["conversation"][0]["images"] == [photo.sha256]


def test_when_nothing_came_back_the_images_stay_for_the_next_try(handlers, claude, uploads):
    from jfdi.errors import AuthError

    state, _ = handlers.attach_images([uploads / "screen.png"], ChatState())
    claude.enqueue(Script(error=AuthError("bad key")))
    last = final(handlers.generate("Build this", "claude", state, {}, "s1"))[-1]
    assert last.status.startswith("❌") and last.state.images == state.images and last.prompt == "Build this"


def test_reopening_a_generation_shows_its_images(handlers, claude, uploads):
    state, _ = handlers.attach_images([uploads / "screen.png"], ChatState())
    claude.enqueue(CODE)
    done = final(handlers.generate("Build this app", "auto", state, {}, "s1"))[-1]
    opened = handlers.open_generation(done.state.generation_id, ChatState())
    assert opened.state.turn_images == ((state.images[0].sha256,),)
    assert opened.chat[0]["content"][0] == "Build this app" and opened.chat[0]["content"][1]["path"].endswith(".png")


def test_remove_and_clear_drop_the_waiting_images(handlers, uploads):
    state, _ = handlers.attach_images([uploads / "screen.png"], ChatState())
    assert handlers.remove_images(state).images == ()
    assert handlers.clear(state, "s1").state.images == ()


def test_the_provider_status_says_who_sees_images():
    text = render.provider_status_markdown([
        ProviderStatus("claude", "Claude", True, True, "claude-sonnet-5-5", "configured", vision=True),
        ProviderStatus("local", "Seed-Coder (local)", True, True, "seed-coder-8b", "ready"),
    ])
    assert "`claude-sonnet-5-5` · sees images" in text and "`seed-coder-8b` · images as text" in text


def test_the_api_takes_image_files_and_refuses_a_bad_one_before_anything_runs(handlers, claude, uploads):
    claude.enqueue(CODE)
    code, status = list(handlers.api_generate("Build this", "auto", "", [str(uploads / "traveler.jpg")]))[-1]
    assert code == CODE and [i.name for i in claude.requests[-1].images] == ["traveler.jpg"]
    with pytest.raises(Exception, match="is a PDF"):
        list(handlers.api_generate("Build this", "auto", "", [str(uploads / "scan.png")]))
    assert claude.calls == 1
