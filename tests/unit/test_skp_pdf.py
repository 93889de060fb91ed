"""SKP document (PDF): content read back with pypdf, JPT and JA/JF layouts, wrapping, the draft mark, the
font fallback without DejaVu, permissions and the audit row."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.engine import read_session
from db.models import AuditLog
from domain import berakhlak
from services import skp
from services.core import fmt
from services.core.errors import PermissionDenied
from services.documents import pdf as documents_pdf
from services.skp import pdf as skp_pdf
from tests import skp_factories as f

NIP_KEPALA = "197001012000031001"
NIP_KASUB = "198001012005011002"
NIP_STAF = "199003032015031003"


def _text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() or "" for p in reader.pages)


def _flat(text: str) -> str:
    """Wrapped cells break lines anywhere: compare texts with all whitespace collapsed."""
    return " ".join(text.split())


def _kepala_draft(org, rows: list[dict]) -> int:
    """A DRAFT JPT SKP of the head of office holding the given grid rows."""
    a = org.actors
    sid = skp.get_or_create_skp(a.kepala, f.period_id(org))
    skp.save_rhk_grid(a.kepala, sid, f.numbered(rows))
    return sid


def _audit_rows(skp_id: int) -> list[tuple[str, str]]:
    """(username, entity) of the "skp_cetak" audit rows of one SKP."""
    with read_session() as s:
        return [tuple(r) for r in s.execute(select(AuditLog.username, AuditLog.entity).where(
            AuditLog.action == "skp_cetak", AuditLog.entity_id == str(skp_id)).order_by(AuditLog.id))]


def test_approved_ja_skp_contains_identity_tables_lampiran_and_signatures(org):
    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    sid = f.staff_skp(org, "staf", m.rhk[0], submit=False)
    skp.save_lampiran(a.staf, sid, {
        "Dukungan Sumber Daya": ["Aplikasi SAKTI", "Anggaran pelatihan"],
        "Skema Pertanggungjawaban": ["Laporan triwulan kepada Kasubbag"],
        "Konsekuensi": ["Sesuai ketentuan disiplin pegawai"],
    })
    skp.submit(a.staf, sid)
    skp.set_ekspektasi_khusus(a.kasub, sid, {1: "Menjawab surat masuk paling lambat 3 hari kerja"})
    skp.approve(a.kasub, sid)

    data = skp_pdf.skp_pdf(a.staf, sid)
    text = _text(data)
    flat = _flat(text)
    for needle in ("SASARAN KINERJA PEGAWAI", "PENDEKATAN HASIL KERJA KUANTITATIF", "BALAI UJI KINERJA",
                   f"1 Januari s.d. 31 Desember {org.year}", "PEGAWAI YANG DINILAI", "PEJABAT PENILAI KINERJA",
                   "Andi Wijaya", NIP_STAF, "Budi Santoso, S.E.", NIP_KASUB, "Pengatur, II/c", "Penata Tingkat I, III/d",
                   "Penata Layanan Operasional", "Subbagian Administrasi Umum",
                   "HASIL KERJA", "A. UTAMA", "B. TAMBAHAN",
                   "Rencana Hasil Kerja Pimpinan yang Diintervensi", "Indikator Kinerja Individu",
                   "Tersusunnya laporan keuangan bulanan", "Terlaksananya dukungan administrasi 1",
                   "Jumlah laporan keuangan", "Ketepatan waktu penyampaian", "Kuantitas", "Waktu",
                   "12 laporan", "100 %", "PERILAKU KERJA", "Ekspektasi Khusus Pimpinan",
                   "Menjawab surat masuk paling lambat 3 hari kerja",
                   "LAMPIRAN SASARAN KINERJA PEGAWAI", "DUKUNGAN SUMBER DAYA", "Aplikasi SAKTI",
                   "Anggaran pelatihan", "SKEMA PERTANGGUNGJAWABAN", "Laporan triwulan kepada Kasubbag",
                   "KONSEKUENSI", "Sesuai ketentuan disiplin pegawai",
                   "Pegawai yang Dinilai", "Pejabat Penilai Kinerja", f"NIP. {NIP_STAF}", f"NIP. {NIP_KASUB}",
                   f"Medan, {fmt.tanggal(dt.date.today())}"):
        assert needle in flat, needle
    for nilai in berakhlak.NILAI:
        assert nilai.nama in flat
        for guide in nilai.panduan:
            assert _flat(guide) in flat, guide
    assert "DRAFT" not in text
    assert "Perspektif" not in flat
    assert flat.count("Pejabat Penilai Kinerja") == 2  # main part and lampiran both signed
    rows = _audit_rows(sid)
    assert rows == [(a.staf.username, "Skp")]


def test_penilai_and_admin_may_print_an_outsider_may_not(org):
    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    sid = f.staff_skp(org, "staf", m.rhk[0])
    assert "Andi Wijaya" in _text(skp_pdf.skp_pdf(a.kasub, sid))
    assert "Andi Wijaya" in _text(skp_pdf.skp_pdf(a.admin, sid))
    with pytest.raises(PermissionDenied):
        skp_pdf.skp_pdf(a.staf2, sid)
    assert [u for u, _ in _audit_rows(sid)] == [a.kasub.username, a.admin.username]


def test_draft_is_marked_and_dated_today(org):
    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    sid = f.staff_skp(org, "staf", m.rhk[0])
    day = dt.date(org.year, 1, 20)
    text = _text(skp_pdf.skp_pdf(a.staf, sid, today=day))
    assert "DRAFT" in text and "belum disetujui" in text and "Diajukan" in text
    assert f"Medan, 20 Januari {org.year}" in _flat(text)
    d = skp.skp_detail(a.staf, sid)
    assert skp_pdf.filename(d) == f"SKP_{org.year}_{NIP_STAF}_v1_DRAFT.pdf"


def test_jpt_skp_uses_perspektif_column_and_head_has_no_penilai(org):
    a = org.actors
    k = f.kepala_skp(org)
    text = _flat(_text(skp_pdf.skp_pdf(a.kepala, k.id)))
    assert "BAGI PEJABAT PIMPINAN TINGGI" in text
    assert "Perspektif" in text and "Perspektif Penerima Layanan" in text
    assert "Perspektif Penguatan Internal" in text
    assert "Rencana Hasil Kerja Pimpinan yang Diintervensi" not in text and "Aspek" not in text
    assert "Meningkatnya kualitas layanan laboratorium" in text and "Indeks kepuasan pelanggan" in text
    assert "3,5 – 4 indeks" in text and "90 – 95 %" in text and "80 nilai" in text
    assert "dr. Ratna Hapsari, M.K.M." in text and NIP_KEPALA in text
    assert "Pembina Tingkat I, IV/b" in text
    assert skp_pdf.filename(k.detail) == f"SKP_{org.year}_{NIP_KEPALA}_v1.pdf"


def test_long_rhk_wraps_over_pages_with_repeated_headers(org):
    a = org.actors
    long = "Meningkatnya kualitas layanan " + " ".join(f"kegiatan{i}" for i in range(80))
    rows = [f.jpt_row(long, f"Indikator panjang {i} " + "sangat rinci " * 20, 80 + i, None, "%") for i in range(12)]
    sid = _kepala_draft(org, rows)
    data = skp_pdf.skp_pdf(a.kepala, sid)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 4
    text = _flat(_text(data))
    assert "kegiatan0" in text and "kegiatan79" in text and "Indikator panjang 11" in text
    headed = [p for p in reader.pages if "Indikator Kinerja Individu" in _flat(p.extract_text() or "")]
    assert len(headed) >= 2  # the table header repeats on the next page


def test_fallback_core_font_without_dejavu(org, monkeypatch, tmp_path):
    a = org.actors
    monkeypatch.setattr(documents_pdf, "FONT_DIR", tmp_path / "tidak-ada")
    sid = _kepala_draft(org, [
        f.jpt_row("Layanan \u201cprima\u201d \u2013 cepat \u00b7 tepat\u2026 \u2265 95 % \U0001f680 \u014csaka \u011d",
                  "Indeks \u201ckepuasan\u201d \u2013 \u2264 5", 3, 4, "indeks"),
    ])
    text = _flat(_text(skp_pdf.skp_pdf(a.kepala, sid)))
    assert 'Layanan "prima" - cepat - tepat... >= 95 % ? Osaka g' in text
    assert 'Indeks "kepuasan" - <= 5' in text
    assert "3 - 4 indeks" in text and "DRAFT - belum disetujui" in text
    assert "dr. Ratna Hapsari, M.K.M." in text


def test_to_latin1_keeps_latin1_and_replaces_the_rest():
    assert documents_pdf.to_latin1("Café – “ok” · é ✓ ﬁ") == 'Café - "ok" - é ? fi'
    assert skp_pdf.periode_label(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == "1 Januari s.d. 31 Desember 2026"
    assert skp_pdf.periode_label(dt.date(2025, 7, 1), dt.date(2026, 6, 30)) == "1 Juli 2025 s.d. 30 Juni 2026"
