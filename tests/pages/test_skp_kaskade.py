"""AppTest: Pohon Kinerja (Cascading): the tree with names and gaps, the 'only problems' filter, the flat table
with its Excel download, a penilai's own subtree, and the refusal for a plain pegawai."""

from __future__ import annotations

from services import skp
from services.skp.read import GAP_NOT_INTERVENED
from tests import skp_factories as f
from tests.pages.helpers import page, texts

PAGE = "skp_kaskade.py"
KEPALA = "dr. Ratna Hapsari, M.K.M."
KASUB = "Budi Santoso, S.E."


def _cascade(org) -> None:
    """Kepala (2 RHK; the second not intervened) → Kasub → staf; staf2 only an RHK Tambahan; ketua and pppk
    without SKP."""
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk[:1])
    f.staff_skp(org, "staf", m.rhk[0])
    sid = skp.get_or_create_skp(org.actors.staf2, m.period_id)
    skp.save_rhk_grid(org.actors.staf2, sid, f.numbered([f.ja_row("Tambahan saja", jenis="Tambahan")]))


def _labels(at) -> list[str]:
    return [e.label for e in at.expander if e.label != "Celah per unit kerja"]


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_kepala_sees_tree_with_names_iki_and_gaps(sqlite_org):
    _cascade(sqlite_org)
    at = page(PAGE, sqlite_org.usernames["kepala"]).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Pohon Kinerja (Cascading)"
    labels = _labels(at)
    assert len(labels) == 6 and labels[0].startswith(f"**{KEPALA}**") and "1 celah" in labels[0]
    assert any(KASUB in lb for lb in labels) and any("Andi Wijaya" in lb and "Diajukan" in lb for lb in labels)
    assert any("Siti Aminah" in lb and "belum ada SKP" in lb for lb in labels)
    shown = texts(at)
    assert "Terwujudnya tata kelola yang akuntabel" in shown and f":orange-badge[⚠ {GAP_NOT_INTERVENED}]" in shown
    assert "IKI: Indeks kepuasan pelanggan: 3,5–4 indeks" in shown
    assert f"Diintervensi oleh: {KASUB} (RHK Utama 1)" in shown
    assert f"Mengintervensi: {KEPALA}: RHK Utama 1. Meningkatnya kualitas layanan laboratorium" in shown
    assert _metrics(at) == {"Pegawai": "6", "Tanpa SKP": "2", "Jumlah RHK": "5", "Belum diintervensi": "1",
                            "Tanpa RHK pimpinan": "0"}
    table = at.dataframe[0].value
    assert len(table) == 7 and set(table["pegawai"]) >= {KEPALA, KASUB, "Andi Wijaya"}
    assert [d.proto.label for d in at.get("download_button")] == ["Unduh Excel"]
    (chart,) = at.get("vega_lite_chart")  # gaps per unit
    assert "Jenis celah" in chart.proto.spec and GAP_NOT_INTERVENED in chart.proto.spec


def test_only_problems_filter(sqlite_org):
    _cascade(sqlite_org)
    at = page(PAGE, sqlite_org.usernames["admin"]).run()
    assert len(_labels(at)) == 6
    at.toggle(key="kaskade_bermasalah").set_value(True).run()
    assert not at.exception, at.exception
    labels = _labels(at)
    assert [lb.split("**")[1] for lb in labels] == [KEPALA, KASUB, "Siti Aminah, S.K.M.", "Rudi Hartono"]
    shown = texts(at)
    assert "Terwujudnya tata kelola yang akuntabel" in shown
    assert "Meningkatnya kualitas layanan laboratorium" not in shown.replace("Mengintervensi", "")
    assert set(at.dataframe[0].value["pegawai"]) == {KEPALA, KASUB, "Siti Aminah, S.K.M.", "Rudi Hartono"}


def test_no_gaps_is_celebrated_and_empty_period_is_explained(sqlite_org):
    at = page(PAGE, sqlite_org.usernames["kepala"]).run()
    assert not at.exception, at.exception
    assert _metrics(at)["Tanpa SKP"] == "6"
    assert "Tidak ada celah cascading" in texts(at)


def test_penilai_sees_own_subtree(sqlite_org):
    _cascade(sqlite_org)
    at = page(PAGE, sqlite_org.usernames["kasub"]).run()
    assert not at.exception, at.exception
    labels = _labels(at)
    assert labels[0].startswith(f"**{KASUB}**") and not any(KEPALA in lb for lb in labels)
    # the parent outside the visible tree is still named by its text
    assert "Mengintervensi: Meningkatnya kualitas layanan laboratorium" in texts(at)


def test_plain_pegawai_and_anonymous_are_refused(sqlite_org):
    at = page(PAGE, sqlite_org.usernames["staf"]).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Anda tidak memiliki akses ke halaman ini."]
    assert not at.expander and not at.metric and not at.get("download_button")
    anon = page(PAGE).run()
    assert not anon.expander and not anon.metric


def test_unit_filter_small_office_defaults_to_every_unit_and_narrows_to_a_subtree(sqlite_org):
    _cascade(sqlite_org)
    at = page(PAGE, sqlite_org.usernames["kepala"]).run()
    assert not at.exception, at.exception
    box = at.selectbox(key="kaskade_unit")
    assert box.value == 0 and box.options[0] == "Semua unit"  # shown as chosen, not as an empty box
    whole = _metrics(at)["Pegawai"]
    box.set_value(sqlite_org.units["adum"]).run()
    assert not at.exception, at.exception
    assert int(_metrics(at)["Pegawai"]) < int(whole)
    assert not any(lb.startswith(f"**{KEPALA}**") for lb in _labels(at))


def test_unit_filter_large_office_opens_on_one_unit(sqlite_org, monkeypatch):
    from services.skp import monitoring_views

    _cascade(sqlite_org)
    monkeypatch.setattr(monitoring_views, "CASCADE_LARGE", 2)
    at = page(PAGE, sqlite_org.usernames["kepala"]).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="kaskade_unit").value == sqlite_org.units["adum"]
    assert not any(lb.startswith(f"**{KEPALA}**") for lb in _labels(at))
    assert any("pohon kinerja dibuka pada satu unit" in c.value for c in at.caption)  # the way to the rest
