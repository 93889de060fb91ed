"""Demo evaluations (services/demo_evaluasi.py): a complete Triwulan I with every predikat, organisational
predikat for the units with a head, angka kredit for fungsional pegawai, and Triwulan II in earlier states for
the reviewer pages and the browser walk-through."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import or_, select

from db.engine import read_session
from db.models import AuditLog, Jabatan, JenisJabatan, Pegawai, UnitKerja
from db.models_evaluasi import (
    AngkaKredit,
    Evaluasi,
    JenisAngkaKredit,
    KinerjaOrganisasi,
    PredikatKinerja,
    StatusEvaluasi,
)
from db.models_skp import Skp, StatusSkp
from services import auth, beranda, demo, demo_evaluasi, rules, settings
from services import evaluasi_common as ec
from services.actor import SYSTEM

S = StatusEvaluasi


@pytest.fixture
def loaded(db):
    result = demo.load_demo(SYSTEM, with_logbook=False, with_evaluasi=True)  # the logbook is not needed here
    assert result.loaded and result.evaluasi > 0
    people = {r["key"]: r["nip"] for r in demo.roster()}
    return result, people


def _approved_pegawai(s) -> set[int]:
    return set(s.scalars(select(Skp.pegawai_id).where(or_(Skp.status == StatusSkp.DISETUJUI, Skp.version_no > 1))))


def test_first_quarter_complete_with_organisational_predikat_and_angka_kredit(loaded):
    """One load for three checks (the demo load is the slow part)."""
    _check_first_quarter(loaded)
    _check_unit_heads(loaded)
    _check_angka_kredit()


def _check_first_quarter(loaded) -> None:
    """Every pegawai with an approved SKP has an approved Triwulan I; all five predikat, mostly Baik."""
    result, people = loaded
    with read_session() as s:
        approved = _approved_pegawai(s)
        q1 = s.scalars(select(Evaluasi).where(Evaluasi.nomor == 1)).all()
        assert {ev.pegawai_id for ev in q1} == approved and len(q1) == len(approved) == 19
        predikat = Counter()
        for ev in q1:
            assert ev.status == S.DISETUJUI and ev.kode == f"{result.tahun}-T1"
            assert ev.rencana_aksi_at and ev.submitted_at and ev.dinilai_at and ev.disetujui_at
            assert ev.dinilai_by_username and ev.disetujui_by_username and ev.catatan_atasan and ev.rekomendasi
            assert ev.rencana_aksi_at <= ev.submitted_at <= ev.dinilai_at <= ev.disetujui_at  # clamped to now
            assert ev.predikat.value == rules.predikat(ev.rating_hasil_kerja, ev.rating_perilaku_kerja).value
            assert ev.predikat_alasan == rules.predikat_reason(ev.rating_hasil_kerja, ev.rating_perilaku_kerja)
            predikat[ev.predikat] += 1
            # umpan balik complete; every RHK has one or two rencana aksi with realisasi and bukti dukung
            assert ec.missing_feedback(ev) == []
            per_rhk = Counter(ra.rhk_id for ra in ev.rencana_aksi)
            assert set(per_rhk) == {h.rhk_id for h in ev.hasil} and set(per_rhk.values()) <= {1, 2}
            assert all(ra.realisasi is not None and ra.realisasi_uraian and ra.bukti_dukung
                       for ra in ev.rencana_aksi)
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
        assert set(predikat) == set(PredikatKinerja)
        assert predikat.most_common(1)[0][0] == PredikatKinerja.BAIK
        assert predikat[PredikatKinerja.BAIK] * 2 > len(q1)
        assert set(s.scalars(select(AuditLog.action).where(AuditLog.entity == "Evaluasi"))) == {"demo_data"}


def _check_unit_heads(loaded) -> None:
    """KinerjaOrganisasi for every unit with a head; the heads' Rating Hasil Kerja follows from it."""
    with read_session() as s:
        head_units = set(s.scalars(select(Jabatan.unit_id).where(Jabatan.pimpinan_unit.is_(True))))
        rows = s.scalars(select(KinerjaOrganisasi)).all()
        assert {k.unit_id for k in rows} == head_units and {k.nomor for k in rows} == {1}
        org = {k.unit_id: k for k in rows}
        kode = {u.id: u.kode for u in s.scalars(select(UnitKerja))}
        assert {kode[u]: k.predikat.value for u, k in org.items()} == {"BBKK": "Baik", "ADUM": "Istimewa"}
        mapping = {label: settings.get(key, s) for label, key in (
            ("Istimewa", "rating_org_istimewa"), ("Baik", "rating_org_baik"),
            ("Butuh Perbaikan", "rating_org_butuh_perbaikan"), ("Kurang", "rating_org_kurang"),
            ("Sangat Kurang", "rating_org_sangat_kurang"))}
        heads = 0
        for ev in s.scalars(select(Evaluasi).where(Evaluasi.nomor == 1)):
            skp = s.get(Skp, ev.skp_id)
            head, unit_id = ec.is_unit_head(s, ev.pegawai_id, skp)
            if head:
                heads += 1
                ko = org[unit_id]
                assert ev.predikat_organisasi.value == ko.predikat.value
                assert ev.rating_hasil_kerja.value == rules.rating_from_organisasi(ko.predikat.value, mapping).value
            else:
                assert ev.predikat_organisasi is None
        assert heads == 2
        for ko in rows:  # the distribution check holds or the override is justified
            if ko.override_alasan is None:
                counts = Counter(ev.predikat.value for ev in s.scalars(
                    select(Evaluasi).join(Skp, Skp.id == Evaluasi.skp_id).where(Evaluasi.nomor == 1,
                                                                                Skp.unit_id == ko.unit_id)))
                assert rules.check_distribution(ko.predikat.value, counts) == []


def _check_angka_kredit() -> None:
    """The conversion for every fungsional pegawai with an approved Triwulan I, plus two opening balances."""
    with read_session() as s:
        fungsional = set(s.scalars(select(Pegawai.id).join(Jabatan, Jabatan.id == Pegawai.jabatan_id)
                                   .where(Jabatan.jenis == JenisJabatan.FUNGSIONAL)))
        q1 = {ev.id: ev.pegawai_id for ev in s.scalars(select(Evaluasi).where(Evaluasi.nomor == 1))}
        ak = s.scalars(select(AngkaKredit)).all()
        converted = {a.pegawai_id for a in ak if a.evaluasi_id is not None}
        assert converted == {p for p in q1.values() if p in fungsional} and len(converted) >= 10
        assert all(a.nilai >= 0 and q1[a.evaluasi_id] == a.pegawai_id for a in ak if a.evaluasi_id is not None)
        saldo = [a for a in ak if a.jenis == JenisAngkaKredit.SALDO_AWAL]
        assert len(saldo) == 2 and all(a.pegawai_id in fungsional and a.evaluasi_id is None for a in saldo)


def test_second_quarter_gives_every_reviewer_work(loaded):
    result, people = loaded
    with read_session() as s:
        q2 = s.scalars(select(Evaluasi).where(Evaluasi.nomor == 2)).all()
        status = Counter(ev.status for ev in q2)
        assert status[S.DRAFT] >= 1 and status[S.DIAJUKAN] >= 2 and status[S.DINILAI] >= 1
        assert S.DISETUJUI not in status
        kasub = s.scalar(select(Pegawai.id).where(Pegawai.nip == people["kasubbag"]))
        kepala = s.scalar(select(Pegawai.id).where(Pegawai.nip == people["kepala"]))
        to_rate = [ev for ev in q2 if ev.status == S.DIAJUKAN and ev.pejabat_penilai_id == kasub]
        assert len(to_rate) >= 2 and all(len(ec.missing_feedback(ev)) == len(ev.hasil) + 7 for ev in to_rate)
        assert any(ev.pertimbangan_at is None and ev.pemberi_pertimbangan_id for ev in to_rate)
        assert any(ev.pertimbangan_at is not None for ev in to_rate)
        assert all(ev.atasan_penilai_id == kepala and ev.predikat for ev in q2 if ev.status == S.DINILAI)
        for ev in q2:
            assert ev.rencana_aksi and ev.rencana_aksi_at
            assert (ev.submitted_at is None) == (ev.status == S.DRAFT)
        e2e_id = s.scalar(select(Pegawai.id).where(Pegawai.nip == people[demo_evaluasi.E2E_PEGAWAI_KEY]))
        (e2e,) = [ev for ev in q2 if ev.pegawai_id == e2e_id]
        assert e2e.status == S.DRAFT and all(ra.realisasi is None for ra in e2e.rencana_aksi)
        assert e2e.pemberi_pertimbangan_id and e2e.pejabat_penilai_id == kasub and e2e.atasan_penilai_id == kepala
    accounts = {a["username"]: a for a in demo.demo_accounts(SYSTEM)}
    assert accounts[people[demo_evaluasi.E2E_PEGAWAI_KEY]]["roles"] == ["pegawai"]
    # Beranda of the reviewers shows the queues (after the quarter's deadlines)
    today = dt.date(result.tahun, 7, 10)
    titles = {t.judul for t in beranda.my_tasks(auth.load_actor(people["kasubbag"]), today=today)}
    assert f"Nilai {len(to_rate)} evaluasi kinerja bawahan" in titles
    titles = {t.judul for t in beranda.my_tasks(auth.load_actor(people["kepala"]), today=today)}
    assert f"Setujui {status[S.DINILAI]} penilaian kinerja" in titles
    titles = {t.judul for t in beranda.my_tasks(auth.load_actor(people[demo_evaluasi.E2E_PEGAWAI_KEY]), today=today)}
    assert f"Isi dan ajukan realisasi Triwulan II {result.tahun}" in titles
