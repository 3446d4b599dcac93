"""The libraries generated code may import: one list (libraries.json beside this module) that the
system prompt, the preview, the checks and the exported project all read.

React, lucide-react and the class-name helpers are in every preview frame (static/vendor.js).
The others (recharts, zod, react-hook-form, ...) are bundles of their own (static/libraries/,
built by vendor/build.mjs with their sizes and what each needs loaded first) that a frame loads
only when the code imports them. An import outside the set gets a message that names what to
use instead; versions are the pinned ones of static/VERSIONS.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"


@dataclass(frozen=True)
class Library:
    name: str
    package: str
    imports: tuple[str, ...]
    purpose: str
    example: str
    version: str
    always: bool  # in vendor.js; otherwise a bundle loaded on import
    bundle: Path | None = None
    bytes: int = 0
    requires: tuple[str, ...] = ()  # bundles (library names) to load first


@dataclass(frozen=True)
class _Advice:
    text: str
    imports: frozenset[str]
    prefixes: tuple[str, ...]


class LibrarySet:
    def __init__(self, libraries: Iterable[Library], advice: Iterable[_Advice]):
        self.libraries = tuple(libraries)
        self.advice = tuple(advice)
        self.by_import = {name: library for library in self.libraries for name in library.imports}
        self.by_name = {library.name: library for library in self.libraries}

    def provides(self, specifier: str) -> bool:
        return specifier in self.by_import

    def unavailable(self, specifier: str) -> str:
        """Why `specifier` cannot be imported, and what to use instead."""
        found = next((a.text for a in self.advice if specifier in a.imports or specifier.startswith(a.prefixes)), None)
        if found is None:
            found = f"import only {self.import_names()}, or write it in plain TypeScript"
        return f'"{specifier}" is not available (the preview runs offline with a fixed set of libraries): {found}'

    def import_names(self) -> str:
        return ", ".join(name for library in self.libraries for name in library.imports if "/" not in name or "@" in name)

    def bundles_for(self, specifiers: Iterable[str]) -> list[str]:
        """The on-import bundles the specifiers need, each after the bundles it requires."""
        ordered: list[str] = []

        def add(name: str) -> None:
            if name in ordered:
                return
            for required in self.by_name[name].requires:
                add(required)
            ordered.append(name)

        for specifier in specifiers:
            library = self.by_import.get(specifier)
            if library is not None and not library.always:
                add(library.name)
        return ordered

    def frame_registry(self) -> dict:
        """What the preview frame needs to know: which bundle provides each import name, what a
        bundle needs first, and the advice for imports outside the set."""
        return {
            "always": sorted(name for library in self.libraries if library.always for name in library.imports),
            "bundles": {
                name: library.name for library in self.libraries if not library.always for name in library.imports
            },
            "requires": {library.name: list(library.requires) for library in self.libraries if not library.always},
            "advice": [{"text": a.text, "imports": sorted(a.imports), "prefixes": list(a.prefixes)} for a in self.advice],
            "importNames": self.import_names(),
        }

    def prompt_lines(self) -> str:
        """The set as the system prompt lists it: the ones always there by name, then each other
        one as what it is for and how to import it."""
        always = ", ".join(library.imports[0] for library in self.libraries if library.always)
        rest = [f"  - {library.purpose}: {library.example}" for library in self.libraries if not library.always]
        return "\n".join([f"  - {always}", *rest])

@lru_cache(maxsize=1)
def vendored_versions() -> dict[str, str]:
    """Package -> the version the preview runs, for every package in static/ (VERSIONS.json)."""
    entries = json.loads((STATIC_DIR / "VERSIONS.json").read_text(encoding="utf-8"))
    return {name: entry["version"] for name, entry in entries.items()}


@lru_cache(maxsize=1)
def library_set() -> LibrarySet:
    spec = json.loads((HERE / "libraries.json").read_text(encoding="utf-8"))
    versions = vendored_versions()
    built = json.loads((STATIC_DIR / "libraries.json").read_text(encoding="utf-8"))
    libraries = []
    for entry in spec["libraries"]:
        bundle = built.get(entry["name"]) if entry["load"] == "on import" else None
        libraries.append(Library(
            name=entry["name"], package=entry["package"], imports=tuple(entry["imports"]), purpose=entry["for"],
            example=entry["example"], version=versions[entry["package"]], always=entry["load"] == "always",
            bundle=STATIC_DIR / bundle["file"] if bundle else None, bytes=bundle["bytes"] if bundle else 0,
            requires=tuple(bundle["requires"]) if bundle else (),
        ))
    advice = [_Advice(a["advice"], frozenset(a["imports"]), tuple(a.get("prefixes", ()))) for a in spec["alternatives"]]
    return LibrarySet(libraries, advice)
