"""Evaluation documents (PDF): the periodic form (JA/JF and JPT), the annual Dokumen Evaluasi, the draft
marker, the organisational predikat, the font fallback without DejaVu, readers and the audit row."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from sqlalchemy import select

import domain as rules
from db.engine import read_session
from db.models import (
    AuditLog,
    JenisEvaluasi,
    KinerjaOrganisasi,
    PredikatOrganisasiKinerja,
    StatusEvaluasi,
    UnitKerja,
)
from services.core import settings
from services.core.actor import SYSTEM
from services.core.errors import NotFound, PermissionDenied
from services.core.uow import unit_of_work
from services.documents import pdf as documents_pdf
from services.evaluasi import common as ec
from services.evaluasi import pdf as evaluasi_pdf
from tests import evaluasi_dok_factories as ef
from tests import logbook_factories as lf

NIP_STAF2 = "199104042019022004"
NIP_KASUB = "198001012005011002"
TODAY = dt.date(2026, 11, 2)


def _text(data: bytes) -> str:
    """The PDF's text, whitespace collapsed (wrapped cells break lines anywhere)."""
    assert data.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout
        text = out.decode("utf-8", "replace")
    else:  # pragma: no cover - poppler-utils missing
        text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def _pages(data: bytes) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def skps(org):
    return lf.approved_skps(org, staf2=True)


def test_periodic_ja_jf_form_contains_every_part(org, skps):
    a = org.actors
    eid = ef.evaluasi(skps.staf2_skp)
    data = evaluasi_pdf.evaluasi_pdf(a.staf2, eid, TODAY)
    text = _text(data)
    for needle in ("EVALUASI KINERJA PEGAWAI", "PENDEKATAN HASIL KERJA KUANTITATIF",
                   "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL", "BALAI UJI KINERJA", "PERIODE: TRIWULAN I",
                   f"1 Januari s.d. 31 Maret {org.year}", "PEGAWAI YANG DINILAI", "PEJABAT PENILAI KINERJA",
                   "ATASAN PEJABAT PENILAI KINERJA", "Dewi Lestari", NIP_STAF2, "Budi Santoso", NIP_KASUB,
                   "CAPAIAN KINERJA ORGANISASI", "HASIL KERJA", "A. UTAMA", "Tersusunnya laporan keuangan bulanan",
                   "Jumlah laporan keuangan", "Aspek", "Kuantitas", "Realisasi Berdasarkan Bukti Dukung",
                   "Umpan Balik Berkelanjutan", "Menyusun laporan bulan ke-1", "Laporan terkirim ke KPPN",
                   "Umpan balik RHK 1: pertahankan ketelitian.", "RATING HASIL KERJA", "Sesuai Ekspektasi",
                   "PERILAKU KERJA", "Berorientasi Pelayanan", "Memahami dan memenuhi kebutuhan masyarakat",
                   "Umpan balik perilaku Akuntabel: baik.", "RATING PERILAKU KERJA", "Di Atas Ekspektasi",
                   "PREDIKAT KINERJA PEGAWAI", "Baik", "Medan, 15 April 2026", "Pegawai yang Dinilai",
                   "Pejabat Penilai Kinerja", f"NIP. {NIP_STAF2}", f"NIP. {NIP_KASUB}"):
        assert needle in text, needle
    assert "pembungkusan teks dalam sel tabel" in text  # long realisasi wrapped, not cut
    assert "belum disetujui atasan pejabat penilai" not in text
    assert "PERIODE: TAHUNAN" not in text
    assert all(w > h for w, h in _pages(data))  # landscape


def test_filename_uses_nip_and_kode(org, skps):
    eid = ef.evaluasi(skps.staf2_skp, nomor=2)
    with read_session() as s:
        d = ec.detail(s, org.actors.staf2, ec.load(s, eid))
    assert evaluasi_pdf.filename(d) == f"Evaluasi_Kinerja_{NIP_STAF2}_{org.year}-T2.pdf"
    assert "PERIODE: TRIWULAN II" in _text(evaluasi_pdf.render(d))


def test_unapproved_evaluation_prints_as_draft(org, skps):
    eid = ef.evaluasi(skps.staf2_skp, status=StatusEvaluasi.DIAJUKAN, rated=False)
    text = _text(evaluasi_pdf.evaluasi_pdf(org.actors.staf2, eid, TODAY))
    assert "DRAF — belum disetujui atasan pejabat penilai" in text
    assert "Diajukan, menunggu penilaian" in text
    assert "Sesuai Ekspektasi" not in text  # not rated yet
    assert "Medan, 2 November 2026" in text  # today's date on a draft


def test_annual_document_then_annual_form(org, skps):
    eid = ef.evaluasi(skps.staf2_skp, JenisEvaluasi.TAHUNAN, 0)
    data = evaluasi_pdf.evaluasi_pdf(org.actors.kasub, eid, TODAY)
    text = _text(data)
    for needle in ("DOKUMEN EVALUASI KINERJA PEGAWAI", "PEGAWAI YANG DINILAI", "PEJABAT PENILAI KINERJA",
                   "ATASAN PEJABAT PENILAI KINERJA", "EVALUASI KINERJA", "CAPAIAN KINERJA ORGANISASI",
                   "PREDIKAT KINERJA PEGAWAI", "BAIK", "CATATAN/REKOMENDASI", "4.", "5.",
                   "Pertahankan kinerja; ikuti pelatihan analisis data.", "Dewi Lestari", "Budi Santoso",
                   "Ratna Hapsari", f"1 Januari s.d. 31 Desember {org.year}", "Pegawai yang Dinilai",
                   "Pejabat Penilai Kinerja", "EVALUASI KINERJA PEGAWAI", "PERIODE: TAHUNAN",
                   "Berorientasi Pelayanan"):
        assert needle in text, needle
    assert "Catatan" in text or "CATATAN" in text
    sizes = _pages(data)
    assert sizes[0][0] < sizes[0][1]  # the Dokumen Evaluasi is portrait
    assert sizes[-1][0] > sizes[-1][1]  # the attached form landscape


def test_organisational_predikat_from_the_unit_row_or_dash(org, skps):
    eid = ef.evaluasi(skps.staf2_skp)
    text = _text(evaluasi_pdf.evaluasi_pdf(SYSTEM, eid, TODAY))
    assert "[ ] Istimewa [ ] Baik" in text
    assert "[X]" not in text
    with unit_of_work(SYSTEM) as s:
        root = s.scalar(select(UnitKerja).where(UnitKerja.kode == "BUK"))
        pid = lf.f.period_id(org)
        s.add(KinerjaOrganisasi(unit_id=root.id, period_id=pid, nomor=1, predikat=PredikatOrganisasiKinerja.ISTIMEWA,
                                ditetapkan_by_username="admin", ditetapkan_at=dt.datetime.now(dt.UTC)))
    text = _text(evaluasi_pdf.evaluasi_pdf(SYSTEM, eid, TODAY))
    assert "ISTIMEWA" in text
    assert "[X] Istimewa [ ] Baik" in text


def test_jpt_form_has_perspektif_and_uses_the_evaluation_predikat_organisasi(org, skps):
    eid = ef.evaluasi(skps.kepala.id, predikat_organisasi=PredikatOrganisasiKinerja.BAIK)
    text = _text(evaluasi_pdf.evaluasi_pdf(org.actors.admin, eid, TODAY))
    for needle in ("BAGI PEJABAT PIMPINAN TINGGI", "Perspektif", "Perspektif Penerima Layanan",
                   "Indeks kepuasan pelanggan", "[X] Baik", "(berdasarkan capaian kinerja organisasi)"):
        assert needle in text, needle
    assert "Aspek" not in text


def test_core_font_fallback_keeps_text_printable(org, skps, monkeypatch):
    monkeypatch.setattr(documents_pdf, "font_paths", lambda: None)
    eid = ef.evaluasi(skps.staf2_skp, status=StatusEvaluasi.DINILAI)
    text = _text(evaluasi_pdf.evaluasi_pdf(org.actors.staf2, eid, TODAY))
    assert "DRAF - belum disetujui atasan pejabat penilai" in text
    assert '"tepat waktu" >= target' in text


def test_readers_and_outsiders(org, skps):
    a = org.actors
    eid = ef.evaluasi(skps.staf2_skp)
    for reader in (a.staf2, a.kasub, a.kepala, a.ketua, a.admin):
        assert evaluasi_pdf.evaluasi_pdf(reader, eid, TODAY).startswith(b"%PDF-")
    with pytest.raises(PermissionDenied):
        evaluasi_pdf.evaluasi_pdf(a.staf, eid, TODAY)
    with pytest.raises(NotFound):
        evaluasi_pdf.evaluasi_pdf(a.staf2, eid + 999, TODAY)
    with read_session() as s:
        rows = s.execute(select(AuditLog.username, AuditLog.note).where(
            AuditLog.action == "evaluasi_cetak", AuditLog.entity_id == str(eid)).order_by(AuditLog.id)).all()
    assert [r.username for r in rows] == [org.usernames[k] for k in ("staf2", "kasub", "kepala", "ketua", "admin")]
    assert "Triwulan I" in rows[0].note


def test_rated_evaluation_shows_the_distribution_curve_of_the_organisational_predikat(org, skps):
    a = org.actors
    settings.update_many(a.admin, {"distribusi_maks_sebagian_besar": 65})
    eid = ef.evaluasi(skps.staf2_skp, predikat_organisasi=PredikatOrganisasiKinerja.BAIK)
    text = _text(evaluasi_pdf.evaluasi_pdf(a.staf2, eid, TODAY))
    for needle in ("POLA DISTRIBUSI (kurva distribusi predikat kinerja pegawai)",
                   "Batas pola distribusi untuk predikat organisasi Baik (SE MenPANRB 3/2023)",
                   "Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik *", "Sangat Baik",
                   "20–65 %",  # Baik under an organisational Baik: at least the largest share, at most the setting
                   "Predikat kinerja pegawai: Baik", "Wajib ada paling sedikit 1 pegawai"):
        assert needle in text, needle
    assert text.index("CAPAIAN KINERJA ORGANISASI") < text.index("POLA DISTRIBUSI") < text.index("HASIL KERJA No")
    assert "belum ditetapkan" not in text


def test_distribution_curve_without_settings_uses_the_default_thresholds(org, skps):
    eid = ef.evaluasi(skps.staf2_skp, status=StatusEvaluasi.DIAJUKAN, rated=False)
    with read_session() as s:
        d = ec.detail(s, org.actors.staf2, ec.load(s, eid))
    text = _text(evaluasi_pdf.render(d, evaluasi_pdf.Lampiran(predikat_organisasi="Sangat Kurang")))
    assert "Batas pola distribusi untuk predikat organisasi Sangat Kurang" in text
    assert "60–90 %" in text and "0–0 %" in text  # Sangat Kurang at least 60 %, no Sangat Baik
    assert "Predikat kinerja pegawai: belum dinilai" in text and " *" not in text
    custom = rules.DistributionRules(sangat_kurang_sk_min=70)
    text = _text(evaluasi_pdf.render(d, evaluasi_pdf.Lampiran(predikat_organisasi="Sangat Kurang",
                                                              distribusi=custom)))
    assert "70–90 %" in text


def test_distribution_curve_note_when_the_organisational_predikat_is_missing(org, skps):
    eid = ef.evaluasi(skps.staf2_skp)
    text = _text(evaluasi_pdf.evaluasi_pdf(org.actors.staf2, eid, TODAY))
    assert "POLA DISTRIBUSI" in text
    assert "Pola distribusi: predikat kinerja organisasi belum ditetapkan." in text
    assert "Batas pola distribusi" not in text
