"""Beranda tasks ("Tugas saya"): the Task record and the registry that feature packages add providers to.

A provider is a function (session, actor, today) -> list[Task]; services/beranda collects them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.core.actor import Actor


@dataclass(frozen=True)
class Task:
    kategori: str
    judul: str
    detail: str = ""
    tenggat: dt.date | None = None
    prioritas: int = 2  # 1 = mendesak, 2 = biasa, 3 = info
    halaman: str | None = None  # page file under pages/


TaskProvider = Callable[[Session, Actor, dt.date], list[Task]]
_PROVIDERS: list[TaskProvider] = []


def task_provider(fn: TaskProvider) -> TaskProvider:
    _PROVIDERS.append(fn)
    return fn


def providers() -> tuple[TaskProvider, ...]:
    """Every registered provider (the feature packages register theirs when imported)."""
    return tuple(_PROVIDERS)
