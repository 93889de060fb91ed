"""Shared Playwright helpers for the browser tests: waiting for Streamlit reruns, logging in, opening a page."""

from __future__ import annotations

import pytest

PlaywrightTimeout = pytest.importorskip(
    "playwright.sync_api", reason="Uji browser dilewati: paket playwright tidak terpasang").TimeoutError

IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


class Steps:
    """Numbered screenshots across browser windows (pattern: a format string with {:02d} and {})."""

    def __init__(self, pattern: str) -> None:
        self.n = 0
        self.pattern = pattern

    def shot(self, page, name: str) -> None:
        self.n += 1
        page.screenshot(path=self.pattern.format(self.n, name))


def _wait_idle(page) -> None:
    page.wait_for_timeout(300)  # let a rerun triggered by the last action start
    page.wait_for_selector(IDLE, state="attached")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stSkeleton]').length === 0")


# Counts finished script runs of the session (stApp's data-test-script-state leaving "running").
_RUNS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app.__ekObserved) {
    app.__ekObserved = true;
    window.__ekRuns = window.__ekRuns || 0;
    new MutationObserver(records => records.forEach(r => { if (r.oldValue === 'running') window.__ekRuns++; }))
      .observe(app, {attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state']});
  }
  return window.__ekRuns;
}"""


def _after_rerun(page, action) -> None:
    """Do something that makes Streamlit rerun (an edit committed in the grid) and wait until that rerun is
    over, so the next keystroke does not land while the grid is being drawn again."""
    page.wait_for_selector(IDLE, state="attached")
    before = page.evaluate(_RUNS)
    action()
    page.wait_for_function("n => window.__ekRuns > n", arg=before)
    _wait_idle(page)


def _login(browser, app_url: str, username: str, password: str):
    from playwright.sync_api import expect

    context = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900}, accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(app_url)
    page.get_by_label("NIP / nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Beranda").first).to_be_visible()
    _wait_idle(page)
    return page


def _open(page, title: str) -> None:
    from playwright.sync_api import expect

    page.get_by_test_id("stSidebarUserContent").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title).first).to_be_visible()
    _wait_idle(page)


def accounts_by_key(demo_accounts: list[dict]) -> dict[str, dict]:
    """The demo accounts (`ekinerja demo-accounts --json`) by roster key of services.demo ("kepala", ...)."""
    from services import demo

    accounts = {a["username"]: a for a in demo_accounts}
    return {r["key"]: accounts[r["nip"]] for r in demo.roster() if r["nip"] in accounts}
