"""Components and projects the preview tests feed to the app, the checks and the export."""

from pathlib import Path

CASES = Path(__file__).resolve().parent


def project(name: str) -> dict[str, str]:
    """A project folder of this package as {path: content}: src/App.tsx first, then the rest by path."""
    root = CASES / name
    paths = sorted((p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()),
                   key=lambda path: (path != "src/App.tsx", path))
    return {path: (root / path).read_text() for path in paths}
