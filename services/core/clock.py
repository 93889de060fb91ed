"""The one clock of the application: today and now in the office's time zone (Asia/Jakarta by default).

A server usually runs in UTC; "today" must be the office's date (before 07:00 WIB a UTC server is still on
yesterday). The zone comes from EKINERJA_TIMEZONE (Asia/Jakarta, Asia/Makassar for WITA, Asia/Jayapura for
WIT). Tests freeze or move the clock with `set_clock` / `frozen`, never by patching `date.today`.

For tests and demos only: EKINERJA_FAKE_TODAY=YYYY-MM-DD moves "today" of a whole process (a Streamlit server
or the `ekinerja` command started by a browser or CLI test) to that date, keeping the real time of day;
YYYY-MM-DDTHH:MM[:SS] freezes the clock at that local moment. Never set it in production. `set_clock` /
`frozen` take precedence. (`faketime '2027-01-02 10:00:00' cmd` from the faketime package works as well.)
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

FAKE_TODAY_ENV = "EKINERJA_FAKE_TODAY"


def tz() -> ZoneInfo:
    name = os.environ.get("EKINERJA_TIMEZONE", DEFAULT_TZ).strip() or DEFAULT_TZ
    return ZoneInfo(ZONES.get(name.upper(), name))


def now() -> dt.datetime:
    """Aware datetime in the office's zone."""
    if _override is not None:
        value = _override()
        return value if value.tzinfo else value.replace(tzinfo=tz())
    real = dt.datetime.now(tz())
    fake = os.environ.get(FAKE_TODAY_ENV, "").strip()
    if fake:
        return _fake_now(fake, real)
    return real


def _fake_now(fake: str, real: dt.datetime) -> dt.datetime:
    """EKINERJA_FAKE_TODAY (tests/demo only): a date keeps the real time of day, a datetime is frozen."""
    try:
        if "T" in fake or " " in fake:
            value = dt.datetime.fromisoformat(fake)
            return value if value.tzinfo else value.replace(tzinfo=real.tzinfo)
        return dt.datetime.combine(dt.date.fromisoformat(fake), real.timetz())
    except ValueError as exc:
        raise ValueError(f"{FAKE_TODAY_ENV} harus berformat YYYY-MM-DD atau YYYY-MM-DDTHH:MM, bukan {fake!r}") from exc


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


def local(moment: dt.datetime) -> dt.datetime:
    """A stored timestamp (aware, or naive meaning UTC) as the office's wall-clock time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(tz())


def local_date(moment: dt.datetime) -> dt.date:
    """The office's date of a stored timestamp (a moment at 23.30 UTC is already the next day in WIB)."""
    return local(moment).date()
