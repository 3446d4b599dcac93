"""One journal record with every field filled, shared by the Python tests and, through
convex/fixtures/generation.json, by the Convex functions' own tests: both sides agree on its shape."""

from __future__ import annotations

from jfdi.generation import Attempt, Generation

FIXTURE = "convex/fixtures/generation.json"


def sample_record(**changes) -> dict:
    gen = Generation(
        prompt="Build an inventory reorder form with validation",
        provider_requested="auto",
        workspace="Plant 2",
        id="0f6c2d4e8a9b4c1d9e7f6a5b4c3d2e1f",
        created_at="2026-11-26T18:36:00.123Z",
        text="```tsx\nexport default function ReorderForm() {\n  return <form className=\"p-4\" />;\n}\n```",
    )
    gen.provider, gen.model, gen.status, gen.stop_reason = "claude", "claude-sonnet-5-5", "ok", "end_turn"
    gen.attempts = [
        Attempt("claude", "claude-sonnet-5-5", "error", "overloaded", None, 0.25),
        Attempt("claude", "claude-sonnet-5-5", "ok", "", 0.412, 3.5),
    ]
    gen.notices = ["Claude was overloaded; retried once"]
    gen.input_tokens, gen.output_tokens, gen.cost_usd = 1200, 345, 0.0087
    gen.ttft_s, gen.total_s = 0.412, 3.75
    gen.continues = 1
    gen.conversation = [{"prompt": gen.prompt, "answer": gen.text, "images": ["7" * 64]}]
    gen.documents = [{"name": "PO-4411.pdf", "sha256": "9" * 64, "engines": ["text"], "pages": 3, "page_count": 3, "edited": False}]
    gen.images = [{"sha256": "7" * 64, "name": "traveler.jpg", "media_type": "image/jpeg", "width": 1500, "height": 2000,
                   "bytes": 412345}]
    gen.edit = {"mode": "applied", "changed": ["src/App.tsx"], "reasks": ["SEARCH text not found"], "parsed": True,
                "parse_note": ""}
    gen.checks = {"syntax_ok": True, "typecheck_ok": True, "syntax_errors": [], "type_errors": [], "runtime": []}
    record = gen.to_record()
    record.update(changes)
    return record
