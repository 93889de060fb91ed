"""Account administration beyond services.auth: bulk accounts for pegawai, filters, assigned roles.

services.auth owns the single-account actions (reset_password, unlock, set_active, set_roles, accounts,
create_account); this module adds what the Akun Pengguna page needs on top of them.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
from sqlalchemy import and_, exists, func, or_, select

from db.engine import read_session
from db.models import ASSIGNABLE_ROLES, LoginThrottle, Pegawai, Role, User, UserRole
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


ACCOUNT_COLUMNS = ["id", "nama_pengguna", "nama", "nip", "peran", "aktif", "terkunci", "wajib_ganti_sandi",
                   "gagal_login", "login_terakhir"]


def _account_filter(text: str | None, status: str, role: Role | str | None):
    """The Akun Pengguna filters as SQL conditions on User (outer-joined to Pegawai and the login counter)."""
    now = auth.now_utc()
    conds = []
    if text and text.strip():
        needle = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{needle}%"
        conds.append(or_(func.lower(User.nama).like(like, escape="\\"),
                         func.lower(User.username).like(like, escape="\\"),
                         func.lower(func.coalesce(Pegawai.nip, "")).like(like, escape="\\")))
    locked = and_(LoginThrottle.locked_until.is_not(None), LoginThrottle.locked_until > now)
    cond = {"Aktif": User.aktif.is_(True), "Nonaktif": User.aktif.is_(False), "Terkunci": locked,
            "Wajib ganti kata sandi": User.must_change_password.is_(True)}.get(status)
    if cond is not None:
        conds.append(cond)
    if role:
        conds.append(exists().where(UserRole.user_id == User.id, UserRole.role == Role(role)))
    return conds


def _account_query(*cols):
    return (select(*cols).select_from(User).outerjoin(Pegawai, Pegawai.id == User.pegawai_id)
            .outerjoin(LoginThrottle, and_(LoginThrottle.scope == auth.SCOPE_ACCOUNT,
                                           LoginThrottle.key == User.username)))


def count_accounts(actor: Actor, text: str | None = None, status: str = "Semua",
                   role: Role | str | None = None) -> int:
    """How many accounts search_accounts lists for the same filters without a limit (for the pager)."""
    _require_admin(actor)
    with read_session() as s:
        return int(s.scalar(_account_query(func.count(User.id)).where(*_account_filter(text, status, role))) or 0)


def search_accounts(actor: Actor, text: str | None = None, status: str = "Semua",
                    role: Role | str | None = None, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    """Accounts by name narrowed by a text (name, username, NIP), a status and an assigned role, filtered and
    paged in SQL (`limit`/`offset`; count_accounts gives the total). Columns ACCOUNT_COLUMNS."""
    _require_admin(actor)
    now = auth.now_utc()
    with read_session() as s:
        q = (_account_query(User.id, User.username, User.nama, Pegawai.nip, User.aktif, LoginThrottle.locked_until,
                            User.must_change_password, LoginThrottle.failures, User.last_login_at)
             .where(*_account_filter(text, status, role)).order_by(User.nama, User.id))
        if limit is not None:
            q = q.limit(limit).offset(max(0, offset))
        found = s.execute(q).all()
        roles: dict[int, list[str]] = {}
        ids = [r[0] for r in found]
        if ids:
            for uid, r in s.execute(select(UserRole.user_id, UserRole.role).where(UserRole.user_id.in_(ids))):
                roles.setdefault(uid, []).append(Role(r).value)
    rows = []
    for uid, username, nama, nip, aktif, locked_until, must, failures, last in found:
        locked = auth._aware(locked_until)  # noqa: SLF001 - same package
        rows.append({"id": uid, "nama_pengguna": username, "nama": nama, "nip": nip,
                     "peran": ", ".join(sorted(roles.get(uid, []))) or "-", "aktif": bool(aktif),
                     "terkunci": bool(locked and locked > now), "wajib_ganti_sandi": bool(must),
                     "gagal_login": int(failures or 0), "login_terakhir": auth._aware(last)})  # noqa: SLF001
    return pd.DataFrame(rows, columns=ACCOUNT_COLUMNS)


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
