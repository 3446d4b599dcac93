"""JFDI: the Hugging Face Space entry point (also `python app.py` on any machine)."""

import sys

from jfdi.errors import ConfigError
from jfdi.ui.launch import launch

if __name__ == "__main__":
    try:
        launch()
    except ConfigError as exc:  # a setting to fix: its name and value, not a traceback
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
