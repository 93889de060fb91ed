"""AppTest: Angka Kredit: summary for a fungsional pegawai, an explanation for a non-fungsional one, Admin SDM
choosing a pegawai and adding/deleting saldo awal, and the Excel/PDF downloads."""

from __future__ import annotations

from db.models import JenisEvaluasi
from tests import evaluasi_factories as ef
from tests.pages.helpers import page, texts

PAGE = "angka_kredit.py"


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_renders_for_roles(sqlite_org):
    ef.setup(sqlite_org)
    ef.record_ak(ef.make_ev(sqlite_org, "staf2", "Baik", jenis=JenisEvaluasi.PERIODIK, nomor=1))
    for who in ("kepala", "admin", "staf2", "staf"):
        at = page(PAGE, sqlite_org.usernames[who]).run()
        assert not at.exception, (who, at.exception)
        assert at.title[0].value == "Angka Kredit"
    at = page(PAGE, sqlite_org.usernames["staf"]).run()
    assert "berlaku bagi pegawai dengan jabatan fungsional" in texts(at)
    at = page(PAGE, sqlite_org.usernames["staf2"]).run()
    assert _metrics(at)["AK kumulatif"] == "6,25"
    assert "Masih kurang 93,75 AK untuk kenaikan pangkat ke III/c." in texts(at)
    at.button(key="ak_siap_pdf").click().run()
    assert not at.exception, at.exception
    (download,) = at.get("download_button")
    assert download.proto.label == "Unduh PDF konversi"


def test_admin_adds_and_deletes_saldo_awal(sqlite_org):
    at = page(PAGE, sqlite_org.usernames["admin"]).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="ak_pegawai").options[0].startswith("Dewi Lestari")  # the default choice
    at.text_input(key="ak_saldo_nilai").input("45,5")
    at.text_input(key="ak_saldo_ket").input("PAK konversi 2022")
    at.button(key="FormSubmitter:ak_form_saldo-Tambah saldo awal").click().run()
    assert not at.exception, at.exception
    assert "Saldo awal ditambahkan." in texts(at)
    assert _metrics(at)["AK kumulatif"] == "45,50"
    hapus = next(b for b in at.button if b.key and b.key.startswith("ak_hapus_"))
    hapus.click().run()
    assert not at.exception, at.exception
    assert "Saldo awal dihapus." in texts(at)
