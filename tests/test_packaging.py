"""pyproject.toml is the one list of dependencies: requirements.txt (what a Space installs) is its
core and every extra, requirements-dev.txt adds the `dev` extra, and the wheel carries every file
jfdi reads at run time but none of the preview checker's node_modules."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.project_metadata import REPO, dependencies, pyproject, requirements_file

SPACE_EXTRAS = ("local", "docs", "bench")


def by_name(requirements: list[Requirement]) -> dict[str, str]:
    """Name -> the requirement as pip reads it (specifiers in a fixed order, the marker normalised)."""
    table: dict[str, str] = {}
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name not in table, f"{requirement.name} is listed twice"
        specifier = ",".join(sorted(str(s) for s in requirement.specifier))
        table[name] = specifier + (f"; {requirement.marker}" if requirement.marker else "")
    return table


def test_the_extras_are_the_ones_the_readme_and_requirements_name():
    assert set(pyproject()["optional-dependencies"]) == {*SPACE_EXTRAS, "dev"}


def test_requirements_txt_is_pyproject_with_every_extra():
    includes, requirements = requirements_file("requirements.txt")
    assert includes == []
    assert by_name(requirements) == by_name(dependencies() + dependencies(*SPACE_EXTRAS))


def test_requirements_dev_txt_is_requirements_txt_with_the_dev_extra():
    includes, requirements = requirements_file("requirements-dev.txt")
    assert includes == ["requirements.txt"]
    assert by_name(requirements) == by_name(dependencies("dev"))


def test_the_core_install_has_no_torch():
    core = by_name(dependencies())
    assert not {"torch", "transformers", "bitsandbytes", "rapidocr-onnxruntime", "playwright"} & set(core)


def source_files(*paths: str) -> list[str]:
    """What this checkout holds under `paths`: tracked files and new ones git does not ignore."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs a git checkout")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", *paths], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    return [path for path in listed if (REPO / path).is_file()]


def test_the_wheel_holds_every_file_of_jfdi_and_no_node_modules(tmp_path):
    source = tmp_path / "source"
    files = source_files("pyproject.toml", "jfdi")
    for path in files:
        (source / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / path, source / path)
    # What `npm ci` leaves in the preview's Node folders (.gitignore keeps it out of git).
    for folder in ("checker", "vendor", "project"):
        module = source / "jfdi" / "preview" / folder / "node_modules" / "typescript"
        module.mkdir(parents=True)
        (module / "package.json").write_text('{"name": "typescript"}')
    build_wheel = "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))"
    build = subprocess.run([sys.executable, "-c", build_wheel, "dist"], cwd=source, capture_output=True, text=True, timeout=120)
    assert build.returncode == 0, build.stdout + build.stderr
    wheel = source / "dist" / build.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as archive:
        packaged = {name for name in archive.namelist() if not name.split("/")[0].endswith(".dist-info")}
    assert packaged == {path for path in files if path.startswith("jfdi/")}
