"""The figures shown in the meeting (SOP 002 inputs: RAK, RKT, target kinerja, data capaian kinerja, plus the
individual cycle), computed from the existing services and frozen as JSON when the meeting starts, so a past
meeting is shown again exactly as it was.

Sections: IKU recap, one per Tim Kerja, budget (S-curve and absorption per rincian output), kinerja individu
(SKP status, logbook completeness and pending reviews, evaluation progress) and tindak lanjut of earlier
meetings. The month reviewed is the one before the meeting's month.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import select

from db.engine import read_session
from db.models import (
    MonevTindakLanjut,
    Period,
    PerjanjianKinerja,
    RapatMonev,
    RealisasiAnggaran,
    StatusTindakLanjut,
    TimKerja,
)
from services.core import clock
from services.core.actor import SYSTEM, Actor
from services.core.errors import ServiceError
from services.kinerja import common as kinerja_common
from services.kinerja import grafik, kertas
from services.monev.common import BULAN_PANJANG, bulan_data, label, pegawai_names, require_login, tim_names

SINGKAT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
IKU_COLS = ("Kode", "Indikator", "Satuan", "PJ Tim Kerja", "Target", "Realisasi", "Capaian (%)", "Kategori",
            "Target Kumulatif", "Realisasi Kumulatif", "Capaian Kumulatif (%)", "Kategori Kumulatif",
            "Status Data", "Kendala", "Rencana Tindak Lanjut")


def _clean(v: Any) -> Any:
    """JSON-safe plain values (NaN → None, Decimal → float, dates → ISO text)."""
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_clean(x) for x in v]
    return v


def sections(snap: dict[str, Any]) -> list[dict[str, str]]:
    """The Mode Rapat sections in order: key and title."""
    out = [{"key": "iku", "judul": "Capaian Indikator Kinerja Utama"}]
    out += [{"key": f"tim:{t['tim_id']}", "judul": t["nama"]} for t in snap.get("tim", [])]
    out += [{"key": "anggaran", "judul": "Realisasi Anggaran"}, {"key": "individu", "judul": "Kinerja Individu"},
            {"key": "tindak_lanjut", "judul": "Tindak Lanjut Rapat Sebelumnya"}]
    return out


def compute(actor: Actor, tahun: int, bulan: int, rapat_id: int | None = None) -> dict[str, Any]:
    require_login(actor)
    ty, tb = bulan_data(tahun, bulan)
    with read_session() as s:
        has_pk = s.scalar(select(PerjanjianKinerja.id).where(PerjanjianKinerja.tahun == ty)) is not None
        teams = [(t.id, t.nama) for t in s.scalars(select(TimKerja).where(TimKerja.aktif).order_by(TimKerja.nama))]
        iku: dict[str, Any] = {"ada_pk": has_pk, "rows": [], "ringkasan": {}, "capaian": [], "pita": []}
        anggaran: dict[str, Any] = {"ringkasan": {}, "kurva": [], "rincian": []}
        seri = pd.DataFrame(columns=grafik.SERI_COLS)
        if has_pk:
            rows, ring = kertas.compute(s, ty, "bulan", tb)
            iku["rows"] = [{k: _clean(r.get(k)) for k in (*IKU_COLS, "indikator_id")} for r in rows]
            iku["ringkasan"] = _clean(ring)
            iku["capaian"] = _records(grafik.capaian_sesi(s, ty, tb))
            iku["pita"] = [lbl for _m, lbl in sorted(kinerja_common.bands(s), key=lambda b: b[0], reverse=True)]
            seri = grafik.seri_indikator_sesi(s, ty, tb)
            anggaran = _budget(s, ty, tb)
        tims = []
        by_tim: dict[str, list[dict]] = {}
        for r in iku["rows"]:
            by_tim.setdefault(r["PJ Tim Kerja"] or "", []).append(r)
        for tim_id, nama in teams:
            ind = by_tim.get(nama, [])
            ids = {r["indikator_id"] for r in ind}
            tims.append({"tim_id": tim_id, "nama": nama, "indikator": ind,
                         "seri": _records(seri[seri["indikator_id"].isin(ids)])})
        tl = _tindak_lanjut(s, tahun, bulan)
    individu = _individu(ty, tb)
    return {
        "rapat": label(tahun, bulan), "data": {"tahun": ty, "bulan": tb, "label": f"{BULAN_PANJANG[tb - 1]} {ty}"},
        "diambil_at": clock.now().isoformat(timespec="minutes"), "iku": iku, "tim": tims, "anggaran": anggaran,
        "individu": individu, "tindak_lanjut": tl,
    }


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in r.items()} for r in df.to_dict("records")]


def _budget(s, tahun: int, bulan: int) -> dict[str, Any]:
    pk = s.scalar(select(PerjanjianKinerja).where(PerjanjianKinerja.tahun == tahun))
    if pk is None:
        return {"ringkasan": {}, "kurva": [], "rincian": []}
    rid = [r.id for r in pk.rincian]
    real: dict[tuple[int, int], Decimal] = {(x.rincian_id, x.bulan): x.nilai for x in s.scalars(
        select(RealisasiAnggaran).where(RealisasiAnggaran.rincian_id.in_(rid)))} if rid else {}
    pagu = sum((r.pagu for r in pk.rincian), Decimal(0))
    real_c = sum((v for (_r, mm), v in real.items() if mm <= bulan), Decimal(0))
    kurva = _records(grafik.kurva_s_sesi(s, tahun, bulan))
    rincian = []
    for r in pk.rincian:
        rc = sum((v for (i, mm), v in real.items() if i == r.id and mm <= bulan), Decimal(0))
        rpd_c = sum((x.rencana for x in r.rpd if x.bulan <= bulan), Decimal(0))
        rincian.append({"Kode": r.kode, "Rincian Output": r.nama, "Pagu": float(r.pagu), "RPD s.d. Bulan": float(rpd_c),
                        "Realisasi s.d. Bulan": float(rc),
                        "Penyerapan (%)": round(float(rc / r.pagu * 100), 2) if r.pagu else None})
    return {"ringkasan": {"Pagu": float(pagu), "Realisasi Kumulatif": float(real_c),
                          "Penyerapan thd Pagu (%)": round(float(real_c / pagu * 100), 2) if pagu else None},
            "kurva": kurva, "rincian": rincian}


def _tindak_lanjut(s, tahun: int, bulan: int) -> list[dict[str, Any]]:
    """Items of earlier meetings still open, and every item of the previous meeting with its status."""
    key = tahun * 12 + bulan
    earlier = {r.id: r for r in s.scalars(select(RapatMonev).where((RapatMonev.tahun * 12 + RapatMonev.bulan) < key))}
    if not earlier:
        return []
    last = max(earlier.values(), key=lambda r: r.tahun * 12 + r.bulan).id
    items = [t for t in s.scalars(select(MonevTindakLanjut).where(MonevTindakLanjut.rapat_id.in_(list(earlier)))
                                  .order_by(MonevTindakLanjut.tenggat, MonevTindakLanjut.id))
             if t.rapat_id == last or t.status == StatusTindakLanjut.TERBUKA]
    peg = pegawai_names(s, {t.pic_pegawai_id for t in items if t.pic_pegawai_id})
    tims = tim_names(s)
    today = clock.today()
    return [{"Asal Rapat": label(earlier[t.rapat_id].tahun, earlier[t.rapat_id].bulan), "Tindak Lanjut": t.uraian,
             "PIC": tims.get(t.pic_tim_id) if t.pic_tim_id else peg.get(t.pic_pegawai_id or -1),
             "Tenggat": t.tenggat.isoformat(),
             "Status": "Selesai" if t.status == StatusTindakLanjut.SELESAI else (
                 "Lewat tenggat" if t.tenggat < today else "Terbuka"),
             "Catatan": t.catatan_selesai or ""} for t in items]


def _individu(tahun: int, bulan: int) -> dict[str, Any]:
    """Office-wide counts from the existing monitoring services (SKP status, logbook completeness and pending
    reviews, evaluation steps). Read as the system: the meeting shows the whole office to everyone present, and
    only aggregate numbers are kept (no names), so whoever starts the meeting (notulis, Perencana) gets the same
    figures. A part whose service fails is left out."""
    from services import evaluasi, logbook, skp

    actor = SYSTEM

    out: dict[str, Any] = {"skp": {}, "logbook": {}, "evaluasi": []}
    with read_session() as s:
        period_id = s.scalar(select(Period.id).where(Period.tahun == tahun))
    if period_id is not None:
        try:
            m = skp.read.monitoring(actor, period_id)
            counts = m.tabel["status"].value_counts().to_dict() if "status" in m.tabel else {}
            out["skp"] = {"ringkasan": _clean(dict(m.ringkasan)), "status": {str(k): int(v) for k, v in counts.items()},
                          "pegawai": len(m.tabel)}
        except ServiceError:
            pass
        try:
            mon = evaluasi.monitoring.monitor(actor, period_id)
            steps = evaluasi.monitoring.step_counts(mon)
            out["evaluasi"] = _clean(steps.drop(columns=["urutan", "urutan_langkah"]).to_dict("records"))
        except ServiceError:
            pass
    try:
        last = dt.date(tahun, bulan, 28)
        while (last + dt.timedelta(days=1)).month == bulan:
            last += dt.timedelta(days=1)
        on = min(clock.today(), last)
        tc = logbook.monitoring.team_completeness(actor, on)
        df = tc.pegawai
        if len(df):
            out["logbook"] = {"pegawai": int(len(df)), "tanggal": on.isoformat(),
                              "rata_persen_bulan": round(float(df["persen_bulan"].mean()), 1),
                              "lengkap": int((df["persen_bulan"] >= 100).sum()),
                              "menunggu_penilaian": int(df["menunggu_penilaian"].sum()),
                              "revisi": int(df["revisi"].sum())}
    except ServiceError:
        pass
    return out
