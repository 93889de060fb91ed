"""Demo evaluations (evaluasi kinerja) for the demo office, after the demo SKPs and logbook (services/demo.py).

- Triwulan I of the demo year is complete for every pegawai with an approved SKP: rencana aksi per RHK (one or
  two actions, Indonesian texts from the activities of their Tim Kerja), realisasi with bukti dukung links,
  IKI realisasi and capaian (services.rules.capaian), RHK realisasi texts, umpan balik per RHK and per
  BerAKHLAK value, pertimbangan of the Ketua Tim (pegawai with a pemberi pertimbangan), ratings and predikat
  (services.rules.predikat; all five predikat occur, mostly Baik), approval, and the angka kredit conversion
  for fungsional pegawai (services.angka_kredit.record_for_evaluation).
- The organisational predikat (KinerjaOrganisasi) of Triwulan I for every unit with a head; the heads' Rating
  Hasil Kerja follows from it (settings rating_org_*; services.rules.rating_from_organisasi).
- Triwulan II in earlier states so the reviewer pages have work: Draft with rencana aksi (incl. the browser-test
  pegawai `E2E_PEGAWAI_KEY`), Diajukan without umpan balik (the Kasubbag's queue; some waiting for the Ketua
  Tim's pertimbangan) and Dinilai waiting for the Kepala's approval.
- Opening balances (AngkaKredit jenis Saldo Awal) for two fungsional pegawai.

The Q1/Q2 periods hold no demo logbook (the logbook covers the last three months), so realisasi numbers are
generated from the periodic targets by rating level instead of the logbook prefill. Everything is written in one
unit_of_work(SYSTEM, action="demo_data") with a fixed random seed (deterministic apart from the clock).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from db.models import Jabatan, Pegawai, Period, UnitKerja
from db.models_evaluasi import (
    Evaluasi,
    JenisEvaluasi,
    KinerjaOrganisasi,
    Polaritas,
    PredikatKinerja,
    PredikatOrganisasiKinerja,
    RatingKinerja,
    RencanaAksi,
    StatusEvaluasi,
)
from db.models_skp import JenisRhk, Rhk, Skp, StatusSkp
from services import angka_kredit, auth, demo, demo_logbook, fmt, rules, settings
from services import evaluasi_common as ec
from services.actor import SYSTEM
from services.uow import unit_of_work

SEED = 20260401
R = RatingKinerja
ATAS, SESUAI, BAWAH = R.DI_ATAS, R.SESUAI, R.DI_BAWAH
ORG = "organisasi"  # Rating Hasil Kerja of a unit head comes from the unit's organisational predikat
S = StatusEvaluasi

E2E_PEGAWAI_KEY = "olo_kno"
"""Plain pegawai (roles exactly ["pegawai"]; pertimbangan Ketua Tim Surveilans, penilai Kasubbag, atasan Kepala)
whose Triwulan II is a Draft with rencana aksi: the browser walk-through realisasi → pertimbangan → penilaian →
persetujuan."""

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

# Triwulan II: person key -> state. "pertimbangan": Diajukan with the Ketua Tim's pertimbangan given.
DRAFT, DIAJUKAN, PERTIMBANGAN, DINILAI = "draft", "diajukan", "pertimbangan", "dinilai"
STATE_Q2: dict[str, str] = {
    E2E_PEGAWAI_KEY: DRAFT,
    "pp_blw": DRAFT,
    "sanitarian_2": DIAJUKAN,
    "dokter_pppk": DIAJUKAN,
    "apk_1": PERTIMBANGAN,
    "sdm_1": DINILAI,
    "plo_adum_2": DINILAI,
}
RATING_Q2 = {"apk_1": (SESUAI, SESUAI), "sdm_1": (SESUAI, SESUAI), "plo_adum_2": (SESUAI, ATAS)}

# unit kode -> organisational predikat of Triwulan I (units with a head; others default to Baik)
ORG_Q1 = {"BBKK": PredikatOrganisasiKinerja.BAIK, "ADUM": PredikatOrganisasiKinerja.ISTIMEWA}
ORG_CATATAN = {
    "BBKK": "Capaian rencana aksi triwulan I sesuai target Perjanjian Kinerja; realisasi anggaran 23,8% dari pagu "
            "dan seluruh laporan surveilans terkirim tepat waktu.",
    "ADUM": "Seluruh rencana aksi triwulan I melampaui target: nilai IKPA 98,6, laporan keuangan dan kepegawaian "
            "disampaikan sebelum batas waktu.",
}
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


def _fill_plan(c: _Ctx, key: str, ev: Evaluasi, skp: Skp) -> None:
    """Rencana aksi: one or two actions per RHK with a target for the quarter."""
    acts = _acts(key)
    rhks: dict[int, Rhk] = {r.id: r for r in skp.rhk}
    utama = [r.id for r in skp.rhk if r.jenis == JenisRhk.UTAMA]
    for h in ev.hasil:
        rhk = rhks.get(h.rhk_id)
        if rhk is not None and rhk.jenis == JenisRhk.TAMBAHAN:
            pool = list(TAMBAHAN_ACTS)
        else:
            k = utama.index(h.rhk_id) if h.rhk_id in utama else 0
            width = max(a.rhk for a in acts) + 1
            pool = [a for a in acts if a.rhk == k % width] or list(acts)
        picks = c.rng.sample(pool, min(len(pool), c.rng.choice((1, 2, 2))))
        for n, act in enumerate(picks, start=1):
            mean = Decimal(act.vol[0] + act.vol[1]) / 2
            target = _q(mean * c.rng.choice((3, 6, 10, 12)), act.satuan)
            ev.rencana_aksi.append(RencanaAksi(
                rhk_id=h.rhk_id, rhk_label=h.rhk_label, rhk_urutan=h.rhk_urutan, urutan=n, uraian=act.uraian,
                target=max(target, Decimal(1)), satuan=act.satuan))


def _fill_realisasi(c: _Ctx, key: str, ev: Evaluasi, level: RatingKinerja, kode: str) -> None:
    by_rhk: dict[int | None, list[str]] = {}
    for n, ra in enumerate(ev.rencana_aksi, start=1):
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


def load_demo_evaluasi(tahun: int | None = None) -> DemoEvaluasiResult:
    """Create the demo evaluations of `tahun` (the demo office and SKPs must be loaded, with no evaluation yet)."""
    now = dt.datetime.now(dt.UTC)
    people = {r["key"]: r["nip"] for r in demo.roster()}
    result = DemoEvaluasiResult()
    with unit_of_work(SYSTEM, action="demo_data") as s:
        period = (s.scalar(select(Period).where(Period.tahun == tahun)) if tahun
                  else s.scalar(select(Period).order_by(Period.tahun.desc()).limit(1)))
        if period is None:
            return result
        y = period.tahun
        pid = dict(s.execute(select(Pegawai.nip, Pegawai.id).where(Pegawai.nip.in_(list(people.values())))).all())
        key_of = {pid[nip]: k for k, nip in people.items() if nip in pid}
        c = _Ctx(s, random.Random(SEED), now, y, people, {k: pid[n] for k, n in people.items() if n in pid})
        skps = s.scalars(select(Skp).where(Skp.period_id == period.id, Skp.pegawai_id.in_(list(key_of)),
                                           or_(Skp.status == StatusSkp.DISETUJUI, Skp.version_no > 1))
                         .options(selectinload(Skp.rhk).selectinload(Rhk.iki))
                         .order_by(Skp.pegawai_id, Skp.segment_no)).all()
        by_key = {key_of[k.pegawai_id]: k for k in skps}  # the last segment per pegawai
        order = [o.key for o in demo.ORANG if o.key in by_key]

        # organisational predikat of Triwulan I for every unit with a head
        heads = dict(s.execute(select(Jabatan.unit_id, Jabatan.id).where(Jabatan.pimpinan_unit.is_(True))).all())
        units = {u.id: u for u in s.scalars(select(UnitKerja).where(UnitKerja.id.in_(list(heads))))}
        org_of_unit = {uid: ORG_Q1.get(u.kode, PredikatOrganisasiKinerja.BAIK) for uid, u in units.items()}
        mapping = _org_mapping(s)

        q1_end = dt.date(y, 3, 31)
        evs_q1: dict[str, Evaluasi] = {}
        for key in order:
            skp = by_key[key]
            ev = ec.get_or_create(s, skp, JenisEvaluasi.PERIODIK, 1, today=q1_end)
            if ev.status != S.DRAFT or ev.rencana_aksi:
                continue  # already evaluated (the demo never overwrites)
            hasil, perilaku = RATING_Q1.get(key, DEFAULT_RATING)
            org = None
            if hasil == ORG:
                head, unit_id = ec.is_unit_head(s, skp.pegawai_id, skp)
                org = org_of_unit.get(unit_id, PredikatOrganisasiKinerja.BAIK) if head else None
                hasil = (R(rules.rating_from_organisasi(org.value, mapping).value) if org else SESUAI)
            _fill_plan(c, key, ev, skp)
            ev.rencana_aksi_at = _at(dt.date(y, 2, 3 + c.rng.randint(0, 9)), 2, now)
            _fill_realisasi(c, key, ev, hasil, ev.kode)
            ev.submitted_at = _at(dt.date(y, 4, 1 + c.rng.randint(0, 3)), 3, now)
            _give_pertimbangan(c, ev, hasil, perilaku, dt.date(y, 4, 7 + c.rng.randint(0, 3)))
            _fill_feedback(c, ev, hasil, perilaku)
            _rate(c, ev, hasil, perilaku, dt.date(y, 4, 13 + c.rng.randint(0, 1)), org)
            _approve(c, ev, dt.date(y, 4, 20 + c.rng.randint(0, 3)))
            evs_q1[key] = ev
        s.flush()
        for ev in evs_q1.values():
            ak = angka_kredit.record_for_evaluation(s, ev)
            if ak is not None:  # recorded in the approval, by the approving account
                ak.dibuat_by_username = ev.disetujui_by_username
                result.angka_kredit += 1

        # KinerjaOrganisasi of Triwulan I, with the distribution check of the unit's pegawai predikat
        members: dict[int, Counter] = {uid: Counter() for uid in units}
        for key, ev in evs_q1.items():
            uid = by_key[key].unit_id
            if uid in members:
                members[uid][ev.predikat.value] += 1
        kepala_nip = people["kepala"]
        for uid, u in units.items():
            pred = org_of_unit[uid]
            ko = KinerjaOrganisasi(unit_id=uid, period_id=period.id, nomor=1, predikat=pred,
                                   catatan=ORG_CATATAN.get(u.kode),
                                   ditetapkan_by_username=demo.ADMIN_USERNAME if u.parent_id is None else kepala_nip,
                                   ditetapkan_at=_at(dt.date(y, 4, 10), 3, now))
            problems = rules.check_distribution(pred.value, members[uid])
            if problems:
                ko.override_alasan, ko.override_pelanggaran = OVERRIDE_ALASAN, problems
                ko.override_by_username, ko.override_at = ko.ditetapkan_by_username, ko.ditetapkan_at
            s.add(ko)
            result.kinerja_organisasi += 1

        # Triwulan II in earlier states
        q2_end = dt.date(y, 6, 30)
        for key in order:
            state = STATE_Q2.get(key)
            if state is None:
                continue
            skp = by_key[key]
            ev = ec.get_or_create(s, skp, JenisEvaluasi.PERIODIK, 2, today=q2_end)
            if ev.status != S.DRAFT or ev.rencana_aksi:
                continue
            hasil, perilaku = RATING_Q2.get(key, DEFAULT_RATING)
            _fill_plan(c, key, ev, skp)
            ev.rencana_aksi_at = _at(dt.date(y, 5, 4 + c.rng.randint(0, 8)), 2, now)
            if state == DRAFT:
                continue
            _fill_realisasi(c, key, ev, hasil, ev.kode)
            ev.submitted_at = _at(dt.date(y, 7, 1 + c.rng.randint(0, 2)), 3, now)
            ev.status = S.DIAJUKAN
            if state in (PERTIMBANGAN, DINILAI):
                _give_pertimbangan(c, ev, hasil, perilaku, dt.date(y, 7, 8))
            if state == DINILAI:
                _fill_feedback(c, ev, hasil, perilaku)
                _rate(c, ev, hasil, perilaku, dt.date(y, 7, 14), None)

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
