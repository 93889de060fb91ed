"""Logbook review: bulk decisions in one set-based transaction with per-entry audit rows, refusals, pemberi
pertimbangan notes, corrections, deadlines, team completeness and Beranda tasks. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from db.engine import read_session
from db.models import AuditLog, LogbookEntry, StatusLogbook
from services import beranda, logbook
from services.core.errors import PermissionDenied, ValidationFailed
from services.logbook.entries import LogbookStatusError
from services.logbook.penilaian import QUEUE_COLUMNS
from tests import logbook_factories as lf
from tests.factories import build_org

D = dt.date


@pytest.fixture
def ctx(db):
    org = build_org(lf.ORG_YEAR)
    sk = lf.approved_skps(org, staf2=True)
    return org, sk


def _entries(actor, lab, days=(2, 3), today=lf.TODAY, submit=True) -> list[int]:
    logbook.save_month(actor, 2026, 3, lf.numbered([lf.row(D(2026, 3, d), "08:00", "09:00", lab) for d in days]),
                       today=today)
    ids = [int(i) for i in logbook.month_grid(actor, 2026, 3)["id"]]
    if submit:
        logbook.submit(actor, ids, today=today)
    return ids


def _statuses() -> dict[int, StatusLogbook]:
    with read_session() as s:
        return dict(s.execute(select(LogbookEntry.id, LogbookEntry.status)).all())


def _audit(action: str) -> list:
    with read_session() as s:
        return list(s.execute(select(AuditLog.entity, AuditLog.entity_id, AuditLog.before, AuditLog.after,
                                     AuditLog.username).where(AuditLog.action == action).order_by(AuditLog.id)))


def test_bulk_review_with_notes_and_audit(ctx):
    org, sk = ctx
    a = org.actors
    ids = _entries(a.staf, sk.staf_rhk[0].label, days=(2, 3, 4, 5))
    q = logbook.review_queue(a.kasub)
    assert list(q.columns) == QUEUE_COLUMNS
    assert sorted(q["id"]) == ids and q["bisa_menilai"].all() and set(q["status"]) == {"Belum Diperiksa"}
    with pytest.raises(ValidationFailed, match="Catatan Penilai"):
        logbook.review(a.kasub, ids[:2], "kembalikan", notes_by_id={ids[0]: "Lengkapi bukti"})
    assert logbook.review(a.kasub, ids[:2], "kembalikan", note="Perbaiki uraian",
                          notes_by_id={ids[0]: "Lengkapi bukti"}) == 2
    assert logbook.review(a.kasub, ids[2:3], "tolak", note="Bukan tugas jabatan") == 1
    assert logbook.review(a.kasub, ids[3:], "setujui") == 1
    st = _statuses()
    assert [st[i] for i in ids] == [StatusLogbook.DIKEMBALIKAN, StatusLogbook.DIKEMBALIKAN, StatusLogbook.DITOLAK,
                                    StatusLogbook.DISETUJUI]
    back = _audit("logbook_kembalikan")
    assert [(r.entity, int(r.entity_id)) for r in back] == [("LogbookEntry", ids[0]), ("LogbookEntry", ids[1])]
    assert back[0].before == {"status": "DIAJUKAN", "catatan_penilai": None}
    assert back[0].after["status"] == "DIKEMBALIKAN" and back[0].after["catatan_penilai"] == "Lengkapi bukti"
    assert back[1].after["catatan_penilai"] == "Perbaiki uraian" and back[0].username == a.kasub.username
    d = logbook.entry_detail(a.staf, ids[0])
    assert d.status_label == "Revisi" and d.can_edit and d.reviewed_by == a.kasub.username
    # the pegawai fixes a returned entry and submits it again
    grid = logbook.month_grid(a.staf, 2026, 3).to_dict("records")
    logbook.save_month(a.staf, 2026, 3, [dict(grid[0], uraian="Uraian diperbaiki", _row=1)], today=lf.TODAY)
    assert logbook.submit(a.staf, [ids[0]], today=lf.TODAY) == 1
    with pytest.raises(LogbookStatusError):  # already decided
        logbook.review(a.kasub, ids[3:], "setujui")
    assert logbook.review_queue(a.kasub, status=None)["id"].tolist() == ids
    assert logbook.review_queue(a.kasub, status="Disetujui", date_from=D(2026, 3, 5))["id"].tolist() == [ids[3]]
    f = logbook.review_filters(a.kasub)
    assert org.pegawai["staf"] in f.pegawai and "Draft" not in f.status and sk.staf_rhk[0].id in f.rhk


def test_review_refusals_leave_everything_unchanged(ctx):
    org, sk = ctx
    a = org.actors
    staf_ids = _entries(a.staf, sk.staf_rhk[0].label)
    own_ids = _entries(a.kasub, sk.kasub_rhk[0].label)
    before = lf.snapshot()
    with pytest.raises(PermissionDenied, match="sendiri"):
        logbook.review(a.kasub, own_ids, "setujui")
    with pytest.raises(PermissionDenied, match="sendiri"):  # one own entry in the selection refuses all
        logbook.review(a.kasub, staf_ids + own_ids[:1], "setujui")
    with pytest.raises(PermissionDenied, match="bukan pejabat penilai"):  # ketua is nobody's penilai
        logbook.review(a.ketua, staf_ids, "setujui")
    with pytest.raises(PermissionDenied):
        logbook.review(a.staf2, staf_ids, "tolak", note="x")
    with pytest.raises(PermissionDenied):
        logbook.review(a.admin, staf_ids, "setujui")  # staf has a penilai in the satker
    with pytest.raises(PermissionDenied):
        logbook.review_queue(a.staf)
    assert lf.snapshot() == before and _audit("logbook_setujui") == []
    assert logbook.review(a.kepala, own_ids, "setujui") == 2  # the kasub's own penilai
    with pytest.raises(ValidationFailed):
        logbook.review(a.kasub, staf_ids, "hapus")


def test_review_of_1000_entries_in_one_transaction(ctx):
    org, sk = ctx
    o = sk.staf_rhk[0]
    ids = lf.bulk_submitted(org.pegawai["staf"], o.id, o.label, 1000)
    assert len(ids) == 1000
    assert logbook.review(org.actors.kasub, ids, "setujui", note="Sesuai") == 1000
    with read_session() as s:
        assert s.scalar(select(func.count(LogbookEntry.id)).where(LogbookEntry.status == StatusLogbook.DISETUJUI,
                                                                  LogbookEntry.version == 2)) == 1000
        audited = s.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "logbook_setujui",
                                                                 AuditLog.entity == "LogbookEntry"))
    assert audited == 1000
    p = logbook.monthly_points(org.actors.staf, 2026, 3)
    assert p.disetujui_mentah_menit == 20000 and p.disetujui_menit <= 20000


def test_pertimbangan_per_entry_and_per_month(ctx):
    org, sk = ctx
    a = org.actors
    ids2 = _entries(a.staf2, sk.staf_rhk[0].label)
    ids = _entries(a.staf, sk.staf_rhk[0].label)
    q = logbook.review_queue(a.ketua)  # pemberi pertimbangan of staf2 only
    assert sorted(q["id"]) == ids2 and q["bisa_pertimbangan"].all() and not q["bisa_menilai"].any()
    assert logbook.set_pertimbangan(a.ketua, ids2, note="Sesuai rencana aksi", notes_by_id={ids2[1]: "Kurang bukti"}) == 2
    with pytest.raises(PermissionDenied):
        logbook.set_pertimbangan(a.ketua, ids, note="x")
    with pytest.raises(PermissionDenied):
        logbook.review(a.ketua, ids2, "setujui")
    q = logbook.review_queue(a.kasub, pegawai_id=org.pegawai["staf2"])
    assert q["catatan_pertimbangan"].tolist() == ["Sesuai rencana aksi", "Kurang bukti"]
    logbook.set_month_note(a.ketua, org.pegawai["staf2"], 2026, 3, "Kinerja bulan ini baik")
    logbook.set_month_note(a.ketua, org.pegawai["staf2"], 2026, 3, "Kinerja bulan ini sangat baik")
    assert logbook.month_note(a.staf2, org.pegawai["staf2"], 2026, 3) == "Kinerja bulan ini sangat baik"
    assert logbook.month_note(a.kasub, org.pegawai["staf2"], 2026, 3) == "Kinerja bulan ini sangat baik"
    with pytest.raises(PermissionDenied):
        logbook.set_month_note(a.kasub, org.pegawai["staf2"], 2026, 3, "bukan hak penilai")
    logbook.set_month_note(a.ketua, org.pegawai["staf2"], 2026, 3, "")
    assert logbook.month_note(a.staf2, org.pegawai["staf2"], 2026, 3) is None
    logbook.review(a.kasub, ids2, "setujui")
    with pytest.raises(LogbookStatusError):
        logbook.set_pertimbangan(a.ketua, ids2, note="terlambat")


def test_correction_request_reopens_an_approved_entry(ctx):
    org, sk = ctx
    a = org.actors
    ids = _entries(a.staf, sk.staf_rhk[0].label, days=(2,))
    with pytest.raises(LogbookStatusError):
        logbook.request_correction(a.staf, ids[0], "Salah jam")
    logbook.review(a.kasub, ids, "setujui")
    with pytest.raises(ValidationFailed):
        logbook.request_correction(a.staf, ids[0], " ")
    with pytest.raises(PermissionDenied):
        logbook.request_correction(a.staf2, ids[0], "bukan milik saya")
    kid = logbook.request_correction(a.staf, ids[0], "Jam selesai salah ketik")
    with pytest.raises(LogbookStatusError):
        logbook.request_correction(a.staf, ids[0], "lagi")
    assert not logbook.entry_detail(a.staf, ids[0]).can_request_correction
    q = logbook.correction_queue(a.kasub)
    assert q["id"].tolist() == [kid] and q.loc[0, "alasan"] == "Jam selesai salah ketik"
    assert logbook.correction_queue(a.ketua).empty
    with pytest.raises(PermissionDenied):
        logbook.decide_correction(a.ketua, kid, True)
    logbook.decide_correction(a.kasub, kid, True, "Silakan perbaiki")
    d = logbook.entry_detail(a.staf, ids[0])
    assert d.status == "DIKEMBALIKAN" and d.can_edit and d.corrections[0].status == "DITERIMA"
    with pytest.raises(LogbookStatusError):
        logbook.decide_correction(a.kasub, kid, False)
    logbook.submit(a.staf, ids, today=lf.TODAY)
    logbook.review(a.kasub, ids, "setujui")
    k2 = logbook.request_correction(a.staf, ids[0], "Sekali lagi")
    logbook.decide_correction(a.kasub, k2, False, "Sudah benar")
    assert logbook.entry_detail(a.staf, ids[0]).status == "DISETUJUI"


def test_deadlines_overdue_completeness_and_beranda(ctx):
    org, sk = ctx
    a = org.actors
    lab = sk.staf_rhk[0].label
    ids = _entries(a.staf, lab, days=(2, 3))
    _entries(a.staf2, lab, days=(4,), submit=False)
    before_deadline, after_deadline = D(2026, 4, 15), D(2026, 4, 16)
    assert logbook.overdue_reviews(a.kasub, today=before_deadline).empty
    od = logbook.overdue_reviews(a.kasub, today=after_deadline)
    assert od[["penilai_id", "pegawai_id", "jumlah"]].values.tolist() == [[org.pegawai["kasub"], org.pegawai["staf"], 2]]
    assert len(logbook.overdue_reviews(a.kepala, today=after_deadline)) == 1  # atasan pejabat penilai
    assert logbook.overdue_reviews(a.staf2, today=after_deadline).empty
    q = logbook.review_queue(a.kasub, today=after_deadline)
    assert q["lewat_batas"].all() and q.loc[0, "batas_penilaian"] == before_deadline

    def titles(actor, today):
        return [t.judul for t in beranda.my_tasks(actor, today)]

    assert "Nilai 2 kegiatan logbook bawahan" in titles(a.kasub, after_deadline)
    task = next(t for t in beranda.my_tasks(a.kasub, after_deadline) if t.judul.startswith("Nilai"))
    assert task.prioritas == 1 and task.halaman == logbook.PAGE_PENILAIAN
    assert any("melewati batas penilaian" in t for t in titles(a.kepala, after_deadline))
    assert any("melewati batas penilaian" in t for t in titles(a.admin, after_deadline))
    assert not any("melewati" in t for t in titles(a.kepala, before_deadline))
    assert "Ajukan 1 kegiatan logbook yang masih draft" in titles(a.staf2, D(2026, 3, 31))
    assert "Isi logbook hari ini" in titles(a.staf, D(2026, 3, 31))
    assert "Isi logbook hari ini" not in titles(a.staf, D(2026, 3, 3))  # already filled
    assert "Isi logbook hari ini" not in titles(a.staf, D(2026, 3, 19))  # Nyepi
    logbook.review(a.kasub, ids[:1], "kembalikan", note="Perbaiki")
    assert "Perbaiki 1 kegiatan logbook yang dikembalikan" in titles(a.staf, D(2026, 3, 31))

    t = logbook.team_completeness(a.kasub, D(2026, 3, 4))
    rows = t.pegawai.set_index("nip")
    staf = rows.loc["199003032015031003"]
    assert (staf["hari_ini"], staf["minggu_terisi"], staf["minggu_hari_kerja"]) == ("Belum", 2, 3)
    assert staf["belum_terisi"] == "04/03" and staf["menunggu_penilaian"] == 1 and staf["revisi"] == 1
    assert rows.loc["199104042019022004", "hari_ini"] == "Sudah"
    assert t.reviewers.loc[0, "menunggu"] == 1 and t.reviewers.loc[0, "penilai"] == "Budi Santoso, S.E."
    assert len(logbook.team_completeness(a.admin, D(2026, 3, 4)).pegawai) == 6
    assert len(logbook.team_completeness(a.ketua, D(2026, 3, 4)).pegawai) == 1
    with pytest.raises(PermissionDenied):
        logbook.team_completeness(a.staf, D(2026, 3, 4))
    import io

    wb = load_workbook(io.BytesIO(logbook.team_completeness_xlsx(a.kasub, D(2026, 3, 4))))
    assert wb.sheetnames == ["Kelengkapan", "Penilaian"] and wb["Kelengkapan"]["A1"].value == "NIP"
    assert _audit("ekspor")[-1].entity == "kelengkapan_logbook"


def test_overdue_summary_matches_overdue_rows(ctx):
    """The leaders' Beranda figure (one aggregate joined on the dated reporting line) equals the per-group rows."""
    from services.logbook.penilaian import overdue_cutoff, overdue_rows, overdue_summary

    org, sk = ctx
    a = org.actors
    lab = sk.staf_rhk[0].label
    _entries(a.staf, lab, days=(2, 3))
    _entries(a.staf2, lab, days=(4,))
    before_deadline, after_deadline = D(2026, 4, 15), D(2026, 4, 16)
    with read_session() as s:
        assert overdue_cutoff(s, after_deadline) == D(2026, 4, 1)
        assert overdue_summary(s, before_deadline).jumlah == 0 and overdue_summary(s, after_deadline).jumlah == 3
        for today in (before_deadline, after_deadline, D(2026, 6, 30)):
            rows = overdue_rows(s, today)
            summary = overdue_summary(s, today)
            assert summary.jumlah == sum(r["jumlah"] for r in rows)
            assert summary.penilai == len({r["penilai_id"] for r in rows})
            assert summary.batas_tertua == (min(r["batas_penilaian"] for r in rows) if rows else None)


def test_overdue_page_pages_equal_overdue_reviews(ctx):
    """The review page's paged overdue details (Admin SDM: paged in SQL over pegawai-months) concatenate to the
    unpaged overdue_reviews, with the same totals, for leaders and for a pejabat penilai."""
    import pandas as pd

    org, sk = ctx
    a = org.actors
    lab = sk.staf_rhk[0].label
    _entries(a.staf, lab, days=(2, 3))
    _entries(a.staf2, lab, days=(4,))
    for today in (D(2026, 4, 15), D(2026, 4, 16), D(2026, 6, 30)):
        for actor in (a.admin, a.kepala, a.kasub, a.staf2):
            full = logbook.overdue_reviews(actor, today=today)
            first = logbook.overdue_page(actor, today=today, limit=100)
            assert (first.jumlah, first.total) == (int(full["jumlah"].sum()), len(full))
            pd.testing.assert_frame_equal(first.rows, full)
            pages = [logbook.overdue_page(actor, today=today, limit=1, offset=o).rows for o in range(len(full) + 1)]
            assert pages[-1].empty
            joined = pd.concat(pages, ignore_index=True) if len(full) else full
            pd.testing.assert_frame_equal(joined.astype(full.dtypes.to_dict()), full)
    assert logbook.overdue_page(a.admin, today=D(2026, 4, 16)).jumlah == 3
