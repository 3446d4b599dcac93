"""A tiny, randomly initialised Qwen2.5-VL (Dolphin-v2's architecture), built and saved locally.

`build_tiny_qwen2_5_vl(path)` writes what `from_pretrained` reads for Dolphin-v2: the model
(2 text layers, 2 vision blocks), a byte-level BPE tokenizer trained here with Qwen's special
tokens and chat template, and a Qwen2-VL image processor with small pixel limits, so that a page
costs a few dozen image tokens and a generation a fraction of a second on the CPU."""

from __future__ import annotations

from pathlib import Path

from tests.saved_models import save_pretrained, session_model_dir, train_tokenizer

SPECIAL_TOKENS = [
    "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|image_pad|>", "<|video_pad|>",
]
# The shape of Qwen2.5-VL's template: each turn between <|im_start|>role and <|im_end|>, an image
# item as <|vision_start|><|image_pad|><|vision_end|> (the processor expands the pad).
QWEN_VL_CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}{% else %}"
    "{% for item in message['content'] %}"
    "{% if item['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif item['type'] == 'text' %}{{ item['text'] }}{% endif %}"
    "{% endfor %}{% endif %}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
_CORPUS = [
    "Parse the reading order of this document.",
    "Read text in the image.", "Parse the table in the image.", "Read formula in the image.", "Read code in the image.",
    "[72,40,530,80][sec_0][PAIR_SEP][72,90,530,160][para][PAIR_SEP][72,170,530,400][tab][RELATION_SEP]",
    "<table><tr><td>SKU</td><td>Qty</td></tr><tr><td>BLT-M8-30</td><td>250</td></tr></table>",
    "Purchase order PO-2024-0117 Vendor Acme Fasteners GmbH total 352.00 EUR",
]


def build_tiny_qwen2_5_vl(path: Path, seed: int = 0) -> Path:
    import torch
    from transformers import Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil

    tokenizer = train_tokenizer(
        _CORPUS * 10, 600, SPECIAL_TOKENS, eos_token="<|im_end|>", pad_token="<|endoftext|>", chat_template=QWEN_VL_CHAT_TEMPLATE
    )
    ids = {token: tokenizer.convert_tokens_to_ids(token) for token in SPECIAL_TOKENS}

    # The PIL build of Qwen2VLImageProcessor (no torchvision here); it saves as Qwen2VLImageProcessor,
    # so AutoImageProcessor loads whichever build the machine has. 28-pixel units (patch 14,
    # merge 2), at most 64 of them.
    processor = Qwen2VLImageProcessorPil(
        min_pixels=28 * 28 * 4, max_pixels=28 * 28 * 64, patch_size=14, merge_size=2, temporal_patch_size=2
    )

    config = Qwen2_5_VLConfig(
        text_config={
            "vocab_size": len(tokenizer), "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
            "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 4096,
            "rope_scaling": {"type": "mrope", "mrope_section": [2, 3, 3]},
            "bos_token_id": None, "eos_token_id": ids["<|im_end|>"], "pad_token_id": ids["<|endoftext|>"],
        },
        vision_config={
            "depth": 2, "hidden_size": 32, "intermediate_size": 64, "num_heads": 2, "out_hidden_size": 64,
            "patch_size": 14, "spatial_merge_size": 2, "temporal_patch_size": 2, "window_size": 56,
            "fullatt_block_indexes": [1],
        },
        image_token_id=ids["<|image_pad|>"], video_token_id=ids["<|video_pad|>"],
        vision_start_token_id=ids["<|vision_start|>"], vision_end_token_id=ids["<|vision_end|>"],
        bos_token_id=None, eos_token_id=ids["<|im_end|>"], pad_token_id=ids["<|endoftext|>"],
    )
    torch.manual_seed(seed)
    model = Qwen2_5_VLForConditionalGeneration(config)
    model.generation_config.eos_token_id = ids["<|im_end|>"]
    model.generation_config.pad_token_id = ids["<|endoftext|>"]
    return save_pretrained(path, model, tokenizer, processor)


tiny_dolphin_dir = session_model_dir("tiny_dolphin_dir", build_tiny_qwen2_5_vl)
