from jfdi.edits.diff import project_diff


def test_the_diff_shows_changed_added_and_removed_files_and_nothing_else():
    previous = {"src/App.tsx": "a\nb\nc\n", "src/old.ts": "x\n", "src/same.ts": "s"}
    new = {"src/App.tsx": "a\nB\nc", "src/new.ts": "y\n", "src/same.ts": "s\n"}
    diff = project_diff(previous, new)
    assert diff.splitlines() == [
        "--- a/src/App.tsx", "+++ b/src/App.tsx", "@@ -1,3 +1,3 @@", " a", "-b", "+B", " c",
        "--- /dev/null", "+++ b/src/new.ts", "@@ -0,0 +1 @@", "+y",
        "--- a/src/old.ts", "+++ /dev/null", "@@ -1 +0,0 @@", "-x",
    ]
    assert project_diff(new, new) == ""
