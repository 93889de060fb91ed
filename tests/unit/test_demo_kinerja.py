"""Demo organisational performance (services/demo/kinerja.py): a signed PK with indicators of every polarity and
rule and every Tim Kerja a PJ, budget with RPD, realisations for the past months only, and kertas kerja in every
state whose figures are what compiling them again gives — on any date (New Year, month ends, end of March)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import (
    IndikatorKinerja,
    KertasKerja,
    KertasKerjaVersi,
    PerjanjianKinerja,
    PkVersi,
    RealisasiAnggaran,
    RealisasiIndikator,
    RealisasiTim,
    SasaranStrategis,
    StatusKertasKerja,
    StatusPk,
    StatusRealisasiTim,
    TimKerja,
)
from services import demo, kinerja
from services.auth import login as auth
from services.core import clock as app_clock
from services.core.actor import SYSTEM
from services.demo import kinerja as demo_kinerja


def test_plan_reaches_back_into_last_year_early_in_the_year():
    assert demo_kinerja.plan_years(2027, dt.date(2027, 1, 2)) == [2026, 2027]
    assert demo_kinerja.plan_years(2027, dt.date(2027, 3, 31)) == [2026, 2027]
    assert demo_kinerja.plan_years(2026, dt.date(2026, 12, 31)) == [2026]
    assert demo_kinerja.realised_months(2027, dt.date(2027, 1, 2)) == []
    assert demo_kinerja.realised_months(2026, dt.date(2026, 12, 31)) == list(range(1, 12))
    assert demo_kinerja.realised_months(2025, dt.date(2026, 1, 1)) == list(range(1, 13))
    states = demo_kinerja.month_states([(2026, m) for m in range(1, 7)])
    assert [states[(2026, m)] for m in range(1, 7)] == [
        StatusKertasKerja.DISAHKAN, StatusKertasKerja.DISAHKAN, StatusKertasKerja.DIKOREKSI,
        StatusKertasKerja.DIKEMBALIKAN, StatusKertasKerja.DIAJUKAN, StatusKertasKerja.DRAFT]


def _load(today: dt.date) -> int:
    app_clock.set_clock(lambda: dt.datetime.combine(today, dt.time(9, 0), tzinfo=app_clock.tz()))
    result = demo.load_demo(SYSTEM, with_skp=False, with_kinerja=True)
    assert result.loaded and result.kinerja > 0
    return result.tahun  # type: ignore[return-value]


def _check(today: dt.date, tahun: int) -> None:
    years = demo_kinerja.plan_years(tahun, today)
    timeline = [(y, m) for y in years for m in demo_kinerja.realised_months(y, today)]
    now_utc = app_clock.utcnow()
    with read_session() as s:
        teams = set(s.scalars(select(TimKerja.id)))
        for y in years:
            pk = s.scalar(select(PerjanjianKinerja).where(PerjanjianKinerja.tahun == y))
            assert pk is not None and pk.status == StatusPk.DITANDATANGANI and pk.ditandatangani_at <= today
            inds = list(s.scalars(select(IndikatorKinerja).join(SasaranStrategis)
                                  .where(SasaranStrategis.pk_id == pk.id)))
            assert 6 <= len(inds) <= 10 and 3 <= len(pk.sasaran) <= 4
            assert {i.tim_id for i in inds} == teams  # every Tim Kerja is a PJ
            assert {i.polaritas.value for i in inds} == {"positif", "negatif", "range"}
            assert {i.agregasi.value for i in inds} == {"kumulatif", "nilai akhir periode", "rata-rata"}
            for i in inds:
                assert [t.bulan for t in i.targets] == list(range(1, 13))
                if i.agregasi.value == "kumulatif":
                    assert sum(t.target for t in i.targets) == i.target
                if i.polaritas.value == "range":
                    assert all(t.target_max is not None and t.target_max >= t.target for t in i.targets)
            assert pk.rincian and {r.tim_id for r in pk.rincian} == teams
            for r in pk.rincian:
                assert len(r.rpd) == 12 and sum(x.rencana for x in r.rpd) <= r.pagu
            if pk.versi > 1:
                assert s.scalar(select(PkVersi).where(PkVersi.pk_id == pk.id, PkVersi.versi == 1)) is not None
            # realisations exist exactly for the realised months
            months = {m for (yy, m) in timeline if yy == y}
            got = set(s.scalars(select(RealisasiIndikator.bulan).where(
                RealisasiIndikator.indikator_id.in_([i.id for i in inds]))))
            assert got == months
            got_budget = set(s.scalars(select(RealisasiAnggaran.bulan).where(
                RealisasiAnggaran.rincian_id.in_([r.id for r in pk.rincian]))))
            assert got_budget == months
        headers = list(s.scalars(select(RealisasiTim)))
        assert all(h.diajukan_at is None or h.diajukan_at.replace(tzinfo=dt.UTC) <= now_utc for h in headers)
        newest = timeline[-1]
        drafts = [(h.tahun, h.bulan) for h in headers if h.status == StatusRealisasiTim.DRAFT]
        assert drafts == [newest]  # one team still typing the most recent month
        # kertas kerja: every state; ratified ones have their version; a compile now gives the same figures
        kks = list(s.scalars(select(KertasKerja)))
        assert {k.status for k in kks} == set(StatusKertasKerja)
        monthly = {(k.tahun, k.nomor): k for k in kks if k.jenis == "bulan"}
        assert set(monthly) == set(timeline)
        assert monthly[newest].status == StatusKertasKerja.DRAFT
        for k in kks:
            rows, _ringkasan = kinerja.kertas.compute(s, k.tahun, k.jenis, k.nomor)
            assert [(r["Kode"], r["Realisasi"], r["Capaian (%)"]) for r in rows] == \
                [(r["Kode"], r["Realisasi"], r["Capaian (%)"]) for r in k.baris]
            versions = list(s.scalars(select(KertasKerjaVersi).where(KertasKerjaVersi.kertas_kerja_id == k.id)))
            assert len(versions) == (1 if k.status == StatusKertasKerja.DISAHKAN else 0) == k.versi
            assert all(v.disahkan_at.replace(tzinfo=dt.UTC) <= now_utc for v in versions)
            if k.status == StatusKertasKerja.DIKEMBALIKAN:
                assert k.catatan_baris
        # a mix of over, on and under target in the ratified months
        caps = [Decimal(str(r["Capaian (%)"])) for k in kks if k.status == StatusKertasKerja.DISAHKAN
                for r in k.baris if r["Capaian (%)"] is not None]
        assert any(c > 100 for c in caps) and any(c == 100 for c in caps) and any(c < 90 for c in caps)
        kendala = [r for r in s.scalars(select(RealisasiIndikator)) if r.kendala]
        assert kendala and all(r.rencana_tindak_lanjut for r in kendala)
        assert all(r.bukti_link and r.bukti_link.startswith("https://") for r in s.scalars(select(RealisasiIndikator)))
    # the demo Tim Penyusun: a plain pegawai member works as Perencana for the year
    member = auth.load_actor(next(r["nip"] for r in demo.roster() if r["key"] == "perencana_1"))
    assert member is not None and kinerja.pk.can_edit(member, years[-1])
    sk = kinerja.tim_penyusun.get(member, years[-1])
    assert sk is not None and sk["berlaku"] and len(sk["anggota"]) == len(demo_kinerja.SK_ANGGOTA)
    # the services read the demo as the Perencana sees it
    nip = next(r["nip"] for r in demo.roster() if r["key"] == demo.office.PERENCANA_KEY)
    perencana = auth.load_actor(nip)
    assert perencana is not None
    assert len(kinerja.pk.indikator_frame(perencana, tahun)) == len(demo_kinerja.INDIKATOR)
    for y in years:
        if kinerja.pk.status(perencana, y)["versi"] > 1:  # the revision raised one target; versi 1 keeps the old
            d = kinerja.pk.diff_versi(perencana, y, 1)
            assert set(d["Kode"]) == {demo_kinerja.REVISED_KODE} and "Target" in set(d["Kolom"])
    listing = kinerja.kertas.listing(perencana, years[-1] if (years[-1], 1) in set(timeline) else years[0])
    assert not listing.empty


def test_demo_kinerja_consistent(db):
    today = dt.date(2026, 12, 5)
    _check(today, _load(today))


@pytest.mark.parametrize("today", [dt.date(2027, 1, 2), dt.date(2026, 12, 31), dt.date(2027, 3, 31)],
                         ids=["new-year", "year-end", "end-of-march"])
def test_demo_kinerja_loads_on_any_date(sqlite_db, today):
    _check(today, _load(today))
