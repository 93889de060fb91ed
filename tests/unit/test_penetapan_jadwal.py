"""Format Penetapan Predikat (PDF with kop, pegawai predikat, distribution, signatories; Plt. of the head), the SKP
schedule notice (Beranda announcement with deadline for every pegawai, validation, refusal) and its letter
(PDF, DOCX) - SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.engine import read_session
from db.models import AuditLog
from services import beranda, skp
from services.core.errors import PermissionDenied, ValidationFailed
from services.evaluasi import penetapan
from services.org import penugasan
from tests import evaluasi_factories as ef
from tests.skp_factories import period_id

D = dt.date


def _text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)


def test_format_penetapan_pdf(org, clock):
    ef.annual_set(org)
    a, pid = org.actors, period_id(org)
    name, data = penetapan.penetapan_pdf(a.kepala, org.units["adum"], pid, 0, today=D(org.year, 12, 20))
    assert name == f"Penetapan_Predikat_ADUM_{org.year}_Tahunan.pdf" and data.startswith(b"%PDF")
    text = _text(data)
    assert "PENETAPAN PREDIKAT KINERJA PEGAWAI" in text and "Subbagian Administrasi Umum" in text
    assert "Andi Wijaya" in text and "Butuh Perbaikan" in text and "nan" not in text.split()
    assert "Yang menetapkan" in text and "Mengetahui" in text and "Ratna Hapsari" in text
    # an acting head signs as Plt.
    clock.set(D(org.year, 12, 20))
    penugasan.save_grid(a.admin, [{"id": None, "_row": 1, "pegawai": "198502022010122001", "jenis": "Plt",
                                   "pejabat": None, "jabatan": "Kepala Subbagian Administrasi Umum",
                                   "tanggal_mulai": D(org.year, 12, 1), "tanggal_selesai": D(org.year, 12, 31),
                                   "nomor_sk": "KP/9", "tanggal_sk": None, "keterangan": None}])
    text = _text(penetapan.penetapan_pdf(a.admin, org.units["adum"], pid, 0)[1])
    assert "Plt. Kepala Subbagian Administrasi Umum" in text and "Siti Aminah" in text
    root_text = _text(penetapan.penetapan_pdf(a.admin, org.units["root"], pid, 0)[1])
    assert "Belum dinilai; status: Draf" in root_text  # the kepala's DRAFT evaluation
    assert "nan" not in root_text.split()
    with pytest.raises(PermissionDenied):
        penetapan.penetapan_pdf(a.staf, org.units["adum"], pid, 0)
    with read_session() as s:
        assert s.scalars(select(AuditLog).where(AuditLog.action == "cetak_penetapan")).all()


def test_schedule_notice_on_every_beranda_and_letter(org, clock):
    a = org.actors
    today = clock.set(D(org.year, 1, 5))
    batas = today + dt.timedelta(days=10)
    with pytest.raises(ValidationFailed) as exc:
        skp.jadwal.save(a.admin, judul="", isi="", tahun=org.year, tampil_mulai=batas, batas_waktu=today)
    assert {e.field for e in exc.value.errors} == {"Judul", "Isi", "Batas waktu"}
    with pytest.raises(PermissionDenied):
        skp.jadwal.save(a.kasub, judul="x", isi="y", tahun=org.year, tampil_mulai=today, batas_waktu=batas)
    isi = skp.jadwal.default_isi(org.year, batas, None, "surat Sekretaris Jenderal Nomor 1/2026")
    assert "Menindaklanjuti surat Sekretaris Jenderal" in isi
    nid = skp.jadwal.save(a.admin, judul=f"Jadwal pengisian SKP tahun {org.year}", isi=isi, tahun=org.year,
                          tampil_mulai=today, batas_waktu=batas, nomor_surat="800/12/SDM", tanggal_surat=today)
    for who in (a.staf, a.kasub, a.kepala, a.staf2):
        tasks = [t for t in beranda.my_tasks(who, today) if t.kategori == "Pengumuman"]
        assert len(tasks) == 1 and tasks[0].tenggat == batas and tasks[0].halaman == "skp_saya.py"
    assert [n.id for n in skp.jadwal.active(a.staf, today)] == [nid]
    assert skp.jadwal.active(a.staf, batas + dt.timedelta(days=1)) == []
    assert [t for t in beranda.my_tasks(a.staf, batas - dt.timedelta(days=1)) if t.kategori == "Pengumuman"
            ][0].prioritas == 1
    name, pdf = skp.jadwal.letter_pdf(a.staf, nid)
    text = _text(pdf)
    assert name.endswith(".pdf") and "800/12/SDM" in text and "Yth. Seluruh Pegawai" in text
    assert "Ratna Hapsari" in text  # signed by the head of the satker
    name, data = skp.jadwal.letter_docx(a.admin, nid)
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Pemberitahuan Jadwal Pengisian SKP" in body and "Yth. Seluruh Pegawai" in body
    skp.jadwal.delete(a.admin, nid)
    assert skp.jadwal.active(a.staf, today) == []
