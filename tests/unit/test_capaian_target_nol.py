"""Capaian for a target of 0 per polarity (PermenPANRB 8/2021 has no rule for it; the instansi setting
capaian_target_nol_negatif decides a negatif IKI above 0). Pure, no database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from domain.capaian import (
    ALASAN_NEGATIF_NOL,
    ALASAN_POSITIF_NOL,
    ATURAN_NOL,
    ATURAN_TIDAK_DIHITUNG,
    CapaianTidakDihitung,
    HasilCapaian,
    capaian,
    default_polaritas,
    hitung_capaian,
)


@pytest.mark.parametrize("rule", [ATURAN_NOL, ATURAN_TIDAK_DIHITUNG])
def test_negatif_target_zero_realisasi_zero_is_100(rule):
    assert capaian(0, 0, None, "negatif", rule) == D("100.00")
    assert capaian("0,0", "0", "", "negatif", rule) == D("100.00")


def test_negatif_target_zero_above_zero_follows_the_rule():
    assert capaian(2, 0, None, "negatif", ATURAN_NOL) == D("0.00")
    assert capaian(2, 0, None, "negatif") == D("0.00")  # the default rule
    with pytest.raises(CapaianTidakDihitung, match="pejabat penilai"):
        capaian(2, 0, None, "negatif", ATURAN_TIDAK_DIHITUNG)
    assert hitung_capaian(2, 0, None, "negatif", ATURAN_TIDAK_DIHITUNG) == HasilCapaian(None, ALASAN_NEGATIF_NOL)


def test_positif_target_zero_is_not_computable_with_a_reason():
    for real in (0, 3):
        with pytest.raises(CapaianTidakDihitung) as e:
            capaian(real, 0)
        assert str(e.value) == ALASAN_POSITIF_NOL
        result = hitung_capaian(real, 0, None, "positif")
        assert result.nilai is None and "polaritas positif" in result.alasan


def test_hitung_capaian_normal_and_blank():
    assert hitung_capaian(8, 10) == HasilCapaian(D("80.00"))
    assert hitung_capaian(None, 0) == HasilCapaian(None)
    assert hitung_capaian(1, 0, 5, "positif") == HasilCapaian(D("100.00"))  # a range may start at 0
    assert "negatif" in hitung_capaian(-1, 10).alasan


def test_default_polaritas():
    assert default_polaritas("Waktu", "hari") == "negatif"
    assert default_polaritas("Biaya", "rupiah") == "negatif"
    assert default_polaritas("Waktu", "%") == "positif"
    assert default_polaritas(None, "temuan") == "positif"
