"""Enumerations of the domain, defined once: the database stores their values, rules and pages use them."""

from __future__ import annotations

import enum


class Rating(enum.StrEnum):
    """Rating Hasil Kerja / Rating Perilaku Kerja (three levels, PermenPANRB 6/2022)."""

    DI_ATAS = "Di Atas Ekspektasi"
    SESUAI = "Sesuai Ekspektasi"
    DI_BAWAH = "Di Bawah Ekspektasi"


class Predikat(enum.StrEnum):
    """Predikat kinerja pegawai."""

    SANGAT_BAIK = "Sangat Baik"
    BAIK = "Baik"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    KURANG = "Kurang/Misconduct"
    SANGAT_KURANG = "Sangat Kurang"


class PredikatOrganisasi(enum.StrEnum):
    """Predikat capaian kinerja organisasi (SE MenPANRB 3/2023)."""

    ISTIMEWA = "Istimewa"
    BAIK = "Baik"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    KURANG = "Kurang"
    SANGAT_KURANG = "Sangat Kurang"


class JenisJabatan(enum.StrEnum):
    JPT = "JPT"
    ADMINISTRATOR = "Administrator"
    PENGAWAS = "Pengawas"
    FUNGSIONAL = "Fungsional"
    PELAKSANA = "Pelaksana"


class KategoriFungsional(enum.StrEnum):
    KEAHLIAN = "Keahlian"
    KETERAMPILAN = "Keterampilan"


class JenjangFungsional(enum.StrEnum):
    PEMULA = "Pemula"
    TERAMPIL = "Terampil"
    MAHIR = "Mahir"
    PENYELIA = "Penyelia"
    AHLI_PERTAMA = "Ahli Pertama"
    AHLI_MUDA = "Ahli Muda"
    AHLI_MADYA = "Ahli Madya"
    AHLI_UTAMA = "Ahli Utama"


class JenisASN(enum.StrEnum):
    PNS = "PNS"
    PPPK = "PPPK"


class JenisKelamin(enum.StrEnum):
    LAKI_LAKI = "L"
    PEREMPUAN = "P"


class PeriodeEvaluasi(enum.StrEnum):
    BULANAN = "Bulanan"
    TRIWULANAN = "Triwulanan"


class StatusPeriode(enum.StrEnum):
    DIBUKA = "Dibuka"
    DITUTUP = "Ditutup"


class Role(enum.StrEnum):
    """Roles. The first four come from data (reporting lines); the last three are assigned."""

    PEGAWAI = "pegawai"
    PEMBERI_PERTIMBANGAN = "pemberi_pertimbangan"
    PENILAI = "penilai"
    ATASAN_PENILAI = "atasan_penilai"
    ADMIN_SDM = "admin_sdm"
    PERENCANA = "perencana"
    KEPALA_SATKER = "kepala_satker"


class FormatSkp(enum.StrEnum):
    JPT = "JPT"
    JA_JF = "JA/JF"


class Pendekatan(enum.StrEnum):
    KUANTITATIF = "Kuantitatif"
    KUALITATIF = "Kualitatif"


class StatusSkp(enum.StrEnum):
    DRAFT = "DRAFT"
    DIAJUKAN = "DIAJUKAN"
    DIKEMBALIKAN = "DIKEMBALIKAN"
    DISETUJUI = "DISETUJUI"


class JenisRhk(enum.StrEnum):
    UTAMA = "Utama"
    TAMBAHAN = "Tambahan"


class JenisCascading(enum.StrEnum):
    DIRECT = "Direct"
    NON_DIRECT = "Non Direct"


class AspekIki(enum.StrEnum):
    KUANTITAS = "Kuantitas"
    KUALITAS = "Kualitas"
    WAKTU = "Waktu"
    BIAYA = "Biaya"


class Perspektif(enum.StrEnum):
    PENERIMA_LAYANAN = "Perspektif Penerima Layanan"
    PROSES_BISNIS = "Perspektif Proses Bisnis"
    PENGUATAN_INTERNAL = "Perspektif Penguatan Internal"
    ANGGARAN = "Perspektif Anggaran"


class JenisLampiran(enum.StrEnum):
    DUKUNGAN_SUMBER_DAYA = "Dukungan Sumber Daya"
    SKEMA_PERTANGGUNGJAWABAN = "Skema Pertanggungjawaban"
    KONSEKUENSI = "Konsekuensi"


class StatusRevisi(enum.StrEnum):
    DIAJUKAN = "DIAJUKAN"
    DITERIMA = "DITERIMA"
    DITOLAK = "DITOLAK"


class StatusLogbook(enum.StrEnum):
    DRAFT = "DRAFT"
    DIAJUKAN = "DIAJUKAN"
    DISETUJUI = "DISETUJUI"
    DIKEMBALIKAN = "DIKEMBALIKAN"
    DITOLAK = "DITOLAK"


class JenisHariLibur(enum.StrEnum):
    CUTI_BERSAMA = "Cuti Bersama"
    LIBUR_LOKAL = "Libur Lokal"
    LIBUR_NASIONAL = "Libur Nasional"
    HARI_KERJA = "Hari Kerja"  # exception: a working day although the holidays package lists it


class StatusKoreksi(enum.StrEnum):
    DIAJUKAN = "DIAJUKAN"
    DITERIMA = "DITERIMA"
    DITOLAK = "DITOLAK"


class JenisEvaluasi(enum.StrEnum):
    PERIODIK = "Periodik"
    TAHUNAN = "Tahunan"


class StatusEvaluasi(enum.StrEnum):
    DRAFT = "DRAFT"
    DIAJUKAN = "DIAJUKAN"
    DINILAI = "DINILAI"
    DIKEMBALIKAN = "DIKEMBALIKAN"
    DISETUJUI = "DISETUJUI"


class Polaritas(enum.StrEnum):
    POSITIF = "positif"
    NEGATIF = "negatif"


class JenisDokumenEvaluasi(enum.StrEnum):
    BUKTI_DUKUNG = "Bukti Dukung"
    DITANDATANGANI = "Dokumen Ditandatangani"


class JenisAngkaKredit(enum.StrEnum):
    PERIODIK = "Periodik"
    TAHUNAN = "Tahunan"
    SALDO_AWAL = "Saldo Awal"


# The evaluation tables' names for the same three enumerations.
RatingKinerja = Rating
PredikatKinerja = Predikat
PredikatOrganisasiKinerja = PredikatOrganisasi


# --- Kinerja organisasi (SOP 001, domain.md §5) ---------------------------------------------------------------


class PolaritasIndikator(enum.StrEnum):
    """Polarity of an organisational indicator: higher is better, lower is better, or within a range."""

    POSITIF = "positif"
    NEGATIF = "negatif"
    RANGE = "range"


class AturanAgregasi(enum.StrEnum):
    """How the figure of a longer period is formed from the months."""

    KUMULATIF = "kumulatif"
    NILAI_AKHIR = "nilai akhir periode"
    RATA_RATA = "rata-rata"


class JenisIndikator(enum.StrEnum):
    IKU = "IKU"
    IKK = "IKK"


class StatusPk(enum.StrEnum):
    DRAFT = "DRAFT"
    DITANDATANGANI = "DITANDATANGANI"


class StatusRealisasiTim(enum.StrEnum):
    DRAFT = "DRAFT"
    DIAJUKAN = "DIAJUKAN"


class StatusKertasKerja(enum.StrEnum):
    DRAFT = "DRAFT"
    DIAJUKAN = "DIAJUKAN"
    DIKEMBALIKAN = "DIKEMBALIKAN"
    DIKOREKSI = "DIKOREKSI"
    DISAHKAN = "DISAHKAN"


class StatusLaporan(enum.StrEnum):
    DRAFT = "DRAFT"
    DIAJUKAN = "DIAJUKAN"
    DIKEMBALIKAN = "DIKEMBALIKAN"
    DISETUJUI = "DISETUJUI"
    DISAHKAN = "DISAHKAN"


# --- rapat monev bulanan (SOP 002) ---------------------------------------------------------------------------


class StatusUndangan(enum.StrEnum):
    DRAFT = "DRAFT"
    DIAJUKAN = "DIAJUKAN"
    DIKEMBALIKAN = "DIKEMBALIKAN"
    DITANDATANGANI = "DITANDATANGANI"


class StatusRapat(enum.StrEnum):
    DIJADWALKAN = "DIJADWALKAN"
    BERLANGSUNG = "BERLANGSUNG"
    SELESAI = "SELESAI"


class StatusLaporanMonev(enum.StrEnum):
    BELUM = "BELUM"
    DRAFT = "DRAFT"
    DIAJUKAN = "DIAJUKAN"
    DIKEMBALIKAN = "DIKEMBALIKAN"
    DIPERIKSA = "DIPERIKSA"
    DITETAPKAN = "DITETAPKAN"


class StatusTindakLanjut(enum.StrEnum):
    TERBUKA = "TERBUKA"
    SELESAI = "SELESAI"
class JenisKetidakhadiran(enum.StrEnum):
    """Why a pegawai is away on working days (PP 11/2017 jo. PP 17/2020 on cuti PNS; dinas luar by surat tugas).
    These days are not counted as working days for the pegawai's logbook target."""

    CUTI_TAHUNAN = "Cuti Tahunan"
    CUTI_SAKIT = "Cuti Sakit"
    CUTI_BESAR = "Cuti Besar"
    CUTI_MELAHIRKAN = "Cuti Melahirkan"
    CUTI_ALASAN_PENTING = "Cuti Karena Alasan Penting"
    CUTI_BERSAMA_PENGGANTI = "Cuti di Luar Tanggungan Negara"
    SAKIT = "Sakit"
    DINAS_LUAR = "Dinas Luar"
    DIKLAT = "Diklat/Tugas Belajar"
    LAINNYA = "Lainnya"


class JenisPenugasan(enum.StrEnum):
    """Acting assignment (Surat Edaran Kepala BKN 1/SE/I/2021): Pelaksana Tugas for a vacant or long-absent
    holder, Pelaksana Harian for a temporary absence."""

    PLT = "Plt"
    PLH = "Plh"
