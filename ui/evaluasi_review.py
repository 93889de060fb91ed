"""Rendering helpers for the reviewer pages of the evaluasi kinerja (pages/evaluasi_penilaian.py,
pages/evaluasi_pertimbangan.py, pages/evaluasi_persetujuan.py): widget keys, flash messages, period filters, the
bulk rating grid frame with its predikat preview, and read-only views of one evaluation. Nothing here calls a
service that writes: the pages do, and show the outcome."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services.core import fmt
from services.evaluasi import EvaluasiDetail
from services.evaluasi import penilaian as ep
from ui import actions
from ui.text import md  # noqa: F401  (re-exported: pages call rv.md)

GRID_KEY = "nilai_grid"
GRID_COLUMNS = ["evaluasi_id", "version", "pegawai", "periode", "status", "capaian_ringkas", "pertimbangan",
                "rating_hasil_kerja", "rating_perilaku_kerja", "predikat", "feedback_lengkap"]
GRID_EDITABLE = ("rating_hasil_kerja", "rating_perilaku_kerja")
TABLE_LABELS = {**ep.QUEUE_LABELS, "feedback_lengkap": "Umpan Balik"}


def version(prefix: str) -> int:
    """Bumped after every action so selections and notes start afresh."""
    return actions.version(prefix)


def period_filter(prefix: str, *, with_subperiod: bool = True) -> tuple[int, str, int | None] | None:
    """Period, kind (Periodik/Tahunan) and sub-period (None = all) selectors; None when there is no period."""
    periods = ep.periods()
    if periods.empty:
        st.info("Belum ada periode kinerja. Admin SDM perlu membuka periode terlebih dahulu.")
        return None
    by_id = {int(r.id): r for r in periods.itertuples()}
    opened = [i for i, r in by_id.items() if r.status == "Dibuka"]
    ids = list(by_id)
    c1, c2, c3 = st.columns([1, 1, 2])
    pid = c1.selectbox("Periode", ids, index=ids.index(opened[0]) if opened else 0, key=f"{prefix}_periode",
                       format_func=lambda i: f"{by_id[i].tahun} ({by_id[i].status})")
    jenis = c2.selectbox("Jenis evaluasi", ["Periodik", "Tahunan"], key=f"{prefix}_jenis")
    nomor = None
    if jenis == "Periodik" and with_subperiod:
        subs = ep.subperiod_options(pid)
        nomor = c3.selectbox("Periode evaluasi", [None, *subs], key=f"{prefix}_nomor_{pid}",
                             format_func=lambda n: f"Semua ({by_id[pid].periode_evaluasi})" if n is None else subs[n])
    return pid, jenis, nomor


def overdue_warning(queue: pd.DataFrame, step: str) -> None:
    late = queue[queue["terlambat"].astype(bool)]
    if not late.empty:
        st.warning(f"⚠ {len(late)} evaluasi melewati batas {step}: "
                   + ", ".join(f"{md(r.pegawai)} ({r.periode}, batas {fmt.tanggal(r.batas)})"
                               for r in late.itertuples()))


# --- the bulk rating grid -----------------------------------------------------------------------------------


def grid_frame(queue: pd.DataFrame) -> pd.DataFrame:
    """The grid's data: unit heads show their organisational Rating Hasil Kerja (or a placeholder)."""
    df = queue[GRID_COLUMNS].copy().reset_index(drop=True)
    heads = queue["pimpinan_unit"].astype(bool).to_numpy()
    fixed = queue["rating_hasil_tetap"].to_numpy()
    df["rating_hasil_kerja"] = [
        (fixed[i] or ep.DARI_ORGANISASI) if heads[i] else v for i, v in enumerate(df["rating_hasil_kerja"])]
    df["feedback_lengkap"] = df["feedback_lengkap"].map(lambda v: "✓" if v else "✗ belum lengkap").astype(object)
    for col in ("pertimbangan", "rating_perilaku_kerja", "predikat"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df


def with_preview(df: pd.DataFrame, state: dict | None) -> pd.DataFrame:
    """The predikat column as the matrix gives it for the ratings currently in the editor (stored ratings with the
    pending edits applied), so the penilai sees the result before saving."""
    out = df.copy()
    edits = (state or {}).get("edited_rows") or {}
    for pos, delta in edits.items():
        i = int(pos)
        if not 0 <= i < len(out):
            continue
        h = delta.get("rating_hasil_kerja", out.at[i, "rating_hasil_kerja"])
        p = delta.get("rating_perilaku_kerja", out.at[i, "rating_perilaku_kerja"])
        pred, _ = ep.preview_predikat(h, p)
        out.at[i, "predikat"] = f"{pred} (pratinjau)" if pred else None
    return out


def grid_config() -> dict:
    options = [*ep.RATINGS, ep.DARI_ORGANISASI]
    return {
        "pegawai": st.column_config.TextColumn("Pegawai", width="medium"),
        "periode": st.column_config.TextColumn("Periode"),
        "status": st.column_config.TextColumn("Status"),
        "capaian_ringkas": st.column_config.TextColumn("Capaian IKI"),
        "pertimbangan": st.column_config.TextColumn("Pertimbangan Ketua Tim", width="medium"),
        "rating_hasil_kerja": st.column_config.SelectboxColumn(
            "Rating Hasil Kerja", options=options, width="medium",
            help="Pimpinan unit: mengikuti predikat kinerja organisasi unitnya (tidak dipilih penilai)."),
        "rating_perilaku_kerja": st.column_config.SelectboxColumn("Rating Perilaku Kerja", options=list(ep.RATINGS),
                                                                  width="medium"),
        "predikat": st.column_config.TextColumn("Predikat", help="Dihitung dari matriks PermenPANRB 6/2022."),
        "feedback_lengkap": st.column_config.TextColumn("Umpan Balik"),
    }


# --- one evaluation -----------------------------------------------------------------------------------------


def identity(d: EvaluasiDetail) -> None:
    p = d.pegawai
    st.markdown(f"**{md(p.nama)}** — NIP {p.nip} · {md(p.jabatan)} · {md(d.unit_nama)}  \n"
                f"{d.label} ({fmt.tanggal(d.mulai)} – {fmt.tanggal(d.selesai)}) · Status: **{d.status_label}**")
    if d.pimpinan_unit:
        st.caption("Pegawai ini memimpin unit kerja: Rating Hasil Kerja diambil dari predikat kinerja organisasi "
                   "unitnya (SE MenPANRB 3/2023).")
    if d.catatan_pegawai:
        st.caption(f"Catatan pegawai: {md(d.catatan_pegawai)}")
    if d.pertimbangan_catatan:
        saran = " / ".join(x for x in (d.pertimbangan_rating_hasil and f"HK {d.pertimbangan_rating_hasil}",
                                       d.pertimbangan_rating_perilaku and f"PK {d.pertimbangan_rating_perilaku}") if x)
        st.info(f"Pertimbangan {md(d.pertimbangan_oleh)}: {md(d.pertimbangan_catatan)}"
                + (f" (saran: {saran})" if saran else ""))
    if d.catatan_atasan and d.status == "DIKEMBALIKAN":
        st.warning(f"Dikembalikan atasan pejabat penilai: {md(d.catatan_atasan)}")
    elif d.catatan_atasan:
        st.caption(f"Catatan atasan pejabat penilai: {md(d.catatan_atasan)}")


def rencana_frame(d: EvaluasiDetail) -> pd.DataFrame:
    return pd.DataFrame([{"id": r.id, "RHK": r.rhk_label, "Rencana Aksi": r.uraian,
                          "Target": f"{fmt.angka(r.target)} {r.satuan or ''}".strip() if r.target is not None else "-",
                          "Realisasi": fmt.angka(r.realisasi) if r.realisasi is not None else "-",
                          "Realisasi (uraian)": r.realisasi_uraian, "Bukti Dukung": r.bukti_dukung,
                          "Umpan Balik": r.umpan_balik or ""} for r in d.rencana_aksi],
                        columns=["id", "RHK", "Rencana Aksi", "Target", "Realisasi", "Realisasi (uraian)",
                                 "Bukti Dukung", "Umpan Balik"])


def iki_frame(d: EvaluasiDetail) -> pd.DataFrame:
    return pd.DataFrame([{"Indikator": i.indikator, "Target": i.target_label, "Polaritas": i.polaritas,
                          "Realisasi": fmt.angka(i.realisasi) if i.realisasi is not None else "-",
                          "Capaian (%)": fmt.angka(i.capaian) if i.capaian is not None else "-"} for i in d.iki],
                        columns=["Indikator", "Target", "Polaritas", "Realisasi", "Capaian (%)"])


def hasil_frame(d: EvaluasiDetail) -> pd.DataFrame:
    return pd.DataFrame([{"id": h.id, "RHK": h.rhk_label, "Jenis": h.jenis, "Realisasi": h.realisasi or "-",
                          "Umpan Balik": h.umpan_balik or ""} for h in d.hasil],
                        columns=["id", "RHK", "Jenis", "Realisasi", "Umpan Balik"])


def perilaku_frame(d: EvaluasiDetail) -> pd.DataFrame:
    return pd.DataFrame([{"id": p.id, "Nilai": p.nilai, "Ekspektasi Khusus": p.ekspektasi_khusus or "-",
                          "Umpan Balik": p.umpan_balik or ""} for p in d.perilaku],
                        columns=["id", "Nilai", "Ekspektasi Khusus", "Umpan Balik"])


def feedback_editor(df: pd.DataFrame, key: str) -> dict[int, str | None]:
    """An editor where only the Umpan Balik column is editable; returns {row id: text} for every row."""
    edited = st.data_editor(df, key=key, hide_index=True, width="stretch", num_rows="fixed",
                            disabled=[c for c in df.columns if c != "Umpan Balik"], column_order=list(df.columns[1:]),
                            column_config={
                                # the context columns stay narrow so Umpan Balik is on screen without scrolling
                                **{c: st.column_config.TextColumn(c, width="medium") for c in df.columns
                                   if c not in ("id", "Umpan Balik", "Jenis", "Target")},
                                "Umpan Balik": st.column_config.TextColumn("Umpan Balik", width="large",
                                                                           max_chars=4000)}, placeholder="")
    return {int(i): (t if isinstance(t, str) else None) for i, t in zip(df["id"], edited["Umpan Balik"], strict=True)}


def realisasi_view(d: EvaluasiDetail) -> None:
    """Read-only rencana aksi, realisasi and IKI capaian."""
    st.markdown("**Rencana aksi dan realisasi**")
    ra = rencana_frame(d)
    if ra.empty:
        st.caption("Belum ada rencana aksi.")
    else:
        st.dataframe(ra.drop(columns=["id"]), hide_index=True, width="stretch",
                     column_config={"Bukti Dukung": st.column_config.TextColumn("Bukti Dukung")}, placeholder="")
    st.markdown("**Capaian IKI**")
    st.dataframe(iki_frame(d), hide_index=True, width="stretch", placeholder="")
    hasil = hasil_frame(d)
    if not hasil.empty:
        st.markdown("**Realisasi per RHK**")
        st.dataframe(hasil[["RHK", "Jenis", "Realisasi"]], hide_index=True, width="stretch", placeholder="")


def table(queue: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Selected queue columns with Indonesian headers (booleans as ✓/✗)."""
    view = queue[columns].copy()
    if "feedback_lengkap" in view:
        view["feedback_lengkap"] = view["feedback_lengkap"].map(lambda v: "✓" if v else "✗").astype(object)
    if "terlambat" in view:
        view["terlambat"] = view["terlambat"].map(lambda v: "⚠ Lewat batas" if v else "").astype(object)
    return view.rename(columns=TABLE_LABELS)
