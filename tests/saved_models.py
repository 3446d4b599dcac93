"""Tiny, randomly initialised models saved where `from_pretrained` reads them, so that tests run
the real loading code without the hub: a byte-level BPE tokenizer trained on a few lines, the model
and its other parts saved beside it, and a session fixture that builds the directory once.

Register such a fixture in tests/conftest.py: a fixture imported into several test modules is a
separate fixture in each, and the model would be built once per module."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest


def train_tokenizer(corpus: list[str], vocab_size: int, special_tokens: list[str], **tokenizer_args: Any):
    """A byte-level BPE tokenizer (the GPT-2/Qwen/Llama-3 kind: any text encodes) trained on `corpus`."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=special_tokens, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(corpus, trainer=trainer)
    return PreTrainedTokenizerFast(tokenizer_object=bpe, **tokenizer_args)


def save_pretrained(path: Path, *parts: Any) -> Path:
    """Save the model, its tokenizer and any processor into `path`, as a hub checkout has them."""
    path.mkdir(parents=True, exist_ok=True)
    for part in parts:
        part.save_pretrained(path)
    return path


def session_model_dir(name: str, build: Callable[[Path], Path]):
    """A session fixture called `name`: the directory `build` saved its model into."""

    @pytest.fixture(scope="session", name=name)
    def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
        return build(tmp_path_factory.mktemp(name))

    return model_dir
