"""Account administration: bulk accounts for pegawai, filters, roles, and refusals for non-admins."""

import io

import pandas as pd
import pytest
from sqlalchemy import select

from db.models import JenisASN, Pegawai, Role, User
from services.auth import accounts
from services.auth import login as auth
from services.core import audit, backup, settings
from services.core.actor import SYSTEM
from services.core.audit import AuditFilter
from services.core.errors import LoginRefused, NotFound, PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work
from services.org import periods


def _add_pegawai(nip, nama, aktif=True, **kw):
    with unit_of_work(SYSTEM) as s:
        p = Pegawai(nip=nip, nama=nama, jenis_asn=JenisASN.PNS, aktif=aktif, **kw)
        s.add(p)
        s.flush()
        return p.id


def test_create_missing_accounts_for_active_pegawai(org):
    new1 = _add_pegawai("199201012018011001", "Agus Salim", gelar_belakang="S.T.")
    _add_pegawai("199302022019022002", "Nonaktif Saja", aktif=False)
    assert accounts.pegawai_without_account(org.actors.admin)["id"].tolist() == [new1]

    created = accounts.create_missing_accounts(org.actors.admin)
    assert created == [accounts.TempPassword("199201012018011001", "Agus Salim, S.T.", created[0].password)]
    nip, nama, password = created[0]
    assert len(password) >= 12 and not auth.password_problems(password, nip, min_length=8)

    result = auth.authenticate(nip, password)
    assert result.must_change_password is True
    assert result.actor.pegawai_id == new1 and Role.PEGAWAI in result.actor.roles
    assert accounts.pegawai_without_account(org.actors.admin).empty
    assert accounts.create_missing_accounts(org.actors.admin) == []  # idempotent

    rows = audit.search(org.actors.admin, AuditFilter(action="buat_akun"))
    assert len(rows) == 1 and rows.iloc[0]["sesudah"]["password_hash"] == "***"


def test_create_missing_accounts_for_chosen_pegawai_only(org):
    a = _add_pegawai("199201012018011001", "Agus Salim")
    b = _add_pegawai("199302022019022002", "Bunga Citra")
    created = accounts.create_missing_accounts(org.actors.admin, pegawai_ids=[b, org.pegawai["staf"]])
    assert [c.nip for c in created] == ["199302022019022002"]
    assert accounts.pegawai_without_account(org.actors.admin)["id"].tolist() == [a]


def test_create_missing_accounts_skips_a_nip_taken_by_another_account(org):
    _add_pegawai("199201012018011001", "Agus Salim")
    with unit_of_work(org.actors.admin) as s:
        auth.create_account(s, username="199201012018011001", nama="Akun lama", password="Sementara123")
    assert accounts.create_missing_accounts(org.actors.admin) == []
    with pytest.raises(LoginRefused):
        auth.authenticate("199201012018011001", "salah-sandi-1")


def test_temp_password_exports(org):
    _add_pegawai("199201012018011001", "=HYPERLINK(\"http://x\")")
    created = accounts.create_missing_accounts(org.actors.admin)
    csv = accounts.temp_passwords_csv(created).decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert lines[0] == "NIP;Nama;Kata Sandi Sementara"
    assert lines[1].startswith('199201012018011001;"\'=HYPERLINK')
    assert created[0].password in lines[1]
    xlsx = pd.read_excel(io.BytesIO(accounts.temp_passwords_excel(created)), dtype=str)
    assert xlsx.iloc[0]["NIP"] == "199201012018011001"  # text, not a rounded number


def test_search_accounts_filters(org):
    admin = org.actors.admin
    assert len(accounts.search_accounts(admin)) == 7
    assert accounts.search_accounts(admin, text="andi")["nama_pengguna"].tolist() == [org.usernames["staf"]]
    assert accounts.search_accounts(admin, text="19900303")["nama"].tolist() == ["Andi Wijaya"]
    must = accounts.search_accounts(admin, status="Wajib ganti kata sandi")
    assert must["nama_pengguna"].tolist() == [org.usernames["pppk"]]
    assert accounts.search_accounts(admin, role=Role.PERENCANA)["nama_pengguna"].tolist() == [org.usernames["ketua"]]
    auth.set_active(admin, org.actors.staf.user_id, False)
    assert accounts.search_accounts(admin, status="Nonaktif")["nama_pengguna"].tolist() == [org.usernames["staf"]]
    assert len(accounts.search_accounts(admin, status="Aktif")) == 6
    assert accounts.search_accounts(admin, status="Terkunci").empty


def test_roles_are_assigned_through_services_auth(org):
    admin, staf = org.actors.admin, org.actors.staf
    assert accounts.assigned_roles(admin, staf.user_id) == []
    auth.set_roles(admin, staf.user_id, [Role.PERENCANA, Role.KEPALA_SATKER])
    assert accounts.assigned_roles(admin, staf.user_id) == [Role.PERENCANA, Role.KEPALA_SATKER]
    assert {Role.PERENCANA, Role.KEPALA_SATKER, Role.PEGAWAI} <= auth.load_actor(staf.username).roles
    with pytest.raises(ValidationFailed):
        auth.set_roles(admin, staf.user_id, [Role.PENILAI])
    with pytest.raises(PermissionDenied):
        auth.set_roles(admin, admin.user_id, [Role.PERENCANA])
    with pytest.raises(NotFound):
        accounts.assigned_roles(admin, 99999)
    rows = audit.search(admin, AuditFilter(action="ubah_peran", entity="User"))
    assert any(r == {"peran": ["kepala_satker", "perencana"]} for r in rows["sesudah"])


def test_admin_cannot_deactivate_self(org):
    with pytest.raises(PermissionDenied, match="sendiri"):
        auth.set_active(org.actors.admin, org.actors.admin.user_id, False)


ADMIN_CALLS = {
    "accounts.search_accounts": lambda a, o: accounts.search_accounts(a),
    "accounts.assigned_roles": lambda a, o: accounts.assigned_roles(a, o.actors.staf.user_id),
    "accounts.pegawai_without_account": lambda a, o: accounts.pegawai_without_account(a),
    "accounts.create_missing_accounts": lambda a, o: accounts.create_missing_accounts(a),
    "auth.accounts": lambda a, o: auth.accounts(a),
    "auth.reset_password": lambda a, o: auth.reset_password(a, o.actors.staf2.user_id),
    "auth.unlock": lambda a, o: auth.unlock(a, o.actors.staf2.user_id),
    "auth.set_active": lambda a, o: auth.set_active(a, o.actors.staf2.user_id, False),
    "auth.set_roles": lambda a, o: auth.set_roles(a, o.actors.staf2.user_id, [Role.ADMIN_SDM]),
    "periods.list_periods": lambda a, o: periods.list_periods(a),
    "periods.create_period": lambda a, o: periods.create_period(a, o.year + 1),
    "periods.update_period": lambda a, o: periods.update_period(
        a, _period_id(), tanggal_mulai=pd.Timestamp(o.year, 1, 1).date(),
        tanggal_selesai=pd.Timestamp(o.year, 12, 31).date(), periode_evaluasi="Bulanan"),
    "periods.close_period": lambda a, o: periods.close_period(a, _period_id()),
    "periods.reopen_period": lambda a, o: periods.reopen_period(a, _period_id()),
    "periods.update_instansi": lambda a, o: periods.update_instansi(a, nama="Instansi Palsu"),
    "settings.update_many": lambda a, o: settings.update_many(a, {"login_maks_gagal": "20"}),
    "audit.search": lambda a, o: audit.search(a, AuditFilter()),
    "audit.facets": lambda a, o: audit.facets(a),
    "backup.restore": lambda a, o: backup.restore(a, "tidak-ada.db", confirm=True),
    "backup.backup": lambda a, o: backup.backup(a, "/tmp/tidak-dipakai"),
}


def _period_id():
    from db.engine import read_session
    from db.models import Period

    with read_session() as s:
        return s.scalar(select(Period.id))


@pytest.mark.parametrize("who", ["staf", "kasub", "kepala", "ketua"])
def test_admin_services_refuse_non_admins(org, who):
    actor = getattr(org.actors, who)
    for name, call in ADMIN_CALLS.items():
        with pytest.raises(PermissionDenied):
            call(actor, org)
            pytest.fail(f"{name} did not refuse {who}")
    # nothing was written by the refused calls
    from db.engine import read_session

    with read_session() as s:
        staf2 = s.scalar(select(User).where(User.id == org.actors.staf2.user_id))
        assert staf2.aktif and not staf2.must_change_password
    assert settings.get("login_maks_gagal") == 5
    assert periods.get_instansi(actor).nama == "Balai Uji Kinerja"
