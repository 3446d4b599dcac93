"""Live preview of a generated component: the sandboxed iframe's document and messages
(srcdoc.py, runtime.js, host.js), checks before the preview (checks.py), the fix prompt
(fix.py) and the project to take home (export.py). Nothing here imports Gradio."""

from .checks import CheckResult, Problem, check
from .sources import SourceFile, main_file, split_files
from .srcdoc import ASSETS, SANDBOX, STATIC_DIR, build_srcdoc, component_message

__all__ = [
    "ASSETS", "SANDBOX", "STATIC_DIR", "CheckResult", "Problem", "SourceFile",
    "build_srcdoc", "check", "component_message", "main_file", "split_files",
]
