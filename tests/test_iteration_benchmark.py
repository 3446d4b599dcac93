"""benchmarks/iteration.py on the loopback at full speed: what CI runs of it."""

from __future__ import annotations

import json

from benchmarks.iteration import main
from benchmarks.iteration_corpus import cases


def test_edits_beat_rewrites_and_the_corpus_ends_as_expected_with_nothing_wrongly_applied(tmp_path):
    assert main(["--tokens-per-s", "0", "--out", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "iteration.json").read_text())
    summary, corpus = results["summary"], results["corpus"]
    assert summary["edits"]["all_ok"] and summary["whole"]["all_ok"], "every follow-up ends with the expected file"
    assert [r["edit"] for r in results["follow_ups"]] == ["applied"] * 10 + ["whole"] * 10
    assert summary["target_met"] and summary["token_ratio_max"] <= 0.25
    assert corpus["cases"] >= 40 and corpus["wrongly_applied"] == []
    assert corpus["as_expected"] == corpus["cases"], [r for r in corpus["rows"] if not r["as_expected"]]
    outcomes = corpus["by_expected_outcome"]
    assert set(outcomes) == {"applied", "re-asked", "refused"} and min(outcomes.values()) >= 5
    assert "| elided-rest | REPLACE ends in '// ... rest of the component unchanged' | refused | refused |" in (
        tmp_path / "iteration.md").read_text()


def test_the_corpus_covers_what_models_do():
    kinds = {case.id for case in cases()}
    for needed in ("clean", "indent-drift-less", "prose-wrapped", "crlf", "ambiguous-exact", "elided-rest",
                   "wrong-file", "missing-divider", "missing-end", "unparsable", "whole-elided-data"):
        assert needed in kinds, needed


def test_a_configured_provider_runs_the_same_follow_ups_and_says_how_each_answer_was_used(tmp_path, monkeypatch):
    from benchmarks.iteration import FOLLOW_UPS, edit_answer, real_provider
    from tests.loopback import AnthropicServer, Reply

    with AnthropicServer() as claude:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", claude.url)
        claude.enqueue(*[Reply(text=edit_answer(*follow_up)) for follow_up in FOLLOW_UPS[:9]])
        claude.enqueue(Reply(text="I would rather not."))  # then a re-ask, and the default whole component
        real = real_provider("claude")
    assert [r["edit"] for r in real["rows"]] == ["applied"] * 9 + ["whole"]
    assert real["rows"][-1]["reasks"] == ["the answer has no code and no edit blocks"]
    assert all(r["ok"] and r["output_tokens"] for r in real["rows"]) and real["component_tokens"] > 2000
