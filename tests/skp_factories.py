"""Helpers for SKP service tests: grid rows and SKPs in a given state, built through the services."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from db.engine import read_session
from db.models import Period
from services import skp


def period_id(org) -> int:
    with read_session() as s:
        return s.scalar(select(Period.id).where(Period.tahun == org.year))


def jpt_row(rhk: str, indikator: str = "Persentase layanan tepat waktu", tmin=90, tmax=None, satuan="%",
            perspektif="Perspektif Penerima Layanan", jenis="Utama", **kw) -> dict:
    return {"id": None, "jenis": jenis, "rhk": rhk, "indikator": indikator, "target_min": tmin, "target_max": tmax,
            "satuan": satuan, "perspektif": perspektif, **kw}


def ja_row(rhk: str, parent=None, cascading="Direct", aspek="Kuantitas", indikator="Jumlah laporan", tmin=12,
           tmax=None, satuan="laporan", jenis="Utama", **kw) -> dict:
    return {"id": None, "jenis": jenis, "rhk_atasan": parent, "cascading": cascading if parent else None,
            "rhk": rhk, "aspek": aspek, "indikator": indikator, "target_min": tmin, "target_max": tmax,
            "satuan": satuan, **kw}


def numbered(rows: list[dict], start: int = 1) -> list[dict]:
    """Rows as the grid hands them over: `_row` is the row number the user sees (new rows follow stored ones)."""
    return [dict(r, _row=n) for n, r in enumerate(rows, start=start)]


def kepala_skp(org, approve: bool = True) -> SimpleNamespace:
    """The head of office's JPT SKP with two RHK Utama (approved by Admin SDM unless approve=False)."""
    a = org.actors
    pid = period_id(org)
    sid = skp.get_or_create_skp(a.kepala, pid)
    skp.save_rhk_grid(a.kepala, sid, numbered([
        jpt_row("Meningkatnya kualitas layanan laboratorium", "Indeks kepuasan pelanggan", 3.5, 4, "indeks"),
        jpt_row("Meningkatnya kualitas layanan laboratorium", "Persentase hasil uji tepat waktu", 90, 95, "%"),
        jpt_row("Terwujudnya tata kelola yang akuntabel", "Nilai SAKIP", 80, None, "nilai",
                perspektif="Perspektif Penguatan Internal"),
    ]))
    skp.submit(a.kepala, sid)
    if approve:
        skp.approve(a.admin, sid)
    d = skp.skp_detail(a.kepala, sid)
    return SimpleNamespace(id=sid, period_id=pid, rhk=[r.id for r in d.rhk], detail=d)


def kasub_skp(org, parents: list[int], approve: bool = True, submit: bool = True) -> SimpleNamespace:
    """Kasubbag (JA, penilai kepala) intervening the given RHK of the head of office."""
    a = org.actors
    pid = period_id(org)
    sid = skp.get_or_create_skp(a.kasub, pid)
    rows = [ja_row(f"Terlaksananya dukungan administrasi {n}", skp.parent_label(p, "x"),
                   indikator=f"Jumlah dokumen {n}") for n, p in enumerate(parents, start=1)]
    skp.save_rhk_grid(a.kasub, sid, numbered(rows))
    if submit:
        skp.submit(a.kasub, sid)
    if submit and approve:
        skp.approve(a.kepala, sid)
    d = skp.skp_detail(a.kasub, sid)
    return SimpleNamespace(id=sid, period_id=pid, rhk=[r.id for r in d.rhk], detail=d)


def staff_skp(org, who: str, parent: int, submit: bool = True) -> int:
    a = org.actors
    actor = getattr(a, who)
    sid = skp.get_or_create_skp(actor, period_id(org))
    skp.save_rhk_grid(actor, sid, numbered([
        ja_row("Tersusunnya laporan keuangan bulanan", parent, indikator="Jumlah laporan keuangan", tmin=12),
        ja_row("", None, aspek="Waktu", indikator="Ketepatan waktu penyampaian", tmin=100, satuan="%"),
    ]))
    if submit:
        skp.submit(actor, sid)
    return sid


def every_status(org) -> int:
    """Every SKP status once or more: kepala and kasub approved, staf submitted, staf2 returned, pppk draft,
    ketua nothing. Returns the period id."""
    a = org.actors
    k = kepala_skp(org)
    m = kasub_skp(org, k.rhk)
    staff_skp(org, "staf", m.rhk[0])
    s2 = staff_skp(org, "staf2", m.rhk[0])
    skp.return_with_notes(a.kasub, s2, "Perbaiki indikator")
    skp.get_or_create_skp(a.pppk, m.period_id)
    return m.period_id
