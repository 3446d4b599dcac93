"""How fast the local model answers on this machine, for each way JFDI can run it.

For a Seed-Coder-8B-shaped Llama with random weights (the real weights cannot be downloaded
everywhere, and speed does not depend on their values) and for each path:

    seed-8bit   bitsandbytes LLM.int8 + plain generate (the seed design's path)
    bf16        bf16 + plain generate
    nf4         bitsandbytes NF4 + plain generate
    fast-bf16   bf16 + JFDI's fast path (static KV cache, CUDA graph per decode step)
    fast-nf4    NF4 + JFDI's fast path

it measures the time to the first token for two prompt lengths, decode tokens/s at batch 1 over
N new tokens (EOS cannot end them early), and peak GPU memory; and relates each decode rate to the
memory-bandwidth ceiling: weight bytes read per token over the measured device-to-device copy
bandwidth. Results go to benchmarks/results/ as JSON and markdown, with the machine and library
versions. Decoding samples with Seed-Coder's defaults (temperature 0.6, top_p 0.8, repetition
penalty 1.05), as the app does; --greedy measures argmax instead.

    python benchmarks/local_throughput.py                          # the GPU run: about 5 min on an H100
    python benchmarks/local_throughput.py --shape tiny --device cpu  # proves the script on a CPU

The first run writes the random checkpoint (16.5 GB for the 8B shape) to --checkpoint; later runs
reuse it. The script stops starting new paths after --budget-s seconds and writes what it has
after every path, so a run cut short still leaves its results."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from jfdi.providers.local import SEED_CODER_SAMPLING  # noqa: E402
from jfdi.providers.local_device import LoadPlan, load_kwargs  # noqa: E402
from jfdi.providers.local_fast import FastDecoder, Sampling  # noqa: E402

GIB = 1024**3
# ByteDance-Seed/Seed-Coder-8B-Instruct's config.json, less the tokenizer ids.
SHAPES: dict[str, dict[str, Any]] = {
    "seed-coder-8b": {
        "vocab_size": 155136,
        "hidden_size": 4096,
        "intermediate_size": 14336,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "max_position_embeddings": 32768,
        "rope_theta": 500000.0,
        "rms_norm_eps": 1e-6,
        "tie_word_embeddings": False,
    },
    # Small enough for a laptop CPU, with room for the same prompt lengths.
    "tiny": {
        "vocab_size": 4096,
        "hidden_size": 128,
        "intermediate_size": 384,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "head_dim": 32,
        "max_position_embeddings": 8192,
        "rms_norm_eps": 1e-6,
        "tie_word_embeddings": False,
    },
}
BOS, PAD, EOS = 0, 1, 2
# Grouped by precision, so that each model is loaded once; the paths the issue cares most about
# first, in case the time budget runs out.
PATHS: dict[str, tuple[str, bool]] = {
    "fast-bf16": ("bf16", True),
    "bf16": ("bf16", False),
    "fast-nf4": ("nf4", True),
    "nf4": ("nf4", False),
    "seed-8bit": ("int8", False),
}
TTFT_REPEATS = 3


@dataclass
class PathResult:
    path: str
    precision: str
    decoder: str
    ttft_ms: dict[str, float] = field(default_factory=dict)  # prompt tokens -> median ms
    decode_tok_s: float | None = None  # first token to last, as a request sees it
    steady_tok_s: float | None = None  # the last three quarters (capture and warm-up excluded)
    new_tokens: int = 0
    peak_memory_gib: float | None = None
    weight_bytes_per_token: int | None = None
    ceiling_tok_s: float | None = None
    fraction_of_ceiling: float | None = None
    component_s: float | None = None  # prefill of the first prompt + the N-token decode
    cuda_graphs: bool | None = None
    note: str = ""
    error: str = ""


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import torch

    started = time.monotonic()
    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        print("no CUDA GPU here: use --device cpu (with --shape tiny)", file=sys.stderr)
        return 2
    prompts = [int(n) for n in args.prompts.split(",")]
    paths = [p.strip() for p in args.paths.split(",")]
    unknown = [p for p in paths if p not in PATHS]
    if unknown:
        print(f"unknown path {', '.join(unknown)}; choose from {', '.join(PATHS)}", file=sys.stderr)
        return 2
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"local_throughput_{args.shape}_{device}"
    report: dict[str, Any] = {
        "benchmark": "local_throughput",
        "shape": args.shape,
        "config": SHAPES[args.shape],
        "device": device,
        "machine": machine(device),
        "sampling": "greedy" if args.greedy else dict(SEED_CODER_SAMPLING),
        "prompt_tokens": prompts,
        "new_tokens": args.new_tokens,
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]),
        "results": [],
    }
    print(f"copy bandwidth on {device} …", file=sys.stderr)
    report["copy_bandwidth_gb_s"] = round(copy_bandwidth(device) / 1e9, 1)
    checkpoint = ensure_checkpoint(Path(args.checkpoint or default_checkpoint(args.shape)), args.shape, device)
    sampling_kwargs = {"do_sample": False} if args.greedy else dict(SEED_CODER_SAMPLING)

    bandwidth = report["copy_bandwidth_gb_s"] * 1e9
    by_precision: dict[str, list[str]] = {}
    for path in paths:
        by_precision.setdefault(PATHS[path][0], []).append(path)
    for precision, group in by_precision.items():
        lm, load_error = None, ""
        if time.monotonic() - started <= args.budget_s:
            print(f"loading {precision} …", file=sys.stderr)
            try:
                lm = load(checkpoint, precision, device)
            except Exception as exc:  # bitsandbytes missing, or without kernels for this device
                load_error = f"load failed: {exc}"
        for path in group:
            if lm is None or time.monotonic() - started > args.budget_s:
                note = "" if load_error else "skipped: time budget spent"
                result = PathResult(path, precision, decoder_name(path), note=note, error=load_error)
            else:
                print(f"measuring {path} …", file=sys.stderr)
                result = measure(lm, path, precision, device, prompts, args.new_tokens, sampling_kwargs, bandwidth)
            report["results"].append(asdict(result))
            write(stem, report)
        del lm
        free(device)
    report["seconds"] = round(time.monotonic() - started, 1)
    write(stem, report)
    print(stem.with_suffix(".md").read_text())
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", choices=sorted(SHAPES), default="seed-coder-8b")
    parser.add_argument("--device", choices=("cuda", "cpu"), help="default: cuda when there is one")
    parser.add_argument("--paths", default=",".join(PATHS), help="comma-separated, from " + ", ".join(PATHS))
    parser.add_argument("--prompts", default="1024,4096", help="prompt lengths for time to first token")
    parser.add_argument("--new-tokens", type=int, default=700, help="decoded per path, after the first prompt")
    parser.add_argument("--greedy", action="store_true", help="argmax instead of Seed-Coder's sampling")
    parser.add_argument("--checkpoint", help="where the random checkpoint is kept (default: a temp dir)")
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "results"))
    parser.add_argument("--budget-s", type=float, default=420.0, help="start no new path after this")
    return parser.parse_args(argv)


def decoder_name(path: str) -> str:
    return "fast" if PATHS[path][1] else "generate"


# -- the model ------------------------------------------------------------------------------


def default_checkpoint(shape: str) -> Path:
    return Path(tempfile.gettempdir()) / "jfdi-bench" / shape


def ensure_checkpoint(directory: Path, shape: str, device: str) -> Path:
    """A random-weight checkpoint of the shape, written once (in bf16, as the hub's weights are)."""
    if (directory / "config.json").is_file():
        return directory
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    print(f"writing a random {shape} checkpoint to {directory} …", file=sys.stderr)
    config = LlamaConfig(**SHAPES[shape], bos_token_id=BOS, eos_token_id=EOS, pad_token_id=PAD)
    default_dtype = torch.get_default_dtype()
    torch.manual_seed(0)
    try:
        torch.set_default_dtype(torch.bfloat16)
        with torch.device(device):  # initialising 8B weights on the GPU takes seconds, not minutes
            model = LlamaForCausalLM(config)
    finally:
        torch.set_default_dtype(default_dtype)
    directory.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(directory)
    del model
    free(device)
    return directory


def load(checkpoint: Path, precision: str, device: str) -> Any:
    """The model exactly as the local provider loads it for this precision."""
    from transformers import AutoModelForCausalLM

    plan = LoadPlan(device, precision, "benchmark")
    return AutoModelForCausalLM.from_pretrained(checkpoint, **load_kwargs(plan)).eval()


def free(device: str) -> None:
    import gc

    import torch

    gc.collect()
    if device == "cuda":
        torch.cuda.empty_cache()


def weight_bytes_per_token(lm: Any) -> int:
    """Bytes of weights one decode step reads: every weight, quantization scales included, except
    the input embedding table, of which a step reads one row."""
    embedding = lm.get_input_embeddings().weight
    output = lm.get_output_embeddings()
    tied = output is not None and output.weight.data_ptr() == embedding.data_ptr()
    total = 0
    for parameter in lm.parameters():
        if parameter is embedding and not tied:
            continue
        total += parameter.numel() * parameter.element_size()
        total += _quantization_bytes(parameter)
    return total


def _quantization_bytes(parameter: Any) -> int:
    def size(tensor: Any) -> int:
        return tensor.numel() * tensor.element_size() if tensor is not None else 0

    state = getattr(parameter, "quant_state", None)  # bitsandbytes 4-bit
    if state is not None:
        nested = getattr(state, "state2", None)
        return size(state.absmax) + (size(nested.absmax) + size(nested.code) if nested else 0)
    return size(getattr(parameter, "SCB", None))  # bitsandbytes 8-bit row scales


# -- measurements -----------------------------------------------------------------------------


def copy_bandwidth(device: str) -> float:
    """Device-to-device copy, bytes read plus bytes written per second (the figure a decode step,
    which reads weights, can at best approach)."""
    import torch

    size = GIB if device == "cuda" else 64 * 1024**2
    src = torch.empty(size, dtype=torch.uint8, device=device)
    src.fill_(1)
    dst = torch.empty_like(src)
    repeats = 20 if device == "cuda" else 5
    for _ in range(3):
        dst.copy_(src)
    sync(device)
    start = time.perf_counter()
    for _ in range(repeats):
        dst.copy_(src)
    sync(device)
    elapsed = time.perf_counter() - start
    del src, dst
    return 2 * size * repeats / elapsed


def sync(device: str) -> None:
    if device == "cuda":
        import torch

        torch.cuda.synchronize()


def measure(
    lm: Any,
    path: str,
    precision: str,
    device: str,
    prompts: list[int],
    new_tokens: int,
    sampling_kwargs: dict[str, Any],
    bandwidth: float,
) -> PathResult:
    import torch

    result = PathResult(path, precision, decoder_name(path), new_tokens=new_tokens)
    fast = PATHS[path][1]
    try:
        if device == "cuda":
            torch.cuda.reset_peak_memory_stats()
        decoder = FastDecoder(lm) if fast else None
        run = fast_run(lm, decoder, sampling_kwargs) if decoder else generate_run(lm, sampling_kwargs)
        vocab = lm.config.vocab_size
        generator = torch.Generator().manual_seed(1)

        def prompt(length: int) -> list[int]:
            return (torch.randint(EOS + 1, vocab, (length,), generator=generator)).tolist()

        run(prompt(32), 8)  # warm-up: CUDA context, kernels, cuBLAS workspaces
        for length in prompts:
            times = [run(prompt(length), 1)[0] for _ in range(TTFT_REPEATS)]
            result.ttft_ms[str(length)] = round(statistics.median(times) * 1000, 1)
        stamps = run(prompt(prompts[0]), new_tokens)
        if len(stamps) != new_tokens:
            raise RuntimeError(f"asked for {new_tokens} tokens, got {len(stamps)}")
        if new_tokens > 1:
            result.decode_tok_s = round((new_tokens - 1) / (stamps[-1] - stamps[0]), 2)
            quarter = new_tokens // 4
            if new_tokens - quarter > 1:
                result.steady_tok_s = round((new_tokens - 1 - quarter) / (stamps[-1] - stamps[quarter]), 2)
        result.component_s = round(stamps[-1], 2)
        if device == "cuda":
            result.peak_memory_gib = round(torch.cuda.max_memory_allocated() / GIB, 2)
        result.weight_bytes_per_token = weight_bytes_per_token(lm)
        result.ceiling_tok_s = round(bandwidth / result.weight_bytes_per_token, 1)
        if result.decode_tok_s:
            result.fraction_of_ceiling = round(result.decode_tok_s / result.ceiling_tok_s, 3)
        if decoder is not None:
            result.cuda_graphs = decoder.graphs
            result.note = decoder.graph_error
    except Exception as exc:  # one broken path must not cost the others their figures
        result.error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    return result


Run = Callable[[list[int], int], list[float]]


def generate_run(lm: Any, sampling_kwargs: dict[str, Any]) -> Run:
    """Plain generate: seconds from the call to each new token's arrival on the host."""
    import torch

    def run(prompt: list[int], new_tokens: int) -> list[float]:
        stamps = _Stamps()
        ids = torch.tensor([prompt], device=lm.device)
        stamps.start()
        lm.generate(
            input_ids=ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=new_tokens,
            min_new_tokens=new_tokens,
            streamer=stamps,
            pad_token_id=PAD,
            eos_token_id=EOS,
            **sampling_kwargs,
        )
        return stamps.times

    return run


def fast_run(lm: Any, decoder: FastDecoder, sampling_kwargs: dict[str, Any]) -> Run:
    sampling = Sampling.resolve(lm.generation_config, sampling_kwargs)

    def run(prompt: list[int], new_tokens: int) -> list[float]:
        started = time.perf_counter()
        times: list[float] = []
        for chunk in decoder.decode(prompt, new_tokens, sampling, stop_ids=()):
            now = time.perf_counter() - started
            times.extend([now] * len(chunk))
        return times

    return run


class _Stamps:
    """A generate() streamer that notes when each new token reaches the host."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self._started = 0.0
        self._prompt_seen = False

    def start(self) -> None:
        self._started = time.perf_counter()

    def put(self, value: Any) -> None:
        if not self._prompt_seen:
            self._prompt_seen = True
            return
        self.times.extend([time.perf_counter() - self._started] * value.numel())

    def end(self) -> None:
        pass


# -- the report --------------------------------------------------------------------------------


def machine(device: str) -> dict[str, Any]:
    import importlib.metadata

    import torch

    def version(package: str) -> str:
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    info: dict[str, Any] = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": version("transformers"),
        "bitsandbytes": version("bitsandbytes"),
        "accelerate": version("accelerate"),
        "cpu": _cpu_name(),
        "cpu_cores": os.cpu_count(),
        # Other work on the machine skews every figure, on a small CPU most of all.
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    if device == "cuda":
        properties = torch.cuda.get_device_properties(0)
        info.update(
            gpu=torch.cuda.get_device_name(0),
            gpu_memory_gib=round(properties.total_memory / GIB, 1),
            compute_capability=f"{properties.major}.{properties.minor}",
            cuda=torch.version.cuda,
        )
    else:
        info["gpu"] = "none (CPU run)"
    return info


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def write(stem: Path, report: dict[str, Any]) -> None:
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(report))


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    on_gpu = report["device"] == "cuda"
    if on_gpu:
        where = f"{m['gpu']} ({m['gpu_memory_gib']} GiB, CUDA {m['cuda']})"
    else:
        where = f"CPU only: {m['cpu']}, {m['cpu_cores']} cores, load average {m['load_average_1m']} at the start"
    lines = [f"# Local model throughput: {report['shape']} on {report['device']}", ""]
    if not on_gpu:
        lines += ["**CPU run: this proves the benchmark runs; these are not GPU figures.**", ""]
    prompts = [str(p) for p in report["prompt_tokens"]]
    columns = ["path", "decoder", *(f"TTFT {p} (ms)" for p in prompts), "decode tok/s", "steady tok/s"]
    columns += ["ceiling tok/s", "of ceiling", "peak GiB", "component s"]
    lines += [
        f"- machine: {where}",
        f"- torch {m['torch']}, transformers {m['transformers']}, bitsandbytes {m['bitsandbytes']}, "
        f"accelerate {m['accelerate']}, Python {m['python']}",
        f"- measured copy bandwidth (read + write): {report['copy_bandwidth_gb_s']} GB/s",
        f"- batch 1; decode over {report['new_tokens']} new tokens after a {prompts[0]}-token prompt; "
        f"sampling: {report['sampling']}",
        f"- started {report['started_at']}; command: `{report['command']}`",
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
    ]
    for r in report["results"]:
        if r["error"] or r["note"].startswith("skipped"):
            cells = [r["path"], r["decoder"], r["error"] or r["note"]]
        else:
            graphs = " (no graphs)" if r["cuda_graphs"] is False and on_gpu else ""
            fraction = r["fraction_of_ceiling"]
            cells = [r["path"], r["decoder"] + graphs, *(r["ttft_ms"].get(p, "") for p in prompts)]
            cells += [r["decode_tok_s"], r["steady_tok_s"], r["ceiling_tok_s"]]
            cells += ["" if fraction is None else f"{fraction:.0%}", r["peak_memory_gib"] or "n/a", r["component_s"]]
        cells += [""] * (len(columns) - len(cells))
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    lines += [
        "",
        "TTFT: call to first new token on the host (median of 3). decode: tokens 2..N over the time from the first "
        "to the last, as a request sees it (for the fast path this includes capturing the CUDA graph); steady: the "
        "last three quarters. ceiling: measured copy bandwidth / weight bytes read per token (every weight and "
        "quantization scale except the input embedding table; the KV cache is not counted). component: "
        f"seconds from the call to the last of the {report['new_tokens']} tokens.",
    ]
    notes = [f"- {r['path']}: {r['note']}" for r in report["results"] if r["note"] and not r["note"].startswith("skipped")]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
