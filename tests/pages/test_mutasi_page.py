"""The Mutasi form on the Pegawai page records a transfer and splits the running SKP."""

import datetime as dt

import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import Pegawai, Skp
from services import skp
from services.core import clock
from tests import skp_factories as f
from tests.pages.helpers import page, texts


@pytest.fixture
def after_new_year():
    """On 1 January the running SKP segment starts today and a transfer that day is refused (it would leave an
    empty segment): the test then runs on 2 January."""
    today = clock.today()
    if (today.month, today.day) != (1, 1):
        yield
        return
    with clock.frozen(dt.datetime(today.year, 1, 2, 10, 0)):
        yield


def test_admin_records_a_transfer(after_new_year, sqlite_org):
    org = sqlite_org
    m = f.kasub_skp(org, f.kepala_skp(org).rhk)
    sid = f.staff_skp(org, "staf", m.rhk[0])
    skp.approve(org.actors.kasub, sid)
    at = page("sdm_pegawai.py", org.usernames["admin"]).run()
    assert not at.exception, at.exception
    at.selectbox(key="mutasi_pegawai").set_value(org.pegawai["staf"]).run()
    jab = next(sb for sb in at.selectbox if sb.label == "Jabatan baru")
    jab.set_value(org.jabatan["epid"])
    next(sb for sb in at.selectbox if sb.label == "Unit baru").set_value(org.units["root"])
    next(b for b in at.button if b.label == "Catat mutasi").click().run()
    assert not at.exception, at.exception
    assert "Mutasi Andi Wijaya dicatat" in texts(at)
    with read_session() as s:
        assert s.get(Pegawai, org.pegawai["staf"]).jabatan_id == org.jabatan["epid"]
        segs = s.scalars(select(Skp).where(Skp.pegawai_id == org.pegawai["staf"]).order_by(Skp.segment_no)).all()
        assert [k.segment_no for k in segs] == [1, 2]
        assert segs[0].tanggal_selesai == clock.today() - dt.timedelta(days=1)
