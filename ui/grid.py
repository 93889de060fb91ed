"""Editable grids: one contract between `st.data_editor` and the services.

A page shows a DataFrame (with a RangeIndex and an `id` column) through `edit_grid`. On Save it hands
`changes()` to a service: `rows` (dicts with every column; no `id` = new row; `_row` = the 1-based row number
the user sees, used in error messages) and `deleted_ids`. After a successful save the page calls `reset()`
so the editor starts from the saved data; on an error it keeps the editor as it is, so nothing typed is lost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    try:
        if pd.isna(value) is True:
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return value
    return value


def editor_key(key: str) -> str:
    """The widget key of the grid now (it changes after each reset). Tests assign edits to this key."""
    return f"{key}__{st.session_state.get(f'{key}__version', 0)}"


@dataclass
class GridEdit:
    key: str
    original: pd.DataFrame
    edited: pd.DataFrame
    state: dict

    def changes(self) -> tuple[list[dict], list[int]]:
        cols = list(self.original.columns)
        rows: list[dict] = []
        for pos, delta in sorted((int(k), v) for k, v in (self.state.get("edited_rows") or {}).items()):
            if pos >= len(self.original):
                continue
            base = {c: _clean(self.original.iloc[pos][c]) for c in cols}
            base.update({k: _clean(v) for k, v in delta.items()})
            base["_row"] = pos + 1
            rows.append(base)
        for i, added in enumerate(self.state.get("added_rows") or []):
            row = {c: None for c in cols}
            row.update({k: _clean(v) for k, v in added.items()})
            row["id"] = None
            row["_row"] = len(self.original) + i + 1
            if any(v not in (None, "") for k, v in row.items() if k not in ("id", "_row")):
                rows.append(row)
        deleted: list[int] = []
        for pos in self.state.get("deleted_rows") or []:
            if 0 <= int(pos) < len(self.original) and "id" in cols:
                rid = _clean(self.original.iloc[int(pos)]["id"])
                if rid is not None:
                    deleted.append(int(rid))
        return rows, deleted

    @property
    def dirty(self) -> bool:
        s = self.state
        return bool(s.get("edited_rows") or s.get("added_rows") or s.get("deleted_rows"))

    def reset(self) -> None:
        st.session_state[f"{self.key}__version"] = st.session_state.get(f"{self.key}__version", 0) + 1


def _blank_text_cells(df: pd.DataFrame, config: dict) -> pd.DataFrame:
    """Show empty free-text cells as empty, not as a grey "None" (services treat "" as empty)."""
    out = df.copy()
    for col in out.columns:
        cfg = config.get(col) or {}
        kind = (cfg.get("type_config") or {}).get("type") if isinstance(cfg, dict) else None
        if kind == "text" or (kind is None and out[col].dtype == object
                              and out[col].map(lambda v: v is None or isinstance(v, str)).all()):
            out[col] = out[col].astype(object).where(out[col].notna(), "")
    return out


def edit_grid(df: pd.DataFrame, key: str, *, column_config: dict | None = None, disabled: tuple[str, ...] = ("id",),
              num_rows: str = "dynamic", height: int | None = None, column_order: tuple[str, ...] | None = None) -> GridEdit:
    """Render an editable grid and return its pending changes."""
    df = df.reset_index(drop=True)
    wkey = editor_key(key)
    config = {"id": st.column_config.NumberColumn("ID", disabled=True, width="small")}
    config.update(column_config or {})
    df = _blank_text_cells(df, config)
    edited = st.data_editor(
        df, key=wkey, hide_index=True, num_rows=num_rows, column_config=config, disabled=list(disabled),
        width="stretch", height=height or "auto", column_order=column_order, placeholder=""
    )
    state = st.session_state.get(wkey) or {}
    return GridEdit(key=key, original=df, edited=edited, state=dict(state))


def flash(key: str) -> None:
    """Show (once) the success message a save left before its rerun."""
    if msg := st.session_state.pop(f"{key}__flash", None):
        st.success(msg)


def save_button(grid: GridEdit, save, *, label: str = "Simpan perubahan", key: str | None = None) -> None:
    """The Save button of a grid: hand the changes to `save(rows, deleted_ids)` (a service call returning an
    object with a `pesan`, or a message string). Errors are listed and the edits kept; on success the grid
    restarts from the saved data and the message is shown after the rerun (see `flash`)."""
    from services.core.errors import Conflict, ValidationFailed
    from ui.theme import show_validation

    if not st.button(label, type="primary", key=key or f"{grid.key}__save", icon=":material/save:"):
        return
    rows, deleted = grid.changes()
    if not rows and not deleted:
        st.info("Tidak ada perubahan untuk disimpan.")
        return
    try:
        result = save(rows, deleted)
    except ValidationFailed as e:
        show_validation(e)
    except Conflict as e:
        st.error(str(e))
    else:
        st.session_state[f"{grid.key}__flash"] = getattr(result, "pesan", None) or str(result or "Perubahan disimpan.")
        grid.reset()
        st.rerun()
