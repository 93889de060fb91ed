"""Login security: lockout, cookie tokens and key, session revocation, password rules (issue #2)."""

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


def _fail(username, times, at):
    for i in range(times):
        with pytest.raises(LoginRefused):
            auth.authenticate(username, "salah-sandi-1", now=at + dt.timedelta(seconds=i))


def _row(org, username):
    df = auth.accounts(org.actors.admin)
    return df[df["nama_pengguna"] == username].iloc[0]


# --- lockout ---------------------------------------------------------------------------------------


def test_wrong_password_counts_down_then_locks(org):
    user = org.usernames["staf"]
    for i in range(4):
        with pytest.raises(LoginRefused, match=f"Sisa percobaan: {4 - i}"):
            auth.authenticate(user, "salah-sandi-1", now=T0 + dt.timedelta(seconds=i))
    with pytest.raises(LoginRefused, match="terkunci"):
        auth.authenticate(user, "salah-sandi-1", now=T0 + dt.timedelta(seconds=5))
    # the 6th attempt, with the RIGHT password, is refused while the lock lasts
    with pytest.raises(LoginRefused, match="terkunci"):
        auth.authenticate(user, org.password, now=T0 + dt.timedelta(minutes=1))
    row = _row(org, user)
    assert row["gagal_login"] == 5


def test_unknown_user_gets_the_generic_message(org):
    with pytest.raises(LoginRefused) as unknown:
        auth.authenticate("199999999999999999", "apa-saja-1", now=T0)
    with pytest.raises(LoginRefused) as wrong:
        auth.authenticate(org.usernames["staf"], "apa-saja-1", now=T0)
    assert str(unknown.value) == auth.GENERIC_LOGIN_ERROR
    assert str(wrong.value).startswith(auth.GENERIC_LOGIN_ERROR)


def test_failures_older_than_the_window_reset_the_count(org):
    user = org.usernames["staf"]
    _fail(user, 4, T0)
    # 16 minutes later (window 15): the count starts again at 1
    with pytest.raises(LoginRefused, match="Sisa percobaan: 4"):
        auth.authenticate(user, "salah-sandi-1", now=T0 + dt.timedelta(minutes=16))
    assert _row(org, user)["gagal_login"] == 1
    _fail(user, 3, T0 + dt.timedelta(minutes=17))
    assert auth.authenticate(user, org.password, now=T0 + dt.timedelta(minutes=18)).actor.username == user
    assert _row(org, user)["gagal_login"] == 0


def test_lock_expires(org):
    user = org.usernames["staf"]
    _fail(user, 5, T0)
    with pytest.raises(LoginRefused, match="terkunci"):
        auth.authenticate(user, org.password, now=T0 + dt.timedelta(minutes=14))
    result = auth.authenticate(user, org.password, now=T0 + dt.timedelta(minutes=16))
    assert result.actor.pegawai_id == org.pegawai["staf"]
    # after the lock expired, one new failure does not lock again
    with pytest.raises(LoginRefused, match="Sisa percobaan: 4"):
        auth.authenticate(user, "salah-sandi-1", now=T0 + dt.timedelta(minutes=17))


def test_admin_unlock(org):
    user = org.usernames["staf"]
    now = auth.now_utc()
    _fail(user, 5, now)
    assert bool(_row(org, user)["terkunci"]) is True
    auth.unlock(org.actors.admin, int(_row(org, user)["id"]))
    assert bool(_row(org, user)["terkunci"]) is False
    assert auth.authenticate(user, org.password).actor.username == user
    unlocked = audit.search(org.actors.admin, AuditFilter(action="buka_kunci"))
    assert len(unlocked) == 1 and unlocked.iloc[0]["pengguna"] == "admin"


def test_lockout_is_audited(org):
    user = org.usernames["staf"]
    _fail(user, 5, T0)
    with pytest.raises(LoginRefused):
        auth.authenticate(user, org.password, now=T0 + dt.timedelta(minutes=1))
    failed = audit.search(org.actors.admin, AuditFilter(action="login_gagal"))
    locked = audit.search(org.actors.admin, AuditFilter(action="akun_terkunci"))
    refused = audit.search(org.actors.admin, AuditFilter(action="login_ditolak"))
    assert len(failed) == 4 and set(failed["pengguna"]) == {user}
    assert len(locked) == 1 and locked.iloc[0]["entitas"] == "User"
    assert locked.iloc[0]["sesudah"]["failed_attempts"] == 5
    assert len(refused) == 1 and "terkunci" in refused.iloc[0]["catatan"]


def test_settings_change_the_thresholds(org):
    settings.update_many(org.actors.admin, {"login_maks_gagal": "3", "login_kunci_menit": "60",
                                            "login_jendela_menit": "5"})
    user = org.usernames["staf"]
    _fail(user, 2, T0)
    with pytest.raises(LoginRefused, match="terkunci selama 60 menit"):
        auth.authenticate(user, "salah-sandi-1", now=T0 + dt.timedelta(seconds=30))
    with pytest.raises(LoginRefused, match="terkunci"):
        auth.authenticate(user, org.password, now=T0 + dt.timedelta(minutes=30))
    assert auth.authenticate(user, org.password, now=T0 + dt.timedelta(minutes=61))
    # window of 5 minutes: failures 6 minutes apart never add up
    user2 = org.usernames["staf2"]
    for i in range(5):
        with pytest.raises(LoginRefused, match="Sisa percobaan: 2"):
            auth.authenticate(user2, "salah-sandi-1", now=T0 + dt.timedelta(minutes=6 * i))


def test_inactive_account_cannot_log_in(org):
    auth.set_active(org.actors.admin, org.actors.staf.user_id, False)
    with pytest.raises(LoginRefused, match="tidak aktif"):
        auth.authenticate(org.usernames["staf"], org.password)
    assert auth.load_actor(org.usernames["staf"]) is None


# --- cookie token and key --------------------------------------------------------------------------

KEY = "k" * 48


def _token(key, username="admin", exp=None):
    exp = exp if exp is not None else (auth.now_utc() + dt.timedelta(hours=1)).timestamp()
    return jwt.encode({"username": username, "exp_date": exp}, key, algorithm="HS256")


def test_cookie_token_accepts_ours():
    data = auth.verify_cookie_token(_token(KEY, "198501292009021004"), KEY)
    assert data is not None and data["username"] == "198501292009021004"


@pytest.mark.parametrize(
    "token",
    [
        _token("some_key"),  # the streamlit-authenticator default key
        _token("x" * 48),  # another installation's key
        _token(KEY, exp=(dt.datetime(2020, 1, 1, tzinfo=dt.UTC)).timestamp()),  # expired
        jwt.encode({"username": "admin"}, KEY, algorithm="HS256"),  # no expiry
        jwt.encode({"exp_date": 9_999_999_999}, KEY, algorithm="HS256"),  # no user
        jwt.encode({"username": "admin", "exp_date": "besok"}, KEY, algorithm="HS256"),
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


# --- revocation --------------------------------------------------------------------------------------


def _issued_before():
    return auth.now_utc() - dt.timedelta(seconds=2)


def test_session_valid_for_a_fresh_session(org):
    assert auth.session_valid(org.usernames["staf"], auth.now_utc())
    assert not auth.session_valid("tidak-ada", auth.now_utc())


def test_logout_revokes_older_sessions(org):
    user = org.usernames["staf"]
    old = _issued_before()
    assert auth.session_valid(user, old)
    auth.revoke_sessions(org.actors.staf)
    assert not auth.session_valid(user, old)
    assert auth.session_valid(user, auth.now_utc() + dt.timedelta(milliseconds=5))


def test_password_change_revokes_older_sessions(org):
    user = org.usernames["staf"]
    old = _issued_before()
    auth.change_password(org.actors.staf, org.password, "BaruSekali2026", "BaruSekali2026")
    assert not auth.session_valid(user, old)
    assert auth.session_valid(user, auth.now_utc() + dt.timedelta(milliseconds=5))


def test_admin_reset_revokes_older_sessions(org):
    user = org.usernames["staf"]
    old = _issued_before()
    temp = auth.reset_password(org.actors.admin, org.actors.staf.user_id)
    assert not auth.session_valid(user, old)
    assert auth.session_valid(user, auth.now_utc() + dt.timedelta(milliseconds=5))
    result = auth.authenticate(user, temp)
    assert result.must_change_password is True
    with pytest.raises(LoginRefused):
        auth.authenticate(user, org.password)


def test_deactivation_ends_every_session(org):
    user = org.usernames["staf"]
    old = _issued_before()
    auth.set_active(org.actors.admin, org.actors.staf.user_id, False)
    assert not auth.session_valid(user, old)
    assert not auth.session_valid(user, auth.now_utc())
    auth.set_active(org.actors.admin, org.actors.staf.user_id, True)
    assert not auth.session_valid(user, old)  # a cookie from before the deactivation stays dead
    assert auth.session_valid(user, auth.now_utc() + dt.timedelta(milliseconds=5))


def test_locked_account_has_no_valid_session(org):
    user = org.usernames["staf"]
    _fail(user, 5, auth.now_utc())
    assert not auth.session_valid(user, auth.now_utc())


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
    assert auth.hash_password("Rahasia123").startswith(f"$2b${auth.BCRYPT_ROUNDS}$")
