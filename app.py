"""JFDI: the Hugging Face Space entry point (also `python app.py` on any machine)."""

from jfdi.ui.launch import launch

if __name__ == "__main__":
    launch()
