"""The SKP schedule notice (SOP penyelesaian SKP steps 1–2): the Kasubbag SDM passes the Sekretariat
Jenderal's schedule for filling in the SKP, disposed by the head of the satker, to all staff in a "surat
pemberitahuan jadwal pengisian SKP". Admin SDM records it here; every pegawai sees it on the Beranda with its
deadline from `tampil_mulai` until the deadline has passed, and the letter prints as PDF or DOCX with the kop
surat, signed by the head of the satker (Plt./Plh. while an acting assignment runs). Changes are audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from docx.shared import Cm, Pt
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import Pengumuman, Role
from services.core import clock, fmt
from services.core.actor import Actor
from services.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from services.core.tasks import Task, task_provider
from services.core.uow import unit_of_work
from services.documents import (
    PdfDocument,
    SignatureBlock,
    add_signature_block,
    add_table,
    identity_from_session,
    new_document,
    tempat_tanggal,
    to_bytes,
)

COLUMNS = ["id", "judul", "tahun", "nomor_surat", "tanggal_surat", "tampil_mulai", "batas_waktu", "batas_verifikasi",
           "dibuat_oleh", "version"]
JUDUL_MAKS, ISI_MAKS = 200, 4000
VERIFIKASI_HARI = 7  # SOP step 4: the pejabat berwenang checks and rates the submitted SKP within one week


@dataclass(frozen=True)
class PengumumanView:
    id: int
    judul: str
    isi: str
    tahun: int
    nomor_surat: str | None
    tanggal_surat: dt.date | None
    dasar: str | None
    tampil_mulai: dt.date
    batas_waktu: dt.date
    batas_verifikasi: dt.date | None
    version: int


def _view(p: Pengumuman) -> PengumumanView:
    return PengumumanView(p.id, p.judul, p.isi, p.tahun, p.nomor_surat, p.tanggal_surat, p.dasar, p.tampil_mulai,
                          p.batas_waktu, p.batas_verifikasi, p.version)


def _require_admin(actor: Actor) -> None:
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat membuat pemberitahuan jadwal pengisian SKP.")


def default_isi(tahun: int, batas: dt.date, batas_verifikasi: dt.date | None, dasar: str | None) -> str:
    """The body of the letter, ready to edit."""
    ver = batas_verifikasi or batas + dt.timedelta(days=VERIFIKASI_HARI)
    ref = f"Menindaklanjuti {dasar.strip()}, d" if dasar and dasar.strip() else "D"
    return (f"{ref}engan ini kami sampaikan jadwal pengisian Sasaran Kinerja Pegawai (SKP) tahun {tahun} pada "
            f"aplikasi e-Kinerja. Seluruh ASN, mulai dari Sekretaris sampai dengan staf, agar menyusun SKP dan "
            f"mengajukannya kepada pejabat penilai paling lambat {fmt.tanggal(batas)}. Pejabat penilai memeriksa "
            f"dan menilai SKP yang diajukan paling lambat {fmt.tanggal(ver)}. SKP yang telah dinilai dicetak, "
            f"ditandatangani, dan diarsipkan oleh pegawai yang bersangkutan dan Subbagian SDM.\n\n"
            f"Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih.")


def list_all(actor: Actor) -> pd.DataFrame:
    _require_admin(actor)
    with read_session() as s:
        rows = s.scalars(select(Pengumuman).order_by(Pengumuman.tampil_mulai.desc(), Pengumuman.id.desc())).all()
        return pd.DataFrame([{c: getattr(p, c) for c in COLUMNS} for p in rows], columns=COLUMNS)


def get(actor: Actor, pengumuman_id: int) -> PengumumanView:
    """Any logged-in user may read a notice (it is addressed to all staff)."""
    with read_session() as s:
        p = s.get(Pengumuman, pengumuman_id)
        if p is None:
            raise NotFound("Pemberitahuan tidak ditemukan.")
        return _view(p)


def save(actor: Actor, *, judul: str, isi: str, tahun: int, tampil_mulai: dt.date, batas_waktu: dt.date,
         batas_verifikasi: dt.date | None = None, nomor_surat: str | None = None, tanggal_surat: dt.date | None = None,
         dasar: str | None = None, pengumuman_id: int | None = None, version: int | None = None) -> int:
    """Create (no id) or change a notice; every error named by field; audited."""
    _require_admin(actor)
    errors: list[FieldError] = []
    judul, isi = (judul or "").strip(), (isi or "").strip()
    if not judul:
        errors.append(FieldError(None, "Judul", "wajib diisi"))
    elif len(judul) > JUDUL_MAKS:
        errors.append(FieldError(None, "Judul", f"paling banyak {JUDUL_MAKS} karakter"))
    if not isi:
        errors.append(FieldError(None, "Isi", "wajib diisi"))
    elif len(isi) > ISI_MAKS:
        errors.append(FieldError(None, "Isi", f"paling banyak {ISI_MAKS} karakter"))
    if tampil_mulai is None or batas_waktu is None:
        errors.append(FieldError(None, "Batas waktu", "tanggal tampil dan batas waktu wajib diisi"))
    elif batas_waktu < tampil_mulai:
        errors.append(FieldError(None, "Batas waktu", "tidak boleh sebelum tanggal mulai tampil"))
    if batas_verifikasi is not None and batas_waktu is not None and batas_verifikasi < batas_waktu:
        errors.append(FieldError(None, "Batas verifikasi", "tidak boleh sebelum batas pengisian"))
    for label, value, maks in (("Nomor surat", nomor_surat, 120), ("Dasar", dasar, 300)):
        if value and len(value.strip()) > maks:
            errors.append(FieldError(None, label, f"paling banyak {maks} karakter"))
    if not 2000 <= int(tahun) <= 2100:
        errors.append(FieldError(None, "Tahun", "tidak sah"))
    if errors:
        raise ValidationFailed(errors)
    with unit_of_work(actor, action="pengumuman_jadwal_skp") as s:
        if pengumuman_id is None:
            p = Pengumuman(dibuat_oleh=actor.username)
            s.add(p)
        else:
            found = s.get(Pengumuman, pengumuman_id)
            if found is None:
                raise NotFound("Pemberitahuan tidak ditemukan.")
            p = found
            if version is not None and p.version != version:
                raise Conflict("Pemberitahuan ini telah diubah pengguna lain sejak Anda membukanya. Muat ulang "
                               "halaman, lalu ulangi.")
        p.judul, p.isi, p.tahun = judul, isi, int(tahun)
        p.tampil_mulai, p.batas_waktu, p.batas_verifikasi = tampil_mulai, batas_waktu, batas_verifikasi
        p.nomor_surat = (nomor_surat or "").strip() or None
        p.tanggal_surat = tanggal_surat
        p.dasar = (dasar or "").strip() or None
        s.flush()
        return p.id


def delete(actor: Actor, pengumuman_id: int) -> None:
    _require_admin(actor)
    with unit_of_work(actor, action="pengumuman_hapus") as s:
        p = s.get(Pengumuman, pengumuman_id)
        if p is None:
            raise NotFound("Pemberitahuan tidak ditemukan.")
        s.delete(p)


def _active(s: Session, today: dt.date) -> list[Pengumuman]:
    return list(s.scalars(select(Pengumuman).where(Pengumuman.tampil_mulai <= today, Pengumuman.batas_waktu >= today)
                          .order_by(Pengumuman.batas_waktu, Pengumuman.id)))


def active(actor: Actor, today: dt.date | None = None) -> list[PengumumanView]:
    """The notices on the Beranda today (every logged-in user: they are addressed to all staff)."""
    today = today or clock.today()
    with read_session() as s:
        return [_view(p) for p in _active(s, today)]


@task_provider
def _notice_tasks(s: Session, actor: Actor, today: dt.date) -> list[Task]:
    """Every pegawai: the SKP schedule with its deadline (urgent in the last 3 days)."""
    if actor.pegawai_id is None:
        return []
    out = []
    for p in _active(s, today):
        left = (p.batas_waktu - today).days
        out.append(Task("Pengumuman", p.judul, f"Batas pengisian dan pengajuan SKP: {fmt.tanggal(p.batas_waktu)} "
                        f"({'hari ini' if left == 0 else f'{left} hari lagi'}).", p.batas_waktu,
                        1 if left <= 3 else 2, "skp_saya.py"))
    return out


# --- the letter -----------------------------------------------------------------------------------------


def filename(p: PengumumanView, ext: str) -> str:
    return f"Pemberitahuan_Jadwal_SKP_{p.tahun}_{p.id}.{ext}"


def _meta(p: PengumumanView) -> list[tuple[str, str]]:
    return [("Nomor", p.nomor_surat or "…………………"), ("Sifat", "Biasa"), ("Lampiran", "-"),
            ("Hal", f"Pemberitahuan Jadwal Pengisian SKP Tahun {p.tahun}")]


def letter_pdf(actor: Actor, pengumuman_id: int) -> tuple[str, bytes]:
    p = get(actor, pengumuman_id)
    with read_session() as s:
        identity = identity_from_session(s)
    pdf = PdfDocument(p.judul, orientation="P", margins=(25, 15, 20), bottom=15)
    pdf.add_page()
    pdf.kop(identity)
    pdf.font("", 11)
    for label, value in _meta(p):
        pdf.cell(24, 6, pdf.t(label))
        pdf.multi_cell(0, 6, pdf.t(f": {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.line_text("Yth. Seluruh Pegawai", "", 11, h=6)
    pdf.line_text(f"di lingkungan {identity.satker or 'satuan kerja'}", "", 11, h=6)
    pdf.ln(4)
    for para in p.isi.split("\n"):
        if para.strip():
            pdf.multi_cell(0, 6, pdf.t(para.strip()), align="J", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    pdf.ln(2)
    rows = [["1", "Penyusunan dan pengajuan SKP oleh seluruh ASN", f"s.d. {fmt.tanggal(p.batas_waktu)}"],
            ["2", "Pemeriksaan dan penilaian SKP oleh pejabat penilai",
             f"s.d. {fmt.tanggal(p.batas_verifikasi or p.batas_waktu + dt.timedelta(days=VERIFIKASI_HARI))}"],
            ["3", "Pencetakan, penandatanganan dan pengarsipan SKP", "1 hari setelah dinilai"]]
    pdf.table(["No", "Tahapan", "Jadwal"], rows, widths=(8, 70, 32), align=("C", "L", "L"))
    day = p.tanggal_surat or clock.today()
    pdf.signature_blocks([None, SignatureBlock.of(identity.kepala)], tempat_tanggal(identity.kota, day))
    return filename(p, "pdf"), bytes(pdf.output())


def letter_docx(actor: Actor, pengumuman_id: int) -> tuple[str, bytes]:
    p = get(actor, pengumuman_id)
    with read_session() as s:
        identity = identity_from_session(s)
    doc = new_document(identity)
    for label, value in _meta(p):
        par = doc.add_paragraph(f"{label}\t: {value}")
        par.paragraph_format.tab_stops.add_tab_stop(Cm(2.5))
        par.paragraph_format.space_after = Pt(0)
    doc.add_paragraph("")
    doc.add_paragraph("Yth. Seluruh Pegawai")
    doc.add_paragraph(f"di lingkungan {identity.satker or 'satuan kerja'}")
    for para in p.isi.split("\n"):
        if para.strip():
            doc.add_paragraph(para.strip())
    add_table(doc, ["No", "Tahapan", "Jadwal"], [
        ["1", "Penyusunan dan pengajuan SKP oleh seluruh ASN", f"s.d. {fmt.tanggal(p.batas_waktu)}"],
        ["2", "Pemeriksaan dan penilaian SKP oleh pejabat penilai",
         f"s.d. {fmt.tanggal(p.batas_verifikasi or p.batas_waktu + dt.timedelta(days=VERIFIKASI_HARI))}"],
        ["3", "Pencetakan, penandatanganan dan pengarsipan SKP", "1 hari setelah dinilai"]],
        widths_cm=(1.2, 9.3, 5.5), align=("C", "L", "L"))
    doc.add_paragraph("")
    day = p.tanggal_surat or clock.today()
    add_signature_block(doc, identity, identity.kepala, tempat_tanggal(identity.kota, day))
    return filename(p, "docx"), to_bytes(doc)
