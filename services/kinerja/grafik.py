"""Chart-ready data of the organisational performance (Kinerja Organisasi page, monthly monev meeting, Laporan
Kinerja images): long frames that ui/kinerja_charts.py draws with Altair.

- `seri_indikator`: per indicator and month, the cumulative target and the cumulative realisation (each formed
  from the months by the indicator's rule: kumulatif, nilai akhir periode, rata-rata).
- `capaian`: per indicator the cumulative capaian to a month with its band (setting kinerja_pita_capaian).
- `kurva_s`: the budget S-curve, planned disbursement (RPD) against realisation, cumulative by month.
- `rekap`: the IKU recap table of a month (target, realisation and capaian of the month and cumulative).
- `pita`: the band labels from best to worst (for colours) and `bulan_label` for Indonesian month names.

Every query is scoped in SQL to the year and, when given, one Tim Kerja (`tim_id`); only realisations of months
a Tim Kerja has submitted count (as in the kertas kerja). Reading needs the kinerja read right (leaders,
Perencana, Kasubbag ADUM, PJ/members of a Tim Kerja with indicators)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import domain as rules
from db.engine import read_session
from db.models import (
    IndikatorKinerja,
    Pegawai,
    PerjanjianKinerja,
    RealisasiAnggaran,
    RealisasiIndikator,
    RealisasiTim,
    RincianOutput,
    RpdBulanan,
    SasaranStrategis,
    StatusRealisasiTim,
    TargetBulanan,
    TimKerja,
)
from services.core import clock
from services.core.actor import Actor
from services.core.errors import PermissionDenied
from services.kinerja.common import BULAN, BULAN_PANJANG, bands, can_read

SERI_TARGET = "Target kumulatif"
SERI_REALISASI = "Realisasi kumulatif"
SERI_RPD = "Rencana (RPD)"
SERI_REAL_ANGGARAN = "Realisasi anggaran"
SERI_COLS = ["indikator_id", "Kode", "Indikator", "Satuan", "Tim Kerja", "bulan", "Bulan", "Seri", "Nilai"]
CAPAIAN_COLS = ["indikator_id", "Kode Sasaran", "Kode", "Indikator", "Satuan", "Tim Kerja", "Capaian (%)", "Kategori"]
KURVA_COLS = ["bulan", "Bulan", "Seri", "Nilai", "Persen Pagu"]
REKAP_COLS = ["indikator_id", "Kode Sasaran", "Sasaran", "Kode", "Indikator", "Satuan", "Polaritas", "Tim Kerja",
              "Target Tahunan", "Target", "Realisasi", "Capaian (%)", "Kategori", "Target Kumulatif",
              "Realisasi Kumulatif", "Capaian Kumulatif (%)", "Kategori Kumulatif", "Status Data"]


def _anggota_tim(s: Session, actor: Actor) -> int | None:
    if actor.pegawai_id is None:
        return None
    peg = s.get(Pegawai, actor.pegawai_id)
    return peg.tim_id if peg is not None and peg.aktif else None


def require_read(s: Session, actor: Actor) -> None:
    """Charts are for leaders, the Perencana, the Kasubbag ADUM and every member of a Tim Kerja."""
    if not (can_read(s, actor) or _anggota_tim(s, actor) is not None):
        raise PermissionDenied("Hanya pimpinan, Petugas Perencana, Kasubbag ADUM, dan anggota Tim Kerja yang dapat "
                               "melihat kinerja organisasi.")


def tim_saya(actor: Actor) -> int | None:
    """The Tim Kerja the actor belongs to (the default of the per-Tim filter for members)."""
    with read_session() as s:
        return _anggota_tim(s, actor)


def bulan_label(bulan: int, panjang: bool = False) -> str:
    return (BULAN_PANJANG if panjang else BULAN)[bulan - 1]


def pita(actor: Actor) -> list[str]:
    """Band labels from the best (highest minimum) to the worst, as configured."""
    with read_session() as s:
        require_read(s, actor)
        return [label for _m, label in sorted(bands(s), key=lambda b: b[0], reverse=True)]


def default_bulan(tahun: int) -> int:
    """The last month with data to show by default: last month in the current year (January in January), December
    for past years, January for future years."""
    today = clock.today()
    if tahun < today.year:
        return 12
    if tahun > today.year:
        return 1
    return max(today.month - 1, 1)


# --- loading (SQL-scoped) ---------------------------------------------------------------------------------------


@dataclass
class _Ind:
    id: int
    kode_sasaran: str
    sasaran: str
    kode: str
    nama: str
    satuan: str
    polaritas: str
    agregasi: str
    target: Decimal
    target_max: Decimal | None
    tim_id: int
    tim: str
    t_lo: dict[int, Decimal] = field(default_factory=dict)
    t_hi: dict[int, Decimal] = field(default_factory=dict)
    real: dict[int, Decimal | None] = field(default_factory=dict)
    submitted: set[int] = field(default_factory=set)


def _load(s: Session, tahun: int, tim_id: int | None, end: int) -> list[_Ind]:
    q = (select(IndikatorKinerja, SasaranStrategis.kode, SasaranStrategis.nama, TimKerja.nama)
         .join(SasaranStrategis, IndikatorKinerja.sasaran_id == SasaranStrategis.id)
         .join(PerjanjianKinerja, SasaranStrategis.pk_id == PerjanjianKinerja.id)
         .join(TimKerja, IndikatorKinerja.tim_id == TimKerja.id)
         .where(PerjanjianKinerja.tahun == tahun)
         .order_by(SasaranStrategis.urutan, SasaranStrategis.kode, IndikatorKinerja.urutan, IndikatorKinerja.id))
    if tim_id is not None:
        q = q.where(IndikatorKinerja.tim_id == tim_id)
    inds: dict[int, _Ind] = {}
    for ind, skode, snama, tnama in s.execute(q):
        inds[ind.id] = _Ind(ind.id, skode, snama, ind.kode, ind.nama, ind.satuan, ind.polaritas.value,
                            ind.agregasi.value, ind.target, ind.target_max, ind.tim_id, tnama)
    if not inds:
        return []
    ids = list(inds)
    for t in s.execute(select(TargetBulanan.indikator_id, TargetBulanan.bulan, TargetBulanan.target,
                              TargetBulanan.target_max).where(TargetBulanan.indikator_id.in_(ids))):
        i = inds[t.indikator_id]
        i.t_lo[t.bulan] = t.target
        i.t_hi[t.bulan] = t.target_max if t.target_max is not None else t.target
    sq = select(RealisasiTim.tim_id, RealisasiTim.bulan).where(
        RealisasiTim.tahun == tahun, RealisasiTim.status == StatusRealisasiTim.DIAJUKAN, RealisasiTim.bulan <= end)
    if tim_id is not None:
        sq = sq.where(RealisasiTim.tim_id == tim_id)
    submitted: dict[int, set[int]] = {}
    for tid, b in s.execute(sq):
        submitted.setdefault(tid, set()).add(b)
    for i in inds.values():
        i.submitted = submitted.get(i.tim_id, set())
    for r in s.execute(select(RealisasiIndikator.indikator_id, RealisasiIndikator.bulan, RealisasiIndikator.nilai)
                       .where(RealisasiIndikator.indikator_id.in_(ids), RealisasiIndikator.bulan <= end)):
        i = inds[r.indikator_id]
        if r.bulan in i.submitted:
            i.real[r.bulan] = r.nilai
    return list(inds.values())


def _f(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def _capaian(real: Decimal | None, lo: Decimal | None, hi: Decimal | None, i: _Ind) -> Decimal | None:
    if real is None or lo is None:
        return None
    try:
        return rules.capaian_indikator(real, lo, hi if i.target_max is not None else None, i.polaritas)
    except ValueError:
        return None


def _cum(i: _Ind, months: list[int]) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(target, target max, realisation) of a set of months by the indicator's rule."""
    lo = rules.agregat([i.t_lo.get(m) for m in months], i.agregasi)
    hi = rules.agregat([i.t_hi.get(m) for m in months], i.agregasi) if i.target_max is not None else None
    real = rules.agregat([i.real.get(m) for m in months], i.agregasi)
    return lo, hi, real


def _check(bulan: int) -> int:
    return min(max(int(bulan), 1), 12)


# --- frames ---------------------------------------------------------------------------------------------------------


def seri_indikator_sesi(s: Session, tahun: int, bulan: int = 12, tim_id: int | None = None) -> pd.DataFrame:
    """Session form of `seri_indikator` (for the report and the monev meeting inside their own session)."""
    bulan = _check(bulan)
    out: list[dict[str, Any]] = []
    for i in _load(s, tahun, tim_id, bulan):
        base = {"indikator_id": i.id, "Kode": i.kode, "Indikator": i.nama, "Satuan": i.satuan, "Tim Kerja": i.tim}
        for m in range(1, 13):
            lo, _hi, real = _cum(i, list(range(1, m + 1)))
            out.append({**base, "bulan": m, "Bulan": BULAN[m - 1], "Seri": SERI_TARGET, "Nilai": _f(lo)})
            if m <= bulan and m in i.submitted:
                out.append({**base, "bulan": m, "Bulan": BULAN[m - 1], "Seri": SERI_REALISASI, "Nilai": _f(real)})
    return pd.DataFrame(out, columns=SERI_COLS)


def seri_indikator(actor: Actor, tahun: int, bulan: int = 12, tim_id: int | None = None) -> pd.DataFrame:
    """Long frame per indicator × month × series (target kumulatif for all twelve months, realisasi kumulatif for
    the submitted months up to `bulan`): indikator_id, Kode, Indikator, Satuan, Tim Kerja, bulan, Bulan, Seri,
    Nilai."""
    with read_session() as s:
        require_read(s, actor)
        return seri_indikator_sesi(s, tahun, bulan, tim_id)


def rekap_sesi(s: Session, tahun: int, bulan: int, tim_id: int | None = None) -> pd.DataFrame:
    bulan = _check(bulan)
    pita_ = bands(s)
    out = []
    for i in _load(s, tahun, tim_id, bulan):
        lo_p, hi_p, real_p = _cum(i, [bulan])
        lo_c, hi_c, real_c = _cum(i, list(range(1, bulan + 1)))
        c_p, c_c = _capaian(real_p, lo_p, hi_p, i), _capaian(real_c, lo_c, hi_c, i)
        missing = [m for m in range(1, bulan + 1) if m not in i.submitted]
        out.append({
            "indikator_id": i.id, "Kode Sasaran": i.kode_sasaran, "Sasaran": i.sasaran, "Kode": i.kode,
            "Indikator": i.nama, "Satuan": i.satuan, "Polaritas": i.polaritas, "Tim Kerja": i.tim,
            "Target Tahunan": _f(i.target), "Target": _f(lo_p), "Realisasi": _f(real_p), "Capaian (%)": _f(c_p),
            "Kategori": rules.band(c_p, pita_), "Target Kumulatif": _f(lo_c), "Realisasi Kumulatif": _f(real_c),
            "Capaian Kumulatif (%)": _f(c_c), "Kategori Kumulatif": rules.band(c_c, pita_),
            "Status Data": "Lengkap" if not missing else "Belum diajukan: " + ", ".join(BULAN[m - 1] for m in missing)})
    return pd.DataFrame(out, columns=REKAP_COLS)


def rekap(actor: Actor, tahun: int, bulan: int, tim_id: int | None = None) -> pd.DataFrame:
    """The IKU recap of a month: per indicator target/realisasi/capaian of the month and cumulative to it, with
    bands and which months are not yet submitted."""
    with read_session() as s:
        require_read(s, actor)
        return rekap_sesi(s, tahun, bulan, tim_id)


def capaian_sesi(s: Session, tahun: int, bulan: int, tim_id: int | None = None) -> pd.DataFrame:
    df = rekap_sesi(s, tahun, bulan, tim_id)
    return (df.rename(columns={"Capaian Kumulatif (%)": "_c", "Kategori Kumulatif": "_k"})
            .drop(columns=["Capaian (%)", "Kategori"])
            .rename(columns={"_c": "Capaian (%)", "_k": "Kategori"})[CAPAIAN_COLS])


def capaian(actor: Actor, tahun: int, bulan: int, tim_id: int | None = None) -> pd.DataFrame:
    """Per indicator the cumulative capaian to `bulan` with its band (None when nothing submitted yet)."""
    with read_session() as s:
        require_read(s, actor)
        return capaian_sesi(s, tahun, bulan, tim_id)


def kurva_s_sesi(s: Session, tahun: int, bulan: int = 12, tim_id: int | None = None) -> pd.DataFrame:
    bulan = _check(bulan)
    rin = (select(RincianOutput.id).join(PerjanjianKinerja, RincianOutput.pk_id == PerjanjianKinerja.id)
           .where(PerjanjianKinerja.tahun == tahun))
    if tim_id is not None:
        rin = rin.where(RincianOutput.tim_id == tim_id)
    rin_ids = rin.scalar_subquery()
    pagu = s.scalar(select(func.coalesce(func.sum(RincianOutput.pagu), 0)).where(RincianOutput.id.in_(rin_ids)))
    rpd = {b: v for b, v in s.execute(select(RpdBulanan.bulan, func.sum(RpdBulanan.rencana))
                                      .where(RpdBulanan.rincian_id.in_(rin_ids)).group_by(RpdBulanan.bulan))}
    real = {b: v for b, v in s.execute(select(RealisasiAnggaran.bulan, func.sum(RealisasiAnggaran.nilai))
                                       .where(RealisasiAnggaran.rincian_id.in_(rin_ids),
                                              RealisasiAnggaran.bulan <= bulan)
                                       .group_by(RealisasiAnggaran.bulan))}
    pagu_f = float(pagu or 0)
    out = []
    c_rpd = c_real = 0.0
    for m in range(1, 13):
        c_rpd += float(rpd.get(m) or 0)
        out.append({"bulan": m, "Bulan": BULAN[m - 1], "Seri": SERI_RPD, "Nilai": c_rpd,
                    "Persen Pagu": round(c_rpd / pagu_f * 100, 2) if pagu_f else None})
        if m <= bulan:
            c_real += float(real.get(m) or 0)
            out.append({"bulan": m, "Bulan": BULAN[m - 1], "Seri": SERI_REAL_ANGGARAN, "Nilai": c_real,
                        "Persen Pagu": round(c_real / pagu_f * 100, 2) if pagu_f else None})
    if not pagu_f and not rpd and not real:
        return pd.DataFrame(columns=KURVA_COLS)
    df = pd.DataFrame(out, columns=KURVA_COLS)
    df.attrs["pagu"] = pagu_f
    return df


def kurva_s(actor: Actor, tahun: int, bulan: int = 12, tim_id: int | None = None) -> pd.DataFrame:
    """Budget S-curve: cumulative planned disbursement (RPD, all twelve months) and cumulative realisation (to
    `bulan`) with the share of the pagu; `df.attrs["pagu"]` holds the pagu. Empty without rincian output."""
    with read_session() as s:
        require_read(s, actor)
        return kurva_s_sesi(s, tahun, bulan, tim_id)


def tim_options(actor: Actor, tahun: int) -> list[tuple[int, str]]:
    """Tim Kerja that are PJ of an indicator or a rincian output of the year's PK (for the per-Tim filter)."""
    with read_session() as s:
        require_read(s, actor)
        pk = s.scalar(select(PerjanjianKinerja.id).where(PerjanjianKinerja.tahun == tahun))
        if pk is None:
            return []
        ids = set(s.scalars(select(IndikatorKinerja.tim_id).join(SasaranStrategis)
                            .where(SasaranStrategis.pk_id == pk)))
        ids |= {t for t in s.scalars(select(RincianOutput.tim_id).where(RincianOutput.pk_id == pk)) if t}
        return [(t.id, t.nama) for t in s.scalars(select(TimKerja).where(TimKerja.id.in_(ids))
                                                  .order_by(TimKerja.nama))]


def ringkasan(df_rekap: pd.DataFrame, pita_: list[str]) -> dict[str, Any]:
    """Counts per band of the cumulative capaian and the mean (for headline metrics)."""
    cap = df_rekap["Capaian Kumulatif (%)"].dropna()
    counts = {p: int((df_rekap["Kategori Kumulatif"] == p).sum()) for p in pita_}
    return {"jumlah": len(df_rekap), "terisi": len(cap), "rata_rata": round(float(cap.mean()), 2) if len(cap) else None,
            "per_kategori": counts}
