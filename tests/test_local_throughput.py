"""benchmarks/local_throughput.py runs end to end on the CPU with the tiny shape (the GPU run is the
same code with the Seed-Coder-8B shape)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import local_throughput

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def test_benchmark_measures_every_path_on_the_tiny_shape(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    pytest.importorskip("bitsandbytes")
    args = ["--shape", "tiny", "--device", "cpu", "--prompts", "16,32", "--new-tokens", "8"]
    args += ["--checkpoint", str(tmp_path / "checkpoint"), "--out", str(tmp_path / "results")]
    assert local_throughput.main(args) == 0

    report = json.loads((tmp_path / "results" / "local_throughput_tiny_cpu.json").read_text())
    assert report["machine"]["gpu"] == "none (CPU run)" and report["copy_bandwidth_gb_s"] > 0
    assert [r["path"] for r in report["results"]] == ["fast-bf16", "bf16", "fast-nf4", "nf4", "seed-8bit"]
    for result in report["results"]:
        assert result["error"] == "", result
        assert set(result["ttft_ms"]) == {"16", "32"} and all(ms > 0 for ms in result["ttft_ms"].values())
        assert result["decode_tok_s"] > 0 and 0 < result["fraction_of_ceiling"]
        assert result["weight_bytes_per_token"] > 0
    by_path = {r["path"]: r for r in report["results"]}
    # NF4 reads about a quarter of the bytes of bf16, 8-bit about half (the tiny model's untied
    # output layer stays in 16 bits, so the ratios are looser than on the 8B model).
    assert by_path["nf4"]["weight_bytes_per_token"] < by_path["seed-8bit"]["weight_bytes_per_token"]
    assert by_path["seed-8bit"]["weight_bytes_per_token"] < by_path["bf16"]["weight_bytes_per_token"]
    markdown = (tmp_path / "results" / "local_throughput_tiny_cpu.md").read_text()
    assert "these are not GPU figures" in markdown and "| seed-8bit | generate |" in markdown
    assert markdown in capsys.readouterr().out
