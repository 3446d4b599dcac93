"""pyproject.toml's and requirements*.txt's dependencies, read as pip reads them."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent


def pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def dependencies(*extras: str) -> list[Requirement]:
    """The core dependencies with no extra named, else those of the extras named."""
    project = pyproject()
    lines = [line for extra in extras for line in project["optional-dependencies"][extra]] if extras else project["dependencies"]
    return [Requirement(line) for line in lines]


def requirements_file(name: str) -> tuple[list[str], list[Requirement]]:
    """The files a requirements file includes (-r) and its requirements."""
    includes, requirements = [], []
    for raw in (REPO / name).read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line.startswith("-r "):
            includes.append(line[3:].strip())
        elif line and not line.startswith("#"):
            requirements.append(Requirement(line))
    return includes, requirements


def installed_closure(requirements: list[Requirement]) -> set[str]:
    """The distributions these requirements install, with what they depend on (their own extras aside)."""
    seen: set[str] = set()
    pending = [r for r in requirements if not r.marker or r.marker.evaluate()]
    while pending:
        name = canonicalize_name(pending.pop().name)
        if name in seen:
            continue
        seen.add(name)
        try:
            needs = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in needs:
            requirement = Requirement(line)
            if not requirement.marker or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement)
    return seen
