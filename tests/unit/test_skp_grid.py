"""SKP target grid: validation by row and field, nothing written on error, partial edits, starting points."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services import skp
from services.core.errors import Conflict, NotFound, ValidationFailed
from services.skp.target import parse_number
from tests import skp_factories as f


@pytest.fixture
def cascade(org):
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    return org, k, m


def _errors(e: ValidationFailed) -> set[tuple[int | None, str]]:
    return {(x.row, x.field) for x in e.errors}


def test_errors_by_row_and_field_and_nothing_saved(cascade):
    org, k, m = cascade
    a = org.actors
    sid = skp.get_or_create_skp(a.staf, m.period_id)
    f.staff_skp(org, "staf", m.rhk[0], submit=False)
    before = skp.grid(a.staf, sid)
    bad = f.numbered(start=3, rows=[  # two stored rows come first: new rows are 3..12
        f.ja_row("RHK tanpa pimpinan"),                                      # 1: Utama without parent
        f.ja_row("RHK dua", m.rhk[0], aspek="Kecepatan"),                    # 2: bad aspek
        f.ja_row("RHK tiga", m.rhk[0], tmin="banyak"),                       # 3: not a number
        f.ja_row("RHK empat", m.rhk[0], tmin=10, tmax=5),                    # 4: min > max
        f.ja_row("RHK lima", m.rhk[0], indikator="  ", satuan=""),            # 5: required texts
        f.ja_row("RHK enam", k.rhk[0]),                                      # 6: parent not of the penilai
        f.ja_row("RHK tujuh", m.rhk[0], cascading=None),                     # 7: cascading missing
        f.ja_row("x" * 1001, m.rhk[0]),                                      # 8: too long
        f.ja_row("RHK sembilan", m.rhk[0], jenis="Pokok", tmin=-1),          # 9: jenis, negative
        f.ja_row("RHK sepuluh", None, cascading=None) | {"cascading": "Direct"},  # 10: cascading without parent
    ])
    with pytest.raises(ValidationFailed) as e:
        skp.save_rhk_grid(a.staf, sid, bad, [])
    got = _errors(e.value)
    expected = {(2, "Aspek"), (3, "Target Min"), (4, "Target Maks"), (5, "Indikator Kinerja Individu"), (5, "Satuan"),
                (6, "RHK Pimpinan yang Diintervensi"), (7, "Jenis Cascading"), (8, "Rencana Hasil Kerja"),
                (9, "Jenis"), (9, "Target Min"), (10, "Jenis Cascading"), (1, "RHK Pimpinan yang Diintervensi")}
    assert {(n + 2, col) for n, col in expected} == got
    assert all(x.message for x in e.value.errors)
    assert skp.grid(a.staf, sid).equals(before)
    # group-level rule reported once the rows themselves are valid
    with pytest.raises(ValidationFailed) as e:
        skp.save_rhk_grid(a.staf, sid, [f.ja_row("RHK tanpa pimpinan") | {"_row": 3}], [])
    assert _errors(e.value) == {(3, "RHK Pimpinan yang Diintervensi")}
    assert "minimal satu" in e.value.errors[0].message
    assert skp.grid(a.staf, sid).equals(before)


def test_jpt_needs_perspektif_and_accepts_short_names(org):
    a = org.actors
    sid = skp.get_or_create_skp(a.kepala, f.period_id(org))
    with pytest.raises(ValidationFailed) as e:
        skp.save_rhk_grid(a.kepala, sid, f.numbered([f.jpt_row("A", perspektif=None),
                                                     f.jpt_row("B", perspektif="Pelanggan")]), [])
    assert _errors(e.value) == {(1, "Perspektif"), (2, "Perspektif")}
    r = skp.save_rhk_grid(a.kepala, sid, f.numbered([f.jpt_row("A", perspektif="proses bisnis"),
                                                     f.jpt_row("A", "Indikator 2", perspektif=None)]), [])
    assert (r.rhk, r.iki) == (1, 2)
    assert skp.skp_detail(a.kepala, sid).rhk[0].perspektif == "Perspektif Proses Bisnis"


def test_grouping_continuation_and_multiple_parents(cascade):
    org, k, m = cascade
    a = org.actors
    sid = skp.get_or_create_skp(a.ketua, m.period_id)
    p1, p2 = (skp.parent_label(x, "label") for x in m.rhk)
    rows = f.numbered([
        f.ja_row("Tersedianya data surveilans", p1, indikator="Jumlah laporan", tmin="12"),
        f.ja_row("", None, aspek="Kualitas", indikator="Kelengkapan data", tmin="80,5", tmax="90", satuan="%"),
        f.ja_row("Membina mahasiswa magang", None, jenis="Tambahan", indikator="Jumlah mahasiswa", tmin=2),
        f.ja_row("tersedianya  data surveilans", p2, cascading="non direct cascading", aspek="waktu",
                 indikator="Ketepatan waktu", tmin=100, satuan="%"),
    ])
    res = skp.save_rhk_grid(a.ketua, sid, rows, [])
    assert (res.rhk, res.iki) == (2, 4)
    d = skp.skp_detail(a.ketua, sid)
    assert [(r.jenis, r.nomor) for r in d.rhk] == [("Utama", "1"), ("Tambahan", "1")]
    utama = d.rhk[0]
    assert [i.indikator for i in utama.iki] == ["Jumlah laporan", "Kelengkapan data", "Ketepatan waktu"]
    assert utama.iki[1].target_min == Decimal("80.5") and utama.iki[1].target == "80,5 – 90 %"
    assert sorted((p.rhk_id, p.jenis_cascading) for p in utama.intervensi) == [(m.rhk[0], "Direct"),
                                                                              (m.rhk[1], "Non Direct")]
    g = skp.grid(a.ketua, sid)
    assert list(g.columns) == skp.COLUMNS["JA/JF"]
    assert g["rhk_atasan"].notna().sum() == 3 and g.loc[0, "rhk_atasan"].startswith(f"[{m.rhk[0]}]")
    assert g.loc[1, "rhk_atasan"].startswith(f"[{m.rhk[1]}]") and g.loc[2, "rhk_atasan"] == g.loc[1, "rhk_atasan"]
    assert g["target_max"].isna().sum() == 3  # single targets show an empty Target Maks


def test_partial_changes_keep_ids_and_other_rows(cascade):
    org, k, m = cascade
    a = org.actors
    sid = f.staff_skp(org, "staf", m.rhk[0], submit=False)
    g = skp.grid(a.staf, sid)
    rhk_id, ids = int(g.loc[0, "rhk_id"]), [int(x) for x in g["id"]]
    # unchanged full grid round-trips
    skp.save_rhk_grid(a.staf, sid, [dict(r, _row=n + 1) for n, r in enumerate(g.to_dict("records"))], [])
    g2 = skp.grid(a.staf, sid)
    assert [int(x) for x in g2["id"]] == ids and int(g2.loc[0, "rhk_id"]) == rhk_id
    # edit row 2 only, add a row to the same RHK, delete nothing
    edited = g2.iloc[1].to_dict() | {"target_min": 95, "_row": 2}
    new = f.ja_row("Tersusunnya laporan keuangan bulanan", None, aspek="Kualitas", indikator="Akurasi",
                   tmin=100, satuan="%") | {"_row": 3}
    skp.save_rhk_grid(a.staf, sid, [edited, new], [])
    d = skp.skp_detail(a.staf, sid)
    assert d.rhk[0].id == rhk_id and [i.id for i in d.rhk[0].iki][:2] == ids
    assert [i.target_min for i in d.rhk[0].iki] == [12, 95, 100]
    # delete the first IKI
    skp.save_rhk_grid(a.staf, sid, [], [ids[0]])
    d = skp.skp_detail(a.staf, sid)
    assert [i.id for i in d.rhk[0].iki][0] == ids[1] and len(d.rhk[0].iki) == 2
    # a row that no longer exists is a conflict, not a silent insert
    with pytest.raises(Conflict):
        skp.save_rhk_grid(a.staf, sid, [g.iloc[0].to_dict() | {"_row": 1}], [])
    # renaming the RHK keeps its id (and its links)
    g3 = skp.grid(a.staf, sid)
    rows = [dict(r, rhk="Tersusunnya laporan keuangan triwulanan", _row=n + 1)
            for n, r in enumerate(g3.to_dict("records"))]
    skp.save_rhk_grid(a.staf, sid, rows, [])
    d = skp.skp_detail(a.staf, sid)
    assert d.rhk[0].id == rhk_id and d.rhk[0].uraian.endswith("triwulanan") and d.rhk[0].intervensi


def test_rhk_intervened_by_subordinates_cannot_disappear(cascade):
    org, k, m = cascade
    a = org.actors
    f.staff_skp(org, "staf", m.rhk[0], submit=False)
    rid = skp.request_revision(a.kasub, m.id, "Perubahan DIPA")
    skp.accept_revision(a.kepala, rid)
    g = skp.grid(a.kasub, m.id)
    used = [int(x) for x, r in zip(g["id"], g["rhk_id"], strict=True) if int(r) == m.rhk[0]]
    with pytest.raises(ValidationFailed, match="diintervensi oleh RHK bawahan"):
        skp.save_rhk_grid(a.kasub, m.id, [], used)
    assert len(skp.grid(a.kasub, m.id)) == len(g)


def test_start_from_penilai_rhk(org):
    a = org.actors
    pid = f.period_id(org)
    kepala_draft = skp.get_or_create_skp(a.kepala, pid)
    with pytest.raises(skp.StatusError, match="JPT"):
        skp.start_from_penilai_rhk(a.kepala, kepala_draft)
    sid = skp.get_or_create_skp(a.staf, pid)
    with pytest.raises(NotFound, match="belum memiliki RHK"):
        skp.start_from_penilai_rhk(a.staf, sid)
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk, approve=False, submit=False)
    added = skp.start_from_penilai_rhk(a.staf, sid)
    assert added == 2
    d = skp.skp_detail(a.staf, sid)
    assert [r.intervensi[0].rhk_id for r in d.rhk] == m.rhk
    assert [r.intervensi[0].jenis_cascading for r in d.rhk] == ["Direct", "Direct"]
    assert all(i.aspek == "Kuantitas" for r in d.rhk for i in r.iki)
    assert skp.start_from_penilai_rhk(a.staf, sid) == 0  # nothing left to add
    opts = skp.parent_options(a.staf, sid)
    assert [o.id for o in opts] == m.rhk and opts[0].status_skp == "Draft"
    # drafting against a penilai SKP that is not approved yet is allowed; submitting is not
    with pytest.raises(ValidationFailed, match="belum disetujui"):
        skp.submit(a.staf, sid)


def test_copy_from_last_year(org):
    import datetime as dt

    from db.models import Period, PeriodeEvaluasi, StatusPeriode
    from services.core.actor import SYSTEM
    from services.core.uow import unit_of_work

    a = org.actors
    with unit_of_work(SYSTEM) as s:
        p = Period(tahun=org.year - 1, tanggal_mulai=dt.date(org.year - 1, 1, 1),
                   tanggal_selesai=dt.date(org.year - 1, 12, 31), periode_evaluasi=PeriodeEvaluasi.TRIWULANAN,
                   status=StatusPeriode.DITUTUP)
        s.add(p)
        s.flush()
        old_pid = p.id
    old = skp.get_or_create_skp(a.kepala, old_pid)
    skp.save_rhk_grid(a.kepala, old, f.numbered([f.jpt_row("RHK lama", "IKI lama", 70, 80)]), [])
    skp.save_lampiran(a.kepala, old, {"Konsekuensi": ["Sesuai ketentuan"]})
    new = skp.get_or_create_skp(a.kepala, f.period_id(org))
    assert skp.copy_from_last_year(a.kepala, new) == 1
    d = skp.skp_detail(a.kepala, new)
    assert d.rhk[0].uraian == "RHK lama" and d.rhk[0].iki[0].target == "70 – 80 %"
    assert d.lampiran["Konsekuensi"] == ("Sesuai ketentuan",)
    with pytest.raises(skp.StatusError):
        skp.copy_from_last_year(a.kepala, new)


@pytest.mark.parametrize("text,value", [("80", Decimal(80)), ("80,5", Decimal("80.5")), ("1.000", Decimal(1000)),
                                        ("1.000,25", Decimal("1000.25")), ("12.5", Decimal("12.5")),
                                        (7, Decimal(7)), (2.5, Decimal("2.5")), ("", None), (None, None),
                                        (" 90 % ", Decimal(90))])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "1,2,3", "nan", "inf"])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        parse_number(text)


_cell = st.one_of(st.none(), st.text(max_size=8), st.integers(-5, 10**6), st.floats(allow_nan=True),
                  st.sampled_from(["Utama", "Tambahan", "Kuantitas", "Waktu", "Direct", "10,5", "%",
                                   "Perspektif Anggaran", "Penerima Layanan"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries({c: _cell for c in ("jenis", "rhk", "rhk_atasan", "cascading", "aspek",
                                                         "indikator", "target_min", "target_max", "satuan",
                                                         "perspektif")}),
                min_size=1, max_size=6))
def test_any_grid_input_saves_fully_or_not_at_all(sqlite_org, rows):
    a = sqlite_org.actors
    sid = skp.get_or_create_skp(a.kepala, f.period_id(sqlite_org))
    before = skp.grid(a.kepala, sid)
    try:
        res = skp.save_rhk_grid(a.kepala, sid, f.numbered([r | {"id": None} for r in rows]), [])
    except ValidationFailed as e:
        assert e.errors and all(x.field for x in e.errors)
        assert skp.grid(a.kepala, sid).equals(before)
    else:
        assert len(skp.grid(a.kepala, sid)) == len(before) + res.iki


def test_polaritas_is_fixed_on_the_skp_iki(org):
    """Polarity is set in the SKP grid (blank = by aspek/satuan) and refused when unknown."""
    a = org.actors
    sid = skp.get_or_create_skp(a.kepala, f.period_id(org))
    with pytest.raises(ValidationFailed) as e:
        skp.save_rhk_grid(a.kepala, sid, f.numbered([f.jpt_row("A", perspektif="proses bisnis") | {"polaritas": "x"}]), [])
    assert _errors(e.value) == {(1, "Polaritas")}
    skp.save_rhk_grid(a.kepala, sid, f.numbered([
        f.jpt_row("A", "Jumlah temuan audit", perspektif="proses bisnis") | {"polaritas": "makin rendah makin baik"},
        f.jpt_row("A", "Indikator 2", perspektif=None)]), [])
    g = skp.grid(a.kepala, sid)
    assert list(g["polaritas"]) == ["negatif", "positif"]
