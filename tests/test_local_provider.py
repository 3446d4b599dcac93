"""The local transformers provider, end to end on the CPU with a tiny random Llama."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.local_throughput import SHAPES
from jfdi.config import Settings
from jfdi.errors import ContextTooLong, ProviderError, ProviderUnavailable
from jfdi.providers.base import Delta, Message, Request
from jfdi.providers.local import LocalProvider
from jfdi.providers.local_device import (
    GIB,
    CudaMemory,
    ModelSource,
    estimate_size,
    plan_load,
    resolve_source,
)
from tests.tiny_models import BOS, EOS

pytestmark = pytest.mark.usefixtures("one_torch_thread")

REPO = Path(__file__).resolve().parent.parent
SYSTEM = "You are JFDI. Answer with one React component."
USER = "Build an inventory reorder form with validation"
SEED_CODER_8B = estimate_size(ModelSource("hub", "x/y"), SHAPES["seed-coder-8b"])


def request(max_tokens: int = 40, partial: str = "", user: str = USER) -> Request:
    messages = (Message("user", user),)
    return Request(system=SYSTEM, messages=messages, max_tokens=max_tokens, partial=partial)


def make_provider(model: str | Path, quant: str = "auto") -> LocalProvider:
    return LocalProvider(Settings(local_model=str(model), local_quant=quant), sampling=None)


def wait_settled(provider: LocalProvider, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while provider.status().state == "loading" and time.monotonic() < deadline:
        time.sleep(0.02)
    return provider.status().state


def texts(deltas: list[Delta]) -> list[str]:
    return [d.text for d in deltas if d.text]


Calls = list[dict[str, Any]]


def record_generate(provider: LocalProvider, monkeypatch: pytest.MonkeyPatch) -> Calls:
    """Record each generate() call's arguments and output, and how many ran at once."""
    calls: Calls = []
    running = {"now": 0, "most": 0}
    lock = threading.Lock()
    generate = provider._generate

    def wrapper(**kwargs: Any) -> Any:
        with lock:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
        try:
            output = generate(**kwargs)
        finally:
            with lock:
                running["now"] -= 1
        calls.append({**kwargs, "output": output, "most_at_once": running["most"]})
        return output

    monkeypatch.setattr(provider, "_generate", wrapper)
    return calls


def decoded_prompt(provider: LocalProvider, call: dict[str, Any]) -> str:
    return provider._tokenizer.decode(call["input_ids"][0].tolist(), skip_special_tokens=False)


@pytest.fixture(scope="module")
def ready(tiny_llama_dir: Path) -> LocalProvider:
    provider = make_provider(tiny_llama_dir)
    provider.warm_up()
    assert wait_settled(provider) == "ready", provider.status().detail
    return provider


# -- status and loading ----------------------------------------------------------------------


def test_loads_from_a_local_directory_and_reports_ready(tiny_llama_dir: Path) -> None:
    provider = make_provider(tiny_llama_dir)
    before = provider.status()
    assert (before.state, before.available, before.configured) == ("configured", True, True)

    provider.warm_up()
    assert wait_settled(provider) == "ready"
    status = provider.status()
    assert status.available
    assert status.extra["device"] == "cpu" and status.extra["quant"] == "fp32"
    assert "no CUDA GPU" in status.extra["why"]
    assert status.extra["queue"] == 0
    assert provider.context_tokens == 4096


def test_warm_up_returns_at_once_and_loads_in_the_background(tiny_llama_dir: Path) -> None:
    provider = make_provider(tiny_llama_dir)
    started = time.monotonic()
    provider.warm_up()
    assert time.monotonic() - started < 0.5
    assert provider.status().state == "loading"
    assert wait_settled(provider) == "ready"


def test_stream_on_an_idle_provider_loads_first_with_a_notice(tiny_llama_dir: Path) -> None:
    provider = make_provider(tiny_llama_dir)
    deltas = list(provider.stream(request(max_tokens=8), threading.Event()))
    assert deltas[0].notice.startswith(f"Loading {tiny_llama_dir} …")
    assert deltas[-1].final


def test_missing_path_is_unavailable_without_importing_torch(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    code = (
        "import sys\n"
        "from jfdi.config import Settings\n"
        "from jfdi.providers.local import LocalProvider\n"
        f"p = LocalProvider(Settings(local_model={str(missing)!r}))\n"
        "s = p.status()\n"
        "p.warm_up()\n"
        "print(s.state, s.available, 'torch' in sys.modules, 'transformers' in sys.modules)\n"
        "print(s.detail)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    first, detail = run.stdout.splitlines()[:2]
    assert first == "unavailable False False False"
    assert "not found" in detail and "JFDI_LOCAL_MODEL" in detail

    provider = make_provider(missing)
    assert not provider.configured()
    with pytest.raises(ProviderUnavailable, match="not found"):
        next(provider.stream(request(), threading.Event()))


def test_path_or_hub_id() -> None:
    assert resolve_source("ByteDance-Seed/Seed-Coder-8B-Instruct").kind == "hub"
    assert resolve_source("./models/seed").kind == "missing"
    assert resolve_source("/nonexistent/seed").kind == "missing"
    assert resolve_source("~/nonexistent-model-dir").kind == "missing"
    assert resolve_source("seed-coder").kind == "missing"
    assert resolve_source(str(REPO / "tests")).kind == "path"


def test_a_directory_without_a_model_is_unavailable_with_the_load_error(tmp_path: Path) -> None:
    provider = make_provider(tmp_path)
    provider.warm_up()
    assert wait_settled(provider) == "unavailable"
    assert provider.status().detail.startswith(f"could not load {tmp_path}")


def test_an_8b_model_without_cuda_is_unavailable_with_a_hint() -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    provider = make_provider("ByteDance-Seed/Seed-Coder-8B-Instruct")
    status = provider.probe()
    assert status.state == "unavailable" and not status.available
    assert "needs a CUDA GPU" in status.detail
    assert "Qwen/Qwen2.5-Coder-0.5B-Instruct" in status.detail
    with pytest.raises(ProviderUnavailable, match="CUDA"):
        list(provider.stream(request(), threading.Event()))

    # The same answer when it is the background load that finds it out.
    fresh = make_provider("ByteDance-Seed/Seed-Coder-8B-Instruct")
    with pytest.raises(ProviderUnavailable, match="needs a CUDA GPU.*JFDI_LOCAL_MODEL"):
        list(fresh.stream(request(), threading.Event()))


# -- device and precision plans (pure, so the GPU choices are tested without a GPU) ----------


def test_size_estimates() -> None:
    assert SEED_CODER_8B is not None and 8.1e9 < SEED_CODER_8B.params < 8.4e9

    def from_name(hub_id: str) -> int | None:
        estimate = estimate_size(ModelSource("hub", hub_id), None)
        return estimate.params if estimate else None

    assert from_name("Qwen/Qwen2.5-Coder-0.5B-Instruct") == 500_000_000
    assert from_name("HuggingFaceTB/SmolLM2-135M") == 135_000_000
    assert from_name("owner/no-size-here") is None


@pytest.mark.parametrize(
    ("free_gib", "bf16", "precision", "why"),
    [
        (70, True, "bf16", "70.0 GiB free"),
        (70, False, "fp16", "70.0 GiB free"),
        (14, True, "nf4", "bf16 needs"),  # a T4/A10G-sized card: NF4, not the slower 8-bit
        (3, True, "nf4", "even 4-bit needs"),
    ],
)
def test_auto_picks_bf16_when_it_fits_else_nf4(
    free_gib: int, bf16: bool, precision: str, why: str
) -> None:
    gpu = CudaMemory(free_gib * GIB, bf16)
    plan = plan_load("seed", "auto", SEED_CODER_8B, gpu, bnb_installed=True)
    assert (plan.device, plan.precision, plan.problem) == ("cuda", precision, "")
    assert why in plan.why


def test_explicit_quantization_and_missing_bitsandbytes() -> None:
    gpu = CudaMemory(70 * GIB, True)
    for quant, precision in (("4bit", "nf4"), ("8bit", "int8"), ("none", "bf16")):
        plan = plan_load("seed", quant, SEED_CODER_8B, gpu, bnb_installed=True)
        assert plan.precision == precision
    without_bnb = plan_load("seed", "4bit", SEED_CODER_8B, gpu, bnb_installed=False)
    assert "pip install bitsandbytes" in without_bnb.problem

    small = estimate_size(ModelSource("hub", "Qwen/Qwen2.5-Coder-0.5B-Instruct"), None)
    cpu = plan_load("q", "4bit", small, None, bnb_installed=False)
    assert (cpu.device, cpu.precision, cpu.problem) == ("cpu", "fp32", "")
    assert "bitsandbytes is not installed" in cpu.why


# -- generation ------------------------------------------------------------------------------


def test_prompt_comes_from_the_chat_template(
    ready: LocalProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = record_generate(ready, monkeypatch)
    list(ready.stream(request(max_tokens=4), threading.Event()))
    prompt = decoded_prompt(ready, calls[0])
    assert prompt.startswith(f"{BOS}system\n{SYSTEM}{EOS}")
    assert f"{BOS}user\n{USER}{EOS}" in prompt
    assert prompt.endswith(f"{BOS}assistant\n")


def test_stream_equals_greedy_generate_of_the_new_tokens(
    ready: LocalProvider, tiny_llama_dir: Path
) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    deltas = list(ready.stream(request(max_tokens=40), threading.Event()))
    assert len(texts(deltas)) >= 3
    assert not any(d.final for d in deltas[:-1]) and deltas[-1].final

    tokenizer = AutoTokenizer.from_pretrained(tiny_llama_dir)
    model = AutoModelForCausalLM.from_pretrained(tiny_llama_dir)
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER}]
    inputs = tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    output = model.generate(
        **inputs, max_new_tokens=40, do_sample=False, pad_token_id=tokenizer.pad_token_id
    )
    prompt_tokens = inputs["input_ids"].shape[1]
    new = output[0, prompt_tokens:].tolist()

    assert "".join(texts(deltas)) == tokenizer.decode(new, skip_special_tokens=True)
    final = deltas[-1]
    assert final.usage.input_tokens == prompt_tokens
    assert final.usage.output_tokens == len(new)
    assert final.stop_reason == ("stop" if new[-1] == tokenizer.eos_token_id else "length")


def test_partial_answer_is_continued_not_restarted(
    ready: LocalProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = record_generate(ready, monkeypatch)
    partial = "export default function InventoryForm() {\n  "
    deltas = list(ready.stream(request(max_tokens=8, partial=partial), threading.Event()))
    prompt = decoded_prompt(ready, calls[0])
    assert prompt.endswith(f"{BOS}assistant\n{partial}")
    assert prompt.count(f"{BOS}assistant\n") == 1
    assert deltas[-1].usage.input_tokens == calls[0]["input_ids"].shape[1]


def cancel_after_the_first_text(provider: LocalProvider, max_tokens: int) -> None:
    """Cancel as soon as text shows: no final delta follows and the queue is free again."""
    cancel = threading.Event()
    stream = provider.stream(request(max_tokens=max_tokens), cancel)
    first = next(d for d in stream if d.text)
    cancel.set()
    rest = list(stream)
    assert first.text and not any(d.final for d in rest)
    assert provider.status().extra["queue"] == 0


def test_cancel_stops_generation_early(
    ready: LocalProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = record_generate(ready, monkeypatch)
    cancel_after_the_first_text(ready, max_tokens=1000)
    generated = calls[0]["output"].shape[1] - calls[0]["input_ids"].shape[1]
    assert generated < 100


def test_concurrent_streams_wait_in_a_queue(ready: LocalProvider) -> None:
    first = ready.stream(request(max_tokens=30), threading.Event())
    second = ready.stream(request(max_tokens=30), threading.Event())
    assert next(first).text  # the first holds the model
    assert next(second).notice == "Waiting for the local model: position 1 in the queue"
    assert ready.status().extra["queue"] == 2
    assert list(first)[-1].final
    rest = list(second)
    assert texts(rest) and rest[-1].final
    assert ready.status().extra["queue"] == 0


def test_threads_generate_one_at_a_time(
    ready: LocalProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = record_generate(ready, monkeypatch)
    results: list[list[Delta]] = [[], [], []]

    def consume(i: int) -> None:
        results[i] = list(ready.stream(request(max_tokens=30), threading.Event()))

    workers = [threading.Thread(target=consume, args=(i,)) for i in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert all(r and r[-1].final for r in results)
    assert len(calls) == 3 and max(c["most_at_once"] for c in calls) == 1


def test_prompt_longer_than_the_context_is_refused(ready: LocalProvider) -> None:
    long_request = request(max_tokens=200, user="reorder point " * 4000)
    expected = r"the prompt is \d+ tokens.* at most 4096 tokens and 200"
    with pytest.raises(ContextTooLong, match=expected):
        list(ready.stream(long_request, threading.Event()))


def test_count_tokens_is_exact_once_loaded(ready: LocalProvider, tiny_llama_dir: Path) -> None:
    text = "const [quantity, setQuantity] = useState(0);"
    exact = len(ready._tokenizer(text, add_special_tokens=False)["input_ids"])
    assert ready.count_tokens(text) == exact
    assert make_provider(tiny_llama_dir).count_tokens(text) == len(text) * 2 // 7 + 1


@pytest.mark.parametrize(
    ("quant", "precision", "layer"),
    [("4bit", "nf4", "Linear4bit"), ("8bit", "int8", "Linear8bitLt")],
)
def test_bitsandbytes_quantization_runs_on_the_cpu(
    tiny_llama_dir: Path, quant: str, precision: str, layer: str
) -> None:
    pytest.importorskip("bitsandbytes")
    provider = make_provider(tiny_llama_dir, quant=quant)
    deltas = list(provider.stream(request(max_tokens=12), threading.Event()))
    status = provider.status()
    assert status.state == "ready", status.detail
    assert (status.extra["device"], status.extra["quant"]) == ("cpu", precision)
    assert f"JFDI_LOCAL_QUANT={quant}" in status.extra["why"]
    assert type(provider._lm.model.layers[0].mlp.up_proj).__name__ == layer
    assert deltas[-1].final and deltas[-1].usage.output_tokens > 0


# -- failures --------------------------------------------------------------------------------


def test_a_failed_generation_raises_and_frees_the_queue(
    ready: LocalProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch

    def out_of_memory(**kwargs: Any) -> Any:
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(ready, "_generate", out_of_memory)
    expected = "out of GPU memory while generating.*JFDI_LOCAL_QUANT=4bit"
    with pytest.raises(ProviderUnavailable, match=expected):
        list(ready.stream(request(), threading.Event()))

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("shape mismatch")

    monkeypatch.setattr(ready, "_generate", broken)
    with pytest.raises(ProviderError, match="local generation failed: shape mismatch"):
        list(ready.stream(request(), threading.Event()))
    assert ready.status().extra["queue"] == 0


def test_out_of_memory_while_loading_is_reported(
    tiny_llama_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch
    from transformers import AutoModelForCausalLM

    def out_of_memory(*args: Any, **kwargs: Any) -> Any:
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 1.00 GiB")

    monkeypatch.setattr(AutoModelForCausalLM, "from_pretrained", out_of_memory)
    provider = make_provider(tiny_llama_dir)
    provider.warm_up()
    assert wait_settled(provider) == "unavailable"
    assert provider.status().detail.startswith("out of GPU memory: CUDA out of memory")
    with pytest.raises(ProviderUnavailable, match="JFDI_LOCAL_QUANT=4bit"):
        list(provider.stream(request(), threading.Event()))


def test_a_model_without_a_chat_template_is_unavailable(
    tiny_llama_dir: Path, tmp_path: Path
) -> None:
    base = shutil.copytree(tiny_llama_dir, tmp_path / "base")
    (base / "chat_template.jinja").unlink()
    provider = make_provider(base)
    provider.warm_up()
    assert wait_settled(provider) == "unavailable"
    assert "no chat template" in provider.status().detail
