"""New sessions are lazy (jfdi/ui/sessions.py) and otherwise exactly Gradio's."""

from __future__ import annotations

import gradio as gr
import gradio.state_holder
import pytest
from gradio.blocks import BlocksConfig
from gradio.state_holder import SessionState, StateHolder

from jfdi.ui.sessions import LazySession, use_lazy_sessions


@pytest.fixture
def page():
    with gr.Blocks() as demo:
        name = gr.Textbox(label="Part", value="bracket")
        size = gr.Dropdown(["M6", "M8"], value="M6", label="Thread")
        with gr.Row():
            gr.Button("Reorder")
        gr.State([])
    return demo, name, size


@pytest.fixture
def counted(monkeypatch):
    """How many component configs are built."""
    calls = []
    original = BlocksConfig.config_for_block

    def counting(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(BlocksConfig, "config_for_block", staticmethod(counting))
    return calls


def test_a_new_session_builds_no_component_config(page, counted):
    demo, *_ = page
    SessionState(demo)
    assert len(counted) == len(demo.blocks)  # what Gradio's own session costs
    counted.clear()
    LazySession(demo)
    assert counted == []


def test_it_has_gradios_attributes(page):
    demo, *_ = page
    assert set(vars(LazySession(demo))) - {"_page_ids"} == set(vars(SessionState(demo)))


def test_its_component_configs_are_gradios(page):
    demo, name, size = page
    eager, lazy = SessionState(demo), LazySession(demo)
    assert list(lazy.components) == list(eager.components)
    assert [c["id"] for c in lazy.components] == list(demo.blocks)  # page order


def test_a_sessions_own_changes_show_in_its_configs(page):
    demo, name, size = page
    eager, lazy = SessionState(demo), LazySession(demo)
    for session in (eager, lazy):
        session[size._id] = gr.Dropdown(["M10"], value="M10", label="Thread")
        session._update_value_in_config(name._id, "hinge")
    assert list(lazy.components) == list(eager.components)
    assert {c["id"]: c for c in lazy.components}[name._id]["props"]["value"] == "hinge"


def test_once_installed_gradio_starts_lazy_sessions(page, monkeypatch):
    monkeypatch.setattr(gradio.state_holder, "SessionState", SessionState)  # restored afterwards
    demo, name, _ = page
    use_lazy_sessions()
    holder = StateHolder()
    holder.set_blocks(demo)
    session = holder["a-new-visitor"]
    assert isinstance(session, LazySession)
    assert holder["a-new-visitor"] is session
    assert session[name._id] is demo.blocks[name._id]
