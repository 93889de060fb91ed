"""AppTest: "Logbook Harian" for a pegawai — grid save with a good and a bad row, submit, the monthly points card,
copy of yesterday's entries, the heat map, and the SOP 003 message without an approved SKP.

The page works on the current month (today), so the org is built for today's year and entries are dated today
(with a holiday note, in case today is not a working day)."""

from __future__ import annotations

import datetime as dt

import pytest

from services import logbook
from services.core import clock, fmt
from services.logbook.entries import StatusLogbook
from services.org import kalender
from tests import logbook_factories as lf
from tests.pages.helpers import page, texts
from ui import logbook as ui
from ui.logbook import grid_key

TODAY = clock.today()
NOTE = "Piket pelayanan"


@pytest.fixture
def ctx(sqlite_org):
    sk = lf.approved_skps(sqlite_org, on=TODAY)
    return sqlite_org, sk.staf_rhk[0].label


def staf_page(org):
    return page("logbook_saya.py", org.usernames["staf"])


def editor() -> str:
    return grid_key(TODAY.year, TODAY.month) + "__0"


def button(at, label):
    return next(b for b in at.button if b.label == label)


def added(label: str, **kw) -> dict:
    """A new row as the browser's data_editor reports it (ISO date, HH:MM times)."""
    row = {"tanggal": TODAY.isoformat(), "jam_mulai": "08:00:00.000", "jam_selesai": "09:30:00.000", "rhk": label,
           "uraian": "Menyusun laporan kegiatan", "volume": 1, "satuan": "dokumen", "catatan_hari_libur": NOTE}
    row.update(kw)
    return row


def edit(at, rows: list[dict]) -> None:
    at.session_state[editor()] = {"edited_rows": {}, "added_rows": rows, "deleted_rows": []}


def stored(org) -> list[tuple]:
    df = logbook.month_grid(org.actors.staf, TODAY.year, TODAY.month)
    return [(r.tanggal, r.durasi_menit, r.uraian, r.status) for r in df.itertuples()]


def save_entries(org, label: str, n: int = 2) -> list[int]:
    rows = [lf.row(TODAY, f"{8 + i:02d}:00", f"{9 + i:02d}:00", label, n=i + 1, catatan_hari_libur=NOTE)
            for i in range(n)]
    logbook.save_month(org.actors.staf, TODAY.year, TODAY.month, rows)
    return [int(i) for i in logbook.month_grid(org.actors.staf, TODAY.year, TODAY.month)["id"]]


def test_page_shows_month_points_grid_and_heatmap(ctx):
    org, label = ctx
    at = staf_page(org).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Logbook Harian"
    assert at.selectbox(key="lb_bulan").value == TODAY.month
    assert fmt.bulan(TODAY.month) in texts(at)
    assert editor() in at.session_state
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1 and "Senin" in charts[0].proto.spec and "menit" in charts[0].proto.spec
    assert {"Salin kegiatan kemarin", "Ajukan", "Simpan perubahan"} <= {b.label for b in at.button}


def test_grid_save_good_row_is_stored(ctx):
    org, label = ctx
    at = staf_page(org).run()
    edit(at, [added(label)])
    button(at, "Simpan perubahan").click()
    at.run()
    assert not at.exception, at.exception
    assert stored(org) == [(TODAY, 90, "Menyusun laporan kegiatan", "Draft")]
    assert "Logbook disimpan: 1 ditambah." in texts(at)
    assert grid_key(TODAY.year, TODAY.month) + "__1" in at.session_state  # the editor restarted


def test_grid_save_bad_row_reports_row_and_keeps_edits(ctx):
    org, label = ctx
    at = staf_page(org).run()
    rows = [added(label), added(label, jam_mulai="10:00", jam_selesai="11:00", volume=0, uraian="")]
    edit(at, rows)
    button(at, "Simpan perubahan").click()
    at.run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Data tidak disimpan" in shown
    assert "Baris 2, kolom Volume" in shown and "Baris 2, kolom Uraian Kegiatan" in shown
    assert "Baris 1" not in shown
    assert stored(org) == []
    assert at.session_state[editor()]["added_rows"] == rows  # nothing typed is lost


def test_submit_all_drafts_moves_them_to_diajukan(ctx):
    org, label = ctx
    ids = save_entries(org, label)
    at = staf_page(org).run()
    assert "2 kegiatan Draft/Revisi bulan ini." in texts(at)
    button(at, "Ajukan").click()
    at.run()
    assert not at.exception, at.exception
    assert [s for *_, s in stored(org)] == ["Belum Diperiksa"] * 2
    assert "2 kegiatan diajukan." in texts(at)
    d = logbook.entry_detail(org.actors.staf, ids[0])
    assert d.status == StatusLogbook.DIAJUKAN.value


def test_submit_one_day(ctx):
    org, label = ctx
    save_entries(org, label, n=1)
    at = staf_page(org).run()
    at.radio(key="lb_ajukan_scope").set_value("Satu hari").run()
    assert at.selectbox(key="lb_ajukan_hari").value == TODAY
    button(at, "Ajukan").click()
    at.run()
    assert not at.exception, at.exception
    assert [s for *_, s in stored(org)] == ["Belum Diperiksa"]


def test_points_card_shows_approved_pending_and_target(ctx):
    org, label = ctx
    ids = save_entries(org, label)
    logbook.submit(org.actors.staf, ids)
    logbook.review(org.actors.kasub, [ids[0]], "setujui")
    p = logbook.monthly_points(org.actors.staf, TODAY.year, TODAY.month)
    assert p.disetujui_menit == 60 and p.diajukan_menit == 60 and p.target_menit > 0
    at = staf_page(org).run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert f"60 / {fmt.angka(p.target_menit)} menit ({fmt.angka(p.persen, 2)}%)" in shown
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Disetujui (dihitung)"] == "60 menit"
    assert metrics["Menunggu pemeriksaan"] == "60 menit"
    assert metrics["Dikembalikan (revisi)"] == "0 menit"
    assert at.get("progress")[0].value == pytest.approx(p.persen / 100, abs=0.01)


def test_copy_yesterday_adds_drafts(ctx):
    org, label = ctx
    workdays = [d for d in kalender.working_days(TODAY.year, TODAY.month) if d.day > 1 and d <= TODAY]
    if not workdays:
        pytest.skip("no working day after the 1st of this month yet")
    target = workdays[-1]
    source = target - dt.timedelta(days=1)
    logbook.save_month(org.actors.staf, TODAY.year, TODAY.month,
                       [lf.row(source, "08:00", "09:00", label, catatan_hari_libur=NOTE)])
    at = staf_page(org).run()
    at.date_input(key="lb_salin_ke").set_value(target).run()
    assert fmt.tanggal(source) in texts(at)
    button(at, "Salin kegiatan kemarin").click()
    at.run()
    assert not at.exception, at.exception
    assert sorted((d, m, s) for d, m, _, s in stored(org)) == [(source, 60, "Draft"), (target, 60, "Draft")]
    assert "Logbook disimpan: 1 ditambah." in texts(at)


def test_no_approved_skp_shows_sop_003_message(sqlite_org):
    at = staf_page(sqlite_org).run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "SOP 003" in shown
    assert editor() not in at.session_state  # no grid
    assert "Simpan perubahan" not in {b.label for b in at.button}


def test_admin_without_pegawai_role_is_refused(sqlite_org):
    at = page("logbook_saya.py", sqlite_org.usernames["admin"]).run()
    assert not at.exception, at.exception
    assert "Anda tidak memiliki akses ke halaman ini." in texts(at)
    assert not at.title


def test_editor_time_strings_become_times():
    rows = [{"jam_mulai": "08:30:00.000", "jam_selesai": "25:00:00.000", "uraian": "x"},
            {"jam_mulai": None, "jam_selesai": "9:15"}]
    assert ui.editor_rows(rows) == [{"jam_mulai": dt.time(8, 30), "jam_selesai": "25:00:00.000", "uraian": "x"},
                                    {"jam_mulai": None, "jam_selesai": "9:15"}]


def test_not_logged_in_sees_only_the_login_prompt(sqlite_org):
    at = page("logbook_saya.py").run()
    assert not at.exception, at.exception
    assert not at.title or at.title[0].value != "Logbook Harian"


def test_detail_lists_and_deletes_an_attachment(ctx):
    org, label = ctx
    eid = save_entries(org, label, n=1)[0]
    logbook.add_attachment(org.actors.staf, eid, "bukti.pdf", b"%PDF-1.4 bukti")
    at = staf_page(org).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="lb_detail_id").value == eid
    assert "bukti.pdf" in texts(at)
    button(at, "Hapus").click()
    at.run()
    assert not at.exception, at.exception
    assert logbook.entry_detail(org.actors.staf, eid).attachments == []
    assert "Lampiran dihapus." in texts(at)


def test_correction_request_for_an_approved_entry(ctx):
    org, label = ctx
    ids = save_entries(org, label, n=1)
    logbook.submit(org.actors.staf, ids)
    logbook.review(org.actors.kasub, ids, "setujui")
    at = staf_page(org).run()
    assert "Hapus" not in {b.label for b in at.button}  # approved: attachments locked
    next(t for t in at.text_area if t.label != "Teks dari Excel").input("Volume seharusnya 2 dokumen")
    button(at, "Minta koreksi").click()
    at.run()
    assert not at.exception, at.exception
    d = logbook.entry_detail(org.actors.staf, ids[0])
    assert [(k.alasan, k.status) for k in d.corrections] == [("Volume seharusnya 2 dokumen", "DIAJUKAN")]
    assert "Permintaan koreksi dikirim" in texts(at) and not d.can_request_correction


def test_grid_with_required_cells_explains_streamlits_english_hint(ctx):
    """Streamlit says "Please fill out this cell" in English; the page explains it in Bahasa Indonesia."""
    at = staf_page(ctx[0]).run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Please fill out this cell" in shown and "sel wajib diisi" in shown


def test_paste_box_previews_bad_cells_and_adds_good_rows(ctx):
    from domain import cells

    org, label = ctx
    at = staf_page(org).run()
    good = [[f"{TODAY:%d/%m/%Y}", f"{7 + i:02d}.00", f"{7 + i}:30", "", "1", f"Kegiatan {i}", "1,5", "dokumen", "",
             NOTE] for i in range(3)]
    bad = [[f"{TODAY:%d/%m/%Y}", "25.00", "", "", "1", "", "abc", "dokumen"]]
    key = grid_key(TODAY.year, TODAY.month) + "__tempel__teks"
    at.text_area(key=key).input(cells.format_tsv(good + bad))
    button(at, "Periksa tempelan").click()
    at.run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "3 baris siap diterapkan, 1 baris bermasalah" in shown
    assert "Baris 4, kolom Jam Mulai" in shown and "Baris 4, kolom Volume" in shown
    assert "Baris 4, kolom Uraian Kegiatan" in shown
    button(at, "Terapkan 3 baris ke tabel").click()
    at.run()
    assert not at.exception, at.exception
    assert "3 baris dari Excel diterapkan" in texts(at)
    assert "25.00" in at.text_area(key=key).value  # the bad row stays in the box
    assert stored(org) == []  # nothing saved until Save
    button(at, "Simpan perubahan").click()
    at.run()
    assert not at.exception, at.exception
    assert [(d, m, u) for d, m, u, _s in stored(org)] == [(TODAY, 30, f"Kegiatan {i}") for i in range(3)]


def test_grid_keeps_edits_when_month_changes_underneath(ctx):
    """Old loss: the grid re-read the month on every rerun and applied edits by position, so a row approved or
    added elsewhere while the pegawai typed dropped or misplaced the edit. Now the grid keeps what it opened
    with, warns, and Save merges the edit into the right row."""
    org, label = ctx
    a, b = save_entries(org, label)
    logbook.submit(org.actors.staf, [a])
    at = staf_page(org).run()
    at.session_state[editor()] = {"edited_rows": {"1": {"uraian": "Diubah pegawai"}}, "added_rows": [],
                                  "deleted_rows": []}
    logbook.review(org.actors.kasub, [a], "setujui")  # the penilai approves row 1
    logbook.save_month(org.actors.staf, TODAY.year, TODAY.month,  # another tab adds an earlier row
                       [lf.row(TODAY, "06:00", "07:00", label, uraian="Dari tab lain", catatan_hari_libur=NOTE)])
    at.run()
    assert "telah diubah di tempat lain" in texts(at)
    button(at, "Simpan perubahan").click()
    at.run()
    assert not at.exception, at.exception
    rows = {r.id: r for r in logbook.month_grid(org.actors.staf, TODAY.year, TODAY.month).itertuples()}
    assert rows[b].uraian == "Diubah pegawai" and rows[a].status == "Disetujui"
    assert sorted(r.uraian for r in rows.values()).count("Dari tab lain") == 1


def test_unduh_excel_pasted_back_unchanged_changes_nothing(ctx):
    """Round trip on the page: the sheet "Unduh Excel" gives, pasted back, is recognised row by row as the stored
    entries (a submitted one included): no overlap errors, no new rows, nothing to save."""
    import io

    import pandas as pd

    from domain import cells

    org, label = ctx
    a, _b = save_entries(org, label)
    logbook.submit(org.actors.staf, [a])
    at = staf_page(org).run()
    assert any(d.proto.label == "Unduh Excel" for d in at.get("download_button"))
    sheet = pd.read_excel(io.BytesIO(logbook.month_xlsx(org.actors.staf, TODAY.year, TODAY.month)), dtype=object,
                          header=None)
    text = cells.format_tsv([["" if pd.isna(v) else str(v) for v in row] for row in sheet.itertuples(index=False)])
    key = grid_key(TODAY.year, TODAY.month) + "__tempel__teks"
    at.text_area(key=key).input(text)
    button(at, "Periksa tempelan").click()
    at.run()
    assert not at.exception, at.exception
    assert "2 baris siap diterapkan, 0 baris bermasalah" in texts(at)
    before = stored(org)
    button(at, "Terapkan 2 baris ke tabel").click()
    at.run()
    assert not at.exception, at.exception
    button(at, "Simpan perubahan").click()
    at.run()
    assert "Tidak ada perubahan untuk disimpan." in texts(at)
    assert stored(org) == before
