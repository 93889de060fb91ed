"""Editable grids: one contract between `st.data_editor` and the services.

A page shows a DataFrame (with a RangeIndex and an `id` column) through `edit_grid`. On Save it hands
`changes()` to a service: `rows` (dicts with every column; no `id` = new row; `_row` = the 1-based row number
the user sees, used in error messages) and `deleted_ids`. After a successful save the page calls `reset()`
so the editor starts from the saved data; on an error it keeps the editor as it is, so nothing typed is lost.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from ui.text import md


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


NO = "_no"
"""The visible row-number column ("No."): errors name rows by this number."""


def _norm(value: Any) -> Any:
    value = _clean(value)
    return None if isinstance(value, str) and not value.strip() else value


def _records(df: pd.DataFrame) -> list[tuple]:
    return [tuple(_norm(v) for v in row) for row in df.itertuples(index=False)]


@dataclass
class GridEdit:
    """The grid on screen. `original` is what the editor shows (the data as loaded, plus rows added by a paste
    and edits folded in when the editor restarted); `base` is the data as loaded (id -> row), to tell which
    columns the user changed. Edits are diffed against `base`, never trusted by position alone."""

    key: str
    original: pd.DataFrame
    edited: pd.DataFrame
    state: dict
    base: dict | None = None
    stale: bool = False  # the data under the grid changed since it was loaded (kept on screen; see edit_grid)
    pristine: bool = False  # the editor shows the data as loaded (no paste folded in): no edits = no changes

    @functools.cached_property
    def _records(self) -> list[dict]:
        """The rows on screen as dicts, read once (a cell-by-cell .iloc costs seconds on a long grid)."""
        cols = [c for c in self.original.columns if c != NO]
        return self.original[cols].to_dict("records")

    def _row_dict(self, pos: int, delta: dict | None) -> dict:
        row = {c: _clean(v) for c, v in self._records[pos].items()}
        row.update({k: _clean(v) for k, v in (delta or {}).items() if k != NO})
        return row

    def changes(self) -> tuple[list[dict], list[int]]:
        cols = [c for c in self.original.columns if c != NO]
        deltas = {int(k): v for k, v in (self.state.get("edited_rows") or {}).items()}
        removed = {int(p) for p in self.state.get("deleted_rows") or []}
        rows: list[dict] = []
        for pos in range(len(self.original)):
            if pos in removed:
                continue
            row = self._row_dict(pos, deltas.get(pos))
            rid = row.get("id") if "id" in cols else None
            if rid is None:
                if (pos in deltas or self.base is not None) and \
                        any(_norm(v) is not None for k, v in row.items() if k != "id"):
                    rows.append(dict(row, _row=pos + 1))
                continue
            before = (self.base or {}).get(int(rid))
            if before is None:  # a stored row laid onto the grid by a paste (it was not on this page): send it
                rows.append(dict(row, _row=pos + 1))
                continue
            changed = [c for c in cols if c != "id" and _norm(row.get(c)) != _norm(before.get(c))]
            if changed:
                rows.append(dict(row, _row=pos + 1, _changed=changed))
        for i, added in enumerate(self.state.get("added_rows") or []):
            row = {c: None for c in cols}
            row.update({k: _clean(v) for k, v in added.items() if k != NO})
            row["id"] = None
            row["_row"] = len(self.original) + i + 1
            if any(v not in (None, "") for k, v in row.items() if k not in ("id", "_row")):
                rows.append(row)
        deleted: list[int] = []
        for pos in sorted(removed):
            if 0 <= pos < len(self.original) and "id" in cols:
                rid = _clean(self._records[pos]["id"])
                if rid is not None:
                    deleted.append(int(rid))
        return rows, deleted

    @property
    def dirty(self) -> bool:
        s = self.state
        if s.get("edited_rows") or s.get("added_rows") or s.get("deleted_rows"):
            return True
        if self.pristine:  # nothing typed over the loaded data: skip diffing every row on every rerun
            return False
        rows, deleted = self.changes()
        return bool(rows or deleted)

    def reset(self) -> None:
        """Start again from the stored data (after a save, or when the user asks to reload)."""
        for suffix in ("__work", "__base"):
            st.session_state.pop(f"{self.key}{suffix}", None)
        st.session_state[f"{self.key}__version"] = st.session_state.get(f"{self.key}__version", 0) + 1

    def add_rows(self, new_rows: list[dict]) -> None:
        """Add rows (e.g. from a paste) below what is on screen, keeping every edit made so far."""
        cols, current = self._on_screen()
        current += [{c: r.get(c) for c in cols} for r in new_rows]
        self._set_work(current, cols)

    def _on_screen(self, *, editable_rows: bool = True) -> tuple[list[str], list[dict]]:
        """(columns, rows as the user sees them now): the loaded rows with their edits; with `editable_rows` also
        without the deleted rows and with the added ones (a fixed grid has neither)."""
        cols = [c for c in self.original.columns if c != NO]
        deltas = {int(k): v for k, v in (self.state.get("edited_rows") or {}).items()}
        removed = {int(x) for x in self.state.get("deleted_rows") or []} if editable_rows else set()
        current = [self._row_dict(pos, deltas.get(pos)) for pos in range(len(self.original)) if pos not in removed]
        if editable_rows:
            current += [{c: _clean(added.get(c)) for c in cols} for added in self.state.get("added_rows") or []]
        return cols, current


    def upsert_rows(self, new_rows: list[dict], on: str = "id") -> None:
        """Lay pasted rows that carry the `id` (or the `on` value) of a row on screen over that row (a None value
        leaves the cell as it is) and add the others below, keeping every edit made so far (a paste of stored rows
        onto an SDM grid; `on`: a grid without ids, keyed by another column such as the member's Pegawai)."""
        cols, current = self._on_screen()
        by_id = {_clean(r.get(on)): r for r in current if _clean(r.get(on)) is not None}
        for new in new_rows:
            target = by_id.get(new.get(on)) if new.get(on) is not None else None
            if target is not None:
                target.update({k: v for k, v in new.items() if k in cols and k != on and v is not None})
            else:
                current.append({c: new.get(c) for c in cols})
        self._set_work(current, cols)

    def _set_work(self, current: list[dict], cols: list[str]) -> None:
        work = pd.DataFrame(current, columns=cols)
        for c in cols:
            if c in self.original.columns and self.original[c].dtype == object:
                work[c] = work[c].astype(object)
        st.session_state[f"{self.key}__work"] = work
        st.session_state[f"{self.key}__version"] = st.session_state.get(f"{self.key}__version", 0) + 1

    def merge_rows(self, new_rows: list[dict], on: str) -> None:
        """Lay rows (e.g. from a paste onto a fixed grid) over the rows on screen with the same `on` value, keeping
        every other edit made so far; a value of None in a new row leaves that cell as it is."""
        cols, current = self._on_screen(editable_rows=False)
        by_key = {r.get(on): r for r in current}
        for new in new_rows:
            target = by_key.get(new.get(on))
            if target is not None:
                target.update({k: v for k, v in new.items() if k in cols and k != on and v is not None})
        self._set_work(current, cols)


class _SharedOptions(list):
    """A select column's choices as Streamlit gets them: st.data_editor deep-copies every column config on each
    rerun, which for a choice list of every pegawai (thousands of {value, label} dicts per column) costs more than
    the rest of the grid and grows with the organisation. The list is built for this render and never changed."""

    def __deepcopy__(self, memo):
        return self


def _share_options(config: dict) -> dict:
    out = {}
    for col, cfg in config.items():
        tc = cfg.get("type_config") if isinstance(cfg, dict) else None
        opts = tc.get("options") if isinstance(tc, dict) else None
        if isinstance(opts, list) and len(opts) > 50:
            cfg = {**cfg, "type_config": {**tc, "options": _SharedOptions(opts)}}
        out[col] = cfg
    return out


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
              num_rows: str = "dynamic", height: int | None = None, column_order: tuple[str, ...] | None = None,
              keep_snapshot: bool = True) -> GridEdit:
    """Render an editable grid and return its pending changes.

    The grid keeps the data it was opened with (session_state) until it is saved or reloaded: when the stored
    data changes meanwhile (a penilai approved a row, another tab saved) and the user has typed something, what
    they typed stays on screen, a notice says so, and Save merges the edits (services.core.grid); without edits
    the grid simply shows the new data. A "No." column numbers the rows as errors name them.
    `keep_snapshot=False`: for a page whose DataFrame shows previews computed from the pending edits (it then
    changes on every edit); such a grid is re-read on every rerun, as before."""
    df = df.reset_index(drop=True)
    base_key, work_key = f"{key}__base", f"{key}__work"
    base_df = st.session_state.get(base_key)
    if not keep_snapshot:  # the page derives display columns from the pending edits: show its data as given
        base_df = None
    if base_df is None or list(base_df.columns) != list(df.columns) or not keep_snapshot:
        base_df = st.session_state[base_key] = df
        st.session_state.pop(work_key, None)
    work = st.session_state.get(work_key)
    if work is None:
        work = base_df
    wkey = editor_key(key)
    stale = not base_df.equals(df) and _records(base_df) != _records(df)  # equals: the quick, usual case
    if stale:
        pending = st.session_state.get(wkey) or {}
        untouched = work is base_df and not (pending.get("edited_rows") or pending.get("added_rows")
                                             or pending.get("deleted_rows"))
        if untouched:  # nothing typed: just show the new data
            base_df = work = st.session_state[base_key] = df
            stale = False
    config = {"id": st.column_config.NumberColumn("ID", disabled=True, width="small"),
              NO: st.column_config.NumberColumn("No.", disabled=True, width="small", format="%d")}
    config.update(column_config or {})
    shown = _blank_text_cells(work, config)
    shown.insert(0, NO, range(1, len(shown) + 1))
    order = (NO, *column_order) if column_order is not None else None
    edited = st.data_editor(
        shown, key=wkey, hide_index=True, num_rows=num_rows, column_config=_share_options(config), disabled=[NO, *disabled],
        width="stretch", height=height or "auto", column_order=order, placeholder=""
    )
    if any(isinstance(c, dict) and c.get("required") for c in config.values()):
        from ui.theme import GRID_HELP  # Streamlit's "Please fill out this cell", explained

        st.caption(GRID_HELP)
    state = st.session_state.get(wkey) or {}
    base = None
    if "id" in base_df.columns:
        base = {int(r["id"]): {c: _clean(v) for c, v in r.items()}
                for r in base_df.to_dict("records") if _clean(r.get("id")) is not None}
    grid = GridEdit(key=key, original=shown, edited=edited, state=dict(state), base=base, stale=stale,
                    pristine=work is base_df and base is not None and len(base) == len(base_df))
    if stale:
        st.warning("Data tabel ini telah diubah di tempat lain sejak Anda membukanya (mis. disetujui penilai atau "
                   "disimpan di tab lain). Isian Anda tetap tampil; saat disimpan, isian digabungkan ke baris yang "
                   "masih dapat diubah dan baris yang tidak dapat diterapkan disebutkan.", icon=":material/sync_problem:")
        if st.button("Muat ulang tabel (buang isian yang belum disimpan)", key=f"{key}__reload"):
            grid.reset()
            st.rerun()
    _show_unapplied(key)
    return grid


def _show_unapplied(key: str) -> None:
    """Rows a save could not apply (changed elsewhere): what the user typed, with the reason, until dismissed."""
    kept = st.session_state.get(f"{key}__unapplied")
    if not kept:
        return
    with st.container(border=True):
        st.warning(f"{len(kept['errors'])} baris tidak diterapkan karena telah diubah di tempat lain. "
                   "Isian Anda untuk baris itu disimpan di bawah ini; salin bila masih diperlukan.")
        st.markdown("\n".join(f"- {md(e)}" for e in kept["errors"]))
        if kept.get("rows"):
            st.dataframe(pd.DataFrame(kept["rows"]), hide_index=True, width="stretch", placeholder="")
        if st.button("Tutup", key=f"{key}__unapplied_close"):
            st.session_state.pop(f"{key}__unapplied", None)
            st.rerun()


def flash(key: str) -> None:
    """Show (once) the success message a save left before its rerun."""
    if msg := st.session_state.pop(f"{key}__flash", None):
        st.success(msg)


def save_button(grid: GridEdit, save, *, label: str = "Simpan perubahan", key: str | None = None) -> None:
    """The Save button of a grid: hand the changes to `save(rows, deleted_ids)` (a service call returning an
    object with a `pesan`, or a message string). Errors are listed and the edits kept; on success the grid
    restarts from the saved data and the message is shown after the rerun (see `flash`)."""
    from ui.actions import act

    if not st.button(label, type="primary", key=key or f"{grid.key}__save", icon=":material/save:"):
        return
    rows, deleted = grid.changes()
    if not rows and not deleted:
        st.info("Tidak ada perubahan untuk disimpan.")
        return
    def _applied(result) -> None:
        not_applied = getattr(result, "tidak_diterapkan", None) or getattr(result, "not_applied", None) or ()
        if not_applied:  # keep what the user typed for those rows, then reload the grid
            numbers = {e.row for e in not_applied}
            st.session_state[f"{grid.key}__unapplied"] = {
                "errors": [str(e) for e in not_applied],
                "rows": [{("No." if k == "_row" else k): v for k, v in r.items() if k != "_changed"}
                         for r in rows if r.get("_row") in numbers]}
        grid.reset()

    act(lambda: save(rows, deleted), then=_applied,
        ok=lambda result: getattr(result, "pesan", None) or str(result or "Perubahan disimpan."))


def paste_box(grid: GridEdit, preview, *, labels: dict[str, str], columns: tuple[str, ...],
              key: str | None = None, merge_on: str | None = None, hint: str | None = None,
              upsert: bool | str = False, download: tuple[str, Any] | None = None) -> None:
    """A "Tempel dari Excel" box beside a grid: the user pastes rows copied from Excel (tab-separated, columns in
    the grid's order); `preview(text)` (a service call returning services.core.grid.PastePreview) reads them
    with the grid's row model. The preview lists every bad cell by row and column; only on confirm are the good
    rows added to the grid (as new rows, saved with the grid's Save). Bad rows stay in the box with their
    messages, so nothing pasted is lost."""
    from domain.cells import format_tsv

    k = key or f"{grid.key}__tempel"
    text_key, prev_key = f"{k}__teks", f"{k}__pratinjau"
    with st.container(border=True):  # not an expander: its open/closed state would flip on each rerun
        st.markdown("**Tempel dari Excel**")
        st.caption("Salin baris dari Excel lalu tempel di sini (Ctrl+V). Urutan kolom: "
                   + ", ".join(labels.get(c, c) for c in columns)
                   + ". " + (hint or "Tanggal 31/01/2026 atau 4 Desember 2026; jam 07.30 atau 7:30; desimal dengan koma "
                             "atau titik."))
        if download is not None:
            st.download_button("Unduh Excel", data=download[1], file_name=download[0], key=f"{k}__unduh",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               icon=":material/download:", on_click="ignore",
                               help="Isi tabel ini sebagai Excel; ubah di Excel lalu tempel kembali di kotak ini.")
        st.text_area("Teks dari Excel", key=text_key, height=150, placeholder="Tempel baris dari Excel di sini")
        if st.button("Periksa tempelan", key=f"{k}__periksa", icon=":material/fact_check:"):
            from ui.actions import act

            if not (st.session_state.get(text_key) or "").strip():
                st.session_state.pop(prev_key, None)
                st.info("Kotak tempel masih kosong: salin baris dari Excel, lalu tempel di kotak di atas (Ctrl+V).")
                return
            act(lambda: preview(st.session_state.get(text_key) or ""),
                then=lambda pv: st.session_state.__setitem__(prev_key, pv))
        pv = st.session_state.get(prev_key)
        if pv is None:
            return
        good, bad = pv.good, pv.bad
        verb = "diterapkan" if merge_on or upsert else "ditambahkan"
        st.markdown(f"**Pratinjau:** {len(good)} baris siap {verb}, {len(bad)} baris bermasalah.")
        table = []
        for r in pv.rows:
            if r.no == 0:
                continue
            line = {"No.": r.no, **{labels.get(c, c): r.typed.get(c, "") for c in columns}}
            line["Keterangan"] = "siap" if r.ok else "; ".join(f"{e.field}: {e.message}" for e in r.errors)
            table.append(line)
        if table:
            st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch", placeholder="")
        if bad:
            st.error("Sel yang ditolak (baris tempel, kolom):")
            st.markdown("\n".join(f"- {md(e)}" if e.row else f"- {md(e.field)}: {md(e.message)}" for e in pv.errors))

        def confirm() -> None:
            grid.state = dict(st.session_state.get(editor_key(grid.key)) or grid.state)
            if merge_on:
                grid.merge_rows(good, merge_on)
            elif upsert:  # True: by id; a column name: by that column (a grid without ids)
                grid.upsert_rows(good, upsert if isinstance(upsert, str) else "id")
            else:
                grid.add_rows(good)
            st.session_state[text_key] = format_tsv([[r.typed.get(c, "") for c in columns] for r in bad if r.no])
            st.session_state.pop(prev_key, None)
            st.session_state[f"{grid.key}__flash"] = (
                f"{len(good)} baris dari Excel {'diterapkan' if merge_on or upsert else 'ditambahkan'} ke tabel; klik Simpan "
                "perubahan untuk menyimpan."
                + (f" {len(bad)} baris bermasalah tetap di kotak tempel." if bad else ""))

        st.button(f"{'Terapkan' if merge_on or upsert else 'Tambahkan'} {len(good)} baris ke tabel", key=f"{k}__tambah", type="primary", disabled=not good,
                  on_click=confirm, icon=":material/playlist_add:")
