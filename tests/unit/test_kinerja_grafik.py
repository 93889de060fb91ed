"""Chart data of the organisational performance (services/kinerja/grafik.py) by hand-computed months, and the
Altair charts rendering to PNG (for the Laporan Kinerja DOCX)."""

from __future__ import annotations

import datetime as dt

import pytest

from db.models import Pegawai
from services.core import SYSTEM, clock, unit_of_work
from services.core.errors import PermissionDenied
from services.kinerja import bagan, grafik, realisasi
from tests import kinerja_factories as kf


@pytest.fixture
def frozen(org):
    with clock.frozen(dt.date(org.year, 12, 20)):
        yield org


def _enter(org, tim2):
    y = org.year
    for bulan, (i1, i2, i3) in {1: (8, 5, 70), 2: (12, 3, 95), 3: (15, 4, 85)}.items():
        df = realisasi.grid(org.actors.ketua, y, bulan, org.tim_id)
        df["Realisasi"] = [{"I1": i1, "I2": i2}.get(k) for k in df["Kode"]]
        realisasi.save(org.actors.ketua, y, bulan, org.tim_id, df)
        ang = realisasi.anggaran_grid(org.actors.ketua, y, bulan, org.tim_id)
        ang["Realisasi"] = 90_000
        realisasi.save_anggaran(org.actors.ketua, y, bulan, org.tim_id, ang)
        realisasi.ajukan(org.actors.ketua, y, bulan, org.tim_id)
        df = realisasi.grid(org.actors.staf, y, bulan, tim2)
        df["Realisasi"] = [i3]
        realisasi.save(org.actors.staf, y, bulan, tim2, df)
        if bulan < 3:  # March of Tim Layanan stays a draft: not counted
            realisasi.ajukan(org.actors.staf, y, bulan, tim2)


def test_series_capaian_and_s_curve(frozen):
    org = frozen
    tim2 = kf.build_pk(org)
    _enter(org, tim2)
    y = org.year
    seri = grafik.seri_indikator(org.actors.kepala, y, 3)
    i1 = seri[(seri["Kode"] == "I1")]
    assert list(i1[i1["Seri"] == grafik.SERI_TARGET]["Nilai"])[:3] == [10, 20, 30]
    assert len(i1[i1["Seri"] == grafik.SERI_TARGET]) == 12
    assert list(i1[i1["Seri"] == grafik.SERI_REALISASI]["Nilai"]) == [8, 20, 35]
    i2 = seri[(seri["Kode"] == "I2") & (seri["Seri"] == grafik.SERI_REALISASI)]
    assert list(i2["Nilai"]) == [5, 4, 4]  # running mean of 5, 3, 4
    i3 = seri[(seri["Kode"] == "I3") & (seri["Seri"] == grafik.SERI_REALISASI)]
    assert list(i3["Nilai"]) == [70, 95]  # March not submitted
    assert list(i1["Bulan"])[:3] == ["Jan", "Jan", "Feb"]

    cap = grafik.capaian(org.actors.kepala, y, 3).set_index("Kode")
    assert cap.loc["I1", "Capaian (%)"] == pytest.approx(116.67)  # 35 / 30
    assert cap.loc["I1", "Kategori"] == "Sangat Baik"
    assert cap.loc["I2", "Capaian (%)"] == pytest.approx(100.0)  # negatif: (2 - 4/4)
    assert cap.loc["I3", "Capaian (%)"] == pytest.approx(94.44)  # range 80-90, last 95 → (2 - 95/90)
    rek = grafik.rekap(org.actors.kepala, y, 3).set_index("Kode")
    assert rek.loc["I3", "Status Data"] == "Belum diajukan: Mar"
    assert rek.loc["I1", "Realisasi"] == 15 and rek.loc["I1", "Target"] == 10

    only2 = grafik.capaian(org.actors.kepala, y, 3, tim_id=tim2)
    assert list(only2["Kode"]) == ["I3"]

    kurva = grafik.kurva_s(org.actors.kepala, y, 3)
    assert kurva.attrs["pagu"] == 1_800_000
    rpd = kurva[kurva["Seri"] == grafik.SERI_RPD]
    assert list(rpd["Nilai"])[:3] == [150_000, 300_000, 450_000] and len(rpd) == 12
    real = kurva[kurva["Seri"] == grafik.SERI_REAL_ANGGARAN]
    assert list(real["Nilai"]) == [90_000, 180_000, 270_000]
    assert list(real["Persen Pagu"]) == [5.0, 10.0, 15.0]
    k2 = grafik.kurva_s(org.actors.kepala, y, 3, tim_id=tim2)
    assert k2.attrs["pagu"] == 600_000 and k2[k2["Seri"] == grafik.SERI_REAL_ANGGARAN]["Nilai"].max() == 0
    assert [t for _i, t in grafik.tim_options(org.actors.kepala, y)] == ["Tim Kerja Layanan", "Tim Kerja Surveilans"]


def test_charts_render_png_and_refuse_outsiders(frozen):
    org = frozen
    tim2 = kf.build_pk(org)
    _enter(org, tim2)
    y = org.year
    pita = grafik.pita(org.actors.kepala)
    assert pita[0] == "Sangat Baik" and pita[-1] == "Sangat Kurang"
    assert bagan.warna_pita(pita)[0] == bagan.WARNA_PITA[0] and bagan.warna_pita(pita)[-1] == bagan.WARNA_PITA[-1]
    seri = grafik.seri_indikator(org.actors.kepala, y, 3)
    charts = [bagan.realisasi_vs_target(seri[seri["Kode"] == "I1"], judul="I1", lebar=500),
              bagan.capaian(grafik.capaian(org.actors.kepala, y, 3), pita, besar=True, lebar=500),
              bagan.kurva_s(grafik.kurva_s(org.actors.kepala, y, 3), lebar=500)]
    for c in charts:
        assert bagan.png(c, scale=1).startswith(b"\x89PNG")
    assert not grafik.seri_indikator(org.actors.staf2, y, 3).empty  # a Tim Kerja member reads the charts
    assert grafik.tim_saya(org.actors.staf2) == org.tim_id
    with unit_of_work(SYSTEM) as s:
        s.get(Pegawai, org.pegawai["staf2"]).tim_id = None
    with pytest.raises(PermissionDenied):
        grafik.seri_indikator(org.actors.staf2, y, 3)


def test_empty_year(frozen):
    org = frozen
    assert grafik.seri_indikator(org.actors.kepala, org.year + 1).empty
    assert grafik.kurva_s(org.actors.kepala, org.year + 1).empty
    assert grafik.tim_options(org.actors.kepala, org.year + 1) == []


def _resolved(spec: dict) -> dict:
    """A Vega-Lite spec with its named datasets put inline as records (NaN as None), without `$schema` and
    Altair's default-theme sizes (Streamlit drops those), so the validated Altair output and the templated spec
    compare as data."""
    import math

    def records(v):
        rows = v.to_dict("records") if hasattr(v, "to_dict") else v
        return [{k: None if isinstance(x, float) and math.isnan(x) else x for k, x in r.items()} for r in rows]

    sets = {k: records(v) for k, v in spec.get("datasets", {}).items()}

    def walk(node):
        if isinstance(node, dict):
            if set(node) == {"name"} and node["name"] in sets:
                return {"values": sets[node["name"]]}
            return {k: walk(v) for k, v in node.items() if k not in ("datasets", "$schema")}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    out = walk(spec)
    view = out.get("config", {}).get("view", {})
    for k in ("continuousWidth", "continuousHeight"):
        view.pop(k, None)
    return out


def _fields(node) -> set[str]:
    if isinstance(node, dict):
        own = {node["field"]} if isinstance(node.get("field"), str) else set()
        return own.union(*(_fields(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_fields(v) for v in node))
    return set()


def _project(old: dict, new: dict) -> dict:
    """`old` with each inline dataset narrowed to the columns `new` sends (the specs send only what they draw)."""
    def walk(o, n):
        if isinstance(o, dict) and isinstance(n, dict):
            if set(o) == {"values"} and set(n) == {"values"} and n["values"] and isinstance(n["values"][0], dict):
                cols = list(n["values"][0])
                return {"values": [{c: r.get(c) for c in cols} for r in o["values"]]}
            return {k: walk(v, n.get(k)) for k, v in o.items()}
        if isinstance(o, list) and isinstance(n, list) and len(o) == len(n):
            return [walk(a, b) for a, b in zip(o, n, strict=True)]
        return o
    return walk(old, new)


def test_specs_are_the_altair_charts(frozen):
    """The page draws Vega-Lite specs filled from templates checked once (no per-chart build and schema check):
    the same chart as the Altair one (`to_dict()`, validated) for every layout, with every field it reads in its
    data."""
    org = frozen
    tim2 = kf.build_pk(org)
    _enter(org, tim2)
    y, kepala = org.year, org.actors.kepala
    seri, pita = grafik.seri_indikator(kepala, y, 3), grafik.pita(kepala)
    cap, kurva = grafik.capaian(kepala, y, 3), grafik.kurva_s(kepala, y, 3)
    pairs = []
    for besar in (False, True):
        for judul in (None, "IKU 1 Judul \"kutip\""):
            for kode in ("I1", "I2", "I3"):
                one = seri[seri["Kode"] == kode]
                pairs.append((bagan.realisasi_vs_target(one, judul=judul, besar=besar, tinggi=240),
                              bagan.realisasi_vs_target_spec(one, judul=judul, besar=besar, tinggi=240)))
            pairs.append((bagan.capaian(cap, pita, judul=judul, besar=besar, lebar=500),
                          bagan.capaian_spec(cap, pita, judul=judul, besar=besar, lebar=500)))
            pairs.append((bagan.capaian(cap.head(1), pita, judul=judul, besar=besar),
                          bagan.capaian_spec(cap.head(1), pita, judul=judul, besar=besar)))
            pairs.append((bagan.kurva_s(kurva, judul=judul, besar=besar, tinggi=380),
                          bagan.kurva_s_spec(kurva, judul=judul, besar=besar, tinggi=380)))
    no_unit = seri[seri["Kode"] == "I1"].assign(Satuan="")
    pairs.append((bagan.realisasi_vs_target(no_unit), bagan.realisasi_vs_target_spec(no_unit)))
    for chart, spec in pairs:
        new = _resolved(spec)
        assert _project(_resolved(chart.to_dict()), new) == new
        sent = set().union(*(set(v.columns) for v in spec["datasets"].values() if hasattr(v, "columns")))
        assert _fields(new) - {"x"} <= sent
