"""Accounts and login: password login with lockout, cookies and their revocation, roles (login); account
administration for Admin SDM (accounts).

Pages import this package (`from services import auth`) or names from it, never its modules by path."""

from services.auth import accounts, login

__all__ = [
    "accounts",
    "login",
]
