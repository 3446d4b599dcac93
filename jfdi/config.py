"""Settings, read once from the environment and an optional .env file (the environment wins).

Every setting has one name, documented in .env.example and the README. Secrets are kept out of
repr() so that a settings object can be logged or shown without leaking them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, TypeVar

from .errors import ConfigError

LOCAL_QUANTS = ("auto", "8bit", "4bit", "none")
LOCAL_FAST = ("auto", "on", "off")
DOC_ENGINES = ("auto", "dolphin", "text", "ocr")
VISION = ("auto", "on", "off")

DEFAULT_CLAUDE_MODEL = "claude-sonnet-5-5"
DEFAULT_OPENROUTER_MODEL = "anthropic/claude-sonnet-5.5"
DEFAULT_OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1"
DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434"
# Seed-Coder is not in the Ollama library; Ollama pulls GGUF builds straight from the hub.
DEFAULT_OLLAMA_MODEL = "hf.co/unsloth/Seed-Coder-8B-Instruct-GGUF:Q4_K_M"
DEFAULT_LOCAL_MODEL = "ByteDance-Seed/Seed-Coder-8B-Instruct"
DEFAULT_DOC_MODEL = "ByteDance/Dolphin-v2"


TOUCH_TARGET_PX = 24  # WCAG 2.2 AA, 2.5.8 Target Size (Minimum)
GLOVES_TARGET_PX = 44  # WCAG 2.5.5 Target Size (Enhanced): a gloved finger on a shop-floor tablet


@dataclass(frozen=True)
class Settings:
    anthropic_api_key: str | None = field(default=None, repr=False)
    anthropic_base_url: str | None = None
    claude_model: str = DEFAULT_CLAUDE_MODEL
    openrouter_api_key: str | None = field(default=None, repr=False)
    openrouter_base_url: str = DEFAULT_OPENROUTER_BASE_URL
    openrouter_model: str = DEFAULT_OPENROUTER_MODEL
    openrouter_vision: str = "auto"
    ollama_host: str = DEFAULT_OLLAMA_HOST
    ollama_model: str = DEFAULT_OLLAMA_MODEL
    ollama_vision: str = "auto"
    ollama_num_ctx: int = 16384
    ollama_keep_alive: str = "30m"
    start_ollama: bool = False
    local_model: str = DEFAULT_LOCAL_MODEL
    local_quant: str = "auto"
    local_fast: str = "auto"
    providers: tuple[str, ...] = ("claude", "local", "openrouter")
    timeout_s: float = 60.0
    max_tokens: int = 8192
    max_continues: int = 2
    data_dir: Path = Path("data")
    db_path: Path = Path("data/jfdi.db")
    convex_url: str | None = None
    convex_auth_token: str | None = field(default=None, repr=False)
    share: bool = False
    auth: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    autofix: int = 0
    gloves: bool = False  # touch targets checked at 44 px (WCAG 2.5.5) instead of 24 px (2.5.8)
    doc_model: str = DEFAULT_DOC_MODEL
    doc_engine: str = "auto"
    max_upload_mb: float = 25.0
    max_pages: int = 50
    weblink_url: str | None = None

    @property
    def touch_target_px(self) -> int:
        """The smallest touch target the preview's accessibility check accepts."""
        return GLOVES_TARGET_PX if self.gloves else TOUCH_TARGET_PX


def raise_unexpected() -> bool:
    """JFDI_RAISE_ERRORS=1 (the test suite sets it): a bug, an exception JFDI did not raise on
    purpose, propagates instead of being turned into a provider failure or a log line. Read at
    each use rather than once, because production leaves it off: the user's answer and the page
    come first there."""
    return os.environ.get("JFDI_RAISE_ERRORS") == "1"


def _read_env_file(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | Path = ".env") -> Settings:
    """Read settings; `environ` defaults to os.environ and overrides the .env file."""
    env = dict(_read_env_file(Path(env_file)))
    env.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = env.get(name)
        return value.strip() if value is not None and value.strip() else None

    data_dir = Path(get("JFDI_DATA_DIR") or "data")
    return Settings(
        anthropic_api_key=get("ANTHROPIC_API_KEY"),
        anthropic_base_url=_url("ANTHROPIC_BASE_URL", get("ANTHROPIC_BASE_URL")),
        claude_model=get("JFDI_CLAUDE_MODEL") or DEFAULT_CLAUDE_MODEL,
        openrouter_api_key=get("OPENROUTER_API_KEY"),
        openrouter_base_url=(_url("OPENROUTER_BASE_URL", get("OPENROUTER_BASE_URL")) or DEFAULT_OPENROUTER_BASE_URL).rstrip("/"),
        openrouter_model=get("JFDI_OPENROUTER_MODEL") or DEFAULT_OPENROUTER_MODEL,
        openrouter_vision=_choice("JFDI_OPENROUTER_VISION", get("JFDI_OPENROUTER_VISION"), VISION, "auto"),
        ollama_host=_ollama_host(get("OLLAMA_HOST")),
        ollama_model=get("JFDI_OLLAMA_MODEL") or DEFAULT_OLLAMA_MODEL,
        ollama_vision=_choice("JFDI_OLLAMA_VISION", get("JFDI_OLLAMA_VISION"), VISION, "auto"),
        ollama_num_ctx=_int("JFDI_OLLAMA_NUM_CTX", get("JFDI_OLLAMA_NUM_CTX"), 16384, minimum=2048),
        ollama_keep_alive=get("JFDI_OLLAMA_KEEP_ALIVE") or "30m",
        start_ollama=_bool("JFDI_START_OLLAMA", get("JFDI_START_OLLAMA")),
        local_model=get("JFDI_LOCAL_MODEL") or DEFAULT_LOCAL_MODEL,
        local_quant=_choice("JFDI_LOCAL_QUANT", get("JFDI_LOCAL_QUANT"), LOCAL_QUANTS, "auto"),
        local_fast=_choice("JFDI_LOCAL_FAST", get("JFDI_LOCAL_FAST"), LOCAL_FAST, "auto"),
        providers=_provider_order(get("JFDI_PROVIDERS")),
        timeout_s=_float("JFDI_TIMEOUT_S", get("JFDI_TIMEOUT_S"), 60.0),
        max_tokens=_int("JFDI_MAX_TOKENS", get("JFDI_MAX_TOKENS"), 8192, minimum=256),
        max_continues=_int("JFDI_MAX_CONTINUES", get("JFDI_MAX_CONTINUES"), 2, minimum=0),
        data_dir=data_dir,
        db_path=Path(get("JFDI_DB") or data_dir / "jfdi.db"),
        convex_url=(_url("CONVEX_URL", get("CONVEX_URL")) or "").rstrip("/") or None,
        convex_auth_token=get("CONVEX_AUTH_TOKEN"),
        share=_bool("JFDI_SHARE", get("JFDI_SHARE")),
        auth=_auth(get("JFDI_AUTH")),
        autofix=_int("JFDI_AUTOFIX", get("JFDI_AUTOFIX"), 0, minimum=0),
        gloves=_bool("JFDI_GLOVES", get("JFDI_GLOVES")),
        doc_model=get("JFDI_DOC_MODEL") or DEFAULT_DOC_MODEL,
        doc_engine=_choice("JFDI_DOC_ENGINE", get("JFDI_DOC_ENGINE"), DOC_ENGINES, "auto"),
        max_upload_mb=_float("JFDI_MAX_UPLOAD_MB", get("JFDI_MAX_UPLOAD_MB"), 25.0),
        max_pages=_int("JFDI_MAX_PAGES", get("JFDI_MAX_PAGES"), 50, minimum=1),
        weblink_url=get("JFDI_WEBLINK_URL"),
    )


def _url(name: str, value: str | None) -> str | None:
    """A service's address as given; without its scheme every request would fail as a connection
    problem, be retried, and never name the setting."""
    if value is not None and not value.lower().startswith(("http://", "https://")):
        raise ConfigError(f"{name}={value!r} must start with https:// (or http://)")
    return value


def _ollama_host(value: str | None) -> str:
    # OLLAMA_HOST is often set the way `ollama serve` reads it ("0.0.0.0:11434", "localhost");
    # a client needs a URL, and "localhost" can resolve to ::1 while Ollama listens on IPv4 only.
    host = value or DEFAULT_OLLAMA_HOST
    if "://" not in host:
        host = "http://" + host
    scheme, rest = host.split("://", 1)
    rest = rest.rstrip("/")
    hostname, _, port = rest.partition(":")
    if hostname in ("localhost", "0.0.0.0", ""):
        hostname = "127.0.0.1"
    return f"{scheme}://{hostname}:{port or '11434'}"


def _provider_order(value: str | None) -> tuple[str, ...]:
    """The names as given; which names exist is the provider registry's to say (providers.PROVIDERS)."""
    if not value:
        return ("claude", "local", "openrouter")
    names = tuple(n.strip().lower() for n in value.split(",") if n.strip())
    if not names:
        raise ConfigError(f"JFDI_PROVIDERS={value!r} names no provider: use a comma-separated list, e.g. claude,local")
    return tuple(dict.fromkeys(names))


N = TypeVar("N", int, float)


def _number(name: str, value: str | None, default: N, parse: Callable[[str], N], ok: Callable[[N], bool], rule: str) -> N:
    if value is None:
        return default
    try:
        number = parse(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not {'a whole number' if parse is int else 'a number'}") from None
    if not ok(number):
        raise ConfigError(f"{name}={value!r} must be {rule}")
    return number


def _float(name: str, value: str | None, default: float) -> float:
    return _number(name, value, default, float, lambda n: n > 0, "greater than 0")


def _int(name: str, value: str | None, default: int, minimum: int) -> int:
    return _number(name, value, default, int, lambda n: n >= minimum, f"at least {minimum}")


def _bool(name: str, value: str | None) -> bool:
    if value is None:
        return False
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={value!r}: use 1 or 0")


def _choice(name: str, value: str | None, choices: tuple[str, ...], default: str) -> str:
    if value is None:
        return default
    if value.lower() not in choices:
        raise ConfigError(f"{name}={value!r}: use one of {', '.join(choices)}")
    return value.lower()


def _auth(value: str | None) -> tuple[tuple[str, str], ...]:
    if not value:
        return ()
    pairs = []
    for item in value.split(","):
        user, sep, password = item.strip().partition(":")
        if not sep or not user or not password:
            raise ConfigError("JFDI_AUTH must be user:password pairs separated by commas")
        pairs.append((user, password))
    return tuple(pairs)
