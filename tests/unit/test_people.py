"""Pegawai grid service: validation by row and field, all-or-nothing saves, accounts, deactivation."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.engine import read_session
from db.models import AuditLog, JenisKelamin, Pegawai, User
from services.auth import login as auth
from services.core.errors import Conflict, PermissionDenied, ValidationFailed
from services.org import people
from tests.factories import password_hash

NEW_NIP = "198703152010012001"  # b. 1987-03-15, TMT 2010-01, P, 001
NEW_PPPK = "199001012023211002"


@pytest.fixture(autouse=True)
def fast_hash(monkeypatch):
    """bcrypt costs ~0.25 s: account creation in these tests reuses one precomputed hash."""
    cached = password_hash()
    monkeypatch.setattr(auth, "hash_password", lambda _pw, rounds=12: cached)


def counts() -> dict[str, int]:
    with read_session() as s:
        return {
            "pegawai": s.scalar(select(func.count()).select_from(Pegawai)),
            "users": s.scalar(select(func.count()).select_from(User)),
            "audit": s.scalar(select(func.count()).select_from(AuditLog)),
            "aktif": s.scalar(select(func.count()).select_from(Pegawai).where(Pegawai.aktif.is_(True))),
        }


def new_row(**kw) -> dict:
    row = {"id": None, "nip": NEW_NIP, "nama": "Sri Wahyuni", "golongan": "III/c",
           "jabatan": "Penata Layanan Operasional", "unit": "ADUM", "tim": None, "_row": 7}
    row.update(kw)
    return row


def grid_row(df, current_nip: str, **changes) -> dict:
    match = df["nip"] == current_nip
    rec = df[match].iloc[0].to_dict()
    rec.update(changes)
    rec["_row"] = int(df.index[match][0]) + 1
    return rec


def test_pegawai_df_columns_and_filters(org):
    a = org.actors.admin
    df = people.pegawai_df(a)
    assert list(df.columns) == list(people.COLUMNS)
    assert len(df) == 6
    siti = df[df["nama"] == "Siti Aminah"].iloc[0]
    assert siti["jabatan"] == "Epidemiolog Kesehatan Ahli Muda" and siti["unit"] == "BUK"
    assert siti["tim"] == "Tim Kerja Surveilans" and siti["jenis_kelamin"] == "P"
    assert siti["tanggal_lahir"] == dt.date(1985, 2, 2) and bool(siti["akun"])
    assert set(people.pegawai_df(a, unit_id=org.units["adum"])["unit"]) == {"ADUM"}
    assert len(people.pegawai_df(a, unit_id=org.units["root"])) == 6  # includes sub-units
    assert list(people.pegawai_df(a, text="siti")["nama"]) == ["Siti Aminah"]
    assert list(people.pegawai_df(a, text="1990 0303")["nama"]) == ["Andi Wijaya"]


def test_non_admin_refused(org):
    for actor in (org.actors.staf, org.actors.kepala, org.actors.ketua):
        with pytest.raises(PermissionDenied):
            people.pegawai_df(actor)
        with pytest.raises(PermissionDenied):
            people.save_pegawai(actor, [new_row()], [])
    assert counts()["pegawai"] == 6


def test_add_creates_account_with_must_change(org):
    created = people.save_pegawai(org.actors.admin, [new_row(gelar_belakang="S.K.M.")], [])
    assert [(c.nip, c.nama) for c in created] == [(NEW_NIP, "Sri Wahyuni, S.K.M.")]
    with read_session() as s:
        p = s.scalar(select(Pegawai).where(Pegawai.nip == NEW_NIP))
        assert p.jenis_asn.value == "PNS" and p.golongan == "III/c"
        assert p.tanggal_lahir == dt.date(1987, 3, 15) and p.jenis_kelamin == JenisKelamin.PEREMPUAN
        assert p.tmt_asn == dt.date(2010, 1, 1)
        u = s.scalar(select(User).where(User.pegawai_id == p.id))
        assert u.username == NEW_NIP and u.must_change_password and u.aktif
        actions = set(s.scalars(select(AuditLog.action).where(AuditLog.entity == "Pegawai")))
    assert "simpan_pegawai" in actions


def test_temporary_password_really_works(org, monkeypatch):
    monkeypatch.undo()  # real bcrypt for this one
    created = people.save_pegawai(org.actors.admin, [new_row()], [])
    result = auth.authenticate(NEW_NIP, created[0].temporary_password)
    assert result.must_change_password


def test_errors_name_row_and_field_and_nothing_written(org):
    before = counts()
    rows = [
        new_row(nip="19870315201001200", _row=3),                       # 17 digits
        new_row(nip="198803152010011001", golongan="V/a", _row=4),
        new_row(nip="198903152010011001", jabatan="Jabatan Khayalan", _row=5),
        new_row(nip="199003152015011001", unit="ZZZ", _row=6),
        new_row(nip="199103152015011001", nama="  ", _row=8),
        new_row(nip="199203152015011001", email="bukan-email", tim="Tim Tak Ada", _row=9),
        new_row(nip=NEW_PPPK, jenis_asn="PNS", golongan="IX", _row=10),
    ]
    with pytest.raises(ValidationFailed) as exc:
        people.save_pegawai(org.actors.admin, rows, [])
    got = {(e.row, e.field) for e in exc.value.errors}
    assert got == {(3, "NIP"), (4, "Golongan"), (5, "Jabatan"), (6, "Unit"), (8, "Nama"), (9, "Email"),
                   (9, "Tim"), (10, "Jenis ASN")}
    msgs = {(e.row, e.field): e.message for e in exc.value.errors}
    assert "18 digit" in msgs[(3, "NIP")]
    assert "NIPPPK" in msgs[(10, "Jenis ASN")]
    assert counts() == before


def test_bad_row_blocks_good_rows(org):
    before = counts()
    with pytest.raises(ValidationFailed):
        people.save_pegawai(org.actors.admin, [new_row(_row=1), new_row(nip="123", _row=2)], [])
    assert counts() == before


def test_batch_and_database_duplicates(org):
    with pytest.raises(ValidationFailed) as exc:
        people.save_pegawai(org.actors.admin, [new_row(_row=1), new_row(nama="Lain", _row=2),
                                               new_row(nip="199003032015031003", _row=3)], [])
    msgs = {(e.row, e.field): e.message for e in exc.value.errors}
    assert "ganda" in msgs[(2, "NIP")] and "baris 1" in msgs[(2, "NIP")]
    assert "Andi Wijaya" in msgs[(3, "NIP")]
    assert (1, "NIP") not in msgs


def test_jenis_asn_defaults_from_nip_and_pppk_golongan(org):
    people.save_pegawai(org.actors.admin, [new_row(nip=NEW_PPPK, jenis_asn=None, golongan="9")], [])
    with read_session() as s:
        p = s.scalar(select(Pegawai).where(Pegawai.nip == NEW_PPPK))
        assert p.jenis_asn.value == "PPPK" and p.golongan == "IX"


def test_edit_existing_and_change_nip_renames_account(org):
    a = org.actors.admin
    df = people.pegawai_df(a)
    old = "199003032015031003"
    new_nip = "199003032015031004"
    row = grid_row(df, old, golongan="ii/d", nip=new_nip, email="andi@contoh.go.id")
    assert people.save_pegawai(a, [row], []) == []
    with read_session() as s:
        p = s.get(Pegawai, org.pegawai["staf"])
        assert (p.nip, p.golongan, p.email, p.version) == (new_nip, "II/d", "andi@contoh.go.id", 2)
        assert s.scalar(select(User.username).where(User.pegawai_id == p.id)) == new_nip


def test_ambiguous_jabatan_needs_unit(org):
    from db.models import Jabatan, JenisJabatan
    from services.core.actor import SYSTEM
    from services.core.uow import unit_of_work

    with unit_of_work(SYSTEM) as s:
        s.add(Jabatan(nama="Penata Layanan Operasional", jenis=JenisJabatan.PELAKSANA, unit_id=org.units["root"]))
    with pytest.raises(ValidationFailed) as exc:
        people.save_pegawai(org.actors.admin, [new_row()], [])
    assert "(ADUM)" in exc.value.errors[0].message and exc.value.errors[0].field == "Jabatan"
    people.save_pegawai(org.actors.admin, [new_row(jabatan="Penata Layanan Operasional (BUK)")], [])
    assert "Penata Layanan Operasional (BUK)" in set(people.pegawai_df(org.actors.admin)["jabatan"])


def test_delete_means_deactivate(org):
    a = org.actors.admin
    before = counts()
    people.save_pegawai(a, [], [org.pegawai["staf"]])
    after = counts()
    assert after["pegawai"] == before["pegawai"] and after["aktif"] == before["aktif"] - 1
    with read_session() as s:
        p = s.get(Pegawai, org.pegawai["staf"])
        u = s.scalar(select(User).where(User.pegawai_id == p.id))
        assert not p.aktif and not u.aktif and u.sessions_revoked_at is not None
    assert org.pegawai["staf"] not in set(people.pegawai_df(a)["id"])
    assert org.pegawai["staf"] in set(people.pegawai_df(a, include_inactive=True)["id"])
    assert auth.load_actor(org.usernames["staf"]) is None
    # reactivating through the grid brings the account back
    df = people.pegawai_df(a, include_inactive=True)
    people.save_pegawai(a, [grid_row(df, "199003032015031003", aktif=True)], [])
    assert auth.load_actor(org.usernames["staf"]) is not None


def test_stale_version_is_a_conflict(org):
    a = org.actors.admin
    df = people.pegawai_df(a)
    people.save_pegawai(a, [grid_row(df, "199003032015031003", telepon="0811")], [])
    with pytest.raises(Conflict, match="diubah di tempat lain"):
        people.save_pegawai(a, [grid_row(df, "199003032015031003", telepon="0822")], [])
    with read_session() as s:
        assert s.get(Pegawai, org.pegawai["staf"]).telepon == "0811"


def test_cannot_deactivate_own_pegawai(org):
    with pytest.raises(ValidationFailed):
        people.save_pegawai(replace(org.actors.kepala, roles=org.actors.admin.roles), [], [org.pegawai["kepala"]])


def test_passwords_csv_neutralises_formulas():
    data = people.passwords_csv([people.NewAccount("198703152010012001", "=HYPERLINK()", "abc123XYZ")])
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "NIP;Nama;Nama pengguna;Kata sandi sementara"
    assert "'=HYPERLINK()" in text


# --- property: any batch ends in a full save or a clean refusal -------------------------------------

_valid_nip = st.builds(
    lambda y, m, d, tmt, tm, g, n: f"{y}{m:02d}{d:02d}{y + tmt}{tm:02d}{g}{n:03d}",
    st.integers(1960, 1995), st.integers(1, 12), st.integers(1, 28), st.integers(19, 25), st.integers(1, 12),
    st.sampled_from("12"), st.integers(1, 999),
)
_nip = st.one_of(_valid_nip, _valid_nip, st.text(max_size=20), st.sampled_from(["199003032015031003", ""]))
_row = st.fixed_dictionaries({
    "nip": _nip,
    "nama": st.one_of(st.text(max_size=160), st.just("Nama Pegawai")),
    "golongan": st.one_of(st.none(), st.sampled_from(["III/a", "iv/e", "V/a", "IX", "3b", "x"])),
    "jabatan": st.one_of(st.none(), st.sampled_from(["Penata Layanan Operasional", "Kepala Balai", "??"])),
    "unit": st.one_of(st.none(), st.sampled_from(["ADUM", "buk", "NOPE"])),
    "tim": st.one_of(st.none(), st.sampled_from(["Tim Kerja Surveilans", "Tim X"])),
    "email": st.one_of(st.none(), st.sampled_from(["a@b.id", "salah"])),
    "jenis_asn": st.one_of(st.none(), st.sampled_from(["PNS", "PPPK", "honorer"])),
})


_ORGS: dict = {}


_good_row = st.fixed_dictionaries({
    "nip": _valid_nip,
    "nama": st.sampled_from(["Budi", "Sri Rahayu", "  Ani   Lestari "]),
    "golongan": st.sampled_from([None, "III/a", "iv/e", "2 c"]),
    "jabatan": st.sampled_from([None, "Penata Layanan Operasional"]),
    "unit": st.sampled_from([None, "ADUM", "buk"]),
})


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=st.lists(st.one_of(_good_row, _good_row, _row), min_size=1, max_size=4), deactivate_staf=st.booleans())
def test_random_batches_all_or_nothing(sqlite_db, rows, deactivate_staf):
    from tests.factories import build_org

    if sqlite_db not in _ORGS:  # one organisation per test database, shared by the examples
        _ORGS[sqlite_db] = build_org()
    org = _ORGS[sqlite_db]
    before = counts()
    deleted = [org.pegawai["staf"]] if deactivate_staf else []
    try:
        created = people.save_pegawai(org.actors.admin, [dict(r, _row=i + 1) for i, r in enumerate(rows)], deleted)
    except ValidationFailed as e:
        event("refused")
        assert e.errors and all(err.field for err in e.errors)
        assert counts() == before
    else:
        event("saved")
        after = counts()
        assert after["pegawai"] == before["pegawai"] + len(rows) == before["pegawai"] + len(created)
        assert after["users"] == before["users"] + len(created)
        with read_session() as s:
            saved = set(s.scalars(select(Pegawai.nip)))
        assert {c.nip for c in created} <= saved



def test_nip_used_as_username_of_another_account(org):
    auth.create_admin(org.actors.admin, NEW_NIP, "Akun Lain", "Rahasia123abc")
    with pytest.raises(ValidationFailed) as exc:
        people.save_pegawai(org.actors.admin, [new_row()], [])
    assert (exc.value.errors[0].row, exc.value.errors[0].field) == (7, "NIP")
    assert "nama pengguna" in exc.value.errors[0].message
