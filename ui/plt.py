"""The "you act as Plt./Plh." notice on the review pages (queues include the holder's people meanwhile)."""

from __future__ import annotations

import streamlit as st

from services.core import Actor
from services.org import penugasan
from ui.text import md


def acting_notice(actor: Actor) -> None:
    """One info line per Plt/Plh assignment the actor holds today (nothing otherwise)."""
    if not actor.acting_for and actor.pegawai_id is None:
        return
    lines = penugasan.my_assignments(actor)
    if lines:
        st.info("\n\n".join(md(x) for x in lines) + "\n\nDaftar di halaman ini mencakup pegawai yang dinilai "
                "pejabat yang Anda gantikan; keputusan Anda tercatat atas nama Anda di Log Audit.",
                icon=":material/swap_horiz:")
