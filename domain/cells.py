"""Parsing of grid and import cells shared by services (dates typed, pasted from Excel or sent by the editor)."""

from __future__ import annotations

import datetime as dt

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def to_date(value) -> dt.date | None:
    """None for an empty cell; a date for a date, datetime or text in DATE_FORMATS; ValueError (Indonesian)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("bukan tanggal yang sah (gunakan DD/MM/YYYY)")
