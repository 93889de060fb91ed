"""domain.cells: the one set of grid/import cell parsers and formatters (pure, no database).

Dates in the tables are fixed calendar facts (4 December 2026 is a Friday), not "today": nothing here
depends on the clock; a date typed without a year is read with an explicit `today`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from babel.dates import format_date, get_month_names
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.cells import (
    BULAN,
    BULAN_SINGKAT,
    HARI,
    CellError,
    fmt_bool,
    fmt_date,
    fmt_decimal,
    fmt_percent,
    fmt_time,
    format_tsv,
    parse_tsv,
    to_bool,
    to_choice,
    to_date,
    to_decimal,
    to_int,
    to_text,
    to_time,
)

D = dt.date
T = dt.time
DEC = Decimal
TODAY = D(2026, 12, 5)  # only used to supply the year of a date typed without one
RHK = ["Terlaksananya pengawasan alat angkut", "Tersusunnya laporan surveilans", "Terselenggaranya rapat"]
JENIS = {"Hari Libur": "libur", "Cuti Bersama": "cuti", "Hari Kerja": "kerja"}

# --- good inputs: (parser, input, expected) -------------------------------------------------------------

GOOD = [
    # dates, Indonesian first
    (to_date, "31/01/2026", D(2026, 1, 31)),
    (to_date, "4/12/2026", D(2026, 12, 4)),
    (to_date, "04-12-2026", D(2026, 12, 4)),
    (to_date, "04.12.2026", D(2026, 12, 4)),
    (to_date, "4/12/26", D(2026, 12, 4)),
    (to_date, "4 Desember 2026", D(2026, 12, 4)),
    (to_date, "4 DESEMBER 2026", D(2026, 12, 4)),
    (to_date, "4 Des 2026", D(2026, 12, 4)),
    (to_date, "04-Des-2026", D(2026, 12, 4)),
    (to_date, "4 Agustus 2026", D(2026, 8, 4)),
    (to_date, "17 Agt 2026", D(2026, 8, 17)),
    (to_date, "17 Agu 2026", D(2026, 8, 17)),
    (to_date, "17 ags 2026", D(2026, 8, 17)),
    (to_date, "1 Mei 2026", D(2026, 5, 1)),
    (to_date, "12 Okt 2026", D(2026, 10, 12)),
    (to_date, "3 Nop 2026", D(2026, 11, 3)),
    (to_date, "3 Nov 2026", D(2026, 11, 3)),
    (to_date, "Jumat, 4 Desember 2026", D(2026, 12, 4)),
    (to_date, "Senin 7 Desember 2026", D(2026, 12, 7)),
    (to_date, "  4\u00a0Desember   2026 ", D(2026, 12, 4)),
    (to_date, "4 Dec 2026", D(2026, 12, 4)),
    (to_date, "December 4, 2026", D(2026, 12, 4)),
    (to_date, "Friday, 4 December 2026", D(2026, 12, 4)),
    (to_date, "2026-12-04", D(2026, 12, 4)),
    (to_date, "2026-12-04 00:00:00", D(2026, 12, 4)),
    (to_date, "2026-12-04T00:00:00", D(2026, 12, 4)),
    (to_date, "2026-12-04T00:00:00.000000000", D(2026, 12, 4)),
    (to_date, 45658, D(2025, 1, 1)),
    (to_date, 45658.75, D(2025, 1, 1)),
    (to_date, "45658", D(2025, 1, 1)),
    (to_date, np.int64(45658), D(2025, 1, 1)),
    (to_date, dt.datetime(2026, 12, 4, 15, 30), D(2026, 12, 4)),
    (to_date, pd.Timestamp("2026-12-04 08:00"), D(2026, 12, 4)),
    (to_date, np.datetime64("2026-12-04"), D(2026, 12, 4)),
    (to_date, D(2026, 12, 4), D(2026, 12, 4)),
    (to_date, pd.NaT, None),
    (to_date, "", None),
    (to_date, None, None),
    (to_date, float("nan"), None),
    # times
    (to_time, "07.30", T(7, 30)),
    (to_time, "7:30", T(7, 30)),
    (to_time, "07:30:00", T(7, 30)),
    (to_time, "07:30:45", T(7, 30)),
    (to_time, "08:30:00.000", T(8, 30)),
    (to_time, "0730", T(7, 30)),
    (to_time, "07.30 WIB", T(7, 30)),
    (to_time, "pukul 16.05 WITA", T(16, 5)),
    (to_time, "7:30 PM", T(19, 30)),
    (to_time, "12:15 am", T(0, 15)),
    (to_time, 0.3125, T(7, 30)),
    (to_time, 0, T(0, 0)),
    (to_time, DEC("0.5"), T(12, 0)),
    (to_time, T(7, 30, 59), T(7, 30)),
    (to_time, dt.datetime(2026, 12, 4, 7, 30), T(7, 30)),
    (to_time, " ", None),
    # decimals
    (to_decimal, "1.234,5", DEC("1234.5")),
    (to_decimal, "2,5", DEC("2.5")),
    (to_decimal, "1.234", DEC("1234")),
    (to_decimal, "1.250.000", DEC("1250000")),
    (to_decimal, "1,234", DEC("1.234")),
    (to_decimal, "0.123", DEC("0.123")),
    (to_decimal, "1.2345", DEC("1.2345")),
    (to_decimal, "1,234.5", DEC("1234.5")),
    (to_decimal, "1,234,567", DEC("1234567")),
    (to_decimal, "2.5", DEC("2.5")),
    (to_decimal, "Rp 1.250.000", DEC("1250000")),
    (to_decimal, "Rp1.250.000,-", DEC("1250000")),
    (to_decimal, "75%", DEC("75")),
    (to_decimal, "87,5 %", DEC("87.5")),
    (to_decimal, "1 234,5", DEC("1234.5")),
    (to_decimal, "1\u00a0234\u202f567", DEC("1234567")),
    (to_decimal, "+3", DEC("3")),
    (to_decimal, "-1.234,5", DEC("-1234.5")),
    (to_decimal, "\u22122,5", DEC("-2.5")),
    (to_decimal, ",5", DEC("0.5")),
    (to_decimal, 12, DEC(12)),
    (to_decimal, 12.5, DEC("12.5")),
    (to_decimal, 0.1 + 0.2, DEC("0.3")),
    (to_decimal, 1e20, DEC("100000000000000000000")),
    (to_decimal, np.float64(2.5), DEC("2.5")),
    (to_decimal, DEC("2.50"), DEC("2.50")),
    (to_decimal, float("nan"), None),
    (to_decimal, "", None),
    # integers
    (to_int, "12", 12),
    (to_int, "1.250", 1250),
    (to_int, "2,0", 2),
    (to_int, 3.0, 3),
    (to_int, np.int64(7), 7),
    (to_int, None, None),
    # booleans
    (to_bool, "ya", True),
    (to_bool, " Ya ", True),
    (to_bool, "IYA", True),
    (to_bool, "y", True),
    (to_bool, "benar", True),
    (to_bool, "true", True),
    (to_bool, "x", True),
    (to_bool, "✓", True),
    (to_bool, "v", True),
    (to_bool, "1", True),
    (to_bool, 1, True),
    (to_bool, True, True),
    (to_bool, np.bool_(True), True),
    (to_bool, "tidak", False),
    (to_bool, "Tidak", False),
    (to_bool, "t", False),
    (to_bool, "tdk", False),
    (to_bool, "n", False),
    (to_bool, "no", False),
    (to_bool, "false", False),
    (to_bool, "salah", False),
    (to_bool, "-", False),
    (to_bool, "0", False),
    (to_bool, 0.0, False),
    (to_bool, False, False),
    (to_bool, "", None),
    (to_bool, None, None),
    # text
    (to_text, "  Rapat koordinasi  ", "Rapat koordinasi"),
    (to_text, "baris 1\r\nbaris 2\rbaris 3", "baris 1\nbaris 2\nbaris 3"),
    (to_text, "kolom\tkedua", "kolom\tkedua"),
    (to_text, "Cafe\u0301", "Café"),
    (to_text, 42, "42"),
    (to_text, "   ", None),
    (to_text, float("nan"), None),
]


@pytest.mark.parametrize(("parse", "raw", "expected"), GOOD,
                         ids=[f"{p.__name__}-{i}-{r!r}"[:60] for i, (p, r, _) in enumerate(GOOD)])
def test_good_inputs(parse, raw, expected):
    got = parse(raw)
    assert got == expected
    assert type(got) is type(expected)


def test_year_missing_takes_the_year_of_today():
    assert to_date("4/12", today=TODAY) == D(TODAY.year, 12, 4)
    assert to_date("4 Des", today=TODAY) == D(TODAY.year, 12, 4)
    with pytest.raises(CellError, match="tahun belum diisi"):
        to_date("4/12")


def test_decimal_places():
    assert to_decimal("2,5", places=2) == DEC("2.50")
    assert str(to_decimal("2,5", places=2)) == "2.50"
    assert to_decimal(2.675, places=3) == DEC("2.675")
    with pytest.raises(CellError, match=r"terlalu banyak angka di belakang koma \(maks. 2\)"):
        to_decimal("2,555", places=2)


CHOICES = [
    (("2", RHK), RHK[1]),
    (("2. Tersusunnya laporan surveilans", RHK), RHK[1]),
    (("2) tersusunnya laporan…", RHK), RHK[1]),
    (("  tersusunnya   LAPORAN surveilans ", RHK), RHK[1]),
    ((3, RHK), RHK[2]),
    ((3.0, RHK), RHK[2]),
    (("cuti bersama", JENIS), "cuti"),
    (("HARI KERJA", JENIS), "kerja"),
    ((None, RHK), None),
]


@pytest.mark.parametrize(("args", "expected"), CHOICES)
def test_choice(args, expected):
    assert to_choice(*args, "RHK") == expected


# --- bad inputs: (parser, input, fragment of the Indonesian message) ------------------------------------

BAD = [
    (to_date, "31/02/2026", "31 Februari 2026 tidak ada"),
    (to_date, "29/02/2026", "bukan tanggal yang sah"),
    (to_date, "12/31/2026", "bulan 31 tidak ada; urutannya tanggal/bulan/tahun"),
    (to_date, "besok", "bukan tanggal yang sah (contoh: 31/01/2026 atau 31 Januari 2026)"),
    (to_date, "4 Desemberr 2026", "nama bulan 'desemberr' tidak dikenal"),
    (to_date, "Senin, 4 Desember 2026", "hari tidak cocok dengan tanggal (4 Desember 2026 jatuh pada hari Jumat)"),
    (to_date, "4/12/0026", "tahun 0026 di luar"),
    (to_date, "4/12/20226", "bukan tanggal yang sah"),
    (to_date, 2026, "bukan tanggal yang sah"),
    (to_date, 12, "bukan tanggal yang sah"),
    (to_date, True, "bukan tanggal yang sah"),
    (to_date, "2026-13-01", "bulan 13 tidak ada"),
    (to_time, "7.5", "bukan jam yang sah (contoh: 07.30 atau 7:30)"),
    (to_time, "24:00", "jam di luar rentang 00.00–23.59"),
    (to_time, "07:60", "jam di luar rentang"),
    (to_time, "13:00 pm", "jam di luar rentang"),
    (to_time, "pagi", "bukan jam yang sah"),
    (to_time, 7, "bukan jam yang sah"),
    (to_time, 0.99999, "jam di luar rentang"),
    (to_time, "730", "bukan jam yang sah"),
    (to_decimal, "abc", "bukan angka yang sah (contoh: 1.234,5 atau 2,5)"),
    (to_decimal, "12 menit", "bukan angka"),
    (to_decimal, "NaN", "bukan angka"),
    (to_decimal, "inf", "bukan angka"),
    (to_decimal, float("inf"), "bukan angka"),
    (to_decimal, DEC("NaN"), "bukan angka"),
    (to_decimal, "1.23.456", "bukan angka"),
    (to_decimal, "1.234.5", "bukan angka"),
    (to_decimal, "1,234,5", "bukan angka"),
    (to_decimal, "1,234.567,8", "bukan angka"),
    (to_decimal, "1e5", "bukan angka"),
    (to_decimal, "-", "bukan angka"),
    (to_decimal, "--5", "bukan angka"),
    (to_decimal, True, "bukan angka"),
    (to_int, "2,5", "bukan bilangan bulat"),
    (to_int, "dua", "bukan bilangan bulat"),
    (to_bool, "mungkin", "bukan ya/tidak"),
    (to_bool, 2, "bukan ya/tidak"),
    (to_text, "a\x00b", "memuat karakter kendali yang tidak diizinkan"),
    (to_text, "a\x1bb", "memuat karakter kendali"),
    (to_text, "a\x7f", "memuat karakter kendali"),
]


@pytest.mark.parametrize(("parse", "raw", "fragment"), BAD,
                         ids=[f"{p.__name__}-{i}-{r!r}"[:60] for i, (p, r, _) in enumerate(BAD)])
def test_bad_inputs(parse, raw, fragment):
    with pytest.raises(CellError) as err:
        parse(raw)
    assert fragment in err.value.message
    assert str(err.value) == err.value.message
    assert err.value.value is raw  # the grid keeps showing what was typed
    assert isinstance(err.value, ValueError)


def test_text_length_and_required():
    with pytest.raises(CellError, match=r"^terlalu panjang \(maks\. 2\.000 karakter, diisi 3\.000\)$"):
        to_text("x" * 3000, max_len=2000)
    assert to_text("x" * 2000, max_len=2000) == "x" * 2000
    for empty in (None, "", "  \n ", float("nan")):
        with pytest.raises(CellError, match="^wajib diisi$"):
            to_text(empty, required=True)


def test_choice_errors():
    with pytest.raises(CellError, match=r"RHK nomor 5 tidak ada \(pilihan nomor 1–3\)"):
        to_choice("5", RHK, "RHK")
    with pytest.raises(CellError, match="RHK nomor 2 adalah"):
        to_choice("2. Terselenggaranya rapat", RHK, "RHK")
    with pytest.raises(CellError, match=r"^Jenis 'Libur nasional' tidak dikenal; pilihan: Hari Libur, Cuti Bersama, "
                                        r"Hari Kerja$"):
        to_choice("Libur nasional", JENIS, "Jenis")
    with pytest.raises(CellError, match="tidak dikenal"):
        to_choice("2", JENIS, "Jenis")  # a mapping is matched on labels only (its values may be ids)
    many = [f"Pilihan ke-{i} dengan label yang sangat panjang sekali hingga dipotong" for i in range(1, 21)]
    with pytest.raises(CellError) as err:
        to_choice("tidak ada", many, "RHK")
    assert "… (20 pilihan)" in err.value.message
    assert len(err.value.message) < 400
    with pytest.raises(CellError, match="lebih dari satu pilihan"):
        to_choice("a", {"A": 1, " a ": 2}, "Unit")


# --- formatters ----------------------------------------------------------------------------------------


def test_formatters():
    d = D(2026, 1, 31)
    assert fmt_date(d) == fmt_date(d, "grid") == "31/01/2026" == format_date(d, "dd/MM/yyyy", locale="id_ID")
    assert fmt_date(d, "table") == "31 Jan 2026"
    assert fmt_date(dt.datetime(2026, 1, 31, 23, 59), "long") == "31 Januari 2026"
    assert fmt_date(D(2026, 8, 4), "table") == "4 Agu 2026"
    assert fmt_time(T(7, 30)) == "07.30"
    assert fmt_decimal(DEC("1234.5")) == "1.234,5"
    assert fmt_decimal(2.5) == "2,5"
    assert fmt_decimal(DEC("2.000")) == "2"
    assert fmt_decimal(1250000) == "1.250.000"
    assert fmt_decimal(DEC("-0.0001"), 2) == "0,00"
    assert fmt_decimal(DEC("2.345"), 2) == "2,35"  # half up
    assert fmt_decimal(1, 2) == "1,00"
    assert fmt_decimal(DEC("1.23456"), max_places=2) == "1,23"
    assert fmt_bool(True) == "ya" and fmt_bool(False) == "tidak"
    assert fmt_percent(87.5) == "87,5%"
    assert fmt_percent(DEC("87.3333")) == "87,33%"
    assert fmt_percent(100, 1) == "100,0%"
    for f in (fmt_date, fmt_time, fmt_decimal, fmt_bool, fmt_percent):
        assert f(None) == "" and f(float("nan")) == ""
    assert fmt_date(pd.NaT) == ""
    with pytest.raises(ValueError):
        fmt_date(d, "iso")


def test_month_and_day_names_match_babel():
    assert list(BULAN) == [get_month_names("wide", locale="id")[i] for i in range(1, 13)]
    assert list(BULAN_SINGKAT) == [get_month_names("abbreviated", locale="id")[i] for i in range(1, 13)]
    for i, hari in enumerate(HARI):
        assert format_date(D(2026, 12, 7) + dt.timedelta(days=i), "EEEE", locale="id_ID") == hari


# --- clipboard ------------------------------------------------------------------------------------------

TSV = [
    ("", []),
    ("a", [["a"]]),
    ("a\tb\r\nc\td\r\n", [["a", "b"], ["c", "d"]]),
    ("a\tb\nc\td\n", [["a", "b"], ["c", "d"]]),
    ("a\tb\nc\td", [["a", "b"], ["c", "d"]]),
    ("a\t\t\r\n", [["a", "", ""]]),
    ("\r\n", [[""]]),
    ("a\r\n\r\n", [["a"], [""]]),
    ('"baris 1\nbaris 2"\tx\r\n', [["baris 1\nbaris 2", "x"]]),
    ('"tab\tdi dalam"\t"kutip ""ini"""\r\n', [["tab\tdi dalam", 'kutip "ini"']]),
    ('ukuran 5" pipa\tx\r\n', [['ukuran 5" pipa', "x"]]),
    ('"Rapat" koordinasi\tx\r\n', [['"Rapat" koordinasi', "x"]]),
    ('""\tx', [["", "x"]]),
    ("\ufeffa\tb", [["a", "b"]]),
]


@pytest.mark.parametrize(("text", "rows"), TSV)
def test_parse_tsv(text, rows):
    assert parse_tsv(text) == rows


def test_parse_tsv_malformed_quoting_names_the_line():
    with pytest.raises(CellError, match="tanda kutip pada baris 2 tidak ditutup"):
        parse_tsv('a\tb\r\n"c\td\r\ne\tf\r\n')
    with pytest.raises(CellError, match="teks sesudah tanda kutip penutup pada baris 3"):
        parse_tsv('a\r\n"b\nc"d\te\r\n')


# --- properties: parse(format(x)) == x ---------------------------------------------------------------

FAST = settings(deadline=None, max_examples=150)


@FAST
@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2100, 12, 31)), st.sampled_from(["grid", "table", "long"]))
def test_date_round_trip(d, style):
    assert to_date(fmt_date(d, style)) == d
    assert to_date(f"{HARI[d.weekday()]}, {fmt_date(d, style)}") == d
    assert to_date(fmt_date(d, style).upper()) == d
    assert to_date(d.isoformat()) == d


@FAST
@given(st.times())
def test_time_round_trip(t):
    minute = t.replace(second=0, microsecond=0, tzinfo=None)
    assert to_time(fmt_time(t)) == minute
    assert to_time(fmt_time(t).replace(".", ":")) == minute
    assert to_time(Decimal(t.hour * 60 + t.minute) / 1440) == minute


def _decimals(places: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=-10**18, max_value=10**18, places=places, allow_nan=False, allow_infinity=False)


@FAST
@given(st.integers(min_value=0, max_value=4).flatmap(_decimals))
def test_decimal_round_trip(x):
    assert to_decimal(fmt_decimal(x)) == x
    assert to_decimal(fmt_decimal(x, 4)) == x
    assert to_decimal(fmt_decimal(x, 4), places=4) == x
    assert to_decimal(fmt_decimal(x, 4).replace(".", "")) == x  # typed without thousands dots


@FAST
@given(st.integers(min_value=-10**24, max_value=10**24))
def test_integer_round_trip(n):
    assert to_int(fmt_decimal(n)) == n
    assert to_decimal(fmt_decimal(n)) == n


@FAST
@given(st.integers(min_value=0, max_value=2).flatmap(
    lambda p: st.decimals(min_value=0, max_value=1000, places=p, allow_nan=False, allow_infinity=False)))
def test_percent_round_trip(x):
    assert to_decimal(fmt_percent(x)) == x


def _excel_tsv(rows: list[list[str]]) -> str:
    """Excel's clipboard text, written independently of format_tsv."""
    def cell(c: str) -> str:
        return '"' + c.replace('"', '""') + '"' if any(ch in c for ch in '\t\n\r"') else c

    return "".join("\t".join(cell(c) for c in row) + "\r\n" for row in rows)


CELL = st.lists(st.sampled_from(list('ab é"\t\n\r,.;') + ["Rp", "1.234,5", '""']), max_size=8).map("".join)


@FAST
@given(st.lists(st.lists(CELL, min_size=1, max_size=5), max_size=8))
def test_tsv_round_trip(rows):
    assert parse_tsv(_excel_tsv(rows)) == rows
    assert parse_tsv(format_tsv(rows)) == rows
    lf = _excel_tsv(rows).replace("\r\n", "\n") if not any("\r" in c for r in rows for c in r) else None
    if lf is not None:
        assert parse_tsv(lf) == rows
