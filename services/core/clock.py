"""The one clock of the application: today and now in the office's time zone (Asia/Jakarta by default).

A server usually runs in UTC; "today" must be the office's date (before 07:00 WIB a UTC server is still on
yesterday). The zone comes from EKINERJA_TIMEZONE (Asia/Jakarta, Asia/Makassar for WITA, Asia/Jayapura for
WIT). Tests freeze or move the clock with `set_clock` / `frozen`, never by patching `date.today`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Jakarta"
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}

_override: Callable[[], dt.datetime] | None = None


def tz() -> ZoneInfo:
    name = os.environ.get("EKINERJA_TIMEZONE", DEFAULT_TZ).strip() or DEFAULT_TZ
    return ZoneInfo(ZONES.get(name.upper(), name))


def now() -> dt.datetime:
    """Aware datetime in the office's zone."""
    if _override is not None:
        value = _override()
        return value if value.tzinfo else value.replace(tzinfo=tz())
    return dt.datetime.now(tz())


def today() -> dt.date:
    return now().date()


def set_clock(fn: Callable[[], dt.datetime] | None) -> None:
    """Replace the clock (tests, demo loaders); None restores the real one."""
    global _override
    _override = fn


@contextmanager
def frozen(at: dt.datetime | dt.date) -> Iterator[None]:
    """Freeze the clock at a date (09:00 local) or a datetime for the duration of the block."""
    value = at if isinstance(at, dt.datetime) else dt.datetime.combine(at, dt.time(9, 0))
    previous = _override
    set_clock(lambda: value)
    try:
        yield
    finally:
        set_clock(previous)


def utcnow() -> dt.datetime:
    """The same instant in UTC: what timestamps are stored as."""
    return now().astimezone(dt.UTC)
