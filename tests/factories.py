"""A small organisation for service and page tests (the realistic office is the demo data)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from types import SimpleNamespace

from db.models import (
    Instansi,
    Jabatan,
    JenisASN,
    JenisJabatan,
    JenjangFungsional,
    KategoriFungsional,
    Pegawai,
    Period,
    PeriodeEvaluasi,
    ReportingLine,
    Role,
    StatusPeriode,
    TimKerja,
    UnitKerja,
    User,
    UserRole,
)
from services.auth import login as auth
from services.core import clock
from services.core.actor import SYSTEM
from services.core.uow import unit_of_work

PASSWORD = "Rahasia123"


@lru_cache(maxsize=1)
def password_hash() -> str:
    return auth.hash_password(PASSWORD)


def _pegawai(s, nip, nama, jabatan, unit, golongan="III/a", jenis=JenisASN.PNS, tim=None, **kw):
    p = Pegawai(nip=nip, nama=nama, jabatan=jabatan, unit=unit, golongan=golongan, jenis_asn=jenis, tim=tim, **kw)
    s.add(p)
    return p


def _user(s, username, nama, pegawai=None, roles=(), must_change=False):
    u = User(username=username, nama=nama, password_hash=password_hash(), pegawai=pegawai,
             must_change_password=must_change)
    u.roles = [UserRole(role=r) for r in roles]
    s.add(u)
    return u


class _Actors:
    """`org.actors.<key>`: the user's Actor, loaded when a test first asks for it (most tests act as two or three
    of the seven users; loading all seven was half of the fixture's time)."""

    def __init__(self, usernames: dict[str, str]) -> None:
        self._usernames = usernames

    def __getattr__(self, key: str):
        try:
            username = self._usernames[key]
        except KeyError:
            raise AttributeError(key) from None
        actor = auth.load_actor(username)
        setattr(self, key, actor)
        return actor


def build_org(year: int | None = None) -> SimpleNamespace:
    year = year or clock.today().year
    start = dt.date(year, 1, 1)
    with unit_of_work(SYSTEM) as s:
        s.add(Instansi(nama="Balai Uji Kinerja", singkatan="BUK", kota="Medan"))
        root = UnitKerja(kode="BUK", nama="Balai Uji Kinerja")
        adum = UnitKerja(kode="ADUM", nama="Subbagian Administrasi Umum", parent=root)
        s.add_all([root, adum])
        j_kepala = Jabatan(nama="Kepala Balai", jenis=JenisJabatan.JPT, unit=root, pimpinan_unit=True, kelas_jabatan=14)
        j_kasub = Jabatan(nama="Kepala Subbagian Administrasi Umum", jenis=JenisJabatan.PENGAWAS, unit=adum,
                          pimpinan_unit=True, kelas_jabatan=9)
        j_epid = Jabatan(nama="Epidemiolog Kesehatan Ahli Muda", jenis=JenisJabatan.FUNGSIONAL, unit=root,
                         kategori=KategoriFungsional.KEAHLIAN, jenjang=JenjangFungsional.AHLI_MUDA, kelas_jabatan=9)
        j_staf = Jabatan(nama="Penata Layanan Operasional", jenis=JenisJabatan.PELAKSANA, unit=adum, kelas_jabatan=6)
        s.add_all([j_kepala, j_kasub, j_epid, j_staf])
        kepala = _pegawai(s, "197001012000031001", "Ratna Hapsari", j_kepala, root, "IV/b",
                          gelar_depan="dr.", gelar_belakang="M.K.M.")
        kasub = _pegawai(s, "198001012005011002", "Budi Santoso", j_kasub, adum, "III/d", gelar_belakang="S.E.")
        ketua = _pegawai(s, "198502022010122001", "Siti Aminah", j_epid, root, "III/c", gelar_belakang="S.K.M.")
        staf = _pegawai(s, "199003032015031003", "Andi Wijaya", j_staf, adum, "II/c")
        staf2 = _pegawai(s, "199104042019022004", "Dewi Lestari", j_epid, root, "III/b", gelar_belakang="S.Si.")
        pppk = _pegawai(s, "199505052022 2 1 1 005".replace(" ", ""), "Rudi Hartono", j_staf, adum, "IX",
                        jenis=JenisASN.PPPK)
        s.flush()
        tim = TimKerja(nama="Tim Kerja Surveilans", unit=root, ketua=ketua)
        s.add(tim)
        s.flush()
        for p in (ketua, staf2):
            p.tim = tim
        lines = [
            ReportingLine(pegawai=kasub, pejabat_penilai=kepala, berlaku_mulai=start),
            ReportingLine(pegawai=ketua, pejabat_penilai=kasub, atasan_penilai=kepala, berlaku_mulai=start),
            ReportingLine(pegawai=staf, pejabat_penilai=kasub, atasan_penilai=kepala, berlaku_mulai=start),
            ReportingLine(pegawai=staf2, pejabat_penilai=kasub, atasan_penilai=kepala, pemberi_pertimbangan=ketua,
                          berlaku_mulai=start),
            ReportingLine(pegawai=pppk, pejabat_penilai=kasub, atasan_penilai=kepala, berlaku_mulai=start),
        ]
        s.add_all(lines)
        s.add(Period(tahun=year, tanggal_mulai=start, tanggal_selesai=dt.date(year, 12, 31),
                     periode_evaluasi=PeriodeEvaluasi.TRIWULANAN, status=StatusPeriode.DIBUKA))
        users = {
            "admin": _user(s, "admin", "Administrator SDM", roles=(Role.ADMIN_SDM,)),
            "kepala": _user(s, kepala.nip, kepala.nama_lengkap, kepala, roles=(Role.KEPALA_SATKER,)),
            "kasub": _user(s, kasub.nip, kasub.nama_lengkap, kasub),
            "ketua": _user(s, ketua.nip, ketua.nama_lengkap, ketua, roles=(Role.PERENCANA,)),
            "staf": _user(s, staf.nip, staf.nama_lengkap, staf),
            "staf2": _user(s, staf2.nip, staf2.nama_lengkap, staf2),
            "pppk": _user(s, pppk.nip, pppk.nama_lengkap, pppk, must_change=True),
        }
        s.flush()
        ids = {k: v.id for k, v in {"kepala": kepala, "kasub": kasub, "ketua": ketua, "staf": staf,
                                     "staf2": staf2, "pppk": pppk}.items()}
        usernames = {k: u.username for k, u in users.items()}
        unit_ids = {"root": root.id, "adum": adum.id}
        jabatan_ids = {"kepala": j_kepala.id, "kasub": j_kasub.id, "epid": j_epid.id, "staf": j_staf.id}
        tim_id = tim.id
    return SimpleNamespace(year=year, pegawai=ids, usernames=usernames, actors=_Actors(usernames),
                           units=unit_ids, jabatan=jabatan_ids, tim_id=tim_id, password=PASSWORD)
