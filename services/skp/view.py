"""Read models for the pegawai's own SKP pages ("SKP Saya", "Cetak & Arsip SKP").

`my_skps` lists every SKP of the acting pegawai (all periods, all segments) for the archive page;
`tenggat` tells how far the SKP deadline (setting `skp_batas_penetapan`) is from today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select

from db.engine import read_session
from db.models import Jabatan, Period, Skp, SkpDocument
from services.core import clock
from services.core.actor import Actor
from services.skp import common as c
from services.skp.read import batas_penetapan

MY_SKP_COLUMNS = ["id", "period_id", "tahun", "segmen", "mulai", "selesai", "jabatan", "format", "status",
                  "status_label", "versi", "dokumen"]


def my_skps(actor: Actor) -> pd.DataFrame:
    """Every SKP segment of the acting pegawai, newest year first (empty for an account without pegawai)."""
    if actor.pegawai_id is None:
        return pd.DataFrame(columns=MY_SKP_COLUMNS)
    docs = (select(SkpDocument.skp_id, func.count(SkpDocument.id).label("n"))
            .group_by(SkpDocument.skp_id).subquery())
    q = (select(Skp.id, Skp.period_id, Period.tahun, Skp.segment_no, Skp.tanggal_mulai, Skp.tanggal_selesai,
                Jabatan.nama, Skp.format, Skp.status, Skp.version_no, func.coalesce(docs.c.n, 0))
         .join(Period, Period.id == Skp.period_id)
         .outerjoin(Jabatan, Jabatan.id == Skp.jabatan_id)
         .outerjoin(docs, docs.c.skp_id == Skp.id)
         .where(Skp.pegawai_id == actor.pegawai_id)
         .order_by(Period.tahun.desc(), Skp.segment_no))
    with read_session() as s:
        rows = s.execute(q).all()
    data = [{"id": r[0], "period_id": r[1], "tahun": r[2], "segmen": r[3], "mulai": r[4], "selesai": r[5],
             "jabatan": r[6], "format": r[7].value, "status": r[8].value, "status_label": c.STATUS_LABEL[r[8]],
             "versi": r[9], "dokumen": int(r[10])} for r in rows]
    return pd.DataFrame(data, columns=MY_SKP_COLUMNS)


@dataclass(frozen=True)
class Tenggat:
    batas: dt.date
    sisa_hari: int  # negative once the deadline has passed

    @property
    def lewat(self) -> bool:
        return self.sisa_hari < 0

    @property
    def keterangan(self) -> str:
        if self.sisa_hari > 0:
            return f"sisa {self.sisa_hari} hari"
        if self.sisa_hari == 0:
            return "hari ini batas terakhir"
        return f"terlambat {-self.sisa_hari} hari"


def tenggat(actor: Actor, tahun: int, today: dt.date | None = None) -> Tenggat:
    """The SKP deadline of a year and the days left from `today` (the schedule is public inside the satker)."""
    batas = batas_penetapan(tahun)
    return Tenggat(batas, (batas - (today or clock.today())).days)
