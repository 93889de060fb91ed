"""Pohon Kinerja (Cascading): RHK by RHK from the head of office down, with cascade gaps flagged."""

import streamlit as st

from services.core import export, fmt
from services.skp import GAP_NO_PARENT, GAP_NOT_INTERVENED
from services.skp import monitoring_views as skp_monitoring
from ui import skp_charts
from ui.actions import or_stop
from ui.guard import page_actor
from ui.pager import pager
from ui.text import md

actor = page_actor(__file__)
TREE_PAGE = 100  # pegawai of the tree per page, in tree order (the pager shows the rest)
TABLE_PAGE = 300  # rows of the table per page (the Excel file holds all)

st.title("Pohon Kinerja (Cascading)")
st.caption("Rencana Hasil Kerja (RHK) dari pimpinan tertinggi sampai staf, menurut hubungan penilaian yang berlaku. "
           "Celah ditandai: RHK pimpinan yang belum diintervensi bawahan, dan RHK Utama yang tidak mengintervensi "
           "RHK pimpinan mana pun.")

GAP_BADGE = {GAP_NOT_INTERVENED: "orange", GAP_NO_PARENT: "red"}
STATUS_BADGE = {"Belum dibuat": "gray", "Draft": "blue", "Diajukan": "orange", "Dikembalikan": "red",
                "Disetujui": "green"}

c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
with c1:
    period = skp_charts.period_select(actor, "kaskade_periode")
if period is None:
    st.stop()
only_problems = c2.toggle("Tampilkan hanya yang bermasalah", key="kaskade_bermasalah",
                          help="Hanya RHK yang bercelah, pegawai yang belum membuat SKP, dan atasan mereka.")

units, default_unit, large = skp_monitoring.cascade_units(actor)
unit_id = None
if units:  # leaders: one unit's subtree, or the whole organisation ("Semua unit", the default of a small office)
    names = dict(units)
    choices = [0, *names]  # 0 = "Semua unit" (an option of None would show Streamlit's empty-choice placeholder)
    unit_id = st.selectbox("Unit kerja", choices, index=choices.index(default_unit or 0) if large else 0,
                           format_func=lambda u: names.get(u, "Semua unit"), key="kaskade_unit",
                           help="Pohon kinerja pegawai unit ini dan unit di bawahnya.") or None
    if large and unit_id is None:
        st.caption("Organisasi besar: memuat seluruh unit dapat memerlukan waktu lebih lama.")
    elif large:
        st.caption("Organisasi besar: pohon kinerja dibuka pada satu unit. Pilih unit lain, unit di atasnya, atau "
                   "Semua unit untuk melihat pegawai lainnya.")
view = or_stop(lambda: skp_monitoring.cascade_view(actor, period.id, unit_id=unit_id))

summary = skp_monitoring.summarize(view.nodes)
m = st.columns(5)
m[0].metric("Pegawai", fmt.angka(summary.pegawai), border=True)
m[1].metric("Tanpa SKP", fmt.angka(summary.tanpa_skp), border=True, help="Pegawai yang belum membuat SKP.")
m[2].metric("Jumlah RHK", fmt.angka(summary.rhk), border=True)
m[3].metric("Belum diintervensi", fmt.angka(summary.belum_diintervensi), border=True,
            help=f"{GAP_NOT_INTERVENED}: RHK Utama pimpinan yang belum diintervensi RHK bawahan mana pun.")
m[4].metric("Tanpa RHK pimpinan", fmt.angka(summary.tanpa_induk), border=True,
            help=f"{GAP_NO_PARENT}: RHK Utama pegawai JA/JF yang tidak mengintervensi RHK pejabat penilainya.")

if not view.nodes:
    st.info("Belum ada pegawai dalam pohon kinerja periode ini.")
    st.stop()

if summary.celah:
    with st.expander("Celah per unit kerja", expanded=False):
        st.altair_chart(skp_charts.gaps_per_unit(skp_monitoring.gaps_per_unit(view.nodes)), width="stretch")
else:
    st.success("Tidak ada celah cascading: setiap RHK pimpinan sudah diintervensi dan setiap RHK Utama "
               "mengintervensi RHK pimpinan.")

nodes = skp_monitoring.only_problems(view.nodes) if only_problems else view.nodes


def badge(color: str, text: str) -> str:
    return f":{color}-badge[{text.replace('[', '(').replace(']', ')')}]"


def render_rhk(r) -> None:
    gaps = [g for g in (GAP_NOT_INTERVENED, GAP_NO_PARENT) if skp_monitoring.has_gap(r, g)]
    head = f"**RHK {r.jenis} {r.nomor}.** {r.uraian}"
    st.markdown(" ".join([head, *(badge(GAP_BADGE[g], "⚠ " + g) for g in gaps)]))
    lines = [f"- IKI: {t}" for t in view.iki.get(r.id, [])] or ["- IKI: _belum diisi_"]
    lines += [f"- Mengintervensi: {view.ref(p)}" for p in r.parent_ids]
    below = [view.refs[c] for c in r.child_ids if c in view.refs]
    if below:
        lines.append("- Diintervensi oleh: " + "; ".join(f"{b.pegawai} (RHK {b.jenis} {b.nomor})" for b in below))
    st.markdown("\n".join(lines))


st.subheader("Pohon kinerja")
st.caption("Buka satu pegawai untuk melihat RHK, IKI, RHK pimpinan yang diintervensi, dan bawahan yang "
           "mengintervensi setiap RHK.")
if not nodes:
    st.success("Tidak ada yang bermasalah.")
walked = list(skp_monitoring.walk(nodes))
tree_page = pager("kaskade_pohon", total=len(walked), size=TREE_PAGE, label="pegawai")
for level, node in walked[tree_page.offset:tree_page.offset + tree_page.limit]:
    own_gaps = sum(1 for r in node.rhk if r.celah)
    label = f"{'↳ ' if level > 1 else ''}**{node.nama}** · {node.jabatan or '-'} · SKP: {node.status}"
    if own_gaps:
        label += f" · :red[⚠ {own_gaps} celah]"
    elif node.skp_id is None:
        label += " · :gray[belum ada SKP]"
    body = st.container() if level == 1 else st.columns([0.8 * (level - 1), 24], gap="small")[1]
    with body, st.expander(label, expanded=only_problems or level == 1):
        st.markdown(f"{badge(STATUS_BADGE.get(node.status, 'gray'), 'SKP ' + node.status)} "
                    f"{md(node.unit or '')}")
        if node.skp_id is None:
            st.info("Pegawai ini belum membuat SKP pada periode ini.")
        elif not node.rhk:
            st.caption("Tidak ada RHK yang bermasalah." if only_problems else "SKP belum berisi RHK.")
        for r in node.rhk:
            render_rhk(r)

st.subheader("Tabel cascading")
frame = skp_monitoring.cascade_frame(view, nodes)
table_page = pager("kaskade_tabel_hal", total=len(frame), size=TABLE_PAGE, label="baris")
st.dataframe(frame.iloc[table_page.offset:table_page.offset + table_page.limit], hide_index=True, width="stretch", key="kaskade_tabel",
             column_config={k: st.column_config.TextColumn(v) for k, v in skp_monitoring.CASCADE_COLUMNS.items()
                            if k != "tingkat"} | {"tingkat": st.column_config.NumberColumn("Tingkat", format="%d")}, placeholder="")
st.download_button(
    "Unduh Excel", lambda: skp_monitoring.cascade_xlsx(view, nodes), file_name=f"pohon_kinerja_{period.tahun}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:",
    key="kaskade_unduh", on_click=export.record_export, args=(actor, "PohonKinerja", len(frame)),
)
