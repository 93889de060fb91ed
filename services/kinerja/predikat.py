"""The organisational predikat proposed by the ratified Kertas Kerja Perhitungan Kinerja (SE MenPANRB 3/2023; the
mapping from the mean cumulative capaian to a predikat is setting kinerja_predikat_organisasi) and its
confirmation in the Predikat & Distribusi flow.

The proposal is for the satker as a whole (its root unit; the Perjanjian Kinerja is the satker's). It is taken
from the ratified kertas kerja of the evaluation period (annual → the year's kertas kerja; a sub-period → the
kertas kerja of its last month), falling back to the latest ratified monthly kertas kerja up to that month.
`tetapkan` records the predikat through the existing organisational-predikat service (which keeps its rule: the
root unit's predikat is recorded by Admin SDM or the Perencana from the signed penetapan of the level above; the
Kepala never sets his own unit's); choosing a predikat other than the proposal needs a reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

import domain as rules
from db.engine import read_session
from db.models import KertasKerja, KertasKerjaVersi
from services.core.actor import Actor
from services.core.errors import FieldError, ValidationFailed
from services.evaluasi import organisasi as ko
from services.kinerja.common import MIN_ALASAN, predikat_mapping, require_read
from services.kinerja.kertas import label
from services.org import periods


def _end_month(period_id: int, nomor: int, actor: Actor) -> tuple[int, int]:
    p = periods.get_period(actor, period_id)
    if nomor == 0:
        return p.tahun, 12
    for sp in periods.subperiods(p):
        if sp.nomor == nomor:
            return p.tahun, sp.selesai.month
    return p.tahun, 12


def usulan(actor: Actor, period_id: int, nomor: int) -> dict[str, Any] | None:
    """{predikat, capaian_rata_rata, sumber (label of the kertas kerja), versi} or None when no ratified kertas
    kerja covers the period."""
    tahun, bulan = _end_month(period_id, nomor, actor)
    wanted = [("tahun", 0)] if nomor == 0 else []
    wanted += [("bulan", m) for m in range(bulan, 0, -1)]
    with read_session() as s:
        require_read(s, actor)
        mapping = predikat_mapping(s)
        for jenis, n in wanted:
            kk = s.scalar(select(KertasKerja).where(KertasKerja.tahun == tahun, KertasKerja.jenis == jenis,
                                                    KertasKerja.nomor == n))
            if kk is None:
                continue
            v = s.scalar(select(KertasKerjaVersi).where(KertasKerjaVersi.kertas_kerja_id == kk.id)
                         .order_by(KertasKerjaVersi.versi.desc()).limit(1))
            if v is None:
                continue
            avg = v.ringkasan.get("capaian_rata_rata")
            if avg is None:
                continue
            return {"predikat": rules.band(Decimal(str(avg)), mapping), "capaian_rata_rata": avg,
                    "sumber": f"Kertas kerja {label(tahun, jenis, n)} versi {v.versi}", "versi": v.versi,
                    "tahunan": jenis == "tahun"}
    return None


def tetapkan(actor: Actor, unit_id: int, period_id: int, nomor: int, predikat: str, alasan: str | None = None,
             expected_version: int | None = None, *, nomor_penetapan: str | None = None,
             dokumen: tuple[str, bytes] | None = None) -> int:
    """Confirm the proposal (same predikat) or override it with a reason; recorded through the organisational
    predikat service with a note naming the proposal."""
    u = usulan(actor, period_id, nomor)
    alasan = (alasan or "").strip()
    catatan = alasan or None
    if u is not None and u["predikat"]:
        if predikat != u["predikat"] and len(alasan) < MIN_ALASAN:
            raise ValidationFailed([FieldError(None, "Alasan", f"predikat berbeda dari usulan kertas kerja "
                                               f"({u['predikat']}): tuliskan alasan paling sedikit {MIN_ALASAN} "
                                               "karakter")])
        sumber = (f"Usulan {u['sumber']}: {u['predikat']} (rata-rata capaian "
                  f"{str(round(float(u['capaian_rata_rata']), 2)).replace('.', ',')} %)")
        catatan = sumber + (". Dikonfirmasi." if predikat == u["predikat"] else f". Diubah: {alasan}")
        if alasan and predikat == u["predikat"]:
            catatan += f" {alasan}"
    return ko.set_predikat_organisasi(actor, unit_id, period_id, nomor, predikat, catatan,
                                      expected_version=expected_version, nomor_penetapan=nomor_penetapan,
                                      dokumen=dokumen)
