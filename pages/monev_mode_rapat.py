"""Mode Rapat: the monthly monev meeting on the projector (SOP 002 step 3). One wide page without sidebar, large
type, one section at a time with big Sebelumnya / Berikutnya buttons and a section list. The figures are the
snapshot frozen when the meeting started (before that: a preview of the current figures)."""

import streamlit as st

from services import monev
from ui import monev as mr
from ui.guard import page_actor

actor = page_actor(__file__)
st.set_page_config(page_title="Mode Rapat · e-Kinerja", layout="wide", initial_sidebar_state="collapsed")
mr.style()
CHART_H = mr.BODY_H  # px under the heading and navigation at 1280×720 (larger screens: the same, zoomed)

meetings = monev.rapat.daftar(actor)
if meetings.empty:
    st.title("Mode Rapat")
    st.info("Belum ada rapat monev. Petugas Perencana merencanakannya di halaman Rapat Monev.")
    st.stop()
labels = dict(zip(meetings["id"].astype(int), meetings["Bulan"], strict=True))
asked = st.query_params.get("rapat")
default = int(asked) if asked and asked.isdigit() and int(asked) in labels else monev.rapat.untuk_mode_rapat(actor)
ids = list(labels)
rid = st.session_state.get("mr_rapat", default)
if rid not in labels:
    rid = ids[0]

rapat = monev.rapat.by_id(actor, rid)
snap = monev.rapat.snapshot(actor, rid)
preview = snap is None
if preview:
    @st.cache_data(ttl=120, show_spinner="Menghitung angka…")
    def _preview(username: str, rapat_id: int, _actor) -> dict:
        return monev.rapat.pratinjau(_actor, rapat_id)

    snap = _preview(actor.username, rid, actor)
sections = monev.snapshot.sections(snap)
KEY = f"mr_bagian_{rid}"  # the section list is the one source of the position; the buttons move it
if st.session_state.get(KEY, 0) >= len(sections):
    st.session_state[KEY] = 0
idx = int(st.session_state.get(KEY, 0))


def _go(step: int) -> None:
    st.session_state[KEY] = max(0, min(len(sections) - 1, int(st.session_state.get(KEY, 0)) + step))


def _rapat() -> None:
    st.session_state["mr_rapat"] = int(st.session_state["mr_pilih_rapat"])


sec = sections[idx]
sub = f"Rapat Monev {rapat['label']} · data {snap['data']['label']}"
sub += " · PRATINJAU (angka belum dibekukan)" if preview else f" · angka per {snap['diambil_at'][:16].replace('T', ' ')}"
mr.head(sec["judul"], sub, f"{idx + 1}/{len(sections)}")
b1, b2, b3, b4 = st.columns([2, 5, 2, 3], vertical_alignment="center")
b1.button("◀ Sebelumnya", key="mr_prev", on_click=_go, args=(-1,), disabled=idx == 0, width="stretch")
b2.selectbox("Daftar bagian", list(range(len(sections))), key=KEY, format_func=lambda i: f"{i + 1}. {sections[i]['judul']}", label_visibility="collapsed")
b3.button("Berikutnya ▶", key="mr_next", on_click=_go, args=(1,), disabled=idx == len(sections) - 1,
          type="primary", width="stretch")
b4.selectbox("Rapat", ids, index=ids.index(rid), key="mr_pilih_rapat", on_change=_rapat,
             format_func=lambda i: f"Rapat {labels[i]}", label_visibility="collapsed")
mr.render(snap, sec["key"], CHART_H)
