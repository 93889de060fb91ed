"""The logbook calendar heat map (ui/logbook_calendar.py, shared by Logbook Harian and Monitoring Logbook) and the
month data it draws (services.logbook.heatmap): days that have not come yet are neutral, not missed work.

Dates derive from the application clock (passes on any date, 1 January and 31 December included); the service
tests run on SQLite and PostgreSQL with the clock frozen."""

from __future__ import annotations

import calendar
import datetime as dt
import json

import pandas as pd
import pytest

from services import logbook
from services.core import clock as app_clock
from services.org import kalender
from services.org import ketidakhadiran as kh
from tests import logbook_factories as lf
from ui import logbook_calendar as cal

ONE = dt.timedelta(days=1)


def _month_frame(today: dt.date) -> pd.DataFrame:
    """A hand-made service frame of 7 days around `today` (any date, also across a month or year end): past
    filled, past empty, today (empty), a future working day, a holiday, a day of cuti, a future filled day."""
    days = [today + i * ONE for i in range(-3, 4)]
    spec = {  # offset from today: (kerja, keterangan, tidak_hadir, menit)
        -3: (True, None, None, 240),
        -2: (True, None, None, 0),
        -1: (False, "Hari Raya Natal", None, 0),
        0: (True, None, None, 0),
        1: (False, "Cuti Tahunan", "Cuti Tahunan", 0),
        2: (True, None, None, 0),
        3: (True, None, None, 30),  # recorded ahead of the day: still shown as recorded work
    }
    rows = []
    for off, d in zip(range(-3, 4), days, strict=True):
        kerja, ket, away, menit = spec[off]
        rows.append({"tanggal": d, "hari": cal.HARI[d.weekday()], "minggu_ke": (off + 3) // 7,
                     "hari_ke": d.weekday(), "kerja": kerja, "keterangan": ket, "tidak_hadir": away, "menit": menit,
                     "menit_disetujui": menit // 2, "jumlah": 1 if menit else 0, "terisi": menit > 0,
                     "hari_ini": d == today, "mendatang": d > today})
    return pd.DataFrame(rows, columns=logbook.HEATMAP_COLUMNS)


def test_chart_data_gives_each_kind_of_day_its_status():
    today = app_clock.today()
    data = cal.heatmap_data(_month_frame(today)).set_index("tanggal")
    assert data["status"].to_dict() == {
        today - 3 * ONE: "Terisi", today - 2 * ONE: "Belum terisi", today - ONE: "Libur",
        today: "Belum terisi",  # today is a normal day
        today + ONE: "Cuti/sakit/dinas luar", today + 2 * ONE: "Belum tiba", today + 3 * ONE: "Terisi"}
    assert data.loc[today, "keterangan_label"] == "Hari ini · Hari kerja"
    assert data.loc[today - ONE, "keterangan_label"] == "Hari Raya Natal"  # the holiday's name in the tooltip
    assert data.loc[today + ONE, "tidak_hadir"] == "Cuti Tahunan" and data.loc[today - 2 * ONE, "tidak_hadir"] == ""
    assert data.loc[today - ONE, "warna_teks"] == cal.TEXT_HOLIDAY
    assert data.loc[today + ONE, "warna_teks"] == cal.TEXT_ABSENT
    assert data.loc[today - 3 * ONE, "warna_teks"] == cal.TEXT_ON_DARK  # a dark green day keeps a legible number
    assert data.loc[today, "tanggal_label"] == cal.fmt.tanggal(today)  # Indonesian: "7 Desember 2026"


def test_chart_has_one_legend_of_day_groups_and_whole_minutes_and_marks_absence_and_today():
    spec = cal.heatmap_chart(_month_frame(app_clock.today())).to_dict()
    enc = [layer.get("encoding", {}) for layer in spec["layer"]]
    groups = next(e["color"] for e in enc if e.get("color", {}).get("field") == "status")
    assert groups["scale"]["domain"] == ["Belum terisi", "Belum tiba", "Libur", "Cuti/sakit/dinas luar"]
    assert groups["scale"]["range"] == [cal.EMPTY_DAY, cal.FUTURE_DAY, cal.HOLIDAY, cal.ABSENT_DAY]
    assert len(set(groups["scale"]["range"])) == 4 and cal.FUTURE_DAY != cal.EMPTY_DAY
    minutes = next(e["fill"] for e in enc if "fill" in e)
    assert minutes["legend"]["format"] == "d" and minutes["scale"]["domain"] == [0, 240]
    marks = [(layer["mark"].get("stroke"), json.dumps(layer.get("transform"))) for layer in spec["layer"]]
    assert (cal.ABSENT_LINE, json.dumps([{"filter": "datum.tidak_hadir != ''"}])) in marks
    assert (cal.TODAY_LINE, json.dumps([{"filter": "datum.hari_ini"}])) in marks
    # Streamlit's theme fits axis and legend into the height unless the chart says otherwise: rows were squashed
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"} and spec["height"] >= 44
    titles = {t["title"] for t in enc[0]["tooltip"]}
    assert {"Tanggal", "Status", "Keterangan", "Menit", "Menit disetujui"} <= titles


def test_chart_compiles_in_vega_lite_with_every_group():
    """Merged colour scales once made the whole calendar disappear in the browser: the layers must compile."""
    vlc = pytest.importorskip("vl_convert")
    svg = vlc.vegalite_to_svg(cal.heatmap_chart(_month_frame(app_clock.today())).to_json())
    assert svg.startswith("<svg") and "Belum tiba" in svg and "Senin" in svg


def test_caption_counts_filled_and_coming_working_days():
    text = cal.heatmap_caption(_month_frame(app_clock.today()))
    # working days: -3 (filled), -2, 0, +2, +3 (filled ahead); still to come: +2, +3
    assert text.startswith("2 dari 5 hari kerja terisi (2 hari kerja belum tiba).")
    assert "merah muda" in text and "bingkai biru" in text


# --- the service: the month data marks today and the days to come (SQLite and PostgreSQL) -----------------


def _this_month(today: dt.date) -> tuple[int, int, list[dt.date]]:
    days = kalender.working_days(today.year, today.month)
    return today.year, today.month, days


def test_month_data_marks_today_and_future_days_from_the_clock(org, clock):
    """Frozen on a working day in the middle of the current month's working days: days before it are past, the
    day itself is today (a normal day: pale red while empty), later days, working or not, have not come."""
    year, month, work = _this_month(clock.today())
    assert year == org.year
    today = clock.set(work[len(work) // 2])
    past = work[0]
    sk = lf.approved_skps(org, on=past)
    logbook.save_month(org.actors.staf, year, month,
                       [lf.row(past, "08:00", "10:00", sk.staf_rhk[0].label)], today=today)

    heat = logbook.heatmap(org.actors.staf, year, month)
    assert list(heat.columns) == logbook.HEATMAP_COLUMNS
    by_day = heat.set_index("tanggal")
    assert by_day["mendatang"].to_dict() == {d: d > today for d in by_day.index}
    assert by_day["hari_ini"].to_dict() == {d: d == today for d in by_day.index}
    assert by_day.loc[past, "menit"] == 120 and not by_day.loc[past, "mendatang"]

    status = cal.heatmap_data(heat).set_index("tanggal")["status"]
    assert status[past] == "Terisi" and status[today] == "Belum terisi"
    assert {status[d] for d in work if past < d < today} <= {"Belum terisi"}
    assert {status[d] for d in work if d > today} == {"Belum tiba"}
    assert {status[d] for d in by_day.index if not by_day.loc[d, "kerja"]} == {"Libur"}
    # the leader's view of the same month is the same data
    assert logbook.heatmap(org.actors.kasub, year, month, pegawai_id=org.pegawai["staf"]).equals(heat)


def test_month_data_of_a_past_and_a_coming_month(org, clock):
    """Seen from the month's first day, every later day is to come; a month that has ended has none to come,
    whatever the real date (first and last day of the year included)."""
    today = clock.today()
    year, month = today.year, today.month
    clock.set(dt.date(year, month, 1))
    heat = logbook.heatmap(org.actors.staf, year, month)
    assert heat["hari_ini"].tolist() == [True] + [False] * (len(heat) - 1)
    assert heat["mendatang"].tolist() == [False] + [True] * (len(heat) - 1)
    last = calendar.monthrange(year, month)[1]
    clock.set(dt.date(year, month, last) + ONE)  # the next month's first day (a new year after December)
    heat = logbook.heatmap(org.actors.staf, year, month)
    assert not heat["mendatang"].any() and not heat["hari_ini"].any()
    assert "Belum tiba" not in set(cal.heatmap_data(heat)["status"])


def test_absence_day_in_the_month_data_keeps_its_marking_when_still_to_come(org, clock):
    year, month, work = _this_month(clock.today())
    clock.set(work[0])
    later = work[-1]
    kh.save_grid(org.actors.admin, year, [{"id": None, "_row": 1, "pegawai": "199003032015031003",
                                           "jenis": "Dinas Luar", "tanggal_mulai": later, "tanggal_selesai": later}])
    row = logbook.heatmap(org.actors.staf, year, month).set_index("tanggal").loc[later]
    assert row["mendatang"] and row["tidak_hadir"] == "Dinas Luar" and not row["kerja"]
    data = cal.heatmap_data(logbook.heatmap(org.actors.staf, year, month)).set_index("tanggal")
    assert data.loc[later, "status"] == "Cuti/sakit/dinas luar"
