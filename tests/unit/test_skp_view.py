"""services.skp_view: the pegawai's own SKP list (all periods and segments) and the SKP deadline."""

from __future__ import annotations

import datetime as dt

from services import skp
from services.core import settings
from services.skp import view as skp_view
from tests import skp_factories as f

PDF = b"%PDF-1.4\n%%EOF\n"


def test_my_skps_lists_only_own_skp_with_segments_and_documents(org):
    a = org.actors
    assert skp_view.my_skps(a.staf).empty
    assert skp_view.my_skps(a.admin).empty  # an account without pegawai data has no SKP
    k = f.kepala_skp(org)
    m = f.kasub_skp(org, k.rhk)
    sid = f.staff_skp(org, "staf", m.rhk[0])
    skp.approve(a.kasub, sid)
    skp.upload_signed_scan(a.staf, sid, "ttd.pdf", PDF)
    skp.upload_signed_scan(a.staf, sid, "ttd2.pdf", PDF)
    new = skp.close_segment_and_open_new(a.admin, org.pegawai["staf"], dt.date(org.year, 7, 1))
    df = skp_view.my_skps(a.staf)
    assert list(df.columns) == skp_view.MY_SKP_COLUMNS
    assert list(df["id"]) == [sid, new] and list(df["segmen"]) == [1, 2]
    assert list(df["status_label"]) == ["Disetujui", "Draft"] and list(df["dokumen"]) == [2, 0]
    assert df.iloc[0]["selesai"] == dt.date(org.year, 6, 30) and df.iloc[1]["mulai"] == dt.date(org.year, 7, 1)
    assert set(df["tahun"]) == {org.year} and set(df["format"]) == {"JA/JF"}
    assert df.iloc[0]["jabatan"] == "Penata Layanan Operasional"
    mine = skp_view.my_skps(a.kasub)
    assert list(mine["id"]) == [m.id] and list(mine["dokumen"]) == [0]


def test_tenggat_counts_days_to_the_configured_deadline(org):
    a = org.actors
    t = skp_view.tenggat(a.staf, 2025, today=dt.date(2025, 1, 21))
    assert t.batas == dt.date(2025, 1, 31) and t.sisa_hari == 10 and not t.lewat
    assert t.keterangan == "sisa 10 hari"
    assert skp_view.tenggat(a.staf, 2025, today=dt.date(2025, 1, 31)).keterangan == "hari ini batas terakhir"
    late = skp_view.tenggat(a.staf, 2025, today=dt.date(2025, 2, 3))
    assert late.lewat and late.keterangan == "terlambat 3 hari"
    settings.update_many(a.admin, {"skp_batas_penetapan": "15-02"})
    assert skp_view.tenggat(a.staf, 2025, today=dt.date(2025, 2, 3)).keterangan == "sisa 12 hari"
