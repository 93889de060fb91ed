"""Penilaian Logbook: the pejabat penilai reviews the subordinates' submitted entries in one bulk grid (select
rows → approve, return for revision, reject, with one note for the selection and optional notes per row),
decides correction requests and sees overdue reviews. The pemberi pertimbangan (Ketua Tim) adds consideration
notes per entry or per pegawai-month and cannot decide. Admin SDM decides for pegawai without a pejabat penilai."""


import streamlit as st

from services import logbook
from services.core import clock, fmt, settings
from ui import logbook_review as lr
from ui.actions import act, or_stop
from ui.guard import page_actor
from ui.pager import pager
from ui.plt import acting_notice
from ui.tabs import page_tabs
from ui.text import md

actor = page_actor(__file__)
QUEUE_PAGE = 500  # rows per page of the review table (the pager shows the rest)
OVERDUE_PAGE = 100  # pegawai-months per page of the overdue details (the pager shows the rest)

if lr.only_considers(actor):
    st.title("Pertimbangan Logbook")
    st.caption("Pilih kegiatan anggota tim pada tabel (kotak di kiri baris) lalu tulis catatan pertimbangan Anda "
               "(SOP 000 langkah 4). Keputusan menyetujui, mengembalikan, atau menolak ada pada pejabat penilai.")
else:
    st.title("Penilaian Logbook")
    st.caption("Pilih kegiatan pada tabel (kotak di kiri baris) lalu setujui, kembalikan untuk revisi, atau tolak "
               "sekaligus. Hanya menit kegiatan yang disetujui yang dihitung sebagai capaian bulanan pegawai.")
acting_notice(actor)
filters = or_stop(logbook.review_filters, actor)

today = clock.today()
overdue_pg = st.session_state.get("penilaian_lb_lewat_halaman", 1)
overdue = logbook.overdue_page(actor, today=today, limit=OVERDUE_PAGE, offset=(int(overdue_pg) - 1) * OVERDUE_PAGE)
if overdue.jumlah:
    st.warning(f"⚠ {fmt.angka(overdue.jumlah)} kegiatan melewati batas penilaian (SOP 000 langkah 6). "
               "Segera nilai kegiatan yang ditandai **Lewat batas**.")
    with st.expander("Rincian penilaian yang lewat batas"):
        pager("penilaian_lb_lewat", total=overdue.total, size=OVERDUE_PAGE, label="pegawai-bulan")
        st.dataframe(overdue.rows.drop(columns=["penilai_id", "pegawai_id"]).rename(columns={
            "penilai": "Pejabat Penilai", "pegawai": "Pegawai", "tahun": "Tahun", "bulan": "Bulan",
            "jumlah": "Jumlah Kegiatan", "batas_penilaian": "Batas Penilaian"}), hide_index=True, width="stretch", placeholder="")

corrections = logbook.correction_queue(actor)
tab_names = ["Pertimbangan kegiatan" if lr.only_considers(actor) else "Penilaian kegiatan", f"Permintaan koreksi ({len(corrections)})"]
if lr.is_pertimbangan(actor):
    tab_names.append("Catatan bulanan (pertimbangan)")
tabs = page_tabs(tab_names, key="lbp_tab")

def _review_grid(queue, page_no: int = 1) -> None:
    """The bulk grid, the notes and the decision (or consideration) buttons."""
    menunggu = int((queue["status"] == "Belum Diperiksa").sum())
    st.caption(f"{len(queue)} kegiatan ditampilkan, {md(menunggu)} belum diperiksa, "
               f"{int(queue['lewat_batas'].sum())} lewat batas penilaian.")
    view = lr.queue_view(queue)
    event = st.dataframe(view, key=lr.queue_key(page_no), on_select="rerun", selection_mode="multi-row",
                         hide_index=True, width="stretch", column_config=lr.QUEUE_CONFIG,
                         column_order=lr.queue_order(view), placeholder="")
    rows = [r for r in (event.selection.rows if event else []) if 0 <= r < len(queue)]
    chosen = queue.iloc[rows]
    ids = [int(i) for i in chosen["id"]]
    can_judge = bool(queue["bisa_menilai"].any())
    can_consider = bool(queue["bisa_pertimbangan"].any())
    per_row: dict[int, str] = {}
    if not rows:
        st.markdown("**0** kegiatan dipilih. Pilih satu atau beberapa baris pada tabel di atas.")
    else:
        st.markdown(f"**{len(rows)}** kegiatan dipilih dari "
                    f"{md(chosen['pegawai'].nunique())} pegawai.")
        lr.late_notice(chosen)
        with st.expander("Rincian kegiatan terpilih (uraian dan catatan lengkap)", expanded=len(rows) <= 3):
            lr.detail_pane(chosen)
        with st.expander("Catatan per kegiatan (opsional, menggantikan catatan bersama untuk baris tersebut)"):
            per_row = lr.row_notes(chosen)
    note = st.text_area("Catatan untuk semua kegiatan terpilih" + (
        " (wajib bila dikembalikan atau ditolak, kecuali setiap baris diberi catatan sendiri)" if can_judge else ""),
        key=lr.note_key(), max_chars=2000)

    if can_judge:
        b1, b2, b3 = st.columns(3)
        clicked = {
            "setujui": b1.button("Setujui", type="primary", disabled=not rows, key="penilaian_lb_setujui",
                                 icon=":material/done_all:", width="stretch"),
            "kembalikan": b2.button("Kembalikan untuk revisi", disabled=not rows, key="penilaian_lb_kembalikan",
                                    icon=":material/undo:", width="stretch"),
            "tolak": b3.button("Tolak", disabled=not rows, key="penilaian_lb_tolak", icon=":material/block:",
                               width="stretch"),
        }
        decision = next((d for d, hit in clicked.items() if hit), None)
        if lr.confirm_bulk_approval(chosen, decision, settings.get("konfirmasi_setujui_massal")):
            act(lambda: logbook.review(actor, ids, "setujui", note=note, notes_by_id=per_row, today=today),
                ok=lambda n: f"{n} kegiatan logbook {lr.DECISION_DONE['setujui']}.",
                fail="Tidak ada kegiatan yang dinilai:", reset=lr.SCOPE)
        elif decision and decision != "setujui":
            act(lambda: logbook.review(actor, ids, decision, note=note, notes_by_id=per_row, today=today),
                ok=lambda n: f"{n} kegiatan logbook {lr.DECISION_DONE[decision]}.",
                fail="Tidak ada kegiatan yang dinilai:", reset=lr.SCOPE)
    if can_consider:
        if not can_judge:
            st.caption("Sebagai pemberi pertimbangan (Ketua Tim), Anda memberi catatan pertimbangan; keputusan "
                       "menyetujui ada pada pejabat penilai.")
        if st.button("Simpan catatan pertimbangan", disabled=not rows, key="penilaian_lb_pertimbangan",
                     icon=":material/rate_review:"):
            act(lambda: logbook.set_pertimbangan(actor, ids, note=note, notes_by_id=per_row),
                ok=lambda n: f"Catatan pertimbangan disimpan untuk {n} kegiatan.",
                fail="Catatan pertimbangan tidak disimpan:", reset=lr.SCOPE)


# --- the bulk grid --------------------------------------------------------------------------------------------
with tabs[0]:
    c1, c2, c3, c4 = st.columns([3, 2, 2, 3])
    pegawai_id = c1.selectbox("Pegawai", [None, *filters.pegawai], key="penilaian_lb_pegawai",
                              format_func=lambda i: "Semua pegawai" if i is None else filters.pegawai[i])
    rentang = c2.date_input("Rentang tanggal", value=(), format="DD/MM/YYYY", key="penilaian_lb_rentang")
    status = c3.selectbox("Status", [*filters.status, None], key="penilaian_lb_status",
                          format_func=lambda s: "Semua status" if s is None else s)
    rhk_id = c4.selectbox("RHK", [None, *filters.rhk], key="penilaian_lb_rhk",
                          format_func=lambda i: "Semua RHK" if i is None else filters.rhk[i])
    rentang = tuple(rentang) if isinstance(rentang, (list, tuple)) else (rentang,)
    date_from = rentang[0] if rentang else None
    date_to = rentang[1] if len(rentang) > 1 else date_from
    chosen_filters = dict(pegawai_id=pegawai_id, date_from=date_from, date_to=date_to, status=status, rhk_id=rhk_id)
    total = logbook.review_queue_count(actor, **chosen_filters)
    page = pager("penilaian_lb", total=total, size=QUEUE_PAGE, label="kegiatan")
    queue = logbook.review_queue(actor, **chosen_filters, today=today, limit=page.limit, offset=page.offset)
    if queue.empty:
        st.info("Tidak ada kegiatan logbook yang sesuai dengan filter.")
    else:
        _review_grid(queue, page.number)

# --- correction requests --------------------------------------------------------------------------------------
with tabs[1]:
    if corrections.empty:
        st.info("Tidak ada permintaan koreksi logbook yang menunggu keputusan Anda.")
    for r in corrections.itertuples():
        kid = int(r.id)
        with st.container(border=True):
            st.markdown(f"**{lr.md(r.pegawai)}** — {fmt.tanggal(r.tanggal)}: {lr.md(r.uraian)}")
            st.markdown(f"Alasan koreksi: {lr.md(r.alasan)}")
            st.caption("Bila diterima, kegiatan yang sudah disetujui dibuka kembali (status Revisi) agar pegawai "
                       "dapat memperbaikinya dan mengajukannya lagi.")
            catatan = st.text_input("Catatan keputusan (opsional)", key=f"penilaian_lb_koreksi_catatan_{kid}")
            left, right = st.columns(2)
            accept = left.button("Terima koreksi", key=f"penilaian_lb_koreksi_terima_{kid}", icon=":material/check:")
            reject = right.button("Tolak koreksi", key=f"penilaian_lb_koreksi_tolak_{kid}", icon=":material/close:")
            if accept or reject:
                act(lambda kid=kid, accept=accept, catatan=catatan: logbook.decide_correction(
                    actor, kid, accept=accept, catatan=catatan),
                    ok=f"Permintaan koreksi {r.pegawai} " + ("diterima." if accept else "ditolak."),
                    fail="Keputusan tidak disimpan:", reset=lr.SCOPE)

# --- pemberi pertimbangan: one note per pegawai-month ---------------------------------------------------------
if len(tabs) > 2:
    with tabs[2]:
        if not filters.pegawai:
            st.info("Belum ada pegawai dengan kegiatan logbook yang diajukan.")
        else:
            c1, c2, c3 = st.columns([3, 1, 2])
            pid = c1.selectbox("Pegawai", list(filters.pegawai), format_func=filters.pegawai.get,
                               key="penilaian_lb_bulan_pegawai")
            tahun = c2.number_input("Tahun", min_value=2000, max_value=2100, value=today.year, step=1,
                                    key="penilaian_lb_bulan_tahun")
            bulan = c3.selectbox("Bulan", list(range(1, 13)), index=today.month - 1, format_func=fmt.bulan,
                                 key="penilaian_lb_bulan_bulan")
            current = act(lambda: logbook.month_note(actor, pid, int(tahun), bulan))
            text = st.text_area("Catatan pertimbangan bulan ini (kosongkan untuk menghapus)", value=current or "",
                                key=f"penilaian_lb_bulan_catatan_{pid}_{tahun}_{bulan}_{lr.version()}", max_chars=2000)
            if st.button("Simpan catatan bulanan", key="penilaian_lb_bulan_simpan", icon=":material/save:"):
                act(lambda: logbook.set_month_note(actor, pid, int(tahun), bulan, text),
                    ok=f"Catatan pertimbangan {fmt.bulan(bulan)} {int(tahun)} disimpan.",
                    fail="Catatan bulanan tidak disimpan:", reset=lr.SCOPE)
