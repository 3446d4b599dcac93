"""The files behind the download buttons, under <data dir>/downloads.

A file is written only when someone asks for it, at <hash of the code>/<its name>, so asking
again for the same code hands out the same file. A Space runs for weeks: what nobody asked for
in a day is removed when the app starts."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable

from ..preview.export import project_name, project_zip

DAY_S = 24 * 3600.0


class Downloads:
    def __init__(self, folder: Path):
        self.folder = folder

    def component(self, code: str) -> Path | None:
        """The code as <ComponentName>.tsx; None when there is no code."""
        if not code.strip():
            return None
        text = code if code.endswith("\n") else code + "\n"
        return self._keep(code, f"{project_name(code)}.tsx", lambda: text.encode("utf-8"))

    def project(self, code: str) -> Path | None:
        """The code as a Vite project, <ComponentName>-vite-project.zip; None when there is no code."""
        if not code.strip():
            return None
        return self._keep(code, f"{project_name(code)}-vite-project.zip", lambda: project_zip(code))

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

    def _keep(self, code: str, name: str, content: Callable[[], bytes]) -> Path:
        path = self.folder / hashlib.sha256(code.encode("utf-8")).hexdigest()[:32] / name
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
