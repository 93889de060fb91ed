"""services/skp_monitoring: the cascade view (IKI, references, gaps, 'only problems'), the monitoring helpers
and the formula-safe Excel exports."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import delete

from db.models import RhkIntervensi
from services import skp
from services.core.actor import SYSTEM, Actor
from services.core.errors import PermissionDenied
from services.core.uow import unit_of_work
from services.skp import monitoring_views as skp_monitoring
from services.skp.read import GAP_NO_PARENT, GAP_NOT_INTERVENED
from tests import skp_factories as f


def _cascade(org):
    """Kepala (2 RHK, the second not intervened) → Kasub (1 RHK) → staf (intervenes Kasub); staf2 has only an
    RHK Tambahan; ketua and pppk have no SKP."""
    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk[:1])
    f.staff_skp(org, "staf", m.rhk[0])
    sid = skp.get_or_create_skp(a.staf2, m.period_id)
    skp.save_rhk_grid(a.staf2, sid, f.numbered([f.ja_row("Tambahan saja", jenis="Tambahan")]))
    return k, m


def drop_parent_link(rhk_id: int) -> None:
    """An RHK Utama that lost its parent link (e.g. data imported from another application): the grid itself
    refuses to save one."""
    with unit_of_work(SYSTEM) as s:
        s.execute(delete(RhkIntervensi).where(RhkIntervensi.rhk_id == rhk_id))


def _sheet(xlsx: bytes) -> list[tuple]:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    return list(wb.worksheets[0].iter_rows(values_only=True))


def test_cascade_view_iki_refs_summary_and_filter(org):
    k, m = _cascade(org)
    view = skp_monitoring.cascade_view(org.actors.kepala, k.period_id)
    head = view.nodes[0]
    assert view.iki[head.rhk[0].id] == ["Indeks kepuasan pelanggan: 3,5–4 indeks",
                                        "Persentase hasil uji tepat waktu: 90–95 %"]
    kasub = head.children[0]
    assert view.ref(kasub.rhk[0].parent_ids[0]) == (
        "dr. Ratna Hapsari, M.K.M.: RHK Utama 1. Meningkatnya kualitas layanan laboratorium")
    assert view.iki[kasub.rhk[0].id] == ["[Kuantitas] Jumlah dokumen 1: 12 laporan"]
    s = skp_monitoring.summarize(view.nodes)
    assert (s.pegawai, s.tanpa_skp, s.rhk, s.belum_diintervensi, s.tanpa_induk, s.celah) == (6, 2, 5, 1, 0, 1)

    pruned = skp_monitoring.only_problems(view.nodes)
    names = [n.nama for _, n in skp_monitoring.walk(pruned)]
    assert names == ["dr. Ratna Hapsari, M.K.M.", "Budi Santoso, S.E.", "Siti Aminah, S.K.M.", "Rudi Hartono"]
    assert [r.uraian for r in pruned[0].rhk] == ["Terwujudnya tata kelola yang akuntabel"]
    assert pruned[0].children[0].rhk == ()

    per_unit = skp_monitoring.gaps_per_unit(view.nodes)
    assert per_unit.to_dict("records") == [{"unit": "Balai Uji Kinerja", "celah": GAP_NOT_INTERVENED, "jumlah": 1}]

    frame = skp_monitoring.cascade_frame(view)
    staf = frame[frame["pegawai"] == "Andi Wijaya"].iloc[0]
    assert staf["tingkat"] == 3 and staf["rhk_atasan"].startswith("Budi Santoso, S.E.: RHK Utama 1.")
    top = frame[frame["rhk"] == "Meningkatnya kualitas layanan laboratorium"].iloc[0]
    assert top["diintervensi_oleh"] == "Budi Santoso, S.E." and pd.isna(top["celah"])
    rows = _sheet(skp_monitoring.cascade_xlsx(view))
    assert rows[0][:3] == ("Tingkat", "Pegawai", "Jabatan") and len(rows) == len(frame) + 1


def test_cascade_view_of_a_penilai_resolves_parents_outside_the_tree(org):
    k, m = _cascade(org)
    view = skp_monitoring.cascade_view(org.actors.kasub, k.period_id)
    assert [n.nama for n in view.nodes] == ["Budi Santoso, S.E."]
    parent = view.nodes[0].rhk[0].parent_ids[0]
    assert parent not in view.refs and view.ref(parent) == "Meningkatnya kualitas layanan laboratorium"
    with pytest.raises(PermissionDenied):
        skp_monitoring.cascade_view(Actor(user_id=None, username="tamu", nama="Tamu"), k.period_id)


def test_no_parent_gap_is_counted(org):
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    drop_parent_link(m.rhk[1])
    view = skp_monitoring.cascade_view(org.actors.admin, k.period_id)
    s = skp_monitoring.summarize(view.nodes)
    assert (s.tanpa_induk, s.belum_diintervensi, s.celah) == (1, 3, 4)
    bad = [r for _, n in skp_monitoring.walk(view.nodes) for r in n.rhk if skp_monitoring.has_gap(r, GAP_NO_PARENT)]
    assert [r.uraian for r in bad] == ["Terlaksananya dukungan administrasi 2"]
    assert set(skp_monitoring.gaps_per_unit(view.nodes)["celah"]) == {GAP_NO_PARENT, GAP_NOT_INTERVENED}


def test_deadline_text():
    batas = dt.date(2026, 1, 31)
    assert skp_monitoring.deadline_text(batas, dt.date(2026, 1, 21)) == ("10 hari lagi", False)
    assert skp_monitoring.deadline_text(batas, batas) == ("hari ini", False)
    assert skp_monitoring.deadline_text(batas, dt.date(2026, 2, 3)) == ("lewat 3 hari", True)


def test_monitoring_helpers_and_formula_safe_export(org):
    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    f.staff_skp(org, "staf", m.rhk[0])
    res = skp.monitoring(a.admin, m.period_id)
    per_unit = skp_monitoring.status_per_unit(res.tabel)
    assert per_unit[per_unit["unit"] == "Subbagian Administrasi Umum"][["status", "jumlah"]].values.tolist() == [
        ["Belum dibuat", 1], ["Diajukan", 1], ["Disetujui", 1]]
    assert int(per_unit["jumlah"].sum()) == len(res.tabel) == 6
    only = skp_monitoring.filter_monitoring(res.tabel, units=["Balai Uji Kinerja"], statuses=["Belum dibuat"])
    assert set(only["nama"]) == {"Siti Aminah, S.K.M.", "Dewi Lestari, S.Si."}

    rows = _sheet(skp_monitoring.monitoring_xlsx(a.kepala, m.period_id, statuses=["Disetujui"]))
    assert rows[0] == tuple(skp_monitoring.MONITORING_HEADERS.values())
    assert sorted(r[0] for r in rows[1:]) == ["Budi Santoso, S.E.", "dr. Ratna Hapsari, M.K.M."]
    with pytest.raises(PermissionDenied):
        skp_monitoring.monitoring_xlsx(a.staf, m.period_id)

    tricky = res.tabel.copy()
    tricky.loc[0, "nama"] = "=HYPERLINK(\"http://x\")"
    wb = skp_monitoring.monitoring_workbook(skp_monitoring.skp_report.Monitoring(res.tahun, res.batas, tricky))
    assert _sheet(wb)[1][0] == "'=HYPERLINK(\"http://x\")"


@pytest.mark.parametrize("who", ["admin", "kepala", "kasub"])
def test_monitoring_counts_and_rows_in_sql_match_monitoring(org, who):
    """The page's SQL path (GROUP BY counts, filtered LIMIT/OFFSET rows) gives what `monitoring` gives."""
    pid = f.every_status(org)
    actor = getattr(org.actors, who)
    full = skp.monitoring(actor, pid)
    counts = skp.monitoring_counts(actor, pid, no_unit=skp_monitoring.NO_UNIT)
    assert counts.ringkasan == full.ringkasan and counts.total == len(full.tabel)
    assert (counts.tahun, counts.batas) == (full.tahun, full.batas)
    assert counts.per_unit.to_dict("records") == skp_monitoring.status_per_unit(full.tabel).to_dict("records")
    assert counts.units == sorted(full.tabel["unit"].fillna(skp_monitoring.NO_UNIT).unique())
    rows = skp.monitoring_rows(actor, pid, limit=None)
    key = ["pegawai_id"]
    pd.testing.assert_frame_equal(rows.sort_values(key).reset_index(drop=True),
                                  full.tabel.sort_values(key).reset_index(drop=True), check_dtype=False)
    for units, statuses in ((["Subbagian Administrasi Umum"], []), ([], ["Belum dibuat", "Draft"]),
                            (["Balai Uji Kinerja"], ["Belum dibuat"]), ([skp_monitoring.NO_UNIT], [])):
        want = skp_monitoring.filter_monitoring(full.tabel, units=units, statuses=statuses)
        got = skp.monitoring_rows(actor, pid, units=units, statuses=statuses, no_unit=skp_monitoring.NO_UNIT)
        assert sorted(got["pegawai_id"]) == sorted(want["pegawai_id"])
        assert counts.shown(units, statuses) == len(want)
    first, second = (skp.monitoring_rows(actor, pid, limit=2, offset=o) for o in (0, 2))
    assert len(first) == min(2, len(full.tabel)) and not set(first["pegawai_id"]) & set(second["pegawai_id"])


def test_monitoring_counts_refused_for_plain_pegawai(org):
    pid = f.every_status(org)
    with pytest.raises(PermissionDenied):
        skp.monitoring_counts(org.actors.staf, pid)
    with pytest.raises(PermissionDenied):
        skp.monitoring_rows(org.actors.staf, pid)
