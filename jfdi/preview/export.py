"""Take it home: the project as a minimal Vite + React + TypeScript + Tailwind project (a zip)
that builds with `npm install && npm run build`.

The project uses what the preview uses: the same React, every library the code imports at the
version the preview runs (jfdi/preview/libraries.py), and the compiler options the type-check
uses (project/tsconfig.json), so code that passed the checks builds. The generated files keep
their paths; src/main.tsx renders the entry (jfdi/project.py says which file that is). The
project's own scaffolding (package.json, index.html, vite.config.ts, tsconfig.json, main.tsx)
comes from project/: an answer's copies of those, and Tailwind 3 or PostCSS configs that
would break Tailwind 4's build, are left out and the README says so."""

from __future__ import annotations

import io
import json
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from ..project import ProjectError, check_files, component_name, components, default_export_name, entry_of, imports
from .libraries import HERE, library_set, vendored_versions

TEMPLATE = HERE / "project"
# The build tools; everything else comes from the preview's and the checker's pinned versions.
BUILD_TOOLS = {
    "vite": "8.3.8",
    "@vitejs/plugin-react": "6.3.0",
    "tailwindcss": "4.3.5",
    "@tailwindcss/vite": "4.3.5",
}
TAILWIND_IMPORT = '@import "tailwindcss";'
_LEFT_OUT = re.compile(
    r"^(package\.json|index\.html|vite\.config\.[jt]s|tsconfig\.json|src/main\.tsx|(tailwind|postcss)\.config\.\w+)$"
)


@lru_cache(maxsize=1)
def _tool_versions() -> dict[str, str]:
    return json.loads((HERE / "checker" / "package.json").read_text())["dependencies"]


def project_name(files: Mapping[str, str]) -> str:
    """The project's name, for the file names: the entry's component, else the entry file's name."""
    path = entry_of(files).path
    if path is None:
        return "Component"
    return component_name(files[path]) or Path(path).stem or "Component"


def project_files(files: Mapping[str, str]) -> dict[str, str]:
    """Every file of the project to take home, by path: the template, package.json and the
    generated files. ProjectError when there is nothing to export or the files are too many."""
    check_files(files)
    entry = entry_of(files).path
    if entry is None:
        raise ProjectError("there is no code to export")
    name = project_name(files)
    kept = {path: text for path, text in files.items() if not _LEFT_OUT.match(path) and path != "README.md"}
    left_out = [path for path in files if path not in kept]
    if entry not in kept:
        raise ProjectError(f"{entry} has no component to render: export one as the default export")
    kept[entry], import_line = _entry_import(entry, kept[entry])
    if "src/index.css" in kept and TAILWIND_IMPORT not in kept["src/index.css"]:
        kept["src/index.css"] = f"{TAILWIND_IMPORT}\n\n{kept['src/index.css']}"
    fills = {
        "{title}": name,
        "{component}": entry.removeprefix("src/"),
        "{import}": import_line,
        "{left_out}": _left_out_note(left_out),
    }
    out: dict[str, str] = {}
    for path in sorted(TEMPLATE.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for placeholder, value in fills.items():
                text = text.replace(placeholder, value)
            out[path.relative_to(TEMPLATE).as_posix()] = text
    out.update({path: text.rstrip() + "\n" for path, text in kept.items()})
    out["package.json"] = json.dumps(_package_json(name, kept), indent=2) + "\n"
    return out


def project_zip(files: Mapping[str, str]) -> bytes:
    """The project as a zip with one top-level folder named after it."""
    folder = re.sub(r"[^\w.-]+", "-", project_name(files)).strip("-") or "component"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in project_files(files).items():
            archive.writestr(f"{folder}/{path}", text)
    return buffer.getvalue()


def _entry_import(path: str, code: str) -> tuple[str, str]:
    """main.tsx imports what the preview renders: the default export, else the last component
    exported by name; a component that is not exported gets a default export."""
    module = "./" + re.sub(r"\.(tsx|ts|jsx|js|mjs)$", "", path.removeprefix("src/"))
    found = components(code)
    if default_export_name(code) is not None or re.search(r"^\s*export\s+default\b", code, re.M):
        return code, f'import Component from "{module}";'
    exported = [c for c in found if re.search(rf"^\s*export\s+(?:async\s+)?(?:function|const|let|var|class)\s+{c}\b", code, re.M)]
    if exported:
        return code, f'import {{ {exported[-1]} as Component }} from "{module}";'
    if not found:
        raise ProjectError(f"{path} has no component to render: export one as the default export")
    return code.rstrip() + f"\n\nexport default {found[-1]};\n", f'import Component from "{module}";'


def _left_out_note(paths: list[str]) -> str:
    if not paths:
        return ""
    return ("\n\nLeft out of this project, which brings its own setup (Vite, Tailwind 4): "
            + ", ".join(f"`{p}`" for p in paths) + ". JFDI's history keeps them.")


def _package_json(name: str, files: Mapping[str, str]) -> dict:
    libraries = library_set()
    versions = vendored_versions()
    imported = {specifier for code in files.values() for specifier, _ in imports(code)}
    packages = sorted({libraries.by_import[s].package for s in imported if s in libraries.by_import} - {"react"})
    tools = _tool_versions()
    return {
        "name": re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower() or "component",
        "private": True,
        "version": "0.1.0",
        "type": "module",
        "scripts": {"dev": "vite", "build": "tsc --noEmit && vite build", "preview": "vite preview"},
        "dependencies": {"react": versions["react"], "react-dom": versions["react-dom"], **{p: versions[p] for p in packages}},
        "devDependencies": {
            **BUILD_TOOLS,
            "typescript": tools["typescript"],
            "@types/react": tools["@types/react"],
            "@types/react-dom": tools["@types/react-dom"],
        },
    }
