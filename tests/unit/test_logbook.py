"""Logbook (pegawai side): grid save with every validation rule, locks, late entries, copy/reuse, attachments,
and the monthly points formula against a hand-computed month. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import LogbookEntry, StatusLogbook
from services import logbook
from services.core import settings
from services.core.errors import PermissionDenied, ValidationFailed
from services.logbook.entries import LABELS, LogbookStatusError, NoApprovedSkp
from services.org import kalender, periods
from tests import logbook_factories as lf
from tests import skp_factories as f
from tests.factories import build_org

D = dt.date


@pytest.fixture
def lorg(db):
    return build_org(lf.ORG_YEAR)


@pytest.fixture
def ctx(lorg):
    sk = lf.approved_skps(lorg)
    return lorg, sk.staf_rhk[0].label, sk


def _errors(exc: ValidationFailed) -> set[tuple[int | None, str]]:
    return {(e.row, e.field) for e in exc.errors}


def _ids(actor, year=2026, month=3) -> list[int]:
    return [int(i) for i in logbook.month_grid(actor, year, month)["id"]]


def test_save_computes_durations_and_grid_reads_back(ctx):
    org, lab, sk = ctx
    res = logbook.save_month(org.actors.staf, 2026, 3, lf.numbered([
        lf.row(D(2026, 3, 2), "08:00", "10:15", lab, volume="1,5"),
        lf.row(D(2026, 3, 2), "10:15", None, sk.staf_rhk[0].id, durasi_menit=45, bukti_link="https://drive/x"),
        lf.row(D(2026, 3, 3), None, None, lab, durasi_menit=90),
        lf.row(D(2026, 3, 7), "08:00", "09:00", lab, catatan_hari_libur="Piket pelayanan akhir pekan"),
    ]), today=lf.TODAY)
    assert (res.ditambah, res.diubah, res.dihapus) == (4, 0, 0) and "4 ditambah" in res.pesan
    df = logbook.month_grid(org.actors.staf, 2026, 3)
    assert list(df.columns) == logbook.COLUMNS
    assert df["durasi_menit"].tolist() == [135, 45, 90, 60]
    assert df.loc[1, "jam_selesai"] == dt.time(11, 0) and df.loc[0, "volume"] == 1.5
    assert set(df["status"]) == {"Draft"} and set(df["rhk"]) == {lab}
    info = logbook.month_info(org.actors.staf, 2026, 3, today=lf.TODAY)
    assert info.skp_ok and info.rhk_labels == [lab] and not info.ditutup
    assert info.batas_isi == D(2026, 4, 5) and info.batas_penilaian == D(2026, 4, 15)
    assert D(2026, 3, 19) in info.hari_libur and D(2026, 3, 19) not in info.hari_kerja


def test_every_validation_rule_reports_row_and_column_and_writes_nothing(ctx):
    org, lab, _ = ctx
    today = D(2026, 3, 16)
    staf = org.actors.staf
    logbook.save_month(staf, 2026, 3, [lf.row(D(2026, 3, 2), "08:00", "10:00", lab)], today=today)
    before = lf.snapshot()
    dur = {"durasi_menit": 30}
    rows = lf.numbered([
        lf.row(D(2026, 4, 1), None, None, lab, **dur),                            # 1 outside the month
        lf.row(None, None, None, lab, **dur),                                     # 2 no date
        lf.row(D(2026, 3, 17), None, None, lab, **dur),                           # 3 future
        lf.row(D(2026, 3, 7), None, None, lab, **dur),                            # 4 Saturday without note
        lf.row(D(2026, 3, 9), "25:00", "26:00", lab),                             # 5 bad time
        lf.row(D(2026, 3, 9), "10:00", "09:00", lab),                             # 6 end before start
        lf.row(D(2026, 3, 9), None, "11:00", lab),                                # 7 end without start
        lf.row(D(2026, 3, 9), "13:00", "14:00", lab, durasi_menit=30),            # 8 duration mismatch
        lf.row(D(2026, 3, 9), None, None, lab),                                   # 9 no time, no duration
        lf.row(D(2026, 3, 2), "09:00", "09:30", lab),                             # 10 overlaps the stored entry
        lf.row(D(2026, 3, 3), "08:00", "09:00", lab),                             # 11 overlaps row 12
        lf.row(D(2026, 3, 3), "08:30", "09:30", lab),                             # 12 overlaps row 11
        lf.row(D(2026, 3, 4), None, None, lab, durasi_menit=800),                 # 13 over the daily cap alone
        lf.row(D(2026, 3, 5), None, None, lab, durasi_menit=400),                 # 14 together with 15 over cap
        lf.row(D(2026, 3, 5), None, None, lab, durasi_menit=400),                 # 15
        lf.row(D(2026, 3, 6), None, None, lab, volume=0, **dur),                  # 16 volume 0
        lf.row(D(2026, 3, 6), None, None, lab, volume="banyak", **dur),           # 17 volume not a number
        lf.row(D(2026, 3, 6), None, None, lab, uraian="x" * 1001, **dur),         # 18 uraian too long
        lf.row(D(2026, 3, 6), None, None, lab, uraian="  ", **dur),               # 19 uraian empty
        lf.row(D(2026, 3, 6), None, None, lab, satuan=None, **dur),               # 20 satuan missing
        lf.row(D(2026, 3, 6), None, None, lab, bukti_link="ftp://arsip", **dur),  # 21 link not http(s)
        lf.row(D(2026, 3, 6), None, None, "RHK karangan", **dur),                 # 22 RHK not in the SKP
        lf.row(D(2026, 3, 6), None, None, None, **dur),                           # 23 RHK missing
        lf.row(D(2026, 3, 6), None, None, lab, volume=-2, **dur),                 # 24 negative volume
        lf.row(D(2026, 3, 6), None, None, lab, durasi_menit=0),                   # 25 zero duration
        lf.row(D(2026, 3, 10), None, None, lab, **dur),                           # 26 valid: must not be saved
    ])
    with pytest.raises(ValidationFailed) as exc:
        logbook.save_month(staf, 2026, 3, rows, today=today)
    L = LABELS
    assert _errors(exc.value) == {
        (1, L["tanggal"]), (2, L["tanggal"]), (3, L["tanggal"]), (4, L["catatan_hari_libur"]),
        (5, L["jam_mulai"]), (5, L["jam_selesai"]), (6, L["jam_selesai"]), (7, L["jam_mulai"]),
        (8, L["durasi_menit"]), (9, L["durasi_menit"]), (10, L["jam_mulai"]), (11, L["jam_mulai"]),
        (12, L["jam_mulai"]), (13, L["durasi_menit"]), (14, L["durasi_menit"]), (15, L["durasi_menit"]),
        (16, L["volume"]), (17, L["volume"]), (18, L["uraian"]), (19, L["uraian"]), (20, L["satuan"]),
        (21, L["bukti_link"]), (22, L["rhk"]), (23, L["rhk"]), (24, L["volume"]), (25, L["durasi_menit"]),
    }
    msgs = {(e.row, e.field): e.message for e in exc.value.errors}
    assert "masa depan" in msgs[(3, L["tanggal"])]
    assert "bukan hari kerja" in msgs[(4, L["catatan_hari_libur"])]
    assert "kegiatan tersimpan" in msgs[(10, L["jam_mulai"])] and "baris 12" in msgs[(11, L["jam_mulai"])]
    assert "720" in msgs[(13, L["durasi_menit"])] and "800 menit" in msgs[(14, L["durasi_menit"])]
    assert lf.snapshot() == before


def test_settings_drive_caps_and_text_limit(ctx):
    org, lab, _ = ctx
    settings.update_many(org.actors.admin, {"logbook_maks_menit_harian": "120", "logbook_teks_maks": "100"})
    with pytest.raises(ValidationFailed) as exc:
        logbook.save_month(org.actors.staf, 2026, 3, lf.numbered([
            lf.row(D(2026, 3, 2), "08:00", "10:30", lab),
            lf.row(D(2026, 3, 3), None, None, lab, durasi_menit=60, uraian="y" * 101),
        ]), today=lf.TODAY)
    assert _errors(exc.value) == {(1, LABELS["durasi_menit"]), (2, LABELS["uraian"])}
    assert lf.count_entries() == 0


def test_no_approved_skp_means_no_entry(lorg):
    k = f.kepala_skp(lorg)
    m = f.kasub_skp(lorg, k.rhk)
    f.staff_skp(lorg, "staf", m.rhk[0])  # submitted, not approved
    staf = lorg.actors.staf
    with pytest.raises(NoApprovedSkp, match="SOP 003"):
        logbook.rhk_options(staf, lf.TODAY)
    info = logbook.month_info(staf, 2026, 3, today=lf.TODAY)
    assert not info.skp_ok and "SOP 003" in info.pesan_skp and info.rhk_labels == []
    with pytest.raises(ValidationFailed) as exc:
        logbook.save_month(staf, 2026, 3, [lf.row(D(2026, 3, 2), "08:00", "09:00", "U1. apa saja")], today=lf.TODAY)
    assert _errors(exc.value) == {(1, LABELS["rhk"])} and "SOP 003" in exc.value.errors[0].message
    with pytest.raises(PermissionDenied):
        logbook.month_grid(lorg.actors.admin, 2026, 3)


def test_closed_period_refuses_entries(ctx):
    org, lab, _ = ctx
    periods.close_period(org.actors.admin, f.period_id(org))
    with pytest.raises(ValidationFailed) as exc:
        logbook.save_month(org.actors.staf, 2026, 3, [lf.row(D(2026, 3, 2), "08:00", "09:00", lab)], today=lf.TODAY)
    assert _errors(exc.value) == {(1, LABELS["tanggal"])} and "ditutup" in exc.value.errors[0].message


def test_submitted_and_approved_entries_are_locked(ctx):
    org, lab, _ = ctx
    staf = org.actors.staf
    logbook.save_month(staf, 2026, 3, lf.numbered([lf.row(D(2026, 3, 2), "08:00", "09:00", lab),
                                                   lf.row(D(2026, 3, 3), "08:00", "09:00", lab)]), today=lf.TODAY)
    a, b = _ids(staf)
    logbook.submit(staf, [a, b], today=lf.TODAY)
    logbook.review(org.actors.kasub, [a], "setujui")
    grid = logbook.month_grid(staf, 2026, 3).to_dict("records")
    edited = [dict(grid[0], uraian="Diubah setelah disetujui", _row=1), dict(grid[1], jam_selesai="10:00", _row=2)]
    before = lf.snapshot()
    with pytest.raises(ValidationFailed) as exc:
        logbook.save_month(staf, 2026, 3, edited, today=lf.TODAY)
    assert _errors(exc.value) == {(1, LABELS["status"]), (2, LABELS["status"])}
    assert "koreksi" in exc.value.errors[0].message
    with pytest.raises(ValidationFailed):
        logbook.save_month(staf, 2026, 3, [], [a], today=lf.TODAY)
    assert lf.snapshot() == before
    unchanged = [dict(grid[0], _row=1)]
    assert logbook.save_month(staf, 2026, 3, unchanged, today=lf.TODAY).pesan == "Tidak ada perubahan."
    with pytest.raises(LogbookStatusError):
        logbook.submit(staf, [a], today=lf.TODAY)
    with pytest.raises(PermissionDenied):
        logbook.submit(org.actors.staf2, [b], today=lf.TODAY)


def test_edit_delete_and_stale_version(ctx):
    org, lab, _ = ctx
    staf = org.actors.staf
    logbook.save_month(staf, 2026, 3, lf.numbered([lf.row(D(2026, 3, 2), "08:00", "09:00", lab),
                                                   lf.row(D(2026, 3, 2), "09:00", "10:00", lab)]), today=lf.TODAY)
    grid = logbook.month_grid(staf, 2026, 3).to_dict("records")
    res = logbook.save_month(staf, 2026, 3, [dict(grid[0], jam_selesai="08:30", _row=1)], [grid[1]["id"]],
                             today=lf.TODAY)
    assert (res.diubah, res.dihapus) == (1, 1)
    df = logbook.month_grid(staf, 2026, 3)
    assert df["durasi_menit"].tolist() == [30] and df.loc[0, "version"] == 2
    from services.core.errors import Conflict

    with pytest.raises(Conflict):
        logbook.save_month(staf, 2026, 3, [dict(grid[0], uraian="lama", _row=1)], today=lf.TODAY)


def test_late_entries_need_justification_and_acceptance(ctx):
    org, lab, _ = ctx
    staf, kasub = org.actors.staf, org.actors.kasub
    logbook.save_month(staf, 2026, 3, [lf.row(D(2026, 3, 2), "08:00", "09:00", lab)], today=lf.TODAY)
    draft_before_closing = _ids(staf)[0]
    late_day = D(2026, 4, 6)  # after the 5th (setting logbook_batas_isi_hari)
    assert logbook.month_info(staf, 2026, 3, today=late_day).ditutup
    with pytest.raises(ValidationFailed) as exc:
        logbook.save_month(staf, 2026, 3, [lf.row(D(2026, 3, 3), "08:00", "09:00", lab)], today=late_day)
    assert _errors(exc.value) == {(1, LABELS["justifikasi_terlambat"])}
    logbook.save_month(staf, 2026, 3, [lf.row(D(2026, 3, 3), "08:00", "09:00", lab,
                                              justifikasi_terlambat="Dinas luar tanpa jaringan")], today=late_day)
    with pytest.raises(ValidationFailed) as exc:  # a draft made in time but submitted late also needs one
        logbook.submit(staf, _ids(staf), today=late_day)
    assert exc.value.errors[0].field == LABELS["justifikasi_terlambat"]
    grid = logbook.month_grid(staf, 2026, 3).to_dict("records")
    logbook.save_month(staf, 2026, 3, [dict(grid[0], justifikasi_terlambat="Lupa mengajukan", _row=1)],
                       today=late_day)
    assert logbook.submit(staf, _ids(staf), today=late_day) == 2
    logbook.review(kasub, _ids(staf), "setujui")
    with read_session() as s:
        rows = s.execute(select(LogbookEntry.id, LogbookEntry.terlambat, LogbookEntry.terlambat_diterima)).all()
    assert {r[0]: (r[1], r[2]) for r in rows} == {draft_before_closing: (True, True),
                                                  max(r[0] for r in rows): (True, True)}


def test_copy_day_and_frequent_activities(ctx):
    org, lab, _ = ctx
    staf = org.actors.staf
    logbook.save_month(staf, 2026, 3, lf.numbered([
        lf.row(D(2026, 3, 2), "08:00", "09:00", lab, uraian="Rekonsiliasi kas"),
        lf.row(D(2026, 3, 2), "09:00", None, lab, durasi_menit=30, uraian="Arsip surat masuk", satuan="surat"),
        lf.row(D(2026, 3, 3), None, None, lab, durasi_menit=30, uraian="Rekonsiliasi kas"),
    ]), today=lf.TODAY)
    assert logbook.copy_day(staf, D(2026, 3, 2), D(2026, 3, 4), today=lf.TODAY).ditambah == 2
    day4 = logbook.month_grid(staf, 2026, 3).query("tanggal == @D(2026, 3, 4)")
    assert day4["uraian"].tolist() == ["Rekonsiliasi kas", "Arsip surat masuk"]
    assert set(day4["status"]) == {"Draft"}
    with pytest.raises(ValidationFailed) as exc:  # the copy would overlap itself
        logbook.copy_day(staf, D(2026, 3, 2), D(2026, 3, 4), today=lf.TODAY)
    assert {e.field for e in exc.value.errors} == {LABELS["jam_mulai"]}
    with pytest.raises(ValidationFailed):  # nothing on a Sunday to copy
        logbook.copy_day(staf, D(2026, 3, 1), D(2026, 3, 5), today=lf.TODAY)
    freq = logbook.frequent_activities(staf, today=lf.TODAY)
    assert freq.iloc[0]["uraian"] == "Rekonsiliasi kas" and freq.iloc[0]["jumlah"] == 3
    assert freq.iloc[0]["rhk"] == lab


def test_submit_day_and_detail(ctx):
    org, lab, _ = ctx
    staf = org.actors.staf
    logbook.save_month(staf, 2026, 3, lf.numbered([lf.row(D(2026, 3, 2), "08:00", "09:00", lab),
                                                   lf.row(D(2026, 3, 3), "08:00", "09:00", lab)]), today=lf.TODAY)
    assert logbook.submit_day(staf, D(2026, 3, 2), today=lf.TODAY) == 1
    assert logbook.submit_day(staf, D(2026, 3, 2), today=lf.TODAY) == 0
    a, b = _ids(staf)
    d = logbook.entry_detail(staf, a)
    assert d.status_label == "Belum Diperiksa" and not d.can_edit and d.submitted_at is not None
    assert logbook.entry_detail(staf, b).can_edit
    assert logbook.entry_detail(org.actors.kasub, a).pegawai == "Andi Wijaya"
    with pytest.raises(PermissionDenied):
        logbook.entry_detail(org.actors.staf2, a)


PDF = b"%PDF-1.4\n% bukti\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def test_attachments_checked_by_magic_bytes_and_size(ctx):
    org, lab, _ = ctx
    staf = org.actors.staf
    logbook.save_month(staf, 2026, 3, [lf.row(D(2026, 3, 2), "08:00", "09:00", lab)], today=lf.TODAY)
    eid = _ids(staf)[0]
    att = logbook.add_attachment(staf, eid, "C:\\dok\\surat tugas.pdf", PDF)
    assert logbook.attachment_content(org.actors.kasub, att) == ("surat tugas.pdf", "application/pdf", PDF)
    assert logbook.add_attachment(staf, eid, "foto.png", PNG)
    for name, content, msg in (("palsu.pdf", PNG, "bukan PDF"), ("skrip.exe", b"MZ..", "tidak diizinkan"),
                               ("kosong.pdf", b"", "kosong")):
        with pytest.raises(ValidationFailed, match=msg):
            logbook.add_attachment(staf, eid, name, content)
    settings.update_many(org.actors.admin, {"unggah_maks_mb": "1"})
    with pytest.raises(ValidationFailed, match="1 MB"):
        logbook.add_attachment(staf, eid, "besar.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(PermissionDenied):
        logbook.add_attachment(org.actors.staf2, eid, "x.pdf", PDF)
    d = logbook.entry_detail(staf, eid)
    assert [a.filename for a in d.attachments] == ["surat tugas.pdf", "foto.png"] and d.attachments[0].size == len(PDF)
    assert logbook.month_grid(staf, 2026, 3).loc[0, "lampiran"] == 2
    logbook.delete_attachment(staf, att)
    logbook.submit(staf, [eid], today=lf.TODAY)
    with pytest.raises(LogbookStatusError):
        logbook.add_attachment(staf, eid, "lagi.pdf", PDF)


def test_monthly_points_hand_computed_month(ctx):
    """March 2026: 22 weekdays; national holidays/cuti bersama on weekdays 18, 19, 20, 23, 24 (21-22 fall on the
    weekend); plus a local holiday on the 10th -> 16 working days: 2-6, 9, 11-13, 16, 17, 25-27, 30, 31."""
    org, lab, _ = ctx
    staf, kasub, admin = org.actors.staf, org.actors.kasub, org.actors.admin
    kalender.save_grid(admin, [{"id": None, "_row": 1, "tanggal": D(2026, 3, 10), "nama": "HUT Kota",
                                "jenis": "Libur Lokal"}])
    expected_days = [D(2026, 3, d) for d in (2, 3, 4, 5, 6, 9, 11, 12, 13, 16, 17, 25, 26, 27, 30, 31)]
    assert kalender.working_days(2026, 3) == expected_days
    logbook.save_month(staf, 2026, 3, lf.numbered([
        lf.row(D(2026, 3, 2), None, None, lab, durasi_menit=300, uraian="a"),                 # approved
        lf.row(D(2026, 3, 2), None, None, lab, durasi_menit=200, uraian="b"),                 # approved (day 500)
        lf.row(D(2026, 3, 3), None, None, lab, durasi_menit=120, uraian="c"),                 # approved
        lf.row(D(2026, 3, 7), None, None, lab, durasi_menit=100, uraian="d",
               catatan_hari_libur="Piket"),                                                   # approved, Saturday
        lf.row(D(2026, 3, 4), None, None, lab, durasi_menit=60, uraian="e"),                  # pending
        lf.row(D(2026, 3, 5), None, None, lab, durasi_menit=90, uraian="f"),                  # returned
        lf.row(D(2026, 3, 6), None, None, lab, durasi_menit=30, uraian="g"),                  # draft
        lf.row(D(2026, 3, 9), None, None, lab, durasi_menit=45, uraian="h"),                  # rejected
    ]), today=lf.TODAY)
    ids = {r["uraian"]: int(r["id"]) for r in logbook.month_grid(staf, 2026, 3).to_dict("records")}
    logbook.submit(staf, [ids[k] for k in "abcdefh"], today=lf.TODAY)
    logbook.review(kasub, [ids[k] for k in "abcd"], "setujui")
    logbook.review(kasub, [ids["f"]], "kembalikan", note="Lengkapi bukti")
    logbook.review(kasub, [ids["h"]], "tolak", note="Bukan tugas jabatan")
    p = logbook.monthly_points(staf, 2026, 3)
    # target 16 × 450 = 7200; approved per day capped at 450: min(500, 450) + 120 + 100 = 670
    assert (p.hari_kerja, p.target_menit, p.disetujui_menit, p.disetujui_mentah_menit) == (16, 7200, 670, 720)
    assert (p.diajukan_menit, p.dikembalikan_menit, p.draft_menit, p.ditolak_menit) == (60, 90, 30, 45)
    assert p.persen == 9.31 and p.batas_harian  # 670 / 7200 = 9.305…%
    settings.update_many(admin, {"logbook_batas_harian": "false"})
    p = logbook.monthly_points(staf, 2026, 3)
    assert (p.disetujui_menit, p.persen) == (720, 10.0)
    settings.update_many(admin, {"logbook_batas_harian": "true", "menit_efektif_harian": "300"})
    p = logbook.monthly_points(kasub, 2026, 3, pegawai_id=org.pegawai["staf"])  # the penilai may look
    # target 16 × 300 = 4800; min(500, 300) + 120 + 100 = 520 -> 10.83 %
    assert (p.target_menit, p.disetujui_menit, p.persen) == (4800, 520, 10.83)
    with pytest.raises(PermissionDenied):
        logbook.monthly_points(org.actors.staf2, 2026, 3, pegawai_id=org.pegawai["staf"])
    hm = logbook.heatmap(staf, 2026, 3)
    assert len(hm) == 31 and hm.loc[1, "menit"] == 500 and hm.loc[1, "menit_disetujui"] == 500
    assert hm.loc[8, "menit"] == 0 and not hm.loc[9, "kerja"] and hm.loc[9, "keterangan"] == "HUT Kota"
    assert hm.loc[0, "minggu_ke"] == 0 and hm.loc[1, "minggu_ke"] == 1 and hm.loc[0, "hari_ke"] == 6
    with read_session() as s:
        statuses = dict(s.execute(select(LogbookEntry.uraian, LogbookEntry.status)).all())
    assert statuses["f"] == StatusLogbook.DIKEMBALIKAN and statuses["h"] == StatusLogbook.DITOLAK
