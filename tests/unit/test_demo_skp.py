"""Demo SKPs: every state present, a three-level cascade, a revision history, and valid approved SKPs."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import AuditLog, FormatSkp, Period, Skp, SkpVersion, StatusRevisi, StatusSkp
from services import demo, skp
from services.auth import login as auth
from services.core.actor import SYSTEM
from services.demo import skp as demo_skp
from services.skp import target as skp_grid

EXPECTED = {"Belum dibuat": 6, "Draft": 4, "Diajukan": 8, "Dikembalikan": 3, "Disetujui": 19}


@pytest.fixture
def loaded(db_snapshot):
    # loaded once per worker and database, copied per test
    result = db_snapshot("demo-without-logbook", lambda: demo.load_demo(SYSTEM, with_logbook=False))
    assert result.loaded and result.skp == 34
    with read_session() as s:
        period_id = s.scalar(select(Period.id).where(Period.tahun == result.tahun))
    people = {r["key"]: r["nip"] for r in demo.roster()}
    return result, period_id, people


def _actor(people, key):
    return auth.load_actor(people[key])


def test_plan_is_consistent_without_database():
    codes = {code for code, _ in demo_skp.KASUBBAG_RHK}
    kepala_codes = {code for code, _ in demo_skp.KEPALA_RHK}
    keys = {o.key for o in demo.office.ORANG}
    assert set(demo_skp.PLAN) <= keys and "kepala" not in demo_skp.PLAN
    assert demo_skp.E2E_PEGAWAI_KEY in keys and demo_skp.E2E_PEGAWAI_KEY not in demo_skp.PLAN
    for duty, _ in demo_skp.PLAN.values():
        for spec in demo_skp.DUTIES[duty]:
            assert spec.parent in codes or (spec.parent is None and spec.jenis == "Tambahan")
            assert all(k.aspek in ("Kuantitas", "Kualitas", "Waktu") for k in spec.iki)
    assert {spec.parent for _, spec in demo_skp.KASUBBAG_RHK if spec.parent} <= kepala_codes
    assert set(demo_skp.RETURN_NOTES) == {k for k, (_, st) in demo_skp.PLAN.items() if st == demo_skp.DIKEMBALIKAN}


def test_every_state_is_present_with_queues_notes_and_audit(loaded):
    _, period_id, people = loaded
    admin, kasub = auth.load_actor("admin"), _actor(people, "kasubbag")
    m = skp.monitoring(admin, period_id)
    assert m.ringkasan == EXPECTED
    by_nip = dict(zip(m.tabel["nip"], m.tabel["status"], strict=True))
    assert by_nip[people["kepala"]] == by_nip[people["kasubbag"]] == "Disetujui"
    assert by_nip[people[demo_skp.E2E_PEGAWAI_KEY]] == "Belum dibuat"
    queue = skp.queue_for_penilai(kasub)
    assert len(queue) == EXPECTED["Diajukan"] and set(queue["jumlah_rhk"]) >= {1, 2, 3}
    assert skp.queue_for_penilai(_actor(people, "kepala")).empty  # the Kasubbag's SKP is already approved
    revisions = skp.revision_queue(kasub)
    assert list(revisions["nip"]) == [people["ento_pertama"]]
    # the e2e account: a plain pegawai with no SKP yet, listed by `ekinerja demo-accounts --json`
    accounts = {a["username"]: a for a in demo.demo_accounts(SYSTEM)}
    assert accounts[people[demo_skp.E2E_PEGAWAI_KEY]]["roles"] == ["pegawai"]
    e2e = _actor(people, demo_skp.E2E_PEGAWAI_KEY)
    assert skp.my_segments(e2e, period_id) == []
    # returned SKPs carry the overall note and a note on their first RHK
    for key in demo_skp.RETURN_NOTES:
        who = _actor(people, key)
        seg = skp.my_segments(who, period_id)[0]
        d = skp.skp_detail(who, seg.id)
        assert d.status == "DIKEMBALIKAN" and d.can_edit and d.catatan_pengembalian == demo_skp.RETURN_NOTES[key][0]
        assert d.rhk[0].catatan_reviu == demo_skp.RETURN_NOTES[key][1]
        assert d.decided_by == skp.skp_detail(kasub, seg.id).penilai.nama
    with read_session() as s:
        rows = s.execute(select(AuditLog.action, AuditLog.username).where(
            AuditLog.action.like("skp_%"), AuditLog.entity == "Skp")).all()
    by_action = Counter(a for a, _ in rows)
    assert by_action["skp_kembalikan"] == 3 and by_action["skp_setujui"] == 20  # 19 approved SKP, one of them twice
    assert by_action["skp_buat"] == 34
    deciders = {u for a, u in rows if a == "skp_setujui"}
    assert deciders == {"admin", people["kepala"], people["kasubbag"]}
    # the e2e pegawai can start at once: the Kasubbag's approved RHK are offered as parents
    assert len(skp.parent_options(e2e, skp.get_or_create_skp(e2e, period_id))) == len(demo_skp.KASUBBAG_RHK)


def test_cascade_has_three_levels_and_approved_skps_are_valid(loaded):
    _, period_id, people = loaded
    tree = skp.cascade_tree(auth.load_actor("admin"), period_id)
    kepala = next(n for n in tree if n.rhk)
    assert kepala.status == "Disetujui" and len(kepala.rhk) == 5
    assert [ch.jabatan for ch in kepala.children] == ["Kepala Subbagian Administrasi Umum"]
    kasub = kepala.children[0]
    assert {p for r in kasub.rhk for p in r.parent_ids} == {r.id for r in kepala.rhk}
    level3 = [n for n in kasub.children if n.rhk]
    assert len(level3) == 34 - 2 and all(not n.children for n in kasub.children)
    utama = {r.id for r in kasub.rhk if r.jenis == "Utama"}
    for n in level3:
        for r in n.rhk:
            assert r.jenis == "Tambahan" or set(r.parent_ids) <= utama
    table = skp.cascade_table(tree)
    assert set(table["tingkat"]) == {1, 2, 3} and table["celah"].isna().all()
    _approved_skps_pass_the_service_validation()


def test_revision_history_and_pending_request(loaded):
    _, period_id, people = loaded
    kasub = _actor(people, "kasubbag")
    epid = _actor(people, "epid_muda")
    sid = skp.my_segments(epid, period_id)[0].id
    d = skp.skp_detail(epid, sid)
    assert d.status == "DISETUJUI" and d.version_no == 2 and [v.version_no for v in d.versions] == [1, 2]
    assert d.versions[1].alasan == demo_skp.REVISION_REASON["epid_muda"]
    assert [r.status for r in d.revisions] == [StatusRevisi.DITERIMA.value]
    diff = skp.version_diff(kasub, sid, 1, 2)
    assert "Persentase rekomendasi penyelidikan epidemiologi yang ditindaklanjuti" in diff.to_string()
    assert any("10" in str(v) for v in diff.astype(str).to_numpy().ravel())
    ento = _actor(people, "ento_pertama")
    e = skp.skp_detail(ento, skp.my_segments(ento, period_id)[0].id)
    assert e.status == "DISETUJUI" and e.pending_revision is not None and not e.can_request_revision
    assert e.pending_revision.alasan == demo_skp.REVISION_REASON["ento_pertama"]


def _approved_skps_pass_the_service_validation() -> None:
    """Submit/approval rules (stored_errors) and the grid's own row validation hold for every approved SKP."""
    with read_session() as s:
        approved = s.scalars(select(Skp).where(Skp.status == StatusSkp.DISETUJUI)).all()
        assert len(approved) == EXPECTED["Disetujui"]
        for k in approved:
            assert skp.stored_errors(s, k) == []
            assert skp_grid.grid_errors(s, k) == []
            assert sum(len(r.iki) for r in k.rhk) >= 1
            assert all(lp for lp in k.lampiran) and {lp.jenis.value for lp in k.lampiran} == {
                "Dukungan Sumber Daya", "Skema Pertanggungjawaban", "Konsekuensi"}
            assert any(p.ekspektasi_khusus for p in k.perilaku)
            assert s.scalar(select(SkpVersion.id).where(SkpVersion.skp_id == k.id,
                                                        SkpVersion.version_no == k.version_no))
        kepala = next(k for k in approved if k.format == FormatSkp.JPT)
        assert all(r.perspektif for r in kepala.rhk)
