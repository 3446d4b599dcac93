"""The operations the UI and the CLI share (jfdi/services.py), with fake providers and loopback servers."""

from __future__ import annotations

import json
import shutil
import threading
from dataclasses import replace

import pytest

from jfdi.engine import Engine
from jfdi.errors import BadInput, JFDIError
from jfdi.router import Router
from jfdi.services import Services
from jfdi.store import Store
from tests import bench_canned as canned
from tests.fakes import FakeProvider
from tests.loopback import closed_port

CODE = 'export default function Gauge() {\n  return <p className="p-4">72%</p>;\n}'


@pytest.fixture
def claude():
    return FakeProvider("claude", label="Claude", model="claude-test")


@pytest.fixture
def services(settings, claude):
    router = Router({"claude": claude}, ["claude"], timeout_s=2)
    return Services(Engine(settings, providers={"claude": claude}, router=router, store=Store(settings.db_path)))


def logged_generation(services, claude, code=CODE) -> str:
    claude.enqueue(code)
    run = services.engine.generate("A gauge")
    list(run)
    return run.generation.id


def test_only_a_logged_generations_own_files_belong_to_it(services, claude):
    generation_id = logged_generation(services, claude)
    files = services.engine.store.get(generation_id)["files"]
    assert services.generation_with_files(generation_id, files) == generation_id
    [(path, code)] = files.items()
    assert services.generation_with_files(generation_id, {path: code + "\n// edited"}) is None
    assert services.generation_with_files(generation_id, {**files, "src/lib/extra.ts": "export {}"}) is None
    assert services.generation_with_files(None, files) is None
    assert services.generation_with_files("no-such-id", files) is None


def test_recorded_checks_are_kept_with_the_generation_and_queued_for_the_team(services, claude, monkeypatch):
    generation_id = logged_generation(services, claude)
    woken = []
    monkeypatch.setattr(services.engine.team, "wake", lambda: woken.append(True))
    assert services.record_checks(generation_id, {"ok": False, "runtime_errors": [{"kind": "render", "message": "boom"}]})
    assert services.engine.store.get(generation_id)["checks"]["runtime_errors"][0]["message"] == "boom"
    assert woken == [True]
    assert not services.record_checks("no-such-id", {"ok": True}) and woken == [True], "nothing to push for a stranger"


def test_ollama_models_and_pull(settings, ollama_server):
    services = Services(Engine(replace(settings, ollama_host=ollama_server.url), store=Store(settings.db_path)))
    assert [m.name for m in services.ollama_models()] == ["seed-coder-test:latest"]
    steps = list(services.pull_ollama_model("qwen2.5-coder:7b"))
    assert steps[-1].status == "success" and any(s.fraction for s in steps)
    assert "qwen2.5-coder:7b" in [m.name for m in services.ollama_models()]
    with pytest.raises(BadInput):
        list(services.pull_ollama_model("  "))


def test_ollama_away_is_a_jfdi_error_that_says_what_to_do(settings):
    services = Services(Engine(replace(settings, ollama_host=f"http://127.0.0.1:{closed_port()}"), store=Store(settings.db_path)))
    with pytest.raises(JFDIError, match="start_ollama.py"):
        services.ollama_models()


def test_a_benchmark_without_providers_or_prompts_is_bad_input(services):
    for providers, prompts, message in ((["claude"], [], "prompt"), ([], ["inventory-form"], "provider"),
                                        (["gpt"], ["inventory-form"], "unknown provider gpt")):
        with pytest.raises(BadInput, match=message):
            services.run_benchmark(providers, prompts)


def test_a_judge_that_is_unknown_or_cannot_see_is_refused_before_anything_runs(services, claude):
    with pytest.raises(BadInput, match="unknown judge gpt"):
        services.run_benchmark(["claude"], ["inventory-form"], judge="gpt")
    with pytest.raises(BadInput, match="the judge must see images"):  # the stand-in is given images as text
        services.run_benchmark(["claude"], ["inventory-form"], judge="claude")
    assert claude.calls == 0 and not (services.engine.settings.data_dir / "benchmarks").exists()


def test_a_benchmark_stopped_before_its_first_run_writes_nothing(services, claude):
    cancel = threading.Event()
    cancel.set()
    result = services.run_benchmark(["claude"], ["inventory-form", "counter"], 2, cancel=cancel)
    assert (result.runs, result.planned, result.results) == (0, 4, None)
    assert not (services.engine.settings.data_dir / "benchmarks").exists() and claude.calls == 0


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is needed for the checks (.ci/run installs it)")
def test_a_benchmark_returns_its_summary_criteria_and_files(services, claude):
    claude.enqueue(canned.GOOD)
    progress = []
    result = services.run_benchmark(["claude"], ["inventory-form"], progress=lambda done, total, message: progress.append(done))
    assert (result.runs, result.planned) == (1, 1) and progress[-1] == 1
    [summary] = result.summaries
    assert (summary.provider, summary.model, summary.ok_rate) == ("claude", "claude-test", 1.0)
    assert result.criteria.startswith("## The original design's criteria")
    assert "within 10% of Claude" in result.criteria and "not measured" in result.criteria
    assert result.criteria in result.report.read_text(), "the same section as the report's"
    rows = json.loads(result.results.read_text())["rows"]
    assert [r["prompt"] for r in rows] == ["inventory-form"] and rows[0]["quality"] == summary.quality
    assert result.chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert result.folder.parent == services.engine.settings.data_dir / "benchmarks"
