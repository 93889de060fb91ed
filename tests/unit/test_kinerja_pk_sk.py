"""Perjanjian Kinerja page services (paste from Excel, comparing versions, sign/revise rights) and the SK Tim
Penyusun Laporan Kinerja (SOP 001 steps 1–2): who records it, what is refused, and the year-scoped Perencana
rights of its members."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from db.engine import read_session
from db.models import AuditLog
from domain.cells import format_tsv
from services.auth import login as auth
from services.core import clock
from services.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from services.kinerja import kertas, pk, tim_penyusun
from services.kinerja.common import BULAN
from tests import kinerja_factories as kf


@pytest.fixture
def frozen(org):
    with clock.frozen(dt.date(org.year, 6, 20)):
        yield org


def _nip(org, key: str) -> str:
    return org.usernames[key]


def _label(org, key: str) -> str:
    return next(x for x in tim_penyusun.pegawai_options(org.actors.admin) if _nip(org, key) in x)


# --- Perjanjian Kinerja -----------------------------------------------------------------------------------------


def test_paste_preview_reads_rows_and_names_bad_cells(frozen):
    org = frozen
    kf.second_team(org)
    rows = kf.pk_rows(org.year)
    lines = [[("" if v is None or v != v else str(v)) for v in (r.get(c) for c in pk.INDIKATOR_PASTE)]
             for r in rows.to_dict("records")]
    lines[1][pk.INDIKATOR_PASTE.index("Polaritas")] = "turun"
    lines[2][pk.INDIKATOR_PASTE.index("Target")] = "delapan puluh"
    pv = pk.preview_paste(org.actors.ketua, org.year, format_tsv([list(pk.INDIKATOR_PASTE), *lines]))
    assert pv.header and len(pv.good) == 1 and len(pv.bad) == 2
    good = pv.good[0]
    assert good["Kode"] == "I1" and good["Target"] == 120.0 and good["Jan"] == "10"
    msgs = [str(e) for e in pv.errors]
    assert any(m.startswith("Baris 2, kolom Polaritas") for m in msgs)
    assert any(m.startswith("Baris 3, kolom Target") for m in msgs)
    # the good row saves through the grid's path
    assert pk.save_indikator(org.actors.ketua, org.year, pd.DataFrame([good], columns=pk.INDIKATOR_COLS)) == 1
    with pytest.raises(PermissionDenied):
        pk.preview_paste(org.actors.staf, org.year, format_tsv(lines))


def test_paste_rincian_preview(frozen):
    org = frozen
    kf.second_team(org)
    ok = ["RO9", "Layanan data", "Tim Kerja Surveilans", "1.200.000", *["100.000"] * 12]
    over = ["RO10", "Layanan lain", "", "100", *["50"] * 12]
    pv = pk.preview_paste_rincian(org.actors.ketua, org.year, format_tsv([ok, over]))
    assert [r["Kode"] for r in pv.good] == ["RO9"] and pv.good[0]["Pagu"] == 1_200_000.0
    assert [str(e) for e in pv.errors] == ["Baris 2, kolom Pagu: jumlah RPD bulanan melebihi pagu"]


def test_sign_revise_and_diff_versions(frozen):
    org = frozen
    kf.build_pk(org)
    assert pk.can_edit(org.actors.ketua, org.year) and not pk.can_edit(org.actors.staf, org.year)
    with pytest.raises(PermissionDenied):
        pk.tandatangani(org.actors.staf, org.year)
    with pytest.raises(ValidationFailed):
        pk.tandatangani(org.actors.kepala, org.year, dt.date(org.year, 12, 1))  # in the future
    pk.tandatangani(org.actors.kepala, org.year, dt.date(org.year, 1, 15))
    with pytest.raises(ServiceError):
        pk.save_indikator(org.actors.ketua, org.year, kf.pk_rows(org.year))  # signed: revise first
    with pytest.raises(ValidationFailed):
        pk.revisi(org.actors.ketua, org.year, "pendek")
    with pytest.raises(PermissionDenied):
        pk.revisi(org.actors.kepala, org.year, "Kepala tidak menyusun revisi PK")
    assert pk.revisi(org.actors.ketua, org.year, "Penyesuaian target setelah revisi DIPA") == 2
    rows = kf.pk_rows(org.year)
    rows.loc[0, "Target"] = 150
    for b in BULAN:
        rows.loc[0, b] = 12.5
    pk.save_indikator(org.actors.ketua, org.year, rows)
    d = pk.diff_versi(org.actors.kepala, org.year, 1)
    assert set(d["Kode"]) == {"I1"}
    target = d[d["Kolom"] == "Target"].iloc[0]
    assert (target["Versi 1"], target["Versi 2 (sekarang)"]) == ("120", "150")
    assert pk.versions(org.actors.kepala, org.year)["versi"].tolist() == [1]
    ind, _rin = pk.version_frames(org.actors.kepala, int(pk.versions(org.actors.kepala, org.year)["id"][0]))
    assert ind.loc[0, "Target"] == 120
    with pytest.raises(NotFound):
        pk.diff_versi(org.actors.kepala, org.year, 7)


# --- SK Tim Penyusun --------------------------------------------------------------------------------------------


def test_sk_recorded_by_kasubbag_and_members_get_perencana_rights_for_that_year(frozen):
    org = frozen
    y = org.year
    kf.build_pk(org)
    with pytest.raises(PermissionDenied):  # before the SK, a staff member is no Perencana
        pk.save_rincian(org.actors.staf2, y, kf.rincian_rows())
    with pytest.raises(PermissionDenied):  # a pegawai or the Perencana do not record the SK
        tim_penyusun.save_arahan(org.actors.staf2, y, "ND-1", dt.date(y, 1, 3), "Bentuk tim")
    with pytest.raises(PermissionDenied):
        tim_penyusun.save_sk(org.actors.ketua, y, "SK-1", dt.date(y, 1, 5), [])
    tim_penyusun.save_arahan(org.actors.kepala, y, "ND-01/BUK/I", dt.date(y, 1, 3),
                             "Kasubbag ADUM membentuk Tim Penyusun Laporan Kinerja.")
    with pytest.raises(ValidationFailed) as e:
        tim_penyusun.save_sk(org.actors.kasub, y, "", dt.date(y + 1, 1, 5),
                             [{"Pegawai": "Orang Asing (123)", "Peran": "Ketua"},
                              {"Pegawai": _label(org, "staf2"), "Peran": "Bendahara"}])
    msgs = [str(x) for x in e.value.errors]
    assert "Nomor SK: wajib diisi" in msgs
    assert any(m.startswith("Tanggal SK:") for m in msgs)
    assert any(m.startswith("Baris 1, kolom Pegawai") for m in msgs)
    assert any(m.startswith("Baris 2, kolom Peran") for m in msgs)
    n = tim_penyusun.save_sk(org.actors.kasub, y, "HK.02.03/1/123/2026", dt.date(y, 1, 6),
                             pd.DataFrame([{"Pegawai": _label(org, "kasub"), "Peran": "Penanggung Jawab"},
                                           {"Pegawai": _label(org, "staf2"), "Peran": "anggota"}]))
    assert n == 2
    sk = tim_penyusun.get(org.actors.kepala, y)
    assert sk is not None and sk["berlaku"] and sk["anggota"]["Peran"].tolist() == ["Penanggung Jawab", "Anggota"]
    staf2 = auth.load_actor(org.usernames["staf2"])  # the navigation now shows the Perencana pages
    assert staf2 is not None and "perencana" in {r.value for r in staf2.roles}
    # the member acts as Perencana for this year ...
    assert pk.save_rincian(staf2, y, kf.rincian_rows()) == 2
    kertas_id = kertas.susun(staf2, y, "bulan", 1)
    assert kertas_id
    # ... and not for another year
    with pytest.raises(PermissionDenied):
        pk.save_indikator(staf2, y + 1, kf.pk_rows(y + 1))
    # a member removed from the SK loses the rights
    tim_penyusun.save_sk(org.actors.admin, y, "HK.02.03/1/123/2026", dt.date(y, 1, 6),
                         [{"Pegawai": _label(org, "kasub"), "Peran": "Penanggung Jawab"}])
    with pytest.raises(PermissionDenied):
        pk.save_rincian(auth.load_actor(org.usernames["staf2"]), y, kf.rincian_rows())
    with read_session() as s:
        assert s.query(AuditLog).filter(AuditLog.action == "sk_tim_penyusun").count() >= 2


def test_sk_scan_upload(frozen):
    org = frozen
    y = org.year
    with pytest.raises(NotFound):
        tim_penyusun.upload_scan(org.actors.admin, y, "sk.pdf", b"%PDF-1.4 x")
    tim_penyusun.save_sk(org.actors.admin, y, "SK-7", dt.date(y, 1, 6),
                         [{"Pegawai": _label(org, "ketua"), "Peran": "Ketua"}])
    with pytest.raises(ValidationFailed):
        tim_penyusun.upload_scan(org.actors.admin, y, "sk.exe", b"MZ")
    with pytest.raises(PermissionDenied):
        tim_penyusun.upload_scan(org.actors.staf, y, "sk.pdf", b"%PDF-1.4 x")
    tim_penyusun.upload_scan(org.actors.admin, y, "sk.pdf", b"%PDF-1.4 x")
    assert tim_penyusun.scan(org.actors.kepala, y) == ("sk.pdf", b"%PDF-1.4 x")
    with pytest.raises(PermissionDenied):
        tim_penyusun.get(org.actors.pppk, y)
