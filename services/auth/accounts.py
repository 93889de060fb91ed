"""Account administration beyond services.auth: bulk accounts for pegawai, filters, assigned roles.

services.auth owns the single-account actions (reset_password, unlock, set_active, set_roles, accounts,
create_account); this module adds what the Akun Pengguna page needs on top of them.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
from sqlalchemy import select

from db.engine import read_session
from db.models import ASSIGNABLE_ROLES, Pegawai, Role, User, UserRole
from services.auth import login as auth
from services.core import export
from services.core.actor import Actor
from services.core.errors import NotFound
from services.core.uow import unit_of_work

STATUS_FILTERS = ("Semua", "Aktif", "Nonaktif", "Terkunci", "Wajib ganti kata sandi")
TEMP_PASSWORD_COLUMNS = {"nip": "NIP", "nama": "Nama", "password": "Kata Sandi Sementara"}


class TempPassword(NamedTuple):
    nip: str
    nama: str
    password: str


def _require_admin(actor: Actor) -> None:
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat mengelola akun pengguna.")


def search_accounts(actor: Actor, text: str | None = None, status: str = "Semua",
                    role: Role | str | None = None) -> pd.DataFrame:
    """services.auth.accounts() narrowed by a text (name, username, NIP), a status and an assigned role."""
    df = auth.accounts(actor)
    if df.empty:
        return df
    if text and text.strip():
        needle = text.strip().lower()
        hay = (df["nama"].fillna("") + " " + df["nama_pengguna"].fillna("") + " " + df["nip"].fillna("")).str.lower()
        df = df[hay.str.contains(needle, regex=False)]
    mask = {
        "Aktif": df["aktif"], "Nonaktif": ~df["aktif"], "Terkunci": df["terkunci"],
        "Wajib ganti kata sandi": df["wajib_ganti_sandi"],
    }.get(status)
    if mask is not None:
        df = df[mask.astype(bool)]
    if role:
        value = Role(role).value
        df = df[df["peran"].str.split(", ").map(lambda roles: value in roles)]
    return df.reset_index(drop=True)


def assigned_roles(actor: Actor, user_id: int) -> list[Role]:
    """The roles assigned by hand (admin SDM, perencana, kepala satker) to one account."""
    _require_admin(actor)
    with read_session() as s:
        if s.get(User, user_id) is None:
            raise NotFound("Akun tidak ditemukan.")
        found = set(s.scalars(select(UserRole.role).where(UserRole.user_id == user_id)).all())
    return [r for r in ASSIGNABLE_ROLES if r in found]


def pegawai_without_account(actor: Actor) -> pd.DataFrame:
    """Active pegawai who have no login account yet (id, nip, nama)."""
    _require_admin(actor)
    with read_session() as s:
        has_account = select(User.pegawai_id).where(User.pegawai_id.is_not(None))
        rows = s.execute(
            select(Pegawai.id, Pegawai.nip, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang)
            .where(Pegawai.aktif.is_(True), Pegawai.id.not_in(has_account))
            .order_by(Pegawai.nama)
        ).all()
    data = [{"id": r.id, "nip": r.nip, "nama": _nama_lengkap(r.nama, r.gelar_depan, r.gelar_belakang)}
            for r in rows]
    return pd.DataFrame(data, columns=["id", "nip", "nama"])


def _nama_lengkap(nama: str, depan: str | None, belakang: str | None) -> str:
    name = f"{depan.strip()} {nama.strip()}" if depan else nama.strip()
    return f"{name}, {belakang.strip()}" if belakang else name


def create_missing_accounts(actor: Actor, pegawai_ids: list[int] | None = None) -> list[TempPassword]:
    """Accounts for active pegawai without one (all, or only `pegawai_ids`): username = NIP, a temporary
    password to be changed at first login. Returns (nip, nama, password) to hand out once.

    A pegawai whose NIP is already used as a username by an unlinked account is skipped (the admin links or
    renames that account first). Everything is written in one transaction and audited.
    """
    _require_admin(actor)
    todo = pegawai_without_account(actor)
    if pegawai_ids is not None:
        todo = todo[todo["id"].isin([int(i) for i in pegawai_ids])]
    if todo.empty:
        return []
    with read_session() as s:
        taken = set(s.scalars(select(User.username).where(User.username.in_(todo["nip"].tolist()))).all())
    todo = todo[~todo["nip"].isin(taken)]
    if todo.empty:
        return []
    people = list(todo.itertuples(index=False))
    passwords, hashes = zip(*auth.temporary_passwords(len(people)), strict=True)
    with unit_of_work(actor, action="buat_akun") as s:
        s.add_all(User(username=p.nip.lower(), nama=p.nama, password_hash=h, pegawai_id=int(p.id),
                       must_change_password=True, aktif=True)
                  for p, h in zip(people, hashes, strict=True))
    return [TempPassword(p.nip, p.nama, pw) for p, pw in zip(people, passwords, strict=True)]


def temp_passwords_frame(items: list[TempPassword]) -> pd.DataFrame:
    df = pd.DataFrame([i._asdict() for i in items], columns=list(TEMP_PASSWORD_COLUMNS))
    return df.rename(columns=TEMP_PASSWORD_COLUMNS)


def temp_passwords_csv(items: list[TempPassword]) -> bytes:
    """CSV (NIP; Nama; Kata Sandi Sementara) for handing out temporary passwords."""
    return export.to_csv_bytes(temp_passwords_frame(items))


def temp_passwords_excel(items: list[TempPassword]) -> bytes:
    """The same list as .xlsx, where the 18-digit NIPs stay text (a CSV opened in Excel rounds them)."""
    return export.to_excel_bytes({"Kata sandi sementara": temp_passwords_frame(items)})
