"""Monitoring Evaluasi (services/evaluasi_monitor.py): scope per role, step labels, overdue flags for a given day,
per-step summary, the overdue list with the responsible person, and the Excel export.

Test org (tests/factories.py, Triwulanan, ORG_YEAR): approved SKPs for kepala, kasub, staf and staf2. Default
deadlines of Q1: rencana aksi 15 Feb, realisasi 5 Apr, pertimbangan and penilaian 15 Apr, persetujuan 25 Apr.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import event, select

from db.engine import get_engine
from db.models import JenisEvaluasi, PredikatKinerja, Skp, StatusEvaluasi, UnitKerja
from services.core.actor import SYSTEM
from services.core.errors import PermissionDenied
from services.core.uow import unit_of_work
from services.evaluasi import common as evaluasi_common
from services.evaluasi import monitoring as mon
from services.evaluasi import tugas as evaluasi_tugas
from tests import evaluasi_factories as ef
from tests.logbook_factories import ORG_YEAR, d
from tests.skp_factories import period_id

S = StatusEvaluasi
NOW = dt.datetime(ORG_YEAR, 2, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def ctx(db):
    from tests.factories import build_org

    org = build_org(ORG_YEAR)  # the dates below are in ORG_YEAR, whatever today is
    ef.setup(org)
    return org


def _ev(org, who: str, nomor: int = 1, **fields) -> int:
    """`who`'s periodic evaluation `nomor` (created from the approved SKP) with fields set through the ORM."""
    with unit_of_work(SYSTEM) as s:
        skp = s.get(Skp, ef.skp_id(org, who))
        ev = evaluasi_common.get_or_create(s, skp, JenisEvaluasi.PERIODIK, nomor, today=d(3, 31))
        for k, v in fields.items():
            setattr(ev, k, v)
        return ev.id


def _states(org):
    """Q1: staf nothing; staf2 submitted (waiting for ketua's pertimbangan); kasub rated (no atasan in the
    satker: Admin SDM approves); kepala approved with predikat Baik. Q2: staf planned its rencana aksi."""
    ef.fill_and_submit(org, "staf2")
    _ev(org, "kasub", status=S.DINILAI, rencana_aksi_at=NOW, dinilai_by_id=org.pegawai["kepala"])
    _ev(org, "kepala", status=S.DISETUJUI, rencana_aksi_at=NOW, predikat=PredikatKinerja.BAIK)
    _ev(org, "staf", nomor=2, rencana_aksi_at=NOW)


def _row(df, nama: str) -> dict:
    (row,) = df[df["pegawai"] == nama].to_dict("records")
    return row


def _nama(org, who: str) -> str:
    df = mon.matrix(org.actors.admin, period_id(org), today=d(4, 20))
    return df.set_index("pegawai_id").loc[org.pegawai[who], "pegawai"]


def test_scope_per_role(ctx):
    pid = period_id(ctx)
    with pytest.raises(PermissionDenied):
        mon.matrix(ctx.actors.staf, pid, today=d(4, 20))
    with pytest.raises(PermissionDenied):
        mon.export_xlsx(ctx.actors.staf, pid, today=d(4, 20))
    everyone = {ctx.pegawai[w] for w in ("kepala", "kasub", "staf", "staf2")}  # ketua and pppk: no SKP
    for who in ("admin", "kepala", "ketua"):  # Admin SDM, Kepala Satker, Perencana
        df = mon.matrix(getattr(ctx.actors, who), pid, today=d(4, 20))
        assert set(df["pegawai_id"]) == everyone, who
    kasub = mon.matrix(ctx.actors.kasub, pid, today=d(4, 20))
    assert set(kasub["pegawai_id"]) == {ctx.pegawai["staf"], ctx.pegawai["staf2"]}  # only the reviewees
    assert list(kasub.columns[:6]) == ["pegawai_id", "pegawai", "nip", "unit", "jabatan", "penilai"]
    assert [c for c in kasub.columns[6:]] == ["T1", "T1 terlambat", "T2", "T2 terlambat", "T3", "T3 terlambat",
                                              "T4", "T4 terlambat", "Tahunan", "Tahunan terlambat",
                                              "jumlah_terlambat"]
    assert set(kasub["penilai"]) == {_nama(ctx, "kasub")}


def test_step_labels_and_overdue_flags_by_day(ctx):
    _states(ctx)
    pid = period_id(ctx)
    df = mon.matrix(ctx.actors.admin, pid, today=d(4, 20))
    by = {who: df.set_index("pegawai_id").loc[ctx.pegawai[who]].to_dict() for who in ("kepala", "kasub", "staf",
                                                                                      "staf2")}
    staf, staf2, kasub, kepala = by["staf"], by["staf2"], by["kasub"], by["kepala"]
    # staf: no Q1 evaluation after the realisasi deadline (5 Apr); Q2 planned; Q3 not started
    assert (staf["T1"], staf["T1 terlambat"]) == ("Belum dibuat", True)
    assert (staf["T2"], staf["T2 terlambat"]) == ("Realisasi", False)
    assert (staf["T3"], staf["T3 terlambat"]) == ("Belum dimulai", False)
    assert (staf["Tahunan"], staf["Tahunan terlambat"]) == ("Belum dibuat", False)  # no annual rencana aksi
    assert staf["jumlah_terlambat"] == 1
    assert (staf2["T1"], staf2["T1 terlambat"]) == ("Menunggu pertimbangan", True)  # pertimbangan due 15 Apr
    assert (staf2["T2"], staf2["T2 terlambat"]) == ("Belum dibuat", False)  # rencana aksi due 15 May
    assert (kasub["T1"], kasub["T1 terlambat"]) == ("Menunggu persetujuan", False)  # due 25 Apr
    assert (kepala["T1"], kepala["T1 terlambat"]) == ("Disetujui: Baik", False)

    later = mon.matrix(ctx.actors.admin, pid, today=d(4, 26)).set_index("pegawai_id")
    assert bool(later.loc[ctx.pegawai["kasub"], "T1 terlambat"]) is True
    assert bool(later.loc[ctx.pegawai["kepala"], "T1 terlambat"]) is False
    # Q2 rencana aksi of staf2 (never started) is late after 15 May
    assert bool(mon.matrix(ctx.actors.admin, pid, today=d(5, 16)).set_index("pegawai_id")
                .loc[ctx.pegawai["staf2"], "T2 terlambat"]) is True

    _ev(ctx, "staf2", nomor=2)  # created, nothing planned yet
    assert mon.matrix(ctx.actors.admin, pid, today=d(5, 1)).set_index("pegawai_id").loc[
        ctx.pegawai["staf2"], "T2"] == "Rencana aksi"

    shown = mon.matrix_frame(mon.monitor(ctx.actors.admin, pid, today=d(4, 20)))
    assert "T1 terlambat" not in shown.columns and "Pegawai" in shown.columns
    assert set(shown["T1"]) == {"⚠ Belum dibuat", "⚠ Menunggu pertimbangan", "Menunggu persetujuan",
                                "Disetujui: Baik"}


def test_summary_counts_responsible_role_and_due_date(ctx):
    _states(ctx)
    pid = period_id(ctx)
    sm = mon.summary(ctx.actors.admin, pid, 1, today=d(4, 20)).set_index("langkah")
    assert list(sm.index) == list(mon.LANGKAH[:-1])  # "Belum dimulai" only when someone has it
    assert sm.loc["Belum dibuat"].to_dict() == {"jumlah": 1, "terlambat": 1, "penanggung_jawab": "Pegawai",
                                                "batas": d(4, 5)}
    assert sm.loc["Menunggu pertimbangan"].to_dict() == {"jumlah": 1, "terlambat": 1,
                                                         "penanggung_jawab": "Pemberi pertimbangan",
                                                         "batas": d(4, 15)}
    assert sm.loc["Menunggu persetujuan"].to_dict() == {"jumlah": 1, "terlambat": 0,
                                                        "penanggung_jawab": "Atasan pejabat penilai",
                                                        "batas": d(4, 25)}
    assert (sm.loc["Disetujui", "jumlah"], sm.loc["Menunggu penilaian", "jumlah"]) == (1, 0)
    assert sm.loc["Menunggu penilaian", "batas"] == d(4, 15)  # the standard due date when nobody is there
    assert int(sm["jumlah"].sum()) == 4

    q3 = mon.summary(ctx.actors.admin, pid, 3, today=d(4, 20)).set_index("langkah")
    assert q3.loc["Belum dimulai", "jumlah"] == 4 and int(q3["terlambat"].sum()) == 0
    annual = mon.summary(ctx.actors.admin, pid, 0, today=d(4, 20)).set_index("langkah")
    assert annual.loc["Belum dibuat", "jumlah"] == 4 and annual.loc["Belum dibuat", "batas"] == dt.date(
        ORG_YEAR + 1, 1, 5)

    # the unit filter includes sub-units: ADUM holds kasub and staf; the root unit everyone
    with unit_of_work(SYSTEM) as s:
        adum = s.scalar(select(UnitKerja.id).where(UnitKerja.kode == "ADUM"))
        root = s.scalar(select(UnitKerja.id).where(UnitKerja.kode == "BUK"))
    adum_df = mon.matrix(ctx.actors.admin, pid, unit_id=adum, today=d(4, 20))
    assert set(adum_df["pegawai_id"]) == {ctx.pegawai["kasub"], ctx.pegawai["staf"]}
    assert len(mon.matrix(ctx.actors.admin, pid, unit_id=root, today=d(4, 20))) == 4
    sm_adum = mon.summary(ctx.actors.admin, pid, 1, unit_id=adum, today=d(4, 20)).set_index("langkah")
    assert (sm_adum.loc["Belum dibuat", "jumlah"], sm_adum.loc["Menunggu pertimbangan", "jumlah"]) == (1, 0)
    assert [u for u, _ in mon.unit_options(ctx.actors.kasub)] == [root, adum]


def test_overdue_list_names_the_responsible_person(ctx):
    _states(ctx)
    pid = period_id(ctx)
    late = mon.overdue_list(ctx.actors.admin, pid, today=d(4, 26))
    got = [(r.langkah, r.pegawai_id, None if pd.isna(r.penanggung_jawab_id) else r.penanggung_jawab_id, r.peran,
            r.batas, r.hari_terlambat) for r in late.itertuples()]
    p = ctx.pegawai
    assert got == [
        ("Realisasi", p["staf"], p["staf"], "Pegawai", d(4, 5), 21),
        ("Penilaian", p["staf2"], p["kasub"], "Pejabat penilai", d(4, 15), 11),  # same days: by name
        ("Pertimbangan", p["staf2"], p["ketua"], "Pemberi pertimbangan", d(4, 15), 11),
        ("Persetujuan", p["kasub"], None, "Atasan pejabat penilai (Admin SDM)", d(4, 25), 1),
    ]
    names = dict(zip(late["langkah"], late["penanggung_jawab"], strict=True))
    assert names["Realisasi"] == late.loc[0, "pegawai"] == "Andi Wijaya"
    assert names["Persetujuan"] == "Admin SDM"
    assert names["Penilaian"] == _nama(ctx, "kasub")
    assert set(late["periode"]) == {f"Triwulan I {ORG_YEAR}"}
    assert list(late["hari_terlambat"]) == sorted(late["hari_terlambat"], reverse=True)

    # the same steps Beranda counts for Admin SDM (shared rules in services/evaluasi_tugas.py)
    with unit_of_work(SYSTEM) as s:
        assert len(evaluasi_tugas.overdue_steps(s, d(4, 26))) == len(late)

    kasub = mon.overdue_list(ctx.actors.kasub, pid, today=d(4, 26))
    assert set(kasub["pegawai_id"]) == {p["staf"], p["staf2"]}
    early = mon.overdue_list(ctx.actors.admin, pid, today=d(3, 1))  # only staf has no Q1 rencana aksi
    assert list(zip(early["langkah"], early["pegawai_id"], early["batas"], strict=True)) == [
        ("Rencana aksi", p["staf"], d(2, 15))]


def test_export_opens_and_neutralises_formulas(ctx):
    _states(ctx)
    with unit_of_work(SYSTEM) as s:
        s.scalar(select(UnitKerja).where(UnitKerja.kode == "ADUM")).nama = '=HYPERLINK("http://x","klik")'
    data = mon.export_xlsx(ctx.actors.admin, period_id(ctx), today=d(4, 26))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Matriks", "Ringkasan", "Terlambat"]
    header = [c.value for c in wb["Matriks"][1]]
    assert header[:5] == ["Pegawai", "NIP", "Unit Kerja", "Jabatan", "Pejabat Penilai"]
    assert "T1" in header and "T1 terlambat" not in header and "Tahunan" in header
    units = {c.value for c in wb["Matriks"]["C"][1:]}
    assert "'=HYPERLINK(\"http://x\",\"klik\")" in units
    assert wb["Terlambat"].max_row == 1 + 4
    assert [c.value for c in wb["Terlambat"][1]][:3] == ["Penanggung Jawab", "Peran", "Pegawai"]
    assert wb["Ringkasan"].max_row > 1


def test_queries_are_set_based(ctx):
    """The number of statements does not depend on the number of pegawai or evaluations."""
    _states(ctx)
    pid = period_id(ctx)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        mon.monitor(ctx.actors.admin, pid, today=d(4, 26))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    selects = [x.split("FROM")[1].split()[0] for x in statements if x.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 12, selects
