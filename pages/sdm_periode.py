"""Periode & Instansi (Admin SDM): performance years with their evaluation rhythm, and the instansi profile."""


import streamlit as st

from services.core import clock, fmt, settings
from services.org import PeriodeEvaluasi, periods
from ui.actions import act
from ui.guard import page_actor
from ui.tabs import page_tabs

actor = page_actor(__file__)

RHYTHMS = [p.value for p in PeriodeEvaluasi]


def _status_change(action, period_id: int, ok: str) -> None:
    act(lambda: action(actor, period_id), ok=ok, later=True)  # a button callback


st.title("Periode & Instansi")

tab_periode, tab_instansi = page_tabs(["Periode kinerja", "Profil instansi"], key="periode_tab")

with tab_periode:
    st.caption(
        "Satu periode = satu tahun kinerja. Periode evaluasi menentukan evaluasi berkala: Bulanan (12 bulan) "
        "atau Triwulanan (Triwulan I–IV; triwulan IV sekaligus evaluasi tahunan)."
    )
    df = periods.list_periods(actor)
    if df.empty:
        st.info("Belum ada periode. Buat periode tahun berjalan di bawah.")
        selected = None
    else:
        shown = df.assign(
            tanggal_mulai=df["tanggal_mulai"].map(fmt.tanggal), tanggal_selesai=df["tanggal_selesai"].map(fmt.tanggal)
        )
        sel = st.dataframe(
            shown, key="periode_tabel", hide_index=True, width="stretch", on_select="rerun",
            selection_mode="single-row",
            column_order=("tahun", "tanggal_mulai", "tanggal_selesai", "periode_evaluasi", "status"),
            column_config={"tahun": st.column_config.NumberColumn("Tahun", format="%d"),
                           "tanggal_mulai": "Tanggal mulai", "tanggal_selesai": "Tanggal selesai",
                           "periode_evaluasi": "Periode evaluasi", "status": "Status"}, placeholder=""
        )
        rows = sel.selection.rows if sel and hasattr(sel, "selection") else []
        selected = periods.get_period(actor, int(df.iloc[rows[0]]["id"])) if rows and rows[0] < len(df) else None
        if selected is None:
            st.caption("Pilih satu periode pada tabel untuk mengubah, menutup, atau membukanya kembali.")

    if selected is not None:
        with st.container(border=True):
            st.subheader(f"Periode {selected.tahun} — {selected.status}")
            st.markdown("**Evaluasi berkala:** " + ", ".join(sp.label for sp in periods.subperiods(selected)))
            if selected.dibuka:
                with st.form(f"ubah_periode_{selected.id}"):
                    c1, c2, c3 = st.columns(3)
                    mulai = c1.date_input("Tanggal mulai", selected.tanggal_mulai, format="DD/MM/YYYY")
                    selesai = c2.date_input("Tanggal selesai", selected.tanggal_selesai, format="DD/MM/YYYY")
                    rhythm = c3.selectbox("Periode evaluasi", RHYTHMS, index=RHYTHMS.index(selected.periode_evaluasi))
                    if st.form_submit_button("Simpan perubahan", type="primary"):
                        act(lambda: periods.update_period(actor, selected.id, tanggal_mulai=mulai,
                                                          tanggal_selesai=selesai, periode_evaluasi=rhythm),
                            ok=f"Periode {selected.tahun} disimpan.")
                st.button(f"Tutup periode {selected.tahun}", key=f"tutup_{selected.id}", icon=":material/lock:",
                          on_click=_status_change,
                          args=(periods.close_period, selected.id, f"Periode {selected.tahun} ditutup."))
            else:
                st.info("Periode ini sudah ditutup dan tidak dapat diubah. Buka kembali bila perlu koreksi.")
                st.button(f"Buka kembali periode {selected.tahun}", key=f"buka_{selected.id}",
                          icon=":material/lock_open:", on_click=_status_change,
                          args=(periods.reopen_period, selected.id, f"Periode {selected.tahun} dibuka kembali."))

    st.subheader("Periode baru")
    existing = set(df["tahun"].tolist()) if not df.empty else set()
    next_year = clock.today().year
    while next_year in existing:
        next_year += 1
    default_rhythm = settings.get("periode_evaluasi_bawaan")
    with st.form("periode_baru"):
        c0, c1, c2, c3 = st.columns(4)
        tahun = c0.number_input("Tahun", min_value=periods.MIN_TAHUN, max_value=periods.MAX_TAHUN, value=next_year,
                                step=1)
        mulai = c1.date_input("Tanggal mulai (kosong = 1 Januari)", None, format="DD/MM/YYYY")
        selesai = c2.date_input("Tanggal selesai (kosong = 31 Desember)", None, format="DD/MM/YYYY")
        rhythm = c3.selectbox("Periode evaluasi", RHYTHMS, index=RHYTHMS.index(default_rhythm))
        if st.form_submit_button("Buat periode", type="primary"):
            act(lambda: periods.create_period(actor, int(tahun), mulai, selesai, rhythm),
                ok=f"Periode {int(tahun)} dibuat dan dibuka.")

with tab_instansi:
    info = periods.get_instansi(actor)
    st.caption("Profil ini dipakai pada kop dan identitas dokumen (SKP, evaluasi, laporan).")
    with st.form("instansi"):
        values = {}
        for key, (label, limit) in periods.INSTANSI_FIELDS.items():
            values[key] = st.text_input(label + (" *" if key == "nama" else ""), getattr(info, key) or "",
                                        max_chars=limit)
        if st.form_submit_button("Simpan profil instansi", type="primary"):
            act(lambda: periods.update_instansi(actor, **values), ok="Profil instansi disimpan.")
