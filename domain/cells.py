"""Grid, paste and import cells: the one set of parsers and formatters every grid and importer uses.

Parsers (`to_*`, `parse_tsv`) read what a user typed into a grid, pasted from Excel or imported from a
file (text, numbers, Excel serial numbers, pandas/numpy values) and refuse anything doubtful with
`CellError`, whose message is Indonesian and names neither row nor column (the caller adds both). An empty
cell - None, "", only spaces, NaN, NaT, pd.NA - is None everywhere (or "wajib diisi" where required).

Formatters (`fmt_*`, `format_tsv`) render values the Indonesian way (babel, locale id_ID) and return "" for
an empty value. What a formatter writes, the matching parser reads back unchanged:
`to_date(fmt_date(d, style)) == d` (years 1900-2199), `to_time(fmt_time(t)) == t` (minutes),
`to_decimal(fmt_decimal(x)) == x`, `parse_tsv(format_tsv(rows)) == rows`.

Rules decided here - Indonesian first, never a guess:
- Dates are day-month-year. A numeric date is never read month-first: 12/31/2026 is refused, not swapped.
  Two-digit years are 2000+yy. A date without a year (4/12, 4 Des) takes the year of `today` and is refused
  when no `today` is given. A leading weekday must match the date.
- Numbers: the comma is the decimal separator, the dot groups thousands (1.234,5). A text with a single
  separator is read as follows: one comma is always decimal (2,5 and 1,234 = 1.234 - this is what
  `fmt_decimal` writes); one dot followed by exactly three digits after a non-zero integer part is
  thousands (1.234 = 1234; 0.123 = 0.123); any other single dot is decimal (2.5, 1.2345). With both
  separators the right-most one is the decimal separator (1.234,5 and 1,234.5). Grouping must be regular
  (three digits a group). "Rp", ",-" (Rp 1.250.000,-), "%" (75% = 75), spaces and a leading + or - are
  allowed; letters are not, nor a lone "-" (Excel's accounting zero: refused rather than guessed).
  NaN in a pandas/numpy cell means "empty" (None); the text "NaN", infinity and Decimal NaN are refused.
- Times are 24-hour, minute precision (seconds are dropped): 07.30, 7:30, 07:30:00, 0730, 7:30 PM,
  "07.30 WIB", an Excel fraction of a day (0.3125). 7.5 is refused (half past seven or 07.50?).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, TypeVar, cast

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal

__all__ = [
    "BULAN", "BULAN_SINGKAT", "HARI", "LOCALE", "YEAR_MAX", "YEAR_MIN", "CellError",
    "fmt_bool", "fmt_date", "fmt_decimal", "fmt_percent", "fmt_time", "format_tsv", "parse_tsv",
    "to_bool", "to_choice", "to_date", "to_decimal", "to_int", "to_text", "to_time",
]

T = TypeVar("T")

LOCALE = "id_ID"
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")
BULAN_SINGKAT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")  # date.weekday() order

YEAR_MIN, YEAR_MAX = 1900, 2199
"""Years a typed date may have; outside them it is a typo (0026, 20226), not a date."""

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 counting Excel's phantom 29/02/1900
EXCEL_SERIAL_MIN = (dt.date(1930, 1, 1) - EXCEL_EPOCH).days  # 10958
EXCEL_SERIAL_MAX = (dt.date(YEAR_MAX, 12, 31) - EXCEL_EPOCH).days
"""Excel serial numbers read as dates: 1930-2199. Smaller numbers (a year such as 2026, a day such as 12)
are refused rather than turned into a date in 1905."""

MSG_DATE = "bukan tanggal yang sah (contoh: 31/01/2026 atau 31 Januari 2026)"
MSG_TIME = "bukan jam yang sah (contoh: 07.30 atau 7:30)"
MSG_TIME_RANGE = "jam di luar rentang 00.00–23.59"
MSG_NUMBER = "bukan angka yang sah (contoh: 1.234,5 atau 2,5)"
MSG_INT = "bukan bilangan bulat (contoh: 12 atau 1.250)"
MSG_BOOL = "bukan ya/tidak (isi ya atau tidak; 1 atau 0 juga boleh)"
MSG_REQUIRED = "wajib diisi"
MSG_CONTROL = "memuat karakter kendali yang tidak diizinkan"


class CellError(ValueError):
    """A cell that cannot be read. `message` is Indonesian and names no row or column (the caller adds them);
    `value` is what was in the cell, so the grid can keep showing it."""

    def __init__(self, message: str, value: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.value = value


# --- helpers ------------------------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    """None, blank text, NaN (pandas' empty numeric cell), NaT and pd.NA."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return value != value  # NaN (float, numpy floats)
    name = type(value).__name__
    if name in ("NaTType", "NAType"):
        return True
    return name == "datetime64" and value != value  # numpy NaT


def _squash(text: str) -> str:
    """Casefolded, whitespace (also non-breaking) collapsed to single spaces."""
    return " ".join(text.split()).casefold()


def _float_decimal(value: Any) -> Decimal:
    """A binary float as the decimal a spreadsheet shows: 15 significant digits (0.1+0.2 → 0.3)."""
    f = float(value)
    if not math.isfinite(f):
        raise CellError(MSG_NUMBER, value)
    d = Decimal(format(f, ".15g"))
    return _plain(d)


def _plain(d: Decimal) -> Decimal:
    """1E+3 → 1000 (a positive exponent would print and store oddly)."""
    if d.is_finite() and d.as_tuple().exponent > 0:  # type: ignore[operator]
        with localcontext() as ctx:
            ctx.prec = max(ctx.prec, len(d.as_tuple().digits) + int(d.as_tuple().exponent) + 2)
            return d.quantize(Decimal(1))
    return d


def _is_bool(value: Any) -> bool:
    """bool or numpy's bool (numpy.bool_, named numpy.bool since numpy 2)."""
    return isinstance(value, bool) or (type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_"))


def _numeric_object(value: Any) -> Decimal | None:
    """int/float/Decimal and numpy numbers as Decimal; None for anything else. Booleans are not numbers."""
    if _is_bool(value):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    if isinstance(value, numbers.Real):
        return _float_decimal(value)
    return None


# --- booleans -----------------------------------------------------------------------------------------

_TRUE = frozenset({"1", "ya", "y", "iya", "benar", "true", "x", "✓", "✔", "v", "yes", "aktif"})
_FALSE = frozenset({"0", "tidak", "t", "tdk", "n", "no", "false", "salah", "-", "nonaktif", "non-aktif",
                    "tidak aktif"})


def to_bool(value: Any) -> bool | None:
    """ya/tidak cell: True for ya, y, iya, benar, true, 1, x, ✓, v (and yes, aktif); False for tidak, t, tdk,
    n, no, false, salah, 0, - (and nonaktif); case and spaces ignored; None when empty."""
    if _missing(value):
        return None
    if _is_bool(value):
        return bool(value)
    number = _numeric_object(value)
    if number is not None:
        if number == 1:
            return True
        if number == 0:
            return False
        raise CellError(MSG_BOOL, value)
    if isinstance(value, str):
        text = _squash(value)
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise CellError(MSG_BOOL, value)


def fmt_bool(value: Any) -> str:
    """ya / tidak; "" when empty."""
    if _missing(value):
        return ""
    return "ya" if value else "tidak"


# --- dates --------------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _i, _names in enumerate((
        ("januari", "jan", "january"),
        ("februari", "feb", "pebruari", "peb", "february"),
        ("maret", "mar", "march"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "jun", "june"),
        ("juli", "jul", "july"),
        ("agustus", "agu", "ags", "agt", "agst", "aug", "august"),
        ("september", "sep", "sept"),
        ("oktober", "okt", "oct", "october"),
        ("november", "nov", "nop", "nopember"),
        ("desember", "des", "dec", "december")), start=1):
    for _n in _names:
        _MONTHS[_n] = _i

_WEEKDAYS: dict[str, int] = {}
for _i, _names in enumerate((
        ("senin", "sen", "monday", "mon"),
        ("selasa", "sel", "tuesday", "tue", "tues"),
        ("rabu", "rab", "wednesday", "wed"),
        ("kamis", "kam", "thursday", "thu", "thur", "thurs"),
        ("jumat", "jum'at", "jum’at", "jum", "friday", "fri"),
        ("sabtu", "sab", "saturday", "sat"),
        ("minggu", "min", "ahad", "sunday", "sun"))):
    for _n in _names:
        _WEEKDAYS[_n] = _i

_WEEKDAY_RE = re.compile(r"^(" + "|".join(sorted(map(re.escape, _WEEKDAYS), key=len, reverse=True))
                         + r")\.?(?:\s*,\s*|\s+)")
_TIME_TAIL = r"(?:[ t]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?"
_ISO_RE = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME_TAIL + "$")
_DMY_RE = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})(?:\2(\d{2}|\d{4}))?" + _TIME_TAIL + "$")
_D_MON_Y_RE = re.compile(r"^(\d{1,2})[-/.\s]*([^\W\d_][^\W\d_'’]*)\.?(?:[-/.,\s]+(\d{2}|\d{4}))?$")
_MON_D_Y_RE = re.compile(r"^([^\W\d_]+)\.?[-/\s]+(\d{1,2})(?:(?:\s*,\s*|[-/\s]+)(\d{4}))?$")
_SERIAL_RE = re.compile(r"^\d{5}$")


def _year(text: str | None, today: dt.date | None, value: Any) -> int:
    if text is None:
        if today is None:
            raise CellError("tahun belum diisi (contoh: 31/01/2026)", value)
        return today.year
    year = int(text)
    if len(text) == 2:
        return 2000 + year
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise CellError(f"bukan tanggal yang sah (tahun {text} di luar {YEAR_MIN}–{YEAR_MAX})", value)
    return year


def _make_date(year: int, month: int, day: int, value: Any) -> dt.date:
    if not 1 <= month <= 12:
        raise CellError(f"bukan tanggal yang sah (bulan {month} tidak ada; urutannya tanggal/bulan/tahun)",
                        value)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"bukan tanggal yang sah ({day} {BULAN[month - 1]} {year} tidak ada)", value) from None


def _month(name: str, value: Any) -> int:
    month = _MONTHS.get(name.rstrip("."))
    if month is None:
        raise CellError(f"bukan tanggal yang sah (nama bulan '{name}' tidak dikenal)", value)
    return month


def _from_serial(number: Decimal, value: Any) -> dt.date:
    if not number.is_finite() or not EXCEL_SERIAL_MIN <= number < EXCEL_SERIAL_MAX + 1:
        raise CellError(MSG_DATE, value)
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def _date_from_text(text: str, today: dt.date | None, value: Any) -> dt.date:
    if m := _ISO_RE.match(text):
        return _make_date(_year(m.group(1), today, value), int(m.group(3)), int(m.group(4)), value)
    if m := _DMY_RE.match(text):
        return _make_date(_year(m.group(4), today, value), int(m.group(3)), int(m.group(1)), value)
    if m := _D_MON_Y_RE.match(text):
        month = _month(m.group(2), value)
        return _make_date(_year(m.group(3), today, value), month, int(m.group(1)), value)
    if m := _MON_D_Y_RE.match(text):
        month = _month(m.group(1), value)
        return _make_date(_year(m.group(3), today, value), month, int(m.group(2)), value)
    if _SERIAL_RE.match(text):
        return _from_serial(Decimal(text), value)
    raise CellError(MSG_DATE, value)


def to_date(value: Any, *, today: dt.date | None = None) -> dt.date | None:
    """A date cell: date/datetime/pandas Timestamp; Excel serial number (1930-2199); text as
    31/01/2026, 31-01-2026, 31.01.2026, 1/2/26, 2026-01-31 (with or without a time), 31 Januari 2026,
    31 Jan 2026, 31-Jan-2026, Jan 31, 2026, optionally after a weekday (Sabtu, 31 Januari 2026).
    `today` supplies the year of a date typed without one (31/01, 31 Jan)."""
    if _missing(value):
        return None
    if isinstance(value, dt.datetime):  # pandas Timestamp too
        return value.date()
    if isinstance(value, dt.date):
        return value
    if type(value).__name__ == "datetime64":
        value = str(value)
    number = _numeric_object(value)
    if number is not None:
        return _from_serial(number, value)
    if not isinstance(value, str):
        raise CellError(MSG_DATE, value)
    text = _squash(value).strip(" ,")
    weekday = None
    if m := _WEEKDAY_RE.match(text):
        weekday, text = _WEEKDAYS[m.group(1)], text[m.end():]
    d = _date_from_text(text, today, value)
    if weekday is not None and d.weekday() != weekday:
        raise CellError(f"hari tidak cocok dengan tanggal ({fmt_date(d, 'long')} jatuh pada hari "
                        f"{HARI[d.weekday()]})", value)
    return d


_DATE_PATTERNS = {"table": "d MMM yyyy", "long": "d MMMM yyyy"}


def fmt_date(value: Any, style: str = "grid") -> str:
    """grid: 31/01/2026 · table: 31 Jan 2026 · long: 31 Januari 2026; "" when empty."""
    if _missing(value):
        return ""
    d = value.date() if isinstance(value, dt.datetime) else value
    if style == "grid":
        return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"  # = babel "dd/MM/yyyy", without its cost per cell
    try:
        return _babel_date(d, _DATE_PATTERNS[style], locale=LOCALE)
    except KeyError:
        raise ValueError(f"unknown date style {style!r}") from None


# --- times --------------------------------------------------------------------------------------------

_TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d{1,6})?)?$")
_TIME_COMPACT_RE = re.compile(r"^(\d{2})(\d{2})$")
_TIME_PREFIX_RE = re.compile(r"^(?:pukul|pkl\.?|jam)\s*")
_TIME_ZONE_RE = re.compile(r"\s*(?:wib|wita|wit)$")
_AMPM_RE = re.compile(r"\s*([ap])\.?m\.?$")


def to_time(value: Any) -> dt.time | None:
    """A time cell, minute precision: time/datetime; 07.30, 7:30, 07:30:00, 0730, 7:30 PM, pukul 07.30 WIB;
    an Excel fraction of a day (0.3125 → 07.30). Seconds are dropped."""
    if _missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    number = _numeric_object(value)
    if number is not None:
        if not number.is_finite() or not 0 <= number < 1:
            raise CellError(MSG_TIME, value)
        minutes = int((number * 1440).to_integral_value(ROUND_HALF_UP))
        if minutes >= 1440:
            raise CellError(MSG_TIME_RANGE, value)
        return dt.time(minutes // 60, minutes % 60)
    if not isinstance(value, str):
        raise CellError(MSG_TIME, value)
    text = _TIME_ZONE_RE.sub("", _TIME_PREFIX_RE.sub("", _squash(value)))
    ampm = _AMPM_RE.search(text)
    if ampm:
        text = text[:ampm.start()]
    m = _TIME_RE.match(text) or _TIME_COMPACT_RE.match(text)
    if not m:
        raise CellError(MSG_TIME, value)
    hour, minute = int(m.group(1)), int(m.group(2))
    second = int(m.group(3)) if m.re is _TIME_RE and m.group(3) else 0
    if ampm:
        if not 1 <= hour <= 12:
            raise CellError(MSG_TIME_RANGE, value)
        hour = hour % 12 + (12 if ampm.group(1) == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise CellError(MSG_TIME_RANGE, value)
    return dt.time(hour, minute)


def fmt_time(value: Any) -> str:
    """07.30 (Indonesian time separator); "" when empty."""
    if _missing(value):
        return ""
    t = value.time() if isinstance(value, dt.datetime) else value
    return f"{t.hour:02d}.{t.minute:02d}"


# --- numbers ------------------------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"^([+-]?)(?:rp\.?|idr)?([+-]?)([\d.,]+?)(?:,-+)?%?$")
_PLAIN_RE = re.compile(r"^(\d*)(?:\.(\d*))?$")
_THOUSANDS_DOT_RE = re.compile(r"^[1-9]\d{0,2}\.\d{3}$")


def _grouped(text: str, sep: str) -> bool:
    """1.234.567 (sep '.') or 1,234,567 (sep ','): a non-zero lead of 1-3 digits, then groups of three."""
    return re.fullmatch(r"[1-9]\d{0,2}(?:" + re.escape(sep) + r"\d{3})+", text) is not None


def _parse_number_text(value: str) -> Decimal:
    text = "".join(value.split()).casefold().replace("−", "-")
    m = _NUMBER_RE.match(text)
    if not m or (m.group(1) and m.group(2)):
        raise CellError(MSG_NUMBER, value)
    sign, body = m.group(1) or m.group(2), m.group(3)
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        dec = "." if body.rfind(".") > body.rfind(",") else ","
        grp = "," if dec == "." else "."
        whole, _, frac = body.rpartition(dec)
        if dec in whole or not _grouped(whole, grp):
            raise CellError(MSG_NUMBER, value)
        plain = whole.replace(grp, "") + "." + frac
    elif commas:
        if commas == 1:
            plain = body.replace(",", ".")
        elif _grouped(body, ","):
            plain = body.replace(",", "")
        else:
            raise CellError(MSG_NUMBER, value)
    elif dots > 1 or _THOUSANDS_DOT_RE.match(body):
        if not _grouped(body, "."):
            raise CellError(MSG_NUMBER, value)
        plain = body.replace(".", "")
    else:
        plain = body
    pm = _PLAIN_RE.match(plain)
    if not pm or not (pm.group(1) or pm.group(2)):
        raise CellError(MSG_NUMBER, value)
    return Decimal(("-" if sign == "-" else "") + plain)


def to_decimal(value: Any, *, places: int | None = None) -> Decimal | None:
    """A number cell as Decimal: numbers (floats read to 15 significant digits, as Excel keeps them) or text
    1.234,5 · 2,5 · 1.234 (= 1234) · 1,234.5 · 2.5 · Rp 1.250.000,- · 75% (= 75) · +3 · −2. With `places`,
    more decimals than that are refused and the result has exactly `places` decimals."""
    if _missing(value):
        return None
    if isinstance(value, str):
        d = _parse_number_text(value)
    else:
        number = _numeric_object(value)
        if number is None:
            raise CellError(MSG_NUMBER, value)
        d = number
    if not d.is_finite():
        raise CellError(MSG_NUMBER, value)
    d = _plain(d)
    if places is not None:
        with localcontext() as ctx:
            ctx.prec = max(ctx.prec, len(d.as_tuple().digits) + places + 2)
            q = d.quantize(Decimal(1).scaleb(-places))
        if q != d:
            raise CellError(f"terlalu banyak angka di belakang koma (maks. {places})", value)
        d = q
    return d


def to_int(value: Any) -> int | None:
    """A whole-number cell: 12, 1.250 (= 1250), 2,0; 2,5 is refused."""
    if _missing(value):
        return None
    try:
        d = to_decimal(value)
    except CellError:
        raise CellError(MSG_INT, value) from None
    if d is None or d != d.to_integral_value():
        raise CellError(MSG_INT, value)
    return int(d)


def fmt_decimal(value: Any, places: int | None = None, *, max_places: int | None = None) -> str:
    """1.234,5 · 2,5 · 1.250 (integers without decimals); `places` fixes the decimals (2 → 2,50),
    `max_places` rounds to at most that many and drops trailing zeros. Rounding is half up. "" when empty."""
    if _missing(value):
        return ""
    if isinstance(value, bool):
        value = int(value)
    d = _numeric_object(value)
    if d is None:
        d = Decimal(str(value))
    if d.is_nan():
        return ""
    if d.is_infinite():
        return "-∞" if d < 0 else "∞"
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, len(d.as_tuple().digits) + abs(int(d.as_tuple().exponent)) + 10)
        if places is not None:
            d = d.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
            pattern = "#,##0" + ("." + "0" * places if places else "")
        else:
            if max_places is not None:
                d = d.quantize(Decimal(1).scaleb(-max_places), ROUND_HALF_UP)
            pattern = "#,##0.###"
        if d == 0:
            d = abs(d)  # never "-0"
        return _babel_decimal(d, pattern, locale=LOCALE, decimal_quantization=False)


def fmt_percent(value: Any, places: int | None = None) -> str:
    """87,5% for 87.5 (the value is already a percentage, as stored and as `to_decimal("87,5%")` reads it);
    at most two decimals unless `places` fixes them. "" when empty."""
    text = fmt_decimal(value, places, max_places=2 if places is None else None)
    return text + "%" if text else ""


# --- text and choices ---------------------------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def to_text(value: Any, *, max_len: int | None = None, required: bool = False) -> str | None:
    """A text cell: stripped, line endings made \\n, Unicode NFC; control characters other than newline and
    tab refused; longer than `max_len` refused (nothing is cut). None when empty ("wajib diisi" when
    `required`)."""
    if _missing(value):
        if required:
            raise CellError(MSG_REQUIRED, value)
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = fmt_bool(value)
    elif isinstance(value, numbers.Integral):
        text = str(int(value))
    elif isinstance(value, numbers.Real | Decimal):
        text = str(_numeric_object(value))
    else:
        text = str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL_RE.search(text):
        raise CellError(MSG_CONTROL, value)
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        if required:
            raise CellError(MSG_REQUIRED, value)
        return None
    if max_len is not None and len(text) > max_len:
        raise CellError(f"terlalu panjang (maks. {fmt_decimal(max_len)} karakter, diisi {fmt_decimal(len(text))})",
                        value)
    return text


_LEADING_NUMBER_RE = re.compile(r"^(\d{1,4})(?:\s*[.):\-]\s*|\s+|$)(.*)$", re.S)
_CHOICES_SHOWN = 6
_CHOICE_LABEL_MAX = 40


def _choice_list(labels: list[str]) -> str:
    def short(label: str) -> str:
        label = " ".join(label.split())
        return label if len(label) <= _CHOICE_LABEL_MAX else label[:_CHOICE_LABEL_MAX - 1] + "…"

    shown = ", ".join(short(label) for label in labels[:_CHOICES_SHOWN])
    if len(labels) > _CHOICES_SHOWN:
        shown += f", … ({len(labels)} pilihan)"
    return shown


def to_choice(value: Any, choices: Mapping[str, T] | Sequence[str], what: str, *,
              by_number: bool | None = None) -> T | str | None:
    """One of `choices`, matched on the label ignoring case and spaces. A Mapping gives label → value and
    returns the value; a sequence of labels returns the label. With `by_number` (default: for a sequence
    only) a leading number picks by position - "2" or "2. RHK foo" is the second choice; text after the
    number must agree with that choice (a stale numbered list is refused, not guessed). `what` names the
    thing in the message ("RHK", "jenis")."""
    if _missing(value):
        return None
    if isinstance(choices, Mapping):
        labels, values = list(choices), list(choices.values())
        if by_number is None:
            by_number = False
    else:
        labels = list(choices)
        values = cast(list[T], labels)
        if by_number is None:
            by_number = True
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value)
    key = _squash(raw)
    hits = [i for i, label in enumerate(labels) if _squash(label) == key]
    if any(values[i] != values[hits[0]] for i in hits[1:]):
        raise CellError(f"{what} '{raw.strip()}' cocok dengan lebih dari satu pilihan", value)
    if hits:
        return values[hits[0]]
    if by_number and (m := _LEADING_NUMBER_RE.match(key)):
        n, rest = int(m.group(1)), m.group(2).strip().rstrip("….").strip()
        if not 1 <= n <= len(labels):
            raise CellError(f"{what} nomor {n} tidak ada (pilihan nomor 1–{len(labels)})", value)
        label = _squash(labels[n - 1])
        if rest and not (label.startswith(rest) or _strip_number(label).startswith(rest)):
            raise CellError(f"{what} nomor {n} adalah '{_choice_list([labels[n - 1]])}', bukan '{raw.strip()}'",
                            value)
        return values[n - 1]
    raise CellError(f"{what} '{raw.strip()}' tidak dikenal; pilihan: {_choice_list(labels)}", value)


def _strip_number(label: str) -> str:
    m = _LEADING_NUMBER_RE.match(label)
    return m.group(2) if m else label


# --- clipboard (tab-separated text as Excel copies it) ------------------------------------------------

_UNQUOTED_RE = re.compile(r"[^\t\r\n]*")


def _lines_in(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def parse_tsv(text: str) -> list[list[str]]:
    """Clipboard text copied from Excel (or LibreOffice, Google Sheets) as rows of cells: cells separated by
    tabs, rows by CRLF or LF; a cell starting with a quote is quoted (may hold tabs, line breaks and doubled
    quotes); the trailing line break Excel adds makes no extra row. A cell like `"Rapat" pagi` (a quote
    that closes before other text on the same line, holding no tab or line break) is read literally.
    Rows are returned as they are, not padded. An unclosed quote → CellError naming the line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    rows: list[list[str]] = []
    if not text:
        return rows
    row: list[str] = []
    i, n, line = 0, len(text), 1
    while True:
        if text[i:i + 1] == '"':
            start, start_line, parts, j = i, line, [], i + 1
            while True:
                close = text.find('"', j)
                if close < 0:
                    raise CellError(f"tanda kutip pada baris {start_line} tidak ditutup")
                parts.append(text[j:close])
                if text[close + 1:close + 2] == '"':
                    parts.append('"')
                    j = close + 2
                    continue
                j = close + 1
                break
            cell = "".join(parts)
            if j < n and text[j] not in "\t\r\n":
                if any(c in cell for c in "\t\r\n"):
                    raise CellError(f"teks sesudah tanda kutip penutup pada baris {line + _lines_in(text[start:j])}")
                m = _UNQUOTED_RE.match(text, start)  # a literal quote at the start of a plain cell
                assert m is not None
                cell, j = m.group(), m.end()
            else:
                line += _lines_in(text[start:j])
            i = j
        else:
            m = _UNQUOTED_RE.match(text, i)
            assert m is not None
            cell, i = m.group(), m.end()
        row.append(cell)
        if i >= n:
            rows.append(row)
            return rows
        if text[i] == "\t":
            i += 1
            continue
        i += 2 if text.startswith("\r\n", i) else 1
        line += 1
        rows.append(row)
        row = []
        if i >= n:
            return rows


def format_tsv(rows: Sequence[Sequence[Any]]) -> str:
    """Rows as Excel puts them on the clipboard: tabs, CRLF after every row, cells holding a tab, line break
    or quote quoted with quotes doubled. None → empty cell. `parse_tsv` reads it back (rows of ≥1 cell)."""
    def cell(value: Any) -> str:
        text = "" if value is None else str(value)
        if any(c in text for c in '\t\r\n"'):
            return '"' + text.replace('"', '""') + '"'
        return text

    return "".join("\t".join(cell(v) for v in row) + "\r\n" for row in rows)

