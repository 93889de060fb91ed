"""Demo monthly monev meetings (SOP 002) for the demo balai, relative to the clock's today:

- last month's meeting complete: planned, invitation signed by the Kepala, held on the 6th (figures frozen then),
  attendance (most invitees present, some by self check-in), notulen for every agenda item, three tindak lanjut
  (one closed with a note, two still open so they carry over), two documentation photos (small PNGs drawn with
  PIL), and the report drafted by the notulis, checked by the Kasubbag ADUM and set by the Kepala on the 14th;
- this month's meeting scheduled for today at 09:00 with the invitation signed (ready to start).

Everything goes through the monev services as the acting accounts, with the clock moved to the day of each step
(never later than now), so audit rows and timestamps look like real work. Works in January (last month is
December of the previous year).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass

import pandas as pd
from PIL import Image, ImageDraw

from services.auth import login as auth
from services.core import clock
from services.core.actor import Actor
from services.demo import office as demo
from services.monev import laporan, rapat

NOTULIS_KEY = "perencana_1"
SEED = 2002
NOTULEN = {
    "pembukaan": "Kepala membuka rapat, menekankan ketepatan waktu pelaporan realisasi dan integritas (tanpa "
                 "gratifikasi).",
    "iku": "Sebagian besar indikator mencapai target kumulatif; dua indikator di bawah target dibahas per tim.",
    "tim": "Tim menyampaikan capaian bulan lalu, kendala di lapangan, dan rencana tindak lanjut bulan ini.",
    "anggaran": "Penyerapan anggaran sedikit di bawah rencana penarikan dana; percepatan belanja perjalanan dinas.",
    "individu": "Masih ada logbook yang menunggu penilaian; pejabat penilai diminta menyelesaikan sebelum tanggal 15.",
    "tindak_lanjut": "Tindak lanjut rapat sebelumnya dibahas satu per satu; yang belum selesai tetap dipantau.",
    "lain": "Tidak ada hal lain.",
}


@dataclass(frozen=True)
class DemoMonevResult:
    rapat: int
    tindak_lanjut: int


def _actor(key: str) -> Actor:
    nip = next(r["nip"] for r in demo.roster() if r["key"] == key)
    actor = auth.load_actor(nip)
    if actor is None:
        raise LookupError(f"akun demo {key} tidak ditemukan")
    return actor


def _photo(seed: int, caption: str) -> bytes:
    """A small documentation picture: a meeting room with a projected screen and people (drawn shapes)."""
    rng = random.Random(seed)
    img = Image.new("RGB", (480, 320), (236, 232, 224))
    d = ImageDraw.Draw(img)
    d.rectangle((120, 30, 360, 160), fill=(250, 250, 250), outline=(40, 40, 40), width=3)
    for i in range(5):
        h = rng.randint(30, 100)
        d.rectangle((150 + i * 40, 150 - h, 175 + i * 40, 150), fill=(11, 79, 138))
    d.rectangle((40, 220, 440, 250), fill=(120, 84, 52))
    for i in range(8):
        x = 60 + i * 48
        d.ellipse((x, 180, x + 26, 206), fill=(rng.randint(90, 200), rng.randint(60, 140), rng.randint(40, 120)))
        d.rectangle((x - 2, 206, x + 28, 222), fill=(rng.randint(20, 200), rng.randint(20, 200), rng.randint(20, 200)))
    d.text((20, 290), caption, fill=(20, 20, 20))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A local moment on `day`, never later than now."""
    moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.tz())
    return min(moment, clock.now())


def load_demo_monev(today: dt.date | None = None) -> DemoMonevResult:
    """Load last month's complete meeting and this month's scheduled one (see the module text)."""
    today = today or clock.today()
    perencana, kepala = _actor(demo.PERENCANA_KEY), _actor("kepala")
    kasubbag, notulis = _actor("kasubbag"), _actor(NOTULIS_KEY)
    ly, lm = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    first = dt.date(ly, lm, 1)
    held = dt.date(ly, lm, 6)
    rng = random.Random(SEED)
    n_tl = 0

    with clock.frozen(_at(first, 8)):
        rid = rapat.buat(perencana, ly, lm, tanggal=held, jam="09:00", tempat="Aula Balai",
                         notulis_id=notulis.pegawai_id)
        rapat.ajukan_undangan(perencana, rid, f"PR.01.02/C.XII/{lm:02d}/{ly}")
    with clock.frozen(_at(dt.date(ly, lm, 2), 10)):
        rapat.tandatangani_undangan(kepala, rid)
        rapat.unggah_scan(kepala, rid, "undangan_bertanda_tangan.png", _photo(1, "Pindaian undangan"))
    with clock.frozen(_at(held, 9, 5)):
        rapat.mulai(notulis, rid)
        hadir = rapat.daftar_hadir(notulis, rid)
        hadir["Hadir"] = [rng.random() < 0.85 for _ in range(len(hadir))]
        hadir.loc[hadir["pegawai_id"].isin([kepala.pegawai_id, notulis.pegawai_id, perencana.pegawai_id,
                                            kasubbag.pegawai_id]), "Hadir"] = True
        rapat.simpan_hadir(notulis, rid, hadir)
        view = rapat.by_id(notulis, rid)
        for item in view["agenda"]:
            text = NOTULEN.get(item["jenis"], NOTULEN["lain"])
            if item["jenis"] == "tim":
                text = f"{item['judul'].removeprefix('Laporan ')}: " + text[0].lower() + text[1:]
            rapat.simpan_notulen(notulis, rid, item["id"], text)
        teams = dict((n, i) for i, n in rapat.tim_options(notulis))
        names = list(teams)
        grid = pd.DataFrame([
            {"id": None, "Tindak Lanjut": "Lengkapi bukti dukung realisasi indikator yang belum diunggah",
             "PIC": names[0], "Tenggat": dt.date(ly, lm, 20)},
            {"id": None, "Tindak Lanjut": "Percepat penyerapan anggaran belanja perjalanan dinas sesuai RPD",
             "PIC": perencana.nama, "Tenggat": dt.date(today.year, today.month, 15)},
            {"id": None, "Tindak Lanjut": "Selesaikan penilaian logbook yang menunggu lebih dari 10 hari",
             "PIC": kasubbag.nama, "Tenggat": dt.date(today.year, today.month, 10)},
        ])
        n_tl = rapat.simpan_tindak_lanjut(notulis, rid, grid)
        for i, cap in enumerate(("Pemaparan capaian IKU", "Diskusi tindak lanjut"), start=1):
            rapat.unggah_foto(notulis, rid, f"dokumentasi_{i}.png", _photo(10 + i, cap), cap)
    with clock.frozen(_at(held, 12)):
        rapat.selesai(notulis, rid)
    with clock.frozen(_at(dt.date(ly, lm, 8), 10)):
        laporan.susun(notulis, rid, "Capaian kinerja bulan lalu umumnya sesuai target; dua indikator dan penyerapan "
                                    "anggaran perlu percepatan. Tindak lanjut dipantau pada rapat berikutnya.")
        laporan.ajukan(notulis, rid)
    with clock.frozen(_at(dt.date(ly, lm, 12), 14)):
        laporan.periksa(kasubbag, rid)
    with clock.frozen(_at(dt.date(ly, lm, 14), 9)):
        laporan.tetapkan(kepala, rid)
    with clock.frozen(_at(dt.date(ly, lm, 18), 15)):
        first_tl = int(rapat.tindak_lanjut(notulis, rid)["id"].iloc[0])
        tim_ketua = _ketua_actor(names[0])
        rapat.tutup_tindak_lanjut(tim_ketua or perencana, first_tl,
                                  "Bukti dukung seluruh indikator sudah diunggah ke aplikasi.")

    # this month: scheduled for today, invitation signed
    with clock.frozen(_at(dt.date(today.year, today.month, 1), 8)):
        rid2 = rapat.buat(perencana, today.year, today.month, tanggal=today, jam="09:00", tempat="Aula Balai",
                          notulis_id=notulis.pegawai_id)
        rapat.ajukan_undangan(perencana, rid2, f"PR.01.02/C.XII/{today.month:02d}/{today.year}")
        rapat.tandatangani_undangan(kepala, rid2)
    return DemoMonevResult(rapat=2, tindak_lanjut=n_tl)


def _ketua_actor(tim_nama: str) -> Actor | None:
    key = next((k for k, (nama, _d) in demo.TIM.items() if nama == tim_nama), None)
    if key is None:
        return None
    try:
        return _actor(f"ketua_{key}")
    except (LookupError, StopIteration):
        return None
