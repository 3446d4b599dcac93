"""Fast batch-1 decoding for the local model: the prompt in one pass, then one token per step over
a static KV cache, with the step captured once in a CUDA graph and replayed.

Plain `generate` on an 8B model spends most of each token launching several hundred small kernels
from Python, so the GPU waits for the CPU (10-28 tokens/s on an H100 whose memory could feed
about 180). A replayed graph launches them all at once and leaves the GPU bound by reading the
weights. The tokens come back to the host in chunks, copied while the GPU already works on the
next chunk, so streaming costs no synchronisation per token. Token selection runs on the device
and is the same arithmetic as `generate`'s (repetition penalty, temperature, top-k, top-p, then
the exponential race `torch.multinomial` uses for one sample), so the answer is token for token
the one `generate` gives: greedy always, sampled too for the same random state on the CPU.

On the CPU the same loop runs without graphs; that is how it is tested. torch is imported only
inside the decoder, so the provider can decide about it without paying for the import."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .local_device import LoadPlan, first_line

log = logging.getLogger(__name__)

# The KV cache grows in steps of this many positions: big enough that growing (a copy and a new
# capture) is rare, small enough that attention does not read much empty cache.
BLOCK = 1024
# Tokens per trip to the host on a GPU: about 50 ms of decoding at 150 tokens/s, short enough to
# look continuous when streamed.
CUDA_CHUNK = 8
RING = 64  # the device keeps the last RING tokens; a chunk is never longer
# LLM.int8 (bitsandbytes 8-bit) splits outlier columns into data-dependent shapes, which a CUDA
# graph cannot hold; the others have fixed shapes at batch 1.
GRAPHABLE = ("bf16", "fp16", "fp32", "nf4")

# What `generate` uses when neither the call nor the model's generation config says.
_GENERATE_DEFAULTS = {
    "do_sample": False,
    "temperature": 1.0,
    "top_k": 50,
    "top_p": 1.0,
    "repetition_penalty": 1.0,
}
# Options of `generate` that change which token comes next and that this decoder does not
# implement, with the value that turns each off (None: unset).
_NOT_IMPLEMENTED = {
    "min_p": None,
    "top_h": None,
    "typical_p": 1.0,
    "epsilon_cutoff": 0.0,
    "eta_cutoff": 0.0,
    "no_repeat_ngram_size": 0,
    "bad_words_ids": None,
    "sequence_bias": None,
    "suppress_tokens": None,
    "begin_suppress_tokens": None,
    "forced_bos_token_id": None,
    "forced_eos_token_id": None,
    "min_length": 0,
    "min_new_tokens": 0,
    "num_beams": 1,
    "guidance_scale": 1.0,
    "renormalize_logits": False,
    "exponential_decay_length_penalty": None,
    "stop_strings": None,
    "watermarking_config": None,
}


class FastPathUnsupported(Exception):
    """The model or its generation settings need something only plain `generate` does."""


@dataclass(frozen=True)
class DecodeChoice:
    """Which decoding path the local model takes, and why (shown in the provider status)."""

    fast: bool
    why: str

    @property
    def name(self) -> str:
        return "fast" if self.fast else "plain"


def choose_decoding(setting: str, plan: LoadPlan) -> DecodeChoice:
    """JFDI_LOCAL_FAST (auto, on, off) for a load plan. `auto` takes the fast path where it pays:
    a CUDA GPU and a precision whose step a CUDA graph can hold."""
    if setting == "off":
        return DecodeChoice(False, "plain generate (JFDI_LOCAL_FAST=off)")
    if setting == "on":
        graphs = "CUDA graphs" if plan.device == "cuda" else "no CUDA graphs on the CPU"
        return DecodeChoice(True, f"static KV cache, {graphs} (JFDI_LOCAL_FAST=on)")
    if plan.device != "cuda":
        return DecodeChoice(False, "plain generate on the CPU (JFDI_LOCAL_FAST=on tries the fast path)")
    if plan.precision not in GRAPHABLE:
        return DecodeChoice(
            False, f"plain generate: {plan.precision} (bitsandbytes LLM.int8) has no CUDA-graph path"
        )
    return DecodeChoice(True, f"static KV cache, CUDA graphs ({plan.precision})")


@dataclass(frozen=True)
class Sampling:
    do_sample: bool
    temperature: float = 1.0
    top_k: int = 0
    top_p: float = 1.0
    repetition_penalty: float = 1.0

    @classmethod
    def resolve(cls, generation_config: Any, overrides: Mapping[str, Any]) -> Sampling:
        """The token selection `generate(**overrides)` would make with this generation config."""

        def value(name: str, unset: Any) -> Any:
            given = overrides[name] if name in overrides else getattr(generation_config, name, None)
            return unset if given is None else given

        active = [n for n, off in _NOT_IMPLEMENTED.items() if value(n, off) not in (None, off)]
        if active:
            raise FastPathUnsupported(f"generation settings only generate implements: {', '.join(active)}")
        settings = {name: value(name, default) for name, default in _GENERATE_DEFAULTS.items()}
        return cls(
            do_sample=bool(settings["do_sample"]),
            temperature=float(settings["temperature"]),
            top_k=int(settings["top_k"]),
            top_p=float(settings["top_p"]),
            repetition_penalty=float(settings["repetition_penalty"]),
        )


@dataclass
class _Session:
    """The buffers a captured decode step reads and writes; their addresses must not change."""

    capacity: int
    limit: int  # the capacity this request can need at most
    sampling: Sampling
    cache: Any  # transformers StaticCache
    token: Any  # (1, 1): the token the next step reads
    ring: Any  # (RING,): each step's token, at its step number modulo RING
    steps: Any  # (1,): decode steps run so far, counted on the device
    seen: Any  # (vocab,) bool: tokens so far, for the repetition penalty (None without one)
    graph: Any = None


@dataclass
class _InFlight:
    host: Any  # a copy of the ring, filled when `done` fires
    done: Any  # CUDA event, or None on the CPU (the copy is already there)
    first: int  # number of the chunk's first step
    count: int


class FastDecoder:
    """Decodes one answer at a time for one loaded model (the provider's queue sees to that)."""

    def __init__(
        self, lm: Any, *, graphs: bool | None = None, block: int = BLOCK, chunk: int | None = None
    ) -> None:
        self._lm = lm
        self._device = lm.device
        on_cuda = self._device.type == "cuda"
        self.graphs = on_cuda if graphs is None else graphs
        self.graph_error = ""  # why graphs were turned off, after a capture failed
        self._block = block
        self._chunk = min(chunk or (CUDA_CHUNK if on_cuda else 1), RING)
        # On a GPU one chunk is queued behind the one being read; the CPU computes as it launches.
        self._depth = 2 if on_cuda else 1
        self._session: _Session | None = None
        self._side_stream: Any = None

    def decode(
        self, prompt: list[int], max_new: int, sampling: Sampling, stop_ids: Collection[int]
    ) -> Iterator[list[int]]:
        """New token ids in chunks: at most `max_new`, ending with a stop id when one comes.
        Closing the iterator stops decoding within a chunk."""
        if max_new <= 0 or not prompt:
            return
        try:
            session = self._open(len(prompt), max_new, sampling)
            first = self._prefill(session, prompt)
            yield [first]
            if first in stop_ids:
                return
            steps, launched = max_new - 1, 0
            in_flight: deque[_InFlight] = deque()
            while True:
                while launched < steps and len(in_flight) < self._depth:
                    count = min(self._chunk, steps - launched)
                    self._reserve(session, len(prompt) + launched + count)
                    in_flight.append(self._launch(session, launched, count))
                    launched += count
                if not in_flight:
                    return
                tokens = self._collect(in_flight.popleft())
                for i, token in enumerate(tokens):
                    if token in stop_ids:
                        yield tokens[: i + 1]
                        return
                yield tokens
        except Exception:
            self._session = None  # its state is unknown: the next answer starts afresh
            raise
        finally:
            self._settle()

    # -- sessions and the KV cache ---------------------------------------------------------

    def _open(self, prompt_len: int, max_new: int, sampling: Sampling) -> _Session:
        import torch

        capacity = _round_up(prompt_len + min(max_new, self._block), self._block)
        limit = _round_up(prompt_len + max_new, self._block)
        session = self._session
        with torch.no_grad():
            if session and session.capacity == capacity and session.sampling == sampling:
                # Same buffers, so the captured graph stays valid: only the counters restart.
                for layer in session.cache.layers:
                    layer.cumulative_length.zero_()
                session.steps.zero_()
                if session.seen is not None:
                    session.seen.zero_()
                session.limit = limit
                return session
            self._session = None  # let the old buffers go before the new ones are made
            session = self._session = self._new_session(capacity, limit, sampling)
        return session

    def _new_session(self, capacity: int, limit: int, sampling: Sampling) -> _Session:
        import torch
        from transformers import StaticCache

        cache = StaticCache(config=self._lm.config, max_cache_len=capacity)
        if any(type(layer).__name__ != "StaticLayer" for layer in cache.layers):
            # Sliding-window and linear-attention layers keep other state than a plain cache.
            raise FastPathUnsupported("the model has cache layers other than full attention")
        vocab = self._lm.config.get_text_config().vocab_size
        device, long = self._device, torch.long
        penalty = sampling.repetition_penalty != 1.0
        return _Session(
            capacity=capacity,
            limit=limit,
            sampling=sampling,
            cache=cache,
            token=torch.zeros((1, 1), dtype=long, device=device),
            ring=torch.zeros(RING, dtype=long, device=device),
            steps=torch.zeros(1, dtype=long, device=device),
            seen=torch.zeros(vocab, dtype=torch.bool, device=device) if penalty else None,
        )

    def _reserve(self, session: _Session, positions: int) -> None:
        """Grow the cache (a copy, then a new capture at the next step) to hold `positions`."""
        if positions <= session.capacity:
            return
        import torch
        from transformers import StaticCache

        if session.graph is not None:
            self._settle()  # the graph's memory goes back to the pool only once it has run
        grown = max(positions, session.capacity + session.capacity // 2)
        capacity = min(_round_up(grown, self._block), max(session.limit, positions))
        cache = StaticCache(config=self._lm.config, max_cache_len=capacity)
        with torch.no_grad():
            for old, new in zip(session.cache.layers, cache.layers):
                new.lazy_initialization(old.keys[:, :, :0], old.values[:, :, :0])
                new.keys[:, :, : session.capacity].copy_(old.keys)
                new.values[:, :, : session.capacity].copy_(old.values)
                new.cumulative_length.copy_(old.cumulative_length)
        session.graph = None
        session.cache, session.capacity = cache, capacity

    # -- the steps ---------------------------------------------------------------------------

    def _prefill(self, session: _Session, prompt: list[int]) -> int:
        import torch

        with torch.no_grad():
            ids = torch.tensor([prompt], dtype=torch.long, device=self._device)
            if session.seen is not None:
                session.seen.index_fill_(0, ids[0], True)
            out = self._lm(input_ids=ids, cache=session.cache, use_cache=True, logits_to_keep=1)
            first = self._select(out.logits[:, -1], session)
            session.token.copy_(first.view(1, 1))
            if session.seen is not None:
                session.seen.index_fill_(0, first, True)
            return int(first.item())

    def _launch(self, session: _Session, first: int, count: int) -> _InFlight:
        import torch

        for _ in range(count):
            self._step(session)
        if self._device.type != "cuda":
            return _InFlight(session.ring.clone(), None, first, count)
        host = torch.empty(RING, dtype=torch.long, pin_memory=True)
        host.copy_(session.ring, non_blocking=True)
        done = torch.cuda.Event()
        done.record()
        return _InFlight(host, done, first, count)

    @staticmethod
    def _collect(chunk: _InFlight) -> list[int]:
        if chunk.done is not None:
            chunk.done.synchronize()
        ring = chunk.host.tolist()
        return [ring[(chunk.first + i) % RING] for i in range(chunk.count)]

    def _step(self, session: _Session) -> None:
        if session.graph is not None:
            session.graph.replay()
            return
        if not self.graphs:
            self._forward_step(session)
            return
        import torch

        # The first step after (re)building runs for real on a side stream, which also warms that
        # stream up (cuBLAS workspaces, lazy initialisation); the capture on it then only records.
        side = self._side_stream = self._side_stream or torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            self._forward_step(session)
        torch.cuda.current_stream().wait_stream(side)
        try:
            session.graph = self._capture(session, side)
        except Exception as exc:  # a kernel that cannot be captured: go on without graphs
            log.warning("CUDA graph capture failed; decoding without graphs", exc_info=True)
            self.graphs = False
            self.graph_error = f"static KV cache without CUDA graphs: capture failed ({first_line(exc)})"

    def _capture(self, session: _Session, stream: Any) -> Any:
        import torch

        graph = torch.cuda.CUDAGraph()
        # thread_local: CUDA calls from other threads (the status panel asking for free memory)
        # neither break the capture nor fail themselves.
        with torch.cuda.stream(stream):
            graph.capture_begin(capture_error_mode="thread_local")
            try:
                self._forward_step(session)
            finally:
                graph.capture_end()
        return graph

    def _forward_step(self, session: _Session) -> None:
        import torch

        with torch.no_grad():
            out = self._lm(input_ids=session.token, cache=session.cache, use_cache=True, logits_to_keep=1)
            token = self._select(out.logits[:, -1], session)
            session.ring.index_copy_(0, torch.remainder(session.steps, RING), token)
            session.steps.add_(1)
            session.token.copy_(token.view(1, 1))
            if session.seen is not None:
                session.seen.index_fill_(0, token, True)

    @staticmethod
    def _select(logits: Any, session: _Session) -> Any:
        """The next token, (1,), from the last position's logits, (1, vocab): generate's
        processors and sampling, without anything that waits for the device."""
        import torch

        sampling = session.sampling
        scores = logits.to(torch.float32)
        if session.seen is not None:
            penalty = sampling.repetition_penalty
            penalized = torch.where(scores < 0, scores * penalty, scores / penalty)
            scores = torch.where(session.seen, penalized, scores)
        if not sampling.do_sample:
            return torch.argmax(scores, dim=-1)
        if sampling.temperature != 1.0:
            scores = scores / sampling.temperature
        if sampling.top_k:
            top_k = min(sampling.top_k, scores.size(-1))
            scores = scores.masked_fill(scores < torch.topk(scores, top_k)[0][..., -1, None], -float("inf"))
        if sampling.top_p < 1.0:
            ascending, order = torch.sort(scores, descending=False)
            remove = ascending.softmax(dim=-1).cumsum(dim=-1) <= (1 - sampling.top_p)
            remove[..., -1:] = False
            scores = scores.masked_fill(remove.scatter(1, order, remove), -float("inf"))
        probs = torch.softmax(scores, dim=-1)
        # torch.multinomial draws one sample as argmax(p / q), q ~ Exp(1), but first checks the
        # probabilities on the host; the same draw without the check never waits.
        race = torch.empty_like(probs).exponential_(1)
        return torch.argmax(probs / race, dim=-1)

    def _settle(self) -> None:
        """Wait for steps still in flight (after a stop or a cancel), so the next answer finds
        the buffers idle."""
        if self._device.type == "cuda":
            import torch

            torch.cuda.current_stream().synchronize()


def _round_up(n: int, block: int) -> int:
    return -(-n // block) * block

