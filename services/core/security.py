"""Cookie signing key: from secrets or the environment, else generated once and kept in the data folder."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from db.config import get_env

FORBIDDEN_COOKIE_KEYS = {"some_key", "", "changeme", "secret", "key"}
MIN_COOKIE_KEY_BYTES = 32


class InsecureCookieKey(RuntimeError):
    pass


def check_cookie_key(key: str) -> str:
    if key.strip() in FORBIDDEN_COOKIE_KEYS:
        raise InsecureCookieKey("Kunci cookie bawaan/lemah ditolak. Isi cookie_key dengan nilai acak ≥32 byte.")
    if len(key.encode()) < MIN_COOKIE_KEY_BYTES:
        raise InsecureCookieKey(f"Kunci cookie terlalu pendek (minimal {MIN_COOKIE_KEY_BYTES} byte).")
    return key


def cookie_settings() -> tuple[str, float]:
    """(cookie name, expiry in days) of the login cookie, from the environment (EKINERJA_COOKIE_*)."""
    env = get_env()
    return env.cookie_name, env.cookie_expiry_days


def trusted_proxy_header() -> str | None:
    """The request header that carries the client address behind a reverse proxy (EKINERJA_TRUSTED_PROXY_HEADER,
    e.g. X-Forwarded-For), or None to use the connection's address. Set it only when every request passes
    through that proxy, which must overwrite or append to the header."""
    return (get_env().trusted_proxy_header or "").strip() or None


def resolve_cookie_key(from_secrets: str | None = None, key_file: Path | None = None) -> str:
    """Secrets first, then EKINERJA_COOKIE_KEY, then a key file generated on first run (mode 600)."""
    explicit = from_secrets or get_env().cookie_key
    if explicit:
        return check_cookie_key(explicit)
    key_file = key_file or get_env().data_dir / ".cookie_key"
    if key_file.exists():
        return check_cookie_key(key_file.read_text().strip())
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    tmp = key_file.with_name(f"{key_file.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    try:  # several server processes may start at once: the first link wins, the others read its key
        with contextlib.suppress(FileExistsError):
            os.link(tmp, key_file)
    finally:
        tmp.unlink(missing_ok=True)
    return check_cookie_key(key_file.read_text().strip())
