"""Shared helpers of the domain rules: label tables for enum parsing, exact decimals, half-up rounding."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction

# --- Shared helpers for the evaluation rules below ----------------------------------------------


def _norm_label(text: str) -> str:
    """Case-insensitive comparison key: trimmed, single spaces, no spaces around '/', '_' read as space."""
    key = " ".join(str(text).replace("_", " ").split()).casefold()
    return re.sub(r"\s*/\s*", "/", key)


def _label_table(cls: type[enum.Enum], aliases: Mapping[str, str]) -> dict[str, enum.Enum]:
    table: dict[str, enum.Enum] = {_norm_label(m.value): m for m in cls}
    table.update({_norm_label(alias): cls(target) for alias, target in aliases.items()})
    return table


def _parse_label(cls, table: Mapping[str, enum.Enum], text, what: str):
    if isinstance(text, cls):
        return text
    if text is None or (isinstance(text, str) and not text.strip()):
        raise ValueError(f"{what} wajib diisi.")
    if isinstance(text, str):
        found = table.get(_norm_label(text))
        if found is not None:
            return found
    choices = ", ".join(m.value for m in cls)
    raise ValueError(f"{what} '{text}' tidak dikenal (pilihan: {choices}).")


def _to_decimal(value, what: str) -> Decimal:
    """int/float/str/Decimal (and numpy numbers) → Decimal. Strings may use a decimal comma ('92,5') and
    Indonesian thousands dots ('1.234,5'); a lone '.' is a decimal point."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"{what} wajib diisi.")
    if isinstance(value, bool):
        raise ValueError(f"{what} harus berupa angka.")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    else:
        text = str(value).strip().replace(" ", "") if isinstance(value, str) else str(value)
        if isinstance(value, str) and "," in text:
            if "." in text:
                if text.rfind(",") < text.rfind("."):
                    raise ValueError(f"{what} '{value}' bukan angka yang sah (gunakan koma sebagai pemisah desimal).")
                text = text.replace(".", "")
            text = text.replace(",", ".")
        try:
            result = Decimal(text)
        except (InvalidOperation, ValueError):
            raise ValueError(f"{what} '{value}' bukan angka yang sah.") from None
    if not result.is_finite():
        raise ValueError(f"{what} harus berupa angka (tertulis '{value}').")
    return result


def _round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Exact rounding (half away from zero, i.e. Decimal ROUND_HALF_UP) of a rational number."""
    exact = Fraction(value)
    scale = 10**places
    n = int(abs(exact) * scale + Fraction(1, 2))  # floor of a non-negative number
    whole, frac = divmod(n, scale)
    sign = "-" if exact < 0 and n else ""
    return Decimal(f"{sign}{whole}.{frac:0{places}d}") if places else Decimal(f"{sign}{whole}")


def _fmt_num(value: Fraction | Decimal | int) -> str:
    """80 → '80', 12.5 → '12,5', 1/3 → '0,33' (2 decimals, half up, Indonesian decimal comma)."""
    text = f"{_round_half_up(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


