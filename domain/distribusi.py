"""Distribution curve of pegawai predikat per organisational predikat (SE MenPANRB 3/2023)."""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from domain.common import _fmt_num, _to_decimal
from domain.enums import Predikat, PredikatOrganisasi
from domain.predikat import PREDIKAT_ORDER, parse_predikat, parse_predikat_organisasi

# --- Distribution of employee predikat (domain.md §2.12, SE MenPANRB 3/2023) --------------------


@dataclass(frozen=True)
class DistributionRules:
    """Thresholds of the distribution curve, in percent (Decimal 0–100) of all employees of the unit.

    Field prefix = organisational predikat. `sebagian_besar_terbanyak` reads "sebagian besar pegawai"
    (Istimewa: Sangat Baik; Baik: Baik) as "that predikat is the most frequent one (ties allowed)" — [U] in
    domain.md, switch it off to keep only the percentage caps. `baik_bp_kurang_min_jumlah` is the minimum
    number of employees with Butuh Perbaikan and/or Kurang/Misconduct under an organisational Baik
    (0 disables the rule). Shares are compared exactly (no rounding for small units)."""

    istimewa_sangat_baik_max: Decimal = Decimal(70)
    baik_baik_max: Decimal = Decimal(70)
    baik_bp_kurang_min_jumlah: int = 1
    butuh_perbaikan_bp_min: Decimal = Decimal(60)
    butuh_perbaikan_sangat_baik_max: Decimal = Decimal(10)
    kurang_kurang_min: Decimal = Decimal(60)
    kurang_bp_min: Decimal = Decimal(10)
    kurang_sangat_baik_max: Decimal = Decimal(10)
    sangat_kurang_sk_min: Decimal = Decimal(60)
    sangat_kurang_kurang_bp_min: Decimal = Decimal(10)
    sangat_kurang_sangat_baik_max: Decimal = Decimal(0)
    sebagian_besar_terbanyak: bool = True

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name == "sebagian_besar_terbanyak":
                if not isinstance(value, bool):
                    raise ValueError("sebagian_besar_terbanyak harus True atau False.")
            elif field.name.endswith("_jumlah"):
                try:
                    if isinstance(value, bool):
                        raise TypeError
                    count = operator.index(value)
                except TypeError:
                    raise ValueError(f"{field.name} harus bilangan bulat (tertulis '{value}').") from None
                if count < 0:
                    raise ValueError(f"{field.name} tidak boleh negatif.")
                object.__setattr__(self, field.name, count)
            else:
                pct = _to_decimal(value, field.name)
                if not 0 <= pct <= 100:
                    raise ValueError(f"{field.name} harus 0 sampai 100 (tertulis {value}).")
                object.__setattr__(self, field.name, pct)
        for org in PredikatOrganisasi:
            mins = sum((r.pct for r in _share_rules(org, self) if r.kind == "min"), Decimal(0))
            if mins > 100:
                raise ValueError(f"Batas minimum distribusi untuk organisasi {org.value} berjumlah lebih dari 100%.")
        if self.sebagian_besar_terbanyak:
            for org, dominant in _DOMINANT.items():
                cap = next(r.pct for r in _share_rules(org, self) if r.kind == "max" and r.group == (dominant,))
                if cap * len(Predikat) < 100:
                    raise ValueError(
                        f"Batas maksimum {dominant.value} untuk organisasi {org.value} terlalu kecil untuk menjadi "
                        "predikat terbanyak.")


@dataclass(frozen=True)
class _ShareRule:
    kind: str  # "min" or "max"
    group: tuple[Predikat, ...]
    pct: Decimal

    @property
    def label(self) -> str:
        return " dan/atau ".join(p.value for p in self.group)


_DOMINANT: Mapping[PredikatOrganisasi, Predikat] = {
    PredikatOrganisasi.ISTIMEWA: Predikat.SANGAT_BAIK,
    PredikatOrganisasi.BAIK: Predikat.BAIK,
}


def _share_rules(org: PredikatOrganisasi, t: DistributionRules) -> list[_ShareRule]:
    """Percentage rules per organisational predikat; the groups of the "min" rules are disjoint."""
    sb, b, bp, k, sk = PREDIKAT_ORDER
    return {
        PredikatOrganisasi.ISTIMEWA: [_ShareRule("max", (sb,), t.istimewa_sangat_baik_max)],
        PredikatOrganisasi.BAIK: [_ShareRule("max", (b,), t.baik_baik_max)],
        PredikatOrganisasi.BUTUH_PERBAIKAN: [
            _ShareRule("min", (bp,), t.butuh_perbaikan_bp_min),
            _ShareRule("max", (sb,), t.butuh_perbaikan_sangat_baik_max),
        ],
        PredikatOrganisasi.KURANG: [
            _ShareRule("min", (k,), t.kurang_kurang_min),
            _ShareRule("min", (bp,), t.kurang_bp_min),
            _ShareRule("max", (sb,), t.kurang_sangat_baik_max),
        ],
        PredikatOrganisasi.SANGAT_KURANG: [
            _ShareRule("min", (sk,), t.sangat_kurang_sk_min),
            _ShareRule("min", (k, bp), t.sangat_kurang_kurang_bp_min),
            _ShareRule("max", (sb,), t.sangat_kurang_sangat_baik_max),
        ],
    }[org]


DEFAULT_DISTRIBUTION = DistributionRules()


def _thresholds(thresholds: DistributionRules | Mapping[str, object] | None) -> DistributionRules:
    if thresholds is None:
        return DEFAULT_DISTRIBUTION
    if isinstance(thresholds, DistributionRules):
        return thresholds
    if isinstance(thresholds, Mapping):
        known = {f.name for f in dataclasses.fields(DistributionRules)}
        unknown = sorted(set(map(str, thresholds)) - known)
        if unknown:
            raise ValueError(f"Aturan distribusi tidak dikenal: {', '.join(unknown)}.")
        return dataclasses.replace(DEFAULT_DISTRIBUTION, **thresholds)  # type: ignore[arg-type]
    raise ValueError("Aturan distribusi harus DistributionRules atau dict.")


def _counts(counts: Mapping) -> dict[Predikat, int]:
    if not isinstance(counts, Mapping):
        raise ValueError("Jumlah pegawai per predikat harus berupa dict {predikat: jumlah}.")
    result = dict.fromkeys(PREDIKAT_ORDER, 0)
    for key, value in counts.items():
        pred = parse_predikat(key)
        try:
            if isinstance(value, bool):
                raise TypeError
            n = operator.index(value)
        except TypeError:
            raise ValueError(f"Jumlah pegawai {pred.value} harus bilangan bulat (tertulis '{value}').") from None
        if n < 0:
            raise ValueError(f"Jumlah pegawai {pred.value} tidak boleh negatif (tertulis {n}).")
        result[pred] += n
    return result


def _share(n: int, total: int) -> str:
    return f"{n} dari {total} pegawai = {_fmt_num(Fraction(n * 100, total))}%"


def check_distribution(
    predikat_organisasi: str | PredikatOrganisasi,
    counts: Mapping[str | Predikat, int],
    thresholds: DistributionRules | Mapping[str, object] | None = None,
) -> list[str]:
    """Violated rules of the distribution curve (SE MenPANRB 3/2023) as Indonesian sentences; [] when the
    distribution holds or the unit has no employees.

    `counts`: pegawai predikat label (aliases accepted) → number of employees; missing labels count 0.
    `thresholds`: a DistributionRules or a dict of its fields overriding DEFAULT_DISTRIBUTION.
    Comparisons are exact integer arithmetic (count × 100 vs threshold × total)."""
    org = parse_predikat_organisasi(predikat_organisasi)
    rules = _thresholds(thresholds)
    per = _counts(counts)
    total = sum(per.values())
    if total == 0:
        return []
    problems: list[str] = []
    for rule in _share_rules(org, rules):
        n = sum(per[p] for p in rule.group)
        if rule.kind == "max" and n * 100 > rule.pct * total:
            if rule.pct == 0:
                problems.append(f"Tidak boleh ada pegawai {rule.label} (saat ini {_share(n, total)}).")
            else:
                problems.append(f"{rule.label} paling banyak {_fmt_num(rule.pct)}% (saat ini {_share(n, total)}).")
        elif rule.kind == "min" and n * 100 < rule.pct * total:
            problems.append(f"{rule.label} paling sedikit {_fmt_num(rule.pct)}% (saat ini {_share(n, total)}).")
    dominant = _DOMINANT.get(org)
    if dominant is not None and rules.sebagian_besar_terbanyak:
        rival = max((p for p in PREDIKAT_ORDER if p != dominant), key=lambda p: per[p])
        if per[rival] > per[dominant]:
            problems.append(
                f"Sebagian besar pegawai harus berpredikat {dominant.value}: {dominant.value} harus menjadi "
                f"predikat terbanyak (saat ini {_share(per[dominant], total)}, sedangkan {rival.value} "
                f"{_share(per[rival], total)}).")
    if org == PredikatOrganisasi.BAIK and rules.baik_bp_kurang_min_jumlah > 0:
        n = per[Predikat.BUTUH_PERBAIKAN] + per[Predikat.KURANG]
        if n < rules.baik_bp_kurang_min_jumlah:
            problems.append(
                "Harus ada pegawai dengan predikat Butuh Perbaikan dan/atau Kurang/Misconduct "
                f"(paling sedikit {rules.baik_bp_kurang_min_jumlah} pegawai; saat ini {n} dari {total} pegawai).")
    return problems


def allowed_shares(
    predikat_organisasi: str | PredikatOrganisasi,
    thresholds: DistributionRules | Mapping[str, object] | None = None,
) -> dict[Predikat, tuple[Decimal, Decimal]]:
    """Per pegawai predikat (PREDIKAT_ORDER) the (min_pct, max_pct) band, Decimal 0–100, for a calibration
    chart. Each band is the tightest one implied by the percentage rules (including "the other minimums must
    still fit" and, when `sebagian_besar_terbanyak` is on, "the dominant predikat is at least 100/5 = 20 %
    and any other at most 50 %"); every distribution accepted by `check_distribution` lies inside all bands.
    The count rule of organisational Baik is not a share and is not reflected."""
    org = parse_predikat_organisasi(predikat_organisasi)
    rules = _thresholds(thresholds)
    share_rules = _share_rules(org, rules)
    low = dict.fromkeys(PREDIKAT_ORDER, Decimal(0))
    high = dict.fromkeys(PREDIKAT_ORDER, Decimal(100))
    for rule in share_rules:
        for p in rule.group:
            if rule.kind == "max":
                high[p] = min(high[p], rule.pct)
            elif len(rule.group) == 1:
                low[p] = max(low[p], rule.pct)
    for p in PREDIKAT_ORDER:
        others = sum((r.pct for r in share_rules if r.kind == "min" and p not in r.group), Decimal(0))
        high[p] = min(high[p], Decimal(100) - others)
    dominant = _DOMINANT.get(org)
    if dominant is not None and rules.sebagian_besar_terbanyak:
        low[dominant] = max(low[dominant], Decimal(100) / len(Predikat))
        for p in PREDIKAT_ORDER:
            if p != dominant:
                high[p] = min(high[p], Decimal(50), high[dominant])
    return {p: (low[p], high[p]) for p in PREDIKAT_ORDER}
