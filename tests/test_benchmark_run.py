"""benchmarks/run.py end to end against loopback providers: real clients, real checks, the report."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests import bench_canned as canned
from tests.conftest import REPO
from tests.loopback import AnthropicServer, OpenAIServer, Reply, closed_port


def test_the_suite_measures_each_provider_and_writes_the_report(tmp_path):
    with AnthropicServer() as claude, OpenAIServer() as openrouter:
        claude.default = Reply(text=f"```tsx\n{canned.GOOD}```", usage=(900, 700))
        openrouter.default = Reply(text=canned.IGNORES_PROMPT, cost=0.0021)
        env = {
            "PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(REPO),
            "JFDI_DATA_DIR": str(tmp_path / "data"), "JFDI_LOCAL_MODEL": str(tmp_path / "none"),
            "OLLAMA_HOST": f"127.0.0.1:{closed_port()}",
            "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url,
            "OPENROUTER_API_KEY": "sk-or-test", "OPENROUTER_BASE_URL": f"{openrouter.url}/api/v1",
        }
        out = tmp_path / "report"
        result = subprocess.run(
            [sys.executable, "benchmarks/run.py", "--providers", "claude,openrouter", "--only", "inventory-form,counter",
             "--out", str(out)], cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
        )
    assert result.returncode == 0, result.stderr
    assert "[0/4]" in result.stderr and "[4/4] done" in result.stderr
    data = json.loads((out / "results.json").read_text())
    rows = {(r["prompt"], r["provider"]): r for r in data["rows"]}
    assert len(rows) == 4
    good = rows[("inventory-form", "claude")]
    assert good["ok"] and good["quality"] == 100.0 and good["checks"]["expect_passed"] == 4
    assert good["output_tokens"] == 700 and good["tokens_per_s"] > 0 and good["cost_usd"] > 0
    assert good["ttft_s"] <= good["total_s"]
    assert (good["checks"]["blank"], good["checks"]["console_errors"], good["checks"]["a11y_violations"]) == (False, 0, 0)
    off = rows[("inventory-form", "openrouter")]
    assert off["checks"]["renders"] and off["checks"]["expect_passed"] == 0 and off["cost_usd"] == 0.0021
    counter = rows[("counter", "openrouter")]
    assert counter["checks"]["expect_passed"] == counter["checks"]["expect_total"] == 3
    assert len(claude.requests) == 2 and len(openrouter.requests) == 2, "no fallback between providers"
    report = (out / "report.md").read_text()
    assert "| claude |" in report and "| openrouter |" in report
    assert "| expect | blank | console errors | a11y | quality |" in report
    assert "Local generation under 30 s" in report and "not measured" in report
    assert (out / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_arguments_exit_2(tmp_path):
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(REPO), "JFDI_DATA_DIR": str(tmp_path)}
    for args, message in ((["--providers", "gpt"], "unknown provider 'gpt': use one of claude, local, openrouter, ollama"), (["--providers", "claude"], "ANTHROPIC_API_KEY"),
                          (["--only", "nope", "--providers", "ollama"], "no prompt with id nope")):
        result = subprocess.run([sys.executable, "benchmarks/run.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and message in result.stderr, result.stderr
