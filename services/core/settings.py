"""Per-instansi settings: deadlines and numbers that vary between offices, each with a default and a source.

The registry below gives every known key its type, default and source note; `ensure_defaults` writes missing
keys into the `settings` table (run by `ekinerja migrate`). Admin SDM edits values on the Pengaturan page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import Role, Setting
from services.core.actor import SYSTEM, Actor
from services.core.errors import FieldError, NotFound, ValidationFailed
from services.core.uow import unit_of_work


@dataclass(frozen=True)
class SettingDef:
    key: str
    group: str
    label: str
    value_type: str  # int | decimal | bool | text | month_day | choice
    default: str
    source: str
    min: int | None = None
    max: int | None = None
    choices: tuple[str, ...] = ()


REGISTRY: tuple[SettingDef, ...] = (
    SettingDef("skp_batas_penetapan", "Jadwal", "Batas penetapan SKP tahunan (tanggal-bulan)", "month_day", "31-01",
               "PermenPANRB 8/2021: SKP ditetapkan paling lambat akhir Januari; PermenPANRB 6/2022 tidak menetapkan tanggal, instansi dapat mengatur."),
    SettingDef("rencana_aksi_batas_hari", "Jadwal", "Rencana aksi periodik: paling lambat tanggal … bulan berikutnya", "int", "15",
               "SOP 000 langkah 3: paling lambat tanggal 15 pada bulan berikutnya.", 1, 28),
    SettingDef("pertimbangan_batas_hari", "Jadwal", "Pertimbangan Ketua Tim: paling lambat tanggal … setelah periode", "int", "15",
               "SOP 000 langkah 4: paling lambat tanggal 15 setelah periode berakhir.", 1, 28),
    SettingDef("review_batas_hari", "Jadwal", "Penilaian realisasi evaluasi oleh pejabat penilai: paling lambat tanggal … setelah periode", "int", "15",
               "SOP 000 langkah 6: penilaian atas laporan aktivitas paling lambat tanggal 15; terlambat dikenai sanksi.", 1, 28),
    SettingDef("logbook_review_batas_hari", "Logbook", "Penilaian logbook oleh pejabat penilai: paling lambat tanggal …", "int", "15",
               "SOP 000 langkah 5: penilaian atas laporan aktivitas harian paling lambat tanggal 15.", 1, 28),
    SettingDef("logbook_review_irama", "Logbook", "Batas penilaian logbook dihitung per", "choice", "Bulanan",
               "SOP 000 langkah 5: 'paling lambat tanggal 15 pada 3 bulan berikutnya' (per triwulan: tanggal itu pada "
               "bulan setelah triwulan berakhir); instansi dapat memilih bulanan (tanggal itu pada bulan berikutnya).",
               choices=("Bulanan", "Triwulanan")),
    SettingDef("persetujuan_batas_hari", "Jadwal", "Persetujuan atasan pejabat penilai: paling lambat tanggal … setelah periode", "int", "25",
               "SOP 000 langkah 7 tidak menyebut batas; nilai bawaan ditetapkan instansi.", 1, 28),
    SettingDef("monev_batas_hari", "Jadwal", "Laporan monev bulanan ditetapkan paling lambat tanggal", "int", "20",
               "SOP 002 langkah 6: laporan monitoring bulanan ditetapkan maksimal tanggal 20 setiap bulan.", 1, 28),
    SettingDef("menit_efektif_harian", "Logbook", "Menit kerja efektif per hari", "int", "450",
               "Permenkes 31/2021: 37,5 jam/minggu = 450 menit/hari; instansi daerah sering memakai 300 atau 330 .", 60, 720),
    SettingDef("logbook_batas_harian", "Logbook", "Batasi menit yang dihitung per hari pada menit efektif harian", "bool", "true",
               "Ketentuan TPP instansi: sebagian instansi membatasi per hari, sebagian per bulan."),
    SettingDef("periode_evaluasi_bawaan", "Evaluasi", "Periode evaluasi kinerja bawaan untuk tahun baru", "choice", "Triwulanan",
               "Lampiran PermenPANRB 6/2022: periode Triwulan I–IV; instansi boleh bulanan.",
               choices=("Bulanan", "Triwulanan")),
    SettingDef("realisasi_batas_hari", "Jadwal", "Realisasi periodik diajukan pegawai paling lambat tanggal … setelah periode berakhir", "int", "5",
               "SOP 000 tidak menyebut batas pengajuan realisasi; harus sebelum pertimbangan (tanggal 15).", 1, 28),
    SettingDef("pertimbangan_wajib", "Evaluasi", "Penilaian menunggu pertimbangan Ketua Tim (bila pegawai punya pemberi pertimbangan)", "bool", "false",
               "SOP 000 langkah 4: pertimbangan Ketua Tim Kerja; PermenPANRB 6/2022 tidak mewajibkannya."),
    SettingDef("rating_org_istimewa", "Evaluasi", "Rating Hasil Kerja pimpinan unit bila kinerja organisasi Istimewa", "choice", "Di Atas Ekspektasi",
               "SE MenPANRB 3/2023: capaian organisasi menjadi Rating Hasil Kerja pimpinan unit; pemetaan lima predikat ke tiga rating ditetapkan instansi.",
               choices=("Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi")),
    SettingDef("rating_org_baik", "Evaluasi", "Rating Hasil Kerja pimpinan unit bila kinerja organisasi Baik", "choice", "Sesuai Ekspektasi",
               "SE MenPANRB 3/2023; pemetaan ditetapkan instansi.", choices=("Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi")),
    SettingDef("rating_org_butuh_perbaikan", "Evaluasi", "Rating Hasil Kerja pimpinan unit bila kinerja organisasi Butuh Perbaikan", "choice", "Di Bawah Ekspektasi",
               "SE MenPANRB 3/2023; pemetaan ditetapkan instansi.", choices=("Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi")),
    SettingDef("rating_org_kurang", "Evaluasi", "Rating Hasil Kerja pimpinan unit bila kinerja organisasi Kurang", "choice", "Di Bawah Ekspektasi",
               "SE MenPANRB 3/2023; pemetaan ditetapkan instansi.", choices=("Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi")),
    SettingDef("rating_org_sangat_kurang", "Evaluasi", "Rating Hasil Kerja pimpinan unit bila kinerja organisasi Sangat Kurang", "choice", "Di Bawah Ekspektasi",
               "SE MenPANRB 3/2023; pemetaan ditetapkan instansi.", choices=("Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi")),
    SettingDef("distribusi_maks_sebagian_besar", "Evaluasi", "Kurva distribusi: batas atas 'sebagian besar' (%)", "int", "70",
               "SE MenPANRB 3/2023: sebagian besar (maksimal 70%) Sangat Baik / Baik.", 1, 100),
    SettingDef("distribusi_min_dominan", "Evaluasi", "Kurva distribusi: minimal predikat dominan pada organisasi Butuh Perbaikan/Kurang/Sangat Kurang (%)", "int", "60",
               "SE MenPANRB 3/2023: minimal 60%.", 1, 100),
    SettingDef("distribusi_min_pendamping", "Evaluasi", "Kurva distribusi: minimal predikat pendamping (%)", "int", "10",
               "SE MenPANRB 3/2023: minimal 10% Butuh Perbaikan (Kurang) / Kurang dan/atau Butuh Perbaikan (Sangat Kurang).", 0, 100),
    SettingDef("distribusi_maks_sangat_baik", "Evaluasi", "Kurva distribusi: maksimal Sangat Baik pada organisasi Butuh Perbaikan/Kurang (%)", "int", "10",
               "SE MenPANRB 3/2023: Sangat Baik maksimal 10%.", 0, 100),
    SettingDef("distribusi_min_pegawai", "Evaluasi", "Kurva distribusi hanya sebagai saran (tidak diwajibkan) bila pegawai dinilai dalam unit kurang dari", "int", "1",
               "SE MenPANRB 3/2023 tidak memuat aturan pembulatan untuk unit kecil (satu pegawai Baik di unit Baik sudah "
               "melanggar dua ketentuan); batas ini kebijakan instansi. 1 = kurva selalu diwajibkan.", 1, 1000),
    SettingDef("capaian_target_nol_negatif", "Evaluasi", "Capaian IKI polaritas negatif dengan target 0 bila realisasi di atas 0", "choice", "nol",
               "PermenPANRB 8/2021 menghitung capaian = realisasi/target dan tidak mengatur target 0 (mis. '0 temuan'); "
               "realisasi 0 selalu 100%. Kebijakan instansi: 'nol' = capaian 0%, 'tidak_dihitung' = dinilai pejabat "
               "penilai dari bukti dukung.", choices=("nol", "tidak_dihitung")),
    SettingDef("distribusi_terbanyak", "Evaluasi", "Kurva distribusi: 'sebagian besar' berarti predikat itu yang terbanyak", "bool", "true",
               "SE MenPANRB 3/2023 menyebut 'sebagian besar' tanpa angka; tafsiran ditetapkan instansi."),
    SettingDef("ak_terampil_kenaikan_jenjang", "Angka Kredit", "AK kumulatif Terampil untuk kenaikan jenjang", "int", "60",
               "Lampiran PermenPANRB 1/2023; sebagian aplikasi memakai 40.", 1, 500),
    SettingDef("login_maks_gagal", "Keamanan", "Gagal login berturut-turut sebelum percobaan berikutnya diperlambat", "int", "5",
               "Kebijakan keamanan aplikasi (OWASP Authentication Cheat Sheet: perlambat, jangan kunci).", 3, 20),
    SettingDef("login_maks_gagal_sumber", "Keamanan", "Gagal login dari satu alamat sumber sebelum percobaan berikutnya dari alamat itu diperlambat", "int", "20",
               "Kebijakan keamanan aplikasi: lebih longgar dari batas per nama pengguna karena satu kantor sering keluar lewat satu alamat (NAT).", 5, 1000),
    SettingDef("login_jendela_menit", "Keamanan", "Hitungan gagal login mulai dari nol setelah … menit tanpa kegagalan", "int", "15",
               "Kebijakan keamanan aplikasi.", 1, 1440),
    SettingDef("login_jeda_maks_detik", "Keamanan", "Jeda terlama sebelum percobaan login berikutnya (detik)", "int", "120",
               "Kebijakan keamanan aplikasi: jeda berlipat ganda setiap kegagalan sampai batas ini.", 5, 3600),
    SettingDef("login_kunci_setelah_gagal", "Keamanan", "Login baru untuk nama pengguna dikunci setelah … kali gagal (sesi yang sedang berjalan tidak terputus)", "int", "50",
               "Kebijakan keamanan aplikasi: batas tinggi agar pihak luar tidak mudah mengunci akun orang lain.", 10, 1000),
    SettingDef("login_kunci_menit", "Keamanan", "Lama penguncian login baru setelah batas gagal tercapai (menit)", "int", "15",
               "Kebijakan keamanan aplikasi.", 1, 1440),
    SettingDef("login_laju_per_menit", "Keamanan", "Percobaan login maksimal per alamat sumber per menit", "int", "20",
               "Kebijakan keamanan aplikasi (pembatasan laju per alamat).", 3, 600),
    SettingDef("sesi_idle_menit", "Keamanan", "Sesi berakhir setelah tidak aktif selama … menit", "int", "60",
               "Kebijakan keamanan aplikasi.", 5, 1440),
    SettingDef("sesi_maks_jam", "Keamanan", "Sesi berakhir paling lama … jam setelah login", "int", "12",
               "Kebijakan keamanan aplikasi.", 1, 168),
    SettingDef("password_min_panjang", "Keamanan", "Panjang minimal kata sandi", "int", "8",
               "Kebijakan keamanan aplikasi; bcrypt membatasi 72 byte.", 8, 64),
    SettingDef("unggah_maks_mb", "Dokumen", "Ukuran maksimal berkas unggahan (MB)", "int", "10",
               "Kebijakan aplikasi.", 1, 50),
    SettingDef("logbook_maks_menit_harian", "Logbook", "Jumlah menit kegiatan maksimal yang boleh dicatat per hari", "int", "720",
               "Batas kewajaran isian logbook (12 jam/hari); ditetapkan instansi.", 60, 1440),
    SettingDef("logbook_teks_maks", "Logbook", "Panjang maksimal uraian kegiatan logbook (karakter)", "int", "1000",
               "Kebijakan aplikasi.", 100, 5000),
    SettingDef("konfirmasi_setujui_massal", "Logbook", "Minta konfirmasi bila menyetujui lebih dari … kegiatan logbook sekaligus", "int", "50",
               "SOP 000 langkah 4–5: pertimbangan dan penilaian dilakukan atas setiap kegiatan; persetujuan massal dikonfirmasi.", 1, 1000),
    SettingDef("logbook_batas_isi_hari", "Logbook", "Logbook bulan lalu masih boleh diisi tanpa justifikasi sampai tanggal … bulan berikutnya", "int", "5",
               "SOP 000 langkah 2: logbook diisi setiap hari; setelah batas ini isian bulan lalu perlu justifikasi dan persetujuan penilai.", 1, 28),
    SettingDef("kinerja_batas_realisasi_hari", "Kinerja Organisasi", "Realisasi bulanan Tim Kerja diajukan paling lambat tanggal … bulan berikutnya", "int", "5",
               "SOP 001 Pengukuran Data Kinerja: data dari seluruh Tim Kerja dikumpulkan awal bulan berikutnya.", 1, 28),
    SettingDef("kinerja_pita_capaian", "Kinerja Organisasi", "Pita capaian (batas bawah %:label; dipisah titik koma)", "text",
               "91:Sangat Baik;76:Baik;66:Cukup;51:Kurang;0:Sangat Kurang",
               "Pedoman LKjIP (PermenPANRB 53/2014): skala capaian yang lazim dipakai; ditetapkan instansi."),
    SettingDef("kinerja_predikat_organisasi", "Kinerja Organisasi", "Usulan predikat organisasi dari rata-rata capaian (batas bawah %:predikat)", "text",
               "100:Istimewa;90:Baik;75:Butuh Perbaikan;60:Kurang;0:Sangat Kurang",
               "SE MenPANRB 3/2023: predikat kinerja organisasi Istimewa, Baik, Butuh Perbaikan, Kurang, Sangat Kurang; batas ditetapkan instansi."),
    SettingDef("kinerja_batas_laporan_bulanan_hari", "Kinerja Organisasi", "Laporan kinerja bulanan disahkan paling lambat tanggal … bulan berikutnya", "int", "10",
               "SOP 001 Pengukuran Data Kinerja langkah 6–9: laporan kinerja bulanan disusun dari kertas kerja yang disahkan; batas ditetapkan instansi.", 1, 28),
    SettingDef("kinerja_batas_lkj", "Kinerja Organisasi", "Batas pengesahan Laporan Kinerja tahunan (LKj) tahun lalu (tanggal-bulan)", "month_day", "28-02",
               "Pedoman SAKIP (Perpres 29/2014, PermenPANRB 53/2014): LKj lazimnya disampaikan paling lambat dua bulan setelah tahun anggaran berakhir; ditetapkan instansi."),
    SettingDef("kinerja_kode_unit_adum", "Kinerja Organisasi", "Kode unit Subbagian Administrasi Umum (pemeriksa kertas kerja)", "text", "ADUM",
               "SOP 001 Pengukuran Data Kinerja langkah 4: Kasubbag ADUM memeriksa dan mengoreksi kertas kerja."),
)

BY_KEY = {d.key: d for d in REGISTRY}


def parse_value(d: SettingDef, raw: Any) -> Any:
    """Convert a stored/entered string to its typed value; ValueError (Indonesian) when invalid."""
    text = "" if raw is None else str(raw).strip()
    if text == "":
        raise ValueError("wajib diisi")
    if d.value_type == "int":
        try:
            n = int(text)
        except ValueError:
            raise ValueError("harus bilangan bulat") from None
        if d.min is not None and n < d.min or d.max is not None and n > d.max:
            raise ValueError(f"harus antara {d.min} dan {d.max}")
        return n
    if d.value_type == "decimal":
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError("harus angka") from None
    if d.value_type == "bool":
        low = text.lower()
        if low in {"true", "ya", "1", "benar"}:
            return True
        if low in {"false", "tidak", "0", "salah"}:
            return False
        raise ValueError("harus ya atau tidak")
    if d.value_type == "month_day":
        try:
            day, month = (int(p) for p in text.replace("/", "-").split("-"))
            dt.date(2024, month, day)  # leap year accepts 29-02
        except (ValueError, TypeError):
            raise ValueError("harus tanggal-bulan, misalnya 31-01") from None
        return (day, month)
    if d.value_type == "choice":
        if text not in d.choices:
            raise ValueError("harus salah satu dari: " + ", ".join(d.choices))
        return text
    return text


def display_value(key: str, raw: Any) -> Any:
    """A stored value as the settings page shows it: booleans as "ya"/"tidak" (what users type back)."""
    d = BY_KEY.get(key)
    if d is None or d.value_type != "bool" or raw is None or not str(raw).strip():
        return raw
    try:
        return "ya" if parse_value(d, raw) else "tidak"
    except ValueError:
        return raw


def _canonical(d: SettingDef, value: Any) -> str:
    if d.value_type == "bool":
        return "true" if value else "false"
    if d.value_type == "month_day":
        return f"{value[0]:02d}-{value[1]:02d}"
    return str(value)


def ensure_defaults(session: Session) -> int:
    """Insert registry keys missing from the table. Returns how many were added."""
    have = set(session.scalars(select(Setting.key)).all())
    added = 0
    for d in REGISTRY:
        if d.key not in have:
            session.add(Setting(key=d.key, group=d.group, label=d.label, value_type=d.value_type,
                                value=d.default, default_value=d.default, source=d.source, updated_by="sistem"))
            added += 1
    return added


def seed_defaults() -> int:
    with unit_of_work(SYSTEM, action="pengaturan_awal") as s:
        return ensure_defaults(s)


def get(key: str, session: Session | None = None) -> Any:
    """The typed value of a setting; falls back to the registry default when the row is absent."""
    d = BY_KEY.get(key)
    if d is None:
        raise NotFound(f"Pengaturan '{key}' tidak dikenal.")
    if session is not None:
        row = session.get(Setting, key)
        raw = row.value if row else d.default
    else:
        with read_session() as s:
            row = s.get(Setting, key)
            raw = row.value if row else d.default
    try:
        return parse_value(d, raw)
    except ValueError:
        return parse_value(d, d.default)


def table(actor: Actor) -> pd.DataFrame:
    actor.require(Role.ADMIN_SDM, Role.PERENCANA, Role.KEPALA_SATKER)
    with read_session() as s:  # plain values: the session expires its objects when it closes
        rows = {r.key: (r.value, r.updated_by) for r in s.scalars(select(Setting)).all()}
    data = []
    for d in REGISTRY:
        r = rows.get(d.key)
        data.append({"key": d.key, "kelompok": d.group, "pengaturan": d.label,
                     "nilai": r[0] if r else d.default, "bawaan": d.default, "sumber": d.source,
                     "diubah_oleh": r[1] if r else None})
    return pd.DataFrame(data)


def update_many(actor: Actor, values: dict[str, Any]) -> int:
    """Save several settings in one transaction. Errors name the setting; nothing is saved on error."""
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat mengubah pengaturan.")
    errors: list[FieldError] = []
    parsed: dict[str, str] = {}
    for key, raw in values.items():
        d = BY_KEY.get(key)
        if d is None:
            errors.append(FieldError(None, key, "pengaturan tidak dikenal"))
            continue
        try:
            parsed[key] = _canonical(d, parse_value(d, raw))
        except ValueError as e:
            errors.append(FieldError(None, d.label, str(e)))
    if errors:
        raise ValidationFailed(errors)
    changed = 0
    with unit_of_work(actor, action="ubah_pengaturan") as s:
        ensure_defaults(s)
        s.flush()
        for key, value in parsed.items():
            row = s.get(Setting, key)
            assert row is not None  # ensure_defaults created every key
            if row.value != value:
                row.value = value
                row.updated_by = actor.username
                changed += 1
    return changed
