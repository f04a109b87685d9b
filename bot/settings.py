"""The one place that reads the environment; everything else receives a ``Settings``."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Mapping, Optional, Tuple
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# The Rasa domain: intents, entities, slots and responses (the web app reads which intents exist).
DOMAIN_FILE = ROOT / "domain.yml"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number (a TCP port), not {raw!r}") from None
    if not 0 < value < 65536:
        raise ValueError(f"{name} must be a TCP port between 1 and 65535, not {value}")
    return value


@dataclass(frozen=True)
class Settings:
    """Ports, paths and URLs of the three services, with their defaults."""

    # KB database: any SQLAlchemy URL; SQLite file by default.
    kb_url: str = f"sqlite:///{ROOT / 'var' / 'kb.sqlite3'}"
    # Rasa's SQL tracker store (SQLite file); kept across restarts.
    tracker_db: Path = ROOT / "var" / "tracker.sqlite3"
    content_dir: Path = ROOT / "data" / "kb"
    model_dir: Path = ROOT / "models"
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    rasa_port: int = 5005
    action_port: int = 5055
    # Token for Rasa's HTTP API; a fresh random one per start unless RASA_TOKEN is set.
    rasa_token: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)
    # The address citizens reach the site at (e.g. https://troly.example.gov.vn), for guide
    # links, QR codes and link previews. Empty: taken from each request's Host.
    public_url: str = ""
    # Sites allowed to embed the chat widget (CSP frame-ancestors sources); "*" is any site.
    embed_origins: str = "*"
    # Other sites whose pages may call the JSON API from a browser (CORS); none by default.
    cors_origins: Tuple[str, ...] = ()
    # Chat messages allowed (count, per seconds): per conversation, and per client address
    # (a post office's citizens may share one address, hence the higher figure).
    rate_per_session: Tuple[int, int] = (30, 60)
    rate_per_client: Tuple[int, int] = (300, 60)
    # Conversations whose last message is older than this many days are deleted from the
    # tracker store (at start and daily): kept no longer than answering needs.
    retention_days: int = 90

    def to_env(self) -> Dict[str, str]:
        """The environment variables that load_settings() reads back as these settings."""
        return {
            "KB_DATABASE_URL": self.kb_url,
            "TRACKER_DB": str(self.tracker_db),
            "KB_CONTENT_DIR": str(self.content_dir),
            "MODEL_DIR": str(self.model_dir),
            "WEB_HOST": self.web_host,
            "WEB_PORT": str(self.web_port),
            "RASA_PORT": str(self.rasa_port),
            "ACTION_PORT": str(self.action_port),
            "RASA_TOKEN": self.rasa_token,
            "PUBLIC_URL": self.public_url,
            "EMBED_ALLOWED_ORIGINS": self.embed_origins,
            "CORS_ALLOWED_ORIGINS": " ".join(self.cors_origins),
            "RATE_LIMIT_PER_SESSION": "/".join(map(str, self.rate_per_session)),
            "RATE_LIMIT_PER_CLIENT": "/".join(map(str, self.rate_per_client)),
            "RETENTION_DAYS": str(self.retention_days),
        }

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/webhook"

    @property
    def web_url(self) -> str:
        host = "localhost" if self.web_host in ("127.0.0.1", "0.0.0.0") else self.web_host
        return f"http://{host}:{self.web_port}/"


def load_settings(env: Optional[Mapping[str, str]] = None) -> Settings:
    """Build settings from environment variables (see README, "Configuration")."""
    env = os.environ if env is None else env
    defaults = Settings()
    return Settings(
        kb_url=env.get("KB_DATABASE_URL") or defaults.kb_url,
        tracker_db=Path(env.get("TRACKER_DB") or defaults.tracker_db),
        content_dir=Path(env.get("KB_CONTENT_DIR") or defaults.content_dir),
        model_dir=Path(env.get("MODEL_DIR") or defaults.model_dir),
        web_host=env.get("WEB_HOST") or defaults.web_host,
        web_port=_int(env, "WEB_PORT", defaults.web_port),
        rasa_port=_int(env, "RASA_PORT", defaults.rasa_port),
        action_port=_int(env, "ACTION_PORT", defaults.action_port),
        rasa_token=env.get("RASA_TOKEN") or defaults.rasa_token,
        public_url=_public_url(env.get("PUBLIC_URL") or ""),
        embed_origins=env.get("EMBED_ALLOWED_ORIGINS") or defaults.embed_origins,
        cors_origins=_origins(env, "CORS_ALLOWED_ORIGINS"),
        rate_per_session=_rate(env, "RATE_LIMIT_PER_SESSION", defaults.rate_per_session),
        rate_per_client=_rate(env, "RATE_LIMIT_PER_CLIENT", defaults.rate_per_client),
        retention_days=_days(env, "RETENTION_DAYS", defaults.retention_days),
    )


def _days(env: Mapping[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 3650:
        raise ValueError(f"{name} must be a whole number of days from 1 to 3650, not {raw!r}")
    return int(raw)


def _origins(env: Mapping[str, str], name: str) -> Tuple[str, ...]:
    origins = tuple((env.get(name) or "").split())
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise ValueError(f"{name} takes origins like https://xa.example.gov.vn, not {origin!r}")
    return tuple(o.rstrip("/") for o in origins)


def _rate(env: Mapping[str, str], name: str, default: Tuple[int, int]) -> Tuple[int, int]:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", raw)
    if not match or int(match.group(1)) < 1 or int(match.group(2)) < 1:
        raise ValueError(f"{name} must look like 30/60 (messages per seconds), not {raw!r}")
    return int(match.group(1)), int(match.group(2))


def _public_url(raw: str) -> str:
    url = raw.strip().rstrip("/")
    if url and not url.startswith(("http://", "https://")):
        raise ValueError(f"PUBLIC_URL must start with http:// or https://, not {raw!r}")
    return url


def phoatis_dir(env: Optional[Mapping[str, str]] = None) -> Path:
    """Where `make bench` reads PhoATIS (research use only: read in place, never copied here):
    PHOATIS_DIR, else ../shared/datasets/phoatis beside the checkout."""
    env = os.environ if env is None else env
    return Path(env.get("PHOATIS_DIR") or ROOT.parent / "shared" / "datasets" / "phoatis")
