"""Forms and grids of the Rapat Monev page: planning, agenda template, notulen per agenda item, attendance,
documentation photos, the tindak lanjut grid, closing an action item, and the history/yearly overview."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from services import monev
from services.core import Actor, clock, fmt
from ui.actions import act, version
from ui.text import md
from ui.theme import UPLOAD_HELP

R = monev.rapat

TENGGAT_COLUMN = st.column_config.DateColumn("Tenggat", format="DD/MM/YYYY")


def is_kasubbag(actor: Actor) -> bool:
    return monev.laporan.peran(actor)["kasubbag"]


def plan_form(actor: Actor, tahun: int, bulan: int, view: dict[str, Any] | None) -> None:
    people = dict(R.pegawai_options(actor))
    units, teams = dict(R.unit_options(actor)), dict(R.tim_options(actor))
    k = f"mr_plan_{tahun}_{bulan}_{'u' if view else 'n'}"
    default_day = view["tanggal"] if view else dt.date(tahun, bulan, min(10, 28))
    with st.form(k):
        a, b, c = st.columns(3)
        tanggal = a.date_input("Tanggal", value=default_day, format="DD/MM/YYYY")
        jam = b.text_input("Jam (WIB)", value=view["jam"] if view else "09:00")
        tempat = c.text_input("Tempat", value=view["tempat"] if view else "Aula Balai")
        ids = list(people)
        notulis = st.selectbox("Notulis", ids, format_func=people.get,
                               index=ids.index(view["notulis_id"]) if view and view["notulis_id"] in ids else 0)
        opts = {"semua": "Semua pegawai", "unit": "Unit kerja tertentu", "tim": "Tim kerja tertentu"}
        cak = st.radio("Yang diundang", list(opts), format_func=opts.get, horizontal=True,
                       index=list(opts).index(view["undangan_cakupan"]) if view else 0)
        pick_u = st.multiselect("Unit kerja", list(units), format_func=units.get,
                                default=[i for i in (view or {}).get("undangan_ids", []) if i in units]
                                if view and view["undangan_cakupan"] == "unit" else [])
        pick_t = st.multiselect("Tim kerja", list(teams), format_func=teams.get,
                                default=[i for i in (view or {}).get("undangan_ids", []) if i in teams]
                                if view and view["undangan_cakupan"] == "tim" else [])
        agenda = None
        if view:
            agenda = [st.text_input(f"Agenda {i}", value=a_["judul"], key=f"{k}_ag_{a_['id']}")
                      for i, a_ in enumerate(view["agenda"], 1)]
        submitted = st.form_submit_button("Simpan rencana rapat", type="primary")
    if submitted:
        chosen = pick_u if cak == "unit" else pick_t if cak == "tim" else []
        fields = dict(tanggal=tanggal, jam=jam, tempat=tempat, notulis_id=notulis, cakupan=cak, ids=chosen)
        if view:
            act(lambda: R.ubah(actor, view["id"], agenda=agenda, **fields), ok="Rencana rapat diperbarui.")
        else:
            act(lambda: R.buat(actor, tahun, bulan, **fields), ok="Rapat monev direncanakan.")


def template_editor(actor: Actor) -> None:
    df = R.template(actor)
    jenis = list(monev.common.JENIS_AGENDA.values())
    edited = st.data_editor(df, key=f"mr_tpl_{version('mr_tpl')}", hide_index=True, num_rows="dynamic",
                            width="stretch", placeholder="", column_config={
                                "Jenis": st.column_config.SelectboxColumn("Jenis", options=jenis, required=True)})
    st.caption("Butir berjenis 'Laporan tiap Tim Kerja' menjadi satu butir agenda per Tim Kerja.")
    if st.button("Simpan templat", key="mr_tpl_save"):
        act(lambda: R.save_template(actor, edited), ok="Templat agenda tersimpan.", reset="mr_tpl")


def notulen(actor: Actor, view: dict[str, Any], locked: bool) -> None:
    st.subheader("Notulen per butir agenda")
    rid = view["id"]
    for item in view["agenda"]:
        with st.expander(item["judul"], expanded=not item["notulen"] and not locked):
            if locked:
                st.markdown(md(item["notulen"]) if item["notulen"] else "_(belum ada notulen)_")
                continue
            text = st.text_area("Notulen", value=item["notulen"], key=f"mr_not_{item['id']}", height=120,
                                label_visibility="collapsed")
            if st.button("Simpan notulen", key=f"mr_not_btn_{item['id']}"):
                act(lambda t=text, i=item["id"]: R.simpan_notulen(actor, rid, i, t),
                    ok=f"Notulen '{item['judul']}' tersimpan.")


def attendance(actor: Actor, rid: int, locked: bool) -> None:
    st.subheader("Daftar hadir")
    df = R.daftar_hadir(actor, rid)
    st.caption(f"Hadir {int(df['Hadir'].sum())} dari {len(df)} pegawai.")
    if locked:
        st.dataframe(df.drop(columns=["pegawai_id"]), hide_index=True, width="stretch", placeholder="")
        return
    edited = st.data_editor(df, key=f"mr_hadir_{rid}_{version('mr_hadir')}", hide_index=True, width="stretch",
                            placeholder="", num_rows="fixed", column_order=["Hadir", "Nama", "NIP", "Unit Kerja",
                                                                            "Dicatat"],
                            disabled=["pegawai_id", "Nama", "NIP", "Unit Kerja", "Dicatat"])
    if st.button("Simpan daftar hadir", type="primary", key="mr_hadir_save"):
        act(lambda: R.simpan_hadir(actor, rid, edited), ok=lambda n: f"Daftar hadir tersimpan ({n} perubahan).",
            reset="mr_hadir")


def photos(actor: Actor, rid: int, locked: bool) -> None:
    st.subheader("Dokumentasi")
    items = R.foto(actor, rid)
    if items:
        cols = st.columns(4)
        for i, f in enumerate(items):
            with cols[i % 4]:
                st.image(f["isi"], caption=f["keterangan"] or f["nama"])
                if not locked and st.button("Hapus", key=f"mr_foto_del_{f['id']}"):
                    act(lambda fid=f["id"]: R.hapus_foto(actor, fid), ok="Foto dihapus.")
    if not locked:
        up = st.file_uploader("Unggah foto (PNG/JPG)", type=["png", "jpg", "jpeg"], key=f"mr_foto_{version('mr_foto')}", help=UPLOAD_HELP)
        ket = st.text_input("Keterangan foto", key="mr_foto_ket")
        if up is not None and st.button("Simpan foto", key="mr_foto_btn"):
            act(lambda: R.unggah_foto(actor, rid, up.name, up.getvalue(), ket), ok="Foto tersimpan.", reset="mr_foto")


def tindak_lanjut(actor: Actor, view: dict[str, Any], locked: bool) -> None:
    rid = view["id"]
    df = R.tindak_lanjut(actor, rid)
    st.caption("Tindak lanjut terbuka dari rapat sebelumnya ikut tampil sampai ditutup dengan catatan oleh PIC, "
               "notulis, atau Petugas Perencana. PIC: nama/NIP pegawai atau nama Tim Kerja.")
    if locked:
        st.dataframe(df.drop(columns=["id"]), hide_index=True, width="stretch", placeholder="")
    else:
        people = [n for _i, n in R.pegawai_options(actor)] + [n for _i, n in R.tim_options(actor)]
        with st.form(f"mr_tl_form_{version('mr_tl')}", clear_on_submit=True):
            a, b, c = st.columns([5, 3, 2])
            uraian = a.text_input("Tindak lanjut baru")
            pic = b.selectbox("PIC", people, index=None, placeholder="Pilih pegawai atau Tim Kerja")
            tenggat = c.date_input("Tenggat", value=clock.today() + dt.timedelta(days=14), format="DD/MM/YYYY")
            if st.form_submit_button("Tambah tindak lanjut"):
                row = pd.DataFrame([{"id": None, "Tindak Lanjut": uraian, "PIC": pic or "", "Tenggat": tenggat}])
                act(lambda: R.simpan_tindak_lanjut(actor, rid, row), ok="Tindak lanjut ditambahkan.", reset="mr_tl")
        edited = st.data_editor(
            df, key=f"mr_tl_{rid}_{version('mr_tl')}", hide_index=True, num_rows="dynamic", width="stretch",
            placeholder="", column_order=["Tindak Lanjut", "PIC", "Tenggat", "Status", "Asal Rapat"],
            disabled=["id", "Asal Rapat", "Status", "Catatan Penyelesaian"],
            column_config={"PIC": st.column_config.SelectboxColumn("PIC", options=people),
                           "Tenggat": TENGGAT_COLUMN,
                           "Tindak Lanjut": st.column_config.TextColumn("Tindak Lanjut", width="large")})
        if st.button("Simpan tindak lanjut", type="primary", key="mr_tl_save"):
            act(lambda: R.simpan_tindak_lanjut(actor, rid, edited), ok=lambda n: f"Tindak lanjut tersimpan ({n}).",
                reset="mr_tl")
    open_ = df[df["Status"] == "Terbuka"]
    if not open_.empty and view.get("status_laporan") != "DITETAPKAN":
        with st.expander("Tutup tindak lanjut dengan catatan"):
            close_tindak_lanjut(actor, open_, f"r{rid}")


def close_tindak_lanjut(actor: Actor, df: pd.DataFrame, scope: str) -> None:
    st.dataframe(df.drop(columns=["id"]), hide_index=True, width="stretch", placeholder="",
                 column_config={"Tenggat": TENGGAT_COLUMN})
    labels = {int(r["id"]): f"{r['Tindak Lanjut'][:60]} · {r['PIC']} · tenggat {fmt.tanggal(r['Tenggat'], 'medium')}"
              for r in df.to_dict("records")}
    pick = st.selectbox("Tindak lanjut", list(labels), format_func=labels.get, key=f"mr_tutup_pick_{scope}")
    note = st.text_input("Catatan hasil tindak lanjut", key=f"mr_tutup_note_{scope}")
    if st.button("Tutup tindak lanjut", key=f"mr_tutup_btn_{scope}"):
        act(lambda: R.tutup_tindak_lanjut(actor, pick, note), ok="Tindak lanjut ditutup.")


def history(actor: Actor, tahun: int) -> None:
    st.subheader(f"Ikhtisar {tahun}: 12 bulan × langkah SOP 002")
    st.dataframe(monev.laporan.ikhtisar(actor, tahun), hide_index=True, width="stretch", placeholder="",
                 column_config={"Tenggat": TENGGAT_COLUMN})
    st.subheader("Riwayat rapat")
    rows = R.daftar(actor)
    if rows.empty:
        st.caption("Belum ada rapat.")
        return
    st.dataframe(rows.drop(columns=["id"]), hide_index=True, width="stretch", placeholder="",
                 column_config={"Tanggal": st.column_config.DateColumn("Tanggal", format="DD/MM/YYYY")})
    st.caption("Pilih bulan dan tahun di atas untuk membuka rapat mana pun; Mode Rapat menayangkan ulang angka yang "
               "dibekukan saat rapat dimulai.")
