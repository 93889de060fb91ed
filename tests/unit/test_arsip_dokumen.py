"""Arsip Dokumen: the register (who archived which signed SKP / evaluation, missing flagged, filters), uploads by
the pejabat penilai and the atasan for their people, the refusal of an Admin SDM uploading for another
satker's pegawai, the ZIP download and the PDM export (names by NIP and period + index CSV) - SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import AuditLog, Pegawai, Role, UnitKerja, User, UserRole
from services.auth import login as auth
from services.core.actor import SYSTEM
from services.core.errors import PermissionDenied
from services.core.uow import unit_of_work
from services.evaluasi import arsip
from tests import evaluasi_factories as ef
from tests.factories import build_org

PDF = b"%PDF-1.4\n% test scan\n%%EOF\n"


@pytest.fixture
def ctx(db):
    org = build_org(2026)
    ef.setup(org)  # approved SKPs of kepala, kasub, staf, staf2
    evs = {"staf": ef.make_ev(org, "staf", "Baik"), "staf2": ef.make_ev(org, "staf2", "Baik")}
    return org, evs


def _key(df, nama_part: str, dokumen: str) -> str:
    row = df[df["nama"].str.contains(nama_part) & df["dokumen"].str.startswith(dokumen)]
    return str(row["kunci"].iloc[0])


def test_register_uploads_by_penilai_and_atasan_zip_and_pdm(ctx):
    org, evs = ctx
    a = org.actors
    reg = arsip.register(a.admin, 2026)
    staf_skp, staf_ev = _key(reg, "Andi", "SKP"), f"EV:{evs['staf']}"
    assert set(reg.loc[reg["kunci"].isin([staf_skp, staf_ev]), "keterangan"]) == {arsip.BELUM}
    assert not reg["diarsipkan"].any()
    # the pejabat penilai archives the SKP, the atasan the evaluation of the same pegawai
    arsip.upload(a.kasub, staf_skp, "skp andi.pdf", PDF)
    arsip.upload(a.kepala, staf_ev, "evaluasi.pdf", PDF)
    reg = arsip.register(a.admin, 2026)
    done = reg[reg["kunci"].isin([staf_skp, staf_ev])]
    assert done["diarsipkan"].all() and set(done["diunggah_oleh"]) == {org.usernames["kasub"], org.usernames["kepala"]}
    missing = arsip.register(a.admin, 2026, hanya_belum=True)
    assert staf_skp not in set(missing["kunci"]) and f"EV:{evs['staf2']}" in set(missing["kunci"])
    assert set(arsip.register(a.admin, 2026, jenis="SKP")["dokumen"]) == {"SKP"}
    assert set(arsip.register(a.admin, 2026, unit="Subbagian Administrasi Umum")["unit"]) == {
        "Subbagian Administrasi Umum"}
    # the penilai sees his people only, never himself
    mine = arsip.register(a.kasub, 2026)
    assert org.pegawai["kasub"] not in set(mine["pegawai_id"]) and org.pegawai["staf"] in set(mine["pegawai_id"])
    with pytest.raises(PermissionDenied):
        arsip.register(a.pppk, 2026)
    # the pegawai next to him may not upload for a colleague
    with pytest.raises(PermissionDenied):
        arsip.upload(a.staf2, f"EV:{evs['staf']}", "x.pdf", PDF)

    data = arsip.zip_selected(a.kasub, 2026, [staf_skp])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist() == ["199003032015031003_SKP_2026.pdf", "indeks.csv"]
    with pytest.raises(PermissionDenied):
        arsip.zip_selected(a.kasub, 2026, [_key(reg, "Budi", "SKP")])  # his own SKP: not in his register

    data = arsip.pdm_export(a.admin, 2026)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = sorted(z.namelist())
        index = list(csv.DictReader(io.StringIO(z.read("indeks.csv").decode("utf-8-sig")), delimiter=";"))
        assert z.read("199003032015031003_SKP_2026.pdf") == PDF
    assert len(names) == 3 and "199003032015031003_SKP_2026.pdf" in names and "indeks.csv" in names
    assert any(n.startswith("199003032015031003_EVALUASI_2026") for n in names)
    assert {r["nip"] for r in index} == {"199003032015031003"} and len(index) == 2
    with pytest.raises(PermissionDenied):
        arsip.pdm_export(a.kasub, 2026)
    with read_session() as s:
        notes = s.scalars(select(AuditLog.note).where(AuditLog.entity == "ArsipDokumen")).all()
    assert any("PDM" in (n or "") for n in notes) and len(notes) == 2


def test_admin_sdm_of_another_satker_may_not_upload(ctx):
    org, evs = ctx
    with unit_of_work(SYSTEM) as s:
        loka = UnitKerja(kode="LOKA", nama="Loka Uji Kinerja")
        s.add(loka)
        s.flush()
        p = s.get(Pegawai, org.pegawai["pppk"])
        p.unit_id = loka.id  # the pppk now works at the loka: another satker
        s.flush()
        u = s.scalar(select(User).where(User.username == org.usernames["pppk"]))
        u.roles = [*u.roles, UserRole(role=Role.ADMIN_SDM)]
        u.must_change_password = False
    sdm_loka = auth.load_actor(org.usernames["pppk"])
    reg = arsip.register(org.actors.admin, 2026)
    with pytest.raises(PermissionDenied, match="satuan kerja lain"):
        arsip.upload(sdm_loka, _key(reg, "Andi", "SKP"), "skp.pdf", PDF)
    with pytest.raises(PermissionDenied, match="satuan kerja lain"):
        arsip.upload(sdm_loka, f"EV:{evs['staf']}", "ev.pdf", PDF)
    assert org.pegawai["staf"] not in set(arsip.register(sdm_loka, 2026)["pegawai_id"])
    assert not arsip.register(org.actors.admin, 2026)["diarsipkan"].any()
    # the installation's Admin SDM (no pegawai) archives for every satker
    arsip.upload(org.actors.admin, _key(reg, "Andi", "SKP"), "skp.pdf", PDF)
