"""Reporting lines: admin grid save rules, ending lines, missing lines, and the reviewer's list."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.engine import read_session
from db.models import AuditLog, ReportingLine, Role
from services import beranda
from services.core import clock
from services.core.errors import PermissionDenied, ValidationFailed
from services.org import reporting

TODAY = clock.today()
NIP = {
    "kepala": "197001012000031001",
    "kasub": "198001012005011002",
    "ketua": "198502022010122001",
    "staf": "199003032015031003",
    "staf2": "199104042019022004",
    "pppk": "199505052022211005",
}


def row(n: int, pegawai, penilai=None, atasan=None, pertimbangan=None, mulai=None, sampai=None, id=None, catatan=None):
    return {"_row": n, "id": id, "pegawai": NIP.get(pegawai, pegawai), "pegawai_nama": None,
            "pejabat_penilai": NIP.get(penilai, penilai), "atasan_penilai": NIP.get(atasan, atasan),
            "pemberi_pertimbangan": NIP.get(pertimbangan, pertimbangan), "berlaku_mulai": mulai,
            "berlaku_sampai": sampai, "catatan": catatan}


def line_count() -> int:
    with read_session() as s:
        return s.scalar(select(func.count(ReportingLine.id)))


def errors_of(exc: pytest.ExceptionInfo[ValidationFailed]) -> set[tuple]:
    return {(e.row, e.field) for e in exc.value.errors}


def current_line_id(org, who: str) -> int:
    with read_session() as s:
        return s.scalar(select(ReportingLine.id).where(ReportingLine.pegawai_id == org.pegawai[who]))


def end_current(org, who: str, last_day: dt.date) -> None:
    reporting.end_line(org.actors.admin, current_line_id(org, who), last_day)


# --- lines_df, permissions --------------------------------------------------------------------------


def test_lines_df_columns_and_default_filter(org):
    df = reporting.lines_df(org.actors.admin)
    assert list(df.columns) == reporting.COLUMNS
    assert len(df) == 5
    staf2 = df[df["pegawai"] == NIP["staf2"]].iloc[0]
    assert staf2["pegawai_nama"] == "Dewi Lestari, S.Si."
    assert (staf2["pejabat_penilai"], staf2["atasan_penilai"], staf2["pemberi_pertimbangan"]) == (
        NIP["kasub"], NIP["kepala"], NIP["ketua"])
    assert staf2["berlaku_mulai"] == dt.date(org.year, 1, 1)

    end_current(org, "staf", TODAY + dt.timedelta(days=5))
    later = TODAY + dt.timedelta(days=10)
    assert NIP["staf"] not in set(reporting.lines_df(org.actors.admin, later)["pegawai"])
    assert NIP["staf"] in set(reporting.lines_df(org.actors.admin, later, include_history=True)["pegawai"])


def test_lines_search_and_pages_in_sql(org):
    admin = org.actors.admin
    full = reporting.lines_df(admin)
    assert reporting.lines_count(admin) == len(full) == 5
    dewi = reporting.lines_df(admin, text="  DEWI ")
    assert list(dewi["pegawai"]) == [NIP["staf2"]] and reporting.lines_count(admin, text="dewi") == 1
    assert list(reporting.lines_df(admin, text=NIP["staf2"][-6:])["pegawai"]) == [NIP["staf2"]]
    assert reporting.lines_count(admin, text="a%_") == 0  # LIKE wildcards are plain text
    pages = [reporting.lines_df(admin, limit=2, offset=o) for o in (0, 2, 4)]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert pd.concat(pages)["id"].tolist() == full["id"].tolist()
    choices = reporting.line_choices(admin)
    assert list(choices) == full["id"].tolist()
    assert list(reporting.line_choices(admin, text="dewi")) == dewi["id"].tolist()
    assert list(reporting.line_choices(admin, limit=2, offset=2)) == pages[1]["id"].tolist()
    assert "Dewi Lestari, S.Si. (" in choices[int(dewi["id"].iloc[0])]



def test_pegawai_options_search_limit_and_shown_rows_in_sql(org):
    admin = org.actors.admin
    every = reporting.pegawai_options(admin)
    assert reporting.pegawai_count(admin) == len(every) and NIP["staf2"] in every
    assert list(reporting.pegawai_options(admin, text="  DEWI ")) == [NIP["staf2"]]
    assert list(reporting.pegawai_options(admin, text=NIP["staf2"][-6:])) == [NIP["staf2"]]
    assert reporting.pegawai_options(admin, text="a%_") == {}  # LIKE wildcards are plain text
    first = reporting.pegawai_options(admin, limit=2)
    assert list(first) == list(every)[:2]  # by name, LIMIT in SQL
    with_shown = reporting.pegawai_options(admin, text="dewi", limit=1, include=[NIP["staf"], None])
    assert set(with_shown) == {NIP["staf2"], NIP["staf"]} and with_shown[NIP["staf"]] == every[NIP["staf"]]


@pytest.mark.parametrize("who", ["kasub", "kepala", "staf"])
def test_admin_functions_refused_for_others(org, who):
    actor = getattr(org.actors, who)
    lid = current_line_id(org, "staf")
    calls = [
        lambda: reporting.lines_df(actor),
        lambda: reporting.save_lines(actor, [row(1, "staf", "kasub", mulai=TODAY)], []),
        lambda: reporting.end_line(actor, lid, TODAY),
        lambda: reporting.missing_lines(actor),
        lambda: reporting.pegawai_options(actor),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match="Admin SDM"):
            call()
    with read_session() as s:
        assert s.get(ReportingLine, lid).berlaku_sampai is None


# --- save_lines validation --------------------------------------------------------------------------


def test_each_rule_names_row_and_field_and_nothing_is_written(org):
    before = line_count()
    future = TODAY + dt.timedelta(days=400)
    rows = [
        row(6, None, "kasub", mulai=future),  # pegawai missing
        row(7, "staf", None, mulai=future),  # penilai missing (staf is no head of office)
        row(8, "staf", "123456789012345678", mulai=future),  # unknown NIP
        row(9, "staf", "staf", mulai=future),  # rates himself
        row(10, "pppk", "kasub", "kasub", mulai=future + dt.timedelta(days=100)),  # penilai == atasan
        row(11, "ketua", "kasub", "kepala", "ketua", mulai=future + dt.timedelta(days=200)),  # pertimbangan self
        row(12, "staf2", "kasub", mulai=future, sampai=future - dt.timedelta(days=1)),  # end before start
        row(13, "kasub", "kepala", mulai=None),  # start missing
        row(14, "kasub", "kepala", "kasub", mulai=future + dt.timedelta(days=300)),  # atasan self
    ]
    with pytest.raises(ValidationFailed) as exc:
        reporting.save_lines(org.actors.admin, rows, [])
    got = errors_of(exc)
    assert {
        (6, "Pegawai"), (7, "Pejabat Penilai"), (8, "Pejabat Penilai"), (9, "Pejabat Penilai"),
        (10, "Atasan Pejabat Penilai"), (11, "Pemberi Pertimbangan"), (12, "Berlaku Sampai"),
        (13, "Berlaku Mulai"), (14, "Atasan Pejabat Penilai"),
    } <= got
    messages = {(e.row, e.field): e.message for e in exc.value.errors}
    assert "dirinya sendiri" in messages[(9, "Pejabat Penilai")]
    assert "tidak terdaftar" in messages[(8, "Pejabat Penilai")]
    assert "Baris 6, kolom Pegawai: wajib diisi" in str(exc.value)
    assert line_count() == before


def test_head_of_office_may_have_no_penilai(org):
    n = reporting.save_lines(org.actors.admin, [row(1, "kepala", None, mulai=dt.date(org.year, 1, 1),
                                                    catatan="Penilai di kantor pusat")], [])
    assert n == 1
    assert "Ratna Hapsari" not in " ".join(reporting.missing_lines(org.actors.admin)["nama"])


def test_inactive_pegawai_refused(org):
    from db.models import Pegawai
    from services.core.actor import SYSTEM
    from services.core.uow import unit_of_work

    with unit_of_work(SYSTEM) as s:
        s.get(Pegawai, org.pegawai["ketua"]).aktif = False
    future = TODAY + dt.timedelta(days=400)
    with pytest.raises(ValidationFailed) as exc:
        reporting.save_lines(org.actors.admin, [row(1, "staf", "ketua", mulai=future)], [])
    assert errors_of(exc) == {(1, "Pejabat Penilai")}
    assert "tidak aktif" in exc.value.errors[0].message


def test_overlap_with_database_and_within_batch(org):
    admin = org.actors.admin
    start = TODAY + dt.timedelta(days=10)
    # vs DB: staf already has an open line since 1 January
    with pytest.raises(ValidationFailed) as exc:
        reporting.save_lines(admin, [row(6, "staf", "kepala", mulai=start)], [])
    assert errors_of(exc) == {(6, "Berlaku Mulai")}
    assert "tumpang tindih" in exc.value.errors[0].message
    # within the batch: two future lines for a pegawai without a line, overlapping
    end_current(org, "pppk", TODAY + dt.timedelta(days=5))
    with pytest.raises(ValidationFailed) as exc:
        reporting.save_lines(admin, [
            row(6, "pppk", "kasub", mulai=start, sampai=start + dt.timedelta(days=30)),
            row(7, "pppk", "kepala", mulai=start + dt.timedelta(days=30)),
        ], [])
    assert errors_of(exc) == {(7, "Berlaku Mulai")}
    assert "baris 6" in exc.value.errors[0].message
    before = line_count()
    # adjacent periods are fine
    assert reporting.save_lines(admin, [
        row(6, "pppk", "kasub", mulai=start, sampai=start + dt.timedelta(days=29)),
        row(7, "pppk", "kepala", mulai=start + dt.timedelta(days=30)),
    ], []) == 2
    assert line_count() == before + 2


def test_end_then_new_line_in_one_batch(org):
    """Ending a line and adding its successor in the same save is not an overlap."""
    admin = org.actors.admin
    df = reporting.lines_df(admin)
    old = df[df["pegawai"] == NIP["staf"]].iloc[0]
    new_start = TODAY + dt.timedelta(days=1)
    rows = [
        {**row(2, "staf", "kasub", "kepala", mulai=old["berlaku_mulai"], sampai=TODAY), "id": int(old["id"])},
        row(6, "staf", "ketua", "kasub", mulai=new_start),
    ]
    assert reporting.save_lines(admin, rows, []) == 2
    with read_session() as s:
        assert reporting.is_reviewer_of(s, org.pegawai["kasub"], org.pegawai["staf"], TODAY, Role.PENILAI)
        assert reporting.is_reviewer_of(s, org.pegawai["ketua"], org.pegawai["staf"], new_start, Role.PENILAI)
        assert not reporting.is_reviewer_of(s, org.pegawai["kasub"], org.pegawai["staf"], new_start, Role.PENILAI)


def test_cycle_refused_in_batch_and_against_database(org):
    admin = org.actors.admin
    future = TODAY + dt.timedelta(days=400)
    # DB: kasub rates staf; a new line where staf rates kasub (after kasub's line ends) would be a cycle
    end_current(org, "kasub", future - dt.timedelta(days=1))
    with pytest.raises(ValidationFailed) as exc:
        reporting.save_lines(admin, [row(6, "kasub", "staf", mulai=future)], [])
    assert errors_of(exc) == {(6, "Pejabat Penilai")}
    assert "lingkaran" in exc.value.errors[0].message
    # batch: ketua and staf2 rate each other from the same date (both rows flagged)
    end_current(org, "ketua", future - dt.timedelta(days=1))
    end_current(org, "staf2", future - dt.timedelta(days=1))
    with pytest.raises(ValidationFailed) as exc:
        reporting.save_lines(admin, [row(6, "ketua", "staf2", mulai=future),
                                     row(7, "staf2", "ketua", mulai=future)], [])
    assert errors_of(exc) == {(6, "Pejabat Penilai"), (7, "Pejabat Penilai")}
    # a longer chain: kasub -> staf2 -> ketua -> kasub
    with pytest.raises(ValidationFailed) as exc:
        reporting.save_lines(admin, [row(6, "kasub", "staf2", mulai=future),
                                     row(7, "staf2", "ketua", mulai=future),
                                     row(8, "ketua", "kasub", mulai=future)], [])
    assert {r for r, _ in errors_of(exc)} == {6, 7, 8}
    # no cycle when the periods do not meet
    assert reporting.save_lines(admin, [row(6, "ketua", "staf2", mulai=future, sampai=future + dt.timedelta(days=9)),
                                        row(7, "staf2", "ketua", mulai=future + dt.timedelta(days=10))], []) == 2


def test_started_line_cannot_be_deleted_or_rewritten(org):
    admin = org.actors.admin
    lid = current_line_id(org, "staf")
    with pytest.raises(ValidationFailed) as exc:
        reporting.save_lines(admin, [], [lid])
    assert errors_of(exc) == {(None, "ID")}
    assert "akhiri" in exc.value.errors[0].message
    with pytest.raises(ValidationFailed) as exc:
        reporting.save_lines(admin, [row(3, "staf", "ketua", "kepala", mulai=dt.date(org.year, 1, 1), id=lid)], [])
    assert errors_of(exc) == {(3, "Pejabat Penilai")}
    # catatan and berlaku_sampai may change
    assert reporting.save_lines(admin, [row(3, "staf", "kasub", "kepala", mulai=dt.date(org.year, 1, 1), id=lid,
                                            catatan="SK 12/2025", sampai=TODAY + dt.timedelta(days=60))], []) == 1
    with read_session() as s:
        line = s.get(ReportingLine, lid)
        assert (line.catatan, line.berlaku_sampai) == ("SK 12/2025", TODAY + dt.timedelta(days=60))


def test_future_line_can_be_deleted(org):
    admin = org.actors.admin
    start = TODAY + dt.timedelta(days=20)
    end_current(org, "pppk", start - dt.timedelta(days=1))
    reporting.save_lines(admin, [row(6, "pppk", "kepala", mulai=start)], [])
    with read_session() as s:
        new_id = s.scalar(select(ReportingLine.id).where(ReportingLine.berlaku_mulai == start))
    assert reporting.save_lines(admin, [], [new_id]) == 1
    with read_session() as s:
        assert s.get(ReportingLine, new_id) is None
        assert s.scalar(select(func.count(AuditLog.id)).where(
            AuditLog.entity == "ReportingLine", AuditLog.entity_id == str(new_id), AuditLog.action == "hapus")) == 1


def test_end_line_works_and_is_audited(org):
    admin = org.actors.admin
    lid = current_line_id(org, "staf")
    last = TODAY + dt.timedelta(days=3)
    reporting.end_line(admin, lid, last)
    with read_session() as s:
        assert s.get(ReportingLine, lid).berlaku_sampai == last
        log = s.scalars(select(AuditLog).where(AuditLog.entity == "ReportingLine", AuditLog.entity_id == str(lid),
                                               AuditLog.action == "akhiri_hubungan")).one()
        assert log.username == "admin"
        assert log.before == {"berlaku_sampai": None} and log.after == {"berlaku_sampai": last.isoformat()}
    with pytest.raises(ValidationFailed, match="Hari terakhir"):
        reporting.end_line(admin, lid, dt.date(org.year - 1, 12, 31))


def test_end_line_cannot_overlap_next_line(org):
    admin = org.actors.admin
    start = TODAY + dt.timedelta(days=20)
    end_current(org, "pppk", start - dt.timedelta(days=1))
    reporting.save_lines(admin, [row(6, "pppk", "kepala", mulai=start)], [])
    with pytest.raises(ValidationFailed, match="berikutnya"):
        reporting.end_line(admin, _first_line(org, "pppk"), start + dt.timedelta(days=5))


def _first_line(org, who: str) -> int:
    with read_session() as s:
        return s.scalar(select(ReportingLine.id).where(ReportingLine.pegawai_id == org.pegawai[who])
                        .order_by(ReportingLine.berlaku_mulai).limit(1))


def test_missing_lines(org):
    admin = org.actors.admin
    assert reporting.missing_lines(admin).empty  # kepala is head of office: not listed
    end_current(org, "staf", TODAY + dt.timedelta(days=5))
    missing = reporting.missing_lines(admin, TODAY + dt.timedelta(days=10))
    assert list(missing["nip"]) == [NIP["staf"]]
    assert "Belum ada" in missing.iloc[0]["keterangan"]


def test_ending_soon_task_for_admin(org):
    admin = org.actors.admin
    assert not [t for t in beranda.my_tasks(admin) if t.judul == "Hubungan penilaian akan berakhir"]
    end_current(org, "staf2", TODAY + dt.timedelta(days=10))
    tasks = [t for t in beranda.my_tasks(admin) if t.judul == "Hubungan penilaian akan berakhir"]
    assert len(tasks) == 1 and "Dewi Lestari" in tasks[0].detail
    assert tasks[0].tenggat == TODAY + dt.timedelta(days=10) and tasks[0].halaman == "sdm_hubungan.py"
    assert not [t for t in beranda.my_tasks(org.actors.kasub) if t.judul == "Hubungan penilaian akan berakhir"]
    # once a successor line exists, the task disappears
    reporting.save_lines(admin, [row(6, "staf2", "kasub", "kepala", mulai=TODAY + dt.timedelta(days=11))], [])
    assert not [t for t in beranda.my_tasks(admin) if t.judul == "Hubungan penilaian akan berakhir"]


# --- reviewers --------------------------------------------------------------------------------------


def by_relation(df) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in df.itertuples():
        out.setdefault(r.relasi, set()).add(r.nip)
    return out


def test_my_reviewees_kasub(org):
    df = reporting.my_reviewees(org.actors.kasub)
    assert list(df.columns) == reporting.REVIEWEE_COLUMNS
    assert by_relation(df) == {"Pejabat Penilai": {NIP[k] for k in ("ketua", "staf", "staf2", "pppk")}}
    dewi = df[df["nip"] == NIP["staf2"]].iloc[0]
    assert dewi["nama"] == "Dewi Lestari, S.Si."
    assert dewi["jabatan"] == "Epidemiolog Kesehatan Ahli Muda"
    assert dewi["golongan"].endswith("III/b")
    assert dewi["tim"] == "Tim Kerja Surveilans"
    assert list(reporting.my_reviewees(org.actors.kasub, search="dewi")["nip"]) == [NIP["staf2"]]
    assert list(reporting.my_reviewees(org.actors.kasub, search=NIP["pppk"][:10])["nip"]) == [NIP["pppk"]]


def test_my_reviewees_kepala(org):
    df = reporting.my_reviewees(org.actors.kepala)
    assert by_relation(df) == {
        "Pejabat Penilai": {NIP["kasub"]},
        "Atasan Pejabat Penilai": {NIP[k] for k in ("ketua", "staf", "staf2", "pppk")},
    }
    assert list(df["relasi"])[0] == "Pejabat Penilai"  # grouped in relation order
    assert df[df["nip"] == NIP["kasub"]].iloc[0]["nama"] == "Budi Santoso, S.E."


def test_my_reviewees_ketua_and_staf(org):
    df = reporting.my_reviewees(org.actors.ketua)
    assert by_relation(df) == {"Pemberi Pertimbangan": {NIP["staf2"]}}
    for who in ("staf", "admin"):
        with pytest.raises(PermissionDenied, match="pejabat penilai"):
            reporting.my_reviewees(getattr(org.actors, who))


def test_is_reviewer_of(org):
    p = org.pegawai
    with read_session() as s:
        assert reporting.is_reviewer_of(s, p["kasub"], p["staf"], TODAY, Role.PENILAI)
        assert not reporting.is_reviewer_of(s, p["kasub"], p["staf"], TODAY, Role.ATASAN_PENILAI)
        assert reporting.is_reviewer_of(s, p["kepala"], p["staf"], TODAY, Role.ATASAN_PENILAI)
        assert reporting.is_reviewer_of(s, p["ketua"], p["staf2"], TODAY)
        assert not reporting.is_reviewer_of(s, p["ketua"], p["staf"], TODAY)
        assert not reporting.is_reviewer_of(s, p["kasub"], p["staf"], dt.date(org.year - 1, 12, 31))
        assert not reporting.is_reviewer_of(s, None, p["staf"], TODAY)
        with pytest.raises(ValueError):
            reporting.is_reviewer_of(s, p["kasub"], p["staf"], TODAY, Role.ADMIN_SDM)
        rv = reporting.reviewers_of(s, p["staf2"], TODAY)
        assert (rv.pejabat_penilai_id, rv.atasan_penilai_id, rv.pemberi_pertimbangan_id) == (
            p["kasub"], p["kepala"], p["ketua"])


# --- property: full save or clear error, never a partial write -------------------------------------

_people = st.sampled_from([*NIP.values(), None, "", "123", "199003032015031003 "])
_dates = st.one_of(st.none(), st.just("bukan tanggal"),
                   st.integers(-400, 800).map(lambda k: TODAY + dt.timedelta(days=k)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(st.tuples(_people, _people, _people, _people, _dates, _dates), min_size=1, max_size=4))
def test_any_batch_saves_fully_or_not_at_all(org, batch):
    rows = [row(6 + i, *people, mulai=m, sampai=s) for i, (*people, m, s) in enumerate(batch)]
    before = line_count()
    try:
        n = reporting.save_lines(org.actors.admin, rows, [])
    except ValidationFailed as e:
        assert e.errors and all(err.field in reporting.LABELS.values() and err.row for err in e.errors)
        assert line_count() == before
    else:
        assert n == len(rows) and line_count() == before + len(rows)
