"""Which models see images: a table of well-known model families, overridden per provider by a
setting (JFDI_OPENROUTER_VISION, JFDI_OLLAMA_VISION: auto | on | off).

A model the table does not know is taken as text-only: it is then given the image's text, which
every model can use, rather than an image that a text-only endpoint refuses or silently drops."""

from __future__ import annotations

import re

# Families matched anywhere in the model id (an OpenRouter "vendor/model", an Ollama "name:tag", a
# hub path), case-insensitive.
VISION_FAMILIES = (
    r"claude-(?:[a-z]+-)?[3-9]",  # every Claude since 3 sees
    r"gpt-4o", r"gpt-4\.1", r"gpt-4-turbo", r"gpt-4-vision", r"gpt-5", r"(?:^|/)o[134](?:-|$)",
    r"gemini", r"gemma-?3(?![:-]1b)", r"gemma-?4",
    r"llava", r"bakllava", r"llama-?3\.2-vision", r"llama-?4", r"pixtral", r"mistral-small-?3\.[12]",
    r"qwen2(?:\.5)?-?vl", r"qwen2\.5-vl", r"qwen-vl", r"qwen3-vl", r"minicpm-v", r"moondream",
    r"granite3\.2-vision", r"internvl", r"phi-?3(?:\.5)?-vision", r"phi-?4-multimodal", r"grok-(?:2-vision|4)",
    r"nova-(?:lite|pro)", r"glm-4(?:\.\d)?v",
)
_VISION = re.compile("|".join(f"(?:{family})" for family in VISION_FAMILIES), re.IGNORECASE)


def known_to_see(model: str) -> bool:
    return bool(_VISION.search(model or ""))


def sees_images(model: str, setting: str = "auto") -> bool:
    """`setting` "on" or "off" says so for the configured model; "auto" asks the table."""
    if setting == "on":
        return True
    if setting == "off":
        return False
    return known_to_see(model)
