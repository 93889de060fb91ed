"""Audit log: who, when, what, before and after, for every change made through services."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import event, func, insert, inspect, or_, select
from sqlalchemy.orm import Session

from db.models import AuditLog, Role
from services.core import clock
from services.core.actor import Actor
from services.core.textguard import clean_for_log

MASKED = {"password_hash"}
NOISE = {"created_at", "updated_at", "version"}
SKIP_ENTITIES = {"AuditLog", "LoginThrottle", "UserSession"}  # logins and sessions are audited explicitly
ACTION_LABELS = {"create": "tambah", "update": "ubah", "delete": "hapus"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} byte>"
    return value


def snapshot(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    out: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        if attr.key in NOISE:
            continue
        out[attr.key] = "***" if attr.key in MASKED else _jsonable(getattr(obj, attr.key, None))
    return out


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in NOISE:
            continue
        hist = state.attrs[attr.key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if old == new:
            continue
        if attr.key in MASKED:
            before[attr.key], after[attr.key] = "***", "*** (diubah)"
        else:
            before[attr.key], after[attr.key] = _jsonable(old), _jsonable(new)
    return before, after


def _pk(obj: Any) -> str | None:
    """The primary key; read from the instance because new rows get their identity only after the flush."""
    values = inspect(obj).mapper.primary_key_from_instance(obj)
    if not values or all(v is None for v in values):
        return None
    return "/".join(str(_jsonable(v)) for v in values)


def _row(actor: Actor, action: str, entity: str, entity_id: str | None, before, after, note=None) -> dict:
    return {
        "at": clock.utcnow(),
        "user_id": actor.user_id,
        "username": clean_for_log(actor.username, 60),
        "action": action,
        "entity": entity,
        "entity_id": clean_for_log(entity_id, 60),
        "before": before,
        "after": after,
        "note": clean_for_log(note),
    }


@event.listens_for(Session, "after_flush")
def _audit_after_flush(session: Session, _ctx) -> None:
    actor: Actor | None = session.info.get("actor")
    if actor is None:
        return
    label = session.info.get("audit_action")
    note = session.info.get("audit_note")
    rows = []
    for obj in session.new:
        name = type(obj).__name__
        if name not in SKIP_ENTITIES:
            rows.append(_row(actor, label or "tambah", name, _pk(obj), None, snapshot(obj), note))
    for obj in session.dirty:
        name = type(obj).__name__
        if name in SKIP_ENTITIES or not session.is_modified(obj, include_collections=False):
            continue
        before, after = _changes(obj)
        if before or after:
            rows.append(_row(actor, label or "ubah", name, _pk(obj), before, after, note))
    for obj in session.deleted:
        name = type(obj).__name__
        if name not in SKIP_ENTITIES:
            rows.append(_row(actor, label or "hapus", name, _pk(obj), snapshot(obj), None, note))
    if rows:
        session.connection().execute(insert(AuditLog), rows)


def record(session: Session, actor: Actor, action: str, entity: str, entity_id: Any = None,
           before: dict | None = None, after: dict | None = None, note: str | None = None) -> None:
    """Record an event that is not a row change (login, logout, export, a refused attempt...)."""
    session.connection().execute(
        insert(AuditLog),
        [_row(actor, action, entity, None if entity_id is None else str(entity_id), before, after, note)],
    )


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    action: str | None = None
    entity: str | None = None
    text: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    limit: int = 500


def search(actor: Actor, flt: AuditFilter) -> pd.DataFrame:
    """Audit rows for the admin page, newest first. Only admin SDM may read the log."""
    from db.engine import read_session

    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat melihat log audit.")
    q = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(max(1, min(flt.limit, 5000)))
    if flt.username:
        q = q.where(AuditLog.username == flt.username)
    if flt.action:
        q = q.where(AuditLog.action == flt.action)
    if flt.entity:
        q = q.where(AuditLog.entity == flt.entity)
    if flt.date_from:
        q = q.where(AuditLog.at >= dt.datetime.combine(flt.date_from, dt.time.min, dt.UTC))
    if flt.date_to:
        q = q.where(AuditLog.at < dt.datetime.combine(flt.date_to + dt.timedelta(days=1), dt.time.min, dt.UTC))
    if flt.text:
        like = f"%{flt.text}%"
        q = q.where(or_(AuditLog.entity_id.ilike(like), AuditLog.note.ilike(like), AuditLog.username.ilike(like)))
    with read_session() as s:
        rows = s.scalars(q).all()
        data = [
            {
                "waktu": r.at,
                "pengguna": r.username,
                "aksi": r.action,
                "entitas": r.entity,
                "id": r.entity_id,
                "sebelum": r.before,
                "sesudah": r.after,
                "catatan": r.note,
            }
            for r in rows
        ]
    return pd.DataFrame(data, columns=["waktu", "pengguna", "aksi", "entitas", "id", "sebelum", "sesudah", "catatan"])


def facets(actor: Actor) -> dict[str, list[str]]:
    """Distinct users, actions and entities, for the filter dropdowns."""
    from db.engine import read_session

    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat melihat log audit.")
    with read_session() as s:
        return {
            "username": sorted(s.scalars(select(AuditLog.username).distinct()).all()),
            "action": sorted(s.scalars(select(AuditLog.action).distinct()).all()),
            "entity": sorted(s.scalars(select(AuditLog.entity).distinct()).all()),
            "count": [str(s.scalar(select(func.count(AuditLog.id))) or 0)],
        }
