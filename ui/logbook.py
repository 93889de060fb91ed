"""UI helpers for the pegawai's "Logbook Harian" page: the grid's column config, the monthly points card and
the detail section of one entry (attachments, correction request)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import streamlit as st

from services import logbook
from services.core import Actor, fmt
from services.logbook import LABELS, MonthInfo, MonthlyPoints
from ui.actions import act
from ui.text import md
from ui.theme import UPLOAD_HELP

FLASH = "logbook_saya"
HIDDEN = ("id", "version")  # the "No." column (ui.grid) names rows; the id stays in the data


def grid_key(year: int, month: int) -> str:
    return f"lb_grid_{year}_{month:02d}"


def column_config(info: MonthInfo) -> dict:
    """data_editor column config from the service's LABELS (validation here is only a hint: the service checks)."""
    cc = st.column_config
    first, last = dt.date(info.tahun, info.bulan, 1), max([*info.hari_kerja, *info.hari_libur]
                                                          or [dt.date(info.tahun, info.bulan, 28)])
    return {
        "id": cc.NumberColumn(LABELS["id"], disabled=True, width="small"),
        # no min/max: a date outside the month stays as typed and the service reports it (row + column)
        "tanggal": cc.DateColumn(LABELS["tanggal"], format="DD/MM/YYYY", required=True,
                                 help=f"Tanggal {first:%d/%m/%Y} s.d. {last:%d/%m/%Y}."),
        "jam_mulai": cc.TimeColumn(LABELS["jam_mulai"], format="HH:mm", step=60 * 5),
        "jam_selesai": cc.TimeColumn(LABELS["jam_selesai"], format="HH:mm", step=60 * 5),
        "durasi_menit": cc.NumberColumn(LABELS["durasi_menit"], min_value=1, step=1, format="%d",
                                        help="Diisi otomatis dari jam mulai dan selesai; isi bila tanpa jam."),
        "rhk": cc.SelectboxColumn(LABELS["rhk"], options=info.rhk_labels, required=True, width="large"),
        "uraian": cc.TextColumn(LABELS["uraian"], required=True, width="large", max_chars=info.teks_maks),
        "volume": cc.NumberColumn(LABELS["volume"], min_value=0.01, format="localized"),
        "satuan": cc.TextColumn(LABELS["satuan"], max_chars=logbook.common.SATUAN_MAKS),
        "bukti_link": cc.LinkColumn(LABELS["bukti_link"], help="Tautan bukti dukung (mis. Google Drive).",
                                   max_chars=logbook.common.LINK_MAKS),
        "catatan_hari_libur": cc.TextColumn(LABELS["catatan_hari_libur"], max_chars=logbook.common.CATATAN_MAKS,
                                            help="Wajib untuk kegiatan pada hari libur."),
        "justifikasi_terlambat": cc.TextColumn(LABELS["justifikasi_terlambat"], max_chars=logbook.common.NOTE_MAKS,
                                               help="Wajib bila masa pengisian bulan ini sudah ditutup."),
        "status": cc.TextColumn(LABELS["status"], disabled=True),
        "catatan_penilai": cc.TextColumn(LABELS["catatan_penilai"], disabled=True),
        "catatan_pertimbangan": cc.TextColumn(LABELS["catatan_pertimbangan"], disabled=True),
        "lampiran": cc.NumberColumn(LABELS["lampiran"], disabled=True, format="%d", width="small"),
    }


_EDITOR_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$")


def editor_rows(rows: list[dict]) -> list[dict]:
    """Turn the browser's TimeColumn values ("08:30:00.000", from Date.toISOString) into datetime.time before the
    service sees them; anything else is passed on unchanged (the service validates it)."""
    out = []
    for r in rows:
        r = dict(r)
        for col in ("jam_mulai", "jam_selesai"):
            m = _EDITOR_TIME.match(r[col]) if isinstance(r.get(col), str) else None
            if m and int(m.group(1)) < 24 and int(m.group(2)) < 60 and int(m.group(3)) < 60:
                r[col] = dt.time(int(m.group(1)), int(m.group(2)))
        out.append(r)
    return out


def column_order() -> tuple[str, ...]:
    return tuple(c for c in logbook.COLUMNS if c not in HIDDEN)


def points_card(p: MonthlyPoints) -> None:
    """Progress bar and numbers: approved (counted) / target minutes, with pending and returned apart."""
    with st.container(border=True):
        st.markdown(f"**Capaian menit efektif {fmt.bulan(p.bulan)} {md(p.tahun)}:** "
                    f"{fmt.angka(p.disetujui_menit)} / {fmt.angka(p.target_menit)} menit "
                    f"({fmt.angka(p.persen, 2)}%)")
        st.progress(min(1.0, p.persen / 100.0))
        a, b, c, d = st.columns(4)
        a.metric("Disetujui (dihitung)", f"{fmt.angka(p.disetujui_menit)} menit")
        b.metric("Menunggu pemeriksaan", f"{fmt.angka(p.diajukan_menit)} menit")
        c.metric("Dikembalikan (revisi)", f"{fmt.angka(p.dikembalikan_menit)} menit")
        d.metric("Draft", f"{fmt.angka(p.draft_menit)} menit")
        cap = " (dibatasi per hari)" if p.batas_harian else ""
        away = (f" ({fmt.angka(p.hari_tidak_hadir)} hari kerja cuti/sakit/dinas luar tidak dihitung)"
                if p.hari_tidak_hadir else "")
        st.caption(f"Target = {fmt.angka(p.hari_kerja)} hari kerja{md(away)} × {fmt.angka(p.menit_efektif_harian)} "
                   f"menit{cap}. Hanya menit yang disetujui pejabat penilai yang dihitung.")


def _label(row) -> str:
    return f"{row.tanggal:%d/%m/%Y} · {str(row.uraian)[:60]} ({row.status})"


def detail_section(actor: Actor, df: pd.DataFrame) -> None:
    """Pick one saved entry: its attachments (upload, download, delete) and the correction request."""
    saved = df[df["id"].notna()]
    if saved.empty:
        st.caption("Simpan kegiatan terlebih dahulu untuk melampirkan berkas.")
        return
    by_id = {int(r.id): r for r in saved.itertuples()}
    eid = st.selectbox("Kegiatan", list(by_id), format_func=lambda i: _label(by_id[i]), key="lb_detail_id")
    d = act(lambda: logbook.entry_detail(actor, eid))
    if d is None:
        return
    st.markdown(f"**{fmt.tanggal(d.tanggal)}** · {md(d.durasi_menit)} menit · {md(d.status_label)}  \n{md(d.uraian)}")
    if d.catatan_penilai:
        st.markdown(f"Catatan penilai: {md(d.catatan_penilai)}")
    st.markdown("**Lampiran**")
    if not d.attachments:
        st.caption("Belum ada lampiran.")
    for a in d.attachments:
        left, mid, right = st.columns([4, 1, 1])
        left.write(f"{md(a.filename)} ({fmt.angka(a.size)} bita, {md(a.uploaded_by)}, {fmt.waktu(a.uploaded_at)})")
        with mid:
            got = act(lambda a=a: logbook.attachment_content(actor, a.id))
        if got is not None:
            name, ctype, content = got
            mid.download_button("Unduh", content, file_name=name, mime=ctype, key=f"lb_unduh_{a.id}")
        if d.can_edit and right.button("Hapus", key=f"lb_hapus_{a.id}"):
            _run(lambda a=a: logbook.delete_attachment(actor, a.id), "Lampiran dihapus.")
    if d.can_edit:
        up = st.file_uploader("Unggah bukti dukung (PDF, PNG, JPG, DOCX, XLSX)", key=f"lb_unggah_{d.id}",
                              help=UPLOAD_HELP,
                              type=["pdf", "png", "jpg", "jpeg", "docx", "xlsx"])
        if up is not None and st.button("Simpan lampiran", key=f"lb_simpan_lampiran_{d.id}"):
            _run(lambda: logbook.add_attachment(actor, d.id, up.name, up.getvalue()), "Lampiran disimpan.")
    if d.corrections:
        st.markdown("**Permintaan koreksi**")
        for k in d.corrections:
            st.write(f"{fmt.waktu(k.requested_at)} · {md(k.status)} · {md(k.alasan)}"
                     + (f" — {md(k.catatan_keputusan)}" if k.catatan_keputusan else ""))
    if d.can_request_correction:
        with st.form(f"lb_koreksi_{d.id}"):
            alasan = st.text_area("Alasan permintaan koreksi", max_chars=2000)
            if st.form_submit_button("Minta koreksi"):
                _run(lambda: logbook.request_correction(actor, d.id, alasan),
                     "Permintaan koreksi dikirim ke pejabat penilai.")


def _run(action, message: str) -> None:
    """Run a service call; on success keep the message for after the rerun, else show the error."""
    act(action, ok=message)
