"""Rendering helpers shared by the pegawai's SKP pages (pages/skp_saya.py, pages/skp_dokumen.py).

Only presentation: every read and write goes through services.skp*.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from services.core import fmt
from services.skp import SkpDetail, SkpSegment, Tenggat
from services.skp import target as skp_grid
from ui.actions import act

FLASH = "skp_page"
FORMAT_LABEL = {"JPT": "JPT (Jabatan Pimpinan Tinggi)", "JA/JF": "JA/JF (Jabatan Administrasi/Fungsional)"}
STATUS_ICON = {"DRAFT": ":material/edit_note:", "DIAJUKAN": ":material/hourglass_top:",
               "DIKEMBALIKAN": ":material/undo:", "DISETUJUI": ":material/verified:"}
REVISI_LABEL = {"DIAJUKAN": "Menunggu keputusan", "DITERIMA": "Diterima", "DITOLAK": "Ditolak"}


def attempt(call: Callable[[], object], success: str, flash_key: str = FLASH) -> None:
    """Run a service call; show its error in place, or leave a success message and rerun."""
    act(call, ok=success)

def segment_label(seg: SkpSegment) -> str:
    return (f"Segmen {seg.segment_no}: {fmt.tanggal(seg.tanggal_mulai)} – {fmt.tanggal(seg.tanggal_selesai)}"
            f" · {seg.jabatan or '-'} · {seg.status_label}")


def _orang(o) -> str:
    return f"{o.nama} (NIP {o.nip})" if o else "-"


def header(d: SkpDetail, t: Tenggat) -> None:
    """The SKP identity card: status, format, jabatan, reviewers, deadline."""
    with st.container(border=True):
        st.markdown(f"### {STATUS_ICON.get(d.status, '')} SKP {d.tahun} — {d.status_label}")
        c1, c2, c3 = st.columns(3)
        c1.markdown(f"**Status:** {d.status_label}  \n**Format:** {FORMAT_LABEL.get(d.format, d.format)}  \n"
                    f"**Versi:** {d.version_no}  \n**Pendekatan:** {d.pendekatan}")
        c2.markdown(f"**Jabatan:** {d.pegawai.jabatan or '-'}  \n**Unit kerja:** {d.pegawai.unit or '-'}  \n"
                    f"**Pangkat/golongan:** {d.pegawai.pangkat_golongan}  \n"
                    f"**Segmen {d.segment_no}:** {fmt.tanggal(d.tanggal_mulai)} – {fmt.tanggal(d.tanggal_selesai)}")
        c3.markdown(f"**Pejabat penilai:** {_orang(d.penilai)}  \n"
                    f"**Atasan pejabat penilai:** {_orang(d.atasan_penilai)}")
        if d.locked:
            st.caption(f"Disetujui oleh {d.decided_by or '-'} pada {fmt.waktu(d.decided_at)}.")
        else:
            text = f"Batas penetapan SKP: **{fmt.tanggal(t.batas)}** ({t.keterangan})."
            if t.lewat:
                st.markdown(f":red[:material/warning: {text}]")
            else:
                st.markdown(f":material/event: {text}")


def return_notes(d: SkpDetail) -> None:
    """The pejabat penilai's overall note and the notes per RHK of a returned SKP."""
    lines = [f"**SKP dikembalikan oleh pejabat penilai** ({d.decided_by or '-'}, {fmt.waktu(d.decided_at)}). "
             "Perbaiki sesuai catatan berikut, simpan, lalu ajukan kembali.",
             "", f"**Catatan umum:** {d.catatan_pengembalian or '-'}"]
    per_rhk = [r for r in d.rhk if r.catatan_reviu]
    if per_rhk:
        lines += ["", "**Catatan per RHK:**"]
        lines += [f"- **RHK {r.jenis} {r.nomor}** — {r.uraian}: {r.catatan_reviu}" for r in per_rhk]
    st.warning("\n".join(lines), icon=":material/undo:")


def rhk_frame(d: SkpDetail) -> pd.DataFrame:
    """Hasil kerja as a read-only table: one row per IKI."""
    jpt = d.format == "JPT"
    rows = []
    for r in d.rhk:
        parents = "; ".join(f"{p.uraian} ({p.jenis_cascading})" for p in r.intervensi) or None
        for k in r.iki or (None,):
            row = {"Jenis": r.jenis, "No": r.nomor, "Rencana Hasil Kerja": r.uraian}
            if jpt:
                row["Perspektif"] = r.perspektif
            else:
                row["RHK Pimpinan yang Diintervensi"] = parents
                row["Aspek"] = k.aspek if k else None
            row["Indikator Kinerja Individu"] = k.indikator if k else None
            row["Target"] = k.target if k else None
            rows.append(row)
    cols = ["Jenis", "No", "Rencana Hasil Kerja"] + (
        ["Perspektif"] if jpt else ["RHK Pimpinan yang Diintervensi", "Aspek"]) + [
        "Indikator Kinerja Individu", "Target"]
    return pd.DataFrame(rows, columns=cols)


def show_rhk(d: SkpDetail) -> None:
    df = rhk_frame(d)
    if df.empty:
        st.info("SKP ini belum berisi Rencana Hasil Kerja.")
    else:
        st.dataframe(df, hide_index=True, width="stretch", placeholder="")


def perilaku_frame(d: SkpDetail) -> pd.DataFrame:
    return pd.DataFrame(
        [{"No": p.urutan, "Perilaku Kerja": p.nilai,
          "Panduan Perilaku": " · ".join(f"{n}. {g}" for n, g in enumerate(p.panduan, start=1)),
          "Ekspektasi Khusus Pimpinan": p.ekspektasi_khusus or "-"} for p in d.perilaku],
        columns=["No", "Perilaku Kerja", "Panduan Perilaku", "Ekspektasi Khusus Pimpinan"])


def show_perilaku(d: SkpDetail) -> None:
    st.caption("Tujuh nilai inti BerAKHLAK dengan panduan perilakunya; Ekspektasi Khusus Pimpinan diisi oleh "
               "pejabat penilai.")
    st.dataframe(perilaku_frame(d), hide_index=True, width="stretch",
                 column_config={"No": st.column_config.NumberColumn("No", width="small"),
                                "Panduan Perilaku": st.column_config.TextColumn(width="large")}, placeholder="")


def show_lampiran(d: SkpDetail) -> None:
    for jenis, items in d.lampiran.items():
        st.markdown(f"**{jenis}**")
        st.markdown("\n".join(f"{n}. {x}" for n, x in enumerate(items, start=1)) if items else "_(kosong)_")


def grid_config(fmt_skp: str, parent_labels: list[str]) -> tuple[dict, tuple[str, ...]]:
    """Column config and visible columns of the hasil kerja grid for the SKP's format."""
    L, col = skp_grid.LABELS, st.column_config
    config = {
        "jenis": col.SelectboxColumn(L["jenis"], options=skp_grid.JENIS_OPTIONS, width="small",
                                     help="Utama atau Tambahan; kosong = Utama"),
        "rhk_atasan": col.SelectboxColumn(L["rhk_atasan"], options=parent_labels, width="large",
                                          help="RHK pejabat penilai yang diintervensi oleh RHK ini"),
        "cascading": col.SelectboxColumn(L["cascading"], options=skp_grid.CASCADING_OPTIONS, width="small"),
        "rhk": col.TextColumn(L["rhk"], width="large", max_chars=skp_grid.MAX_TEXT,
                              help="Kosongkan untuk menambah indikator pada RHK baris di atasnya"),
        "aspek": col.SelectboxColumn(L["aspek"], options=skp_grid.ASPEK_OPTIONS, width="small"),
        "perspektif": col.SelectboxColumn(L["perspektif"], options=skp_grid.PERSPEKTIF_OPTIONS, width="medium"),
        "indikator": col.TextColumn(L["indikator"], width="large", max_chars=skp_grid.MAX_TEXT),
        "target_min": col.NumberColumn(L["target_min"], min_value=0, format="localized"),
        "target_max": col.NumberColumn(L["target_max"], min_value=0, format="localized",
                                       help="Isi bila target berupa rentang; kosong = satu nilai target"),
        "satuan": col.TextColumn(L["satuan"], max_chars=skp_grid.MAX_SATUAN, width="small"),
    }
    shown = tuple(c for c in skp_grid.COLUMNS[fmt_skp] if c not in ("id", "rhk_id"))
    return {k: v for k, v in config.items() if k in shown}, shown


def revisions(d: SkpDetail) -> None:
    """The history of revision requests of this SKP (if any)."""
    if not d.revisions:
        return
    df = pd.DataFrame([{"Versi": r.version_no, "Alasan": r.alasan, "Status": REVISI_LABEL.get(r.status, r.status),
                        "Diminta": fmt.waktu(r.requested_at), "Diputuskan": fmt.waktu(r.decided_at),
                        "Catatan pejabat penilai": r.catatan_keputusan or "-"} for r in d.revisions])
    with st.expander(f"Riwayat permintaan revisi ({len(df)})"):
        st.dataframe(df, hide_index=True, width="stretch", placeholder="")


def versions_frame(d: SkpDetail) -> pd.DataFrame:
    rows = [{"Versi": v.version_no, "Status": "Disetujui", "Disetujui pada": fmt.waktu(v.approved_at),
             "Disetujui oleh": v.approved_by or "-", "Keterangan": v.alasan or "-"} for v in d.versions]
    if d.version_no not in {v.version_no for v in d.versions}:
        rows.append({"Versi": d.version_no, "Status": f"{d.status_label} (berjalan)", "Disetujui pada": "-",
                     "Disetujui oleh": "-", "Keterangan": "Versi yang sedang disusun"})
    return pd.DataFrame(rows, columns=["Versi", "Status", "Disetujui pada", "Disetujui oleh", "Keterangan"])
