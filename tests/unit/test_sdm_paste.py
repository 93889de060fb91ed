"""Paste from Excel on the SDM grids (Unit Kerja, Tim Kerja, Jabatan, Pegawai): the preview runs the grid's own
save path as a dry run (nothing written, nothing audited), names every refused cell by pasted row and column,
updates the stored row whose key is pasted, and reads "Unduh Excel" pasted back unchanged as the same rows."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from sqlalchemy import func, select

from db.engine import read_session
from db.models import AuditLog, Pegawai, UnitKerja, User
from domain import cells
from services.auth import login as auth
from services.core.errors import PermissionDenied
from services.org import people
from services.org import units as svc
from tests.factories import password_hash


@pytest.fixture(autouse=True)
def fast_hash(monkeypatch):
    cached = password_hash()
    monkeypatch.setattr(auth, "hash_password", lambda _pw, rounds=12: cached)


def _counts() -> tuple[int, ...]:
    with read_session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (UnitKerja, Pegawai, User, AuditLog))


def _sheet(xlsx: bytes) -> str:
    """What a user copies from the downloaded sheet: header and rows, tab-separated, as Excel shows them."""
    df = pd.read_excel(io.BytesIO(xlsx), dtype=object, header=None)
    return cells.format_tsv([["" if pd.isna(v) else str(v) for v in row] for row in df.itertuples(index=False)])


def test_unit_paste_preview_by_row_and_column_nothing_written(org):
    admin = org.actors.admin
    before = _counts()
    text = cells.format_tsv([
        ["LAB", "Laboratorium", "BUK", "3", "ya"],          # 1: new, good
        ["lab 2", "Lab Dua", "BUK", "x", "tidak"],          # 2: bad kode, urutan not a number
        ["LAB", "Laboratorium lagi", "NOPE", "", ""],       # 3: kode twice, induk unknown
        ["ADUM", "", "", "", ""],                           # 4: stored kode: an update, empty cells kept
    ])
    pv = svc.preview_paste_units(admin, text)
    assert _counts() == before  # dry run: nothing written, nothing audited
    assert [r.no for r in pv.rows] == [1, 2, 3, 4]
    errs = {(e.row, e.field) for e in pv.errors}
    assert (2, "Urutan") in errs and (3, "Induk") in errs and (3, "Kode") in errs
    assert all(e.row != 4 for e in pv.errors) and all(e.row != 2 or e.field != "Nama" for e in pv.errors)
    assert [r.no for r in pv.rows if r.ok] == [4]  # row 1 shares its kode with row 3: both refused
    assert {(1, "Kode"), (3, "Kode")} <= errs
    adum = next(r for r in pv.rows if r.no == 4).values
    assert adum["id"] == org.units["adum"] and adum["nama"] == svc.units_df(admin).set_index("kode").loc["ADUM", "nama"]
    assert pv.rows[1].typed["urutan"] == "x"  # what was typed is kept for the preview and the box


def test_unit_tim_jabatan_round_trip_of_unduh_excel(org):
    admin = org.actors.admin
    for which, preview, shown in (("unit", svc.preview_paste_units, svc.units_df),
                                  ("tim", svc.preview_paste_tim, svc.tim_df),
                                  ("jabatan", svc.preview_paste_jabatan, svc.jabatan_df)):
        text = _sheet(svc.grid_xlsx(admin, which))
        pv = preview(admin, text)
        assert pv.header and not pv.errors, (which, pv.errors)
        assert len(pv.good) == len(shown(admin)) and all(g["id"] is not None for g in pv.good), which
        assert "true" not in text.lower() and "false" not in text.lower()
    # saved back unchanged: nothing changes
    good = svc.preview_paste_units(admin, _sheet(svc.grid_xlsx(admin, "unit"))).good
    res = svc.save_units(admin, [dict(g, _row=i) for i, g in enumerate(good, 1)])
    assert (res.ditambah, res.diubah, res.dihapus) == (0, 0, 0)


def test_tim_paste_new_row_saved_through_the_grid(org):
    admin = org.actors.admin
    pv = svc.preview_paste_tim(admin, cells.format_tsv([["Tim Baru", "ADUM", "", "uji", "ya"],
                                                        ["Tim Lain", "XX", "123", "", "mungkin"]]))
    assert [r.ok for r in pv.rows] == [True, False]
    assert {(e.row, e.field) for e in pv.errors} == {(2, "Aktif")}  # a reader error stops the row's other checks
    res = svc.save_tim(admin, [dict(g, _row=1) for g in pv.good])
    assert res.ditambah == 1


def test_pegawai_paste_preview_creates_no_account_and_round_trips(org):
    admin = org.actors.admin
    before = _counts()
    new = ["198703152010012001", "PNS", "", "Sri Wahyuni", "", "III/c", "Penata Layanan Operasional", "ADUM", "",
           "", "", "ya"]
    bad = ["123", "", "", "", "", "IX/z", "", "ADUM", "", "", "", ""]
    pv = people.preview_paste(admin, cells.format_tsv([new, bad]))
    assert _counts() == before
    assert [r.ok for r in pv.rows] == [True, False]
    assert {"NIP", "Nama"} <= {e.field for e in pv.errors if e.row == 2}
    assert pv.good[0]["id"] is None and pv.good[0]["aktif"] is True
    df = people.pegawai_df(admin)
    back = people.preview_paste(admin, _sheet(people.grid_xlsx(admin, df)))
    assert back.header and not back.errors and len(back.good) == len(df)
    assert {g["id"] for g in back.good} == set(df["id"])


def test_paste_previews_refused_to_non_admin(org):
    for fn in (svc.preview_paste_units, svc.preview_paste_tim, svc.preview_paste_jabatan, people.preview_paste):
        with pytest.raises(PermissionDenied):
            fn(org.actors.staf, "A\tB")


def test_hari_libur_and_hubungan_paste_round_trip_and_bad_cells(org):
    import datetime as dt

    from services.core import clock
    from services.org import kalender, reporting

    admin = org.actors.admin
    year = clock.today().year
    kalender.save_grid(admin, [{"_row": 1, "id": None, "tanggal": dt.date(year, 8, 18), "nama": "Cuti instansi",
                                "jenis": kalender.JENIS_OPTIONS[0]}])
    text = _sheet(kalender.grid_xlsx(admin, year))
    assert f"18/08/{year}" in text
    back = kalender.preview_paste(admin, year, text)
    assert back.header and not back.errors and [g["id"] is not None for g in back.good] == [True]
    pv = kalender.preview_paste(admin, year, cells.format_tsv([[f"19 Agustus {year}", "Libur baru",
                                                                 kalender.JENIS_OPTIONS[0]],
                                                                ["31/02/2026", "Salah", "entah"]]))
    assert [r.ok for r in pv.rows] == [True, False] and pv.good[0]["tanggal"] == dt.date(year, 8, 19)
    assert {(e.row, e.field) for e in pv.errors} == {(2, "Tanggal")}

    df = reporting.lines_df(admin)
    back = reporting.preview_paste(admin, _sheet(reporting.grid_xlsx(admin, df)))
    assert back.header and not back.errors, back.errors
    assert len(back.good) == len(df) and {g["id"] for g in back.good} == set(df["id"])
    pv = reporting.preview_paste(admin, cells.format_tsv([["123", "", "", "", "01/01/2026", "", ""]]))
    assert not pv.good and {"Pegawai"} <= {e.field for e in pv.errors}


def test_dry_run_flushes_then_rolls_back_without_audit(org):
    """All-good rows: the save runs to its flush (constraints, audit rows built) and nothing is committed."""
    from services.core.uow import DryRunDone, dry_run

    admin = org.actors.admin
    before = _counts()
    with pytest.raises(DryRunDone), dry_run():
        svc.save_units(admin, [{"_row": 1, "id": None, "kode": "BARU", "nama": "Unit Baru", "induk": "BUK"}])
    assert _counts() == before
    pv = svc.preview_paste_units(admin, "BARU\tUnit Baru\tBUK\t\t")
    assert [r.ok for r in pv.rows] == [True] and _counts() == before
    assert svc.save_units(admin, [dict(pv.good[0], _row=1)]).ditambah == 1  # the preview left nothing behind


@pytest.mark.parametrize("shown", ["1,98703E+17", "1.98703E+17", "1.98703e17"])
def test_nip_excel_shows_in_scientific_notation_is_explained_on_every_nip_paste(org, shown):
    """A NIP column left as General in Excel shows 1,98703E+17 and keeps only 15 digits: every grid that reads a
    NIP says so (retype as text) instead of 'not found' or 'digits only'."""
    from services.org import ketidakhadiran as kh
    from services.org import penugasan, reporting

    admin = org.actors.admin

    def says_scientific(pv, field: str) -> None:
        assert not pv.good
        msgs = [e.message for e in pv.errors if e.row == 1 and e.field == field]
        assert msgs and "angka ilmiah" in msgs[0] and "Teks" in msgs[0], pv.errors

    says_scientific(people.preview_paste(admin, cells.format_tsv([[shown, "PNS", "", "Sri", "", "III/c", "",
                                                                   "ADUM", "", "", "", "ya"]])), "NIP")
    says_scientific(reporting.preview_paste(admin, cells.format_tsv([[shown, "", "", "", f"01/01/{org.year}", "",
                                                                      ""]])), "Pegawai")
    says_scientific(svc.preview_paste_tim(admin, cells.format_tsv([["Tim Baru", "ADUM", shown, "", "ya"]])), "Ketua")
    says_scientific(kh.preview_paste(admin, cells.format_tsv([[shown, "Cuti Tahunan", f"02/03/{org.year}",
                                                               f"04/03/{org.year}", "", ""]])), "Pegawai (NIP)")
    says_scientific(penugasan.preview_paste(admin, cells.format_tsv([[shown, "Plh", "", "", f"02/03/{org.year}",
                                                                      "", "", "", ""]])), "Pelaksana (NIP)")


def test_scientific_message_only_for_what_excel_shows():
    from domain.nip import parse_nip, scientific_message

    assert scientific_message("198703152010012001") is None and scientific_message(None) is None
    assert scientific_message("1987 0315 2010 01 2 001") is None and scientific_message("x") is None
    assert "1,98703E+17" in (scientific_message(1.98703152010012e17) or "")
    with pytest.raises(ValueError, match="angka ilmiah"):
        parse_nip("1,98703E+17")
