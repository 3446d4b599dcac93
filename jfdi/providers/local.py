"""Seed-Coder (or any causal LM) on this machine with transformers.

The model loads in a background thread on first use or `warm_up()`, never at import. A worker
thread runs the generation call, `_decode`: the fast path (local_fast: static KV cache, CUDA-graph
decode steps) where JFDI_LOCAL_FAST allows it, plain `generate()` otherwise or when the fast path
fails; it hands back token ids in chunks, which are streamed as text. One generation runs at a
time per device and the others wait their turn in a queue. torch and transformers are imported
only when the model is planned or loaded, so the app starts at once and a wrong path is reported
without them."""

from __future__ import annotations

import logging
import queue
import threading
import time
import weakref
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..config import Settings
from ..errors import BadRequest, ContextTooLong, ProviderError, ProviderUnavailable
from . import local_zerogpu
from .base import Delta, Provider, ProviderStatus, Request, Usage
from .local_device import (
    LoadPlan,
    cuda_memory,
    estimate_size,
    first_line,
    load_kwargs,
    plan_load,
    read_config,
    resolve_source,
)
from .local_fast import DecodeChoice, FastDecoder, Sampling, choose_decoding
from .local_text import IncrementalText

log = logging.getLogger(__name__)

# Seed-Coder-8B-Instruct's published decoding defaults.
SEED_CODER_SAMPLING: Mapping[str, Any] = {
    "do_sample": True,
    "temperature": 0.6,
    "top_p": 0.8,
    "repetition_penalty": 1.05,
}
DEFAULT_CONTEXT_TOKENS = 32768
NOTICE_INTERVAL_S = 1.0
# A caller that gives up on a silent provider (the router's first-token timeout) hears from a
# waiting stream at least this often, so the timeout measures the model and not the queue.
QUEUE_NOTICE_REPEAT_S = 5.0


class GenerationQueue:
    """First come, first served; the head of the line is the generation that is running."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._line: deque[object] = deque()

    def __len__(self) -> int:
        with self._cond:
            return len(self._line)

    def join(self) -> object:
        ticket = object()
        with self._cond:
            self._line.append(ticket)
        return ticket

    def ahead(self, ticket: object) -> int:
        with self._cond:
            return self._line.index(ticket)

    def wait(self, ticket: object, timeout: float) -> int:
        """Wait up to `timeout` for the ticket's turn; return how many are still ahead of it."""
        with self._cond:
            self._cond.wait_for(lambda: self._line[0] is ticket, timeout)
            return self._line.index(ticket)

    def leave(self, ticket: object) -> None:
        with self._cond:
            self._line.remove(ticket)
            self._cond.notify_all()


_queues: dict[str, GenerationQueue] = {}
_queues_lock = threading.Lock()


def queue_for(device: str) -> GenerationQueue:
    # Two generate() calls on one device do not finish sooner than one after the other, and each
    # needs its own activations and KV cache: let them take turns.
    with _queues_lock:
        return _queues.setdefault(device, GenerationQueue())


class LocalProvider(Provider):
    name = "local"
    label = "Seed-Coder (local)"
    runs_on = "this machine"
    free = True
    supports_prefill = True  # the chat template continues a final assistant message

    def __init__(
        self, settings: Settings, sampling: Mapping[str, Any] | None = SEED_CODER_SAMPLING
    ) -> None:
        self.model = settings.local_model
        self.quant = settings.local_quant
        self.fast = settings.local_fast
        self.max_tokens = settings.max_tokens
        # None means greedy decoding: the same answer every time, for tests and comparisons.
        self.sampling: dict[str, Any] = {"do_sample": False} if sampling is None else dict(sampling)
        self.context_tokens = DEFAULT_CONTEXT_TOKENS
        self._source = resolve_source(self.model)
        self._lock = threading.Lock()
        self._state = "configured"  # configured | loading | ready | unavailable
        self._detail = "loads on first use"
        self._plan: LoadPlan | None = None
        self._settled = threading.Event()  # loading has ended, ready or not
        self._tokenizer: Any = None
        self._lm: Any = None
        self._eos_ids: set[int] = set()
        self._decoding: DecodeChoice | None = None  # known once the device plan is
        self._fast_decoder: FastDecoder | None = None
        # ZeroGPU runs the generation call in another process, which finds this provider by key.
        self._key = f"local-{id(self)}"
        _providers[self._key] = self

    # -- status ------------------------------------------------------------------------------

    def configured(self) -> bool:
        return self._source.kind != "missing"

    def status(self) -> ProviderStatus:
        if self._source.kind == "missing":
            return self._status("unavailable", self._missing_reason(), None)
        with self._lock:
            return self._status(self._state, self._detail, self._plan)

    def probe(self) -> ProviderStatus:
        """Status, with the device plan worked out (imports torch, reads no weights), so that a
        model this machine cannot run shows as unavailable before anyone waits for it."""
        with self._lock:
            idle = self._state == "configured"
        if idle and self._source.kind != "missing":
            try:
                plan = self._make_plan()
            except ImportError as exc:
                self._settle("unavailable", self._load_error(exc))
                return self.status()
            with self._lock:
                if self._state == "configured":
                    self._plan = plan
                    self._decoding = choose_decoding(self.fast, plan)
                    if plan.problem:
                        self._state, self._detail = "unavailable", plan.problem
                        self._settled.set()
                    else:
                        self._detail = f"loads on first use {plan.describe()}"
        return self.status()

    def _status(self, state: str, detail: str, plan: LoadPlan | None) -> ProviderStatus:
        extra = plan.extra() if plan else {}
        extra["queue"] = len(queue_for(plan.device)) if plan else 0
        decoding = self._decoding
        if decoding is not None:
            extra["decode"], extra["decode_why"] = decoding.name, decoding.why
        return ProviderStatus(
            name=self.name,
            label=self.label,
            configured=self.configured(),
            available=state in ("configured", "loading", "ready"),
            model=self.model,
            state=state,
            detail=detail,
            extra=extra,
        )

    def _missing_reason(self) -> str:
        return (
            f"model path not found: {self._source.location}; set JFDI_LOCAL_MODEL to a model "
            "directory or a hub id such as ByteDance-Seed/Seed-Coder-8B-Instruct"
        )

    def count_tokens(self, text: str) -> int:
        tokenizer = self._tokenizer
        if tokenizer is None:
            return super().count_tokens(text)
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    # -- loading -----------------------------------------------------------------------------

    def warm_up(self) -> None:
        if self._source.kind == "missing":
            return
        with self._lock:
            if self._state != "configured":
                return
            self._state, self._detail = "loading", "checking the GPU and the model size"
        if local_zerogpu.on_zerogpu():
            # ZeroGPU packs the weights when the app launches, and wants its GPU function
            # declared by then: load now, in the foreground.
            _gpu_decode()
            self._load()
            return
        threading.Thread(target=self._load, name="jfdi-local-load", daemon=True).start()

    def _make_plan(self) -> LoadPlan:
        config = read_config(self._source)
        if config and config.get("max_position_embeddings"):
            self.context_tokens = int(config["max_position_embeddings"])
        return plan_load(self.model, self.quant, estimate_size(self._source, config), cuda_memory())

    def _load(self) -> None:
        try:
            plan = self._make_plan()
            with self._lock:
                self._plan = plan
                self._decoding = choose_decoding(self.fast, plan)
            if plan.problem:
                self._settle("unavailable", plan.problem)
                return
            with self._lock:
                self._detail = f"loading weights {plan.describe()}"
            from transformers import AutoModelForCausalLM, AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained(self._source.location)
            if not tokenizer.chat_template:
                self._settle(
                    "unavailable",
                    f"{self.model} has no chat template (a base model?); set JFDI_LOCAL_MODEL "
                    "to an instruct model such as ByteDance-Seed/Seed-Coder-8B-Instruct",
                )
                return
            lm = AutoModelForCausalLM.from_pretrained(self._source.location, **load_kwargs(plan))
        except Exception as exc:  # every load failure becomes the reason shown in status
            log.exception("loading the local model %s failed", self.model)
            self._settle("unavailable", self._load_error(exc))
            return
        context = getattr(lm.config, "max_position_embeddings", None)
        self.context_tokens = int(context or self.context_tokens)
        eos = lm.generation_config.eos_token_id
        eos_ids = set(eos if isinstance(eos, list) else [eos] if eos is not None else [])
        if tokenizer.eos_token_id is not None:
            eos_ids.add(tokenizer.eos_token_id)
        with self._lock:
            self._tokenizer, self._lm, self._eos_ids = tokenizer, lm, eos_ids
        self._settle("ready", f"loaded {plan.describe()}")

    def _settle(self, state: str, detail: str) -> None:
        with self._lock:
            self._state, self._detail = state, detail
        self._settled.set()

    def _load_error(self, exc: Exception) -> str:
        if isinstance(exc, ImportError):
            return (
                f"{exc}; install the local model's packages: "
                "pip install torch transformers accelerate bitsandbytes"
            )
        import torch

        if isinstance(exc, torch.cuda.OutOfMemoryError):
            torch.cuda.empty_cache()
            return (
                f"out of GPU memory: {first_line(exc)}; free GPU memory or set "
                "JFDI_LOCAL_QUANT=4bit, then restart JFDI"
            )
        return f"could not load {self.model}: {first_line(exc)}"

    # -- generation --------------------------------------------------------------------------

    def stream(self, request: Request, cancel: threading.Event) -> Iterator[Delta]:
        yield from self._await_model(cancel)
        if cancel.is_set():
            return
        with self._lock:
            tokenizer, plan = self._tokenizer, self._plan
        assert plan is not None  # set before the model is ready
        input_ids = self._prompt_ids(tokenizer, request)
        max_new = self._max_new_tokens(request, len(input_ids))
        queue = queue_for(plan.device)
        ticket = queue.join()
        try:
            shown, shown_at = 0, 0.0
            ahead = queue.ahead(ticket)
            while ahead:
                if cancel.is_set():
                    return
                if ahead != shown or time.monotonic() - shown_at >= QUEUE_NOTICE_REPEAT_S:
                    shown, shown_at = ahead, time.monotonic()
                    notice = f"Waiting for the local model: position {ahead} in the queue"
                    yield Delta(notice=notice)
                ahead = queue.wait(ticket, NOTICE_INTERVAL_S)
            if cancel.is_set():
                return
            yield from self._stream_generation(tokenizer, input_ids, max_new, cancel)
        finally:
            queue.leave(ticket)

    def _await_model(self, cancel: threading.Event) -> Iterator[Delta]:
        if self._source.kind == "missing":
            raise ProviderUnavailable(self._missing_reason(), provider=self.name)
        self.warm_up()
        started = time.monotonic()
        while not self._settled.is_set():
            if cancel.is_set():
                return
            with self._lock:
                doing = self._detail.removeprefix("loading ")
            waited = time.monotonic() - started
            yield Delta(notice=f"Loading {self.model} … {doing} · {waited:.0f} s")
            self._settled.wait(NOTICE_INTERVAL_S)
        with self._lock:
            state, detail = self._state, self._detail
        if state != "ready":
            raise ProviderUnavailable(detail, provider=self.name)

    def _prompt_ids(self, tokenizer: Any, request: Request) -> list[int]:
        from jinja2 import TemplateError

        try:
            text = self._render_prompt(tokenizer, request)
        except (TemplateError, ValueError) as exc:
            raise BadRequest(
                f"the chat template of {self.model} does not accept this conversation: "
                f"{first_line(exc)}",
                provider=self.name,
            ) from exc
        # The template writes the special tokens itself.
        return tokenizer(text, add_special_tokens=False)["input_ids"]

    @staticmethod
    def _render_prompt(tokenizer: Any, request: Request) -> str:
        messages = [{"role": "system", "content": request.system}] if request.system else []
        messages += [{"role": m.role, "content": m.content} for m in request.messages]
        if request.partial:
            messages.append({"role": "assistant", "content": request.partial})
            text = tokenizer.apply_chat_template(
                messages, continue_final_message=True, tokenize=False
            )
            # Templates that trim message content (Seed-Coder's does) drop the partial's trailing
            # whitespace; put it back so the answer continues exactly where the text broke off.
            tail = request.partial[len(request.partial.rstrip()) :]
            if tail and not text.endswith(tail):
                text += tail
            return text
        return tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)

    def _max_new_tokens(self, request: Request, prompt_tokens: int) -> int:
        wanted = min(request.max_tokens, self.max_tokens)
        # A model with a short context still keeps room for an answer of useful length.
        reserved = min(wanted, self.context_tokens // 2)
        if prompt_tokens > self.context_tokens - reserved:
            raise ContextTooLong(
                f"the prompt is {prompt_tokens} tokens, but {self.model} reads at most "
                f"{self.context_tokens} tokens and {reserved} of them are kept for the answer, "
                f"which leaves {self.context_tokens - reserved} for the prompt; shorten the "
                "request or attach less document context",
                provider=self.name,
            )
        return min(wanted, self.context_tokens - prompt_tokens)

    def _stream_generation(
        self, tokenizer: Any, input_ids: list[int], max_new: int, cancel: threading.Event
    ) -> Iterator[Delta]:
        chunks: queue.Queue[Any] = queue.Queue()
        stop = threading.Event()  # cancelled, or the caller closed the stream

        def run() -> None:
            # Reads the GPU call ahead of the caller, so the GPU never waits for the UI.
            calls = _gpu_decode()(self._key, input_ids, max_new)
            try:
                for item in calls:
                    chunks.put(item)
                    if stop.is_set():
                        break
            except Exception as exc:
                chunks.put(_Failed(exc))
            finally:
                calls.close()  # stops the decoding loop, in ZeroGPU's process too
                chunks.put(_END)

        worker = threading.Thread(target=run, name="jfdi-local-generate", daemon=True)
        worker.start()
        text = IncrementalText(tokenizer)
        new_tokens: list[int] = []
        try:
            while (item := chunks.get()) is not _END:
                if cancel.is_set():
                    return
                if isinstance(item, _Failed):
                    raise self._generation_error(item.error) from item.error
                if isinstance(item, DecodeChoice):
                    self._decoding = item  # the fast path gave up on something; say so in status
                    continue
                new_tokens.extend(item)
                piece = text.add(item)
                if piece:
                    yield Delta(text=piece)
        finally:
            stop.set()
            worker.join()  # the next in the queue starts only when this generation has stopped
        if cancel.is_set():
            return
        rest = text.finish()
        if rest:
            yield Delta(text=rest)
        ended = bool(new_tokens) and new_tokens[-1] in self._eos_ids
        yield Delta(
            stop_reason="stop" if ended or len(new_tokens) < max_new else "length",
            usage=Usage(input_tokens=len(input_ids), output_tokens=len(new_tokens)),
        )

    def _decode(self, input_ids: list[int], max_new: int) -> Iterator[list[int] | DecodeChoice]:
        """The generation itself, where the GPU is: new token ids in chunks, and a DecodeChoice
        when the fast path has to step back. Closing it stops the generation."""
        done: list[int] = []
        decoding = self._decoding
        if decoding is not None and decoding.fast:
            try:
                decoder = self._fast()
                sampling = Sampling.resolve(self._lm.generation_config, self.sampling)
                for chunk in decoder.decode(input_ids, max_new, sampling, self._eos_ids):
                    done.extend(chunk)
                    yield chunk
                    if decoder.graph_error and decoding.why != decoder.graph_error:
                        decoding = self._decoding = DecodeChoice(True, decoder.graph_error)
                        yield decoding
                return
            except Exception as exc:  # whatever the fast path trips on, generate() can still answer
                log.warning("fast decoding failed; plain generate takes over", exc_info=True)
                self._fast_decoder = None
                why = f"plain generate: the fast path failed ({first_line(exc)})"
                self._decoding = DecodeChoice(False, why)
                yield self._decoding
        remaining = max_new - len(done)
        if remaining > 0 and not (done and done[-1] in self._eos_ids):
            # After a failure midway, generate() goes on from the tokens already shown.
            yield from self._plain_decode(input_ids + done, remaining)

    def _fast(self) -> FastDecoder:
        if self._fast_decoder is None:
            self._fast_decoder = FastDecoder(self._lm)
        return self._fast_decoder

    def _plain_decode(self, input_ids: list[int], max_new: int) -> Iterator[list[int]]:
        import torch

        tokens = _TokenStream()
        stop = threading.Event()
        inputs = torch.tensor([input_ids], device=self._lm.device)
        pad = self._tokenizer.pad_token_id
        kwargs = {
            "input_ids": inputs,
            "attention_mask": torch.ones_like(inputs),
            "max_new_tokens": max_new,
            "streamer": tokens,
            "stopping_criteria": _stop_when_set(stop),
            "pad_token_id": pad if pad is not None else self._tokenizer.eos_token_id,
            **self.sampling,
        }
        outcome: dict[str, Exception] = {}

        def run() -> None:
            try:
                self._generate(**kwargs)
            except Exception as exc:
                outcome["error"] = exc
                tokens.end()  # the reader would otherwise wait forever for the end

        worker = threading.Thread(target=run, name="jfdi-local-plain", daemon=True)
        worker.start()
        try:
            yield from tokens
        finally:
            stop.set()
            worker.join()
        if "error" in outcome:
            raise outcome["error"]

    def _generate(self, **kwargs: Any) -> Any:
        return self._lm.generate(**kwargs)  # plain generate: the seed's path, and the fallback

    def _generation_error(self, exc: Exception) -> ProviderError:
        import torch

        if isinstance(exc, torch.cuda.OutOfMemoryError):
            torch.cuda.empty_cache()
            return ProviderUnavailable(
                "out of GPU memory while generating; try a shorter request or "
                "JFDI_LOCAL_QUANT=4bit",
                provider=self.name,
            )
        return ProviderError(f"local generation failed: {first_line(exc)}", provider=self.name)


# The live providers by key, so the GPU call takes only plain (picklable) arguments.
_providers: weakref.WeakValueDictionary[str, LocalProvider] = weakref.WeakValueDictionary()
_gpu_call: Any = None
_gpu_call_lock = threading.Lock()


def _decode_on_gpu(key: str, input_ids: list[int], max_new: int) -> Iterator[list[int] | DecodeChoice]:
    yield from _providers[key]._decode(input_ids, max_new)


def _gpu_seconds(key: str, input_ids: list[int], max_new: int) -> int:
    return local_zerogpu.seconds_for(max_new)


def _gpu_decode() -> Any:
    """The generation call: `_decode_on_gpu`, which a ZeroGPU Space runs on a borrowed GPU."""
    global _gpu_call
    with _gpu_call_lock:
        if _gpu_call is None:
            _gpu_call = local_zerogpu.on_gpu(_decode_on_gpu, _gpu_seconds)
        return _gpu_call


@dataclass(frozen=True)
class _Failed:
    error: Exception


_END = object()


class _TokenStream:
    """A generate() streamer that passes the new token ids on, several at a time when the reader
    is slower than the model."""

    def __init__(self) -> None:
        self._queue: queue.Queue[list[int] | None] = queue.Queue()
        self._prompt_skipped = False

    def put(self, value: Any) -> None:
        if not self._prompt_skipped:  # generate() hands over the prompt first
            self._prompt_skipped = True
            return
        self._queue.put(value.reshape(-1).tolist())

    def end(self) -> None:
        self._queue.put(None)

    def __iter__(self) -> Iterator[list[int]]:
        while (chunk := self._queue.get()) is not None:
            while True:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    yield chunk
                    return
                chunk += more
            yield chunk


def _stop_when_set(*events: threading.Event) -> Any:
    """Stopping criteria that end generate() at the next token once any of the events is set."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class StopWhenSet(StoppingCriteria):
        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            stopped = any(event.is_set() for event in events)
            batch = input_ids.shape[0]
            return torch.full((batch,), stopped, dtype=torch.bool, device=input_ids.device)

    return StoppingCriteriaList([StopWhenSet()])

