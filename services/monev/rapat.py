"""The monthly monev meeting (SOP 002 steps 1–3): agenda template, planning, the undangan workflow (Perencana
drafts → Kepala signs or returns with a note; signed scan), starting the meeting (figures frozen as a snapshot),
attendance (the notulis ticks; a pegawai checks in only while the meeting is open), notulen per agenda item,
tindak lanjut (open items carry over until closed with a note) and documentation photos.

Every change goes through `unit_of_work` with an action name, so the audit log records who/when/before/after.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import (
    MonevAgenda,
    MonevFoto,
    MonevHadir,
    MonevTemplateAgenda,
    MonevTindakLanjut,
    Pegawai,
    RapatMonev,
    StatusRapat,
    StatusTindakLanjut,
    StatusUndangan,
    TimKerja,
    UnitKerja,
)
from domain.cells import CellError, to_bool, to_date, to_text
from services.core import clock, fmt
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ServiceError, ValidationFailed
from services.core.uow import unit_of_work
from services.monev import snapshot as snap
from services.monev.common import (
    DEFAULT_TEMPLATE,
    JENIS_AGENDA,
    MAX_TEKS,
    MIN_CATATAN,
    invitee_count,
    invitee_filter,
    invitee_ids,
    is_invited,
    is_kepala,
    is_notulis,
    is_perencana,
    label,
    pegawai_names,
    rapat_bulan,
    rapat_of,
    require_login,
    require_pencatat,
    require_perencana,
    require_report_open,
    summary,
    tim_names,
)

TEMPLATE_COLS = ["Urutan", "Judul", "Jenis"]
TL_COLS = ["id", "Asal Rapat", "Tindak Lanjut", "PIC", "Tenggat", "Status", "Catatan Penyelesaian"]
MAX_FOTO = 5 * 1024 * 1024
MAX_SCAN = 10 * 1024 * 1024


# --- agenda template ------------------------------------------------------------------------------------------


def _template_rows(s: Session) -> list[tuple[str, str]]:
    rows = list(s.scalars(select(MonevTemplateAgenda).order_by(MonevTemplateAgenda.urutan, MonevTemplateAgenda.id)))
    return [(r.judul, r.jenis) for r in rows] if rows else list(DEFAULT_TEMPLATE)


def template(actor: Actor) -> pd.DataFrame:
    """The default agenda (the built-in one until the Perencana saves their own)."""
    require_login(actor)
    with read_session() as s:
        rows = _template_rows(s)
    return pd.DataFrame([{"Urutan": i + 1, "Judul": j, "Jenis": JENIS_AGENDA[k]} for i, (j, k) in enumerate(rows)],
                        columns=TEMPLATE_COLS)


def save_template(actor: Actor, df: pd.DataFrame) -> int:
    """Replace the agenda template (Perencana). Jenis by its label; all or nothing."""
    require_perencana(actor, "mengubah templat agenda rapat monev")
    by_label = {v.lower(): k for k, v in JENIS_AGENDA.items()} | {k: k for k in JENIS_AGENDA}
    errors: list[FieldError] = []
    rows: list[tuple[int, str, str]] = []
    for i, r in enumerate(df.to_dict("records"), start=1):
        try:
            judul = to_text(r.get("Judul"), max_len=200)
        except CellError as e:
            errors.append(FieldError(i, "Judul", str(e)))
            continue
        if not judul:
            continue
        jenis = by_label.get(str(r.get("Jenis") or "lain").strip().lower())
        if jenis is None:
            errors.append(FieldError(i, "Jenis", "harus salah satu dari: " + ", ".join(JENIS_AGENDA.values())))
            continue
        urutan = r.get("Urutan")
        try:
            u = int(urutan) if urutan is not None and urutan == urutan and str(urutan).strip() else i
        except (TypeError, ValueError):
            errors.append(FieldError(i, "Urutan", "harus bilangan bulat"))
            continue
        rows.append((u, judul, jenis))
    if not rows and not errors:
        errors.append(FieldError(None, "Agenda", "templat agenda tidak boleh kosong"))
    if errors:
        raise ValidationFailed(errors)
    with unit_of_work(actor, action="monev_simpan_templat") as s:
        s.execute(delete(MonevTemplateAgenda))
        for n, (_u, judul, jenis) in enumerate(sorted(rows, key=lambda x: x[0]), start=1):
            s.add(MonevTemplateAgenda(urutan=n, judul=judul, jenis=jenis))
    return len(rows)


# --- planning ---------------------------------------------------------------------------------------------------


def _check_fields(s: Session, tanggal: Any, jam: Any, tempat: Any, notulis_id: int | None, cakupan: str,
                  ids: list[int]) -> tuple[dt.date, str, str]:
    errors: list[FieldError] = []
    out_tanggal = out_jam = out_tempat = None
    try:
        out_tanggal = tanggal if isinstance(tanggal, dt.date) else to_date(tanggal)
        if out_tanggal is None:
            errors.append(FieldError(None, "Tanggal", "wajib diisi"))
    except CellError as e:
        errors.append(FieldError(None, "Tanggal", str(e)))
    j = str(jam or "").strip().replace(".", ":")
    try:
        out_jam = dt.time.fromisoformat(j if len(j) > 2 else f"{j}:00").strftime("%H:%M")
    except ValueError:
        errors.append(FieldError(None, "Jam", "harus jam:menit, misalnya 09:00"))
    try:
        out_tempat = to_text(tempat, max_len=200)
        if not out_tempat:
            errors.append(FieldError(None, "Tempat", "wajib diisi"))
    except CellError as e:
        errors.append(FieldError(None, "Tempat", str(e)))
    if notulis_id is None or s.get(Pegawai, notulis_id) is None:
        errors.append(FieldError(None, "Notulis", "pilih pegawai yang menjadi notulis"))
    if cakupan not in ("semua", "unit", "tim"):
        errors.append(FieldError(None, "Undangan", "cakupan harus semua, unit, atau tim"))
    elif cakupan != "semua" and not ids:
        errors.append(FieldError(None, "Undangan", "pilih unit kerja atau tim kerja yang diundang"))
    if errors:
        raise ValidationFailed(errors)
    assert out_tanggal is not None and out_jam is not None and out_tempat is not None
    return out_tanggal, out_jam, out_tempat


def buat(actor: Actor, tahun: int, bulan: int, *, tanggal: Any, jam: Any, tempat: Any, notulis_id: int | None,
         cakupan: str = "semua", ids: list[int] | None = None) -> int:
    """Plan the month's meeting with the agenda from the template (a "tim" item becomes one per Tim Kerja)."""
    require_perencana(actor, "merencanakan rapat monev")
    if not 1 <= bulan <= 12:
        raise ValidationFailed([FieldError(None, "Bulan", "harus 1 sampai 12")])
    with unit_of_work(actor, action="monev_rencanakan") as s:
        if rapat_bulan(s, tahun, bulan) is not None:
            raise ServiceError(f"Rapat monev {label(tahun, bulan)} sudah direncanakan.")
        t, j, p = _check_fields(s, tanggal, jam, tempat, notulis_id, cakupan, list(ids or []))
        rapat = RapatMonev(tahun=tahun, bulan=bulan, tanggal=t, jam=j, tempat=p, notulis_id=notulis_id,
                           undangan_cakupan=cakupan, undangan_ids=[int(i) for i in (ids or [])])
        s.add(rapat)
        s.flush()
        n = 0
        teams = list(s.scalars(select(TimKerja).where(TimKerja.aktif).order_by(TimKerja.nama)))
        for judul, jenis in _template_rows(s):
            if jenis == "tim":
                for tim in teams:
                    n += 1
                    s.add(MonevAgenda(rapat_id=rapat.id, urutan=n, judul=f"Laporan {tim.nama}", jenis="tim",
                                      tim_id=tim.id))
            else:
                n += 1
                s.add(MonevAgenda(rapat_id=rapat.id, urutan=n, judul=judul, jenis=jenis))
        return rapat.id


def ubah(actor: Actor, rapat_id: int, *, tanggal: Any, jam: Any, tempat: Any, notulis_id: int | None,
         cakupan: str = "semua", ids: list[int] | None = None, agenda: list[str] | None = None) -> None:
    """Change the plan while the invitation is still a draft (or returned); `agenda` renames the items."""
    require_perencana(actor, "mengubah rencana rapat monev")
    with unit_of_work(actor, action="monev_ubah_rencana") as s:
        rapat = rapat_of(s, rapat_id)
        if rapat.status_undangan not in (StatusUndangan.DRAFT, StatusUndangan.DIKEMBALIKAN):
            raise ServiceError("Undangan sudah diajukan/ditandatangani; rencana rapat tidak dapat diubah lagi.")
        t, j, p = _check_fields(s, tanggal, jam, tempat, notulis_id, cakupan, list(ids or []))
        rapat.tanggal, rapat.jam, rapat.tempat, rapat.notulis_id = t, j, p, notulis_id
        rapat.undangan_cakupan, rapat.undangan_ids = cakupan, [int(i) for i in (ids or [])]
        if agenda is not None:
            for item, judul in zip(rapat.agenda, agenda, strict=False):
                text = (judul or "").strip()[:200]
                if text:
                    item.judul = text


# --- reads ------------------------------------------------------------------------------------------------------


def get(actor: Actor, tahun: int, bulan: int) -> dict[str, Any] | None:
    require_login(actor)
    with read_session() as s:
        rapat = rapat_bulan(s, tahun, bulan)
        return None if rapat is None else _view(s, rapat, actor)


def by_id(actor: Actor, rapat_id: int) -> dict[str, Any]:
    require_login(actor)
    with read_session() as s:
        return _view(s, rapat_of(s, rapat_id), actor)


def _view(s: Session, rapat: RapatMonev, actor: Actor) -> dict[str, Any]:
    out = summary(s, rapat, clock.today())
    out["diundang"] = is_invited(s, rapat, actor.pegawai_id)
    out["jumlah_diundang"] = invitee_count(s, rapat)
    out["saya_notulis"] = is_notulis(rapat, actor)
    out["saya_hadir"] = bool(actor.pegawai_id and s.scalar(select(MonevHadir.hadir).where(
        MonevHadir.rapat_id == rapat.id, MonevHadir.pegawai_id == actor.pegawai_id)))
    return out


def daftar(actor: Actor, tahun: int | None = None) -> pd.DataFrame:
    """Every meeting (newest first) for the history list."""
    require_login(actor)
    with read_session() as s:
        q = select(RapatMonev).order_by(RapatMonev.tahun.desc(), RapatMonev.bulan.desc())
        if tahun is not None:
            q = q.where(RapatMonev.tahun == tahun)
        rows = []
        for r in s.scalars(q):
            v = summary(s, r, clock.today())
            rows.append({"id": r.id, "Bulan": v["label"], "Tanggal": r.tanggal, "Tempat": r.tempat,
                         "Undangan": v["status_undangan_label"], "Rapat": v["status_rapat_label"],
                         "Laporan": v["status_laporan_label"] + (" (terlambat)" if v["laporan_terlambat"] else "")})
    return pd.DataFrame(rows, columns=["id", "Bulan", "Tanggal", "Tempat", "Undangan", "Rapat", "Laporan"])


def pegawai_options(actor: Actor) -> list[tuple[int, str]]:
    require_login(actor)
    with read_session() as s:
        return [(p.id, p.nama_lengkap) for p in s.scalars(select(Pegawai).where(Pegawai.aktif).order_by(Pegawai.nama))]


def unit_options(actor: Actor) -> list[tuple[int, str]]:
    require_login(actor)
    with read_session() as s:
        return [(u.id, u.nama) for u in s.scalars(select(UnitKerja).order_by(UnitKerja.nama))]


def tim_options(actor: Actor) -> list[tuple[int, str]]:
    require_login(actor)
    with read_session() as s:
        return [(t.id, t.nama) for t in s.scalars(select(TimKerja).where(TimKerja.aktif).order_by(TimKerja.nama))]


def undangan_list(actor: Actor, rapat_id: int) -> pd.DataFrame:
    """The invitees (lampiran of the invitation), every one of them by name."""
    require_login(actor)
    with read_session() as s:
        rapat = rapat_of(s, rapat_id)
        ids = invitee_ids(s, rapat)
        return _people(s, ids)


UNDANGAN_PAGE = 100  # invitees per page on the meeting page


def undangan_halaman(actor: Actor, rapat_id: int, offset: int = 0, limit: int = UNDANGAN_PAGE) -> pd.DataFrame:
    """One page of `undangan_list` (same columns, same order: by name), read with LIMIT/OFFSET; the total is the
    meeting's `jumlah_diundang`."""
    require_login(actor)
    with read_session() as s:
        rapat = rapat_of(s, rapat_id)
        q = (select(Pegawai.id, Pegawai.nip, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang,
                    UnitKerja.nama.label("unit"))
             .outerjoin(UnitKerja, UnitKerja.id == Pegawai.unit_id)
             .where(invitee_filter(s, rapat)).order_by(Pegawai.nama, Pegawai.id)
             .offset(max(0, int(offset))).limit(max(1, int(limit))))
        rows = [{"pegawai_id": r.id, "NIP": r.nip,
                 "Nama": Pegawai(nama=r.nama, gelar_depan=r.gelar_depan, gelar_belakang=r.gelar_belakang).nama_lengkap,
                 "Unit Kerja": r.unit} for r in s.execute(q)]
    return pd.DataFrame(rows, columns=["pegawai_id", "NIP", "Nama", "Unit Kerja"])


def _people(s: Session, ids: list[int]) -> pd.DataFrame:
    if not ids:
        return pd.DataFrame(columns=["pegawai_id", "NIP", "Nama", "Unit Kerja"])
    units = {u.id: u.nama for u in s.scalars(select(UnitKerja))}
    rows = [{"pegawai_id": p.id, "NIP": p.nip, "Nama": p.nama_lengkap, "Unit Kerja": units.get(p.unit_id or -1)}
            for p in s.scalars(select(Pegawai).where(Pegawai.id.in_(ids)).order_by(Pegawai.nama, Pegawai.id))]
    return pd.DataFrame(rows, columns=["pegawai_id", "NIP", "Nama", "Unit Kerja"])


# --- undangan -----------------------------------------------------------------------------------------------------


def ajukan_undangan(actor: Actor, rapat_id: int, nomor: str) -> None:
    """Perencana sends the draft invitation (with its letter number) to the Kepala (SOP 002 step 1)."""
    require_perencana(actor, "mengajukan konsep undangan")
    nomor = (nomor or "").strip()
    if not nomor:
        raise ValidationFailed([FieldError(None, "Nomor undangan", "wajib diisi")])
    with unit_of_work(actor, action="monev_ajukan_undangan") as s:
        rapat = rapat_of(s, rapat_id)
        if rapat.status_undangan not in (StatusUndangan.DRAFT, StatusUndangan.DIKEMBALIKAN):
            raise ServiceError("Undangan sudah diajukan atau ditandatangani.")
        rapat.nomor_undangan = nomor[:100]
        rapat.status_undangan = StatusUndangan.DIAJUKAN


def tandatangani_undangan(actor: Actor, rapat_id: int) -> None:
    """The Kepala checks and signs the invitation (SOP 002 step 2)."""
    if not is_kepala(actor):
        raise PermissionDenied("Hanya Kepala yang dapat menandatangani undangan rapat monev.")
    with unit_of_work(actor, action="monev_tandatangani_undangan") as s:
        rapat = rapat_of(s, rapat_id)
        if rapat.status_undangan != StatusUndangan.DIAJUKAN:
            raise ServiceError("Hanya undangan yang sudah diajukan yang dapat ditandatangani.")
        rapat.status_undangan = StatusUndangan.DITANDATANGANI
        rapat.undangan_ditandatangani_at = clock.utcnow()
        rapat.undangan_ditandatangani_oleh = actor.username
        rapat.catatan_undangan = None


def kembalikan_undangan(actor: Actor, rapat_id: int, catatan: str) -> None:
    if not is_kepala(actor):
        raise PermissionDenied("Hanya Kepala yang dapat mengembalikan konsep undangan.")
    catatan = (catatan or "").strip()
    if len(catatan) < MIN_CATATAN:
        raise ValidationFailed([FieldError(None, "Catatan", f"tuliskan catatan perbaikan (minimal {MIN_CATATAN} huruf)")])
    with unit_of_work(actor, action="monev_kembalikan_undangan") as s:
        rapat = rapat_of(s, rapat_id)
        if rapat.status_undangan != StatusUndangan.DIAJUKAN:
            raise ServiceError("Hanya undangan yang sudah diajukan yang dapat dikembalikan.")
        rapat.status_undangan = StatusUndangan.DIKEMBALIKAN
        rapat.catatan_undangan = catatan[:MAX_TEKS]


def _file_kind(data: bytes) -> str | None:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    return None


def unggah_scan(actor: Actor, rapat_id: int, nama: str, content: bytes) -> None:
    """The scan of the signed invitation (PDF, PNG or JPG)."""
    if not (is_perencana(actor) or is_kepala(actor)):
        raise PermissionDenied("Hanya Petugas Perencana atau Kepala yang dapat mengunggah pindaian undangan.")
    if len(content) > MAX_SCAN:
        raise ValidationFailed([FieldError(None, "Berkas", "ukuran maksimal 10 MB")])
    if _file_kind(content) is None:
        raise ValidationFailed([FieldError(None, "Berkas", "harus PDF, PNG, atau JPG")])
    with unit_of_work(actor, action="monev_unggah_scan_undangan") as s:
        rapat = rapat_of(s, rapat_id)
        if rapat.status_undangan != StatusUndangan.DITANDATANGANI:
            raise ServiceError("Pindaian diunggah setelah undangan ditandatangani Kepala.")
        rapat.scan_nama, rapat.scan_file = (nama or "undangan")[:200], content


def scan(actor: Actor, rapat_id: int) -> tuple[str, bytes] | None:
    require_login(actor)
    with read_session() as s:
        rapat = rapat_of(s, rapat_id)
        return (rapat.scan_nama or "undangan", rapat.scan_file) if rapat.scan_file else None


# --- the meeting --------------------------------------------------------------------------------------------------


def mulai(actor: Actor, rapat_id: int) -> None:
    """Open the meeting: the figures are frozen into the snapshot, attendance self check-in opens."""
    figures: dict[str, Any] | None = None
    with read_session() as s:
        rapat = rapat_of(s, rapat_id)
        require_pencatat(rapat, actor, "memulai rapat")
        if rapat.status_undangan != StatusUndangan.DITANDATANGANI:
            raise ServiceError("Rapat dimulai setelah undangan ditandatangani Kepala.")
        if rapat.status_rapat != StatusRapat.DIJADWALKAN:
            raise ServiceError("Rapat sudah dimulai.")
        if clock.today() < rapat.tanggal:
            raise ServiceError(f"Rapat dijadwalkan {fmt.tanggal(rapat.tanggal)}; belum dapat dimulai.")
        tahun, bulan = rapat.tahun, rapat.bulan
    figures = snap.compute(actor, tahun, bulan, rapat_id)
    with unit_of_work(actor, action="monev_mulai_rapat") as s:
        rapat = rapat_of(s, rapat_id)
        if rapat.status_rapat != StatusRapat.DIJADWALKAN:
            raise ServiceError("Rapat sudah dimulai.")
        rapat.status_rapat = StatusRapat.BERLANGSUNG
        rapat.dimulai_at = clock.utcnow()
        rapat.snapshot = figures


def selesai(actor: Actor, rapat_id: int) -> None:
    with unit_of_work(actor, action="monev_selesai_rapat") as s:
        rapat = rapat_of(s, rapat_id)
        require_pencatat(rapat, actor, "menutup rapat")
        if rapat.status_rapat != StatusRapat.BERLANGSUNG:
            raise ServiceError("Hanya rapat yang sedang berlangsung yang dapat ditutup.")
        rapat.status_rapat = StatusRapat.SELESAI
        rapat.selesai_at = clock.utcnow()


def snapshot(actor: Actor, rapat_id: int) -> dict[str, Any] | None:
    """The frozen figures (None before the meeting starts)."""
    require_login(actor)
    with read_session() as s:
        return rapat_of(s, rapat_id).snapshot


def pratinjau(actor: Actor, rapat_id: int) -> dict[str, Any]:
    """The figures as they are now (before the meeting starts; nothing is stored)."""
    with read_session() as s:
        rapat = rapat_of(s, rapat_id)
        tahun, bulan = rapat.tahun, rapat.bulan
    return snap.compute(actor, tahun, bulan, rapat_id)


# --- attendance ---------------------------------------------------------------------------------------------------


def daftar_hadir(actor: Actor, rapat_id: int) -> pd.DataFrame:
    """Invitees (and anyone else recorded) with Hadir ya/tidak and how it was recorded."""
    require_login(actor)
    with read_session() as s:
        rapat = rapat_of(s, rapat_id)
        recs = {h.pegawai_id: (bool(h.hadir), h.cara) for h in s.scalars(
            select(MonevHadir).where(MonevHadir.rapat_id == rapat_id))}
        ids = list(dict.fromkeys(invitee_ids(s, rapat) + list(recs)))
        df = _people(s, ids)
    df["Hadir"] = [recs[i][0] if i in recs else False for i in df["pegawai_id"]]
    df["Dicatat"] = [recs[i][1] if i in recs else "" for i in df["pegawai_id"]]
    return df


def _mark(s: Session, rapat_id: int, pegawai_id: int, hadir: bool, cara: str, actor: Actor) -> None:
    rec = s.scalar(select(MonevHadir).where(MonevHadir.rapat_id == rapat_id, MonevHadir.pegawai_id == pegawai_id))
    if rec is None:
        s.add(MonevHadir(rapat_id=rapat_id, pegawai_id=pegawai_id, hadir=hadir, cara=cara, dicatat_at=clock.utcnow(),
                         dicatat_oleh=actor.username))
    elif rec.hadir != hadir:
        rec.hadir, rec.cara, rec.dicatat_at, rec.dicatat_oleh = hadir, cara, clock.utcnow(), actor.username


def _require_held(rapat: RapatMonev) -> None:
    if rapat.status_rapat == StatusRapat.DIJADWALKAN:
        raise ServiceError("Rapat belum dimulai.")


def catat_hadir(actor: Actor, rapat_id: int, pegawai_id: int, hadir: bool = True) -> None:
    """The notulis (or Perencana) ticks a pegawai present or absent."""
    with unit_of_work(actor, action="monev_catat_hadir") as s:
        rapat = rapat_of(s, rapat_id)
        require_pencatat(rapat, actor, "mengisi daftar hadir")
        _require_held(rapat)
        require_report_open(rapat)
        if s.get(Pegawai, pegawai_id) is None:
            raise NotFound("Pegawai tidak ditemukan.")
        _mark(s, rapat_id, pegawai_id, hadir, "notulis", actor)


def simpan_hadir(actor: Actor, rapat_id: int, df: pd.DataFrame) -> int:
    """Save the ticked attendance grid (columns pegawai_id, Hadir) in one transaction."""
    errors: list[FieldError] = []
    marks: list[tuple[int, bool]] = []
    for i, r in enumerate(df.to_dict("records"), start=1):
        try:
            marks.append((int(r["pegawai_id"]), bool(to_bool(r.get("Hadir")))))
        except (CellError, TypeError, ValueError, KeyError) as e:
            errors.append(FieldError(i, "Hadir", str(e) or "harus ya atau tidak"))
    if errors:
        raise ValidationFailed(errors)
    with unit_of_work(actor, action="monev_catat_hadir") as s:
        rapat = rapat_of(s, rapat_id)
        require_pencatat(rapat, actor, "mengisi daftar hadir")
        _require_held(rapat)
        require_report_open(rapat)
        known = {h.pegawai_id: h.hadir for h in s.scalars(select(MonevHadir).where(MonevHadir.rapat_id == rapat_id))}
        n = 0
        for pid, hadir in marks:
            if known.get(pid, False) != hadir or (pid not in known and hadir):
                _mark(s, rapat_id, pid, hadir, "notulis", actor)
                n += 1
        return n


def hadir_mandiri(actor: Actor, rapat_id: int) -> None:
    """A pegawai marks themselves present from their own session, only while the meeting is open."""
    if actor.pegawai_id is None:
        raise PermissionDenied("Akun Anda tidak terhubung dengan data pegawai.")
    with unit_of_work(actor, action="monev_hadir_mandiri") as s:
        rapat = rapat_of(s, rapat_id)
        if rapat.status_rapat != StatusRapat.BERLANGSUNG:
            raise ServiceError("Daftar hadir mandiri hanya dapat diisi selama rapat berlangsung.")
        if not is_invited(s, rapat, actor.pegawai_id):
            raise PermissionDenied("Anda tidak termasuk pegawai yang diundang rapat ini.")
        _mark(s, rapat_id, actor.pegawai_id, True, "mandiri", actor)


# --- notulen ------------------------------------------------------------------------------------------------------


def simpan_notulen(actor: Actor, rapat_id: int, agenda_id: int, teks: str) -> None:
    """The notulis types the minutes of one agenda item (live during the meeting, or after it)."""
    with unit_of_work(actor, action="monev_simpan_notulen") as s:
        rapat = rapat_of(s, rapat_id)
        require_pencatat(rapat, actor, "menulis notulen")
        _require_held(rapat)
        require_report_open(rapat)
        item = s.get(MonevAgenda, agenda_id)
        if item is None or item.rapat_id != rapat_id:
            raise NotFound("Butir agenda tidak ditemukan.")
        text = (teks or "").strip()
        if len(text) > MAX_TEKS:
            raise ValidationFailed([FieldError(None, "Notulen", f"maksimal {MAX_TEKS} huruf")])
        if (item.notulen or "") != text:
            item.notulen, item.notulen_oleh = text or None, actor.username


# --- tindak lanjut -------------------------------------------------------------------------------------------------


def _pic_text(pegawai: dict[int, str], tims: dict[int, str], t: MonevTindakLanjut) -> str:
    if t.pic_tim_id:
        return tims.get(t.pic_tim_id, "")
    return pegawai.get(t.pic_pegawai_id or -1, "")


def _tl_rows(s: Session, rapat: RapatMonev) -> list[MonevTindakLanjut]:
    """This meeting's items and every item of an earlier meeting still open (carried over)."""
    earlier = select(RapatMonev.id).where((RapatMonev.tahun * 12 + RapatMonev.bulan) < rapat.tahun * 12 + rapat.bulan)
    q = select(MonevTindakLanjut).where(
        (MonevTindakLanjut.rapat_id == rapat.id)
        | ((MonevTindakLanjut.rapat_id.in_(earlier)) & (MonevTindakLanjut.status == StatusTindakLanjut.TERBUKA)))
    return list(s.scalars(q.order_by(MonevTindakLanjut.rapat_id, MonevTindakLanjut.id)))


def tindak_lanjut(actor: Actor, rapat_id: int) -> pd.DataFrame:
    require_login(actor)
    with read_session() as s:
        rapat = rapat_of(s, rapat_id)
        items = _tl_rows(s, rapat)
        return _tl_frame(s, items)


def _tl_frame(s: Session, items: list[MonevTindakLanjut]) -> pd.DataFrame:
    peg = pegawai_names(s, {t.pic_pegawai_id for t in items if t.pic_pegawai_id})
    tims = tim_names(s)
    labels = {r.id: label(r.tahun, r.bulan) for r in s.scalars(select(RapatMonev).where(
        RapatMonev.id.in_({t.rapat_id for t in items})))} if items else {}
    rows = [{"id": t.id, "Asal Rapat": labels.get(t.rapat_id), "Tindak Lanjut": t.uraian,
             "PIC": _pic_text(peg, tims, t), "Tenggat": t.tenggat,
             "Status": "Selesai" if t.status == StatusTindakLanjut.SELESAI else "Terbuka",
             "Catatan Penyelesaian": t.catatan_selesai or ""} for t in items]
    return pd.DataFrame(rows, columns=TL_COLS)


def _resolve_pic(s: Session, text: str) -> tuple[int | None, int | None] | None:
    low = text.strip().lower()
    for t in s.scalars(select(TimKerja)):
        if t.nama.lower() == low:
            return None, t.id
    for p in s.scalars(select(Pegawai).where(Pegawai.aktif)):
        if low in (p.nama_lengkap.lower(), p.nama.lower(), p.nip):
            return p.id, None
    return None


def simpan_tindak_lanjut(actor: Actor, rapat_id: int, df: pd.DataFrame) -> int:
    """Save the meeting's tindak lanjut grid: rows without id are added, rows of this meeting updated; rows
    carried from earlier meetings are read-only here (closed with `tutup_tindak_lanjut`). All or nothing."""
    with unit_of_work(actor, action="monev_simpan_tindak_lanjut") as s:
        rapat = rapat_of(s, rapat_id)
        require_pencatat(rapat, actor, "mengisi tindak lanjut")
        _require_held(rapat)
        require_report_open(rapat)
        mine = {t.id: t for t in s.scalars(select(MonevTindakLanjut).where(MonevTindakLanjut.rapat_id == rapat_id))}
        errors: list[FieldError] = []
        plan: list[tuple[MonevTindakLanjut | None, str, int | None, int | None, dt.date]] = []
        for i, r in enumerate(df.to_dict("records"), start=1):
            rid = r.get("id")
            rid = int(rid) if rid is not None and rid == rid and str(rid).strip() else None
            if rid is not None and rid not in mine:
                continue  # carried over from an earlier meeting: not edited here
            try:
                uraian = to_text(r.get("Tindak Lanjut"), max_len=MAX_TEKS)
            except CellError as e:
                errors.append(FieldError(i, "Tindak Lanjut", str(e)))
                continue
            if not uraian:
                if rid is None and not str(r.get("PIC") or "").strip():
                    continue  # an empty new row
                errors.append(FieldError(i, "Tindak Lanjut", "wajib diisi"))
                continue
            pic = _resolve_pic(s, str(r.get("PIC") or ""))
            if pic is None:
                errors.append(FieldError(i, "PIC", "isi nama/NIP pegawai atau nama Tim Kerja yang ada"))
            try:
                tenggat = r.get("Tenggat")
                tenggat = tenggat if isinstance(tenggat, dt.date) else to_date(tenggat, today=clock.today())
                if tenggat is None:
                    errors.append(FieldError(i, "Tenggat", "wajib diisi"))
            except CellError as e:
                errors.append(FieldError(i, "Tenggat", str(e)))
                tenggat = None
            if pic is not None and tenggat is not None:
                plan.append((mine.get(rid) if rid else None, uraian, pic[0], pic[1], tenggat))
        if errors:
            raise ValidationFailed(errors)
        n = 0
        for obj, uraian, peg_id, tim_id, tenggat in plan:
            if obj is None:
                s.add(MonevTindakLanjut(rapat_id=rapat_id, uraian=uraian, pic_pegawai_id=peg_id, pic_tim_id=tim_id,
                                        tenggat=tenggat))
                n += 1
            elif (obj.uraian, obj.pic_pegawai_id, obj.pic_tim_id, obj.tenggat) != (uraian, peg_id, tim_id, tenggat):
                obj.uraian, obj.pic_pegawai_id, obj.pic_tim_id, obj.tenggat = uraian, peg_id, tim_id, tenggat
                n += 1
        return n


def _is_pic(s: Session, t: MonevTindakLanjut, actor: Actor) -> bool:
    if actor.pegawai_id is None:
        return False
    if t.pic_pegawai_id == actor.pegawai_id:
        return True
    if t.pic_tim_id:
        tim = s.get(TimKerja, t.pic_tim_id)
        return tim is not None and tim.ketua_id == actor.pegawai_id
    return False


def tutup_tindak_lanjut(actor: Actor, tl_id: int, catatan: str) -> None:
    """Close an action item with a note: its PIC (pegawai, or the ketua of the PIC Tim Kerja), the Perencana or
    the notulis of its meeting."""
    catatan = (catatan or "").strip()
    if len(catatan) < MIN_CATATAN:
        raise ValidationFailed([FieldError(None, "Catatan", f"tuliskan hasil tindak lanjut (minimal {MIN_CATATAN} huruf)")])
    with unit_of_work(actor, action="monev_tutup_tindak_lanjut") as s:
        t = s.get(MonevTindakLanjut, tl_id)
        if t is None:
            raise NotFound("Tindak lanjut tidak ditemukan.")
        rapat = rapat_of(s, t.rapat_id)
        if not (_is_pic(s, t, actor) or is_perencana(actor) or is_notulis(rapat, actor)):
            raise PermissionDenied("Hanya PIC, notulis, atau Petugas Perencana yang dapat menutup tindak lanjut ini.")
        if t.status == StatusTindakLanjut.SELESAI:
            raise ServiceError("Tindak lanjut ini sudah ditutup.")
        t.status, t.catatan_selesai = StatusTindakLanjut.SELESAI, catatan[:MAX_TEKS]
        t.selesai_at, t.selesai_oleh = clock.utcnow(), actor.username


def tindak_lanjut_saya(actor: Actor) -> pd.DataFrame:
    """Open items where the actor is PIC (directly or as ketua of the PIC Tim Kerja)."""
    require_login(actor)
    with read_session() as s:
        return _tl_frame(s, open_items_for(s, actor))


def open_items_for(s: Session, actor: Actor) -> list[MonevTindakLanjut]:
    if actor.pegawai_id is None:
        return []
    led = set(s.scalars(select(TimKerja.id).where(TimKerja.ketua_id == actor.pegawai_id)))
    q = select(MonevTindakLanjut).where(MonevTindakLanjut.status == StatusTindakLanjut.TERBUKA)
    cond = MonevTindakLanjut.pic_pegawai_id == actor.pegawai_id
    if led:
        cond = cond | MonevTindakLanjut.pic_tim_id.in_(led)
    return list(s.scalars(q.where(cond).order_by(MonevTindakLanjut.tenggat)))


# --- documentation photos --------------------------------------------------------------------------------------


def unggah_foto(actor: Actor, rapat_id: int, nama: str, content: bytes, keterangan: str | None = None) -> int:
    if len(content) > MAX_FOTO:
        raise ValidationFailed([FieldError(None, "Foto", "ukuran maksimal 5 MB")])
    if _file_kind(content) not in ("png", "jpg"):
        raise ValidationFailed([FieldError(None, "Foto", "harus PNG atau JPG")])
    try:
        from PIL import Image

        Image.open(io.BytesIO(content)).verify()
    except Exception:  # noqa: BLE001  (any decoder error means: not a usable image)
        raise ValidationFailed([FieldError(None, "Foto", "berkas gambar rusak atau tidak dapat dibaca")]) from None
    with unit_of_work(actor, action="monev_unggah_foto") as s:
        rapat = rapat_of(s, rapat_id)
        require_pencatat(rapat, actor, "mengunggah dokumentasi rapat")
        _require_held(rapat)
        require_report_open(rapat)
        foto = MonevFoto(rapat_id=rapat_id, nama=(nama or "foto")[:200], keterangan=(keterangan or "")[:300] or None,
                         isi=content, diunggah_at=clock.utcnow(), diunggah_oleh=actor.username)
        s.add(foto)
        s.flush()
        return foto.id


def hapus_foto(actor: Actor, foto_id: int) -> None:
    with unit_of_work(actor, action="monev_hapus_foto") as s:
        foto = s.get(MonevFoto, foto_id)
        if foto is None:
            raise NotFound("Foto tidak ditemukan.")
        rapat = rapat_of(s, foto.rapat_id)
        require_pencatat(rapat, actor, "menghapus dokumentasi rapat")
        require_report_open(rapat, "dihapus")
        s.delete(foto)


def foto(actor: Actor, rapat_id: int) -> list[dict[str, Any]]:
    require_login(actor)
    with read_session() as s:
        return [{"id": f.id, "nama": f.nama, "keterangan": f.keterangan, "isi": f.isi}
                for f in s.scalars(select(MonevFoto).where(MonevFoto.rapat_id == rapat_id).order_by(MonevFoto.id))]



def untuk_mode_rapat(actor: Actor) -> int | None:
    """The meeting the projector shows by default: the one in progress, else this month's, else the latest."""
    require_login(actor)
    today = clock.today()
    with read_session() as s:
        open_ = s.scalar(select(RapatMonev.id).where(RapatMonev.status_rapat == StatusRapat.BERLANGSUNG)
                         .order_by(RapatMonev.tanggal.desc()))
        if open_ is not None:
            return int(open_)
        this = rapat_bulan(s, today.year, today.month)
        if this is not None:
            return this.id
        last = s.scalar(select(RapatMonev.id).order_by(RapatMonev.tahun.desc(), RapatMonev.bulan.desc()))
        return int(last) if last is not None else None
