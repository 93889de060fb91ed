"""A visible pager for long tables: the page reads one page of rows from the service (LIMIT/OFFSET in SQL) and
tells the user which rows are shown and how to see the rest."""

from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

from services.core import fmt


@dataclass(frozen=True)
class Page:
    offset: int
    limit: int
    number: int  # 1-based


def pager(key: str, *, total: int | None, size: int, label: str = "baris") -> Page:
    """Render "Halaman [n] dari N" (or "Halaman [n]" when the total is unknown) and return the page to read.
    With `total` ≤ `size` nothing is rendered and the whole list is one page."""
    if total is not None and total <= size:
        return Page(0, size, 1)
    pages = max(1, math.ceil(total / size)) if total is not None else None
    c1, c2 = st.columns([1, 4])
    number = int(c1.number_input("Halaman", min_value=1, max_value=pages, value=1, step=1, key=f"{key}_halaman"))
    if pages is not None:
        number = min(number, pages)
        first, last = (number - 1) * size + 1, min(number * size, total or 0)
        c2.caption(f"Halaman {fmt.angka(number)} dari {fmt.angka(pages)}: {label} {fmt.angka(first)}–{fmt.angka(last)} dari "
                   f"{fmt.angka(total or 0)}. Ubah nomor halaman atau persempit filter untuk melihat {label} lainnya.")
    return Page((number - 1) * size, size, number)


def requested(key: str, size: int) -> Page:
    """The page the user asked for on the pager `key` (1 before it is shown), read before the pager is drawn, so
    one service call can return both the page and the total the pager then shows. Compare with what pager()
    returns: a number past the last page (the filter narrowed since) reads as another page there."""
    try:
        number = max(1, int(st.session_state.get(f"{key}_halaman") or 1))
    except (TypeError, ValueError):
        number = 1
    return Page((number - 1) * size, size, number)


def caption_open_ended(page: Page, shown: int, more: bool, label: str = "baris") -> None:
    """For a pager without a total: tell which rows are shown and whether there are more."""
    if shown == 0:
        return
    first = page.offset + 1
    st.caption(f"Halaman {fmt.angka(page.number)}: {label} {fmt.angka(first)}–{fmt.angka(page.offset + shown)}"
               + (f"; masih ada {label} berikutnya (naikkan nomor halaman atau persempit filter)." if more else "."))
