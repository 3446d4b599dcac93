"""End to end: `python app.py` with providers on loopback servers, driven through gradio_client."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest
from gradio_client import Client
from PIL import Image

from tests.apprunner import start_app
from tests.loopback import AnthropicServer, OpenAIServer, Reply

CODE = 'export default function PurchaseOrders() {\n  return <table className="min-w-full">PO</table>;\n}'


@pytest.fixture(scope="module")
def services():
    with AnthropicServer() as claude, OpenAIServer() as openrouter:
        yield claude, openrouter


@pytest.fixture(scope="module")
def app(tmp_path_factory, services):
    claude, openrouter = services
    running = start_app(tmp_path_factory.mktemp("app"), {
        "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url,
        "OPENROUTER_API_KEY": "sk-or-test", "OPENROUTER_BASE_URL": f"{openrouter.url}/api/v1",
        "JFDI_PROVIDERS": "claude,openrouter", "JFDI_TIMEOUT_S": "5",
    })
    yield running
    running.stop()


@pytest.fixture(scope="module")
def client(app):
    return Client(app.url, verbose=False)


def test_named_endpoints_exist(client):
    assert {"/generate", "/status"} <= set(client.view_api(return_format="dict")["named_endpoints"])


def test_generate_streams_in_order_and_ends_with_code_without_fences(client, services):
    claude, _ = services
    claude.enqueue(Reply(chunks=["Here is the table:\n\n```tsx\n", *[CODE[i:i + 12] for i in range(0, len(CODE), 12)], "\n```\n"], delay_s=0.03))
    job = client.submit("a purchase-order table with sorting", "auto", api_name="/generate")
    updates = [tuple(update) for update in job]
    code, status = job.result()
    assert code == CODE and "```" not in code
    assert status.startswith("✅ Claude")
    lengths = [len(u[0]) for u in updates]
    assert len(updates) >= 5, "the code arrives in several updates"
    assert lengths == sorted(lengths), "each update extends the code: they arrive in order"


def test_generate_continues_an_answer_cut_off_at_the_token_limit_and_says_so(client, services):
    claude, _ = services
    cut = CODE.index("PO<")
    claude.enqueue(Reply(text=f"```tsx\n{CODE[:cut]}", stop="max_tokens"), Reply(text=f"{CODE[cut:]}\n```\n"))
    code, status = client.predict("a purchase-order table with sorting", "claude", api_name="/generate")
    assert code == CODE and status.startswith("✅ Claude") and "continued 1× after the token limit" in status


def test_generate_says_an_answer_still_cut_off_is_incomplete(client, services):
    claude, _ = services
    claude.enqueue(*[Reply(text=piece, stop="max_tokens") for piece in ("```tsx\n", CODE[:30], CODE[30:50])])
    _, status = client.predict("a purchase-order table with sorting", "claude", api_name="/generate")
    assert status.startswith("⚠️ cut off at the token limit after 2 continuations: incomplete") and "✅" not in status


def test_generate_returns_the_main_file_of_a_project_and_says_how_many_files(client, services):
    claude, _ = services
    rows = "export const ROWS = [{ po: 'PO-1001' }];"
    main = 'import { ROWS } from "./data/rows";\n\nexport default function App() {\n  return <p>{ROWS.length} orders</p>;\n}'
    claude.enqueue(Reply(text=f"```ts src/data/rows.ts\n{rows}\n```\n\n```tsx src/App.tsx\n{main}\n```\n"))
    code, status = client.predict("a purchase-order list", "auto", api_name="/generate")
    assert code == main
    assert status.startswith("✅ Claude") and " · 2 files · " in status


def test_fallback_shows_in_the_status(client, services):
    claude, openrouter = services
    claude.enqueue(Reply(status=529, error="Overloaded"), Reply(status=529, error="Overloaded"))
    openrouter.enqueue(Reply(text=CODE))
    code, status = client.predict("Build a form", "auto", api_name="/generate")
    assert code == CODE
    assert status.startswith("✅ OpenRouter")
    assert "Claude overloaded again; falling back to OpenRouter" in status


def test_bad_input_is_a_readable_error(client):
    with pytest.raises(Exception) as info:
        client.predict("   ", "auto", api_name="/generate")
    assert "prompt is empty" in str(info.value)


def test_status_endpoint(client):
    rows = client.predict(api_name="/status")
    by_name = {r["name"]: r for r in rows}
    assert by_name["claude"]["configured"] and by_name["claude"]["model"].startswith("claude-")
    assert "sk-ant" not in str(rows)


def test_generate_follows_up_a_generation_given_as_the_third_input(client, services):
    claude, _ = services
    claude.enqueue(Reply(text=CODE))
    _, status = client.predict("a purchase-order table", "claude", api_name="/generate")
    parent = status.rsplit("generation ", 1)[1]
    claude.enqueue(Reply(text='src/PurchaseOrders.tsx\n<<<<<<< SEARCH\n  return <table className="min-w-full">PO</table>;\n'
                              '=======\n  return <table className="min-w-full text-sm">PO</table>;\n>>>>>>> REPLACE'))
    code, status = client.predict("smaller text", "claude", parent, api_name="/generate")
    assert code == CODE.replace("min-w-full", "min-w-full text-sm") and "edited 1 file" in status
    assert [m["role"] for m in claude.requests[-1].body["messages"]] == ["user", "assistant", "user"]
    with pytest.raises(Exception, match="no generation 'nope' in the log"):
        client.predict("smaller text", "claude", "nope", api_name="/generate")


def _raw_generate(app, data: list) -> tuple[str, str]:
    """/generate over plain HTTP, as a client in another language calls it: the stream's last
    event and its data."""
    posted = httpx.post(app.url + "gradio_api/call/generate", json={"data": data}, timeout=30)
    posted.raise_for_status()
    events = []
    with httpx.stream("GET", app.url + f"gradio_api/call/generate/{posted.json()['event_id']}", timeout=60) as stream:
        events = [line for line in stream.iter_lines() if line]
    return events[-2].removeprefix("event: "), events[-1].removeprefix("data: ")


@pytest.mark.parametrize("data, says", [
    ([123, "auto", "", None], "the prompt must be text"),
    (["a form", 5, "", None], "the provider must be text"),
    (["a form", "auto", "", "form.jpg"], "a list of files"),
    (["a form", "auto", 7, None], "the parent_id must be text"),
])
def test_wrong_types_over_http_get_a_readable_error(app, data, says):
    event, payload = _raw_generate(app, data)
    assert event == "error"
    assert says in json.loads(payload)["error"]


def test_an_image_path_on_the_server_is_refused_unread(app, tmp_path):
    """A client names a file by path; only files uploaded to the app may be read, or anyone who
    can reach the API could have the server read (and send to a provider) any image on its disk."""
    secret = tmp_path / "secret.png"
    Image.new("RGB", (40, 30), "red").save(secret)
    event, payload = _raw_generate(app, ["a form from this photo", "auto", "", [{"path": str(secret)}]])
    assert event == "error"
    message = json.loads(payload)["error"]
    assert "upload" in message and str(secret) not in message


def test_an_image_uploaded_first_may_be_named_by_its_path(app, services, tmp_path):
    claude, _ = services
    claude.enqueue(Reply(text=CODE))
    photo = tmp_path / "traveler.png"
    Image.new("RGB", (40, 30), "white").save(photo)
    with photo.open("rb") as handle:
        uploaded = httpx.post(app.url + "gradio_api/upload", files={"files": handle}, timeout=30).json()[0]
    event, payload = _raw_generate(app, ["a form from this photo", "auto", "", [{"path": uploaded}]])
    assert event == "complete", payload
    assert json.loads(payload)[0][0] == CODE
    assert claude.requests[-1].body["messages"][0]["content"][0]["type"] == "image"


def test_share_with_public_not_a_boolean_is_a_readable_error(app, client, services):
    claude, _ = services
    claude.enqueue(Reply(text=CODE))
    client.predict("a purchase-order table", "auto", api_name="/generate")
    generation = _last_generation_id(app)
    posted = httpx.post(app.url + "gradio_api/call/share", json={"data": [generation, "false"]}, timeout=30)
    with httpx.stream("GET", app.url + f"gradio_api/call/share/{posted.json()['event_id']}", timeout=60) as stream:
        events = [line for line in stream.iter_lines() if line]
    assert events[-2] == "event: error"
    assert "true or false" in json.loads(events[-1].removeprefix("data: "))["error"]


def _last_generation_id(app) -> str:
    history = subprocess.run([sys.executable, "-m", "jfdi", "history", "--json", "--limit", "1"],
                             env=app.env, cwd=app.log_path.parent, capture_output=True, text=True, timeout=60)
    return json.loads(history.stdout)[0]["id"]
