"""Accounts, login with throttling that outsiders cannot turn against a user, server-side sessions, roles.

The Streamlit side (ui/auth.py) uses streamlit-authenticator for the session state and the signed cookie;
every decision (password check, lockout, revocation, who holds which role) is made here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import string
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import overload

import bcrypt
import jwt
import pandas as pd
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from db.engine import read_session, session_factory
from db.models import (
    ASSIGNABLE_ROLES,
    AnggotaTimPenyusun,
    LoginThrottle,
    Pegawai,
    ReportingLine,
    Role,
    SkTimPenyusun,
    User,
    UserRole,
    UserSession,
)
from services.core import acting, audit, clock, settings
from services.core.actor import Actor
from services.core.errors import FieldError, LoginRefused, NotFound, PermissionDenied, ValidationFailed
from services.core.security import FORBIDDEN_COOKIE_KEYS, MIN_COOKIE_KEY_BYTES  # noqa: F401
from services.core.uow import unit_of_work

GENERIC_LOGIN_ERROR = "NIP/nama pengguna atau kata sandi salah."


now_utc = clock.utcnow


@overload
def _aware(value: dt.datetime) -> dt.datetime: ...
@overload
def _aware(value: dt.datetime | None) -> dt.datetime | None: ...
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


def hash_password(password: str, rounds: int | None = None) -> str:
    """bcrypt hash at `rounds` (default BCRYPT_ROUNDS, read when called: the test suite lowers both costs)."""
    data = password.encode("utf-8")
    if len(data) > 72:
        raise ValueError("Kata sandi terlalu panjang (maksimal 72 byte).")
    return bcrypt.hashpw(data, bcrypt.gensalt(rounds=rounds if rounds is not None else BCRYPT_ROUNDS)).decode()


_DUMMY_HASH = hash_password("dummy-password")  # checked for unknown usernames, so both answers take as long


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


def roles_for(session: Session, user: User, on: dt.date | None = None,
              acting_for: frozenset[int] | None = None) -> frozenset[Role]:
    """Everyone with a pegawai record is a pegawai; reviewer roles come from reporting lines in force (their own
    and those of the holders they act for on `on`: `acting_for` when the caller has them already)."""
    on = on or clock.today()
    roles = {ur.role for ur in user.roles if ur.role in ASSIGNABLE_ROLES}
    if user.pegawai_id is not None:
        roles.add(Role.PEGAWAI)
        if acting_for is None:
            acting_for = acting.acting_for_ids(session, user.pegawai_id, on)
        ids = {user.pegawai_id} | set(acting_for)
        q = select(ReportingLine.pejabat_penilai_id, ReportingLine.atasan_penilai_id,
                   ReportingLine.pemberi_pertimbangan_id).where(
            _active_line(on), ReportingLine.pegawai_id != user.pegawai_id,
            or_(ReportingLine.pejabat_penilai_id.in_(ids), ReportingLine.atasan_penilai_id.in_(ids),
                ReportingLine.pemberi_pertimbangan_id.in_(ids)),
        )
        for penilai, atasan, pertimbangan in session.execute(q):
            if penilai in ids:
                roles.add(Role.PENILAI)
            if atasan in ids:
                roles.add(Role.ATASAN_PENILAI)
            if pertimbangan in ids:
                roles.add(Role.PEMBERI_PERTIMBANGAN)
        if _tim_penyusun(session, user.pegawai_id, on):
            roles.add(Role.PERENCANA)  # the services check the year (services.kinerja.common.is_perencana_for)
    return frozenset(roles)


def _tim_penyusun(session: Session, pegawai_id: int, on: dt.date) -> bool:
    """A member of the SK Tim Penyusun Laporan Kinerja of this year, or of last year until the annual report is
    done (January–March), works with the Perencana pages (SOP 001 steps 1–2)."""
    years = [on.year, on.year - 1] if on.month <= 3 else [on.year]
    return session.scalar(select(AnggotaTimPenyusun.id).join(SkTimPenyusun).where(
        SkTimPenyusun.tahun.in_(years), SkTimPenyusun.nomor.is_not(None), SkTimPenyusun.tanggal.is_not(None),
        SkTimPenyusun.tanggal <= on, AnggotaTimPenyusun.pegawai_id == pegawai_id).limit(1)) is not None


def _actor(session: Session, user: User) -> Actor:
    """Built in every page run: the acting assignments are read once for the roles and the actor."""
    on = clock.today()
    acting_for = acting.acting_for_ids(session, user.pegawai_id, on)
    return Actor(user_id=user.id, username=user.username, nama=user.nama, pegawai_id=user.pegawai_id,
                 roles=roles_for(session, user, on, acting_for), acting_for=acting_for)


def load_actor(username: str) -> Actor | None:
    """The actor for an active account, or None."""
    with read_session() as s:
        user = s.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None or not user.aktif:
            return None
        return _actor(s, user)


# --- login throttling --------------------------------------------------------------------------------
#
# Failed logins are counted per source address ("sumber") and per typed username ("akun"), whether or not
# that account exists, so that no answer reveals which usernames exist. After `login_maks_gagal` failures
# each further attempt has to wait (2, 4, 8 … seconds up to `login_jeda_maks_detik`); only after the much
# higher `login_kunci_setelah_gagal` are NEW logins for that username refused for `login_kunci_menit`.
# Sessions already open are never ended by anybody's failed logins. A source address is slowed after
# `login_maks_gagal_sumber` failures (higher: a whole office often shares one address) and may make at most
# `login_laju_per_menit` unsuccessful attempts per minute, whatever the usernames.

USERNAME_MAX = 60
SOURCE_UNKNOWN = "tidak-diketahui"
SCOPE_SOURCE, SCOPE_ACCOUNT = "sumber", "akun"
WAIT_MESSAGE = "Terlalu banyak percobaan masuk. Tunggu {detik} detik, lalu coba lagi."
RATE_MESSAGE = "Terlalu banyak percobaan masuk dari alamat ini. Tunggu {detik} detik, lalu coba lagi."
LOCK_MESSAGE = ("Login untuk nama pengguna ini ditutup sementara karena terlalu banyak percobaan gagal. "
                "Coba lagi setelah pukul {jam} atau hubungi Admin SDM.")


@dataclass(frozen=True)
class LoginResult:
    actor: Actor
    must_change_password: bool
    session_id: str = ""


@dataclass(frozen=True)
class _Limits:
    free: int
    free_source: int
    window: dt.timedelta
    max_wait: int
    lock_after: int
    lock_for: dt.timedelta
    per_minute: int

    @classmethod
    def load(cls) -> _Limits:
        return cls(free=settings.get("login_maks_gagal"), free_source=settings.get("login_maks_gagal_sumber"),
                   window=dt.timedelta(minutes=settings.get("login_jendela_menit")),
                   max_wait=settings.get("login_jeda_maks_detik"),
                   lock_after=settings.get("login_kunci_setelah_gagal"),
                   lock_for=dt.timedelta(minutes=settings.get("login_kunci_menit")),
                   per_minute=settings.get("login_laju_per_menit"))


def clean_username(raw: str | None) -> str:
    return (raw or "").strip().lower().replace(" ", "")


def username_problem(username: str) -> str | None:
    """Why a typed username cannot be an account name (checked before any query), or None."""
    if any(ord(c) < 32 or ord(c) == 127 for c in username):
        return "NIP/nama pengguna memuat karakter yang tidak diizinkan."
    if len(username) > USERNAME_MAX:
        return f"NIP/nama pengguna terlalu panjang (maksimal {USERNAME_MAX} karakter)."
    return None


def audit_label(text: str, limit: int = USERNAME_MAX) -> str:
    """A typed value made safe to store as the audit log's user name: control characters shown as '?',
    cut to the column length."""
    cleaned = "".join("?" if ord(c) < 32 or ord(c) == 127 else c for c in text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def source_key(source: str | None) -> str:
    text = (source or "").strip()
    return audit_label(text, 64) if text else SOURCE_UNKNOWN


def _throttle_row(s: Session, scope: str, key: str) -> LoginThrottle:
    """The counter row (created when missing), locked for this transaction on PostgreSQL."""
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
    s.execute(dialect_insert(LoginThrottle).values(scope=scope, key=key, failures=0, window_attempts=0)
              .on_conflict_do_nothing())
    row = s.scalar(select(LoginThrottle).where(LoginThrottle.scope == scope, LoginThrottle.key == key)
                   .with_for_update().execution_options(populate_existing=True))
    assert row is not None
    return row


def _forget_old_counters(s: Session, now: dt.datetime) -> None:
    """Counters nobody failed on for a day (and not locked) go: the table cannot grow without end."""
    old = now - KEEP_FOR
    s.execute(delete(LoginThrottle).where(
        or_(LoginThrottle.last_failed_at.is_(None), LoginThrottle.last_failed_at < old),
        or_(LoginThrottle.window_start.is_(None), LoginThrottle.window_start < old),
        or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now)))


def _seconds(delta: dt.timedelta) -> int:
    return max(1, int(delta.total_seconds() + 0.999))


def _rate_limited(row: LoginThrottle, now: dt.datetime, limits: _Limits) -> str | None:
    start = _aware(row.window_start)
    if start is None or now - start >= dt.timedelta(minutes=1) or now < start:
        row.window_start, row.window_attempts, start = now, 0, now
    row.window_attempts += 1
    if row.window_attempts > limits.per_minute:
        return RATE_MESSAGE.format(detik=_seconds(start + dt.timedelta(minutes=1) - now))
    return None


def _locked(row: LoginThrottle | None, now: dt.datetime) -> str | None:
    """The refusal while a username is locked; an expired lock starts the count again."""
    locked = None if row is None else _aware(row.locked_until)
    if locked is None:
        return None
    if locked > now:
        return LOCK_MESSAGE.format(jam=_local_hhmm(locked))
    assert row is not None
    row.locked_until, row.failures, row.blocked_until = None, 0, None
    return None


def _waiting(row: LoginThrottle | None, now: dt.datetime) -> str | None:
    blocked = None if row is None else _aware(row.blocked_until)
    if blocked is not None and blocked > now:
        return WAIT_MESSAGE.format(detik=_seconds(blocked - now))
    return None


def _count_failure(row: LoginThrottle, now: dt.datetime, limits: _Limits, lockable: bool) -> bool:
    """Count one failure; sets the wait (and the lock for usernames). True when this failure locked it."""
    last = _aware(row.last_failed_at)
    if last is None or now - last > limits.window:
        row.failures = 0
    row.failures += 1
    row.last_failed_at = now
    free = limits.free if lockable else limits.free_source
    if row.failures >= free:
        wait = min(2 ** min(row.failures - free + 1, 20), limits.max_wait)
        row.blocked_until = now + dt.timedelta(seconds=wait)
    if lockable and row.failures >= limits.lock_after:
        row.locked_until = now + limits.lock_for
        return True
    return False


def authenticate(username: str, password: str, now: dt.datetime | None = None,
                 source: str | None = None) -> LoginResult:
    """Check a login from `source` (the client address). Unknown usernames and wrong passwords get the same
    answer; failures are counted per source and per username and audited.

    Raises LoginRefused with a message for the user.
    """
    now = now or now_utc()
    source = source_key(source)
    username = clean_username(username)
    if not username or not password:
        raise LoginRefused("Isi NIP/nama pengguna dan kata sandi.")
    problem = username_problem(username)
    limits = _Limits.load()
    who = Actor(user_id=None, username=audit_label(username), nama=audit_label(username))
    note = f"sumber {source}"
    with unit_of_work(who, action="login") as s:
        _forget_old_counters(s, now)
        src = _throttle_row(s, SCOPE_SOURCE, source)
        acc = None if problem else _throttle_row(s, SCOPE_ACCOUNT, username)
        held = (_rate_limited(src, now, limits) or _locked(acc, now) or _waiting(src, now)
                or _waiting(acc, now))
        if held is not None:
            audit.record(s, who, "login_ditahan", "User", None, note=f"{note}; {held}")
            refusal = LoginRefused(held)
        elif problem is not None:
            _count_failure(src, now, limits, lockable=False)
            audit.record(s, who, "login_gagal", "User", None, note=f"{note}; {problem}")
            refusal = LoginRefused(problem)
        else:
            assert acc is not None
            user = s.scalar(select(User).where(User.username == username))
            password_ok = check_password(password, user.password_hash if user else _DUMMY_HASH)
            if user is None or not password_ok:
                _count_failure(src, now, limits, lockable=False)
                locked = _count_failure(acc, now, limits, lockable=True)
                actor = who if user is None else Actor(user_id=user.id, username=user.username, nama=user.nama)
                detail = "nama pengguna tidak dikenal" if user is None else "kata sandi salah"
                audit.record(s, actor, "akun_terkunci" if locked else "login_gagal", "User",
                             None if user is None else user.id,
                             after={"gagal": acc.failures}, note=f"{note}; {detail}")
                refusal = LoginRefused(GENERIC_LOGIN_ERROR)
            elif not user.aktif:
                audit.record(s, who, "login_ditolak", "User", user.id, note=f"{note}; akun nonaktif")
                refusal = LoginRefused("Akun ini tidak aktif. Hubungi Admin SDM.")
            else:
                s.info["actor"] = Actor(user_id=user.id, username=user.username, nama=user.nama)
                acc.failures, acc.blocked_until, acc.last_failed_at = 0, None, None
                src.window_attempts = max(0, src.window_attempts - 1)  # the rate limit counts failures only
                user.last_login_at = now
                sid = _start_session(s, user.id, source, now)
                return LoginResult(actor=_actor(s, user), must_change_password=user.must_change_password,
                                   session_id=sid)
    raise refusal


def _local_hhmm(moment: dt.datetime) -> str:
    return clock.local(moment).strftime("%H.%M")


def throttle_state(username: str, now: dt.datetime | None = None) -> dict:
    """{'gagal', 'terkunci', 'tunggu_detik'} of a username's counter (for the admin's account list and tests)."""
    now = now or now_utc()
    with read_session() as s:
        row = s.get(LoginThrottle, (SCOPE_ACCOUNT, clean_username(username)))
        if row is None:
            return {"gagal": 0, "terkunci": False, "tunggu_detik": 0}
        locked, blocked = _aware(row.locked_until), _aware(row.blocked_until)
        return {"gagal": row.failures, "terkunci": bool(locked and locked > now),
                "tunggu_detik": _seconds(blocked - now) if blocked and blocked > now else 0}


# --- sessions ---------------------------------------------------------------------------------------
#
# The cookie (signed JWT) carries {username, exp_date, sid}; the session itself lives in user_sessions and
# ends on logout, password change, reset, deactivation, after `sesi_idle_menit` without activity and
# `sesi_maks_jam` after login, whatever the cookie says. Only a hash of the id is stored.

TOUCH_EVERY = dt.timedelta(seconds=30)


def _sid_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


KEEP_FOR = dt.timedelta(days=1)
"""Closed sessions and idle failure counters are deleted a day after they stopped mattering."""


def _start_session(s: Session, user_id: int, source: str | None, now: dt.datetime) -> str:
    _idle, absolute = session_lifetimes()
    s.execute(delete(UserSession).where(
        UserSession.user_id == user_id, UserSession.created_at < now - absolute - KEEP_FOR))
    sid = secrets.token_urlsafe(32)
    s.add(UserSession(id=_sid_hash(sid), user_id=user_id, created_at=now, last_seen_at=now,
                      source=source_key(source)))
    return sid


def start_session(actor: Actor, source: str | None = None) -> str:
    """A new server-side session for an already authenticated actor (after a password change)."""
    if actor.user_id is None:
        raise PermissionDenied()
    with unit_of_work(actor, action="sesi_baru") as s:
        return _start_session(s, actor.user_id, source, now_utc())


def session_lifetimes() -> tuple[dt.timedelta, dt.timedelta]:
    return (dt.timedelta(minutes=settings.get("sesi_idle_menit")),
            dt.timedelta(hours=settings.get("sesi_maks_jam")))


def session_valid(session_id: str | None, username: str, now: dt.datetime | None = None) -> bool:
    """The session `session_id` of `username` is open: not revoked, not idle too long, not too old, and the
    account is active. Marks activity (at most every 30 seconds) and closes an expired session."""
    if not session_id:
        return False
    now = now or now_utc()
    idle, absolute = session_lifetimes()
    with session_factory()() as s, s.begin():
        row = s.get(UserSession, _sid_hash(session_id))
        if row is None or row.revoked_at is not None:
            return False
        user = s.get(User, row.user_id)
        if user is None or not user.aktif or user.username != clean_username(username):
            return False
        created, seen = _aware(row.created_at), _aware(row.last_seen_at)
        revoked_all = _aware(user.sessions_revoked_at)
        if revoked_all is not None and created <= revoked_all:
            row.revoked_at, row.revoked_reason = now, "dicabut"
            return False
        if now - seen > idle or now - created > absolute:
            row.revoked_at, row.revoked_reason = now, "kedaluwarsa"
            return False
        if now - seen >= TOUCH_EVERY:
            row.last_seen_at = now
        return True


def _revoke_all(s: Session, user_id: int, now: dt.datetime, reason: str) -> None:
    s.execute(update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
              .values(revoked_at=now, revoked_reason=reason))


def revoke_sessions(actor: Actor, reason: str = "logout", session_id: str | None = None) -> None:
    """Logout: ends this browser's session (`session_id`), or every session of the actor when None."""
    if actor.user_id is None:
        return
    now = now_utc()
    with unit_of_work(actor, action=reason) as s:
        if session_id:
            s.execute(update(UserSession).where(UserSession.id == _sid_hash(session_id),
                                                UserSession.user_id == actor.user_id)
                      .values(revoked_at=now, revoked_reason=reason))
        else:
            _revoke_all(s, actor.user_id, now, reason)
            user = s.get(User, actor.user_id)
            if user is not None:
                user.sessions_revoked_at = now
        audit.record(s, actor, reason, "User", actor.user_id,
                     note="sesi ini diakhiri" if session_id else "semua sesi diakhiri")


def cookie_token(username: str, session_id: str, key: str, expires: dt.datetime) -> str:
    return jwt.encode({"username": username, "exp_date": expires.timestamp(), "sid": session_id}, key,
                      algorithm="HS256")


def verify_cookie_token(token: str | None, key: str, now: dt.datetime | None = None) -> dict | None:
    """Decode the login cookie (JWT {username, exp_date, sid}) with our key.

    Returns {"username", "exp_date", "sid"} or None when absent, forged (e.g. signed with 'some_key'), expired
    or without a session id.
    """
    if not token or key in FORBIDDEN_COOKIE_KEYS:
        return None
    try:
        data = jwt.decode(token, key, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    if not isinstance(data, dict) or not {"username", "exp_date", "sid"} <= data.keys():
        return None
    try:
        exp = float(data["exp_date"])
    except (TypeError, ValueError):
        return None
    if exp <= (now or now_utc()).timestamp() or not isinstance(data["sid"], str):
        return None
    return {"username": str(data["username"]), "exp_date": exp, "sid": data["sid"]}


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
        _revoke_all(s, user.id, now, "ganti_password")


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
        nip: dict[int | None, str] = dict(s.execute(select(Pegawai.id, Pegawai.nip)).all())
        counters = {t.key: t for t in s.scalars(select(LoginThrottle).where(LoginThrottle.scope == SCOPE_ACCOUNT))}
        rows = []
        for u in users:
            counter = counters.get(u.username)
            locked = _aware(counter.locked_until) if counter else None
            rows.append({
                "id": u.id, "nama_pengguna": u.username, "nama": u.nama, "nip": nip.get(u.pegawai_id),
                "peran": ", ".join(sorted(r.role.value for r in u.roles)) or "-",
                "aktif": u.aktif, "terkunci": bool(locked and locked > now),
                "wajib_ganti_sandi": u.must_change_password,
                "gagal_login": counter.failures if counter else 0, "login_terakhir": _aware(u.last_login_at),
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
        _revoke_all(s, user.id, user.sessions_revoked_at, "reset_password")
    return temp


def unlock(actor: Actor, user_id: int) -> None:
    """Clear the failed-login counter (and lock) of an account; audited with the state before."""
    with unit_of_work(actor, action="buka_kunci") as s:
        user = _admin_target(s, actor, user_id)
        row = s.get(LoginThrottle, (SCOPE_ACCOUNT, user.username))
        before = {"gagal": row.failures if row else 0,
                  "terkunci_sampai": _aware(row.locked_until).isoformat() if row and row.locked_until else None}
        if row is None or (not row.failures and row.locked_until is None and row.blocked_until is None):
            return  # nothing to clear: no audit row
        row.failures, row.blocked_until, row.locked_until, row.last_failed_at = 0, None, None, None
        audit.record(s, actor, "buka_kunci", "User", user.id, before, {"gagal": 0, "terkunci_sampai": None})


def set_active(actor: Actor, user_id: int, active: bool) -> None:
    with unit_of_work(actor, action="aktifkan_akun" if active else "nonaktifkan_akun") as s:
        user = _admin_target(s, actor, user_id)
        if not active and user.id == actor.user_id:
            raise PermissionDenied("Anda tidak dapat menonaktifkan akun Anda sendiri.")
        user.aktif = active
        if not active:
            user.sessions_revoked_at = now_utc()
            _revoke_all(s, user.id, user.sessions_revoked_at, "nonaktif")


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
