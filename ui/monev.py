"""Mode Rapat (the projector view of the monthly monev meeting): page style and one renderer per section of the
frozen snapshot. Made to be read from the back of a room: large type, high contrast, no sidebar, every section
fitting one screen at 1280×720 and 1920×1080 (tables are capped in rows, charts have fixed heights)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from ui import kinerja_charts as kc

MAX_ROWS = 6
MAX_CHARTS = 3
BLUE, ORANGE, GREEN, RED, GREY = "#0B4F8A", "#E07000", "#1B7F3B", "#B3261E", "#6B7280"
CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
html {font-size: clamp(17px, 1.32vw, 28px);}
[data-testid="stMainBlockContainer"], .block-container {padding: 0.5rem 1.6rem 0.3rem !important;
  max-width: 100% !important;}
[data-testid="stApp"] {background: #FFFFFF; color: #0A0A0A;}
[data-testid="stVerticalBlock"] {gap: 0.45rem;}
.mr-head {border-bottom: 4px solid #0B4F8A; padding-bottom: 0.1rem;}
.mr-head h1 {font-size: 1.8rem; margin: 0; padding: 0; color: #0B4F8A; line-height: 1.2; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis;}
.mr-head .mr-sub {font-size: 0.85rem; color: #1F2937; font-weight: 600; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; display: block;}
.mr-big {font-size: 2.6rem; font-weight: 800; line-height: 1.05; color: #0A0A0A;}
.mr-label {font-size: 0.95rem; color: #1F2937; font-weight: 600;}
.mr-card {border: 2px solid #CBD5E1; border-radius: 10px; padding: 0.35rem 0.7rem; background: #F8FAFC;}
table.mr {border-collapse: collapse; width: 100%; font-size: 0.95rem;}
table.mr th {background: #0B4F8A; color: #FFFFFF; text-align: left; padding: 0.2rem 0.45rem;}
table.mr td {border-bottom: 1px solid #CBD5E1; padding: 0.18rem 0.45rem; color: #0A0A0A; vertical-align: top;}
table.mr td.n {text-align: right; white-space: nowrap;}
.mr-note {font-size: 0.95rem; color: #0A0A0A;}
.mr-muted {font-size: 0.85rem; color: #374151;}
div[data-testid="stButton"] button {font-size: 1.25rem; font-weight: 700; min-height: 2.6rem;}
</style>
"""


def style() -> None:
    st.html(CSS)


def esc(value: Any) -> str:
    return html.escape("-" if value is None else str(value))


def num(v: Any, digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "-"
    text = f"{float(v):,.{digits}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def head(title: str, sub: str, pos: str) -> None:
    st.html(f'<div class="mr-head"><h1>{esc(pos)} · {esc(title)}</h1><span class="mr-sub">{esc(sub)}</span></div>')


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[int] = (), limit: int = MAX_ROWS,
          more: str = "baris") -> None:
    body = []
    for r in rows[:limit]:
        body.append("<tr>" + "".join(f'<td class="{"n" if i in numeric else ""}">{esc(v)}</td>'
                                     for i, v in enumerate(r)) + "</tr>")
    extra = (f'<div class="mr-muted">… dan {len(rows) - limit} {more} lainnya (lihat laporan)</div>'
             if len(rows) > limit else "")
    st.html('<table class="mr"><tr>' + "".join(f"<th>{esc(h)}</th>" for h in headers) + "</tr>" + "".join(body)
            + "</table>" + extra)


def short(text: Any, n: int) -> str:
    s = "" if text is None else str(text)
    return s if len(s) <= n else s[: n - 1] + "…"


def card(label: str, value: str, note: str = "") -> None:
    st.html(f'<div class="mr-card"><div class="mr-label">{esc(label)}</div><div class="mr-big">{esc(value)}</div>'
            f'<div class="mr-muted">{esc(note)}</div></div>')


def _axis() -> dict[str, Any]:
    return {"labelFontSize": 15, "titleFontSize": 15, "labelColor": "#0A0A0A", "titleColor": "#0A0A0A"}


def _finish(chart: alt.Chart, height: int) -> alt.Chart:
    return (chart.properties(height=height, width="container")
            .configure_axis(**_axis()).configure_legend(labelFontSize=15, titleFontSize=15, orient="top")
            .configure_view(strokeWidth=0).configure_title(fontSize=17))


def chart_serapan(rincian: list[dict[str, Any]], height: int) -> alt.Chart:
    df = pd.DataFrame([{"Kode": r["Kode"], "Penyerapan (%)": r["Penyerapan (%)"] or 0} for r in rincian])
    bars = alt.Chart(df, title="Penyerapan per rincian output (% pagu)").mark_bar(color=BLUE).encode(
        y=alt.Y("Kode:N", title=None), x=alt.X("Penyerapan (%):Q", scale=alt.Scale(domain=[0, 100])),
        tooltip=["Kode", "Penyerapan (%)"])
    text = bars.mark_text(align="left", dx=4, fontSize=15, fontWeight="bold", color="#0A0A0A").encode(
        text=alt.Text("Penyerapan (%):Q", format=".1f"))
    return _finish(alt.layer(bars, text), height)


def chart_evaluasi(steps: list[dict[str, Any]], height: int) -> alt.Chart:
    df = pd.DataFrame(steps)
    chart = alt.Chart(df, title="Progres evaluasi kinerja").mark_bar().encode(
        x=alt.X("subperiode:N", title=None, axis=alt.Axis(labelAngle=0)), y=alt.Y("jumlah:Q", title="Pegawai"),
        color=alt.Color("langkah:N", title=None), tooltip=["subperiode", "langkah", "jumlah"])
    return _finish(chart, height)


# --- sections -------------------------------------------------------------------------------------------------


def section_iku(snap: dict[str, Any], h: int) -> None:
    iku = snap["iku"]
    if not iku.get("ada_pk") or not iku["rows"]:
        st.html('<div class="mr-note">Perjanjian Kinerja tahun ini belum ada; capaian IKU belum dapat ditampilkan.</div>')
        return
    ring = iku["ringkasan"]
    ang = ring.get("anggaran", {})
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        card("Rata-rata capaian kumulatif", f"{num(ring.get('capaian_rata_rata'), 1)} %", ring.get("kategori") or "")
    with c2:
        card("Jumlah indikator", str(len(iku["rows"])), f"data {snap['data']['label']}")
    bands: dict[str, int] = {}
    for r in iku["rows"]:
        k = r.get("Kategori Kumulatif") or "Belum ada data"
        bands[k] = bands.get(k, 0) + 1
    with c3:
        card("Pita capaian", " · ".join(f"{v}" for v in bands.values()), " · ".join(bands))
    with c4:
        card("Penyerapan anggaran", f"{num(ang.get('Penyerapan thd Pagu (%)'), 1)} %", "terhadap pagu")
    cap = pd.DataFrame(iku.get("capaian") or [])
    if not cap.empty:
        st.altair_chart(kc.capaian_chart(cap, iku.get("pita") or [], besar=True).properties(height=h - 150),
                        width="stretch", height=h, alt="Grafik realisasi vs target: capaian kumulatif per indikator")


def section_tim(tim: dict[str, Any], h: int) -> None:
    rows = tim["indikator"]
    if not rows:
        st.html('<div class="mr-note">Tim Kerja ini tidak memegang indikator pada Perjanjian Kinerja.</div>')
        return
    left, right = st.columns([3, 2])
    with left:
        table(["Kode", "Indikator", "Target", "Realisasi", "Target Kum.", "Realisasi Kum.", "Capaian Kum."],
              [[r["Kode"], short(r["Indikator"], 70), num(r["Target"]), num(r["Realisasi"]), num(r["Target Kumulatif"]),
                num(r["Realisasi Kumulatif"]), f"{num(r['Capaian Kumulatif (%)'], 1)} %"] for r in rows],
              numeric=(2, 3, 4, 5, 6), limit=3, more="indikator")
    with right:
        kendala = [f"{r['Kode']}: {r['Kendala']}" for r in rows if r.get("Kendala")]
        rtl = [f"{r['Kode']}: {r['Rencana Tindak Lanjut']}" for r in rows if r.get("Rencana Tindak Lanjut")]
        st.html('<div class="mr-note"><b>Kendala</b>: ' + esc("; ".join(kendala)[:220] or "tidak ada") + "</div>"
                '<div class="mr-note"><b>Rencana tindak lanjut</b>: ' + esc("; ".join(rtl)[:220] or "tidak ada")
                + "</div>")
    seri = pd.DataFrame(tim.get("seri") or [])
    ids = list(dict.fromkeys(seri["indikator_id"])) if not seri.empty else []
    shown = ids[:MAX_CHARTS]
    cols = st.columns(max(len(shown), 1))
    for col, iid in zip(cols, shown, strict=False):
        part = seri[seri["indikator_id"] == iid]
        r0 = part.iloc[0]
        with col:
            st.altair_chart(kc.realisasi_vs_target_chart(part, judul=f"{r0['Kode']} realisasi vs target",
                                                         besar=True, tinggi=h - 330), width="stretch",
                            height=h - 170, alt=f"Grafik realisasi vs target {r0['Kode']}")
    if len(ids) > MAX_CHARTS:
        st.html(f'<div class="mr-muted">Grafik {len(ids) - MAX_CHARTS} indikator lain ada di laporan.</div>')


def section_anggaran(snap: dict[str, Any], h: int) -> None:
    ang = snap["anggaran"]
    if not ang.get("kurva"):
        st.html('<div class="mr-note">Rincian anggaran (pagu dan RPD) belum diisi.</div>')
        return
    ring = ang["ringkasan"]
    c1, c2, c3 = st.columns(3)
    with c1:
        card("Pagu", f"Rp {num(ring.get('Pagu'), 0)}")
    with c2:
        card("Realisasi kumulatif", f"Rp {num(ring.get('Realisasi Kumulatif'), 0)}")
    with c3:
        card("Penyerapan", f"{num(ring.get('Penyerapan thd Pagu (%)'), 1)} %", "terhadap pagu")
    left, right = st.columns(2)
    with left:
        st.altair_chart(kc.kurva_s_chart(pd.DataFrame(ang["kurva"]), judul="Kurva S: rencana vs realisasi",
                                         besar=True, tinggi=h - 250), width="stretch", height=h - 120)
    with right:
        st.altair_chart(chart_serapan(ang["rincian"][:8], h - 180), width="stretch", height=h - 120)


def section_individu(snap: dict[str, Any], h: int) -> None:
    ind = snap.get("individu") or {}
    skp, lb, ev = ind.get("skp") or {}, ind.get("logbook") or {}, ind.get("evaluasi") or []
    c1, c2, c3, c4 = st.columns(4)
    status = skp.get("status", {})
    with c1:
        card("SKP disetujui", f"{status.get('Disetujui', 0)} / {skp.get('pegawai', 0)}",
             " · ".join(f"{k} {v}" for k, v in status.items() if k != "Disetujui")[:80])
    with c2:
        card("Kelengkapan logbook", f"{num(lb.get('rata_persen_bulan'), 1)} %",
             f"{lb.get('lengkap', 0)} dari {lb.get('pegawai', 0)} pegawai lengkap")
    with c3:
        card("Logbook menunggu penilaian", str(lb.get("menunggu_penilaian", 0)), f"revisi {lb.get('revisi', 0)}")
    with c4:
        done = sum(r["jumlah"] for r in ev if r.get("langkah") == "Disetujui")
        card("Evaluasi disetujui", str(done), "seluruh subperiode")
    if ev:
        st.altair_chart(chart_evaluasi(ev, h - 240), width="stretch", height=h - 120)
    else:
        st.html('<div class="mr-note">Belum ada data evaluasi kinerja periode ini.</div>')


def section_tindak_lanjut(snap: dict[str, Any]) -> None:
    rows = snap.get("tindak_lanjut") or []
    if not rows:
        st.html('<div class="mr-note">Tidak ada tindak lanjut dari rapat sebelumnya.</div>')
        return
    done = sum(1 for r in rows if r["Status"] == "Selesai")
    st.html(f'<div class="mr-note"><b>{done}</b> selesai, <b>{len(rows) - done}</b> masih terbuka.</div>')
    table(["Asal", "Tindak Lanjut", "PIC", "Tenggat", "Status"],
          [[r["Asal Rapat"], r["Tindak Lanjut"], r["PIC"], "-".join(reversed(r["Tenggat"].split("-"))), r["Status"]]
           for r in rows], limit=8, more="tindak lanjut")


def render(snap: dict[str, Any], key: str, h: int) -> None:
    if key == "iku":
        section_iku(snap, h)
    elif key.startswith("tim:"):
        tim = next((t for t in snap["tim"] if f"tim:{t['tim_id']}" == key), None)
        if tim is not None:
            section_tim(tim, h)
    elif key == "anggaran":
        section_anggaran(snap, h)
    elif key == "individu":
        section_individu(snap, h)
    else:
        section_tindak_lanjut(snap)
