"""Which satker a pegawai belongs to, and the Admin SDM's reach.

A satker is a root unit (a unit without parent) with every unit below it. An installation may hold several
(e.g. a balai and its loka): an Admin SDM account linked to a pegawai manages the pegawai of that pegawai's
satker only; an Admin SDM account without pegawai (the installation's administrator) manages every satker.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Pegawai, Role, UnitKerja
from services.core.actor import Actor
from services.core.errors import PermissionDenied

OTHER_SATKER = "Pegawai {nama} berada di satuan kerja lain; Admin SDM hanya mengelola pegawai satuan kerjanya sendiri."


def _parents(s: Session) -> dict[int, int | None]:
    return dict(s.execute(select(UnitKerja.id, UnitKerja.parent_id)).tuples().all())


def root_of(parents: dict[int, int | None], unit_id: int | None) -> int | None:
    seen: set[int] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        up = parents.get(unit_id)
        if up is None:
            return unit_id
        unit_id = up
    return unit_id


def satker_of(s: Session, pegawai_id: int | None) -> int | None:
    """The root unit of the pegawai's unit (None for a pegawai without unit)."""
    if pegawai_id is None:
        return None
    unit_id = s.scalar(select(Pegawai.unit_id).where(Pegawai.id == pegawai_id))
    return root_of(_parents(s), unit_id)


def sdm_satker(s: Session, actor: Actor) -> int | None:
    """The satker an Admin SDM manages (None = every satker: an account without pegawai)."""
    return satker_of(s, actor.pegawai_id)


def sdm_scope(s: Session, actor: Actor) -> set[int] | None:
    """The pegawai ids the Admin SDM may manage (None = all)."""
    root = sdm_satker(s, actor)
    if root is None:
        return None
    parents = _parents(s)
    return {pid for pid, uid in s.execute(select(Pegawai.id, Pegawai.unit_id)).tuples()
            if root_of(parents, uid) == root}


def require_sdm_for(s: Session, actor: Actor, pegawai_ids, *, message: str | None = None) -> None:
    """Refuse unless the actor is Admin SDM of the satker of every pegawai in `pegawai_ids`."""
    actor.require(Role.ADMIN_SDM, message=message)
    scope = sdm_scope(s, actor)
    if scope is None:
        return
    for pid in pegawai_ids:
        if pid not in scope:
            p = s.get(Pegawai, pid)
            raise PermissionDenied(OTHER_SATKER.format(nama=p.nama_lengkap if p else f"#{pid}"))
