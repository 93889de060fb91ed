"""Errors raised by services. Messages are in Bahasa Indonesia: pages show them as they are."""

from __future__ import annotations

from dataclasses import dataclass, field


class ServiceError(Exception):
    """Base class: the message is meant for the user."""


class PermissionDenied(ServiceError):
    def __init__(self, message: str = "Anda tidak berwenang melakukan tindakan ini.") -> None:
        super().__init__(message)


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """Someone else changed the data in the meantime; the user's input is kept and they retry."""


class LoginRefused(ServiceError):
    pass


@dataclass(frozen=True)
class FieldError:
    row: int | None  # 1-based row number as the user sees it; None for form-level errors
    field: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.field}: {self.message}"
        return f"Baris {self.row}, kolom {self.field}: {self.message}"


@dataclass
class ValidationFailed(ServiceError):
    errors: list[FieldError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len(self.errors)
        head = f"Data tidak disimpan: {n} kesalahan."
        return head + " " + "; ".join(str(e) for e in self.errors[:5]) + (" …" if n > 5 else "")

    def __str__(self) -> str:
        return self.summary()
