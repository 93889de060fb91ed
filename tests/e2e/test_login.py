"""Login and logout in real Chromium against a running server with the demo office."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import IDLE, POLL, wait_idle

pytestmark = pytest.mark.e2e

SCREENSHOT = "/tmp/ekinerja-e2e-beranda.png"


def _plain_pegawai(accounts: list[dict], index: int = 0) -> dict:
    plain = [a for a in accounts if a["roles"] == ["pegawai"]]
    assert len(plain) > index, "data demo harus memuat pegawai tanpa peran lain"
    return plain[index]


def _open_login(page, url: str) -> None:
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.get_by_label("NIP / nama pengguna")).to_be_visible()
    wait_idle(page)


def _submit(page, username: str, password: str) -> None:
    page.get_by_label("NIP / nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_login_beranda_logout(page, app_url, demo_accounts):
    from playwright.sync_api import expect

    user = _plain_pegawai(demo_accounts)
    _open_login(page, app_url)
    _submit(page, user["username"], user["password"])

    expect(page.get_by_role("heading", name="Beranda").first).to_be_visible()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Beranda")).to_have_count(1)  # no stale copy after the rerun
    expect(page.get_by_text(user["nama"], exact=True).first).to_be_visible()
    expect(page.get_by_text("Pejabat penilai:", exact=True).first).to_be_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.reload()  # the cookie carries the server-side session id: a reload keeps the login
    expect(page.get_by_role("heading", name="Beranda").first).to_be_visible()
    wait_idle(page)

    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_label("NIP / nama pengguna")).to_be_visible()
    expect(page.get_by_text("Anda telah keluar.")).to_be_visible()
    expect(page.get_by_role("heading", name="Beranda")).to_have_count(0)

    page.reload()  # the cookie was revoked on the server: a reload does not log back in
    expect(page.get_by_label("NIP / nama pengguna")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Beranda")).to_have_count(0)


def test_wrong_password_shows_indonesian_error(page, app_url, demo_accounts):
    from playwright.sync_api import expect

    user = _plain_pegawai(demo_accounts, index=1)
    _open_login(page, app_url)
    _submit(page, user["username"], "SalahSekali99")

    expect(page.get_by_text("NIP/nama pengguna atau kata sandi salah.")).to_be_visible()
    expect(page.get_by_text("Sisa percobaan")).to_have_count(0)  # the same answer as for an unknown user
    expect(page.get_by_role("heading", name="Beranda")).to_have_count(0)


def test_login_kept_when_the_cookie_writer_loads_late(page, app_url, demo_accounts):
    """The login cookie is written by a component in an iframe. When the user moves on before that iframe
    has loaded (a quick click, a busy machine), it must still be written: a later reload keeps the login."""
    from playwright.sync_api import expect

    user = _plain_pegawai(demo_accounts, index=2)
    _open_login(page, app_url)
    held = []
    page.route("**/component/**", lambda route: held.append(route))  # components' files are held back
    _submit(page, user["username"], user["password"])
    expect(page.get_by_role("heading", name="Beranda").first).to_be_visible()
    page.wait_for_selector(IDLE, state="attached")  # the run is over; the cookie writer is still loading
    assert "ekinerja_auth=" not in page.evaluate("document.cookie")
    # the waiting writer takes no room on the page (Mode Rapat must fit the projector without scrolling)
    box = page.locator(".st-key-ek_cookie_writer").bounding_box()
    assert box is not None and box["height"] == 0, box
    gap = page.evaluate("""() => {
        const w = document.querySelector('.st-key-ek_cookie_writer');
        return getComputedStyle(w).position;
    }""")
    assert gap == "absolute"

    nav = page.get_by_test_id("stSidebarUserContent").get_by_role("link").nth(1)
    nav.click()  # the next run starts before the cookie writer has loaded ...
    page.wait_for_selector(IDLE, state="attached")
    for route in held:  # ... and only then do its files arrive
        route.continue_()
    page.unroute("**/component/**")
    page.wait_for_function("() => document.cookie.includes('ekinerja_auth=')", polling=POLL)
    wait_idle(page)
    page.reload()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    expect(page.get_by_label("NIP / nama pengguna")).to_have_count(0)


def test_the_page_is_not_drawn_anew_when_the_cookie_is_written(page, app_url, demo_accounts):
    """The cookie writer sits above the page until the browser confirms the cookie; when it goes, the page under it
    keeps its elements (before, they were drawn anew: an open tab went back to the first one, a field being typed
    into lost its text)."""
    from playwright.sync_api import expect

    from tests.e2e.helpers import WRITER

    user = _plain_pegawai(demo_accounts, index=3)
    _open_login(page, app_url)
    held = []
    page.route("**/component/**", lambda route: held.append(route))
    _submit(page, user["username"], user["password"])
    heading = page.get_by_role("heading", name="Beranda").first
    expect(heading).to_be_visible()
    page.wait_for_selector(IDLE, state="attached")
    heading.evaluate("h => { h.dataset.ekMark = 'login-run'; }")
    for route in held:
        route.continue_()
    page.unroute("**/component/**")
    page.wait_for_function("() => document.cookie.includes('ekinerja_auth=')", polling=POLL)
    expect(page.locator(WRITER)).to_have_count(0)  # the run the writer's answer starts no longer draws it
    wait_idle(page)
    assert heading.evaluate("h => h.dataset.ekMark") == "login-run"
