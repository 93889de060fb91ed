"""The one grid-save path (services.core.grid): counts, every error by row and column, stale rows merged or
reported, all-or-nothing (hypothesis); the logbook conflict case; the paste preview with bad cells."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain import cells
from services import logbook
from services.core.errors import Conflict, ValidationFailed
from services.core.grid import GridSpec, apply_grid
from tests import logbook_factories as lf
from tests.factories import build_org

D = dt.date

# --- the helper alone, on plain objects ---------------------------------------------------------------------------


class FakeSession:
    def __init__(self) -> None:
        self.added: list = []
        self.deleted: list = []
        self.flushed = 0

    def add(self, obj) -> None:
        self.added.append(obj)

    def delete(self, obj) -> None:
        self.deleted.append(obj)

    def flush(self) -> None:
        self.flushed += 1


LABELS = {"id": "ID", "nama": "Nama", "jumlah": "Jumlah", "status": "Status"}


def _parse(raw, obj, err):
    n0 = err.count
    nama = None
    try:
        nama = cells.to_text(raw.get("nama"), max_len=10, required=True)
    except cells.CellError as e:
        err("nama", e.message)
    try:
        jumlah = cells.to_int(raw.get("jumlah"))
        if jumlah is None or jumlah < 0:
            err("jumlah", "wajib diisi, tidak boleh negatif")
    except cells.CellError as e:
        err("jumlah", e.message)
        jumlah = None
    return None if err.count > n0 else {"nama": nama, "jumlah": jumlah}


def _spec():
    return GridSpec(labels=LABELS, parse=_parse, create=lambda v: SimpleNamespace(id=None, version=1, status="draft", **v),
                    locked=lambda o: None if o.status == "draft" else "baris ini terkunci",
                    version=lambda o: o.version, current=lambda o: {"id": o.id, "nama": o.nama, "jumlah": o.jumlah})


def _stored():
    return {i: SimpleNamespace(id=i, nama=f"n{i}", jumlah=i, version=1, status="draft") for i in (1, 2, 3)}


def test_counts_inserted_updated_deleted_unchanged():
    s, stored = FakeSession(), _stored()
    rows = [{"id": 1, "_row": 1, "nama": "n1", "jumlah": "1"}, {"id": 2, "_row": 2, "nama": "baru", "jumlah": "2"},
            {"id": None, "_row": 4, "nama": "tambah", "jumlah": "1.250"}]
    out = apply_grid(s, _spec(), stored, rows, [3])
    assert (out.inserted, out.updated, out.deleted, out.unchanged) == (1, 1, 1, 1)
    assert stored[2].nama == "baru" and s.added[0].jumlah == 1250 and s.deleted == [stored[3]]


def test_every_error_by_row_and_column_and_nothing_written():
    s, stored = FakeSession(), _stored()
    rows = [{"id": 1, "_row": 1, "nama": "x" * 11, "jumlah": "abc"}, {"id": None, "_row": 5, "nama": "", "jumlah": "1"},
            {"id": 2, "_row": 2, "nama": "ok", "jumlah": "3"}]
    with pytest.raises(ValidationFailed) as e:
        apply_grid(s, _spec(), stored, rows, [99])
    got = {(x.row, x.field) for x in e.value.errors}
    assert got == {(None, "ID"), (1, "Nama"), (1, "Jumlah"), (5, "Nama")}
    assert "Baris 1, kolom Jumlah" in str(e.value)
    assert stored[2].nama == "n2" and not s.added and not s.deleted


def test_stale_row_merged_when_editable_reported_when_locked_conflict_without_changed():
    s, stored = FakeSession(), _stored()
    stored[1].nama, stored[1].version = "lain", 2  # changed elsewhere; still editable
    stored[2].status, stored[2].version = "disetujui", 2  # approved elsewhere
    rows = [{"id": 1, "_row": 1, "nama": "n1", "jumlah": "10", "version": 1, "_changed": ["jumlah"]},
            {"id": 2, "_row": 2, "nama": "mine", "jumlah": "2", "version": 1, "_changed": ["nama"]}]
    out = apply_grid(s, _spec(), stored, rows)
    assert (stored[1].nama, stored[1].jumlah) == ("lain", 10)  # the other edit kept, the user's merged in
    assert stored[2].nama == "n2" and out.merged == 1 and out.updated == 1
    assert [(e.row, e.field) for e in out.not_applied] == [(2, "Status")]
    with pytest.raises(Conflict):
        apply_grid(s, _spec(), stored, [{"id": 1, "_row": 1, "nama": "x", "jumlah": "1", "version": 1}])


cell = st.one_of(st.none(), st.text(max_size=12), st.integers(-5, 50).map(str), st.sampled_from(["1.250", "2,5", "-"]))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(rows=st.lists(st.fixed_dictionaries({"id": st.sampled_from([None, 1, 2, 3, 7]), "nama": cell,
                                             "jumlah": cell}), max_size=6),
       deleted=st.lists(st.sampled_from([1, 2, 3, 8]), max_size=2, unique=True))
def test_any_rows_full_save_or_clear_error_never_partial(rows, deleted):
    s, stored = FakeSession(), _stored()
    before = {k: vars(o).copy() for k, o in stored.items()}
    rows = [dict(r, _row=i) for i, r in enumerate(rows, start=1)]
    try:
        out = apply_grid(s, _spec(), stored, rows, deleted)
    except ValidationFailed as e:
        assert e.errors and all(x.field in LABELS.values() for x in e.errors)
        assert all(x.row is None or 1 <= x.row <= len(rows) for x in e.errors)
        assert {k: vars(o) for k, o in stored.items()} == before and not s.added and not s.deleted
    else:
        sent = [r for r in rows if r["id"] is None or (r["id"] in stored and r["id"] not in deleted)]
        assert out.inserted + out.updated + out.unchanged == len(sent)
        assert out.deleted == len(deleted) == len(s.deleted)


# --- logbook: the conflict case and the paste preview ------------------------------------------------------------


@pytest.fixture
def ctx(db):
    org = build_org(lf.ORG_YEAR)
    sk = lf.approved_skps(org)
    return org, sk.staf_rhk[0].label, sk


def _grid(actor):
    return logbook.month_grid(actor, 2026, 3).to_dict("records")


def test_logbook_penilai_approves_one_row_while_pegawai_edits_others(ctx):
    """Old loss: with the month changed underneath, the pegawai's edits were dropped (Conflict / nothing saved).
    Now edits merge into rows still editable; the approved row is reported and left as approved."""
    org, lab, _ = ctx
    staf, kasub = org.actors.staf, org.actors.kasub
    logbook.save_month(staf, 2026, 3, lf.numbered([lf.row(D(2026, 3, 2), f"{h:02d}:00", f"{h + 1:02d}:00", lab)
                                                   for h in (8, 9, 10)]), today=lf.TODAY)
    a, b, c = _grid(staf)
    logbook.submit(staf, [a["id"]], today=lf.TODAY)
    opened = _grid(staf)  # the pegawai opens the grid
    logbook.review(kasub, [a["id"]], "setujui", today=lf.TODAY)  # the penilai approves row 1
    logbook.save_month(staf, 2026, 3, [dict(c, _row=3, satuan="berkas")], today=lf.TODAY)  # another tab: row 3
    with pytest.raises(Conflict):  # what a caller that cannot say what was edited still gets
        logbook.save_month(staf, 2026, 3, [dict(opened[2], volume=5, _row=3)], today=lf.TODAY)
    edits = [dict(opened[0], uraian="Diubah", _row=1, _changed=["uraian"]),
             dict(opened[1], uraian="Rapat koordinasi", _row=2, _changed=["uraian"]),
             dict(opened[2], volume=5, _row=3, _changed=["volume"])]
    res = logbook.save_month(staf, 2026, 3, edits, today=lf.TODAY)
    assert (res.diubah, res.digabung) == (2, 1)
    assert [(e.row, e.field) for e in res.tidak_diterapkan] == [(1, "Status")]
    assert "tidak diterapkan" in res.tidak_diterapkan[0].message and "tidak dapat diterapkan" in res.pesan
    now = {r["id"]: r for r in _grid(staf)}
    assert now[a["id"]]["status"] == "Disetujui" and now[a["id"]]["uraian"] != "Diubah"
    assert now[b["id"]]["uraian"] == "Rapat koordinasi"
    assert (now[c["id"]]["satuan"], float(now[c["id"]]["volume"])) == ("berkas", 5.0)  # both edits kept


def test_paste_preview_reads_indonesian_cells_and_names_bad_cells(ctx):
    org, lab, sk = ctx
    staf = org.actors.staf
    lines = [
        ["02/03/2026", "07.30", "8:45", "", "1", "Menyusun laporan", "2,5", "dokumen"],
        ["3 Maret 2026", "9:00", "10.00", "", lab, "Rapat", "1", "kali"],
        ["4/3/26", "08:00", "09:00", "", "1", "Mengetik", "1.5", "dokumen"],
        ["2026-03-05", "08:00", "09:00", "", "1", "Rapat", "1", "kali"],
        ["31/04/2026", "25.00", "09:00", "", "9", "", "abc", "kali"],   # row 5: bad date, time, volume, uraian
        ["02/02/2026", "08:00", "09:00", "", "1", "Di luar bulan", "1", "kali"],  # row 6: outside the month
        ["06/03/2026", "08:00"],  # row 7: incomplete
    ]
    pv = logbook.preview_paste(staf, 2026, 3, cells.format_tsv(lines), today=lf.TODAY)
    assert [r.ok for r in pv.rows] == [True, True, True, True, False, False, False]
    good = pv.good
    assert [g["tanggal"] for g in good] == [D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4), D(2026, 3, 5)]
    assert (good[0]["jam_mulai"], good[0]["jam_selesai"], good[0]["durasi_menit"]) == (dt.time(7, 30), dt.time(8, 45), 75)
    assert good[0]["volume"] == 2.5 and good[2]["volume"] == 1.5 and good[0]["rhk"] == sk.staf_rhk[0].label
    errs = {(e.row, e.field) for e in pv.errors}
    assert {(5, "Tanggal"), (5, "Jam Mulai"), (5, "Volume"), (5, "Uraian Kegiatan")} <= errs
    assert (6, "Tanggal") in errs and pv.rows[5].typed["tanggal"] == "02/02/2026"  # kept as typed, marked
    assert {(7, "RHK"), (7, "Uraian Kegiatan"), (7, "Volume"), (7, "Satuan")} <= errs  # incomplete: reported
    assert all(str(e).startswith(f"Baris {e.row}, kolom ") for e in pv.errors)
    res = logbook.save_month(staf, 2026, 3, [dict(g, _row=i) for i, g in enumerate(good, 1)], today=lf.TODAY)
    assert res.ditambah == 4


def test_paste_header_row_and_round_trip_of_the_grid(ctx):
    org, lab, _ = ctx
    staf = org.actors.staf
    logbook.save_month(staf, 2026, 3, [lf.row(D(2026, 3, 2), "08:00", "09:30", lab, volume="2,5")], today=lf.TODAY)
    g = _grid(staf)[0]
    cols = logbook.PASTE_COLUMNS
    fmt = {"tanggal": cells.fmt_date, "jam_mulai": cells.fmt_time, "jam_selesai": cells.fmt_time,
           "volume": cells.fmt_decimal}
    line = [fmt.get(col, lambda v: "" if v is None else str(v))(g[col]) for col in cols]
    text = cells.format_tsv([[logbook.LABELS[col] for col in cols], line])
    pv = logbook.preview_paste(staf, 2026, 3, text.replace("02/03/2026", "03/03/2026"), today=lf.TODAY)
    assert pv.header and len(pv.good) == 1, pv.errors
    back = pv.good[0]
    assert (back["jam_mulai"], back["durasi_menit"], back["volume"], back["rhk"]) == (dt.time(8), 90, 2.5, lab)
