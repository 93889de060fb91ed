"""Rendering helpers for the logbook review and monitoring pages (pages/logbook_penilaian.py,
pages/logbook_monitoring.py): widget keys, flash messages, the review table and the Excel file (the heat map:
ui/logbook_calendar.py).
Nothing here calls a service that writes: the pages do, and show the outcome."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from services.core import Actor, Role, export, fmt
from services.logbook import PEGAWAI_LABELS, REVIEWER_LABELS, TeamCompleteness
from ui import actions
from ui.text import md  # noqa: F401  (re-exported: pages call lr.md)

SCOPE = "penilaian_lb"  # the action scope: its generation resets selections and notes after a decision
CONFIRM_KEY = "penilaian_lb__konfirmasi"
DECISION_DONE = {"setujui": "disetujui", "kembalikan": "dikembalikan untuk revisi", "tolak": "ditolak"}

VIEW_LABELS = {
    "pegawai": "Pegawai", "tanggal": "Tanggal", "jam": "Jam", "durasi_menit": "Durasi (menit)", "rhk": "RHK",
    "uraian": "Uraian Kegiatan", "volume": "Volume", "satuan": "Satuan", "bukti_link": "Bukti Dukung",
    "lampiran": "Lampiran", "status": "Status", "terlambat": "Terlambat", "justifikasi_terlambat": "Justifikasi Terlambat",
    "catatan_hari_libur": "Catatan Hari Libur", "catatan_pertimbangan": "Catatan Pertimbangan",
    "catatan_penilai": "Catatan Penilai", "batas_penilaian": "Batas Penilaian", "lewat_batas": "Lewat Batas",
}
# What a reviewer decides on comes first and fits a 1366 px screen with the sidebar open (about 900 px of table:
# widths below add up to 856 px plus the selection column); the rest follows (and is in the detail pane).
DECISION_COLUMNS = ("Pegawai", "Tanggal", "Durasi (menit)", "Uraian Kegiatan", "Catatan Pertimbangan", "Status")
NOTE_COLUMN = "Catatan per kegiatan"


def is_pertimbangan(actor: Actor) -> bool:
    return actor.has(Role.PEMBERI_PERTIMBANGAN)


def only_considers(actor: Actor) -> bool:
    """The Ketua Tim who gives pertimbangan but decides nothing (no pejabat penilai or Admin SDM role)."""
    return is_pertimbangan(actor) and not (actor.has(Role.PENILAI) or actor.has(Role.ADMIN_SDM))


def version() -> int:
    """Bumped after every decision so selections and notes start afresh."""
    return actions.version(SCOPE)


def queue_key(page: int = 1) -> str:
    """The widget key of the review table now (per page of the pager, so a selection never carries over to
    other rows); tests set its selection state under this key."""
    return f"penilaian_lb_antrian__{version()}" + (f"__h{page}" if page > 1 else "")


def note_key() -> str:
    return f"penilaian_lb_catatan__{version()}"


def row_notes_key(ids: list[int]) -> str:
    """Key of the per-row note editor: tied to the selection so positions never point at other rows."""
    digest = hashlib.blake2b(",".join(map(str, ids)).encode(), digest_size=8).hexdigest()[:10]
    return f"penilaian_lb_catatan_baris__{version()}_{digest}"


def queue_view(queue: pd.DataFrame) -> pd.DataFrame:
    """The review queue with Indonesian headers; overdue rows flagged, booleans as Ya/-."""
    view = queue[list(VIEW_LABELS)].copy()
    view["terlambat"] = view["terlambat"].map(lambda v: "Ya" if v else "").astype(object)
    view["lewat_batas"] = view["lewat_batas"].map(lambda v: "⚠ Lewat batas" if v else "").astype(object)
    return view.rename(columns=VIEW_LABELS)


QUEUE_CONFIG = {
    "Pegawai": st.column_config.TextColumn("Pegawai", width=150),
    "Tanggal": st.column_config.DateColumn("Tanggal", format="DD/MM/YYYY", width=84),
    "Durasi (menit)": st.column_config.NumberColumn("Menit", format="localized", width=52,
                                                    help="Durasi kegiatan dalam menit"),
    "Uraian Kegiatan": st.column_config.TextColumn("Uraian Kegiatan", width=290,
                                                   help="Uraian lengkap: pilih baris, lihat Rincian di bawah tabel"),
    "Catatan Pertimbangan": st.column_config.TextColumn("Catatan Ketua Tim", width=170,
                                                        help="Catatan pertimbangan Ketua Tim"),
    "Status": st.column_config.TextColumn("Status", width=110),
    "Batas Penilaian": st.column_config.DateColumn("Batas Penilaian", format="DD/MM/YYYY"),
    "Bukti Dukung": st.column_config.LinkColumn("Bukti Dukung"),
    "Volume": st.column_config.NumberColumn("Volume", format="localized"),
}


def queue_order(view: pd.DataFrame) -> list[str]:
    """Decision columns first, then the rest."""
    return [*DECISION_COLUMNS, *(c for c in view.columns if c not in DECISION_COLUMNS)]


def _number(value: object) -> str:
    return fmt.angka(value) if value is not None and pd.notna(value) else "-"  # type: ignore[arg-type]


def detail_pane(chosen: pd.DataFrame, limit: int = 10) -> None:
    """The selected entries in full (uraian and every note wrap here), so nothing needs sideways scrolling."""
    for r in chosen.head(limit).itertuples():
        with st.container(border=True):
            st.markdown(f"**{md(r.pegawai)}** · {fmt.tanggal(r.tanggal, 'medium')} · {md(r.jam)} · "
                        f"{md(_number(r.durasi_menit))} menit · {md(r.status)}")
            st.markdown(md(r.uraian))
            lines = [f"RHK: {md(r.rhk)}", f"Volume: {_number(r.volume)} {md(r.satuan)}"]
            late = (r.justifikasi_terlambat or "(tanpa justifikasi)") if r.terlambat else None
            notes = {"Catatan Ketua Tim": r.catatan_pertimbangan, "Catatan penilai": r.catatan_penilai,
                     "Justifikasi terlambat": late, "Catatan hari libur": r.catatan_hari_libur}
            lines += [f"{label}: {md(text)}" for label, text in notes.items() if text]
            st.caption("  \n".join(lines))
    if len(chosen) > limit:
        st.caption(f"… dan {fmt.angka(len(chosen) - limit)} kegiatan lain yang dipilih.")


def needs_confirmation(chosen: pd.DataFrame, limit: int) -> bool:
    """Approving more than `limit` entries, or entries of more than one pegawai, is confirmed first."""
    return len(chosen) > limit or chosen["pegawai"].nunique() > 1


def confirm_bulk_approval(chosen: pd.DataFrame, decision: str | None, limit: int) -> bool:
    """True when the selection is to be approved now: "Setujui" on a small one-pegawai selection, or the
    confirmation of a larger one (which shows the count and the names first)."""
    ids = [int(i) for i in chosen["id"]]
    if decision == "setujui" and not needs_confirmation(chosen, limit):
        st.session_state.pop(CONFIRM_KEY, None)
        return True
    if decision == "setujui":
        st.session_state[CONFIRM_KEY] = ids
    pending = st.session_state.get(CONFIRM_KEY)
    if not pending:
        return False
    if pending != ids:  # the selection changed since: ask again on the next Setujui
        st.session_state.pop(CONFIRM_KEY, None)
        return False
    names = sorted(chosen["pegawai"].astype(str).unique())
    with st.container(border=True):
        st.warning(f"Anda akan menyetujui **{fmt.angka(len(ids))} kegiatan** dari **{fmt.angka(len(names))} "
                   "pegawai**: " + ", ".join(md(n) for n in names) + ". Lanjutkan?")
        yes, no = st.columns(2)
        if no.button("Batal", key="penilaian_lb_konfirmasi_batal", icon=":material/close:", width="stretch"):
            st.session_state.pop(CONFIRM_KEY, None)
            st.rerun()
        if yes.button(f"Ya, setujui {fmt.angka(len(ids))} kegiatan", type="primary",
                      key="penilaian_lb_konfirmasi_ya", icon=":material/done_all:", width="stretch"):
            st.session_state.pop(CONFIRM_KEY, None)
            return True
    return False


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


def pending_pertimbangan(queue: pd.DataFrame) -> pd.DataFrame:
    """Per pegawai: the submitted entries still waiting for the Ketua Tim's pertimbangan (no note yet)."""
    cols = ["Pegawai", "Menunggu Pertimbangan", "Tanggal Tertua"]
    if queue.empty:
        return pd.DataFrame(columns=cols)
    waiting = queue[queue["bisa_pertimbangan"].astype(bool) & (queue["status"] == "Belum Diperiksa")
                    & queue["catatan_pertimbangan"].fillna("").astype(str).str.strip().eq("")]
    if waiting.empty:
        return pd.DataFrame(columns=cols)
    out = waiting.groupby("pegawai").agg(jumlah=("id", "size"), tertua=("tanggal", "min")).reset_index()
    out["tertua"] = out["tertua"].map(lambda d: fmt.tanggal(d, "medium"))
    out.columns = cols
    return out.sort_values(["Menunggu Pertimbangan", "Pegawai"], ascending=[False, True]).reset_index(drop=True)


def completeness_view(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=["pegawai_id"]).rename(columns=PEGAWAI_LABELS)


def reviewers_view(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=["penilai_id"]).rename(columns=REVIEWER_LABELS)


def completeness_xlsx(t: TeamCompleteness, pegawai: pd.DataFrame) -> bytes:
    """The (filtered) completeness table and the reviewers as .xlsx; the page records the export on click."""
    return completeness_workbook(pegawai, t.reviewers)


def completeness_workbook(pegawai: pd.DataFrame, reviewers: pd.DataFrame) -> bytes:
    """The completeness rows and the reviewers table as an .xlsx with two sheets (Kelengkapan, Penilaian)."""
    return export.to_excel_bytes({"Kelengkapan": completeness_view(pegawai), "Penilaian": reviewers_view(reviewers)})
