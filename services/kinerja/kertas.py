"""Kertas Kerja Perhitungan Kinerja (SOP 001 steps 3–5; domain.md-free summary in the README).

A kertas kerja covers a month (jenis "bulan", nomor 1..12), a quarter ("triwulan", 1..4) or the year ("tahun",
0). Per indicator: target and realisasi of the period and cumulative from January (each formed from the months
by the indicator's rule: kumulatif, nilai akhir periode, rata-rata), capaian by polarity (positif, negatif,
range), the band (setting kinerja_pita_capaian); per sasaran the mean capaian; the budget (pagu, RPD and
realisation, period and cumulative) and an efficiency index. Only realisations of Tim Kerja that submitted the
month are used; a missing month is shown as "belum diajukan".

Workflow: Perencana compiles (`susun`, DRAFT; again after DIKEMBALIKAN) and submits (`ajukan`) → Kasubbag ADUM
returns it with notes per row (`kembalikan`) or checks and corrects the analysis (`periksa`, DIKOREKSI) → Kepala
ratifies (`sahkan`, DISAHKAN: locked, the version kept in KertasKerjaVersi). A ratified kertas kerja is changed
only by opening a revision (`buka_revisi`, Perencana with a reason); every ratified version stays readable and
two versions can be compared (`diff`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

import domain as rules
from db.engine import read_session
from db.models import (
    IndikatorKinerja,
    KertasKerja,
    KertasKerjaVersi,
    PerjanjianKinerja,
    RealisasiAnggaran,
    RealisasiIndikator,
    RealisasiTim,
    StatusKertasKerja,
    StatusRealisasiTim,
)
from services.core import audit, clock
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ServiceError, ValidationFailed
from services.core.uow import unit_of_work
from services.kinerja.common import (
    BULAN_PANJANG,
    MAX_TEKS,
    MIN_ALASAN,
    bands,
    is_kasubbag,
    is_kepala,
    is_perencana,
    pk_for,
    require_perencana_for,
    require_read,
    tim_names,
)
from services.kinerja.realisasi import _indicators

JENIS = ("bulan", "triwulan", "tahun")
STATUS_LABEL = {
    StatusKertasKerja.DRAFT: "Disusun Perencana",
    StatusKertasKerja.DIAJUKAN: "Diajukan ke Kasubbag ADUM",
    StatusKertasKerja.DIKEMBALIKAN: "Dikembalikan untuk perbaikan",
    StatusKertasKerja.DIKOREKSI: "Diperiksa Kasubbag ADUM",
    StatusKertasKerja.DISAHKAN: "Disahkan Kepala",
}
ROW_COLS = ["indikator_id", "Kode Sasaran", "Sasaran", "Kode", "Indikator", "Satuan", "Polaritas", "Agregasi",
            "PJ Tim Kerja", "Target", "Target Maks", "Realisasi", "Capaian (%)", "Kategori", "Target Kumulatif",
            "Target Maks Kumulatif", "Realisasi Kumulatif", "Capaian Kumulatif (%)", "Kategori Kumulatif",
            "Target Tahunan", "Status Data", "Kendala", "Rencana Tindak Lanjut", "Sumber Data", "Koreksi"]


def months_of(jenis: str, nomor: int) -> list[int]:
    if jenis == "bulan" and 1 <= nomor <= 12:
        return [nomor]
    if jenis == "triwulan" and 1 <= nomor <= 4:
        return [3 * nomor - 2, 3 * nomor - 1, 3 * nomor]
    if jenis == "tahun":
        return list(range(1, 13))
    raise ValidationFailed([FieldError(None, "Periode", f"periode {jenis} {nomor} tidak dikenal")])


def label(tahun: int, jenis: str, nomor: int) -> str:
    if jenis == "bulan":
        return f"{BULAN_PANJANG[nomor - 1]} {tahun}"
    if jenis == "triwulan":
        return f"Triwulan {('I', 'II', 'III', 'IV')[nomor - 1]} {tahun}"
    return f"Tahun {tahun}"


def _f(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def _safe_capaian(real, target, tmax, pol) -> Decimal | None:
    if real is None or target is None:
        return None
    try:
        return rules.capaian_indikator(real, target, tmax, pol)
    except ValueError:
        return None


def compute(s: Session, tahun: int, jenis: str, nomor: int) -> tuple[list[dict], dict[str, Any]]:
    """The kertas kerja rows and summary from the PK and the submitted realisations (pure read)."""
    months = months_of(jenis, nomor)
    end = months[-1]
    pk = pk_for(s, tahun)
    pita = bands(s)
    tims = tim_names(s)
    inds = _indicators(s, pk)
    submitted = {(h.tim_id, h.bulan) for h in s.scalars(select(RealisasiTim).where(
        RealisasiTim.tahun == tahun, RealisasiTim.status == StatusRealisasiTim.DIAJUKAN))}
    reals: dict[tuple[int, int], RealisasiIndikator] = {
        (r.indikator_id, r.bulan): r for r in s.scalars(select(RealisasiIndikator).where(
            RealisasiIndikator.indikator_id.in_([i.id for i in inds]), RealisasiIndikator.bulan <= end))}
    rows: list[dict[str, Any]] = []
    per_sasaran: dict[tuple[str, str], list[tuple[Decimal | None, Decimal | None]]] = {}
    for ind in inds:
        rule, pol = ind.agregasi.value, ind.polaritas.value
        tgt = {t.bulan: t for t in ind.targets}
        t_lo = {m: t.target for m, t in tgt.items()}
        t_hi = {m: (t.target_max if t.target_max is not None else t.target) for m, t in tgt.items()}
        r_m = {m: reals[(ind.id, m)].nilai for m in range(1, end + 1)
               if (ind.id, m) in reals and (ind.tim_id, m) in submitted}
        ranged = ind.target_max is not None
        cum = list(range(1, end + 1))
        t_p = rules.agregat([t_lo.get(m) for m in months], rule)
        tx_p = rules.agregat([t_hi.get(m) for m in months], rule) if ranged else None
        r_p = rules.agregat([r_m.get(m) for m in months], rule)
        t_c = rules.agregat([t_lo.get(m) for m in cum], rule)
        tx_c = rules.agregat([t_hi.get(m) for m in cum], rule) if ranged else None
        r_c = rules.agregat([r_m.get(m) for m in cum], rule)
        c_p = _safe_capaian(r_p, t_p, tx_p, pol)
        c_c = _safe_capaian(r_c, t_c, tx_c, pol)
        missing = [m for m in months if (ind.tim_id, m) not in submitted]
        last = reals.get((ind.id, end))
        koreksi = [str(reals[(ind.id, m)].koreksi_alasan) for m in months
                   if (ind.id, m) in reals and reals[(ind.id, m)].koreksi_alasan]
        sas = ind.sasaran
        rows.append({
            "indikator_id": ind.id, "Kode Sasaran": sas.kode, "Sasaran": sas.nama, "Kode": ind.kode,
            "Indikator": ind.nama, "Satuan": ind.satuan, "Polaritas": pol, "Agregasi": rule,
            "PJ Tim Kerja": tims.get(ind.tim_id), "Target": _f(t_p), "Target Maks": _f(tx_p), "Realisasi": _f(r_p),
            "Capaian (%)": _f(c_p), "Kategori": rules.band(c_p, pita), "Target Kumulatif": _f(t_c),
            "Target Maks Kumulatif": _f(tx_c), "Realisasi Kumulatif": _f(r_c), "Capaian Kumulatif (%)": _f(c_c),
            "Kategori Kumulatif": rules.band(c_c, pita), "Target Tahunan": _f(ind.target),
            "Status Data": "Lengkap" if not missing else "Belum diajukan: " + ", ".join(
                BULAN_PANJANG[m - 1] for m in missing),
            "Kendala": last.kendala if last is not None else None,
            "Rencana Tindak Lanjut": last.rencana_tindak_lanjut if last is not None else None,
            "Sumber Data": ind.sumber_data, "Koreksi": "; ".join(koreksi) or None})
        per_sasaran.setdefault((sas.kode, sas.nama), []).append((c_p, c_c))
    sasaran = []
    for (kode, nama), vals in per_sasaran.items():
        cp = [v[0] for v in vals if v[0] is not None]
        cc = [v[1] for v in vals if v[1] is not None]
        mp = rules.agregat(cp, "rata-rata") if cp else None
        mc = rules.agregat(cc, "rata-rata") if cc else None
        sasaran.append({"Kode Sasaran": kode, "Sasaran": nama, "Jumlah Indikator": len(vals),
                        "Capaian (%)": _f(mp), "Kategori": rules.band(mp, pita),
                        "Capaian Kumulatif (%)": _f(mc), "Kategori Kumulatif": rules.band(mc, pita)})
    ringkasan: dict[str, Any] = {"sasaran": sasaran, "anggaran": _budget(s, pk, months, end)}
    all_c = [Decimal(str(r["Capaian Kumulatif (%)"])) for r in rows if r["Capaian Kumulatif (%)"] is not None]
    avg = rules.agregat(all_c, "rata-rata") if all_c else None
    ringkasan["capaian_rata_rata"] = _f(avg)
    ringkasan["kategori"] = rules.band(avg, pita)
    serap = ringkasan["anggaran"]["Penyerapan thd RPD Kumulatif (%)"]
    ringkasan["indeks_efisiensi"] = (round(float(avg) / serap, 2) if avg is not None and serap else None)
    ringkasan["label"] = label(tahun, jenis, nomor)
    return rows, ringkasan


def _budget(s: Session, pk: PerjanjianKinerja, months: list[int], end: int) -> dict[str, Any]:
    pagu = sum((r.pagu for r in pk.rincian), Decimal(0))
    rid = [r.id for r in pk.rincian]
    rpd = {(x.rincian_id, x.bulan): x.rencana for r in pk.rincian for x in r.rpd}
    real = {(x.rincian_id, x.bulan): x.nilai for x in s.scalars(select(RealisasiAnggaran).where(
        RealisasiAnggaran.rincian_id.in_(rid)))} if rid else {}

    def total(src, ms):
        return sum((v for (_r, m), v in src.items() if m in ms), Decimal(0))
    cum = set(range(1, end + 1))
    rpd_p, real_p, rpd_c, real_c = total(rpd, set(months)), total(real, set(months)), total(rpd, cum), total(real, cum)

    def pct(a, b):
        return round(float(a / b * 100), 2) if b else None
    return {"Pagu": float(pagu), "RPD Periode": float(rpd_p), "Realisasi Periode": float(real_p),
            "RPD Kumulatif": float(rpd_c), "Realisasi Kumulatif": float(real_c),
            "Penyerapan thd Pagu (%)": pct(real_c, pagu), "Penyerapan thd RPD Kumulatif (%)": pct(real_c, rpd_c)}


# --- workflow -------------------------------------------------------------------------------------------------------


def _get(s: Session, tahun: int, jenis: str, nomor: int) -> KertasKerja | None:
    return s.scalar(select(KertasKerja).where(KertasKerja.tahun == tahun, KertasKerja.jenis == jenis,
                                              KertasKerja.nomor == nomor))


def _latest_version(s: Session, kk: KertasKerja) -> KertasKerjaVersi | None:
    return s.scalar(select(KertasKerjaVersi).where(KertasKerjaVersi.kertas_kerja_id == kk.id)
                    .order_by(KertasKerjaVersi.versi.desc()).limit(1))


def _must(s: Session, tahun: int, jenis: str, nomor: int) -> KertasKerja:
    kk = _get(s, tahun, jenis, nomor)
    if kk is None:
        raise NotFound(f"Kertas kerja {label(tahun, jenis, nomor)} belum disusun.")
    return kk


def susun(actor: Actor, tahun: int, jenis: str, nomor: int) -> int:
    """Compile (or recompile) the kertas kerja from the submitted realisations. Perencana only; not once it is
    submitted or ratified."""
    months_of(jenis, nomor)
    with unit_of_work(actor, action="susun_kertas_kerja") as s:
        require_perencana_for(s, actor, tahun, "menyusun kertas kerja perhitungan kinerja")
        kk = _get(s, tahun, jenis, nomor)
        if kk is not None and kk.status not in (StatusKertasKerja.DRAFT, StatusKertasKerja.DIKEMBALIKAN):
            raise ServiceError(f"Kertas kerja {label(tahun, jenis, nomor)} berstatus "
                               f"'{STATUS_LABEL[kk.status]}' dan tidak dapat disusun ulang"
                               + ("; buka revisi dengan alasan bila perlu diubah." if kk.status ==
                                  StatusKertasKerja.DISAHKAN else "."))
        rows, ringkasan = compute(s, tahun, jenis, nomor)
        if not rows:
            raise ServiceError("Perjanjian Kinerja belum berisi indikator.")
        if kk is None:
            kk = KertasKerja(tahun=tahun, jenis=jenis, nomor=nomor, status=StatusKertasKerja.DRAFT, versi=0,
                             catatan_baris={})
            s.add(kk)
        kk.baris, kk.ringkasan, kk.disusun_oleh = rows, ringkasan, actor.username
        s.flush()
        return kk.id


def ajukan(actor: Actor, tahun: int, jenis: str, nomor: int) -> None:
    with unit_of_work(actor, action="ajukan_kertas_kerja") as s:
        require_perencana_for(s, actor, tahun, "mengajukan kertas kerja")
        kk = _must(s, tahun, jenis, nomor)
        if kk.status not in (StatusKertasKerja.DRAFT, StatusKertasKerja.DIKEMBALIKAN):
            raise ServiceError(f"Kertas kerja berstatus '{STATUS_LABEL[kk.status]}'; tidak dapat diajukan.")
        kk.status = StatusKertasKerja.DIAJUKAN


def _require_kasubbag(s: Session, actor: Actor, what: str) -> None:
    if not is_kasubbag(s, actor):
        raise PermissionDenied(f"Hanya Kasubbag ADUM yang dapat {what} kertas kerja (SOP 001 langkah 4).")


def kembalikan(actor: Actor, tahun: int, jenis: str, nomor: int, catatan: dict[int, str]) -> None:
    """Kasubbag ADUM returns the kertas kerja with a note on one or more rows (indikator_id → note)."""
    notes = {str(int(k)): (v or "").strip() for k, v in (catatan or {}).items() if (v or "").strip()}
    if not notes:
        raise ValidationFailed([FieldError(None, "Catatan", "tuliskan catatan pada paling sedikit satu baris")])
    if any(len(v) > MAX_TEKS for v in notes.values()):
        raise ValidationFailed([FieldError(None, "Catatan", f"paling banyak {MAX_TEKS} karakter")])
    with unit_of_work(actor, action="kembalikan_kertas_kerja") as s:
        _require_kasubbag(s, actor, "mengembalikan")
        kk = _must(s, tahun, jenis, nomor)
        if kk.status != StatusKertasKerja.DIAJUKAN:
            raise ServiceError(f"Kertas kerja berstatus '{STATUS_LABEL[kk.status]}'; hanya yang diajukan dapat "
                               "dikembalikan.")
        ids = {str(r["indikator_id"]) for r in kk.baris}
        bad = [k for k in notes if k not in ids]
        if bad:
            raise ValidationFailed([FieldError(None, "Catatan", "baris tidak ada pada kertas kerja ini")])
        kk.catatan_baris = notes
        kk.status = StatusKertasKerja.DIKEMBALIKAN
        kk.diperiksa_oleh = actor.username


def periksa(actor: Actor, tahun: int, jenis: str, nomor: int, catatan: str | None = None) -> None:
    """Kasubbag ADUM has checked (and corrected the analysis of) the kertas kerja: ready for the Kepala."""
    with unit_of_work(actor, action="periksa_kertas_kerja") as s:
        _require_kasubbag(s, actor, "memeriksa")
        kk = _must(s, tahun, jenis, nomor)
        if kk.status != StatusKertasKerja.DIAJUKAN:
            raise ServiceError(f"Kertas kerja berstatus '{STATUS_LABEL[kk.status]}'; hanya yang diajukan dapat "
                               "diperiksa.")
        kk.status = StatusKertasKerja.DIKOREKSI
        kk.diperiksa_oleh = actor.username
        kk.catatan_baris = {}
        if catatan and catatan.strip():
            kk.ringkasan = {**kk.ringkasan, "catatan_pemeriksa": catatan.strip()[:MAX_TEKS]}


def sahkan(actor: Actor, tahun: int, jenis: str, nomor: int) -> int:
    """Kepala ratifies the checked kertas kerja: locked, the version kept. Returns the version number."""
    if not is_kepala(actor):
        raise PermissionDenied("Hanya Kepala yang dapat mengesahkan kertas kerja perhitungan kinerja (SOP 001 "
                               "langkah 5).")
    with unit_of_work(actor, action="sahkan_kertas_kerja") as s:
        kk = _must(s, tahun, jenis, nomor)
        if kk.status != StatusKertasKerja.DIKOREKSI:
            raise ServiceError(f"Kertas kerja berstatus '{STATUS_LABEL[kk.status]}'; pengesahan hanya setelah "
                               "diperiksa Kasubbag ADUM.")
        kk.versi += 1
        kk.status = StatusKertasKerja.DISAHKAN
        s.add(KertasKerjaVersi(kertas_kerja_id=kk.id, versi=kk.versi, baris=kk.baris, ringkasan=kk.ringkasan,
                               disahkan_at=clock.utcnow(), disahkan_oleh=actor.username))
        return kk.versi


def buka_revisi(actor: Actor, tahun: int, jenis: str, nomor: int, alasan: str) -> None:
    """Reopen a ratified kertas kerja for a new version (the ratified one stays readable)."""
    alasan = (alasan or "").strip()
    with unit_of_work(actor, action="revisi_kertas_kerja") as s:
        require_perencana_for(s, actor, tahun, "membuka revisi kertas kerja")
        if len(alasan) < MIN_ALASAN:
            raise ValidationFailed([FieldError(None, "Alasan", f"paling sedikit {MIN_ALASAN} karakter")])
        kk = _must(s, tahun, jenis, nomor)
        if kk.status != StatusKertasKerja.DISAHKAN:
            raise ServiceError("Hanya kertas kerja yang sudah disahkan yang dibuka revisinya.")
        kk.status = StatusKertasKerja.DRAFT
        audit.record(s, actor, "revisi_kertas_kerja", "KertasKerja", kk.id, note=alasan)


# --- reading --------------------------------------------------------------------------------------------------------


def _view(kk: KertasKerja) -> dict[str, Any]:
    return {"id": kk.id, "tahun": kk.tahun, "jenis": kk.jenis, "nomor": kk.nomor, "status": kk.status.value,
            "status_label": STATUS_LABEL[kk.status], "versi": kk.versi, "label": label(kk.tahun, kk.jenis, kk.nomor),
            "baris": pd.DataFrame(kk.baris, columns=ROW_COLS), "ringkasan": dict(kk.ringkasan or {}),
            "catatan_baris": {int(k): v for k, v in (kk.catatan_baris or {}).items()},
            "disusun_oleh": kk.disusun_oleh, "diperiksa_oleh": kk.diperiksa_oleh}


def get(actor: Actor, tahun: int, jenis: str, nomor: int) -> dict[str, Any] | None:
    with read_session() as s:
        require_read(s, actor)
        kk = _get(s, tahun, jenis, nomor)
        return _view(kk) if kk else None


def current(actor: Actor, tahun: int, jenis: str, nomor: int) -> dict[str, Any] | None:
    """The latest ratified version when there is one, else the working copy (CLI and reports)."""
    with read_session() as s:
        require_read(s, actor)
        kk = _get(s, tahun, jenis, nomor)
        if kk is None:
            return None
        view = _view(kk)
        v = s.scalar(select(KertasKerjaVersi).where(KertasKerjaVersi.kertas_kerja_id == kk.id)
                     .order_by(KertasKerjaVersi.versi.desc()))
        if v is not None and kk.status != StatusKertasKerja.DISAHKAN:
            view.update(baris=pd.DataFrame(v.baris, columns=ROW_COLS), ringkasan=dict(v.ringkasan),
                        status="DISAHKAN", status_label=STATUS_LABEL[StatusKertasKerja.DISAHKAN], versi=v.versi)
        view["versi_id"] = v.id if v is not None else None
        return view


def preview(actor: Actor, tahun: int, jenis: str, nomor: int) -> tuple[pd.DataFrame, dict[str, Any]]:
    """What compiling now would give (not saved)."""
    with read_session() as s:
        require_read(s, actor)
        rows, ringkasan = compute(s, tahun, jenis, nomor)
    return pd.DataFrame(rows, columns=ROW_COLS), ringkasan


def listing(actor: Actor, tahun: int) -> pd.DataFrame:
    with read_session() as s:
        require_read(s, actor)
        rows = [{"Periode": label(k.tahun, k.jenis, k.nomor), "jenis": k.jenis, "nomor": k.nomor,
                 "Status": STATUS_LABEL[k.status], "Versi disahkan": k.versi}
                for k in s.scalars(select(KertasKerja).where(KertasKerja.tahun == tahun)
                                   .order_by(KertasKerja.jenis, KertasKerja.nomor))]
    return pd.DataFrame(rows, columns=["Periode", "jenis", "nomor", "Status", "Versi disahkan"])


def versions(actor: Actor, tahun: int, jenis: str, nomor: int) -> pd.DataFrame:
    with read_session() as s:
        require_read(s, actor)
        kk = _must(s, tahun, jenis, nomor)
        rows = [{"id": v.id, "versi": v.versi, "disahkan_at": v.disahkan_at, "disahkan_oleh": v.disahkan_oleh}
                for v in s.scalars(select(KertasKerjaVersi).where(KertasKerjaVersi.kertas_kerja_id == kk.id)
                                   .order_by(KertasKerjaVersi.versi))]
    return pd.DataFrame(rows, columns=["id", "versi", "disahkan_at", "disahkan_oleh"])


DIFF_COLS = ("Target", "Realisasi", "Capaian (%)", "Realisasi Kumulatif", "Capaian Kumulatif (%)", "Kategori")


def diff(actor: Actor, tahun: int, jenis: str, nomor: int, versi_a: int, versi_b: int) -> pd.DataFrame:
    """Cells that differ between two ratified versions: Kode, Kolom, Versi A, Versi B."""
    with read_session() as s:
        require_read(s, actor)
        kk = _must(s, tahun, jenis, nomor)
        vs = {v.versi: v for v in s.scalars(select(KertasKerjaVersi).where(KertasKerjaVersi.kertas_kerja_id == kk.id))}
        if versi_a not in vs or versi_b not in vs:
            raise NotFound("Versi kertas kerja tidak ditemukan.")
        a = {r["Kode"]: r for r in vs[versi_a].baris}
        b = {r["Kode"]: r for r in vs[versi_b].baris}
    out = []
    for kode in sorted(set(a) | set(b)):
        ra, rb = a.get(kode, {}), b.get(kode, {})
        for col in DIFF_COLS:
            if ra.get(col) != rb.get(col):
                out.append({"Kode": kode, "Kolom": col, f"Versi {versi_a}": ra.get(col), f"Versi {versi_b}": rb.get(col)})
    return pd.DataFrame(out, columns=["Kode", "Kolom", f"Versi {versi_a}", f"Versi {versi_b}"])


def tim_dicatat(actor: Actor, tahun: int, jenis: str, nomor: int) -> list[dict[str, Any]]:
    """The Tim Kerja whose rows the Kasubbag ADUM noted when returning the kertas kerja: tim_id, Tim Kerja, and the
    notes joined ("IKU 1.1: note; ..."). The Perencana reopens their month (`realisasi.buka_kembali`) so the PJ
    fixes the figures. Empty when there are no notes."""
    with read_session() as s:
        require_read(s, actor)
        kk = _get(s, tahun, jenis, nomor)
        notes = {int(k): v for k, v in ((kk.catatan_baris or {}) if kk is not None else {}).items() if v}
        if not notes:
            return []
        inds = {i.id: (i.tim_id, i.kode) for i in s.scalars(select(IndikatorKinerja).where(
            IndikatorKinerja.id.in_(list(notes))))}
        names = tim_names(s)
    out: dict[int, dict[str, Any]] = {}
    for iid, note in notes.items():
        if iid not in inds:
            continue
        tim_id, kode = inds[iid]
        row = out.setdefault(tim_id, {"tim_id": tim_id, "Tim Kerja": names.get(tim_id), "catatan": []})
        row["catatan"].append(f"{kode}: {note}")
    return [{**r, "catatan": "; ".join(r["catatan"])} for r in sorted(out.values(), key=lambda r: r["Tim Kerja"] or "")]


def can(actor: Actor) -> dict[str, bool]:
    with read_session() as s:
        return {"perencana": is_perencana(actor),
                "kasubbag": is_kasubbag(s, actor), "kepala": is_kepala(actor)}


def usulan_predikat(actor: Actor, tahun: int, jenis: str, nomor: int) -> dict[str, Any] | None:
    """The organisational predikat proposed by the latest ratified kertas kerja: the mean cumulative capaian mapped
    through setting kinerja_predikat_organisasi (SE MenPANRB 3/2023). None without a ratified version. The leader
    confirms or overrides it in the Predikat & Distribusi flow."""
    from services.kinerja.common import predikat_mapping

    with read_session() as s:
        require_read(s, actor)
        kk = _get(s, tahun, jenis, nomor)
        if kk is None:
            return None
        v = s.scalar(select(KertasKerjaVersi).where(KertasKerjaVersi.kertas_kerja_id == kk.id)
                     .order_by(KertasKerjaVersi.versi.desc()))
        if v is None:
            return None
        avg = v.ringkasan.get("capaian_rata_rata")
        return {"capaian_rata_rata": avg, "versi": v.versi,
                "predikat": rules.band(Decimal(str(avg)), predikat_mapping(s)) if avg is not None else None}
