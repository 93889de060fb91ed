"""The Mutasi form on the Pegawai page: new jabatan/unit from a date, splitting the running SKP."""

from __future__ import annotations

import streamlit as st

from services.core import Actor, clock
from services.skp import mutasi
from ui.actions import act

NO_TIM = "(tanpa tim)"


def _index(pairs: list[tuple[int, str]], value: int | None) -> int | None:
    return next((i for i, (k, _) in enumerate(pairs) if k == value), None)


def transfer_form(actor: Actor, pegawai_ids: list[int] | None = None) -> None:
    """`pegawai_ids`: offer only these pegawai (the rows the page shows, in a large office) instead of everyone."""
    opts = mutasi.options(actor, pegawai_ids)
    with st.expander("Mutasi / perpindahan jabatan", icon=":material/swap_horiz:"):
        st.caption("Untuk pegawai yang pindah jabatan atau unit. Segmen SKP yang berjalan ditutup sehari sebelum "
                   "tanggal berlaku dan SKP baru (Draft) untuk jabatan baru dibuka; SKP lama tetap tersimpan. "
                   "Setelah itu periksa Hubungan Penilaian pegawai tersebut.")
        if pegawai_ids is not None:
            st.caption("Pilihan pegawai mengikuti filter dan halaman tabel di atas; cari nama atau NIP di sana "
                       "untuk pegawai lain.")
        labels = dict(opts.pegawai)
        pid = st.selectbox("Pegawai", [k for k, _ in opts.pegawai], format_func=labels.get, index=None,
                           placeholder="Pilih pegawai", key="mutasi_pegawai")
        if pid is None:
            return
        jab_now, unit_now, tim_now = opts.current.get(pid, (None, None, None))
        jab_label, unit_label = dict(opts.jabatan), dict(opts.unit)
        tim_label = {0: NO_TIM, **dict(opts.tim)}
        with st.form("mutasi_form"):
            jab = st.selectbox("Jabatan baru", list(jab_label), format_func=jab_label.get,
                               index=_index(opts.jabatan, jab_now))
            unit = st.selectbox("Unit baru", list(unit_label), format_func=unit_label.get,
                                index=_index(opts.unit, unit_now))
            tim = st.selectbox("Tim kerja", list(tim_label), format_func=tim_label.get,
                               index=_index(list(tim_label.items()), tim_now or 0) or 0)
            tanggal = st.date_input("Tanggal berlaku", value=clock.today(), format="DD/MM/YYYY")
            submitted = st.form_submit_button("Catat mutasi", type="primary")
        if not submitted:
            return
        if jab is None or unit is None:
            st.error("Pilih jabatan dan unit baru.")
            return
        act(lambda: mutasi.transfer(actor, pid, jabatan_id=jab, unit_id=unit, tim_id=tim or None,
                                    effective_date=tanggal), ok=lambda r: r.pesan, rerun=False)
