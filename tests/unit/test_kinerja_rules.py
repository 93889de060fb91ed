"""Pure rules of organisational indicators: range polarity, month aggregation, quarterly spread, bands."""

from decimal import Decimal as D

import pytest

import domain as rules


@pytest.mark.parametrize(("real", "lo", "hi", "pol", "expected"), [
    (85, 80, 90, "range", "100.00"),
    (80, 80, 90, "range", "100.00"),
    (72, 80, 90, "range", "90.00"),     # 72/80
    (99, 80, 90, "range", "90.00"),     # 2 - 99/90
    (200, 80, 90, "range", "0.00"),     # clamped
    (92, 80, 90, "positif", "102.22"),  # positif with a range target: upper bound
    (6.5, 7, 8, "negatif", "107.14"),
    (110, 100, None, "positif", "110.00"),
    (3, 4, None, "negatif", "125.00"),
])
def test_capaian_indikator(real, lo, hi, pol, expected):
    assert rules.capaian_indikator(real, lo, hi, pol) == D(expected)


def test_range_needs_both_bounds():
    with pytest.raises(ValueError, match="range"):
        rules.capaian_indikator(5, 4, None, "range")
    with pytest.raises(ValueError, match="lebih kecil"):
        rules.capaian_indikator(5, 9, 4, "range")


@pytest.mark.parametrize(("values", "rule", "expected"), [
    ([10, 12, None, 8], "kumulatif", "30"),
    ([10, 12, None, 8], "nilai akhir periode", "8"),
    ([10, 12, None, 8], "rata-rata", "10.00"),
    ([1, 2], "rata-rata", "1.50"),
    ([None, None], "kumulatif", None),
])
def test_agregat(values, rule, expected):
    got = rules.agregat(values, rule)
    assert (None if got is None else str(got)) == expected


def test_agregat_unknown_rule():
    with pytest.raises(ValueError, match="tidak dikenal"):
        rules.agregat([1], "median")


def test_sebar_triwulan():
    assert rules.sebar_triwulan([30, 30, 31, 10], "kumulatif")[:9] == [D(10), D(10), D(10), D(10), D(10), D(10),
                                                                       D("10.33"), D("10.33"), D("10.34")]
    assert sum(rules.sebar_triwulan([30, 30, 31, 10], "kumulatif")) == 101
    assert rules.sebar_triwulan([1, 2, 3, 4], "nilai akhir periode")[3:6] == [D(2)] * 3


def test_band():
    pita = rules.parse_bands("91:Sangat Baik;76:Baik;66:Cukup;51:Kurang;0:Sangat Kurang")
    assert rules.band(D("120"), pita) == "Sangat Baik"
    assert rules.band(D("91"), pita) == "Sangat Baik"
    assert rules.band(D("90.99"), pita) == "Baik"
    assert rules.band(D("50"), pita) == "Sangat Kurang"
    assert rules.band(None, pita) is None
    with pytest.raises(ValueError):
        rules.parse_bands("91 Sangat Baik")
