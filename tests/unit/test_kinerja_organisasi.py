"""Organisational predikat, distribution over the unit subtree, override and the annual result
(services/kinerja_organisasi.py). The main path runs on SQLite and PostgreSQL; the rest on SQLite."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import (
    AuditLog,
    Evaluasi,
    JenisEvaluasi,
    KinerjaOrganisasi,
    PredikatKinerja,
    PredikatOrganisasiKinerja,
    RatingKinerja,
    StatusEvaluasi,
)
from services.core import settings
from services.core.actor import SYSTEM
from services.core.errors import Conflict, PermissionDenied, ServiceError, ValidationFailed
from services.core.uow import unit_of_work
from services.evaluasi import organisasi as ko
from tests import evaluasi_factories as ef
from tests.skp_factories import period_id

S = StatusEvaluasi
make_ev, annual_set = ef.make_ev, ef.annual_set
PDF = b"%PDF-1.4\n% penetapan\n"
DOK = {"nomor_penetapan": "KP.01/123/2026", "dokumen": ("penetapan.pdf", PDF)}
ALASAN = "Unit menangani tanggap darurat sepanjang tahun dengan kinerja di atas target."


def set_predikat(evaluasi_id: int, predikat: str) -> None:
    with unit_of_work(SYSTEM) as s:
        s.get(Evaluasi, evaluasi_id).predikat = PredikatKinerja(predikat)


def audit_rows(action: str) -> list[AuditLog]:
    with read_session() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)).all()
        for r in rows:
            s.expunge(r)
        return rows


def test_main_path_set_distribution_override(org):
    evs = annual_set(org)
    a, pid, root, adum = org.actors, period_id(org), org.units["root"], org.units["adum"]

    row_id = ko.set_predikat_organisasi(a.admin, root, pid, 0, "Butuh Perbaikan", catatan="Capaian PK 78%", **DOK)
    with read_session() as s:
        assert ko.organisational_rating(s, root, pid, 0) == (PredikatOrganisasiKinerja.BUTUH_PERBAIKAN,
                                                             RatingKinerja.DI_BAWAH)
        assert ko.organisational_rating(s, adum, pid, 0) == (None, None)  # not inherited from the parent
        assert s.get(KinerjaOrganisasi, row_id).ditetapkan_by_username == a.admin.username
    assert ko.penetapan_document(a.kepala, root, pid, 0) == ("penetapan.pdf", PDF)
    [audit] = [r for r in audit_rows("tetapkan_predikat_organisasi") if r.entity == "KinerjaOrganisasi"
               and r.after]
    assert audit.after["predikat"] == "Butuh Perbaikan" and audit.after["nomor_penetapan"] == "KP.01/123/2026"

    ov = ko.units_overview(a.kepala, pid)
    assert list(ov["kode"]) == ["BUK", "ADUM"] and list(ov["level"]) == [0, 1]
    r0, r1 = ov.iloc[0], ov.iloc[1]
    assert (r0["jumlah_evaluasi"], r0["jumlah_dinilai"]) == (4, 3)
    assert (r0["Sangat Baik"], r0["Baik"], r0["Butuh Perbaikan"]) == (1, 1, 1)
    assert r0["pelanggaran"] == 2 and r0["override"] is None
    assert (r1["jumlah_evaluasi"], r1["Baik"], r1["Butuh Perbaikan"], r1["Sangat Baik"]) == (2, 1, 1, 0)
    assert r1["distribusi"] == "Predikat organisasi belum ditetapkan"

    view = ko.distribution(a.kepala, root, pid)
    assert view.total == 3 and view.shares["Sangat Baik"] == Decimal("33.33")
    assert len(view.violations) == 2 and view.can_override
    assert view.allowed["Butuh Perbaikan"][0] == 60 and view.allowed["Sangat Baik"][1] == 10
    assert sorted(view.pegawai["nama"]) == ["Andi Wijaya", "Budi Santoso, S.E.", "Dewi Lestari, S.Si.",
                                            "dr. Ratna Hapsari, M.K.M."]
    chart = ko.calibration_chart_data(view)
    assert list(chart["predikat"]) == ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik",
                                       "Sangat Baik"]
    assert chart.set_index("predikat").loc["Butuh Perbaikan", "min"] == 60

    ko.override_distribution(a.kepala, root, pid, 0, ALASAN)
    assert ko.units_overview(a.kepala, pid).iloc[0]["override"] == ko.OVERRIDE_OK
    [ov_audit] = [r for r in audit_rows("override_distribusi") if r.entity == "KinerjaOrganisasi"]
    assert ov_audit.after["override_alasan"] == ALASAN

    set_predikat(evs["staf2"], "Butuh Perbaikan")  # the counts change after the justification
    assert ko.units_overview(a.kepala, pid).iloc[0]["override"] == ko.OVERRIDE_REVIEW
    assert ko.distribution(a.kepala, root, pid).override_status == ko.OVERRIDE_REVIEW


def test_permissions_to_set(sqlite_org):
    org = sqlite_org
    a, pid, root, adum = org.actors, period_id(org), org.units["root"], org.units["adum"]
    for who in ("staf", "staf2", "ketua"):
        with pytest.raises(PermissionDenied):
            ko.set_predikat_organisasi(getattr(a, who), adum, pid, 0, "Baik")
    for unit in (root, adum):  # kasub leads ADUM (its own unit) and has no unit below it
        with pytest.raises(PermissionDenied):
            ko.set_predikat_organisasi(a.kasub, unit, pid, 0, "Baik", **DOK)
    ko.set_predikat_organisasi(a.kepala, adum, pid, 0, "Baik")
    assert list(ko.units_overview(a.kasub, pid)["boleh_menetapkan"]) == [False, False]
    assert list(ko.units_overview(a.kepala, pid)["boleh_menetapkan"]) == [False, True]
    assert list(ko.units_overview(a.admin, pid)["boleh_menetapkan"]) == [True, True]
    with pytest.raises(PermissionDenied):
        ko.units_overview(a.staf, pid)
    assert not [r for r in audit_rows("tetapkan_predikat_organisasi") if r.entity == "KinerjaOrganisasi"
                and r.note]


def test_kepala_cannot_set_his_own_unit(org):
    """SE MenPANRB 3/2023: the root unit's predikat (which becomes the Kepala's own Rating Hasil Kerja) comes
    from the level above; the Kepala is refused even with the signed document."""
    a, pid, root = org.actors, period_id(org), org.units["root"]
    with pytest.raises(PermissionDenied, match="unit yang Anda pimpin sendiri"):
        ko.set_predikat_organisasi(a.kepala, root, pid, 0, "Istimewa", **DOK)
    assert not ko.distribution(a.kepala, root, pid).can_set
    with read_session() as s:
        assert ko.organisational_rating(s, root, pid, 0) == (None, None)


def test_root_recorded_by_sdm_or_perencana_with_document(org):
    a, pid, root = org.actors, period_id(org), org.units["root"]
    with pytest.raises(ValidationFailed, match="Dokumen penetapan") as e:
        ko.set_predikat_organisasi(a.admin, root, pid, 0, "Baik")
    assert "Nomor penetapan" in str(e.value.errors)
    with pytest.raises(ValidationFailed, match="bukan berkas PDF"):
        ko.set_predikat_organisasi(a.admin, root, pid, 0, "Baik", nomor_penetapan="X/1",
                                   dokumen=("a.pdf", b"not a pdf"))
    first = ko.set_predikat_organisasi(a.ketua, root, pid, 0, "Baik", **DOK)  # the Perencana
    assert ko.set_predikat_organisasi(a.admin, root, pid, 0, "Istimewa") == first  # keeps the stored document
    view = ko.distribution(a.admin, root, pid)
    assert view.root and view.predikat_organisasi == "Istimewa" and view.dokumen_nama == "penetapan.pdf"
    notes = [r.note for r in audit_rows("tetapkan_predikat_organisasi") if r.note]
    assert notes and all("penetapan" in n for n in notes)


def test_parent_head_may_set_for_child_unit(sqlite_org):
    """A unit below ADUM: its predikat is set by the head of ADUM (kasub) without any assigned role."""
    org = sqlite_org
    from db.models import UnitKerja

    with unit_of_work(SYSTEM) as s:
        child = UnitKerja(kode="ADUM-KEU", nama="Urusan Keuangan", parent_id=org.units["adum"])
        s.add(child)
        s.flush()
        child_id = child.id
    ko.set_predikat_organisasi(org.actors.kasub, child_id, period_id(org), 0, "Baik")
    assert ko.units_overview(org.actors.kasub, period_id(org)).set_index("kode").loc["ADUM-KEU", "boleh_menetapkan"]


def test_upsert_version_nomor_and_admin_on_behalf(sqlite_org):
    org = sqlite_org
    a, pid, adum = org.actors, period_id(org), org.units["adum"]
    first = ko.set_predikat_organisasi(a.kepala, adum, pid, 1, "Baik")
    view = ko.distribution(a.kepala, adum, pid, 1)
    assert view.periode_label.startswith("Triwulan I") and view.version == 1
    assert ko.set_predikat_organisasi(a.kepala, adum, pid, 1, "Kurang", expected_version=1) == first
    with pytest.raises(Conflict):
        ko.set_predikat_organisasi(a.kepala, adum, pid, 1, "Baik", expected_version=1)
    with pytest.raises(ValidationFailed, match="Sub-periode 5"):
        ko.set_predikat_organisasi(a.kepala, adum, pid, 5, "Baik")
    with pytest.raises(ValidationFailed, match="tidak dikenal"):
        ko.set_predikat_organisasi(a.kepala, adum, pid, 0, "Luar Biasa")
    ko.set_predikat_organisasi(a.admin, adum, pid, 0, "Cukup")  # alias of Butuh Perbaikan, recorded on behalf
    with read_session() as s:
        assert ko.organisational_rating(s, adum, pid, 1)[0] == PredikatOrganisasiKinerja.KURANG
        assert ko.organisational_rating(s, adum, pid, 0)[0] == PredikatOrganisasiKinerja.BUTUH_PERBAIKAN
        assert s.scalar(select(KinerjaOrganisasi.id).where(KinerjaOrganisasi.nomor == 1)) == first
    notes = [r.note for r in audit_rows("tetapkan_predikat_organisasi") if r.note]
    assert notes and "Admin SDM" in notes[0]


def test_rating_mapping_from_settings(sqlite_org):
    org = sqlite_org
    pid, adum = period_id(org), org.units["adum"]
    ko.set_predikat_organisasi(org.actors.kepala, adum, pid, 0, "Baik")
    settings.update_many(org.actors.admin, {"rating_org_baik": "Di Atas Ekspektasi"})
    with read_session() as s:
        assert ko.organisational_rating(s, adum, pid, 0)[1] == RatingKinerja.DI_ATAS


def test_override_refusals(sqlite_org):
    org = sqlite_org
    annual_set(org)
    a, pid, root, adum = org.actors, period_id(org), org.units["root"], org.units["adum"]
    with pytest.raises(ServiceError, match="belum ditetapkan"):
        ko.override_distribution(a.kepala, adum, pid, 0, ALASAN)
    ko.set_predikat_organisasi(a.kepala, adum, pid, 0, "Baik")  # Baik 1, Butuh Perbaikan 1: fits the curve
    assert ko.distribution(a.kepala, adum, pid).violations == []
    with pytest.raises(ServiceError, match="tidak ada yang perlu"):
        ko.override_distribution(a.kepala, adum, pid, 0, ALASAN)
    ko.set_predikat_organisasi(a.admin, root, pid, 0, "Sangat Kurang", **DOK)
    with pytest.raises(ValidationFailed, match="paling sedikit 20"):
        ko.override_distribution(a.kepala, root, pid, 0, "terlalu singkat")
    with pytest.raises(PermissionDenied):
        ko.override_distribution(a.kasub, root, pid, 0, ALASAN)
    ko.override_distribution(a.kepala, root, pid, 0, ALASAN)
    view = ko.distribution(a.kepala, root, pid)
    assert view.override_alasan == ALASAN and view.override_pelanggaran == view.violations
    assert view.override_status == ko.OVERRIDE_OK


def test_readers_and_names(sqlite_org):
    org = sqlite_org
    annual_set(org)
    a, pid, root = org.actors, period_id(org), org.units["root"]
    assert ko.distribution(a.ketua, root, pid).total == 3  # perencana reads everything
    kasub_view = ko.distribution(a.kasub, root, pid)  # penilai: counts, but only the pegawai they assess
    assert kasub_view.total == 3 and kasub_view.nama_disembunyikan
    assert sorted(kasub_view.pegawai["nama"]) == ["Andi Wijaya", "Dewi Lestari, S.Si."]
    assert not kasub_view.can_set and not kasub_view.can_override
    with pytest.raises(PermissionDenied):
        ko.distribution(a.staf2, root, pid)


def test_periodic_overview_counts_the_sub_period(sqlite_org):
    org = sqlite_org
    ef.setup(org)
    make_ev(org, "staf", "Baik", jenis=JenisEvaluasi.PERIODIK, nomor=1)
    make_ev(org, "staf2", "Kurang/Misconduct", jenis=JenisEvaluasi.PERIODIK, nomor=1)
    make_ev(org, "staf", "Sangat Baik")  # annual: not in the Q1 distribution
    ov = ko.units_overview(org.actors.admin, period_id(org), 1).set_index("kode")
    assert (ov.loc["BUK", "Baik"], ov.loc["BUK", "Kurang/Misconduct"], ov.loc["BUK", "Sangat Baik"]) == (1, 1, 0)
    assert ov.loc["ADUM", "jumlah_dinilai"] == 1
    with pytest.raises(ValidationFailed):
        ko.units_overview(org.actors.admin, period_id(org), 7)


def test_annual_final(sqlite_org):
    org = sqlite_org
    annual_set(org)
    make_ev(org, "staf", "Baik", jenis=JenisEvaluasi.PERIODIK, nomor=2)
    make_ev(org, "staf", "Kurang/Misconduct", S.DIAJUKAN, jenis=JenisEvaluasi.PERIODIK, nomor=3)
    df = ko.annual_final(org.actors.admin, period_id(org)).set_index("nama")
    assert list(df.columns[-4:]) == ["T1", "T2", "T3", "T4"]
    staf = df.loc["Andi Wijaya"]
    assert (staf["predikat_tahunan"], staf["T2"], staf["T3"]) == ("Butuh Perbaikan", "Baik", None)
    assert pd.isna(df.loc["dr. Ratna Hapsari, M.K.M.", "predikat_tahunan"])
    adum = ko.annual_final(org.actors.kepala, period_id(org), unit_id=org.units["adum"])
    assert sorted(adum["nama"]) == ["Andi Wijaya", "Budi Santoso, S.E."]
    assert sorted(ko.annual_final(org.actors.kasub, period_id(org))["nama"]) == [
        "Andi Wijaya", "Budi Santoso, S.E.", "Dewi Lestari, S.Si."]  # own unit ADUM + pegawai they assess


def test_chart_data_without_predikat(sqlite_org):
    org = sqlite_org
    view = ko.distribution(org.actors.admin, org.units["adum"], period_id(org))
    chart = ko.calibration_chart_data(view)
    assert view.total == 0 and view.violations == [] and not view.can_override
    assert chart["aktual"].sum() == 0 and all(math.isnan(x) for x in chart["min"])


def test_default_nomor_prefers_the_latest_mostly_rated_subperiod(sqlite_org):
    org = sqlite_org
    ef.setup(org)
    pid = period_id(org)
    kepala = org.actors.kepala
    assert ko.default_nomor(kepala, pid) == 0  # nothing rated yet: the annual view
    P = JenisEvaluasi.PERIODIK
    for who in ("staf", "staf2", "kasub"):
        ef.make_ev(org, who, "Baik", jenis=P, nomor=1)
    ef.make_ev(org, "staf", "Baik", jenis=P, nomor=2)
    ef.make_ev(org, "staf2", None, status=StatusEvaluasi.DRAFT, jenis=P, nomor=2)
    ef.make_ev(org, "kasub", None, status=StatusEvaluasi.DIAJUKAN, jenis=P, nomor=2)
    assert ko.default_nomor(kepala, pid) == 1  # Q2 is only one-third rated
    ef.make_ev(org, "staf", "Baik")  # an annual evaluation rated: the annual view
    assert ko.default_nomor(kepala, pid) == 0
    with pytest.raises(PermissionDenied):
        ko.default_nomor(org.actors.staf, pid)


def test_small_unit_curve_is_advisory(org):
    """Setting distribusi_min_pegawai: below it the curve is shown as advice, not enforced (no override needed)."""
    annual_set(org)
    a, pid, adum = org.actors, period_id(org), org.units["adum"]
    ko.set_predikat_organisasi(a.kepala, adum, pid, 0, "Sangat Kurang")  # Baik 1, Butuh Perbaikan 1: violates
    view = ko.distribution(a.kepala, adum, pid)
    assert view.violations and not view.saran and view.can_override
    settings.update_many(a.admin, {"distribusi_min_pegawai": "5"})
    view = ko.distribution(a.kepala, adum, pid)
    assert view.violations == [] and view.saran and not view.can_override and view.min_pegawai == 5
    row = ko.units_overview(a.kepala, pid).set_index("kode").loc["ADUM"]
    assert row["pelanggaran"] == 0 and row["distribusi"].startswith("Unit kecil: kurva hanya saran")
    with pytest.raises(ServiceError, match="tidak ada yang perlu"):
        ko.override_distribution(a.kepala, adum, pid, 0, ALASAN)


def test_annual_final_pages_equal_the_whole_table(org):
    """The page read in SQL (scope, visibility, order by unit then full name) gives, page after page, exactly the
    rows and order of the whole table built in Python; the count agrees (SQLite and PostgreSQL)."""
    annual_set(org)
    make_ev(org, "staf", "Baik", jenis=JenisEvaluasi.PERIODIK, nomor=2)
    pid = period_id(org)
    actors = {k: getattr(org.actors, k) for k in ("admin", "kepala", "kasub", "ketua", "staf", "staf2")}
    for name, actor in actors.items():
        for unit in (None, org.units["adum"]):
            try:
                whole = ko.annual_final(actor, pid, unit)
            except PermissionDenied:
                with pytest.raises(PermissionDenied):
                    ko.annual_final_page(actor, pid, unit)
                continue
            assert ko.annual_final_count(actor, pid, unit) == len(whole), (name, unit)
            pages = []
            for offset in range(0, len(whole) + 2, 2):
                total, page = ko.annual_final_page(actor, pid, unit, offset, 2)
                assert total == len(whole)
                pages.append(page)
            assert [r for p in pages for r in _records(p)] == _records(whole), (name, unit)


def _records(df: pd.DataFrame) -> list[dict]:
    return df.astype(object).where(df.notna(), None).to_dict("records")
