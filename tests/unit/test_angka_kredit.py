"""Angka kredit (services/angka_kredit.py): conversion of approved predikat for fungsional pegawai, saldo awal,
accumulation with the annual-replaces-periodic rule, needs sentence, Excel and PDF. Main path on SQLite and
PostgreSQL; the rest on SQLite."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import AngkaKredit, AuditLog, Evaluasi, Jabatan, JenisEvaluasi, StatusEvaluasi
from services.core.actor import SYSTEM
from services.core.errors import PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work
from services.evaluasi import angka_kredit as ak
from tests import evaluasi_factories as ef

D = Decimal
S = StatusEvaluasi


record = ef.record_ak
make_ev = ef.make_ev


def remove(evaluasi_id: int) -> None:
    with unit_of_work(SYSTEM, action="buka_kembali") as s:
        ak.remove_for_evaluation(s, s.get(Evaluasi, evaluasi_id))


def ak_rows(pegawai_id: int) -> list[AngkaKredit]:
    with read_session() as s:
        rows = s.scalars(select(AngkaKredit).where(AngkaKredit.pegawai_id == pegawai_id)).all()
        for r in rows:
            s.expunge(r)
        return rows


def test_main_path_conversion_summary_exports(org):
    ef.setup(org)
    a, staf2 = org.actors, org.pegawai["staf2"]
    q1 = make_ev(org, "staf2", "Baik", jenis=JenisEvaluasi.PERIODIK, nomor=1)
    assert record(q1) == ("Periodik", 3, D("25.00"), D("100.00"), D("6.25"))
    assert record(q1)[-1] == D("6.25")  # replacing keeps one row
    assert len(ak_rows(staf2)) == 1

    last_year = org.year - 1
    saldo = ak.add_saldo_awal(a.admin, staf2, last_year, "50", "PAK konversi 2022")
    d = ak.summary(a.staf2)
    assert d.fungsional and d.jenjang == "Ahli Muda" and d.kumulatif == D("56.25")
    assert (d.langkah, d.golongan_tujuan, d.kebutuhan, d.kekurangan) == ("pangkat", "III/c", D(100), D("43.75"))
    assert d.kalimat == "Masih kurang 43,75 AK untuk kenaikan pangkat ke III/c."

    annual = make_ev(org, "staf2", "Sangat Baik")
    assert record(annual) == ("Tahunan", 12, D("25.00"), D("150.00"), D("37.50"))
    d = ak.summary(a.staf2)
    per = d.per_tahun.set_index("tahun")
    assert per.loc[last_year, "saldo_awal"] == D("50.00") and per.loc[org.year, "periodik"] == 0
    assert per.loc[org.year, "tahunan"] == D("37.50") and per.loc[org.year, "kumulatif"] == D("87.50")
    assert d.kumulatif == D("87.50") and d.kekurangan == D("12.50")
    assert d.kalimat == "Masih kurang 12,50 AK untuk kenaikan pangkat ke III/c."
    q1_row = d.rows[d.rows["jenis"] == "Periodik"].iloc[0]
    assert not q1_row["dihitung"] and q1_row["periode"].startswith("Triwulan I")

    book = openpyxl.load_workbook(io.BytesIO(ak.export_xlsx(a.staf2)))
    assert book.sheetnames == ["Ringkasan", "Per Tahun", "Rincian"]
    assert [c.value for c in book["Per Tahun"][1]][:2] == ["Tahun", "Saldo Awal"]

    pdf = ak.konversi_pdf(a.kasub, org.pegawai["staf2"], tahun=org.year)  # the pegawai's pejabat penilai
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert "Dewi Lestari" in text and "KONVERSI PREDIKAT KINERJA KE ANGKA KREDIT" in text
        assert "Budi Santoso" in text and "37,50" in text

    remove(annual)
    assert ak.summary(a.admin, staf2).kumulatif == D("56.25")  # the periodic conversion counts again
    with read_session() as s:
        actions = set(s.scalars(select(AuditLog.action).where(AuditLog.entity == "AngkaKredit")))
    assert {"setujui", "buka_kembali", "saldo_awal_ak", "ak_cetak"} <= actions
    ak.delete_saldo_awal(a.admin, saldo)
    assert ak.summary(a.staf2).kumulatif == D("6.25")


def test_none_for_pelaksana_and_remove(sqlite_org):
    org = sqlite_org
    ef.setup(org)
    ev = make_ev(org, "staf", "Sangat Baik")
    assert record(ev) is None and ak_rows(org.pegawai["staf"]) == []
    d = ak.summary(org.actors.staf)
    assert not d.fungsional and d.kumulatif == 0 and "jabatan fungsional" in d.kalimat
    q2 = make_ev(org, "staf2", "Butuh Perbaikan", jenis=JenisEvaluasi.PERIODIK, nomor=2)
    assert record(q2)[-1] == D("4.69")  # 25 × 75% × 3/12 = 4.6875
    remove(q2)
    remove(q2)  # nothing left: no error
    assert ak_rows(org.pegawai["staf2"]) == []


def test_jabatan_coefficient_and_no_predikat(sqlite_org):
    org = sqlite_org
    ef.setup(org)
    with unit_of_work(SYSTEM) as s:
        s.get(Jabatan, org.jabatan["epid"]).koefisien_ak = D("20")
    q1 = make_ev(org, "staf2", "Baik", jenis=JenisEvaluasi.PERIODIK, nomor=1)
    assert record(q1)[2:] == (D("20.00"), D("100.00"), D("5.00"))
    q3 = make_ev(org, "staf2", None, S.DISETUJUI, jenis=JenisEvaluasi.PERIODIK, nomor=3)
    assert record(q3) is None


def test_permissions_and_saldo_validation(sqlite_org):
    org = sqlite_org
    a, staf2 = org.actors, org.pegawai["staf2"]
    with pytest.raises(PermissionDenied):
        ak.summary(a.staf, staf2)
    with pytest.raises(PermissionDenied):
        ak.summary(a.admin)  # admin account has no pegawai of its own
    assert ak.summary(a.kasub, staf2).nama == "Dewi Lestari, S.Si."  # current pejabat penilai
    with pytest.raises(PermissionDenied):
        ak.add_saldo_awal(a.kepala, staf2, org.year, 10)
    with pytest.raises(ValidationFailed, match="Nilai AK"):
        ak.add_saldo_awal(a.admin, staf2, org.year, "-3")
    with pytest.raises(ValidationFailed, match="Tahun"):
        ak.add_saldo_awal(a.admin, staf2, 1990, 3)
    assert list(ak.fungsional_choices(a.admin)["nama"]) == ["Dewi Lestari, S.Si.", "Siti Aminah, S.K.M."]
    assert list(ak.fungsional_choices(a.staf2)["nama"]) == ["Dewi Lestari, S.Si."]


def test_needs_at_top_of_jenjang_and_terampil_setting(sqlite_org):
    org = sqlite_org
    from db.models import JenjangFungsional, Pegawai
    from services.core import settings

    with unit_of_work(SYSTEM) as s:
        s.get(Pegawai, org.pegawai["staf2"]).golongan = "III/d"  # highest golongan of Ahli Muda
    ak.add_saldo_awal(org.actors.admin, org.pegawai["staf2"], org.year, "250")
    d = ak.summary(org.actors.staf2)
    assert (d.langkah, d.jenjang_tujuan, d.kebutuhan, d.kekurangan) == ("jenjang", "Ahli Madya", D(200), D(0))
    assert d.kalimat == "Angka kredit kumulatif sudah memenuhi syarat kenaikan jenjang ke Ahli Madya (200,00 AK)."

    settings.update_many(org.actors.admin, {"ak_terampil_kenaikan_jenjang": 40})
    with unit_of_work(SYSTEM) as s:
        jab = s.get(Jabatan, org.jabatan["epid"])
        jab.jenjang = JenjangFungsional.TERAMPIL
        s.get(Pegawai, org.pegawai["staf2"]).golongan = "II/d"
    d = ak.summary(org.actors.staf2)
    assert (d.langkah, d.kebutuhan, d.kekurangan) == ("jenjang", D(40), D(0))


def test_pdf_all_years_without_rows(sqlite_org):
    org = sqlite_org
    pdf = ak.konversi_pdf(org.actors.staf2, today=dt.date(org.year, 12, 31))
    assert pdf.startswith(b"%PDF")
