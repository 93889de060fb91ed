"""Round trip of "Unduh Excel" -> "Tempel dari Excel" on the logbook and SKP grids: the downloaded sheet pasted back
unchanged reads as the stored rows (each carrying its id), with no error, and saving it changes nothing; a pasted row
of a stored entry updates that entry instead of being refused as overlapping or duplicate. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from domain import cells
from services import logbook, skp
from services.core import clock
from services.core.errors import PermissionDenied
from services.logbook.entries import LABELS
from tests import logbook_factories as lf
from tests import skp_factories as f
from tests.factories import build_org

D = dt.date


def _sheet(xlsx: bytes) -> str:
    """What a user copies from the downloaded sheet: header and rows, tab-separated, as Excel shows them."""
    df = pd.read_excel(io.BytesIO(xlsx), dtype=object, header=None)
    return cells.format_tsv([["" if pd.isna(v) else str(v) for v in row] for row in df.itertuples(index=False)])


@pytest.fixture
def lctx(db):
    org = build_org(lf.ORG_YEAR)
    sk = lf.approved_skps(org)
    return org, sk.staf_rhk[0].label


def test_logbook_unduh_excel_pasted_back_unchanged_changes_nothing(lctx):
    org, lab = lctx
    staf = org.actors.staf
    logbook.save_month(staf, 2026, 3, lf.numbered([
        lf.row(D(2026, 3, 2), "08:00", "10:15", lab, volume="1,5"),
        lf.row(D(2026, 3, 2), "10:15", None, lab, durasi_menit=45, bukti_link="https://drive/x"),
        lf.row(D(2026, 3, 3), None, None, lab, durasi_menit=90),
        lf.row(D(2026, 3, 4), "07:30", "09:00", lab)]), today=lf.TODAY)
    ids = [int(i) for i in logbook.month_grid(staf, 2026, 3)["id"]]
    logbook.submit(staf, ids[:2], today=lf.TODAY)
    logbook.review(org.actors.kasub, [ids[0]], "setujui")  # one approved, one submitted: both locked
    before = lf.snapshot()
    text = _sheet(logbook.month_xlsx(staf, 2026, 3))
    assert "07.30" in text and "02/03/2026" in text
    pv = logbook.preview_paste(staf, 2026, 3, text, today=lf.TODAY)
    assert pv.header and not pv.errors, pv.errors
    assert sorted(g["id"] for g in pv.good) == sorted(ids)  # every row recognised as its stored entry
    res = logbook.save_month(staf, 2026, 3, [dict(g, _row=n) for n, g in enumerate(pv.good, 1)], today=lf.TODAY)
    assert (res.ditambah, res.diubah, res.dihapus) == (0, 0, 0)
    assert lf.snapshot() == before


def test_logbook_paste_of_a_stored_entry_updates_it_and_a_locked_change_is_refused(lctx):
    org, lab = lctx
    staf = org.actors.staf
    logbook.save_month(staf, 2026, 3, lf.numbered([lf.row(D(2026, 3, 2), "08:00", "09:00", lab),
                                                   lf.row(D(2026, 3, 3), "08:00", "09:00", lab)]), today=lf.TODAY)
    grid = logbook.month_grid(staf, 2026, 3)
    a, b = (int(i) for i in grid["id"])
    logbook.submit(staf, [b], today=lf.TODAY)
    ura_a, ura_b = grid.loc[0, "uraian"], grid.loc[1, "uraian"]
    text = cells.format_tsv([
        ["02/03/2026", "08.00", "09.30", "", "1", ura_a, "2", "dokumen", "", "", ""],  # draft: end and volume changed
        ["03/03/2026", "08.00", "09.30", "", "1", ura_b, "1", "dokumen", "", "", ""],  # submitted: changed, refused
    ])
    pv = logbook.preview_paste(staf, 2026, 3, text, today=lf.TODAY)
    assert {(e.row, e.field) for e in pv.errors} == {(2, LABELS["status"])}, pv.errors
    (good,) = pv.good
    assert good["id"] == a and good["jam_selesai"] == dt.time(9, 30)  # not "overlapping" its own stored entry
    res = logbook.save_month(staf, 2026, 3, [dict(good, _row=1)], today=lf.TODAY)
    assert (res.ditambah, res.diubah) == (0, 1)
    assert logbook.month_grid(staf, 2026, 3).loc[0, "durasi_menit"] == 90


def test_skp_unduh_excel_pasted_back_unchanged_and_rhk_by_number(org):
    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    sid = f.staff_skp(org, "staf", m.rhk[0], submit=False)
    shown = skp.grid(a.staf, sid)
    text = _sheet(skp.grid_xlsx(a.staf, sid))
    assert not {c.lower() for line in cells.parse_tsv(text) for c in line} & {"true", "false", "nan", "none"}
    pv = skp.preview_paste(a.staf, sid, text)
    assert pv.header and not pv.errors, pv.errors
    assert [g["id"] for g in pv.good] == [int(i) for i in shown["id"]]  # every row is its stored IKI row
    before = skp.grid(a.staf, sid)
    res = skp.save_rhk_grid(a.staf, sid, [dict(g, _row=n) for n, g in enumerate(pv.good, 1)], [])
    assert skp.grid(a.staf, sid).equals(before) and res.iki == len(before)
    # RHK by its number: row 1 of the sheet with a new target is an update of that row, not a duplicate RHK
    lines = cells.parse_tsv(text)
    header, first = lines[0], list(lines[1])
    first[header.index(skp.LABELS["rhk"])] = "1"
    first[header.index(skp.LABELS["target_min"])] = "24"
    pv = skp.preview_paste(a.staf, sid, cells.format_tsv([header, first]))
    assert not pv.errors, pv.errors
    (good,) = pv.good
    assert good["id"] == int(shown.loc[0, "id"]) and good["target_min"] == 24
    skp.save_rhk_grid(a.staf, sid, [dict(good, _row=1)], [])
    after = skp.grid(a.staf, sid)
    assert len(after) == len(before) and after.loc[0, "target_min"] == 24


def test_target_iki_paste_matches_by_indikator_round_trip_and_errors(org):
    from services.evaluasi import pegawai as evaluasi
    from tests import evaluasi_factories as ef

    ef.setup(org)
    staf = org.actors.staf
    ev_id = ef.periodic(org, "staf")
    iki = evaluasi.evaluasi_detail(staf, ev_id).iki
    before = [(i.id, i.target_min, i.target_max) for i in iki]
    text = _sheet(evaluasi.target_iki_xlsx(staf, ev_id))
    pv = evaluasi.preview_paste_target_iki(staf, ev_id, text)
    assert pv.header and not pv.errors, pv.errors
    assert [g["id"] for g in pv.good] == [i.id for i in iki]
    res = evaluasi.save_target_iki(staf, ev_id, [dict(g, _row=n) for n, g in enumerate(pv.good, 1)])
    assert res.diubah == 0
    pv = evaluasi.preview_paste_target_iki(staf, ev_id, cells.format_tsv([
        [iki[0].indikator, "", "7,5", "", ""],             # 1: matched, decimal comma, the rest kept
        ["Indikator yang tidak ada", "", "1", "", ""],     # 2: no such IKI
        [iki[0].indikator, "", "abc", "2", ""],            # 3: not a number
        [iki[0].indikator, "", "5", "3", ""],              # 4: max below min (refused by the save's own rule)
    ]))
    assert [(i.id, i.target_min, i.target_max) for i in evaluasi.evaluasi_detail(staf, ev_id).iki] == before
    errs = {(e.row, e.field) for e in pv.errors}
    assert {(2, "Indikator Kinerja Individu"), (3, "Target Minimal"), (4, "Target Maksimal")} <= errs, errs
    assert [r.no for r in pv.rows if r.ok] == [1] and pv.good[0]["target_min"] == 7.5
    assert pv.good[0]["id"] == iki[0].id


def test_plt_paste_people_by_nip_or_label_round_trip_and_errors(db):
    from services.org import penugasan

    org = build_org(lf.ORG_YEAR)
    admin = org.actors.admin
    kasub, ketua, staf = "198001012005011002", "198502022010122001", "199003032015031003"
    penugasan.save_grid(admin, [{"id": None, "_row": 1, "pegawai": ketua, "jenis": "Plh", "pejabat": kasub,
                                 "jabatan": None, "tanggal_mulai": D(2026, 7, 1), "tanggal_selesai": D(2026, 7, 10),
                                 "nomor_sk": "800/PLH/2026", "tanggal_sk": None, "keterangan": None}])
    before = penugasan.grid(admin)
    text = _sheet(penugasan.grid_xlsx(admin))
    assert "01/07/2026" in text and f"{ketua} – " in text
    pv = penugasan.preview_paste(admin, text)
    assert pv.header and not pv.errors, pv.errors
    assert [g["id"] for g in pv.good] == [int(before.loc[0, "id"])]
    res = penugasan.save_grid(admin, [dict(g, _row=n) for n, g in enumerate(pv.good, 1)])
    assert (res.ditambah, res.diubah, res.dihapus) == (0, 0, 0)
    pv = penugasan.preview_paste(admin, cells.format_tsv([
        [ketua, "plh", kasub, "", "1 Juli 2026", "15/07/2026", "", "", ""],      # 1: NIP only: the stored one, updated
        [staf, "Plt", "", "Jabatan Fiktif", "1/8/26", "10/08/2026", "SK-1", "", ""],  # 2: unknown jabatan
        ["123", "Plx", kasub, "", "31/02/2026", "", "SK-2", "", ""],             # 3: NIP, jenis, dates
    ]))
    assert penugasan.grid(admin).equals(before)  # dry run
    errs = {(e.row, e.field) for e in pv.errors}
    assert {(2, "Jabatan"), (3, "Pelaksana (NIP)"), (3, "Jenis"), (3, "Mulai")} <= errs, errs
    assert not any(e.row == 1 for e in pv.errors)
    (good,) = pv.good
    assert good["id"] == int(before.loc[0, "id"]) and good["pegawai"] == before.loc[0, "pegawai"]  # shown as the label
    assert good["tanggal_selesai"] == D(2026, 7, 15) and good["nomor_sk"] == "800/PLH/2026"  # empty cell kept


def test_sk_members_paste_by_nip_name_or_label_round_trip_and_errors(org):
    from services.kinerja import tim_penyusun as tp

    y = org.year
    labels = {k: next(x for x in tp.pegawai_options(org.actors.admin) if org.usernames[k] in x)
              for k in ("kasub", "staf", "staf2")}
    tp.save_sk(org.actors.kasub, y, "HK.02.03/1/1", min(D(y, 1, 6), clock.today()),  # never in the future (2 January)
               [{"Pegawai": labels["kasub"], "Peran": "Penanggung Jawab"}, {"Pegawai": labels["staf2"], "Peran": "Anggota"}])
    before = tp.get(org.actors.admin, y)["anggota"]
    text = _sheet(tp.anggota_xlsx(org.actors.admin, y))
    pv = tp.preview_paste_anggota(org.actors.admin, text)
    assert pv.header and not pv.errors, pv.errors
    assert pv.good == before.to_dict("records")
    staf_name = labels["staf"].rsplit(" (", 1)[0]
    pv = tp.preview_paste_anggota(org.actors.admin, cells.format_tsv([
        [org.usernames["staf2"], "sekretaris"],        # 1: NIP only -> the label; peran in any case
        [staf_name, "Anggota"],                        # 2: by name
        ["Orang Asing", "Anggota"],                    # 3: unknown pegawai
        [labels["kasub"], "Bendahara"],                # 4: unknown peran
        [labels["staf2"], "Ketua"],                    # 5: twice (row 1)
    ]))
    errs = {(e.row, e.field) for e in pv.errors}
    assert errs == {(3, "Pegawai"), (4, "Peran"), (5, "Pegawai")}, pv.errors
    assert pv.good == [{"Pegawai": labels["staf2"], "Peran": "Sekretaris"}, {"Pegawai": labels["staf"], "Peran": "Anggota"}]
    assert tp.get(org.actors.admin, y)["anggota"].equals(before)  # nothing written
    with pytest.raises(PermissionDenied):
        tp.preview_paste_anggota(org.actors.staf, text)


def test_logbook_sheet_edited_in_excel_matched_by_id(lctx):
    org, lab = lctx
    staf = org.actors.staf
    logbook.save_month(staf, 2026, 3, lf.numbered([lf.row(D(2026, 3, 2), "08:00", "09:00", lab),
                                                   lf.row(D(2026, 3, 3), "08:00", "09:00", lab)]), today=lf.TODAY)
    a, b = (int(i) for i in logbook.month_grid(staf, 2026, 3)["id"])
    lines = cells.parse_tsv(_sheet(logbook.month_xlsx(staf, 2026, 3)))
    header = lines[0]
    assert header[0] == "ID"
    ura, mulai = header.index(LABELS["uraian"]), header.index(LABELS["jam_mulai"])
    first = list(lines[1])
    first[ura], first[mulai] = "Uraian diubah di Excel", "07.30"  # date/time/uraian changed: the ID still says which
    dup = list(lines[2])
    dup[ura] = "Salinan baris dua"
    stray = list(lines[2])
    stray[0] = "999999"
    pv = logbook.preview_paste(staf, 2026, 3, cells.format_tsv([header, first, lines[2], dup, stray]), today=lf.TODAY)
    assert {(e.row, e.field) for e in pv.errors} == {(3, "ID"), (4, "ID")}, pv.errors
    assert [g["id"] for g in pv.good] == [a, b]
    res = logbook.save_month(staf, 2026, 3, [dict(g, _row=n) for n, g in enumerate(pv.good, 1)], today=lf.TODAY)
    assert (res.ditambah, res.diubah) == (0, 1)
    df = logbook.month_grid(staf, 2026, 3)
    assert df.loc[0, "uraian"] == "Uraian diubah di Excel" and df.loc[0, "durasi_menit"] == 90
