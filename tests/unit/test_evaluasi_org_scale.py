"""Predikat & Distribusi at scale (services/evaluasi/organisasi.py): the counts aggregated in SQL per unit (one
row per unit, predikat and status over each pegawai's last SKP segment) and the pegawai list read in SQL (the
actor's visibility, the order by full name and id, one page at a time) equal the reference that read every
evaluation of the period into Python (tests/evaluasi_org_reference.py) on a generated organisation: several
segments, pegawai without a unit or jabatan on the segment, duplicate names, gelar, every status, units with and
without an organisational predikat, for every role, unit and slot (SQLite and PostgreSQL). The queue of
Persetujuan Penilaian reads the unit heads' organisational ratings in one query, with the per-unit result."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from sqlalchemy import select

from db.models import Jabatan, JenisASN, JenisEvaluasi, Pegawai, PredikatKinerja, Skp, StatusEvaluasi
from services.core.actor import SYSTEM
from services.core.errors import NotFound
from services.core.uow import unit_of_work
from services.evaluasi import common as evaluasi_common
from services.evaluasi import organisasi as ko
from tests import evaluasi_factories as ef
from tests.evaluasi_org_reference import reference_distribution, reference_overview
from tests.logbook_factories import ORG_YEAR, d
from tests.skp_factories import period_id
from tests.unit.test_evaluasi_monitor_scale import _copy_segment, _varied

S = StatusEvaluasi
NAMES = ["Andi Wijaya", "Rina Marlina", "Andi Wijaya", "Bambang Sutrisno", "Citra Lestari", "agus salim",
         "Zainal Abidin", "Rina Marlina"]


@pytest.fixture
def generated(db):
    """The factory office with the placement cases of the monitor test, annual evaluations, and 16 generated
    pegawai (duplicate names, gelar, some without jabatan on the segment) with periodic and annual evaluations
    in every status, spread over the units; organisational predikat on some units."""
    from tests.factories import build_org

    org = build_org(ORG_YEAR)
    ef.annual_set(org)
    units = _varied(org)
    rnd = random.Random(20260)
    statuses = [S.DRAFT, S.DIAJUKAN, S.DINILAI, S.DISETUJUI, S.DIKEMBALIKAN]
    preds = list(PredikatKinerja)
    with unit_of_work(SYSTEM) as s:
        src = s.scalar(select(Skp).where(Skp.pegawai_id == org.pegawai["staf"], Skp.segment_no == 1))
        jabatan = s.scalar(select(Jabatan.id).order_by(Jabatan.id))
        skps = []
        for i in range(16):
            unit = rnd.choice(list(units.values()))
            peg = Pegawai(nip=f"19900101201501{i:04d}", nama=NAMES[i % len(NAMES)], unit_id=unit,
                          jabatan_id=jabatan if i % 5 else None, golongan="III/a", jenis_asn=JenisASN.PNS,
                          gelar_depan=rnd.choice([None, "", "dr.", "Ir."]),
                          gelar_belakang=rnd.choice([None, "", "S.E.", "M.Si."]))
            s.add(peg)
            s.flush()
            first = _copy_segment(s, src, pegawai_id=peg.id, unit_id=rnd.choice([None, *units.values()]),
                                  jabatan_id=rnd.choice([None, jabatan]), tanggal_selesai=d(6, 30))
            skps.append(first)
            if i % 3 == 0:  # a second segment elsewhere: the last one counts
                skps.append(_copy_segment(s, src, pegawai_id=peg.id, segment_no=2, tanggal_mulai=d(7, 1),
                                          unit_id=rnd.choice(list(units.values())), jabatan_id=jabatan))
        for skp in skps:
            for jenis, nomor in ((JenisEvaluasi.TAHUNAN, 0), (JenisEvaluasi.PERIODIK, 1),
                                 (JenisEvaluasi.PERIODIK, 2), (JenisEvaluasi.PERIODIK, 3)):
                if rnd.random() < 0.15:
                    continue
                try:
                    ev = evaluasi_common.get_or_create(s, skp, jenis, nomor, today=d(12, 31))
                except NotFound:  # the sub-period lies outside this segment
                    continue
                ev.status = rnd.choice(statuses)
                ev.predikat = rnd.choice([None, *preds])
                ev.pejabat_penilai_id = rnd.choice([None, org.pegawai["kasub"], org.pegawai["kepala"]])
                ev.atasan_penilai_id = rnd.choice([None, org.pegawai["kepala"], org.pegawai["ketua"]])
    pid = period_id(org)
    for unit, pred in ((units["adum"], "Baik"), (units["lain"], "Sangat Kurang"), (units["sub"], "Istimewa")):
        for nomor in (0, 1):
            ko.set_predikat_organisasi(org.actors.kepala, unit, pid, nomor, pred)
    return org, units


def _plain(df: pd.DataFrame) -> list[list]:
    """The values (None for any missing value: a page whose column is all None keeps object dtype)."""
    return [[None if pd.isna(v) else v for v in row] for row in df.itertuples(index=False)]


def _same_view(new: ko.DistribusiView, old: ko.DistribusiView) -> None:
    skip = {"pegawai", "jumlah_terlihat"}
    assert {k: v for k, v in vars(new).items() if k not in skip} == {k: v for k, v in vars(old).items()
                                                                    if k not in skip}
    pd.testing.assert_frame_equal(new.pegawai, old.pegawai)
    assert new.jumlah_terlihat == len(old.pegawai)


def test_sql_counts_and_paged_people_equal_the_python_reference(generated):
    org, units = generated
    pid = period_id(org)
    a = org.actors
    seen_hidden = seen_rows = 0
    for actor in (a.admin, a.kepala, a.ketua, a.kasub):
        for nomor in (0, 1, 2, 3):
            pd.testing.assert_frame_equal(ko.units_overview(actor, pid, nomor), reference_overview(actor, pid, nomor))
            for unit in units.values():
                old = reference_distribution(actor, unit, pid, nomor)
                _same_view(ko.distribution(actor, unit, pid, nomor), old)
                head = ko.distribution(actor, unit, pid, nomor, people_limit=0)
                assert head.pegawai.empty and head.jumlah_terlihat == len(old.pegawai)
                assert head.nama_disembunyikan == old.nama_disembunyikan
                pages = [ko.distribution_people(actor, unit, pid, nomor, o, 4) for o in range(0, len(old.pegawai) + 4, 4)]
                assert pages[-1].empty and len(pages[-1].columns) == 6
                full = [p for p in pages if not p.empty]
                if full:
                    assert _plain(pd.concat(full, ignore_index=True)) == _plain(old.pegawai)
                seen_hidden += old.nama_disembunyikan
                seen_rows += len(old.pegawai)
    assert seen_hidden and seen_rows > 100  # the cases above happened: hidden names and many rows


def test_organisational_ratings_in_one_query_equal_the_single_reads(generated):
    org, units = generated
    pid = period_id(org)
    keys = {(u, pid, n) for u in units.values() for n in (0, 1, 2)}
    with unit_of_work(SYSTEM) as s:
        many = ko.organisational_ratings(s, keys)
        assert many == {k: ko.organisational_rating(s, *k) for k in keys}
        assert sum(v != (None, None) for v in many.values()) == 6
        assert ko.organisational_ratings(s, set()) == {}
