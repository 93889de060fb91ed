"""Mode Rapat (the projector view of the monthly monev meeting): page style and one renderer per section of the
frozen snapshot. Made to be read from the back of a room: large type, high contrast, no sidebar, every section
fitting one screen (tables are capped in rows).

The page is laid out for a 1280×720 screen: charts have fixed pixel sizes (`BODY_H`, `col_w`) that fill the space
under the heading, navigation and cards. A larger screen shows the very same layout scaled up with CSS zoom
(1.5× at 1920×1080: type, charts, buttons alike; charts are SVG so they stay sharp), so nothing gets smaller
relative to the screen and nothing needs scrolling at either size."""

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
MAX_BARS = 12  # indicators in the IKU chart (more: the lowest capaian are shown)
BODY_H = 574  # px at 1280×720 under the heading and navigation (top at 133 px, a little margin at the bottom)
CONTENT_W = 1226  # px of the main block at 1280 wide (1.6rem padding each side)
GAP = 17  # px between st.columns
CARDS_H = 120  # px of a row of cards with the gap under it
SVG = {"embedOptions": {"renderer": "svg"}}  # sharp when zoomed
BLUE, ORANGE, GREEN, RED, GREY = "#0B4F8A", "#E07000", "#1B7F3B", "#B3261E", "#6B7280"
CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
html {font-size: 17px;}
/* Laid out for 1280×720; larger screens show the same layout scaled up (type, charts, buttons alike), so a
   1920×1080 projector shows it 1.5× as large: zoom = min(width / 1280, height / 720) in steps. */
@media (min-width: 1440px) and (min-height: 810px) {[data-testid="stMainBlockContainer"] {zoom: 1.125;}}
@media (min-width: 1600px) and (min-height: 900px) {[data-testid="stMainBlockContainer"] {zoom: 1.25;}}
@media (min-width: 1760px) and (min-height: 990px) {[data-testid="stMainBlockContainer"] {zoom: 1.375;}}
@media (min-width: 1920px) and (min-height: 1080px) {[data-testid="stMainBlockContainer"] {zoom: 1.5;}}
@media (min-width: 2560px) and (min-height: 1440px) {[data-testid="stMainBlockContainer"] {zoom: 2;}}
@media (min-width: 3840px) and (min-height: 2160px) {[data-testid="stMainBlockContainer"] {zoom: 3;}}
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
.mr-clamp2, .mr-clamp3 {display: -webkit-box; -webkit-box-orient: vertical; overflow: hidden;}
.mr-clamp2 {-webkit-line-clamp: 2;} .mr-clamp3 {-webkit-line-clamp: 3;}
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
          more: str = "baris", clamp: int | None = None) -> None:
    """An HTML table of at most `limit` rows; `clamp`: the text columns cut to two lines (fixed row height)."""
    body = []
    for r in rows[:limit]:
        body.append("<tr>" + "".join(
            f'<td class="n">{esc(v)}</td>' if i in numeric else
            f'<td><div class="mr-clamp2">{esc(v)}</div></td>' if i == clamp else f"<td>{esc(v)}</td>"
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


def col_w(k: int) -> int:
    """Width in px of one of `k` equal st.columns at 1280 wide."""
    return int((CONTENT_W - GAP * (k - 1)) / k) - 4


def fit(chart: Any, width: int, height: int) -> Any:
    """A chart of exactly `width` × `height` px (axes, title and legend included), drawn as SVG, with black axis
    and legend labels (high contrast on a projector)."""
    config = chart.config if chart.config is not alt.Undefined else alt.Config()
    for part in ("axis", "legend"):
        cfg = getattr(config, part)
        if cfg is alt.Undefined:
            cfg = alt.AxisConfig() if part == "axis" else alt.LegendConfig()
            setattr(config, part, cfg)
        cfg.labelColor = cfg.titleColor = "#0A0A0A"
    chart = chart.properties(config=config)
    return chart.properties(width=width, height=height, usermeta=SVG,
                            autosize=alt.AutoSizeParams(type="fit", contains="padding"))


def _axis() -> dict[str, Any]:
    return {"labelFontSize": 17, "titleFontSize": 17, "labelColor": "#0A0A0A", "titleColor": "#0A0A0A"}


def _finish(chart: Any, width: int, height: int) -> Any:
    return fit(chart.configure_axis(**_axis()).configure_legend(labelFontSize=17, titleFontSize=17, orient="top", labelLimit=400)
               .configure_view(strokeWidth=0).configure_title(fontSize=17), width, height)


def chart_serapan(rincian: list[dict[str, Any]], width: int, height: int) -> Any:
    df = pd.DataFrame([{"Kode": r["Kode"], "Penyerapan (%)": r["Penyerapan (%)"] or 0} for r in rincian])
    bars = alt.Chart(df, title="Penyerapan per rincian output (% pagu)").mark_bar(color=BLUE).encode(
        y=alt.Y("Kode:N", title=None), x=alt.X("Penyerapan (%):Q", scale=alt.Scale(domain=[0, 100])),
        tooltip=["Kode", "Penyerapan (%)"])
    text = bars.mark_text(align="left", dx=4, fontSize=17, fontWeight="bold", color="#0A0A0A").encode(
        text=alt.Text("Penyerapan (%):Q", format=".1f"))
    return _finish(alt.layer(bars, text), width, height)


def chart_evaluasi(steps: list[dict[str, Any]], width: int, height: int) -> Any:
    df = pd.DataFrame(steps)
    chart = alt.Chart(df, title="Progres evaluasi kinerja").mark_bar().encode(
        x=alt.X("subperiode:N", title=None, axis=alt.Axis(labelAngle=0, labelLimit=300)), y=alt.Y("jumlah:Q", title="Pegawai"),
        color=alt.Color("langkah:N", title=None), tooltip=["subperiode", "langkah", "jumlah"])
    return _finish(chart, width, height)


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
    if cap.empty:
        return
    note = ""
    if len(cap) > MAX_BARS:
        low = cap.assign(_c=cap["Capaian (%)"].fillna(-1)).nsmallest(MAX_BARS, "_c").index
        note = f"{MAX_BARS} dari {len(cap)} indikator dengan capaian terendah; semua indikator ada di laporan."
        cap = cap.loc[sorted(low)]
    height = h - CARDS_H - (26 if note else 0)
    st.altair_chart(fit(kc.capaian_chart(cap, iku.get("pita") or [], besar=True), col_w(1), height),
                    width="content", height="content",
                    alt="Grafik realisasi vs target: capaian kumulatif per indikator")
    if note:
        st.html(f'<div class="mr-muted">{esc(note)}</div>')


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
              numeric=(2, 3, 4, 5, 6), limit=3, more="indikator", clamp=1)
    kendala = "; ".join(f"{r['Kode']}: {r['Kendala']}" for r in rows if r.get("Kendala"))[:220] or "tidak ada"
    rtl = "; ".join(f"{r['Kode']}: {r['Rencana Tindak Lanjut']}" for r in rows
                    if r.get("Rencana Tindak Lanjut"))[:220] or "tidak ada"
    with right:
        st.html('<div class="mr-note mr-clamp3"><b>Kendala</b>: ' + esc(kendala) + "</div>"
                '<div class="mr-note mr-clamp3"><b>Rencana tindak lanjut</b>: ' + esc(rtl) + "</div>")
    seri = pd.DataFrame(tim.get("seri") or [])
    ids = list(dict.fromkeys(seri["indikator_id"])) if not seri.empty else []
    shown = ids[:MAX_CHARTS]
    # above the charts: the table (a header and up to three rows, two lines each: 60 px) beside kendala and
    # rencana tindak lanjut (at most three lines each, about 55 characters a line: 26 px)
    lines = sum(min(3, -(-(len(t) + 24) // 55)) for t in (kendala, rtl))
    height = h - max(60 * (1 + min(len(rows), 3)), 26 * lines) - 14 - (26 if len(ids) > MAX_CHARTS else 0)
    cols = st.columns(max(len(shown), 1))
    for col, iid in zip(cols, shown, strict=False):
        part = seri[seri["indikator_id"] == iid]
        r0 = part.iloc[0]
        with col:
            st.altair_chart(fit(kc.realisasi_vs_target_chart(part, judul=f"{r0['Kode']} realisasi vs target",
                                                             besar=True), col_w(len(shown)), height),
                            width="content", height="content", alt=f"Grafik realisasi vs target {r0['Kode']}")
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
    height = h - CARDS_H
    with left:
        st.altair_chart(fit(kc.kurva_s_chart(pd.DataFrame(ang["kurva"]), judul="Kurva S: rencana vs realisasi",
                                             besar=True), col_w(2), height), width="content", height="content",
                        alt="Grafik kurva S: rencana vs realisasi anggaran")
    with right:
        st.altair_chart(chart_serapan(ang["rincian"][:MAX_BARS], col_w(2), height), width="content",
                        height="content", alt="Grafik penyerapan anggaran per rincian output")


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
        st.altair_chart(chart_evaluasi(ev, col_w(1), h - CARDS_H - 24), width="content", height="content",
                        alt="Grafik progres evaluasi kinerja")
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
