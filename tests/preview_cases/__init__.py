"""Components the preview tests feed to the app, the checks and the export."""

from pathlib import Path

CASES = Path(__file__).resolve().parent
