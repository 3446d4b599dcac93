import pytest

from jfdi.config import load_settings
from jfdi.errors import ConfigError
from jfdi.providers import PROVIDERS


def test_defaults(tmp_path):
    s = load_settings({}, env_file=tmp_path / "none")
    assert s.providers == ("claude", "local", "openrouter")
    assert s.timeout_s == 60 and s.local_quant == "auto"
    assert s.claude_model.startswith("claude-sonnet")
    assert s.openrouter_base_url == "https://openrouter.ai/api/v1"
    assert str(s.db_path).endswith("data/jfdi.db")
    assert s.anthropic_api_key is None and s.openrouter_api_key is None
    assert s.max_continues == 2


def test_continuing_after_the_token_limit_can_be_turned_off(tmp_path):
    assert load_settings({"JFDI_MAX_CONTINUES": "0"}, env_file=tmp_path / "x").max_continues == 0
    assert load_settings({"JFDI_MAX_CONTINUES": "5"}, env_file=tmp_path / "x").max_continues == 5


def test_env_file_is_read_and_the_environment_wins(tmp_path):
    env = tmp_path / ".env"
    env.write_text("ANTHROPIC_API_KEY=from-file\nJFDI_TIMEOUT_S=30\nJFDI_PROVIDERS=ollama, claude\n")
    s = load_settings({"JFDI_TIMEOUT_S": "12"}, env_file=env)
    assert s.anthropic_api_key == "from-file" and s.timeout_s == 12
    assert s.providers == ("ollama", "claude")


def test_secrets_are_not_in_repr(tmp_path):
    s = load_settings({"ANTHROPIC_API_KEY": "sk-ant-secret", "OPENROUTER_API_KEY": "sk-or-secret", "JFDI_AUTH": "a:pw123"}, env_file=tmp_path / "x")
    assert "secret" not in repr(s) and "pw123" not in repr(s)


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("JFDI_TIMEOUT_S", "soon", "not a number"),
        ("JFDI_TIMEOUT_S", "-1", "greater than 0"),
        ("JFDI_PROVIDERS", " , ", "names no provider"),
        ("JFDI_LOCAL_QUANT", "2bit", "auto, 8bit, 4bit, none"),
        ("JFDI_AUTH", "justauser", "user:password"),
        ("JFDI_SHARE", "maybe", "use 1 or 0"),
        ("JFDI_MAX_CONTINUES", "-1", "at least 0"),
        ("JFDI_MAX_CONTINUES", "twice", "not a whole number"),
    ],
)
def test_bad_values_name_the_setting(tmp_path, name, value, message):
    with pytest.raises(ConfigError) as info:
        load_settings({name: value}, env_file=tmp_path / "x")
    assert name in str(info.value) and message in str(info.value)


@pytest.mark.parametrize(
    "value, expected",
    [("localhost:11434", "http://127.0.0.1:11434"), ("0.0.0.0", "http://127.0.0.1:11434"), ("http://gpu-box:8080/", "http://gpu-box:8080")],
)
def test_ollama_host_forms(tmp_path, value, expected):
    assert load_settings({"OLLAMA_HOST": value}, env_file=tmp_path / "x").ollama_host == expected


def test_an_unknown_provider_in_the_order_is_refused_with_the_registry_s_names(tmp_path):
    settings = load_settings({"JFDI_PROVIDERS": "claude,gpt"}, env_file=tmp_path / "x")
    with pytest.raises(ConfigError) as info:
        PROVIDERS.build(settings)
    assert str(info.value) == (
        "JFDI_PROVIDERS names unknown provider gpt: use a comma-separated list of claude, local, openrouter, ollama"
    )


@pytest.mark.parametrize("name", ["ANTHROPIC_BASE_URL", "OPENROUTER_BASE_URL", "CONVEX_URL"])
def test_a_url_without_its_scheme_is_refused_with_the_setting_named(tmp_path, name):
    """Else every request fails as "a connection problem", is retried, and never says which setting."""
    with pytest.raises(ConfigError) as info:
        load_settings({name: "openrouter.ai/api/v1"}, env_file=tmp_path / "x")
    assert name in str(info.value) and "https://" in str(info.value)
