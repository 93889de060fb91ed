"""The calendar heat map of one pegawai's logbook month, shared by "Logbook Harian" (the pegawai's own month,
pages/logbook_saya.py) and "Monitoring Logbook" (a leader looking at one pegawai, pages/logbook_monitoring.py).

Input: the frame of services.logbook.heatmap (one row per day; the service decides which days are working days,
which are cuti/sakit/dinas luar and which have not come yet). This module only maps those facts to a colour
group, labels and the Altair chart."""

from __future__ import annotations

import altair as alt
import pandas as pd

from services.core import fmt

HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]

TERISI = "Terisi"
BELUM_TERISI = "Belum terisi"
BELUM_TIBA = "Belum tiba"
LIBUR = "Libur"
TIDAK_HADIR = "Cuti/sakit/dinas luar"
STATUSES = [BELUM_TERISI, BELUM_TIBA, LIBUR, TIDAK_HADIR]  # legend order of the days without minutes

EMPTY_DAY = "#fde2e1"  # a working day up to today without minutes: pale red, never a shade of the minutes scale
FUTURE_DAY = "#f7f7f7"  # a day that has not come yet: neutral
HOLIDAY = "#d9d9d9"
ABSENT_DAY = "#e3f2fd"
ABSENT_LINE = "#1565c0"  # the frame of a cuti/sakit/dinas luar day (also when minutes were recorded)
TODAY_LINE = "#424242"
FILLS = {BELUM_TERISI: EMPTY_DAY, BELUM_TIBA: FUTURE_DAY, LIBUR: HOLIDAY, TIDAK_HADIR: ABSENT_DAY}

TEXT = "#212121"
TEXT_ON_DARK = "#ffffff"
TEXT_HOLIDAY = "#c62828"  # tanggal merah
TEXT_ABSENT = ABSENT_LINE


def _status(menit: int, kerja: bool, tidak_hadir: str, mendatang: bool) -> str:
    if menit > 0:
        return TERISI  # also on a holiday or a day away: the work was recorded
    if tidak_hadir:
        return TIDAK_HADIR
    if not kerja:
        return LIBUR
    return BELUM_TIBA if mendatang else BELUM_TERISI  # today is a normal day


def heatmap_data(df: pd.DataFrame) -> pd.DataFrame:
    """The service's month frame plus what the chart draws: hari_label, tgl (day number), tanggal_label
    (Indonesian date), status (Terisi, Belum terisi, Belum tiba, Libur, Cuti/sakit/dinas luar), keterangan_label
    (holiday name, the ketidakhadiran jenis or "Hari kerja"; "Hari ini" marked) and warna_teks (day number)."""
    menit = df["menit"].fillna(0).astype(int)
    top = max(1, int(menit.max())) if len(df) else 1
    tidak_hadir = df["tidak_hadir"].astype(object).where(df["tidak_hadir"].notna(), "")
    kerja = df["kerja"].astype(bool)
    mendatang = df["mendatang"].astype(bool)
    hari_ini = df["hari_ini"].astype(bool)
    status = [_status(int(m), bool(k), str(a), bool(f))
              for m, k, a, f in zip(menit, kerja, tidak_hadir, mendatang, strict=True)]
    ket = df["keterangan"].astype(object).where(df["keterangan"].notna(), "Hari kerja")
    warna = [TEXT_ON_DARK if m >= 0.6 * top and m > 0 else (TEXT_ABSENT if a else (TEXT_HOLIDAY if not k else TEXT))
             for m, k, a in zip(menit, kerja, tidak_hadir, strict=True)]
    return df.assign(
        hari_label=df["hari_ke"].map(lambda i: HARI[int(i)]),
        tgl=df["tanggal"].map(lambda d: d.day),
        tanggal_label=df["tanggal"].map(lambda d: fmt.tanggal(d)),
        menit=menit,
        tidak_hadir=tidak_hadir,
        status=status,
        keterangan_label=[f"Hari ini · {k}" if h else str(k) for k, h in zip(ket, hari_ini, strict=True)],
        warna_teks=warna,
        hari_ini=hari_ini,
    )


def heatmap_chart(df: pd.DataFrame) -> alt.LayerChart:
    """Calendar heat map of one month: columns Senin…Minggu, one row per calendar week. Days with minutes are
    green by minutes (whole-number legend from 0); a working day up to today without minutes is pale red, a day
    that has not come yet neutral, a holiday grey (day number red), a day of cuti/sakit/dinas luar light blue
    with a blue frame (the frame stays when minutes were recorded); today has a dark frame."""
    data = heatmap_data(df)
    data = data.assign(tanggal=data["tanggal"].astype(str))  # ISO text: the chart JSON needs no date objects
    top = max(1, int(data["menit"].max())) if len(data) else 1
    weeks = int(data["minggu_ke"].max()) + 1 if len(data) else 5
    base = alt.Chart(data).encode(
        x=alt.X("hari_label:N", sort=HARI, title=None, axis=alt.Axis(orient="top", labelAngle=0, domain=False,
                                                                     ticks=False, labelFontSize=12)),
        y=alt.Y("minggu_ke:O", title=None, axis=None),
        tooltip=[alt.Tooltip("tanggal_label:N", title="Tanggal"), alt.Tooltip("hari_label:N", title="Hari"),
                 alt.Tooltip("status:N", title="Status"), alt.Tooltip("keterangan_label:N", title="Keterangan"),
                 alt.Tooltip("jumlah:Q", title="Jumlah kegiatan", format="d"),
                 alt.Tooltip("menit:Q", title="Menit", format="d"),
                 alt.Tooltip("menit_disetujui:Q", title="Menit disetujui", format="d")],
    )
    present = [s for s in STATUSES if (data["status"] == s).any()]
    layers: list[alt.Chart] = []
    if present:  # no legend entry for a colour that is not on the calendar
        layers.append(base.mark_rect(stroke="white", strokeWidth=2, cornerRadius=3).encode(
            color=alt.Color("status:N", title="Keterangan",
                            scale=alt.Scale(domain=present, range=[FILLS[s] for s in present]),
                            legend=alt.Legend(orient="bottom", symbolStrokeColor="#9e9e9e", symbolStrokeWidth=1)),
        ).transform_filter(f"datum.status != '{TERISI}'"))
    if (data["status"] == TERISI).any():  # no green minutes legend without minutes
        layers.append(base.mark_rect(stroke="white", strokeWidth=2, cornerRadius=3).encode(
            fill=alt.Fill("menit:Q", title="Menit", scale=alt.Scale(scheme="greens", domain=[0, top]),
                          legend=alt.Legend(format="d", tickMinStep=1, orient="right")),
        ).transform_filter(f"datum.status == '{TERISI}'"))
    if (data["tidak_hadir"] != "").any():
        layers.append(base.mark_rect(stroke=ABSENT_LINE, strokeWidth=2, fillOpacity=0, cornerRadius=3)
                      .transform_filter("datum.tidak_hadir != ''"))
    if data["hari_ini"].any():
        layers.append(base.mark_rect(stroke=TODAY_LINE, strokeWidth=2, strokeDash=[4, 2], fillOpacity=0,
                                     cornerRadius=3).transform_filter("datum.hari_ini"))
    # the day numbers' colours are literal (scale None): their scale must not be merged with the status colours
    layers.append(base.mark_text(baseline="middle", fontSize=12).encode(
        text="tgl:Q", color=alt.Color("warna_teks:N", scale=None, legend=None)))
    # the height is the cells' (Streamlit's theme would fit axis and legend into it and squash the rows)
    return alt.layer(*layers).resolve_scale(color="independent").properties(
        height=max(160, 44 * weeks), autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def heatmap_caption(df: pd.DataFrame) -> str:
    """One line under the calendar: filled working days, the working days still to come, and what the colours
    mean (plain text, no markdown)."""
    kerja = df["kerja"].astype(bool)
    terisi = int((df["terisi"].astype(bool) & kerja).sum())
    nanti = int((df["mendatang"].astype(bool) & kerja).sum())
    lead = f"{fmt.angka(terisi)} dari {fmt.angka(int(kerja.sum()))} hari kerja terisi"
    if nanti:
        lead += f" ({fmt.angka(nanti)} hari kerja belum tiba)"
    return (f"{lead}. Hijau = menit tercatat (kecuali yang ditolak); merah muda = hari kerja tanpa kegiatan sampai "
            "hari ini; abu-abu muda = belum tiba; abu-abu = hari libur (angka merah); bingkai biru = cuti, sakit atau "
            "dinas luar; bingkai putus-putus = hari ini.")
