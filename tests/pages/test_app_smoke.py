from services.core import clock
from tests.pages.helpers import app


def test_login_prompt_without_session(sqlite_org):
    at = app().run()
    assert not at.exception
    labels = [t.label for t in at.text_input]
    assert labels == ["NIP / nama pengguna", "Kata sandi"]


def test_logged_in_sees_beranda(sqlite_org):
    at = app()
    at.session_state["authentication_status"] = True
    at.session_state["username"] = sqlite_org.usernames["staf"]
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Beranda"
    text = " ".join(m.value for m in at.markdown)
    assert "Andi Wijaya" in " ".join(s.value for s in at.subheader) or "Andi" in text


def test_login_via_form(sqlite_org):
    """streamlit-authenticator's login state is set through its authentication controller alone: its cookie
    manager component is not rendered (its answer from the browser started a second run of every page loaded
    from the cookie); the login run renders only the component that writes our cookie."""
    at = app().run()
    at.text_input[0].input(sqlite_org.usernames["staf"])
    at.text_input[1].input(sqlite_org.password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.session_state["authentication_status"] is True
    assert at.session_state["name"]  # the library's state, as its own login sets it
    assert at.title[0].value == "Beranda"
    assert [c.proto.component_name for c in at.get("component_instance")] == ["ui.auth.ek_login_cookie"]


def test_beranda_shows_the_monthly_logbook_points(sqlite_org):

    from tests import skp_factories as f
    from tests.pages.helpers import texts

    m = f.kasub_skp(sqlite_org, f.kepala_skp(sqlite_org).rhk)
    assert m.rhk
    at = app(sqlite_org.usernames["kasub"]).run()
    assert not at.exception, at.exception
    month = __import__("services.core.fmt", fromlist=["bulan"]).bulan(clock.today().month)
    assert f"Logbook {month}" in texts(at)
    assert "Disetujui (dihitung)" in texts(at) or len(at.metric) >= 4


def test_beranda_alone_with_task_links_does_not_crash(sqlite_org):
    """A deep link to /beranda on a fresh server runs the page without st.navigation: links must still render."""
    from tests import skp_factories as f
    from tests.pages.helpers import page, texts

    m = f.kasub_skp(sqlite_org, f.kepala_skp(sqlite_org).rhk)
    f.staff_skp(sqlite_org, "staf", m.rhk[0])  # submitted: a task for the penilai
    at = page("beranda.py", sqlite_org.usernames["kasub"]).run()
    assert not at.exception, at.exception
    assert "Buka Verifikasi SKP" in texts(at)


def test_weak_cookie_key_stops_the_app_at_start_up(sqlite_org, monkeypatch):
    import streamlit as st

    from db.config import reset_env_cache

    monkeypatch.setenv("EKINERJA_COOKIE_KEY", "some_key")
    reset_env_cache()
    st.cache_resource.clear()
    try:
        at = app().run()
        assert not at.exception, at.exception
        assert "Aplikasi tidak dapat dijalankan" in at.error[0].value and "EKINERJA_COOKIE_KEY" in at.error[0].value
        assert len(at.text_input) == 0  # no login form
    finally:
        monkeypatch.undo()
        reset_env_cache()
        st.cache_resource.clear()


def test_expired_session_ends_on_the_next_run(sqlite_org):
    from services.auth import login as auth_service

    at = app(sqlite_org.usernames["staf"]).run()
    assert at.title[0].value == "Beranda"
    auth_service.revoke_sessions(sqlite_org.actors.staf)  # e.g. a password change on another device
    at.run()
    assert at.session_state["authentication_status"] is None
    assert [t.label for t in at.text_input] == ["NIP / nama pengguna", "Kata sandi"]


def test_client_address_from_connection_or_trusted_proxy_header(monkeypatch):
    from types import SimpleNamespace

    from db.config import reset_env_cache
    from ui import auth as ui_auth

    ctx = SimpleNamespace(ip_address="10.1.2.3", headers={"X-Forwarded-For": "203.0.113.9, 10.0.0.1"})
    monkeypatch.setattr(ui_auth.st, "context", ctx)
    monkeypatch.delenv("EKINERJA_TRUSTED_PROXY_HEADER", raising=False)
    reset_env_cache()
    assert ui_auth.client_source() == "10.1.2.3"  # a header nobody vouches for is ignored
    monkeypatch.setenv("EKINERJA_TRUSTED_PROXY_HEADER", "X-Forwarded-For")
    reset_env_cache()
    assert ui_auth.client_source() == "10.0.0.1"  # the entry our proxy appended
    monkeypatch.undo()
    reset_env_cache()

