"""The files behind the download buttons, under <data dir>/downloads.

A file is written only when someone asks for it, at <hash of the project>/<its name>, so asking
again for the same project hands out the same file. A Space runs for weeks: what nobody asked for
in a day is removed when the app starts."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable

from ..preview.export import project_name, project_zip
from ..project import Files, entry_of

DAY_S = 24 * 3600.0


class Downloads:
    def __init__(self, folder: Path):
        self.folder = folder

    def main_file(self, files: Files) -> Path | None:
        """The entry file, under its own name (App.tsx); None when there is no code."""
        path = entry_of(files).path
        if path is None or not files[path].strip():
            return None
        text = files[path] if files[path].endswith("\n") else files[path] + "\n"
        return self._keep(files, path.rpartition("/")[2], lambda: text.encode("utf-8"))

    def project(self, files: Files) -> Path | None:
        """The project as a Vite project, <Name>-vite-project.zip; None when there is no code."""
        if not any(text.strip() for text in files.values()):
            return None
        return self._keep(files, f"{project_name(files)}-vite-project.zip", lambda: project_zip(files))

    def prune(self, max_age_s: float = DAY_S) -> int:
        """Remove what was last written or handed out more than `max_age_s` ago; returns how many
        entries (folders or files directly under the folder) went."""
        if not self.folder.is_dir():
            return 0
        cutoff = time.time() - max_age_s
        removed = 0
        for entry in self.folder.iterdir():
            if _newest_mtime(entry) >= cutoff:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
        return removed

    def _keep(self, files: Files, name: str, content: Callable[[], bytes]) -> Path:
        key = json.dumps(list(files.items()), ensure_ascii=False).encode("utf-8")
        path = self.folder / hashlib.sha256(key).hexdigest()[:32] / name
        if path.exists():
            os.utime(path)  # handed out again: young again for prune
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside it and renamed into place: a concurrent click never gets half a file.
        fd, staging = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(content())
            os.replace(staging, path)
        except BaseException:
            Path(staging).unlink(missing_ok=True)
            raise
        return path


def _newest_mtime(entry: Path) -> float:
    stamps = [entry.lstat().st_mtime]
    if entry.is_dir() and not entry.is_symlink():
        stamps += [p.lstat().st_mtime for p in entry.rglob("*")]
    return max(stamps)
