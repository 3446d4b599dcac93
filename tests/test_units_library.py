"""The units library every generated project gets (jfdi/preview/units/units.ts): type-checked and
tested with Node's test runner by tests/units/run.mjs, and checked against the units that dataset
schemas name (jfdi/documents/units.py)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from jfdi.documents.units import UNITS
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("node") is None,
                                reason="Node.js runs the units library's tests (.ci/run installs it)")


def test_the_units_library_type_checks_and_passes_its_tests(tmp_path):
    expected = {alias: [symbol, dimension] for symbol, (dimension, aliases) in UNITS.items() if dimension != "label"
                for alias in (symbol, *aliases)}
    (tmp_path / "units.json").write_text(json.dumps(expected, ensure_ascii=False))
    done = subprocess.run(["node", "tests/units/run.mjs"], cwd=REPO, capture_output=True, text=True, timeout=180,
                          env={"PATH": shutil.which("node").rsplit("/", 1)[0] + ":/usr/bin:/bin",
                               "JFDI_UNITS_EXPECTED": str(tmp_path / "units.json")})
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "# fail 0" in done.stdout and "# skipped 0" in done.stdout
