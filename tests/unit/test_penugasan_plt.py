"""Plt/Plh: the Admin SDM grid (errors by row, overlaps, refusals), the holder's review rights for the acting
pegawai only inside the dates (SKP verification, logbook review, evaluation queue), "Plh."/"Plt." on signature
blocks and the kop's head, and the audit - on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.engine import read_session
from db.models import AuditLog, Role, Skp, StatusSkp
from services import logbook, skp
from services.auth import login as auth
from services.core.errors import PermissionDenied, ValidationFailed
from services.documents import office_identity
from services.org import penugasan
from tests import logbook_factories as lf
from tests import skp_factories as f
from tests.factories import build_org

NIP_KASUB = "198001012005011002"
NIP_KETUA = "198502022010122001"
NIP_STAF = "199003032015031003"
D = dt.date


def _row(no, pegawai, jenis, a, b, pejabat=None, jabatan=None, sk="800/PLH/2026", **kw):
    return {"id": None, "_row": no, "pegawai": pegawai, "jenis": jenis, "pejabat": pejabat, "jabatan": jabatan,
            "tanggal_mulai": a, "tanggal_selesai": b, "nomor_sk": sk, "tanggal_sk": None, "keterangan": None, **kw}


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def org26(db):
    return build_org(lf.ORG_YEAR)


def test_plh_verifies_skp_inside_the_dates_only_and_signs_as_plh(org26, clock):
    org = org26
    a, b = D(2026, 2, 2), D(2026, 2, 13)
    out = penugasan.save_grid(org.actors.admin, [_row(1, NIP_KETUA, "Plh", a, b, pejabat=NIP_KASUB)])
    assert out.ditambah == 1 and "1 ditambah" in out.pesan
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    sid = f.staff_skp(org, "staf", m.rhk[0])

    clock.set(b + dt.timedelta(days=1))  # the day after: no rights
    ketua = auth.load_actor(org.usernames["ketua"])
    assert ketua.acting_for == frozenset() and Role.PENILAI not in ketua.roles
    with pytest.raises(PermissionDenied):
        skp.approve(ketua, sid)
    clock.set(a - dt.timedelta(days=1))  # the day before: none either
    ketua = auth.load_actor(org.usernames["ketua"])
    with pytest.raises(PermissionDenied):
        skp.approve(ketua, sid)

    clock.set(a + dt.timedelta(days=2))
    ketua = auth.load_actor(org.usernames["ketua"])
    assert ketua.acting_for == frozenset({org.pegawai["kasub"]}) and Role.PENILAI in ketua.roles
    assert sid in set(skp.queue_for_penilai(ketua)["skp_id"])
    assert penugasan.my_assignments(ketua)[0].startswith("Anda bertindak sebagai Plh. Kepala Subbagian")
    text = _pdf_text(skp.skp_pdf(org.actors.staf, sid))
    assert "Plh. Kepala Subbagian Administrasi Umum" in text and "Siti Aminah" in text
    skp.approve(ketua, sid)
    with read_session() as s:
        assert s.get(Skp, sid).status == StatusSkp.DISETUJUI
        who = s.scalar(select(AuditLog.username).where(AuditLog.entity == "Skp", AuditLog.entity_id == str(sid))
                       .order_by(AuditLog.id.desc()).limit(1))
    assert who == org.usernames["ketua"]
    # the holder himself keeps his rights; the acting pegawai never reviews himself
    assert Role.PENILAI in auth.load_actor(org.usernames["kasub"]).roles
    # outside the dates the holder signs himself
    assert penugasan.signer_for(org.pegawai["kasub"], b + dt.timedelta(days=1)) is None
    assert penugasan.signer_for(org.pegawai["kasub"], a).prefix == "Plh."


def test_plh_reviews_logbook_inside_the_dates_and_is_refused_after(org26, clock):
    org = org26
    sk = lf.approved_skps(org)
    logbook.save_month(org.actors.staf, 2026, 3, lf.numbered([lf.row(D(2026, 3, d), "08:00", "09:00",
                                                                     sk.staf_rhk[0].label) for d in (2, 3)]),
                       today=lf.TODAY)
    ids = [int(i) for i in logbook.month_grid(org.actors.staf, 2026, 3)["id"]]
    logbook.submit(org.actors.staf, ids, today=lf.TODAY)
    penugasan.save_grid(org.actors.admin, [_row(1, NIP_KETUA, "Plh", D(2026, 3, 30), D(2026, 4, 3),
                                                pejabat=NIP_KASUB)])
    clock.set(D(2026, 3, 31))
    ketua = auth.load_actor(org.usernames["ketua"])
    assert sorted(logbook.review_queue(ketua)["id"]) == sorted(ids)
    assert logbook.review(ketua, ids[:1], "setujui") == 1
    clock.set(D(2026, 4, 6))
    ketua = auth.load_actor(org.usernames["ketua"])
    with pytest.raises(PermissionDenied):
        logbook.review(ketua, ids[1:], "setujui")


def test_plt_of_the_kepala_signs_the_kop_identity(org26, clock):
    org = org26
    penugasan.save_grid(org.actors.admin, [_row(1, NIP_KASUB, "Plt", D(2026, 5, 1), D(2026, 5, 31),
                                                jabatan="Kepala Balai", sk="KP.01/2026")])
    clock.set(D(2026, 5, 4))
    kepala = office_identity().kepala
    assert kepala is not None and kepala.plt == "Plt." and kepala.nama.startswith("Budi Santoso")
    assert kepala.jabatan == "Kepala Balai"
    clock.set(D(2026, 6, 1))
    assert office_identity().kepala.plt is None
    clock.set(D(2026, 5, 4))
    kasub = auth.load_actor(org.usernames["kasub"])
    assert org.pegawai["kepala"] in kasub.acting_for and Role.ATASAN_PENILAI in kasub.roles


def test_grid_errors_overlaps_and_refusals(org26):
    org = org26
    admin = org.actors.admin
    a, b = D(2026, 7, 1), D(2026, 7, 10)
    penugasan.save_grid(admin, [_row(1, NIP_KETUA, "Plh", a, b, pejabat=NIP_KASUB)])
    with pytest.raises(ValidationFailed) as exc:
        penugasan.save_grid(admin, [
            _row(1, NIP_STAF, "Plh", b, b + dt.timedelta(days=3), pejabat=NIP_KASUB),  # overlaps the stored one
            _row(2, NIP_STAF, "Plx", a, b, pejabat=NIP_KETUA),
            _row(3, NIP_STAF, "Plt", a, b, pejabat=NIP_STAF),
            _row(4, NIP_STAF, "Plt", b, a, jabatan="Jabatan Fiktif", sk=""),
            _row(5, NIP_STAF, "Plt", a, b),
        ])
    got = {(e.row, e.field) for e in exc.value.errors}
    assert got == {(1, "Mulai"), (2, "Jenis"), (3, "Menggantikan (NIP pejabat)"), (4, "Sampai"), (4, "Jabatan"),
                   (4, "Nomor SK"), (5, "Menggantikan (NIP pejabat)")}
    assert len(penugasan.grid(admin)) == 1
    rows = penugasan.grid(admin).to_dict("records")
    out = penugasan.save_grid(admin, [dict(rows[0], tanggal_selesai=D(2026, 7, 3), _row=1,
                                           _changed=["tanggal_selesai"])])
    assert out.diubah == 1 and penugasan.grid(admin)["tanggal_selesai"].tolist() == [D(2026, 7, 3)]
    with read_session() as s:
        acts = s.scalars(select(AuditLog.action).where(AuditLog.entity == "PenugasanPlt")).all()
    assert len(acts) == 2
    with pytest.raises(PermissionDenied):
        penugasan.grid(org.actors.kasub)
    with pytest.raises(PermissionDenied):
        penugasan.save_grid(org.actors.kepala, [_row(1, NIP_STAF, "Plh", a, b, pejabat=NIP_KASUB)])
    assert penugasan.save_grid(admin, [], [int(rows[0]["id"])]).dihapus == 1
