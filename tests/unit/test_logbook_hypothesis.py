"""Random (mostly bad) grid rows thrown at save_month: always a full save or ValidationFailed with nothing written.
SQLite only (hypothesis runs many examples)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from services import logbook
from services.core.errors import ValidationFailed
from tests import logbook_factories as lf
from tests.factories import build_org

D = dt.date


@pytest.fixture
def hctx(sqlite_db):
    org = build_org(lf.ORG_YEAR)
    sk = lf.approved_skps(org)
    return org, sk.staf_rhk[0]


def _row(opt):
    return st.fixed_dictionaries({
        "tanggal": st.sampled_from([D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 7), D(2026, 4, 1), None, "bukan",
                                    "05/03/2026", D(2026, 12, 1)]),
        "jam_mulai": st.sampled_from([None, "08:00", "09:30", dt.time(13, 0), "25:00", "abc", "10.15"]),
        "jam_selesai": st.sampled_from([None, "09:00", "08:00", dt.time(14, 0), "99:99", "11:00"]),
        "durasi_menit": st.sampled_from([None, 0, 30, -5, 2000, "x", 1.5, 60.0, "45"]),
        "rhk": st.sampled_from([opt.label, opt.id, None, "RHK palsu", 999999, True]),
        "uraian": st.sampled_from([None, "", "Menyusun laporan", "x" * 1500, "=HYPERLINK()"]),
        "volume": st.sampled_from([None, 0, -1, 1, "2,5", "abc", 1e12, float("nan"), "1e3"]),
        "satuan": st.sampled_from([None, "dokumen", "s" * 80]),
        "bukti_link": st.sampled_from([None, "https://drive.go.id/a", "ftp://b", "http://" + "x" * 600]),
        "catatan_hari_libur": st.sampled_from([None, "Piket"]),
        "justifikasi_terlambat": st.sampled_from([None, "Dinas luar"]),
    })


def _good(opt):
    return st.fixed_dictionaries({
        "tanggal": st.sampled_from([D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4)]),
        "jam_mulai": st.none(), "jam_selesai": st.none(), "durasi_menit": st.sampled_from([15, 30, 60]),
        "rhk": st.sampled_from([opt.label, opt.id]), "uraian": st.just("Menyusun laporan"),
        "volume": st.sampled_from([1, "2,5"]), "satuan": st.just("dokumen"), "bukti_link": st.none(),
        "catatan_hari_libur": st.none(), "justifikasi_terlambat": st.none(),
    })


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_save_month_is_all_or_nothing(hctx, data):
    org, opt = hctx
    staf = org.actors.staf
    rows = data.draw(st.lists(st.one_of(_good(opt), _good(opt), _good(opt), _row(opt)), min_size=1, max_size=5))
    rows = [dict(r, id=None, _row=i) for i, r in enumerate(rows, start=1)]
    before = lf.snapshot()
    try:
        res = logbook.save_month(staf, 2026, 3, rows, today=lf.TODAY)
    except ValidationFailed as e:
        event("ditolak")
        assert e.errors and all(err.row in {r["_row"] for r in rows} | {None} for err in e.errors)
        assert all(err.field in logbook.LABELS.values() for err in e.errors)
        assert lf.snapshot() == before
    else:
        event("disimpan")
        after = lf.snapshot()
        assert res.ditambah == len(rows) and len(after) == len(before) + len(rows)
        assert after[: len(before)] == before
        new_ids = [r[0] for r in after[len(before):]]
        logbook.save_month(staf, 2026, 3, [], new_ids, today=lf.TODAY)  # keep the month small for the next example
        assert lf.snapshot() == before
