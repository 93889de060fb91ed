"""Ketidakhadiran (cuti, sakit, dinas luar): the Admin SDM grid (one save path, errors by row), paste and Excel
import previews, the refusal of another satker's pegawai, and the effect on the logbook target, calendar and
monitoring - on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.models import Jabatan, JenisASN, JenisJabatan, Pegawai, Role, UnitKerja, User, UserRole
from services import logbook
from services.auth import login as auth
from services.core.actor import SYSTEM
from services.core.errors import PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work
from services.org import kalender
from services.org import ketidakhadiran as kh

NIP_STAF = "199003032015031003"
NIP_STAF2 = "199104042019022004"
NIP_LOKA = "199201012020011009"


def _month_with_workdays(year: int) -> tuple[int, list[dt.date]]:
    for m in (3, 5, 9, 10):
        days = kalender.working_days(year, m)
        if len(days) >= 15:
            return m, days
    raise AssertionError


def _row(no, pegawai, jenis, a, b, **kw):
    return {"id": None, "_row": no, "pegawai": pegawai, "jenis": jenis, "tanggal_mulai": a, "tanggal_selesai": b, **kw}


def _second_satker_and_sdm(org) -> tuple:
    """A second root unit (another satker) with one pegawai, and kasub made Admin SDM (of the first satker)."""
    with unit_of_work(SYSTEM) as s:
        loka = UnitKerja(kode="LOKA", nama="Loka Uji Kinerja")
        s.add(loka)
        s.flush()
        j = Jabatan(nama="Pengadministrasi Loka", jenis=JenisJabatan.PELAKSANA, unit_id=loka.id)
        s.add(j)
        s.flush()
        p = Pegawai(nip=NIP_LOKA, nama="Lukman Loka", jabatan_id=j.id, unit_id=loka.id, golongan="II/b",
                    jenis_asn=JenisASN.PNS)
        s.add(p)
        u = s.scalar(select(User).where(User.username == org.usernames["kasub"]))
        u.roles = [*u.roles, UserRole(role=Role.ADMIN_SDM)]
        s.flush()
        loka_pid = p.id
    return auth.load_actor(org.usernames["kasub"]), loka_pid


def test_grid_save_reduces_working_days_target_and_shows_on_calendar_and_monitoring(org, clock):
    year = org.year
    month, days = _month_with_workdays(year)
    admin = org.actors.admin
    a, b = days[2], days[6]  # five working days (maybe a weekend inside)
    out = kh.save_grid(admin, year, [_row(1, NIP_STAF, "Cuti Tahunan", a, b, nomor_surat="800/1/2026"),
                                     _row(2, f"{NIP_STAF2} – Dewi", "dinas luar", days[10], days[10])])
    assert (out.ditambah, out.diubah, out.dihapus) == (2, 0, 0)
    assert "2 ditambah" in out.pesan
    g = kh.grid(admin, year)
    assert g["jenis"].tolist() == ["Cuti Tahunan", "Dinas Luar"]
    assert g["pegawai"].iloc[0].startswith(NIP_STAF)

    away = [d for d in days if a <= d <= b]
    p = logbook.monthly_points(org.actors.staf, year, month)
    assert p.hari_kerja == len(days) - len(away)
    assert p.hari_tidak_hadir == len(away)
    assert p.target_menit == p.hari_kerja * p.menit_efektif_harian
    other = logbook.monthly_points(org.actors.pppk, year, month)
    assert other.hari_kerja == len(days) and other.hari_tidak_hadir == 0

    heat = logbook.heatmap(org.actors.staf, year, month)
    row = heat[heat["tanggal"] == a].iloc[0]
    assert not row["kerja"] and row["tidak_hadir"] == "Cuti Tahunan" and row["keterangan"] == "Cuti Tahunan"
    assert int(heat["kerja"].sum()) == len(days) - len(away)

    clock.set(b)
    team = logbook.team_completeness(org.actors.kasub, b)
    staf = team.pegawai.set_index("nip").loc[NIP_STAF]
    assert staf["hari_ini"] == "Cuti Tahunan"
    assert f"{a:%d/%m} Cuti Tahunan" in staf["tidak_hadir"]
    assert a.strftime("%d/%m") not in (staf["belum_terisi"] or "")
    pppk = team.pegawai.set_index("nip").loc["199505052022211005"]
    assert staf["bulan_hari_kerja"] == pppk["bulan_hari_kerja"] - len(away)


def test_grid_update_delete_and_errors_by_row_nothing_saved(org):
    year, admin = org.year, org.actors.admin
    d = dt.date(year, 6, 1)
    kh.save_grid(admin, year, [_row(1, NIP_STAF, "Sakit", d, d + dt.timedelta(days=2))])
    rows = kh.grid(admin, year).to_dict("records")
    with pytest.raises(ValidationFailed) as exc:
        kh.save_grid(admin, year, [
            _row(1, "123", "Cuti Tahunan", d, d),
            _row(2, NIP_STAF, "Liburan", d, d),
            _row(3, NIP_STAF2, "Sakit", d + dt.timedelta(days=5), d),
            _row(4, NIP_STAF, "Cuti Tahunan", d + dt.timedelta(days=1), d + dt.timedelta(days=4)),
            _row(5, NIP_STAF2, "Dinas Luar", d, d, keterangan="x" * 301),
            _row(6, NIP_STAF2, "Cuti Besar", "", d),
        ])
    got = {(e.row, e.field) for e in exc.value.errors}
    assert got == {(1, "Pegawai (NIP)"), (2, "Jenis"), (3, "Sampai"), (4, "Mulai"), (5, "Keterangan"), (6, "Mulai")}
    assert any("bertumpang tindih" in e.message for e in exc.value.errors)
    assert len(kh.grid(admin, year)) == 1

    changed = dict(rows[0], jenis="Cuti Sakit", _row=1, _changed=["jenis"])
    assert kh.save_grid(admin, year, [changed]).diubah == 1
    assert kh.grid(admin, year)["jenis"].tolist() == ["Cuti Sakit"]
    assert kh.save_grid(admin, year, [], [int(rows[0]["id"])]).dihapus == 1
    assert kh.grid(admin, year).empty


def test_refusals_non_admin_and_other_satker(org):
    year = org.year
    d = dt.date(year, 7, 6)
    with pytest.raises(PermissionDenied):
        kh.grid(org.actors.staf, year)
    with pytest.raises(PermissionDenied):
        kh.save_grid(org.actors.kasub, year, [_row(1, NIP_STAF, "Sakit", d, d)])
    sdm, loka_pid = _second_satker_and_sdm(org)
    assert Role.ADMIN_SDM in sdm.roles
    # the installation admin (no pegawai) records for the loka; the satker's Admin SDM may not touch it
    kh.save_grid(org.actors.admin, year, [_row(1, NIP_LOKA, "Dinas Luar", d, d)])
    with pytest.raises(ValidationFailed) as exc:
        kh.save_grid(sdm, year, [_row(1, NIP_LOKA, "Sakit", d + dt.timedelta(days=1), d + dt.timedelta(days=1))])
    assert "satuan kerja lain" in exc.value.errors[0].message
    assert all(not p.startswith(NIP_LOKA) for p in kh.pegawai_options(sdm))
    assert kh.grid(sdm, year).empty  # the loka's row is not shown to him
    loka_id = int(kh.grid(org.actors.admin, year)["id"].iloc[0])
    with pytest.raises(PermissionDenied, match="satuan kerja lain"):
        kh.save_grid(sdm, year, [], [loka_id])
    assert len(kh.grid(org.actors.admin, year)) == 1
    # his own satker works
    assert kh.save_grid(sdm, year, [_row(1, NIP_STAF, "Sakit", d, d)]).ditambah == 1


def test_paste_and_excel_preview(org):
    admin = org.actors.admin
    text = ("Pegawai (NIP)\tJenis\tMulai\tSampai\tNomor surat\tKeterangan\n"
            f"{NIP_STAF}\tCuti Tahunan\t02/03/{org.year}\t04/03/{org.year}\t800/2\t\n"
            f"{NIP_STAF2}\tCuti\t32/03/{org.year}\t04/03/{org.year}\t\t\n")
    pv = kh.preview_paste(admin, text)
    assert pv.header and len(pv.good) == 1 and len(pv.bad) == 1
    assert pv.good[0]["pegawai"].startswith(NIP_STAF) and pv.good[0]["jenis"] == "Cuti Tahunan"
    assert {e.field for e in pv.errors} >= {"Mulai", "Jenis"}

    import io

    import pandas as pd

    buf = io.BytesIO()
    pd.DataFrame([{"Pegawai (NIP)": NIP_STAF, "Jenis": "Dinas Luar", "Mulai": dt.date(org.year, 4, 6),
                   "Sampai": dt.date(org.year, 4, 7), "Nomor surat": None, "Keterangan": "Rapat"},
                  {"Pegawai (NIP)": "999", "Jenis": "Sakit", "Mulai": dt.date(org.year, 4, 6),
                   "Sampai": dt.date(org.year, 4, 6), "Nomor surat": None, "Keterangan": None}]).to_excel(buf, index=False)
    pv = kh.preview_excel(admin, buf.getvalue())
    assert len(pv.good) == 1 and len(pv.bad) == 1
    assert kh.import_rows(admin, org.year, pv.good).ditambah == 1
    assert kh.grid(admin, org.year)["keterangan"].tolist() == ["Rapat"]
    with pytest.raises(ValidationFailed):
        kh.preview_excel(admin, b"not an excel file")
    assert kh.template_xlsx(admin)[:2] == b"PK"
    with pytest.raises(PermissionDenied):
        kh.preview_paste(org.actors.staf, text)


def test_my_absences(org):
    d = dt.date(org.year, 8, 3)
    kh.save_grid(org.actors.admin, org.year, [_row(1, NIP_STAF, "Diklat/Tugas Belajar", d, d)])
    assert kh.my_absences(org.actors.staf, org.year)["jenis"].tolist() == ["Diklat/Tugas Belajar"]
    assert kh.my_absences(org.actors.kasub, org.year).empty
    with pytest.raises(PermissionDenied):
        kh.my_absences(org.actors.admin, org.year)


def test_heatmap_chart_with_absences_compiles(org):
    """The calendar's layers (minutes scale, literal day-number colours, the absence frame) must compile in
    Vega-Lite: merged colour scales once made the whole chart disappear in the browser."""
    vlc = pytest.importorskip("vl_convert")
    from ui import logbook_calendar as cal

    d = dt.date(org.year, 6, 1)
    kh.save_grid(org.actors.admin, org.year, [_row(1, NIP_STAF, "Cuti Tahunan", d, d + dt.timedelta(days=2))])
    heat = logbook.heatmap(org.actors.staf, org.year, 6)
    chart = cal.heatmap_chart(heat)
    assert vlc.vegalite_to_svg(chart.to_json()).startswith("<svg")
