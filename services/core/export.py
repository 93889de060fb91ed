"""Excel and CSV exports that are safe to open in a spreadsheet.

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be read by Excel/LibreOffice
as a formula (CSV/formula injection, OWASP). Such cells get a leading apostrophe so they stay text.
Numbers, dates and booleans are left as they are; headers keep their Indonesian wording.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

from services.core import audit, clock
from services.core.actor import Actor
from services.core.uow import unit_of_work

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""Leading characters a spreadsheet may evaluate (also the full-width forms some programs normalise)."""
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def neutralise(value: Any) -> Any:
    """Prefix an apostrophe to text that a spreadsheet would evaluate as a formula. THE formula guard: every
    CSV/XLSX writer (exports, temporary-password lists, the CLI) goes through it."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` with every text cell (and header) neutralised; other types untouched."""
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        series = out[col]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            out[col] = series.map(lambda v: neutralise(_plain(v)))
        elif isinstance(series.dtype, pd.DatetimeTZDtype):
            # Excel cannot store time zones: write the office's wall-clock time.
            out[col] = series.dt.tz_convert(_local_tz()).dt.tz_localize(None)
    return out


def _local_tz() -> dt.tzinfo | None:
    return clock.tz()


def _plain(value: Any) -> Any:
    """Nested values (audit JSON, lists) become text; aware datetimes become local naive ones (Excel has no
    time zones)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(_local_tz()).replace(tzinfo=None)
    if isinstance(value, dict | list | tuple | set):
        return json.dumps(value if not isinstance(value, set) else sorted(value), ensure_ascii=False, default=str)
    return value


def _sheet_name(name: str, used: set[str]) -> str:
    base = (str(name).translate(_BAD_SHEET_CHARS).strip() or "Data")[:MAX_SHEET_NAME]
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def to_excel_bytes(data: pd.DataFrame | Mapping[str, pd.DataFrame], sheet_name: str = "Data") -> bytes:
    """An .xlsx file: one sheet for a DataFrame, or one sheet per entry of a {sheet name: DataFrame} dict."""
    sheets = {sheet_name: data} if isinstance(data, pd.DataFrame) else dict(data)
    if not sheets:
        sheets = {sheet_name: pd.DataFrame()}
    buf = io.BytesIO()
    used: set[str] = set()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as writer:
        for name, df in sheets.items():
            frame = safe_frame(df)
            title = _sheet_name(name, used)
            # strings_to_formulas is off by default in pandas' xlsxwriter engine; neutralising keeps other
            # spreadsheet programs (and re-saves as CSV) safe as well.
            frame.to_excel(writer, sheet_name=title, index=False)
            ws = writer.sheets[title]
            for i, col in enumerate(frame.columns):
                width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200).tolist()])
                ws.set_column(i, i, min(max(width + 2, 8), 60))
            ws.freeze_panes(1, 0)
    return buf.getvalue()


def to_csv_bytes(df: pd.DataFrame, sep: str = ";") -> bytes:
    """CSV in UTF-8 with BOM (Excel opens it with the right characters); `;` suits the Indonesian locale."""
    return safe_frame(df).to_csv(index=False, sep=sep).encode("utf-8-sig")


def record_export(actor: Actor, what: str, rows: int, note: str | None = None) -> None:
    """Audit an export (who downloaded which list, how many rows); exports can carry personal data."""
    with unit_of_work(actor, action="ekspor") as s:
        audit.record(s, actor, "ekspor", what, None, after={"baris": int(rows)}, note=note)
