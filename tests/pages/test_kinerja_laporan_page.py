"""AppTest: the Laporan Kinerja page drives narrative → reviu TIDAK → fix → reviu YA → pengesahan → arsip."""

from __future__ import annotations

from services.kinerja import kertas, laporan
from tests import kinerja_factories as kf
from tests.pages.helpers import page, texts


def _ratified(org):
    tim2 = kf.build_pk(org)
    y, b = kf.last_month()
    kf.submit_month(org, tim2, y, b)
    kertas.susun(org.actors.ketua, y, "bulan", b)
    kertas.ajukan(org.actors.ketua, y, "bulan", b)
    kertas.periksa(org.actors.kasub, y, "bulan", b)
    kertas.sahkan(org.actors.kepala, y, "bulan", b)


def _open(org, who, b):
    at = page("kinerja_laporan.py", org.usernames[who]).run()
    assert not at.exception, at.exception
    at.selectbox(key="klap_bulan").set_value(b).run()
    assert not at.exception, at.exception
    return at


def test_laporan_page_flow(sqlite_org):
    org = sqlite_org
    _ratified(org)
    y, b = kf.last_month()
    at = _open(org, "ketua", b)
    assert at.title[0].value == "Laporan Kinerja"
    assert "Belum disusun" in texts(at)
    at.text_area(key=f"klap_ikhtisar_{y}_{b}").input("Capaian bulan ini sesuai target.").run()
    at.button(key="klap_simpan").click().run()
    assert "Narasi tersimpan" in texts(at), texts(at)
    at.button(key="klap_ajukan").click().run()
    assert "diajukan" in texts(at)
    kasub = _open(org, "kasub", b)
    kasub.text_area(key="klap_catatan").input("Tambahkan analisis efisiensi.").run()
    kasub.button(key="klap_tidak").click().run()
    assert laporan.get(org.actors.kepala, y, b)["status"] == "DIKEMBALIKAN"
    at = _open(org, "ketua", b)
    assert "Tambahkan analisis efisiensi." in texts(at)
    at.button(key="klap_ajukan").click().run()
    kasub = _open(org, "kasub", b)
    kasub.button(key="klap_ya").click().run()
    kepala = _open(org, "kepala", b)
    kepala.button(key="klap_sahkan").click().run()
    assert not kepala.exception, kepala.exception
    assert laporan.get(org.actors.kepala, y, b)["status"] == "DISAHKAN"
    at = _open(org, "ketua", b)
    at.text_input(key="klap_kirim_link").input("https://e-performance.kemkes.go.id/x").run()
    at.selectbox(key="klap_kirim_kanal").set_value("e-Performance").run()
    at.button(key="klap_kirim_btn").click().run()
    assert "Bukti pengiriman tercatat" in texts(at), texts(at)
    assert at.get("download_button")


def test_laporan_page_without_kertas_kerja(sqlite_org):
    org = sqlite_org
    kf.build_pk(org)
    at = page("kinerja_laporan.py", org.usernames["kepala"]).run()
    assert not at.exception, at.exception
    assert "belum disusun" in texts(at)
