"""BerAKHLAK core values with their fixed panduan perilaku (domain.md §2.7, PermenPANRB 6/2022).

The guides are fixed text: SKP rows store only the value and the pejabat penilai's Ekspektasi Khusus Pimpinan.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NilaiInti:
    urutan: int
    nama: str
    panduan: tuple[str, str, str]


NILAI: tuple[NilaiInti, ...] = (
    NilaiInti(1, "Berorientasi Pelayanan", (
        "Memahami dan memenuhi kebutuhan masyarakat",
        "Ramah, cekatan, solutif, dan dapat diandalkan",
        "Melakukan perbaikan tiada henti",
    )),
    NilaiInti(2, "Akuntabel", (
        "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin dan berintegritas tinggi",
        "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
        "Tidak menyalahgunakan kewenangan jabatan",
    )),
    NilaiInti(3, "Kompeten", (
        "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
        "Membantu orang lain belajar",
        "Melaksanakan tugas dengan kualitas terbaik",
    )),
    NilaiInti(4, "Harmonis", (
        "Menghargai setiap orang apapun latar belakangnya",
        "Suka menolong orang lain",
        "Membangun lingkungan kerja yang kondusif",
    )),
    NilaiInti(5, "Loyal", (
        "Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik Indonesia Tahun 1945, "
        "setia kepada Negara Kesatuan Republik Indonesia serta pemerintahan yang sah",
        "Menjaga nama baik sesama ASN, Pimpinan, Instansi, dan Negara",
        "Menjaga rahasia jabatan dan negara",
    )),
    NilaiInti(6, "Adaptif", (
        "Cepat menyesuaikan diri menghadapi perubahan",
        "Terus berinovasi dan mengembangkan kreativitas",
        "Bertindak proaktif",
    )),
    NilaiInti(7, "Kolaboratif", (
        "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
        "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
        "Menggerakkan pemanfaatan berbagai sumberdaya untuk tujuan bersama",
    )),
)

BY_URUTAN = {n.urutan: n for n in NILAI}
BY_NAMA = {n.nama: n for n in NILAI}


def panduan(urutan: int) -> tuple[str, str, str]:
    return BY_URUTAN[urutan].panduan
