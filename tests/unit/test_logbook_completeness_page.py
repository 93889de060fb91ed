"""Monitoring Logbook in SQL: completeness_page (filters, counts and LIMIT/OFFSET in the database) returns the
rows team_completeness returns filtered the way the page filtered them in pandas, in a stable order (name, id),
and the calendar picker's choices stay in the actor's scope - on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest

from services import logbook
from services.core.errors import PermissionDenied
from services.org import ketidakhadiran as kh
from tests import logbook_factories as lf
from tests.factories import build_org

D = dt.date
ON = D(2026, 3, 4)
NIP_STAF = "199003032015031003"
NIP_STAF2 = "199104042019022004"


@pytest.fixture
def ctx(db):
    org = build_org(lf.ORG_YEAR)
    sk = lf.approved_skps(org, staf2=True)
    a = org.actors
    lab = sk.staf_rhk[0].label
    logbook.save_month(a.staf, 2026, 3, lf.numbered([lf.row(D(2026, 3, d), "08:00", "09:00", lab) for d in (2, 3)]),
                       today=lf.TODAY)
    logbook.submit(a.staf, [int(i) for i in logbook.month_grid(a.staf, 2026, 3)["id"]], today=lf.TODAY)
    lab2 = logbook.rhk_options(a.staf2, lf.TODAY)[0].label
    logbook.save_month(a.staf2, 2026, 3, lf.numbered([lf.row(D(2026, 3, d), "08:00", "09:00", lab2)
                                                      for d in (2, 3, 4)]), today=lf.TODAY)
    kh.save_grid(a.admin, 2026, [{"id": None, "_row": 1, "pegawai": "199505052022211005", "jenis": "Dinas Luar",
                                  "tanggal_mulai": D(2026, 3, 3), "tanggal_selesai": D(2026, 3, 4)}])
    return org


def _pandas(team: pd.DataFrame, units=(), hari_ini=(), cari="", only_gaps=False) -> pd.DataFrame:
    """The page's former pandas filters, for comparison."""
    shown = team
    if units:
        shown = shown[shown["unit"].isin(units)]
    if hari_ini:
        shown = shown[shown["hari_ini"].isin(hari_ini)]
    if cari.strip():
        needle = cari.strip().lower()
        shown = shown[shown["nama"].str.lower().str.contains(needle, regex=False)
                      | shown["nip"].str.contains(needle, regex=False)]
    if only_gaps:
        shown = shown[shown["bulan_terisi"] < shown["bulan_hari_kerja"]]
    return shown


def _records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts with missing values as None (an all-empty column is None in one frame, NaN in another)."""
    return [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in df.to_dict("records")]


def test_filters_in_sql_match_the_pandas_filters(ctx):
    admin = ctx.actors.admin
    team = logbook.team_completeness(admin, ON).pegawai
    units = logbook.completeness_units(admin, ON)
    assert units == sorted(team["unit"].dropna().unique())
    combos = itertools.product(((), units[:1]), ((), ("Belum",), ("Sudah", "Dinas Luar"), ("Libur",)),
                               ("", "dewi", "1990"), (False, True))
    for u, h, cari, gaps in combos:
        want = _pandas(team, u, h, cari, gaps)
        got = logbook.completeness_page(admin, ON, units=u, hari_ini=h, cari=cari, only_gaps=gaps)
        assert got.total == len(want), (u, h, cari, gaps)
        assert _records(got.pegawai) == _records(want), (u, h, cari, gaps)
        assert got.belum_hari_ini == int((want["hari_ini"] == "Belum").sum())
        assert got.menunggu_penilaian == int(want["menunggu_penilaian"].sum())
    assert set(team["hari_ini"]) >= {"Sudah", "Belum", "Dinas Luar"}


def test_pages_are_stable_and_cover_every_row_once(ctx):
    admin = ctx.actors.admin
    every = logbook.completeness_page(admin, ON)
    assert list(every.pegawai["pegawai_id"]) == list(logbook.team_completeness(admin, ON).pegawai["pegawai_id"])
    pages = [logbook.completeness_page(admin, ON, limit=2, offset=o, counts=False).pegawai for o in range(0, 10, 2)]
    joined = pd.concat(pages, ignore_index=True)
    assert list(joined["pegawai_id"]) == list(every.pegawai["pegawai_id"])
    counted = logbook.completeness_page(admin, ON, limit=0)
    assert counted.pegawai.empty and counted.total == len(every.pegawai)


def test_scope_of_reviewer_and_picker_choices(ctx):
    a = ctx.actors
    ketua = logbook.completeness_page(a.ketua, ON)
    assert list(ketua.pegawai["nip"]) == [NIP_STAF2] and logbook.scope_count(a.ketua, ON) == 1
    assert list(logbook.pegawai_choices(a.ketua, ON)) == list(ketua.pegawai["pegawai_id"])
    # a pegawai outside her scope is never offered, even when asked for
    assert logbook.pegawai_choices(a.ketua, ON, include=[ctx.pegawai["staf"]]) == logbook.pegawai_choices(a.ketua, ON)
    every = logbook.pegawai_choices(a.admin, ON)
    assert len(every) == logbook.scope_count(a.admin, ON) == len(logbook.team_completeness(a.admin, ON).pegawai)
    found = logbook.pegawai_choices(a.admin, ON, text="dewi", limit=1, include=[ctx.pegawai["staf"]])
    assert set(found) == {ctx.pegawai["staf"], ctx.pegawai["staf2"]}
    assert found[ctx.pegawai["staf2"]].endswith(f"({NIP_STAF2})")
    assert len(logbook.pegawai_choices(a.admin, ON, limit=2)) == 2
    pd.testing.assert_frame_equal(logbook.reviewers_pending(a.kasub, ON), logbook.team_completeness(a.kasub, ON).reviewers)
    for f in (logbook.completeness_page, logbook.pegawai_choices, logbook.scope_count, logbook.reviewers_pending):
        with pytest.raises(PermissionDenied):
            f(a.staf, ON)


def test_reviewers_for_chosen_units_and_large_organisation_default(ctx, monkeypatch):
    """The pending reviews follow the unit filter (read for the pegawai of those units only): every unit gives the
    organisation-wide figures, one unit its pegawai's. A large organisation opens the leaders on one unit's
    subtree (services.org.units.large_default_unit, as Monitoring Evaluasi); a small one and reviewers on all."""
    from services.org import units as org_units

    a = ctx.actors
    names = logbook.completeness_units(a.admin, ON)
    assert names == ["Balai Uji Kinerja", "Subbagian Administrasi Umum"]
    whole = logbook.reviewers_pending(a.admin, ON)
    assert int(whole["menunggu"].sum()) == 2
    pd.testing.assert_frame_equal(logbook.reviewers_pending(a.admin, ON, units=names), whole)
    adum = logbook.reviewers_pending(a.admin, ON, units=["Subbagian Administrasi Umum"])
    pd.testing.assert_frame_equal(adum, whole)  # staf (ADUM) holds every submitted entry
    assert int(adum["menunggu"].sum()) == logbook.completeness_page(
        a.admin, ON, units=["Subbagian Administrasi Umum"]).menunggu_penilaian
    assert logbook.reviewers_pending(a.admin, ON, units=["Balai Uji Kinerja"]).empty
    pd.testing.assert_frame_equal(logbook.reviewers_pending(a.kasub, ON, units=names),
                                  logbook.reviewers_pending(a.kasub, ON))
    assert logbook.default_units(a.admin, ON) == logbook.default_units(a.kepala, ON) == []
    monkeypatch.setattr(org_units, "LARGE_ORG", 2)  # 6 active pegawai: a large organisation
    for leader in (a.admin, a.kepala):
        assert logbook.default_units(leader, ON) == ["Subbagian Administrasi Umum"]  # the first top-level unit
    assert logbook.default_units(a.kasub, ON) == []  # a reviewer's scope is already bounded
