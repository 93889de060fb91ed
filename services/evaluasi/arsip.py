"""Arsip Dokumen: the register of signed SKP and evaluation scans (SOP 003 step 7, SOP 004 step 6, SOP 000 step 8).

One row per expected document of a year: every SKP segment and every evaluation (periodic and annual) of the
pegawai in scope, with whether the signed scan is archived. A document is expected once it is approved; an
approved one without a scan is flagged "Belum diarsipkan". Scope: Admin SDM - the pegawai of his satker (every
satker for an account without pegawai); a pejabat penilai / atasan (or his Plt/Plh) - the pegawai he reviews.
The penilai/atasan upload scans for their people here (services.skp.dokumen / evaluasi.dokumen check the rights).
Bulk download: a ZIP of the selected scans; the PDM export (Admin SDM): a ZIP of every archived PDF named by NIP
and period plus an index CSV, for the upload to PDM/SIASN. Downloads are audited.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import (
    Evaluasi,
    EvaluasiDokumen,
    JenisDokumenEvaluasi,
    JenisEvaluasi,
    Pegawai,
    Period,
    ReportingLine,
    Role,
    Skp,
    SkpDocument,
    StatusEvaluasi,
    StatusSkp,
    UnitKerja,
)
from services.core import audit
from services.core.actor import Actor
from services.core.errors import NotFound, PermissionDenied, ValidationFailed
from services.core.export import neutralise
from services.core.uow import unit_of_work
from services.evaluasi import common as ec
from services.evaluasi import dokumen as evdok
from services.org import lingkup
from services.skp import dokumen as skpdok

COLUMNS = ["kunci", "pegawai_id", "nip", "nama", "unit", "dokumen", "periode", "status", "diarsipkan", "keterangan",
           "nama_berkas", "diunggah_oleh", "diunggah_pada"]
LABELS = {"nip": "NIP", "nama": "Nama", "unit": "Unit Kerja", "dokumen": "Dokumen", "periode": "Periode",
          "status": "Status", "diarsipkan": "Diarsipkan", "keterangan": "Keterangan", "nama_berkas": "Berkas",
          "diunggah_oleh": "Diunggah oleh", "diunggah_pada": "Diunggah pada"}
BELUM = "Belum diarsipkan"
KEYS = ("SKP", "EV")
REFUSED = ("Arsip Dokumen untuk Admin SDM dan untuk pejabat penilai / atasan pejabat penilai atas pegawai yang "
           "dinilainya.")


def _scope(s: Session, actor: Actor, period: Period) -> set[int] | None:
    """None = every pegawai; else the ids the actor may see."""
    if actor.is_admin:
        return lingkup.sdm_scope(s, actor)
    ids = list(actor.reviewer_ids)
    if not ids:
        raise PermissionDenied(REFUSED)
    people = set(s.scalars(select(ReportingLine.pegawai_id).where(
        ReportingLine.berlaku_mulai <= period.tanggal_selesai,
        or_(ReportingLine.berlaku_sampai.is_(None), ReportingLine.berlaku_sampai >= period.tanggal_mulai),
        or_(ReportingLine.pejabat_penilai_id.in_(ids), ReportingLine.atasan_penilai_id.in_(ids)))))
    people |= set(s.scalars(select(Skp.pegawai_id).where(Skp.period_id == period.id, or_(
        Skp.pejabat_penilai_id.in_(ids), Skp.atasan_penilai_id.in_(ids)))))
    people -= {actor.pegawai_id}
    if not people:
        raise PermissionDenied(REFUSED)
    return people


def _period(s: Session, tahun: int) -> Period:
    p = s.scalar(select(Period).where(Period.tahun == tahun))
    if p is None:
        raise NotFound(f"Periode kinerja {tahun} belum dibuat.")
    return p


def years(actor: Actor) -> list[int]:
    actor.require(Role.ADMIN_SDM, Role.PENILAI, Role.ATASAN_PENILAI, message=REFUSED)
    with read_session() as s:
        return list(s.scalars(select(Period.tahun).order_by(Period.tahun.desc())))


def register(actor: Actor, tahun: int, *, unit: str | None = None, hanya_belum: bool = False,
             jenis: str | None = None) -> pd.DataFrame:
    """The register of `tahun` (columns COLUMNS; `kunci` = "SKP:<id>" / "EV:<id>" for uploads and downloads).
    Filters: unit name, only the flagged rows, jenis "SKP" / "Evaluasi"."""
    with read_session() as s:
        period = _period(s, tahun)
        scope = _scope(s, actor, period)
        units = dict(s.execute(select(UnitKerja.id, UnitKerja.nama)).tuples().all())
        people = {p.id: p for p in s.scalars(select(Pegawai))}
        rows: list[dict] = []
        if jenis in (None, "SKP"):
            skps = s.scalars(select(Skp).where(Skp.period_id == period.id).order_by(Skp.pegawai_id, Skp.segment_no))
            scans: dict[int, SkpDocument] = {}
            for sd in s.scalars(select(SkpDocument).join(Skp, Skp.id == SkpDocument.skp_id)
                                .where(Skp.period_id == period.id).order_by(SkpDocument.id)):
                scans[sd.skp_id] = sd  # the newest wins
            for k in skps:
                if scope is not None and k.pegawai_id not in scope:
                    continue
                p = people[k.pegawai_id]
                seg = f" segmen {k.segment_no}" if k.segment_no > 1 else ""
                rows.append(_row(f"SKP:{k.id}", p, units.get(k.unit_id or p.unit_id or -1), f"SKP{seg}",
                                 f"{k.tanggal_mulai:%d/%m/%Y}–{k.tanggal_selesai:%d/%m/%Y}",
                                 k.status == StatusSkp.DISETUJUI, k.status.value, scans.get(k.id)))
        if jenis in (None, "Evaluasi"):
            evs = s.scalars(select(Evaluasi).where(Evaluasi.period_id == period.id)
                            .order_by(Evaluasi.pegawai_id, Evaluasi.jenis, Evaluasi.mulai, Evaluasi.nomor)).all()
            escans: dict[int, EvaluasiDokumen] = {}
            ids = [e.id for e in evs]
            if ids:
                for d in s.scalars(select(EvaluasiDokumen).where(
                        EvaluasiDokumen.evaluasi_id.in_(ids),
                        EvaluasiDokumen.jenis == JenisDokumenEvaluasi.DITANDATANGANI).order_by(EvaluasiDokumen.id)):
                    escans[d.evaluasi_id] = d
            for e in evs:
                if scope is not None and e.pegawai_id not in scope:
                    continue
                p = people[e.pegawai_id]
                what = "Evaluasi Tahunan" if e.jenis == JenisEvaluasi.TAHUNAN else "Evaluasi Periodik"
                rows.append(_row(f"EV:{e.id}", p, units.get(p.unit_id or -1), what, ec.slot_label(e),
                                 e.status == StatusEvaluasi.DISETUJUI, ec.STATUS_LABEL[e.status], escans.get(e.id)))
    df = pd.DataFrame(rows, columns=COLUMNS)
    if unit:
        df = df[df["unit"] == unit]
    if hanya_belum:
        df = df[df["keterangan"] == BELUM]
    return df.sort_values(["nama", "dokumen", "periode"], kind="stable").reset_index(drop=True)


def _row(key: str, p: Pegawai, unit: str | None, dokumen: str, periode: str, approved: bool, status: str,
         scan: SkpDocument | EvaluasiDokumen | None) -> dict:
    if scan is not None:
        ket = "Diarsipkan"
    elif approved:
        ket = BELUM
    else:
        ket = "Belum disetujui (belum perlu diarsipkan)"
    return {"kunci": key, "pegawai_id": p.id, "nip": p.nip, "nama": p.nama_lengkap, "unit": unit, "dokumen": dokumen,
            "periode": periode, "status": status, "diarsipkan": scan is not None, "keterangan": ket,
            "nama_berkas": scan.filename if scan is not None else None,
            "diunggah_oleh": scan.uploaded_by_username if scan is not None else None,
            "diunggah_pada": scan.uploaded_at if scan is not None else None}


def _split(key: str) -> tuple[str, int]:
    kind, _, raw = str(key).partition(":")
    if kind not in KEYS or not raw.isdigit():
        raise NotFound("Dokumen tidak ditemukan.")
    return kind, int(raw)


def upload(actor: Actor, key: str, filename: str, data: bytes, keterangan: str | None = None) -> int:
    """Archive the signed scan of one register row (SKP or evaluation); the rights are those of the SKP and
    evaluation document services: the pegawai, the penilai / atasan (or his Plt/Plh), Admin SDM of the satker."""
    kind, ident = _split(key)
    if kind == "SKP":
        return skpdok.upload_signed_scan(actor, ident, filename, data, keterangan)
    return evdok.upload_document(actor, ident, JenisDokumenEvaluasi.DITANDATANGANI, filename, data, keterangan)


def _files(s: Session, keys: Iterable[str]) -> list[tuple[str, dict, bytes]]:
    """(zip name, index row, content) of the newest scan of each key that has one."""
    out = []
    for key in keys:
        kind, ident = _split(key)
        p: Pegawai | None
        if kind == "SKP":
            k = s.get(Skp, ident)
            doc: SkpDocument | EvaluasiDokumen | None = s.scalars(
                select(SkpDocument).where(SkpDocument.skp_id == ident).order_by(SkpDocument.id.desc()).limit(1)).first()
            if k is None or doc is None:
                continue
            p = s.get(Pegawai, k.pegawai_id)
            tahun = s.get(Period, k.period_id).tahun  # type: ignore[union-attr]
            periode = f"{tahun}" + (f"_S{k.segment_no}" if k.segment_no > 1 else "")
            dokumen = "SKP"
            name = f"{p.nip}_SKP_{periode}.pdf"  # type: ignore[union-attr]
        else:
            e = s.get(Evaluasi, ident)
            doc = s.scalars(select(EvaluasiDokumen).where(
                EvaluasiDokumen.evaluasi_id == ident, EvaluasiDokumen.jenis == JenisDokumenEvaluasi.DITANDATANGANI)
                .order_by(EvaluasiDokumen.id.desc()).limit(1)).first()
            if e is None or doc is None:
                continue
            p = s.get(Pegawai, e.pegawai_id)
            periode = e.kode
            dokumen = "Evaluasi Tahunan" if e.jenis == JenisEvaluasi.TAHUNAN else "Evaluasi Periodik"
            name = f"{p.nip}_EVALUASI_{periode}.pdf"  # type: ignore[union-attr]
        assert p is not None
        out.append((name, {"nip": p.nip, "nama": p.nama_lengkap, "dokumen": dokumen, "periode": periode,
                           "berkas": name, "nama_asli": doc.filename, "sha256": doc.sha256, "ukuran": doc.size,
                           "diunggah_oleh": doc.uploaded_by_username,
                           "diunggah_pada": doc.uploaded_at.isoformat() if doc.uploaded_at else ""},
                    bytes(doc.content or b"")))
    return out


def _zip(files: list[tuple[str, dict, bytes]], with_index: bool) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, _row, content in files:
            z.writestr(name, content)
        if with_index:
            text = io.StringIO()
            cols = ["nip", "nama", "dokumen", "periode", "berkas", "nama_asli", "sha256", "ukuran", "diunggah_oleh",
                    "diunggah_pada"]
            w = csv.DictWriter(text, fieldnames=cols, delimiter=";")
            w.writeheader()
            for _name, row, _c in files:
                w.writerow({k: neutralise(v) for k, v in row.items()})
            z.writestr("indeks.csv", "\ufeff" + text.getvalue())
    return buf.getvalue()


def zip_selected(actor: Actor, tahun: int, keys: list[str]) -> bytes:
    """A ZIP of the archived scans of the chosen register rows (rows outside the actor's scope are refused)."""
    allowed = set(register(actor, tahun)["kunci"])
    if not keys:
        raise ValidationFailed([_err("pilih minimal satu dokumen yang sudah diarsipkan")])
    foreign = [k for k in keys if k not in allowed]
    if foreign:
        raise PermissionDenied("Sebagian dokumen yang dipilih berada di luar kewenangan Anda.")
    with read_session() as s:
        files = _files(s, keys)
    if not files:
        raise ValidationFailed([_err("dokumen yang dipilih belum ada yang diarsipkan")])
    data = _zip(files, with_index=True)
    with unit_of_work(actor, action="ekspor") as s:
        audit.record(s, actor, "ekspor", "ArsipDokumen", None, after={"berkas": len(files)},
                     note=f"Unduh arsip dokumen {tahun} (ZIP)")
    return data


def pdm_export(actor: Actor, tahun: int) -> bytes:
    """Admin SDM: every archived scan of the year in his scope, named <NIP>_<SKP|EVALUASI>_<periode>.pdf, plus
    indeks.csv - ready for the upload to PDM (Pemutakhiran Data Mandiri, SIASN)."""
    actor.require(Role.ADMIN_SDM, message="Ekspor PDM hanya untuk Admin SDM.")
    df = register(actor, tahun)
    keys = df.loc[df["diarsipkan"], "kunci"].tolist()
    with read_session() as s:
        files = _files(s, keys)
    data = _zip(files, with_index=True)
    with unit_of_work(actor, action="ekspor") as s:
        audit.record(s, actor, "ekspor", "ArsipDokumen", None, after={"berkas": len(files)},
                     note=f"Ekspor PDM {tahun}")
    return data


def _err(msg: str):
    from services.core.errors import FieldError

    return FieldError(None, "Dokumen", msg)
