"""Shared rendering helpers for pages."""

from __future__ import annotations

import streamlit as st

from services.core import Actor, ValidationFailed
from ui.text import md

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
    st.markdown(f"**{md(actor.nama)}**")
    st.caption(actor.username)


def show_validation(err: ValidationFailed) -> None:
    """List every row/field error so the user can fix them; nothing was saved (see ui.actions.show_error)."""
    from ui.actions import show_error

    show_error(err)


# Streamlit's own English words a user meets, explained in Bahasa Indonesia (Streamlit does not translate them).
UPLOAD_HELP = ("Klik **Upload** (unggah) untuk memilih berkas dari komputer, atau seret berkas ke kotak ini. Tulisan "
               "bawaan Streamlit di sebelahnya, mis. *20MB per file • PDF*, berarti batas ukuran per berkas dan jenis "
               "berkas yang diterima. Setelah memilih berkas, klik tombol simpan/unggah di bawahnya.")
GRID_HELP = ("Petunjuk tabel: klik dua kali sel untuk mengubahnya; baris baru di bawah tabel (tanda +). Tanda segitiga "
             "merah dengan tulisan *Please fill out this cell* berarti **sel wajib diisi**. Kesalahan lain "
             "disebutkan per baris dan kolom setelah Anda menyimpan.")
