"""Periods (tahun kinerja), their sub-periods, the instansi profile, and settings."""

import datetime as dt

import pytest

from services.core import audit, settings
from services.core.audit import AuditFilter
from services.core.errors import PermissionDenied, ValidationFailed
from services.org import periods
from services.org.periods import PeriodInfo


def _fields(exc):
    return {(e.field, e.message) for e in exc.value.errors}


def test_create_with_defaults(org):
    pid = periods.create_period(org.actors.admin, org.year + 1)
    p = periods.get_period(org.actors.admin, pid)
    assert (p.tanggal_mulai, p.tanggal_selesai) == (dt.date(org.year + 1, 1, 1), dt.date(org.year + 1, 12, 31))
    assert p.periode_evaluasi == "Triwulanan" and p.status == "Dibuka" and p.dibuka
    df = periods.list_periods(org.actors.admin)
    assert df["tahun"].tolist() == [org.year + 1, org.year]


def test_default_rhythm_follows_the_setting(org):
    settings.update_many(org.actors.admin, {"periode_evaluasi_bawaan": "Bulanan"})
    pid = periods.create_period(org.actors.admin, org.year + 1)
    assert periods.get_period(org.actors.admin, pid).periode_evaluasi == "Bulanan"
    pid2 = periods.create_period(org.actors.admin, org.year + 2, periode_evaluasi="Triwulanan")
    assert periods.get_period(org.actors.admin, pid2).periode_evaluasi == "Triwulanan"


def test_create_validation_collects_every_error(org):
    y = org.year + 1
    with pytest.raises(ValidationFailed) as exc:
        periods.create_period(org.actors.admin, y, dt.date(y - 1, 12, 1), dt.date(y + 1, 1, 31), "Semesteran")
    assert _fields(exc) == {
        ("Tanggal mulai", f"harus berada di dalam tahun {y}"),
        ("Tanggal selesai", f"harus berada di dalam tahun {y}"),
        ("Periode evaluasi", "harus Bulanan atau Triwulanan"),
    }
    assert len(periods.list_periods(org.actors.admin)) == 1  # nothing written


@pytest.mark.parametrize(
    ("args", "field", "fragment"),
    [
        (lambda y: (y - 1,), "Tahun", "sudah ada"),
        (lambda y: (1999,), "Tahun", "antara 2000 dan 2100"),
        (lambda y: ("dua ribu",), "Tahun", "bilangan bulat"),
        (lambda y: (y, dt.date(y - 1, 12, 31)), "Tanggal mulai", "di dalam tahun"),
        (lambda y: (y, dt.date(y, 12, 31), dt.date(y, 6, 1)), "Tanggal selesai", "sesudah tanggal mulai"),
        (lambda y: (y, dt.date(y, 6, 1), dt.date(y, 6, 1)), "Tanggal selesai", "sesudah tanggal mulai"),
    ],
)
def test_create_refusals(org, args, field, fragment):
    with pytest.raises(ValidationFailed) as exc:
        periods.create_period(org.actors.admin, *args(org.year + 1))
    assert any(f == field and fragment in m for f, m in _fields(exc)), exc.value.errors
    assert len(periods.list_periods(org.actors.admin)) == 1


def test_update_and_close_reopen_are_audited(org):
    admin = org.actors.admin
    pid = periods.open_periods(admin)[0].id
    periods.update_period(admin, pid, tanggal_mulai=dt.date(org.year, 2, 1),
                          tanggal_selesai=dt.date(org.year, 11, 30), periode_evaluasi="Bulanan")
    p = periods.get_period(admin, pid)
    assert (p.tanggal_mulai.month, p.tanggal_selesai.month, p.periode_evaluasi) == (2, 11, "Bulanan")
    with pytest.raises(ValidationFailed, match="sesudah tanggal mulai"):
        periods.update_period(admin, pid, tanggal_mulai=dt.date(org.year, 5, 1),
                              tanggal_selesai=dt.date(org.year, 5, 1), periode_evaluasi="Bulanan")

    periods.close_period(admin, pid)
    assert periods.get_period(admin, pid).status == "Ditutup"
    with pytest.raises(ValidationFailed, match="sudah ditutup"):
        periods.close_period(admin, pid)
    with pytest.raises(ValidationFailed, match="buka kembali"):
        periods.update_period(admin, pid, tanggal_mulai=dt.date(org.year, 1, 1),
                              tanggal_selesai=dt.date(org.year, 12, 31), periode_evaluasi="Triwulanan")
    periods.reopen_period(admin, pid)
    assert periods.get_period(admin, pid).dibuka

    closed = audit.search(admin, AuditFilter(action="tutup_periode"))
    reopened = audit.search(admin, AuditFilter(action="buka_periode"))
    changed = audit.search(admin, AuditFilter(action="ubah_periode"))
    assert closed.iloc[0]["sebelum"] == {"status": "Dibuka"} and closed.iloc[0]["sesudah"] == {"status": "Ditutup"}
    assert reopened.iloc[0]["sesudah"] == {"status": "Dibuka"}
    assert changed.iloc[0]["sesudah"]["periode_evaluasi"] == "Bulanan"
    assert set(closed["pengguna"]) == {"admin"}


def test_open_period_readable_by_everyone_closed_only_by_admin(org):
    staf = org.actors.staf
    current = periods.current_period(staf, on=dt.date(org.year, 5, 5))
    assert current is not None and current.tahun == org.year
    assert periods.get_period(staf, current.id).tahun == org.year
    periods.close_period(org.actors.admin, current.id)
    assert periods.open_periods(staf) == []
    assert periods.current_period(staf) is None
    with pytest.raises(PermissionDenied):
        periods.get_period(staf, current.id)
    assert periods.get_period(org.actors.admin, current.id).status == "Ditutup"


def test_current_period_prefers_the_one_containing_the_day(org):
    periods.create_period(org.actors.admin, org.year + 1)
    assert periods.current_period(org.actors.kasub, on=dt.date(org.year, 3, 1)).tahun == org.year
    assert periods.current_period(org.actors.kasub, on=dt.date(org.year + 1, 3, 1)).tahun == org.year + 1
    assert periods.current_period(org.actors.kasub, on=dt.date(org.year + 5, 3, 1)).tahun == org.year + 1


def _period(rhythm, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)):
    return PeriodInfo(id=1, tahun=2026, tanggal_mulai=start, tanggal_selesai=end, periode_evaluasi=rhythm,
                      status="Dibuka")


def test_subperiods_quarters():
    subs = periods.subperiods(_period("Triwulanan"))
    assert [s.label for s in subs] == ["Triwulan I 2026", "Triwulan II 2026", "Triwulan III 2026",
                                       "Triwulan IV 2026"]
    assert [s.kode for s in subs] == ["2026-T1", "2026-T2", "2026-T3", "2026-T4"]
    assert (subs[0].mulai, subs[0].selesai) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert (subs[3].mulai, subs[3].selesai) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))


def test_subperiods_months():
    subs = periods.subperiods(_period("Bulanan"))
    assert len(subs) == 12
    assert subs[0].label == "Januari 2026" and subs[7].label == "Agustus 2026" and subs[11].label == "Desember 2026"
    assert subs[1].selesai == dt.date(2026, 2, 28)
    assert subs[11].kode == "2026-12" and subs[11].selesai == dt.date(2026, 12, 31)


def test_subperiods_are_clipped_to_the_period():
    subs = periods.subperiods(_period("Triwulanan", dt.date(2026, 2, 15), dt.date(2026, 8, 10)))
    assert [(s.nomor, s.mulai, s.selesai) for s in subs] == [
        (1, dt.date(2026, 2, 15), dt.date(2026, 3, 31)),
        (2, dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (3, dt.date(2026, 7, 1), dt.date(2026, 8, 10)),
    ]
    assert len(periods.subperiods(_period("Bulanan", dt.date(2026, 2, 15), dt.date(2026, 8, 10)))) == 7


def test_instansi_profile(org):
    info = periods.get_instansi(org.actors.staf)
    assert (info.nama, info.singkatan, info.kota) == ("Balai Uji Kinerja", "BUK", "Medan")
    periods.update_instansi(org.actors.admin, nama="  Balai Besar Uji Kinerja ", alamat="Jl. Contoh 1", kota="")
    info = periods.get_instansi(org.actors.kasub)
    assert (info.nama, info.alamat, info.kota, info.singkatan) == (
        "Balai Besar Uji Kinerja", "Jl. Contoh 1", None, "BUK")
    with pytest.raises(ValidationFailed) as exc:
        periods.update_instansi(org.actors.admin, nama=" ", telepon="1" * 61)
    assert _fields(exc) == {("Nama instansi", "wajib diisi"), ("Telepon", "maksimal 60 karakter")}
    assert periods.get_instansi(org.actors.admin).nama == "Balai Besar Uji Kinerja"
    assert audit.search(org.actors.admin, AuditFilter(action="ubah_instansi")).iloc[0]["entitas"] == "Instansi"


def test_reads_need_a_login(org):
    from services.core.actor import Actor

    anonymous = Actor(user_id=None, username="anon", nama="anon")
    with pytest.raises(PermissionDenied):
        periods.open_periods(anonymous)
    with pytest.raises(PermissionDenied):
        periods.get_instansi(anonymous)


# --- settings ----------------------------------------------------------------------------------------


def test_settings_table_and_update(org):
    admin = org.actors.admin
    table = settings.table(admin)
    assert {"Jadwal", "Logbook", "Evaluasi", "Keamanan", "Dokumen"} <= set(table["kelompok"])
    assert table["sumber"].str.len().min() > 0
    changed = settings.update_many(admin, {"menit_efektif_harian": "330", "logbook_batas_harian": "tidak",
                                           "skp_batas_penetapan": "15/2"})
    assert changed == 3
    assert settings.get("menit_efektif_harian") == 330
    assert settings.get("logbook_batas_harian") is False
    assert settings.get("skp_batas_penetapan") == (15, 2)
    row = settings.table(admin).set_index("key").loc["skp_batas_penetapan"]
    assert (row["nilai"], row["diubah_oleh"]) == ("15-02", "admin")
    assert settings.update_many(admin, {"menit_efektif_harian": "330"}) == 0
    assert len(audit.search(admin, AuditFilter(action="ubah_pengaturan"))) == 3


def test_settings_validation_saves_nothing(org):
    admin = org.actors.admin
    with pytest.raises(ValidationFailed) as exc:
        settings.update_many(admin, {"menit_efektif_harian": "2000", "login_maks_gagal": "lima",
                                     "skp_batas_penetapan": "31-02", "periode_evaluasi_bawaan": "Semesteran",
                                     "password_min_panjang": "10"})
    assert len(exc.value.errors) == 4
    assert settings.get("password_min_panjang") == 8
    assert settings.get("menit_efektif_harian") == 450
