"""Shared rendering helpers for pages."""

from __future__ import annotations

import streamlit as st

from services.core import Actor, ValidationFailed

ROLE_LABELS = {
    "pegawai": "Pegawai",
    "pemberi_pertimbangan": "Pemberi Pertimbangan (Ketua Tim)",
    "penilai": "Pejabat Penilai",
    "atasan_penilai": "Atasan Pejabat Penilai",
    "admin_sdm": "Admin SDM",
    "perencana": "Perencana",
    "kepala_satker": "Kepala Satuan Kerja",
}


def role_labels(actor: Actor) -> list[str]:
    order = list(ROLE_LABELS)
    return [ROLE_LABELS[r.value] for r in sorted(actor.roles, key=lambda r: order.index(r.value))]


def sidebar_identity(actor: Actor) -> None:
    st.markdown(f"**{actor.nama}**")
    st.caption(actor.username)


def show_validation(err: ValidationFailed, limit: int = 30) -> None:
    """List every row/field error so the user can fix them; nothing was saved."""
    st.error(f"Data tidak disimpan: {len(err.errors)} kesalahan. Perbaiki lalu simpan lagi.")
    lines = [f"- {e}" for e in err.errors[:limit]]
    if len(err.errors) > limit:
        lines.append(f"- … dan {len(err.errors) - limit} kesalahan lain")
    st.markdown("\n".join(lines))
