"""Live preview of a generated project: the sandboxed iframe's document and messages
(srcdoc.py, runtime.js, host.js), the library set it provides (libraries.py), checks before the
preview (checks.py), the fix prompt (fix.py) and the project to take home (export.py). Nothing
here imports Gradio."""

from .checks import CheckResult, Problem, check
from .srcdoc import ASSETS, SANDBOX, STATIC_DIR, asset_paths, build_srcdoc, component_message

__all__ = [
    "ASSETS", "SANDBOX", "STATIC_DIR", "CheckResult", "Problem", "asset_paths", "build_srcdoc", "check", "component_message",
]
