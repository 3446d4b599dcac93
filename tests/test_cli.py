"""The CLI contract of ARCHITECTURE.md, run as a user runs it: a subprocess, loopback services."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.loopback import Reply, closed_port

CODE = 'export default function ReorderForm() {\n  return <form className="space-y-4">SKU</form>;\n}'
SUMMARY = re.compile(r"^provider=(\S+) model=(\S+) attempts=(\d+) ttft_s=(\S+) total_s=(\S+)((?: \w+=\S+)*)$")
APP = 'import { TrendChart } from "./components/TrendChart";\n\nexport default function App() {\n  return <TrendChart />;\n}'
CHART = 'import { LineChart } from "recharts";\nimport { UCL } from "../lib/limits";\n\nexport function TrendChart() {\n' \
        '  return <LineChart width={UCL} height={200} />;\n}'
PROJECT = (f"Here is the project.\n\n```tsx src/App.tsx\n{APP}\n```\n\n"
           f"**src/components/TrendChart.tsx**\n```tsx\n{CHART}\n```\n\n"
           "```ts\n// src/lib/limits.ts\nexport const UCL = 400;\n```\n")


@pytest.fixture
def cli(tmp_path, anthropic_server, openai_server):
    base = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PYTHONPATH": str(REPO),
        "JFDI_DATA_DIR": str(tmp_path / "data"),
        "JFDI_LOCAL_MODEL": str(tmp_path / "no-such-model"),
        "JFDI_TIMEOUT_S": "5",
        "ANTHROPIC_BASE_URL": anthropic_server.url,
        "OPENROUTER_BASE_URL": f"{openai_server.url}/api/v1",
        "OLLAMA_HOST": f"127.0.0.1:{closed_port()}",
    }

    def run(*args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "jfdi", *args],
            cwd=tmp_path, env={**base, **env}, capture_output=True, text=True, timeout=60,
        )

    return run


def test_generate_prints_only_the_code_and_a_summary_line(cli, anthropic_server):
    anthropic_server.enqueue(Reply(text=f"Here you go:\n\n```tsx\n{CODE}\n```\nEnjoy!"))
    result = cli("generate", "Build an inventory reorder form", ANTHROPIC_API_KEY="sk-ant-test")
    assert result.returncode == 0, result.stderr
    assert result.stdout == CODE + "\n"
    match = SUMMARY.match(result.stderr.strip().splitlines()[-1])
    assert match and match.group(1) == "claude" and match.group(3) == "1" and match.group(6) == " continues=0 edit=none files=1"
    assert float(match.group(4)) <= float(match.group(5))
    assert "Traceback" not in result.stderr


def test_an_answer_cut_off_at_the_token_limit_is_continued_and_counted(cli, anthropic_server):
    cut = CODE.index("SKU")
    anthropic_server.enqueue(Reply(text=f"```tsx\n{CODE[:cut]}", stop="max_tokens"), Reply(text=f"{CODE[cut:]}\n```\n"))
    result = cli("generate", "Build an inventory reorder form", ANTHROPIC_API_KEY="sk-ant-test")
    assert result.returncode == 0, result.stderr
    assert result.stdout == CODE + "\n"
    lines = result.stderr.strip().splitlines()
    assert "Claude hit the token limit; continuing the answer (1 of 2)" in lines
    assert not any(line.startswith("continuing on") for line in lines), "the continuation is announced once"
    assert lines[-2] == "continued 1× after the token limit"
    assert SUMMARY.match(lines[-1]).group(6) == " continues=1 edit=none files=1"
    assert json.loads(cli("history", "--json").stdout)[0]["continues"] == 1


def test_an_answer_still_cut_off_after_the_last_continuation_exits_1_without_code(cli, anthropic_server):
    pieces = ("```tsx\nexport default", " function", " Reorder")
    anthropic_server.enqueue(*[Reply(text=piece, stop="max_tokens") for piece in pieces])
    result = cli("generate", "Build an inventory reorder form", ANTHROPIC_API_KEY="sk-ant-test", JFDI_MAX_CONTINUES="2")
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[-3].startswith("error: cut off at the token limit after 2 continuations: incomplete")
    generation_id = json.loads(cli("history", "--json").stdout)[0]["id"]
    assert lines[-2] == f"the cut-off answer is kept in the history: python -m jfdi history --json (id {generation_id})"
    assert SUMMARY.match(lines[-1]).group(6) == " continues=2 edit=none files=1"
    assert len(anthropic_server.requests) == 3 and "Traceback" not in result.stderr
    assert cli("history").stdout.splitlines()[1].split()[1] == "incomplete", "the history list says what it is"


def test_generate_out_writes_every_file_and_stdout_keeps_the_main_file(cli, anthropic_server, tmp_path):
    anthropic_server.enqueue(Reply(text=PROJECT))
    out = tmp_path / "oee-dashboard"
    result = cli("generate", "An OEE dashboard with a trend chart", "--out", str(out), ANTHROPIC_API_KEY="sk-ant-test")
    assert result.returncode == 0, result.stderr
    assert result.stdout == APP + "\n", "stdout is the main file only"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["src/App.tsx", "src/components/TrendChart.tsx", "src/lib/limits.ts"]
    assert (out / "src/components/TrendChart.tsx").read_text() == CHART + "\n"
    assert (out / "src/lib/limits.ts").read_text() == "export const UCL = 400;\n"
    assert SUMMARY.match(result.stderr.strip().splitlines()[-1]).group(6) == " continues=0 edit=none files=3"
    items = json.loads(cli("history", "--json").stdout)
    assert list(items[0]["files"]) == ["src/App.tsx", "src/components/TrendChart.tsx", "src/lib/limits.ts"]
    assert items[0]["files"]["src/lib/limits.ts"] == "export const UCL = 400;" and items[0]["code"] == APP


def test_generate_out_refuses_what_would_leave_the_folder_and_says_why(cli, anthropic_server, tmp_path):
    escape = PROJECT + "```ts ../../../escaped.ts\nexport const x = 1;\n```\n```py src/etl.py\nprint(1)\n```\n"
    anthropic_server.enqueue(Reply(text=escape))
    out = tmp_path / "work" / "out"
    result = cli("generate", "An OEE dashboard", "--out", str(out), ANTHROPIC_API_KEY="sk-ant-test")
    assert result.returncode == 0, result.stderr
    assert "left out: '../../../escaped.ts' leaves the project" in result.stderr
    assert "src/etl.py is not part of a React + TypeScript project" in result.stderr
    everything = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file() and "data" not in p.parts)
    assert everything == ["work/out/src/App.tsx", "work/out/src/components/TrendChart.tsx", "work/out/src/lib/limits.ts"]


def test_generate_out_to_a_file_is_bad_input_and_calls_nothing(cli, anthropic_server, tmp_path):
    (tmp_path / "taken").write_text("x")
    result = cli("generate", "A form", "--out", str(tmp_path / "taken"), ANTHROPIC_API_KEY="sk-ant-test")
    assert result.returncode == 2 and "is not a folder" in result.stderr and anthropic_server.requests == []


@pytest.mark.parametrize("answer, reason", [
    ("".join(f"```ts src/lib/f{i}.ts\nexport const f{i} = {i};\n```\n" for i in range(200)),
     "the project has 200 files; JFDI takes at most 50"),
    (f"```tsx src/App.tsx\n{CODE}\n```\n```ts src/data/big.ts\nexport const rows = '{'x' * 5_000_000}';\n```\n",
     "src/data/big.ts is 5.0 MB; a file may be at most 1.0 MB"),
])
def test_an_answer_too_large_to_be_a_project_is_unusable_and_writes_nothing(cli, anthropic_server, tmp_path, answer, reason):
    anthropic_server.enqueue(Reply(text=answer))
    out = tmp_path / "out"
    result = cli("generate", "Everything", "--out", str(out), ANTHROPIC_API_KEY="sk-ant-test")
    assert result.returncode == 1 and reason in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == "" and not out.exists()


def test_generate_falls_back_and_says_so(cli, anthropic_server, openai_server):
    anthropic_server.enqueue(Reply(status=529, error="Overloaded"), Reply(status=529, error="Overloaded"))
    openai_server.enqueue(Reply(text=CODE))
    result = cli(
        "generate", "Build a form",
        ANTHROPIC_API_KEY="sk-ant-test", OPENROUTER_API_KEY="sk-or-test", JFDI_PROVIDERS="claude,openrouter",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == CODE + "\n"
    assert "Claude overloaded again; falling back to OpenRouter" in result.stderr
    assert SUMMARY.match(result.stderr.strip().splitlines()[-1]).group(1) == "openrouter"


def test_no_provider_produced_code_exits_1_naming_each(cli):
    result = cli("generate", "Build a form")
    assert result.returncode == 1
    err = result.stderr
    assert "claude: not configured" in err and "local:" in err and "openrouter: not configured" in err
    assert "Traceback" not in err and result.stdout == ""
    assert SUMMARY.match(err.strip().splitlines()[-1]).group(1) == "none"


@pytest.mark.parametrize("prompt", ["", "   \n\t"])
def test_empty_prompt_is_bad_input_and_calls_nothing(cli, anthropic_server, prompt):
    result = cli("generate", prompt, ANTHROPIC_API_KEY="sk-ant-test")
    assert result.returncode == 2
    assert "prompt is empty" in result.stderr
    assert anthropic_server.requests == []


def test_unknown_provider_lists_the_valid_names(cli):
    result = cli("generate", "x", "--provider", "gpt4")
    assert result.returncode == 2
    for name in ("auto", "claude", "local", "openrouter", "ollama"):
        assert name in result.stderr


def test_bad_setting_is_bad_input(cli):
    result = cli("generate", "x", JFDI_TIMEOUT_S="soon")
    assert result.returncode == 2 and "JFDI_TIMEOUT_S" in result.stderr and "Traceback" not in result.stderr


def test_history_json_contract(cli, anthropic_server):
    anthropic_server.enqueue(Reply(status=401, error="invalid x-api-key"), Reply(text=CODE))
    env = {"ANTHROPIC_API_KEY": "sk-ant-test"}
    assert cli("generate", "first", "--provider", "claude", **env).returncode == 1
    assert cli("generate", "second", "--workspace", "line-4", **env).returncode == 0
    items = json.loads(cli("history", "--json").stdout)
    assert [i["prompt"] for i in items] == ["second", "first"]
    required = {"id", "created_at", "workspace", "prompt", "provider", "model", "status", "error", "code", "files",
                "input_tokens", "output_tokens", "attempts"}
    assert required <= set(items[0])
    assert items[0]["status"] == "ok" and items[0]["code"] == CODE and items[0]["workspace"] == "line-4"
    assert items[0]["files"] == {"src/ReorderForm.tsx": CODE} and items[1]["files"] == {}
    assert items[1]["status"] == "error" and "invalid x-api-key" in items[1]["error"]
    attempt = items[1]["attempts"][0]
    assert {"provider", "outcome", "error", "ttft_s", "seconds"} <= set(attempt) and attempt["outcome"] == "error"
    only = json.loads(cli("history", "--json", "--workspace", "line-4", "--limit", "5").stdout)
    assert [i["prompt"] for i in only] == ["second"]


def test_status_rows_never_show_secrets(cli):
    result = cli("status", "--json", ANTHROPIC_API_KEY="sk-ant-supersecret-123456")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["name"] for r in rows] == ["claude", "local", "openrouter", "ollama"]
    claude = rows[0]
    assert claude["configured"] is True and claude["model"].startswith("claude-")
    assert rows[3]["available"] is False and "no Ollama server" in rows[3]["detail"]
    assert "supersecret" not in result.stdout
    table = cli("status", ANTHROPIC_API_KEY="sk-ant-supersecret-123456").stdout
    assert table.splitlines()[0].split() == ["name", "configured", "available", "images", "model", "detail"]


def test_share_prints_a_link_that_can_be_listed_and_revoked(cli, anthropic_server):
    anthropic_server.enqueue(Reply(text=CODE))
    assert cli("generate", "Build a reorder form", ANTHROPIC_API_KEY="sk-ant-test").returncode == 0
    generation_id = json.loads(cli("history", "--json").stdout)[0]["id"]
    made = cli("share", generation_id)
    assert made.returncode == 0, made.stderr
    path = made.stdout.strip()
    assert re.fullmatch(r"/share/[A-Za-z0-9_-]{32}", path) and made.stdout.endswith("\n")
    assert generation_id not in path, "the link holds a random token, not the generation id"
    assert "JFDI_AUTH is not set" in made.stderr
    public = cli("share", generation_id, "--public", JFDI_AUTH="ana:pw")
    assert public.returncode == 0 and "without logging in" in public.stderr
    listed = cli("share", "--list").stdout.splitlines()
    assert listed[0].split()[:5] == ["path", "generation", "access", "created_at", "state"]
    assert [row.split()[2] for row in listed[1:]] == ["public", "login"], "newest first"
    assert all("Build a reorder form" in row for row in listed[1:])
    revoked = cli("share", "--revoke", path.rsplit("/", 1)[1])
    assert revoked.returncode == 0 and f"revoked {path}" in revoked.stderr
    assert "revoked" in cli("share", "--list").stdout.splitlines()[2]


def test_share_refuses_an_unknown_generation_or_link_as_bad_input(cli):
    unknown = cli("share", "0f6c2d4e8a9b4c1d9e7f6a5b4c3d2e1f")
    assert unknown.returncode == 2 and "no generation" in unknown.stderr and not unknown.stdout
    revoked = cli("share", "--revoke", "Vq3kZ7mN2pR8sT4wX6yA1bC5dE9fG0hJ")
    assert revoked.returncode == 2 and "no share link" in revoked.stderr
    assert cli("share").returncode == 2, "an id, --list or --revoke"
    empty = cli("share", "--list")
    assert empty.returncode == 0 and not empty.stdout and "no share links yet" in empty.stderr


GREEN_EDIT = ("src/ReorderForm.tsx\n<<<<<<< SEARCH\n  return <form className=\"space-y-4\">SKU</form>;\n=======\n"
              "  return <form className=\"space-y-4 text-green-700\">SKU</form>;\n>>>>>>> REPLACE\n")


def test_generate_parent_follows_up_a_generation_with_edits(cli, anthropic_server):
    anthropic_server.enqueue(Reply(text=f"```tsx\n{CODE}\n```"), Reply(text=f"Sure:\n```tsx\n{GREEN_EDIT}```"))
    assert cli("generate", "Build an inventory reorder form", ANTHROPIC_API_KEY="sk-ant-test").returncode == 0
    [first] = json.loads(cli("history", "--json").stdout)
    result = cli("generate", "make the text green", "--parent", first["id"], ANTHROPIC_API_KEY="sk-ant-test")
    assert result.returncode == 0, result.stderr
    assert result.stdout == CODE.replace('space-y-4"', 'space-y-4 text-green-700"') + "\n"
    assert SUMMARY.match(result.stderr.strip().splitlines()[-1]).group(6) == " continues=0 edit=applied files=1"
    sent = anthropic_server.requests[-1].body
    assert [m["role"] for m in sent["messages"]] == ["user", "assistant", "user"], "the parent's conversation continues"
    assert "<<<<<<< SEARCH" in str(sent["system"]) and CODE in sent["messages"][-1]["content"]
    second, again = json.loads(cli("history", "--json").stdout)
    assert second["parent_id"] == first["id"] and again["parent_id"] is None
    assert second["workspace"] == first["workspace"] and second["edit"]["mode"] == "applied"


def test_generate_parent_unknown_is_bad_input_and_elided_code_twice_is_a_failure(cli, anthropic_server):
    unknown = cli("generate", "make it green", "--parent", "nope", ANTHROPIC_API_KEY="sk-ant-test")
    assert unknown.returncode == 2 and "no generation 'nope' in the log" in unknown.stderr and "Traceback" not in unknown.stderr
    elided = "```tsx src/ReorderForm.tsx\nexport default function ReorderForm() {\n  // ... rest of the form unchanged\n}\n```"
    anthropic_server.enqueue(Reply(text=f"```tsx\n{CODE}\n```"), Reply(text=elided), Reply(text=elided))
    cli("generate", "Build an inventory reorder form", ANTHROPIC_API_KEY="sk-ant-test")
    [first] = json.loads(cli("history", "--json").stdout)
    result = cli("generate", "make the text green", "--parent", first["id"], ANTHROPIC_API_KEY="sk-ant-test")
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[-2].startswith("error: kept the previous version: the answer elided code")
    assert " edit=none " in lines[-1] and "Traceback" not in result.stderr


def test_history_versions_lists_the_conversations_timeline_oldest_first(cli, tmp_path):
    from jfdi.generation import Generation
    from jfdi.store import Store

    store = Store(tmp_path / "data" / "jfdi.db")

    def version(prompt: str, minute: int, parent: str | None, kind: str, conversation: str | None = None) -> str:
        gen = Generation(prompt=prompt, created_at=f"2026-12-07T09:{minute:02d}:00.000Z", parent_id=parent, kind=kind,
                         conversation_id=conversation or "", text=f"```tsx\n{CODE}\n```")
        gen.status, gen.provider = "ok", None if kind in ("edit", "restore", "fork") else "claude"
        gen.files = gen.answer.files
        store.save(gen.to_record())
        return gen.id

    first = version("Build a reorder form", 1, None, "answer")
    second = version("Make it green", 2, first, "answer", first)
    edit = version("Edited by hand", 3, second, "edit", first)
    version("Forked from: Make it green", 4, second, "fork")
    version("Another tool", 5, None, "answer")
    store.set_checks(second, {"ok": True, "runtime_errors": []})
    store.close()

    listed = cli("history", "--versions", second, "--json")
    assert listed.returncode == 0, listed.stderr
    items = json.loads(listed.stdout)
    assert [(i["id"], i["parent_id"], i["kind"]) for i in items] == [(first, None, "answer"), (second, first, "answer"),
                                                                     (edit, second, "edit")]
    assert items[1]["files"] == {"src/ReorderForm.tsx": CODE}
    assert json.loads(cli("history", "--versions", first, "--json").stdout) == items, "any version names its conversation"

    table = cli("history", "--versions", edit).stdout.splitlines()
    assert table[0].split() == ["#", "id", "created_at", "kind", "parent", "status", "provider", "checks", "prompt"]
    assert [row.split()[:2] for row in table[1:]] == [["1", first], ["2", second], ["3", edit]]
    assert table[2].split()[3:8] == ["answer", "1", "ok", "claude", "passed"]
    assert table[3].split()[3:8] == ["edit", "2", "ok", "-", "not"]

    unknown = cli("history", "--versions", "no-such-id")
    assert unknown.returncode == 2 and "no generation 'no-such-id'" in unknown.stderr and "Traceback" not in unknown.stderr
    assert unknown.stdout == ""


def test_a_data_folder_that_cannot_be_made_is_bad_input_not_a_traceback(cli, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = cli("history", JFDI_DATA_DIR=str(blocker / "data"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "JFDI_DATA_DIR" in result.stderr and str(blocker / "data") in result.stderr


def test_app_py_with_a_bad_setting_says_which_and_exits_2(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "app.py")], cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(REPO), "JFDI_TIMEOUT_S": "soon"},
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "error: JFDI_TIMEOUT_S='soon' is not a number"


def test_a_prompt_typed_in_a_latin_1_terminal_is_read_not_blamed_on_the_provider(cli, anthropic_server, tmp_path):
    """A terminal (or a script) that sends Windows-1252 bytes: Python keeps them as lone surrogates,
    which no provider and no database takes."""
    anthropic_server.enqueue(Reply(text=f"```tsx\n{CODE}\n```"))
    result = subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"jfdi", b"generate", b"Caf\xe9 reorder form, \xb5m tolerances"],
        cwd=tmp_path, capture_output=True, timeout=60,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(REPO), "LANG": "C.UTF-8",
             "JFDI_DATA_DIR": str(tmp_path / "data"), "JFDI_PROVIDERS": "claude", "ANTHROPIC_API_KEY": "sk-ant-test",
             "ANTHROPIC_BASE_URL": anthropic_server.url},
    )
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr and "not UTF-8" in stderr
    assert "Café reorder form, µm tolerances" in json.dumps(anthropic_server.requests[-1].body, ensure_ascii=False)
    history = cli("history", "--json")
    assert json.loads(history.stdout)[0]["prompt"] == "Café reorder form, µm tolerances"


@pytest.mark.parametrize("command", [("generate", "a long inspection log"), ("history", "--json")])
def test_a_reader_that_stops_early_is_no_traceback(cli, anthropic_server, tmp_path, command):
    """`python -m jfdi generate ... | head -1`: the reader closes the pipe once it has a line."""
    long_code = "\n".join(f"// inspection point {i}" for i in range(20000)) + "\n" + CODE
    anthropic_server.default = Reply(text=f"```tsx\n{long_code}\n```")
    assert cli("generate", "a long inspection log", ANTHROPIC_API_KEY="sk-ant-test").returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "jfdi", *command], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(REPO), "JFDI_DATA_DIR": str(tmp_path / "data"),
             "JFDI_PROVIDERS": "claude", "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": anthropic_server.url},
    )
    assert process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141, stderr
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr


@pytest.mark.parametrize("name, says", [("", "empty"), ("plant/2", "starts with a letter"), ("x" * 41, "keep it to 40")])
def test_a_workspace_name_the_app_would_refuse_is_bad_input(cli, name, says):
    result = cli("generate", "Build a form", "--workspace", name, ANTHROPIC_API_KEY="sk-ant-test")
    assert result.returncode == 2
    assert says in result.stderr and "Traceback" not in result.stderr


def test_a_workspace_named_in_another_case_is_the_same_workspace(cli, anthropic_server, tmp_path):
    from jfdi.store import Store
    from jfdi.store.workspaces import add_workspace

    store = Store(tmp_path / "data" / "jfdi.db")
    add_workspace(store, "Line 2", shared=False)
    store.close()
    anthropic_server.enqueue(Reply(text=CODE))
    assert cli("generate", "Build a form", "--workspace", " line  2 ", ANTHROPIC_API_KEY="sk-ant-test").returncode == 0
    assert json.loads(cli("history", "--json").stdout)[0]["workspace"] == "Line 2"
    assert json.loads(cli("history", "--json", "--workspace", "Line 2").stdout), "the workspace's history lists it"


def test_ctrl_c_while_a_document_is_read_is_exit_130_without_a_traceback(tmp_path):
    from tests import document_files

    scan = document_files.scanned_po_image(tmp_path / "po-scan.png")
    process = subprocess.Popen(
        [sys.executable, "-m", "jfdi", "generate", "a receiving form for this PO", "--doc", str(scan)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(REPO), "JFDI_DATA_DIR": str(tmp_path / "data"),
             "JFDI_DOC_ENGINE": "ocr", "JFDI_PROVIDERS": "claude"},
    )
    first = process.stderr.readline()
    assert "po-scan.png" in first, first
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=120)
    assert process.returncode == 130, rest
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest
    assert rest.strip().splitlines()[-1] == "interrupted"
