"""A follow-up on the real local provider (a tiny random Llama, through its chat template): it
cannot write edit blocks, so what it answers is never saved; the edit format reaches it, it is
asked again on itself, and the previous version stays."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jfdi.engine import Engine
from jfdi.providers.local import LocalProvider
from jfdi.router import Router
from jfdi.store import Store
from tests.test_edits_follow_up import CURRENT

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def test_the_local_model_gets_the_edit_format_and_its_junk_is_never_saved(settings, tiny_llama_dir, monkeypatch):
    local = LocalProvider(replace(settings, local_model=str(tiny_llama_dir)), sampling=None)
    prompts = []
    generate = local._generate

    def recorded(**kwargs):
        prompts.append(local._tokenizer.decode(kwargs["input_ids"][0].tolist(), skip_special_tokens=False))
        return generate(**kwargs)

    monkeypatch.setattr(local, "_generate", recorded)
    # Not continued at the token limit (tests/test_token_limit.py does that): one prompt per ask.
    engine = Engine(replace(settings, max_tokens=48), providers={"local": local}, router=Router({"local": local}, ["local"], max_continues=0),
                    store=Store(settings.db_path))
    try:
        run = engine.generate("make the save button green", provider="local", current_files=CURRENT)
        for _ in run:
            pass
    finally:
        engine.close()
    gen = run.generation
    assert gen.provider == "local" and gen.status == "error" and gen.files == CURRENT
    assert gen.error.startswith("kept the previous version")
    assert len(prompts) == 3, "asked, asked again with the reason, asked for the whole file"
    assert "<<<<<<< SEARCH" in prompts[0] and "```tsx src/App.tsx" in prompts[0]
    assert "Answer again with every edit block" in prompts[1] and "Send the complete new version of src/App.tsx" in prompts[2]
