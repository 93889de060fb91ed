"""AppTest: the Kinerja Organisasi page (IKU recap with bands, charts per indicator, capaian, budget S-curve, per
Tim Kerja filter) for leaders and Tim Kerja members."""

from __future__ import annotations

from tests import kinerja_factories as kf
from tests.pages.helpers import page, texts


def _enter(org, tim2):
    y, b = kf.last_month()
    kf.submit_month(org, tim2, y, b)


def test_kinerja_organisasi_for_the_kepala(sqlite_org):
    org = sqlite_org
    tim2 = kf.build_pk(org)
    _enter(org, tim2)
    y, b = kf.last_month()
    at = page("kinerja_organisasi.py", org.usernames["kepala"]).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Kinerja Organisasi"
    at.selectbox(key="korg_bulan").set_value(b).run()
    assert not at.exception, at.exception
    assert "Rekap indikator" in texts(at)
    df = at.dataframe[0].value
    frame = df.data if hasattr(df, "data") else df
    assert list(frame["Kode"]) == ["I1", "I2", "I3"]
    assert len(at.get("vega_lite_chart")) >= 5  # three indicators, capaian, S-curve
    at.selectbox(key="korg_tim").set_value(tim2).run()
    assert not at.exception, at.exception
    frame = at.dataframe[0].value
    frame = frame.data if hasattr(frame, "data") else frame
    assert list(frame["Kode"]) == ["I3"]
    at.toggle(key="korg_besar").set_value(True).run()
    assert not at.exception, at.exception


def test_kinerja_organisasi_member_defaults_to_own_team(sqlite_org):
    org = sqlite_org
    kf.build_pk(org)
    at = page("kinerja_organisasi.py", org.usernames["staf2"]).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="korg_tim").value == org.tim_id
    at = page("kinerja_organisasi.py", org.usernames["kepala"])
    at.session_state["korg_tahun"] = org.year + 3
    at.run()
    assert "belum berisi indikator" in texts(at)


def test_kinerja_organisasi_pages_many_indicator_charts(sqlite_org, monkeypatch):
    """More indicators than a page of charts: the chart tab shows one page with a visible pager, the others stay
    a page away; the charts are the page's Vega-Lite specs (title per indicator)."""
    import json

    from ui import kinerja_charts as kc

    org = sqlite_org
    tim2 = kf.build_pk(org)
    _enter(org, tim2)

    def titles(at) -> list[str]:
        specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
        return [s["title"]["text"].split(" ")[0] for s in specs if "title" in s and "Nilai" in json.dumps(s)
                and "Kurva S" not in s["title"]["text"] and "Capaian" not in s["title"]["text"]]

    at = page("kinerja_organisasi.py", org.usernames["kepala"]).run()
    assert titles(at) == ["I1", "I2", "I3"] and "korg_grafik_halaman" not in [n.key for n in at.number_input]
    monkeypatch.setattr(kc, "GRAFIK_PER_HALAMAN", 2)
    at = page("kinerja_organisasi.py", org.usernames["kepala"]).run()
    assert not at.exception, at.exception
    assert titles(at) == ["I1", "I2"]
    assert "Halaman 1 dari 2: indikator 1–2 dari 3" in texts(at)
    at.number_input(key="korg_grafik_halaman").set_value(2).run()
    assert not at.exception, at.exception
    assert titles(at) == ["I3"]
