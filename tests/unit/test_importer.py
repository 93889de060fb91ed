"""Pegawai import: reading xlsx/csv, preview (added / changed / unchanged / rejected), all-or-nothing commit."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.engine import read_session
from db.models import AuditLog, Pegawai, User
from services.auth import login as auth
from services.core.actor import SYSTEM
from services.core.errors import Conflict, PermissionDenied, ValidationFailed
from services.org import importer, people
from tests.factories import password_hash

HEADER = ["NIP", "Nama", "Gelar Belakang", "Golongan", "Jabatan", "Unit", "Tim"]
GOOD_NEW = ["198703152010012001", "Sri Wahyuni", "S.K.M.", "III/c", "Epidemiolog Kesehatan Ahli Muda", "BUK",
            "Tim Kerja Surveilans"]
GOOD_NEW_PPPK = ["199001012023211002", "Agus Salim", "", "IX", "Penata Layanan Operasional", "ADUM", ""]
CHANGE_ANDI = ["199003032015031003", "Andi Wijaya", "", "II/d", "", "", ""]  # golongan II/c -> II/d
SAME_DEWI = ["199104042019022004", "Dewi Lestari", "S.Si.", "III/b", "", "", ""]


@pytest.fixture(autouse=True)
def fast_hash(monkeypatch):
    cached = password_hash()
    monkeypatch.setattr(auth, "hash_password", lambda _pw, rounds=12: cached)


def csv_bytes(rows, header=HEADER, delimiter=";", bom=True) -> bytes:
    text = "\n".join(delimiter.join(r) for r in [header, *rows]) + "\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def xlsx_bytes(rows, header=HEADER) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append([v if v != "" else None for v in r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def counts() -> tuple[int, int, int]:
    with read_session() as s:
        return (s.scalar(select(func.count()).select_from(Pegawai)),
                s.scalar(select(func.count()).select_from(User)),
                s.scalar(select(func.count()).select_from(AuditLog)))


def test_good_file_adds_and_changes(org):
    data = xlsx_bytes([GOOD_NEW, CHANGE_ANDI, SAME_DEWI, GOOD_NEW_PPPK])
    pv = importer.preview(org.actors.admin, data, "pegawai.xlsx")
    assert pv.counts == {"ditambah": 2, "diubah": 1, "ditolak": 0, "tidak_berubah": 1}
    assert pv.can_commit
    assert list(pv.added["Baris"]) == [2, 5]
    change = pv.changed.iloc[0]
    assert change["Baris"] == 3 and change["Perubahan"] == "Golongan: II/c → II/d"
    before = counts()
    result = importer.commit(org.actors.admin, pv)
    assert (result.added, result.changed, result.unchanged) == (2, 1, 1)
    assert sorted(a.nip for a in result.accounts) == sorted([GOOD_NEW[0], GOOD_NEW_PPPK[0]])
    assert counts()[0] == before[0] + 2 and counts()[1] == before[1] + 2
    with read_session() as s:
        andi = s.get(Pegawai, org.pegawai["staf"])
        assert andi.golongan == "II/d" and andi.jabatan_id == org.jabatan["staf"]  # empty cell keeps value
        sri = s.scalar(select(Pegawai).where(Pegawai.nip == GOOD_NEW[0]))
        assert sri.tim_id == org.tim_id and sri.gelar_belakang == "S.K.M."
        users = s.scalars(select(User).where(User.username.in_([GOOD_NEW[0], GOOD_NEW_PPPK[0]]))).all()
        assert len(users) == 2 and all(u.must_change_password for u in users)
        actions = set(s.scalars(select(AuditLog.action)))
    assert "impor_pegawai" in actions
    # importing the same file again changes nothing
    again = importer.preview(org.actors.admin, data, "pegawai.xlsx")
    assert again.counts == {"ditambah": 0, "diubah": 0, "ditolak": 0, "tidak_berubah": 4}
    assert not again.can_commit


def test_bad_rows_are_listed_and_commit_writes_nothing(org):
    rows = [
        GOOD_NEW,
        ["12345", "Salah NIP", "", "", "", "", ""],
        ["198803152010011001", "Golongan Salah", "", "V/z", "", "", ""],
        ["198903152010011001", "Jabatan Salah", "", "", "Jabatan Khayalan", "", ""],
        ["199003152015011001", "Unit Salah", "", "", "", "NOPE", ""],
        ["199103152015011001", "", "", "", "", "", ""],
        [GOOD_NEW[0], "Duplikat", "", "", "", "", ""],
    ]
    pv = importer.preview(org.actors.admin, csv_bytes(rows), "pegawai.csv")
    reasons = dict(zip(pv.rejected["Baris"], pv.rejected["Alasan"], strict=True))
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert reasons[3].startswith("NIP: NIP harus 18 digit")
    assert reasons[4].startswith("Golongan:")
    assert reasons[5].startswith("Jabatan:") and "Jabatan Khayalan" in reasons[5]
    assert reasons[6].startswith("Unit:")
    assert reasons[7] == "Nama: wajib diisi"
    assert "ganda" in reasons[8] and "baris 2" in reasons[8]
    assert {(e.row, e.field) for e in pv.errors} >= {(3, "NIP"), (4, "Golongan"), (6, "Unit")}
    assert not pv.can_commit
    before = counts()
    with pytest.raises(ValidationFailed):
        importer.commit(org.actors.admin, pv)
    assert counts() == before


def test_csv_comma_without_bom_and_loose_headers(org):
    header = [" nip ", "NAMA", "gelar_belakang", "Jenis  ASN", "Unit Kerja", "Kolom Lain"]
    data = csv_bytes([[GOOD_NEW[0], "Sri", "", "", "adum", "x"]], header=header, delimiter=",", bom=False)
    pv = importer.preview(org.actors.admin, data, "DATA.CSV")
    assert pv.counts["ditambah"] == 1 and pv.columns == ["nip", "nama", "gelar_belakang", "jenis_asn", "unit"]
    assert pv.warnings == ["Kolom 'Kolom Lain' tidak dikenal dan diabaikan."]
    assert pv.added.iloc[0]["Unit"] == "ADUM" and pv.added.iloc[0]["Jenis ASN"] == "PNS"


@pytest.mark.parametrize(("name", "data", "message"), [
    ("pegawai.xls", b"whatever", "Jenis berkas tidak didukung"),
    ("pegawai.xlsx", b"not a zip", "tidak dapat dibaca"),
    ("pegawai.csv", b"Nama;Email\nA;b@c.id\n", "Kolom wajib tidak ditemukan pada baris 1: NIP"),
    ("pegawai.csv", b"NIP;Nama\n", "tidak berisi baris data"),
    ("pegawai.csv", b"", "Berkas kosong"),
])
def test_file_level_errors(org, name, data, message):
    with pytest.raises(ValidationFailed) as exc:
        importer.preview(org.actors.admin, data, name)
    assert exc.value.errors[0].row is None and message in exc.value.errors[0].message


def test_size_and_row_limits(org, monkeypatch):
    monkeypatch.setattr(importer.settings, "get", lambda key, session=None: 1)
    with pytest.raises(ValidationFailed, match="melebihi batas 1 MB"):
        importer.preview(org.actors.admin, b"NIP;Nama\n" + b"x" * (1024 * 1024 + 1), "a.csv")
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    rows = [[f"19870315201001200{i}", f"P{i}"] for i in range(1, 5)]
    with pytest.raises(ValidationFailed, match="lebih dari 3 baris"):
        importer.preview(org.actors.admin, csv_bytes(rows, header=["NIP", "Nama"]), "a.csv")


def test_empty_rows_count_toward_the_row_limit(org, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    wb = openpyxl.Workbook()
    wb.active.append(["NIP", "Nama"])
    wb.active.append(["198703152010012001", "Sri"])
    for r in range(3, 40):  # formatted but empty rows below the data
        wb.active.cell(row=r, column=1).value = ""
        wb.active.cell(row=r, column=2).number_format = "@"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ValidationFailed, match="baris kosong ikut dihitung"):
        importer.preview(org.actors.admin, buf.getvalue(), "a.xlsx")
    blank = csv_bytes([["198703152010012001", "Sri"]] + [["", ""]] * 5, header=["NIP", "Nama"])
    with pytest.raises(ValidationFailed, match="lebih dari 3 baris"):
        importer.preview(org.actors.admin, blank, "a.csv")


@pytest.mark.parametrize("body", [
    'NIP;Nama\n198703152010012001;"Sri Wahyuni\n199001012023211002;Agus Salim\n',  # unterminated quote
    'NIP;Nama\n198703152010012001;"Sri" Wahyuni\n199001012023211002;Agus Salim\n',  # stray quote
    'NIP;Nama\n198703152010012001;"Sri\n199001012023211002;Agus" Salim\n',  # rows merged by a quote pair
])
def test_malformed_csv_quoting_is_refused_and_nothing_is_saved(org, body):
    with pytest.raises(ValidationFailed, match="tanda kutip") as exc:
        importer.preview(org.actors.admin, body.encode(), "a.csv")
    assert exc.value.errors[0].row is None and "baris" in exc.value.errors[0].message
    with read_session() as s:
        assert s.scalar(select(func.count(Pegawai.id)).where(Pegawai.nama.like("%Agus%"))) == 0


def test_control_characters_in_a_cell_are_named_by_row_and_column(org):
    body = b"NIP;Nama\n198703152010012001;Sri\x00Wahyuni\n"
    pv = importer.preview(org.actors.admin, body, "a.csv")
    assert list(pv.rejected["Baris"]) == [2] and "karakter kendali" in pv.rejected.iloc[0]["Alasan"]
    assert pv.rejected.iloc[0]["Alasan"].startswith("Nama:")


def test_nip_stored_as_number_in_excel_is_refused_with_hint(org):
    wb = openpyxl.Workbook()
    wb.active.append(["NIP", "Nama"])
    wb.active.append([1.98703152010012e17, "Sri"])
    wb.active.append(["198703152010011001", "Teks"])  # a text cell keeps every digit
    buf = io.BytesIO()
    wb.save(buf)
    pv = importer.preview(org.actors.admin, buf.getvalue(), "a.xlsx")
    assert list(pv.rejected["Baris"]) == [2], pv.rejected.to_dict("records")
    assert "Teks" in pv.rejected.iloc[0]["Alasan"]
    assert list(pv.added["NIP"]) == ["198703152010011001"]
    pv = importer.preview(org.actors.admin, csv_bytes([["1.98703E+17", "Sri"]], header=["NIP", "Nama"]), "a.csv")
    assert pv.rejected.iloc[0]["Alasan"].startswith("NIP: NIP tersimpan sebagai angka")


def test_commit_refuses_when_data_changed_since_preview(org):
    pv = importer.preview(org.actors.admin, csv_bytes([CHANGE_ANDI]), "a.csv")
    df = people.pegawai_df(org.actors.admin)
    row = df[df["nip"] == CHANGE_ANDI[0]].iloc[0].to_dict() | {"telepon": "0811", "_row": 1}
    people.save_pegawai(org.actors.admin, [row], [])
    before = counts()
    with pytest.raises(Conflict, match="pratinjau"):
        importer.commit(org.actors.admin, pv)
    assert counts() == before


def test_permissions_and_system_actor(org):
    data = csv_bytes([GOOD_NEW])
    for actor in (org.actors.staf, org.actors.kepala):
        with pytest.raises(PermissionDenied):
            importer.preview(actor, data, "a.csv")
    pv = importer.preview(SYSTEM, data, "a.csv")  # the CLI path
    with pytest.raises(PermissionDenied):
        importer.commit(org.actors.staf, pv)
    assert importer.commit(SYSTEM, pv).added == 1


def test_template_round_trip(org):
    data = importer.template_xlsx()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Pegawai"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == importer.TEMPLATE_HEADERS and len(rows) == 3
    assert "Petunjuk" in wb.sheetnames
    pv = importer.preview(org.actors.admin, data, "templat.xlsx")  # the examples fit the test organisation
    assert pv.counts["ditambah"] == 2 and pv.can_commit


# --- property: any uploaded table ends in a full import or a refusal, never a partial write ---------

_printable = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=12)
_cell = st.one_of(st.none(), _printable, st.sampled_from(
    ["198703152010012001", "199001012023211002", "199003032015031003", "III/b", "IX", "ADUM", "PNS", "x@y.id"]))

_nip = st.builds(lambda y, m, d, g, n: f"{y}{m:02d}{d:02d}{y + 22}{m:02d}{g}{n:03d}", st.integers(1960, 1995),
                 st.integers(1, 12), st.integers(1, 28), st.sampled_from("12"), st.integers(1, 999))
_good = st.tuples(_nip, st.sampled_from(["Budi", "Ani Lestari"]), st.sampled_from(["", "III/a", "4e"]),
                  st.sampled_from(["", "ADUM", "buk"])).map(list)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=st.lists(st.one_of(_good, _good, st.lists(_cell, min_size=2, max_size=7)), min_size=1, max_size=5),
       fmt=st.sampled_from(["csv", "xlsx"]))
def test_random_files_all_or_nothing(sqlite_db, rows, fmt):
    from tests.factories import build_org

    if sqlite_db not in _ORGS:
        _ORGS[sqlite_db] = build_org()
    admin = _ORGS[sqlite_db].actors.admin
    header = ["NIP", "Nama", "Golongan", "Unit", "Jenis ASN", "Email", "Gelar Depan"]
    table = [[("" if v is None else v.replace(";", " ").replace("\n", " ").replace("\r", " ")) for v in r]
             for r in rows]
    width = max(len(r) for r in table)
    data = csv_bytes(table, header=header[:width]) if fmt == "csv" else xlsx_bytes(table, header=header[:width])
    before = counts()
    try:
        pv = importer.preview(admin, data, f"f.{fmt}")
    except ValidationFailed:
        assert counts() == before
        return
    try:
        result = importer.commit(admin, pv)
    except ValidationFailed:
        event("commit refused")
        assert not pv.can_commit and counts() == before
    else:
        event("committed")
        assert pv.rejected.empty
        after = counts()
        assert after[0] == before[0] + result.added and after[1] == before[1] + len(result.accounts)


_ORGS: dict = {}
