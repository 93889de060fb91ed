"""Angka kredit (AK) of pegawai in a jabatan fungsional: conversions of approved predikat, opening balances,
accumulation and the AK still needed (domain.md §3, PermenPANRB 1/2023, PerBKN 3/2023).

- `record_for_evaluation(s, ev)` runs inside the approval transaction: for a jabatan fungsional with a jenjang
  (SKP snapshot, else the current jabatan) it writes the AngkaKredit row of that evaluation (Periodik: months of
  the sub-period; Tahunan: months of the SKP segment), `koefisien` = jabatan.koefisien_ak or the jenjang table.
  `remove_for_evaluation(s, ev)` deletes it when an evaluation is reopened.
- Year total rule: periodic conversions are provisional; once the annual (Tahunan) evaluation of an SKP segment is
  approved, its conversion replaces the sum of that segment's periodic conversions. Saldo awal (PAK integrasi /
  konversi / the last PAK before this system, entered by Admin SDM) always counts. The cumulative total is the
  sum over all years: enter the AK of the last PAK as saldo awal so that it restarts from there.
- Needs: at the highest golongan of the jenjang the next step is kenaikan jenjang, otherwise kenaikan pangkat
  (rules.ak_kebutuhan; Terampil's kenaikan jenjang from setting ak_terampil_kenaikan_jenjang).
- Who reads: the pegawai (own), Admin SDM and Kepala Satker (anyone), the pegawai's pejabat penilai (current
  reporting line or of any evaluation). Saldo awal: Admin SDM only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd
from fpdf.fonts import FontFace
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

import domain as rules
from db.engine import read_session
from db.models import (
    AngkaKredit,
    Evaluasi,
    Jabatan,
    JenisAngkaKredit,
    JenisEvaluasi,
    JenisJabatan,
    Pegawai,
    Period,
    PredikatKinerja,
    Role,
    Skp,
)
from services.core import audit, clock, export, fmt, settings
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work
from services.documents import (
    PdfDocument,
    identity_from_session,
    reviewer_block,
    tempat_tanggal,
)
from services.documents.pdf import HEAD
from services.evaluasi.common import bulan_count, slot_label
from services.skp.common import line_for

J = JenisAngkaKredit
TWO = Decimal("0.01")
MAX_NILAI = Decimal("9999999.99")


def _username(s: Session) -> str:
    actor = s.info.get("actor")
    return getattr(actor, "username", None) or "sistem"


def _jabatan_for(s: Session, ev: Evaluasi) -> tuple[Jabatan | None, Skp | None, Pegawai | None]:
    skp = s.get(Skp, ev.skp_id)
    peg = s.get(Pegawai, ev.pegawai_id)
    jab_id = (skp.jabatan_id if skp is not None and skp.jabatan_id else None) or (peg.jabatan_id if peg else None)
    return (s.get(Jabatan, jab_id) if jab_id else None), skp, peg


def _existing(s: Session, ev: Evaluasi) -> AngkaKredit | None:
    return s.scalar(select(AngkaKredit).where(AngkaKredit.evaluasi_id == ev.id))


def record_for_evaluation(s: Session, ev: Evaluasi) -> AngkaKredit | None:
    """Create or replace the AK conversion of an approved evaluation (inside the caller's transaction); None (and
    no row) when the pegawai's jabatan is not fungsional with a jenjang, or the evaluation has no predikat."""
    jab, skp, peg = _jabatan_for(s, ev)
    old = _existing(s, ev)
    if jab is None or jab.jenis != JenisJabatan.FUNGSIONAL or jab.jenjang is None or ev.predikat is None:
        if old is not None:
            s.delete(old)
            s.flush()
        return None
    if ev.jenis == JenisEvaluasi.TAHUNAN:
        mulai, selesai = (skp.tanggal_mulai, skp.tanggal_selesai) if skp is not None else (ev.mulai, ev.selesai)
        jenis = J.TAHUNAN
    else:
        mulai, selesai, jenis = ev.mulai, ev.selesai, J.PERIODIK
    bulan = max(1, min(12, bulan_count(mulai, selesai)))
    koef = Decimal(jab.koefisien_ak) if jab.koefisien_ak else rules.KOEFISIEN_AK[rules.parse_jenjang(jab.jenjang.value)]
    pred = rules.parse_predikat(ev.predikat.value)
    nilai = rules.angka_kredit(jab.jenjang.value, pred, bulan, koefisien=koef)
    period = s.get(Period, ev.period_id)
    row = old or AngkaKredit(pegawai_id=ev.pegawai_id, evaluasi_id=ev.id)
    row.jenis = jenis
    row.tahun = period.tahun if period else mulai.year
    row.mulai, row.selesai, row.bulan = mulai, selesai, bulan
    row.jabatan_nama = jab.nama
    row.jenjang = jab.jenjang.value
    row.golongan = (skp.golongan if skp is not None and skp.golongan else None) or (peg.golongan if peg else None)
    row.predikat = PredikatKinerja(pred.value)
    row.persen = (rules.PERSEN_AK[pred] * 100).quantize(TWO)
    row.koefisien = koef.quantize(TWO)
    row.nilai = nilai
    row.keterangan = f"Konversi predikat {slot_label(ev)}"[:300]
    row.dibuat_by_username = _username(s)
    if old is None:
        s.add(row)
    s.flush()
    return row


def remove_for_evaluation(s: Session, ev: Evaluasi) -> None:
    """Delete the conversion of an evaluation (reopened); audited by the flush listener."""
    old = _existing(s, ev)
    if old is not None:
        s.delete(old)
        s.flush()


# --- permissions -----------------------------------------------------------------------------------------------


def _is_penilai_of(s: Session, actor: Actor, pegawai_id: int) -> bool:
    if actor.pegawai_id is None:
        return False
    line = line_for(s, pegawai_id, clock.today())
    if line is not None and (actor.reviews_as(line.pejabat_penilai_id) or actor.reviews_as(line.atasan_penilai_id)):
        return True
    me = list(actor.reviewer_ids)
    return s.scalar(select(Evaluasi.id).where(Evaluasi.pegawai_id == pegawai_id, or_(
        Evaluasi.pejabat_penilai_id.in_(me), Evaluasi.atasan_penilai_id.in_(me))).limit(1)
    ) is not None


def _target(s: Session, actor: Actor, pegawai_id: int | None) -> Pegawai:
    pid = pegawai_id if pegawai_id is not None else actor.pegawai_id
    if pid is None:
        raise PermissionDenied("Akun ini tidak terhubung dengan data pegawai; pilih pegawai yang akan dilihat.")
    peg = s.get(Pegawai, pid)
    if peg is None:
        raise NotFound("Pegawai tidak ditemukan.")
    if pid != actor.pegawai_id and not actor.has(Role.ADMIN_SDM, Role.KEPALA_SATKER) and not _is_penilai_of(
            s, actor, pid):
        raise PermissionDenied("Anda hanya dapat melihat angka kredit Anda sendiri atau pegawai yang Anda nilai.")
    return peg


def _require_admin(actor: Actor) -> None:
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat mengelola saldo awal angka kredit.")


# --- summary ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AkSummary:
    pegawai_id: int
    nama: str
    nip: str
    jabatan: str | None
    unit: str | None
    fungsional: bool
    jenjang: str | None
    golongan: str | None
    pangkat_golongan: str
    koefisien: Decimal | None
    rows: pd.DataFrame = field(repr=False)  # one row per AK entry (see ROW_COLUMNS); `dihitung` = counts in total
    per_tahun: pd.DataFrame = field(repr=False)  # tahun, saldo_awal, periodik, tahunan, jumlah, kumulatif
    kumulatif: Decimal = Decimal(0)
    kebutuhan_pangkat: Decimal | None = None
    golongan_tujuan: str | None = None
    kebutuhan_jenjang: Decimal | None = None
    jenjang_tujuan: str | None = None
    kekurangan_pangkat: Decimal | None = None
    kekurangan_jenjang: Decimal | None = None
    langkah: str | None = None  # "pangkat" | "jenjang" | None (highest, or not computable)
    kebutuhan: Decimal | None = None  # of the next step
    kekurangan: Decimal | None = None
    kalimat: str = ""
    aturan: str = ("Konversi periodik bersifat sementara: setelah evaluasi tahunan suatu segmen SKP disetujui, "
                   "konversi tahunan menggantikan jumlah konversi periodik segmen itu. Saldo awal selalu dihitung.")


ROW_COLUMNS = ["id", "tahun", "jenis", "periode", "mulai", "selesai", "bulan", "jabatan", "jenjang", "golongan",
               "predikat", "persen", "koefisien", "nilai", "dihitung", "keterangan"]


def _entries(s: Session, pegawai_id: int) -> list[tuple[AngkaKredit, Evaluasi | None]]:
    q = (select(AngkaKredit, Evaluasi).outerjoin(Evaluasi, Evaluasi.id == AngkaKredit.evaluasi_id)
         .where(AngkaKredit.pegawai_id == pegawai_id)
         .order_by(AngkaKredit.tahun, AngkaKredit.mulai.is_(None).desc(), AngkaKredit.mulai, AngkaKredit.id))
    return list(s.execute(q).all())


def _counted(entries: list[tuple[AngkaKredit, Evaluasi | None]]) -> set[int]:
    """Ids of the entries that count: saldo awal, annual conversions, and periodic ones of segments without an
    annual conversion."""
    annual_skps = {ev.skp_id for ak, ev in entries if ak.jenis == J.TAHUNAN and ev is not None}
    out = set()
    for ak, ev in entries:
        if ak.jenis == J.PERIODIK and ev is not None and ev.skp_id in annual_skps:
            continue
        out.add(ak.id)
    return out


def _periode(ak: AngkaKredit, ev: Evaluasi | None) -> str:
    if ak.jenis == J.SALDO_AWAL:
        return f"Saldo awal {ak.tahun}"
    if ev is not None:
        return slot_label(ev)
    return f"{ak.jenis.value} {ak.tahun}"


def _needs(jenjang: str, golongan: str | None, kumulatif: Decimal, s: Session) -> dict:
    overrides = {"Terampil": (rules.AK_KEBUTUHAN[rules.parse_jenjang("Terampil")][0],
                              settings.get("ak_terampil_kenaikan_jenjang", s))}
    pangkat_need, jenjang_need = rules.ak_kebutuhan(jenjang, overrides)
    nxt_jenjang = rules.jenjang_berikutnya(jenjang)
    out: dict = {"kebutuhan_pangkat": None, "golongan_tujuan": None, "kebutuhan_jenjang": None,
                 "jenjang_tujuan": None, "kekurangan_pangkat": None, "kekurangan_jenjang": None, "langkah": None,
                 "kebutuhan": None, "kekurangan": None}
    short = lambda need: max(Decimal(0), Decimal(need) - kumulatif).quantize(TWO)  # noqa: E731
    if nxt_jenjang is not None and jenjang_need is not None:
        out.update(kebutuhan_jenjang=Decimal(jenjang_need), jenjang_tujuan=nxt_jenjang.value,
                   kekurangan_jenjang=short(jenjang_need))
    try:
        puncak = rules.is_puncak_jenjang(jenjang, golongan or "")
        nxt_gol = rules.golongan_berikutnya(golongan or "")
    except ValueError:
        out["kalimat"] = (f"Kebutuhan angka kredit kenaikan pangkat tidak dapat dihitung untuk golongan "
                          f"'{golongan or '-'}' (hanya golongan PNS).")
        if out["jenjang_tujuan"]:
            out.update(langkah="jenjang", kebutuhan=out["kebutuhan_jenjang"], kekurangan=out["kekurangan_jenjang"])
        return out
    if not puncak and nxt_gol is not None and pangkat_need is not None:
        out.update(kebutuhan_pangkat=Decimal(pangkat_need), golongan_tujuan=nxt_gol,
                   kekurangan_pangkat=short(pangkat_need), langkah="pangkat")
        out.update(kebutuhan=out["kebutuhan_pangkat"], kekurangan=out["kekurangan_pangkat"])
    elif out["jenjang_tujuan"]:
        out.update(langkah="jenjang", kebutuhan=out["kebutuhan_jenjang"], kekurangan=out["kekurangan_jenjang"])
    return out


def _kalimat(n: dict) -> str:
    if n.get("kalimat"):
        return n["kalimat"]
    if n["langkah"] is None:
        return "Sudah pada pangkat dan jenjang tertinggi jabatan fungsional ini."
    tujuan = (f"kenaikan pangkat ke {n['golongan_tujuan']}" if n["langkah"] == "pangkat"
              else f"kenaikan jenjang ke {n['jenjang_tujuan']}")
    if n["kekurangan"] > 0:
        return f"Masih kurang {fmt.angka(n['kekurangan'], 2)} AK untuk {tujuan}."
    return f"Angka kredit kumulatif sudah memenuhi syarat {tujuan} ({fmt.angka(n['kebutuhan'], 2)} AK)."


def _summary(s: Session, peg: Pegawai) -> AkSummary:
    jab = s.get(Jabatan, peg.jabatan_id) if peg.jabatan_id else None
    fungsional = bool(jab and jab.jenis == JenisJabatan.FUNGSIONAL and jab.jenjang is not None)
    entries = _entries(s, peg.id)
    counted = _counted(entries)
    rows: list[dict[str, Any]] = [{"id": ak.id, "tahun": ak.tahun, "jenis": ak.jenis.value, "periode": _periode(ak, ev), "mulai": ak.mulai,
             "selesai": ak.selesai, "bulan": ak.bulan, "jabatan": ak.jabatan_nama, "jenjang": ak.jenjang,
             "golongan": ak.golongan, "predikat": ak.predikat.value if ak.predikat else None, "persen": ak.persen,
             "koefisien": ak.koefisien, "nilai": Decimal(ak.nilai).quantize(TWO), "dihitung": ak.id in counted,
             "keterangan": ak.keterangan} for ak, ev in entries]
    df = pd.DataFrame(rows, columns=ROW_COLUMNS)
    per_tahun, total = [], Decimal(0)
    for tahun in sorted({r["tahun"] for r in rows}):
        mine = [r for r in rows if r["tahun"] == tahun and r["dihitung"]]
        part = {k: sum((r["nilai"] for r in mine if r["jenis"] == j.value), Decimal(0)).quantize(TWO)
                for k, j in (("saldo_awal", J.SALDO_AWAL), ("periodik", J.PERIODIK), ("tahunan", J.TAHUNAN))}
        jumlah = sum(part.values(), Decimal(0)).quantize(TWO)
        total += jumlah
        per_tahun.append({"tahun": tahun, **part, "jumlah": jumlah, "kumulatif": total.quantize(TWO)})
    per = pd.DataFrame(per_tahun, columns=["tahun", "saldo_awal", "periodik", "tahunan", "jumlah", "kumulatif"])
    total = total.quantize(TWO)
    needs = (_needs(jab.jenjang.value, peg.golongan, total, s) if fungsional  # type: ignore[union-attr]
             else {"kalimat": "Angka kredit hanya berlaku bagi pegawai dengan jabatan fungsional."})
    koef = None
    if fungsional:
        koef = Decimal(jab.koefisien_ak) if jab.koefisien_ak else rules.KOEFISIEN_AK[rules.parse_jenjang(  # type: ignore[union-attr]
            jab.jenjang.value)]  # type: ignore[union-attr]
    keys = ("kebutuhan_pangkat", "golongan_tujuan", "kebutuhan_jenjang", "jenjang_tujuan", "kekurangan_pangkat",
            "kekurangan_jenjang", "langkah", "kebutuhan", "kekurangan")
    return AkSummary(
        pegawai_id=peg.id, nama=peg.nama_lengkap, nip=peg.nip, jabatan=jab.nama if jab else None,
        unit=peg.unit.nama if peg.unit else None, fungsional=fungsional,
        jenjang=jab.jenjang.value if jab and jab.jenjang else None, golongan=peg.golongan,
        pangkat_golongan=rules.pangkat_golongan(peg.golongan), koefisien=koef, rows=df, per_tahun=per,
        kumulatif=total, **{k: needs.get(k) for k in keys}, kalimat=_kalimat(needs) if fungsional else needs["kalimat"])  # type: ignore[arg-type]


def summary(actor: Actor, pegawai_id: int | None = None) -> AkSummary:
    """AK of the actor's own pegawai (default) or, for Admin SDM / Kepala Satker / the pegawai's penilai, another."""
    with read_session() as s:
        return _summary(s, _target(s, actor, pegawai_id))


def fungsional_choices(actor: Actor) -> pd.DataFrame:
    """Active pegawai in a jabatan fungsional (Admin SDM and Kepala Satker: all; others: themself and the pegawai
    they assess): pegawai_id, nama, nip, jabatan."""
    with read_session() as s:
        q = (select(Pegawai, Jabatan).join(Jabatan, Jabatan.id == Pegawai.jabatan_id)
             .where(Pegawai.aktif.is_(True), Jabatan.jenis == JenisJabatan.FUNGSIONAL, Jabatan.jenjang.is_not(None))
             .order_by(Pegawai.nama))
        rows = []
        for peg, jab in s.execute(q).all():
            if not (actor.has(Role.ADMIN_SDM, Role.KEPALA_SATKER) or peg.id == actor.pegawai_id
                    or _is_penilai_of(s, actor, peg.id)):
                continue
            rows.append({"pegawai_id": peg.id, "nama": peg.nama_lengkap, "nip": peg.nip, "jabatan": jab.nama})
    return pd.DataFrame(rows, columns=["pegawai_id", "nama", "nip", "jabatan"])


# --- saldo awal --------------------------------------------------------------------------------------------------


def add_saldo_awal(actor: Actor, pegawai_id: int, tahun: int, nilai, keterangan: str | None = None) -> int:
    """Admin SDM records an opening balance (PAK integrasi/konversi, last PAK before the system)."""
    _require_admin(actor)
    errors: list[FieldError] = []
    try:
        tahun = int(tahun)
        if not 2000 <= tahun <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors.append(FieldError(None, "Tahun", "harus tahun 2000 sampai 2100."))
    try:
        amount = Decimal(str(nilai).strip().replace(",", "."))
        if not amount.is_finite() or amount <= 0 or amount > MAX_NILAI:
            raise InvalidOperation
        amount = amount.quantize(TWO)
    except (InvalidOperation, ValueError):
        errors.append(FieldError(None, "Nilai AK", f"harus angka lebih dari 0 (tertulis '{nilai}')."))
    keterangan = (keterangan or "").strip() or None
    if keterangan and len(keterangan) > 300:
        errors.append(FieldError(None, "Keterangan", "paling banyak 300 karakter."))
    with unit_of_work(actor, action="saldo_awal_ak") as s:
        peg = s.get(Pegawai, pegawai_id)
        if peg is None:
            raise NotFound("Pegawai tidak ditemukan.")
        if errors:
            raise ValidationFailed(errors)
        jab = s.get(Jabatan, peg.jabatan_id) if peg.jabatan_id else None
        row = AngkaKredit(pegawai_id=peg.id, evaluasi_id=None, jenis=J.SALDO_AWAL, tahun=tahun, bulan=12,
                          jabatan_nama=jab.nama if jab else None,
                          jenjang=jab.jenjang.value if jab and jab.jenjang else None, golongan=peg.golongan,
                          nilai=amount, keterangan=keterangan or "Saldo awal (PAK sebelum e-Kinerja)",
                          dibuat_by_username=actor.username)
        s.add(row)
        s.flush()
        return row.id


def delete_saldo_awal(actor: Actor, ak_id: int) -> None:
    _require_admin(actor)
    with unit_of_work(actor, action="hapus_saldo_awal_ak") as s:
        row = s.get(AngkaKredit, ak_id)
        if row is None:
            raise NotFound("Saldo awal angka kredit tidak ditemukan.")
        if row.jenis != J.SALDO_AWAL:
            raise PermissionDenied("Hanya saldo awal yang dapat dihapus; konversi predikat mengikuti evaluasi "
                                   "kinerja (dibuka kembali oleh atasan pejabat penilai).")
        s.delete(row)


# --- export ------------------------------------------------------------------------------------------------------


def _export_frames(d: AkSummary) -> dict[str, pd.DataFrame]:
    rincian = d.rows.drop(columns=["id"]).rename(columns={
        "tahun": "Tahun", "jenis": "Jenis", "periode": "Periode", "mulai": "Mulai", "selesai": "Selesai",
        "bulan": "Bulan", "jabatan": "Jabatan", "jenjang": "Jenjang", "golongan": "Golongan",
        "predikat": "Predikat", "persen": "Persentase (%)", "koefisien": "Koefisien", "nilai": "Angka Kredit",
        "dihitung": "Dihitung", "keterangan": "Keterangan"})
    rincian["Dihitung"] = rincian["Dihitung"].map({True: "Ya", False: "Tidak (diganti konversi tahunan)"})
    for col in ("Persentase (%)", "Koefisien", "Angka Kredit"):
        rincian[col] = rincian[col].map(lambda v: None if v is None or pd.isna(v) else float(v))
    per = d.per_tahun.rename(columns={"tahun": "Tahun", "saldo_awal": "Saldo Awal", "periodik": "Konversi Periodik",
                                      "tahunan": "Konversi Tahunan", "jumlah": "Jumlah", "kumulatif": "Kumulatif"})
    for col in per.columns[1:]:
        per[col] = per[col].map(float)
    ringkas = pd.DataFrame([
        ("Nama", d.nama), ("NIP", d.nip), ("Jabatan", d.jabatan or "-"), ("Jenjang", d.jenjang or "-"),
        ("Pangkat/Gol. Ruang", d.pangkat_golongan), ("AK kumulatif", float(d.kumulatif)),
        ("Kebutuhan", None if d.kebutuhan is None else float(d.kebutuhan)),
        ("Kekurangan", None if d.kekurangan is None else float(d.kekurangan)), ("Keterangan", d.kalimat),
        ("Aturan", d.aturan)], columns=["Uraian", "Nilai"])
    return {"Ringkasan": ringkas, "Per Tahun": per, "Rincian": rincian}


def export_xlsx(actor: Actor, pegawai_id: int | None = None) -> bytes:
    """Excel: Ringkasan, Per Tahun, Rincian (text cells neutralised against formula injection)."""
    d = summary(actor, pegawai_id)
    data = export.to_excel_bytes(_export_frames(d))
    with unit_of_work(actor, action="ekspor") as s:
        audit.record(s, actor, "ekspor", "angka_kredit", d.pegawai_id, after={"baris": len(d.rows)},
                     note=f"Angka kredit {d.nama}")
    return data


# --- PDF ---------------------------------------------------------------------------------------------------------


def _missing(x) -> bool:
    return x is None or (not isinstance(x, str) and bool(pd.isna(x)))


def _ak(x) -> str:
    return "-" if _missing(x) else fmt.angka(Decimal(x), 2)


def _txt(x) -> str:
    """A cell text; a missing value (None or pandas NaN, e.g. the predikat of an opening balance) prints "–"."""
    return "–" if _missing(x) or not str(x).strip() else str(x)


def konversi_pdf(actor: Actor, pegawai_id: int | None = None, tahun: int | None = None,
                 today: dt.date | None = None) -> bytes:
    """'Konversi Predikat Kinerja ke Angka Kredit' (domain.md §2.14, §3): identity, the conversions of the year
    (or all years), jumlah, akumulasi and the signature of the pejabat penilai. The print is audited."""
    today = today or clock.today()
    with read_session() as s:
        peg = _target(s, actor, pegawai_id)
        d = _summary(s, peg)
        identity = identity_from_session(s)
        line = line_for(s, peg.id, today)
        penilai = s.get(Pegawai, line.pejabat_penilai_id) if line is not None and line.pejabat_penilai_id else None
        penilai_block = reviewer_block("Pejabat Penilai Kinerja", penilai.id if penilai else None,
                                       penilai.nama_lengkap if penilai else None, penilai.nip if penilai else None,
                                       today)
    rows = d.rows if tahun is None else d.rows[d.rows["tahun"] == tahun]
    per = d.per_tahun if tahun is None else d.per_tahun[d.per_tahun["tahun"] == tahun]
    title = f"Konversi AK {d.nama} - {d.nip}" + (f" - {tahun}" if tahun else "")
    pdf = PdfDocument(title, orientation="P", margins=(15, 12, 15), bottom=14)
    pdf.add_page()
    pdf.kop(identity)
    pdf.title("KONVERSI PREDIKAT KINERJA KE ANGKA KREDIT", f"Tahun {tahun}" if tahun else "Seluruh periode")
    pdf.font("", 9)
    with pdf.grid((8, 52, 120), first_row_as_headings=False, line_height=5) as t:
        r = t.row()
        r.cell("I", align="C", style=HEAD)
        r.cell(pdf.t("PEGAWAI YANG DINILAI"), colspan=2, style=HEAD)
        for n, (k, v) in enumerate([("Nama", d.nama), ("NIP", d.nip), ("Pangkat/Gol. Ruang", d.pangkat_golongan),
                                    ("Jabatan", d.jabatan or "-"), ("Jenjang", d.jenjang or "-"),
                                    ("Unit Kerja", d.unit or "-")], start=1):
            r = t.row()
            r.cell(str(n), align="C")
            r.cell(pdf.t(k))
            r.cell(pdf.t(v))
    pdf.ln(3)
    body = []
    for n, r_ in enumerate(rows.itertuples(), start=1):
        saldo = r_.jenis == J.SALDO_AWAL.value
        body.append([str(n), _txt(r_.periode), _txt(r_.predikat), "–" if saldo or _missing(r_.bulan) else str(r_.bulan),
                     "–" if _missing(r_.persen) else f"{fmt.angka(r_.persen, 0)}%", _ak(r_.koefisien), _ak(r_.nilai),
                     "Ya" if r_.dihitung else "Tidak"])
    if not body:
        body.append(["", "Belum ada angka kredit.", "", "", "", "", "", ""])
    jumlah = sum((Decimal(x) for x in per["jumlah"]), Decimal(0)) if not per.empty else Decimal(0)
    akum = per["kumulatif"].iloc[-1] if not per.empty else d.kumulatif
    heads = ("No", "Periode", "Predikat", "Bulan", "Persentase (%)", "Koefisien", "Angka Kredit", "Dihitung")
    widths = (8, 46, 26, 14, 22, 20, 24, 20)
    aligns = ("C", "L", "L", "C", "R", "R", "R", "C")
    with pdf.grid(widths, headings_style=HEAD, line_height=4.6,
                  text_align=tuple({"L": "LEFT", "C": "CENTER", "R": "RIGHT"}[a] for a in aligns)) as t:
        h = t.row()
        for label, w in zip(heads, widths, strict=True):
            h.cell(pdf.t(label), align="C", v_align="M", style=pdf.heading_style(label, w / sum(widths) * pdf.epw))
        for values in body:
            r = t.row()
            for v in values:
                r.cell(pdf.t(v))
        for label, value in (("Jumlah angka kredit" + (f" tahun {tahun}" if tahun else ""), jumlah),
                             ("Akumulasi angka kredit", akum)):
            r = t.row()
            r.cell(pdf.t(label), colspan=6, align="R", style=FontFace(emphasis="BOLD"))
            r.cell(pdf.t(_ak(value)), style=FontFace(emphasis="BOLD"))
            r.cell("")
    pdf.ln(2)
    pdf.line_text(d.aturan, "", 7.5)
    if d.fungsional:
        pdf.line_text(d.kalimat, "B", 9)
    pdf.ln(2)
    pdf.signature_blocks([None, penilai_block],
                         tempat_tanggal(identity.kota, today))
    data = bytes(pdf.output())
    with unit_of_work(actor, action="ak_cetak") as s:
        audit.record(s, actor, "ak_cetak", "AngkaKredit", d.pegawai_id,
                     note=f"Cetak konversi angka kredit {d.nama}" + (f" tahun {tahun}" if tahun else ""))
    return data


def xlsx_filename(d: AkSummary) -> str:
    return f"angka_kredit_{d.nip}.xlsx"


def pdf_filename(d: AkSummary, tahun: int | None = None) -> str:
    return f"konversi_ak_{d.nip}{'_' + str(tahun) if tahun else ''}.pdf"

