"""AppTest: Predikat & Distribusi: renders for kepala, admin and a penilai, is refused to a plain pegawai,
sets the organisational predikat through the form, and shows the violations, chart and override form."""

from __future__ import annotations

from services.evaluasi import organisasi as ko
from tests.evaluasi_factories import annual_set
from tests.pages.helpers import page, texts
from tests.skp_factories import period_id

PAGE = "evaluasi_tahunan.py"
ALASAN = "Unit menangani tanggap darurat sepanjang tahun dengan kinerja di atas target."


def test_renders_for_roles(sqlite_org):
    annual_set(sqlite_org)
    for who in ("kepala", "admin", "kasub", "ketua"):
        at = page(PAGE, sqlite_org.usernames[who]).run()
        assert not at.exception, (who, at.exception)
        assert at.title[0].value == "Predikat & Distribusi"
        assert "Predikat akhir tahunan" in texts(at)
    for who in ("staf", "staf2"):
        at = page(PAGE, sqlite_org.usernames[who]).run()
        assert not at.exception
        assert [e.value for e in at.error] == ["Anda tidak memiliki akses ke halaman ini."]
    at = page(PAGE, sqlite_org.usernames["kasub"]).run()
    assert not [f for f in at.get("form")], "kasub may not set the root unit's predikat"


def test_set_predikat_through_form_then_override(sqlite_org):
    annual_set(sqlite_org)
    at = page(PAGE, sqlite_org.usernames["kepala"]).run()
    assert not at.exception, at.exception
    assert not [f for f in at.get("form") if f.form_id == "evt_form_predikat"], "not for his own (root) unit"
    assert any("tidak menetapkan predikat unitnya sendiri" in c.value for c in at.caption)
    at.selectbox(key="evt_unit").set_value(sqlite_org.units["adum"]).run()
    pred = next(s for s in at.selectbox if s.label == "Predikat kinerja organisasi")
    pred.set_value("Baik")
    at.text_area[0].input("Capaian Perjanjian Kinerja 92%")
    at.button(key="FormSubmitter:evt_form_predikat-Simpan predikat organisasi").click().run()
    assert not at.exception, at.exception
    view = ko.distribution(sqlite_org.actors.kepala, sqlite_org.units["adum"], period_id(sqlite_org))
    assert view.predikat_organisasi == "Baik" and view.catatan == "Capaian Perjanjian Kinerja 92%"
    ko.set_predikat_organisasi(sqlite_org.actors.admin, sqlite_org.units["root"], period_id(sqlite_org), 0,
                               "Butuh Perbaikan", nomor_penetapan="KP/1", dokumen=("p.pdf", b"%PDF-1.4 x"))
    at.selectbox(key="evt_unit").set_value(sqlite_org.units["root"]).run()
    assert not at.exception, at.exception
    assert "Dasar penetapan: KP/1" in texts(at)
    assert "Distribusi belum sesuai kurva" in texts(at)
    (chart,) = at.get("vega_lite_chart")
    assert all(t in chart.proto.spec for t in ("Predikat kinerja pegawai", "Persentase pegawai (%)", "Sangat Kurang"))
    alasan = next(t for t in at.text_area if t.label.startswith("Alasan"))
    alasan.input(ALASAN)
    at.button(key="FormSubmitter:evt_form_override-Simpan alasan").click().run()
    assert not at.exception, at.exception
    assert ko.distribution(sqlite_org.actors.kepala, sqlite_org.units["root"],
                           period_id(sqlite_org)).override_status == ko.OVERRIDE_OK
    assert "Alasan mempertahankan distribusi disimpan." in texts(at)


def test_short_alasan_is_refused_on_page(sqlite_org):
    annual_set(sqlite_org)
    ko.set_predikat_organisasi(sqlite_org.actors.admin, sqlite_org.units["root"], period_id(sqlite_org), 0,
                               "Sangat Kurang", nomor_penetapan="KP/1", dokumen=("p.pdf", b"%PDF-1.4 x"))
    at = page(PAGE, sqlite_org.usernames["admin"]).run()
    alasan = next(t for t in at.text_area if t.label.startswith("Alasan"))
    alasan.input("singkat")
    at.button(key="FormSubmitter:evt_form_override-Simpan alasan").click().run()
    assert not at.exception, at.exception
    assert "paling sedikit 20" in texts(at)


def test_small_unit_shows_advice(sqlite_org):
    from services.core import settings

    annual_set(sqlite_org)
    settings.update_many(sqlite_org.actors.admin, {"distribusi_min_pegawai": "10"})
    ko.set_predikat_organisasi(sqlite_org.actors.kepala, sqlite_org.units["adum"], period_id(sqlite_org), 0,
                               "Sangat Kurang")
    at = page(PAGE, sqlite_org.usernames["kepala"]).run()
    at.selectbox(key="evt_unit").set_value(sqlite_org.units["adum"]).run()
    assert not at.exception, at.exception
    assert any("kurva distribusi hanya sebagai saran" in i.value for i in at.info)


def test_predikat_proposed_from_ratified_kertas_kerja(sqlite_org):
    """The root unit shows the predikat proposed by the ratified kertas kerja; the Admin SDM confirms it from the
    penetapan (the Kepala sees it but never sets his own unit's)."""
    import datetime as dt

    from services.core import clock
    from tests.unit.test_kinerja_predikat import _ratified

    org = sqlite_org
    with clock.frozen(dt.date(org.year, 12, 20)):
        _ratified(org)
        at = page(PAGE, org.usernames["kepala"]).run()
        assert not at.exception, at.exception
        assert "Usulan dari kinerja organisasi:** Istimewa" in texts(at)
        assert not [f for f in at.get("form") if f.form_id == "evt_form_predikat"]
        admin = page(PAGE, org.usernames["admin"]).run()
        assert not admin.exception, admin.exception
        assert admin.selectbox(key=f"evt_predikat_{org.units['root']}_0").value == "Istimewa"
        admin.text_input(key=f"evt_nomor_pen_{org.units['root']}_0").input("KP/2")
        admin.button(key="FormSubmitter:evt_form_predikat-Simpan predikat organisasi").click().run()
        # no PDF uploaded in AppTest: the service refuses and nothing is stored
        assert ko.distribution(org.actors.admin, org.units["root"], period_id(org)).predikat_organisasi is None


def test_unit_pegawai_list_is_paged_with_a_visible_pager(sqlite_org, monkeypatch):
    """The pegawai of the chosen unit are read one page at a time (a ministry's root unit holds thousands); the
    pager says which rows are shown, the pages together are the whole list in name order."""
    annual_set(sqlite_org)
    monkeypatch.setattr(ko, "PEGAWAI_PAGE", 3)
    whole = ko.distribution(sqlite_org.actors.kepala, sqlite_org.units["root"], period_id(sqlite_org)).pegawai
    assert len(whole) == 4
    at = page(PAGE, sqlite_org.usernames["kepala"]).run()
    assert not at.exception, at.exception
    key = f"evt_pegawai_{sqlite_org.units['root']}_0_halaman"

    def names(at) -> list[str]:
        (df,) = [d.value for d in at.dataframe if "NIP" in d.value.columns and "Status" in d.value.columns
                 and "Predikat Tahunan" not in d.value.columns]
        return list(df.iloc[:, 0])

    first = names(at)
    assert len(first) == 3
    assert any("Halaman 1 dari 2: pegawai 1–3 dari 4" in c.value for c in at.caption)
    at.number_input(key=key).set_value(2).run()
    assert not at.exception, at.exception
    assert first + names(at) == list(whole["nama"])
