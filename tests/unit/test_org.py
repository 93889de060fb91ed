"""Organisation structure services: unit kerja, tim kerja, jabatan, Rekap Organisasi (SQLite and PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.engine import read_session
from db.models import AuditLog, Jabatan, Pegawai, TimKerja, UnitKerja
from services.core.actor import SYSTEM
from services.core.errors import PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work
from services.org import units as svc


def _state(actor) -> dict:
    """Everything the organisation services can change, plus the audit count."""
    with read_session() as s:
        audits = s.scalar(select(func.count(AuditLog.id)))
    return {
        "units": svc.units_df(actor).to_dict("records"),
        "tim": svc.tim_df(actor).to_dict("records"),
        "jabatan": svc.jabatan_df(actor).to_dict("records"),
        "audit": audits,
    }


def _errors(exc: pytest.ExceptionInfo) -> set[tuple]:
    return {(e.row, e.field) for e in exc.value.errors}


def _unit(kode: str) -> str | None:
    """The nama of the unit with this kode, or None."""
    with read_session() as s:
        return s.scalar(select(UnitKerja.nama).where(UnitKerja.kode == kode))


def _add_empty_unit(kode: str, parent_kode: str | None = None) -> int:
    with unit_of_work(SYSTEM) as s:
        parent = s.scalar(select(UnitKerja).where(UnitKerja.kode == parent_kode)) if parent_kode else None
        u = UnitKerja(kode=kode, nama=f"Unit {kode}", parent=parent)
        s.add(u)
        s.flush()
        return u.id


# --- unit kerja ------------------------------------------------------------------------------------------


def test_units_df_tree_order_and_counts(org):
    df = svc.units_df(org.actors.admin)
    assert list(df.columns) == ["id", "kode", "nama", "induk", "urutan", "aktif", "jumlah_pegawai"]
    assert df["kode"].tolist() == ["BUK", "ADUM"]
    assert df.set_index("kode").loc["ADUM", "induk"] == "BUK"
    assert df.set_index("kode")["jumlah_pegawai"].to_dict() == {"BUK": 3, "ADUM": 3}


def test_save_units_good(org):
    admin = org.actors.admin
    rows = [
        {"_row": 2, "id": org.units["adum"], "kode": "ADUM", "nama": "Subbagian Umum", "induk": "BUK",
         "urutan": 1, "aktif": True},
        {"_row": 3, "id": None, "kode": "tu-1", "nama": "Urusan Tata Usaha", "induk": "ADUM", "urutan": 2.0},
        {"_row": 4, "id": None, "kode": "TU_ARSIP", "nama": "Arsip", "induk": "TU-1"},  # parent in same save
    ]
    result = svc.save_units(admin, rows, [])
    assert (result.ditambah, result.diubah, result.dihapus) == (2, 1, 0)
    df = svc.units_df(admin).set_index("kode")
    assert df.loc["ADUM", "nama"] == "Subbagian Umum"
    assert df.loc["TU-1", "induk"] == "ADUM" and df.loc["TU-1", "urutan"] == 2
    assert df.loc["TU_ARSIP", "induk"] == "TU-1" and bool(df.loc["TU_ARSIP", "aktif"]) is True
    assert svc.units_df(admin)["kode"].tolist() == ["BUK", "ADUM", "TU-1", "TU_ARSIP"]
    with read_session() as s:
        audits = s.execute(select(AuditLog.action, AuditLog.username).where(AuditLog.entity == "UnitKerja")).all()
    assert sorted(a for a, _ in audits).count("tambah") >= 4  # 2 from build_org + 2 now
    assert ("ubah", "admin") in audits
    assert ("tambah", "admin") in audits


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"kode": "", "nama": "X"}, "Kode"),
        ({"kode": "A B", "nama": "X"}, "Kode"),
        ({"kode": "A.B", "nama": "X"}, "Kode"),
        ({"kode": "K" * 31, "nama": "X"}, "Kode"),
        ({"kode": "adum", "nama": "X"}, "Kode"),  # uppercased, then duplicate of an existing unit
        ({"kode": "BARU", "nama": ""}, "Nama"),
        ({"kode": "BARU", "nama": "N" * 201}, "Nama"),
        ({"kode": "BARU", "nama": "X", "induk": "TIDAKADA"}, "Induk"),
        ({"kode": "BARU", "nama": "X", "induk": "BARU"}, "Induk"),
        ({"kode": "BARU", "nama": "X", "urutan": -1}, "Urutan"),
        ({"kode": "BARU", "nama": "X", "urutan": 1.5}, "Urutan"),
    ],
)
def test_save_units_rejects_bad_row(org, row, field):
    admin = org.actors.admin
    before = _state(admin)
    good = {"_row": 3, "id": None, "kode": "OK", "nama": "Unit baik"}
    with pytest.raises(ValidationFailed) as exc:
        svc.save_units(admin, [good, {"_row": 4, "id": None, **row}], [])
    assert _errors(exc) == {(4, field)}
    assert _state(admin) == before


def test_save_units_duplicate_within_same_save(org):
    admin = org.actors.admin
    before = _state(admin)
    rows = [{"_row": 3, "id": None, "kode": "DUA", "nama": "A"}, {"_row": 4, "id": None, "kode": "dua", "nama": "B"}]
    with pytest.raises(ValidationFailed) as exc:
        svc.save_units(admin, rows, [])
    assert _errors(exc) == {(3, "Kode"), (4, "Kode")}
    assert "sudah dipakai" in str(exc.value)
    assert _state(admin) == before


def test_save_units_refuses_cycle(org):
    admin = org.actors.admin
    before = _state(admin)
    row = {"_row": 1, "id": org.units["root"], "kode": "BUK", "nama": "Balai Uji Kinerja", "induk": "ADUM"}
    with pytest.raises(ValidationFailed) as exc:
        svc.save_units(admin, [row], [])
    assert _errors(exc) == {(1, "Induk")}
    assert "lingkaran" in str(exc.value)
    assert _state(admin) == before


def test_save_units_kode_rename_keeps_children(org):
    admin = org.actors.admin
    svc.save_units(admin, [{"_row": 1, "id": org.units["root"], "kode": "BALAI", "nama": "Balai", "induk": None}], [])
    df = svc.units_df(admin).set_index("kode")
    assert df.loc["ADUM", "induk"] == "BALAI"


def test_delete_unit_refusals(org):
    admin = org.actors.admin
    _add_empty_unit("ANAK", "ADUM")
    before = _state(admin)
    with pytest.raises(ValidationFailed) as exc:
        svc.save_units(admin, [], [org.units["adum"]])
    msg = str(exc.value)
    assert _errors(exc) == {(None, "Hapus")}
    assert "ADUM" in msg and "3 pegawai" in msg and "2 jabatan" in msg and "1 unit bawahan" in msg
    assert _state(admin) == before


def test_delete_unit_with_only_child_refused_but_both_together_allowed(org):
    admin = org.actors.admin
    parent = _add_empty_unit("INDUK", "BUK")
    child = _add_empty_unit("ANAK", "INDUK")
    with pytest.raises(ValidationFailed) as exc:
        svc.save_units(admin, [], [parent])
    assert "1 unit bawahan" in str(exc.value)
    result = svc.save_units(admin, [], [parent, child])
    assert result.dihapus == 2
    assert _unit("INDUK") is None and _unit("ANAK") is None


def test_delete_unit_used_by_tim_refused(org):
    admin = org.actors.admin
    uid = _add_empty_unit("TIMUNIT", "BUK")
    svc.save_tim(admin, [{"id": None, "nama": "Tim Unit", "unit": "TIMUNIT"}])
    with pytest.raises(ValidationFailed) as exc:
        svc.save_units(admin, [], [uid])
    assert "TIMUNIT" in str(exc.value) and "1 tim kerja" in str(exc.value)
    assert _unit("TIMUNIT") == "Unit TIMUNIT"


def test_delete_then_reuse_kode_in_same_save(org):
    admin = org.actors.admin
    uid = _add_empty_unit("LAMA", "BUK")
    result = svc.save_units(admin, [{"_row": 4, "id": None, "kode": "LAMA", "nama": "Baru", "induk": "BUK"}], [uid])
    assert (result.ditambah, result.dihapus) == (1, 1)
    assert _unit("LAMA") == "Baru"
    with read_session() as s:
        deleted = s.scalar(select(func.count(AuditLog.id)).where(AuditLog.entity == "UnitKerja",
                                                                 AuditLog.action == "hapus"))
    assert deleted == 1


def test_stale_row_id_is_reported(org):
    admin = org.actors.admin
    with pytest.raises(ValidationFailed) as exc:
        svc.save_units(admin, [{"_row": 1, "id": 999999, "kode": "X", "nama": "X"}], [])
    assert _errors(exc) == {(1, "ID")}


@pytest.mark.parametrize("who", ["staf", "kepala", "ketua"])
def test_save_refused_for_non_admin(org, who):
    actor = getattr(org.actors, who)
    before = _state(org.actors.admin)
    with pytest.raises(PermissionDenied):
        svc.save_units(actor, [{"id": None, "kode": "X", "nama": "X"}], [])
    with pytest.raises(PermissionDenied):
        svc.save_tim(actor, [{"id": None, "nama": "X", "unit": "BUK"}], [])
    with pytest.raises(PermissionDenied):
        svc.save_jabatan(actor, [{"id": None, "nama": "X", "jenis": "Pelaksana"}], [])
    assert _state(org.actors.admin) == before


def test_reads_refused_for_plain_pegawai(org):
    staf = org.actors.staf
    for fn in (svc.units_df, svc.tim_df, svc.jabatan_df, svc.org_summary):
        with pytest.raises(PermissionDenied):
            fn(staf)


def test_choices(org):
    ch = svc.choices(org.actors.admin)
    assert ch.unit_kode == ["BUK", "ADUM"]
    assert "Fungsional" in ch.jenis_jabatan
    assert ch.jenjang_by_kategori["Keterampilan"] == ("Pemula", "Terampil", "Mahir", "Penyelia")
    assert "198001012005011002" in ch.pegawai_nip
    assert ch.pegawai_label("198001012005011002") == "198001012005011002 – Budi Santoso, S.E."


# --- tim kerja -----------------------------------------------------------------------------------------------


KASUB_NIP = "198001012005011002"


def test_tim_df(org):
    df = svc.tim_df(org.actors.admin)
    row = df.iloc[0]
    assert row["nama"] == "Tim Kerja Surveilans" and row["unit"] == "BUK"
    assert row["ketua"] == "198502022010122001" and row["ketua_nama"] == "Siti Aminah, S.K.M."
    assert row["jumlah_anggota"] == 2


def test_save_tim_good(org):
    admin = org.actors.admin
    rows = [
        {"_row": 1, "id": org.tim_id, "nama": "Tim Kerja Surveilans", "unit": "BUK", "ketua": "198502022010122001",
         "deskripsi": "Surveilans penyakit", "aktif": True},
        {"_row": 2, "id": None, "nama": "Tim Keuangan", "unit": "adum", "ketua": "19800101 200501 1 002"},
    ]
    result = svc.save_tim(admin, rows, [])
    assert (result.ditambah, result.diubah) == (1, 1)
    df = svc.tim_df(admin).set_index("nama")
    assert df.loc["Tim Kerja Surveilans", "deskripsi"] == "Surveilans penyakit"
    assert df.loc["Tim Keuangan", "ketua"] == KASUB_NIP and df.loc["Tim Keuangan", "unit"] == "ADUM"
    with read_session() as s:
        assert s.scalar(select(func.count(AuditLog.id)).where(AuditLog.entity == "TimKerja",
                                                              AuditLog.username == "admin")) == 2


def _make_inactive(pegawai_id: int) -> None:
    with unit_of_work(SYSTEM) as s:
        s.get(Pegawai, pegawai_id).aktif = False


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"nama": "", "unit": "BUK"}, "Nama"),
        ({"nama": "tim kerja surveilans", "unit": "BUK"}, "Nama"),  # duplicate, case-insensitive
        ({"nama": "Tim Baru", "unit": ""}, "Unit"),
        ({"nama": "Tim Baru", "unit": "ENTAH"}, "Unit"),
        ({"nama": "Tim Baru", "unit": "BUK", "ketua": "199912312020121001"}, "Ketua"),
        ({"nama": "Tim Baru", "unit": "BUK", "ketua": "199003032015031003"}, "Ketua"),  # made inactive below
    ],
)
def test_save_tim_rejects_bad_row(org, row, field):
    admin = org.actors.admin
    _make_inactive(org.pegawai["staf"])
    before = _state(admin)
    good = {"_row": 2, "id": None, "nama": "Tim Baik", "unit": "BUK"}
    with pytest.raises(ValidationFailed) as exc:
        svc.save_tim(admin, [good, {"_row": 3, "id": None, **row}], [])
    assert _errors(exc) == {(3, field)}
    assert _state(admin) == before


def test_delete_tim(org):
    admin = org.actors.admin
    before = _state(admin)
    with pytest.raises(ValidationFailed) as exc:
        svc.save_tim(admin, [], [org.tim_id])
    assert "2 anggota" in str(exc.value) and _errors(exc) == {(None, "Hapus")}
    assert _state(admin) == before
    svc.save_tim(admin, [{"id": None, "nama": "Tim Sementara", "unit": "BUK"}], [])
    tid = int(svc.tim_df(admin).set_index("nama").loc["Tim Sementara", "id"])
    assert svc.save_tim(admin, [], [tid]).dihapus == 1
    with read_session() as s:
        assert s.get(TimKerja, tid) is None


# --- jabatan -------------------------------------------------------------------------------------------------


def test_jabatan_df(org):
    df = svc.jabatan_df(org.actors.admin).set_index("nama")
    epid = df.loc["Epidemiolog Kesehatan Ahli Muda"]
    assert epid["jenis"] == "Fungsional" and epid["kategori"] == "Keahlian" and epid["jenjang"] == "Ahli Muda"
    assert epid["unit"] == "BUK" and epid["jumlah_pemangku"] == 2 and epid["kelas_jabatan"] == 9


def test_save_jabatan_good(org):
    admin = org.actors.admin
    rows = [
        {"_row": 5, "id": None, "nama": "Pranata Komputer Terampil", "jenis": "Fungsional", "kategori": "Keterampilan",
         "jenjang": "Terampil", "kelas_jabatan": 7.0, "unit": "ADUM", "koefisien_ak": "5,25"},
        {"_row": 6, "id": None, "nama": "Pengadministrasi Perkantoran", "jenis": "Pelaksana", "unit": "ADUM",
         "kelas_jabatan": 5},
        {"_row": 1, "id": org.jabatan["epid"], "nama": "Epidemiolog Kesehatan Ahli Muda", "jenis": "Fungsional",
         "kategori": "Keahlian", "jenjang": "Ahli Muda", "kelas_jabatan": 9, "unit": "BUK", "koefisien_ak": 25},
    ]
    result = svc.save_jabatan(admin, rows, [])
    assert (result.ditambah, result.diubah) == (2, 1)
    with read_session() as s:
        pk = s.scalar(select(Jabatan).where(Jabatan.nama == "Pranata Komputer Terampil"))
        assert pk.koefisien_ak == Decimal("5.25") and pk.kelas_jabatan == 7 and pk.jenjang.value == "Terampil"
        assert s.get(Jabatan, org.jabatan["epid"]).koefisien_ak == Decimal("25.00")
        assert s.scalar(select(func.count(AuditLog.id)).where(AuditLog.entity == "Jabatan",
                                                              AuditLog.username == "admin")) == 3


@pytest.mark.parametrize(
    ("row", "fields"),
    [
        ({"nama": "", "jenis": "Pelaksana"}, {"Nama"}),
        ({"nama": "X", "jenis": ""}, {"Jenis"}),
        ({"nama": "X", "jenis": "Eselon"}, {"Jenis"}),
        ({"nama": "X", "jenis": "Fungsional"}, {"Kategori", "Jenjang"}),
        ({"nama": "X", "jenis": "Fungsional", "kategori": "Keahlian", "jenjang": "Mahir"}, {"Jenjang"}),
        ({"nama": "X", "jenis": "Fungsional", "kategori": "Keterampilan", "jenjang": "Ahli Muda"}, {"Jenjang"}),
        ({"nama": "X", "jenis": "Fungsional", "kategori": "Lainnya", "jenjang": "Mahir"}, {"Kategori"}),
        ({"nama": "X", "jenis": "Pelaksana", "kategori": "Keahlian", "jenjang": "Ahli Muda"}, {"Kategori", "Jenjang"}),
        ({"nama": "X", "jenis": "Pelaksana", "kelas_jabatan": 0}, {"Kelas jabatan"}),
        ({"nama": "X", "jenis": "Pelaksana", "kelas_jabatan": 18}, {"Kelas jabatan"}),
        ({"nama": "X", "jenis": "Pelaksana", "koefisien_ak": 0}, {"Koefisien AK"}),
        ({"nama": "X", "jenis": "Pelaksana", "koefisien_ak": -2}, {"Koefisien AK"}),
        ({"nama": "X", "jenis": "Pelaksana", "koefisien_ak": "dua"}, {"Koefisien AK"}),
        ({"nama": "X", "jenis": "Pelaksana", "unit": "ENTAH"}, {"Unit"}),
        ({"nama": "X", "jenis": "JPT", "pimpinan_unit": True}, {"Pimpinan unit"}),
        ({"nama": "penata layanan operasional", "jenis": "Pelaksana", "unit": "ADUM"}, {"Nama"}),
    ],
)
def test_save_jabatan_rejects_bad_row(org, row, fields):
    admin = org.actors.admin
    before = _state(admin)
    good = {"_row": 5, "id": None, "nama": "Analis Baik", "jenis": "Pelaksana", "unit": "BUK"}
    with pytest.raises(ValidationFailed) as exc:
        svc.save_jabatan(admin, [good, {"_row": 6, "id": None, **row}], [])
    assert _errors(exc) == {(6, f) for f in fields}
    assert _state(admin) == before


def test_same_jabatan_name_allowed_in_other_unit(org):
    admin = org.actors.admin
    svc.save_jabatan(admin, [{"id": None, "nama": "Penata Layanan Operasional", "jenis": "Pelaksana", "unit": "BUK"}])
    assert (svc.jabatan_df(admin)["nama"] == "Penata Layanan Operasional").sum() == 2


def test_delete_jabatan(org):
    admin = org.actors.admin
    before = _state(admin)
    with pytest.raises(ValidationFailed) as exc:
        svc.save_jabatan(admin, [], [org.jabatan["staf"]])
    assert "dipakai oleh 2 pegawai" in str(exc.value)
    assert _state(admin) == before
    with unit_of_work(SYSTEM) as s:
        j = Jabatan(nama="Kosong", jenis="Pelaksana")
        s.add(j)
        s.flush()
        jid = j.id
    assert svc.save_jabatan(admin, [], [jid]).dihapus == 1


# --- Rekap Organisasi ---------------------------------------------------------------------------------------


def test_org_summary_counts(org):
    summary = svc.org_summary(org.actors.kepala)
    assert (summary.total, summary.pns, summary.pppk) == (6, 5, 1)
    assert (summary.jumlah_unit, summary.jumlah_tim, summary.jumlah_jabatan) == (2, 1, 4)
    assert dict(zip(summary.per_unit["kode"], summary.per_unit["jumlah"], strict=True)) == {"BUK": 3, "ADUM": 3}
    assert dict(zip(summary.per_golongan["kelompok"], summary.per_golongan["jumlah"], strict=True)) == {
        "I": 0, "II": 1, "III": 3, "IV": 1, "PPPK": 1}
    jenis = dict(zip(summary.per_jenis_jabatan["jenis"], summary.per_jenis_jabatan["jumlah"], strict=True))
    assert jenis == {"JPT": 1, "Administrator": 0, "Pengawas": 1, "Fungsional": 2, "Pelaksana": 2}
    jf = summary.fungsional_jenjang.set_index("jenjang")["jumlah"]
    assert jf["Ahli Muda"] == 2 and jf.sum() == 2
    assert summary.per_asn.set_index("jenis_asn")["jumlah"].to_dict() == {"PNS": 5, "PPPK": 1}


def test_org_summary_ignores_inactive_and_reports_missing(org):
    _make_inactive(org.pegawai["staf"])
    with unit_of_work(SYSTEM) as s:
        p = s.get(Pegawai, org.pegawai["staf2"])
        p.unit_id, p.jabatan_id = None, None
    summary = svc.org_summary(org.actors.ketua)  # perencana
    assert summary.total == 5
    per_unit = dict(zip(summary.per_unit["unit"], summary.per_unit["jumlah"], strict=True))
    assert per_unit["Tanpa unit"] == 1
    assert summary.per_jenis_jabatan.set_index("jenis")["jumlah"]["Tanpa jabatan"] == 1


def test_org_summary_allowed_roles(org):
    assert svc.org_summary(org.actors.admin).total == 6
    for who in ("staf", "kasub", "staf2"):
        with pytest.raises(PermissionDenied):
            svc.org_summary(getattr(org.actors, who))


# --- property: any grid input ends in a full save or a clear error, never a partial write ----------------


_kode = st.sampled_from(["", "BUK", "ADUM", "NEW", "new", "A B", "X-1", "Y_2", "K" * 31])
_unit_row = st.fixed_dictionaries({
    "id": st.none(),
    "kode": _kode,
    "nama": st.sampled_from(["", "Unit", "N" * 201]),
    "induk": st.sampled_from([None, "", "BUK", "ADUM", "NEW", "X-1", "ENTAH"]),
    "urutan": st.sampled_from([None, 0, 1, 2.5, -1, "3"]),
    "aktif": st.sampled_from([None, True, False]),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_unit_row, max_size=4), delete_adum=st.booleans())
def test_save_units_all_or_nothing(sqlite_org, rows, delete_adum):
    admin = sqlite_org.actors.admin
    rows = [{**r, "_row": i + 3} for i, r in enumerate(rows)]
    before = _state(admin)
    try:
        svc.save_units(admin, rows, [sqlite_org.units["adum"]] if delete_adum else [])
    except ValidationFailed as e:
        assert e.errors and all(err.message for err in e.errors)
        assert _state(admin) == before
    else:
        assert not delete_adum  # ADUM has pegawai: deleting it always fails
        kodes = set(svc.units_df(admin)["kode"])
        assert {r["kode"].upper() for r in rows} <= kodes
        with read_session() as s:
            assert s.scalar(select(func.count(UnitKerja.id))) == len(before["units"]) + len(rows)
