"""The demo office: valid NIPs, consistent golongan, five tim with ketua, SOP 000 reporting lines, accounts."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from db.engine import read_session
from db.models import (
    AuditLog,
    Jabatan,
    JenisASN,
    JenisJabatan,
    Pegawai,
    Period,
    ReportingLine,
    Role,
    StatusPeriode,
    TimKerja,
    User,
)
from domain import GOLONGAN_PPPK, golongan_ordinal, parse_nip
from services import demo
from services.auth import login as auth
from services.core import clock
from services.core.actor import SYSTEM
from services.core.errors import Conflict, PermissionDenied

# domain.md §3.4 (jenjang <-> golongan), written out independently of services.demo
PNS_GOLONGAN = {
    "Terampil": {"II/b", "II/c", "II/d"},
    "Mahir": {"III/a", "III/b"},
    "Penyelia": {"III/c", "III/d"},
    "Ahli Pertama": {"III/a", "III/b"},
    "Ahli Muda": {"III/c", "III/d"},
    "Ahli Madya": {"IV/a", "IV/b", "IV/c"},
    "Ahli Utama": {"IV/d", "IV/e"},
}


@pytest.fixture
def loaded(db_snapshot):
    # the demo SKPs are tested in test_demo_skp.py; loaded once per worker and database, copied per test
    result = db_snapshot("demo-without-skp", lambda: demo.load_demo(SYSTEM, with_skp=False))
    assert result.loaded
    return result


def _plain(obj) -> SimpleNamespace:
    return SimpleNamespace(**{c.key: getattr(obj, c.key) for c in obj.__mapper__.column_attrs})


def _pegawai_rows() -> list[tuple[SimpleNamespace, SimpleNamespace]]:
    with read_session() as s:
        rows = s.execute(select(Pegawai, Jabatan).join(Jabatan, Pegawai.jabatan_id == Jabatan.id)).all()
        return [(_plain(p), _plain(j)) for p, j in rows]


def test_roster_is_deterministic_and_valid():
    a, b = demo.roster(), demo.roster()
    assert [r["nip"] for r in a] == [r["nip"] for r in b]
    assert len({r["nip"] for r in a}) == len(a)
    for r in a:
        info = parse_nip(r["nip"])
        assert info.jenis == ("PPPK" if r["orang"].pppk else "PNS")


def test_demo_office_size_and_nips(loaded):
    rows = _pegawai_rows()
    assert 38 <= len(rows) <= 45
    assert loaded.pegawai == len(rows)
    for p, _ in rows:
        info = parse_nip(p.nip)
        assert info.jenis == p.jenis_asn.value
        assert info.tanggal_lahir == p.tanggal_lahir
        assert info.jenis_kelamin == p.jenis_kelamin.value
        assert p.tmt_asn == info.tmt
        assert p.email and "@" in p.email


def test_pppk_present_with_pppk_golongan(loaded):
    pppk = [(p, j) for p, j in _pegawai_rows() if p.jenis_asn == JenisASN.PPPK]
    assert 5 <= len(pppk) <= 8
    assert all(p.golongan in GOLONGAN_PPPK for p, _ in pppk)
    assert {j.jenis for _, j in pppk} >= {JenisJabatan.FUNGSIONAL, JenisJabatan.PELAKSANA}


def test_jenjang_and_golongan_consistent(loaded):
    rows = _pegawai_rows()
    kinds = {j.jenis for _, j in rows}
    assert kinds == {JenisJabatan.JPT, JenisJabatan.PENGAWAS, JenisJabatan.FUNGSIONAL, JenisJabatan.PELAKSANA}
    jenjang_seen, kategori_seen = set(), set()
    for p, j in rows:
        if p.jenis_asn == JenisASN.PPPK:
            continue
        if j.jenis == JenisJabatan.FUNGSIONAL:
            jenjang_seen.add(j.jenjang.value)
            kategori_seen.add(j.kategori.value)
            assert p.golongan in PNS_GOLONGAN[j.jenjang.value], (p.nama, j.nama, p.golongan)
            assert j.nama.endswith(j.jenjang.value)
            assert j.koefisien_ak is not None
        elif j.jenis == JenisJabatan.PELAKSANA:
            assert golongan_ordinal("II/a") <= golongan_ordinal(p.golongan) <= golongan_ordinal("III/d")
        elif j.jenis == JenisJabatan.JPT:
            assert golongan_ordinal(p.golongan) >= golongan_ordinal("IV/a")
        else:
            assert golongan_ordinal(p.golongan) >= golongan_ordinal("III/c")
    assert kategori_seen == {"Keahlian", "Keterampilan"}
    assert {"Ahli Pertama", "Ahli Muda", "Ahli Madya", "Terampil", "Mahir"} <= jenjang_seen


def test_five_tim_with_fungsional_ketua(loaded):
    with read_session() as s:
        tims = s.scalars(select(TimKerja)).all()
        assert len(tims) == 5
        for t in tims:
            ketua = s.get(Pegawai, t.ketua_id)
            assert ketua is not None and ketua.tim_id == t.id
            assert s.get(Jabatan, ketua.jabatan_id).jenis == JenisJabatan.FUNGSIONAL
            members = s.scalar(select(func.count()).select_from(Pegawai).where(Pegawai.tim_id == t.id))
            assert members >= 5


def test_reporting_lines_follow_sop_000(loaded):
    today = clock.today()
    with read_session() as s:
        jab = {j.id: _plain(j) for j in s.scalars(select(Jabatan))}
        people = [_plain(p) for p in s.scalars(select(Pegawai))]
        kepala = next(p for p in people if jab[p.jabatan_id].jenis == JenisJabatan.JPT)
        kasub = next(p for p in people if jab[p.jabatan_id].jenis == JenisJabatan.PENGAWAS)
        ketua_of = {t.id: t.ketua_id for t in s.scalars(select(TimKerja))}
        lines = {
            line.pegawai_id: _plain(line) for line in s.scalars(select(ReportingLine).where(
                ReportingLine.berlaku_mulai <= today,
                (ReportingLine.berlaku_sampai.is_(None)) | (ReportingLine.berlaku_sampai >= today)))
        }
    assert kepala.id not in lines
    assert lines[kasub.id].pejabat_penilai_id == kepala.id
    assert lines[kasub.id].atasan_penilai_id is None
    for p in people:
        if p.id in (kepala.id, kasub.id):
            continue
        line = lines[p.id]  # every non-head pegawai has a line in force
        assert (line.pejabat_penilai_id, line.atasan_penilai_id) == (kasub.id, kepala.id)
        expected = None if ketua_of[p.tim_id] == p.id else ketua_of[p.tim_id]
        assert line.pemberi_pertimbangan_id == expected


def test_accounts_roles_and_period(loaded):
    with read_session() as s:
        users = s.scalars(select(User)).all()
        assert len(users) == loaded.pegawai + 1
        assert not any(u.must_change_password for u in users)
        assert len({u.password_hash for u in users}) == 1  # hashed once
        roles = {u.username: auth.roles_for(s, u) for u in users}
        period = _plain(s.scalar(select(Period)))
    assert roles["admin"] == {Role.ADMIN_SDM}
    assert sum(Role.KEPALA_SATKER in r for r in roles.values()) == 1
    assert sum(Role.PERENCANA in r for r in roles.values()) == 1
    assert sum(Role.PEMBERI_PERTIMBANGAN in r for r in roles.values()) == 5
    assert sum(Role.PENILAI in r for r in roles.values()) == 2  # Kasubbag, and Kepala for the Kasubbag
    assert period.tahun == clock.today().year and period.status == StatusPeriode.DIBUKA
    assert period.periode_evaluasi.value == "Triwulanan"


def test_demo_accounts_listing_and_login(loaded):
    accounts = demo.demo_accounts(SYSTEM)
    assert len(accounts) == loaded.akun
    assert accounts[0]["username"] == "admin"
    assert all(a["password"] == demo.DEMO_PASSWORD for a in accounts)
    plain = next(a for a in accounts if a["roles"] == ["pegawai"])
    result = auth.authenticate(plain["username"], plain["password"])
    assert result.actor.nama == plain["nama"] and not result.must_change_password


def test_second_load_is_refused_without_writing(loaded):
    with read_session() as s:
        audit_before = s.scalar(select(func.count()).select_from(AuditLog))
    skipped = demo.load_demo(SYSTEM, if_empty=True)
    assert not skipped.loaded and "sudah ada" in skipped.message
    with pytest.raises(Conflict):
        demo.load_demo(SYSTEM)
    with read_session() as s:
        assert s.scalar(select(func.count()).select_from(Pegawai)) == loaded.pegawai
        assert s.scalar(select(func.count()).select_from(AuditLog)) == audit_before


def test_load_is_audited_as_demo_data(loaded):
    with read_session() as s:
        actions = set(s.scalars(select(AuditLog.action).where(AuditLog.entity == "Pegawai")))
    assert actions == {"demo_data"}


def test_only_admin_may_load_or_list(org):
    with pytest.raises(PermissionDenied):
        demo.load_demo(org.actors.staf)
    with pytest.raises(PermissionDenied):
        demo.demo_accounts(org.actors.kepala)
