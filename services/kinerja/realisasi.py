"""Monthly realisation by each Tim Kerja (SOP 001 step 3 input): the PJ Tim Kerja (ketua) or a member they
delegate enters the month's realisasi per indicator with bukti dukung, kendala and rencana tindak lanjut, and
the budget realisation per rincian output; then submits (`ajukan`) by the day in setting
kinerja_batas_realisasi_hari of the next month. After submission only the Perencana corrects a figure, with a
reason (`koreksi`, audited).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import (
    DelegasiRealisasi,
    IndikatorKinerja,
    KertasKerja,
    Pegawai,
    PerjanjianKinerja,
    RealisasiAnggaran,
    RealisasiIndikator,
    RealisasiTim,
    Role,
    SasaranStrategis,
    StatusRealisasiTim,
    TimKerja,
)
from domain.cells import CellError, fmt_decimal, to_decimal, to_text
from services.core import audit, clock, settings
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ServiceError, ValidationFailed
from services.core.uow import unit_of_work
from services.kinerja.common import (
    BULAN,
    MAX_TEKS,
    MIN_ALASAN,
    my_teams,
    nama_bulan,
    pk_for,
    require_perencana_for,
    require_read,
)

GRID_COLS = ["indikator_id", "Kode", "Indikator", "Satuan", "Target", "Realisasi", "Bukti (tautan)", "Kendala",
             "Rencana Tindak Lanjut"]
ANGGARAN_COLS = ["rincian_id", "Kode", "Rincian Output/Kegiatan", "Pagu", "RPD", "Realisasi"]
MAX_BUKTI = 10 * 1024 * 1024


def catatan_pemeriksa(actor: Actor, tahun: int, bulan: int, tim_id: int) -> list[dict[str, str]]:
    """The Kasubbag ADUM's notes on the team's rows of the month's kertas kerja (kept from `kertas.kembalikan`
    until the kertas kerja is checked): Kode, Indikator, Catatan. Shown to the PJ on the realisation page."""
    with read_session() as s:
        if tim_id not in my_teams(s, actor, tahun):
            require_read(s, actor)
        kk = s.scalar(select(KertasKerja).where(KertasKerja.tahun == tahun, KertasKerja.jenis == "bulan",
                                                KertasKerja.nomor == bulan))
        notes = (kk.catatan_baris or {}) if kk is not None else {}
        if not notes:
            return []
        return [{"Kode": i.kode, "Indikator": i.nama, "Catatan": str(notes[str(i.id)])}
                for i in _indicators(s, pk_for(s, tahun), tim_id) if notes.get(str(i.id))]


def tenggat(tahun: int, bulan: int, s: Session | None = None) -> dt.date:
    """The submission deadline of a month: day kinerja_batas_realisasi_hari of the following month."""
    day = int(settings.get("kinerja_batas_realisasi_hari", s))
    y, m = (tahun + 1, 1) if bulan == 12 else (tahun, bulan + 1)
    return dt.date(y, m, day)


def _check_month(tahun: int, bulan: int) -> None:
    if not 1 <= bulan <= 12:
        raise ValidationFailed([FieldError(None, "Bulan", "harus 1 sampai 12")])
    today = clock.today()
    if (tahun, bulan) > (today.year, today.month):
        raise ServiceError(f"Realisasi {nama_bulan(bulan)} {tahun} belum dapat diisi: bulannya belum berjalan.")


def _require_team(s: Session, actor: Actor, tahun: int, tim_id: int) -> TimKerja:
    tim = s.get(TimKerja, tim_id)
    if tim is None:
        raise NotFound("Tim Kerja tidak ditemukan.")
    if tim_id not in my_teams(s, actor, tahun):
        raise PermissionDenied(f"Anda bukan PJ atau anggota yang ditugasi mengisi realisasi {tim.nama}; realisasi "
                               "tim lain hanya dapat dikoreksi Petugas Perencana dengan alasan.")
    return tim


def _header(s: Session, tahun: int, bulan: int, tim_id: int, create: bool = False) -> RealisasiTim | None:
    row = s.scalar(select(RealisasiTim).where(RealisasiTim.tahun == tahun, RealisasiTim.bulan == bulan,
                                              RealisasiTim.tim_id == tim_id))
    if row is None and create:
        row = RealisasiTim(tahun=tahun, bulan=bulan, tim_id=tim_id, status=StatusRealisasiTim.DRAFT)
        s.add(row)
        s.flush()
    return row


def _indicators(s: Session, pk: PerjanjianKinerja, tim_id: int | None = None) -> list[IndikatorKinerja]:
    q = (select(IndikatorKinerja).join(SasaranStrategis).where(SasaranStrategis.pk_id == pk.id)
         .order_by(SasaranStrategis.urutan, IndikatorKinerja.urutan))
    if tim_id is not None:
        q = q.where(IndikatorKinerja.tim_id == tim_id)
    return list(s.scalars(q))


def teams_for(actor: Actor, tahun: int) -> list[tuple[int, str]]:
    """Tim Kerja the actor may enter for (all teams with indicators for the Perencana, read-only)."""
    with read_session() as s:
        mine = my_teams(s, actor, tahun)
        if actor.has(Role.PERENCANA, Role.KEPALA_SATKER, Role.ADMIN_SDM):
            mine |= set(s.scalars(select(IndikatorKinerja.tim_id).join(SasaranStrategis)
                                  .join(PerjanjianKinerja).where(PerjanjianKinerja.tahun == tahun)))
        return [(t.id, t.nama) for t in s.scalars(select(TimKerja).where(TimKerja.id.in_(mine))
                                                  .order_by(TimKerja.nama))]


STATUS_LABEL = {StatusRealisasiTim.DRAFT: "Draft", StatusRealisasiTim.DIAJUKAN: "Diajukan"}
"""The status as the user reads it (the same words as the monitoring table)."""


def header(actor: Actor, tahun: int, bulan: int, tim_id: int) -> dict[str, Any]:
    with read_session() as s:
        h = _header(s, tahun, bulan, tim_id)
        status = h.status if h else StatusRealisasiTim.DRAFT
        return {"status": status.value, "status_label": STATUS_LABEL[status],
                "diajukan_at": h.diajukan_at if h else None, "diajukan_oleh": h.diajukan_oleh if h else None,
                "tenggat": tenggat(tahun, bulan, s), "boleh_isi": tim_id in my_teams(s, actor, tahun)}


def grid(actor: Actor, tahun: int, bulan: int, tim_id: int) -> pd.DataFrame:
    """The team's indicators for the month with their target and what was entered."""
    with read_session() as s:
        if tim_id not in my_teams(s, actor, tahun):
            require_read(s, actor)
        pk = pk_for(s, tahun)
        inds = _indicators(s, pk, tim_id)
        reals = {r.indikator_id: r for r in s.scalars(select(RealisasiIndikator).where(
            RealisasiIndikator.indikator_id.in_([i.id for i in inds]), RealisasiIndikator.bulan == bulan))}
        rows = []
        for ind in inds:
            t = next((x for x in ind.targets if x.bulan == bulan), None)
            r = reals.get(ind.id)
            target = None if t is None else (fmt_decimal(t.target) if t.target_max is None else
                                            f"{fmt_decimal(t.target)}-{fmt_decimal(t.target_max)}")
            rows.append({"indikator_id": ind.id, "Kode": ind.kode, "Indikator": ind.nama, "Satuan": ind.satuan,
                         "Target": None if target is None else str(target),
                         "Realisasi": float(r.nilai) if r and r.nilai is not None else None,
                         "Bukti (tautan)": r.bukti_link if r else None, "Kendala": r.kendala if r else None,
                         "Rencana Tindak Lanjut": r.rencana_tindak_lanjut if r else None})
    return pd.DataFrame(rows, columns=GRID_COLS)


TEXT_LIMITS = (("Bukti (tautan)", "link", 500), ("Kendala", "kendala", MAX_TEKS),
               ("Rencana Tindak Lanjut", "rtl", MAX_TEKS))
"""Text columns of the indicator grid with their key and length limit (the grid enforces them while typing; the
service reports any longer text by row and column)."""
ANGGARAN_LABEL = "Realisasi anggaran"
"""How the budget grid's Realisasi column is named in error messages (the two grids are saved together)."""


def _real_values(errors: list[FieldError], n: int, raw: dict) -> tuple[Any, dict[str, str | None]] | None:
    """Realisasi, bukti link, kendala and rencana tindak lanjut of one indicator row (row n as the user sees it);
    None with the errors added."""
    e0 = len(errors)
    nilai = None
    try:
        nilai = to_decimal(raw.get("Realisasi"))
        if nilai is not None and nilai < 0:
            errors.append(FieldError(n, "Realisasi", "tidak boleh negatif"))
    except CellError as e:
        errors.append(FieldError(n, "Realisasi", e.message))
    texts: dict[str, str | None] = {}
    for col, key, mx in TEXT_LIMITS:
        try:
            texts[key] = to_text(raw.get(col), max_len=mx)
        except CellError as e:
            errors.append(FieldError(n, col, e.message))
    link = texts.get("link")
    if link and not link.lower().startswith(("http://", "https://")):
        errors.append(FieldError(n, "Bukti (tautan)", "tautan harus diawali http:// atau https://"))
    return (nilai, texts) if len(errors) == e0 else None


def _anggaran_value(errors: list[FieldError], n: int, raw: dict, field: str) -> tuple[bool, Any]:
    try:
        v = to_decimal(raw.get("Realisasi"), places=2)
    except CellError as e:
        errors.append(FieldError(n, field, e.message))
        return False, None
    if v is not None and v < 0:
        errors.append(FieldError(n, field, "tidak boleh negatif"))
        return False, None
    return True, v


def _open_month(s: Session, actor: Actor, tahun: int, bulan: int, tim_id: int) -> tuple[TimKerja, RealisasiTim]:
    tim = _require_team(s, actor, tahun, tim_id)
    h = _header(s, tahun, bulan, tim_id, create=True)
    assert h is not None
    if h.status == StatusRealisasiTim.DIAJUKAN:
        raise ServiceError(f"Realisasi {tim.nama} bulan {nama_bulan(bulan)} sudah diajukan; perubahan hanya "
                           "melalui koreksi Petugas Perencana.")
    return tim, h


def _save_indikator(s: Session, actor: Actor, tahun: int, bulan: int, tim: TimKerja, df: pd.DataFrame,
                    errors: list[FieldError]) -> list[tuple[int, Any, dict]]:
    pk = pk_for(s, tahun)
    own = {i.id: i for i in _indicators(s, pk, tim.id)}
    all_ids = {i.id for i in _indicators(s, pk)}
    parsed = []
    for n, raw in enumerate(df.to_dict("records"), start=1):
        try:
            iid = int(raw.get("indikator_id"))
        except (TypeError, ValueError):
            errors.append(FieldError(n, "Indikator", "baris tidak dikenal; muat ulang halaman"))
            continue
        if iid not in own:
            if iid in all_ids:
                raise PermissionDenied(f"Baris {n}: indikator ini milik Tim Kerja lain; {tim.nama} hanya mengisi "
                                       "indikatornya sendiri.")
            errors.append(FieldError(n, "Indikator", "indikator tidak ada pada Perjanjian Kinerja tahun ini"))
            continue
        values = _real_values(errors, n, raw)
        if values is not None:
            parsed.append((iid, values[0], values[1]))
    return parsed


def _write_indikator(s: Session, actor: Actor, bulan: int, parsed: list[tuple[int, Any, dict]]) -> None:
    ids = [iid for iid, _n, _t in parsed]
    existing = {r.indikator_id: r for r in s.scalars(select(RealisasiIndikator).where(
        RealisasiIndikator.indikator_id.in_(ids), RealisasiIndikator.bulan == bulan))} if ids else {}
    for iid, nilai, texts in parsed:
        r = existing.get(iid)
        if r is None:
            r = RealisasiIndikator(indikator_id=iid, bulan=bulan)
            s.add(r)
        r.nilai, r.bukti_link, r.kendala = nilai, texts.get("link"), texts.get("kendala")
        r.rencana_tindak_lanjut, r.diisi_oleh = texts.get("rtl"), actor.username


def _save_anggaran(s: Session, tahun: int, tim: TimKerja, df: pd.DataFrame, errors: list[FieldError],
                   field: str) -> list[tuple[int, Any]]:
    pk = pk_for(s, tahun)
    own = {r.id for r in pk.rincian if r.tim_id == tim.id}
    parsed = []
    for n, raw in enumerate(df.to_dict("records"), start=1):
        try:
            rid = int(raw.get("rincian_id"))
        except (TypeError, ValueError):
            errors.append(FieldError(n, "Kode", "baris tidak dikenal; muat ulang halaman"))
            continue
        if rid not in own:
            raise PermissionDenied(f"Baris {n}: rincian ini milik Tim Kerja lain.")
        ok, v = _anggaran_value(errors, n, raw, field)
        if ok:
            parsed.append((rid, v))
    return parsed


def _write_anggaran(s: Session, actor: Actor, bulan: int, parsed: list[tuple[int, Any]]) -> None:
    for rid, v in parsed:
        row = s.scalar(select(RealisasiAnggaran).where(RealisasiAnggaran.rincian_id == rid,
                                                       RealisasiAnggaran.bulan == bulan))
        if v is None:
            if row is not None:
                s.delete(row)
            continue
        if row is None:
            row = RealisasiAnggaran(rincian_id=rid, bulan=bulan, nilai=v)
            s.add(row)
        row.nilai, row.diisi_oleh = v, actor.username


def save_all(actor: Actor, tahun: int, bulan: int, tim_id: int, indikator: pd.DataFrame | None,
             anggaran: pd.DataFrame | None, *, ajukan: bool = False) -> dict[str, int]:
    """Save the team's month — the indicator grid and the budget grid — in one transaction (all or nothing:
    the errors of both grids are reported together, by row and column; budget errors name the column
    'Realisasi anggaran'). With `ajukan` the month is then submitted in the same transaction (every indicator
    needs a realisasi). Refused for another team's rows and after submission. Returns the counts saved."""
    _check_month(tahun, bulan)
    errors: list[FieldError] = []
    with unit_of_work(actor, action="ajukan_realisasi" if ajukan else "simpan_realisasi") as s:
        tim, h = _open_month(s, actor, tahun, bulan, tim_id)
        ind = _save_indikator(s, actor, tahun, bulan, tim, indikator, errors) if indikator is not None else []
        ang = (_save_anggaran(s, tahun, tim, anggaran, errors, ANGGARAN_LABEL)
               if anggaran is not None and not anggaran.empty else [])
        if errors:
            raise ValidationFailed(errors)
        _write_indikator(s, actor, bulan, ind)
        _write_anggaran(s, actor, bulan, ang)
        if ajukan:
            s.flush()
            _submit(s, actor, tahun, bulan, tim, h)
        return {"indikator": len(ind), "anggaran": len(ang)}


def save(actor: Actor, tahun: int, bulan: int, tim_id: int, df: pd.DataFrame) -> int:
    """Save the team's realisations for the month (all or nothing). Refused for another team's indicators and
    after submission."""
    _check_month(tahun, bulan)
    errors: list[FieldError] = []
    with unit_of_work(actor, action="simpan_realisasi") as s:
        tim, _h = _open_month(s, actor, tahun, bulan, tim_id)
        parsed = _save_indikator(s, actor, tahun, bulan, tim, df, errors)
        if errors:
            raise ValidationFailed(errors)
        _write_indikator(s, actor, bulan, parsed)
        return len(parsed)


def upload_bukti(actor: Actor, tahun: int, bulan: int, indikator_id: int, nama: str, content: bytes) -> None:
    _check_month(tahun, bulan)
    if not content or len(content) > MAX_BUKTI:
        raise ValidationFailed([FieldError(None, "Bukti dukung", "berkas kosong atau lebih dari 10 MB")])
    with unit_of_work(actor, action="unggah_bukti_kinerja") as s:
        ind = s.get(IndikatorKinerja, indikator_id)
        if ind is None:
            raise NotFound("Indikator tidak ditemukan.")
        _require_team(s, actor, tahun, ind.tim_id)
        h = _header(s, tahun, bulan, ind.tim_id, create=True)
        if h is not None and h.status == StatusRealisasiTim.DIAJUKAN:
            raise ServiceError("Realisasi sudah diajukan; bukti tidak dapat diganti.")
        r = s.scalar(select(RealisasiIndikator).where(RealisasiIndikator.indikator_id == indikator_id,
                                                      RealisasiIndikator.bulan == bulan))
        if r is None:
            r = RealisasiIndikator(indikator_id=indikator_id, bulan=bulan)
            s.add(r)
        r.bukti_nama, r.bukti_file, r.diisi_oleh = (nama or "bukti")[:200], content, actor.username


def anggaran_grid(actor: Actor, tahun: int, bulan: int, tim_id: int) -> pd.DataFrame:
    with read_session() as s:
        if tim_id not in my_teams(s, actor, tahun):
            require_read(s, actor)
        pk = pk_for(s, tahun)
        rows = []
        for r in pk.rincian:
            if r.tim_id != tim_id:
                continue
            real = s.scalar(select(RealisasiAnggaran).where(RealisasiAnggaran.rincian_id == r.id,
                                                            RealisasiAnggaran.bulan == bulan))
            rpd = next((x.rencana for x in r.rpd if x.bulan == bulan), None)
            rows.append({"rincian_id": r.id, "Kode": r.kode, "Rincian Output/Kegiatan": r.nama,
                         "Pagu": float(r.pagu), "RPD": float(rpd) if rpd is not None else None,
                         "Realisasi": float(real.nilai) if real else None})
    return pd.DataFrame(rows, columns=ANGGARAN_COLS)


def save_anggaran(actor: Actor, tahun: int, bulan: int, tim_id: int, df: pd.DataFrame) -> int:
    _check_month(tahun, bulan)
    errors: list[FieldError] = []
    with unit_of_work(actor, action="simpan_realisasi_anggaran") as s:
        tim, _h = _open_month(s, actor, tahun, bulan, tim_id)
        parsed = _save_anggaran(s, tahun, tim, df, errors, "Realisasi")
        if errors:
            raise ValidationFailed(errors)
        _write_anggaran(s, actor, bulan, parsed)
        return len(parsed)


def _submit(s: Session, actor: Actor, tahun: int, bulan: int, tim: TimKerja, h: RealisasiTim) -> None:
    inds = _indicators(s, pk_for(s, tahun), tim.id)
    have = {r.indikator_id for r in s.scalars(select(RealisasiIndikator).where(
        RealisasiIndikator.indikator_id.in_([i.id for i in inds]), RealisasiIndikator.bulan == bulan,
        RealisasiIndikator.nilai.is_not(None)))}
    missing = [FieldError(n, "Realisasi", f"indikator {i.kode} belum diisi")
               for n, i in enumerate(inds, start=1) if i.id not in have]
    if missing:
        raise ValidationFailed(missing)
    h.status = StatusRealisasiTim.DIAJUKAN
    h.diajukan_at = clock.utcnow()
    h.diajukan_oleh = actor.username


def ajukan(actor: Actor, tahun: int, bulan: int, tim_id: int) -> None:
    """Submit the team's month; every indicator of the team needs a realisasi."""
    _check_month(tahun, bulan)
    with unit_of_work(actor, action="ajukan_realisasi") as s:
        tim = _require_team(s, actor, tahun, tim_id)
        h = _header(s, tahun, bulan, tim_id, create=True)
        assert h is not None
        if h.status == StatusRealisasiTim.DIAJUKAN:
            raise ServiceError(f"Realisasi {tim.nama} bulan {nama_bulan(bulan)} sudah diajukan.")
        _submit(s, actor, tahun, bulan, tim, h)


def buka_kembali(actor: Actor, tahun: int, bulan: int, tim_id: int, alasan: str) -> None:
    """Perencana returns a submitted month to the team (e.g. wrong figures found before compiling)."""
    with unit_of_work(actor, action="buka_realisasi") as s:
        require_perencana_for(s, actor, tahun, "membuka kembali realisasi Tim Kerja")
        if len((alasan or "").strip()) < MIN_ALASAN:
            raise ValidationFailed([FieldError(None, "Alasan", f"paling sedikit {MIN_ALASAN} karakter")])
        h = _header(s, tahun, bulan, tim_id)
        if h is None or h.status != StatusRealisasiTim.DIAJUKAN:
            raise ServiceError("Realisasi tim ini belum diajukan.")
        h.status = StatusRealisasiTim.DRAFT
        audit.record(s, actor, "buka_realisasi", "RealisasiTim", h.id, note=alasan.strip())


def koreksi(actor: Actor, tahun: int, bulan: int, indikator_id: int, nilai: Any, alasan: str) -> None:
    """Correct a Tim Kerja's figure: only the Perencana, with a reason (audited with before/after)."""
    alasan = (alasan or "").strip()
    with unit_of_work(actor, action="koreksi_realisasi") as s:
        require_perencana_for(s, actor, tahun, "mengoreksi angka realisasi Tim Kerja")
        errors = []
        if len(alasan) < MIN_ALASAN:
            errors.append(FieldError(None, "Alasan", f"tuliskan alasan koreksi paling sedikit {MIN_ALASAN} karakter"))
        elif len(alasan) > MAX_TEKS:
            errors.append(FieldError(None, "Alasan", f"paling banyak {MAX_TEKS} karakter"))
        value = None
        try:
            value = to_decimal(nilai)
            if value is None or value < 0:
                errors.append(FieldError(None, "Realisasi", "wajib diisi dan tidak negatif"))
        except CellError as e:
            errors.append(FieldError(None, "Realisasi", e.message))
        if errors:
            raise ValidationFailed(errors)
        ind = s.get(IndikatorKinerja, indikator_id)
        if ind is None:
            raise NotFound("Indikator tidak ditemukan.")
        r = s.scalar(select(RealisasiIndikator).where(RealisasiIndikator.indikator_id == indikator_id,
                                                      RealisasiIndikator.bulan == bulan))
        before = None if r is None or r.nilai is None else str(r.nilai)
        if r is None:
            r = RealisasiIndikator(indikator_id=indikator_id, bulan=bulan)
            s.add(r)
        r.nilai, r.koreksi_alasan = value, alasan
        s.flush()
        audit.record(s, actor, "koreksi_realisasi", "RealisasiIndikator", r.id, before={"nilai": before},
                     after={"nilai": str(value)}, note=alasan)


def delegasikan(actor: Actor, tahun: int, tim_id: int, pegawai_id: int, aktif: bool = True) -> None:
    """The PJ (ketua) lets a member of the team enter the realisations (or withdraws it)."""
    with unit_of_work(actor, action="delegasi_realisasi") as s:
        tim = s.get(TimKerja, tim_id)
        if tim is None:
            raise NotFound("Tim Kerja tidak ditemukan.")
        if not (actor.pegawai_id is not None and tim.ketua_id == actor.pegawai_id) and not actor.has(Role.ADMIN_SDM):
            raise PermissionDenied("Hanya PJ (Ketua) Tim Kerja yang dapat menugasi anggota mengisi realisasi.")
        peg = s.get(Pegawai, pegawai_id)
        if peg is None or peg.tim_id != tim_id:
            raise ValidationFailed([FieldError(None, "Pegawai", f"bukan anggota {tim.nama}")])
        row = s.scalar(select(DelegasiRealisasi).where(DelegasiRealisasi.tahun == tahun,
                                                       DelegasiRealisasi.tim_id == tim_id,
                                                       DelegasiRealisasi.pegawai_id == pegawai_id))
        if aktif and row is None:
            s.add(DelegasiRealisasi(tahun=tahun, tim_id=tim_id, pegawai_id=pegawai_id))
        elif not aktif and row is not None:
            s.delete(row)


def _local_date(at: dt.datetime) -> dt.date:
    if at.tzinfo is None:  # SQLite returns naive UTC
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(clock.tz()).date()


def _status_rows(s: Session, tahun: int, bulan: int, today: dt.date) -> list[dict[str, Any]]:
    pk = s.scalar(select(PerjanjianKinerja).where(PerjanjianKinerja.tahun == tahun))
    if pk is None:
        return []
    tim_ids = {i.tim_id for i in _indicators(s, pk)}
    due = tenggat(tahun, bulan, s)
    headers = {h.tim_id: h for h in s.scalars(select(RealisasiTim).where(  # one query, not one per team
        RealisasiTim.tahun == tahun, RealisasiTim.bulan == bulan, RealisasiTim.tim_id.in_(tim_ids)))}
    out = []
    for tim in s.scalars(select(TimKerja).where(TimKerja.id.in_(tim_ids)).order_by(TimKerja.nama)):
        h = headers.get(tim.id)
        submitted = h is not None and h.status == StatusRealisasiTim.DIAJUKAN
        sub_date = _local_date(h.diajukan_at) if h is not None and submitted and h.diajukan_at else None
        late = (not submitted and today > due) or (sub_date is not None and sub_date > due)
        out.append({"tim_id": tim.id, "Tim Kerja": tim.nama, "ketua_id": tim.ketua_id,
                    "Status": "Diajukan" if submitted else ("Draft" if h else "Belum diisi"),
                    "Diajukan": sub_date, "Tenggat": due, "Terlambat": late})
    return out


def monitoring(actor: Actor, tahun: int, bulan: int) -> pd.DataFrame:
    """Per Tim Kerja: submission status of the month, deadline and the late flag."""
    with read_session() as s:
        require_read(s, actor)
        rows = _status_rows(s, tahun, bulan, clock.today())
    return pd.DataFrame(rows, columns=["tim_id", "Tim Kerja", "ketua_id", "Status", "Diajukan", "Tenggat",
                                       "Terlambat"]).drop(columns=["ketua_id"])


def status_rows(s: Session, tahun: int, bulan: int, today: dt.date) -> list[dict[str, Any]]:
    return _status_rows(s, tahun, bulan, today)


def month_label(bulan: int) -> str:
    return BULAN[bulan - 1]



# --- paste from Excel ---------------------------------------------------------------------------------------------

PASTE_COLS = tuple(c for c in GRID_COLS if c != "indikator_id")
ANGGARAN_PASTE_COLS = tuple(c for c in ANGGARAN_COLS if c != "rincian_id")


def _paste(actor: Actor, tahun: int, bulan: int, tim_id: int, text: str, columns: tuple[str, ...], rows_of,
           row_values) -> Any:
    """Rows pasted from Excel onto a fixed grid: each row is matched to the grid's row by Kode (the other read-only
    columns are ignored) and read with the grid's row model; nothing is saved."""
    from services.core.grid import finish_paste, read_paste

    preview, raws, sink = read_paste(text, columns, {c: c for c in columns},
                                     {c: (lambda v: v.strip() or None) for c in columns})
    with read_session() as s:
        _require_team(s, actor, tahun, tim_id)
    current = rows_of(actor, tahun, bulan, tim_id)
    by_kode = {str(r["Kode"]).strip().lower(): r for r in current.to_dict("records")}
    values: dict[int, dict] = {}
    seen: set[str] = set()
    for raw in raws:
        no = raw["_row"]
        kode = (raw.get("Kode") or "").strip().lower()
        row = by_kode.get(kode)
        if row is None:
            sink.items.append(FieldError(no, "Kode", f"kode '{raw.get('Kode') or ''}' tidak ada pada tabel tim ini"))
            continue
        if kode in seen:
            sink.items.append(FieldError(no, "Kode", "kode ditempel dua kali"))
            continue
        seen.add(kode)
        errors: list[FieldError] = []
        got = row_values(errors, no, raw, row)
        sink.items.extend(errors)
        if got is not None:
            values[no] = got
    return finish_paste(preview, values, sink)


def _ind_paste_values(errors: list[FieldError], no: int, raw: dict, row: dict) -> dict | None:
    v = _real_values(errors, no, raw)
    if v is None:
        return None
    nilai, texts = v
    return {"indikator_id": row["indikator_id"], "Realisasi": None if nilai is None else float(nilai),
            "Bukti (tautan)": texts.get("link"), "Kendala": texts.get("kendala"),
            "Rencana Tindak Lanjut": texts.get("rtl")}


def _ang_paste_values(errors: list[FieldError], no: int, raw: dict, row: dict) -> dict | None:
    ok, v = _anggaran_value(errors, no, raw, "Realisasi")
    return {"rincian_id": row["rincian_id"], "Realisasi": None if v is None else float(v)} if ok else None


def preview_paste(actor: Actor, tahun: int, bulan: int, tim_id: int, text: str) -> Any:
    """Realisations pasted from Excel (columns PASTE_COLS, as the grid shows them; or a header line): each row
    found by Kode, realisasi as a number with comma or point, texts within their limits. A PastePreview whose good
    rows carry indikator_id and the editable columns (merged into the grid's rows)."""
    return _paste(actor, tahun, bulan, tim_id, text, PASTE_COLS, grid, _ind_paste_values)


def preview_paste_anggaran(actor: Actor, tahun: int, bulan: int, tim_id: int, text: str) -> Any:
    """Budget realisations pasted from Excel (columns ANGGARAN_PASTE_COLS); rows found by Kode."""
    return _paste(actor, tahun, bulan, tim_id, text, ANGGARAN_PASTE_COLS, anggaran_grid, _ang_paste_values)
