"""Identitas Kantor (Kop Surat) with AppTest: the form saves, a bad value is reported, signatories shown,
the page is refused to a non-admin, samples download."""

from services import documents
from tests.pages.helpers import page, texts


def _ok(at):
    assert not at.exception, at.exception
    return at


def test_identitas_shows_form_signatories_and_samples(sqlite_org):
    at = _ok(page("sdm_identitas.py", "admin").run())
    assert at.title[0].value == "Identitas Kantor (Kop Surat)"
    assert at.text_input(key="identitas_satker").value == "Balai Uji Kinerja"
    body = texts(at) + "\n".join(t.value for t in at.text)
    assert "dr. Ratna Hapsari, M.K.M." in body and "Budi Santoso, S.E." in body
    assert "Belum ada logo" in body
    labels = [b.label for b in at.get("download_button")]
    assert "Unduh contoh PDF" in labels and "Unduh contoh DOCX" in labels


def test_identitas_saves_and_reports_bad_values(sqlite_org):
    at = _ok(page("sdm_identitas.py", "admin").run())
    at.text_input(key="identitas_email").input("bukan-email")
    _submit(at)
    assert "Pos-el" in texts(at) and "tidak valid" in texts(at)
    assert documents.office_identity().email == ""
    at.text_input(key="identitas_email").input("balai@contoh.go.id")
    at.text_input(key="identitas_kota").input("Belawan")
    _submit(at)
    assert "Identitas kantor disimpan." in texts(at)
    ident = documents.office_identity()
    assert ident.email == "balai@contoh.go.id" and ident.kota == "Belawan"


def _submit(at):
    btn = next(b for b in at.button if b.label == "Simpan identitas")
    btn.click()
    _ok(at.run())


def test_identitas_refused_to_pegawai(sqlite_org):
    at = page("sdm_identitas.py", sqlite_org.usernames["staf"]).run()
    assert not at.text_input
    assert "Identitas Kantor" not in [t.value for t in at.title]
