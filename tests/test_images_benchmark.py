"""The image benchmark's set (benchmarks/images.json) and the suite runner with images: what
issue 16's screenshots will go through too."""

from __future__ import annotations

import json

from benchmarks.image_set import MANIFEST, make
from jfdi.benchmark.prompts import BenchPrompt, load_prompts
from jfdi.benchmark.runner import run_suite
from jfdi.images import prepare_image
from tests.bench_canned import GOOD
from tests.fakes import FakeProvider


def test_the_set_has_photographed_forms_and_screenshots_each_with_expect_items():
    prompts = load_prompts(MANIFEST)
    assert len(prompts) >= 8
    photos = [p for p in prompts if p.images[0].suffix == ".jpg"]
    screenshots = [p for p in prompts if p.images[0].suffix == ".png"]
    assert len(photos) >= 8 and len(screenshots) == 2
    for prompt in prompts:
        assert len(prompt.expect) >= 5, prompt.id
        image = prepare_image(prompt.images[0].read_bytes(), prompt.images[0].name)
        assert max(image.width, image.height) >= 1000


def test_the_manifest_is_what_the_generator_writes(tmp_path, monkeypatch):
    import benchmarks.image_set as image_set

    monkeypatch.setattr(image_set, "MANIFEST", tmp_path / "images.json")
    assert make(tmp_path / "images") == json.loads(MANIFEST.read_text())


def test_a_prompts_images_go_to_a_provider_that_sees_and_as_text_to_one_that_cannot(tmp_path):
    photo = load_prompts(MANIFEST)[0].images
    prompt = BenchPrompt("fai", "Build this", ({"kind": "text", "value": "inspection"},), images=photo)
    providers = {"claude": FakeProvider("claude", vision=True).enqueue(GOOD), "local": FakeProvider("local").enqueue(GOOD)}
    rows = run_suite(providers, ["claude", "local"], [prompt], describe=lambda image: "FIRST ARTICLE INSPECTION")
    assert [r["ok"] for r in rows] == [True, True]
    assert [i.name for i in providers["claude"].requests[0].images] == ["fai.jpg"]
    assert providers["local"].requests[0].images == ()
    assert "FIRST ARTICLE INSPECTION" in providers["local"].requests[0].messages[-1].content
    assert rows[1]["notices"] == ["image described as text for Local"]
