"""Dolphin-v2 (ByteDance/Dolphin-v2, a Qwen2.5-VL-3B fine-tune) with transformers: page layout and
reading order first, then every element read with the prompt for its kind, in batches.

The model loads on first use, never at import, in bf16 on a CUDA GPU (float32 on a CPU, where it
only runs when asked for by name: it is slow there). One model is kept per device and one page is
read at a time on it; a second upload waits for the first.

transformers 5 builds Qwen2.5-VL's AutoProcessor with its video processor, which needs
torchvision. Documents need no video, so without torchvision the same tokenizer and image
processor are loaded on their own and the image placeholders expanded here as the processor does."""

from __future__ import annotations

import importlib.util
import logging
import re
import threading
from copy import copy
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .dolphin_format import (
    LAYOUT_PROMPT,
    MIN_CROP,
    WHOLE_PAGE,
    LayoutItem,
    element_text,
    input_size,
    model_size,
    mostly_overlapping,
    page_box,
    parse_layout,
    prompt_for,
)
from .errors import EngineUnavailable, require
from .model import SKIPPED_LABELS, Element

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

MAX_NEW_TOKENS = 4096  # as published: a dense page's layout or a long table needs thousands
BATCH_SIZE = 8
# PDF pages are rendered with this longer side for Dolphin, as its own PDF reader does.
PDF_LONGEST_SIDE = 896
IMAGE_TOKEN = "<|image_pad|>"


@lru_cache(maxsize=1)
def cuda_available() -> bool:
    if importlib.util.find_spec("torch") is None or importlib.util.find_spec("transformers") is None:
        return False
    import torch

    return torch.cuda.is_available()


class DolphinEngine:
    def __init__(self, model_id: str, *, batch_size: int = BATCH_SIZE, max_new_tokens: int = MAX_NEW_TOKENS):
        self.model_id = model_id
        self.batch_size = batch_size
        self.max_new_tokens = max_new_tokens
        self.device: str | None = None
        self._lock = threading.Lock()
        self._model: Any = None
        self._processor: _Processor | None = None

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        """Load the model now (it loads on first use otherwise); EngineUnavailable if it cannot."""
        with self._lock:
            self._load()

    def read_page(self, image: "Image") -> list[Element]:
        """Both stages on one page image; the elements in reading order."""
        with self._lock:
            self._load()
            layout = parse_layout(self._chat([LAYOUT_PROMPT], [image])[0])
            return self._read_elements(image, layout)

    def read_elements(self, image: "Image", layout: list[LayoutItem] | None) -> list[Element]:
        """Stage 2 alone, for a layout already known; None reads the page whole."""
        with self._lock:
            self._load()
            return self._read_elements(image, layout)

    def unload(self) -> None:
        with self._lock:
            if self._model is None:
                return
            self._model = self._processor = None
            import torch

            if torch.cuda.is_available():
                torch.cuda.empty_cache()

    def _read_elements(self, image: "Image", layout: list[LayoutItem] | None) -> list[Element]:
        jobs = self._crops(image, layout)
        if jobs is None:  # no usable layout: read the whole page, as Dolphin does for photos
            jobs = [(0, WHOLE_PAGE, image)]
        texts: dict[int, str] = {}
        by_prompt: dict[str, list[tuple[int, str, Image]]] = {}
        for job in jobs:
            if job[1] in SKIPPED_LABELS:
                texts[job[0]] = ""  # figures and watermarks keep their place in the order, unread
            else:
                by_prompt.setdefault(prompt_for(job[1]), []).append(job)
        for prompt, group in by_prompt.items():
            for start in range(0, len(group), self.batch_size):
                batch = group[start : start + self.batch_size]
                answers = self._chat([prompt] * len(batch), [crop for _, _, crop in batch])
                for (order, label, _), answer in zip(batch, answers):
                    texts[order] = element_text(label, answer)
        return [Element(label, texts[order], order) for order, label, _ in jobs]

    def _crops(self, image: "Image", layout: list[LayoutItem] | None) -> list[tuple[int, str, "Image"]] | None:
        if not layout:
            return None
        seen = self._seen_size(image)
        boxes = [page_box(item.box, seen, image.size) for item in layout]
        if mostly_overlapping(boxes):
            return None
        jobs = []
        for order, (item, box) in enumerate(zip(layout, boxes)):
            if box[2] - box[0] > MIN_CROP and box[3] - box[1] > MIN_CROP:
                jobs.append((order, item.label, image.crop(box)))
        return jobs or None

    def _seen_size(self, image: "Image") -> tuple[int, int]:
        processor = self._processor.image_processor
        factor = processor.patch_size * processor.merge_size
        size = processor.size
        return model_size(*input_size(*image.size), factor, size["shortest_edge"], size["longest_edge"])

    def _chat(self, prompts: list[str], images: list["Image"]) -> list[str]:
        import torch

        images = [_prepared(image) for image in images]
        texts = [self._processor.prompt(question) for question in prompts]
        inputs = self._processor.encode(texts, images).to(self._model.device)
        config = copy(self._model.generation_config)
        config.do_sample, config.temperature, config.top_p, config.top_k = False, None, None, None
        config.max_new_tokens = self.max_new_tokens
        with torch.inference_mode():
            output = self._model.generate(**inputs, generation_config=config)
        return self._processor.decode(output[:, inputs["input_ids"].shape[1] :])

    def _load(self) -> None:
        if self._model is not None:
            return
        torch = require("torch", "torch", "Dolphin-v2")
        transformers = require("transformers", "transformers", "Dolphin-v2")
        cuda = torch.cuda.is_available()
        self.device = "cuda" if cuda else "cpu"
        dtype = (torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16) if cuda else torch.float32
        try:
            processor = _Processor.load(transformers, self.model_id)
            model = transformers.Qwen2_5_VLForConditionalGeneration.from_pretrained(self.model_id, dtype=dtype)
        except (OSError, ValueError) as exc:
            raise EngineUnavailable(
                f"Dolphin-v2 ({self.model_id}) could not be loaded: {exc}. Set JFDI_DOC_MODEL to a local copy, "
                "or use the ocr engine"
            ) from None
        self._model = model.to(self.device).eval()
        self._processor = processor
        log.info("Dolphin-v2 loaded from %s on %s", self.model_id, self.device)


def _prepared(image: "Image") -> "Image":
    size = input_size(*image.size)
    return image if size == image.size else image.resize(size)


class _Processor:
    """Chat prompt, model inputs and decoding for Qwen2.5-VL, with or without its AutoProcessor."""

    def __init__(self, tokenizer: Any, image_processor: Any, processor: Any = None):
        self.tokenizer = tokenizer
        self.image_processor = image_processor
        self.processor = processor
        # Batches are padded on the left so that every answer starts right after its prompt.
        tokenizer.padding_side = "left"
        self.image_token_id = tokenizer.convert_tokens_to_ids(IMAGE_TOKEN)

    @classmethod
    def load(cls, transformers: Any, model_id: str) -> "_Processor":
        try:
            processor = transformers.AutoProcessor.from_pretrained(model_id)
        except ImportError as exc:
            log.info("AutoProcessor unavailable (%s); loading the tokenizer and image processor alone", exc)
            tokenizer = transformers.AutoTokenizer.from_pretrained(model_id)
            return cls(tokenizer, transformers.AutoImageProcessor.from_pretrained(model_id))
        return cls(processor.tokenizer, processor.image_processor, processor)

    def prompt(self, question: str) -> str:
        messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": question}]}]
        templater = self.processor or self.tokenizer
        return templater.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)

    def encode(self, texts: list[str], images: list["Image"]) -> Any:
        if self.processor is not None:
            return self.processor(text=texts, images=images, padding=True, return_tensors="pt")
        vision = self.image_processor(images=images, return_tensors="pt")
        merge = self.image_processor.merge_size**2
        counts = iter([int(grid.prod()) // merge for grid in vision["image_grid_thw"]])
        pattern = re.compile(re.escape(IMAGE_TOKEN))
        texts = [pattern.sub(lambda _: IMAGE_TOKEN * next(counts), text) for text in texts]
        inputs = self.tokenizer(texts, padding=True, return_tensors="pt")
        # Qwen2.5-VL places image tokens by these types (1 = image) to compute its 3-D positions.
        inputs["mm_token_type_ids"] = (inputs["input_ids"] == self.image_token_id).int()
        inputs.update(vision)
        return inputs

    def decode(self, ids: Any) -> list[str]:
        return self.tokenizer.batch_decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=False)


_engines: dict[str, DolphinEngine] = {}
_engines_lock = threading.Lock()


def shared_engine(model_id: str) -> DolphinEngine:
    """The process's Dolphin engine for this device: one model per GPU, so another model id
    unloads the one before."""
    device = "cuda" if cuda_available() else "cpu"
    with _engines_lock:
        engine = _engines.get(device)
        if engine is not None and engine.model_id != model_id:
            engine.unload()
            engine = None
        if engine is None:
            engine = _engines[device] = DolphinEngine(model_id)
        return engine
