"""Mutasi (transfer): new position and SKP segment split in one transaction; silent changes refused."""

import datetime as dt

import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import AuditLog, Pegawai, Skp
from services import skp
from services.core import clock
from services.core.errors import FieldError, PermissionDenied, ValidationFailed
from services.org import people
from services.skp import mutasi
from tests import skp_factories as f


def _segments(pegawai_id):
    with read_session() as s:
        return [(k.segment_no, k.tanggal_mulai, k.tanggal_selesai, k.jabatan_id)
                for k in s.scalars(select(Skp).where(Skp.pegawai_id == pegawai_id).order_by(Skp.segment_no))]


@pytest.fixture
def with_skp(org):
    m = f.kasub_skp(org, f.kepala_skp(org).rhk)
    sid = f.staff_skp(org, "staf", m.rhk[0])
    skp.approve(org.actors.kasub, sid)
    return org, sid


def test_transfer_splits_the_skp_and_moves_the_pegawai(with_skp):
    org, sid = with_skp
    on = dt.date(org.year, 7, 1)
    res = mutasi.transfer(org.actors.admin, org.pegawai["staf"], jabatan_id=org.jabatan["epid"],
                          unit_id=org.units["root"], effective_date=on, today=dt.date(org.year, 7, 2))
    segs = _segments(org.pegawai["staf"])
    assert [(n, a, b) for n, a, b, _ in segs] == [
        (1, dt.date(org.year, 1, 1), dt.date(org.year, 6, 30)),
        (2, on, dt.date(org.year, 12, 31)),
    ]
    assert segs[0][3] == org.jabatan["staf"] and segs[1][3] == org.jabatan["epid"]
    assert res.new_skp_id is not None and "Segmen SKP lama berakhir 30 Juni" in res.pesan
    assert skp.skp_detail(org.actors.staf, sid).status == "DISETUJUI"  # the old segment stays readable
    with read_session() as s:
        p = s.get(Pegawai, org.pegawai["staf"])
        assert (p.jabatan_id, p.unit_id) == (org.jabatan["epid"], org.units["root"])
        assert s.scalar(select(AuditLog.id).where(AuditLog.action == "mutasi_pegawai")) is not None


def test_transfer_without_skp_only_moves(org):
    res = mutasi.transfer(org.actors.admin, org.pegawai["pppk"], jabatan_id=org.jabatan["epid"],
                          unit_id=org.units["root"], effective_date=clock.today())
    assert res.new_skp_id is None and _segments(org.pegawai["pppk"]) == []


def test_transfer_refusals(with_skp):
    org, _ = with_skp
    with pytest.raises(PermissionDenied):
        mutasi.transfer(org.actors.kasub, org.pegawai["staf"], jabatan_id=org.jabatan["epid"],
                        unit_id=org.units["root"], effective_date=clock.today())
    with pytest.raises(ValidationFailed) as e:
        mutasi.transfer(org.actors.admin, org.pegawai["staf"], jabatan_id=org.jabatan["staf"],
                        unit_id=org.units["adum"], effective_date=clock.today() + dt.timedelta(days=3))
    fields = {x.field for x in e.value.errors}
    assert fields == {"Tanggal berlaku", "Jabatan baru"}
    with pytest.raises(ValidationFailed) as e:  # the segment starts on that very day
        mutasi.transfer(org.actors.admin, org.pegawai["staf"], jabatan_id=org.jabatan["epid"],
                        unit_id=org.units["root"], effective_date=dt.date(org.year, 1, 1),
                        today=dt.date(org.year, 3, 1))
    assert e.value.errors[0].field == "Tanggal berlaku"
    assert len(_segments(org.pegawai["staf"])) == 1  # nothing written


def test_grid_refuses_silent_position_change_when_skp_runs(with_skp):
    org, _ = with_skp
    df = people.pegawai_df(org.actors.admin)
    row = df[df["id"] == org.pegawai["staf"]].iloc[0].to_dict()
    row["jabatan"] = df[df["id"] == org.pegawai["staf2"]].iloc[0]["jabatan"]
    row["_row"] = 3
    with pytest.raises(ValidationFailed) as e:
        people.save_pegawai(org.actors.admin, [row], [])
    assert FieldError(3, "Jabatan", e.value.errors[0].message) in e.value.errors
    assert "Mutasi" in e.value.errors[0].message


def test_options_limited_to_the_rows_shown(org):
    every = mutasi.options(org.actors.admin)
    assert {pid for pid, _ in every.pegawai} >= {org.pegawai["staf"], org.pegawai["staf2"]}
    some = mutasi.options(org.actors.admin, [org.pegawai["staf"]])
    assert [pid for pid, _ in some.pegawai] == [org.pegawai["staf"]] and set(some.current) == {org.pegawai["staf"]}
    assert some.jabatan == every.jabatan and some.unit == every.unit
    assert mutasi.options(org.actors.admin, []).pegawai == []
