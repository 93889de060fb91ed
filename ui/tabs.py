"""Tabs whose open tab survives the page's reruns."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st


def page_tabs(labels: Sequence[str], key: str) -> Sequence:
    """st.tabs that keeps the open tab across reruns. Plain st.tabs went back to its first tab whenever something
    above it came or went (a success message, a warning that follows the status) and whenever its labels changed:
    a user who acted in the third tab found themselves on the first. The open tab is tracked by the server (a tab
    click reruns the page) and remembered by position, so a tab whose label carries a count ("Antrean (4)")
    stays open when the count changes."""
    labels = list(labels)
    position_key = f"{key}__posisi"

    def remember() -> None:
        chosen = st.session_state.get(key)
        st.session_state[position_key] = labels.index(chosen) if chosen in labels else 0

    position = st.session_state.get(position_key, 0)
    default = labels[position] if 0 <= position < len(labels) else labels[0]
    return st.tabs(labels, key=key, on_change=remember, default=default)
