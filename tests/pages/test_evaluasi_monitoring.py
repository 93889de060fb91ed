"""AppTest: Monitoring Evaluasi renders for Admin SDM (everyone) and a pejabat penilai (own reviewees only), with
the metrics, the chart, the matrix with ⚠ on overdue steps, the overdue list and the Excel download; a plain
pegawai is refused by the navigation guard."""

from __future__ import annotations

import datetime as dt

from db.models import JenisEvaluasi, PredikatKinerja, Skp, StatusEvaluasi
from services.core import clock
from services.core.actor import SYSTEM
from services.core.uow import unit_of_work
from services.evaluasi import common as evaluasi_common
from tests import evaluasi_factories as ef
from tests.pages.helpers import page, texts

PAGE = "evaluasi_monitoring.py"
S = StatusEvaluasi


def _ctx(org):
    """Q1 (long past today's date in this org year, unless run in early April): staf2 submitted, kasub rated,
    kepala approved; staf has nothing."""
    ef.setup(org)
    ef.fill_and_submit(org, "staf2")
    now = dt.datetime(org.year, 2, 1, tzinfo=dt.UTC)
    for who, fields in (("kasub", {"status": S.DINILAI, "dinilai_by_id": org.pegawai["kepala"]}),
                        ("kepala", {"status": S.DISETUJUI, "predikat": PredikatKinerja.BAIK})):
        with unit_of_work(SYSTEM) as s:
            ev = evaluasi_common.get_or_create(s, s.get(Skp, ef.skp_id(org, who)), JenisEvaluasi.PERIODIK, 1,
                                               today=dt.date(org.year, 3, 31))
            ev.rencana_aksi_at = now
            for k, v in fields.items():
                setattr(ev, k, v)
    return org


def _matrix(at):
    (df,) = [d.value for d in at.dataframe if "Pegawai" in d.value.columns and "T1" in d.value.columns]
    return df


def test_admin_sees_everyone_with_overdue_marks_and_download(sqlite_org):
    org = _ctx(sqlite_org)
    at = page(PAGE, org.usernames["admin"]).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Monitoring Evaluasi"
    df = _matrix(at)
    assert len(df) == 4
    assert set(df["T1"]) >= {"Disetujui: Baik"}
    if clock.today() > dt.date(org.year, 4, 25):  # every Q1 deadline has passed
        assert "⚠ Belum dibuat" in set(df["T1"]) and "⚠ Menunggu persetujuan" in set(df["T1"])
        assert "Langkah yang melewati batas waktu" in texts(at)
        late = [d.value for d in at.dataframe if "Penanggung Jawab" in d.value.columns and "Hari Terlambat"
                in d.value.columns]
        assert late and "Admin SDM" in set(late[0]["Penanggung Jawab"])
    assert [m.label for m in at.metric][:2] == ["Belum dibuat", "Rencana aksi"]
    (button,) = at.get("download_button")
    assert button.proto.label == "Unduh Excel"

    at.checkbox(key="evm_terlambat").check().run()
    assert not at.exception, at.exception
    assert all(int(n) > 0 for n in _matrix(at)["Langkah Terlambat"])
    at.selectbox(key="evm_nomor").set_value(0).run()
    assert not at.exception, at.exception


def test_penilai_sees_only_reviewees(sqlite_org):
    org = _ctx(sqlite_org)
    at = page(PAGE, org.usernames["kasub"]).run()
    assert not at.exception, at.exception
    df = _matrix(at)
    assert sorted(df["Pegawai"]) == ["Andi Wijaya", "Dewi Lestari, S.Si."]


def test_plain_pegawai_is_refused(sqlite_org):
    ef.setup(sqlite_org)
    at = page(PAGE, sqlite_org.usernames["staf"]).run()
    assert not at.exception, at.exception
    assert not at.title and not at.dataframe


def test_small_office_opens_on_every_unit_without_pager(sqlite_org):
    org = _ctx(sqlite_org)
    at = page(PAGE, org.usernames["kepala"]).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="evm_unit").value == 0  # "Semua unit kerja", as before
    assert "Organisasi besar" not in texts(at)
    assert not [n for n in at.number_input if n.key.startswith("evm_")]  # 4 pegawai: one page, no pager


def test_large_organisation_opens_on_one_unit_and_says_how_to_see_the_rest(sqlite_org, monkeypatch):
    from services.org import units as org_units

    org = _ctx(sqlite_org)
    monkeypatch.setattr(org_units, "LARGE_ORG", 2)
    at = page(PAGE, org.usernames["kepala"]).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="evm_unit").value == org.units["adum"]
    assert any("monitoring dibuka pada satu unit kerja" in c.value for c in at.caption)
    assert sorted(_matrix(at)["Pegawai"]) == ["Andi Wijaya", "Budi Santoso, S.E."]
    at.selectbox(key="evm_unit").set_value(0).run()  # every unit stays a choice ("Semua unit kerja")
    assert not at.exception, at.exception
    assert len(_matrix(at)) == 4
    assert any("memuat seluruh unit kerja" in c.value for c in at.caption)


def test_long_matrix_and_overdue_list_are_paged_with_a_visible_pager(sqlite_org, monkeypatch):
    from services.evaluasi import monitoring as em

    org = _ctx(sqlite_org)
    monkeypatch.setattr(em, "MATRIX_PAGE", 3)
    monkeypatch.setattr(em, "OVERDUE_PAGE", 1)
    calls: list[str] = []
    for name in ("matrix_page", "overdue_page"):  # count the filterings: one call gives the page and the total
        real = getattr(em, name)
        monkeypatch.setattr(em, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    at = page(PAGE, org.usernames["admin"]).run()
    assert calls.count("matrix_page") == 1 and calls.count("overdue_page") <= 1, calls
    assert not at.exception, at.exception
    first = _matrix(at)
    assert len(first) == 3
    assert any("Halaman 1 dari 2: pegawai 1–3 dari 4" in c.value for c in at.caption)
    at.number_input(key="evm_matriks_halaman").set_value(2).run()
    assert not at.exception, at.exception
    second = _matrix(at)
    assert len(second) == 1 and not set(second["Pegawai"]) & set(first["Pegawai"])
    calls.clear()
    at.text_input(key="evm_cari").set_value(first["Pegawai"].iloc[0]).run()  # one match: page 2 is past the end
    assert not at.exception, at.exception
    assert list(_matrix(at)["Pegawai"]) == [first["Pegawai"].iloc[0]] and calls.count("matrix_page") == 2
    at.text_input(key="evm_cari").set_value("").run()
    assert not at.exception, at.exception
    if clock.today() > dt.date(org.year, 4, 25):  # every Q1 deadline has passed: several overdue steps
        (late,) = [d.value for d in at.dataframe if "Hari Terlambat" in d.value.columns]
        assert len(late) == 1
        assert at.number_input(key="evm_terlambat_tabel_halaman").value == 1
