"""AppTest: Penilaian Logbook: the pejabat penilai approves and returns entries selected in the bulk grid (one
note for the selection, notes per row), errors in Indonesian, correction requests; the pemberi pertimbangan
adds notes and cannot decide; a plain pegawai is refused."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from services import logbook
from tests import logbook_factories as lf
from tests.factories import build_org
from tests.pages.helpers import page, texts
from ui import logbook_review as lr

PAGE = "logbook_penilaian.py"
D = dt.date
QUEUE = "penilaian_lb_antrian__0"


def _entries(actor, lab, days) -> list[int]:
    logbook.save_month(actor, 2026, 3, lf.numbered([lf.row(D(2026, 3, d), "08:00", "09:30", lab) for d in days]),
                       today=lf.TODAY)
    ids = [int(i) for i in logbook.month_grid(actor, 2026, 3)["id"]]
    logbook.submit(actor, ids, today=lf.TODAY)
    return ids


@pytest.fixture
def ctx(sqlite_db):
    sqlite_org = build_org(lf.ORG_YEAR)  # the logbook tests' fixed calendar month (tests/logbook_factories.py)
    """staf (Andi Wijaya) and staf2 (Dewi Lestari) each submitted two entries to kasub; ketua is staf2's
    pemberi pertimbangan. Queue order: staf's two, then staf2's two."""
    sk = lf.approved_skps(sqlite_org, staf2=True)
    a = sqlite_org.actors
    staf = _entries(a.staf, sk.staf_rhk[0].label, (2, 3))
    staf2 = _entries(a.staf2, logbook.rhk_options(a.staf2, lf.TODAY)[0].label, (4, 5))
    return SimpleNamespace(org=sqlite_org, a=a, u=sqlite_org.usernames, staf=staf, staf2=staf2)


def _open(username: str):
    at = page(PAGE, username).run()
    assert not at.exception, at.exception
    return at


def _select(at, rows: list[int]):
    at.session_state[QUEUE] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    return at.run()


def _grid(at):
    """The review grid (the overdue table above it has no Status column)."""
    (grid,) = [d.value for d in at.dataframe if "Status" in d.value.columns]
    return grid


def _entries_by_id(c) -> dict[int, dict]:
    q = logbook.review_queue(c.a.kasub, status=None)
    return {int(r["id"]): r for r in q.to_dict("records")}


def test_penilai_bulk_approves_two_selected_entries(ctx):
    before = logbook.monthly_points(ctx.a.staf, 2026, 3)
    at = _open(ctx.u["kasub"])
    assert at.title[0].value == "Penilaian Logbook"
    grid = _grid(at)
    assert "4 kegiatan melewati batas penilaian" in texts(at)  # March entries, reviewed after 15 April
    assert set(grid["Lewat Batas"]) == {"⚠ Lewat batas"}
    assert list(grid["Pegawai"]) == ["Andi Wijaya"] * 2 + ["Dewi Lestari, S.Si."] * 2
    assert set(grid["Status"]) == {"Belum Diperiksa"}
    at = _select(at, [0, 1])
    assert not at.exception, at.exception
    assert "**2** kegiatan dipilih dari 1 pegawai." in texts(at)
    at.button(key="penilaian_lb_setujui").click().run()
    assert not at.exception, at.exception
    assert "2 kegiatan logbook disetujui." in [s.value for s in at.success]
    rows = _entries_by_id(ctx)
    assert [rows[i]["status"] for i in ctx.staf] == ["Disetujui", "Disetujui"]
    assert [rows[i]["status"] for i in ctx.staf2] == ["Belum Diperiksa", "Belum Diperiksa"]
    after = logbook.monthly_points(ctx.a.staf, 2026, 3)
    assert before.disetujui_menit == 0 and after.disetujui_menit == 180
    assert after.diajukan_menit == before.diajukan_menit - 180
    # the grid (default filter: Belum Diperiksa) now shows only staf2's entries, selection reset
    assert list(_grid(at)["Pegawai"]) == ["Dewi Lestari, S.Si."] * 2


def test_penilai_returns_with_shared_and_row_note(ctx):
    at = _select(_open(ctx.u["kasub"]), [2, 3])
    at.session_state[lr.row_notes_key(ctx.staf2)] = {
        "edited_rows": {0: {lr.NOTE_COLUMN: "Lengkapi bukti dukung"}}, "added_rows": [], "deleted_rows": []}
    at.text_area(key=lr.note_key()).input("Uraian terlalu umum")
    at.run()
    at.button(key="penilaian_lb_kembalikan").click().run()
    assert not at.exception, at.exception
    assert "2 kegiatan logbook dikembalikan untuk revisi." in [s.value for s in at.success]
    rows = _entries_by_id(ctx)
    assert [rows[i]["status"] for i in ctx.staf2] == ["Revisi", "Revisi"]
    assert [rows[i]["catatan_penilai"] for i in ctx.staf2] == ["Lengkapi bukti dukung", "Uraian terlalu umum"]


def test_return_without_note_is_refused_in_indonesian(ctx):
    at = _select(_open(ctx.u["kasub"]), [0])
    at.button(key="penilaian_lb_tolak").click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Tidak ada kegiatan yang dinilai:" in shown and "Catatan Penilai" in shown and "wajib diisi" in shown
    assert set(_entries_by_id(ctx)[i]["status"] for i in ctx.staf) == {"Belum Diperiksa"}


def test_status_filter_and_correction_request_accepted(ctx):
    logbook.review(ctx.a.kasub, ctx.staf, "setujui")
    logbook.request_correction(ctx.a.staf, ctx.staf[0], "Jam selesai salah ketik")
    at = _open(ctx.u["kasub"])
    at.selectbox(key="penilaian_lb_status").set_value("Disetujui").run()
    assert list(_grid(at)["Status"]) == ["Disetujui", "Disetujui"]
    assert "Jam selesai salah ketik" in texts(at)
    kid = int(logbook.correction_queue(ctx.a.kasub)["id"][0])
    at.button(key=f"penilaian_lb_koreksi_terima_{kid}").click().run()
    assert not at.exception, at.exception
    assert "Permintaan koreksi Andi Wijaya diterima." in [s.value for s in at.success]
    assert _entries_by_id(ctx)[ctx.staf[0]]["status"] == "Revisi"


def test_pemberi_pertimbangan_adds_notes_without_approve_buttons(ctx):
    at = _open(ctx.u["ketua"])
    assert list(_grid(at)["Pegawai"]) == ["Dewi Lestari, S.Si."] * 2
    keys = {b.key for b in at.button}
    assert "penilaian_lb_setujui" not in keys and "penilaian_lb_kembalikan" not in keys
    assert "penilaian_lb_tolak" not in keys and "penilaian_lb_pertimbangan" in keys
    at = _select(at, [0, 1])
    at.text_area(key=lr.note_key()).input("Kegiatan sesuai rencana tim")
    at.button(key="penilaian_lb_pertimbangan").click().run()
    assert not at.exception, at.exception
    assert "Catatan pertimbangan disimpan untuk 2 kegiatan." in [s.value for s in at.success]
    rows = _entries_by_id(ctx)
    assert [rows[i]["catatan_pertimbangan"] for i in ctx.staf2] == ["Kegiatan sesuai rencana tim"] * 2
    assert [rows[i]["status"] for i in ctx.staf2] == ["Belum Diperiksa"] * 2
    # one note for the pegawai-month
    at.number_input(key="penilaian_lb_bulan_tahun").set_value(2026).run()
    at.selectbox(key="penilaian_lb_bulan_bulan").set_value(3).run()
    (area,) = [t for t in at.text_area if t.key.startswith("penilaian_lb_bulan_catatan_")]
    area.input("Bulan ini konsisten mengisi logbook")
    at.button(key="penilaian_lb_bulan_simpan").click().run()
    assert not at.exception, at.exception
    assert logbook.month_note(ctx.a.kasub, ctx.org.pegawai["staf2"], 2026, 3) == "Bulan ini konsisten mengisi logbook"


def test_plain_pegawai_is_refused(ctx):
    at = _open(ctx.u["staf"])
    assert "Anda tidak memiliki akses ke halaman ini." in [e.value for e in at.error]
    assert not at.dataframe and not at.button


def test_not_logged_in_sees_only_the_login_prompt(sqlite_org):
    at = page(PAGE).run()
    assert not at.exception, at.exception
    assert not at.dataframe and "Penilaian Logbook" not in [t.value for t in at.title]


def test_admin_sdm_sees_only_pegawai_without_a_penilai(ctx):
    at = _open(ctx.u["admin"])
    assert "Tidak ada kegiatan logbook yang sesuai dengan filter." in [i.value for i in at.info]
    assert "penilaian_lb_setujui" not in {b.key for b in at.button}


def test_approving_entries_of_several_pegawai_asks_for_confirmation_with_count_and_names(ctx):
    at = _select(_open(ctx.u["kasub"]), [0, 1, 2, 3])
    at.button(key="penilaian_lb_setujui").click().run()
    assert not at.exception, at.exception
    (warning,) = [w.value for w in at.warning if "Anda akan menyetujui" in w.value]
    assert "**4 kegiatan**" in warning and "**2 pegawai**" in warning
    assert "Andi Wijaya" in warning and "Dewi Lestari" in warning
    assert {r["status"] for r in _entries_by_id(ctx).values()} == {"Belum Diperiksa"}  # nothing yet
    at.button(key="penilaian_lb_konfirmasi_batal").click().run()
    assert not [w for w in at.warning if "Anda akan menyetujui" in w.value]
    assert {r["status"] for r in _entries_by_id(ctx).values()} == {"Belum Diperiksa"}
    at.button(key="penilaian_lb_setujui").click().run()
    at.button(key="penilaian_lb_konfirmasi_ya").click().run()
    assert not at.exception, at.exception
    assert "4 kegiatan logbook disetujui." in [s.value for s in at.success]
    assert {r["status"] for r in _entries_by_id(ctx).values()} == {"Disetujui"}


def test_more_entries_than_the_setting_ask_for_confirmation_even_for_one_pegawai(ctx):
    from services.core import settings

    settings.update_many(ctx.a.admin, {"konfirmasi_setujui_massal": 1})
    at = _select(_open(ctx.u["kasub"]), [0, 1])  # two entries of Andi Wijaya
    at.button(key="penilaian_lb_setujui").click().run()
    (warning,) = [w.value for w in at.warning if "Anda akan menyetujui" in w.value]
    assert "**2 kegiatan**" in warning and "**1 pegawai**" in warning and "Andi Wijaya" in warning
    assert {rows["status"] for i, rows in _entries_by_id(ctx).items() if i in ctx.staf} == {"Belum Diperiksa"}
    assert settings.BY_KEY["konfirmasi_setujui_massal"].default == "50"
    assert "SOP 000 langkah 4–5" in settings.BY_KEY["konfirmasi_setujui_massal"].source


def test_review_grid_puts_the_decision_columns_first_and_shows_the_selection_in_full(ctx):
    at = _select(_open(ctx.u["kasub"]), [0])
    (df,) = [d for d in at.dataframe if "Status" in d.value.columns]
    order = list(df.proto.column_order)
    assert order[:6] == ["Pegawai", "Tanggal", "Durasi (menit)", "Uraian Kegiatan", "Catatan Pertimbangan", "Status"]
    assert any("Rincian kegiatan terpilih" in e.label for e in at.expander)


def test_ketua_tim_page_speaks_of_pertimbangan_not_of_setujui_or_tolak(ctx):
    at = _open(ctx.u["ketua"])
    assert at.title[0].value == "Pertimbangan Logbook"
    caption = at.caption[0].value
    assert "catatan pertimbangan" in caption and "ada pada pejabat penilai" in caption
    assert "lalu setujui" not in caption


def test_admin_sdm_sees_the_organisation_overdue_reviews_read_one_page_at_a_time(ctx):
    at = _open(ctx.u["admin"])
    assert "4 kegiatan melewati batas penilaian" in texts(at)
    (overdue,) = [d.value for d in at.dataframe if "Batas Penilaian" in d.value.columns and "Status" not in d.value.columns]
    assert list(overdue["Pegawai"]) == ["Andi Wijaya", "Dewi Lestari, S.Si."]
    assert list(overdue["Jumlah Kegiatan"]) == [2, 2]
    assert "penilaian_lb_lewat_halaman" not in {n.key for n in at.number_input}  # 2 rows: one page, no pager
