"""Core of every service: the acting user, errors, the unit of work, audit log, settings, security, the clock,
Indonesian formatting, safe exports, backups, the Beranda task registry and the one grid-save path."""

from services.core import (
    actor,
    audit,
    backup,
    clock,
    errors,
    export,
    fmt,
    grid,
    security,
    settings,
    tasks,
    uow,
)
from services.core.actor import ASSIGNABLE_ROLES, SYSTEM, Actor, Role  # noqa: E402
from services.core.errors import (
    Conflict,
    FieldError,
    LoginRefused,
    NotFound,
    PermissionDenied,
    ServiceError,
    ValidationFailed,
)
from services.core.grid import (
    ErrorSink,
    GridOutcome,
    GridPlan,
    GridSpec,
    RowErrors,
    apply_grid,
    apply_plan,
    plan_grid,
)
from services.core.security import cookie_settings, resolve_cookie_key  # noqa: E402
from services.core.uow import unit_of_work

__all__ = [
    "actor", "audit", "backup", "clock", "errors", "export", "fmt", "grid", "security", "settings", "tasks", "uow",
    "SYSTEM", "Actor", "Conflict", "FieldError", "LoginRefused", "NotFound", "PermissionDenied", "ServiceError",
    "ValidationFailed", "unit_of_work",
    "ErrorSink", "GridOutcome", "GridPlan", "GridSpec", "RowErrors", "apply_grid", "apply_plan", "plan_grid",
    "ASSIGNABLE_ROLES",
    "Role",
    "cookie_settings",
    "resolve_cookie_key",
]
