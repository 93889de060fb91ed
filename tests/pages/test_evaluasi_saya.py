"""AppTest: "Evaluasi Kinerja Saya" — renders for a pegawai with an approved SKP (slot picker, header, tabs), a
rencana aksi saved through the grid (and a bad row kept with its error), realisasi saved, submit and withdraw
through the buttons, the read-only view after submission, and the message without an SKP.

The page works with the real date; tests pick the Q1 slot of the current year (already ended, so submission is
allowed; before 1 April the clock is moved to 1 April)."""

from __future__ import annotations

import datetime as dt

import pytest

from services.core import clock
from services.evaluasi import pegawai as evaluasi
from tests import evaluasi_factories as ef
from tests.pages.helpers import page, texts

YEAR = clock.today().year


@pytest.fixture(autouse=True)
def _after_q1():
    """Early in the year Q1 has not ended yet: the tests then run on 1 April, when submitting Q1 is allowed."""
    if clock.today() >= dt.date(YEAR, 4, 1):
        yield
        return
    with clock.frozen(dt.datetime(YEAR, 4, 1, 10, 0)):
        yield


@pytest.fixture
def ctx(sqlite_org):
    ef.setup(sqlite_org)
    return sqlite_org


def staf_page(org, who: str = "staf"):
    return page("evaluasi_saya.py", org.usernames[who])


def button(at, label):
    return next(b for b in at.button if b.label == label)


def q1_key(org, who: str = "staf") -> str:
    return f"{ef.skp_id(org, who)}|Periodik|1"


def open_q1(org, who: str = "staf"):
    at = staf_page(org, who).run()
    assert not at.exception, at.exception
    at.selectbox(key=next(k for k in at.session_state if str(k).startswith("ev_saya_slot_"))).set_value(
        q1_key(org, who)).run()
    assert not at.exception, at.exception
    return at


def test_page_renders_with_slots_header_and_tabs(ctx):
    org = ctx
    at = staf_page(org).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Evaluasi Kinerja Saya"
    assert [t.label for t in at.tabs] == ["Rencana Aksi", "Realisasi", "Hasil Penilaian"]
    slot = next(s for s in at.selectbox if s.label == "Periode evaluasi")
    assert len(slot.options) == 5  # four quarters and the annual evaluation
    shown = texts(at)
    assert "Batas rencana aksi" in shown and "Budi Santoso, S.E." in shown
    assert "Hasil penilaian tampil setelah" in shown
    assert {"Simpan rencana aksi", "Simpan target IKI", "Simpan realisasi", "Isi dari logbook",
            "Ajukan realisasi"} <= {b.label for b in at.button}


def test_grid_saves_rencana_aksi_and_keeps_bad_input(ctx):
    org = ctx
    at = open_q1(org)
    ev_id = ef.periodic(org, "staf")
    label = next(iter(evaluasi.rhk_options(org.actors.staf, ev_id)))
    key = f"ev_ra_{ev_id}__0"
    assert key in at.session_state
    at.session_state[key] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"rhk": label, "uraian": "Menyusun laporan triwulan", "target": 3, "satuan": "laporan"},
        {"rhk": label, "uraian": "", "target": 1, "satuan": "laporan"}]}
    button(at, "Simpan rencana aksi").click().run()
    assert not at.exception, at.exception
    assert "Baris 2, kolom Rencana Aksi" in texts(at)
    assert evaluasi.evaluasi_detail(org.actors.staf, ev_id).rencana_aksi == []
    assert f"ev_ra_{ev_id}__0" in at.session_state  # the editor (and its input) was kept

    at.session_state[key] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"rhk": label, "uraian": "Menyusun laporan triwulan", "target": 3, "satuan": "laporan"}]}
    button(at, "Simpan rencana aksi").click().run()
    assert not at.exception, at.exception
    ra = evaluasi.evaluasi_detail(org.actors.staf, ev_id).rencana_aksi
    assert [(r.uraian, r.satuan) for r in ra] == [("Menyusun laporan triwulan", "laporan")]
    assert "Rencana aksi disimpan: 1 ditambahkan" in texts(at)


def test_realisasi_submit_and_withdraw_through_buttons(ctx, clock):
    org = ctx
    clock.set(ef.q1_today(org))  # after Triwulan I of the org's year: the realisasi may be submitted
    ev_id = ef.periodic(org, "staf")
    evaluasi.save_rencana_aksi(org.actors.staf, ev_id, ef.rencana_rows(org, "staf", ev_id))
    at = open_q1(org)
    d = evaluasi.evaluasi_detail(org.actors.staf, ev_id)
    at.session_state[f"ev_real_ra_{ev_id}__0"] = {"edited_rows": {"0": {
        "realisasi": 3, "bukti_dukung": "https://drive.example.go.id/a https://drive.example.go.id/b"}},
        "added_rows": [], "deleted_rows": []}
    at.session_state[f"ev_real_iki_{ev_id}__0"] = {"edited_rows": {"0": {"realisasi": 2}}, "added_rows": [],
                                                   "deleted_rows": []}
    at.session_state[f"ev_real_rhk_{ev_id}__0"] = {"edited_rows": {"0": {"realisasi": "Tiga laporan selesai"}},
                                                   "added_rows": [], "deleted_rows": []}
    button(at, "Simpan realisasi").click().run()
    assert not at.exception, at.exception
    d = evaluasi.evaluasi_detail(org.actors.staf, ev_id)
    assert d.rencana_aksi[0].bukti_dukung == "https://drive.example.go.id/a\nhttps://drive.example.go.id/b"
    assert d.iki[0].realisasi == 2 and d.iki[0].capaian is not None
    assert d.hasil[0].realisasi == "Tiga laporan selesai"

    button(at, "Ajukan realisasi").click().run()
    assert not at.exception, at.exception
    assert ef.status(ev_id) == "DIAJUKAN"
    assert "Realisasi diajukan" in texts(at)
    assert "Simpan rencana aksi" not in {b.label for b in at.button}
    assert len(at.dataframe) >= 3  # read-only tables instead of editors

    button(at, "Tarik kembali").click().run()
    assert not at.exception, at.exception
    assert ef.status(ev_id) == "DRAFT"


def test_submit_refusal_is_listed(ctx):
    org = ctx
    at = open_q1(org)
    button(at, "Ajukan realisasi").click().run()
    assert not at.exception, at.exception
    assert "belum memiliki rencana aksi" in texts(at)
    assert ef.status(ef.periodic(org, "staf")) == "DRAFT"


def test_without_skp_a_clear_message(sqlite_org):
    at = staf_page(sqlite_org, "ketua").run()
    assert not at.exception, at.exception
    assert "belum memiliki SKP" in texts(at)


def test_unapproved_skp_explains_why(sqlite_org):
    from tests import skp_factories as sf

    k = sf.kepala_skp(sqlite_org)
    m = sf.kasub_skp(sqlite_org, k.rhk)
    sf.staff_skp(sqlite_org, "staf", m.rhk[0])  # submitted, not approved
    at = staf_page(sqlite_org).run()
    assert not at.exception, at.exception
    assert "SKP belum disetujui" in texts(at)


def test_before_submission_opens_the_page_says_from_when(ctx):
    from services.core import clock

    org = ctx
    with clock.frozen(dt.date(org.year, 2, 10)):  # Q1 ends 31 March: submission opens 24 March
        at = open_q1(org)
        opens = "Realisasi dapat diajukan mulai 24 Maret " + str(org.year)
        assert any(opens in i.value for i in at.info)
        assert button(at, "Ajukan realisasi").disabled
        assert "kesalahan" not in texts(at)


def test_rencana_aksi_paste_box_preview_apply_save(ctx):
    org = ctx
    at = open_q1(org)
    ev_id = ef.periodic(org, "staf")
    assert any(d.proto.label == "Unduh Excel" for d in at.get("download_button"))
    at.text_area(key=f"ev_ra_{ev_id}__tempel__teks").set_value(
        "1\tMenyusun laporan triwulan\t3\tlaporan\n1\t\tdua\tlaporan")
    button(at, "Periksa tempelan").click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "1 baris siap diterapkan, 1 baris bermasalah" in shown and "Baris 2, kolom Target" in shown
    button(at, "Terapkan 1 baris ke tabel").click().run()
    assert not at.exception, at.exception
    button(at, "Simpan rencana aksi").click().run()
    assert not at.exception, at.exception
    ra = evaluasi.evaluasi_detail(org.actors.staf, ev_id).rencana_aksi
    assert [(r.uraian, r.satuan) for r in ra] == [("Menyusun laporan triwulan", "laporan")]
    assert "dua" in at.text_area(key=f"ev_ra_{ev_id}__tempel__teks").value  # the bad row stays in the box


def test_realisasi_paste_box_applies_to_the_iki_grid(ctx):
    org = ctx
    at = open_q1(org)
    ev_id = ef.periodic(org, "staf")
    iki = evaluasi.evaluasi_detail(org.actors.staf, ev_id).iki[0]
    at.text_area(key=f"ev_real_iki_{ev_id}__tempel__teks").set_value(f"{iki.indikator}\t2,5")
    next(b for b in at.button if b.label == "Periksa tempelan" and "ev_real_iki" in b.key).click().run()
    assert not at.exception, at.exception
    assert "1 baris siap diterapkan, 0 baris bermasalah" in texts(at)
    button(at, "Terapkan 1 baris ke tabel").click().run()
    assert not at.exception, at.exception
    button(at, "Simpan realisasi").click().run()
    assert not at.exception, at.exception
    got = evaluasi.evaluasi_detail(org.actors.staf, ev_id).iki[0].realisasi
    assert got is not None and float(got) == 2.5


def test_target_iki_paste_box_preview_apply_save(ctx):
    org = ctx
    at = open_q1(org)
    ev_id = ef.periodic(org, "staf")
    iki = evaluasi.evaluasi_detail(org.actors.staf, ev_id).iki[0]
    key = f"ev_iki_target_{ev_id}__tempel__teks"
    at.text_area(key=key).set_value(f"{iki.indikator}\t\t7,5\t\t\nTidak ada\t\t1\t\t")
    next(b for b in at.button if b.label == "Periksa tempelan" and "ev_iki_target" in b.key).click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "1 baris siap diterapkan, 1 baris bermasalah" in shown
    assert "Baris 2, kolom Indikator Kinerja Individu" in shown
    next(b for b in at.button if b.label == "Terapkan 1 baris ke tabel").click().run()
    assert not at.exception, at.exception
    assert float(evaluasi.evaluasi_detail(org.actors.staf, ev_id).iki[0].target_min) == float(iki.target_min)
    button(at, "Simpan target IKI").click().run()
    assert not at.exception, at.exception
    assert float(evaluasi.evaluasi_detail(org.actors.staf, ev_id).iki[0].target_min) == 7.5
    assert "Tidak ada" in at.text_area(key=key).value  # the bad row stays in the box
