"""The Gradio app: a thin adapter over the engine (handlers.py holds the logic, app.py the layout)."""
