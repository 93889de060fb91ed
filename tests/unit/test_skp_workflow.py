"""SKP workflow: creation, submit, approve, return with notes, locks, refusals, approve_many, audit rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import AuditLog
from domain import berakhlak
from services import skp
from services.core.errors import Conflict, PermissionDenied, ValidationFailed
from tests import skp_factories as f


def _actions() -> list[str]:
    with read_session() as s:
        return list(s.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_three_level_cascade_happy_path(org):
    a = org.actors
    k = f.kepala_skp(org)
    assert k.detail.status == "DISETUJUI" and k.detail.format == "JPT"
    assert [r.uraian for r in k.detail.rhk] == ["Meningkatnya kualitas layanan laboratorium",
                                                "Terwujudnya tata kelola yang akuntabel"]
    assert len(k.detail.rhk[0].iki) == 2 and k.detail.rhk[0].iki[0].target == "3,5 – 4 indeks"
    assert k.detail.rhk[1].perspektif == "Perspektif Penguatan Internal"
    m = f.kasub_skp(org, k.rhk)
    assert m.detail.status == "DISETUJUI" and m.detail.format == "JA/JF"
    assert m.detail.rhk[0].intervensi[0].rhk_id == k.rhk[0]
    assert m.detail.penilai.nip == "197001012000031001"
    sid = f.staff_skp(org, "staf", m.rhk[0])
    d = skp.skp_detail(a.kasub, sid)
    assert d.status == "DIAJUKAN" and d.can_decide and not d.can_edit
    assert len(d.rhk) == 1 and [i.aspek for i in d.rhk[0].iki] == ["Kuantitas", "Waktu"]
    skp.approve(a.kasub, sid)
    d = skp.skp_detail(a.staf, sid)
    assert d.status_label == "Disetujui" and d.locked and d.can_request_revision and not d.can_edit
    assert [v.version_no for v in d.versions] == [1]
    assert {"skp_buat", "skp_simpan_rhk", "skp_ajukan", "skp_setujui"} <= set(_actions())


def test_new_skp_has_snapshots_and_seven_berakhlak_rows(org):
    a = org.actors
    pid = f.period_id(org)
    sid = skp.get_or_create_skp(a.staf, pid)
    assert skp.get_or_create_skp(a.staf, pid) == sid
    d = skp.skp_detail(a.staf, sid)
    assert d.status == "DRAFT" and d.format == "JA/JF" and d.version_no == 1 and d.segment_no == 1
    assert d.pegawai.jabatan == "Penata Layanan Operasional" and d.pegawai.pangkat_golongan.endswith("II/c")
    assert d.penilai.nama == "Budi Santoso, S.E." and d.atasan_penilai.nip == "197001012000031001"
    assert [p.nilai for p in d.perilaku] == [n.nama for n in berakhlak.NILAI]
    assert all(len(p.panduan) == 3 for p in d.perilaku)
    assert d.perilaku[0].panduan[0] == "Memahami dan memenuhi kebutuhan masyarakat"
    assert set(d.lampiran) == {"Dukungan Sumber Daya", "Skema Pertanggungjawaban", "Konsekuensi"}
    assert skp.skp_detail(a.kepala, skp.get_or_create_skp(a.kepala, pid)).format == "JPT"
    with pytest.raises(PermissionDenied):
        skp.get_or_create_skp(a.admin, pid)


def test_read_access(org):
    a = org.actors
    sid = skp.get_or_create_skp(a.staf, f.period_id(org))
    for who in (a.staf, a.kasub, a.kepala, a.admin):
        assert skp.skp_detail(who, sid).id == sid
    for who in (a.staf2, a.ketua, a.pppk):
        with pytest.raises(PermissionDenied):
            skp.skp_detail(who, sid)


def test_nobody_approves_their_own_or_someone_elses_subordinate(org):
    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    sid = f.staff_skp(org, "staf", m.rhk[0])
    with pytest.raises(PermissionDenied, match="sendiri"):
        skp.approve(a.staf, sid)
    for who in (a.staf2, a.kepala, a.admin, a.ketua):
        with pytest.raises(PermissionDenied, match="pejabat penilai"):
            skp.approve(who, sid)
        with pytest.raises(PermissionDenied):
            skp.return_with_notes(who, sid, "Perbaiki")
    assert skp.skp_detail(a.staf, sid).status == "DIAJUKAN"


def test_head_of_office_approved_by_admin_not_by_self(org):
    a = org.actors
    k = f.kepala_skp(org, approve=False)
    with pytest.raises(PermissionDenied, match="sendiri"):
        skp.approve(a.kepala, k.id)
    with pytest.raises(PermissionDenied):
        skp.approve(a.kasub, k.id)
    skp.approve(a.admin, k.id)
    assert skp.skp_detail(a.kepala, k.id).status == "DISETUJUI"


def test_submit_refusals(org):
    a = org.actors
    k = f.kepala_skp(org, approve=False)
    # the penilai's RHK is not yet approved: drafting is allowed, submitting is not
    m = f.kasub_skp(org, k.rhk[:1], submit=False)
    with pytest.raises(ValidationFailed, match="belum disetujui"):
        skp.submit(a.kasub, m.id)
    with pytest.raises(PermissionDenied):
        skp.submit(a.staf, m.id)
    skp.approve(a.admin, k.id)
    skp.submit(a.kasub, m.id)
    with pytest.raises(skp.StatusError):
        skp.submit(a.kasub, m.id)
    # without any RHK Utama
    sid = skp.get_or_create_skp(a.staf, f.period_id(org))
    with pytest.raises(ValidationFailed, match="minimal satu RHK Utama"):
        skp.submit(a.staf, sid)
    skp.save_rhk_grid(a.staf, sid, f.numbered([f.ja_row("Membantu kegiatan lain", jenis="Tambahan")]))
    with pytest.raises(ValidationFailed, match="minimal satu RHK Utama"):
        skp.submit(a.staf, sid)
    assert skp.skp_detail(a.staf, sid).status == "DRAFT"


def test_approved_and_submitted_skp_are_locked(org):
    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk, approve=False)
    with pytest.raises(skp.SkpLocked, match="diverifikasi"):
        skp.save_rhk_grid(a.kasub, m.id, [], [])
    skp.approve(a.kepala, m.id)
    before = skp.grid(a.kasub, m.id)
    with pytest.raises(skp.SkpLocked, match="terkunci"):
        skp.save_rhk_grid(a.kasub, m.id, f.numbered([f.ja_row("Baru", k.rhk[0])]), [])
    with pytest.raises(skp.SkpLocked):
        skp.save_lampiran(a.kasub, m.id, {"Konsekuensi": ["x"]})
    with pytest.raises(skp.SkpLocked):
        skp.set_pendekatan(a.kasub, m.id, "Kualitatif")
    with pytest.raises(skp.SkpLocked):
        skp.set_ekspektasi_khusus(a.kepala, m.id, {1: "x"})
    with pytest.raises(skp.StatusError):
        skp.approve(a.kepala, m.id)
    assert skp.grid(a.kasub, m.id).equals(before)


def test_return_with_notes_then_fix_and_resubmit(org):
    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    sid = f.staff_skp(org, "staf", m.rhk[0])
    rhk_id = skp.skp_detail(a.staf, sid).rhk[0].id
    with pytest.raises(ValidationFailed, match="Catatan"):
        skp.return_with_notes(a.kasub, sid, "  ")
    skp.return_with_notes(a.kasub, sid, "Target terlalu rendah", {rhk_id: "Naikkan target menjadi 24"})
    d = skp.skp_detail(a.staf, sid)
    assert d.status == "DIKEMBALIKAN" and d.catatan_pengembalian == "Target terlalu rendah"
    assert d.rhk[0].catatan_reviu == "Naikkan target menjadi 24" and d.can_edit and d.can_submit
    with read_session() as s:
        row = s.scalar(select(AuditLog).where(AuditLog.action == "skp_kembalikan", AuditLog.entity == "Skp"))
        assert row.note == "Target terlalu rendah" and row.after["status"] == "DIKEMBALIKAN"
    g = skp.grid(a.staf, sid)
    first = g.iloc[0].to_dict()
    first.update(target_min=24, _row=1)
    skp.save_rhk_grid(a.staf, sid, [first], [])
    skp.submit(a.staf, sid)
    skp.approve(a.kasub, sid)
    d = skp.skp_detail(a.staf, sid)
    assert d.status == "DISETUJUI" and d.rhk[0].iki[0].target_min == 24
    assert d.catatan_pengembalian is None and d.rhk[0].catatan_reviu is None
    assert d.decided_by == "Budi Santoso, S.E."


def test_return_refused_for_foreign_rhk_and_wrong_status(org):
    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    sid = f.staff_skp(org, "staf", m.rhk[0])
    with pytest.raises(ValidationFailed):
        skp.return_with_notes(a.kasub, sid, "Perbaiki", {m.rhk[0]: "bukan RHK SKP ini"})
    skp.approve(a.kasub, sid)
    with pytest.raises(skp.StatusError):
        skp.return_with_notes(a.kasub, sid, "Terlambat")


def test_approve_many_all_or_nothing(org):
    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    s1 = f.staff_skp(org, "staf", m.rhk[0])
    s2 = f.staff_skp(org, "staf2", m.rhk[0])
    s3 = f.staff_skp(org, "pppk", m.rhk[0], submit=False)
    with pytest.raises(ValidationFailed) as e:
        skp.approve_many(a.kasub, [s1, s2, s3])
    assert [x.row for x in e.value.errors] == [3] and "Rudi Hartono" in e.value.errors[0].field
    assert skp.skp_detail(a.kasub, s1).status == "DIAJUKAN"
    assert skp.approve_many(a.kasub, [s1, s2]) == 2
    assert {skp.skp_detail(a.kasub, x).status for x in (s1, s2)} == {"DISETUJUI"}
    with pytest.raises(ValidationFailed):
        skp.approve_many(a.kasub, [])


def test_approve_many_refuses_other_penilai_subordinates(org):
    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk, approve=False)
    with pytest.raises(ValidationFailed) as e:
        skp.approve_many(a.staf, [m.id])
    assert "pejabat penilai" in e.value.errors[0].message


def test_ekspektasi_khusus_by_penilai_only(org):
    a = org.actors
    sid = skp.get_or_create_skp(a.staf, f.period_id(org))
    skp.set_ekspektasi_khusus(a.kasub, sid, {1: "Melayani pemohon dalam 1 hari kerja", 7: "Aktif di tim"})
    d = skp.skp_detail(a.staf, sid)
    assert d.perilaku[0].ekspektasi_khusus == "Melayani pemohon dalam 1 hari kerja" and d.perilaku[6].ekspektasi_khusus
    with pytest.raises(PermissionDenied):
        skp.set_ekspektasi_khusus(a.staf, sid, {1: "sendiri"})
    with pytest.raises(ValidationFailed):
        skp.set_ekspektasi_khusus(a.kasub, sid, {8: "tidak ada"})
    with pytest.raises(ValidationFailed):
        skp.set_ekspektasi_khusus(a.kasub, sid, {2: "x" * 1001})


def test_stale_version_is_a_conflict(org):
    a = org.actors
    sid = skp.get_or_create_skp(a.staf, f.period_id(org))
    v = skp.skp_detail(a.staf, sid).row_version
    skp.save_lampiran(a.staf, sid, {"Konsekuensi": ["Teguran"]}, expected_version=v)
    with pytest.raises(Conflict):
        skp.save_lampiran(a.staf, sid, {"Konsekuensi": ["Teguran tertulis"]}, expected_version=v)
    with pytest.raises(Conflict):
        skp.save_rhk_grid(a.staf, sid, [], [], expected_version=v)


def test_lampiran_and_pendekatan(org):
    a = org.actors
    sid = skp.get_or_create_skp(a.staf, f.period_id(org))
    n = skp.save_lampiran(a.staf, sid, {"Dukungan Sumber Daya": ["Anggaran DIPA", " ", "Komputer"],
                                        "Skema Pertanggungjawaban": ["Laporan triwulan"],
                                        "Konsekuensi": ["Tunjangan kinerja sesuai capaian"]})
    assert n == 4
    skp.save_lampiran(a.staf, sid, {"Konsekuensi": ["Teguran"]})
    d = skp.skp_detail(a.staf, sid)
    assert d.lampiran["Dukungan Sumber Daya"] == ("Anggaran DIPA", "Komputer")
    assert d.lampiran["Konsekuensi"] == ("Teguran",)
    with pytest.raises(ValidationFailed) as e:
        skp.save_lampiran(a.staf, sid, {"Konsekuensi": ["ok", "x" * 1001], "Lainnya": ["?"]})
    assert {(x.row, x.field) for x in e.value.errors} == {(2, "Konsekuensi"), (None, "Lainnya")}
    assert skp.skp_detail(a.staf, sid).lampiran["Konsekuensi"] == ("Teguran",)
    with pytest.raises(PermissionDenied):
        skp.save_lampiran(a.kasub, sid, {"Konsekuensi": ["bukan pemilik"]})
    skp.set_pendekatan(a.staf, sid, "Kualitatif")
    assert skp.skp_detail(a.staf, sid).pendekatan == "Kualitatif"
    with pytest.raises(ValidationFailed):
        skp.set_pendekatan(a.staf, sid, "Campuran")
