"""Realisasi Tim Kerja grids: the indicator grid and the budget grid saved by one service call in one transaction
(an error in either saves nothing), submission in the same call, paste from Excel matched by Kode, and text /
number limits reported by row and column."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.cells import format_tsv
from services.core import clock
from services.core.errors import PermissionDenied, ServiceError, ValidationFailed
from services.kinerja import realisasi
from services.kinerja.common import MAX_TEKS
from tests import kinerja_factories as kf


@pytest.fixture
def ready(org):
    with clock.frozen(dt.date(org.year, 5, 10)):
        tim2 = kf.build_pk(org)
        yield org, tim2


def _grids(org, bulan=4):
    a = org.actors.ketua
    return realisasi.grid(a, org.year, bulan, org.tim_id), realisasi.anggaran_grid(a, org.year, bulan, org.tim_id)


def test_one_transaction_for_both_grids(ready):
    org, _tim2 = ready
    a, y = org.actors.ketua, org.year
    ind, ang = _grids(org)
    ind["Realisasi"] = [11, 4]
    ind["Kendala"] = ["x" * (MAX_TEKS + 1), None]
    ang["Realisasi"] = ["sepuluh"]
    with pytest.raises(ValidationFailed) as e:
        realisasi.save_all(a, y, 4, org.tim_id, ind, ang)
    msgs = [str(x) for x in e.value.errors]
    assert any(m.startswith("Baris 1, kolom Kendala") for m in msgs)
    assert any(m.startswith("Baris 1, kolom Realisasi anggaran") for m in msgs)
    # nothing of either grid was written
    ind2, ang2 = _grids(org)
    assert ind2["Realisasi"].isna().all() and ang2["Realisasi"].isna().all()
    # budget error alone also keeps the (valid) indicator grid unsaved
    ind["Kendala"] = [None, None]
    with pytest.raises(ValidationFailed):
        realisasi.save_all(a, y, 4, org.tim_id, ind, ang)
    assert _grids(org)[0]["Realisasi"].isna().all()
    ang["Realisasi"] = ["95.000,50"]
    assert realisasi.save_all(a, y, 4, org.tim_id, ind, ang) == {"indikator": 2, "anggaran": 1}
    ind2, ang2 = _grids(org)
    assert ind2["Realisasi"].tolist() == [11.0, 4.0] and ang2["Realisasi"].tolist() == [95000.5]
    assert realisasi.header(a, y, 4, org.tim_id)["status"] == "DRAFT"


def test_save_and_submit_together(ready):
    org, tim2 = ready
    a, y = org.actors.ketua, org.year
    ind, ang = _grids(org)
    ind["Realisasi"] = [11, None]
    with pytest.raises(ValidationFailed) as e:  # submission needs every indicator: nothing saved either
        realisasi.save_all(a, y, 4, org.tim_id, ind, ang, ajukan=True)
    assert [str(x) for x in e.value.errors] == ["Baris 2, kolom Realisasi: indikator I2 belum diisi"]
    assert _grids(org)[0]["Realisasi"].isna().all()
    ind["Realisasi"] = [11, 4]
    realisasi.save_all(a, y, 4, org.tim_id, ind, ang, ajukan=True)
    assert realisasi.header(a, y, 4, org.tim_id)["status"] == "DIAJUKAN"
    with pytest.raises(ServiceError):
        realisasi.save_all(a, y, 4, org.tim_id, ind, ang)
    # another team's rows are refused
    with pytest.raises(PermissionDenied):
        realisasi.save_all(org.actors.staf, y, 4, tim2, ind, None)


def test_paste_matches_rows_by_kode(ready):
    org, _tim2 = ready
    a, y = org.actors.ketua, org.year
    text = format_tsv([["Kode", "Realisasi", "Kendala"], ["I2", "3,5", "Hujan deras"], ["I9", "1", ""],
                       ["I1", "-4", ""], ["i2", "4", ""]])
    pv = realisasi.preview_paste(a, y, 4, org.tim_id, text)
    assert pv.header
    assert [r["Realisasi"] for r in pv.good] == [3.5]
    assert pv.good[0]["Kendala"] == "Hujan deras" and pv.good[0]["indikator_id"]
    msgs = [str(x) for x in pv.errors]
    assert "Baris 2, kolom Kode: kode 'I9' tidak ada pada tabel tim ini" in msgs
    assert "Baris 3, kolom Realisasi: tidak boleh negatif" in msgs
    assert "Baris 4, kolom Kode: kode ditempel dua kali" in msgs
    # the grid's own column order, without a header, as copied from the grid
    row = ["RO1", "Layanan surveilans", "1.200.000", "100.000", "98.500"]
    pv = realisasi.preview_paste_anggaran(a, y, 4, org.tim_id, format_tsv([row]))
    assert [r["Realisasi"] for r in pv.good] == [98500.0]
    with pytest.raises(PermissionDenied):
        realisasi.preview_paste(org.actors.staf2, y, 4, org.tim_id, text)
