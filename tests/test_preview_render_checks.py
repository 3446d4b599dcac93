"""The checks every render gets, in real Chromium through the app's own preview (host.js, the
sandboxed frame, runtime.js and audit.js, as the benchmark's renderer drives them): what a person
would see, console errors, failed imports, effects that throw, rejected promises, renders that
never finish, and accessibility (axe-core and touch targets, 24 px or 44 px with gloves)."""

from __future__ import annotations

import pytest

from jfdi.benchmark.render import Renderer
from jfdi.code import answer_files
from jfdi.config import GLOVES_TARGET_PX, TOUCH_TARGET_PX
from tests import bench_canned as canned


def app(body: str, imports: str = "") -> dict[str, str]:
    return {"src/App.tsx": f"{imports}export default function App() {{\n{body}\n}}\n"}


EFFECT = 'import { useEffect } from "react";\n'
NULL = app("  return null;")
WHITE_ON_WHITE = app('  return <div className="p-6 bg-white"><p className="text-white">Pallets: 12</p></div>;')
ZERO_SIZE = app('  return <div className="h-0 w-0 overflow-hidden"><p>Pallets: 12</p></div>;')
EFFECT_THROWS = app('  useEffect(() => { throw new Error("scanner effect broke"); }, []);\n  return <p>Scanner</p>;', EFFECT)
REJECTS = app('  useEffect(() => { Promise.reject(new Error("scanner offline")); }, []);\n  return <p>Scanner</p>;', EFFECT)
LOGS = app('  useEffect(() => { console.error("bad row", 7); console.warn("slow"); }, []);\n  return <p>Rows</p>;', EFFECT)
MISSING_MODULE = app("  return <Gauge />;", 'import Gauge from "./Gauge";\n')
LOOPS = app("  let n = 0;\n  while (n >= 0) { n += 1; }\n  return <p>{n}</p>;")
LOOPS_LATER = app("  useEffect(() => { setTimeout(() => { for (;;) {} }, 150); }, []);\n  return <p>Counting</p>;", EFFECT)
INACCESSIBLE = app(
    '  return (\n    <div className="p-4">\n      <input className="border" />\n'
    '      <button className="text-xs p-0" onClick={() => {}}>+</button>\n'
    '      <button className="text-xs p-0" onClick={() => {}}>-</button>\n'
    '      <p className="text-gray-300">Low stock</p>\n    </div>\n  );'
)
# Visible, though not as text on white: a drawing only, light text on a dark panel, gradient text.
ONLY_A_DRAWING = app('  return <svg width="120" height="80"><circle cx="40" cy="40" r="30" fill="#d97706" /></svg>;')
DARK_PANEL = app('  return <div className="bg-slate-900 p-6"><p className="text-white">Line 3 running</p></div>;')
GRADIENT_TEXT = app('  return <h1 className="m-6 text-3xl font-bold bg-gradient-to-r from-amber-500 to-red-600 bg-clip-text '
                    'text-transparent">OEE 84%</h1>;')
# A small target alone is fine at 24 px (WCAG 2.5.8's spacing exception); a checkbox counts with
# the label around it.
LONE_ICON_BUTTON = app('  return <div className="p-10"><button aria-label="Close" className="h-4 w-4 bg-slate-800" /></div>;')
LABELLED_CHECKBOX = app('  return <label className="m-4 flex h-12 w-48 items-center gap-2"><input type="checkbox" /> Passed AQL</label>;')
# 32 px high: enough for WCAG 2.2 AA's 24 px, not for a gloved finger's 44.
MEDIUM_BUTTON = app('  return <button className="h-8 px-4 bg-blue-700 text-white rounded">Save</button>;')


@pytest.fixture(scope="module")
def renderer():
    with Renderer() as renderer:
        assert renderer.available(), "Chromium is needed: apt-get install chromium"
        yield renderer


def test_a_good_component_is_visible_quiet_and_accessible(renderer):
    rendered = renderer.render(answer_files(canned.GOOD).files)
    assert rendered.renders and rendered.errors == []
    assert (rendered.blank, rendered.console_errors, rendered.a11y_violations) == (False, 0, 0), rendered.a11y
    assert 0 <= rendered.checks_ms["seen"] <= rendered.checks_ms["audited"], "the checks follow the render"


@pytest.mark.parametrize("files", [NULL, WHITE_ON_WHITE, ZERO_SIZE], ids=["null", "white-on-white", "zero-size"])
def test_a_component_with_nothing_visible_fails(renderer, files):
    rendered = renderer.render(files)
    assert rendered.blank is True and rendered.renders is False
    assert any(e.startswith("blank: the component rendered nothing visible") for e in rendered.errors)


@pytest.mark.parametrize("files", [ONLY_A_DRAWING, DARK_PANEL, GRADIENT_TEXT], ids=["drawing", "dark-panel", "gradient-text"])
def test_what_shows_other_than_dark_text_on_white_is_not_blank(renderer, files):
    rendered = renderer.render(files)
    assert rendered.renders and rendered.blank is False, rendered.errors


def test_an_effect_that_throws_is_a_render_error(renderer):
    rendered = renderer.render(EFFECT_THROWS)
    assert rendered.renders is False and "render: Error: scanner effect broke" in rendered.errors
    assert rendered.blank is None, "an error on show is not judged as blank"


def test_a_rejected_promise_and_console_errors_are_counted(renderer):
    rejected = renderer.render(REJECTS)
    assert rejected.console_errors == 1 and rejected.blank is False
    logs = renderer.render(LOGS)
    assert logs.console_errors == 1, "console.error counts, console.warn does not"


def test_a_missing_module_names_it(renderer):
    rendered = renderer.render(MISSING_MODULE)
    assert rendered.renders is False
    assert any('cannot import "./Gauge"' in e for e in rendered.errors)


def test_a_render_that_never_finishes_is_stopped_and_the_next_one_renders(renderer):
    rendered = renderer.render(LOOPS)
    assert rendered.renders is False
    assert any(e.startswith("timeout: the component did not finish rendering within 10 s") for e in rendered.errors)
    after = renderer.render(answer_files(canned.GOOD).files)
    assert after.renders and after.blank is False, "the page survived the endless loop"


def test_a_component_that_hangs_after_rendering_is_stopped_too(renderer):
    rendered = renderer.render(LOOPS_LATER)
    assert rendered.renders is False
    assert any(e.startswith("timeout: the component stopped responding within 10 s of rendering") for e in rendered.errors)


def test_serious_accessibility_problems_are_listed_with_rule_element_and_hint(renderer):
    rendered = renderer.render(INACCESSIBLE)
    assert rendered.renders and rendered.blank is False
    rules = {line.split(" ")[0]: line for line in rendered.a11y}
    assert {"label", "color-contrast", "touch-target"} <= set(rules), rendered.a11y
    assert rendered.a11y_violations == len(rendered.a11y)
    assert "(2 elements; the first: button \"+\")" in rules["touch-target"]
    assert "at least 24x24 px" in rules["touch-target"]


def test_a_lone_small_target_and_a_labelled_checkbox_pass_at_24_px(renderer):
    assert renderer.render(LONE_ICON_BUTTON).a11y_violations == 0
    assert renderer.render(LABELLED_CHECKBOX).a11y_violations == 0


def gloved(renderer, files):
    renderer.target_px = GLOVES_TARGET_PX  # one Playwright per process: the same browser, another setting
    try:
        return renderer.render(files)
    finally:
        renderer.target_px = TOUCH_TARGET_PX


def test_gloves_ask_for_44_px_targets(renderer):
    assert renderer.render(MEDIUM_BUTTON).a11y_violations == 0
    rendered = gloved(renderer, MEDIUM_BUTTON)
    assert rendered.a11y_violations == 1 and "at least 44x44 px (gloves" in rendered.a11y[0]
    assert gloved(renderer, LONE_ICON_BUTTON).a11y_violations == 1, "no spacing exception for gloves"
    assert gloved(renderer, LABELLED_CHECKBOX).a11y_violations == 0, "the 48 px label is the checkbox's target"
