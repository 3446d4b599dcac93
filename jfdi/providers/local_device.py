"""Where and how the local model runs, decided before any weights are read.

Everything here except `cuda_memory` works without torch, so that the app can say "path not
found" or "needs a CUDA GPU" without paying for a torch import. `plan_load` is a pure function of
the model size and the free GPU memory, which keeps the choice testable without a GPU."""

from __future__ import annotations

import importlib.util
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GIB = 1024**3
# Above this a model is too slow on a CPU to be worth waiting for (Qwen2.5-Coder-3B has 3.1B).
CPU_MAX_PARAMS = 3.5e9
# Room beyond the weights for the KV cache, activations and the CUDA context: a long prompt on an
# 8B model takes a few GiB.
HEADROOM_BYTES = 2 * GIB
HEADROOM_FACTOR = 1.1
SMALL_MODEL_HINT = (
    "set JFDI_LOCAL_MODEL to a small coder model such as Qwen/Qwen2.5-Coder-0.5B-Instruct "
    "to run on the CPU"
)

_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*/[\w.-]+")
# "8B", "0.5B", "135M" in a model name; "Qwen2.5" is not a size because no B or M follows.
_SIZE_IN_NAME = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)([BbMm])(?![A-Za-z])")


@dataclass(frozen=True)
class ModelSource:
    kind: str  # "path" | "hub" | "missing"
    location: str  # the expanded directory, or the hub id


def resolve_source(model: str) -> ModelSource:
    """A path when it looks like one or is a directory; `owner/name` otherwise means a hub id."""
    expanded = os.path.expanduser(model)
    looks_like_path = os.path.isabs(expanded) or model.startswith(("./", "../", "~"))
    if looks_like_path or os.path.isdir(expanded):
        return ModelSource("path" if os.path.isdir(expanded) else "missing", expanded)
    if _HUB_ID.fullmatch(model):
        return ModelSource("hub", model)
    return ModelSource("missing", expanded)


@dataclass(frozen=True)
class SizeEstimate:
    params: int
    # Embeddings and the output head stay in 16 bits when bitsandbytes quantizes the rest.
    embedding_params: int
    source: str  # how it was estimated, for the "why"


def read_config(source: ModelSource) -> dict | None:
    """config.json from the directory or the local hub cache; never downloads."""
    if source.kind == "path":
        path: str | None = os.path.join(source.location, "config.json")
    elif source.kind == "hub":
        from huggingface_hub import try_to_load_from_cache

        cached = try_to_load_from_cache(source.location, "config.json")
        path = cached if isinstance(cached, str) else None
    else:
        return None
    if path is None or not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def estimate_size(source: ModelSource, config: dict | None) -> SizeEstimate | None:
    """Parameter count from config.json, else the safetensors files, else the model's name."""
    if config is not None:
        estimate = _params_from_config(config)
        if estimate is not None:
            return estimate
    if source.kind == "path":
        files = list(Path(source.location).glob("*.safetensors"))
        if files:
            config = config or {}
            dtype = str(config.get("dtype") or config.get("torch_dtype") or "bfloat16")
            bytes_per_param = 4 if "32" in dtype else 2
            params = sum(f.stat().st_size for f in files) // bytes_per_param
            return SizeEstimate(params, 0, "from the size of the weight files")
    match = _SIZE_IN_NAME.search(source.location.rsplit("/", 1)[-1])
    if match:
        scale = 1e9 if match.group(2) in "Bb" else 1e6
        return SizeEstimate(int(float(match.group(1)) * scale), 0, "from the model's name")
    return None


def _params_from_config(config: dict) -> SizeEstimate | None:
    config = config.get("text_config", config)
    try:
        vocab = int(config["vocab_size"])
        hidden = int(config["hidden_size"])
        layers = int(config["num_hidden_layers"])
        intermediate = int(config["intermediate_size"])
        heads = int(config["num_attention_heads"])
    except (KeyError, TypeError, ValueError):
        return None
    kv_heads = int(config.get("num_key_value_heads") or heads)
    head_dim = int(config.get("head_dim") or hidden // heads)
    embedding = vocab * hidden * (1 if config.get("tie_word_embeddings") else 2)
    attention = 2 * hidden * heads * head_dim + 2 * hidden * kv_heads * head_dim
    mlp = 3 * hidden * intermediate  # gated MLP: gate, up and down projections
    per_layer = attention + mlp + 2 * hidden
    return SizeEstimate(embedding + layers * per_layer + hidden, embedding, "from config.json")


def weight_bytes(estimate: SizeEstimate, precision: str) -> float:
    quantized = estimate.params - estimate.embedding_params
    if precision == "fp32":
        return 4.0 * estimate.params
    if precision == "int8":
        return 1.0 * quantized + 2.0 * estimate.embedding_params
    if precision == "nf4":
        # 4 bits plus the (double-quantized) block scales, about 0.53 bytes per weight.
        return 0.53 * quantized + 2.0 * estimate.embedding_params
    return 2.0 * estimate.params  # bf16, fp16


def _needed(estimate: SizeEstimate, precision: str) -> float:
    return weight_bytes(estimate, precision) * HEADROOM_FACTOR + HEADROOM_BYTES


def _count(n: int) -> str:
    for scale, unit in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if n >= scale:
            return f"{n / scale:.1f}{unit}"
    return str(n)


def _gib(n: float) -> str:
    return f"{n / GIB:.1f} GiB"


@dataclass(frozen=True)
class CudaMemory:
    free_bytes: int
    bf16: bool  # Turing cards (T4) have no bfloat16: they get float16 instead


def cuda_memory() -> CudaMemory | None:
    """Free memory on the first GPU, or None without CUDA. Imports torch (after `spaces` on a
    ZeroGPU Space, which must come first)."""
    from .local_zerogpu import on_zerogpu, prepare

    prepare()
    import torch

    if not torch.cuda.is_available():
        return None
    if on_zerogpu():
        # This process only has ZeroGPU's emulation of a GPU; each call gets a whole slice.
        total = torch.cuda.get_device_properties(0).total_memory
        return CudaMemory(free_bytes=total, bf16=_bf16_capable(torch))
    free, _total = torch.cuda.mem_get_info(0)
    return CudaMemory(free_bytes=free, bf16=_bf16_capable(torch))


def _bf16_capable(torch: Any) -> bool:
    # Ampere (compute capability 8) and later compute in bfloat16. torch.cuda.is_bf16_supported()
    # also says yes on Turing (T4), where bfloat16 only runs emulated, far slower than float16.
    return torch.cuda.get_device_capability(0)[0] >= 8


@dataclass(frozen=True)
class LoadPlan:
    device: str  # "cuda" | "cpu"
    precision: str  # "bf16" | "fp16" | "fp32" | "int8" | "nf4"
    why: str
    # Set when the model cannot run here; says what to do instead.
    problem: str = ""

    def describe(self) -> str:
        return f"in {self.precision} on {self.device} ({self.why})"

    def extra(self) -> dict:
        return {"device": self.device, "quant": self.precision, "why": self.why}


def plan_load(
    model: str,
    quant: str,
    estimate: SizeEstimate | None,
    cuda: CudaMemory | None,
    bnb_installed: bool | None = None,
) -> LoadPlan:
    """Choose the device and precision for `quant` (auto, 8bit, 4bit, none)."""
    if bnb_installed is None:
        bnb_installed = importlib.util.find_spec("bitsandbytes") is not None
    if cuda is None:
        return _plan_cpu(model, quant, estimate, bnb_installed)
    return _plan_cuda(quant, estimate, cuda, bnb_installed)


def _plan_cpu(
    model: str, quant: str, estimate: SizeEstimate | None, bnb_installed: bool
) -> LoadPlan:
    size = f"about {_count(estimate.params)} parameters" if estimate else "size unknown"
    if estimate is not None and estimate.params > CPU_MAX_PARAMS:
        why = f"no CUDA GPU; {size}, {estimate.source}"
        problem = f"needs a CUDA GPU: {model} has {size}, too many for the CPU; {SMALL_MODEL_HINT}"
        return LoadPlan("cpu", "fp32", why, problem)
    wanted = {"8bit": "int8", "4bit": "nf4"}.get(quant)
    why = f"no CUDA GPU; {size}"
    if wanted and bnb_installed:
        # bitsandbytes >= 0.46 has CPU kernels for both 8-bit and NF4.
        return LoadPlan("cpu", wanted, f"{why}; JFDI_LOCAL_QUANT={quant} with bitsandbytes")
    if wanted:
        why += f"; JFDI_LOCAL_QUANT={quant} ignored: bitsandbytes is not installed"
    return LoadPlan("cpu", "fp32", why)


def _plan_cuda(
    quant: str, estimate: SizeEstimate | None, cuda: CudaMemory, bnb_installed: bool
) -> LoadPlan:
    half = "bf16" if cuda.bf16 else "fp16"
    free = _gib(cuda.free_bytes)
    if quant in ("none", "8bit", "4bit"):
        precision = {"none": half, "8bit": "int8", "4bit": "nf4"}[quant]
        plan = LoadPlan("cuda", precision, f"JFDI_LOCAL_QUANT={quant}; {free} free")
        return _require_bnb(plan, bnb_installed)
    if estimate is None:
        return LoadPlan("cuda", half, f"size unknown; {free} free")
    if _needed(estimate, half) <= cuda.free_bytes:
        return LoadPlan("cuda", half, f"needs {_gib(_needed(estimate, half))}, {free} free")
    # Not 8-bit: bitsandbytes' LLM.int8 decodes several times slower than NF4 (JFDI_LOCAL_QUANT=8bit
    # still selects it, as the seed did).
    needs = f"{half} needs {_gib(_needed(estimate, half))}, {free} free; NF4 decodes faster than 8-bit"
    if _needed(estimate, "nf4") > cuda.free_bytes:
        # The estimate may be pessimistic and other processes may free memory: try the smallest.
        needs += f"; even 4-bit needs {_gib(_needed(estimate, 'nf4'))}"
    return _require_bnb(LoadPlan("cuda", "nf4", needs), bnb_installed)


def _require_bnb(plan: LoadPlan, bnb_installed: bool) -> LoadPlan:
    if plan.precision in ("int8", "nf4") and not bnb_installed:
        problem = f"{plan.precision} quantization needs bitsandbytes: pip install bitsandbytes"
        return LoadPlan(plan.device, plan.precision, plan.why, problem)
    return plan


def load_kwargs(plan: LoadPlan) -> dict:
    """from_pretrained keyword arguments for a plan. Imports torch and transformers."""
    import torch
    from transformers import BitsAndBytesConfig

    half = torch.float16 if plan.precision == "fp16" else torch.bfloat16
    kwargs: dict = {"device_map": plan.device}
    if plan.precision == "fp32":
        kwargs["dtype"] = torch.float32
    elif plan.precision == "int8":
        # LLM.int8 computes in float16 and warns on every matmul when given anything else.
        kwargs["dtype"] = torch.float16
        kwargs["quantization_config"] = BitsAndBytesConfig(load_in_8bit=True)
    elif plan.precision == "nf4":
        bf16 = plan.device == "cpu" or _bf16_capable(torch)
        compute = torch.bfloat16 if bf16 else torch.float16
        kwargs["dtype"] = compute
        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_compute_dtype=compute,
            bnb_4bit_use_double_quant=True,
        )
    else:
        kwargs["dtype"] = half
    return kwargs


def first_line(exc: BaseException) -> str:
    """An exception's message, short enough for a status line."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
