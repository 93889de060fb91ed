"""Working-day calendar: weekends, national holidays and cuti bersama (holidays package), the instansi's own
HariLibur rows (including a "Hari Kerja" exception), and the admin grid with row/field errors."""

from __future__ import annotations

import datetime as dt

import pytest

from services.core.errors import PermissionDenied, ValidationFailed
from services.org import kalender
from tests.factories import build_org

D = dt.date


@pytest.fixture
def korg(db):
    return build_org(2026)


def test_national_holidays_and_weekends(korg):
    assert kalender.is_working_day(D(2026, 3, 2))
    assert not kalender.is_working_day(D(2026, 3, 7))  # Saturday
    assert not kalender.is_working_day(D(2026, 3, 19))  # Hari Suci Nyepi
    assert not kalender.is_working_day(D(2026, 3, 23))  # cuti bersama Idul Fitri
    assert not kalender.is_working_day(D(2026, 8, 17))
    assert kalender.working_days(2026, 3) == [D(2026, 3, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 25,
                                                                      26, 27, 30, 31)]
    # August 2026: 21 weekdays minus 17 (Independence Day) and 25 (Maulid Nabi)
    assert len(kalender.working_days(2026, 8)) == 19
    info = kalender.days(D(2026, 3, 18), D(2026, 3, 18))[0]
    assert info.hari == "Rabu" and not info.kerja and "Nyepi" in info.keterangan
    assert kalender.working_days_between(D(2026, 3, 5), D(2026, 3, 2)) == []
    hol = kalender.holidays_of_year(2026)
    assert D(2026, 12, 25) in set(hol["tanggal"])


def test_admin_grid_local_holiday_and_exception(korg):
    admin = korg.actors.admin
    n = kalender.save_grid(admin, [
        {"id": None, "_row": 1, "tanggal": "10/03/2026", "nama": "HUT Kota Medan", "jenis": "Libur Lokal"},
        {"id": None, "_row": 2, "tanggal": D(2026, 3, 23), "nama": "Cuti bersama dibatalkan", "jenis": "Hari Kerja"},
    ])
    assert n == 2
    assert not kalender.is_working_day(D(2026, 3, 10)) and kalender.is_working_day(D(2026, 3, 23))
    assert len(kalender.working_days(2026, 3)) == 17
    grid = kalender.grid(admin, 2026)
    assert grid["nama"].tolist() == ["HUT Kota Medan", "Cuti bersama dibatalkan"]
    rows = grid.to_dict("records")
    kalender.save_grid(admin, [dict(rows[0], nama="HUT Kota", _row=1)], [int(rows[1]["id"])])
    assert kalender.grid(admin, 2026)["nama"].tolist() == ["HUT Kota"]
    assert not kalender.is_working_day(D(2026, 3, 23))


def test_admin_grid_errors_by_row_and_nothing_saved(korg):
    admin = korg.actors.admin
    kalender.save_grid(admin, [{"id": None, "_row": 1, "tanggal": D(2026, 5, 4), "nama": "Libur", "jenis": "Libur Lokal"}])
    with pytest.raises(ValidationFailed) as exc:
        kalender.save_grid(admin, [
            {"id": None, "_row": 2, "tanggal": D(2026, 5, 4), "nama": "Dobel", "jenis": "Libur Lokal"},
            {"id": None, "_row": 3, "tanggal": "32/13/2026", "nama": "x", "jenis": "Libur Lokal"},
            {"id": None, "_row": 4, "tanggal": D(2026, 6, 2), "nama": " ", "jenis": "Libur Lokal"},
            {"id": None, "_row": 5, "tanggal": D(2026, 6, 3), "nama": "y" * 201, "jenis": "Liburan"},
            {"id": None, "_row": 6, "tanggal": D(2026, 6, 4), "nama": "Sah", "jenis": "Cuti Bersama"},
        ], [999])
    assert {(e.row, e.field) for e in exc.value.errors} == {
        (None, "ID"), (2, "Tanggal"), (3, "Tanggal"), (4, "Keterangan"), (5, "Keterangan"), (5, "Jenis")}
    assert len(kalender.grid(admin, 2026)) == 1
    with pytest.raises(PermissionDenied):
        kalender.grid(korg.actors.staf, 2026)
    with pytest.raises(PermissionDenied):
        kalender.save_grid(korg.actors.kasub, [])


def test_to_time_accepts_the_grid_editor_format():
    import datetime as dt

    from services.logbook.common import to_time

    assert to_time("08:30:00.000") == dt.time(8, 30)
    assert to_time("8.05") == dt.time(8, 5)
    with pytest.raises(ValueError):
        to_time("25:00")
