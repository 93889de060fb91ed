"""AppTest: Realisasi Tim Kerja and Kertas Kerja Kinerja pages render for their roles and drive the workflow."""

from __future__ import annotations

from services.kinerja import kertas, realisasi
from tests import kinerja_factories as kf
from tests.pages.helpers import page, texts


def test_realisasi_page(sqlite_org):
    org = sqlite_org
    kf.build_pk(org)
    y, b = kf.last_month()
    at = page("kinerja_realisasi.py", org.usernames["staf"]).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Realisasi Tim Kerja"
    at.selectbox(key="kreal_bulan").set_value(b).run()
    at.button(key="kreal_ajukan").click().run()
    assert not at.exception
    assert "I3 belum diisi" in texts(at)
    at = page("kinerja_realisasi.py", org.usernames["staf2"]).run()  # member, not PJ, not delegated
    assert "bukan PJ Tim Kerja" in texts(at)


def test_kertas_kerja_page_flow(sqlite_org):
    org = sqlite_org
    tim2 = kf.build_pk(org)
    y, b = kf.last_month()
    kf.submit_month(org, tim2, y, b)
    at = page("kinerja_kertas_kerja.py", org.usernames["ketua"]).run()
    at.selectbox(key="kkk_nomor").set_value(b).run()
    assert "belum disusun" in texts(at)
    at.button(key="kkk_susun0").click().run()
    assert not at.exception, at.exception
    assert "Kertas kerja disusun" in texts(at)
    at.button(key="kkk_ajukan").click().run()
    assert "diajukan" in texts(at)
    kasub = page("kinerja_kertas_kerja.py", org.usernames["kasub"]).run()
    kasub.selectbox(key="kkk_nomor").set_value(b).run()
    assert not kasub.exception
    kasub.button(key="kkk_periksa").click().run()
    assert "diteruskan ke Kepala" in texts(kasub)
    kepala = page("kinerja_kertas_kerja.py", org.usernames["kepala"]).run()
    kepala.selectbox(key="kkk_nomor").set_value(b).run()
    kepala.button(key="kkk_sahkan").click().run()
    assert not kepala.exception
    assert kertas.get(org.actors.kepala, y, "bulan", b)["status"] == "DISAHKAN"
    staf2 = page("kinerja_kertas_kerja.py", org.usernames["staf2"]).run()
    assert "tidak memiliki akses" in texts(staf2)


def test_returned_row_reopened_for_the_pj(sqlite_org):
    """Kertas kerja returned with a note on a row: the Perencana reopens that Tim Kerja's month from the page (the
    note is the default reason), the PJ sees the note on Realisasi Tim Kerja and can edit and submit again."""
    org = sqlite_org
    tim2 = kf.build_pk(org)
    y, b = kf.last_month()
    kf.submit_month(org, tim2, y, b)
    kertas.susun(org.actors.ketua, y, "bulan", b)
    kertas.ajukan(org.actors.ketua, y, "bulan", b)
    i3 = int(kertas.get(org.actors.kepala, y, "bulan", b)["baris"].set_index("Kode").loc["I3", "indikator_id"])
    kertas.kembalikan(org.actors.kasub, y, "bulan", b, {i3: "Cek register layanan"})
    at = page("kinerja_kertas_kerja.py", org.usernames["ketua"]).run()
    at.selectbox(key="kkk_nomor").set_value(b).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="kkk_tim_kembali").value == tim2
    assert at.text_area(key=f"kkk_tim_alasan_{tim2}").value == "I3: Cek register layanan"
    at.button(key="kkk_tim_buka").click().run()
    assert not at.exception, at.exception
    assert "dibuka kembali" in texts(at)
    assert realisasi.header(org.actors.staf, y, b, tim2)["status"] == "DRAFT"
    pj = page("kinerja_realisasi.py", org.usernames["staf"]).run()
    pj.selectbox(key="kreal_bulan").set_value(b).run()
    assert not pj.exception, pj.exception
    assert "Cek register layanan" in texts(pj)
    assert pj.button(key="kreal_ajukan")  # editable again
