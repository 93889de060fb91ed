"""SKP read models: penilai queue, monitoring and deadline, cascade tree with gaps, Beranda tasks."""

from __future__ import annotations

import datetime as dt

import pytest

from services import beranda, skp
from services.core import settings
from services.core.errors import PermissionDenied
from services.skp import read as skp_report
from tests import skp_factories as f


def test_queue_for_penilai(org):
    a = org.actors
    k = f.kepala_skp(org, approve=False)
    assert list(skp.queue_for_penilai(a.admin)["skp_id"]) == [k.id]  # head of office: decided via Admin SDM
    assert skp.queue_for_penilai(a.kasub).empty
    skp.approve(a.admin, k.id)
    m = f.kasub_skp(org, k.rhk, approve=False)
    q = skp.queue_for_penilai(a.kepala)
    assert list(q["skp_id"]) == [m.id] and q.loc[0, "pegawai"] == "Budi Santoso, S.E." and q.loc[0, "jumlah_rhk"] == 2
    skp.approve(a.kepala, m.id)
    s1 = f.staff_skp(org, "staf", m.rhk[0])
    s2 = f.staff_skp(org, "ketua", m.rhk[1])
    f.staff_skp(org, "pppk", m.rhk[0], submit=False)
    q = skp.queue_for_penilai(a.kasub)
    assert set(q["skp_id"]) == {s1, s2} and list(q.columns) == skp_report.QUEUE_COLUMNS
    assert skp.queue_for_penilai(a.kepala).empty and skp.queue_for_penilai(a.staf).empty
    assert skp.queue_for_penilai(a.admin).empty  # staff have a penilai: not Admin SDM's queue


def test_monitoring_statuses_deadline_and_scope(org):
    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    s1 = f.staff_skp(org, "staf", m.rhk[0])
    s2 = f.staff_skp(org, "staf2", m.rhk[0])
    skp.return_with_notes(a.kasub, s2, "Perbaiki indikator")
    skp.get_or_create_skp(a.pppk, m.period_id)
    before = dt.date(org.year, 1, 10)
    res = skp.monitoring(a.admin, m.period_id, today=before)
    assert res.batas == dt.date(org.year, 1, 31)
    status = dict(zip(res.tabel["nip"], res.tabel["status"], strict=True))
    assert status == {"197001012000031001": "Disetujui", "198001012005011002": "Disetujui",
                      "199003032015031003": "Diajukan", "199104042019022004": "Dikembalikan",
                      "199505052022211005": "Draft", "198502022010122001": "Belum dibuat"}
    assert res.ringkasan == {"Belum dibuat": 1, "Draft": 1, "Diajukan": 1, "Dikembalikan": 1, "Disetujui": 2}
    assert not res.tabel["terlambat"].any()
    late = skp.monitoring(a.kepala, m.period_id, today=dt.date(org.year, 2, 1)).tabel
    assert int(late["terlambat"].sum()) == 4
    settings.update_many(a.admin, {"skp_batas_penetapan": "15-02"})
    assert skp.monitoring(a.admin, m.period_id, today=dt.date(org.year, 2, 1)).batas == dt.date(org.year, 2, 15)
    mine = skp.monitoring(a.kasub, m.period_id).tabel
    assert set(mine["nip"]) == {"199003032015031003", "199104042019022004", "199505052022211005",
                                "198502022010122001"}
    assert set(skp.monitoring(a.kepala, m.period_id).tabel["unit"]) == {"Balai Uji Kinerja",
                                                                       "Subbagian Administrasi Umum"}
    with pytest.raises(PermissionDenied):
        skp.monitoring(a.staf, m.period_id)
    xlsx = skp.monitoring_xlsx(a.admin, m.period_id)
    assert xlsx[:2] == b"PK" and s1


def test_cascade_tree_flags_gaps(org):
    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk[:1])  # the second RHK of the head of office is not intervened
    f.staff_skp(org, "staf", m.rhk[0])
    sid = skp.get_or_create_skp(a.staf2, m.period_id)
    skp.save_rhk_grid(a.staf2, sid, f.numbered([f.ja_row("Tambahan saja", jenis="Tambahan")]))
    roots = skp.cascade_tree(a.kepala, m.period_id)
    assert [r.nama for r in roots] == ["dr. Ratna Hapsari, M.K.M."]
    head = roots[0]
    assert [(r.uraian, r.celah) for r in head.rhk] == [
        ("Meningkatnya kualitas layanan laboratorium", None),
        ("Terwujudnya tata kelola yang akuntabel", skp_report.GAP_NOT_INTERVENED)]
    kasub = head.children[0]
    assert kasub.rhk[0].parent_ids == (k.rhk[0],) and kasub.rhk[0].celah is None
    assert {c.nama for c in kasub.children} >= {"Andi Wijaya", "Dewi Lestari, S.Si.", "Siti Aminah, S.K.M."}
    staf = next(c for c in kasub.children if c.nama == "Andi Wijaya")
    assert staf.rhk[0].parent_ids == (m.rhk[0],) and staf.status == "Diajukan"
    ketua = next(c for c in kasub.children if c.nama.startswith("Siti"))
    assert ketua.status == "Belum dibuat" and ketua.skp_id is None
    assert head.celah == 1
    table = skp.cascade_table(roots)
    assert set(table["tingkat"]) == {1, 2, 3} and (table["celah"] == skp_report.GAP_NOT_INTERVENED).sum() == 1
    # a pegawai sees the tree below themself only
    own = skp.cascade_tree(a.kasub, m.period_id)
    assert [r.nama for r in own] == ["Budi Santoso, S.E."]
    # the penilai revises an approved SKP: the RHK keeps its id, so the staff's links stay valid
    rid = skp.request_revision(a.kasub, m.id, "Ubah RHK")
    skp.accept_revision(a.kepala, rid)
    g = skp.grid(a.kasub, m.id)
    rows = [dict(r, rhk=r["rhk"] + " (revisi)", _row=n + 1) for n, r in enumerate(g.to_dict("records"))]
    skp.save_rhk_grid(a.kasub, m.id, rows)
    kasub = skp.cascade_tree(a.admin, m.period_id)[0].children[0]
    assert kasub.rhk[0].id == m.rhk[0] and kasub.rhk[0].uraian.endswith("(revisi)")
    assert kasub.rhk[0].child_ids and kasub.status == "Draft"


def test_rhk_without_parent_is_a_gap(org):
    from db.models import Rhk, RhkIntervensi
    from services.core.actor import SYSTEM
    from services.core.uow import unit_of_work

    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    with unit_of_work(SYSTEM) as s:  # e.g. data imported from another application
        s.query(RhkIntervensi).filter(RhkIntervensi.rhk_id == m.rhk[1]).delete()
        assert s.get(Rhk, m.rhk[1]) is not None
    head = skp.cascade_tree(a.admin, m.period_id)[0]
    kasub = head.children[0]
    gap = skp_report
    assert [r.celah for r in kasub.rhk] == [gap.GAP_NOT_INTERVENED, f"{gap.GAP_NO_PARENT}; {gap.GAP_NOT_INTERVENED}"]


def test_beranda_tasks(org):
    a = org.actors
    year = org.year
    jan = dt.date(year, 1, 5)
    titles = [t.judul for t in beranda.my_tasks(a.staf, jan)]
    assert f"Susun SKP tahun {year}" in titles
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    sid = f.staff_skp(org, "staf", m.rhk[0])
    tasks = {t.judul: t for t in beranda.my_tasks(a.kasub, jan)}
    assert "Verifikasi 1 SKP bawahan" in tasks and tasks["Verifikasi 1 SKP bawahan"].halaman == "skp_verifikasi.py"
    skp.return_with_notes(a.kasub, sid, "Lengkapi indikator kualitas")
    t = next(t for t in beranda.my_tasks(a.staf, jan) if t.kategori == "SKP")
    assert t.judul == "Perbaiki SKP yang dikembalikan pejabat penilai" and t.prioritas == 1
    draft = [t for t in beranda.my_tasks(a.staf2, dt.date(year, 2, 3)) if t.kategori == "SKP"][0]
    assert "sudah lewat" in draft.detail and draft.prioritas == 1
    admin = [t.judul for t in beranda.my_tasks(a.admin, dt.date(year, 2, 3))]
    assert "4 pegawai belum memiliki SKP yang disetujui" in admin


def test_cascade_tree_of_one_unit_subtree(org):
    """The Unit Kerja filter: only the pegawai of the unit and the units below it, the tree restarting at those
    whose penilai is outside; the same nodes as in the whole tree; "Semua unit" (None) is the whole tree."""
    from services.skp import monitoring_views as mv

    a = org.actors
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk[:1])
    f.staff_skp(org, "staf", m.rhk[0])
    units, default, large = mv.cascade_units(a.admin)
    assert [u for u, _ in units] == [org.units["root"], org.units["adum"]]
    assert units[1][1].startswith("\u00a0\u00a0") and not units[0][1].startswith("\u00a0")  # indented by depth
    assert default == org.units["adum"] and large is False  # a small office keeps "Semua unit" on the page
    assert mv.cascade_units(a.staf) == ([], None, False)

    def flat(nodes):
        return {n.pegawai_id: n for _, n in mv.walk(nodes)}

    whole = flat(skp.cascade_tree(a.admin, m.period_id))
    assert flat(skp.cascade_tree(a.admin, m.period_id, unit_id=None)).keys() == whole.keys()
    assert flat(skp.cascade_tree(a.admin, m.period_id, unit_id=org.units["root"])).keys() == whole.keys()
    adum = skp.cascade_tree(a.admin, m.period_id, unit_id=org.units["adum"])
    sub = flat(adum)
    from sqlalchemy import select

    from db.engine import read_session
    from db.models import Pegawai

    with read_session() as s:
        in_adum = set(s.scalars(select(Pegawai.id).where(Pegawai.unit_id == org.units["adum"], Pegawai.aktif.is_(True))))
    assert in_adum and sub.keys() == in_adum and sub.keys() < whole.keys()
    for pid, node in sub.items():  # the same RHK and status as in the whole tree
        assert (node.status, [r.id for r in node.rhk]) == (whole[pid].status, [r.id for r in whole[pid].rhk])
    assert all(r.pegawai_id in in_adum for r in adum)
    # others: the unit filter does not widen or narrow their own tree
    assert flat(skp.cascade_tree(a.kasub, m.period_id, unit_id=org.units["root"])).keys() == \
        flat(skp.cascade_tree(a.kasub, m.period_id)).keys()


def test_cascade_default_unit_opens_one_level_lower_when_too_large(org):
    """A default unit with more active pegawai than `max_pegawai` in its subtree opens on a child unit (the first
    in the official order, urutan then kode, when the actor is not below it); the unit list is unchanged, so every
    unit stays a choice."""
    from db.models import UnitKerja
    from services.core.actor import SYSTEM
    from services.core.uow import unit_of_work

    a = org.actors
    with unit_of_work(SYSTEM) as s:
        for kode, nama, urutan in (("SKA", "Seksi A", 2), ("SKB", "Seksi B", 1)):
            s.add(UnitKerja(kode=kode, nama=nama, urutan=urutan, parent_id=org.units["adum"]))
    units, default, count = skp_report.cascade_units(a.admin)
    assert default == org.units["adum"]
    assert skp_report.cascade_units(a.admin, max_pegawai=count) == (units, default, count)  # small enough
    narrowed_units, narrowed, _ = skp_report.cascade_units(a.admin, max_pegawai=0)
    assert [n.replace("\u00a0", "") for _, n in units][-2:] == ["Seksi B", "Seksi A"]  # urutan, not name
    assert narrowed_units == units and dict(units)[narrowed].replace("\u00a0", "") == "Seksi B"
