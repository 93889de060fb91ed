"""Beranda tasks of the periodic evaluation: due/overdue steps for the pegawai, pemberi pertimbangan, pejabat
penilai, atasan pejabat penilai and Admin SDM (services/evaluasi_tugas.py).

The small org (tests/factories.py) runs Triwulanan in ORG_YEAR; default deadlines (settings): rencana aksi the
15th of the month after the quarter starts, realisasi the 5th, pertimbangan and penilaian the 15th, persetujuan
the 25th of the month after the quarter ends. Q1 2026: rencana aksi 15 Feb, realisasi 5 Apr, pertimbangan and
penilaian 15 Apr, persetujuan 25 Apr.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.models import Evaluasi, JenisEvaluasi, Skp, StatusEvaluasi
from services import beranda
from services.core.actor import SYSTEM
from services.core.uow import unit_of_work
from services.evaluasi import common as evaluasi_common
from services.evaluasi import tugas as evaluasi_tugas
from tests.logbook_factories import ORG_YEAR, approved_skps, d

S = StatusEvaluasi
K = evaluasi_tugas.KATEGORI
NOW = dt.datetime(ORG_YEAR, 2, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def org(db):
    """The test org on ORG_YEAR: the dates below use the logbook tests' fixed calendar."""
    from tests.factories import build_org

    return build_org(ORG_YEAR)


@pytest.fixture
def skps(org):
    return approved_skps(org, staf2=True)


def _ev(skp_id: int, nomor: int = 1, **fields) -> int:
    """The periodic evaluation of one quarter, created from the approved SKP, with fields set through the ORM."""
    with unit_of_work(SYSTEM) as s:
        skp = s.get(Skp, skp_id)
        ev = evaluasi_common.get_or_create(s, skp, JenisEvaluasi.PERIODIK, nomor, today=d(3, 31))
        for k, v in fields.items():
            setattr(ev, k, v)
        return ev.id


def _skp_id(org, who: str) -> int:
    with unit_of_work(SYSTEM) as s:
        return s.scalar(select(Skp.id).where(Skp.pegawai_id == org.pegawai[who]))


def _tasks(actor, today: dt.date) -> list[beranda.Task]:
    return [t for t in beranda.my_tasks(actor, today=today) if t.kategori == K]


def _titles(actor, today: dt.date) -> list[str]:
    return [t.judul for t in _tasks(actor, today)]


def test_pegawai_rencana_aksi_due_soon_then_overdue_then_done(org, skps):
    staf = org.actors.staf
    assert _titles(staf, d(2, 1)) == []  # due 15 Feb: more than a week away
    (due,) = _tasks(staf, d(2, 10))
    assert due.judul == f"Susun rencana aksi Triwulan I {ORG_YEAR}"
    assert "5 hari lagi" in due.detail and due.tenggat == d(2, 15) and due.prioritas == 1
    assert due.halaman == "evaluasi_saya.py"
    (late,) = _tasks(staf, d(2, 20))
    assert "sudah lewat 5 hari" in late.detail
    _ev(skps.staf_skp, rencana_aksi_at=NOW)
    assert _titles(staf, d(2, 20)) == []


def test_pegawai_realisasi_after_the_quarter_and_returned_realisasi(org, skps):
    staf = org.actors.staf
    (t,) = _tasks(staf, d(4, 3))
    assert t.judul == f"Isi dan ajukan realisasi Triwulan I {ORG_YEAR}"
    assert "2 hari lagi" in t.detail and "Rencana aksi periode ini juga belum disusun" in t.detail
    assert t.tenggat == d(4, 5)
    ev_id = _ev(skps.staf_skp, rencana_aksi_at=NOW, catatan_pengembalian="Lengkapi bukti dukung RHK 1.")
    (t,) = _tasks(staf, d(4, 10))
    assert t.judul == f"Perbaiki realisasi Triwulan I {ORG_YEAR} yang dikembalikan pejabat penilai"
    assert "Lengkapi bukti dukung RHK 1." in t.detail and "sudah lewat 5 hari" in t.detail
    with unit_of_work(SYSTEM) as s:
        s.get(Evaluasi, ev_id).status = S.DIAJUKAN
    assert _titles(staf, d(4, 10)) == []


def test_no_evaluation_tasks_without_an_approved_skp(org, skps):
    # ketua and pppk have no SKP: the SKP tasks apply, not the evaluation tasks
    assert _titles(org.actors.ketua, d(4, 20)) == []
    assert _titles(org.actors.pppk, d(4, 20)) == []
    assert _titles(org.actors.staf2, d(4, 20)) == [f"Isi dan ajukan realisasi Triwulan I {ORG_YEAR}"]


def test_reviewers_see_their_queue_due_then_overdue(org, skps):
    _ev(skps.staf_skp, status=S.DIAJUKAN, rencana_aksi_at=NOW)
    _ev(skps.staf2_skp, status=S.DIAJUKAN, rencana_aksi_at=NOW)  # pemberi pertimbangan: ketua
    (p,) = _tasks(org.actors.ketua, d(4, 10))
    assert p.judul == "Beri pertimbangan atas 1 evaluasi kinerja anggota tim"
    assert p.halaman == "evaluasi_pertimbangan.py" and p.tenggat == d(4, 15) and "5 hari lagi" in p.detail
    kasub = [t for t in _tasks(org.actors.kasub, d(4, 10)) if t.judul.startswith("Nilai")]
    assert [t.judul for t in kasub] == ["Nilai 2 evaluasi kinerja bawahan"]
    assert kasub[0].halaman == "evaluasi_penilaian.py" and "sanksi" not in kasub[0].detail

    late = [t for t in _tasks(org.actors.kasub, d(4, 20)) if t.judul.startswith("Nilai")][0]
    assert "2 evaluasi melewati batas penilaian" in late.detail and "dikenai sanksi" in late.detail
    assert late.prioritas == 1
    (p,) = _tasks(org.actors.ketua, d(4, 20))
    assert p.detail.startswith("1 di antaranya melewati batas pertimbangan")

    # the atasan pejabat penilai (kepala) sees the overdue steps of the people below
    agg = [t for t in _tasks(org.actors.kepala, d(4, 20)) if "bawahan Anda terlambat" in t.judul]
    assert [t.judul for t in agg] == ["3 langkah evaluasi bawahan Anda terlambat"]
    assert "pertimbangan 1" in agg[0].detail and "penilaian 2" in agg[0].detail
    assert not [t for t in _tasks(org.actors.kepala, d(4, 10)) if "bawahan Anda terlambat" in t.judul]


def test_returned_by_atasan_counts_for_the_penilai_and_approval_for_the_atasan(org, skps):
    _ev(skps.staf_skp, status=S.DIKEMBALIKAN, rencana_aksi_at=NOW, dinilai_by_id=org.pegawai["kasub"])
    _ev(skps.staf2_skp, status=S.DINILAI, rencana_aksi_at=NOW, dinilai_by_id=org.pegawai["kasub"])
    nilai = [t for t in _tasks(org.actors.kasub, d(4, 10)) if t.judul.startswith("Nilai")][0]
    assert nilai.judul == "Nilai 1 evaluasi kinerja bawahan" and "1 yang dikembalikan" in nilai.detail
    (setujui,) = [t for t in _tasks(org.actors.kepala, d(4, 20)) if t.judul.startswith("Setujui")]
    assert setujui.judul == "Setujui 1 penilaian kinerja" and setujui.halaman == "evaluasi_persetujuan.py"
    assert setujui.tenggat == d(4, 25) and "melewati" not in setujui.detail
    (setujui,) = [t for t in _tasks(org.actors.kepala, d(4, 28)) if t.judul.startswith("Setujui")]
    assert setujui.detail.startswith("1 di antaranya melewati batas persetujuan")
    assert not [t for t in _tasks(org.actors.kasub, d(4, 28)) if t.judul.startswith("Setujui")]


def test_admin_stands_in_for_heads_and_sees_the_overdue_summary(org, skps):
    _ev(skps.kepala.id, status=S.DIAJUKAN, rencana_aksi_at=NOW)  # the head of office: no penilai in the satker
    _ev(skps.kasub.id, status=S.DINILAI, rencana_aksi_at=NOW, dinilai_by_id=org.pegawai["kepala"])  # no atasan
    _ev(skps.staf2_skp, status=S.DIAJUKAN, rencana_aksi_at=NOW)
    titles = _titles(org.actors.admin, d(4, 28))
    assert "Nilai 1 evaluasi kinerja bawahan" in titles and "Setujui 1 penilaian kinerja" in titles
    (summary,) = [t for t in _tasks(org.actors.admin, d(4, 28)) if "langkah evaluasi kinerja terlambat" in t.judul]
    # staf: realisasi; staf2: pertimbangan + penilaian; kepala: penilaian; kasub: persetujuan
    assert summary.judul == "5 langkah evaluasi kinerja terlambat"
    assert summary.halaman == "evaluasi_monitoring.py"  # the Monitoring Evaluasi page lists them
    assert summary.detail == ("Periode terbuka, menurut langkah: realisasi 1, pertimbangan 1, penilaian 2, "
                              "persetujuan 1.")
    assert not [t for t in _tasks(org.actors.staf, d(4, 28)) if "langkah" in t.judul]


def test_nothing_when_every_step_is_done(org, skps):
    for sid in (skps.kepala.id, skps.kasub.id, skps.staf_skp, skps.staf2_skp):
        _ev(sid, status=S.DISETUJUI, rencana_aksi_at=NOW)
    for who in ("admin", "kepala", "kasub", "ketua", "staf", "staf2"):
        assert _titles(getattr(org.actors, who), d(4, 28)) == [], who


def test_slots_and_steps_are_set_based(org, skps):
    """All pegawai with approved SKPs get their started quarters; the pegawai filter narrows them."""
    with unit_of_work(SYSTEM) as s:
        all_slots = evaluasi_tugas.slots(s, d(7, 1))
        mine = evaluasi_tugas.slots(s, d(7, 1), [org.pegawai["staf"]])
        assert evaluasi_tugas.slots(s, d(7, 1), []) == []
    assert len(all_slots) == 4 * 3  # four approved SKPs, Q1–Q3 started
    assert [(x.nomor, x.label) for x in mine] == [(1, f"Triwulan I {ORG_YEAR}"), (2, f"Triwulan II {ORG_YEAR}"),
                                                   (3, f"Triwulan III {ORG_YEAR}")]


def test_penilai_queue_waits_for_a_mandatory_pertimbangan(org, skps):
    from db.models import Setting

    _ev(skps.staf_skp, status=S.DIAJUKAN, rencana_aksi_at=NOW)
    staf2 = _ev(skps.staf2_skp, status=S.DIAJUKAN, rencana_aksi_at=NOW)  # pemberi pertimbangan: ketua
    with unit_of_work(SYSTEM) as s:
        s.get(Setting, "pertimbangan_wajib").value = "true"
    assert "Nilai 1 evaluasi kinerja bawahan" in _titles(org.actors.kasub, d(4, 10))
    with unit_of_work(SYSTEM) as s:
        ev = s.get(Evaluasi, staf2)
        ev.pertimbangan_at, ev.pertimbangan_by_id = NOW, org.pegawai["ketua"]
    assert "Nilai 2 evaluasi kinerja bawahan" in _titles(org.actors.kasub, d(4, 10))
    assert _titles(org.actors.ketua, d(4, 10)) == []
