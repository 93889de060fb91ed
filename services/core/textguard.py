"""Stored text is checked once, centrally, before every flush: control characters (NUL and the like) and text
longer than its column are refused with a clear message on SQLite and PostgreSQL alike.

PostgreSQL cannot store NUL at all and refuses over-long VARCHARs with a raw DataError; SQLite stores both
silently. Registered on every Session by services.core.uow (before_flush), so each write path is covered.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from services.core.errors import FieldError, ValidationFailed

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters refused in stored text (tab, line feed and carriage return are allowed)."""
SKIP_ENTITIES = {"AuditLog"}


def label(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def text_problem(value: str, length: int | None) -> str | None:
    """Why `value` cannot be stored in a text column of `length` characters, or None."""
    if CONTROL.search(value):
        return ("memuat karakter kendali yang tidak diizinkan (misalnya NUL). Hapus karakter tersebut "
                "(sering terbawa dari salinan berkas lain), lalu simpan lagi")
    if length is not None and len(value) > length:
        return f"terlalu panjang ({len(value)} karakter; maksimal {length})"
    return None


def _problems(obj: Any, only_changed: bool) -> list[FieldError]:
    state = inspect(obj)
    out = []
    for attr in state.mapper.column_attrs:
        column = attr.columns[0]
        if not isinstance(column.type, String):
            continue
        if only_changed and not state.attrs[attr.key].history.has_changes():
            continue
        value = getattr(obj, attr.key, None)
        if not isinstance(value, str):
            continue
        problem = text_problem(value, column.type.length)
        if problem:
            out.append(FieldError(None, label(attr.key), problem))
    return out


@event.listens_for(Session, "before_flush")
def _check_text(session: Session, _ctx, _instances) -> None:
    errors: list[FieldError] = []
    for obj in session.new:
        if type(obj).__name__ not in SKIP_ENTITIES:
            errors += _problems(obj, only_changed=False)
    for obj in session.dirty:
        if type(obj).__name__ not in SKIP_ENTITIES:
            errors += _problems(obj, only_changed=True)
    if errors:
        raise ValidationFailed(list(dict.fromkeys(errors)))


def clean_for_log(value: str | None, length: int | None = None) -> str | None:
    """Text made storable in the audit log: control characters shown as '?', cut to `length`."""
    if value is None:
        return None
    text = CONTROL.sub("?", str(value))
    if length is not None and len(text) > length:
        text = text[: length - 1] + "…"
    return text
