"""SKP after approval: revision requests, versions and their differences, segments on transfer, signed scans."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import AuditLog, Pegawai, SkpVersion
from services import skp
from services.core import settings
from services.core.actor import SYSTEM
from services.core.errors import NotFound, PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work
from tests import skp_factories as f


@pytest.fixture
def approved_staf(org):
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    sid = f.staff_skp(org, "staf", m.rhk[0])
    skp.approve(org.actors.kasub, sid)
    return org, m, sid


def test_revision_flow_opens_new_version_and_keeps_the_old(approved_staf):
    org, m, sid = approved_staf
    a = org.actors
    with pytest.raises(ValidationFailed):
        skp.request_revision(a.staf, sid, " ")
    with pytest.raises(PermissionDenied):
        skp.request_revision(a.kasub, sid, "bukan pemilik")
    req = skp.request_revision(a.staf, sid, "Ada tugas tambahan dari pimpinan")
    with pytest.raises(skp.StatusError, match="menunggu"):
        skp.request_revision(a.staf, sid, "lagi")
    assert skp.skp_detail(a.staf, sid).pending_revision.id == req
    assert list(skp.revision_queue(a.kasub)["request_id"]) == [req]
    assert skp.revision_queue(a.kepala).empty
    with pytest.raises(PermissionDenied, match="sendiri"):
        skp.accept_revision(a.staf, req)
    with pytest.raises(PermissionDenied):
        skp.accept_revision(a.kepala, req)
    skp.accept_revision(a.kasub, req)
    d = skp.skp_detail(a.staf, sid)
    assert d.status == "DRAFT" and d.version_no == 2 and d.can_edit and [v.version_no for v in d.versions] == [1]
    # edit version 2: change a target, add an RHK Tambahan, remove the Waktu IKI
    g = skp.grid(a.staf, sid)
    first = g.iloc[0].to_dict() | {"target_min": 24, "_row": 1}
    extra = f.ja_row("Menjadi narasumber internal", None, jenis="Tambahan", indikator="Jumlah sesi", tmin=2,
                     satuan="kali") | {"_row": 3}
    skp.save_rhk_grid(a.staf, sid, [first, extra], [int(g.loc[1, "id"])])
    skp.submit(a.staf, sid)
    skp.approve(a.kasub, sid)
    d = skp.skp_detail(a.staf, sid)
    assert d.status == "DISETUJUI" and [v.version_no for v in d.versions] == [1, 2]
    assert d.versions[1].alasan == "Ada tugas tambahan dari pimpinan" and d.versions[0].alasan == "Penetapan SKP"
    v1 = skp.version_snapshot(a.staf, sid, 1)
    assert len(v1["rhk"][0]["iki"]) == 2 and v1["rhk"][0]["iki"][0]["target_min"] == "12"
    diff = skp.version_diff(a.kasub, sid, 1, 2)
    got = set(zip(diff["bagian"], diff["perubahan"], strict=True))
    assert got == {("IKI", "Diubah"), ("IKI", "Dihapus"), ("RHK", "Ditambah"), ("IKI", "Ditambah")}
    changed = diff[diff["perubahan"] == "Diubah"].iloc[0]
    assert "12" in changed["sebelum"] and "24" in changed["sesudah"]
    with pytest.raises(NotFound):
        skp.version_diff(a.staf, sid, 1, 5)
    with pytest.raises(PermissionDenied):
        skp.version_diff(a.staf2, sid, 1, 2)
    with read_session() as s:
        acts = set(s.scalars(select(AuditLog.action)))
        assert {"skp_revisi_diminta", "skp_revisi_diterima"} <= acts
        assert s.scalar(select(SkpVersion.snapshot).where(SkpVersion.version_no == 1,
                                                          SkpVersion.skp_id == sid))["version_no"] == 1


def test_diff_against_the_current_draft(approved_staf):
    org, m, sid = approved_staf
    a = org.actors
    skp.accept_revision(a.kasub, skp.request_revision(a.staf, sid, "Perubahan target"))
    g = skp.grid(a.staf, sid)
    skp.save_rhk_grid(a.staf, sid, [dict(g.iloc[0].to_dict(), rhk="Tersusunnya laporan keuangan", _row=1),
                                    dict(g.iloc[1].to_dict(), rhk="Tersusunnya laporan keuangan", _row=2)], [])
    diff = skp.version_diff(a.staf, sid, 1, 2)
    assert list(diff["kolom"]) == ["Rencana Hasil Kerja"] and diff.iloc[0]["sesudah"] == "Tersusunnya laporan keuangan"


def test_reject_revision_needs_a_note_and_keeps_the_lock(approved_staf):
    org, m, sid = approved_staf
    a = org.actors
    req = skp.request_revision(a.staf, sid, "Ingin mengubah target")
    with pytest.raises(ValidationFailed):
        skp.reject_revision(a.kasub, req, "")
    skp.reject_revision(a.kasub, req, "Target sudah sesuai Perjanjian Kinerja")
    d = skp.skp_detail(a.staf, sid)
    assert d.status == "DISETUJUI" and d.version_no == 1 and d.revisions[0].status == "DITOLAK"
    with pytest.raises(skp.StatusError):
        skp.accept_revision(a.kasub, req)
    draft = skp.get_or_create_skp(a.staf2, m.period_id)
    with pytest.raises(skp.StatusError, match="sudah disetujui"):
        skp.request_revision(a.staf2, draft, "SKP belum disetujui")


def test_transfer_closes_segment_and_opens_new(approved_staf):
    org, m, sid = approved_staf
    a = org.actors
    eff = dt.date(org.year, 7, 1)
    with pytest.raises(PermissionDenied):
        skp.close_segment_and_open_new(a.kasub, org.pegawai["staf"], eff)
    with unit_of_work(SYSTEM) as s:  # SDM records the new position (pegawai page, another feature)
        p = s.get(Pegawai, org.pegawai["staf"])
        p.jabatan_id = org.jabatan["epid"]
        p.unit_id = org.units["root"]
    new = skp.close_segment_and_open_new(a.admin, org.pegawai["staf"], eff)
    segs = skp.my_segments(a.staf, m.period_id)
    assert [(x.segment_no, x.status) for x in segs] == [(1, "DISETUJUI"), (2, "DRAFT")]
    assert segs[0].tanggal_selesai == dt.date(org.year, 6, 30) and segs[1].tanggal_mulai == eff
    assert segs[1].tanggal_selesai == dt.date(org.year, 12, 31) and segs[1].id == new
    assert segs[0].jabatan == "Penata Layanan Operasional" and segs[1].jabatan == "Epidemiolog Kesehatan Ahli Muda"
    old = skp.skp_detail(a.staf, sid)
    assert old.status == "DISETUJUI" and len(old.rhk) == 1  # the closed segment stays readable
    nd = skp.skp_detail(a.staf, new)
    assert nd.segment_no == 2 and nd.rhk == () and len(nd.perilaku) == 7
    with pytest.raises(ValidationFailed):
        skp.close_segment_and_open_new(a.admin, org.pegawai["staf"], eff)  # same day again
    with pytest.raises(ValidationFailed):
        skp.close_segment_and_open_new(a.admin, org.pegawai["staf"], dt.date(org.year, 3, 1))  # before segment 2
    with pytest.raises(ValidationFailed):
        skp.close_segment_and_open_new(a.admin, org.pegawai["staf"], dt.date(org.year + 5, 3, 1))
    assert skp.close_segment_and_open_new(a.admin, org.pegawai["pppk"], eff) is None  # no SKP yet
    mon = skp.monitoring(a.admin, m.period_id).tabel.set_index("nip")
    assert mon.loc["199003032015031003", "status"] == "Draft" and mon.loc["199003032015031003", "segmen"] == 2


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_signed_scan_upload_checks_type_size_and_state(approved_staf):
    org, m, sid = approved_staf
    a = org.actors
    with pytest.raises(ValidationFailed, match="bukan berkas PDF"):
        skp.upload_signed_scan(a.staf, sid, "skp.pdf", b"\x89PNG\r\n....")
    with pytest.raises(ValidationFailed, match="kosong"):
        skp.upload_signed_scan(a.staf, sid, "skp.pdf", b"")
    settings.update_many(a.admin, {"unggah_maks_mb": 1})
    with pytest.raises(ValidationFailed, match="1 MB"):
        skp.upload_signed_scan(a.staf, sid, "skp.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(PermissionDenied):
        skp.upload_signed_scan(a.staf2, sid, "skp.pdf", PDF)
    draft = skp.get_or_create_skp(a.staf2, m.period_id)
    with pytest.raises(skp.StatusError):
        skp.upload_signed_scan(a.staf2, draft, "skp.pdf", PDF)
    doc = skp.upload_signed_scan(a.staf, sid, "../../SKP Andi 2026.PDF", PDF)
    docs = skp.documents(a.kasub, sid)
    assert list(docs["id"]) == [doc] and docs.loc[0, "ukuran"] == len(PDF) and len(docs.loc[0, "sha256"]) == 64
    name, data = skp.document_content(a.admin, doc)
    assert data == PDF and "/" not in name and name.lower().endswith(".pdf")
    with pytest.raises(PermissionDenied):
        skp.document_content(a.pppk, doc)
    assert skp.skp_detail(a.staf, sid).dokumen == 1
