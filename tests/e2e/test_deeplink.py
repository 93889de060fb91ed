"""A freshly started server that first receives a deep link to a page shows only the login prompt.

Before any session has run app.py, Streamlit executes pages/<page>.py directly (no st.navigation yet): the
page guard must stop it. Each case gets its own new server so the deep link really is the first request.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import running_server

pytestmark = pytest.mark.e2e

DEEP_LINKS = ["sdm_pegawai", "audit_log"]


@pytest.mark.parametrize("slug", DEEP_LINKS)
def test_deep_link_on_fresh_server_shows_only_login(e2e_env, browser, slug):
    from playwright.sync_api import expect

    with running_server(e2e_env, name=f"fresh-{slug}") as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/{slug}")
        page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=60_000)
        expect(page.get_by_label("NIP / nama pengguna")).to_be_visible(timeout=30_000)
        expect(page.get_by_label("Kata sandi")).to_be_visible()
        body = page.locator("[data-testid=stMain]").inner_text()
        assert "NIP" in body
        for leaked in ("ditampilkan", "Log Audit", "baris log", "Simpan", "Unit kerja"):
            assert leaked not in body, f"{slug}: '{leaked}' terlihat tanpa login"
        assert page.locator("h1", has_text="Pegawai").count() == 0
        assert page.locator("[data-testid=stDataFrame]").count() == 0
        assert page.locator("[data-testid=stSidebarNav]").count() == 0
        context.close()
