"""Demo evaluations (services/demo_evaluasi.py), generated for a fixed `today` (22 November of the demo year):
Triwulan I and II complete (Triwulan I with every predikat), organisational predikat for the units with a head,
angka kredit for fungsional pegawai, Triwulan III (the most recently ended quarter) in every state for the
reviewer pages and the browser walk-through, Triwulan IV (current) with draft rencana aksi."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import or_, select

import domain as rules
from db.engine import read_session
from db.models import (
    AngkaKredit,
    AuditLog,
    Evaluasi,
    Jabatan,
    JenisAngkaKredit,
    JenisJabatan,
    KinerjaOrganisasi,
    Pegawai,
    PredikatKinerja,
    Skp,
    StatusEvaluasi,
    StatusSkp,
    UnitKerja,
)
from services import beranda, demo
from services.auth import login as auth
from services.core import settings
from services.core.actor import SYSTEM
from services.demo import evaluasi as demo_evaluasi
from services.evaluasi import common as ec
from services.org import periods

S = StatusEvaluasi


def _load_evaluasi():
    base = demo.load_demo(SYSTEM, with_logbook=False, with_evaluasi=False)  # the logbook is not needed here
    return base, demo_evaluasi.load_demo_evaluasi(base.tahun, today=dt.date(base.tahun, 11, 22))


@pytest.fixture
def loaded(db_snapshot):
    base, result = db_snapshot("demo-evaluasi-22-11", _load_evaluasi)  # loaded once per worker and database
    assert base.loaded and result.evaluasi > 0 and result.today == dt.date(base.tahun, 11, 22)
    assert result.plan == demo_evaluasi.QuarterPlan(completed=(1, 2), last=3, current=4)
    people = {r["key"]: r["nip"] for r in demo.roster()}
    return result, people


def _subs(y: int):
    return [periods.SubPeriod(n, f"{y}-T{n}", f"Triwulan {n}", dt.date(y, 3 * n - 2, 1),
                              dt.date(y, 3 * n, 30 if n in (2, 3) else 31)) for n in range(1, 5)]


@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2026, 1, 2), ((), None, 1)),  # nothing ended yet: only the current quarter, nothing completed
    (dt.date(2026, 2, 10), ((), None, 1)),
    (dt.date(2026, 3, 31), ((), None, 1)),
    (dt.date(2026, 4, 1), ((), 1, 2)),
    (dt.date(2026, 11, 22), ((1, 2), 3, 4)),
    (dt.date(2026, 12, 31), ((1, 2), 3, 4)),
    (dt.date(2027, 1, 5), ((1, 2, 3), 4, None)),  # a past year
])
def test_plan_quarters_follows_today(today, expected):
    assert demo_evaluasi.plan_quarters(_subs(2026), today) == demo_evaluasi.QuarterPlan(*expected)


def _approved_pegawai(s) -> set[int]:
    return set(s.scalars(select(Skp.pegawai_id).where(or_(Skp.status == StatusSkp.DISETUJUI, Skp.version_no > 1))))


def test_completed_quarters_with_organisational_predikat_and_angka_kredit(loaded):
    """One load for three checks (the demo load is the slow part)."""
    _check_completed_quarters(loaded)
    _check_unit_heads(loaded)
    _check_angka_kredit()


def _check_completed_quarters(loaded) -> None:
    """Every pegawai with an approved SKP has an approved evaluation in every completed quarter; Triwulan I has
    all five predikat, every quarter mostly Baik."""
    result, people = loaded
    with read_session() as s:
        approved = _approved_pegawai(s)
        for nomor in result.plan.completed:
            evs = s.scalars(select(Evaluasi).where(Evaluasi.nomor == nomor)).all()
            assert {ev.pegawai_id for ev in evs} == approved and len(evs) == len(approved) == 19
            predikat = Counter()
            for ev in evs:
                assert ev.status == S.DISETUJUI and ev.kode == f"{result.tahun}-T{nomor}"
                _check_complete(s, ev)
                predikat[ev.predikat] += 1
            if nomor == 1:
                assert set(predikat) == set(PredikatKinerja)
            assert predikat.most_common(1)[0][0] == PredikatKinerja.BAIK
            assert predikat[PredikatKinerja.BAIK] * 2 > len(evs)
        assert set(s.scalars(select(AuditLog.action).where(AuditLog.entity == "Evaluasi"))) == {"demo_data"}


def _check_complete(s, ev: Evaluasi) -> None:
    assert ev.rencana_aksi_at and ev.submitted_at and ev.dinilai_at and ev.disetujui_at
    assert ev.dinilai_by_username and ev.disetujui_by_username and ev.catatan_atasan and ev.rekomendasi
    assert ev.rencana_aksi_at <= ev.submitted_at <= ev.dinilai_at <= ev.disetujui_at  # clamped to now
    assert ev.predikat.value == rules.predikat(ev.rating_hasil_kerja, ev.rating_perilaku_kerja).value
    assert ev.predikat_alasan == rules.predikat_reason(ev.rating_hasil_kerja, ev.rating_perilaku_kerja)
    # umpan balik complete; every RHK has one or two rencana aksi with realisasi and bukti dukung
    assert ec.missing_feedback(ev) == []
    per_rhk = Counter(ra.rhk_id for ra in ev.rencana_aksi)
    assert set(per_rhk) == {h.rhk_id for h in ev.hasil} and set(per_rhk.values()) <= {1, 2}
    assert all(ra.realisasi is not None and ra.realisasi_uraian and ra.bukti_dukung for ra in ev.rencana_aksi)
    assert all(h.realisasi for h in ev.hasil)
    for i in ev.iki:
        assert i.capaian == rules.capaian(i.realisasi, i.target_min, i.target_max, i.polaritas.value)
    # pertimbangan exactly where the pegawai has a pemberi pertimbangan (the Ketua Tim)
    if ev.pemberi_pertimbangan_id is not None:
        assert ev.pertimbangan_by_id == ev.pemberi_pertimbangan_id and ev.pertimbangan_catatan
        assert ev.pertimbangan_rating_hasil and ev.pertimbangan_at <= ev.dinilai_at
    else:
        assert ev.pertimbangan_at is None
    # reviewers in force: Admin SDM stands in for the Kepala's penilai and the Kasubbag's atasan
    assert ev.dinilai_by_id == ev.pejabat_penilai_id and ev.disetujui_by_id == ev.atasan_penilai_id
    assert ec.detail(s, SYSTEM, ev).feedback_lengkap


def _check_unit_heads(loaded) -> None:
    """KinerjaOrganisasi for every unit with a head and every completed quarter; the heads' Rating Hasil Kerja
    follows from it."""
    result, _people = loaded
    with read_session() as s:
        head_units = set(s.scalars(select(Jabatan.unit_id).where(Jabatan.pimpinan_unit.is_(True))))
        rows = s.scalars(select(KinerjaOrganisasi)).all()
        assert {(k.unit_id, k.nomor) for k in rows} == {(u, n) for u in head_units for n in result.plan.completed}
        org = {(k.unit_id, k.nomor): k for k in rows}
        kode = {u.id: u.kode for u in s.scalars(select(UnitKerja))}
        assert {kode[u]: k.predikat.value for (u, n), k in org.items() if n == 1} == {"BBKK": "Baik",
                                                                                       "ADUM": "Istimewa"}
        mapping = {label: settings.get(key, s) for label, key in (
            ("Istimewa", "rating_org_istimewa"), ("Baik", "rating_org_baik"),
            ("Butuh Perbaikan", "rating_org_butuh_perbaikan"), ("Kurang", "rating_org_kurang"),
            ("Sangat Kurang", "rating_org_sangat_kurang"))}
        heads = 0
        for ev in s.scalars(select(Evaluasi).where(Evaluasi.nomor.in_(result.plan.completed))):
            skp = s.get(Skp, ev.skp_id)
            head, unit_id = ec.is_unit_head(s, ev.pegawai_id, skp)
            if head:
                heads += 1
                ko = org[(unit_id, ev.nomor)]
                assert ev.predikat_organisasi.value == ko.predikat.value
                assert ev.rating_hasil_kerja.value == rules.rating_from_organisasi(ko.predikat.value, mapping).value
            else:
                assert ev.predikat_organisasi is None
        assert heads == 2 * len(result.plan.completed)
        for ko in rows:  # the distribution check holds or the override is justified
            if ko.override_alasan is None:
                counts = Counter(ev.predikat.value for ev in s.scalars(
                    select(Evaluasi).join(Skp, Skp.id == Evaluasi.skp_id).where(Evaluasi.nomor == ko.nomor,
                                                                                Skp.unit_id == ko.unit_id)))
                assert rules.check_distribution(ko.predikat.value, counts) == []


def _check_angka_kredit() -> None:
    """The conversion for every approved evaluation of a fungsional pegawai, plus two opening balances."""
    with read_session() as s:
        fungsional = set(s.scalars(select(Pegawai.id).join(Jabatan, Jabatan.id == Pegawai.jabatan_id)
                                   .where(Jabatan.jenis == JenisJabatan.FUNGSIONAL)))
        done = {ev.id: ev.pegawai_id for ev in s.scalars(select(Evaluasi).where(Evaluasi.status == S.DISETUJUI))}
        ak = s.scalars(select(AngkaKredit)).all()
        converted = {a.evaluasi_id for a in ak if a.evaluasi_id is not None}
        assert converted == {e for e, p in done.items() if p in fungsional} and len(converted) >= 20
        assert all(a.nilai >= 0 and done[a.evaluasi_id] == a.pegawai_id for a in ak if a.evaluasi_id is not None)
        saldo = [a for a in ak if a.jenis == JenisAngkaKredit.SALDO_AWAL]
        assert len(saldo) == 2 and all(a.pegawai_id in fungsional and a.evaluasi_id is None for a in saldo)


def test_last_ended_quarter_gives_every_reviewer_work(loaded):
    result, people = loaded
    last, current = result.plan.last, result.plan.current
    roman = periods.ROMAN
    with read_session() as s:
        pid = {k: s.scalar(select(Pegawai.id).where(Pegawai.nip == nip)) for k, nip in people.items()}
        q = s.scalars(select(Evaluasi).where(Evaluasi.nomor == last)).all()
        assert {ev.pegawai_id for ev in q} == _approved_pegawai(s)
        status = Counter(ev.status for ev in q)
        assert status[S.DRAFT] >= 2 and status[S.DIAJUKAN] >= 3 and status[S.DINILAI] >= 1
        assert status[S.DISETUJUI] * 2 > len(q)
        state = {ev.pegawai_id: ev for ev in q}
        for key, st in demo_evaluasi.STATE_LAST.items():
            expected = {demo_evaluasi.DRAFT: S.DRAFT, demo_evaluasi.SEBAGIAN: S.DRAFT,
                        demo_evaluasi.DINILAI: S.DINILAI}.get(st, S.DIAJUKAN)
            assert state[pid[key]].status == expected, key
        for ev in q:
            assert ev.rencana_aksi and ev.rencana_aksi_at
            assert (ev.submitted_at is None) == (ev.status == S.DRAFT)
            if ev.status == S.DISETUJUI:
                _check_complete(s, ev)
        partial = state[pid["epid_pertama"]]
        filled = [ra.realisasi is not None for ra in partial.rencana_aksi]
        assert any(filled) and not all(filled)
        to_rate = [ev for ev in q if ev.status == S.DIAJUKAN and ev.pejabat_penilai_id == pid["kasubbag"]]
        assert len(to_rate) >= 2 and all(len(ec.missing_feedback(ev)) == len(ev.hasil) + 7 for ev in to_rate)
        assert any(ev.pertimbangan_at is None and ev.pemberi_pertimbangan_id for ev in to_rate)
        assert any(ev.pertimbangan_at is not None for ev in to_rate)
        assert all(ev.atasan_penilai_id == pid["kepala"] and ev.predikat for ev in q if ev.status == S.DINILAI)
        # the browser-test pegawai: one rencana aksi per RHK, realisasi still empty
        e2e = state[pid[demo_evaluasi.E2E_PEGAWAI_KEY]]
        assert e2e.status == S.DRAFT and all(ra.realisasi is None for ra in e2e.rencana_aksi)
        assert sorted(ra.rhk_id for ra in e2e.rencana_aksi) == sorted(h.rhk_id for h in e2e.hasil)
        assert not any(h.realisasi for h in e2e.hasil)
        assert e2e.pemberi_pertimbangan_id and e2e.pejabat_penilai_id == pid["kasubbag"]
        assert e2e.atasan_penilai_id == pid["kepala"]
        # the current quarter: draft rencana aksi for everyone but NO_PLAN_CURRENT
        cur = s.scalars(select(Evaluasi).where(Evaluasi.nomor == current)).all()
        assert all(ev.status == S.DRAFT and ev.rencana_aksi and ev.submitted_at is None for ev in cur)
        assert {ev.pegawai_id for ev in cur} == _approved_pegawai(s) - {pid[k] for k in
                                                                        demo_evaluasi.NO_PLAN_CURRENT}
    accounts = {a["username"]: a for a in demo.demo_accounts(SYSTEM)}
    assert accounts[people[demo_evaluasi.E2E_PEGAWAI_KEY]]["roles"] == ["pegawai"]
    # Beranda on the generator's today: the reviewers' queues, the pegawai's open steps, few late steps
    today = result.today
    titles = {t.judul for t in beranda.my_tasks(auth.load_actor(people["kasubbag"]), today=today)}
    assert f"Nilai {len(to_rate)} evaluasi kinerja bawahan" in titles
    kepala = beranda.my_tasks(auth.load_actor(people["kepala"]), today=today)
    assert f"Setujui {status[S.DINILAI]} penilaian kinerja" in {t.judul for t in kepala}
    late = [t for t in kepala if t.judul.endswith("langkah evaluasi bawahan Anda terlambat")]
    assert len(late) == 1 and int(late[0].judul.split()[0]) <= 15
    titles = {t.judul for t in beranda.my_tasks(auth.load_actor(people[demo_evaluasi.E2E_PEGAWAI_KEY]), today=today)}
    assert titles >= {f"Isi dan ajukan realisasi Triwulan {roman[last - 1]} {result.tahun}"}
    assert not any(f"Triwulan {roman[n - 1]} {result.tahun}" in t for t in titles for n in result.plan.completed)
    titles = {t.judul for t in beranda.my_tasks(auth.load_actor(people["pp_blw"]), today=today)}
    assert f"Susun rencana aksi Triwulan {roman[current - 1]} {result.tahun}" in titles
