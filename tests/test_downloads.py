"""The files behind the download buttons: written when asked for, one per content, pruned after a day."""

from __future__ import annotations

import io
import os
import time
import zipfile

from jfdi.ui.downloads import DAY_S, Downloads

CODE = 'export default function ReorderForm() {\n  return <form className="p-4">SKU</form>;\n}'


def project(code: str = CODE) -> dict[str, str]:
    return {"src/ReorderForm.tsx": code}


def files_under(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_the_main_file_keeps_its_name_and_is_reused_for_the_same_project(tmp_path):
    downloads = Downloads(tmp_path / "downloads")
    first = downloads.main_file(project())
    assert first.name == "ReorderForm.tsx" and first.read_text() == CODE + "\n"
    assert downloads.main_file(project()) == first and files_under(downloads.folder) == [first]
    other = downloads.main_file(project(CODE.replace("SKU", "Part number")))
    assert other != first and other.name == "ReorderForm.tsx" and len(files_under(downloads.folder)) == 2
    assert downloads.main_file({"src/App.tsx": "  \n"}) is None and downloads.main_file({}) is None
    several = {"src/lib/limits.ts": "export const MAX = 5;", "src/App.tsx": "export default function App() { return null; }"}
    main = downloads.main_file(several)
    assert main.name == "App.tsx" and main.read_text() == several["src/App.tsx"] + "\n", "the main file of a project is its entry"


def test_the_project_zip_is_a_vite_project_of_the_code(tmp_path):
    downloads = Downloads(tmp_path / "downloads")
    path = downloads.project(project())
    assert path.name == "ReorderForm-vite-project.zip"
    archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    assert archive.read("ReorderForm/src/ReorderForm.tsx").decode().startswith("export default function ReorderForm()")
    assert downloads.project(project()) == path and len(files_under(downloads.folder)) == 1
    assert downloads.project({}) is None


def test_prune_removes_what_nobody_asked_for_in_a_day(tmp_path):
    downloads = Downloads(tmp_path / "downloads")
    old = downloads.main_file(project())
    kept = downloads.project(project(CODE.replace("SKU", "Bin")))
    handed_out_again = downloads.main_file(project(CODE.replace("SKU", "Lot")))
    legacy = downloads.folder / "tmpab12cd" / "Form.tsx"  # the per-chunk folders of earlier versions
    legacy.parent.mkdir()
    legacy.write_text("x")
    two_days_ago = time.time() - 2 * DAY_S
    for path in (old, old.parent, handed_out_again, handed_out_again.parent, legacy, legacy.parent):
        os.utime(path, (two_days_ago, two_days_ago))
    assert downloads.main_file(project(CODE.replace("SKU", "Lot"))) == handed_out_again  # asked for again today
    assert downloads.prune() == 2
    assert files_under(downloads.folder) == sorted([kept, handed_out_again])
    assert Downloads(tmp_path / "never-written").prune() == 0
