"""SKP Saya (pegawai): the annual SKP of a period segment — hasil kerja grid, lampiran, perilaku kerja, submit;
notes of a returned SKP; the locked view of an approved SKP with the revision request."""

import streamlit as st

from services import skp
from services.core import fmt
from services.skp import revisi as skp_revisi
from services.skp import view as skp_view
from ui import skp as ui
from ui.actions import keep_edits, or_stop
from ui.grid import edit_grid, flash, paste_box, save_button
from ui.guard import page_actor
from ui.tabs import page_tabs
from ui.text import md

actor = page_actor(__file__)

st.title("SKP Saya")
if actor.pegawai_id is None:
    st.info("Akun ini tidak terhubung dengan data pegawai, sehingga tidak memiliki SKP. "
            "SKP disusun oleh setiap pegawai dari akunnya sendiri.")
    st.stop()

# --- period and segment -------------------------------------------------------------------------------------
periods = skp.periods()
if periods.empty:
    st.info("Belum ada periode kinerja. Admin SDM perlu membuka periode terlebih dahulu.")
    st.stop()
opened = periods[periods["status"] == "Dibuka"]
default = int(opened.iloc[0]["id"]) if not opened.empty else int(periods.iloc[0]["id"])
by_id = {int(r.id): r for r in periods.itertuples()}
ids = list(by_id)
left, right = st.columns([1, 3])
period_id = left.selectbox("Periode", ids, index=ids.index(default), key="skp_saya_periode",
                           format_func=lambda i: f"{by_id[i].tahun} ({by_id[i].status})")
period = by_id[period_id]

current = None
if period.status == "Dibuka":
    current = or_stop(lambda: skp.get_or_create_skp(actor, period_id))
segments = skp.my_segments(actor, period_id)
if not segments:
    st.info(f"Anda tidak memiliki SKP pada periode {md(period.tahun)}, dan periode ini sudah ditutup.")
    st.stop()
seg_ids = [g.id for g in segments]
sid = current if current in seg_ids else seg_ids[-1]
if len(segments) > 1:
    labels = {g.id: ui.segment_label(g) for g in segments}
    sid = right.selectbox("Segmen SKP (perpindahan jabatan dalam tahun berjalan)", seg_ids,
                          index=seg_ids.index(sid), format_func=labels.get, key=f"skp_saya_segmen_{period_id}")

d = or_stop(lambda: skp.skp_detail(actor, sid))

# Services refuse a change when the SKP moved on since the version the user saw (the previous run's).
SHOWN = f"skp_shown_version_{sid}"
seen = st.session_state.get(SHOWN, d.row_version)
st.session_state[SHOWN] = d.row_version
GRID = f"skp_rhk_{sid}_{d.version_no}"
flash(GRID)
ui.header(d, skp_view.tenggat(actor, d.tahun))
if d.status == "DIKEMBALIKAN":
    ui.return_notes(d)


def _lampiran_form() -> None:
    gen = st.session_state.get(f"skp_gen_{sid}", 0)
    with st.form(f"skp_lampiran_{sid}_{d.version_no}_{gen}"):
        st.caption("Satu butir per baris. Baris kosong diabaikan.")
        texts = {jenis: st.text_area(jenis, "\n".join(items), height=120, key=f"lamp_{sid}_{gen}_{jenis}")
                 for jenis, items in d.lampiran.items()}
        if st.form_submit_button("Simpan lampiran", type="primary", icon=":material/save:"):
            lists = {j: t.splitlines() for j, t in texts.items()}
            ui.attempt(lambda: skp.save_lampiran(actor, sid, lists, expected_version=seen),
                       "Lampiran disimpan.")


def _pendekatan() -> None:
    options = ["Kuantitatif", "Kualitatif"]
    value = st.radio("Pendekatan penyusunan target", options, index=options.index(d.pendekatan), horizontal=True,
                     key=f"skp_pendekatan_{sid}_{d.row_version}")
    if value != d.pendekatan:
        ui.attempt(lambda: skp.set_pendekatan(actor, sid, value, expected_version=seen),
                   f"Pendekatan diubah menjadi {value}.")


def _start_buttons(g) -> None:
    """'Mulai dari RHK pejabat penilai' and 'Salin dari SKP tahun lalu' (empty grid, or after a confirmation)."""
    need_confirm = bool(d.rhk) or g.dirty
    ok = True
    if need_confirm:
        ok = st.checkbox("Saya mengerti: perubahan di tabel yang belum disimpan akan hilang dan RHK baru "
                         "ditambahkan ke SKP ini.", key=f"skp_mulai_ok_{sid}")
    c1, c2 = st.columns(2)
    if d.format == "JA/JF" and c1.button("Mulai dari RHK pejabat penilai", icon=":material/call_split:",
                                         disabled=not ok, key=f"skp_mulai_{sid}"):
        _bump_and(lambda: skp.start_from_penilai_rhk(actor, sid), g,
                  "RHK pejabat penilai ditambahkan sebagai RHK Utama. Sesuaikan uraian dan target untuk peran Anda.")
    if c2.button("Salin dari SKP tahun lalu", icon=":material/content_copy:", disabled=bool(d.rhk) or not ok,
                 key=f"skp_salin_{sid}",
                 help="Hanya untuk SKP yang masih kosong." if d.rhk else "RHK, indikator dan lampiran disalin."):
        _bump_and(lambda: skp.copy_from_last_year(actor, sid), g,
                  "RHK dan lampiran SKP tahun lalu disalin. Pilih kembali RHK pimpinan yang diintervensi.")


def _bump_and(call, g, success: str) -> None:
    def run():
        call()
        g.reset()
        st.session_state[f"skp_gen_{sid}"] = st.session_state.get(f"skp_gen_{sid}", 0) + 1

    ui.attempt(run, success)


def _grid_tab() -> object:
    _pendekatan()
    options = skp.parent_options(actor, sid) if d.format == "JA/JF" else []
    if d.format == "JA/JF":
        if not options:
            st.warning("Pejabat penilai Anda belum memiliki RHK pada periode ini. RHK Utama wajib mengintervensi "
                       "RHK pejabat penilai; minta pejabat penilai menyusun SKP-nya lebih dahulu.")
        else:
            with st.expander(f"RHK pejabat penilai yang dapat diintervensi ({len(options)}, "
                             f"SKP {options[0].status_skp.lower()})"):
                st.dataframe([{"RHK": o.label, "Jenis": o.jenis, "Indikator": "; ".join(o.indikator)}
                              for o in options], hide_index=True, width="stretch", placeholder="")
                if options[0].status_skp != "Disetujui":
                    st.caption("SKP pejabat penilai belum disetujui: SKP Anda baru dapat diajukan setelahnya.")
    buttons = st.container()
    config, shown = ui.grid_config(d.format, [o.label for o in options])
    st.caption("Satu baris = satu indikator. Tambah baris di bawah tabel atau tempel dari Excel; kosongkan kolom "
               "Rencana Hasil Kerja untuk menambah indikator pada RHK di atasnya.")
    g = edit_grid(skp.grid(actor, sid), GRID, column_config=config,
                  disabled=("id", "rhk_id"), column_order=shown)
    save_button(g, keep_edits(lambda rows, deleted: _saved(skp.save_rhk_grid(actor, sid, rows, deleted,
                                                                         expected_version=seen))),
                label="Simpan hasil kerja")
    paste_box(g, lambda text: skp.preview_paste(actor, sid, text), labels=skp.LABELS,
              columns=skp.paste_columns(d.format), key=f"skp_tempel_{sid}", upsert=True,
              download=(f"skp_{sid}.xlsx", lambda: skp.grid_xlsx(actor, sid)),
              hint="RHK ditulis teksnya atau nomornya dalam SKP (1, 2, …); kosongkan untuk menambah indikator pada RHK "
                   "di atasnya. Baris dengan RHK dan indikator yang sudah ada mengubah baris itu; baris lain "
                   "ditambahkan. Target dengan koma atau titik.")
    with buttons:
        _start_buttons(g)
    return g


def _saved(result) -> str:
    return f"Hasil kerja disimpan: {result.rhk} RHK, {result.iki} indikator."


def _submit(g) -> None:
    st.subheader("Ajukan ke pejabat penilai")
    if d.penilai is None:
        st.warning("Pejabat penilai Anda belum ditetapkan. Hubungi Admin SDM.")
    if not d.can_submit:
        st.caption("Isi dan simpan minimal satu Rencana Hasil Kerja sebelum mengajukan SKP.")
    if g.dirty:
        st.warning("Ada perubahan pada tabel hasil kerja yang belum disimpan. Simpan dahulu sebelum mengajukan.")
    ok = st.checkbox("Saya telah memeriksa SKP ini dan siap mengajukannya kepada pejabat penilai.",
                     key=f"skp_ajukan_ok_{sid}")
    if st.button("Ajukan ke pejabat penilai", type="primary", icon=":material/send:",
                 disabled=not (ok and d.can_submit and not g.dirty), key=f"skp_ajukan_{sid}"):
        ui.attempt(lambda: skp.submit(actor, sid, expected_version=seen),
                   "SKP diajukan kepada pejabat penilai. Anda akan melihat hasil verifikasinya di halaman ini.")


def _revision() -> None:
    st.subheader("Revisi SKP")
    pending = d.pending_revision
    if pending is not None:
        st.info(f"Permintaan revisi Anda ({fmt.waktu(pending.requested_at)}) menunggu keputusan pejabat penilai."
                f"  \n**Alasan:** {md(pending.alasan)}", icon=":material/hourglass_top:")
    elif d.can_request_revision:
        st.caption("SKP yang sudah disetujui terkunci. Bila SKP perlu diubah (misalnya ada tugas tambahan), "
                   "ajukan permintaan revisi; setelah diterima pejabat penilai, versi baru dapat disusun.")
        with st.form(f"skp_revisi_{sid}_{d.version_no}"):
            alasan = st.text_area("Alasan revisi", max_chars=skp_revisi.MAX_CATATAN)
            if st.form_submit_button("Ajukan permintaan revisi", icon=":material/edit_document:"):
                ui.attempt(lambda: skp.request_revision(actor, sid, alasan),
                           "Permintaan revisi diajukan kepada pejabat penilai.")


tab_hasil, tab_lampiran, tab_perilaku = page_tabs(["Hasil Kerja", "Lampiran", "Perilaku Kerja"], key="skp_tab")
if d.can_edit:
    with tab_hasil:
        grid = _grid_tab()
    with tab_lampiran:
        _lampiran_form()
    with tab_perilaku:
        ui.show_perilaku(d)
    _submit(grid)
else:
    with tab_hasil:
        if d.status == "DIAJUKAN":
            st.info(f"SKP diajukan pada {fmt.waktu(d.submitted_at)} dan sedang diverifikasi pejabat penilai. "
                    "SKP tidak dapat diubah sampai ada keputusan.", icon=":material/hourglass_top:")
        elif d.locked:
            st.success("SKP telah disetujui dan terkunci. Cetak dan arsipkan SKP di menu **Cetak & Arsip SKP**.",
                       icon=":material/lock:")
        st.caption(f"Pendekatan: {md(d.pendekatan)}")
        ui.show_rhk(d)
    with tab_lampiran:
        ui.show_lampiran(d)
    with tab_perilaku:
        ui.show_perilaku(d)
    if d.locked:
        _revision()
ui.revisions(d)
