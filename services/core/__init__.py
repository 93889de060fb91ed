"""Core of every service: the acting user, errors, the unit of work, audit log, settings, security, the clock,
Indonesian formatting, safe exports, backups and the Beranda task registry."""

from services.core import actor, audit, backup, clock, errors, export, fmt, security, settings, tasks, uow
from services.core.actor import SYSTEM, Actor
from services.core.errors import (
    Conflict,
    FieldError,
    LoginRefused,
    NotFound,
    PermissionDenied,
    ServiceError,
    ValidationFailed,
)
from services.core.uow import unit_of_work

__all__ = [
    "actor", "audit", "backup", "clock", "errors", "export", "fmt", "security", "settings", "tasks", "uow",
    "SYSTEM", "Actor", "Conflict", "FieldError", "LoginRefused", "NotFound", "PermissionDenied", "ServiceError",
    "ValidationFailed", "unit_of_work",
]
