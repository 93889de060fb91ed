"""The acting user, passed to every service call."""

from __future__ import annotations

from dataclasses import dataclass, field

from db.models import ASSIGNABLE_ROLES, Role
from services.core.errors import PermissionDenied

__all__ = ["ASSIGNABLE_ROLES", "SYSTEM", "Actor", "Role"]  # the UI takes the role names from here, not from db


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    nama: str
    pegawai_id: int | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    # pegawai ids of the holders this user acts for today as Plt/Plh (services/org/penugasan.py): he has their
    # review rights while the assignment runs
    acting_for: frozenset[int] = field(default_factory=frozenset)

    @property
    def reviewer_ids(self) -> frozenset[int]:
        """The pegawai ids whose reporting-line relations this user exercises: his own and, while a Plt/Plh
        assignment runs, the holder's."""
        own = frozenset() if self.pegawai_id is None else frozenset({self.pegawai_id})
        return own | self.acting_for

    def reviews_as(self, reviewer_id: int | None) -> bool:
        """Whether this user exercises the relation of `reviewer_id` (himself, or the holder he acts for)."""
        return reviewer_id is not None and reviewer_id in self.reviewer_ids

    def has(self, *roles: Role) -> bool:
        return any(r in self.roles for r in roles)

    def require(self, *roles: Role, message: str | None = None) -> None:
        """Refuse unless the actor holds at least one of the roles."""
        if not self.has(*roles):
            raise PermissionDenied(message or "Anda tidak berwenang melakukan tindakan ini.")

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN_SDM in self.roles


SYSTEM = Actor(user_id=None, username="sistem", nama="Sistem", roles=frozenset(Role))
"""Used by the command line and migrations; never by a page."""
