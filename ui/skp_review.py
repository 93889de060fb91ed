"""Rendering helpers for the pejabat penilai's SKP review (pages/skp_verifikasi.py): the queue table, the SKP
identity, RHK cards with the penilai's own RHK beside each intervening RHK, and the Ekspektasi Khusus inputs.
Nothing here calls a service that writes: the page does, and shows the outcome."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services.core import fmt
from services.skp import RhkView, SkpDetail
from ui import actions
from ui.text import md  # noqa: F401  (re-exported: pages call rv.md)

SCOPE = "verif"  # the action scope: its generation resets the queue selection and confirmation

QUEUE_LABELS = {"pegawai": "Pegawai", "nip": "NIP", "jabatan": "Jabatan", "unit": "Unit Kerja", "tahun": "Tahun",
                "segmen": "Segmen", "versi": "Versi", "diajukan": "Diajukan", "jumlah_rhk": "Jumlah RHK"}


def version() -> int:
    """Bumped after every decision so the queue selection and confirmation start afresh."""
    return actions.version(SCOPE)


def queue_key() -> str:
    """The widget key of the queue table now; tests set its selection state under this key."""
    return f"verif_antrian__{version()}"


def waktu(value: object) -> str:
    """fmt.waktu for values coming out of a DataFrame (pandas Timestamp, NaT or None)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return "-"
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    return fmt.waktu(value)


def queue_table(queue: pd.DataFrame) -> pd.DataFrame:
    view = queue[list(QUEUE_LABELS)].copy()
    view["diajukan"] = view["diajukan"].map(waktu).astype(object)
    return view.rename(columns=QUEUE_LABELS)


def skp_label(row) -> str:
    seg = f", segmen {row.segmen}" if row.segmen and row.segmen > 1 else ""
    return f"{row.pegawai} — {row.nip} (SKP {row.tahun}{seg}, versi {row.versi})"


def identity(d: SkpDetail) -> None:
    p, n = d.pegawai, d.penilai
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown("**Pegawai yang dinilai**")
        st.markdown(f"{md(p.nama)}  \nNIP {p.nip}  \n{md(p.pangkat_golongan)}  \n{md(p.jabatan or '-')}  \n"
                    f"{md(p.unit or '-')}")
    with right, st.container(border=True):
        st.markdown("**Pejabat penilai kinerja**")
        if n is None:
            st.markdown("_Tidak ada pejabat penilai di satuan kerja (keputusan dicatat oleh Admin SDM)._")
        else:
            st.markdown(f"{md(n.nama)}  \nNIP {n.nip}  \n{md(n.pangkat_golongan)}  \n{md(n.jabatan or '-')}")
    st.caption(f"SKP tahun {d.tahun} · format {d.format} · pendekatan {d.pendekatan} · status {d.status_label} · "
               f"versi {d.version_no} · periode {fmt.tanggal(d.tanggal_mulai)} s.d. {fmt.tanggal(d.tanggal_selesai)}"
               f" · diajukan {fmt.waktu(d.submitted_at)}")
    if d.catatan_pengembalian:
        st.caption(f"Catatan pengembalian sebelumnya: {d.catatan_pengembalian}")


def _iki_frame(r: RhkView, jpt: bool) -> pd.DataFrame:
    rows = [{"Aspek": k.aspek or "-", "Indikator Kinerja Individu": k.indikator, "Target": k.target} for k in r.iki]
    df = pd.DataFrame(rows, columns=["Aspek", "Indikator Kinerja Individu", "Target"])
    return df.drop(columns=["Aspek"]) if jpt else df


def _parents(r: RhkView) -> None:
    st.caption("RHK pimpinan yang diintervensi")
    if not r.intervensi:
        st.markdown("_Tidak mengintervensi RHK pimpinan._")
    for p in r.intervensi:
        st.markdown(f"**{md(p.uraian)}**  \n{md(p.pemilik or '-')} · {md(p.jenis_cascading)} cascading · "
                    f"SKP pimpinan {md(p.status_skp)}")


def rhk_review(d: SkpDetail, key_prefix: str) -> dict[int, str]:
    """One card per RHK (the penilai's RHK on the left for JA/JF) with an optional note input each.
    Returns {rhk_id: note} for the notes typed."""
    jpt = d.format == "JPT"
    notes: dict[int, str] = {}
    if not d.rhk:
        st.info("SKP ini belum memiliki RHK.")
    for jenis, title in (("Utama", "A. Hasil kerja utama"), ("Tambahan", "B. Hasil kerja tambahan")):
        items = [r for r in d.rhk if r.jenis == jenis]
        if not items:
            continue
        st.markdown(f"**{title}**")
        for r in items:
            with st.container(border=True):
                if jpt:
                    mine = st.container()
                else:
                    left, mine = st.columns(2)
                    with left:
                        _parents(r)
                with mine:
                    extra = f" · {r.perspektif}" if jpt and r.perspektif else ""
                    st.caption(f"RHK {jenis} {r.nomor}{extra}")
                    st.markdown(f"**{md(r.uraian)}**")
                st.dataframe(_iki_frame(r, jpt), hide_index=True, width="stretch", placeholder="")
                if r.catatan_reviu:
                    st.caption(f"Catatan reviu sebelumnya: {r.catatan_reviu}")
                text = st.text_input(f"Catatan untuk RHK {jenis} {r.nomor} (opsional, dipakai bila dikembalikan)",
                                     key=f"{key_prefix}_{d.id}_{r.id}")
                if text and text.strip():
                    notes[r.id] = text.strip()
    return notes


def ekspektasi_inputs(d: SkpDetail, key_prefix: str) -> tuple[bool, dict[int, str]]:
    """The seven BerAKHLAK values with their guides and an input for Ekspektasi Khusus Pimpinan each.
    Returns (saved, values)."""
    empty = [p.nilai for p in d.perilaku if not (p.ekspektasi_khusus or "").strip()]
    if empty:
        st.warning(f"Ekspektasi khusus belum diisi untuk {len(empty)} dari {len(d.perilaku)} nilai: "
                   + ", ".join(empty) + ".")
    else:
        st.success("Ekspektasi khusus pimpinan sudah diisi untuk ketujuh nilai BerAKHLAK.")
    values: dict[int, str] = {}
    with st.form(f"{key_prefix}_{d.id}_{d.row_version}"):
        for p in d.perilaku:
            label = f"{p.urutan}. {p.nilai}" + ("" if p.ekspektasi_khusus else " — belum diisi")
            values[p.urutan] = st.text_area(label, value=p.ekspektasi_khusus or "", height=68,
                                            help="Panduan perilaku: " + "; ".join(p.panduan),
                                            key=f"{key_prefix}_{d.id}_{d.row_version}_{p.urutan}")
        saved = st.form_submit_button("Simpan ekspektasi khusus", icon=":material/save:")
    return saved, values
