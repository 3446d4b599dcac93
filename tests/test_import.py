"""A Claude/OpenRouter-only install (`pip install .`, no extras) starts: the app's modules import
none of the heavy optional libraries, and without them the app still builds and `status` runs.
Each check runs in a fresh interpreter, so nothing another test imported can hide an import."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib.metadata import packages_distributions

from packaging.utils import canonicalize_name

from tests.conftest import REPO
from tests.loopback import closed_port
from tests.project_metadata import dependencies, installed_closure

APP_MODULES = ["jfdi.engine", "jfdi.router", "jfdi.ui.handlers", "jfdi.__main__"]
HEAVY = ["torch", "transformers", "bitsandbytes", "anthropic", "rapidocr_onnxruntime", "rapidocr", "playwright"]


def extras_only() -> tuple[set[str], set[str]]:
    """The distributions of pyproject's `local`, `docs` and `bench` extras that a core install lacks
    (pillow is in `docs`, but gradio needs it too), and their top-level modules."""
    core = installed_closure(dependencies())
    missing = {canonicalize_name(r.name) for r in dependencies("local", "docs", "bench")} - core
    modules = {module for module, dists in packages_distributions().items() if {canonicalize_name(d) for d in dists} & missing}
    return missing, modules


def run_python(script: str, tmp_path) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PYTHONPATH": str(REPO),
        "JFDI_DATA_DIR": str(tmp_path / "data"),
        "OLLAMA_HOST": f"127.0.0.1:{closed_port()}",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


def test_importing_the_app_loads_no_heavy_library(tmp_path):
    result = run_python(f"""
        import importlib, sys
        for name in {APP_MODULES!r}:
            importlib.import_module(name)
        print(sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r})))
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"imported at start: {result.stdout.strip()}"


def test_without_the_extras_the_app_builds_and_status_runs(tmp_path):
    """The extras' modules and metadata are made unfindable, as in a core install: `import torch` fails,
    importlib.util.find_spec("torch") is None, importlib.metadata knows no torch. Nothing is configured,
    so status says what to set, and what to install for the local model."""
    distributions, modules = extras_only()
    assert {"torch", "transformers", "accelerate", "bitsandbytes", "pypdfium2", "rapidocr_onnxruntime", "openpyxl", "docx",
            "charset_normalizer", "matplotlib", "playwright"} <= modules
    result = run_python(f"""
        import importlib.abc, importlib.util, runpy, sys
        from packaging.utils import canonicalize_name

        class WithoutExtras(importlib.abc.MetaPathFinder):
            def __init__(self, finders):
                self.finders = finders

            def find_spec(self, name, path=None, target=None):
                if name.partition(".")[0] in {sorted(modules)!r}:
                    return None
                for finder in self.finders:
                    spec = finder.find_spec(name, path, target) if hasattr(finder, "find_spec") else None
                    if spec is not None:
                        return spec
                return None

            def find_distributions(self, context):
                for finder in self.finders:
                    for dist in getattr(finder, "find_distributions", lambda context: ())(context):
                        if canonicalize_name(dist.metadata["Name"]) not in {sorted(distributions)!r}:
                            yield dist

            def invalidate_caches(self):
                for finder in self.finders:
                    getattr(finder, "invalidate_caches", lambda: None)()

        sys.meta_path[:] = [WithoutExtras(list(sys.meta_path))]
        try:
            import torch
        except ModuleNotFoundError:
            pass
        else:
            raise SystemExit("torch is still importable")
        assert importlib.util.find_spec("playwright") is None

        from jfdi.config import load_settings
        from jfdi.engine import Engine
        from jfdi.ui.app import build_app

        app = build_app(Engine(load_settings()))
        print("built", type(app).__name__, flush=True)
        sys.argv = ["jfdi", "status"]
        runpy.run_module("jfdi", run_name="__main__", alter_sys=True)
    """, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "built Blocks"
    rows = {line.split()[0]: line for line in lines[2:]}
    assert set(rows) == {"claude", "local", "openrouter", "ollama"}
    assert "set ANTHROPIC_API_KEY" in rows["claude"]
    assert "pip install torch" in rows["local"]
