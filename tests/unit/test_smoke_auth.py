from db.models import Role
from services.auth import login as auth


def test_roles_from_data(org):
    a = org.actors
    assert a.staf.roles == {Role.PEGAWAI}
    assert Role.PENILAI in a.kasub.roles and Role.ATASAN_PENILAI not in a.kasub.roles
    assert {Role.ATASAN_PENILAI, Role.PENILAI, Role.KEPALA_SATKER} <= a.kepala.roles
    assert {Role.PEMBERI_PERTIMBANGAN, Role.PERENCANA} <= a.ketua.roles
    assert a.admin.roles == {Role.ADMIN_SDM}


def test_login_ok(org):
    r = auth.authenticate(org.usernames["staf"], org.password)
    assert r.actor.pegawai_id == org.pegawai["staf"]
