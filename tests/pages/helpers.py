"""AppTest helpers: run the app or one page, logged in as a user or not at all."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def page_path(name: str) -> str:
    return str(ROOT / "pages" / name)


def app(username: str | None = None, timeout: float = 30) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout)
    if username:
        login_state(at, username)
    return at


def page(name: str, username: str | None = None, timeout: float = 30) -> AppTest:
    """A page file run alone (as a deep link on a fresh server does)."""
    at = AppTest.from_file(page_path(name), default_timeout=timeout)
    if username:
        login_state(at, username)
    return at


def login_state(at: AppTest, username: str) -> None:
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["name"] = username


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.title] + [s.value for s in at.subheader]
    parts += [e.value for e in at.error] + [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [c.value for c in at.caption] + [s.value for s in at.success]
    return "\n".join(str(p) for p in parts)
