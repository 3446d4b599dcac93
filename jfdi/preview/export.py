"""Take it home: the component as a minimal Vite + React + TypeScript + Tailwind project (a zip)
that builds with `npm install && npm run build`.

The project uses what the preview uses: the same React, the libraries the component imports
(lucide-react, clsx, ...) at the versions vendored for the preview, and the compiler options the
type-check uses (project/tsconfig.json), so code that passed the checks builds."""

from __future__ import annotations

import io
import json
import re
import zipfile
from functools import lru_cache
from pathlib import Path

from .sources import DEFAULT_NAME, SourceFile, main_file, split_files
from .srcdoc import HERE, STATIC_DIR

TEMPLATE = HERE / "project"
# The build tools; everything else comes from the preview's and the checker's pinned versions.
BUILD_TOOLS = {
    "vite": "8.3.8",
    "@vitejs/plugin-react": "6.3.0",
    "tailwindcss": "4.3.5",
    "@tailwindcss/vite": "4.3.5",
}
LIBRARIES = ("lucide-react", "clsx", "classnames", "tailwind-merge")
_IMPORT = re.compile(r"""(?:^|[\s;])(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]""", re.M)


@lru_cache(maxsize=1)
def _versions() -> dict[str, str]:
    vendored = json.loads((STATIC_DIR / "VERSIONS.json").read_text())
    checker = json.loads((HERE / "checker" / "package.json").read_text())["dependencies"]
    return {**{name: entry["version"] for name, entry in vendored.items()}, **checker}


def project_name(code: str) -> str:
    """The component's name, for the file names: the main file's default export or last component."""
    main = main_file(split_files(code))
    if main is None:
        return "Component"
    match = re.search(r"export\s+default\s+(?:function\s+|class\s+)?([A-Z]\w*)", main.code)
    components = main.components()
    return match.group(1) if match else (components[-1][0] if components else Path(main.path).stem or "Component")


def project_files(code: str) -> dict[str, str]:
    """Every file of the project, by path: the template, package.json, App.tsx and the component."""
    files = split_files(code)
    main = main_file(files)
    if main is None:
        raise ValueError("there is no code to export")
    name = project_name(code)
    places = {f.path: _src_path(f, name) for f in files}
    out: dict[str, str] = {}
    for path in sorted(TEMPLATE.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            out[path.relative_to(TEMPLATE).as_posix()] = text.replace("{title}", name).replace("{component}", places[main.path])
    sources = {f"src/{places[f.path]}": f.code.rstrip() + "\n" for f in files}
    component_path = f"src/{places[main.path]}"
    sources[component_path], app = _app(main, name, places[main.path], sources[component_path])
    out.update(sources)
    out["src/App.tsx"] = app
    out["package.json"] = json.dumps(_package_json(name, "\n".join(f.code for f in files)), indent=2) + "\n"
    return out


def project_zip(code: str) -> bytes:
    """The project as a zip with one top-level folder named after the component."""
    name = project_name(code)
    folder = re.sub(r"[^\w.-]+", "-", name).strip("-") or "component"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in project_files(code).items():
            archive.writestr(f"{folder}/{path}", text)
    return buffer.getvalue()


def _src_path(file: SourceFile, name: str) -> str:
    """Where a file goes under src/: an unnamed file is named after its component, and the
    project's own App.tsx keeps its name."""
    path = file.path.removeprefix("src/")
    if path == DEFAULT_NAME:
        path = f"{name}.tsx"
    return "App.component.tsx" if path == "App.tsx" else path


def _app(main: SourceFile, name: str, place: str, code: str) -> tuple[str, str]:
    """App.tsx renders what the preview renders; a component that is not exported gets a default
    export so that App can import it."""
    module = "./" + re.sub(r"\.(tsx|ts|jsx|js)$", "", place)
    components = main.components()
    if main.has_default_export:
        line = f'import Component from "{module}";'
    elif components and components[-1][1]:
        line = f'import {{ {components[-1][0]} as Component }} from "{module}";'
    else:
        code = code + f"\nexport default {name};\n"
        line = f'import Component from "{module}";'
    app = (
        f'import type {{ ComponentProps }} from "react";\n{line}\n\n'
        "// The component's props, if it takes any (the preview gave it empty samples): pass real data here.\n"
        "const props = {} as ComponentProps<typeof Component> & object;\n\n"
        "export default function App() {\n  return <Component {...props} />;\n}\n"
    )
    return code, app


def _package_json(name: str, code: str) -> dict:
    versions = _versions()
    imported = {m.group(1) or m.group(2) for m in _IMPORT.finditer(code)}
    libraries = {lib: versions[lib] for lib in LIBRARIES if lib in imported}
    return {
        "name": re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower() or "component",
        "private": True,
        "version": "0.1.0",
        "type": "module",
        "scripts": {"dev": "vite", "build": "tsc --noEmit && vite build", "preview": "vite preview"},
        "dependencies": {"react": versions["react"], "react-dom": versions["react-dom"], **libraries},
        "devDependencies": {
            **BUILD_TOOLS,
            "typescript": versions["typescript"],
            "@types/react": versions["@types/react"],
            "@types/react-dom": versions["@types/react-dom"],
        },
    }
