"""AppTest: Monitoring Logbook: the completeness table matches the service, filters, the Excel download, the
reviewers table, the heat map and monthly points of one pegawai; a plain pegawai is refused."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from services import logbook
from services.auth import login as auth
from tests import logbook_factories as lf
from tests.factories import build_org
from tests.pages.helpers import page, texts
from ui import logbook_calendar as cal
from ui import logbook_review as lr

PAGE = "logbook_monitoring.py"
D = dt.date


@pytest.fixture
def ctx(sqlite_db):
    sqlite_org = build_org(lf.ORG_YEAR)  # the logbook tests' fixed calendar month (tests/logbook_factories.py)
    """staf: two March entries approved by kasub; staf2: two submitted and waiting."""
    sk = lf.approved_skps(sqlite_org, staf2=True)
    a = sqlite_org.actors
    for actor, lab, days in ((a.staf, sk.staf_rhk[0].label, (2, 3)),
                             (a.staf2, logbook.rhk_options(a.staf2, lf.TODAY)[0].label, (4, 5))):
        logbook.save_month(actor, 2026, 3, lf.numbered([lf.row(D(2026, 3, d), "08:00", "09:30", lab) for d in days]),
                           today=lf.TODAY)
        logbook.submit(actor, [int(i) for i in logbook.month_grid(actor, 2026, 3)["id"]], today=lf.TODAY)
    logbook.review(a.kasub, [int(i) for i in logbook.month_grid(a.staf, 2026, 3)["id"]], "setujui")
    return sqlite_org


def ctx_xlsx(at) -> bytes:
    """The bytes the download button serves (built by the same helper the page calls)."""
    team = logbook.team_completeness(auth.load_actor(at.session_state["username"]))
    return lr.completeness_xlsx(team, team.pegawai)


def _tables(at) -> dict[str, object]:
    return {"pegawai" if "Hari Ini" in d.value.columns else "penilai": d.value for d in at.dataframe}


def test_penilai_sees_team_table_reviewers_and_download(ctx):
    at = page(PAGE, ctx.usernames["kasub"]).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Monitoring Logbook"
    t = _tables(at)
    expected = logbook.team_completeness(ctx.actors.kasub)
    assert sorted(t["pegawai"]["Nama"]) == sorted(expected.pegawai["nama"])
    assert {"Andi Wijaya", "Dewi Lestari, S.Si."} <= set(t["pegawai"]["Nama"])
    assert "Kepala Kantor" not in " ".join(t["pegawai"]["Nama"])
    assert list(t["penilai"]["Pejabat Penilai"]) == ["Budi Santoso, S.E."]
    assert int(t["penilai"]["Menunggu Penilaian"][0]) == 2 and int(t["penilai"]["Lewat Batas"][0]) == 2
    (button,) = at.get("download_button")
    assert button.proto.label == "Unduh Excel"
    wb = openpyxl.load_workbook(io.BytesIO(ctx_xlsx(at)))
    assert wb.sheetnames == ["Kelengkapan", "Penilaian"]
    assert [c.value for c in wb["Kelengkapan"][1]][:3] == ["NIP", "Nama", "Unit Kerja"]


def test_heatmap_and_points_for_a_chosen_pegawai(ctx):
    at = page(PAGE, ctx.usernames["admin"]).run()
    assert not at.exception, at.exception
    at.selectbox(key="monlog_pegawai").set_value(ctx.pegawai["staf"]).run()
    at.number_input(key="monlog_tahun").set_value(2026).run()
    at.selectbox(key="monlog_bulan").set_value(3).run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    points = logbook.monthly_points(ctx.actors.admin, 2026, 3, pegawai_id=ctx.pegawai["staf"])
    assert points.disetujui_menit == 180
    assert metrics["Menit disetujui"] == "180" and metrics["Target menit"] == f"{points.target_menit:,}".replace(",", ".")
    (chart,) = at.get("vega_lite_chart")
    assert all(day in chart.proto.spec for day in ("Senin", "Jumat", "Minggu", "Menit disetujui"))
    assert "hari kerja terisi" in texts(at)


def test_filters_narrow_the_table(ctx):
    at = page(PAGE, ctx.usernames["admin"]).run()
    at.text_input(key="monlog_cari").input("dewi").run()
    assert not at.exception, at.exception
    assert list(_tables(at)["pegawai"]["Nama"]) == ["Dewi Lestari, S.Si."]


def test_ketua_tim_sees_only_the_pegawai_she_considers(ctx):
    at = page(PAGE, ctx.usernames["ketua"]).run()  # Perencana role opens the page; scope comes from the service
    assert not at.exception, at.exception
    assert list(_tables(at)["pegawai"]["Nama"]) == ["Dewi Lestari, S.Si."]


def test_plain_pegawai_is_refused(ctx):
    at = page(PAGE, ctx.usernames["staf"]).run()
    assert not at.exception, at.exception
    assert "Anda tidak memiliki akses ke halaman ini." in [e.value for e in at.error]
    assert not at.dataframe and not at.get("download_button")


def test_heatmap_empty_working_day_is_not_green_and_legend_is_whole_minutes(ctx, clock):
    """Days with 0 minutes up to today are "Belum terisi" (pale red), never a shade of the green minutes scale;
    the minutes legend shows whole numbers. (The month is March of the fixed test year, seen on its last day.)"""
    import json

    clock.set(lf.TODAY)
    heat = logbook.heatmap(ctx.actors.admin, 2026, 3, pegawai_id=ctx.pegawai["staf"])
    data = cal.heatmap_data(heat)
    kerja = data[data["kerja"]]
    assert set(kerja.loc[kerja["menit"] == 0, "status"]) == {"Belum terisi"}
    assert set(kerja.loc[kerja["menit"] > 0, "status"]) == {"Terisi"}
    assert set(data.loc[~data["kerja"], "status"]) == {"Libur"}
    spec = cal.heatmap_chart(heat).to_dict()
    layers = {json.dumps(layer.get("transform")): layer["encoding"] for layer in spec["layer"][:2]}
    filled = next(enc for t, enc in layers.items() if "== 'Terisi'" in t)
    empty = next(enc for t, enc in layers.items() if "!= 'Terisi'" in t)
    assert filled["fill"]["legend"]["format"] == "d" and filled["fill"]["scale"]["domain"][0] == 0
    assert empty["color"]["scale"]["domain"] == ["Belum terisi", "Libur"]  # only the groups on this calendar
    assert empty["color"]["scale"]["range"] == [cal.EMPTY_DAY, cal.HOLIDAY]
    # a pegawai with no entries at all: every working day pale red, no green minutes legend
    none = logbook.heatmap(ctx.actors.admin, 2026, 3, pegawai_id=ctx.pegawai["kasub"])
    assert "Terisi" not in set(cal.heatmap_data(none)["status"])
    assert not any("fill" in layer.get("encoding", {}) for layer in cal.heatmap_chart(none).to_dict()["layer"])


def test_heatmap_of_the_current_month_shows_days_to_come_as_neutral(ctx, clock):
    """A leader opening the month early on: the working days after today are "Belum tiba" (neutral), not missed
    work; today itself is a normal day (pale red while empty). Through the page, with the clock frozen."""
    today = clock.set(D(2026, 3, 6))  # Friday; March 2026 of the fixed test calendar
    at = page(PAGE, ctx.usernames["admin"]).run()
    at.selectbox(key="monlog_pegawai").set_value(ctx.pegawai["staf"]).run()
    at.number_input(key="monlog_tahun").set_value(2026).run()
    at.selectbox(key="monlog_bulan").set_value(3).run()
    assert not at.exception, at.exception
    (chart,) = at.get("vega_lite_chart")
    assert "Belum tiba" in chart.proto.spec and cal.FUTURE_DAY in chart.proto.spec
    caption = texts(at)
    heat = logbook.heatmap(ctx.actors.admin, 2026, 3, pegawai_id=ctx.pegawai["staf"])
    nanti = int((heat["kerja"] & heat["mendatang"]).sum())
    assert nanti > 0 and f"({nanti} hari kerja belum tiba)" in caption
    status = cal.heatmap_data(heat).set_index("tanggal")["status"]
    assert status[today] == "Belum terisi" and status[D(2026, 3, 9)] == "Belum tiba"
    assert status[D(2026, 3, 2)] == "Terisi"


def test_ketua_tim_monitoring_view_shows_pending_pertimbangan(ctx):
    from ui.nav import BY_FILE, allowed

    ketua = auth.load_actor(ctx.usernames["ketua"])
    assert allowed(BY_FILE[PAGE], ketua)  # reachable from her menu
    at = page(PAGE, ctx.usernames["ketua"]).run()
    assert not at.exception, at.exception
    assert "Menunggu pertimbangan Anda" in [s.value for s in at.subheader]
    pending = next(d.value for d in at.dataframe if "Menunggu Pertimbangan" in d.value.columns)
    assert list(pending["Pegawai"]) == ["Dewi Lestari, S.Si."] and list(pending["Menunggu Pertimbangan"]) == [2]
    assert "**2** kegiatan logbook dari **1** anggota tim" in texts(at)


def test_filters_page_and_calendar_picker_in_a_large_scope(ctx, monkeypatch):
    """Above the pick limit the calendar offers the table page's pegawai plus those a search finds (in SQL);
    at or below it every pegawai in scope, as before. The Hari Ini filter narrows the table and the counts."""
    at = page(PAGE, ctx.usernames["admin"]).run()
    every = at.selectbox(key="monlog_pegawai").options
    assert len(every) == len(logbook.team_completeness(ctx.actors.admin).pegawai)
    assert not [t for t in at.text_input if t.key == "monlog_pilih"]
    monkeypatch.setattr(logbook, "PEGAWAI_PICK_LIMIT", 1)
    at = page(PAGE, ctx.usernames["admin"])
    at.session_state["monlog_cari"] = "dewi"  # the table's page holds Dewi only
    at.run()
    assert not at.exception, at.exception
    assert list(_tables(at)["pegawai"]["Nama"]) == ["Dewi Lestari, S.Si."]
    opts = at.selectbox(key="monlog_pegawai").options
    assert len(opts) == 2 and any("Dewi Lestari" in o for o in opts)  # the page's row + the first by name
    at.text_input(key="monlog_pilih").input("andi").run()
    assert not at.exception, at.exception
    opts = at.selectbox(key="monlog_pegawai").options
    assert any("Andi Wijaya" in o for o in opts) and any("Dewi Lestari" in o for o in opts) and len(opts) == 2
    assert "paling banyak 1 pegawai" in texts(at)
    at.selectbox(key="monlog_pegawai").set_value(ctx.pegawai["staf"]).run()
    at.number_input(key="monlog_tahun").set_value(2026).run()
    at.selectbox(key="monlog_bulan").set_value(3).run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Menit disetujui"] == "180"


def test_hari_ini_filter_and_counts(ctx):
    at = page(PAGE, ctx.usernames["admin"]).run()
    at.multiselect(key="monlog_hari_ini").set_value(["Sudah"]).run()
    assert not at.exception, at.exception
    shown = _tables(at).get("pegawai")
    metrics = {m.label: m.value for m in at.metric}
    team = logbook.team_completeness(ctx.actors.admin).pegawai
    want = team[team["hari_ini"] == "Sudah"]
    assert metrics["Pegawai"] == str(len(want))
    assert (shown is None and want.empty) or sorted(shown["Nama"]) == sorted(want["nama"])


def test_large_organisation_opens_on_one_unit_with_a_caption(ctx, monkeypatch):
    """A leader of a large organisation opens on one unit's subtree (the table, the counts and the pending reviews
    follow the filter); clearing the filter shows the whole organisation again."""
    from services.org import units as org_units

    monkeypatch.setattr(org_units, "LARGE_ORG", 2)
    at = page(PAGE, ctx.usernames["admin"]).run()
    assert not at.exception, at.exception
    assert at.multiselect(key="monlog_unit").value == ["Subbagian Administrasi Umum"]
    assert any("Organisasi besar: monitoring dibuka pada unit kerja" in c.value for c in at.caption)
    assert any("unit kerja terpilih" in c.value for c in at.caption)
    adum = set(_tables(at)["pegawai"]["Unit Kerja"])
    assert adum == {"Subbagian Administrasi Umum"}
    at.multiselect(key="monlog_unit").set_value([]).run()
    assert not at.exception, at.exception
    assert len(_tables(at)["pegawai"]) == len(logbook.team_completeness(ctx.actors.admin).pegawai)
