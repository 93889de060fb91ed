"""Indonesian formatting of dates and numbers (babel, locale id_ID)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date, format_datetime, get_month_names
from babel.numbers import format_decimal

from services.core import clock

LOCALE = "id_ID"
BULAN = [get_month_names("wide", locale="id")[i] for i in range(1, 13)]


def tanggal(d: dt.date | dt.datetime | None, fmt: str = "long") -> str:
    """17 Agustus 2025 (a timestamp: its date in the office's time zone)."""
    if d is None:
        return "-"
    if isinstance(d, dt.datetime):
        d = clock.local_date(d)
    return format_date(d, fmt, locale=LOCALE)


def waktu(moment: dt.datetime | None) -> str:
    """17 Agustus 2025 14.05 in the office's time zone."""
    if moment is None:
        return "-"
    return format_datetime(clock.local(moment), "d MMMM y HH.mm", locale=LOCALE)


def angka(x: float | int | Decimal | None, digits: int | None = None) -> str:
    """1.234.567,89."""
    if x is None:
        return "-"
    if digits is not None:
        return format_decimal(x, format=f"#,##0.{'0' * digits}" if digits else "#,##0", locale=LOCALE)
    return format_decimal(x, locale=LOCALE)


def bulan(month: int) -> str:
    return BULAN[month - 1]
