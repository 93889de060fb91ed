"""Capaian of an indicator: realisation against target for positive/negative polarity and ranges (PermenPANRB 6/2022, 8/2021)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from domain.common import _fmt_num, _norm_label, _round_half_up, _to_decimal

# --- Capaian IKI (domain.md §2.13, PermenPANRB 8/2021) -----------------------------------------

_POLARITAS = ("positif", "negatif")

# What a negatif IKI with target 0 ("0 temuan", "0 keluhan") gets when the realisasi is above 0. PermenPANRB
# 8/2021 divides by the target and has no rule for 0; the instansi chooses (setting capaian_target_nol_negatif).
ATURAN_NOL = "nol"  # capaian 0 %: the target "none at all" was missed
ATURAN_TIDAK_DIHITUNG = "tidak_dihitung"  # no capaian; the reason is shown and the penilai judges
ATURAN_TARGET_NOL = (ATURAN_NOL, ATURAN_TIDAK_DIHITUNG)

ALASAN_POSITIF_NOL = ("Capaian tidak dapat dihitung: target 0 dengan polaritas positif (makin tinggi makin baik) "
                      "tidak dapat menjadi pembagi. Ubah target atau polaritas pada SKP, atau nilai berdasarkan "
                      "bukti dukung.")
ALASAN_NEGATIF_NOL = ("Capaian tidak dapat dihitung: target 0 dengan polaritas negatif, realisasi di atas 0; "
                      "aturan instansi menyerahkan penilaiannya kepada pejabat penilai berdasarkan bukti dukung.")


class CapaianTidakDihitung(ValueError):
    """The capaian cannot be computed (target 0); str() is the reason to show to the user."""


@dataclass(frozen=True)
class HasilCapaian:
    """Capaian in percent, or None with the reason (`alasan`) it cannot be computed."""

    nilai: Decimal | None
    alasan: str | None = None


def default_polaritas(aspek: str | None, satuan: str | None = None) -> str:
    """Time and cost measured in their own unit (hari, bulan, rupiah) are lower-is-better ("negatif");
    percentages ("ketepatan waktu 100 %") and everything else are higher-is-better ("positif")."""
    a = (str(aspek) if aspek is not None else "").casefold()
    if a in ("waktu", "biaya") and "%" not in (satuan or ""):
        return "negatif"
    return "positif"


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
    target_nol_negatif: str = ATURAN_NOL,
) -> Decimal:
    """Capaian in percent, rounded half up to 2 decimals.

    - positif: realisasi / target × 100;
    - negatif (lower is better, e.g. time): (2 − realisasi / target) × 100, clamped at 0 (a capaian below
      0 % is meaningless);
    - range target (target_max > target_min): realisasi inside the range → 100; otherwise the nearest bound
      is the target (above → target_max, below → target_min) and the formula of the polarity applies.
      Examples: 80–90, realisasi 92 → 102.22; 70 → 87.50; negatif 7–8, 6.5 → 107.14; 9 → 87.50.

    target_max None/blank/NaN or equal to target_min means a single target. Numbers may be int, float, str
    (decimal comma accepted) or Decimal. A range may start at 0. Negative numbers, target_max < target_min and
    unknown polarity raise ValueError.

    Single target 0 ("0 temuan"): negatif with realisasi 0 → 100; negatif with realisasi above 0 → the rule
    `target_nol_negatif` (ATURAN_NOL → 0, ATURAN_TIDAK_DIHITUNG → CapaianTidakDihitung); positif → raises
    CapaianTidakDihitung (a ValueError) whose message is the reason. `hitung_capaian` never raises for these.
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
            if pol == "positif":
                raise CapaianTidakDihitung(ALASAN_POSITIF_NOL)
            if real == 0:
                return Decimal("100.00")
            if target_nol_negatif == ATURAN_NOL:
                return Decimal("0.00")
            if target_nol_negatif == ATURAN_TIDAK_DIHITUNG:
                raise CapaianTidakDihitung(ALASAN_NEGATIF_NOL)
            raise ValueError(f"Aturan target 0 '{target_nol_negatif}' tidak dikenal (nol atau tidak_dihitung).")
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




def hitung_capaian(
    realisasi: Decimal | int | float | str | None,
    target_min: Decimal | int | float | str,
    target_max: Decimal | int | float | str | None = None,
    polaritas: str = "positif",
    target_nol_negatif: str = ATURAN_NOL,
) -> HasilCapaian:
    """`capaian` that never raises for a computable-or-explained case: no realisasi → (None, None); target 0
    that cannot be computed → (None, reason); invalid numbers → (None, the error message)."""
    if realisasi is None or (isinstance(realisasi, str) and not realisasi.strip()):
        return HasilCapaian(None)
    try:
        return HasilCapaian(capaian(realisasi, target_min, target_max, polaritas, target_nol_negatif))
    except ValueError as e:
        return HasilCapaian(None, str(e))
