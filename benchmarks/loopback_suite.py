"""The benchmark suite end to end on this machine, with no keys and no GPU: Claude, OpenRouter and
Ollama are loopback servers speaking their real protocols, each answering every prompt with one
canned component (tests/bench_canned.py), and `local` is the tiny random Llama the tests build.
What it shows is the harness at work (the same answer scores differently against different
prompts; random weights score 0), not how good any model is.

    python benchmarks/loopback_suite.py [--out benchmarks/results/suite-loopback]"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import run  # noqa: E402
from tests import bench_canned as canned  # noqa: E402
from tests.loopback import AnthropicServer, OllamaServer, OpenAIServer, Reply  # noqa: E402
from tests.tiny_models import build_tiny_llama  # noqa: E402

OUT = Path(__file__).resolve().parent / "results" / "suite-loopback"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, AnthropicServer() as claude, OpenAIServer() as openrouter, \
            OllamaServer(models=["seed-coder-loopback:latest"]) as ollama:
        claude.default = Reply(text=f"```tsx\n{canned.GOOD}```", usage=(1200, 900), delay_s=0.01)
        openrouter.default = Reply(text=canned.IGNORES_PROMPT, usage=(1100, 400), cost=0.004, delay_s=0.01)
        ollama.default = Reply(text=canned.MISSING_LABEL, usage=(1000, 800), delay_s=0.01)
        os.environ.update({
            "ANTHROPIC_API_KEY": "sk-ant-loopback", "ANTHROPIC_BASE_URL": claude.url,
            "OPENROUTER_API_KEY": "sk-or-loopback", "OPENROUTER_BASE_URL": f"{openrouter.url}/api/v1",
            "OLLAMA_HOST": ollama.url, "JFDI_OLLAMA_MODEL": "seed-coder-loopback",
            "JFDI_LOCAL_MODEL": str(build_tiny_llama(Path(tmp) / "tiny-llama")), "JFDI_MAX_TOKENS": "384",
            # The random model never ends an answer: continuing it would triple its time for nothing.
            "JFDI_MAX_CONTINUES": "0",
            "JFDI_DATA_DIR": str(Path(tmp) / "data"),
        })
        return run.main([
            "--providers", "claude,local,openrouter,ollama", "--out", str(args.out),
            "--note", "Loopback providers: claude answers every prompt with tests/bench_canned.py's GOOD inventory form, "
                      "openrouter with IGNORES_PROMPT (a counter), ollama with MISSING_LABEL; local is a tiny random Llama "
                      "(JFDI_MAX_TOKENS=384, not continued). This shows the harness at work, not how good any model is.",
        ])


if __name__ == "__main__":
    sys.exit(main())
