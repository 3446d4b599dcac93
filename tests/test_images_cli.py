"""`python -m jfdi generate PROMPT --image FILE`, run as a user runs it, against loopback services:
the image reaches a provider that sees, its OCR text reaches one that cannot, a bad image is exit 2."""

from __future__ import annotations

import json

from tests import image_files as files
from tests.loopback import Reply
from tests.test_cli import CODE, cli  # noqa: F401  (the fixture)


def test_images_reach_claude_and_are_kept_once_by_hash(cli, anthropic_server, tmp_path):  # noqa: F811
    (tmp_path / "traveler.jpg").write_bytes(files.photo_jpeg())
    (tmp_path / "screen.png").write_bytes(files.screenshot_png())
    anthropic_server.enqueue(Reply(text=f"```tsx\n{CODE}\n```"))
    result = cli("generate", "Build this form", "--image", "traveler.jpg", "--image", "screen.png",
                 ANTHROPIC_API_KEY="sk-ant-test")
    assert result.returncode == 0, result.stderr
    assert result.stdout == CODE + "\n"
    content = anthropic_server.requests[-1].body["messages"][0]["content"]
    assert [b["type"] for b in content] == ["image", "image", "text"]
    assert "IMAGES:" in anthropic_server.requests[-1].body["system"]
    record = json.loads(cli("history", "--json").stdout)[0]
    assert [(i["name"], i["media_type"], i["width"], i["height"]) for i in record["images"]] == [
        ("traveler.jpg", "image/jpeg", 1500, 2000), ("screen.png", "image/png", 1280, 800)]
    assert record["conversation"][-1]["images"] == [i["sha256"] for i in record["images"]]
    kept = sorted(p.name for p in (tmp_path / "data" / "images").rglob("*") if p.is_file())
    assert kept == sorted(f"{i['sha256']}.{'jpg' if i['media_type'] == 'image/jpeg' else 'png'}" for i in record["images"])


def test_a_text_only_model_gets_the_forms_ocr_text(cli, openai_server, tmp_path):  # noqa: F811
    files.form_png(tmp_path / "inspection.png")
    openai_server.enqueue(Reply(text=CODE))
    result = cli("generate", "Build this form", "--image", "inspection.png", "--provider", "openrouter",
                 OPENROUTER_API_KEY="sk-or-test", JFDI_OPENROUTER_MODEL="deepseek/deepseek-chat")
    assert result.returncode == 0, result.stderr
    assert "image described as text for OpenRouter" in result.stderr
    message = openai_server.requests[-1].body["messages"][-1]
    assert isinstance(message["content"], str), "no image part for a text-only model"
    text = message["content"]
    assert '<image_text name="inspection.png">' in text
    for label in (files.FORM_TITLE, *files.FORM_FIELDS, files.FORM_SIGN_OFF):
        assert label.lower() in text.lower(), label
    assert (next((tmp_path / "data" / "images").rglob("*.description.json"))).is_file()


def test_a_bad_image_is_exit_2_with_the_reason_and_nothing_is_sent_or_kept(cli, anthropic_server, tmp_path):  # noqa: F811
    (tmp_path / "logo.svg").write_bytes(files.SVG_WITH_SCRIPT)
    before = len(anthropic_server.requests)
    result = cli("generate", "Build this", "--image", "logo.svg", ANTHROPIC_API_KEY="sk-ant-test")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: logo.svg is an SVG drawing, which JFDI does not take (it can carry scripts): export it as PNG")
    assert len(anthropic_server.requests) == before
    assert not (tmp_path / "data" / "images").exists()
    missing = cli("generate", "Build this", "--image", "nope.jpg", ANTHROPIC_API_KEY="sk-ant-test")
    assert missing.returncode == 2 and "nope.jpg: no such file" in missing.stderr
