"""Perjanjian Kinerja per year (PermenPANRB 53/2014 Lampiran I; SOP 001 prerequisite): sasaran strategis →
indikator with targets per month, and rincian output/kegiatan with pagu and the monthly RPD.

Entered by the Petugas Perencana in a grid (one row per indicator; sasaran repeated on each row), all or
nothing with errors by row and field. Signing (`tandatangani`) locks the PK; `revisi` snapshots the signed PK
into PkVersi (kept readable) and opens a new draft version.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import domain as rules
from db.engine import read_session
from db.models import (
    AturanAgregasi,
    IndikatorKinerja,
    JenisIndikator,
    PerjanjianKinerja,
    PkVersi,
    PolaritasIndikator,
    RealisasiAnggaran,
    RealisasiIndikator,
    RincianOutput,
    Role,
    RpdBulanan,
    SasaranStrategis,
    StatusPk,
    TargetBulanan,
    TimKerja,
)
from domain.cells import CellError, to_decimal, to_text
from services.core import clock
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ServiceError, ValidationFailed
from services.core.uow import unit_of_work
from services.kinerja.common import (
    AGREGASI,
    BULAN,
    MAX_TEKS,
    MIN_ALASAN,
    POLARITAS,
    is_perencana_for,
    pk_for,
    require_perencana,
    require_perencana_for,
    require_read,
)

TW = ("TW I", "TW II", "TW III", "TW IV")
INDIKATOR_COLS = ["Kode Sasaran", "Sasaran", "Kode", "Indikator", "Jenis", "Satuan", "Polaritas", "Agregasi",
                  "Target", "Target Maks", "PJ Tim Kerja", "Sumber Data", "Definisi", *BULAN, *TW]
RINCIAN_COLS = ["Kode", "Rincian Output/Kegiatan", "PJ Tim Kerja", "Pagu", *BULAN]


# --- reading -----------------------------------------------------------------------------------------------------


def _num(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def _range_text(lo: Decimal | None, hi: Decimal | None) -> str | None:
    if lo is None:
        return None
    lo_t = rules.cells.fmt_decimal(lo)
    return lo_t if hi is None or hi == lo else f"{lo_t}-{rules.cells.fmt_decimal(hi)}"


def status(actor: Actor, tahun: int) -> dict[str, Any] | None:
    with read_session() as s:
        require_read(s, actor)
        pk = s.scalar(select(PerjanjianKinerja).where(PerjanjianKinerja.tahun == tahun))
        if pk is None:
            return None
        return {"id": pk.id, "tahun": pk.tahun, "versi": pk.versi, "status": pk.status.value,
                "ditandatangani_at": pk.ditandatangani_at, "ditandatangani_oleh": pk.ditandatangani_oleh,
                "alasan_revisi": pk.alasan_revisi}


def _indikator_rows(s: Session, pk: PerjanjianKinerja) -> list[dict[str, Any]]:
    tims = {t.id: t.nama for t in s.scalars(select(TimKerja))}
    rows = []
    for sas in pk.sasaran:
        for ind in sas.indikator:
            row = {"Kode Sasaran": sas.kode, "Sasaran": sas.nama, "Kode": ind.kode, "Indikator": ind.nama,
                   "Jenis": ind.jenis.value, "Satuan": ind.satuan, "Polaritas": ind.polaritas.value,
                   "Agregasi": ind.agregasi.value, "Target": _num(ind.target), "Target Maks": _num(ind.target_max),
                   "PJ Tim Kerja": tims.get(ind.tim_id), "Sumber Data": ind.sumber_data, "Definisi": ind.definisi}
            by_month = {t.bulan: t for t in ind.targets}
            for i, b in enumerate(BULAN, start=1):
                t = by_month.get(i)
                row[b] = _range_text(t.target, t.target_max) if t else None
            for q in TW:
                row[q] = None
            rows.append(row)
    return rows


def _pk_frame(actor: Actor, tahun: int, rows_of, columns) -> pd.DataFrame:
    """A grid frame of the year's PK (empty when the year has none), read with the actor's read check."""
    with read_session() as s:
        require_read(s, actor)
        pk = s.scalar(select(PerjanjianKinerja).where(PerjanjianKinerja.tahun == tahun))
        rows = rows_of(s, pk) if pk else []
    return pd.DataFrame(rows, columns=columns)


def indikator_frame(actor: Actor, tahun: int) -> pd.DataFrame:
    """The PK's indicators as the grid shows them (monthly targets as text, a range as '80-90')."""
    return _pk_frame(actor, tahun, _indikator_rows, INDIKATOR_COLS)


def _rincian_rows(s: Session, pk: PerjanjianKinerja) -> list[dict[str, Any]]:
    tims = {t.id: t.nama for t in s.scalars(select(TimKerja))}
    rows = []
    for r in pk.rincian:
        row = {"Kode": r.kode, "Rincian Output/Kegiatan": r.nama, "PJ Tim Kerja": tims.get(r.tim_id),
               "Pagu": _num(r.pagu)}
        by_month = {x.bulan: x.rencana for x in r.rpd}
        for i, b in enumerate(BULAN, start=1):
            row[b] = _num(by_month.get(i))
        rows.append(row)
    return rows


def rincian_frame(actor: Actor, tahun: int) -> pd.DataFrame:
    return _pk_frame(actor, tahun, _rincian_rows, RINCIAN_COLS)


def versions(actor: Actor, tahun: int) -> pd.DataFrame:
    """Earlier signed versions (kept readable after a revision)."""
    with read_session() as s:
        require_read(s, actor)
        pk = pk_for(s, tahun)
        rows = [{"id": v.id, "versi": v.versi, "ditandatangani": v.ditandatangani_at, "direvisi_at": v.dibuat_at,
                 "direvisi_oleh": v.dibuat_oleh}
                for v in s.scalars(select(PkVersi).where(PkVersi.pk_id == pk.id).order_by(PkVersi.versi))]
    return pd.DataFrame(rows, columns=["id", "versi", "ditandatangani", "direvisi_at", "direvisi_oleh"])


def version_frames(actor: Actor, versi_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    with read_session() as s:
        require_read(s, actor)
        v = s.get(PkVersi, versi_id)
        if v is None:
            raise NotFound("Versi Perjanjian Kinerja tidak ditemukan.")
        return (pd.DataFrame(v.isi.get("indikator", []), columns=INDIKATOR_COLS),
                pd.DataFrame(v.isi.get("rincian", []), columns=RINCIAN_COLS))


# --- writing -----------------------------------------------------------------------------------------------------


def _draft_pk(s: Session, tahun: int, create: bool = True) -> PerjanjianKinerja:
    pk = s.scalar(select(PerjanjianKinerja).where(PerjanjianKinerja.tahun == tahun))
    if pk is None:
        if not create:
            raise NotFound(f"Perjanjian Kinerja tahun {tahun} belum dibuat.")
        pk = PerjanjianKinerja(tahun=tahun, versi=1, status=StatusPk.DRAFT)
        s.add(pk)
        s.flush()
    if pk.status == StatusPk.DITANDATANGANI:
        raise ServiceError(f"Perjanjian Kinerja {tahun} sudah ditandatangani; ajukan revisi PK untuk mengubahnya "
                           "(versi yang ditandatangani tetap tersimpan).")
    return pk


def _cell(errors: list[FieldError], row: int, field: str, fn, value, **kw):
    try:
        return fn(value, **kw)
    except CellError as e:
        errors.append(FieldError(row, field, e.message))
        return None


def _target_cell(errors: list[FieldError], row: int, field: str, value) -> tuple[Decimal, Decimal | None] | None:
    """A target cell: a number or a range 'a-b' (also 'a – b')."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    if not text:
        return None
    for sep in ("–", "—", " - ", "-"):
        if sep in text.lstrip("-"):
            lo, hi = text.split(sep, 1)
            a = _cell(errors, row, field, to_decimal, lo.strip())
            b = _cell(errors, row, field, to_decimal, hi.strip())
            if a is None or b is None:
                if not any(e.row == row and e.field == field for e in errors):
                    errors.append(FieldError(row, field, "rentang harus berbentuk 'bawah-atas', misalnya 80-90"))
                return None
            if b < a:
                errors.append(FieldError(row, field, "batas atas rentang lebih kecil dari batas bawah"))
                return None
            return a, b
    n = _cell(errors, row, field, to_decimal, value)
    return None if n is None else (n, None)


def _tim_lookup(s: Session) -> dict[str, int]:
    return {t.nama.strip().lower(): t.id for t in s.scalars(select(TimKerja).where(TimKerja.aktif))}


def _choice(errors, row, field, value, allowed: tuple[str, ...]) -> str | None:
    text = to_text(value) if not isinstance(value, float) or value == value else None
    if not text:
        errors.append(FieldError(row, field, "wajib diisi"))
        return None
    norm = " ".join(text.lower().replace("_", " ").split())
    for a in allowed:
        if norm == a.lower():
            return a
    errors.append(FieldError(row, field, f"'{text}' tidak dikenal; pilih salah satu: {', '.join(allowed)}"))
    return None


def _monthly_targets(errors, row, agregasi, polaritas, target, target_max, raw: dict) -> dict[int, tuple]:
    months: dict[int, tuple] = {}
    for i, b in enumerate(BULAN, start=1):
        t = _target_cell(errors, row, b, raw.get(b))
        if t is not None:
            months[i] = t
    quarters = [_cell(errors, row, q, to_decimal, raw.get(q)) for q in TW]
    if agregasi is None or target is None:
        return months
    if not months and all(q is not None for q in quarters):
        months = {i + 1: (v, None) for i, v in enumerate(rules.sebar_triwulan(quarters, agregasi))}
    elif not months and any(q is not None for q in quarters):
        errors.append(FieldError(row, "TW I", "isi keempat target triwulan, atau target per bulan"))
    elif not months:
        if agregasi == AturanAgregasi.KUMULATIF.value:
            q = [target / 4] * 4
            months = {i + 1: (v, None) for i, v in enumerate(rules.sebar_triwulan(q, agregasi))}
        else:
            months = {i: (target, target_max) for i in range(1, 13)}
    if polaritas == PolaritasIndikator.RANGE.value:
        months = {m: (lo, hi if hi is not None else (target_max if lo == target else None)) for m, (lo, hi)
                  in months.items()}
        for m, (_lo, hi) in months.items():
            if hi is None:
                errors.append(FieldError(row, BULAN[m - 1], "polaritas range memerlukan target rentang, misalnya "
                                         "80-90"))
                break
    return months


def _blank(raw: dict) -> bool:
    return all(v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())
               for v in raw.values())


def _parse_indikator(errors: list[FieldError], n: int, raw: dict, tims: dict[str, int]) -> dict | None:
    """One grid row of the PK (row number n as the user sees it): the parsed values, or None with the errors
    added (every bad cell named by row and column)."""
    e0 = len(errors)
    kode_s = _cell(errors, n, "Kode Sasaran", to_text, raw.get("Kode Sasaran"), max_len=20, required=True)
    nama_s = _cell(errors, n, "Sasaran", to_text, raw.get("Sasaran"), max_len=MAX_TEKS, required=True)
    kode = _cell(errors, n, "Kode", to_text, raw.get("Kode"), max_len=20, required=True)
    nama = _cell(errors, n, "Indikator", to_text, raw.get("Indikator"), max_len=MAX_TEKS, required=True)
    jenis = _choice(errors, n, "Jenis", raw.get("Jenis") or "IKU", tuple(j.value for j in JenisIndikator))
    satuan = _cell(errors, n, "Satuan", to_text, raw.get("Satuan"), max_len=60, required=True)
    pol = _choice(errors, n, "Polaritas", raw.get("Polaritas"), POLARITAS)
    agr = _choice(errors, n, "Agregasi", raw.get("Agregasi"), AGREGASI)
    target = _cell(errors, n, "Target", to_decimal, raw.get("Target"))
    if target is None and not any(e.row == n and e.field == "Target" for e in errors):
        errors.append(FieldError(n, "Target", "wajib diisi"))
    elif target is not None and target < 0:
        errors.append(FieldError(n, "Target", "tidak boleh negatif"))
    tmax = _cell(errors, n, "Target Maks", to_decimal, raw.get("Target Maks"))
    if pol == PolaritasIndikator.RANGE.value and tmax is None:
        errors.append(FieldError(n, "Target Maks", "polaritas range memerlukan target maksimum"))
    if tmax is not None and target is not None and tmax < target:
        errors.append(FieldError(n, "Target Maks", "lebih kecil dari Target"))
    if pol == PolaritasIndikator.POSITIF.value and target == 0 and tmax is None:
        errors.append(FieldError(n, "Target", "target 0 tidak dapat dipakai menghitung capaian"))
    tim_name = _cell(errors, n, "PJ Tim Kerja", to_text, raw.get("PJ Tim Kerja"), required=True)
    tim_id = tims.get(tim_name.strip().lower()) if tim_name else None
    if tim_name and tim_id is None:
        errors.append(FieldError(n, "PJ Tim Kerja", f"Tim Kerja '{tim_name}' tidak ditemukan atau tidak aktif"))
    sumber = _cell(errors, n, "Sumber Data", to_text, raw.get("Sumber Data"), max_len=MAX_TEKS)
    definisi = _cell(errors, n, "Definisi", to_text, raw.get("Definisi"), max_len=MAX_TEKS)
    months = _monthly_targets(errors, n, agr, pol, target, tmax, raw)
    if len(errors) != e0:
        return None
    return dict(kode_s=kode_s, nama_s=nama_s, kode=kode, nama=nama, jenis=jenis, satuan=satuan, pol=pol, agr=agr,
                target=target, tmax=tmax, tim_id=tim_id, tim_name=tim_name, sumber=sumber, definisi=definisi,
                months=months)


def save_indikator(actor: Actor, tahun: int, df: pd.DataFrame) -> int:
    """Replace the PK's sasaran and indicators by the grid (matched by kode; an indicator with realisations
    cannot be removed). All or nothing; errors name row and column. Returns the number of indicators."""
    errors: list[FieldError] = []
    records = df.to_dict("records") if df is not None else []
    with unit_of_work(actor, action="simpan_pk") as s:
        require_perencana_for(s, actor, tahun, "menyusun Perjanjian Kinerja")
        pk = _draft_pk(s, tahun)
        tims = _tim_lookup(s)
        parsed: list[dict] = []
        seen: set[str] = set()
        for n, raw in enumerate(records, start=1):
            if _blank(raw):
                continue
            p = _parse_indikator(errors, n, raw, tims)
            kode = p["kode"] if p else _quiet_text(raw.get("Kode"))
            if kode and kode.lower() in seen:
                errors.append(FieldError(n, "Kode", f"kode indikator '{kode}' dipakai dua kali"))
                p = None
            if kode:
                seen.add(kode.lower())
            if p is not None:
                parsed.append(p)
        if errors:
            raise ValidationFailed(errors)
        if not parsed:
            raise ValidationFailed([FieldError(None, "Indikator", "isi paling sedikit satu indikator")])
        sasaran = {x.kode: x for x in pk.sasaran}
        existing = {i.kode: i for x in pk.sasaran for i in x.indikator}
        keep = {p["kode"] for p in parsed}
        for kode, ind in existing.items():
            if kode not in keep:
                used = s.scalar(select(func.count()).select_from(RealisasiIndikator)
                                .where(RealisasiIndikator.indikator_id == ind.id))
                if used:
                    raise ValidationFailed([FieldError(None, "Kode", f"indikator '{kode}' sudah memiliki realisasi "
                                                       "dan tidak dapat dihapus")])
        order_s: dict[str, int] = {}
        for i, p in enumerate(parsed):
            sas = sasaran.get(p["kode_s"])
            if sas is None:
                sas = SasaranStrategis(kode=p["kode_s"], nama=p["nama_s"])
                pk.sasaran.append(sas)
                sasaran[p["kode_s"]] = sas
            sas.nama = p["nama_s"]
            sas.urutan = order_s.setdefault(p["kode_s"], len(order_s))
            ind = existing.get(p["kode"])
            if ind is None:
                ind = IndikatorKinerja(kode=p["kode"])
                sas.indikator.append(ind)
            elif ind.sasaran is not sas:
                ind.sasaran.indikator.remove(ind)
                sas.indikator.append(ind)
            ind.nama, ind.jenis, ind.satuan = p["nama"], JenisIndikator(p["jenis"]), p["satuan"]
            ind.polaritas, ind.agregasi = PolaritasIndikator(p["pol"]), AturanAgregasi(p["agr"])
            ind.target, ind.target_max, ind.tim_id = p["target"], p["tmax"], p["tim_id"]
            ind.sumber_data, ind.definisi, ind.urutan = p["sumber"], p["definisi"], i
            by_month = {t.bulan: t for t in ind.targets}
            for m in range(1, 13):
                val = p["months"].get(m)
                t = by_month.get(m)
                if val is None and t is not None:
                    ind.targets.remove(t)
                elif val is not None and t is None:
                    ind.targets.append(TargetBulanan(bulan=m, target=val[0], target_max=val[1]))
                elif val is not None:
                    t.target, t.target_max = val
        for kode, ind in existing.items():
            if kode not in keep:
                ind.sasaran.indikator.remove(ind)
        s.flush()
        for sas in list(pk.sasaran):
            if not sas.indikator:
                pk.sasaran.remove(sas)
        return len(parsed)


def _quiet_text(value: Any) -> str | None:
    try:
        return to_text(value)
    except CellError:
        return None


def parse_rincian(s: Session, df: pd.DataFrame) -> tuple[list[dict], list[FieldError]]:
    return _parse_rincian_records(df.to_dict("records"), _tim_lookup(s))


def _parse_rincian_records(records: list[dict], tims: dict[str, int], start: int = 1) -> tuple[list[dict],
                                                                                                list[FieldError]]:
    errors: list[FieldError] = []
    parsed: list[dict] = []
    seen: set[str] = set()
    for n, raw in enumerate(records, start=start):
        if _blank(raw):
            continue
        e0 = len(errors)
        kode = _cell(errors, n, "Kode", to_text, raw.get("Kode"), max_len=60, required=True)
        nama = _cell(errors, n, "Rincian Output/Kegiatan", to_text, raw.get("Rincian Output/Kegiatan"),
                     max_len=MAX_TEKS, required=True)
        tim_name = _cell(errors, n, "PJ Tim Kerja", to_text, raw.get("PJ Tim Kerja"))
        tim_id = tims.get(tim_name.strip().lower()) if tim_name else None
        if tim_name and tim_id is None:
            errors.append(FieldError(n, "PJ Tim Kerja", f"Tim Kerja '{tim_name}' tidak ditemukan atau tidak aktif"))
        pagu = _cell(errors, n, "Pagu", to_decimal, raw.get("Pagu"), places=2)
        if pagu is None and not any(e.row == n and e.field == "Pagu" for e in errors):
            errors.append(FieldError(n, "Pagu", "wajib diisi"))
        elif pagu is not None and pagu < 0:
            errors.append(FieldError(n, "Pagu", "tidak boleh negatif"))
        rpd = {}
        for i, b in enumerate(BULAN, start=1):
            v = _cell(errors, n, b, to_decimal, raw.get(b), places=2)
            if v is not None and v < 0:
                errors.append(FieldError(n, b, "tidak boleh negatif"))
            elif v is not None:
                rpd[i] = v
        if pagu is not None and sum(rpd.values(), Decimal(0)) > pagu:
            errors.append(FieldError(n, "Pagu", "jumlah RPD bulanan melebihi pagu"))
        if kode and kode.lower() in seen:
            errors.append(FieldError(n, "Kode", f"kode '{kode}' dipakai dua kali"))
        if kode:
            seen.add(kode.lower())
        if len(errors) == e0:
            parsed.append(dict(kode=kode, nama=nama, tim_id=tim_id, pagu=pagu, rpd=rpd))
    return parsed, errors


def save_rincian(actor: Actor, tahun: int, df: pd.DataFrame) -> int:
    """Replace the rincian output/kegiatan with pagu and RPD (matched by kode). All or nothing."""
    with unit_of_work(actor, action="simpan_rincian_pk") as s:
        require_perencana_for(s, actor, tahun, "menyusun rincian anggaran Perjanjian Kinerja")
        pk = _draft_pk(s, tahun)
        parsed, errors = parse_rincian(s, df)
        if errors:
            raise ValidationFailed(errors)
        existing = {r.kode: r for r in pk.rincian}
        keep = {p["kode"] for p in parsed}
        for kode, r in existing.items():
            if kode not in keep:
                used = s.scalar(select(func.count()).select_from(RealisasiAnggaran)
                                .where(RealisasiAnggaran.rincian_id == r.id))
                if used:
                    raise ValidationFailed([FieldError(None, "Kode", f"rincian '{kode}' sudah memiliki realisasi "
                                                       "anggaran dan tidak dapat dihapus")])
                pk.rincian.remove(r)
        for i, p in enumerate(parsed):
            r = existing.get(p["kode"])
            if r is None:
                r = RincianOutput(kode=p["kode"])
                pk.rincian.append(r)
            r.nama, r.tim_id, r.pagu, r.urutan = p["nama"], p["tim_id"], p["pagu"], i
            by_month = {x.bulan: x for x in r.rpd}
            for m in range(1, 13):
                v, x = p["rpd"].get(m), by_month.get(m)
                if v is None and x is not None:
                    r.rpd.remove(x)
                elif v is not None and x is None:
                    r.rpd.append(RpdBulanan(bulan=m, rencana=v))
                elif v is not None:
                    x.rencana = v
        return len(parsed)


def read_excel(content: bytes) -> pd.DataFrame:
    """The first sheet of an uploaded budget export with the grid's headers (other columns ignored)."""
    try:
        df = pd.read_excel(io.BytesIO(content), dtype=object)
    except Exception as e:  # noqa: BLE001 - any unreadable file
        raise ServiceError(f"Berkas tidak dapat dibaca sebagai Excel (.xlsx): {e.__class__.__name__}.") from None
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in ("Kode", "Rincian Output/Kegiatan", "Pagu") if c not in df.columns]
    if missing:
        raise ServiceError("Kolom wajib tidak ada di berkas: " + ", ".join(missing) + ". Gunakan kolom: "
                           + ", ".join(RINCIAN_COLS) + ".")
    return df.reindex(columns=RINCIAN_COLS)


def preview_rincian_import(actor: Actor, content: bytes, tahun: int | None = None) -> tuple[pd.DataFrame,
                                                                                         list[FieldError]]:
    """What an import would save, and the errors by row (nothing is saved)."""
    with read_session() as s:
        if tahun is None:
            require_perencana(actor, "mengimpor rincian anggaran")
        else:
            require_perencana_for(s, actor, tahun, "mengimpor rincian anggaran")
        df = read_excel(content)
        _parsed, errors = parse_rincian(s, df)
    return df, errors


def import_rincian(actor: Actor, tahun: int, content: bytes) -> int:
    return save_rincian(actor, tahun, read_excel(content))


def copy_from_last_year(actor: Actor, tahun: int) -> int:
    """Copy sasaran, indicators (with targets) and rincian from the previous year's PK into an empty draft."""
    with read_session() as s:
        require_perencana_for(s, actor, tahun, "menyalin Perjanjian Kinerja")
        src = s.scalar(select(PerjanjianKinerja).where(PerjanjianKinerja.tahun == tahun - 1))
        if src is None:
            raise NotFound(f"Perjanjian Kinerja tahun {tahun - 1} tidak ada untuk disalin.")
        ind, rin = _indikator_rows(s, src), _rincian_rows(s, src)
    with read_session() as s:
        pk = s.scalar(select(PerjanjianKinerja).where(PerjanjianKinerja.tahun == tahun))
        if pk is not None and (pk.sasaran or pk.rincian):
            raise ServiceError(f"Perjanjian Kinerja {tahun} sudah berisi; penyalinan hanya ke PK yang masih kosong.")
    n = save_indikator(actor, tahun, pd.DataFrame(ind, columns=INDIKATOR_COLS))
    if rin:
        save_rincian(actor, tahun, pd.DataFrame(rin, columns=RINCIAN_COLS))
    return n


def tandatangani(actor: Actor, tahun: int, tanggal: dt.date | None = None) -> None:
    """Record that the PK was signed (Kepala, or the Perencana recording it); locks the PK."""
    with unit_of_work(actor, action="tandatangani_pk") as s:
        if not (actor.has(Role.KEPALA_SATKER) or is_perencana_for(s, actor, tahun)):
            raise PermissionDenied("Hanya Kepala Satuan Kerja atau Petugas Perencana yang dapat mencatat "
                                   "penandatanganan Perjanjian Kinerja.")
        if tanggal is not None and tanggal > clock.today():
            raise ValidationFailed([FieldError(None, "Tanggal", "tanggal penandatanganan tidak boleh di masa depan")])
        pk = _draft_pk(s, tahun, create=False)
        if not pk.sasaran:
            raise ServiceError("Perjanjian Kinerja belum berisi indikator.")
        pk.status = StatusPk.DITANDATANGANI
        pk.ditandatangani_at = tanggal or clock.today()
        pk.ditandatangani_oleh = actor.username


def revisi(actor: Actor, tahun: int, alasan: str) -> int:
    """Open a revision of a signed PK: the signed version is kept (PkVersi) and a new draft version begins."""
    alasan = (alasan or "").strip()
    with unit_of_work(actor, action="revisi_pk") as s:
        require_perencana_for(s, actor, tahun, "merevisi Perjanjian Kinerja")
        if len(alasan) < MIN_ALASAN:
            raise ValidationFailed([FieldError(None, "Alasan", f"tuliskan alasan revisi paling sedikit {MIN_ALASAN} "
                                               "karakter")])
        if len(alasan) > MAX_TEKS:
            raise ValidationFailed([FieldError(None, "Alasan", f"paling banyak {MAX_TEKS} karakter")])
        pk = pk_for(s, tahun)
        if pk.status != StatusPk.DITANDATANGANI:
            raise ServiceError("Perjanjian Kinerja masih draft; ubah langsung tanpa revisi.")
        s.add(PkVersi(pk_id=pk.id, versi=pk.versi, ditandatangani_at=pk.ditandatangani_at, dibuat_at=clock.utcnow(),
                      dibuat_oleh=actor.username, isi=snapshot(s, pk)))
        pk.versi += 1
        pk.status = StatusPk.DRAFT
        pk.ditandatangani_at = None
        pk.ditandatangani_oleh = None
        pk.alasan_revisi = alasan
        return pk.versi


def snapshot(s: Session, pk: PerjanjianKinerja) -> dict[str, list[dict]]:
    """The PK's indicator and rincian rows as kept in a PkVersi (JSON-ready)."""
    return {"indikator": _jsonable(_indikator_rows(s, pk)), "rincian": _jsonable(_rincian_rows(s, pk))}


def _jsonable(rows: list[dict]) -> list[dict]:
    return [{k: (float(v) if isinstance(v, Decimal) else v) for k, v in r.items()} for r in rows]


def tahun_list(actor: Actor) -> list[int]:
    with read_session() as s:
        require_read(s, actor)
        return list(s.scalars(select(PerjanjianKinerja.tahun).order_by(PerjanjianKinerja.tahun.desc())))


# --- grid helpers for the page: options, paste from Excel, comparing versions ---------------------------------------

INDIKATOR_PASTE = tuple(c for c in INDIKATOR_COLS if c not in TW)
"""Columns a paste from Excel fills, in the grid's order (the quarterly columns are left out: fill them in the
grid, or give the months)."""


def tim_options(actor: Actor) -> list[str]:
    """Names of the active Tim Kerja (the PJ column's choices)."""
    with read_session() as s:
        require_read(s, actor)
        return list(s.scalars(select(TimKerja.nama).where(TimKerja.aktif).order_by(TimKerja.nama)))


def can_edit(actor: Actor, tahun: int) -> bool:
    """May the actor edit the year's PK (Perencana, or a member of the year's Tim Penyusun)?"""
    with read_session() as s:
        return is_perencana_for(s, actor, tahun)


def _paste(actor: Actor, tahun: int, text: str, columns: tuple[str, ...], parse_row) -> Any:
    from services.core.grid import finish_paste, read_paste

    labels = {c: c for c in columns}
    preview, raws, sink = read_paste(text, columns, labels, {c: (lambda v: v.strip() or None) for c in columns})
    values: dict[int, dict] = {}
    with read_session() as s:
        require_perencana_for(s, actor, tahun, "menyusun Perjanjian Kinerja")
        tims = _tim_lookup(s)
        names = {t.id: t.nama for t in s.scalars(select(TimKerja))}
        for raw in raws:
            no = raw.pop("_row")
            raw.pop("id", None)
            errors: list[FieldError] = []
            row = parse_row(errors, no, raw, tims)
            for e in errors:
                sink.items.append(e)
            if row is not None:
                values[no] = _grid_values(raw, row, names, columns)
    return finish_paste(preview, values, sink)


def _grid_values(raw: dict, row: dict, names: dict[int, str], columns: tuple[str, ...]) -> dict:
    """A pasted row as the grid holds it: numbers as numbers, choices normalised, the rest as typed."""
    out: dict[str, Any] = {c: raw.get(c) for c in columns}
    if "Indikator" in columns:
        out.update({"Kode Sasaran": row["kode_s"], "Sasaran": row["nama_s"], "Kode": row["kode"],
                    "Indikator": row["nama"], "Jenis": row["jenis"], "Satuan": row["satuan"], "Polaritas": row["pol"],
                    "Agregasi": row["agr"], "Target": float(row["target"]),
                    "Target Maks": _num(row["tmax"]), "PJ Tim Kerja": names.get(row["tim_id"]),
                    "Sumber Data": row["sumber"], "Definisi": row["definisi"]})
        for i, b in enumerate(BULAN, start=1):
            m = row["months"].get(i)
            out[b] = _range_text(*m) if m else None
    else:
        out.update({"Kode": row["kode"], "Rincian Output/Kegiatan": row["nama"],
                    "PJ Tim Kerja": names.get(row["tim_id"]) if row["tim_id"] else None, "Pagu": float(row["pagu"])})
        for i, b in enumerate(BULAN, start=1):
            v = row["rpd"].get(i)
            out[b] = None if v is None else float(v)
    return out


def preview_paste(actor: Actor, tahun: int, text: str) -> Any:
    """Rows pasted from Excel for the indicator grid (columns INDIKATOR_PASTE, or with a header line in any
    order), read with the same row model as save_indikator; nothing is saved. A PastePreview: good rows as grid
    values, every bad cell as FieldError(pasted row, column, message)."""
    return _paste(actor, tahun, text, INDIKATOR_PASTE, _parse_indikator)


def _parse_rincian_row(errors: list[FieldError], n: int, raw: dict, tims: dict[str, int]) -> dict | None:
    e0 = len(errors)
    parsed, errs = _parse_rincian_records([raw], tims, start=n)
    errors.extend(errs)
    return parsed[0] if parsed and len(errors) == e0 else None


def preview_paste_rincian(actor: Actor, tahun: int, text: str) -> Any:
    """Rows pasted from Excel for the rincian output grid (columns RINCIAN_COLS); nothing is saved."""
    return _paste(actor, tahun, text, tuple(RINCIAN_COLS), _parse_rincian_row)


def diff_versi(actor: Actor, tahun: int, versi_a: int, versi_b: int | None = None) -> pd.DataFrame:
    """Cells that differ between signed version `versi_a` and version `versi_b` (None = the PK as it is now):
    Bagian (Indikator / Rincian), Kode, Kolom, and the two values."""
    with read_session() as s:
        require_read(s, actor)
        pk = pk_for(s, tahun)
        kept = {v.versi: v.isi for v in s.scalars(select(PkVersi).where(PkVersi.pk_id == pk.id))}
        if versi_a not in kept or (versi_b is not None and versi_b not in kept):
            raise NotFound("Versi Perjanjian Kinerja tidak ditemukan.")
        a = kept[versi_a]
        b = kept[versi_b] if versi_b is not None else snapshot(s, pk)
        label_b = f"Versi {versi_b}" if versi_b is not None else f"Versi {pk.versi} (sekarang)"
    label_a = f"Versi {versi_a}"
    out = []
    for bagian, key, cols in (("Indikator", "indikator", INDIKATOR_COLS), ("Rincian", "rincian", RINCIAN_COLS)):
        ra = {r["Kode"]: r for r in a.get(key, [])}
        rb = {r["Kode"]: r for r in b.get(key, [])}
        for kode in sorted(set(ra) | set(rb)):
            x, y = ra.get(kode), rb.get(kode)
            if x is None or y is None:
                out.append({"Bagian": bagian, "Kode": kode, "Kolom": "(baris)",
                            label_a: "tidak ada" if x is None else "ada", label_b: "tidak ada" if y is None else "ada"})
                continue
            for c in cols:
                va, vb = _same(x.get(c)), _same(y.get(c))
                if va != vb:
                    out.append({"Bagian": bagian, "Kode": kode, "Kolom": c, label_a: va, label_b: vb})
    return pd.DataFrame(out, columns=["Bagian", "Kode", "Kolom", label_a, label_b]).astype(object)


def _same(v: Any) -> Any:
    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, int | float) and not isinstance(v, bool):
        return rules.cells.fmt_decimal(v)
    return v


def excel(actor: Actor, tahun: int) -> bytes:
    """The year's PK as .xlsx (sheets Indikator and Rincian Output, the grids' columns): what "Unduh Excel" gives
    can be pasted back or imported unchanged. Formula-safe."""
    from services.core import export

    return export.to_excel_bytes({"Indikator": indikator_frame(actor, tahun),
                                  "Rincian Output": rincian_frame(actor, tahun)})
