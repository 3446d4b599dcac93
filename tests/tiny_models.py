"""Tiny, randomly initialised causal language models for tests, built locally (no hub access).

`build_tiny_llama(path)` writes a 2-layer Llama with a byte-level BPE tokenizer trained on a small
TSX/React/English corpus and a Seed-Coder-style chat template, so the local provider can be
exercised end to end on the CPU in well under a second per generation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.saved_models import save_pretrained, session_model_dir, train_tokenizer

BOS = "<[begin▁of▁sentence]>"
EOS = "<[end▁of▁sentence]>"
PAD = "<[PAD▁TOKEN]>"

# The shape of Seed-Coder-8B-Instruct's template: a default system turn when none is given, every
# turn as `BOS role \n content EOS` with the content trimmed, and `BOS assistant \n` as the
# generation prompt. (The default system text here is shortened.)
SEED_CODER_CHAT_TEMPLATE = (
    "{% if messages[0]['role'] != 'system' %}"
    "{{ bos_token + 'system\nYou are an AI programming assistant.\n' + eos_token }}"
    "{% endif %}"
    "{% for message in messages %}"
    "{{ bos_token + message['role'] + '\\n' + message['content'] | trim + eos_token }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ bos_token + 'assistant\\n' }}{% endif %}"
)

_SAMPLE_LINES = [
    "import React, { useState } from 'react';",
    "export default function InventoryForm() {",
    "  const [quantity, setQuantity] = useState<number>(0);",
    "  const [errors, setErrors] = useState<Record<string, string>>({});",
    "  return (",
    '    <form className="space-y-4 p-6 bg-white rounded-lg shadow" onSubmit={handleSubmit}>',
    '      <label htmlFor="sku" className="block text-sm font-medium text-gray-700">SKU</label>',
    '      <input id="sku" type="text" value={sku} onChange={(e) => setSku(e.target.value)} />',
    '      <button type="submit" className="px-4 py-2 text-white bg-blue-600">Save</button>',
    "    </form>",
    "  );",
    "}",
    "interface ReorderItem { id: string; name: string; reorderPoint: number; onHand: number }",
    "const items: ReorderItem[] = data.filter((item) => item.onHand <= item.reorderPoint);",
    "Build an inventory reorder form with validation for the manufacturing floor.",
    "You are JFDI, an expert React and TypeScript engineer. Answer with one complete component.",
    "The machine downtime dashboard shows each line, its status, and the reason it stopped.",
    "Write a quality inspection checklist with pass and fail buttons and a notes field.",
]

_COMPONENTS = "InventoryForm ReorderTable DowntimeDashboard QualityChecklist ShiftReport".split()
_FIELDS = "sku quantity reorderPoint supplier leadTime machineId operator notes".split()
_WORDS = (
    "the a an and or of to for with from each every line part order stock level shift machine "
    "operator quality inspection pass fail reason status report build show list table form field "
    "button save cancel submit validate error required number text date select option value "
    "warehouse bin pallet forklift conveyor assembly station torque sensor alarm threshold minimum "
    "maximum average count total percent hours minutes yesterday today tomorrow scheduled overdue "
    "approved rejected pending supervisor technician maintenance calibration batch lot serial"
).split()
_TAILWIND = (
    "flex grid gap-2 gap-4 p-2 p-4 px-3 py-1 mt-2 mb-4 text-sm text-lg font-bold font-semibold "
    "text-red-600 text-green-700 bg-gray-50 bg-blue-500 hover:bg-blue-700 rounded-md border "
    "border-gray-300 w-full max-w-md items-center justify-between shadow-sm focus:ring-2"
).split()


def _corpus() -> list[str]:
    lines = list(_SAMPLE_LINES)
    for component in _COMPONENTS:
        lines.append(f"export function {component}(props: {component}Props): JSX.Element {{")
        for field in _FIELDS:
            setter = "set" + field[0].upper() + field[1:]
            lines.append(f"  const [{field}, {setter}] = useState('');")
            handler = f"(e) => {setter}(e.target.value)"
            lines.append(f'  <input name="{field}" value={{{field}}} onChange={{{handler}}} />')
    for i in range(len(_WORDS)):
        sentence = " ".join(_WORDS[(i * 7 + k) % len(_WORDS)] for k in range(12))
        lines.append(sentence.capitalize() + ".")
    for i in range(len(_TAILWIND)):
        classes = " ".join(_TAILWIND[(i * 5 + k) % len(_TAILWIND)] for k in range(6))
        lines.append(f'<div className="{classes}">{{{_FIELDS[i % len(_FIELDS)]}}}</div>')
    return lines


def build_tiny_llama(path: Path, seed: int = 0) -> Path:
    """Write a tiny LlamaForCausalLM and its tokenizer to `path` (save_pretrained) and return it."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    tokenizer = train_tokenizer(
        _corpus() * 5, 1200, [BOS, EOS, PAD],
        bos_token=BOS, eos_token=EOS, pad_token=PAD, chat_template=SEED_CODER_CHAT_TEMPLATE, model_max_length=4096,
    )
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    return save_pretrained(path, LlamaForCausalLM(config), tokenizer)


tiny_llama_dir = session_model_dir("tiny_llama_dir", build_tiny_llama)


@pytest.fixture(scope="module")
def one_torch_thread():
    """Tiny models gain nothing from more threads, and on a busy machine torch's threads spend
    their time waiting for each other (the local model tests ran four times slower)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
