"""Perjanjian Kinerja: the Petugas Perencana (or a member of the year's Tim Penyusun) enters sasaran strategis →
indikator with monthly targets and the rincian output with pagu and RPD in grids (paste from Excel, import of the
budget export with a preview, copy from last year), records the signing, and revises a signed PK with a reason
(earlier versions stay readable and can be compared). Leaders read it. The SK Tim Penyusun Laporan Kinerja
(SOP 001 steps 1–2) is recorded on the last tab by the Kepala, the Kasubbag ADUM or the Admin SDM."""

import datetime as dt

import pandas as pd
import streamlit as st

from services import kinerja
from services.core import clock, fmt
from ui.actions import act, or_stop
from ui.grid import NO, edit_grid, paste_box
from ui.grid import flash as grid_flash
from ui.guard import page_actor
from ui.tabs import page_tabs
from ui.text import md
from ui.theme import UPLOAD_HELP

actor = page_actor(__file__)
PK = kinerja.pk
TP = kinerja.tim_penyusun
MONTHS = kinerja.common.BULAN
STATUS = {"DRAFT": "Draft (belum ditandatangani)", "DITANDATANGANI": "Ditandatangani"}

st.title("Perjanjian Kinerja")
st.caption("Sasaran strategis, indikator kinerja dengan target tahunan dan bulanan, PJ Tim Kerja, serta rincian "
           "output dengan pagu dan rencana penarikan dana (PermenPANRB 53/2014; SOP 001 Pengukuran Data Kinerja).")

today = clock.today()
years = sorted({*or_stop(PK.tahun_list, actor), today.year, today.year + 1}, reverse=True)
c1, c2 = st.columns([1, 3])
tahun = int(c1.selectbox("Tahun", years, index=years.index(today.year), key="kpk_tahun"))
info = or_stop(PK.status, actor, tahun)
editor = PK.can_edit(actor, tahun)
draft = info is None or info["status"] == "DRAFT"
editable = editor and draft
versi = info["versi"] if info else 1

with c2:
    if info is None:
        st.info(f"Perjanjian Kinerja tahun {md(tahun)} belum dibuat."
                + (" Isi tabel indikator di bawah, tempel dari Excel, atau salin dari tahun lalu." if editor else ""))
    else:
        line = f"**Versi {info['versi']}** · {md(STATUS.get(info['status'], info['status']))}"
        if info["ditandatangani_at"]:
            line += f" pada {md(fmt.tanggal(info['ditandatangani_at']))}"
        st.markdown(line)
        if info.get("alasan_revisi"):
            st.caption(f"Alasan revisi: {md(info['alasan_revisi'])}")
if editor and not draft:
    st.caption("PK ini sudah ditandatangani. Untuk mengubahnya, buka revisi dengan alasan pada tab "
               "**Penandatanganan & Revisi**; versi yang ditandatangani tetap tersimpan.")

tabs = page_tabs(["Indikator", "Rincian Output & RPD", "Penandatanganan & Revisi", "Versi Terdahulu",
                "SK Tim Penyusun"], key="pk_tab")

# --- indicators ------------------------------------------------------------------------------------------------
with tabs[0]:
    ind_df = or_stop(PK.indikator_frame, actor, tahun)
    teams = or_stop(PK.tim_options, actor)
    if not editable:
        if ind_df.empty:
            st.info("Belum ada indikator.")
        else:
            st.dataframe(ind_df.drop(columns=list(PK.TW)), hide_index=True, width="stretch", placeholder="",
                         column_config={"Sasaran": st.column_config.TextColumn(width="medium"),
                                        "Indikator": st.column_config.TextColumn(width="large"),
                                        "Target": st.column_config.NumberColumn(format="localized"),
                                        "Target Maks": st.column_config.NumberColumn(format="localized")})
    else:
        prev = tahun - 1
        if ind_df.empty and prev in or_stop(PK.tahun_list, actor) and st.button(
                f"Salin dari Perjanjian Kinerja {prev}", key="kpk_salin", icon=":material/content_copy:"):
            act(lambda: PK.copy_from_last_year(actor, tahun),
                ok=lambda n: f"{n} indikator dan rincian output disalin dari {prev}; periksa lalu simpan.")
        st.caption("Satu baris per indikator; sasaran diulang pada tiap baris indikatornya. Target bulanan berupa "
                   "angka atau rentang (80-90). Kosongkan target bulanan untuk mengisinya dari target triwulan "
                   "(TW I–IV) atau dibagi rata dari target tahunan.")
        key = f"kpk_ind_{tahun}_{versi}"
        grid_flash(key)
        text = st.column_config.TextColumn
        config = {
            "Kode Sasaran": text("Kode Sasaran", max_chars=20, required=True),
            "Sasaran": text("Sasaran", max_chars=kinerja.common.MAX_TEKS, required=True, width="medium"),
            "Kode": text("Kode", max_chars=20, required=True),
            "Indikator": text("Indikator", max_chars=kinerja.common.MAX_TEKS, required=True, width="large"),
            "Jenis": st.column_config.SelectboxColumn("Jenis", options=["IKU", "IKK"], default="IKU"),
            "Satuan": text("Satuan", max_chars=60, required=True),
            "Polaritas": st.column_config.SelectboxColumn("Polaritas", options=list(kinerja.common.POLARITAS),
                                                          required=True),
            "Agregasi": st.column_config.SelectboxColumn("Agregasi", options=list(kinerja.common.AGREGASI),
                                                         required=True, width="medium"),
            "Target": st.column_config.NumberColumn("Target", min_value=0.0, format="localized", required=True),
            "Target Maks": st.column_config.NumberColumn("Target Maks", min_value=0.0, format="localized",
                                                         help="Batas atas untuk polaritas range"),
            "PJ Tim Kerja": st.column_config.SelectboxColumn("PJ Tim Kerja", options=teams, required=True,
                                                             width="medium"),
            "Sumber Data": text("Sumber Data", max_chars=kinerja.common.MAX_TEKS),
            "Definisi": text("Definisi", max_chars=kinerja.common.MAX_TEKS),
            **{m: text(m, max_chars=30, help="Angka atau rentang, mis. 80-90") for m in MONTHS},
            **{q: st.column_config.NumberColumn(q, min_value=0.0, format="localized") for q in PK.TW},
        }
        grid = edit_grid(ind_df, key, column_config=config, disabled=())
        if st.button("Simpan indikator", type="primary", key="kpk_ind_simpan", icon=":material/save:"):
            frame = grid.edited.drop(columns=[NO])
            act(lambda: PK.save_indikator(actor, tahun, frame), ok=lambda n: f"{n} indikator disimpan.",
                then=lambda _: grid.reset())
        paste_box(grid, lambda text: PK.preview_paste(actor, tahun, text), labels={},
                  columns=PK.INDIKATOR_PASTE, key="kpk_ind_tempel",
                  hint="Baris judul kolom boleh ikut ditempel. Angka dengan koma atau titik desimal; target bulanan "
                       "boleh berupa rentang 80-90. Baris ditambahkan di bawah tabel.")
    if not ind_df.empty:
        st.download_button("Unduh Excel", data=lambda: PK.excel(actor, tahun), file_name=f"perjanjian-kinerja-{tahun}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="kpk_unduh", icon=":material/download:")

# --- rincian output and RPD ------------------------------------------------------------------------------------
with tabs[1]:
    rin_df = or_stop(PK.rincian_frame, actor, tahun)
    if not rin_df.empty:
        pagu = float(rin_df["Pagu"].fillna(0).sum())
        rpd = float(rin_df[list(MONTHS)].fillna(0).to_numpy().sum())
        st.caption(f"Total pagu Rp {fmt.angka(pagu)} · total RPD Rp {fmt.angka(rpd)}")
    if not editable:
        if rin_df.empty:
            st.info("Belum ada rincian output.")
        else:
            st.dataframe(rin_df, hide_index=True, width="stretch", placeholder="",
                         column_config={c: st.column_config.NumberColumn(c, format="localized")
                                        for c in ["Pagu", *MONTHS]})
    else:
        key = f"kpk_rin_{tahun}_{versi}"
        grid_flash(key)
        money = {c: st.column_config.NumberColumn(c, min_value=0.0, format="localized") for c in MONTHS}
        config = {"Kode": st.column_config.TextColumn("Kode", max_chars=60, required=True),
                  "Rincian Output/Kegiatan": st.column_config.TextColumn(
                      "Rincian Output/Kegiatan", max_chars=kinerja.common.MAX_TEKS, required=True, width="large"),
                  "PJ Tim Kerja": st.column_config.SelectboxColumn("PJ Tim Kerja", options=teams, width="medium"),
                  "Pagu": st.column_config.NumberColumn("Pagu", min_value=0.0, format="localized", required=True),
                  **money}
        rgrid = edit_grid(rin_df, key, column_config=config, disabled=())
        if st.button("Simpan rincian output", type="primary", key="kpk_rin_simpan", icon=":material/save:"):
            rframe = rgrid.edited.drop(columns=[NO])
            act(lambda: PK.save_rincian(actor, tahun, rframe), ok=lambda n: f"{n} rincian output disimpan.",
                then=lambda _: rgrid.reset())
        paste_box(rgrid, lambda text: PK.preview_paste_rincian(actor, tahun, text), labels={},
                  columns=tuple(PK.RINCIAN_COLS), key="kpk_rin_tempel",
                  hint="Baris judul kolom boleh ikut ditempel. Rupiah boleh ditulis 1.250.000 atau 1250000.")

        with st.container(border=True):
            st.markdown("**Impor dari Excel aplikasi anggaran**")
            st.caption("Berkas .xlsx dengan kolom " + ", ".join(PK.RINCIAN_COLS) + ". Pratinjau dahulu; bila ada "
                       "baris yang salah, tidak ada yang diimpor. Impor menggantikan seluruh rincian output.")
            up = st.file_uploader("Berkas Excel (.xlsx)", type=["xlsx"], key=f"kpk_impor_{tahun}", help=UPLOAD_HELP)
            if up is not None:
                content = up.getvalue()
                res = act(lambda: PK.preview_rincian_import(actor, content, tahun))
                if res is not None:
                    frame, errors = res
                    by_row: dict[int, list[str]] = {}
                    for e in errors:
                        by_row.setdefault(e.row or 0, []).append(f"{e.field}: {e.message}")
                    shown = frame.copy()
                    shown.insert(0, "Baris", range(1, len(shown) + 1))
                    shown["Keterangan"] = ["; ".join(by_row.get(i, [])) or "siap"
                                           for i in range(1, len(shown) + 1)]
                    st.dataframe(shown, hide_index=True, width="stretch", placeholder="")
                    if errors:
                        st.error(f"{len(errors)} kesalahan; tidak ada yang diimpor. Perbaiki berkas lalu unggah lagi.")
                    elif st.button(f"Impor {len(frame)} baris", type="primary", key="kpk_impor_ok",
                                   icon=":material/upload:"):
                        act(lambda: PK.import_rincian(actor, tahun, content),
                            ok=lambda n: f"{n} rincian output diimpor.")

# --- signing and revision --------------------------------------------------------------------------------------
with tabs[2]:
    if info is None:
        st.info("Susun indikator terlebih dahulu.")
    elif draft:
        st.markdown("Catat penandatanganan PK oleh Kepala dan atasannya. Setelah ditandatangani, PK terkunci; "
                    "perubahan hanya melalui revisi dengan alasan.")
        if editor or "kepala_satker" in {r.value for r in actor.roles}:
            tgl = st.date_input("Tanggal penandatanganan", value=today, max_value=today, format="DD/MM/YYYY",
                                key="kpk_ttd_tgl")
            if st.button("Catat penandatanganan", type="primary", key="kpk_ttd", icon=":material/draw:"):
                act(lambda: PK.tandatangani(actor, tahun, tgl), ok="Penandatanganan Perjanjian Kinerja dicatat.")
    else:
        st.markdown(f"Ditandatangani pada **{md(fmt.tanggal(info['ditandatangani_at']))}**.")
        if editor:
            alasan = st.text_area("Alasan revisi", key="kpk_revisi_alasan", max_chars=kinerja.common.MAX_TEKS,
                                  placeholder="Mis. penyesuaian target setelah revisi DIPA")
            if st.button("Buka revisi PK", key="kpk_revisi", icon=":material/edit_note:"):
                act(lambda: PK.revisi(actor, tahun, alasan),
                    ok=lambda v: f"Revisi dibuka: versi {v} dapat diubah; versi sebelumnya tetap tersimpan.")

# --- earlier versions ------------------------------------------------------------------------------------------
with tabs[3]:
    vers = or_stop(PK.versions, actor, tahun) if info else pd.DataFrame()
    if vers.empty:
        st.info("Belum ada versi terdahulu (PK belum pernah direvisi).")
    else:
        shown = vers.assign(
            ditandatangani=[fmt.tanggal(None if pd.isna(v) else pd.Timestamp(v).to_pydatetime()) for v in vers["ditandatangani"]],
            direvisi_at=[fmt.waktu(None if pd.isna(v) else pd.Timestamp(v).to_pydatetime())
                         for v in vers["direvisi_at"]]).drop(columns=["id"])
        st.dataframe(shown.rename(columns={"versi": "Versi", "ditandatangani": "Ditandatangani",
                                           "direvisi_at": "Direvisi", "direvisi_oleh": "Oleh"}),
                     hide_index=True, width="stretch", placeholder="")
        pilih = st.selectbox("Lihat versi", list(vers["versi"]), format_func=lambda v: f"Versi {v}",
                             key="kpk_versi")
        vid = int(vers.loc[vers["versi"] == pilih, "id"].iloc[0])
        against = [None, *[v for v in vers["versi"] if v != pilih]]
        banding = st.selectbox("Bandingkan dengan", against, key="kpk_banding",
                               format_func=lambda v: f"Versi {versi} (sekarang)" if v is None else f"Versi {v}")
        diff = or_stop(PK.diff_versi, actor, tahun, int(pilih), None if banding is None else int(banding))
        st.markdown("**Perbedaan**")
        if diff.empty:
            st.caption("Tidak ada perbedaan.")
        else:
            st.dataframe(diff, hide_index=True, width="stretch", placeholder="")
        ind_v, rin_v = or_stop(PK.version_frames, actor, vid)
        with st.expander(f"Isi versi {pilih}"):
            st.dataframe(ind_v.drop(columns=list(PK.TW)), hide_index=True, width="stretch", placeholder="")
            st.dataframe(rin_v, hide_index=True, width="stretch", placeholder="")

# --- SK Tim Penyusun -------------------------------------------------------------------------------------------
with tabs[4]:
    st.caption("SOP 001 langkah 1–2: Kepala memberi arahan (Nota Dinas) membentuk Tim Penyusun Laporan Kinerja; "
               "Kasubbag ADUM menerbitkan SK. Anggota tim memperoleh hak Petugas Perencana untuk laporan tahun ini.")
    sk = or_stop(TP.get, actor, tahun)
    recorder = TP.can_record(actor)
    if sk and sk["berlaku"]:
        st.markdown(f"**SK {md(sk['nomor'])}** tanggal {md(fmt.tanggal(sk['tanggal']))}")
    if not recorder:
        if sk is None:
            st.info(f"SK Tim Penyusun tahun {md(tahun)} belum dicatat.")
        else:
            if sk["arahan_nomor"]:
                st.markdown(f"Arahan: Nota Dinas {md(sk['arahan_nomor'])} tanggal {md(fmt.tanggal(sk['arahan_tanggal']))}")
            st.dataframe(sk["anggota"], hide_index=True, width="stretch", placeholder="")
    else:
        sk = sk or {}
        with st.form("kpk_arahan"):
            st.markdown("**1. Arahan Kepala (Nota Dinas)**")
            a1, a2 = st.columns(2)
            a_no = a1.text_input("Nomor Nota Dinas", value=sk.get("arahan_nomor") or "", max_chars=100)
            a_tgl = a2.date_input("Tanggal", value=sk.get("arahan_tanggal") or today, max_value=today,
                                  format="DD/MM/YYYY")
            a_isi = st.text_area("Isi arahan", value=sk.get("arahan_isi") or "", max_chars=kinerja.common.MAX_TEKS)
            if st.form_submit_button("Simpan arahan"):
                act(lambda: TP.save_arahan(actor, tahun, a_no, a_tgl, a_isi), ok="Arahan Kepala dicatat.")
        st.markdown("**2. SK Tim Penyusun Laporan Kinerja**")
        s1, s2 = st.columns(2)
        sk_no = s1.text_input("Nomor SK", value=sk.get("nomor") or "", max_chars=100, key="kpk_sk_nomor")
        sk_tgl = s2.date_input("Tanggal SK", value=sk.get("tanggal") or today, max_value=today, format="DD/MM/YYYY",
                               key="kpk_sk_tanggal", min_value=dt.date(tahun - 1, 1, 1))
        members = sk.get("anggota")
        if members is None or members.empty:
            members = pd.DataFrame(columns=TP.ANGGOTA_COLS).astype(object)
        options = or_stop(TP.pegawai_options, actor)
        grid_flash(f"kpk_sk_anggota_{tahun}")
        mgrid = edit_grid(members, f"kpk_sk_anggota_{tahun}", disabled=(), column_config={
            "Pegawai": st.column_config.SelectboxColumn("Pegawai", options=options, required=True, width="large"),
            "Peran": st.column_config.SelectboxColumn("Peran", options=list(TP.PERAN), required=True)})
        if st.button("Simpan SK dan anggota", type="primary", key="kpk_sk_simpan", icon=":material/save:"):
            mframe = mgrid.edited.drop(columns=[NO])
            act(lambda: TP.save_sk(actor, tahun, sk_no, sk_tgl, mframe), ok=lambda n: f"SK dicatat dengan {n} anggota.",
                then=lambda _: mgrid.reset())
        paste_box(mgrid, lambda text: TP.preview_paste_anggota(actor, text), labels={}, columns=tuple(TP.ANGGOTA_COLS),
                  upsert="Pegawai", download=(f"anggota_tim_penyusun_{tahun}.xlsx",
                                              lambda: TP.anggota_xlsx(actor, tahun)),
                  hint="Pegawai ditulis NIP-nya, namanya, atau seperti di tabel (Nama (NIP)); Peran: "
                       + ", ".join(TP.PERAN) + ". Pegawai yang sudah ada di tabel diubah perannya; yang lain "
                       "ditambahkan. Klik Simpan SK dan anggota setelah diterapkan.")
        scan_file = st.file_uploader("Pindaian SK yang ditandatangani (PDF/JPG/PNG, maks. 10 MB)",
                                     type=["pdf", "png", "jpg", "jpeg"], key=f"kpk_sk_scan_{tahun}", help=UPLOAD_HELP)
        if scan_file is not None and st.button("Unggah pindaian", key="kpk_sk_unggah", icon=":material/upload:"):
            act(lambda: TP.upload_scan(actor, tahun, scan_file.name, scan_file.getvalue()),
                ok="Pindaian SK tersimpan.")
    if sk and sk.get("scan_nama"):
        st.download_button(f"Unduh pindaian SK ({sk['scan_nama']})",
                           data=lambda: (TP.scan(actor, tahun) or ("", b""))[1], file_name=sk["scan_nama"],
                           key="kpk_sk_unduh", icon=":material/download:")
