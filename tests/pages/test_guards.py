"""Page guards: every page run alone shows only the login prompt without a session, only a refusal for a
role that may not see it; the app navigation holds exactly the pages of the user's roles; an account that
must change its password sees only "Ganti Kata Sandi"."""

from pathlib import Path

import pytest

from services.auth import login as auth
from tests.pages.helpers import app, page, texts
from ui.nav import PAGES, pages_for

LOGIN_LABELS = ["NIP / nama pengguna", "Kata sandi"]
LOGIN_ELEMENTS = {"Markdown", "Caption", "Subheader", "TextInput", "Button", "Info"}
CONTAINERS = {"SpecialBlock", "Block", "Column"}
ROLES = ("staf", "ketua", "kasub", "kepala", "admin")


OWN_SKP = {"skp_saya.py", "skp_dokumen.py", "logbook_saya.py", "evaluasi_saya.py", "evaluasi_dokumen.py",
           "angka_kredit.py"}
LOGBOOK_REVIEW = {"logbook_penilaian.py", "logbook_monitoring.py"}
KINERJA_ORG = {"kinerja_organisasi.py", "kinerja_pk.py", "kinerja_realisasi.py", "kinerja_kertas_kerja.py",
               "kinerja_laporan.py"}
MONEV = {"monev_rapat.py", "monev_mode_rapat.py"}  # every account: invitees check in, PIC close items
EXPECTED_NAV = {
    "staf": {"beranda.py", "ganti_password.py", "kinerja_organisasi.py", "kinerja_realisasi.py"} | OWN_SKP | MONEV,
    "ketua": {"beranda.py", "bawahan.py", "rekap_organisasi.py", "ganti_password.py", "skp_kaskade.py",
              "skp_monitoring.py", "evaluasi_pertimbangan.py", "evaluasi_tahunan.py",
              "evaluasi_monitoring.py"} | OWN_SKP | LOGBOOK_REVIEW | KINERJA_ORG | MONEV,
    "kasub": {"beranda.py", "bawahan.py", "arsip_dokumen.py", "ganti_password.py", "skp_verifikasi.py",
              "skp_kaskade.py", "skp_monitoring.py", "evaluasi_penilaian.py", "evaluasi_tahunan.py",
              "evaluasi_monitoring.py"} | OWN_SKP | LOGBOOK_REVIEW | KINERJA_ORG | MONEV,
    "kepala": {"beranda.py", "bawahan.py", "arsip_dokumen.py", "rekap_organisasi.py", "ganti_password.py",
               "skp_verifikasi.py",
               "skp_kaskade.py", "skp_monitoring.py", "evaluasi_penilaian.py", "evaluasi_persetujuan.py",
               "evaluasi_tahunan.py", "evaluasi_monitoring.py"} | OWN_SKP | LOGBOOK_REVIEW | KINERJA_ORG | MONEV,
    "admin": ({p.file for p in PAGES} - {"bawahan.py", "evaluasi_pertimbangan.py"} - OWN_SKP) | {"angka_kredit.py"},
}


def _elements(node, out=None) -> list:
    """Every rendered element (not containers) below `node`."""
    out = [] if out is None else out
    for child in getattr(node, "children", {}).values():
        if type(child).__name__ not in CONTAINERS:
            out.append(child)
        _elements(child, out)
    return out


def _kinds(at) -> set[str]:
    return {type(e).__name__ for e in _elements(at._tree)}


def _assert_login_prompt_only(at) -> None:
    assert not at.exception, at.exception
    assert [t.label for t in at.text_input] == LOGIN_LABELS
    assert [b.label for b in at.button] == ["Masuk"]
    assert _kinds(at) <= LOGIN_ELEMENTS, _kinds(at)
    assert len(at.title) == 0 and len(at.dataframe) == 0
    assert [m.value for m in at.markdown] == ["## e-Kinerja"]


@pytest.mark.parametrize("file", [p.file for p in PAGES])
def test_page_alone_without_login_shows_only_the_login_prompt(sqlite_org, file):
    _assert_login_prompt_only(page(file).run())


def _denied_cases():
    """Every (page, role) pair the role may not open (EXPECTED_NAV, checked against the navigation below)."""
    return [(p.file, who) for p in PAGES for who in ROLES if p.file not in EXPECTED_NAV[who]]


@pytest.mark.parametrize(("file", "who"), _denied_cases())
def test_page_alone_refuses_roles_that_may_not_see_it(sqlite_org, file, who):
    actor = getattr(sqlite_org.actors, who)
    assert file not in {p.file for p in pages_for(actor)}
    at = page(file, actor.username).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Anda tidak memiliki akses ke halaman ini."]
    assert _kinds(at) == {"Error"}, _kinds(at)


def test_pages_for_roles():
    files = {p.file for p in PAGES}
    assert len(files) == len(PAGES)
    admin_only = {"sdm_pegawai.py", "sdm_hubungan.py", "sdm_unit.py", "sdm_tim.py", "sdm_jabatan.py",
                  "sdm_impor.py", "sdm_akun.py", "sdm_periode.py", "sdm_pengaturan.py", "audit_log.py"}
    assert admin_only <= files
    for p in PAGES:
        if p.file in admin_only:
            assert {r.value for r in p.roles} == {"admin_sdm"}, p.file




@pytest.mark.parametrize("who", ROLES)
def test_app_navigation_matches_the_roles(sqlite_org, who):
    actor = getattr(sqlite_org.actors, who)
    expected = {p.file for p in pages_for(actor)}
    assert expected == EXPECTED_NAV[who]
    at = app(actor.username).run()
    assert not at.exception, at.exception
    registered = {Path(info["script_path"]).name for info in at._registered_pages.values()
                  if info.get("script_path")}
    assert registered == expected
    hidden = sorted({p.file for p in PAGES} - expected)
    if hidden:
        with pytest.raises(ValueError):
            at.switch_page(f"pages/{hidden[0]}")


def test_must_change_password_sees_only_the_password_page(sqlite_org):
    user = sqlite_org.usernames["pppk"]
    at = app(user).run()
    assert not at.exception, at.exception
    registered = {Path(i["script_path"]).name for i in at._registered_pages.values() if i.get("script_path")}
    assert registered == {"ganti_password.py"}
    assert at.title[0].value == "Ganti Kata Sandi"
    with pytest.raises(ValueError):
        at.switch_page("pages/beranda.py")

    # a deep link to another page (run alone) is refused too
    alone = page("beranda.py", user).run()
    assert not alone.exception
    assert len(alone.title) == 0 and "wajib mengganti kata sandi" in texts(alone)
    assert _kinds(alone) == {"Warning"}

    # after changing the password, the whole navigation appears
    inputs = at.text_input
    inputs[0].input(sqlite_org.password)
    inputs[1].input("SandiBaru2026")
    inputs[2].input("SandiBaru2026")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert "berhasil diganti" in texts(at)
    at = app(user).run()  # the next visit (AppTest keeps the old page after the in-page change)
    assert not at.exception, at.exception
    registered = {Path(i["script_path"]).name for i in at._registered_pages.values() if i.get("script_path")}
    assert registered == {p.file for p in pages_for(sqlite_org.actors.pppk)}
    assert "beranda.py" in registered


def test_revoked_session_falls_back_to_the_login_prompt(sqlite_org):
    at = app(sqlite_org.usernames["staf"]).run()
    assert at.title[0].value == "Beranda"
    auth.reset_password(sqlite_org.actors.admin, sqlite_org.actors.staf.user_id)
    at.run()
    assert not at.exception, at.exception
    assert [t.label for t in at.text_input] == LOGIN_LABELS
    assert "Sesi Anda telah berakhir" in texts(at)
    assert len(at.title) == 0


def test_deactivated_account_is_logged_out(sqlite_org):
    at = app(sqlite_org.usernames["kasub"]).run()
    assert at.title[0].value == "Beranda"
    auth.set_active(sqlite_org.actors.admin, sqlite_org.actors.kasub.user_id, False)
    at.run()
    assert [t.label for t in at.text_input] == LOGIN_LABELS
    assert len(at.title) == 0
