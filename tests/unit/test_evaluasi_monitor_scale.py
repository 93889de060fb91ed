"""Monitoring Evaluasi at scale (services/evaluasi/monitoring.py): the computation bounded by the selected unit
(only that subtree's segments, evaluations, reporting lines and the reviewers' names read) equals the reference
that read the whole organisation (tests/evaluasi_monitor_reference.py) on the same data, for every role, unit and
day (SQLite and PostgreSQL); the default unit of a large organisation opens one level lower (shared with Pohon
Kinerja: services.org.units.large_default_unit); the matrix and the overdue list are paged."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select

from db.models import JenisEvaluasi, Pegawai, PredikatKinerja, Skp, StatusEvaluasi, StatusSkp, UnitKerja
from services.core.actor import SYSTEM
from services.core.uow import unit_of_work
from services.evaluasi import common as evaluasi_common
from services.evaluasi import monitoring as mon
from services.org import units as org_units
from tests import evaluasi_factories as ef
from tests.evaluasi_monitor_reference import reference_monitor
from tests.logbook_factories import ORG_YEAR, d
from tests.skp_factories import period_id

S = StatusEvaluasi
NOW = dt.datetime(ORG_YEAR, 2, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def ctx(db):
    from tests.factories import build_org

    org = build_org(ORG_YEAR)
    ef.setup(org)
    return org


def _ev(org, who: str, nomor: int = 1, skp_id: int | None = None, **fields) -> None:
    with unit_of_work(SYSTEM) as s:
        skp = s.get(Skp, skp_id or ef.skp_id(org, who))
        ev = evaluasi_common.get_or_create(s, skp, JenisEvaluasi.PERIODIK, nomor, today=d(3, 31))
        for k, v in fields.items():
            setattr(ev, k, v)


def _copy_segment(s, src: Skp, **fields) -> Skp:
    """An approved segment like `src` with `fields` changed (no RHK: the monitor reads only the segment)."""
    cols = ("pegawai_id", "period_id", "segment_no", "tanggal_mulai", "tanggal_selesai", "jabatan_id", "unit_id",
            "golongan", "pejabat_penilai_id", "atasan_penilai_id", "format", "pendekatan", "version_no")
    k = Skp(**{c: getattr(src, c) for c in cols}, status=StatusSkp.DISETUJUI)
    for name, value in fields.items():
        setattr(k, name, value)
    s.add(k)
    s.flush()
    return k


def _varied(org) -> dict[str, int]:
    """Evaluations in every step, and placements that test the unit filter: a sub-unit under ADUM (staf2's
    segment) and a sibling unit LAIN where staf moves mid-year (first segment in ADUM, the latest in LAIN), the
    kepala's segment without unit and jabatan (placed by the pegawai's jabatan), the ketua's with neither and a
    pegawai without jabatan (placed by the pegawai's unit), and an inactive pegawai with an approved segment."""
    ef.fill_and_submit(org, "staf2")
    _ev(org, "kasub", status=S.DINILAI, rencana_aksi_at=NOW, dinilai_by_id=org.pegawai["kepala"])
    _ev(org, "kepala", status=S.DISETUJUI, rencana_aksi_at=NOW, predikat=PredikatKinerja.BAIK)
    _ev(org, "staf", nomor=2, rencana_aksi_at=NOW)
    with unit_of_work(SYSTEM) as s:
        sub = UnitKerja(kode="SUB", nama="Urusan Kepegawaian", parent_id=org.units["adum"])
        lain = UnitKerja(kode="LAIN", nama="Instalasi Lain", parent_id=org.units["root"])
        s.add_all([sub, lain])
        s.flush()
        units = {"root": org.units["root"], "adum": org.units["adum"], "sub": sub.id, "lain": lain.id}
        seg = {w: s.scalar(select(Skp).where(Skp.pegawai_id == org.pegawai[w])) for w in ("kepala", "staf",
                                                                                           "staf2")}
        seg["staf2"].unit_id = sub.id
        seg["kepala"].unit_id, seg["kepala"].jabatan_id = None, None
        seg["staf"].tanggal_selesai = d(5, 15)
        moved = _copy_segment(s, seg["staf"], segment_no=2, tanggal_mulai=d(5, 16),
                              tanggal_selesai=dt.date(ORG_YEAR, 12, 31), unit_id=lain.id)
        _copy_segment(s, seg["staf"], pegawai_id=org.pegawai["ketua"], unit_id=None, jabatan_id=None,
                      tanggal_selesai=dt.date(ORG_YEAR, 12, 31))
        s.get(Pegawai, org.pegawai["ketua"]).jabatan_id = None
        _copy_segment(s, seg["staf"], pegawai_id=org.pegawai["pppk"], tanggal_selesai=dt.date(ORG_YEAR, 12, 31))
        s.get(Pegawai, org.pegawai["pppk"]).aktif = False
        moved_id = moved.id
    _ev(org, "staf", nomor=3, skp_id=moved_id, status=S.DIAJUKAN, rencana_aksi_at=NOW)
    return units


def _same(new: mon.Monitor, old: mon.Monitor) -> None:
    assert new.kolom == old.kolom
    pd.testing.assert_frame_equal(new.matrix, old.matrix)
    assert new.summaries.keys() == old.summaries.keys()
    for nomor in old.summaries:
        pd.testing.assert_frame_equal(new.summaries[nomor], old.summaries[nomor])
    pd.testing.assert_frame_equal(new.overdue, old.overdue)


def test_bounded_monitor_equals_the_whole_organisation_reference(ctx):
    units = _varied(ctx)
    pid = period_id(ctx)
    a = ctx.actors
    days = (d(3, 1), d(4, 20), d(4, 26), d(5, 16), d(7, 10), d(10, 20), dt.date(ORG_YEAR + 1, 1, 20))
    seen_units: set[str] = set()
    for today in days:
        for actor in (a.admin, a.kepala, a.ketua, a.kasub):
            for unit in (None, *units.values()):
                new = mon.monitor(actor, pid, unit, today)
                _same(new, reference_monitor(actor, pid, unit, today))
                seen_units |= set(new.matrix["unit"].dropna())
    assert seen_units == {"Balai Uji Kinerja", "Subbagian Administrasi Umum", "Urusan Kepegawaian",
                          "Instalasi Lain"}
    # the placement cases above really happened: staf counts in LAIN (its latest segment), not in ADUM
    lain = mon.monitor(a.admin, pid, units["lain"], d(7, 10)).matrix
    assert list(lain["pegawai_id"]) == [ctx.pegawai["staf"]] and lain.loc[0, "T1"] == "Belum dibuat"
    adum = mon.monitor(a.admin, pid, units["adum"], d(7, 10)).matrix
    assert set(adum["pegawai_id"]) == {ctx.pegawai["kasub"], ctx.pegawai["staf2"]}
    everyone = mon.monitor(a.admin, pid, None, d(7, 10)).matrix
    assert ctx.pegawai["ketua"] in set(everyone["pegawai_id"]) and ctx.pegawai["pppk"] not in set(
        everyone["pegawai_id"])


def test_large_default_unit_opens_one_level_lower():
    """The shared rule (Pohon Kinerja and Monitoring Evaluasi): the actor's own top-level unit, else the first;
    one level lower (the actor's path, else the first child) while the subtree holds more than the limit."""
    kids = {None: [1], 1: [2, 3], 2: [4, 5], 3: [6]}
    per_unit = {1: 1, 2: 1, 3: 3, 4: 2, 5: 2, 6: 1, None: 7}
    assert org_units.large_default_unit(kids, None) == 2
    assert org_units.large_default_unit(kids, 6) == 3
    assert org_units.large_default_unit(kids, None, per_unit, 5) == 2  # 1 + 2 + 2 pegawai
    assert org_units.large_default_unit(kids, None, per_unit, 4) == 4
    assert org_units.large_default_unit(kids, 5, per_unit, 4) == 5
    assert org_units.large_default_unit(kids, 6, per_unit, 0) == 6  # a leaf stays, however large
    assert org_units.large_default_unit({None: [1, 2]}, None) == 1  # several roots: the roots are the top level
    assert org_units.large_default_unit({}, None) is None
    assert org_units.subtree(2, kids) == {2, 4, 5}


def test_unit_choices_small_office_every_unit_large_one_unit(ctx, monkeypatch):
    units = _varied(ctx)
    a = ctx.actors
    small = mon.unit_choices(a.kepala)
    assert (small.default, small.large) == (None, False)  # a small office opens on every unit, as before
    assert [u for u, _ in small.options] == [units["root"], units["adum"], units["sub"], units["lain"]]
    ind = org_units.INDENT  # no-break spaces: indentation a browser keeps
    assert [n for _, n in small.options] == ["Balai Uji Kinerja", ind + "Subbagian Administrasi Umum",
                                             ind * 2 + "Urusan Kepegawaian", ind + "Instalasi Lain"]
    assert mon.unit_options(a.kepala) == small.options

    monkeypatch.setattr(org_units, "LARGE_ORG", 2)  # 5 active pegawai: a large organisation
    for actor in (a.admin, a.kepala, a.ketua):
        large = mon.unit_choices(actor)
        assert large.large and large.options == small.options
        # ADUM (kasub, staf; staf2 is placed in ROOT) holds 2 active pegawai: no lower
        assert large.default == units["adum"], actor
    monkeypatch.setattr(org_units, "LARGE_ORG", 1)
    assert mon.unit_choices(a.admin).default == units["sub"]  # ADUM holds 2 > 1: its first child
    assert mon.unit_choices(a.kasub) == mon.UnitChoices(small.options, None, False)  # reviewers: their scope


def test_matrix_and_overdue_pages_concatenate_to_the_whole(ctx):
    _varied(ctx)
    m = mon.monitor(ctx.actors.admin, period_id(ctx), today=d(7, 10))
    whole = mon.matrix_frame(m)
    assert mon.matrix_page(m).total == len(whole) == 5
    pd.testing.assert_frame_equal(mon.matrix_page(m).rows, whole)
    pages = [mon.matrix_page(m, limit=2, offset=o) for o in (0, 2, 4, 6)]
    assert [len(p.rows) for p in pages] == [2, 2, 1, 0] and {p.total for p in pages} == {5}
    pd.testing.assert_frame_equal(pd.concat([p.rows for p in pages[:3]]), whole)
    early = mon.monitor(ctx.actors.admin, period_id(ctx), today=d(3, 1))
    late = mon.matrix_page(early, hanya_terlambat=True)
    assert late.total == int((early.matrix["jumlah_terlambat"] > 0).sum()) and 0 < late.total < 5
    assert (late.rows["Langkah Terlambat"] > 0).all()
    # one call gives a page of the filtered rows and the filter's total (the page asks once per run)
    late_all = mon.matrix_page(early, hanya_terlambat=True)
    second = mon.matrix_page(early, hanya_terlambat=True, limit=1, offset=1)
    assert second.total == late_all.total and len(second.rows) == min(1, late_all.total - 1)
    pd.testing.assert_frame_equal(second.rows, late_all.rows.iloc[1:2])
    assert mon.matrix_page(early, hanya_terlambat=True, limit=1, offset=99).total == late_all.total  # past the end
    found = mon.matrix_page(m, cari="andi")
    assert found.total == 1 and list(found.rows["Pegawai"]) == ["Andi Wijaya"]
    assert mon.matrix_page(m, cari=m.matrix.loc[0, "nip"][:8], limit=1).total >= 1

    shown = mon.overdue_page(m)
    assert shown.total == len(m.overdue) > 3
    assert list(shown.rows.columns) == [mon.OVERDUE_HEADERS[c] for c in mon.OVERDUE_COLUMNS[:9]]
    parts = [mon.overdue_page(m, limit=3, offset=o).rows for o in range(0, shown.total, 3)]
    pd.testing.assert_frame_equal(pd.concat(parts), shown.rows)
    peran = m.overdue.loc[0, "peran"]
    page2 = mon.overdue_page(m, peran=[peran], limit=1, offset=1)
    assert page2.total == int((m.overdue["peran"] == peran).sum())
    one = mon.overdue_page(m, peran=[peran])
    assert one.total == int((m.overdue["peran"] == peran).sum()) and set(one.rows["Peran"]) == {peran}
