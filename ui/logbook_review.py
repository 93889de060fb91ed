"""Rendering helpers for the logbook review and monitoring pages (pages/logbook_penilaian.py,
pages/logbook_monitoring.py): widget keys, flash messages, the review table, the heat map and the Excel file.
Nothing here calls a service that writes: the pages do, and show the outcome."""

from __future__ import annotations

import hashlib
import re

import altair as alt
import pandas as pd
import streamlit as st

from services.core import Actor, Role, ValidationFailed, export, fmt
from services.logbook import PEGAWAI_LABELS, REVIEWER_LABELS, TeamCompleteness

FLASH_KEY = "penilaian_lb__flash"
VERSION_KEY = "penilaian_lb__versi"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]$~<>|])")
DECISION_DONE = {"setujui": "disetujui", "kembalikan": "dikembalikan untuk revisi", "tolak": "ditolak"}
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]

VIEW_LABELS = {
    "pegawai": "Pegawai", "tanggal": "Tanggal", "jam": "Jam", "durasi_menit": "Durasi (menit)", "rhk": "RHK",
    "uraian": "Uraian Kegiatan", "volume": "Volume", "satuan": "Satuan", "bukti_link": "Bukti Dukung",
    "lampiran": "Lampiran", "status": "Status", "terlambat": "Terlambat", "justifikasi_terlambat": "Justifikasi Terlambat",
    "catatan_hari_libur": "Catatan Hari Libur", "catatan_pertimbangan": "Catatan Pertimbangan",
    "catatan_penilai": "Catatan Penilai", "batas_penilaian": "Batas Penilaian", "lewat_batas": "Lewat Batas",
}
NOTE_COLUMN = "Catatan per kegiatan"


def md(text: object) -> str:
    """User text shown literally inside markdown (no formatting, links or LaTeX)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text if text is not None else "-"))


def is_pertimbangan(actor: Actor) -> bool:
    return actor.has(Role.PEMBERI_PERTIMBANGAN)


def version() -> int:
    """Bumped after every decision so selections and notes start afresh."""
    return int(st.session_state.get(VERSION_KEY, 0))


def queue_key() -> str:
    """The widget key of the review table now; tests set its selection state under this key."""
    return f"penilaian_lb_antrian__{version()}"


def note_key() -> str:
    return f"penilaian_lb_catatan__{version()}"


def row_notes_key(ids: list[int]) -> str:
    """Key of the per-row note editor: tied to the selection so positions never point at other rows."""
    digest = hashlib.blake2b(",".join(map(str, ids)).encode(), digest_size=8).hexdigest()[:10]
    return f"penilaian_lb_catatan_baris__{version()}_{digest}"


def done(message: str) -> None:
    """After a successful action: keep the message for the next run, reset selections, rerun."""
    st.session_state[FLASH_KEY] = message
    st.session_state[VERSION_KEY] = version() + 1
    st.rerun()


def flash() -> None:
    if msg := st.session_state.pop(FLASH_KEY, None):
        st.success(msg)


def show_errors(heading: str, err: ValidationFailed) -> None:
    st.error(heading)
    st.markdown("\n".join(f"- {md(e.field)}: {md(e.message)}" for e in err.errors))


def queue_view(queue: pd.DataFrame) -> pd.DataFrame:
    """The review queue with Indonesian headers; overdue rows flagged, booleans as Ya/-."""
    view = queue[list(VIEW_LABELS)].copy()
    view["terlambat"] = view["terlambat"].map(lambda v: "Ya" if v else "").astype(object)
    view["lewat_batas"] = view["lewat_batas"].map(lambda v: "⚠ Lewat batas" if v else "").astype(object)
    return view.rename(columns=VIEW_LABELS)


QUEUE_CONFIG = {
    "Tanggal": st.column_config.DateColumn("Tanggal", format="DD/MM/YYYY"),
    "Batas Penilaian": st.column_config.DateColumn("Batas Penilaian", format="DD/MM/YYYY"),
    "Bukti Dukung": st.column_config.LinkColumn("Bukti Dukung"),
    "Uraian Kegiatan": st.column_config.TextColumn("Uraian Kegiatan", width="large"),
}


def row_notes(chosen: pd.DataFrame) -> dict[int, str]:
    """An editor with one optional note per selected entry; returns {entry id: note} for the filled ones."""
    ids = [int(i) for i in chosen["id"]]
    base = pd.DataFrame({"Pegawai": list(chosen["pegawai"]), "Tanggal": list(chosen["tanggal"]),
                         "Uraian Kegiatan": list(chosen["uraian"]), NOTE_COLUMN: [""] * len(ids)})
    edited = st.data_editor(base, key=row_notes_key(ids), hide_index=True, width="stretch",
                            disabled=["Pegawai", "Tanggal", "Uraian Kegiatan"],
                            column_config={"Tanggal": st.column_config.DateColumn("Tanggal", format="DD/MM/YYYY"),
                                           NOTE_COLUMN: st.column_config.TextColumn(NOTE_COLUMN, max_chars=2000)}, placeholder="")
    out: dict[int, str] = {}
    for i, note in zip(ids, edited[NOTE_COLUMN], strict=True):
        if isinstance(note, str) and note.strip():
            out[i] = note.strip()
    return out


def late_notice(chosen: pd.DataFrame) -> None:
    """Late entries in the selection with their justification (approving accepts the justification)."""
    late = chosen[chosen["terlambat"].astype(bool)]
    if late.empty:
        return
    lines = [f"- {md(r.pegawai)}, {fmt.tanggal(r.tanggal, 'medium')}: {md(r.justifikasi_terlambat or '(tanpa justifikasi)')}"
             for r in late.itertuples()]
    st.warning(f"{len(late)} kegiatan terpilih diisi setelah batas pengisian. Menyetujuinya berarti menerima "
               "justifikasi keterlambatan berikut:\n" + "\n".join(lines))


# --- monitoring -----------------------------------------------------------------------------------------------


def completeness_view(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=["pegawai_id"]).rename(columns=PEGAWAI_LABELS)


def reviewers_view(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=["penilai_id"]).rename(columns=REVIEWER_LABELS)


def completeness_xlsx(t: TeamCompleteness, pegawai: pd.DataFrame) -> bytes:
    """The (filtered) completeness table and the reviewers as .xlsx; the page records the export on click."""
    return export.to_excel_bytes({"Kelengkapan": completeness_view(pegawai),
                                  "Penilaian": reviewers_view(t.reviewers)})


def heatmap_chart(df: pd.DataFrame) -> alt.Chart:
    """Calendar heat map of one month: columns Senin…Minggu, one row per calendar week, colour = minutes."""
    data = df.assign(
        hari_label=df["hari_ke"].map(lambda i: HARI[int(i)]),
        tgl=df["tanggal"].map(lambda d: d.day),
        tanggal_label=df["tanggal"].map(lambda d: fmt.tanggal(d)),
        status=df.apply(lambda r: "Libur" if not r["kerja"] else ("Terisi" if r["terisi"] else "Belum terisi"),
                        axis=1),
    )
    base = alt.Chart(data).encode(
        x=alt.X("hari_label:N", sort=HARI, title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("minggu_ke:O", title=None, axis=None),
    )
    rect = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.condition(
            "datum.kerja", alt.Color("menit:Q", title="Menit", scale=alt.Scale(scheme="greens")),
            alt.value("#e0e0e0")),
        tooltip=[alt.Tooltip("tanggal_label:N", title="Tanggal"), alt.Tooltip("hari_label:N", title="Hari"),
                 alt.Tooltip("status:N", title="Keterangan"), alt.Tooltip("keterangan:N", title="Hari libur"),
                 alt.Tooltip("jumlah:Q", title="Jumlah kegiatan", format="d"),
                 alt.Tooltip("menit:Q", title="Menit", format="d"),
                 alt.Tooltip("menit_disetujui:Q", title="Menit disetujui", format="d")],
    )
    text = base.mark_text(baseline="middle").encode(text="tgl:Q")
    return (rect + text).properties(height=6 * 40)
