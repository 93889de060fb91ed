"""Login security: throttling, enumeration, cookie tokens and key, server-side sessions, password rules."""

import datetime as dt
import functools
import os
import stat

import jwt
import pytest

from db.config import reset_env_cache
from services.auth import login as auth
from services.core import audit, security, settings
from services.core.audit import AuditFilter
from services.core.errors import LoginRefused, ValidationFailed

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
_real_check = auth.check_password


@pytest.fixture(autouse=True)
def _memoised_bcrypt(monkeypatch):
    """Same answers as bcrypt (it is called), but each (password, hash) pair is checked only once: the
    lockout tests repeat the same wrong password many times and bcrypt costs ~0.25 s per check."""
    monkeypatch.setattr(auth, "check_password", functools.lru_cache(maxsize=256)(_real_check))


def _fail(username, times, at, step=dt.timedelta(minutes=3), source="198.51.100.7"):
    """`times` wrong passwords, `step` apart (longer than the longest wait, shorter than the window)."""
    for i in range(times):
        with pytest.raises(LoginRefused):
            auth.authenticate(username, "salah-sandi-1", now=at + i * step, source=source)


def _row(org, username):
    df = auth.accounts(org.actors.admin)
    return df[df["nama_pengguna"] == username].iloc[0]


def _refusal(username, password, at, source="198.51.100.7"):
    with pytest.raises(LoginRefused) as exc:
        auth.authenticate(username, password, now=at, source=source)
    return str(exc.value)


# --- throttling ------------------------------------------------------------------------------------


def test_failures_slow_down_instead_of_locking(org):
    user = org.usernames["staf"]
    for i in range(5):
        assert _refusal(user, "salah-sandi-1", T0 + dt.timedelta(seconds=i)) == auth.GENERIC_LOGIN_ERROR
    # the 5th failure asks for a short wait; even the right password waits
    assert "Tunggu" in _refusal(user, org.password, T0 + dt.timedelta(seconds=5))
    # after the wait the right password works and clears the username's counter
    result = auth.authenticate(user, org.password, now=T0 + dt.timedelta(seconds=10), source="192.0.2.1")
    assert result.actor.username == user and result.session_id
    assert auth.throttle_state(user, T0)["gagal"] == 0


def test_waits_grow_and_are_capped(org):
    settings.update_many(org.actors.admin, {"login_jeda_maks_detik": "30"})
    user = org.usernames["staf"]
    at = T0
    waits = []
    for i in range(10):
        with pytest.raises(LoginRefused):
            auth.authenticate(user, "salah-sandi-1", now=at, source=f"192.0.2.{i}")
        waits.append(auth.throttle_state(user, now=at)["tunggu_detik"])
        at += dt.timedelta(seconds=31)
    assert waits == [0, 0, 0, 0, 2, 4, 8, 16, 30, 30]


def test_unknown_user_and_wrong_password_get_identical_answers(org):
    known, unknown = org.usernames["staf"], "199999999999999999"
    for i in range(12):
        at = T0 + dt.timedelta(seconds=20 * i)
        a = _refusal(known, "apa-saja-1", at, source=f"203.0.113.{i}")
        b = _refusal(unknown, "apa-saja-1", at, source=f"198.51.100.{i}")
        assert a == b, (i, a, b)
    assert "Sisa" not in a and known not in a


def test_outsider_cannot_end_lock_or_take_over_a_logged_in_session(org):
    user = org.usernames["staf"]
    login = auth.authenticate(user, org.password, source="10.0.0.5")
    started = auth.now_utc()
    answers = []
    for i in range(100):  # one outsider, 100 wrong passwords, spaced to beat every wait
        at = started + dt.timedelta(seconds=121 * i)
        with pytest.raises(LoginRefused) as exc:
            auth.authenticate(user, f"tebakan-{i}", now=at, source="203.0.113.66")
        answers.append(str(exc.value))
        # the user keeps working the whole time: the session is never ended by the outsider
        assert auth.session_valid(login.session_id, user, now=at + dt.timedelta(seconds=1))
        if i == 49:  # the 50th failure closes the username to NEW logins, the right password included
            assert "ditutup sementara" in _refusal(user, org.password, at, source="203.0.113.66")
            assert "ditutup sementara" in _refusal(user, org.password, at, source="10.0.0.9")
            assert bool(_row(org, user)["terkunci"]) is True
    assert answers.count(auth.GENERIC_LOGIN_ERROR) >= 50
    assert all(a == auth.GENERIC_LOGIN_ERROR or "ditutup sementara" in a for a in answers)
    assert auth.session_valid(login.session_id, user, now=started + dt.timedelta(seconds=121 * 100))


def test_admin_unlock_is_audited_and_opens_new_logins(org):
    settings.update_many(org.actors.admin, {"login_kunci_setelah_gagal": "10"})
    user = org.usernames["staf"]
    _fail(user, 10, T0)
    at = T0 + dt.timedelta(minutes=28)
    assert "ditutup sementara" in _refusal(user, org.password, at)
    auth.unlock(org.actors.admin, int(_row(org, user)["id"]))
    assert auth.authenticate(user, org.password, now=at, source="10.0.0.9").actor.username == user
    unlocked = audit.search(org.actors.admin, AuditFilter(action="buka_kunci"))
    assert len(unlocked) == 1 and unlocked.iloc[0]["pengguna"] == "admin"
    assert unlocked.iloc[0]["sebelum"]["gagal"] == 10 and unlocked.iloc[0]["sesudah"]["gagal"] == 0


def test_hard_lock_expires_and_the_count_starts_again(org):
    settings.update_many(org.actors.admin, {"login_kunci_setelah_gagal": "10", "login_kunci_menit": "30"})
    user = org.usernames["staf"]
    _fail(user, 10, T0)
    locked_at = T0 + 9 * dt.timedelta(minutes=3)
    assert "ditutup sementara" in _refusal(user, org.password, locked_at + dt.timedelta(minutes=29))
    assert auth.authenticate(user, org.password, now=locked_at + dt.timedelta(minutes=31), source="192.0.2.9")
    # one new failure after the lock does not lock again
    assert _refusal(user, "salah-sandi-1", locked_at + dt.timedelta(minutes=32)) == auth.GENERIC_LOGIN_ERROR


def test_unknown_usernames_are_throttled_and_locked_the_same_way(org):
    settings.update_many(org.actors.admin, {"login_kunci_setelah_gagal": "10"})
    known, unknown = org.usernames["staf"], "tidak-ada-orangnya"
    _fail(known, 10, T0, source="192.0.2.1")
    _fail(unknown, 10, T0, source="192.0.2.2")
    at = T0 + dt.timedelta(minutes=28)
    assert _refusal(known, "x-1", at, "192.0.2.3") == _refusal(unknown, "x-1", at, "192.0.2.4")


def test_rate_limit_per_source_address(org):
    settings.update_many(org.actors.admin, {"login_laju_per_menit": "5"})
    for i in range(5):  # one password tried on five different usernames
        assert _refusal(f"pengguna{i}", "Rahasia123", T0 + dt.timedelta(seconds=i)) == auth.GENERIC_LOGIN_ERROR
    assert "dari alamat ini" in _refusal("pengguna9", "Rahasia123", T0 + dt.timedelta(seconds=6))
    assert "dari alamat ini" in _refusal(org.usernames["staf"], org.password, T0 + dt.timedelta(seconds=7))
    # another address is not affected; a minute later this one may try again
    assert auth.authenticate(org.usernames["staf"], org.password, now=T0 + dt.timedelta(seconds=8),
                             source="192.0.2.50")
    assert auth.authenticate(org.usernames["staf"], org.password, now=T0 + dt.timedelta(seconds=61),
                             source="198.51.100.7")


def test_failed_logins_are_audited_with_their_source(org):
    user = org.usernames["staf"]
    _fail(user, 2, T0)
    _fail("belum-terdaftar", 1, T0)
    failed = audit.search(org.actors.admin, AuditFilter(action="login_gagal"))
    assert len(failed) == 3
    assert set(failed["pengguna"]) == {user, "belum-terdaftar"}
    assert all("sumber 198.51.100.7" in n for n in failed["catatan"])
    assert failed[failed["pengguna"] == "belum-terdaftar"].iloc[0]["catatan"].endswith("tidak dikenal")


@pytest.mark.parametrize("typed", ["admin\x00", "a" * 10_000, "adm\x1bin", "\x00" * 80])
def test_bad_usernames_are_refused_clearly_before_any_query_and_audited(org, typed):
    message = _refusal(typed, "Rahasia123", T0)
    assert message.startswith("NIP/nama pengguna") and ("karakter" in message)
    rows = audit.search(org.actors.admin, AuditFilter(action="login_gagal"))
    assert len(rows) == 1
    stored = rows.iloc[0]["pengguna"]
    assert len(stored) <= auth.USERNAME_MAX and "\x00" not in stored


def test_inactive_account_cannot_log_in(org):
    auth.set_active(org.actors.admin, org.actors.staf.user_id, False)
    with pytest.raises(LoginRefused, match="tidak aktif"):
        auth.authenticate(org.usernames["staf"], org.password)
    assert auth.load_actor(org.usernames["staf"]) is None


# --- cookie token and key --------------------------------------------------------------------------

KEY = "k" * 48


def _token(key, username="admin", exp=None, sid="sesi-acak"):
    exp = exp if exp is not None else (auth.now_utc() + dt.timedelta(hours=1)).timestamp()
    return jwt.encode({"username": username, "exp_date": exp, "sid": sid}, key, algorithm="HS256")


def test_cookie_token_accepts_ours():
    data = auth.verify_cookie_token(_token(KEY, "198501292009021004"), KEY)
    assert data is not None and data["username"] == "198501292009021004" and data["sid"] == "sesi-acak"
    made = auth.cookie_token("admin", "abc", KEY, auth.now_utc() + dt.timedelta(hours=1))
    assert auth.verify_cookie_token(made, KEY)["sid"] == "abc"


@pytest.mark.parametrize(
    "token",
    [
        _token("some_key"),  # the streamlit-authenticator default key
        _token("x" * 48),  # another installation's key
        _token(KEY, exp=(dt.datetime(2020, 1, 1, tzinfo=dt.UTC)).timestamp()),  # expired
        jwt.encode({"username": "admin"}, KEY, algorithm="HS256"),  # no expiry
        jwt.encode({"exp_date": 9_999_999_999}, KEY, algorithm="HS256"),  # no user
        jwt.encode({"username": "admin", "exp_date": "besok", "sid": "x"}, KEY, algorithm="HS256"),
        jwt.encode({"username": "admin", "exp_date": 9_999_999_999}, KEY, algorithm="HS256"),  # no session id
        "garbage",
        "a.b.c",
        "",
        None,
    ],
)
def test_cookie_token_refused(token):
    assert auth.verify_cookie_token(token, KEY) is None


def test_cookie_token_never_verified_with_the_default_key():
    assert auth.verify_cookie_token(_token("some_key"), "some_key") is None


def test_cookie_token_expiry_uses_now():
    exp = (T0 + dt.timedelta(hours=1)).timestamp()
    token = _token(KEY, exp=exp)
    assert auth.verify_cookie_token(token, KEY, now=T0) is not None
    assert auth.verify_cookie_token(token, KEY, now=T0 + dt.timedelta(hours=2)) is None


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.delenv("EKINERJA_COOKIE_KEY", raising=False)
    monkeypatch.setenv("EKINERJA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env file
    reset_env_cache()
    yield monkeypatch
    monkeypatch.undo()
    reset_env_cache()


@pytest.mark.parametrize("bad", ["some_key", "changeme", "kunci-pendek-sekali"])
def test_resolve_cookie_key_refuses_weak_keys(env, bad):
    with pytest.raises(security.InsecureCookieKey):
        security.resolve_cookie_key(from_secrets=bad)
    env.setenv("EKINERJA_COOKIE_KEY", bad)
    reset_env_cache()
    with pytest.raises(security.InsecureCookieKey):
        security.resolve_cookie_key()


def test_resolve_cookie_key_prefers_secrets_then_env(env):
    strong = "s" * 40
    assert security.resolve_cookie_key(from_secrets=strong) == strong
    env.setenv("EKINERJA_COOKIE_KEY", "e" * 40)
    reset_env_cache()
    assert security.resolve_cookie_key() == "e" * 40


def test_resolve_cookie_key_generates_a_private_key_file(env, tmp_path):
    key = security.resolve_cookie_key()
    path = tmp_path / "data" / ".cookie_key"
    assert path.exists()
    assert len(key.encode()) >= 32 and key not in auth.FORBIDDEN_COOKIE_KEYS
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert security.resolve_cookie_key() == key  # stable across restarts
    assert path.read_text().strip() == key


def test_resolve_cookie_key_refuses_a_weak_key_file(env, tmp_path):
    path = tmp_path / "weak_key"
    path.write_text("some_key")
    with pytest.raises(security.InsecureCookieKey):
        security.resolve_cookie_key(key_file=path)


# --- sessions --------------------------------------------------------------------------------------


def _login(org, key="staf", **kw):
    return auth.authenticate(org.usernames[key], org.password, **kw).session_id


def test_session_valid_for_a_fresh_session(org):
    sid = _login(org)
    assert auth.session_valid(sid, org.usernames["staf"])
    assert not auth.session_valid(sid, org.usernames["kasub"])  # bound to its user
    assert not auth.session_valid("tidak-ada", org.usernames["staf"])
    assert not auth.session_valid(None, org.usernames["staf"])


def test_idle_timeout_and_absolute_lifetime_follow_the_settings(org):
    user = org.usernames["staf"]
    sid = _login(org, now=T0)
    assert auth.session_valid(sid, user, now=T0 + dt.timedelta(minutes=59))
    assert auth.session_valid(sid, user, now=T0 + dt.timedelta(minutes=118))  # activity keeps it open
    assert not auth.session_valid(sid, user, now=T0 + dt.timedelta(minutes=179))  # 61 minutes idle
    assert not auth.session_valid(sid, user, now=T0 + dt.timedelta(minutes=180))  # closed for good
    settings.update_many(org.actors.admin, {"sesi_maks_jam": "2", "sesi_idle_menit": "30"})
    sid = _login(org, now=T0)
    for minutes in range(20, 120, 20):
        assert auth.session_valid(sid, user, now=T0 + dt.timedelta(minutes=minutes))
    assert not auth.session_valid(sid, user, now=T0 + dt.timedelta(minutes=121))  # absolute: 2 hours


def test_logout_ends_that_session_whatever_the_cookie_says(org):
    user = org.usernames["staf"]
    here, elsewhere = _login(org), _login(org, source="192.0.2.77")
    auth.revoke_sessions(org.actors.staf, session_id=here)
    assert not auth.session_valid(here, user)
    assert auth.session_valid(elsewhere, user)
    assert len(audit.search(org.actors.admin, AuditFilter(action="logout"))) == 1
    auth.revoke_sessions(org.actors.staf)  # no session id: every session
    assert not auth.session_valid(elsewhere, user)


def test_password_change_ends_every_session_and_a_new_one_works(org):
    user = org.usernames["staf"]
    old = _login(org)
    auth.change_password(org.actors.staf, org.password, "BaruSekali2026", "BaruSekali2026")
    assert not auth.session_valid(old, user)
    fresh = auth.start_session(org.actors.staf)
    assert auth.session_valid(fresh, user)


def test_admin_reset_ends_every_session(org):
    user = org.usernames["staf"]
    old = _login(org)
    temp = auth.reset_password(org.actors.admin, org.actors.staf.user_id)
    assert not auth.session_valid(old, user)
    result = auth.authenticate(user, temp)
    assert result.must_change_password is True and auth.session_valid(result.session_id, user)
    assert _refusal(user, org.password, auth.now_utc(), source="192.0.2.80") == auth.GENERIC_LOGIN_ERROR


def test_deactivation_ends_every_session(org):
    user = org.usernames["staf"]
    old = _login(org)
    auth.set_active(org.actors.admin, org.actors.staf.user_id, False)
    assert not auth.session_valid(old, user)
    auth.set_active(org.actors.admin, org.actors.staf.user_id, True)
    assert not auth.session_valid(old, user)  # a session from before the deactivation stays dead
    assert auth.session_valid(_login(org), user)


def test_session_ids_are_stored_hashed(org):
    from db.engine import read_session
    from db.models import UserSession

    sid = _login(org)
    with read_session() as s:
        ids = [r.id for r in s.query(UserSession).all()]
    assert ids and sid not in ids


# --- password rules ----------------------------------------------------------------------------------


def _fields(exc: ValidationFailed) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in exc.errors:
        out.setdefault(e.field, []).append(e.message)
    return out


@pytest.mark.parametrize(
    ("new", "confirm", "field", "fragment"),
    [
        ("Pendek1", "Pendek1", "Kata sandi baru", "minimal 8"),
        ("hanyahurufsaja", "hanyahurufsaja", "Kata sandi baru", "huruf dan angka"),
        ("1234567890", "1234567890", "Kata sandi baru", "huruf dan angka"),
        ("BaruSekali2026", "BaruSekali2027", "Ulangi kata sandi baru", "tidak sama"),
        ("Rahasia123", "Rahasia123", "Kata sandi baru", "berbeda"),
        ("x" * 70 + "é1", "x" * 70 + "é1", "Kata sandi baru", "72 byte"),
    ],
)
def test_password_change_rules(org, new, confirm, field, fragment):
    with pytest.raises(ValidationFailed) as exc:
        auth.change_password(org.actors.staf, org.password, new, confirm)
    assert any(fragment in m for m in _fields(exc.value)[field]), exc.value.errors
    assert auth.authenticate(org.usernames["staf"], org.password)  # nothing changed


def test_password_may_not_contain_the_username(org):
    nip = org.usernames["staf"]
    with pytest.raises(ValidationFailed) as exc:
        auth.change_password(org.actors.staf, org.password, f"a{nip}", f"a{nip}")
    assert any("NIP" in m for m in _fields(exc.value)["Kata sandi baru"])


def test_wrong_old_password_is_reported_first(org):
    with pytest.raises(ValidationFailed) as exc:
        auth.change_password(org.actors.staf, "bukan-lama-1", "BaruSekali2026", "BaruSekali2026")
    assert exc.value.errors[0].field == "Kata sandi lama"


def test_minimum_length_follows_the_setting(org):
    settings.update_many(org.actors.admin, {"password_min_panjang": "12"})
    with pytest.raises(ValidationFailed, match="minimal 12"):
        auth.change_password(org.actors.staf, org.password, "Baru12345", "Baru12345")


def test_successful_change_clears_must_change(org):
    pppk = org.actors.pppk
    assert auth.must_change_password(pppk)
    auth.change_password(pppk, org.password, "SandiBaru2026", "SandiBaru2026")
    assert not auth.must_change_password(pppk)
    assert auth.authenticate(org.usernames["pppk"], "SandiBaru2026").must_change_password is False
    with pytest.raises(LoginRefused):
        auth.authenticate(org.usernames["pppk"], org.password)
    changed = audit.search(org.actors.admin, AuditFilter(action="ganti_password"))
    assert len(changed) == 1
    assert changed.iloc[0]["sesudah"]["password_hash"] == "*** (diubah)"  # never the hash itself


def test_temporary_passwords_are_cheaper_but_verify(db):
    from services.auth import login as auth

    pairs = auth.temporary_passwords(3)
    assert len({pw for pw, _ in pairs}) == 3
    for pw, hashed in pairs:
        assert hashed.startswith(f"$2b${auth.TEMP_PASSWORD_ROUNDS:02d}$")
        assert auth.check_password(pw, hashed)
    assert auth.hash_password("Rahasia123").startswith(f"$2b${auth.BCRYPT_ROUNDS:02d}$")
    assert auth.hash_password("Rahasia123", 5).startswith("$2b$05$")


def test_production_bcrypt_cost():
    """The suite lowers the cost (tests/conftest.py); the values the app runs with are these."""
    from tests.conftest import PRODUCTION_BCRYPT_ROUNDS

    assert PRODUCTION_BCRYPT_ROUNDS == (12, 10)


def test_old_counters_and_sessions_are_forgotten(org):
    from sqlalchemy import func, select

    from db.engine import read_session
    from db.models import LoginThrottle, UserSession

    _fail("orang-asing", 3, T0)
    old_sid = _login(org, now=T0)
    later = T0 + dt.timedelta(days=3)
    _login(org, now=later, source="192.0.2.30")
    with read_session() as s:
        keys = set(s.scalars(select(LoginThrottle.key)).all())
        sessions = s.scalar(select(func.count()).select_from(UserSession))
    assert "orang-asing" not in keys and "198.51.100.7" not in keys
    assert sessions == 1 and not auth.session_valid(old_sid, org.usernames["staf"], now=later)
