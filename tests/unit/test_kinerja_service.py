"""Kinerja organisasi services: PK grid, realisation per Tim Kerja, kertas kerja computation and workflow, export."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from services.core import clock
from services.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from services.kinerja import ekspor, kertas, pk, realisasi
from services.kinerja.common import BULAN
from tests import kinerja_factories as kf


@pytest.fixture
def frozen(org):
    with clock.frozen(dt.date(org.year, 12, 20)):
        yield org


def _grid_with(actor, year, bulan, tim_id, values):
    df = realisasi.grid(actor, year, bulan, tim_id)
    df["Realisasi"] = [values.get(k) for k in df["Kode"]]
    return df


def _fill(org, tim2):
    y = org.year
    for bulan, (i1, i2, i3) in {1: (8, 5, 70), 2: (12, 3, 95), 3: (15, 4, 85)}.items():
        realisasi.save(org.actors.ketua, y, bulan, org.tim_id, _grid_with(org.actors.ketua, y, bulan, org.tim_id,
                                                                          {"I1": i1, "I2": i2}))
        ang = realisasi.anggaran_grid(org.actors.ketua, y, bulan, org.tim_id)
        ang["Realisasi"] = 90_000
        realisasi.save_anggaran(org.actors.ketua, y, bulan, org.tim_id, ang)
        realisasi.ajukan(org.actors.ketua, y, bulan, org.tim_id)
        realisasi.save(org.actors.staf, y, bulan, tim2, _grid_with(org.actors.staf, y, bulan, tim2, {"I3": i3}))
        realisasi.ajukan(org.actors.staf, y, bulan, tim2)


def test_pk_grid_roundtrip_and_errors(frozen):
    org = frozen
    kf.build_pk(org)
    df = pk.indikator_frame(org.actors.ketua, org.year)
    assert list(df["Kode"]) == ["I1", "I2", "I3"]
    assert df.loc[2, "Jan"] == "80-90"  # range target repeated in each month
    assert df.loc[1, "Des"] == "4"
    bad = kf.pk_rows(org.year)
    bad.loc[0, "Polaritas"] = "naik"
    bad.loc[1, "Target"] = "abc"
    bad.loc[2, "PJ Tim Kerja"] = "Tim Hantu"
    with pytest.raises(ValidationFailed) as e:
        pk.save_indikator(org.actors.ketua, org.year, bad)
    msgs = [str(x) for x in e.value.errors]
    assert any(m.startswith("Baris 1, kolom Polaritas") for m in msgs)
    assert any(m.startswith("Baris 2, kolom Target") for m in msgs)
    assert any(m.startswith("Baris 3, kolom PJ Tim Kerja") for m in msgs)
    assert list(pk.indikator_frame(org.actors.ketua, org.year)["Polaritas"]) == ["positif", "negatif", "range"]


def test_pk_quarterly_spread_and_refusals(frozen):
    org = frozen
    kf.second_team(org)
    rows = kf.pk_rows(org.year)
    for b in BULAN:
        rows.loc[0, b] = None
    for q, v in zip(pk.TW, (30, 30, 30, 30), strict=True):
        rows.loc[0, q] = v
    with pytest.raises(PermissionDenied):
        pk.save_indikator(org.actors.staf, org.year, rows)
    pk.save_indikator(org.actors.ketua, org.year, rows)
    assert pk.indikator_frame(org.actors.ketua, org.year).loc[0, "Mar"] == "10"


def test_pk_sign_revise_keeps_old_version(frozen):
    org = frozen
    kf.build_pk(org)
    with pytest.raises(PermissionDenied):
        pk.tandatangani(org.actors.staf, org.year)
    pk.tandatangani(org.actors.kepala, org.year)
    with pytest.raises(ServiceError, match="ditandatangani"):
        pk.save_indikator(org.actors.ketua, org.year, kf.pk_rows(org.year))
    assert pk.revisi(org.actors.ketua, org.year, "Revisi target sesuai DIPA revisi") == 2
    rows = kf.pk_rows(org.year)
    rows.loc[0, "Target"] = 150
    pk.save_indikator(org.actors.ketua, org.year, rows)
    vers = pk.versions(org.actors.ketua, org.year)
    assert list(vers["versi"]) == [1]
    old, _rin = pk.version_frames(org.actors.ketua, int(vers.loc[0, "id"]))
    assert old.loc[0, "Target"] == 120
    assert pk.indikator_frame(org.actors.ketua, org.year).loc[0, "Target"] == 150


def test_copy_from_last_year(frozen):
    org = frozen
    kf.build_pk(org)
    assert pk.copy_from_last_year(org.actors.ketua, org.year + 1) == 3
    assert len(pk.rincian_frame(org.actors.ketua, org.year + 1)) == 2
    with pytest.raises(NotFound):
        pk.copy_from_last_year(org.actors.ketua, org.year + 3)


def test_rincian_import_bad_rows_nothing_saved(frozen):
    org = frozen
    kf.build_pk(org)
    bad = kf.rincian_rows()
    bad.loc[0, "Pagu"] = "seribu"
    bad.loc[1, "Jan"] = 10_000_000  # RPD above pagu
    buf = io.BytesIO()
    bad.to_excel(buf, index=False)
    df, errors = pk.preview_rincian_import(org.actors.ketua, buf.getvalue())
    assert len(df) == 2
    msgs = [str(e) for e in errors]
    assert any(m.startswith("Baris 1, kolom Pagu") for m in msgs)
    assert any(m.startswith("Baris 2, kolom Pagu") and "melebihi" in m for m in msgs)
    with pytest.raises(ValidationFailed):
        pk.import_rincian(org.actors.ketua, org.year, buf.getvalue())
    assert list(pk.rincian_frame(org.actors.ketua, org.year)["Pagu"]) == [1_200_000, 600_000]
    good = io.BytesIO()
    kf.rincian_rows().assign(Pagu=[2_000_000, 700_000]).to_excel(good, index=False)
    assert pk.import_rincian(org.actors.ketua, org.year, good.getvalue()) == 2
    assert list(pk.rincian_frame(org.actors.ketua, org.year)["Pagu"]) == [2_000_000, 700_000]


def test_other_team_refused(frozen):
    org = frozen
    tim2 = kf.build_pk(org)
    y = org.year
    df = realisasi.grid(org.actors.ketua, y, 1, org.tim_id)
    with pytest.raises(PermissionDenied):  # PJ of Layanan on Surveilans' figures
        realisasi.save(org.actors.staf, y, 1, org.tim_id, df)
    with pytest.raises(PermissionDenied):  # a plain member, not delegated
        realisasi.save(org.actors.staf2, y, 1, org.tim_id, df)
    other = realisasi.grid(org.actors.staf, y, 1, tim2)
    with pytest.raises(PermissionDenied, match="Tim Kerja lain"):  # smuggling another team's row
        realisasi.save(org.actors.ketua, y, 1, org.tim_id, pd.concat([df, other], ignore_index=True))
    realisasi.delegasikan(org.actors.ketua, y, org.tim_id, org.pegawai["staf2"])
    df["Realisasi"] = [8, 5]
    assert realisasi.save(org.actors.staf2, y, 1, org.tim_id, df) == 2


def test_submit_requires_all_and_locks(frozen):
    org = frozen
    kf.build_pk(org)
    y = org.year
    df = _grid_with(org.actors.ketua, y, 1, org.tim_id, {"I1": 8})
    realisasi.save(org.actors.ketua, y, 1, org.tim_id, df)
    with pytest.raises(ValidationFailed, match="I2"):
        realisasi.ajukan(org.actors.ketua, y, 1, org.tim_id)
    df = _grid_with(org.actors.ketua, y, 1, org.tim_id, {"I1": 8, "I2": "-1"})
    with pytest.raises(ValidationFailed, match="Baris 2, kolom Realisasi"):
        realisasi.save(org.actors.ketua, y, 1, org.tim_id, df)
    df = _grid_with(org.actors.ketua, y, 1, org.tim_id, {"I1": 8, "I2": 5})
    df.loc[0, "Bukti (tautan)"] = "javascript:alert(1)"
    with pytest.raises(ValidationFailed, match="Bukti"):
        realisasi.save(org.actors.ketua, y, 1, org.tim_id, df)
    df.loc[0, "Bukti (tautan)"] = "https://drive.example/bukti"
    realisasi.save(org.actors.ketua, y, 1, org.tim_id, df)
    realisasi.ajukan(org.actors.ketua, y, 1, org.tim_id)
    with pytest.raises(ServiceError, match="sudah diajukan"):
        realisasi.save(org.actors.ketua, y, 1, org.tim_id, df)
    mon = realisasi.monitoring(org.actors.kepala, y, 1).set_index("Tim Kerja")
    assert mon.loc["Tim Kerja Surveilans", "Status"] == "Diajukan"
    assert mon.loc["Tim Kerja Layanan", "Status"] == "Belum diisi"
    assert bool(mon.loc["Tim Kerja Layanan", "Terlambat"]) is True


def test_future_month_refused(org):
    kf.build_pk(org)
    with clock.frozen(dt.date(org.year, 3, 10)):
        df = realisasi.grid(org.actors.ketua, org.year, 4, org.tim_id)
        with pytest.raises(ServiceError, match="belum berjalan"):
            realisasi.save(org.actors.ketua, org.year, 4, org.tim_id, df)


def test_kertas_kerja_figures_hand_computed(frozen):
    org = frozen
    tim2 = kf.build_pk(org)
    _fill(org, tim2)
    y = org.year
    rows, ring = kertas.preview(org.actors.ketua, y, "bulan", 3)
    r = rows.set_index("Kode")
    # I1 kumulatif positif: March 15/10; to March 35/30
    assert r.loc["I1", "Capaian (%)"] == 150.0
    assert (r.loc["I1", "Target Kumulatif"], r.loc["I1", "Realisasi Kumulatif"]) == (30.0, 35.0)
    assert r.loc["I1", "Capaian Kumulatif (%)"] == 116.67
    # I2 rata-rata negatif: March 4 vs 4; to March mean(5,3,4)=4 vs 4
    assert r.loc["I2", "Capaian (%)"] == 100.0
    assert r.loc["I2", "Realisasi Kumulatif"] == 4.0
    # I3 nilai akhir range 80–90: March 85 → 100
    assert r.loc["I3", "Capaian (%)"] == 100.0
    assert r.loc["I3", "Kategori"] == "Sangat Baik"
    feb, _ = kertas.preview(org.actors.ketua, y, "bulan", 2)
    f = feb.set_index("Kode")
    assert f.loc["I2", "Capaian (%)"] == 125.0          # 2 - 3/4
    assert f.loc["I3", "Capaian (%)"] == 94.44          # 2 - 95/90
    assert f.loc["I1", "Capaian Kumulatif (%)"] == 100.0  # 20/20
    jan, _ = kertas.preview(org.actors.ketua, y, "bulan", 1)
    assert jan.set_index("Kode").loc["I3", "Capaian (%)"] == 87.5  # 70/80
    sas = {x["Kode Sasaran"]: x for x in ring["sasaran"]}
    assert sas["S1"]["Capaian (%)"] == 125.0
    assert sas["S1"]["Capaian Kumulatif (%)"] == 108.34
    assert ring["anggaran"]["Realisasi Kumulatif"] == 270_000
    assert ring["anggaran"]["Penyerapan thd RPD Kumulatif (%)"] == 60.0
    assert ring["anggaran"]["Penyerapan thd Pagu (%)"] == 15.0
    q1, _ = kertas.preview(org.actors.ketua, y, "triwulan", 1)
    assert q1.set_index("Kode").loc["I1", "Capaian (%)"] == 116.67
    # April not submitted: shown, not counted
    apr, _ = kertas.preview(org.actors.ketua, y, "bulan", 4)
    assert apr.set_index("Kode").loc["I1", "Realisasi"] is None or pd.isna(apr.set_index("Kode").loc["I1", "Realisasi"])
    assert apr.set_index("Kode").loc["I1", "Status Data"].startswith("Belum diajukan")


def test_kertas_kerja_workflow_and_refusals(frozen):
    org = frozen
    tim2 = kf.build_pk(org)
    _fill(org, tim2)
    y, A = org.year, org.actors
    with pytest.raises(PermissionDenied):
        kertas.susun(A.staf, y, "bulan", 3)
    kertas.susun(A.ketua, y, "bulan", 3)
    with pytest.raises(ServiceError, match="hanya yang diajukan"):
        kertas.kembalikan(A.kasub, y, "bulan", 3, {1: "x"})  # not submitted yet
    kertas.ajukan(A.ketua, y, "bulan", 3)
    with pytest.raises(PermissionDenied):
        kertas.kembalikan(A.staf, y, "bulan", 3, {1: "cek"})
    with pytest.raises(ServiceError):
        kertas.susun(A.ketua, y, "bulan", 3)  # submitted: no recompiling
    view = kertas.get(A.kepala, y, "bulan", 3)
    i1 = int(view["baris"].set_index("Kode").loc["I1", "indikator_id"])
    kertas.kembalikan(A.kasub, y, "bulan", 3, {i1: "Realisasi Maret tidak sesuai laporan"})
    assert kertas.get(A.ketua, y, "bulan", 3)["catatan_baris"] == {i1: "Realisasi Maret tidak sesuai laporan"}
    with pytest.raises(PermissionDenied):
        realisasi.koreksi(A.staf, y, 3, i1, 14, "angka salah ketik di laporan")
    with pytest.raises(ValidationFailed, match="Alasan"):
        realisasi.koreksi(A.ketua, y, 3, i1, 14, "salah")
    realisasi.koreksi(A.ketua, y, 3, i1, 14, "Sesuai laporan bulanan yang benar")
    kertas.susun(A.ketua, y, "bulan", 3)
    kertas.ajukan(A.ketua, y, "bulan", 3)
    with pytest.raises(PermissionDenied):
        kertas.sahkan(A.kasub, y, "bulan", 3)  # Kasubbag ratifying
    with pytest.raises(ServiceError, match="diperiksa"):
        kertas.sahkan(A.kepala, y, "bulan", 3)
    kertas.periksa(A.kasub, y, "bulan", 3, "Sudah sesuai")
    assert kertas.sahkan(A.kepala, y, "bulan", 3) == 1
    with pytest.raises(ServiceError, match="revisi"):
        kertas.susun(A.ketua, y, "bulan", 3)  # editing a ratified kertas kerja
    with pytest.raises(ServiceError):
        kertas.kembalikan(A.kasub, y, "bulan", 3, {i1: "lagi"})
    cur = kertas.current(A.kepala, y, "bulan", 3)
    assert cur["baris"].set_index("Kode").loc["I1", "Realisasi"] == 14.0
    assert cur["baris"].set_index("Kode").loc["I1", "Koreksi"] == "Sesuai laporan bulanan yang benar"
    # revision: v1 stays, v2 differs
    kertas.buka_revisi(A.ketua, y, "bulan", 3, "Koreksi data kendala dari tim")
    realisasi.koreksi(A.ketua, y, 3, i1, 16, "Data susulan dari laboratorium")
    assert kertas.current(A.kepala, y, "bulan", 3)["baris"].set_index("Kode").loc["I1", "Realisasi"] == 14.0
    kertas.susun(A.ketua, y, "bulan", 3)
    kertas.ajukan(A.ketua, y, "bulan", 3)
    kertas.periksa(A.kasub, y, "bulan", 3)
    assert kertas.sahkan(A.kepala, y, "bulan", 3) == 2
    d = kertas.diff(A.kepala, y, "bulan", 3, 1, 2)
    assert {"Realisasi"} <= set(d[d["Kode"] == "I1"]["Kolom"])
    assert list(kertas.versions(A.kepala, y, "bulan", 3)["versi"]) == [1, 2]


def test_excel_export_headers(frozen):
    org = frozen
    tim2 = kf.build_pk(org)
    _fill(org, tim2)
    kertas.susun(org.actors.ketua, org.year, "bulan", 3)
    data = ekspor.kertas_kerja_xlsx(org.actors.kepala, org.year, "bulan", 3)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    s1, s2 = wb.worksheets[0], wb.worksheets[1]
    head = [c.value for c in s1[1]]
    for h in ("Sasaran", "Indikator", "Satuan", "Polaritas", "Target", "Realisasi", "Capaian (%)"):
        assert h in head
    col = head.index("Realisasi") + 1
    assert s1.cell(2, col).value == 15
    assert s2.cell(2, [c.value for c in s2[1]].index("Realisasi") + 1).value == 35
    with pytest.raises(NotFound):
        ekspor.kertas_kerja_xlsx(org.actors.kepala, org.year, "bulan", 5)


def test_beranda_tasks_flag_late_team(org):
    from services import beranda

    tim2 = kf.build_pk(org)
    with clock.frozen(dt.date(org.year, 3, 10)):  # February due on 5 March
        titles = [t.judul for t in beranda.my_tasks(org.actors.staf)]
        assert any("Tim Kerja Layanan" in t and "terlambat" in t for t in titles)
        assert any("belum mengajukan realisasi Februari" in t for t in (x.judul for x in beranda.my_tasks(org.actors.ketua)))
        df = realisasi.grid(org.actors.staf, org.year, 2, tim2)
        df["Realisasi"] = 85
        realisasi.save(org.actors.staf, org.year, 2, tim2, df)
        realisasi.ajukan(org.actors.staf, org.year, 2, tim2)
        assert not any("Tim Kerja Layanan" in t.judul for t in beranda.my_tasks(org.actors.staf))


def test_cli_kertas_kerja(frozen, tmp_path):
    from typer.testing import CliRunner

    from services.cli import app

    org = frozen
    tim2 = kf.build_pk(org)
    _fill(org, tim2)
    runner = CliRunner()
    out = tmp_path / "kk.xlsx"
    res = runner.invoke(app, ["kertas-kerja", "--tahun", str(org.year), "--bulan", "3", "--out", str(out)])
    assert res.exit_code == 2 and "Tidak ada data" in res.output
    kertas.susun(org.actors.ketua, org.year, "bulan", 3)
    res = runner.invoke(app, ["kertas-kerja", "--tahun", str(org.year), "--bulan", "3", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.exists() and str(out) in res.output


def test_cli_laporan_kinerja_docx(frozen, tmp_path):
    import docx
    from typer.testing import CliRunner

    from services.cli import app

    org = frozen
    tim2 = kf.build_pk(org)
    _fill(org, tim2)
    out = tmp_path / "lk.docx"
    res = CliRunner().invoke(app, ["laporan-kinerja", "--tahun", str(org.year), "--bulan", "3", "--out", str(out)])
    assert res.exit_code == 2
    kertas.susun(org.actors.ketua, org.year, "bulan", 3)
    res = CliRunner().invoke(app, ["laporan-kinerja", "--tahun", str(org.year), "--bulan", "3", "--out", str(out)])
    assert res.exit_code == 0, res.output
    d = docx.Document(str(out))
    text = "\n".join(p.text for p in d.paragraphs)
    for head in ("IKHTISAR EKSEKUTIF", "BAB I PENDAHULUAN", "BAB III AKUNTABILITAS KINERJA", "BAB IV PENUTUP"):
        assert head in text
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert "Jumlah sampel diperiksa" in cells and "15,00" in cells


def test_usulan_predikat_from_ratified(frozen):
    org = frozen
    tim2 = kf.build_pk(org)
    _fill(org, tim2)
    A, y = org.actors, org.year
    kertas.susun(A.ketua, y, "bulan", 3)
    assert kertas.usulan_predikat(A.kepala, y, "bulan", 3) is None
    kertas.ajukan(A.ketua, y, "bulan", 3)
    kertas.periksa(A.kasub, y, "bulan", 3)
    kertas.sahkan(A.kepala, y, "bulan", 3)
    u = kertas.usulan_predikat(A.kepala, y, "bulan", 3)
    # mean of 116.67, 100, 100 = 105.56 → Istimewa (≥ 100)
    assert u["capaian_rata_rata"] == 105.56 and u["predikat"] == "Istimewa"


def test_returned_row_reopens_team_month_for_the_pj(frozen):
    """Kasubbag returns a row → the Perencana sees which Tim Kerja it belongs to and reopens that month → the PJ
    reads the note, fixes the figure and submits again → the recompiled kertas kerja holds the fixed figure."""
    org = frozen
    tim2 = kf.build_pk(org)
    _fill(org, tim2)
    y, A = org.year, org.actors
    assert kertas.tim_dicatat(A.ketua, y, "bulan", 3) == []
    kertas.susun(A.ketua, y, "bulan", 3)
    kertas.ajukan(A.ketua, y, "bulan", 3)
    i3 = int(kertas.get(A.kepala, y, "bulan", 3)["baris"].set_index("Kode").loc["I3", "indikator_id"])
    kertas.kembalikan(A.kasub, y, "bulan", 3, {i3: "Angka tidak sesuai register"})
    tims = kertas.tim_dicatat(A.ketua, y, "bulan", 3)
    assert tims == [{"tim_id": tim2, "Tim Kerja": "Tim Kerja Layanan", "catatan": "I3: Angka tidak sesuai register"}]
    assert realisasi.catatan_pemeriksa(A.staf, y, 3, tim2)[0]["Catatan"] == "Angka tidak sesuai register"
    assert realisasi.catatan_pemeriksa(A.ketua, y, 3, org.tim_id) == []
    with pytest.raises(ServiceError, match="sudah diajukan"):
        realisasi.save(A.staf, y, 3, tim2, _grid_with(A.staf, y, 3, tim2, {"I3": 88}))
    with pytest.raises(PermissionDenied):
        realisasi.buka_kembali(A.staf, y, 3, tim2, tims[0]["catatan"])  # the PJ cannot reopen by themselves
    realisasi.buka_kembali(A.ketua, y, 3, tim2, tims[0]["catatan"])
    head = realisasi.header(A.staf, y, 3, tim2)
    assert head["status"] == "DRAFT" and head["status_label"] == "Draft"  # the code for logic, a word for people
    realisasi.save_all(A.staf, y, 3, tim2, _grid_with(A.staf, y, 3, tim2, {"I3": 88}), None, ajukan=True)
    kertas.susun(A.ketua, y, "bulan", 3)
    assert kertas.get(A.kepala, y, "bulan", 3)["baris"].set_index("Kode").loc["I3", "Realisasi"] == 88.0
    kertas.ajukan(A.ketua, y, "bulan", 3)
    kertas.periksa(A.kasub, y, "bulan", 3)
    assert kertas.tim_dicatat(A.ketua, y, "bulan", 3) == []  # notes cleared once checked
    assert realisasi.catatan_pemeriksa(A.staf, y, 3, tim2) == []
