"""UI helpers of "Evaluasi Kinerja Saya" (pages/evaluasi_saya.py): slot choice, header card, grid frames and
column configs, the read-only result of the penilaian."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from services.core import fmt
from services.evaluasi import EvaluasiDetail
from ui.actions import act
from ui.grid import GridEdit

FLASH = "evaluasi_saya"
NUM = {"step": 0.01, "min_value": 0.0, "format": "localized"}  # 2,5 not 2.5
POLARITAS = ["positif", "negatif"]
RATED = ("DINILAI", "DIKEMBALIKAN", "DISETUJUI")
STATUS_ICON = {"DRAFT": ":material/edit_note:", "DIAJUKAN": ":material/send:", "DINILAI": ":material/grading:",
               "DIKEMBALIKAN": ":material/undo:", "DISETUJUI": ":material/verified:"}


# --- slots ------------------------------------------------------------------------------------------------------


def slot_key(row) -> str:
    return f"{int(row['skp_id'])}|{row['jenis']}|{int(row['nomor'])}"


def slot_labels(slots: pd.DataFrame) -> dict[str, str]:
    multi = slots["segment_no"].nunique() > 1
    out = {}
    for _, r in slots.iterrows():
        seg = f"Segmen {r['segment_no']} · " if multi else ""
        late = " · ⚠ terlambat" if r["terlambat"] else ""
        out[slot_key(r)] = f"{seg}{r['label']} ({fmt.tanggal(r['mulai'], 'd MMM')} – " \
                           f"{fmt.tanggal(r['selesai'], 'd MMM y')}) · {r['status']}{late}"
    return out


def default_slot(slots: pd.DataFrame, today: dt.date) -> str:
    """The earliest ended periodic slot still open for the pegawai (its realisasi is due); else the latest started
    periodic slot still open (not created or draft); else the latest started periodic slot; else the first."""
    periodic = slots[(slots["jenis"] == "Periodik") & (slots["mulai"] <= today)]
    open_ = periodic[periodic["status"].isin(["Belum dibuat", "Draf (diisi pegawai)"])]
    due = open_[open_["selesai"] < today]
    if not due.empty:
        return slot_key(due.iloc[0])
    for frame in (open_, periodic, slots):
        if not frame.empty:
            return slot_key(frame.iloc[-1])
    return slot_key(slots.iloc[0])


# --- header -------------------------------------------------------------------------------------------------------


def _orang(o) -> str:
    return f"{o.nama} (NIP {o.nip})" if o else "-"


def header(d: EvaluasiDetail, today: dt.date) -> None:
    j = d.jadwal
    with st.container(border=True):
        st.markdown(f"### {STATUS_ICON.get(d.status, '')} {d.label} — {d.status_label}")
        c1, c2, c3 = st.columns(3)
        c1.markdown(f"**Status:** {d.status_label}  \n**Periode:** {fmt.tanggal(d.mulai)} – {fmt.tanggal(d.selesai)}"
                    f"  \n**Jabatan:** {d.pegawai.jabatan or '-'}")
        late = lambda due, done: " :red[(lewat)]" if today > due and not done else ""  # noqa: E731
        planned = bool(d.rencana_aksi)
        submitted = d.status != "DRAFT"
        c2.markdown(f"**Batas rencana aksi:** {fmt.tanggal(j.rencana_aksi)}{late(j.rencana_aksi, planned)}  \n"
                    f"**Batas realisasi:** {fmt.tanggal(j.realisasi)}{late(j.realisasi, submitted)}  \n"
                    f"**Batas penilaian:** {fmt.tanggal(j.penilaian)}")
        c3.markdown(f"**Pejabat penilai:** {_orang(d.penilai)}  \n**Atasan pejabat penilai:** {_orang(d.atasan)}  \n"
                    f"**Pemberi pertimbangan:** {_orang(d.pemberi_pertimbangan)}")
        if d.submitted_at:
            st.caption(f"Diajukan {fmt.waktu(d.submitted_at)}.")
    if d.catatan_pengembalian and d.status == "DRAFT":
        st.warning(f"**Realisasi dikembalikan pejabat penilai:** {d.catatan_pengembalian}", icon=":material/undo:")


# --- frames and column configs -------------------------------------------------------------------------------------


def _f(x) -> float | None:
    return None if x is None else float(x)


def _floats(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    """Numeric columns as float64 (empty = NaN): an all-empty object column would show the text "None"."""
    for c in cols:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    return df


def rencana_frame(d: EvaluasiDetail) -> pd.DataFrame:
    return pd.DataFrame([{"id": r.id, "rhk": r.rhk_label, "uraian": r.uraian, "target": _f(r.target),
                          "satuan": r.satuan} for r in d.rencana_aksi],
                        columns=["id", "rhk", "uraian", "target", "satuan"]).pipe(_floats, "target")


def rencana_config(options: Iterable[str]) -> dict:
    cc = st.column_config
    return {"rhk": cc.SelectboxColumn("RHK", options=list(options), required=True, width="medium"),
            "uraian": cc.TextColumn("Rencana Aksi", required=True, max_chars=1000, width="large"),
            "target": cc.NumberColumn("Target", **NUM), "satuan": cc.TextColumn("Satuan", max_chars=60)}


def iki_target_frame(d: EvaluasiDetail) -> pd.DataFrame:
    return pd.DataFrame([{"id": i.id, "indikator": i.indikator, "satuan": i.satuan, "target_min": _f(i.target_min),
                          "target_max": _f(i.target_max), "polaritas": i.polaritas} for i in d.iki],
                        columns=["id", "indikator", "satuan", "target_min", "target_max", "polaritas"]
                        ).pipe(_floats, "target_min", "target_max")


def iki_target_config() -> dict:
    cc = st.column_config
    return {"indikator": cc.TextColumn("Indikator Kinerja Individu", width="large"), "satuan": cc.TextColumn("Satuan"),
            "target_min": cc.NumberColumn("Target Minimal", required=True, **NUM),
            "target_max": cc.NumberColumn("Target Maksimal", **NUM),
            "polaritas": cc.SelectboxColumn("Polaritas", options=POLARITAS, required=True,
                                            help="positif: makin tinggi makin baik; negatif: makin rendah makin baik")}


def ra_realisasi_frame(d: EvaluasiDetail) -> pd.DataFrame:
    return pd.DataFrame([{"id": r.id, "rhk": r.rhk_label, "uraian": r.uraian,
                          "target": f"{fmt.angka(r.target)} {r.satuan or ''}".strip() if r.target is not None else "",
                          "realisasi": _f(r.realisasi), "realisasi_uraian": r.realisasi_uraian,
                          "bukti_dukung": r.bukti_dukung} for r in d.rencana_aksi],
                        columns=["id", "rhk", "uraian", "target", "realisasi", "realisasi_uraian", "bukti_dukung"]
                        ).pipe(_floats, "realisasi")


def ra_realisasi_config() -> dict:
    cc = st.column_config
    return {"rhk": cc.TextColumn("RHK"), "uraian": cc.TextColumn("Rencana Aksi", width="medium"),
            "target": cc.TextColumn("Target"), "realisasi": cc.NumberColumn("Realisasi", **NUM),
            "realisasi_uraian": cc.TextColumn("Realisasi (uraian berdasarkan bukti dukung)", width="large"),
            "bukti_dukung": cc.TextColumn("Bukti Dukung (tautan)", width="large",
                                          help="Tautan http(s)://; beberapa tautan dipisah spasi atau baris baru")}


def iki_realisasi_frame(d: EvaluasiDetail) -> pd.DataFrame:
    return pd.DataFrame([{"id": i.id, "indikator": i.indikator, "target": i.target_label, "polaritas": i.polaritas,
                          "realisasi": _f(i.realisasi),
                          "capaian": fmt.angka(i.capaian) if i.capaian is not None else "–"} for i in d.iki],
                        columns=["id", "indikator", "target", "polaritas", "realisasi", "capaian"]
                        ).pipe(_floats, "realisasi")


def iki_realisasi_config() -> dict:
    cc = st.column_config
    return {"indikator": cc.TextColumn("Indikator Kinerja Individu", width="large"), "target": cc.TextColumn("Target"),
            "polaritas": cc.TextColumn("Polaritas"), "realisasi": cc.NumberColumn("Realisasi", **NUM),
            "capaian": cc.TextColumn("Capaian (%)", help="Dihitung otomatis saat disimpan")}


def hasil_frame(d: EvaluasiDetail) -> pd.DataFrame:
    return pd.DataFrame([{"id": h.id, "jenis": h.jenis, "rhk": h.rhk_label, "realisasi": h.realisasi} for h in d.hasil],
                        columns=["id", "jenis", "rhk", "realisasi"])


def hasil_config() -> dict:
    cc = st.column_config
    return {"jenis": cc.TextColumn("Jenis"), "rhk": cc.TextColumn("Rencana Hasil Kerja", width="medium"),
            "realisasi": cc.TextColumn("Realisasi (ringkasan)", width="large", max_chars=4000)}


def logbook_frame(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=["rhk_id"]).rename(columns={
        "rhk": "RHK", "kegiatan": "Kegiatan disetujui", "menit": "Menit", "volume": "Volume", "bukti": "Tautan bukti"})


def readonly(df: pd.DataFrame, config: dict) -> None:
    labels = {k: v.get("label") if isinstance(v, dict) else None for k, v in config.items()}
    shown = df.drop(columns=["id"]).rename(columns={k: v for k, v in labels.items() if v})
    if shown.empty:
        st.caption("Belum ada data.")
    else:
        st.dataframe(shown, hide_index=True, width="stretch", placeholder="")


# --- actions -------------------------------------------------------------------------------------------------------


def attempt(call: Callable[[], object], success: Callable[[object], str] | str,
            grids: Iterable[GridEdit] = ()) -> None:
    """Run a service call; on error show it and keep every grid as typed; on success reset the grids, leave the
    message and rerun."""
    act(call, ok=success, then=lambda _: [g.reset() for g in grids])

# --- result of the penilaian -----------------------------------------------------------------------------------------


def hasil_penilaian(d: EvaluasiDetail) -> None:
    if d.pertimbangan_catatan or d.pertimbangan_rating_hasil:
        with st.container(border=True):
            st.markdown(f"**Pertimbangan** dari {d.pertimbangan_oleh or '-'} ({fmt.waktu(d.pertimbangan_at)})")
            st.markdown(d.pertimbangan_catatan or "-")
    if d.status not in RATED:
        st.info("Hasil penilaian tampil setelah pejabat penilai memberi rating dan predikat.")
        return
    with st.container(border=True):
        c1, c2, c3 = st.columns(3)
        c1.metric("Rating Hasil Kerja", d.rating_hasil_kerja or "-")
        c2.metric("Rating Perilaku Kerja", d.rating_perilaku_kerja or "-")
        c3.metric("Predikat Kinerja", d.predikat or "-")
        if d.predikat_organisasi:
            st.caption(f"Rating hasil kerja mengikuti predikat kinerja organisasi: {d.predikat_organisasi}.")
        if d.predikat_alasan:
            st.markdown(f"**Alasan predikat:** {d.predikat_alasan}")
        if d.rekomendasi:
            st.markdown(f"**Catatan/rekomendasi pejabat penilai:** {d.rekomendasi}")
        st.caption(f"Dinilai oleh {d.dinilai_oleh or '-'} pada {fmt.waktu(d.dinilai_at)}"
                   + (f"; disetujui oleh {d.disetujui_oleh or '-'} pada {fmt.waktu(d.disetujui_at)}."
                      if d.status == "DISETUJUI" else "; menunggu persetujuan atasan pejabat penilai."))
    st.markdown("**Umpan balik per RHK**")
    st.dataframe(pd.DataFrame([{"RHK": h.rhk_label, "Realisasi": h.realisasi or "-", "Umpan Balik": h.umpan_balik or "-"}
                               for h in d.hasil]), hide_index=True, width="stretch", placeholder="")
    ra = [r for r in d.rencana_aksi if r.umpan_balik]
    if ra:
        st.dataframe(pd.DataFrame([{"Rencana Aksi": r.uraian, "Umpan Balik": r.umpan_balik} for r in ra]),
                     hide_index=True, width="stretch", placeholder="")
    st.markdown("**Umpan balik perilaku kerja**")
    st.dataframe(pd.DataFrame([{"Perilaku Kerja": p.nilai, "Ekspektasi Khusus": p.ekspektasi_khusus or "-",
                                "Umpan Balik": p.umpan_balik or "-"} for p in d.perilaku]),
                 hide_index=True, width="stretch", placeholder="")
