"""Demo evaluations (evaluasi kinerja) for the demo office, after the demo SKPs and logbook (services/demo.py),
relative to `today` (load_demo_evaluasi's argument, by default the real date) so the office looks like it works:

- Every quarter that ended before the most recently ended one is complete for every pegawai with an approved
  SKP: rencana aksi per RHK (one or two actions, Indonesian texts from the activities of their Tim Kerja),
  realisasi with bukti dukung links, IKI realisasi and capaian (services.rules.capaian), RHK realisasi texts,
  umpan balik per RHK and per BerAKHLAK value, pertimbangan of the Ketua Tim (pegawai with a pemberi
  pertimbangan), ratings and predikat (services.rules.predikat; Triwulan I has all five predikat, later quarters
  are mostly Baik with some variety), approval, and the angka kredit conversion for fungsional pegawai
  (services.angka_kredit.record_for_evaluation). The organisational predikat (KinerjaOrganisasi) of each
  completed quarter for every unit with a head; the heads' Rating Hasil Kerja follows from it (settings
  rating_org_*; services.rules.rating_from_organisasi).
- The most recently ended quarter holds the work in progress (STATE_LAST): Draft with rencana aksi (the
  browser-test pegawai `E2E_PEGAWAI_KEY`: one rencana aksi per RHK, no realisasi), Draft with part of the
  realisasi, Diajukan without umpan balik (some waiting for the Ketua Tim's pertimbangan; the unit heads wait for
  the organisational predikat), Dinilai waiting for the Kepala's approval; everyone else is approved.
- The current quarter (when it has started): Draft with rencana aksi for most pegawai (NO_PLAN_CURRENT have none,
  so a rencana-aksi task shows on their Beranda).
- While no quarter has ended yet (today in Triwulan I) there is only the current quarter, in Draft: nobody is
  rated or approved for a quarter that has not ended (the realisasi can be submitted from 7 days before its end,
  services.evaluasi.pegawai.submit). The browser-test pegawai then has its Draft in the current quarter.
- Opening balances (AngkaKredit jenis Saldo Awal) for two fungsional pegawai.

Realisasi numbers are generated from the periodic targets by rating level (the demo logbook only covers the last
three months). Everything is written in one unit_of_work(SYSTEM, action="demo_data") with a fixed random seed
(deterministic for a given `today`, apart from timestamps clamped to the clock).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

import domain as rules
from db.models import (
    Evaluasi,
    Jabatan,
    JenisEvaluasi,
    JenisRhk,
    KinerjaOrganisasi,
    Pegawai,
    Period,
    Polaritas,
    PredikatKinerja,
    PredikatOrganisasiKinerja,
    RatingKinerja,
    RencanaAksi,
    Rhk,
    Skp,
    StatusEvaluasi,
    StatusSkp,
    UnitKerja,
)
from services.auth import login as auth
from services.core import clock, fmt, settings
from services.core.actor import SYSTEM
from services.core.uow import unit_of_work
from services.demo import logbook as demo_logbook
from services.demo import office as demo
from services.evaluasi import angka_kredit
from services.evaluasi import common as ec
from services.org import periods

SEED = 20260401
R = RatingKinerja
ATAS, SESUAI, BAWAH = R.DI_ATAS, R.SESUAI, R.DI_BAWAH
ORG = "organisasi"  # Rating Hasil Kerja of a unit head comes from the unit's organisational predikat
S = StatusEvaluasi

E2E_PEGAWAI_KEY = "olo_kno"
"""Plain pegawai (roles exactly ["pegawai"]; pertimbangan Ketua Tim Surveilans, penilai Kasubbag, atasan Kepala)
whose most recently ended quarter (in Triwulan I, before any quarter has ended: the current one) is a Draft with
one rencana aksi per RHK and no realisasi: the browser walk-through realisasi → pertimbangan → penilaian →
persetujuan (tests/e2e/test_evaluasi_flow.py)."""

# person key -> (Rating Hasil Kerja, Rating Perilaku Kerja) of Triwulan I; predikat by the 3×3 matrix.
RATING_Q1: dict[str, tuple[RatingKinerja | str, RatingKinerja]] = {
    "kepala": (ORG, ATAS),  # BBKK Baik -> Sesuai -> Baik
    "kasubbag": (ORG, ATAS),  # ADUM Istimewa -> Di Atas -> Sangat Baik
    "ketua_surveilans": (ATAS, ATAS),  # Sangat Baik
    "epid_muda": (ATAS, ATAS),  # Sangat Baik
    "epid_pertama": (SESUAI, SESUAI),
    "olo_kno": (SESUAI, SESUAI),
    "ketua_lingkungan": (SESUAI, ATAS),
    "ento_pertama": (BAWAH, SESUAI),  # Butuh Perbaikan
    "sanitarian_2": (SESUAI, SESUAI),
    "pp_blw": (SESUAI, BAWAH),  # Kurang/Misconduct
    "ketua_yankes": (ATAS, SESUAI),
    "dokter_pppk": (SESUAI, SESUAI),
    "perawat_2": (BAWAH, ATAS),  # Butuh Perbaikan
    "pp_kno_pppk": (SESUAI, SESUAI),
    "ketua_perencanaan": (SESUAI, ATAS),
    "apk_1": (SESUAI, SESUAI),
    "prakom_1": (BAWAH, BAWAH),  # Sangat Kurang
    "sdm_1": (SESUAI, SESUAI),
    "plo_adum_2": (SESUAI, SESUAI),
}
DEFAULT_RATING = (SESUAI, SESUAI)
# Later quarters: mostly Baik (DEFAULT_RATING) with some variety; unit heads always from the organisation.
RATING_LATER: dict[int, dict[str, tuple[RatingKinerja | str, RatingKinerja]]] = {
    2: {"kepala": (ORG, ATAS), "kasubbag": (ORG, ATAS), "ketua_surveilans": (ATAS, ATAS), "epid_muda": (ATAS, SESUAI),
        "ento_pertama": (SESUAI, SESUAI), "perawat_2": (BAWAH, SESUAI), "prakom_1": (BAWAH, SESUAI)},
    3: {"kepala": (ORG, ATAS), "kasubbag": (ORG, ATAS), "epid_muda": (ATAS, ATAS), "ketua_yankes": (ATAS, ATAS),
        "perawat_2": (SESUAI, SESUAI), "prakom_1": (BAWAH, SESUAI), "pp_blw": (SESUAI, BAWAH)},
    4: {"kepala": (ORG, ATAS), "kasubbag": (ORG, ATAS), "ketua_surveilans": (ATAS, SESUAI),
        "epid_muda": (ATAS, ATAS), "prakom_1": (SESUAI, SESUAI)},
}


def rating_of(key: str, nomor: int) -> tuple[RatingKinerja | str, RatingKinerja]:
    if nomor == 1:
        return RATING_Q1.get(key, DEFAULT_RATING)
    return RATING_LATER.get(nomor, {}).get(key, (ORG, ATAS) if key in ("kepala", "kasubbag") else DEFAULT_RATING)


# The most recently ended quarter: person key -> state (everyone else is approved).
# "pertimbangan": Diajukan with the Ketua Tim's pertimbangan given; "sebagian": Draft with part of the realisasi.
DRAFT, SEBAGIAN, DIAJUKAN, PERTIMBANGAN, DINILAI = "draft", "sebagian", "diajukan", "pertimbangan", "dinilai"
STATE_LAST: dict[str, str] = {
    E2E_PEGAWAI_KEY: DRAFT,
    "epid_pertama": SEBAGIAN,
    "sanitarian_2": DIAJUKAN,
    "dokter_pppk": DIAJUKAN,
    "kepala": DIAJUKAN,  # rated by Admin SDM once the organisational predikat of the quarter is set
    "kasubbag": DIAJUKAN,
    "apk_1": PERTIMBANGAN,
    "sdm_1": DINILAI,
    "plo_adum_2": DINILAI,
}
STATE_Q2 = STATE_LAST  # former name
# The current quarter: everyone has a Draft with rencana aksi except these (a rencana-aksi task on their Beranda).
NO_PLAN_CURRENT = ("pp_blw", "perawat_2", "prakom_1")

# quarter -> unit kode -> organisational predikat (units with a head; others default to Baik)
ORG_Q: dict[int, dict[str, PredikatOrganisasiKinerja]] = {
    1: {"BBKK": PredikatOrganisasiKinerja.BAIK, "ADUM": PredikatOrganisasiKinerja.ISTIMEWA},
    2: {"BBKK": PredikatOrganisasiKinerja.BAIK, "ADUM": PredikatOrganisasiKinerja.BAIK},
    3: {"BBKK": PredikatOrganisasiKinerja.ISTIMEWA, "ADUM": PredikatOrganisasiKinerja.BAIK},
}
ORG_Q1 = ORG_Q[1]
ORG_CATATAN = {
    "BBKK": "Capaian rencana aksi triwulan I sesuai target Perjanjian Kinerja; realisasi anggaran 23,8% dari pagu "
            "dan seluruh laporan surveilans terkirim tepat waktu.",
    "ADUM": "Seluruh rencana aksi triwulan I melampaui target: nilai IKPA 98,6, laporan keuangan dan kepegawaian "
            "disampaikan sebelum batas waktu.",
}
ORG_CATATAN_LATER = ("Capaian rencana aksi triwulan {t} sesuai target Perjanjian Kinerja; laporan kegiatan dan "
                     "realisasi anggaran disampaikan tepat waktu.")
OVERRIDE_ALASAN = ("Jumlah pegawai unit kecil sehingga kurva distribusi tidak dapat dipenuhi secara persis; hasil "
                   "penilaian dipertahankan sesuai bukti kinerja.")

# person key -> (nilai, keterangan) of the opening balance (PAK before this system)
SALDO_AWAL = {
    "epid_muda": (Decimal("187.50"), "PAK konversi Desember {y} (integrasi angka kredit, Peraturan BKN 3/2023)"),
    "sanitarian_2": (Decimal("64.25"), "PAK integrasi {y} dari aplikasi SIASN"),
}

# --- texts ---------------------------------------------------------------------------------------------------

UMPAN_BALIK_RHK = {
    ATAS: ("Capaian melampaui target triwulan; pertahankan kualitas laporan dan bagikan praktik baiknya kepada "
           "anggota tim.",
           "Hasil kerja sangat baik dan didukung bukti lengkap. Dokumentasikan langkah kerjanya sebagai standar tim.",
           "Target terlampaui tanpa mengurangi mutu. Silakan membimbing rekan yang baru bergabung."),
    SESUAI: ("Realisasi sesuai target triwulan dan bukti dukung lengkap. Pertahankan ketepatan waktu pelaporan.",
             "Hasil kerja sesuai ekspektasi. Tingkatkan kerapian dokumentasi pada kegiatan lapangan.",
             "Capaian sesuai rencana aksi. Ke depan sampaikan laporan lebih awal agar dapat direkap tepat waktu.",
             "Kinerja stabil dan sesuai target. Lengkapi foto kegiatan pada setiap bukti dukung.",
             "Target tercapai dan koordinasi dengan tim berjalan baik. Perhatikan konsistensi format laporan."),
    BAWAH: ("Realisasi masih di bawah target triwulan. Susun jadwal kerja mingguan dan laporkan kemajuannya setiap "
            "Jumat.",
            "Sebagian rencana aksi belum terlaksana dan bukti dukung belum lengkap. Kendalanya kita bahas dalam dialog "
            "kinerja.",
            "Capaian belum memenuhi target. Prioritaskan kegiatan utama RHK ini dan minta pendampingan Ketua Tim."),
}

# BerAKHLAK urutan -> level -> texts
UMPAN_BALIK_PERILAKU: dict[int, dict[RatingKinerja, tuple[str, ...]]] = {
    1: {ATAS: ("Sangat responsif melayani pelaku perjalanan dan pengguna jasa; beberapa kali mendapat apresiasi "
               "tertulis.", "Proaktif memperbaiki alur layanan sehingga waktu tunggu pengguna jasa berkurang."),
        SESUAI: ("Melayani pengguna jasa dengan ramah dan sesuai standar pelayanan.",
                 "Layanan diberikan tepat waktu; pertahankan sikap ramah kepada pengguna jasa."),
        BAWAH: ("Masih ada keluhan pengguna jasa tentang keterlambatan layanan; perlu perbaikan ketepatan waktu.",
                "Kurang cekatan menanggapi permintaan layanan; pelajari kembali standar pelayanan.")},
    2: {ATAS: ("Sangat cermat dan jujur; seluruh pertanggungjawaban kegiatan lengkap tanpa koreksi.",
               "Menjadi contoh dalam disiplin dan tanggung jawab atas barang milik negara."),
        SESUAI: ("Melaksanakan tugas dengan disiplin dan bertanggung jawab.",
                 "Laporan dan pertanggungjawaban disampaikan lengkap sesuai ketentuan."),
        BAWAH: ("Beberapa kali terlambat hadir dan laporan kegiatan tidak lengkap; perlu peningkatan disiplin.",
                "Pertanggungjawaban kegiatan belum tertib; beberapa dokumen harus dikoreksi berulang.")},
    3: {ATAS: ("Aktif meningkatkan kompetensi dan berbagi ilmu hasil pelatihan kepada tim.",
               "Menguasai tugas dengan sangat baik dan membantu rekan memecahkan masalah teknis."),
        SESUAI: ("Kompetensi memadai untuk tugas jabatan; lanjutkan pengembangan diri sesuai rencana.",
                 "Menyelesaikan tugas dengan kualitas baik; ikuti pelatihan teknis yang dijadwalkan."),
        BAWAH: ("Masih perlu bimbingan dalam tugas teknis; ikuti coaching bersama Ketua Tim.",
                "Kualitas hasil kerja belum konsisten; perlu pelatihan tambahan.")},
    4: {ATAS: ("Membangun suasana kerja yang sangat kondusif dan sigap menolong rekan kerja.",
               "Menjadi penengah yang baik dan menghargai setiap anggota tim."),
        SESUAI: ("Menghargai rekan kerja dan menjaga suasana kerja yang kondusif.",
                 "Hubungan kerja dengan rekan dan pengguna jasa terjalin baik."),
        BAWAH: ("Terjadi beberapa kesalahpahaman dengan rekan kerja; perlu komunikasi yang lebih santun.",
                "Kurang terlibat membantu rekan saat beban kerja tim meningkat.")},
    5: {ATAS: ("Menjaga nama baik instansi dengan sangat baik dalam koordinasi lintas instansi di pintu masuk.",
               "Teguh menjaga rahasia jabatan dan aktif dalam kegiatan kebangsaan."),
        SESUAI: ("Menjaga nama baik instansi dan rahasia jabatan.", "Setia pada ketentuan dan menjaga kehormatan ASN."),
        BAWAH: ("Perlu lebih berhati-hati membagikan informasi internal di media sosial.",
                "Kurang menjaga nama baik instansi dalam interaksi dengan pengguna jasa; perlu pembinaan.")},
    6: {ATAS: ("Cepat menyesuaikan diri dengan aplikasi dan prosedur baru serta mengusulkan inovasi layanan.",
               "Proaktif mengambil inisiatif saat kedatangan alat angkut meningkat."),
        SESUAI: ("Mampu menyesuaikan diri dengan perubahan prosedur kerja.",
                 "Menerima perubahan jadwal kerja dengan baik."),
        BAWAH: ("Masih lambat beradaptasi dengan aplikasi baru; perlu pendampingan.",
                "Cenderung menunggu arahan; diharapkan lebih proaktif.")},
    7: {ATAS: ("Aktif menggerakkan kerja sama lintas tim dan instansi untuk tujuan bersama.",
               "Terbuka berbagi data dan sumber daya sehingga pekerjaan tim lebih cepat selesai."),
        SESUAI: ("Terbuka bekerja sama dengan anggota tim dan unit lain.",
                 "Berkoordinasi dengan baik dalam kegiatan bersama."),
        BAWAH: ("Kurang berkoordinasi dengan anggota tim sehingga beberapa kegiatan tumpang tindih.",
                "Perlu lebih terbuka menerima masukan dan bekerja sama dengan rekan.")},
}

PERTIMBANGAN_CATATAN = {
    ATAS: ("Kinerja menonjol di tim: seluruh rencana aksi terlaksana melebihi target dan laporan selalu tepat "
           "waktu.",),
    SESUAI: ("Rencana aksi terlaksana sesuai jadwal tim dan laporan lengkap. Pegawai aktif dalam rapat tim "
             "mingguan.",
             "Tugas tim diselesaikan dengan baik; bukti dukung sudah diperiksa dalam rapat tim."),
    BAWAH: ("Beberapa rencana aksi tertunda dan perlu pendampingan; kendalanya sudah dibahas dalam rapat tim.",),
}

REKOMENDASI = {
    PredikatKinerja.SANGAT_BAIK: "Diusulkan sebagai pegawai teladan triwulan ini dan diikutsertakan dalam pelatihan "
                                 "kepemimpinan.",
    PredikatKinerja.BAIK: "Pertahankan kinerja; ikuti pengembangan kompetensi teknis sesuai rencana.",
    PredikatKinerja.BUTUH_PERBAIKAN: "Bimbingan kinerja oleh Ketua Tim; dialog kinerja setiap bulan pada triwulan "
                                     "berikutnya.",
    PredikatKinerja.KURANG: "Pembinaan perilaku kerja oleh pejabat penilai dan pemantauan disiplin selama triwulan "
                            "berikutnya.",
    PredikatKinerja.SANGAT_KURANG: "Konseling kinerja bersama pejabat penilai dan rencana perbaikan kinerja tertulis "
                                   "untuk triwulan berikutnya.",
}
CATATAN_ATASAN = ("Penilaian disetujui; tindak lanjuti rekomendasi pejabat penilai.",
                  "Disetujui sesuai hasil penilaian dan bukti dukung.",
                  "Disetujui. Pastikan umpan balik disampaikan dalam dialog kinerja.")
CATATAN_PEGAWAI = "Realisasi disusun dari laporan kegiatan dan bukti dukung yang tersimpan di drive tim."

TAMBAHAN_ACTS = (
    demo_logbook.Act(0, "Mengikuti rapat tim pembangunan Zona Integritas dan menyusun notulennya", "kegiatan",
                     (1, 1), (60, 90)),
    demo_logbook.Act(0, "Menyusun laporan triwulan kegiatan Zona Integritas", "laporan", (1, 1), (60, 90)),
)


@dataclass
class DemoEvaluasiResult:
    evaluasi: int = 0
    status: dict[str, int] = field(default_factory=dict)
    predikat: dict[str, int] = field(default_factory=dict)
    kinerja_organisasi: int = 0
    angka_kredit: int = 0
    tahun: int | None = None
    today: dt.date | None = None
    plan: QuarterPlan | None = None


# --- helpers -------------------------------------------------------------------------------------------------


def _at(d: dt.date, hour: int, now: dt.datetime) -> dt.datetime:
    """A moment on a demo date (09:00 WIB = 02:00 UTC + hour offset), never after now."""
    return min(dt.datetime.combine(d, dt.time(hour % 24, 0), tzinfo=dt.UTC), now)


def _q(x: Decimal, satuan: str) -> Decimal:
    """Counts are whole numbers; percentages, scores and indexes keep two decimals."""
    if "%" in satuan or satuan in ("nilai", "indeks"):
        return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return x.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _factor(rng: random.Random, level: RatingKinerja) -> Decimal:
    lo, hi = {ATAS: (108, 125), SESUAI: (97, 104), BAWAH: (55, 80)}[level]
    return Decimal(rng.randint(lo, hi)) / 100


def _iki_realisasi(rng: random.Random, level: RatingKinerja, tmin: Decimal, tmax: Decimal | None, satuan: str,
                   polaritas: Polaritas) -> Decimal:
    f = _factor(rng, level)
    if polaritas == Polaritas.NEGATIF:  # lower is better
        base = tmin
        return _q(base / f, satuan)
    base = tmax if (tmax is not None and f >= 1) else tmin
    real = base * f
    if "%" in satuan:
        real = min(real, Decimal(100))
    return _q(real, satuan)


def _perilaku_levels(level: RatingKinerja) -> dict[int, RatingKinerja]:
    """Feedback level per BerAKHLAK value for a Rating Perilaku Kerja: mostly that level, some neutral."""
    if level == ATAS:
        return {u: ATAS if u in (1, 3, 6, 7) else SESUAI for u in range(1, 8)}
    if level == BAWAH:
        return {u: BAWAH if u in (1, 2, 4, 7) else SESUAI for u in range(1, 8)}
    return dict.fromkeys(range(1, 8), SESUAI)


@dataclass
class _Ctx:
    s: Session
    rng: random.Random
    now: dt.datetime
    tahun: int
    nip: dict[str, str]  # key -> NIP (username)
    pid: dict[str, int]  # key -> pegawai id
    admin: str = demo.ADMIN_USERNAME

    def username(self, pegawai_id: int | None) -> str:
        if pegawai_id is None:
            return self.admin
        return next((self.nip[k] for k, v in self.pid.items() if v == pegawai_id), self.admin)


def _acts(key: str) -> tuple[demo_logbook.Act, ...]:
    o = next(o for o in demo.ORANG if o.key == key)
    return demo_logbook.ACTS["pimpinan" if o.tim is None else o.tim]


def _fill_plan(c: _Ctx, key: str, ev: Evaluasi, skp: Skp, single: bool = False) -> None:
    """Rencana aksi: one or two actions per RHK (one with `single`) with a target for the quarter."""
    acts = _acts(key)
    rhks: dict[int | None, Rhk] = {r.id: r for r in skp.rhk}
    utama = [r.id for r in skp.rhk if r.jenis == JenisRhk.UTAMA]
    for h in ev.hasil:
        rhk = rhks.get(h.rhk_id)
        if rhk is not None and rhk.jenis == JenisRhk.TAMBAHAN:
            pool = list(TAMBAHAN_ACTS)
        else:
            k = utama.index(h.rhk_id) if h.rhk_id in utama else 0
            width = max(a.rhk for a in acts) + 1
            pool = [a for a in acts if a.rhk == k % width] or list(acts)
        picks = c.rng.sample(pool, min(len(pool), 1 if single else c.rng.choice((1, 2, 2))))
        for n, act in enumerate(picks, start=1):
            mean = Decimal(act.vol[0] + act.vol[1]) / 2
            target = _q(mean * c.rng.choice((3, 6, 10, 12)), act.satuan)
            ev.rencana_aksi.append(RencanaAksi(
                rhk_id=h.rhk_id, rhk_label=h.rhk_label, rhk_urutan=h.rhk_urutan, urutan=n, uraian=act.uraian,
                target=max(target, Decimal(1)), satuan=act.satuan))


def _fill_realisasi(c: _Ctx, key: str, ev: Evaluasi, level: RatingKinerja, kode: str, partial: bool = False) -> None:
    """Realisasi of every rencana aksi, RHK and IKI; with `partial` only the first half of the rencana aksi (and the
    RHK they belong to), as a pegawai still working on it."""
    by_rhk: dict[int | None, list[str]] = {}
    todo = ev.rencana_aksi[:max(1, len(ev.rencana_aksi) // 2)] if partial else ev.rencana_aksi
    for n, ra in enumerate(todo, start=1):
        real = _q((ra.target or Decimal(1)) * _factor(c.rng, level), ra.satuan or "")
        ra.realisasi = real
        short = " Sebagian kegiatan tertunda karena keterbatasan petugas dan sarana." if level == BAWAH else ""
        ra.realisasi_uraian = (f"Terlaksana {fmt.angka(real)} {ra.satuan} dari target {fmt.angka(ra.target)} "
                               f"{ra.satuan}.{short}")
        ra.bukti_dukung = f"https://drive.bbkk-medan.example/evaluasi/{kode}/{key}/rencana-aksi-{n}.pdf"
        by_rhk.setdefault(ra.rhk_id, []).append(f"{ra.uraian[0].lower()}{ra.uraian[1:]} ({fmt.angka(real)} {ra.satuan})")
    for h in ev.hasil:
        items = by_rhk.get(h.rhk_id)
        h.realisasi = ("Telah dilaksanakan " + "; ".join(items) + ".") if items else None
    if partial:
        return
    for i in ev.iki:
        i.realisasi = _iki_realisasi(c.rng, level, i.target_min, i.target_max, i.satuan, i.polaritas)
        i.capaian = rules.capaian(i.realisasi, i.target_min, i.target_max, i.polaritas.value)
    ev.catatan_pegawai = CATATAN_PEGAWAI


def _fill_feedback(c: _Ctx, ev: Evaluasi, hasil: RatingKinerja, perilaku: RatingKinerja) -> None:
    for h in ev.hasil:
        h.umpan_balik = c.rng.choice(UMPAN_BALIK_RHK[hasil])
    levels = _perilaku_levels(perilaku)
    for p in ev.perilaku:
        p.umpan_balik = c.rng.choice(UMPAN_BALIK_PERILAKU[p.urutan][levels[p.urutan]])


def _give_pertimbangan(c: _Ctx, ev: Evaluasi, hasil: RatingKinerja, perilaku: RatingKinerja, on: dt.date) -> None:
    if ev.pemberi_pertimbangan_id is None:
        return
    ev.pertimbangan_catatan = c.rng.choice(PERTIMBANGAN_CATATAN[hasil])
    ev.pertimbangan_rating_hasil, ev.pertimbangan_rating_perilaku = hasil, perilaku
    ev.pertimbangan_by_id = ev.pemberi_pertimbangan_id
    ev.pertimbangan_at = _at(on, 3, c.now)


def _rate(c: _Ctx, ev: Evaluasi, hasil: RatingKinerja, perilaku: RatingKinerja, on: dt.date,
          org: PredikatOrganisasiKinerja | None = None) -> None:
    pred = rules.predikat(hasil, perilaku)
    ev.rating_hasil_kerja, ev.rating_perilaku_kerja = hasil, perilaku
    ev.predikat = PredikatKinerja(pred.value)
    ev.predikat_alasan = rules.predikat_reason(hasil, perilaku)
    ev.predikat_organisasi = org
    ev.rekomendasi = REKOMENDASI[ev.predikat]
    ev.dinilai_by_id = ev.pejabat_penilai_id
    ev.dinilai_by_username = c.username(ev.pejabat_penilai_id)
    ev.dinilai_at = _at(on, 4, c.now)
    ev.status = S.DINILAI


def _approve(c: _Ctx, ev: Evaluasi, on: dt.date) -> None:
    ev.catatan_atasan = c.rng.choice(CATATAN_ATASAN)
    ev.disetujui_by_id = ev.atasan_penilai_id
    ev.disetujui_by_username = c.username(ev.atasan_penilai_id)
    ev.disetujui_at = _at(on, 6, c.now)
    ev.status = S.DISETUJUI


def _org_mapping(s: Session) -> dict[str, str]:
    keys = {"Istimewa": "rating_org_istimewa", "Baik": "rating_org_baik",
            "Butuh Perbaikan": "rating_org_butuh_perbaikan", "Kurang": "rating_org_kurang",
            "Sangat Kurang": "rating_org_sangat_kurang"}
    return {label: str(settings.get(k, s)) for label, k in keys.items()}


# --- loader --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterPlan:
    """Which quarters of the demo year are complete, in progress (the most recently ended one) and current."""

    completed: tuple[int, ...]
    last: int | None
    current: int | None


def plan_quarters(subs: list, today: dt.date) -> QuarterPlan:
    """Every quarter that ended before the most recently ended one is complete; the most recently ended one holds
    the in-progress states; the quarter containing `today` gets draft rencana aksi. A quarter that has not ended is
    never completed: while no quarter has ended yet (today in Triwulan I) there is only the current one, in Draft."""
    ended = [sp.nomor for sp in subs if sp.selesai < today]
    completed, last = (tuple(ended[:-1]), ended[-1]) if ended else ((), None)
    current = next((sp.nomor for sp in subs if sp.mulai <= today <= sp.selesai), None)
    return QuarterPlan(completed, last, current)


def _d(base: dt.date, days: int) -> dt.date:
    return base + dt.timedelta(days=days)


def load_demo_evaluasi(tahun: int | None = None, today: dt.date | None = None) -> DemoEvaluasiResult:
    """Create the demo evaluations of `tahun` relative to `today` (the demo office and SKPs must be loaded, with no
    evaluation yet): see the module docstring."""
    real_now = clock.utcnow()
    if today is None:
        today, now = clock.today(), real_now
    else:
        now = min(real_now, dt.datetime.combine(today, dt.time(10, 0), tzinfo=dt.UTC))
    people = {r["key"]: r["nip"] for r in demo.roster()}
    result = DemoEvaluasiResult(today=today)
    with unit_of_work(SYSTEM, action="demo_data") as s:
        period = (s.scalar(select(Period).where(Period.tahun == tahun)) if tahun
                  else s.scalar(select(Period).order_by(Period.tahun.desc()).limit(1)))
        if period is None:
            return result
        y = result.tahun = period.tahun
        subs = {sp.nomor: sp for sp in periods.subperiods(period)}
        plan = plan_quarters(list(subs.values()), today)
        result.plan = plan
        pid = dict(s.execute(select(Pegawai.nip, Pegawai.id).where(Pegawai.nip.in_(list(people.values())))).all())
        key_of = {pid[nip]: k for k, nip in people.items() if nip in pid}
        c = _Ctx(s, random.Random(SEED), now, y, people, {k: pid[n] for k, n in people.items() if n in pid})
        skps = s.scalars(select(Skp).where(Skp.period_id == period.id, Skp.pegawai_id.in_(list(key_of)),
                                           or_(Skp.status == StatusSkp.DISETUJUI, Skp.version_no > 1))
                         .options(selectinload(Skp.rhk).selectinload(Rhk.iki))
                         .order_by(Skp.pegawai_id, Skp.segment_no)).all()
        by_key = {key_of[k.pegawai_id]: k for k in skps}  # the last segment per pegawai
        order = [o.key for o in demo.ORANG if o.key in by_key]

        heads = dict(s.execute(select(Jabatan.unit_id, Jabatan.id).where(Jabatan.pimpinan_unit.is_(True))).all())
        units = {u.id: u for u in s.scalars(select(UnitKerja).where(UnitKerja.id.in_(list(heads))))}
        mapping = _org_mapping(s)
        approved: list[Evaluasi] = []

        def org_of(nomor: int, uid: int | None) -> PredikatOrganisasiKinerja:
            u = units.get(uid)  # type: ignore[arg-type]
            return ORG_Q.get(nomor, {}).get(u.kode if u else "", PredikatOrganisasiKinerja.BAIK)

        def ratings(key: str, skp: Skp, nomor: int):
            hasil, perilaku = rating_of(key, nomor)
            org = None
            if hasil == ORG:
                head, unit_id = ec.is_unit_head(s, skp.pegawai_id, skp)
                org = org_of(nomor, unit_id) if head else None
                hasil = R(rules.rating_from_organisasi(org.value, mapping).value) if org else SESUAI
            return hasil, perilaku, org

        def new_ev(key: str, nomor: int) -> Evaluasi | None:
            ev = ec.get_or_create(s, by_key[key], JenisEvaluasi.PERIODIK, nomor, today=subs[nomor].selesai)
            return None if ev.status != S.DRAFT or ev.rencana_aksi else ev  # the demo never overwrites

        def plan_on(ev: Evaluasi, key: str, early: int = 33) -> None:
            _fill_plan(c, key, ev, by_key[key], single=key == E2E_PEGAWAI_KEY)
            ev.rencana_aksi_at = _at(_d(ev.mulai, early + c.rng.randint(0, 9)), 2, now)

        # completed quarters
        for nomor in plan.completed:
            evs: dict[str, Evaluasi] = {}
            for key in order:
                ev = new_ev(key, nomor)
                if ev is None:
                    continue
                hasil, perilaku, org = ratings(key, by_key[key], nomor)
                e = ev.selesai
                plan_on(ev, key)
                _fill_realisasi(c, key, ev, hasil, ev.kode)
                ev.submitted_at = _at(_d(e, 1 + c.rng.randint(0, 3)), 3, now)
                _give_pertimbangan(c, ev, hasil, perilaku, _d(e, 7 + c.rng.randint(0, 3)))
                _fill_feedback(c, ev, hasil, perilaku)
                _rate(c, ev, hasil, perilaku, _d(e, 13 + c.rng.randint(0, 1)), org)
                _approve(c, ev, _d(e, 20 + c.rng.randint(0, 3)))
                evs[key] = ev
            approved += evs.values()
            # KinerjaOrganisasi of the quarter, with the distribution check of the unit's pegawai predikat
            members: dict[int, Counter] = {uid: Counter() for uid in units}
            for key, ev in evs.items():
                uid = by_key[key].unit_id
                if uid in members:
                    members[uid][ev.predikat.value] += 1  # type: ignore[union-attr]
            for uid, u in units.items():
                pred = org_of(nomor, uid)
                catatan = ORG_CATATAN.get(u.kode) if nomor == 1 else ORG_CATATAN_LATER.format(
                    t=periods.ROMAN[nomor - 1])
                ko = KinerjaOrganisasi(unit_id=uid, period_id=period.id, nomor=nomor, predikat=pred, catatan=catatan,
                                       ditetapkan_by_username=(demo.ADMIN_USERNAME if u.parent_id is None
                                                               else people["kepala"]),
                                       ditetapkan_at=_at(_d(subs[nomor].selesai, 10), 3, now))
                problems = rules.check_distribution(pred.value, members[uid])
                if problems:
                    ko.override_alasan, ko.override_pelanggaran = OVERRIDE_ALASAN, problems
                    ko.override_by_username, ko.override_at = ko.ditetapkan_by_username, ko.ditetapkan_at
                s.add(ko)
                result.kinerja_organisasi += 1

        # the most recently ended quarter: every step of the workflow in progress, the rest approved
        if plan.last is not None:
            nomor = plan.last
            for key in order:
                ev = new_ev(key, nomor)
                if ev is None:
                    continue
                state = STATE_LAST.get(key)
                hasil, perilaku, org = ratings(key, by_key[key], nomor)
                e = ev.selesai
                plan_on(ev, key)
                if state == DRAFT:
                    continue
                _fill_realisasi(c, key, ev, hasil, ev.kode, partial=state == SEBAGIAN)
                if state == SEBAGIAN:
                    continue
                ev.submitted_at = _at(_d(e, 1 + c.rng.randint(0, 2)), 3, now)
                ev.status = S.DIAJUKAN
                if state == DIAJUKAN:
                    continue
                _give_pertimbangan(c, ev, hasil, perilaku, _d(e, 8))
                if state == PERTIMBANGAN:
                    continue
                _fill_feedback(c, ev, hasil, perilaku)
                _rate(c, ev, hasil, perilaku, _d(e, 14), org)
                if state == DINILAI:
                    continue
                _approve(c, ev, _d(e, 20 + c.rng.randint(0, 3)))
                approved.append(ev)

        # the current quarter: rencana aksi drafted by most pegawai
        if plan.current is not None:
            for key in order:
                if key in NO_PLAN_CURRENT:
                    continue
                ev = new_ev(key, plan.current)
                if ev is not None:
                    plan_on(ev, key, early=14)

        s.flush()
        for ev in approved:
            ak = angka_kredit.record_for_evaluation(s, ev)
            if ak is not None:  # recorded in the approval, by the approving account
                ak.dibuat_by_username = ev.disetujui_by_username  # type: ignore[assignment]
                result.angka_kredit += 1
        s.flush()
        rows = s.execute(select(Evaluasi.status, Evaluasi.predikat).where(Evaluasi.period_id == period.id)).all()
    # opening balances of angka kredit (PAK before this system), through the service as Admin SDM
    admin = auth.load_actor(demo.ADMIN_USERNAME) or SYSTEM
    for key, (nilai, ket) in SALDO_AWAL.items():
        if key in c.pid:
            angka_kredit.add_saldo_awal(admin, c.pid[key], y - 1, nilai, ket.format(y=y - 1))
            result.angka_kredit += 1
    result.evaluasi = len(rows)
    result.status = dict(Counter(S(st).value for st, _ in rows))
    result.predikat = dict(Counter(PredikatKinerja(p).value for st, p in rows if S(st) == S.DISETUJUI and p))
    return result
