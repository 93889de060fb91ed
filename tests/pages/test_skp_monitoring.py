"""AppTest: Monitoring SKP: counts per status match the service, the deadline, the chart, the filters and the
Excel download; a penilai sees only their subordinates; a plain pegawai is refused."""

from __future__ import annotations

import io

import openpyxl

from services import skp
from tests import skp_factories as f
from tests.pages.helpers import page, texts

PAGE = "skp_monitoring.py"
STATUSES = ["Belum dibuat", "Draft", "Diajukan", "Dikembalikan", "Disetujui"]


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _download(at) -> bytes:
    (button,) = at.get("download_button")
    assert button.proto.label == "Unduh Excel"
    return button


def test_admin_sees_counts_matching_the_service_chart_and_download(sqlite_org):
    pid = f.every_status(sqlite_org)
    at = page(PAGE, sqlite_org.usernames["admin"]).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Monitoring SKP"
    expected = skp.monitoring(sqlite_org.actors.admin, pid).ringkasan
    assert _metrics(at) == {"Pegawai": "6", **{k: str(v) for k, v in expected.items()}}
    assert expected == {"Belum dibuat": 1, "Draft": 1, "Diajukan": 1, "Dikembalikan": 1, "Disetujui": 2}
    assert f"Batas penetapan SKP tahun {sqlite_org.year}: **31 Januari {sqlite_org.year}**" in texts(at)
    (chart,) = at.get("vega_lite_chart")
    assert all(t in chart.proto.spec for t in ("Unit kerja", "Status SKP", "Jumlah pegawai", "Dikembalikan"))
    table = at.dataframe[0].value
    assert len(table) == 6 and list(table.columns[:3]) == ["Nama", "NIP", "Jabatan"]
    assert set(table["Status SKP"]) == set(STATUSES)
    _download(at)


def test_filters_narrow_table_and_export(sqlite_org):
    pid = f.every_status(sqlite_org)
    at = page(PAGE, sqlite_org.usernames["kepala"]).run()
    at.multiselect(key="monitoring_status").set_value(["Belum dibuat", "Draft"]).run()
    assert not at.exception, at.exception
    assert sorted(at.dataframe[0].value["Nama"]) == ["Rudi Hartono", "Siti Aminah, S.K.M."]
    at.multiselect(key="monitoring_unit").set_value(["Subbagian Administrasi Umum"]).run()
    assert list(at.dataframe[0].value["Nama"]) == ["Rudi Hartono"]
    assert "1 dari 6 pegawai ditampilkan." in texts(at)
    # the same filtered rows go to Excel (the service builds the workbook the button offers)
    from services.skp import monitoring_views as skp_monitoring

    m = skp.monitoring(sqlite_org.actors.kepala, pid)
    wb = skp_monitoring.monitoring_workbook(m, units=["Subbagian Administrasi Umum"],
                                            statuses=["Belum dibuat", "Draft"])
    rows = list(openpyxl.load_workbook(io.BytesIO(wb)).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Rudi Hartono"]
    _download(at)


def test_penilai_sees_only_subordinates(sqlite_org):
    f.every_status(sqlite_org)
    at = page(PAGE, sqlite_org.usernames["kasub"]).run()
    assert not at.exception, at.exception
    names = set(at.dataframe[0].value["Nama"])
    assert names == {"Andi Wijaya", "Dewi Lestari, S.Si.", "Rudi Hartono", "Siti Aminah, S.K.M."}
    assert _metrics(at)["Pegawai"] == "4" and _metrics(at)["Disetujui"] == "0"


def test_plain_pegawai_and_anonymous_are_refused(sqlite_org):
    at = page(PAGE, sqlite_org.usernames["staf"]).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Anda tidak memiliki akses ke halaman ini."]
    assert not at.metric and not at.dataframe and not at.get("download_button")
    anon = page(PAGE).run()
    assert not anon.metric and not anon.dataframe
