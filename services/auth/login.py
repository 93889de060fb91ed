"""Accounts, login with a persisted time-window lockout, cookie revocation, roles derived from data.

The Streamlit side (ui/auth.py) uses streamlit-authenticator for the session state and the signed cookie;
every decision (password check, lockout, revocation, who holds which role) is made here.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import string
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import bcrypt
import jwt
import pandas as pd
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import ASSIGNABLE_ROLES, Pegawai, ReportingLine, Role, User, UserRole
from services.core import audit, clock, settings
from services.core.actor import Actor
from services.core.errors import FieldError, LoginRefused, NotFound, PermissionDenied, ValidationFailed
from services.core.security import FORBIDDEN_COOKIE_KEYS, MIN_COOKIE_KEY_BYTES  # noqa: F401
from services.core.uow import unit_of_work

GENERIC_LOGIN_ERROR = "NIP/nama pengguna atau kata sandi salah."
_DUMMY_HASH = bcrypt.hashpw(b"dummy-password", bcrypt.gensalt(rounds=12)).decode()


now_utc = clock.utcnow


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite returns naive datetimes; they were stored as UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# --- passwords --------------------------------------------------------------------------------------


BCRYPT_ROUNDS = 12
TEMP_PASSWORD_ROUNDS = 10
"""Temporary passwords (must be changed at first login) use a lower cost, so that creating accounts for a
whole office or a large import stays quick; the user's own password always gets BCRYPT_ROUNDS."""


def hash_password(password: str, rounds: int = BCRYPT_ROUNDS) -> str:
    data = password.encode("utf-8")
    if len(data) > 72:
        raise ValueError("Kata sandi terlalu panjang (maksimal 72 byte).")
    return bcrypt.hashpw(data, bcrypt.gensalt(rounds=rounds)).decode()


def temporary_passwords(n: int) -> list[tuple[str, str]]:
    """n fresh temporary passwords with their hashes (bcrypt releases the GIL: hashed on all cores)."""
    passwords = [generate_password() for _ in range(n)]
    if n <= 1:
        return [(pw, hash_password(pw, TEMP_PASSWORD_ROUNDS)) for pw in passwords]
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        hashes = list(pool.map(lambda pw: hash_password(pw, TEMP_PASSWORD_ROUNDS), passwords))
    return list(zip(passwords, hashes, strict=True))


def check_password(password: str, password_hash: str) -> bool:
    data = (password or "").encode("utf-8")
    if len(data) > 72:
        return False
    try:
        return bcrypt.checkpw(data, password_hash.encode())
    except ValueError:
        return False


def password_problems(password: str, username: str = "", min_length: int | None = None) -> list[str]:
    """Reasons a new password is refused (empty list when acceptable)."""
    min_length = min_length or settings.get("password_min_panjang")
    problems = []
    if len(password) < min_length:
        problems.append(f"minimal {min_length} karakter")
    if len(password.encode("utf-8")) > 72:
        problems.append("maksimal 72 byte")
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        problems.append("harus memuat huruf dan angka")
    if username and username.lower() in password.lower():
        problems.append("tidak boleh memuat NIP/nama pengguna")
    return problems


def generate_password(length: int = 12) -> str:
    """A temporary password with letters and digits (ambiguous characters removed)."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0OoIl1")
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c.isdigit() for c in pw) and any(c.isalpha() for c in pw):
            return pw


# --- roles ------------------------------------------------------------------------------------------


def _active_line(on: dt.date):
    return and_(ReportingLine.berlaku_mulai <= on,
                or_(ReportingLine.berlaku_sampai.is_(None), ReportingLine.berlaku_sampai >= on))


def roles_for(session: Session, user: User, on: dt.date | None = None) -> frozenset[Role]:
    """Everyone with a pegawai record is a pegawai; reviewer roles come from reporting lines in force."""
    on = on or clock.today()
    roles = {ur.role for ur in user.roles if ur.role in ASSIGNABLE_ROLES}
    if user.pegawai_id is not None:
        roles.add(Role.PEGAWAI)
        pid = user.pegawai_id
        q = select(ReportingLine.pejabat_penilai_id, ReportingLine.atasan_penilai_id,
                   ReportingLine.pemberi_pertimbangan_id).where(
            _active_line(on),
            or_(ReportingLine.pejabat_penilai_id == pid, ReportingLine.atasan_penilai_id == pid,
                ReportingLine.pemberi_pertimbangan_id == pid),
        )
        for penilai, atasan, pertimbangan in session.execute(q):
            if penilai == pid:
                roles.add(Role.PENILAI)
            if atasan == pid:
                roles.add(Role.ATASAN_PENILAI)
            if pertimbangan == pid:
                roles.add(Role.PEMBERI_PERTIMBANGAN)
    return frozenset(roles)


def _actor(session: Session, user: User) -> Actor:
    return Actor(user_id=user.id, username=user.username, nama=user.nama, pegawai_id=user.pegawai_id,
                 roles=roles_for(session, user))


def load_actor(username: str) -> Actor | None:
    """The actor for an active account, or None."""
    with read_session() as s:
        user = s.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None or not user.aktif:
            return None
        return _actor(s, user)


# --- login and lockout ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    actor: Actor
    must_change_password: bool


def authenticate(username: str, password: str, now: dt.datetime | None = None) -> LoginResult:
    """Check a login. Failed attempts are counted in the database with a time window and lock the account.

    Raises LoginRefused with a message for the user.
    """
    now = now or now_utc()
    username = (username or "").strip().lower().replace(" ", "")
    max_fail = settings.get("login_maks_gagal")
    window = dt.timedelta(minutes=settings.get("login_jendela_menit"))
    lock_for = dt.timedelta(minutes=settings.get("login_kunci_menit"))
    if not username or not password:
        raise LoginRefused("Isi NIP/nama pengguna dan kata sandi.")

    session_actor = Actor(user_id=None, username=username, nama=username)
    with unit_of_work(session_actor, action="login") as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            check_password(password, _DUMMY_HASH)  # same cost as a real check
            audit.record(s, session_actor, "login_gagal", "User", None, note="nama pengguna tidak dikenal")
            raise_after = LoginRefused(GENERIC_LOGIN_ERROR)
        else:
            raise_after = _check_user_login(s, user, password, now, max_fail, window, lock_for)
            if raise_after is None:
                actor = _actor(s, user)
                return LoginResult(actor=actor, must_change_password=user.must_change_password)
    raise raise_after


def _check_user_login(s: Session, user: User, password: str, now: dt.datetime, max_fail: int,
                      window: dt.timedelta, lock_for: dt.timedelta) -> LoginRefused | None:
    """Returns the refusal to raise after the transaction commits (so counters are saved), or None."""
    s.info["actor"] = Actor(user_id=user.id, username=user.username, nama=user.nama)
    locked_until = _aware(user.locked_until)
    if locked_until and locked_until > now:
        audit.record(s, s.info["actor"], "login_ditolak", "User", user.id, note="akun terkunci")
        return LoginRefused(
            f"Akun terkunci karena {max_fail} kali gagal login. Coba lagi setelah "
            f"{_local_hhmm(locked_until)} atau hubungi Admin SDM."
        )
    if not check_password(password, user.password_hash):
        first = _aware(user.first_failed_at)
        if first is None or now - first > window or (locked_until and locked_until <= now):
            user.failed_attempts, user.first_failed_at, user.locked_until = 1, now, None
        else:
            user.failed_attempts += 1
        s.info["audit_action"] = "login_gagal"
        if user.failed_attempts >= max_fail:
            user.locked_until = now + lock_for
            s.info["audit_action"] = "akun_terkunci"
            return LoginRefused(
                f"Akun terkunci selama {int(lock_for.total_seconds() // 60)} menit karena "
                f"{max_fail} kali gagal login."
            )
        left = max_fail - user.failed_attempts
        return LoginRefused(f"{GENERIC_LOGIN_ERROR} Sisa percobaan: {left}.")
    if not user.aktif:
        audit.record(s, s.info["actor"], "login_ditolak", "User", user.id, note="akun nonaktif")
        return LoginRefused("Akun ini tidak aktif. Hubungi Admin SDM.")
    user.failed_attempts, user.first_failed_at, user.locked_until = 0, None, None
    user.last_login_at = now
    return None


def _local_hhmm(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%H.%M")


def verify_cookie_token(token: str | None, key: str, now: dt.datetime | None = None) -> dict | None:
    """Decode the streamlit-authenticator cookie (JWT {username, exp_date}) with our key.

    Returns {"username", "exp_date"} or None when absent, forged (e.g. signed with 'some_key'), or expired.
    """
    if not token or key in FORBIDDEN_COOKIE_KEYS:
        return None
    try:
        data = jwt.decode(token, key, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    if not isinstance(data, dict) or "username" not in data or "exp_date" not in data:
        return None
    try:
        exp = float(data["exp_date"])
    except (TypeError, ValueError):
        return None
    if exp <= (now or now_utc()).timestamp():
        return None
    return {"username": str(data["username"]), "exp_date": exp}


def session_valid(username: str, issued_at: dt.datetime) -> bool:
    """A cookie or live session issued at `issued_at` is still honoured for this user."""
    with read_session() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None or not user.aktif:
            return False
        locked = _aware(user.locked_until)
        if locked and locked > now_utc():
            return False
        revoked = _aware(user.sessions_revoked_at)
        return revoked is None or issued_at > revoked - dt.timedelta(milliseconds=1)


def revoke_sessions(actor: Actor, reason: str = "logout") -> None:
    """Logout: every cookie issued before now stops working (on every device)."""
    if actor.user_id is None:
        return
    with unit_of_work(actor, action=reason) as s:
        user = s.get(User, actor.user_id)
        if user is not None:
            user.sessions_revoked_at = now_utc()


def change_password(actor: Actor, old: str, new: str, confirm: str) -> None:
    errors: list[FieldError] = []
    if new != confirm:
        errors.append(FieldError(None, "Ulangi kata sandi baru", "tidak sama dengan kata sandi baru"))
    for p in password_problems(new, actor.username):
        errors.append(FieldError(None, "Kata sandi baru", p))
    if old and new == old:
        errors.append(FieldError(None, "Kata sandi baru", "harus berbeda dari kata sandi lama"))
    with unit_of_work(actor, action="ganti_password") as s:
        user = s.get(User, actor.user_id) if actor.user_id else None
        if user is None:
            raise NotFound("Akun tidak ditemukan.")
        if not check_password(old, user.password_hash):
            errors.insert(0, FieldError(None, "Kata sandi lama", "salah"))
        if errors:
            raise ValidationFailed(errors)
        now = now_utc()
        user.password_hash = hash_password(new)
        user.must_change_password = False
        user.password_changed_at = now
        user.sessions_revoked_at = now


def must_change_password(actor: Actor) -> bool:
    with read_session() as s:
        user = s.get(User, actor.user_id) if actor.user_id else None
        return bool(user and user.must_change_password)


def credentials_for(username: str) -> dict:
    """streamlit-authenticator credentials for one account (built from the users table)."""
    with read_session() as s:
        user = s.scalar(select(User).where(User.username == username, User.aktif.is_(True)))
        if user is None:
            return {"usernames": {}}
        return {"usernames": {user.username: {
            "name": user.nama, "password": user.password_hash, "email": None,
            "roles": sorted(r.value for r in roles_for(s, user)),
        }}}


# --- account administration (Admin SDM) -------------------------------------------------------------


def _require_admin(actor: Actor) -> None:
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat mengelola akun pengguna.")


def create_account(s: Session, *, username: str, nama: str, password: str | None = None,
                   password_hash: str | None = None, pegawai_id: int | None = None,
                   roles: tuple[Role, ...] = (), must_change: bool = True) -> User:
    """Create an account inside an open unit of work (used by admin pages, import and the CLI).

    Give the password, or its hash when many accounts are made at once (see `temporary_passwords`)."""
    username = username.strip().lower()
    if s.scalar(select(User.id).where(User.username == username)):
        raise ValidationFailed([FieldError(None, "Nama pengguna", f"'{username}' sudah dipakai")])
    if password_hash is None:
        if password is None:
            raise ValueError("password or password_hash is required")
        password_hash = hash_password(password, TEMP_PASSWORD_ROUNDS if must_change else BCRYPT_ROUNDS)
    user = User(username=username, nama=nama, password_hash=password_hash, pegawai_id=pegawai_id,
                must_change_password=must_change, aktif=True)
    user.roles = [UserRole(role=r) for r in roles if r in ASSIGNABLE_ROLES]
    s.add(user)
    s.flush()
    return user


def create_admin(actor: Actor, username: str, nama: str, password: str, must_change: bool = False) -> int:
    if actor.user_id is not None:
        _require_admin(actor)
    problems = password_problems(password, username)
    if problems:
        raise ValidationFailed([FieldError(None, "Kata sandi", p) for p in problems])
    with unit_of_work(actor, action="buat_akun") as s:
        return create_account(s, username=username, nama=nama, password=password,
                              roles=(Role.ADMIN_SDM,), must_change=must_change).id


def accounts(actor: Actor) -> pd.DataFrame:
    _require_admin(actor)
    now = now_utc()
    with read_session() as s:
        users = s.scalars(select(User).order_by(User.nama)).all()
        nip = dict(s.execute(select(Pegawai.id, Pegawai.nip)).all())
        rows = []
        for u in users:
            locked = _aware(u.locked_until)
            rows.append({
                "id": u.id, "nama_pengguna": u.username, "nama": u.nama, "nip": nip.get(u.pegawai_id),
                "peran": ", ".join(sorted(r.role.value for r in u.roles)) or "-",
                "aktif": u.aktif, "terkunci": bool(locked and locked > now),
                "wajib_ganti_sandi": u.must_change_password,
                "gagal_login": u.failed_attempts, "login_terakhir": _aware(u.last_login_at),
            })
    return pd.DataFrame(rows)


def _admin_target(s: Session, actor: Actor, user_id: int) -> User:
    _require_admin(actor)
    user = s.get(User, user_id)
    if user is None:
        raise NotFound("Akun tidak ditemukan.")
    return user


def reset_password(actor: Actor, user_id: int) -> str:
    """Set a temporary password the user must change at next login; returns it to show once."""
    temp = generate_password()
    with unit_of_work(actor, action="reset_password") as s:
        user = _admin_target(s, actor, user_id)
        user.password_hash = hash_password(temp, TEMP_PASSWORD_ROUNDS)
        user.must_change_password = True
        user.sessions_revoked_at = now_utc()
        user.failed_attempts, user.first_failed_at, user.locked_until = 0, None, None
    return temp


def unlock(actor: Actor, user_id: int) -> None:
    with unit_of_work(actor, action="buka_kunci") as s:
        user = _admin_target(s, actor, user_id)
        user.failed_attempts, user.first_failed_at, user.locked_until = 0, None, None


def set_active(actor: Actor, user_id: int, active: bool) -> None:
    with unit_of_work(actor, action="aktifkan_akun" if active else "nonaktifkan_akun") as s:
        user = _admin_target(s, actor, user_id)
        if not active and user.id == actor.user_id:
            raise PermissionDenied("Anda tidak dapat menonaktifkan akun Anda sendiri.")
        user.aktif = active
        if not active:
            user.sessions_revoked_at = now_utc()


def set_roles(actor: Actor, user_id: int, roles: list[Role]) -> None:
    """Assign admin SDM / perencana / kepala satker. Reviewer roles come from reporting lines, not here."""
    bad = [r for r in roles if r not in ASSIGNABLE_ROLES]
    if bad:
        raise ValidationFailed([FieldError(None, "Peran", f"'{r}' tidak dapat ditetapkan manual") for r in bad])
    with unit_of_work(actor, action="ubah_peran") as s:
        user = _admin_target(s, actor, user_id)
        if user.id == actor.user_id and Role.ADMIN_SDM not in roles:
            raise PermissionDenied("Anda tidak dapat mencabut peran Admin SDM dari akun Anda sendiri.")
        before = sorted(r.role.value for r in user.roles)
        user.roles = [UserRole(role=r) for r in dict.fromkeys(roles)]
        audit.record(s, actor, "ubah_peran", "User", user.id, {"peran": before},
                     {"peran": sorted(r.value for r in dict.fromkeys(roles))})
