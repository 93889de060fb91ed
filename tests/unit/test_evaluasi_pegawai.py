"""Evaluasi kinerja, pegawai side (services/evaluasi.py): slots, rencana aksi grid, periodic IKI targets, realisasi
and capaian, logbook prefill, submit refusals and success (audit "ajukan"), withdraw, locks and conflicts.

The main transitions run on SQLite and PostgreSQL (`org`), the rest on SQLite (`sqlite_org`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from db.engine import read_session, session_factory
from db.models import AuditLog, Evaluasi, JenisEvaluasi, RencanaAksi, StatusEvaluasi, StatusLogbook
from services.core import fmt
from services.core.errors import Conflict, PermissionDenied, ServiceError, ValidationFailed
from services.evaluasi import pegawai as evaluasi
from services.evaluasi.pegawai import EvaluasiStatusError
from tests import evaluasi_factories as ef
from tests import skp_factories as sf
from tests.factories import build_org


def _ra_rows(ev_id: int) -> list[tuple]:
    with read_session() as s:
        return [(r.id, r.rhk_id, r.uraian, r.target, r.satuan, r.realisasi, r.bukti_dukung) for r in s.scalars(
            select(RencanaAksi).where(RencanaAksi.evaluasi_id == ev_id).order_by(RencanaAksi.id))]


def _ev(ev_id: int) -> Evaluasi:
    with session_factory()() as s:
        ev = s.get(Evaluasi, ev_id)
        s.expunge(ev)
        return ev


def _fields(e: ValidationFailed) -> set[tuple]:
    return {(x.row, x.field) for x in e.errors}


def _actions(entity: str = "Evaluasi") -> list[str]:
    with read_session() as s:
        return list(s.scalars(select(AuditLog.action).where(AuditLog.entity == entity).order_by(AuditLog.id)))


@pytest.fixture
def ev_org(sqlite_org):
    ef.setup(sqlite_org)
    return sqlite_org


# --- main transitions (SQLite + PostgreSQL) ----------------------------------------------------------------------


def test_slots_create_plan_fill_submit_withdraw(org):
    ef.setup(org)
    staf = org.actors.staf
    today = ef.q1_today(org)
    slots = evaluasi.my_evaluations(staf, sf.period_id(org), today=today)
    assert list(slots["jenis"]) == ["Periodik"] * 4 + ["Tahunan"]
    assert slots["evaluasi_id"].isna().all() and set(slots["status"]) == {"Belum dibuat"}
    q1 = slots.iloc[0]
    assert (q1["mulai"], q1["selesai"]) == (dt.date(org.year, 1, 1), dt.date(org.year, 3, 31))
    assert q1["terlambat"]  # rencana aksi due 15 February, nothing planned yet
    assert not slots.iloc[1]["terlambat"]

    ev_id = ef.periodic(org, "staf", 1, today)
    assert ef.periodic(org, "staf", 1, today) == ev_id  # get_or_create
    ef.fill(org, "staf", ev_id)
    assert _ev(ev_id).rencana_aksi_at is not None
    version = evaluasi.evaluasi_detail(staf, ev_id).version
    evaluasi.submit(staf, ev_id, expected_version=version, today=today)
    d = evaluasi.evaluasi_detail(staf, ev_id)
    assert d.status == "DIAJUKAN" and d.submitted_at is not None and not d.can_edit
    assert d.penilai.id == org.pegawai["kasub"] and d.atasan.id == org.pegawai["kepala"]
    assert "ajukan" in _actions()
    row = evaluasi.my_evaluations(staf, sf.period_id(org), today=today).iloc[0]
    assert row["evaluasi_id"] == ev_id and row["status"].startswith("Diajukan") and not row["terlambat"]

    with pytest.raises(EvaluasiStatusError):
        evaluasi.save_rencana_aksi(staf, ev_id, ef.rencana_rows(org, "staf", ev_id))
    with pytest.raises(EvaluasiStatusError):
        evaluasi.save_realisasi(staf, ev_id, catatan_pegawai="ubah")

    evaluasi.withdraw(staf, ev_id)
    assert ef.status(ev_id) == "DRAFT" and "tarik_kembali" in _actions()
    evaluasi.submit(staf, ev_id, today=today)
    assert ef.status(ev_id) == "DIAJUKAN"


def test_refusals_owner_version_and_unapproved_skp(org):
    sk = ef.setup(org)
    a = org.actors
    today = ef.q1_today(org)
    ev_id = ef.periodic(org, "staf", 1, today)
    rows = ef.rencana_rows(org, "staf", ev_id)
    for other in (a.staf2, a.kasub, a.admin):
        with pytest.raises(PermissionDenied):
            evaluasi.save_rencana_aksi(other, ev_id, rows)
    with pytest.raises(PermissionDenied):
        evaluasi.submit(a.kasub, ev_id, today=today)
    with pytest.raises(PermissionDenied):
        evaluasi.open_evaluation(a.staf2, sk.staf_skp, "Periodik", 1, today=today)
    with pytest.raises(PermissionDenied):
        evaluasi.evaluasi_detail(a.pppk, ev_id)
    assert evaluasi.evaluasi_detail(a.kasub, ev_id).can_edit is False  # the penilai reads, does not edit

    v = evaluasi.evaluasi_detail(a.staf, ev_id).version
    evaluasi.save_rencana_aksi(a.staf, ev_id, rows, expected_version=v)
    with pytest.raises(Conflict):
        evaluasi.save_rencana_aksi(a.staf, ev_id, rows, expected_version=v)
    with pytest.raises(Conflict):
        evaluasi.submit(a.staf, ev_id, expected_version=v, today=today)
    assert len(_ra_rows(ev_id)) == 1

    # ketua's SKP exists but is not approved: no evaluation yet.
    sid = sf.staff_skp(org, "ketua", sk.kasub.rhk[0])
    with pytest.raises(EvaluasiStatusError, match="SKP belum disetujui"):
        evaluasi.open_evaluation(a.ketua, sid, JenisEvaluasi.PERIODIK, 1, today=today)
    with read_session() as s:
        assert s.scalar(select(Evaluasi.id).where(Evaluasi.skp_id == sid)) is None


# --- rencana aksi grid ---------------------------------------------------------------------------------------------


def test_rencana_aksi_grid_add_update_delete_and_bad_rows(ev_org):
    org = ev_org
    staf = org.actors.staf
    ev_id = ef.periodic(org, "staf")
    label, rhk_id = next(iter(evaluasi.rhk_options(staf, ev_id).items()))
    res = evaluasi.save_rencana_aksi(staf, ev_id, [
        {"_row": 1, "id": None, "rhk": label, "uraian": "Menyusun laporan Januari", "target": "1,5", "satuan": "laporan"},
        {"_row": 2, "id": None, "rhk": rhk_id, "uraian": "Rekonsiliasi", "target": None, "satuan": None},
    ])
    assert res.ditambah == 2 and "2 ditambahkan" in res.pesan
    stored = _ra_rows(ev_id)
    assert [(r[2], r[3], r[4]) for r in stored] == [("Menyusun laporan Januari", Decimal("1.5"), "laporan"),
                                                    ("Rekonsiliasi", None, None)]
    before = _ra_rows(ev_id)
    bad = [
        {"_row": 1, "id": stored[0][0], "rhk": label, "uraian": "", "target": -1, "satuan": "laporan"},
        {"_row": 2, "id": stored[1][0], "rhk": "RHK palsu", "uraian": "x" * 1001, "target": "abc", "satuan": "s" * 61},
        {"_row": 3, "id": None, "rhk": None, "uraian": "Baru", "target": 1, "satuan": "dok"},
        {"_row": 4, "id": 987654, "rhk": label, "uraian": "Hilang", "target": 1, "satuan": "dok"},
    ]
    with pytest.raises(ValidationFailed) as e:
        evaluasi.save_rencana_aksi(staf, ev_id, bad, deleted_ids=[55555])
    assert {(1, "Rencana Aksi"), (1, "Target"), (2, "RHK"), (2, "Rencana Aksi"), (2, "Target"), (2, "Satuan"),
            (3, "RHK"), (4, "ID"), (None, "ID")} <= _fields(e.value)
    assert "Baris 2, kolom RHK" in str(e.value)
    assert _ra_rows(ev_id) == before

    evaluasi.save_rencana_aksi(staf, ev_id, [dict(_row=1, id=stored[0][0], rhk=label, uraian="Laporan Januari",
                                                  target=2, satuan="laporan")], deleted_ids=[stored[1][0]])
    after = _ra_rows(ev_id)
    assert len(after) == 1 and after[0][2] == "Laporan Januari" and after[0][3] == Decimal(2)
    evaluasi.save_rencana_aksi(staf, ev_id, [], deleted_ids=[after[0][0]])
    assert _ra_rows(ev_id) == [] and _ev(ev_id).rencana_aksi_at is None
    assert "rencana_aksi_simpan" in _actions("RencanaAksi")


def _set_skp_polaritas(org, who: str, polaritas: str, target=None) -> None:
    """Fix the polarity (and optionally the target) of `who`'s second SKP IKI, as the SKP grid does."""
    from db.models import Iki, Polaritas, Rhk
    from services.core.actor import SYSTEM
    from services.core.uow import unit_of_work

    with unit_of_work(SYSTEM) as s:
        ikis = s.scalars(select(Iki).join(Rhk, Rhk.id == Iki.rhk_id).where(Rhk.skp_id == ef.skp_id(org, who))
                         .order_by(Rhk.urutan, Iki.urutan)).all()
        ikis[1].polaritas = Polaritas(polaritas)
        if target is not None:
            ikis[1].target_min = ikis[1].target_max = Decimal(target)


def test_target_iki_and_capaian_positive_and_negative(ev_org):
    org = ev_org
    staf = org.actors.staf
    _set_skp_polaritas(org, "staf", "negatif")
    ev_id = ef.periodic(org, "staf")
    d = evaluasi.evaluasi_detail(staf, ev_id)
    jumlah, waktu = d.iki  # "Jumlah laporan keuangan" (12/yr → 3 in Q1), "Ketepatan waktu" 100 %
    assert jumlah.target_min == Decimal(3) and waktu.target_min == Decimal(100)
    assert (jumlah.polaritas, waktu.polaritas) == ("positif", "negatif")  # copied from the SKP IKI
    with pytest.raises(ValidationFailed) as e:
        evaluasi.save_target_iki(staf, ev_id, [
            {"_row": 1, "id": jumlah.id, "target_min": None, "target_max": None, "polaritas": "positif"},
            {"_row": 2, "id": waktu.id, "target_min": 10, "target_max": 5, "polaritas": "positif"},
        ])
    assert _fields(e.value) == {(1, "Target Minimal"), (2, "Target Maksimal"), (2, "Polaritas")}
    assert "melalui SKP" in str(e.value)
    evaluasi.save_target_iki(staf, ev_id, [
        {"_row": 1, "id": jumlah.id, "target_min": 4, "target_max": None, "polaritas": "positif"},
        {"_row": 2, "id": waktu.id, "target_min": 10, "target_max": None},
    ])
    evaluasi.save_realisasi(staf, ev_id, iki_rows=[{"_row": 1, "id": jumlah.id, "realisasi": "5"},
                                                   {"_row": 2, "id": waktu.id, "realisasi": "8"}])
    got = {i.id: i for i in evaluasi.evaluasi_detail(staf, ev_id).iki}
    assert got[jumlah.id].capaian == Decimal("125.00")  # 5 / 4
    assert got[waktu.id].capaian == Decimal("120.00")  # lower is better: 2 − 8/10
    assert got[waktu.id].polaritas == "negatif"
    # Changing the target recomputes; clearing the realisasi clears the capaian.
    evaluasi.save_target_iki(staf, ev_id, [{"_row": 1, "id": jumlah.id, "target_min": 5, "target_max": None}])
    evaluasi.save_realisasi(staf, ev_id, iki_rows=[{"_row": 2, "id": waktu.id, "realisasi": None}])
    got = {i.id: i for i in evaluasi.evaluasi_detail(staf, ev_id).iki}
    assert got[jumlah.id].capaian == Decimal("100.00") and got[waktu.id].capaian is None
    assert got[waktu.id].capaian_keterangan is None


def _target_zero(org, polaritas: str) -> tuple[int, int]:
    _set_skp_polaritas(org, "staf", polaritas, target=0)
    ev_id = ef.periodic(org, "staf")
    waktu = evaluasi.evaluasi_detail(org.actors.staf, ev_id).iki[1]
    assert waktu.target_min == 0 and waktu.polaritas == polaritas
    return ev_id, waktu.id


@pytest.mark.parametrize("rule", ["nol", "tidak_dihitung"])
def test_target_zero_negatif_per_setting(org, rule):
    """'0 temuan': realisasi 0 → 100 %; above 0 → the instansi rule (setting capaian_target_nol_negatif)."""
    from services.core import settings as st_

    ef.setup(org)
    st_.update_many(org.actors.admin, {"capaian_target_nol_negatif": rule})
    ev_id, iki_id = _target_zero(org, "negatif")
    staf = org.actors.staf
    evaluasi.save_realisasi(staf, ev_id, iki_rows=[{"_row": 2, "id": iki_id, "realisasi": 0}])
    got = {i.id: i for i in evaluasi.evaluasi_detail(staf, ev_id).iki}[iki_id]
    assert got.capaian == Decimal("100.00") and got.capaian_keterangan is None
    evaluasi.save_realisasi(staf, ev_id, iki_rows=[{"_row": 2, "id": iki_id, "realisasi": 2}])
    got = {i.id: i for i in evaluasi.evaluasi_detail(staf, ev_id).iki}[iki_id]
    if rule == "nol":
        assert got.capaian == Decimal("0.00") and got.capaian_keterangan is None
    else:
        assert got.capaian is None and "pejabat penilai" in got.capaian_keterangan


def test_target_zero_positif_is_not_computable_with_the_reason(org):
    ef.setup(org)
    ev_id, iki_id = _target_zero(org, "positif")
    staf = org.actors.staf
    evaluasi.save_realisasi(staf, ev_id, iki_rows=[{"_row": 2, "id": iki_id, "realisasi": 3}])
    got = {i.id: i for i in evaluasi.evaluasi_detail(staf, ev_id).iki}[iki_id]
    assert got.realisasi == 3 and got.capaian is None
    assert got.capaian_keterangan.startswith("Capaian tidak dapat dihitung: target 0 dengan polaritas positif")


def test_save_realisasi_validates_everything_then_saves_in_one_go(ev_org):
    org = ev_org
    staf = org.actors.staf
    ev_id = ef.periodic(org, "staf")
    evaluasi.save_rencana_aksi(staf, ev_id, ef.rencana_rows(org, "staf", ev_id))
    d = evaluasi.evaluasi_detail(staf, ev_id)
    ra, iki, h = d.rencana_aksi[0], d.iki[0], d.hasil[0]
    with pytest.raises(ValidationFailed) as e:
        evaluasi.save_realisasi(
            staf, ev_id,
            [{"_row": 1, "id": ra.id, "realisasi": -2, "realisasi_uraian": "ok",
              "bukti_dukung": "https://a.example.go.id/x\nftp://salah"}],
            [{"_row": 1, "id": iki.id, "realisasi": "dua"}],
            [{"_row": 1, "id": h.id, "realisasi": "y" * 5000}], catatan_pegawai="Catatan")
    assert _fields(e.value) == {(1, "Rencana Aksi – Realisasi"), (1, "Rencana Aksi – Bukti Dukung"),
                                (1, "IKI – Realisasi"), (1, "Hasil Kerja – Realisasi")}
    assert "tautan ke-2" in str(e.value)
    assert evaluasi.evaluasi_detail(staf, ev_id).catatan_pegawai is None
    evaluasi.save_realisasi(
        staf, ev_id,
        [{"_row": 1, "id": ra.id, "realisasi": "2,5", "realisasi_uraian": "Dua laporan dan satu draf",
          "bukti_dukung": " https://a.example.go.id/x \n\nhttp://b.example.go.id/y"}],
        [{"_row": 1, "id": iki.id, "realisasi": 3}],
        [{"_row": 1, "id": h.id, "realisasi": "Laporan selesai"}], catatan_pegawai="Catatan")
    d = evaluasi.evaluasi_detail(staf, ev_id)
    assert d.rencana_aksi[0].realisasi == Decimal("2.5")
    assert d.rencana_aksi[0].bukti_dukung == "https://a.example.go.id/x\nhttp://b.example.go.id/y"
    assert d.iki[0].realisasi == Decimal(3) and d.iki[0].capaian == Decimal("100.00")
    assert d.hasil[0].realisasi == "Laporan selesai" and d.catatan_pegawai == "Catatan"
    assert "realisasi_simpan" in _actions()


# --- logbook --------------------------------------------------------------------------------------------------------


def test_logbook_summary_and_prefill_fills_only_empty_fields(ev_org):
    org = ev_org
    staf = org.actors.staf
    ev_id = ef.periodic(org, "staf")
    rhk_id = next(iter(evaluasi.rhk_options(staf, ev_id).values()))
    ef.approved_logbook(org, "staf", rhk_id, 4, satuan="Laporan ", volume=1, link="https://drive.go.id/a")
    ef.approved_logbook(org, "staf", rhk_id, 2, satuan="dokumen", volume="1.5", link="https://drive.go.id/b",
                        month=3)
    ef.approved_logbook(org, "staf", rhk_id, 5, satuan="laporan", month=3, status=StatusLogbook.DIAJUKAN)
    ef.approved_logbook(org, "staf", rhk_id, 3, satuan="laporan", month=5)  # outside Q1
    ef.approved_logbook(org, "staf2", rhk_id, 3, satuan="laporan", month=2)  # someone else
    summ = evaluasi.logbook_summary(staf, ev_id)
    row = summ.iloc[0]
    assert (row["rhk_id"], row["kegiatan"], row["menit"]) == (rhk_id, 6, 180)
    assert row["volume"] == "4 Laporan; 3 dokumen"
    assert row["bukti"] == "https://drive.go.id/a\nhttps://drive.go.id/b"

    evaluasi.save_rencana_aksi(staf, ev_id, [
        {"_row": 1, "id": None, "rhk": rhk_id, "uraian": "Menyusun laporan", "target": 3, "satuan": "laporan"},
        {"_row": 2, "id": None, "rhk": rhk_id, "uraian": "Arsip", "target": 2, "satuan": "berkas"},
    ])
    d = evaluasi.evaluasi_detail(staf, ev_id)
    typed_iki = d.iki[1]  # "%" IKI: typed value must stay
    evaluasi.save_realisasi(staf, ev_id, [{"_row": 2, "id": d.rencana_aksi[1].id,
                                           "bukti_dukung": "https://saya.example.go.id/arsip"}],
                            [{"_row": 2, "id": typed_iki.id, "realisasi": 90}])
    n = evaluasi.prefill_from_logbook(staf, ev_id)
    d = evaluasi.evaluasi_detail(staf, ev_id)
    jumlah = d.iki[0]
    assert jumlah.realisasi == Decimal(4) and jumlah.capaian == Decimal("133.33")  # 4 of target 3
    assert d.iki[1].realisasi == Decimal(90)
    ra1, ra2 = d.rencana_aksi
    assert ra1.realisasi == Decimal(4) and ra1.bukti_dukung == "https://drive.go.id/a\nhttps://drive.go.id/b"
    assert ra2.realisasi is None and ra2.bukti_dukung == "https://saya.example.go.id/arsip"
    assert d.hasil[0].realisasi.startswith("6 kegiatan logbook disetujui, 4 Laporan, 3 dokumen")
    assert n == 4  # IKI jumlah, ra1 realisasi, ra1 bukti, RHK summary
    assert evaluasi.prefill_from_logbook(staf, ev_id) == 0  # nothing empty left to fill
    with pytest.raises(PermissionDenied):
        evaluasi.prefill_from_logbook(org.actors.kasub, ev_id)


# --- submit -----------------------------------------------------------------------------------------------------


def test_submit_refusals_list_everything_at_once(ev_org):
    org = ev_org
    staf = org.actors.staf
    ev_id = ef.periodic(org, "staf")
    with pytest.raises(ServiceError) as e:  # a date rule, said as one: not "Data tidak disimpan: 1 kesalahan"
        evaluasi.submit(staf, ev_id, today=dt.date(org.year, 3, 1))
    assert not isinstance(e.value, ValidationFailed)
    earliest = fmt.tanggal(dt.date(org.year, 3, 24))
    assert str(e.value).startswith(f"Realisasi dapat diajukan mulai {earliest}") and "24 Maret" in earliest
    with pytest.raises(ValidationFailed) as e:
        evaluasi.submit(staf, ev_id, today=dt.date(org.year, 3, 24))
    assert {"Rencana Aksi", "Hasil Kerja – Realisasi"} <= {x.field for x in e.value.errors}

    evaluasi.save_rencana_aksi(staf, ev_id, ef.rencana_rows(org, "staf", ev_id))
    with pytest.raises(ValidationFailed) as e:
        evaluasi.submit(staf, ev_id, today=dt.date(org.year, 3, 24))  # 7 days before the end: allowed date
    assert _fields(e.value) == {(1, "Rencana Aksi – Realisasi"), (1, "Hasil Kerja – Realisasi")}
    assert ef.status(ev_id) == "DRAFT"
    ef.fill(org, "staf", ev_id)
    evaluasi.submit(staf, ev_id, today=dt.date(org.year, 3, 24))
    assert ef.status(ev_id) == "DIAJUKAN"


def test_submit_needs_a_penilai_except_head_of_office(ev_org):
    org = ev_org
    today = ef.q1_today(org)
    # kepala (JPT, head of office) has no penilai: allowed, Admin SDM records the rating.
    ev_k = ef.fill_and_submit(org, "kepala", today=today)
    d = evaluasi.evaluasi_detail(org.actors.kepala, ev_k)
    assert d.status == "DIAJUKAN" and d.penilai is None
    # staf whose reporting line was removed: refused with a hint to Admin SDM.
    ev_id = ef.periodic(org, "staf", today=today)
    ef.fill(org, "staf", ev_id)
    from db.models import ReportingLine

    with session_factory()() as s, s.begin():
        for ln in s.scalars(select(ReportingLine).where(ReportingLine.pegawai_id == org.pegawai["staf"])):
            s.delete(ln)
    with pytest.raises(ValidationFailed, match="Hubungan Penilaian") as e:
        evaluasi.submit(org.actors.staf, ev_id, today=today)
    assert (None, "Pejabat Penilai") in _fields(e.value)
    assert ef.status(ev_id) == "DRAFT"


def test_withdraw_refused_after_pertimbangan_or_when_not_submitted(ev_org):
    org = ev_org
    staf2 = org.actors.staf2
    ev_id = ef.periodic(org, "staf2")
    with pytest.raises(EvaluasiStatusError):
        evaluasi.withdraw(staf2, ev_id)
    ef.fill(org, "staf2", ev_id)
    evaluasi.submit(staf2, ev_id, today=ef.q1_today(org))
    with pytest.raises(PermissionDenied):
        evaluasi.withdraw(org.actors.kasub, ev_id)
    with session_factory()() as s, s.begin():
        s.get(Evaluasi, ev_id).pertimbangan_catatan = "Sudah baik"
    with pytest.raises(EvaluasiStatusError, match="pertimbangan"):
        evaluasi.withdraw(staf2, ev_id)
    assert ef.status(ev_id) == "DIAJUKAN"


def test_approved_evaluation_is_locked(ev_org):
    org = ev_org
    ev_id = ef.fill_and_submit(org, "staf")
    with session_factory()() as s, s.begin():
        s.get(Evaluasi, ev_id).status = StatusEvaluasi.DISETUJUI
    with pytest.raises(evaluasi.EvaluasiLocked):
        evaluasi.save_realisasi(org.actors.staf, ev_id, catatan_pegawai="x")
    with pytest.raises(evaluasi.EvaluasiLocked):
        evaluasi.withdraw(org.actors.staf, ev_id)


def test_annual_slot_and_reader_roles(ev_org):
    org = ev_org
    ev_id = ef.annual(org, "staf")
    d = evaluasi.evaluasi_detail(org.actors.admin, ev_id)
    assert d.jenis == "Tahunan" and d.label == f"Tahunan {org.year}"
    assert d.iki[0].target_min == Decimal(12)  # annual: the SKP target, not pro-rated
    assert evaluasi.my_evaluations(org.actors.admin, sf.period_id(org)).empty  # no pegawai behind the account


# --- hypothesis: any grid rows → full save or nothing ------------------------------------------------------------------


@pytest.fixture
def hctx(sqlite_db):
    org = build_org()
    ef.setup(org)
    ev_id = ef.periodic(org, "staf")
    label, rhk_id = next(iter(evaluasi.rhk_options(org.actors.staf, ev_id).items()))
    return org, ev_id, label, rhk_id


def _any_row(label, rhk_id):
    return st.fixed_dictionaries({
        "rhk": st.sampled_from([label, rhk_id, None, "", "RHK palsu", 999999, True]),
        "uraian": st.sampled_from([None, "", "  ", "Menyusun laporan", "x" * 1001, "=SUM(A1)", "Ü" * 1000]),
        "target": st.sampled_from([None, "", 0, 3, "1,5", -1, "abc", float("nan"), 1e20, "1e3", True]),
        "satuan": st.sampled_from([None, "", "laporan", "s" * 61]),
    })


def _good_row(label, rhk_id):
    return st.fixed_dictionaries({
        "rhk": st.sampled_from([label, rhk_id]), "uraian": st.just("Menyusun laporan"),
        "target": st.sampled_from([None, 2, "2,5"]), "satuan": st.sampled_from([None, "laporan"]),
    })


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_save_rencana_aksi_is_all_or_nothing(hctx, data):
    org, ev_id, label, rhk_id = hctx
    staf = org.actors.staf
    rows = data.draw(st.lists(st.one_of(_good_row(label, rhk_id), _any_row(label, rhk_id)), min_size=1, max_size=5))
    rows = [dict(r, id=None, _row=i) for i, r in enumerate(rows, start=1)]
    before = _ra_rows(ev_id)
    try:
        res = evaluasi.save_rencana_aksi(staf, ev_id, rows)
    except ValidationFailed as e:
        event("ditolak")
        assert e.errors and all(x.row in {r["_row"] for r in rows} for x in e.errors)
        assert all(x.field in evaluasi.LABELS.values() for x in e.errors)
        assert _ra_rows(ev_id) == before
    else:
        event("disimpan")
        after = _ra_rows(ev_id)
        assert res.ditambah == len(rows) and len(after) == len(before) + len(rows)
        evaluasi.save_rencana_aksi(staf, ev_id, [], deleted_ids=[r[0] for r in after])
        assert _ra_rows(ev_id) == []


def test_rencana_aksi_paste_preview_rhk_by_number_round_trip_nothing_written(ev_org):
    import io

    import pandas as pd

    from domain import cells

    org = ev_org
    staf = org.actors.staf
    ev_id = ef.periodic(org, "staf")
    labels = list(evaluasi.rhk_options(staf, ev_id))
    evaluasi.save_rencana_aksi(staf, ev_id, [{"_row": 1, "id": None, "rhk": labels[0], "uraian": "Laporan",
                                              "target": 2, "satuan": "laporan"}])
    before, audits = _ra_rows(ev_id), len(_actions("RencanaAksi"))
    pv = evaluasi.preview_paste_rencana_aksi(staf, ev_id, cells.format_tsv([
        ["1", "Rekap bulanan", "1,5", "dokumen"],      # 1: RHK by its number, decimal comma
        [labels[0], "Laporan", "3", ""],               # 2: stored (RHK, uraian): an update, satuan kept
        ["99", "Salah", "abc", ""],                    # 3: no RHK 99, target not a number
        ["1", "", "1", "dok"],                         # 4: uraian missing
    ]))
    assert _ra_rows(ev_id) == before and len(_actions("RencanaAksi")) == audits  # dry run
    assert [r.ok for r in pv.rows] == [True, True, False, False]
    assert pv.good[0]["rhk"] == labels[0] and pv.good[0]["target"] == 1.5 and pv.good[0]["id"] is None
    assert pv.good[1]["id"] == before[0][0] and pv.good[1]["satuan"] == "laporan" and pv.good[1]["target"] == 3
    errs = {(e.row, e.field) for e in pv.errors}
    assert {(3, "RHK"), (3, "Target"), (4, "Rencana Aksi")} <= errs
    sheet = pd.read_excel(io.BytesIO(evaluasi.rencana_aksi_xlsx(staf, ev_id)), dtype=object, header=None)
    text = cells.format_tsv([["" if pd.isna(v) else str(v) for v in r] for r in sheet.itertuples(index=False)])
    back = evaluasi.preview_paste_rencana_aksi(staf, ev_id, text)
    assert back.header and not back.errors and [g["id"] for g in back.good] == [before[0][0]]


def test_realisasi_paste_preview_matches_the_plan_and_refuses_unknown_rows(ev_org):
    import io

    import pandas as pd

    from domain import cells

    org = ev_org
    staf = org.actors.staf
    ev_id = ef.periodic(org, "staf")
    label = next(iter(evaluasi.rhk_options(staf, ev_id)))
    evaluasi.save_rencana_aksi(staf, ev_id, [{"_row": 1, "id": None, "rhk": label, "uraian": "Laporan",
                                              "target": 2, "satuan": "laporan"}])
    ra_id = evaluasi.evaluasi_detail(staf, ev_id).rencana_aksi[0].id
    pv = evaluasi.preview_paste_realisasi(staf, ev_id, "ra", cells.format_tsv([
        [label, "Laporan", "1,5", "Dua laporan disusun", "https://contoh.go.id/a"],
        [label, "Tidak ada", "1", "", ""],
        [label, "Laporan", "", "", "bukan tautan"],
    ]))
    assert [r.ok for r in pv.rows] == [True, False, False]
    assert pv.good[0]["id"] == ra_id and pv.good[0]["realisasi"] == 1.5
    errs = {(e.row, e.field) for e in pv.errors}
    assert (2, "Rencana Aksi") in errs and (3, "Rencana Aksi – Bukti Dukung") in errs, errs
    assert evaluasi.evaluasi_detail(staf, ev_id).rencana_aksi[0].realisasi is None  # dry run
    iki = evaluasi.evaluasi_detail(staf, ev_id).iki
    pv = evaluasi.preview_paste_realisasi(staf, ev_id, "iki", cells.format_tsv([[iki[0].indikator, "3"],
                                                                               [iki[0].indikator, "tiga"]]))
    assert [r.ok for r in pv.rows] == [True, False] and pv.good[0]["id"] == iki[0].id
    for which in ("ra", "iki"):
        sheet = pd.read_excel(io.BytesIO(evaluasi.realisasi_xlsx(staf, ev_id, which)), dtype=object, header=None)
        text = cells.format_tsv([["" if pd.isna(v) else str(v) for v in r] for r in sheet.itertuples(index=False)])
        back = evaluasi.preview_paste_realisasi(staf, ev_id, which, text)
        assert back.header and not back.errors and len(back.good) == len(sheet) - 1, (which, back.errors)
