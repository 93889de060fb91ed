"""Shared pieces of the monev package: who plays which part in SOP 002 (Perencana drafts, Kepala signs and
sets, Kasubbag ADUM checks, the notulis records), month labels, deadlines and the meeting loader."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    Pegawai,
    RapatMonev,
    Role,
    StatusLaporanMonev,
    StatusRapat,
    StatusUndangan,
    TimKerja,
)
from services.core import clock, settings
from services.core.actor import Actor
from services.core.errors import NotFound, PermissionDenied, ServiceError
from services.kinerja import common as kinerja_common

BULAN_PANJANG = kinerja_common.BULAN_PANJANG
MIN_CATATAN = 10
MAX_TEKS = 8000
JENIS_AGENDA = {
    "pembukaan": "Pembukaan", "iku": "Capaian IKU", "tim": "Laporan tiap Tim Kerja",
    "anggaran": "Realisasi anggaran", "individu": "Kinerja individu", "tindak_lanjut": "Tindak lanjut bulan lalu",
    "lain": "Lain-lain",
}
DEFAULT_TEMPLATE = (
    ("Pembukaan oleh Kepala", "pembukaan"),
    ("Capaian Indikator Kinerja Utama", "iku"),
    ("Laporan Tim Kerja", "tim"),
    ("Realisasi anggaran", "anggaran"),
    ("Kinerja individu (SKP, logbook, evaluasi)", "individu"),
    ("Tindak lanjut rapat bulan lalu", "tindak_lanjut"),
    ("Lain-lain", "lain"),
)
UNDANGAN_LABEL = {
    StatusUndangan.DRAFT: "Konsep disusun", StatusUndangan.DIAJUKAN: "Menunggu tanda tangan Kepala",
    StatusUndangan.DIKEMBALIKAN: "Dikembalikan Kepala", StatusUndangan.DITANDATANGANI: "Ditandatangani Kepala",
}
RAPAT_LABEL = {StatusRapat.DIJADWALKAN: "Dijadwalkan", StatusRapat.BERLANGSUNG: "Sedang berlangsung",
               StatusRapat.SELESAI: "Selesai"}
LAPORAN_LABEL = {
    StatusLaporanMonev.BELUM: "Belum disusun", StatusLaporanMonev.DRAFT: "Konsep disusun",
    StatusLaporanMonev.DIAJUKAN: "Diajukan ke Kasubbag ADUM", StatusLaporanMonev.DIKEMBALIKAN: "Dikembalikan",
    StatusLaporanMonev.DIPERIKSA: "Diperiksa, menunggu penetapan Kepala",
    StatusLaporanMonev.DITETAPKAN: "Ditetapkan Kepala",
}


def local_date(at: dt.datetime) -> dt.date:
    if at.tzinfo is None:  # SQLite returns naive UTC
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(clock.tz()).date()


def nama_bulan(bulan: int) -> str:
    return BULAN_PANJANG[bulan - 1]


def label(tahun: int, bulan: int) -> str:
    return f"{nama_bulan(bulan)} {tahun}"


def bulan_data(tahun: int, bulan: int) -> tuple[int, int]:
    """The month whose figures a meeting reviews: the month before it (realisations are submitted early in the
    following month, SOP 001)."""
    return (tahun - 1, 12) if bulan == 1 else (tahun, bulan - 1)


def bulan_berikut(tahun: int, bulan: int) -> tuple[int, int]:
    return (tahun + 1, 1) if bulan == 12 else (tahun, bulan + 1)


def tenggat_laporan(tahun: int, bulan: int, tanggal_rapat: dt.date | None = None, s: Session | None = None) -> dt.date:
    """The report is set at the latest on day `monev_batas_hari` (SOP 002: the 20th) of the meeting's month; a
    meeting held after that day has until that day of the following month."""
    day = int(settings.get("monev_batas_hari", s))
    batas = dt.date(tahun, bulan, day)
    if tanggal_rapat is not None and tanggal_rapat > batas:
        y, m = bulan_berikut(tahun, bulan)
        batas = dt.date(y, m, day)
    return batas


def is_perencana(actor: Actor) -> bool:
    return actor.has(Role.PERENCANA)


def is_kepala(actor: Actor) -> bool:
    return actor.has(Role.KEPALA_SATKER)


def is_kasubbag(s: Session, actor: Actor) -> bool:
    return kinerja_common.is_kasubbag(s, actor)


def is_notulis(rapat: RapatMonev, actor: Actor) -> bool:
    return actor.pegawai_id is not None and rapat.notulis_id == actor.pegawai_id


def require_perencana(actor: Actor, what: str) -> None:
    if not is_perencana(actor):
        raise PermissionDenied(f"Hanya Petugas Perencana yang dapat {what}.")


def require_pencatat(rapat: RapatMonev, actor: Actor, what: str) -> None:
    """The notulis of the meeting or the Perencana."""
    if not (is_notulis(rapat, actor) or is_perencana(actor)):
        raise PermissionDenied(f"Hanya notulis rapat atau Petugas Perencana yang dapat {what}.")


def require_login(actor: Actor) -> None:
    if actor.user_id is None and not actor.roles:
        raise PermissionDenied("Silakan masuk terlebih dahulu.")


def rapat_of(s: Session, rapat_id: int, lock: bool = False) -> RapatMonev:
    q = select(RapatMonev).where(RapatMonev.id == rapat_id)
    if lock:
        q = q.with_for_update()
    rapat = s.scalar(q)
    if rapat is None:
        raise NotFound("Rapat monev tidak ditemukan.")
    return rapat


def rapat_bulan(s: Session, tahun: int, bulan: int) -> RapatMonev | None:
    return s.scalar(select(RapatMonev).where(RapatMonev.tahun == tahun, RapatMonev.bulan == bulan))


def require_not_set(rapat: RapatMonev, what: str = "diubah") -> None:
    if rapat.status_laporan == StatusLaporanMonev.DITETAPKAN:
        raise ServiceError(f"Laporan monev {label(rapat.tahun, rapat.bulan)} sudah ditetapkan Kepala; data rapat "
                           f"tidak dapat {what} lagi.")


def require_report_open(rapat: RapatMonev, what: str = "diubah") -> None:
    """Notulen, attendance and photos change only until the report goes to the Kasubbag ADUM."""
    require_not_set(rapat, what)
    if rapat.status_laporan in (StatusLaporanMonev.DIAJUKAN, StatusLaporanMonev.DIPERIKSA):
        raise ServiceError("Laporan monev sedang diperiksa/menunggu penetapan; notulen, daftar hadir, dan "
                           f"dokumentasi tidak dapat {what}. Minta laporan dikembalikan bila perlu perbaikan.")


def pegawai_names(s: Session, ids: list[int] | set[int] | None = None) -> dict[int, str]:
    q = select(Pegawai)
    if ids is not None:
        if not ids:
            return {}
        q = q.where(Pegawai.id.in_(list(ids)))
    return {p.id: p.nama_lengkap for p in s.scalars(q)}


def tim_names(s: Session) -> dict[int, str]:
    return {t.id: t.nama for t in s.scalars(select(TimKerja))}


def invitee_filter(s: Session, rapat: RapatMonev) -> Any:
    """The condition on Pegawai of the meeting's invitees (active pegawai: everyone, or the chosen units, or the
    chosen Tim Kerja's members and ketua), for counting, paging and membership checks in SQL."""
    ids = [int(i) for i in (rapat.undangan_ids or [])]
    cond: Any = Pegawai.aktif
    if rapat.undangan_cakupan == "unit":
        cond = cond & Pegawai.unit_id.in_(ids)
    elif rapat.undangan_cakupan == "tim":
        ketua = [int(k) for k in s.scalars(select(TimKerja.ketua_id).where(TimKerja.id.in_(ids))) if k is not None]
        cond = cond & (Pegawai.tim_id.in_(ids) | Pegawai.id.in_(ketua))
    return cond


def invitee_ids(s: Session, rapat: RapatMonev) -> list[int]:
    """Active pegawai invited: everyone, or the chosen units, or the chosen Tim Kerja (members and ketua), by
    name (the whole list: documents and the attendance sheet)."""
    q = select(Pegawai.id).where(invitee_filter(s, rapat)).order_by(Pegawai.nama, Pegawai.id)
    return [int(i) for i in s.scalars(q)]


def invitee_count(s: Session, rapat: RapatMonev) -> int:
    return int(s.scalar(select(func.count()).select_from(Pegawai).where(invitee_filter(s, rapat))) or 0)


def is_invited(s: Session, rapat: RapatMonev, pegawai_id: int | None) -> bool:
    if pegawai_id is None:
        return False
    return s.scalar(select(Pegawai.id).where(Pegawai.id == pegawai_id, invitee_filter(s, rapat))) is not None


def summary(s: Session, rapat: RapatMonev, today: dt.date) -> dict[str, Any]:
    """A meeting as plain values (pages and documents read this, never the ORM object)."""
    notulis = s.get(Pegawai, rapat.notulis_id) if rapat.notulis_id else None
    batas = tenggat_laporan(rapat.tahun, rapat.bulan, rapat.tanggal, s)
    ty, tb = bulan_data(rapat.tahun, rapat.bulan)
    return {
        "id": rapat.id, "tahun": rapat.tahun, "bulan": rapat.bulan, "label": label(rapat.tahun, rapat.bulan),
        "data_label": label(ty, tb), "tanggal": rapat.tanggal, "jam": rapat.jam, "tempat": rapat.tempat,
        "notulis_id": rapat.notulis_id, "notulis": notulis.nama_lengkap if notulis else None,
        "notulis_nip": notulis.nip if notulis else None,
        "undangan_cakupan": rapat.undangan_cakupan, "undangan_ids": list(rapat.undangan_ids or []),
        "nomor_undangan": rapat.nomor_undangan, "status_undangan": rapat.status_undangan.value,
        "status_undangan_label": UNDANGAN_LABEL[rapat.status_undangan], "catatan_undangan": rapat.catatan_undangan,
        "undangan_ditandatangani_at": rapat.undangan_ditandatangani_at,
        "undangan_ditandatangani_oleh": rapat.undangan_ditandatangani_oleh, "scan_nama": rapat.scan_nama,
        "status_rapat": rapat.status_rapat.value, "status_rapat_label": RAPAT_LABEL[rapat.status_rapat],
        "dimulai_at": rapat.dimulai_at, "selesai_at": rapat.selesai_at, "ada_snapshot": rapat.snapshot is not None,
        "status_laporan": rapat.status_laporan.value, "status_laporan_label": LAPORAN_LABEL[rapat.status_laporan],
        "kesimpulan": rapat.kesimpulan, "catatan_laporan": rapat.catatan_laporan,
        "laporan_ditetapkan_at": rapat.laporan_ditetapkan_at, "laporan_ditetapkan_oleh": rapat.laporan_ditetapkan_oleh,
        "alasan_terlambat": rapat.alasan_terlambat, "tenggat_laporan": batas,
        "laporan_terlambat": (rapat.status_laporan != StatusLaporanMonev.DITETAPKAN and today > batas) or bool(
            rapat.laporan_ditetapkan_at and local_date(rapat.laporan_ditetapkan_at) > batas),
        "agenda": [{"id": a.id, "urutan": a.urutan, "judul": a.judul, "jenis": a.jenis, "tim_id": a.tim_id,
                    "notulen": a.notulen or ""} for a in rapat.agenda],
        "version": rapat.version,
    }
