"""Demo organisational performance (SOP 001) for the demo balai, relative to the clock's today:

- a Perjanjian Kinerja for the demo year: 9 indicators under 4 sasaran strategis, every Tim Kerja a PJ, mixed
  polaritas (positif, negatif, range) and agregasi (kumulatif, nilai akhir periode, rata-rata), monthly
  targets; rincian output with pagu and a monthly RPD. Entered through the PK services as the Petugas
  Perencana (so the demo passes the same checks as a user's grid), then signed by the Kepala. A PK with six or
  more realised months was revised once (versi 2, the signed versi 1 kept readable with a lower target).
- realisations per indicator for every month before the current one, with a mix of on / over / under target,
  kendala and rencana tindak lanjut where a month fell short, a bukti link, and the budget realisation per
  rincian output; every Tim Kerja submitted each month (one of them late once) except that the most recent
  month still has one team in draft.
- Kertas Kerja Perhitungan Kinerja for every realised month, in every state, counted back from the most recent
  month: Draft (being compiled), Diajukan (waiting for the Kasubbag ADUM), Dikembalikan (a note on one row),
  Dikoreksi (waiting for the Kepala), and all earlier months Disahkan (a ratified version each); a quarter whose
  months are all ratified has a ratified quarterly kertas kerja too.
- When fewer than four months of the demo year have passed (January to March, when no or few months are
  realised yet), last year's PK is loaded as well with its realised months, so the months counted back reach
  into last year and the states above are always present.

Timestamps are set from the month they belong to (submitted on the 2nd–4th of the next month, ratified on the
15th), never later than now. Deterministic for a given today (fixed random seed).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

import domain as rules
from db.models import (
    AnggotaTimPenyusun,
    IndikatorKinerja,
    KertasKerja,
    KertasKerjaVersi,
    Pegawai,
    PerjanjianKinerja,
    PkVersi,
    RealisasiAnggaran,
    RealisasiIndikator,
    RealisasiTim,
    SasaranStrategis,
    SkTimPenyusun,
    StatusKertasKerja,
    StatusPk,
    StatusRealisasiTim,
    TimKerja,
)
from services.auth import login as auth
from services.core import clock
from services.core.actor import SYSTEM, Actor
from services.core.uow import unit_of_work
from services.demo import office as demo
from services.kinerja import kertas, pk
from services.kinerja.common import BULAN

SEED = 20261205
K = StatusKertasKerja
RECENT_STATES = (K.DRAFT, K.DIAJUKAN, K.DIKEMBALIKAN, K.DIKOREKSI)
"""States of the most recent realised months, newest first; every earlier month is ratified."""
DRAFT_TEAM = "umum"
"""The Tim Kerja still in draft for the most recent realised month (so the monitoring shows a missing team)."""
LATE_TEAM = "lingkungan"
REVISED_KODE = "IKU 3.1"
REVISED_OLD_TARGET = 3000
MIN_MONTHS_FOR_REVISION = 6


@dataclass(frozen=True)
class Ind:
    sasaran: str
    kode: str
    nama: str
    satuan: str
    polaritas: str
    agregasi: str
    target: float
    tim: str
    sumber: str
    definisi: str
    monthly: tuple[float, ...] | None = None  # None: the annual target each month (or an even split if kumulatif)
    target_max: float | None = None
    profile: str = "on"  # on / over / under / catchup / range
    jenis: str = "IKU"


SASARAN = {
    "SS1": "Meningkatnya deteksi dini dan respon faktor risiko penyakit di pintu masuk negara",
    "SS2": "Terkendalinya faktor risiko lingkungan di wilayah pelabuhan dan bandar udara",
    "SS3": "Meningkatnya mutu pelayanan kesehatan bagi pelaku perjalanan",
    "SS4": "Terwujudnya tata kelola organisasi yang akuntabel",
}

INDIKATOR: tuple[Ind, ...] = (
    Ind("SS1", "IKU 1.1", "Jumlah alat angkut (kapal dan pesawat) yang diperiksa faktor risiko kesehatannya",
        "alat angkut", "positif", "kumulatif", 4800, "surveilans", "Laporan harian pemeriksaan alat angkut (SINKARKES)",
        "Jumlah kapal dan pesawat yang diperiksa dokumen dan faktor risikonya dalam periode", profile="over"),
    Ind("SS1", "IKU 1.2", "Persentase sinyal kewaspadaan dini yang direspon kurang dari 24 jam", "%", "positif",
        "rata-rata", 90, "surveilans", "Rekap SKDR dan laporan penyelidikan epidemiologi",
        "Sinyal yang direspon < 24 jam dibagi seluruh sinyal dalam bulan, × 100", profile="on"),
    Ind("SS2", "IKU 2.1", "House Index (HI) jentik Aedes di perimeter pelabuhan dan bandar udara", "%", "negatif",
        "rata-rata", 1, "lingkungan", "Laporan survei jentik bulanan",
        "Bangunan positif jentik dibagi bangunan diperiksa, × 100; makin kecil makin baik", profile="under"),
    Ind("SS2", "IKU 2.2", "Persentase tempat pengelolaan pangan (TPP) yang memenuhi syarat kesehatan", "%", "positif",
        "nilai akhir periode", 85, "lingkungan", "Register inspeksi kesehatan lingkungan TPP",
        "TPP memenuhi syarat dibagi TPP yang diinspeksi sampai akhir periode, × 100",
        monthly=(60, 62, 65, 67, 70, 72, 74, 76, 78, 80, 83, 85), profile="catchup"),
    Ind("SS3", "IKU 3.1", "Jumlah pelaku perjalanan yang mendapat vaksinasi internasional", "orang", "positif",
        "kumulatif", 3600, "yankes", "Register vaksinasi internasional dan aplikasi e-ICV",
        "Jumlah orang yang divaksinasi dan menerima sertifikat vaksinasi internasional", profile="over"),
    Ind("SS3", "IKU 3.2", "Rata-rata waktu penerbitan sertifikat vaksinasi internasional", "menit", "negatif",
        "rata-rata", 30, "yankes", "Log layanan e-ICV", "Rata-rata menit sejak pendaftaran sampai sertifikat terbit",
        profile="on"),
    Ind("SS4", "IKU 4.1", "Persentase penyerapan anggaran terhadap rencana penarikan dana (RPD) bulanan", "%",
        "range", "rata-rata", 90, "perencanaan", "Aplikasi SAKTI, laporan realisasi anggaran",
        "Realisasi belanja dibagi RPD bulan berjalan, × 100; ideal di antara 90 dan 110", target_max=110,
        profile="range"),
    Ind("SS4", "IKU 4.2", "Nilai Indikator Kinerja Pelaksanaan Anggaran (IKPA)", "nilai", "positif",
        "nilai akhir periode", 95, "perencanaan", "Aplikasi OM-SPAN, menu IKPA",
        "Nilai IKPA satker yang dirilis KPPN untuk periode berjalan", profile="on", jenis="IKK"),
    Ind("SS4", "IKU 4.3", "Persentase pegawai dengan capaian SKP paling rendah Baik", "%", "positif",
        "nilai akhir periode", 90, "umum", "Aplikasi e-Kinerja, rekap predikat evaluasi",
        "Pegawai berpredikat Baik atau Sangat Baik dibagi seluruh pegawai yang dinilai, × 100", profile="under",
        jenis="IKK"),
)

RINCIAN: tuple[tuple[str, str, str, int], ...] = (
    ("2058.QAH.001", "Layanan surveilans faktor risiko penyakit di pintu masuk negara", "surveilans", 850_000_000),
    ("2058.QAH.002", "Layanan pengendalian vektor dan sanitasi lingkungan pelabuhan dan bandar udara", "lingkungan",
     640_000_000),
    ("2058.QAH.003", "Layanan kesehatan dan vaksinasi internasional pelaku perjalanan", "yankes", 720_000_000),
    ("4249.EBA.994", "Layanan perkantoran (gaji, tunjangan dan operasional)", "perencanaan", 3_400_000_000),
    ("4249.EBD.955", "Layanan manajemen kinerja internal", "perencanaan", 180_000_000),
    ("4249.EBA.962", "Layanan umum, kepegawaian dan kehumasan", "umum", 1_150_000_000),
)
RPD_WEIGHTS = (5, 6, 8, 8, 8, 9, 8, 9, 9, 9, 9, 12)  # percent of the pagu per month (sums to 100)

KENDALA = {
    "IKU 2.1": ("Curah hujan tinggi menambah tempat perindukan di perimeter; dua petugas survei cuti.",
                "Abatisasi selektif dan pemberantasan sarang nyamuk bersama pengelola pelabuhan setiap pekan."),
    "IKU 2.2": ("Sebagian TPP baru belum memiliki sertifikat laik higiene; inspeksi ulang menunggu jadwal.",
                "Pendampingan TPP oleh sanitarian dan inspeksi ulang pada bulan berikutnya."),
    "IKU 4.3": ("Beberapa pegawai belum menyelesaikan realisasi rencana aksi tepat waktu.",
                "Dialog kinerja oleh Ketua Tim dan pemantauan logbook mingguan."),
    "IKU 4.1": ("Penarikan dana bergeser karena jadwal pengadaan berubah.",
                "Revisi RPD halaman III DIPA dan percepatan proses pengadaan."),
}
DEFAULT_KENDALA = ("Data pendukung terlambat masuk dari wilayah kerja.",
                   "Penguatan koordinasi pelaporan dengan wilayah kerja melalui grup tim setiap Senin.")
RETURN_NOTE = ("Realisasi House Index belum disertai bukti hasil survei jentik kedua wilayah kerja; mohon "
               "lengkapi bukti dan periksa kembali angka rata-ratanya.")
CHECK_NOTE = "Angka telah dicocokkan dengan laporan tim dan realisasi anggaran SAKTI; analisis kendala sesuai."
REVISION_REASON = ("Penyesuaian target vaksinasi internasional setelah revisi DIPA dan bertambahnya jadwal "
                   "keberangkatan jemaah umrah.")


@dataclass
class DemoKinerjaResult:
    tahun: list[int] = field(default_factory=list)
    indikator: int = 0
    realisasi: int = 0
    kertas_kerja: dict[str, int] = field(default_factory=dict)


def _q(x: float, places: str = "0.01") -> Decimal:
    return Decimal(str(x)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def realised_months(tahun: int, today: dt.date) -> list[int]:
    """Months of `tahun` that ended before today's month."""
    return [m for m in range(1, 13) if (tahun, m) < (today.year, today.month)]


def plan_years(tahun: int, today: dt.date) -> list[int]:
    """The demo years, oldest first: the demo year, preceded by last year while the demo year has fewer realised
    months than there are non-ratified states to show."""
    if len(realised_months(tahun, today)) < len(RECENT_STATES) + 1:
        return [tahun - 1, tahun]
    return [tahun]


def month_states(timeline: list[tuple[int, int]]) -> dict[tuple[int, int], StatusKertasKerja]:
    """The kertas kerja state per realised (tahun, bulan): RECENT_STATES counted back from the newest, the rest
    ratified."""
    out = {}
    for i, key in enumerate(reversed(timeline)):
        out[key] = RECENT_STATES[i] if i < len(RECENT_STATES) else K.DISAHKAN
    return out


def _monthly_targets(ind: Ind) -> list[float]:
    if ind.monthly is not None:
        return list(ind.monthly)
    if ind.agregasi == "kumulatif":
        return [ind.target / 12] * 12
    return [ind.target] * 12


def _grid(tahun: int, tim_names: dict[str, str]) -> pd.DataFrame:
    rows = []
    for ind in INDIKATOR:
        target = ind.target
        months = _monthly_targets(ind)
        row = {"Kode Sasaran": ind.sasaran, "Sasaran": SASARAN[ind.sasaran], "Kode": ind.kode, "Indikator": ind.nama,
               "Jenis": ind.jenis, "Satuan": ind.satuan, "Polaritas": ind.polaritas, "Agregasi": ind.agregasi,
               "Target": target, "Target Maks": ind.target_max, "PJ Tim Kerja": tim_names[ind.tim],
               "Sumber Data": ind.sumber, "Definisi": ind.definisi}
        for b, t in zip(BULAN, months, strict=True):
            row[b] = f"{t:g}-{ind.target_max:g}" if ind.target_max is not None else _q(t)
        rows.append(row)
    return pd.DataFrame(rows, columns=pk.INDIKATOR_COLS).astype(object)


def _rincian(tim_names: dict[str, str]) -> pd.DataFrame:
    rows = []
    for kode, nama, tim, pagu in RINCIAN:
        parts = [Decimal(pagu) * w / 100 for w in RPD_WEIGHTS]
        rows.append({"Kode": kode, "Rincian Output/Kegiatan": nama, "PJ Tim Kerja": tim_names[tim], "Pagu": pagu,
                     **{b: float(v) for b, v in zip(BULAN, parts, strict=True)}})
    return pd.DataFrame(rows, columns=pk.RINCIAN_COLS).astype(object)


def _ratio(rng: random.Random, profile: str, bulan: int) -> float:
    if profile == "over":
        return rng.uniform(1.04, 1.15)
    if profile == "under":
        return rng.uniform(0.78, 0.92)
    if profile == "catchup":
        return min(1.02, 0.86 + 0.015 * bulan + rng.uniform(-0.01, 0.01))
    return rng.uniform(0.97, 1.04)


def _value(rng: random.Random, ind: Ind, bulan: int, target: float) -> Decimal:
    if ind.profile == "range":
        value = rng.choice((84.5, 117.3)) if bulan in (2, 5, 9) else rng.uniform(92, 106)
        return _q(value)
    r = _ratio(rng, ind.profile, bulan)
    value = target * r if ind.polaritas == "positif" else target * (2 - r)
    if ind.satuan == "%":
        value = min(value, 100.0)
    if ind.satuan in ("alat angkut", "orang"):
        return _q(round(value), "1")
    return _q(value)


def _at(day: dt.date, hour: int, now: dt.datetime) -> dt.datetime:
    """A local moment on `day` as stored (UTC), never later than now."""
    at = dt.datetime.combine(day, dt.time(hour, 0), tzinfo=clock.tz())
    return min(at, now).astimezone(dt.UTC)


def _next_month(tahun: int, bulan: int, day: int) -> dt.date:
    y, m = (tahun + 1, 1) if bulan == 12 else (tahun, bulan + 1)
    return dt.date(y, m, day)


def _actor(key: str) -> Actor:
    nip = next(r["nip"] for r in demo.roster() if r["key"] == key)
    actor = auth.load_actor(nip)
    if actor is None:
        raise LookupError(f"akun demo {key} tidak ditemukan")
    return actor


def load_demo_kinerja(tahun: int, today: dt.date | None = None) -> DemoKinerjaResult:
    """Load the demo PK(s), realisations and kertas kerja (see the module text). Needs the demo office."""
    today = today or clock.today()
    now = clock.now()
    perencana = _actor(demo.PERENCANA_KEY)
    kepala_nip = next(r["nip"] for r in demo.roster() if r["key"] == "kepala")
    kasubbag_nip = next(r["nip"] for r in demo.roster() if r["key"] == "kasubbag")
    years = plan_years(tahun, today)
    with unit_of_work(SYSTEM) as s:
        teams = {t.nama: t.id for t in s.scalars(select(TimKerja))}
    tim_names = {key: nama for key, (nama, _d) in demo.TIM.items()}
    tim_ids = {key: teams[nama] for key, nama in tim_names.items()}

    for y in years:  # the PK through the services, as the Perencana enters it
        pk.save_indikator(perencana, y, _grid(y, tim_names))
        pk.save_rincian(perencana, y, _rincian(tim_names))

    timeline = [(y, m) for y in years for m in realised_months(y, today)]
    states = month_states(timeline)
    newest = timeline[-1] if timeline else None
    rng = random.Random(SEED)
    result = DemoKinerjaResult(tahun=years, indikator=len(INDIKATOR) * len(years))
    with unit_of_work(SYSTEM, action="demo_data") as s:
        for y in years:
            _sk(s, y, today)
            _sign_and_revise(s, y, today, now, kepala_nip, perencana.username, tim_names)
        for y in years:
            _realise(s, y, [m for (yy, m) in timeline if yy == y], newest, tim_ids, rng, now, result,
                     perencana.username)
        s.flush()
        for (y, m), state in states.items():
            _kertas(s, y, "bulan", m, state, now, perencana.username, kasubbag_nip, kepala_nip, result)
        for y in years:
            for q in range(1, 5):
                months = [(y, m) for m in kertas.months_of("triwulan", q)]
                if all(states.get(k) == K.DISAHKAN for k in months):
                    _kertas(s, y, "triwulan", q, K.DISAHKAN, now, perencana.username, kasubbag_nip, kepala_nip,
                            result)
    return result


SK_ANGGOTA = (("kasubbag", "Penanggung Jawab"), (demo.PERENCANA_KEY, "Ketua"), ("perencana_1", "Sekretaris"),
              ("apk_1", "Anggota"), ("prakom_1", "Anggota"))
"""The demo Tim Penyusun Laporan Kinerja (SOP 001 step 2): Mega Silvia (perencana_1), a plain pegawai otherwise,
holds the Perencana rights for the year through it."""


def _sk(s: Session, y: int, today: dt.date) -> None:
    ids = {o.key: p.id for o, p in ((o, s.scalar(select(Pegawai).where(Pegawai.nip == r["nip"])))
                                    for r in demo.roster() for o in (r["orang"],)) if p is not None}
    sk = SkTimPenyusun(tahun=y, arahan_nomor=f"ND.01/BBKK-MDN/I/{y}", arahan_tanggal=min(dt.date(y, 1, 3), today),
                       arahan_isi="Kasubbag ADUM agar membentuk Tim Penyusun Laporan Kinerja dan menyusun laporan "
                                  "kinerja bulanan serta tahunan sesuai hasil pengumpulan data kinerja.",
                       nomor=f"HK.02.03/BBKK-MDN/{y}/017", tanggal=min(dt.date(y, 1, 6), today))
    sk.anggota = [AnggotaTimPenyusun(pegawai_id=ids[key], peran=peran, urutan=i)
                  for i, (key, peran) in enumerate(SK_ANGGOTA)]
    s.add(sk)


def _sign_and_revise(s: Session, y: int, today: dt.date, now: dt.datetime, kepala: str, perencana: str,
                     tim_names: dict[str, str]) -> None:
    p = s.scalar(select(PerjanjianKinerja).where(PerjanjianKinerja.tahun == y))
    assert p is not None
    signed = min(dt.date(y, 1, 20), today)
    if len(realised_months(y, today)) >= MIN_MONTHS_FOR_REVISION:
        # versi 1 (signed in January with the old target) is kept; versi 2 raised the vaccination target
        old = pk.snapshot(s, p)
        for row in old["indikator"]:
            if row["Kode"] == REVISED_KODE:
                row["Target"] = float(REVISED_OLD_TARGET)
                for b in BULAN:
                    row[b] = rules.cells.fmt_decimal(_q(REVISED_OLD_TARGET / 12))
        s.add(PkVersi(pk_id=p.id, versi=1, isi=old, ditandatangani_at=signed, dibuat_oleh=perencana,
                      dibuat_at=_at(dt.date(y, 7, 1), 10, now)))
        p.versi = 2
        p.alasan_revisi = REVISION_REASON
        signed = min(dt.date(y, 7, 3), today)
    p.status = StatusPk.DITANDATANGANI
    p.ditandatangani_at = signed
    p.ditandatangani_oleh = kepala


def _realise(s: Session, y: int, months: list[int], newest: tuple[int, int] | None, tim_ids: dict[str, int],
             rng: random.Random, now: dt.datetime, result: DemoKinerjaResult, perencana: str) -> None:
    p = s.scalar(select(PerjanjianKinerja).where(PerjanjianKinerja.tahun == y))
    assert p is not None
    inds = {i.kode: i for i in s.scalars(select(IndikatorKinerja).join(SasaranStrategis)
                                           .where(SasaranStrategis.pk_id == p.id))}
    ketua = {o.tim: next(r["nip"] for r in demo.roster() if r["key"] == o.key) for o in demo.ORANG if o.ketua}
    for m in months:
        draft_team = tim_ids[DRAFT_TEAM] if (y, m) == newest else None
        for spec in INDIKATOR:
            ind = inds[spec.kode]
            t = next(x for x in ind.targets if x.bulan == m)
            value = _value(rng, spec, m, float(t.target))
            if ind.tim_id == draft_team and spec.kode != "IKU 4.3":
                continue  # the draft team has typed one of its figures so far
            cap = rules.capaian_indikator(value, t.target, t.target_max, spec.polaritas)
            short = cap is not None and cap < 100
            kendala, rtl = KENDALA.get(spec.kode, DEFAULT_KENDALA) if short else (None, None)
            s.add(RealisasiIndikator(
                indikator_id=ind.id, bulan=m, nilai=value, kendala=kendala, rencana_tindak_lanjut=rtl,
                bukti_link=f"https://drive.bbkk-medan.example/kinerja/{y}/{m:02d}/{spec.kode.replace(' ', '-')}",
                diisi_oleh=ketua[spec.tim]))
            result.realisasi += 1
        for r in p.rincian:
            plan = next((x.rencana for x in r.rpd if x.bulan == m), Decimal(0))
            if r.tim_id == draft_team:
                continue
            factor = Decimal(str(round(rng.uniform(0.82, 1.06), 3)))
            s.add(RealisasiAnggaran(rincian_id=r.id, bulan=m, nilai=(plan * factor).quantize(Decimal("1")),
                                    diisi_oleh=ketua[next(k for k, v in tim_ids.items() if v == r.tim_id)]))
        for key, tid in tim_ids.items():
            if tid == draft_team:
                s.add(RealisasiTim(tahun=y, bulan=m, tim_id=tid, status=StatusRealisasiTim.DRAFT))
                continue
            day = 7 if (key == LATE_TEAM and m == months[0]) else 2 + len(key) % 3
            s.add(RealisasiTim(tahun=y, bulan=m, tim_id=tid, status=StatusRealisasiTim.DIAJUKAN,
                               diajukan_at=_at(_next_month(y, m, day), 10, now), diajukan_oleh=ketua[key]))


def _kertas(s: Session, y: int, jenis: str, nomor: int, state: StatusKertasKerja, now: dt.datetime,
            perencana: str, kasubbag: str, kepala: str, result: DemoKinerjaResult) -> None:
    rows, ringkasan = kertas.compute(s, y, jenis, nomor)
    kk = KertasKerja(tahun=y, jenis=jenis, nomor=nomor, status=state, baris=rows, ringkasan=ringkasan,
                     catatan_baris={}, versi=0, disusun_oleh=perencana)
    end = kertas.months_of(jenis, nomor)[-1]
    if state == K.DIKEMBALIKAN:
        row = next(r for r in rows if r["Kode"] == "IKU 2.1")
        kk.catatan_baris = {str(row["indikator_id"]): RETURN_NOTE}
        kk.diperiksa_oleh = kasubbag
    elif state == K.DIKOREKSI:
        kk.diperiksa_oleh = kasubbag
        kk.ringkasan = {**ringkasan, "catatan_pemeriksa": CHECK_NOTE}
    elif state == K.DISAHKAN:
        kk.diperiksa_oleh = kasubbag
        kk.ringkasan = {**ringkasan, "catatan_pemeriksa": CHECK_NOTE}
        kk.versi = 1
    s.add(kk)
    s.flush()
    if state == K.DISAHKAN:
        s.add(KertasKerjaVersi(kertas_kerja_id=kk.id, versi=1, baris=kk.baris, ringkasan=kk.ringkasan,
                               disahkan_at=_at(_next_month(y, end, 15), 14, now), disahkan_oleh=kepala))
    result.kertas_kerja[state.value] = result.kertas_kerja.get(state.value, 0) + 1
