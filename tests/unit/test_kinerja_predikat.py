"""The organisational predikat proposed by the ratified kertas kerja (SE MenPANRB 3/2023 mapping from setting
kinerja_predikat_organisasi) and its confirmation/override through the organisational-predikat service."""

from __future__ import annotations

import datetime as dt

import pytest

from services.core import clock
from services.core.errors import PermissionDenied, ValidationFailed
from services.evaluasi import organisasi as ko
from services.kinerja import kertas, predikat
from tests import kinerja_factories as kf
from tests.skp_factories import period_id

DOK = {"nomor_penetapan": "KP.01/123/2026", "dokumen": ("penetapan.pdf", b"%PDF-1.4\n% penetapan\n")}


@pytest.fixture
def frozen(org):
    with clock.frozen(dt.date(org.year, 12, 20)):
        yield org


def _ratified(org, bulan: int = 3) -> None:
    tim2 = kf.build_pk(org)
    y = org.year
    for b in range(1, bulan + 1):
        kf.submit_month(org, tim2, y, b)
    kertas.susun(org.actors.ketua, y, "bulan", bulan)
    kertas.ajukan(org.actors.ketua, y, "bulan", bulan)
    kertas.periksa(org.actors.kasub, y, "bulan", bulan)
    kertas.sahkan(org.actors.kepala, y, "bulan", bulan)


def test_proposal_confirm_and_override(frozen):
    org = frozen
    pid, root, a = period_id(org), org.units["root"], org.actors
    assert predikat.usulan(a.kepala, pid, 0) is None
    _ratified(org)
    u = predikat.usulan(a.kepala, pid, 0)
    # I1 36/30 = 120 %, I2 negatif 4 vs 4 = 100 %, I3 range 85 in 80–90 = 100 % → mean 106,67 → Istimewa
    assert u["predikat"] == "Istimewa" and u["capaian_rata_rata"] == pytest.approx(106.67)
    assert u["sumber"].startswith("Kertas kerja Maret")
    with pytest.raises(PermissionDenied):  # the Kepala never sets his own unit's predikat
        predikat.tetapkan(a.kepala, root, pid, 0, "Istimewa", **DOK)
    predikat.tetapkan(a.admin, root, pid, 0, "Istimewa", **DOK)
    view = ko.distribution(a.admin, root, pid)
    assert view.predikat_organisasi == "Istimewa" and "Dikonfirmasi" in view.catatan
    with pytest.raises(ValidationFailed, match="Alasan"):
        predikat.tetapkan(a.ketua, root, pid, 0, "Baik", "", expected_version=view.version)
    predikat.tetapkan(a.ketua, root, pid, 0, "Baik", "Penetapan Dirjen menurunkan predikat karena temuan APIP.",
                      expected_version=view.version)
    view = ko.distribution(a.admin, root, pid)
    assert view.predikat_organisasi == "Baik" and "Diubah: Penetapan Dirjen" in view.catatan
