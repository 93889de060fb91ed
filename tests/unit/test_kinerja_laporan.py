"""Laporan Kinerja workflow (SOP 001 steps 6–9): narrative by the Perencana, Kasubbag ADUM review YA/TIDAK loop,
Kepala ratification, archive (signed scan, proof of sending); each transition and refusal, audit rows, and the
DOCX with the narrative, the indicator table and the charts as images."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import AuditLog
from services.core import clock
from services.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from services.kinerja import kertas, laporan
from tests import kinerja_factories as kf

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def frozen(org):
    with clock.frozen(dt.date(org.year, 12, 20)):
        yield org


def _ratified(org, bulan: int = 3) -> None:
    tim2 = kf.build_pk(org)
    y = org.year
    for b in range(1, bulan + 1):
        kf.submit_month(org, tim2, y, b)
    kertas.susun(org.actors.ketua, y, "bulan", bulan)
    kertas.ajukan(org.actors.ketua, y, "bulan", bulan)
    kertas.periksa(org.actors.kasub, y, "bulan", bulan)
    kertas.sahkan(org.actors.kepala, y, "bulan", bulan)


def _narasi(org, bulan=3, ikhtisar="Capaian triwulan pertama baik."):
    grid = laporan.narasi_grid(org.actors.ketua, org.year, bulan)
    grid.loc[grid["Kode"] == "I1", "Penyebab Keberhasilan/Kegagalan"] = "Sampel rutin terkirim tepat waktu."
    grid.loc[grid["Kode"] == "I1", "Alternatif Solusi"] = "Jadwal pengiriman mingguan."
    return laporan.simpan_narasi(org.actors.ketua, org.year, bulan,
                                 {"ikhtisar": ikhtisar, "pendahuluan": "Balai uji.", "penutup": "Terus tingkatkan."},
                                 grid)


def _actions(entity_id: int) -> list[str]:
    with read_session() as s:
        return list(s.scalars(select(AuditLog.action).where(AuditLog.entity == "LaporanKinerja",
                                                            AuditLog.entity_id == str(entity_id))
                              .order_by(AuditLog.id)))


def test_full_loop_with_return_and_archive(frozen):
    org = frozen
    y = org.year
    _ratified(org)
    assert laporan.get(org.actors.kepala, y, 3)["ada"] is False
    lid = _narasi(org)
    v = laporan.get(org.actors.kepala, y, 3)
    assert v["status"] == "DRAFT" and v["narasi"]["ikhtisar"].startswith("Capaian")
    assert v["narasi"]["indikator"] == {str(laporan.narasi_grid(org.actors.ketua, y, 3)["indikator_id"][0]): {
        "analisis": "Sampel rutin terkirim tepat waktu.", "solusi": "Jadwal pengiriman mingguan.",
        "efisiensi": None, "perbandingan": None}}
    laporan.ajukan(org.actors.ketua, y, 3)
    with pytest.raises(ServiceError):  # submitted: narrative locked
        _narasi(org)
    with pytest.raises(ValidationFailed):  # TIDAK needs notes
        laporan.reviu(org.actors.kasub, y, 3, False, " ")
    laporan.reviu(org.actors.kasub, y, 3, False, "Lengkapi analisis efisiensi.")
    v = laporan.get(org.actors.kepala, y, 3)
    assert v["status"] == "DIKEMBALIKAN" and v["catatan_review"] == "Lengkapi analisis efisiensi."
    _narasi(org, ikhtisar="Capaian triwulan pertama baik; efisiensi dijelaskan.")
    laporan.ajukan(org.actors.ketua, y, 3)
    laporan.reviu(org.actors.kasub, y, 3, True)
    v = laporan.get(org.actors.kepala, y, 3)
    assert v["status"] == "DISETUJUI"
    assert list(v["reviu"]["Keputusan"]) == ["TIDAK", "YA"] and list(v["reviu"]["Putaran"]) == [1, 2]
    laporan.sahkan(org.actors.kepala, y, 3)
    v = laporan.get(org.actors.kepala, y, 3)
    assert v["status"] == "DISAHKAN" and v["ada_dokumen"]
    stored = laporan.laporan_docx(org.actors.kepala, y, 3)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(stored)).paragraphs)
    assert "efisiensi dijelaskan" in text and "Sampel rutin terkirim tepat waktu." in text

    laporan.unggah_scan(org.actors.ketua, y, 3, "lkj_maret.pdf", PDF)
    assert laporan.scan(org.actors.kepala, y, 3) == ("lkj_maret.pdf", PDF)
    kid = laporan.catat_pengiriman(org.actors.ketua, y, 3, clock.today(), "e-Performance",
                                   tautan="https://e-performance.kemkes.go.id/bukti/1")
    laporan.catat_pengiriman(org.actors.ketua, y, 3, clock.today(), "E-mail ke kementerian", nama="email.pdf",
                             content=PDF)
    v = laporan.get(org.actors.kepala, y, 3)
    assert list(v["pengiriman"]["Kanal"]) == ["e-Performance", "E-mail ke kementerian"]
    assert laporan.bukti_pengiriman(org.actors.kepala, kid) is None
    arsip = laporan.arsip(org.actors.kepala, y)
    assert arsip.loc[0, "Pindaian"] == "lkj_maret.pdf"
    assert arsip.loc[0, "Dikirim ke"] == "E-mail ke kementerian, e-Performance"
    acts = _actions(lid)
    for a in ("narasi_laporan_kinerja", "ajukan_laporan_kinerja", "reviu_laporan_kinerja", "sahkan_laporan_kinerja",
              "arsip_scan_laporan_kinerja"):
        assert a in acts, acts


def test_refusals(frozen):
    org = frozen
    y = org.year
    _ratified(org)
    with pytest.raises(PermissionDenied):  # only the Perencana writes the narrative
        laporan.simpan_narasi(org.actors.staf, y, 3, {"ikhtisar": "x"}, laporan.narasi_grid(org.actors.ketua, y, 3))
    with pytest.raises(NotFound):
        laporan.ajukan(org.actors.ketua, y, 3)
    _narasi(org, ikhtisar="")
    with pytest.raises(ValidationFailed):  # Ikhtisar Eksekutif required
        laporan.ajukan(org.actors.ketua, y, 3)
    _narasi(org)
    with pytest.raises(ServiceError):  # review before submission
        laporan.reviu(org.actors.kasub, y, 3, True)
    laporan.ajukan(org.actors.ketua, y, 3)
    with pytest.raises(PermissionDenied):  # the Kepala does not review
        laporan.reviu(org.actors.kepala, y, 3, True)
    with pytest.raises(PermissionDenied):  # the Kasubbag does not ratify
        laporan.sahkan(org.actors.kasub, y, 3)
    with pytest.raises(ServiceError):  # the Kepala ratifies only after YA
        laporan.sahkan(org.actors.kepala, y, 3)
    laporan.reviu(org.actors.kasub, y, 3, True)
    with pytest.raises(ServiceError):  # archive only once ratified
        laporan.unggah_scan(org.actors.ketua, y, 3, "scan.pdf", PDF)
    laporan.sahkan(org.actors.kepala, y, 3)
    with pytest.raises(ServiceError):  # ratified: locked
        _narasi(org)
    with pytest.raises(ValidationFailed) as e:
        laporan.catat_pengiriman(org.actors.ketua, y, 3, clock.today() + dt.timedelta(days=1), "Faks")
    fields = {x.field for x in e.value.errors}
    assert {"Kanal", "Bukti", "Tanggal"} <= fields
    with pytest.raises(ValidationFailed):
        laporan.catat_pengiriman(org.actors.ketua, y, 3, clock.today(), "Website", tautan="javascript:alert(1)")
    with pytest.raises(PermissionDenied):
        laporan.catat_pengiriman(org.actors.staf, y, 3, clock.today(), "Website", tautan="https://bbkk.go.id")


def test_submission_needs_a_ratified_kertas_kerja(frozen):
    org = frozen
    y = org.year
    kf.build_pk(org)
    with pytest.raises(NotFound):
        laporan.narasi_grid(org.actors.ketua, y, 2)
    kertas.susun(org.actors.ketua, y, "bulan", 2)
    _narasi(org, bulan=2)
    with pytest.raises(ServiceError, match="belum disahkan"):
        laporan.ajukan(org.actors.ketua, y, 2)


def test_draft_docx_has_table_charts_and_last_year(frozen):
    org = frozen
    y = org.year
    _ratified(org)
    _narasi(org)
    data = laporan.laporan_docx(org.actors.kepala, y, 3)
    d = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in d.paragraphs)
    for head in ("IKHTISAR EKSEKUTIF", "BAB I PENDAHULUAN", "BAB II PERENCANAAN KINERJA",
                 "BAB III AKUNTABILITAS KINERJA", "BAB IV PENUTUP", "LAMPIRAN: PERJANJIAN KINERJA"):
        assert head in text
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert "Jumlah sampel diperiksa" in cells and "36,00" in cells  # I1 cumulative 12 × 3
    assert len(d.inline_shapes) >= 5  # capaian, three indicators, S-curve
    assert "Sampel rutin terkirim tepat waktu." in text
