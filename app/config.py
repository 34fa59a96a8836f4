"""Settings from the environment, validated at start-up."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(RuntimeError):
    """A setting from the environment is missing or malformed."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from exc


def default_database_url(instance_path: str) -> str:
    """The embedded default: a SQLite file under instance/."""
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + str(Path(instance_path) / "voorkom.sqlite3")


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for postgresql:// URLs (the form docker and CI hand out)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_settings(instance_path: str) -> dict[str, Any]:
    """Read every setting from the environment; fail early on bad values."""
    demo = _bool("VOORKOM_DEMO", default=False)
    secret = os.environ.get("SECRET_KEY")
    if not secret:
        if not demo and not _bool("VOORKOM_DEV", default=False):
            secret = secrets.token_hex(32)  # sessions do not survive a restart: set SECRET_KEY
        else:
            secret = "dev-only-secret-key-change-me"  # noqa: S105 - demo mode only
    url = normalise_database_url(
        os.environ.get("DATABASE_URL") or default_database_url(instance_path)
    )
    return {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url),
        "VOORKOM_DEMO": demo,
        #: key for the pseudonyms in event-log exports (falls back to SECRET_KEY)
        "VOORKOM_PSEUDONYM_KEY": os.environ.get("VOORKOM_PSEUDONYM_KEY") or None,
        "VOORKOM_PROCESSES_DIR": os.environ.get(
            "VOORKOM_PROCESSES_DIR", str(PROJECT_ROOT / "processes" / "bpmn")
        ),
        "VOORKOM_WORKER_INTERVAL": _int("VOORKOM_WORKER_INTERVAL", 30),
        "MAX_CONTENT_LENGTH": _int("VOORKOM_MAX_UPLOAD_BYTES", 2 * 1024 * 1024),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("VOORKOM_SECURE_COOKIES", default=not demo),
    }


def engine_options(url: str) -> dict[str, Any]:
    """Connection options per database kind."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}
