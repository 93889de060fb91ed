"""Demo office: a Balai Besar Kekarantinaan Kesehatan modelled on seed SOP 000 (Kemenkes).

About 40 pegawai (6 of them PPPK) with valid NIP / NI PPPK, five Tim Kerja whose ketua are fungsional, and the
four-tier reporting lines of SOP 000: ASN -> Ketua Tim (pemberi pertimbangan) -> Kasubbag Adum (pejabat
penilai) -> Kepala Balai (atasan pejabat penilai). Every demo account uses the same documented password
`DEMO_PASSWORD` and does not have to change it, so the demo can be tried at once. After the office is loaded,
services/demo_skp.py fills SKPs for the open period in every state of the verification cycle,
services/demo_logbook.py the logbook of the last months and services/demo_evaluasi.py the evaluations
(Triwulan I complete, Triwulan II in progress).

The data is a fixed list (deterministic); people and e-mail addresses are fictional.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import (
    Instansi,
    Jabatan,
    JenisASN,
    JenisJabatan,
    JenisKelamin,
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
from domain import parse_nip
from services.auth import login as auth
from services.core import clock
from services.core.actor import SYSTEM, Actor
from services.core.errors import Conflict
from services.core.uow import unit_of_work

DEMO_PASSWORD = "Demo12345"  # noqa: S105 - documented demo password, shown in README
ADMIN_USERNAME = "admin"
EMAIL_DOMAIN = "bbkk-medan.example"

J, K, G = JenisJabatan, KategoriFungsional, JenjangFungsional

INSTANSI = {
    "nama": "Balai Besar Kekarantinaan Kesehatan Medan",
    "singkatan": "BBKK Medan",
    "instansi_induk": "Direktorat Jenderal Penanggulangan Penyakit, Kementerian Kesehatan",
    "alamat": "Jalan Veteran No. 219 Belawan",
    "kota": "Medan",
    "telepon": "(061) 6941343",
    "email": "bbkk.medan@kemkes.go.id",
    "website": "https://bbkkmedan.kemkes.go.id",
}



def demo_logo() -> bytes:
    """A plain emblem for the demo kop surat (green disc, white cross), drawn here so no image file ships."""
    from PIL import Image, ImageDraw  # Pillow comes with fpdf2

    size = 240
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((4, 4, size - 4, size - 4), fill=(0, 112, 60), outline=(212, 175, 55), width=8)
    arm, span = size // 7, size // 2 - 30
    c = size // 2
    draw.rectangle((c - arm, c - span, c + arm, c + span), fill="white")
    draw.rectangle((c - span, c - arm, c + span, c + arm), fill="white")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


# kode -> (nama, parent kode, urutan)
UNITS: dict[str, tuple[str, str | None, int]] = {
    "BBKK": ("Balai Besar Kekarantinaan Kesehatan Medan", None, 0),
    "ADUM": ("Subbagian Administrasi Umum", "BBKK", 1),
    "WK-BLW": ("Wilayah Kerja Pelabuhan Belawan", "BBKK", 2),
    "WK-KNO": ("Wilayah Kerja Bandar Udara Internasional Kualanamu", "BBKK", 3),
}

# Annual angka kredit coefficient per jenjang (domain.md §3.2).
KOEFISIEN_AK = {
    G.PEMULA: Decimal("3.75"), G.TERAMPIL: Decimal("5"), G.MAHIR: Decimal("12.5"), G.PENYELIA: Decimal("25"),
    G.AHLI_PERTAMA: Decimal("12.5"), G.AHLI_MUDA: Decimal("25"), G.AHLI_MADYA: Decimal("37.5"),
    G.AHLI_UTAMA: Decimal("50"),
}
KELAS_JENJANG = {G.TERAMPIL: 6, G.MAHIR: 7, G.AHLI_PERTAMA: 8, G.AHLI_MUDA: 9, G.AHLI_MADYA: 11}

# Golongan a PNS holds at each jenjang (domain.md §3.4) and the PPPK golongan used for it.
GOLONGAN_JENJANG: dict[JenjangFungsional, tuple[str, ...]] = {
    G.PEMULA: ("II/a",),
    G.TERAMPIL: ("II/b", "II/c", "II/d"),
    G.MAHIR: ("III/a", "III/b"),
    G.PENYELIA: ("III/c", "III/d"),
    G.AHLI_PERTAMA: ("III/a", "III/b"),
    G.AHLI_MUDA: ("III/c", "III/d"),
    G.AHLI_MADYA: ("IV/a", "IV/b", "IV/c"),
    G.AHLI_UTAMA: ("IV/d", "IV/e"),
}
GOLONGAN_PPPK_JENJANG = {G.TERAMPIL: "VII", G.MAHIR: "VIII", G.AHLI_PERTAMA: "IX", G.AHLI_MUDA: "X"}


@dataclass(frozen=True)
class JabatanDef:
    nama: str
    jenis: JenisJabatan
    unit: str
    kelas: int
    kategori: KategoriFungsional | None = None
    jenjang: JenjangFungsional | None = None
    pimpinan: bool = False


def _jf(base: str, jenjang: JenjangFungsional) -> JabatanDef:
    kategori = K.KEAHLIAN if jenjang.value.startswith("Ahli") else K.KETERAMPILAN
    return JabatanDef(f"{base} {jenjang.value}", J.FUNGSIONAL, "BBKK", KELAS_JENJANG[jenjang], kategori, jenjang)


JABATAN: dict[str, JabatanDef] = {
    "kepala": JabatanDef("Kepala Balai Besar Kekarantinaan Kesehatan", J.JPT, "BBKK", 14, pimpinan=True),
    "kasubbag": JabatanDef("Kepala Subbagian Administrasi Umum", J.PENGAWAS, "ADUM", 9, pimpinan=True),
    "epid_madya": _jf("Epidemiolog Kesehatan", G.AHLI_MADYA),
    "epid_muda": _jf("Epidemiolog Kesehatan", G.AHLI_MUDA),
    "epid_pertama": _jf("Epidemiolog Kesehatan", G.AHLI_PERTAMA),
    "ento_muda": _jf("Entomolog Kesehatan", G.AHLI_MUDA),
    "ento_pertama": _jf("Entomolog Kesehatan", G.AHLI_PERTAMA),
    "sanitarian_mahir": _jf("Sanitarian", G.MAHIR),
    "sanitarian_terampil": _jf("Sanitarian", G.TERAMPIL),
    "dokter_muda": _jf("Dokter", G.AHLI_MUDA),
    "dokter_pertama": _jf("Dokter", G.AHLI_PERTAMA),
    "perawat_mahir": _jf("Perawat", G.MAHIR),
    "perawat_terampil": _jf("Perawat", G.TERAMPIL),
    # Pranata Laboratorium Kesehatan: the functional position formerly called "Analis Kesehatan".
    "lab_mahir": _jf("Pranata Laboratorium Kesehatan", G.MAHIR),
    "lab_terampil": _jf("Pranata Laboratorium Kesehatan", G.TERAMPIL),
    "perencana_muda": _jf("Perencana", G.AHLI_MUDA),
    "perencana_pertama": _jf("Perencana", G.AHLI_PERTAMA),
    "apk_pertama": _jf("Analis Pengelolaan Keuangan APBN", G.AHLI_PERTAMA),
    "prakom_pertama": _jf("Pranata Komputer", G.AHLI_PERTAMA),
    "prakom_terampil": _jf("Pranata Komputer", G.TERAMPIL),
    "sdm_muda": _jf("Analis Sumber Daya Manusia Aparatur", G.AHLI_MUDA),
    "sdm_pertama": _jf("Analis Sumber Daya Manusia Aparatur", G.AHLI_PERTAMA),
    "arsiparis_pertama": _jf("Arsiparis", G.AHLI_PERTAMA),
    "arsiparis_terampil": _jf("Arsiparis", G.TERAMPIL),
    "plo_adum": JabatanDef("Penata Layanan Operasional", J.PELAKSANA, "ADUM", 7),
    "pp_adum": JabatanDef("Pengadministrasi Perkantoran", J.PELAKSANA, "ADUM", 5),
    "olo_adum": JabatanDef("Operator Layanan Operasional", J.PELAKSANA, "ADUM", 5),
    "plo_blw": JabatanDef("Penata Layanan Operasional", J.PELAKSANA, "WK-BLW", 7),
    "pp_blw": JabatanDef("Pengadministrasi Perkantoran", J.PELAKSANA, "WK-BLW", 5),
    "olo_kno": JabatanDef("Operator Layanan Operasional", J.PELAKSANA, "WK-KNO", 5),
    "pp_kno": JabatanDef("Pengadministrasi Perkantoran", J.PELAKSANA, "WK-KNO", 5),
}

# key -> (nama, deskripsi); Ketua Tim Kerja I to V are the pemberi pertimbangan of SOP 000.
TIM: dict[str, tuple[str, str]] = {
    "surveilans": ("Tim Kerja Surveilans dan Karantina Kesehatan",
                   "Surveilans penyakit dan faktor risiko, karantina orang, alat angkut dan barang."),
    "lingkungan": ("Tim Kerja Pengendalian Faktor Risiko Lingkungan",
                   "Pengendalian vektor dan binatang pembawa penyakit, sanitasi pelabuhan dan bandara."),
    "yankes": ("Tim Kerja Pelayanan Kesehatan dan Kedaruratan",
               "Pelayanan kesehatan pelaku perjalanan, vaksinasi internasional, kesiapsiagaan kedaruratan."),
    "perencanaan": ("Tim Kerja Perencanaan, Keuangan dan Evaluasi",
                    "Perencanaan program dan anggaran, pengelolaan keuangan, evaluasi dan pelaporan kinerja."),
    "umum": ("Tim Kerja Kepegawaian, Umum dan Hubungan Masyarakat",
             "Kepegawaian, kearsipan, teknologi informasi, barang milik negara dan kehumasan."),
}


@dataclass(frozen=True)
class Orang:
    key: str
    nama: str
    gelar_depan: str | None
    gelar_belakang: str | None
    jk: str  # "L" / "P"
    lahir: dt.date
    tmt: tuple[int, int]  # (year, month) of TMT CPNS; PPPK: month is ignored
    jabatan: str
    golongan: str
    tim: str | None = None
    pppk: bool = False
    ketua: bool = False


def _o(key, nama, gd, gb, jk, lahir, tmt, jabatan, golongan, tim=None, pppk=False, ketua=False) -> Orang:
    y, m, d = (int(x) for x in lahir.split("-"))
    return Orang(key, nama, gd, gb, jk, dt.date(y, m, d), tmt, jabatan, golongan, tim, pppk, ketua)


ORANG: tuple[Orang, ...] = (
    _o("kepala", "Hendra Saputra Nasution", "dr.", "M.K.M.", "L", "1971-04-12", (1999, 3), "kepala", "IV/c"),
    _o("kasubbag", "Rahmat Hidayat Siregar", None, "S.E., M.M.", "L", "1979-08-23", (2005, 1), "kasubbag", "III/d"),
    # Tim Kerja I: Surveilans dan Karantina Kesehatan
    _o("ketua_surveilans", "Sri Wahyuni Lubis", None, "S.K.M., M.Epid.", "P", "1976-02-14", (2002, 12),
       "epid_madya", "IV/a", "surveilans", ketua=True),
    _o("epid_muda", "Ahmad Fauzi Harahap", None, "S.K.M., M.K.M.", "L", "1984-06-30", (2009, 3), "epid_muda",
       "III/d", "surveilans"),
    _o("epid_pertama", "Nurul Aini", None, "S.K.M.", "P", "1992-11-05", (2019, 2), "epid_pertama", "III/b",
       "surveilans"),
    _o("epid_pppk", "Rizki Ramadhan", None, "S.K.M.", "L", "1996-01-19", (2023, 1), "epid_pertama", "IX",
       "surveilans", pppk=True),
    _o("perawat_1", "Dewi Sartika Purba", None, "A.Md.Kep.", "P", "1990-07-21", (2014, 4), "perawat_terampil",
       "II/d", "surveilans"),
    _o("perawat_pppk", "Fitri Handayani", None, "A.Md.Kep.", "P", "1997-03-09", (2022, 1), "perawat_terampil",
       "VII", "surveilans", pppk=True),
    _o("plo_blw", "Bambang Sutrisno", None, "S.Sos.", "L", "1986-09-17", (2010, 3), "plo_blw", "III/b",
       "surveilans"),
    _o("olo_kno", "Yusuf Maulana", None, None, "L", "1993-12-02", (2017, 6), "olo_kno", "II/b", "surveilans"),
    # Tim Kerja II: Pengendalian Faktor Risiko Lingkungan
    _o("ketua_lingkungan", "Togar Manurung", None, "S.Si., M.Sc.", "L", "1981-05-27", (2006, 4), "ento_muda",
       "III/d", "lingkungan", ketua=True),
    _o("ento_pertama", "Lestari Ningsih Ginting", None, "S.Si.", "P", "1993-04-16", (2019, 3), "ento_pertama",
       "III/a", "lingkungan"),
    _o("sanitarian_1", "Muhammad Iqbal Batubara", None, "A.Md.KL.", "L", "1987-10-08", (2011, 3),
       "sanitarian_mahir", "III/b", "lingkungan"),
    _o("sanitarian_2", "Ratih Kusumawati", None, "A.Md.KL.", "P", "1989-12-25", (2014, 2), "sanitarian_mahir",
       "III/a", "lingkungan"),
    _o("sanitarian_3", "Agus Salim Tanjung", None, "A.Md.KL.", "L", "1994-08-11", (2018, 2),
       "sanitarian_terampil", "II/c", "lingkungan"),
    _o("sanitarian_pppk", "Putri Amelia Sembiring", None, "A.Md.KL.", "P", "1998-06-03", (2024, 1),
       "sanitarian_terampil", "VII", "lingkungan", pppk=True),
    _o("lab_1", "Siti Rahmah Daulay", None, "A.Md.AK.", "P", "1988-03-29", (2012, 5), "lab_mahir", "III/a",
       "lingkungan"),
    _o("pp_blw", "Joko Prasetyo", None, None, "L", "1985-02-18", (2009, 1), "pp_blw", "II/d", "lingkungan"),
    # Tim Kerja III: Pelayanan Kesehatan dan Kedaruratan
    _o("ketua_yankes", "Maria Magdalena Simanjuntak", "dr.", "M.Kes.", "P", "1982-09-09", (2008, 6),
       "dokter_muda", "III/d", "yankes", ketua=True),
    _o("dokter_1", "Andi Pratama", "dr.", None, "L", "1991-03-22", (2018, 4), "dokter_pertama", "III/b", "yankes"),
    _o("dokter_pppk", "Annisa Rahmadani", "dr.", None, "P", "1995-10-14", (2023, 1), "dokter_pertama", "IX",
       "yankes", pppk=True),
    _o("perawat_2", "Erna Wati Sinaga", None, "A.Md.Kep.", "P", "1986-05-06", (2010, 4), "perawat_mahir", "III/b",
       "yankes"),
    _o("perawat_3", "Heri Gunawan", None, "A.Md.Kep.", "L", "1992-01-28", (2016, 3), "perawat_terampil", "II/c",
       "yankes"),
    _o("perawat_4", "Novi Yanti Hasibuan", None, "A.Md.Kep.", "P", "1990-11-30", (2013, 12), "perawat_terampil",
       "II/d", "yankes"),
    _o("lab_2", "Doni Saragih", None, "A.Md.AK.", "L", "1993-07-07", (2017, 3), "lab_terampil", "II/d", "yankes"),
    _o("pp_kno_pppk", "Suryani", None, None, "P", "1994-04-04", (2022, 1), "pp_kno", "V", "yankes", pppk=True),
    # Tim Kerja IV: Perencanaan, Keuangan dan Evaluasi
    _o("ketua_perencanaan", "Irwan Syahputra Pane", None, "S.E., M.Ak.", "L", "1983-01-15", (2008, 3),
       "perencana_muda", "III/c", "perencanaan", ketua=True),
    _o("perencana_1", "Mega Silvia", None, "S.E.", "P", "1994-09-19", (2019, 3), "perencana_pertama", "III/a",
       "perencanaan"),
    _o("apk_1", "Yohana Br Tarigan", None, "S.Ak.", "P", "1991-06-12", (2017, 3), "apk_pertama", "III/b",
       "perencanaan"),
    _o("plo_adum_1", "Zulkifli Nasution", None, "S.E.", "L", "1984-10-21", (2009, 4), "plo_adum", "III/b",
       "perencanaan"),
    _o("pp_adum_pppk", "Indah Permata Sari", None, None, "P", "1996-12-08", (2024, 1), "pp_adum", "V",
       "perencanaan", pppk=True),
    _o("prakom_1", "Fajar Nugroho", None, "S.Kom.", "L", "1990-02-26", (2015, 3), "prakom_pertama", "III/b",
       "perencanaan"),
    # Tim Kerja V: Kepegawaian, Umum dan Hubungan Masyarakat
    _o("ketua_umum", "Hasanah Rangkuti", None, "S.Psi., M.Si.", "P", "1980-07-04", (2006, 1), "sdm_muda", "III/d",
       "umum", ketua=True),
    _o("sdm_1", "Teguh Santoso", None, "S.H.", "L", "1992-05-13", (2018, 3), "sdm_pertama", "III/b", "umum"),
    _o("arsiparis_1", "Rina Marlina", None, "A.Md.", "P", "1989-08-02", (2012, 3), "arsiparis_terampil", "II/d",
       "umum"),
    _o("arsiparis_2", "Desi Ratnasari", None, "S.Hum.", "P", "1995-02-10", (2020, 3), "arsiparis_pertama", "III/a",
       "umum"),
    _o("prakom_2", "Ilham Akbar", None, "A.Md.Kom.", "L", "1995-11-23", (2019, 3), "prakom_terampil", "II/c",
       "umum"),
    _o("plo_adum_2", "Sutrisno Lubis", None, "S.Sos.", "L", "1978-03-31", (2003, 3), "plo_adum", "III/c", "umum"),
    _o("pp_adum_1", "Wahyu Hidayat", None, None, "L", "1988-12-12", (2011, 2), "pp_adum", "II/c", "umum"),
    _o("olo_adum_1", "Dian Anggraini", None, None, "P", "1997-05-15", (2020, 2), "olo_adum", "II/a", "umum"),
)
PERENCANA_KEY = "ketua_perencanaan"


def nip_for(o: Orang, serial: int) -> str:
    """NIP (PNS: birth date, TMT year-month, gender, serial) or NI PPPK (birth, TMT year, 2, formasi, ...)."""
    gender = "1" if o.jk == "L" else "2"
    born = o.lahir.strftime("%Y%m%d")
    if o.pppk:
        return f"{born}{o.tmt[0]:04d}21{gender}{serial:03d}"
    return f"{born}{o.tmt[0]:04d}{o.tmt[1]:02d}{gender}{serial:03d}"


def roster() -> list[dict]:
    """The demo pegawai as plain dicts (NIP computed and validated), in a fixed order."""
    rows = []
    for i, o in enumerate(ORANG):
        nip = nip_for(o, 1 + (i * 7) % 9)
        info = parse_nip(nip)  # raises if the fixed list ever becomes inconsistent
        rows.append({"key": o.key, "nip": nip, "orang": o, "info": info})
    return rows


def full_name(o: Orang) -> str:
    name = f"{o.gelar_depan} {o.nama}" if o.gelar_depan else o.nama
    return f"{name}, {o.gelar_belakang}" if o.gelar_belakang else name


def _email(o: Orang) -> str:
    parts = o.nama.lower().replace(".", "").split()
    return f"{parts[0]}.{parts[-1]}@{EMAIL_DOMAIN}" if len(parts) > 1 else f"{parts[0]}@{EMAIL_DOMAIN}"


@dataclass(frozen=True)
class DemoResult:
    loaded: bool
    message: str
    pegawai: int = 0
    akun: int = 0
    tim: int = 0
    tahun: int | None = None
    skp: int = 0
    logbook: int = 0
    evaluasi: int = 0
    kinerja: int = 0  # realisations of organisational indicators (services.demo.kinerja)


def _get_or_add(s: Session, model, lookup: dict, **values):
    obj = s.scalar(select(model).filter_by(**lookup))
    if obj is None:
        obj = model(**lookup, **values)
        s.add(obj)
        s.flush()
    return obj


def load_office(actor: Actor = SYSTEM, year: int | None = None, if_empty: bool = False) -> DemoResult:
    """Load the demo office into an empty database in one transaction, then (unless `with_skp` is False) the
    demo SKPs of services/demo_skp.py, each through the SKP services as the acting account, then (unless
    `with_logbook` is False; by default it follows `with_skp`, as entries need an approved SKP) the demo
    logbook of services/demo_logbook.py, then (unless `with_evaluasi` is False; by default it follows the
    logbook) the demo evaluations of services/demo_evaluasi.py.

    When pegawai already exist nothing is written: with `if_empty` a skipped result is returned, otherwise
    Conflict is raised. Existing units, jabatan, tim, period or accounts with the same keys are reused.
    """
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat memuat data demo.")
    today = clock.today()
    year = year or today.year
    start = dt.date(min(year, today.year), 1, 1)
    people = roster()
    password_hash = auth.hash_password(DEMO_PASSWORD)  # bcrypt once; every demo account shares it

    with unit_of_work(actor, action="demo_data") as s:
        existing = s.scalar(select(func.count()).select_from(Pegawai)) or 0
        if existing:
            msg = f"Data pegawai sudah ada ({existing} pegawai); data demo tidak dimuat."
            if if_empty:
                return DemoResult(loaded=False, message=msg)
            raise Conflict(msg + " Data demo hanya dapat dimuat ke basis data yang masih kosong.")

        if s.scalar(select(func.count()).select_from(Instansi)) == 0:
            s.add(Instansi(**INSTANSI, logo_png=demo_logo()))

        units: dict[str, UnitKerja] = {}
        for kode, (nama, parent, urutan) in UNITS.items():
            units[kode] = _get_or_add(s, UnitKerja, {"kode": kode}, nama=nama,
                                      parent_id=units[parent].id if parent else None, urutan=urutan)

        jabatan: dict[str, Jabatan] = {}
        for key, d in JABATAN.items():
            jabatan[key] = _get_or_add(
                s, Jabatan, {"nama": d.nama, "unit_id": units[d.unit].id}, jenis=d.jenis, kategori=d.kategori,
                jenjang=d.jenjang, kelas_jabatan=d.kelas, pimpinan_unit=d.pimpinan,
                koefisien_ak=KOEFISIEN_AK.get(d.jenjang) if d.jenjang else None,
            )

        pegawai: dict[str, Pegawai] = {}
        for row in people:
            o, info = row["orang"], row["info"]
            jab = jabatan[o.jabatan]
            p = Pegawai(
                nip=row["nip"], jenis_asn=JenisASN.PPPK if o.pppk else JenisASN.PNS, nama=o.nama,
                gelar_depan=o.gelar_depan, gelar_belakang=o.gelar_belakang, golongan=o.golongan,
                jabatan_id=jab.id, unit_id=jab.unit_id, tanggal_lahir=info.tanggal_lahir,
                jenis_kelamin=JenisKelamin(info.jenis_kelamin), tmt_asn=info.tmt, email=_email(o),
            )
            s.add(p)
            pegawai[o.key] = p
        s.flush()

        tims: dict[str, TimKerja] = {}
        ketua_of = {o.tim: pegawai[o.key] for o in ORANG if o.ketua}
        for key, (nama, deskripsi) in TIM.items():
            tim = _get_or_add(s, TimKerja, {"nama": nama}, unit_id=units["BBKK"].id, deskripsi=deskripsi)
            tim.ketua_id = ketua_of[key].id
            tims[key] = tim
        for o in ORANG:
            if o.tim:
                pegawai[o.key].tim_id = tims[o.tim].id

        kepala, kasubbag = pegawai["kepala"], pegawai["kasubbag"]
        for o in ORANG:
            if o.key == "kepala":
                continue
            if o.key == "kasubbag":
                line = ReportingLine(pegawai_id=kasubbag.id, pejabat_penilai_id=kepala.id)
            else:
                pertimbangan = None if o.ketua else ketua_of[o.tim].id
                line = ReportingLine(pegawai_id=pegawai[o.key].id, pejabat_penilai_id=kasubbag.id,
                                     atasan_penilai_id=kepala.id, pemberi_pertimbangan_id=pertimbangan)
            line.berlaku_mulai = start
            line.catatan = "Data demo (SOP penilaian kinerja individu)"
            s.add(line)

        if s.scalar(select(Period.id).where(Period.tahun == year)) is None:
            s.add(Period(tahun=year, tanggal_mulai=dt.date(year, 1, 1), tanggal_selesai=dt.date(year, 12, 31),
                         periode_evaluasi=PeriodeEvaluasi.TRIWULANAN, status=StatusPeriode.DIBUKA))

        taken = set(s.scalars(select(User.username)).all())
        accounts = 0
        if ADMIN_USERNAME not in taken:
            _add_user(s, ADMIN_USERNAME, "Administrator SDM", password_hash, None, (Role.ADMIN_SDM,))
            accounts += 1
        for o in ORANG:
            p = pegawai[o.key]
            if p.nip in taken:
                continue
            roles = (Role.KEPALA_SATKER,) if o.key == "kepala" else (Role.PERENCANA,) if o.key == PERENCANA_KEY else ()
            _add_user(s, p.nip, full_name(o), password_hash, p.id, roles)
            accounts += 1
    return DemoResult(loaded=True, message="Data demo dimuat.", pegawai=len(pegawai), akun=accounts,
                      tim=len(tims), tahun=year, )


def _add_user(s: Session, username: str, nama: str, password_hash: str, pegawai_id: int | None,
              roles: tuple[Role, ...]) -> None:
    user = User(username=username, nama=nama, password_hash=password_hash, pegawai_id=pegawai_id,
                must_change_password=False, aktif=True)
    user.roles = [UserRole(role=r) for r in roles]
    s.add(user)


def demo_usernames() -> list[str]:
    """Demo account names in display order: admin, Kepala, Kasubbag, Ketua Tim, then the others."""
    people = roster()
    leaders = [r["nip"] for r in people if r["key"] in ("kepala", "kasubbag")]
    ketua = [r["nip"] for r in people if r["orang"].ketua]
    others = [r["nip"] for r in people if r["nip"] not in leaders and r["nip"] not in ketua]
    return [ADMIN_USERNAME, *leaders, *ketua, *others]


def demo_accounts(actor: Actor = SYSTEM) -> list[dict]:
    """Demo accounts present in the database that still accept DEMO_PASSWORD.

    Each: {"username", "password", "nama", "roles"} with roles as sorted role values (from reporting lines
    in force today plus assigned roles). Meant for the command line (`ekinerja demo-accounts --json`).
    """
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat melihat akun demo.")
    order = demo_usernames()
    rank = {u: i for i, u in enumerate(order)}
    with read_session() as s:
        users = s.scalars(select(User).where(User.username.in_(order), User.aktif.is_(True))).all()
        by_hash: dict[str, list[User]] = defaultdict(list)
        for u in users:
            by_hash[u.password_hash].append(u)
        valid = [u for h, group in by_hash.items() if auth.check_password(DEMO_PASSWORD, h) for u in group]
        valid.sort(key=lambda u: rank[u.username])
        return [{"username": u.username, "password": DEMO_PASSWORD, "nama": u.nama,
                 "roles": sorted(r.value for r in auth.roles_for(s, u))} for u in valid]
