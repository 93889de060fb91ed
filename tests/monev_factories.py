"""Factories for the monev tests: a planned meeting with a signed invitation, started and (optionally) closed."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image

from services.core import clock
from services.monev import rapat


def png(color=(30, 90, 160)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buf, format="PNG")
    return buf.getvalue()


def plan(org, tahun: int, bulan: int, tanggal: dt.date, **kw) -> int:
    return rapat.buat(org.actors.ketua, tahun, bulan, tanggal=tanggal, jam=kw.get("jam", "09:00"),
                      tempat=kw.get("tempat", "Aula Balai"), notulis_id=org.pegawai["staf2"],
                      cakupan=kw.get("cakupan", "semua"), ids=kw.get("ids"))


def signed(org, tahun: int, bulan: int, tanggal: dt.date) -> int:
    rid = plan(org, tahun, bulan, tanggal)
    rapat.ajukan_undangan(org.actors.ketua, rid, f"UM.01.01/{bulan}/{tahun}")
    rapat.tandatangani_undangan(org.actors.kepala, rid)
    return rid


def held(org, tahun: int, bulan: int, tanggal: dt.date, close: bool = True) -> int:
    """A meeting signed, started on its date, one attendee, one notulen, one tindak lanjut; closed if asked."""
    rid = signed(org, tahun, bulan, tanggal)
    with clock.frozen(dt.datetime.combine(tanggal, dt.time(9, 30))):
        rapat.mulai(org.actors.staf2, rid)
        rapat.catat_hadir(org.actors.staf2, rid, org.pegawai["kepala"])
        agenda = rapat.by_id(org.actors.staf2, rid)["agenda"]
        rapat.simpan_notulen(org.actors.staf2, rid, agenda[0]["id"], "Kepala membuka rapat.")
        import pandas as pd

        rapat.simpan_tindak_lanjut(org.actors.staf2, rid, pd.DataFrame([
            {"id": None, "Tindak Lanjut": "Lengkapi bukti dukung", "PIC": "Tim Kerja Surveilans",
             "Tenggat": tanggal + dt.timedelta(days=14)}]))
        if close:
            rapat.selesai(org.actors.staf2, rid)
    return rid
