"""Demo SKPs for the demo office (services/demo.py), in every state of the SOP 003/004 cycle.

Cascade over three levels: the Kepala Balai (JPT format, RHK with perspektif, approved by Admin SDM because his
superior is outside the satker) -> the Kasubbag Adum (pejabat penilai of everyone else, approved by the Kepala)
-> the Ketua Tim and staff (their RHK Utama intervene the Kasubbag's RHK). Every SKP is built through the real
services acting as the right account (services.auth.load_actor), so the rules run and the audit log records
who did what. The content is a fixed list (deterministic); only timestamps depend on the clock.

States among the pegawai (see STATE): Belum dibuat, Draft, Diajukan (in the Kasubbag's queue), Dikembalikan
(with notes), Disetujui; one SKP approved twice (version 2 after an accepted revision) and one approved SKP
with a pending revision request. `E2E_PEGAWAI_KEY` is a plain pegawai without SKP (used by the browser test).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from db.engine import read_session
from db.models import Period
from services import skp
from services.auth import login as auth
from services.core.actor import Actor
from services.demo import office as demo

KUAN, KUAL, WAKTU = "Kuantitas", "Kualitas", "Waktu"
PENERIMA, PROSES, INTERNAL, ANGGARAN = ("Perspektif Penerima Layanan", "Perspektif Proses Bisnis",
                                        "Perspektif Penguatan Internal", "Perspektif Anggaran")

BELUM, DRAFT, DIAJUKAN, DIKEMBALIKAN, DISETUJUI = "belum", "draft", "diajukan", "dikembalikan", "disetujui"
REVISI_V2 = "revisi_v2"  # approved, revised after an accepted request, approved again (version 2)
REVISI_DIMINTA = "revisi_diminta"  # approved, with a revision request waiting for the penilai

E2E_PEGAWAI_KEY = "perawat_4"  # a plain pegawai (roles exactly ["pegawai"]) left without SKP


@dataclass(frozen=True)
class IkiSpec:
    aspek: str | None  # None for JPT
    indikator: str
    target_min: float
    satuan: str
    target_max: float | None = None


@dataclass(frozen=True)
class RhkSpec:
    uraian: str
    iki: tuple[IkiSpec, ...]
    parent: str | None = None  # code of the penilai's RHK ("K1"...) or of the Kepala's ("P1"...)
    cascading: str = "Direct"
    perspektif: str | None = None  # JPT only
    jenis: str = "Utama"


def _i(aspek: str | None, indikator: str, tmin: float, satuan: str, tmax: float | None = None) -> IkiSpec:
    return IkiSpec(aspek, indikator, tmin, satuan, tmax)


def _r(uraian: str, parent: str | None, *iki: IkiSpec, cascading: str = "Direct", jenis: str = "Utama") -> RhkSpec:
    return RhkSpec(uraian, iki, parent, cascading if parent else "", None, jenis)


def _p(code: str, uraian: str, perspektif: str, *iki: IkiSpec) -> tuple[str, RhkSpec]:
    return code, RhkSpec(uraian, iki, None, "", perspektif)


# --- level 1: Kepala Balai (JPT, from the Perjanjian Kinerja) ----------------------------------------
KEPALA_RHK: tuple[tuple[str, RhkSpec], ...] = (
    _p("P1", "Meningkatnya cegah tangkal penyakit dan faktor risiko kesehatan di pintu masuk negara", PENERIMA,
       _i(None, "Persentase alat angkut yang diawasi sesuai standar kekarantinaan kesehatan", 95, "%", 100),
       _i(None, "Persentase pelaku perjalanan bergejala yang ditindaklanjuti sesuai pedoman", 100, "%")),
    _p("P2", "Meningkatnya kualitas layanan kekarantinaan kesehatan bagi pengguna jasa", PENERIMA,
       _i(None, "Indeks kepuasan masyarakat terhadap layanan BBKK Medan", 3.5, "indeks", 4),
       _i(None, "Persentase dokumen kesehatan yang terbit sesuai standar waktu layanan", 95, "%")),
    _p("P3", "Terlaksananya surveilans dan respon cepat kedaruratan kesehatan masyarakat", PROSES,
       _i(None, "Persentase sinyal kewaspadaan dini yang direspon kurang dari 24 jam", 90, "%"),
       _i(None, "Jumlah laporan surveilans terpadu di pintu masuk", 12, "laporan")),
    _p("P4", "Terwujudnya tata kelola organisasi dan SDM yang akuntabel", INTERNAL,
       _i(None, "Nilai evaluasi SAKIP balai", 80, "nilai"),
       _i(None, "Indeks Profesionalitas ASN", 71, "indeks", 80)),
    _p("P5", "Terkelolanya anggaran secara efektif, efisien dan akuntabel", ANGGARAN,
       _i(None, "Persentase realisasi anggaran", 95, "%"),
       _i(None, "Nilai Indikator Kinerja Pelaksanaan Anggaran (IKPA)", 93, "nilai")),
)

# --- level 2: Kasubbag Adum (JA, intervenes the Kepala's RHK) -----------------------------------------
KASUBBAG_RHK: tuple[tuple[str, RhkSpec], ...] = (
    ("K1", _r("Terkoordinasinya pengawasan kekarantinaan alat angkut, orang dan barang di pelabuhan dan bandara",
              "P1", _i(KUAN, "Jumlah laporan koordinasi pengawasan alat angkut", 12, "laporan"),
              _i(WAKTU, "Persentase laporan disampaikan paling lambat tanggal 5 bulan berikutnya", 100, "%"))),
    ("K2", _r("Terkoordinasinya surveilans penyakit dan pengendalian faktor risiko lingkungan", "P3",
              _i(KUAN, "Jumlah laporan surveilans terpadu yang direkapitulasi", 12, "laporan"),
              _i(KUAL, "Persentase laporan surveilans yang lengkap dan valid", 90, "%", 100))),
    ("K3", _r("Terselenggaranya layanan vaksinasi internasional dan dokumen kesehatan yang tepat waktu", "P2",
              _i(KUAL, "Persentase dokumen kesehatan terbit sesuai standar waktu layanan", 95, "%"),
              _i(KUAN, "Jumlah laporan layanan vaksinasi internasional", 12, "laporan"))),
    ("K4", _r("Terkelolanya perencanaan, keuangan dan barang milik negara secara akuntabel", "P5",
              _i(KUAL, "Nilai IKPA satuan kerja", 93, "nilai"),
              _i(WAKTU, "Persentase laporan keuangan disampaikan tepat waktu", 100, "%"))),
    ("K5", _r("Terkelolanya administrasi kepegawaian, kearsipan dan layanan umum", "P4",
              _i(KUAN, "Jumlah layanan administrasi kepegawaian yang diselesaikan", 120, "layanan", 150),
              _i(KUAL, "Persentase data kepegawaian yang mutakhir", 100, "%"), cascading="Non Direct")),
    ("T1", _r("Menjadi fasilitator pembangunan Zona Integritas menuju Wilayah Bebas dari Korupsi", None,
              _i(KUAN, "Jumlah kegiatan pembinaan integritas yang difasilitasi", 4, "kegiatan"), jenis="Tambahan")),
)

_ZI = _r("Menjadi anggota tim pembangunan Zona Integritas", None,
         _i(KUAN, "Jumlah laporan kegiatan tim Zona Integritas", 4, "laporan"), jenis="Tambahan")

# --- level 3: Ketua Tim and staff (JA/JF, intervene the Kasubbag's RHK) -------------------------------
DUTIES: dict[str, tuple[RhkSpec, ...]] = {
    "ketua_surveilans": (
        _r("Terlaksananya surveilans penyakit dan faktor risiko kesehatan di pintu masuk negara", "K2",
           _i(KUAN, "Jumlah laporan Sistem Kewaspadaan Dini dan Respon (SKDR) mingguan", 52, "laporan"),
           _i(KUAL, "Persentase kelengkapan laporan SKDR", 90, "%", 100)),
        _r("Terselenggaranya pengawasan kekarantinaan alat angkut, orang dan barang", "K1",
           _i(KUAN, "Jumlah laporan pengawasan alat angkut", 12, "laporan"),
           _i(WAKTU, "Persentase laporan pengawasan disampaikan tepat waktu", 100, "%")),
        _ZI,
    ),
    "ketua_lingkungan": (
        _r("Terkendalinya faktor risiko lingkungan dan vektor di wilayah pelabuhan dan bandara", "K2",
           _i(KUAL, "Persentase wilayah perimeter dengan indeks vektor di bawah ambang batas", 90, "%"),
           _i(KUAN, "Jumlah laporan pengendalian faktor risiko lingkungan", 12, "laporan")),
        _r("Terlaksananya pengawasan sanitasi alat angkut dan tempat-tempat umum", "K1",
           _i(KUAN, "Jumlah laporan pengawasan sanitasi", 12, "laporan")),
        _ZI,
    ),
    "ketua_yankes": (
        _r("Terselenggaranya layanan vaksinasi internasional dan penerbitan dokumen kesehatan", "K3",
           _i(KUAL, "Persentase ICV yang terbit sesuai standar waktu layanan", 95, "%"),
           _i(KUAN, "Jumlah laporan layanan kesehatan pelaku perjalanan", 12, "laporan")),
        _r("Terlaksananya kesiapsiagaan kedaruratan kesehatan di pintu masuk", "K1",
           _i(KUAN, "Jumlah simulasi kedaruratan kesehatan yang dilaksanakan", 2, "kegiatan"),
           _i(WAKTU, "Persentase laporan simulasi disampaikan paling lambat 7 hari setelah kegiatan", 100, "%"),
           cascading="Non Direct"),
        _ZI,
    ),
    "ketua_perencanaan": (
        _r("Tersusunnya perencanaan program dan anggaran balai yang tepat waktu", "K4",
           _i(KUAN, "Jumlah dokumen RKA-K/L dan revisi DIPA", 4, "dokumen"),
           _i(WAKTU, "Persentase dokumen perencanaan disampaikan sesuai jadwal", 100, "%")),
        _r("Terlaksananya evaluasi dan pelaporan kinerja balai", "K4",
           _i(KUAN, "Jumlah laporan kinerja triwulanan dan LAKIP", 5, "laporan"),
           _i(KUAL, "Nilai evaluasi SAKIP", 80, "nilai")),
        _ZI,
    ),
    "ketua_umum": (
        _r("Terkelolanya administrasi kepegawaian dan pengembangan kompetensi pegawai", "K5",
           _i(KUAN, "Jumlah layanan kepegawaian yang diselesaikan", 120, "layanan"),
           _i(KUAL, "Persentase pegawai yang memenuhi 20 JP pengembangan kompetensi", 80, "%", 100)),
        _r("Terkelolanya kearsipan, teknologi informasi dan kehumasan balai", "K5",
           _i(KUAN, "Jumlah publikasi layanan kekarantinaan di media sosial", 48, "publikasi")),
        _ZI,
    ),
    "epid": (
        _r("Tersusunnya analisis data surveilans penyakit potensial KLB di pintu masuk", "K2",
           _i(KUAN, "Jumlah laporan analisis surveilans mingguan", 52, "laporan"),
           _i(KUAL, "Persentase laporan analisis yang memenuhi kaidah epidemiologi", 90, "%"),
           _i(WAKTU, "Persentase laporan disampaikan paling lambat hari Senin minggu berikutnya", 100, "%")),
        _r("Terlaksananya penyelidikan epidemiologi terhadap sinyal kewaspadaan dini", "K2",
           _i(KUAN, "Jumlah laporan penyelidikan epidemiologi", 6, "laporan", 10),
           _i(WAKTU, "Persentase sinyal yang direspon dalam 24 jam", 90, "%")),
    ),
    "perawat_surveilans": (
        _r("Terlaksananya pemeriksaan kesehatan pelaku perjalanan dan awak alat angkut", "K1",
           _i(KUAN, "Jumlah pelaku perjalanan yang diperiksa kesehatannya", 1000, "orang", 1200),
           _i(WAKTU, "Persentase pemeriksaan selesai sebelum izin kekarantinaan diterbitkan", 100, "%")),
        _r("Terlaksananya pengambilan spesimen pelaku perjalanan bergejala", "K2",
           _i(KUAN, "Jumlah spesimen yang diambil sesuai prosedur", 100, "spesimen"), cascading="Non Direct"),
    ),
    "plo_blw": (
        _r("Terkelolanya administrasi penerbitan dokumen kesehatan kapal di Pelabuhan Belawan", "K1",
           _i(KUAN, "Jumlah dokumen kesehatan kapal (PHQC dan SSCEC) yang diadministrasikan", 900, "dokumen", 1000),
           _i(KUAL, "Persentase dokumen tanpa kesalahan data", 98, "%")),
    ),
    "olo_kno": (
        _r("Terlaksananya pendataan kedatangan alat angkut di Bandar Udara Internasional Kualanamu", "K1",
           _i(KUAN, "Jumlah rekapitulasi data kedatangan pesawat", 12, "laporan"),
           _i(WAKTU, "Persentase data kedatangan diinput ke SINKARKES pada hari yang sama", 100, "%")),
    ),
    "ento": (
        _r("Terlaksananya survei kepadatan vektor dan binatang pembawa penyakit", "K2",
           _i(KUAN, "Jumlah laporan survei vektor", 24, "laporan"),
           _i(KUAL, "Persentase titik survei dengan indeks jentik di bawah ambang batas", 95, "%")),
        _r("Terlaksananya pengendalian vektor di wilayah perimeter pelabuhan", "K2",
           _i(KUAN, "Jumlah kegiatan pengendalian vektor", 12, "kegiatan")),
    ),
    "sanitarian": (
        _r("Terlaksananya pemeriksaan sanitasi kapal dan pesawat udara", "K1",
           _i(KUAN, "Jumlah alat angkut yang diperiksa sanitasinya", 300, "alat angkut", 400),
           _i(KUAL, "Persentase sertifikat sanitasi kapal yang terbit sesuai standar", 100, "%")),
        _r("Terlaksananya inspeksi kesehatan lingkungan tempat-tempat umum di pelabuhan", "K2",
           _i(KUAN, "Jumlah tempat-tempat umum yang diinspeksi", 48, "lokasi"),
           _i(WAKTU, "Persentase hasil inspeksi dilaporkan dalam 3 hari kerja", 100, "%")),
    ),
    "lab_lingkungan": (
        _r("Terlaksananya pemeriksaan laboratorium sampel air dan vektor", "K2",
           _i(KUAN, "Jumlah sampel yang diperiksa", 600, "sampel"),
           _i(WAKTU, "Persentase hasil uji selesai dalam 3 hari kerja", 95, "%")),
    ),
    "lab_yankes": (
        _r("Terlaksananya pemeriksaan laboratorium penunjang layanan kesehatan pelaku perjalanan", "K3",
           _i(KUAN, "Jumlah pemeriksaan laboratorium", 400, "pemeriksaan"),
           _i(KUAL, "Persentase hasil pemeriksaan yang lolos pemantapan mutu internal", 100, "%")),
    ),
    "pp_blw": (
        _r("Terkelolanya administrasi persuratan Tim Kerja Pengendalian Faktor Risiko Lingkungan", "K2",
           _i(KUAN, "Jumlah surat yang diagendakan dan didistribusikan", 600, "surat"),
           _i(WAKTU, "Persentase surat didistribusikan pada hari yang sama", 100, "%"), cascading="Non Direct"),
    ),
    "dokter": (
        _r("Terlaksananya layanan vaksinasi internasional dan penerbitan ICV", "K3",
           _i(KUAN, "Jumlah International Certificate of Vaccination (ICV) yang diterbitkan", 1500, "dokumen"),
           _i(KUAL, "Persentase ICV terbit sesuai standar waktu layanan", 95, "%")),
        _r("Terlaksananya pelayanan kesehatan dan rujukan pelaku perjalanan", "K3",
           _i(KUAN, "Jumlah pelaku perjalanan yang dilayani di klinik", 800, "orang"),
           _i(WAKTU, "Persentase rujukan kasus gawat darurat dalam 1 jam", 100, "%")),
    ),
    "perawat_yankes": (
        _r("Terlaksananya layanan vaksinasi meningitis dan yellow fever bagi pelaku perjalanan", "K3",
           _i(KUAN, "Jumlah pelaku perjalanan yang divaksinasi", 1500, "orang"),
           _i(KUAL, "Persentase vaksinasi sesuai standar rantai dingin", 100, "%")),
        _r("Terlaksananya pencatatan dan pelaporan kejadian ikutan pasca imunisasi", "K3",
           _i(KUAN, "Jumlah laporan KIPI", 12, "laporan")),
    ),
    "pp_kno": (
        _r("Terkelolanya pendaftaran layanan vaksinasi internasional di Bandara Kualanamu", "K3",
           _i(KUAN, "Jumlah pendaftaran layanan yang diverifikasi", 1500, "pendaftaran"),
           _i(WAKTU, "Persentase pendaftaran diverifikasi dalam 1 hari kerja", 100, "%")),
    ),
    "perencana": (
        _r("Tersusunnya bahan rencana kerja dan anggaran balai", "K4",
           _i(KUAN, "Jumlah dokumen RKA-K/L yang disusun", 2, "dokumen"),
           _i(WAKTU, "Persentase dokumen disampaikan sesuai jadwal", 100, "%")),
        _r("Tersusunnya laporan capaian kinerja triwulanan", "K4",
           _i(KUAN, "Jumlah laporan capaian kinerja", 4, "laporan")),
    ),
    "apk": (
        _r("Terkelolanya pembayaran dan pertanggungjawaban keuangan balai", "K4",
           _i(KUAN, "Jumlah SPM yang diterbitkan", 250, "dokumen", 300),
           _i(KUAL, "Persentase SPM tanpa koreksi KPPN", 100, "%")),
        _r("Tersusunnya laporan keuangan semesteran dan tahunan", "K4",
           _i(KUAN, "Jumlah laporan keuangan", 2, "laporan"),
           _i(WAKTU, "Persentase laporan keuangan disampaikan tepat waktu", 100, "%")),
    ),
    "plo_adum_keuangan": (
        _r("Terverifikasinya dokumen pertanggungjawaban perjalanan dinas", "K4",
           _i(KUAN, "Jumlah dokumen perjalanan dinas yang diverifikasi", 400, "dokumen"),
           _i(KUAL, "Persentase dokumen lengkap sesuai ketentuan", 100, "%")),
    ),
    "prakom_keuangan": (
        _r("Terkelolanya aplikasi pengelolaan keuangan dan data kinerja balai", "K4",
           _i(KUAN, "Jumlah pemutakhiran data pada aplikasi SAKTI dan e-Monev", 12, "laporan"),
           _i(KUAL, "Persentase ketersediaan layanan aplikasi", 99, "%")),
    ),
    "sdm": (
        _r("Terkelolanya layanan kenaikan pangkat dan kenaikan gaji berkala pegawai", "K5",
           _i(KUAN, "Jumlah usulan kenaikan pangkat dan KGB yang diproses", 40, "usulan"),
           _i(WAKTU, "Persentase usulan diproses sebelum TMT", 100, "%")),
        _r("Termutakhirkannya data kepegawaian pada SIASN", "K5",
           _i(KUAL, "Persentase data pegawai yang mutakhir di SIASN", 100, "%")),
        _ZI,
    ),
    "arsiparis": (
        _r("Terkelolanya arsip dinamis balai sesuai tata naskah dinas", "K5",
           _i(KUAN, "Jumlah berkas arsip yang ditata dan didigitalkan", 2000, "berkas"),
           _i(KUAL, "Persentase arsip yang ditemukan kembali dalam 1 hari kerja", 100, "%")),
    ),
    "plo_adum_bmn": (
        _r("Terkelolanya penatausahaan barang milik negara", "K5",
           _i(KUAN, "Jumlah laporan barang milik negara", 4, "laporan"),
           _i(KUAL, "Persentase barang milik negara yang berlabel dan tercatat", 100, "%"), cascading="Non Direct"),
    ),
    "pp_adum": (
        _r("Terkelolanya administrasi persuratan dan agenda pimpinan", "K5",
           _i(KUAN, "Jumlah surat masuk dan keluar yang diagendakan", 1200, "surat"),
           _i(WAKTU, "Persentase disposisi diteruskan pada hari yang sama", 100, "%")),
    ),
}

# person key -> (duty, state); people not listed have no SKP ("Belum dibuat")
PLAN: dict[str, tuple[str, str]] = {
    "ketua_surveilans": ("ketua_surveilans", DISETUJUI),
    "epid_muda": ("epid", REVISI_V2),
    "epid_pertama": ("epid", DISETUJUI),
    "epid_pppk": ("epid", DIAJUKAN),
    "perawat_1": ("perawat_surveilans", DRAFT),
    "plo_blw": ("plo_blw", DIKEMBALIKAN),
    "olo_kno": ("olo_kno", DISETUJUI),
    "ketua_lingkungan": ("ketua_lingkungan", DISETUJUI),
    "ento_pertama": ("ento", REVISI_DIMINTA),
    "sanitarian_1": ("sanitarian", DIAJUKAN),
    "sanitarian_2": ("sanitarian", DISETUJUI),
    "sanitarian_3": ("sanitarian", DRAFT),
    "lab_1": ("lab_lingkungan", DIKEMBALIKAN),
    "pp_blw": ("pp_blw", DISETUJUI),
    "ketua_yankes": ("ketua_yankes", DISETUJUI),
    "dokter_1": ("dokter", DIAJUKAN),
    "dokter_pppk": ("dokter", DISETUJUI),
    "perawat_2": ("perawat_yankes", DISETUJUI),
    "perawat_3": ("perawat_yankes", DIAJUKAN),
    "lab_2": ("lab_yankes", DRAFT),
    "pp_kno_pppk": ("pp_kno", DISETUJUI),
    "ketua_perencanaan": ("ketua_perencanaan", DISETUJUI),
    "perencana_1": ("perencana", DIAJUKAN),
    "apk_1": ("apk", DISETUJUI),
    "plo_adum_1": ("plo_adum_keuangan", DIKEMBALIKAN),
    "prakom_1": ("prakom_keuangan", DISETUJUI),
    "ketua_umum": ("ketua_umum", DIAJUKAN),
    "sdm_1": ("sdm", DISETUJUI),
    "arsiparis_1": ("arsiparis", DRAFT),
    "arsiparis_2": ("arsiparis", DIAJUKAN),
    "plo_adum_2": ("plo_adum_bmn", DISETUJUI),
    "pp_adum_1": ("pp_adum", DIAJUKAN),
}

# overall note and a note on the first RHK, for the returned SKPs
RETURN_NOTES: dict[str, tuple[str, str]] = {
    "plo_blw": ("Sesuaikan target jumlah dokumen dengan rata-rata kunjungan kapal tiga tahun terakhir dan "
                "tambahkan indikator aspek Waktu.",
                "Tambahkan IKI aspek Waktu: ketepatan waktu penerbitan dokumen kesehatan kapal."),
    "lab_1": ("Target 600 sampel belum didukung rencana pengadaan reagen; koordinasikan dengan Tim Kerja "
              "Perencanaan, Keuangan dan Evaluasi lalu ajukan kembali.",
              "Turunkan target atau lampirkan dukungan reagen pada Dukungan Sumber Daya."),
    "plo_adum_1": ("Indikator kualitas perlu ukuran yang lebih jelas, misalnya persentase dokumen tanpa koreksi "
                   "auditor.",
                   "Ubah indikator kualitas menjadi persentase dokumen tanpa koreksi."),
}

REVISION_REASON = {
    "epid_muda": "Penyesuaian target penyelidikan epidemiologi karena peningkatan kasus impor yang dilaporkan "
                 "negara tetangga.",
    "ento_pertama": "Penambahan target survei vektor karena perluasan wilayah perimeter Pelabuhan Belawan.",
}

TIM_SUMBER_DAYA = {
    "surveilans": "Thermal scanner dan alat pelindung diri di terminal kedatangan",
    "lingkungan": "Peralatan survei vektor (light trap, pipet, senter) dan bahan pengendalian vektor",
    "yankes": "Vaksin meningitis dan yellow fever beserta sarana rantai dingin",
    "perencanaan": "Aplikasi SAKTI dan OM-SPAN",
    "umum": "Aplikasi SIASN dan SRIKANDI",
}

# BerAKHLAK urutan -> Ekspektasi Khusus Pimpinan
EKSPEKTASI_KEPALA = {
    1: "Memastikan layanan kekarantinaan kesehatan 24 jam di pintu masuk tanpa keluhan berulang",
    2: "Menindaklanjuti seluruh rekomendasi hasil pemeriksaan sebelum akhir tahun",
    5: "Menjaga nama baik Kementerian Kesehatan dalam koordinasi dengan instansi di pintu masuk",
}
EKSPEKTASI_KASUBBAG = {
    2: "Memastikan pertanggungjawaban keuangan tepat waktu tanpa temuan berulang",
    7: "Mengoordinasikan kelima Tim Kerja dalam rapat evaluasi kinerja bulanan",
}
EKSPEKTASI_TIM = {
    "surveilans": {1: "Melayani pelaku perjalanan dengan ramah dan tanpa pungutan di luar ketentuan",
                   2: "Menyampaikan laporan SKDR tepat waktu sesuai data SINKARKES"},
    "lingkungan": {2: "Menggunakan bahan pengendalian vektor secara efisien dan tercatat",
                   6: "Cepat menyesuaikan jadwal survei saat ada peningkatan kasus"},
    "yankes": {1: "Memberikan layanan vaksinasi internasional sesuai standar waktu layanan",
               3: "Mengikuti pelatihan kegawatdaruratan minimal satu kali tahun ini"},
    "perencanaan": {2: "Menyusun dokumen keuangan yang cermat dan dapat dipertanggungjawabkan",
                    7: "Berkoordinasi aktif dengan seluruh Tim Kerja dalam penyusunan anggaran"},
    "umum": {1: "Memberikan layanan kepegawaian yang cepat dan ramah kepada seluruh pegawai",
             3: "Mengikuti minimal 20 JP pengembangan kompetensi tahun ini"},
}


@dataclass(frozen=True)
class DemoSkpResult:
    skp: int
    status: dict[str, int]


def _actor(username: str) -> Actor:
    actor = auth.load_actor(username)
    if actor is None:
        raise LookupError(f"akun demo {username} tidak ditemukan")
    return actor


def _rows(specs: tuple[RhkSpec, ...], parents: dict[str, tuple[int, str]], jpt: bool) -> list[dict]:
    """Grid rows as the editor hands them over: one row per IKI, the RHK text repeated on each of its rows."""
    rows: list[dict] = []
    for spec in specs:
        for k in spec.iki:
            row = {"id": None, "_row": len(rows) + 1, "jenis": spec.jenis, "rhk": spec.uraian,
                   "indikator": k.indikator, "target_min": k.target_min, "target_max": k.target_max,
                   "satuan": k.satuan}
            if jpt:
                row["perspektif"] = spec.perspektif
            else:
                label = skp.parent_label(*parents[spec.parent]) if spec.parent else None
                row.update({"rhk_atasan": label, "cascading": spec.cascading or None, "aspek": k.aspek})
            rows.append(row)
    return rows


def _lampiran(tahun: int, sumber_daya: str, lapor_kepada: str) -> dict[str, list[str]]:
    return {
        "Dukungan Sumber Daya": [f"Anggaran DIPA BBKK Medan Tahun {tahun}", sumber_daya],
        "Skema Pertanggungjawaban": [f"Laporan bulanan kepada {lapor_kepada}",
                                     "Laporan capaian kinerja triwulanan melalui aplikasi e-Kinerja"],
        "Konsekuensi": ["Capaian kinerja menjadi dasar penetapan predikat kinerja dan tunjangan kinerja",
                        "Target yang tidak tercapai dibahas dalam evaluasi kinerja triwulanan bersama pejabat "
                        "penilai"],
    }


def _rhk_ids(actor: Actor, sid: int, specs: tuple[tuple[str, RhkSpec], ...]) -> dict[str, tuple[int, str]]:
    """code -> (rhk id, uraian) of a saved SKP, matched by text."""
    by_text = {r.uraian: r.id for r in skp.skp_detail(actor, sid).rhk}
    return {code: (by_text[spec.uraian], spec.uraian) for code, spec in specs}


def load_demo_skp(tahun: int) -> DemoSkpResult:
    """Create the demo SKPs for the period of `tahun` (the demo office must be loaded, with no SKP yet)."""
    with read_session() as s:
        period_id = s.scalar(select(Period.id).where(Period.tahun == tahun))
    if period_id is None:
        raise LookupError(f"periode {tahun} tidak ditemukan")
    people = {r["key"]: r for r in demo.roster()}
    admin = _actor(demo.ADMIN_USERNAME)
    kepala = _actor(people["kepala"]["nip"])
    kasub = _actor(people["kasubbag"]["nip"])
    counts = {BELUM: 0, DRAFT: 0, DIAJUKAN: 0, DIKEMBALIKAN: 0, DISETUJUI: 0}

    # level 1: Kepala (JPT) approved by Admin SDM, who records the decision of the superior outside the satker
    kid = skp.get_or_create_skp(kepala, period_id)
    skp.save_rhk_grid(kepala, kid, _rows(tuple(spec for _, spec in KEPALA_RHK), {}, jpt=True))
    skp.save_lampiran(kepala, kid, _lampiran(
        tahun, "Dukungan lintas sektor Otoritas Pelabuhan, Otoritas Bandara, Imigrasi dan Bea Cukai",
        "Direktur Jenderal Penanggulangan Penyakit"))
    skp.submit(kepala, kid)
    skp.set_ekspektasi_khusus(admin, kid, EKSPEKTASI_KEPALA)
    skp.approve(admin, kid)
    p_ids = _rhk_ids(kepala, kid, KEPALA_RHK)

    # level 2: Kasubbag Adum, approved by the Kepala
    mid = skp.get_or_create_skp(kasub, period_id)
    skp.save_rhk_grid(kasub, mid, _rows(tuple(spec for _, spec in KASUBBAG_RHK), p_ids, jpt=False))
    skp.save_lampiran(kasub, mid, _lampiran(tahun, "Sumber daya manusia dan sarana seluruh Tim Kerja",
                                            "Kepala Balai Besar Kekarantinaan Kesehatan"))
    skp.submit(kasub, mid)
    skp.set_ekspektasi_khusus(kepala, mid, EKSPEKTASI_KASUBBAG)
    skp.approve(kepala, mid)
    k_ids = _rhk_ids(kasub, mid, KASUBBAG_RHK)
    counts[DISETUJUI] += 2

    # level 3: Ketua Tim and staff, verified by the Kasubbag
    for o in demo.ORANG:
        if o.key in ("kepala", "kasubbag"):
            continue
        if o.key not in PLAN:
            counts[BELUM] += 1
            continue
        duty, state = PLAN[o.key]
        _staff(_actor(people[o.key]["nip"]), kasub, o, period_id, tahun, DUTIES[duty], k_ids, state)
        counts[DISETUJUI if state in (REVISI_V2, REVISI_DIMINTA) else state] += 1
    return DemoSkpResult(skp=sum(v for k, v in counts.items() if k != BELUM), status=counts)


def _staff(actor: Actor, kasub: Actor, o: demo.Orang, period_id: int, tahun: int, specs: tuple[RhkSpec, ...],
           k_ids: dict[str, tuple[int, str]], state: str) -> None:
    sid = skp.get_or_create_skp(actor, period_id)
    if state == DRAFT:  # still being typed: the first RHK only, no lampiran yet
        skp.save_rhk_grid(actor, sid, _rows(specs[:1], k_ids, jpt=False))
        return
    skp.save_rhk_grid(actor, sid, _rows(specs, k_ids, jpt=False))
    lapor = "Kepala Subbagian Administrasi Umum" if o.ketua else "Ketua Tim Kerja"
    skp.save_lampiran(actor, sid, _lampiran(tahun, TIM_SUMBER_DAYA[o.tim], lapor))  # type: ignore[index]
    skp.submit(actor, sid)
    if state == DIAJUKAN:
        return
    if state == DIKEMBALIKAN:
        note, rhk_note = RETURN_NOTES[o.key]
        first = skp.skp_detail(kasub, sid).rhk[0].id
        skp.return_with_notes(kasub, sid, note, {first: rhk_note})
        return
    skp.set_ekspektasi_khusus(kasub, sid, EKSPEKTASI_TIM[o.tim])  # type: ignore[index]
    skp.approve(kasub, sid)
    if state == REVISI_DIMINTA:
        skp.request_revision(actor, sid, REVISION_REASON[o.key])
    elif state == REVISI_V2:
        req = skp.request_revision(actor, sid, REVISION_REASON[o.key])
        skp.accept_revision(kasub, req, "Disetujui; sesuaikan target lalu ajukan kembali.")
        _revise(actor, sid)
        skp.submit(actor, sid)
        skp.approve(kasub, sid)


def _revise(actor: Actor, sid: int) -> None:
    """Version 2 of the epidemiologist's SKP: a higher target range and one more IKI on the second RHK."""
    current = skp.grid(actor, sid).to_dict("records")
    changed = []
    for n, row in enumerate(current, start=1):
        if row["indikator"] == "Jumlah laporan penyelidikan epidemiologi":
            changed.append({"id": row["id"], "_row": n, "target_min": 10, "target_max": 14})
            rhk = row["rhk"]
    changed.append({"id": None, "_row": len(current) + 1, "jenis": "Utama", "rhk": rhk, "rhk_atasan": None,
                    "cascading": None, "aspek": KUAL,
                    "indikator": "Persentase rekomendasi penyelidikan epidemiologi yang ditindaklanjuti",
                    "target_min": 80, "target_max": None, "satuan": "%"})
    skp.save_rhk_grid(actor, sid, changed)
