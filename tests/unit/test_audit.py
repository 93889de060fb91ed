"""Audit log search and safe exports (formula injection)."""

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from services.auth import login as auth
from services.core import audit, clock, export
from services.core.audit import AuditFilter
from services.org import periods


def test_search_filters(org):
    admin = org.actors.admin
    auth.unlock(admin, org.actors.staf.user_id)  # no change -> no row
    pid = periods.open_periods(admin)[0].id
    periods.close_period(admin, pid)
    auth.reset_password(admin, org.actors.staf.user_id)
    facets = audit.facets(admin)
    assert {"tutup_periode", "reset_password", "tambah"} <= set(facets["action"])
    assert {"Period", "User"} <= set(facets["entity"])

    by_entity = audit.search(admin, AuditFilter(entity="Period", username="admin"))
    assert by_entity["aksi"].tolist() == ["tutup_periode"]
    assert by_entity.iloc[0]["id"] == str(pid)
    reset = audit.search(admin, AuditFilter(action="reset_password"))
    assert reset.iloc[0]["id"] == str(org.actors.staf.user_id)
    assert reset.iloc[0]["sesudah"]["password_hash"] == "*** (diubah)"
    assert audit.search(admin, AuditFilter(text="admin", action="reset_password")).shape[0] == 1
    today = clock.today()
    assert len(audit.search(admin, AuditFilter(date_from=today - dt.timedelta(days=1), date_to=today + dt.timedelta(days=1)))) > 3
    assert audit.search(admin, AuditFilter(date_from=today + dt.timedelta(days=2))).empty
    newest = audit.search(admin, AuditFilter(limit=1))
    assert len(newest) == 1 and newest.iloc[0]["aksi"] == "reset_password"


# --- export -----------------------------------------------------------------------------------------

DANGEROUS = ["=1+1", "+62 812", "-SUM(A1)", "@cmd", "\tTAB", "\rCR", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("value", DANGEROUS)
def test_neutralise(value):
    assert export.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Andi", "", "1985", 5, -3, 2.5, None, dt.date(2026, 1, 1), " =spasi"])
def test_neutralise_leaves_safe_values(value):
    assert export.neutralise(value) == value


def _frame():
    return pd.DataFrame({
        "NIP": ["198501292009021004", "199003032015031003"],
        "Nama Pegawai": ["=cmd|' /C calc'!A0", "Andi"],
        "Nilai": [-5, 90],
        "Catatan": ["@SUM(1)", "biasa"],
        "Tanggal": [dt.date(2026, 1, 2), dt.date(2026, 3, 4)],
        "Waktu": pd.to_datetime(["2026-01-02 03:04", "2026-01-02 05:06"]).tz_localize("UTC"),
        "Data": [{"status": "Dibuka"}, None],
    })


def test_csv_is_neutralised_with_indonesian_headers():
    text = export.to_csv_bytes(_frame()).decode("utf-8-sig")
    df = pd.read_csv(io.StringIO(text), sep=";", dtype=str)
    assert list(df.columns) == ["NIP", "Nama Pegawai", "Nilai", "Catatan", "Tanggal", "Waktu", "Data"]
    assert df.iloc[0]["Nama Pegawai"] == "'=cmd|' /C calc'!A0"
    assert df.iloc[0]["Catatan"] == "'@SUM(1)"
    assert df.iloc[0]["Nilai"] == "-5"  # numbers are not text: untouched
    assert df.iloc[1]["Nama Pegawai"] == "Andi"
    assert df.iloc[0]["Data"] == '{"status": "Dibuka"}'
    assert export.to_csv_bytes(_frame()).startswith(b"\xef\xbb\xbf")


def test_excel_is_neutralised_and_has_every_sheet():
    data = export.to_excel_bytes({"Pegawai": _frame(), "Ringkasan/Tahun:2026": pd.DataFrame({"Jumlah": [2]})})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Pegawai", "Ringkasan Tahun 2026"]
    ws = wb["Pegawai"]
    header = [c.value for c in ws[1]]
    assert header == ["NIP", "Nama Pegawai", "Nilai", "Catatan", "Tanggal", "Waktu", "Data"]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", f"formula in {cell.coordinate}: {cell.value}"
    assert ws["B2"].value == "'=cmd|' /C calc'!A0"
    assert ws["D2"].value == "'@SUM(1)"
    assert ws["A2"].value == "198501292009021004"  # NIP stays text
    assert ws["C2"].value == -5
    assert isinstance(ws["F2"].value, dt.datetime)
    assert wb["Ringkasan Tahun 2026"]["A2"].value == 2


def test_excel_single_frame_and_empty():
    wb = openpyxl.load_workbook(io.BytesIO(export.to_excel_bytes(pd.DataFrame({"a": ["+1"]}), sheet_name="Log")))
    assert wb.sheetnames == ["Log"] and wb["Log"]["A2"].value == "'+1"
    assert openpyxl.load_workbook(io.BytesIO(export.to_excel_bytes({}))).sheetnames == ["Data"]


def test_audit_export_is_excel_safe_and_recorded(org):
    admin = org.actors.admin
    periods.update_instansi(admin, nama="=HYPERLINK(\"http://jahat\")")
    df = audit.search(admin, AuditFilter(action="ubah_instansi"))
    wb = openpyxl.load_workbook(io.BytesIO(export.to_excel_bytes({"Log audit": df})))
    cells = [c.value for row in wb["Log audit"].iter_rows(min_row=2) for c in row]
    assert any(isinstance(v, str) and "HYPERLINK" in v for v in cells)
    assert all(c.data_type != "f" for row in wb["Log audit"].iter_rows() for c in row)
    export.record_export(admin, "AuditLog", len(df))
    rows = audit.search(admin, AuditFilter(action="ekspor"))
    assert rows.iloc[0]["entitas"] == "AuditLog" and rows.iloc[0]["sesudah"] == {"baris": 1}
