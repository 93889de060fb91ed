"""Capaian of an indicator: realisation against target for positive/negative polarity and ranges (PermenPANRB 6/2022, 8/2021)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from domain.common import _fmt_num, _norm_label, _round_half_up, _to_decimal

# --- Capaian IKI (domain.md §2.13, PermenPANRB 8/2021) -----------------------------------------

_POLARITAS = ("positif", "negatif")


def _non_negative(value, what: str) -> Decimal:
    amount = _to_decimal(value, what)
    if amount < 0:
        raise ValueError(f"{what} tidak boleh negatif (tertulis {value}).")
    return amount


def capaian(
    realisasi: Decimal | int | float | str,
    target_min: Decimal | int | float | str,
    target_max: Decimal | int | float | str | None = None,
    polaritas: str = "positif",
) -> Decimal:
    """Capaian in percent, rounded half up to 2 decimals.

    - positif: realisasi / target × 100;
    - negatif (lower is better, e.g. time): (2 − realisasi / target) × 100, clamped at 0 (a capaian below
      0 % is meaningless);
    - range target (target_max > target_min): realisasi inside the range → 100; otherwise the nearest bound
      is the target (above → target_max, below → target_min) and the formula of the polarity applies.
      Examples: 80–90, realisasi 92 → 102.22; 70 → 87.50; negatif 7–8, 6.5 → 107.14; 9 → 87.50.

    target_max None/blank/NaN or equal to target_min means a single target. Numbers may be int, float, str
    (decimal comma accepted) or Decimal. A single target 0 cannot be divided by and raises ValueError; a
    range may start at 0. Negative numbers, target_max < target_min and unknown polarity raise ValueError.
    """
    pol = _norm_label(polaritas) if isinstance(polaritas, str) else None
    if pol not in _POLARITAS:
        raise ValueError(f"Polaritas '{polaritas}' tidak dikenal (positif atau negatif).")
    real = _non_negative(realisasi, "Realisasi")
    low = _non_negative(target_min, "Target")
    blank = target_max is None or (isinstance(target_max, str) and not target_max.strip())
    if not blank and isinstance(target_max, float) and target_max != target_max:  # NaN from pandas
        blank = True
    high = None if blank else _non_negative(target_max, "Target maksimum")
    if high is not None and high < low:
        raise ValueError(f"Target maksimum ({_fmt_num(high)}) lebih kecil dari target minimum ({_fmt_num(low)}).")
    if high is None or high == low:
        if low == 0:
            raise ValueError("Target tidak boleh 0 (capaian tidak dapat dihitung).")
        basis = low
    elif real > high:
        basis = high
    elif real < low:
        basis = low
    else:
        return Decimal("100.00")
    ratio = Fraction(real) / Fraction(basis)
    value = ratio if pol == "positif" else 2 - ratio
    return _round_half_up(max(value, Fraction(0)) * 100)


