"""A generated project: its files, {path: content}, the one form in which an answer's code is kept,
from extraction to the log, the CLI, the preview and the export.

Paths are normalised and confined: a project keeps its code under src/ (a bare `App.tsx` or a
`components/Chart.tsx` goes there) and a few config files at its top; `../`, absolute paths,
hidden files and anything else are refused with a message that says why. Limits keep a runaway
answer (or a pasted file) from reaching the preview, the checker or the disk.

The entry, the file the preview renders and the export starts from, is the file that
default-exports `App`; otherwise the one default-exporting file that no other file imports.
When that leaves a choice, `Entry.candidates` lists it and the first one (src/App.tsx first)
is used."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from .errors import BadInput

Files = dict[str, str]

MAX_FILES = 50
MAX_FILE_BYTES = 1_000_000
MAX_PROJECT_BYTES = 4_000_000
MAX_PATH = 160
# A data module (jfdi/documents/module.py) is the engineer's dataset, written by JFDI: it starts
# with the marker, may be larger than a file the model writes, and counts apart from the code.
DATA_MODULE_MARKER = "// @jfdi-dataset"
MAX_DATA_MODULE_BYTES = 8_000_000
MAX_DATA_BYTES = 16_000_000
MAX_DATA_MODULES = 20

SCRIPT_SUFFIXES = (".tsx", ".ts", ".jsx", ".js", ".mjs")
SOURCE_SUFFIXES = (*SCRIPT_SUFFIXES, ".css", ".json")
# Config files a project may have at its top (the export writes its own package.json, index.html,
# vite.config.ts and tsconfig.json: see jfdi/preview/export.py).
ROOT_FILES = (
    "package.json", "index.html", "vite.config.ts", "vite.config.js", "tsconfig.json", "tailwind.config.ts",
    "tailwind.config.js", "postcss.config.js", "postcss.config.cjs", "postcss.config.mjs", "README.md",
)
# Folders that answers write without their src/ (Next.js and CRA habits): they go under src/.
SOURCE_FOLDERS = (
    "components", "lib", "hooks", "utils", "data", "types", "pages", "features", "app", "styles", "constants",
    "context", "contexts", "services", "schemas", "views", "widgets", "charts", "forms", "tables", "api",
)
_SEGMENT = re.compile(r"^[\w@+\-][\w.@+\-]*$")
_DEFAULT_EXPORT = re.compile(r"^\s*export\s+default\b|^\s*export\s*\{[^}]*\bas\s+default\b", re.M)
_DEFAULT_NAME = re.compile(
    r"^\s*export\s+default\s+(?:async\s+)?(?:function\s*\*?\s*|class\s+)?(?P<a>[A-Za-z_$][\w$]*)|"
    r"^\s*export\s*\{[^}]*?\b(?P<b>[A-Za-z_$][\w$]*)\s+as\s+default\b",
    re.M,
)
# Top-level components: function X, const X =, class X (PascalCase: LIMIT is a constant).
_COMPONENT = re.compile(
    r"^(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\s*\*?\s*(?P<f>[A-Z]\w*?[a-z]\w*)|"
    r"(?:const|let|var)\s+(?P<v>[A-Z]\w*?[a-z]\w*)\b|class\s+(?P<c>[A-Z]\w*?[a-z]\w*))",
    re.M,
)
_IMPORT = re.compile(
    r"""^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"](?P<a>[^'"]+)['"]|"""
    r"""^\s*import\s*['"](?P<b>[^'"]+)['"]|"""
    r"""\b(?:require|import)\s*\(\s*['"](?P<c>[^'"]+)['"]\s*\)""",
    re.M,
)
_RESOLVE_SUFFIXES = (
    "", ".tsx", ".ts", ".jsx", ".js", ".mjs", ".json", ".css", "/index.tsx", "/index.ts", "/index.jsx", "/index.js",
)


class ProjectError(BadInput):
    """The files cannot be a project: a path outside it, too many files, a file too large."""


def normalise_path(name: str) -> str:
    """The project path for a file name as an answer or a user writes it; ProjectError when
    the name cannot be a file of the project."""
    raw = name
    name = name.strip().strip("`'\"*").strip().replace("\\", "/")
    if not name:
        raise ProjectError("a file has an empty name")
    if any(ord(c) < 32 for c in name) or len(name) > MAX_PATH:
        raise ProjectError(f"{_show(raw)} is not a file name JFDI can use")
    if name.startswith(("/", "~")) or re.match(r"^[A-Za-z]:/", name):
        raise ProjectError(f"{_show(raw)} is an absolute path: files are named inside the project, like src/App.tsx")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ProjectError(f"{_show(raw)} leaves the project (..): files are named inside it, like src/components/Chart.tsx")
    if not parts:
        raise ProjectError(f"{_show(raw)} names no file")
    bad = next((p for p in parts if not _SEGMENT.match(p) or p.startswith(".")), None)
    if bad is not None:
        raise ProjectError(f"{_show(raw)}: {_show(bad)} is not a name JFDI writes (hidden files and odd characters are refused)")
    if len(parts) == 1 and parts[0] in ROOT_FILES:
        return parts[0]
    if parts[0] != "src" and (len(parts) == 1 or parts[0] in SOURCE_FOLDERS):
        parts = ["src", *parts]
    if parts[0] != "src" or len(parts) < 2:
        allowed = ", ".join(ROOT_FILES[:4])
        raise ProjectError(f"{_show(raw)} is outside the project: code goes under src/, config files ({allowed}, ...) at the top")
    path = "/".join(parts)
    if not path.endswith(SOURCE_SUFFIXES):
        raise ProjectError(
            f"{path} is not part of a React + TypeScript project: keep .tsx, .ts, .css and .json files under src/"
        )
    return path


def check_files(files: Mapping[str, str]) -> None:
    """ProjectError when the files are too many or too large to be a project here (data modules
    have limits of their own)."""
    if len(files) > MAX_FILES:
        raise ProjectError(f"the project has {len(files)} files; JFDI takes at most {MAX_FILES}: ask for fewer, larger files")
    totals = {False: 0, True: 0}
    for path, text in files.items():
        size = len(text.encode("utf-8"))
        data = is_data_module(path, text)
        totals[data] += size
        limit = MAX_DATA_MODULE_BYTES if data else MAX_FILE_BYTES
        if size > limit:
            raise ProjectError(f"{path} is {_size(size)}; a {'data module' if data else 'file'} may be at most {_size(limit)}")
    if totals[False] > MAX_PROJECT_BYTES:
        raise ProjectError(f"the project is {_size(totals[False])}; JFDI takes at most {_size(MAX_PROJECT_BYTES)}")
    if totals[True] > MAX_DATA_BYTES:
        raise ProjectError(f"the project's data modules are {_size(totals[True])}; JFDI takes at most {_size(MAX_DATA_BYTES)}")


def is_data_module(path: str, text: str) -> bool:
    """Whether the file is a dataset JFDI wrote (src/data/*.ts starting with the marker)."""
    return path.startswith("src/data/") and path.endswith(".ts") and text.startswith(DATA_MODULE_MARKER)


def data_files(files: Mapping[str, str]) -> Files:
    """The project's data modules."""
    return {path: text for path, text in files.items() if is_data_module(path, text)}


def code_files(files: Mapping[str, str]) -> Files:
    """The project without its data modules: the files a model reads and writes."""
    return {path: text for path, text in files.items() if not is_data_module(path, text)}


def with_jfdi_files(files: Mapping[str, str], written: Mapping[str, str]) -> tuple[Files, tuple[str, ...]]:
    """The answer's files with the files JFDI writes (data modules, its own modules) before them;
    a file of the answer at one of their paths is replaced, with a notice: the model writes
    sample rows or its own copy, JFDI's holds the real rows and the tested code."""
    if not written:
        return dict(files), ()
    notices = tuple(f"{path} in the answer was replaced by the file JFDI writes there" for path in files if path in written)
    return {**written, **{path: text for path, text in files.items() if path not in written}}, notices


@dataclass(frozen=True)
class Named:
    """A file as an answer names it: `name` None when it gives no name."""

    name: str | None
    code: str
    language: str = ""


@dataclass(frozen=True)
class Answer:
    """The project in an answer: its files, what was left out and why (`notices`), or `error`
    (files empty) when it cannot be a project."""

    files: Files
    notices: tuple[str, ...] = ()
    error: str = ""


def project_of(blocks: Sequence[Named]) -> Answer:
    """The files of an answer's code blocks. One unnamed block is the one-file case: it is named
    after its component (src/ReorderForm.tsx). A later file with the same path replaces an
    earlier one; refused paths are left out; both with a notice."""
    notices: list[str] = []
    files: Files = {}
    counts: dict[str, int] = {}
    for block in blocks:
        if block.name is None:
            if len(blocks) > 1 and component_name(block.code) is None:
                notices.append(f"an unnamed code block ({block.code.count(chr(10)) + 1} lines) was left out: it names no file")
                continue
            path = _unnamed_path(block, files)
        else:
            try:
                path = normalise_path(block.name)
            except ProjectError as exc:
                notices.append(f"left out: {exc}")
                continue
        counts[path] = counts.get(path, 0) + 1
        files.pop(path, None)  # the last copy keeps the last place too
        files[path] = block.code
    for path, count in counts.items():
        if count > 1:
            notices.append(f"{path} is in the answer {count} times; the last one is kept")
    try:
        check_files(files)
    except ProjectError as exc:
        return Answer({}, tuple(notices), str(exc))
    return Answer(files, tuple(notices))


def _unnamed_path(block: Named, taken: Mapping[str, str]) -> str:
    name = component_name(block.code) or "App"
    suffix = ".ts" if block.language.lower() in ("ts", "typescript") and "<" not in block.code else ".tsx"
    path, number = f"src/{name}{suffix}", 2
    while path in taken:
        path, number = f"src/{name}{number}{suffix}", number + 1
    return path


# -- reading the code ----------------------------------------------------------------------------


def is_script(path: str) -> bool:
    return path.endswith(SCRIPT_SUFFIXES)


def has_default_export(code: str) -> bool:
    return bool(_DEFAULT_EXPORT.search(code))


def default_export_name(code: str) -> str | None:
    match = _DEFAULT_NAME.search(code)
    return (match["a"] or match["b"]) if match else None


def components(code: str) -> list[str]:
    """The names of the top-level components, in order."""
    return [m["f"] or m["v"] or m["c"] for m in _COMPONENT.finditer(code)]


def component_name(code: str) -> str | None:
    """The component a file is about: its default export's name, else its last component."""
    name = default_export_name(code)
    if name and name[0].isupper():
        return name
    found = components(code)
    return found[-1] if found else None


def imports(code: str) -> list[tuple[str, int]]:
    """(specifier, line) for every import, export-from, require() and import() in the code."""
    found = []
    for match in _IMPORT.finditer(code):
        specifier = match["a"] or match["b"] or match["c"]
        found.append((specifier, code.count("\n", 0, match.start(match.lastgroup)) + 1))
    return found


def is_relative(specifier: str) -> bool:
    return specifier.startswith((".", "/", "@/"))


def resolve(specifier: str, importer: str, files: Mapping[str, str]) -> str | None:
    """The project file a relative (or @/) import names, as the preview and Vite find it."""
    if specifier.startswith("@/"):
        base = "src/" + specifier[2:]
    elif specifier.startswith("/"):
        base = specifier[1:]
    else:
        base = _join(importer.rpartition("/")[0], specifier)
    for suffix in _RESOLVE_SUFFIXES:
        if base + suffix in files:
            return base + suffix
    return None


def _join(folder: str, relative: str) -> str:
    parts = folder.split("/") if folder else []
    for part in relative.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)


def import_graph(files: Mapping[str, str]) -> dict[str, list[str]]:
    """Each script and the project files it imports."""
    return {
        path: [found for spec, _ in imports(code) if is_relative(spec) and (found := resolve(spec, path, files))]
        for path, code in files.items()
        if is_script(path)
    }


def import_cycles(files: Mapping[str, str]) -> list[list[str]]:
    """Each cycle of imports between the files, as the paths around it (first path repeated)."""
    graph = import_graph(files)
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(path: str, trail: list[str]) -> None:
        state[path] = 1
        for target in graph.get(path, ()):
            if state.get(target) == 1:
                cycle = trail[trail.index(target):] + [target]
                if frozenset(cycle) not in seen:
                    seen.add(frozenset(cycle))
                    cycles.append(cycle)
            elif target not in state:
                visit(target, trail + [target])
        state[path] = 2

    for path in graph:
        if path not in state:
            visit(path, [path])
    return cycles


# -- the entry -------------------------------------------------------------------------------------


ENTRY_RULE = (
    "The entry is the file that default-exports App; without one, the only default-exporting file "
    "that no other file imports."
)


@dataclass(frozen=True)
class Entry:
    path: str | None
    # The files that could be the entry, when the rule leaves a choice; `path` is the first of them.
    candidates: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    def explain(self) -> str:
        """What the UI says when the rule leaves a choice; empty when it does not."""
        if not self.ambiguous:
            return ""
        others = ", ".join(self.candidates[1:])
        return (f"Showing {self.path}: {others} could be the entry too. {ENTRY_RULE} "
                f"Rename the component to show to App (export default function App).")


def entry_of(files: Mapping[str, str]) -> Entry:
    scripts = [p for p, code in files.items() if p.startswith("src/") and is_script(p) and not is_data_module(p, code)]
    exporting = [p for p in scripts if has_default_export(files[p])]
    apps = [p for p in exporting if default_export_name(files[p]) == "App"]
    if apps:
        return _choose(apps)
    imported = {target for targets in import_graph(files).values() for target in targets}
    roots = [p for p in exporting if p not in imported]
    if roots:
        return _choose(roots)
    if exporting:
        return _choose(exporting)
    # No default export at all: the last file with a component (the preview renders its last one).
    views = [p for p in scripts if components(files[p])] or scripts
    return Entry(views[-1] if views else None)


def _choose(paths: list[str]) -> Entry:
    ordered = sorted(paths, key=lambda p: (p != "src/App.tsx", not p.endswith((".tsx", ".jsx"))))
    return Entry(ordered[0], tuple(ordered) if len(ordered) > 1 else ())


def main_code(files: Mapping[str, str]) -> str:
    """The entry file's code: what the CLI prints and /generate returns."""
    path = entry_of(files).path
    return files[path] if path else ""


def write_tree(files: Mapping[str, str], folder: Path) -> list[Path]:
    """Write every file under `folder` at its path, creating folders as needed; the paths written.
    Every path is checked before anything is written: one that is not a normalised project path,
    or that would pass through a symbolic link (which could lead out of `folder`), raises
    ProjectError and nothing is written."""
    check_files(files)
    root = folder.resolve()
    if root.exists() and not root.is_dir():
        raise ProjectError(f"{folder} is not a folder")
    targets = []
    for path in files:
        if normalise_path(path) != path:
            raise ProjectError(f"{_show(path)} is not a project path (it would be written as {normalise_path(path)})")
        target = root.joinpath(*path.split("/"))
        for step in [*reversed(target.relative_to(root).parents[:-1]), target.relative_to(root)]:
            if (root / step).is_symlink():
                raise ProjectError(f"{folder / step} is a symbolic link: JFDI does not write through links")
        targets.append(target)
    for target, text in zip(targets, files.values()):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return targets


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


def _show(name: str) -> str:
    return repr(name[:80] + ("…" if len(name) > 80 else ""))
