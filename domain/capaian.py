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


# --- Organisational indicators (domain.md §5.3): range polarity, month aggregation, bands -----------------------

AGREGASI = ("kumulatif", "nilai akhir periode", "rata-rata")


def capaian_indikator(
    realisasi: Decimal | int | float | str,
    target: Decimal | int | float | str,
    target_max: Decimal | int | float | str | None = None,
    polaritas: str = "positif",
) -> Decimal:
    """Capaian in percent of an organisational indicator with polarity positif, negatif or range.

    positif/negatif behave as `capaian` (a range target with them uses the nearest bound). Polarity *range*
    ("stay within", e.g. 80–90 %) needs target_max ≥ target: inside the range → 100; below it → realisasi /
    target × 100 (too little); above it → (2 − realisasi / target_max) × 100, clamped at 0 (overshooting is
    as bad as falling short). Examples: 80–90, realisasi 85 → 100; 72 → 90.00; 99 → 90.00.
    """
    pol = _norm_label(polaritas) if isinstance(polaritas, str) else None
    if pol != "range":
        return capaian(realisasi, target, target_max, pol or polaritas)
    real = _non_negative(realisasi, "Realisasi")
    low = _non_negative(target, "Target")
    if target_max is None or (isinstance(target_max, str) and not target_max.strip()):
        raise ValueError("Polaritas range memerlukan target minimum dan maksimum.")
    high = _non_negative(target_max, "Target maksimum")
    if high < low:
        raise ValueError(f"Target maksimum ({_fmt_num(high)}) lebih kecil dari target minimum ({_fmt_num(low)}).")
    if low <= real <= high:
        return Decimal("100.00")
    if real < low:
        return _round_half_up(Fraction(real) / Fraction(low) * 100)
    if high == 0:
        return Decimal("0.00")
    return _round_half_up(max(2 - Fraction(real) / Fraction(high), Fraction(0)) * 100)


def _rule(aturan: str) -> str:
    rule = _norm_label(aturan) if isinstance(aturan, str) else None
    if rule not in AGREGASI:
        raise ValueError(f"Aturan agregasi '{aturan}' tidak dikenal (kumulatif, nilai akhir periode, rata-rata).")
    return rule


def agregat(values, aturan: str) -> Decimal | None:
    """The figure of a period from its months (in month order; None = no figure that month).

    kumulatif: sum of the months with a figure; nilai akhir periode: the last month with a figure; rata-rata:
    mean of the months with a figure (rounded half up to 2 decimals). None when no month has a figure.
    """
    rule = _rule(aturan)
    nums = [_to_decimal(v, "Nilai") for v in values if v is not None and not (isinstance(v, str) and not v.strip())]
    if not nums:
        return None
    if rule == "kumulatif":
        return sum(nums, Decimal(0))
    if rule == "nilai akhir periode":
        return nums[-1]
    return _round_half_up(Fraction(sum(nums, Decimal(0))) / len(nums))


def sebar_triwulan(triwulan, aturan: str) -> list[Decimal]:
    """Twelve monthly targets from four quarterly ones: kumulatif splits each quarter over its three months
    (2 decimals, the remainder in the quarter's last month); nilai akhir periode and rata-rata repeat the
    quarter's target in each of its months."""
    rule = _rule(aturan)
    quarters = [_to_decimal(q, "Target triwulan") for q in triwulan]
    if len(quarters) != 4:
        raise ValueError("Target triwulan harus empat angka (Triwulan I–IV).")
    out: list[Decimal] = []
    for q in quarters:
        if rule == "kumulatif":
            part = (q / 3).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
            out += [part, part, q - 2 * part]
        else:
            out += [q, q, q]
    return out


def band(capaian_persen, bands) -> str | None:
    """The band label for a capaian: `bands` is a list of (minimum percent, label); the highest minimum not above
    the capaian wins. None for a missing capaian."""
    if capaian_persen is None:
        return None
    value = _to_decimal(capaian_persen, "Capaian")
    ordered = sorted(((Decimal(str(m)), label) for m, label in bands), key=lambda x: x[0], reverse=True)
    for minimum, label in ordered:
        if value >= minimum:
            return label
    return ordered[-1][1] if ordered else None


def parse_bands(text: str) -> list[tuple[Decimal, str]]:
    """'91:Sangat Baik;76:Baik;66:Cukup;51:Kurang;0:Sangat Kurang' → [(91, 'Sangat Baik'), ...]."""
    out = []
    for part in str(text).split(";"):
        if not part.strip():
            continue
        if ":" not in part:
            raise ValueError(f"'{part.strip()}' harus berbentuk batas_bawah:label.")
        low, label = part.split(":", 1)
        out.append((_to_decimal(low.strip(), "Batas bawah"), label.strip()))
    if not out:
        raise ValueError("Pita capaian kosong.")
    return out
