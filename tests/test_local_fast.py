"""The local model's fast decoding path (static KV cache, CUDA graphs on a GPU), on the CPU with a
tiny random Llama: it gives exactly generate()'s tokens, streams them as text, stops, cancels and
falls back to plain generate like a user would expect. The CUDA-graph capture itself needs a GPU
and is measured by benchmarks/local_throughput.py."""

from __future__ import annotations

import pickle
import sys
import threading
import types
from pathlib import Path
from typing import Any

import pytest

from jfdi.config import Settings, load_settings
from jfdi.errors import ConfigError
from jfdi.providers import local, local_zerogpu
from jfdi.providers.base import Delta, Message, Request
from jfdi.providers.local import SEED_CODER_SAMPLING, LocalProvider
from jfdi.providers.local_device import GIB, CudaMemory, LoadPlan, load_kwargs, plan_load
from jfdi.providers.local_fast import DecodeChoice, FastDecoder, FastPathUnsupported, Sampling, choose_decoding
from jfdi.providers.local_text import IncrementalText
from tests.test_local_provider import SEED_CODER_8B, SYSTEM, USER, cancel_after_the_first_text, texts, wait_settled

pytestmark = pytest.mark.usefixtures("one_torch_thread")

PROMPTS = [
    USER,
    "Write a quality inspection checklist with pass and fail buttons and a notes field. " * 2,
    "x",
]
PARTIAL = "export default function InventoryForm() {\n  const [sku, setSku] = useState('');\n  "
GREEDY = {"do_sample": False}


@pytest.fixture(scope="module")
def tiny(tiny_llama_dir: Path) -> tuple[Any, Any]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_llama_dir)
    lm = AutoModelForCausalLM.from_pretrained(tiny_llama_dir, dtype=torch.float32)
    return tokenizer, lm


def chat_ids(tokenizer: Any, user: str) -> list[int]:
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
    return tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, return_dict=True)[
        "input_ids"
    ]


def generated(lm: Any, ids: list[int], max_new: int, **kwargs: Any) -> list[int]:
    import torch

    inputs = torch.tensor([ids])
    kwargs.setdefault("pad_token_id", lm.generation_config.pad_token_id)
    output = lm.generate(inputs, attention_mask=torch.ones_like(inputs), max_new_tokens=max_new, **kwargs)
    return output[0, len(ids) :].tolist()


def fast_decoded(decoder: FastDecoder, ids: list[int], max_new: int, sampling: Sampling, stop: set[int]) -> list[int]:
    return [token for chunk in decoder.decode(ids, max_new, sampling, stop) for token in chunk]


def provider_for(model: Path, fast: str, sampling: dict | None = None) -> LocalProvider:
    provider = LocalProvider(Settings(local_model=str(model), local_fast=fast), sampling=sampling)
    provider.warm_up()
    assert wait_settled(provider) == "ready", provider.status().detail
    return provider


def request(max_tokens: int = 40, partial: str = "", user: str = USER) -> Request:
    return Request(system=SYSTEM, messages=(Message("user", user),), max_tokens=max_tokens, partial=partial)


def answer(provider: LocalProvider, req: Request) -> tuple[str, Delta]:
    deltas = list(provider.stream(req, threading.Event()))
    return "".join(texts(deltas)), deltas[-1]


# -- the same tokens as generate() -------------------------------------------------------------


@pytest.mark.parametrize("user", PROMPTS)
def test_fast_decoding_gives_greedy_generates_tokens(tiny: tuple[Any, Any], user: str) -> None:
    tokenizer, lm = tiny
    # Small blocks make the KV cache grow, and be copied, several times within one answer.
    decoder = FastDecoder(lm, block=16)
    greedy = Sampling.resolve(lm.generation_config, GREEDY)
    ids = chat_ids(tokenizer, user)
    for max_new in (1, 7, 40):
        assert fast_decoded(decoder, ids, max_new, greedy, set()) == generated(lm, ids, max_new, do_sample=False)


def test_fast_decoding_stops_where_generate_stops(tiny: tuple[Any, Any]) -> None:
    tokenizer, lm = tiny
    decoder = FastDecoder(lm, block=16)
    greedy = Sampling.resolve(lm.generation_config, GREEDY)
    ids = chat_ids(tokenizer, USER)
    stop = generated(lm, ids, 30, do_sample=False)[6]  # a token the answer reaches: treat it as EOS
    expected = generated(lm, ids, 30, do_sample=False, eos_token_id=stop)
    got = fast_decoded(decoder, ids, 30, greedy, {stop})
    assert got == expected and got[-1] == stop and len(got) < 30


def test_sampled_fast_decoding_draws_what_generate_draws(tiny: tuple[Any, Any]) -> None:
    import torch

    tokenizer, lm = tiny
    decoder = FastDecoder(lm)
    seed_coder = Sampling.resolve(lm.generation_config, SEED_CODER_SAMPLING)
    ids = chat_ids(tokenizer, USER)
    answers = set()
    for seed in (0, 1):
        torch.manual_seed(seed)
        expected = generated(lm, ids, 24, **SEED_CODER_SAMPLING)
        torch.manual_seed(seed)
        assert fast_decoded(decoder, ids, 24, seed_coder, set()) == expected
        answers.add(tuple(expected))
    assert len(answers) == 2  # it really samples


def test_sampling_settings_are_the_ones_generate_uses(tiny: tuple[Any, Any]) -> None:
    _, lm = tiny
    assert Sampling.resolve(lm.generation_config, SEED_CODER_SAMPLING) == Sampling(True, 0.6, 50, 0.8, 1.05)
    assert Sampling.resolve(lm.generation_config, GREEDY) == Sampling(False, 1.0, 50, 1.0, 1.0)
    config = lm.generation_config.__class__(top_k=20, temperature=0.3)
    assert Sampling.resolve(config, {"do_sample": True, "temperature": 0.6}) == Sampling(True, 0.6, 20, 1.0, 1.0)
    with pytest.raises(FastPathUnsupported, match="no_repeat_ngram_size"):
        Sampling.resolve(lm.generation_config.__class__(no_repeat_ngram_size=3), GREEDY)


# -- through the provider: streaming, continuation, limits, cancel --------------------------------


@pytest.fixture(scope="module")
def fast_provider(tiny_llama_dir: Path) -> LocalProvider:
    return provider_for(tiny_llama_dir, "on")


@pytest.fixture(scope="module")
def plain_provider(tiny_llama_dir: Path) -> LocalProvider:
    return provider_for(tiny_llama_dir, "off")


def test_status_says_which_decoding_path_runs(
    tiny_llama_dir: Path, fast_provider: LocalProvider, plain_provider: LocalProvider
) -> None:
    assert fast_provider.status().extra["decode"] == "fast"
    assert "JFDI_LOCAL_FAST=on" in fast_provider.status().extra["decode_why"]
    assert plain_provider.status().extra["decode"] == "plain"
    auto = provider_for(tiny_llama_dir, "auto").status().extra
    assert (auto["decode"], auto["decode_why"]) == ("plain", "plain generate on the CPU (JFDI_LOCAL_FAST=on tries the fast path)")


@pytest.mark.parametrize("partial", ["", PARTIAL], ids=["answer", "continuation"])
def test_fast_and_plain_providers_write_the_same_answer(
    fast_provider: LocalProvider, plain_provider: LocalProvider, partial: str
) -> None:
    for user in PROMPTS:
        fast_text, fast_final = answer(fast_provider, request(40, partial, user))
        plain_text, plain_final = answer(plain_provider, request(40, partial, user))
        assert fast_text == plain_text and fast_text
        assert fast_final.usage == plain_final.usage
        assert fast_final.stop_reason == plain_final.stop_reason


def test_streamed_pieces_add_up_to_the_decoded_answer(fast_provider: LocalProvider, tiny: tuple[Any, Any]) -> None:
    tokenizer, lm = tiny
    deltas = list(fast_provider.stream(request(60), threading.Event()))
    pieces = texts(deltas)
    new = generated(lm, chat_ids(tokenizer, USER), 60, do_sample=False)
    assert len(pieces) > 10  # streamed as it was written, not in one piece at the end
    assert "".join(pieces) == tokenizer.decode(new, skip_special_tokens=True)
    assert deltas[-1].usage.output_tokens == len(new)


def test_text_is_handed_out_only_in_whole_characters(tiny: tuple[Any, Any]) -> None:
    tokenizer, _ = tiny
    text = "Température ✓ 🏭 — Überprüfung: ok\n  <div>状态</div>"
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    assert len(ids) > len(text) // 2  # the tiny vocabulary splits these characters into bytes
    assembler = IncrementalText(tokenizer)
    pieces = [assembler.add([token]) for token in ids] + [assembler.finish()]
    assert "".join(pieces) == tokenizer.decode(ids) == text
    assert not any("\ufffd" in piece for piece in pieces)
    assert "" in pieces[:-1]  # some tokens ended inside a character and waited for the next


def test_sampled_answers_keep_to_max_tokens(tiny_llama_dir: Path) -> None:
    provider = provider_for(tiny_llama_dir, "on", sampling=dict(SEED_CODER_SAMPLING))
    for max_tokens in (1, 25):
        text, final = answer(provider, request(max_tokens))
        assert final.usage.output_tokens <= max_tokens
        expected_reason = "length" if final.usage.output_tokens == max_tokens else "stop"
        assert final.stop_reason == expected_reason
    assert provider.status().extra["decode"] == "fast"


def test_cancel_stops_fast_decoding(fast_provider: LocalProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    produced: list[int] = []
    decode = fast_provider._decode

    def counting(ids: list[int], max_new: int) -> Any:
        for item in decode(ids, max_new):
            if isinstance(item, list):
                produced.extend(item)
            yield item

    monkeypatch.setattr(fast_provider, "_decode", counting)
    cancel_after_the_first_text(fast_provider, max_tokens=1500)
    assert 0 < len(produced) < 200


# -- falling back to plain generate ----------------------------------------------------------------


def test_a_failing_fast_path_falls_back_to_generate(
    tiny_llama_dir: Path, plain_provider: LocalProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: FastDecoder, *args: Any) -> Any:
        raise RuntimeError("static cache not supported by this model")
        yield  # a generator, like the real one

    monkeypatch.setattr(FastDecoder, "decode", broken)
    provider = provider_for(tiny_llama_dir, "on")
    assert answer(provider, request(50)) == answer(plain_provider, request(50))
    status = provider.status().extra
    assert status["decode"] == "plain"
    assert "fast path failed (static cache not supported by this model)" in status["decode_why"]


def test_a_fast_path_failing_midway_is_continued_by_generate(
    tiny_llama_dir: Path, plain_provider: LocalProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = FastDecoder.decode

    def breaks_after_a_few_tokens(self: FastDecoder, *args: Any) -> Any:
        for i, chunk in enumerate(real(self, *args)):
            if i == 5:
                raise RuntimeError("CUDA error: an illegal memory access was encountered")
            yield chunk

    monkeypatch.setattr(FastDecoder, "decode", breaks_after_a_few_tokens)
    provider = provider_for(tiny_llama_dir, "on")
    assert answer(provider, request(50)) == answer(plain_provider, request(50))
    assert "illegal memory access" in provider.status().extra["decode_why"]


def test_generation_settings_only_generate_has_use_generate(tiny_llama_dir: Path) -> None:
    provider = provider_for(tiny_llama_dir, "on")
    plain = provider_for(tiny_llama_dir, "off")
    for each in (provider, plain):
        each._lm.generation_config.no_repeat_ngram_size = 2
    assert answer(provider, request(50)) == answer(plain, request(50))
    assert provider.status().extra["decode"] == "plain"
    assert "no_repeat_ngram_size" in provider.status().extra["decode_why"]


# -- which path, on which GPU -------------------------------------------------------------------


def test_auto_takes_the_fast_path_on_a_gpu_with_a_graphable_precision() -> None:
    def plan(device: str, precision: str) -> LoadPlan:
        return LoadPlan(device, precision, "test")

    for precision in ("bf16", "fp16", "nf4"):
        assert choose_decoding("auto", plan("cuda", precision)).fast
    assert not choose_decoding("auto", plan("cuda", "int8")).fast
    assert "LLM.int8" in choose_decoding("auto", plan("cuda", "int8")).why
    assert not choose_decoding("auto", plan("cpu", "fp32")).fast
    on_cpu = DecodeChoice(True, "static KV cache, no CUDA graphs on the CPU (JFDI_LOCAL_FAST=on)")
    assert choose_decoding("on", plan("cpu", "fp32")) == on_cpu
    assert not choose_decoding("off", plan("cuda", "bf16")).fast


@pytest.mark.parametrize(
    ("gpu", "free_gib", "bf16", "precision"),
    [
        ("T4 16 GB (Turing: no bfloat16)", 14.5, False, "nf4"),
        ("A10G 24 GB", 21.5, True, "bf16"),
        ("H100 80 GB", 78.5, True, "bf16"),
        ("ZeroGPU slice, H200 MIG 3g.71gb", 69.5, True, "bf16"),
    ],
)
def test_auto_defaults_by_gpu(gpu: str, free_gib: float, bf16: bool, precision: str) -> None:
    memory = CudaMemory(int(free_gib * GIB), bf16)
    plan = plan_load("ByteDance-Seed/Seed-Coder-8B-Instruct", "auto", SEED_CODER_8B, memory, bnb_installed=True)
    assert (plan.precision, plan.problem) == (precision, ""), gpu
    assert choose_decoding("auto", plan).fast, gpu


@pytest.mark.parametrize(("capability", "compute"), [((7, 5), "float16"), ((8, 6), "bfloat16")])
def test_nf4_computes_in_float16_on_a_t4(
    monkeypatch: pytest.MonkeyPatch, capability: tuple[int, int], compute: str
) -> None:
    import torch

    # torch.cuda.is_bf16_supported() says yes on a T4 too (bfloat16 runs emulated there).
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda *args: capability)
    kwargs = load_kwargs(LoadPlan("cuda", "nf4", "test"))
    assert str(kwargs["quantization_config"].bnb_4bit_compute_dtype) == f"torch.{compute}"


def test_the_fast_path_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings({}, env_file="/nonexistent").local_fast == "auto"
    assert load_settings({"JFDI_LOCAL_FAST": "OFF"}, env_file="/nonexistent").local_fast == "off"
    with pytest.raises(ConfigError, match="JFDI_LOCAL_FAST='fast'.*auto, on, off"):
        load_settings({"JFDI_LOCAL_FAST": "fast"}, env_file="/nonexistent")


# -- ZeroGPU ---------------------------------------------------------------------------------------


def test_zerogpu_runs_generation_through_spaces_gpu(tiny_llama_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []

    def gpu(fn: Any, duration: Any) -> Any:
        def borrowed(*args: Any) -> Any:
            asked.append(duration(*args))
            # ZeroGPU pickles the arguments into its GPU process, and every yielded value back.
            for item in fn(*pickle.loads(pickle.dumps(args))):
                yield pickle.loads(pickle.dumps(item))

        return borrowed

    monkeypatch.setitem(sys.modules, "spaces", types.SimpleNamespace(GPU=gpu))
    monkeypatch.setenv("SPACES_ZERO_GPU", "true")
    monkeypatch.setattr(local, "_gpu_call", None)
    provider = LocalProvider(Settings(local_model=str(tiny_llama_dir)), sampling=None)
    provider.warm_up()
    assert provider.status().state == "ready"  # loaded before the app launches, as ZeroGPU needs
    text, final = answer(provider, request(20))
    assert text and final.usage.output_tokens > 0
    assert asked == [local_zerogpu.seconds_for(20)] == [local_zerogpu.MIN_SECONDS]
    assert local_zerogpu.seconds_for(8192) == local_zerogpu.MAX_SECONDS


def test_without_zerogpu_spaces_is_not_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPACES_ZERO_GPU", raising=False)
    monkeypatch.delitem(sys.modules, "spaces", raising=False)

    def fn() -> None: ...

    local_zerogpu.prepare()
    assert local_zerogpu.on_gpu(fn, lambda: 1) is fn
    assert "spaces" not in sys.modules
