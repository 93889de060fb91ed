"""Laporan Kinerja (SOP 001 steps 6–9; PermenPANRB 53/2014 chapters): the monthly report (bulan 1..12) and the
annual LKj (bulan 0), drafted from the ratified Kertas Kerja Perhitungan Kinerja of the period.

Workflow:
- the Petugas Perencana writes the narrative in the app (`simpan_narasi`: Ikhtisar Eksekutif, Bab I and IV, and
  per indicator the causes of success/failure, solutions, efficiency of resource use and the comparison with last
  year; last year's capaian is shown when last year's data exist) and submits it (`ajukan`; needs a ratified
  kertas kerja of the period);
- the Kasubbag ADUM reviews (`reviu`): YA → DISETUJUI, TIDAK with notes → DIKEMBALIKAN (loop; every round kept);
- the Kepala ratifies (`sahkan`): locked, the DOCX as ratified is stored;
- archive: the signed scan (`unggah_scan`) and proofs of sending (`catat_pengiriman`: date, channel — e-mail ke
  kementerian, e-Performance, website — and a link or a file).

`laporan_docx` gives the DOCX: the stored one once ratified, else a draft from the current kertas kerja (the latest
ratified version when there is one) with the narrative and the charts (realisasi vs target per indicator, capaian
per indicator by band, budget S-curve) as images. Every transition writes the audit log (unit of work)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import LaporanKinerja, LaporanPengiriman, LaporanReviu, StatusLaporan
from services.core import clock, fmt
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ServiceError, ValidationFailed
from services.core.uow import unit_of_work
from services.documents import add_signature_block, add_table, new_document, office_identity, to_bytes
from services.kinerja import bagan, grafik, kertas, pk
from services.kinerja.common import (
    MAX_TEKS,
    is_kasubbag,
    is_kepala,
    is_perencana,
    nama_bulan,
    require_perencana,
    require_read,
)

STATUS_LABEL = {
    StatusLaporan.DRAFT: "Disusun Perencana",
    StatusLaporan.DIAJUKAN: "Diajukan ke Kasubbag ADUM",
    StatusLaporan.DIKEMBALIKAN: "Dikembalikan (reviu: TIDAK)",
    StatusLaporan.DISETUJUI: "Disetujui Kasubbag ADUM (reviu: YA)",
    StatusLaporan.DISAHKAN: "Disahkan Kepala",
}
KANAL = ("E-mail ke kementerian", "e-Performance", "Website")
UMUM = {"ikhtisar": "Ikhtisar Eksekutif", "pendahuluan": "Bab I Pendahuluan", "penutup": "Bab IV Penutup"}
PER_INDIKATOR = {"analisis": "Penyebab Keberhasilan/Kegagalan", "solusi": "Alternatif Solusi",
                 "efisiensi": "Efisiensi Sumber Daya", "perbandingan": "Perbandingan dengan Tahun Lalu"}
NARASI_COLS = ["indikator_id", "Kode", "Indikator", "Target Kumulatif", "Realisasi Kumulatif",
               "Capaian Kumulatif (%)", "Kategori Kumulatif", "Realisasi Tahun Lalu", "Capaian Tahun Lalu (%)",
               *PER_INDIKATOR.values()]
MAX_BERKAS = 20 * 1024 * 1024
EDITABLE = (StatusLaporan.DRAFT, StatusLaporan.DIKEMBALIKAN)


def label(tahun: int, bulan: int) -> str:
    return f"Laporan Kinerja Tahunan {tahun}" if bulan == 0 else f"Laporan Kinerja {nama_bulan(bulan)} {tahun}"


def _period(bulan: int | None) -> tuple[str, int]:
    if not bulan:
        return "tahun", 0
    if not 1 <= bulan <= 12:
        raise ValidationFailed([FieldError(None, "Bulan", "harus 1 sampai 12 (0 untuk laporan tahunan)")])
    return "bulan", bulan


def _n(v: Any, digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "-"
    return fmt.angka(v, digits)


def _tgt(r: dict[str, Any]) -> str:
    hi = r.get("Target Maks")
    if hi is None or (isinstance(hi, float) and hi != hi):
        return _n(r.get("Target"))
    return f"{_n(r.get('Target'))} – {_n(hi)}"


def _get(s: Session, tahun: int, bulan: int) -> LaporanKinerja | None:
    return s.scalar(select(LaporanKinerja).where(LaporanKinerja.tahun == tahun, LaporanKinerja.bulan == bulan))


def _must(s: Session, tahun: int, bulan: int) -> LaporanKinerja:
    lap = _get(s, tahun, bulan)
    if lap is None:
        raise NotFound(f"{label(tahun, bulan)} belum disusun.")
    return lap


def _text(value: Any, field: str, errors: list[FieldError], row: int | None = None) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    if len(text) > MAX_TEKS:
        errors.append(FieldError(row, field, f"paling banyak {MAX_TEKS} karakter"))
    return text or None


# --- reading --------------------------------------------------------------------------------------------------------


def _view(lap: LaporanKinerja | None, tahun: int, bulan: int) -> dict[str, Any]:
    if lap is None:
        return {"ada": False, "tahun": tahun, "bulan": bulan, "label": label(tahun, bulan), "status": "BELUM",
                "status_label": "Belum disusun", "narasi": {}, "reviu": pd.DataFrame(columns=REVIU_COLS),
                "pengiriman": pd.DataFrame(columns=KIRIM_COLS), "scan_nama": None, "disahkan_at": None,
                "disahkan_oleh": None, "ada_dokumen": False, "catatan_review": None}
    return {"ada": True, "id": lap.id, "tahun": tahun, "bulan": bulan, "label": label(tahun, bulan),
            "status": lap.status.value, "status_label": STATUS_LABEL[lap.status], "narasi": dict(lap.narasi or {}),
            "catatan_review": lap.catatan_review, "disusun_oleh": lap.disusun_oleh, "diajukan_at": lap.diajukan_at,
            "disahkan_at": lap.disahkan_at, "disahkan_oleh": lap.disahkan_oleh, "scan_nama": lap.scan_nama,
            "scan_at": lap.scan_at, "ada_dokumen": lap.dokumen_docx is not None,
            "reviu": pd.DataFrame([{"Putaran": r.putaran, "Keputusan": "YA" if r.setuju else "TIDAK",
                                    "Catatan": r.catatan, "Oleh": r.oleh, "Waktu": fmt.waktu(r.at)}
                                   for r in lap.reviu], columns=REVIU_COLS),
            "pengiriman": pd.DataFrame([{"id": k.id, "Tanggal": k.tanggal, "Kanal": k.kanal, "Tautan": k.tautan,
                                         "Berkas": k.bukti_nama, "Keterangan": k.keterangan,
                                         "Dicatat oleh": k.dicatat_oleh} for k in lap.pengiriman],
                                       columns=KIRIM_COLS)}


REVIU_COLS = ["Putaran", "Keputusan", "Catatan", "Oleh", "Waktu"]
KIRIM_COLS = ["id", "Tanggal", "Kanal", "Tautan", "Berkas", "Keterangan", "Dicatat oleh"]


def get(actor: Actor, tahun: int, bulan: int) -> dict[str, Any]:
    """The report of a period (bulan 0 = annual) with its review rounds and proofs of sending; `ada` False when
    not yet drafted."""
    _period(bulan)
    with read_session() as s:
        require_read(s, actor)
        return _view(_get(s, tahun, bulan), tahun, bulan)


def can(actor: Actor) -> dict[str, bool]:
    with read_session() as s:
        return {"perencana": is_perencana(actor), "kasubbag": is_kasubbag(s, actor), "kepala": is_kepala(actor)}


def _tahun_lalu(s: Session, tahun: int, bulan: int) -> dict[str, dict[str, Any]]:
    """Last year's cumulative realisation and capaian per indicator code (same month; December for the annual)."""
    try:
        df = grafik.rekap_sesi(s, tahun - 1, bulan or 12)
    except NotFound:
        return {}
    return {str(r["Kode"]): r for r in df.to_dict("records") if r["Realisasi Kumulatif"] is not None}


def narasi_grid(actor: Actor, tahun: int, bulan: int) -> pd.DataFrame:
    """One row per indicator of the current kertas kerja of the period with its cumulative figures, last year's
    (when there are data) and the narrative saved so far (the editable columns)."""
    jenis, nomor = _period(bulan)
    view = kertas.current(actor, tahun, jenis, nomor)
    if view is None:
        raise NotFound(f"Kertas kerja {kertas.label(tahun, jenis, nomor)} belum disusun; laporan disusun dari kertas "
                       "kerja yang disahkan.")
    with read_session() as s:
        lap = _get(s, tahun, bulan)
        saved = dict((lap.narasi or {}).get("indikator", {})) if lap else {}
        lalu = _tahun_lalu(s, tahun, bulan)
    rows = []
    for r in view["baris"].to_dict("records"):
        n = saved.get(str(r["indikator_id"]), {})
        ly = lalu.get(str(r["Kode"]), {})
        rows.append({"indikator_id": int(r["indikator_id"]), "Kode": r["Kode"], "Indikator": r["Indikator"],
                     "Target Kumulatif": r["Target Kumulatif"], "Realisasi Kumulatif": r["Realisasi Kumulatif"],
                     "Capaian Kumulatif (%)": r["Capaian Kumulatif (%)"], "Kategori Kumulatif": r["Kategori Kumulatif"],
                     "Realisasi Tahun Lalu": ly.get("Realisasi Kumulatif"),
                     "Capaian Tahun Lalu (%)": ly.get("Capaian Kumulatif (%)"),
                     **{col: n.get(key) for key, col in PER_INDIKATOR.items()}})
    return pd.DataFrame(rows, columns=NARASI_COLS)


# --- workflow -------------------------------------------------------------------------------------------------------


def simpan_narasi(actor: Actor, tahun: int, bulan: int, umum: dict[str, Any], per_indikator: pd.DataFrame) -> int:
    """Save the narrative (creating the report as a draft). Perencana only, while drafted or returned."""
    require_perencana(actor, "menyusun narasi Laporan Kinerja")
    jenis, nomor = _period(bulan)
    errors: list[FieldError] = []
    narasi: dict[str, Any] = {key: _text(umum.get(key), title, errors) for key, title in UMUM.items()}
    per: dict[str, dict[str, str | None]] = {}
    for i, r in enumerate(per_indikator.to_dict("records"), start=1):
        entry = {key: _text(r.get(col), col, errors, i) for key, col in PER_INDIKATOR.items()}
        if any(entry.values()):
            per[str(int(r["indikator_id"]))] = entry
    narasi["indikator"] = per
    if errors:
        raise ValidationFailed(errors)
    with unit_of_work(actor, action="narasi_laporan_kinerja") as s:
        kk = kertas._get(s, tahun, jenis, nomor)
        if kk is None:
            raise NotFound(f"Kertas kerja {kertas.label(tahun, jenis, nomor)} belum disusun.")
        ids = {str(r["indikator_id"]) for r in kk.baris}
        if any(k not in ids for k in per):
            raise ValidationFailed([FieldError(None, "Indikator", "baris tidak ada pada kertas kerja periode ini")])
        lap = _get(s, tahun, bulan)
        if lap is None:
            lap = LaporanKinerja(tahun=tahun, bulan=bulan, status=StatusLaporan.DRAFT, narasi={})
            s.add(lap)
        elif lap.status not in EDITABLE:
            raise ServiceError(f"{label(tahun, bulan)} berstatus '{STATUS_LABEL[lap.status]}'; narasi tidak dapat "
                               "diubah lagi.")
        lap.narasi = narasi
        lap.disusun_oleh = actor.username
        s.flush()
        return lap.id


def ajukan(actor: Actor, tahun: int, bulan: int) -> None:
    """Perencana submits the report to the Kasubbag ADUM: needs the Ikhtisar Eksekutif and a ratified kertas kerja
    of the period (its latest ratified version is linked)."""
    require_perencana(actor, "mengajukan Laporan Kinerja")
    jenis, nomor = _period(bulan)
    with unit_of_work(actor, action="ajukan_laporan_kinerja") as s:
        lap = _must(s, tahun, bulan)
        if lap.status not in EDITABLE:
            raise ServiceError(f"{label(tahun, bulan)} berstatus '{STATUS_LABEL[lap.status]}'; tidak dapat diajukan.")
        if not (lap.narasi or {}).get("ikhtisar"):
            raise ValidationFailed([FieldError(None, "Ikhtisar Eksekutif", "wajib diisi sebelum diajukan")])
        kk = kertas._get(s, tahun, jenis, nomor)
        versi = kertas._latest_version(s, kk) if kk is not None else None
        if versi is None:
            raise ServiceError(f"Kertas kerja {kertas.label(tahun, jenis, nomor)} belum disahkan Kepala; Laporan "
                               "Kinerja disusun dari kertas kerja yang disahkan (SOP 001).")
        lap.kertas_kerja_versi_id = versi.id
        lap.status = StatusLaporan.DIAJUKAN
        lap.diajukan_at = clock.utcnow()


def reviu(actor: Actor, tahun: int, bulan: int, setuju: bool, catatan: str | None = None) -> None:
    """Kasubbag ADUM reviews the submitted report: YA (setuju) → to the Kepala; TIDAK → back to the Perencana, with
    notes (required)."""
    catatan = (catatan or "").strip() or None
    if not setuju and not catatan:
        raise ValidationFailed([FieldError(None, "Catatan", "wajib diisi bila hasil reviu TIDAK")])
    if catatan and len(catatan) > MAX_TEKS:
        raise ValidationFailed([FieldError(None, "Catatan", f"paling banyak {MAX_TEKS} karakter")])
    with unit_of_work(actor, action="reviu_laporan_kinerja") as s:
        if not is_kasubbag(s, actor):
            raise PermissionDenied("Hanya Kasubbag ADUM yang dapat mereviu Laporan Kinerja (SOP 001).")
        lap = _must(s, tahun, bulan)
        if lap.status != StatusLaporan.DIAJUKAN:
            raise ServiceError(f"{label(tahun, bulan)} berstatus '{STATUS_LABEL[lap.status]}'; hanya laporan yang "
                               "diajukan yang direviu.")
        s.add(LaporanReviu(laporan_id=lap.id, putaran=len(lap.reviu) + 1, setuju=setuju, catatan=catatan,
                           oleh=actor.username, at=clock.utcnow()))
        lap.status = StatusLaporan.DISETUJUI if setuju else StatusLaporan.DIKEMBALIKAN
        lap.catatan_review = catatan


def sahkan(actor: Actor, tahun: int, bulan: int) -> None:
    """Kepala ratifies the approved report; the DOCX as ratified is stored for the archive."""
    if not is_kepala(actor):
        raise PermissionDenied("Hanya Kepala yang dapat mengesahkan Laporan Kinerja (SOP 001).")
    with read_session() as s:
        lap = _must(s, tahun, bulan)
        if lap.status != StatusLaporan.DISETUJUI:
            raise ServiceError(f"{label(tahun, bulan)} berstatus '{STATUS_LABEL[lap.status]}'; pengesahan hanya "
                               "setelah reviu Kasubbag ADUM menyatakan YA.")
        stamp = lap.updated_at
    now = clock.utcnow()
    data = _build(actor, tahun, bulan, disahkan=(actor.nama, now))
    with unit_of_work(actor, action="sahkan_laporan_kinerja") as s:
        lap = _must(s, tahun, bulan)
        if lap.status != StatusLaporan.DISETUJUI or lap.updated_at != stamp:
            raise ServiceError(f"{label(tahun, bulan)} telah berubah; muat ulang halaman lalu ulangi.")
        lap.status = StatusLaporan.DISAHKAN
        lap.disahkan_at = now
        lap.disahkan_oleh = actor.username
        lap.dokumen_docx = data


def _berkas(nama: str | None, content: bytes | None, field: str) -> tuple[str, bytes]:
    if not content:
        raise ValidationFailed([FieldError(None, field, "berkas kosong")])
    if len(content) > MAX_BERKAS:
        raise ValidationFailed([FieldError(None, field, f"paling besar {MAX_BERKAS // (1024 * 1024)} MB")])
    return (nama or "berkas").strip()[:200] or "berkas", content


def _require_ratified(lap: LaporanKinerja, what: str) -> None:
    if lap.status != StatusLaporan.DISAHKAN:
        raise ServiceError(f"{what} hanya untuk laporan yang sudah disahkan Kepala.")


def unggah_scan(actor: Actor, tahun: int, bulan: int, nama: str, content: bytes) -> None:
    """Upload (or replace) the signed scan of the ratified report. Perencana."""
    require_perencana(actor, "mengarsipkan pindaian Laporan Kinerja")
    nama, content = _berkas(nama, content, "Pindaian bertanda tangan")
    with unit_of_work(actor, action="arsip_scan_laporan_kinerja") as s:
        lap = _must(s, tahun, bulan)
        _require_ratified(lap, "Pindaian bertanda tangan")
        lap.scan_nama, lap.scan_file, lap.scan_at = nama, content, clock.utcnow()


def catat_pengiriman(actor: Actor, tahun: int, bulan: int, tanggal: dt.date, kanal: str, tautan: str | None = None,
                     nama: str | None = None, content: bytes | None = None, keterangan: str | None = None) -> int:
    """Record a proof of sending: date (not in the future, not before ratification), channel (KANAL) and a link
    or a file. Perencana."""
    require_perencana(actor, "mencatat pengiriman Laporan Kinerja")
    errors: list[FieldError] = []
    if kanal not in KANAL:
        errors.append(FieldError(None, "Kanal", "pilih e-mail ke kementerian, e-Performance, atau website"))
    tautan = (tautan or "").strip() or None
    if tautan and not tautan.lower().startswith(("http://", "https://", "mailto:")):
        errors.append(FieldError(None, "Tautan", "harus diawali http://, https://, atau mailto:"))
    if tautan and len(tautan) > 500:
        errors.append(FieldError(None, "Tautan", "paling banyak 500 karakter"))
    if not tautan and not content:
        errors.append(FieldError(None, "Bukti", "isi tautan atau unggah berkas bukti pengiriman"))
    if tanggal > clock.today():
        errors.append(FieldError(None, "Tanggal", "tidak boleh di masa depan"))
    ket = _text(keterangan, "Keterangan", errors)
    if errors:
        raise ValidationFailed(errors)
    berkas = _berkas(nama, content, "Berkas bukti") if content else (None, None)
    with unit_of_work(actor, action="kirim_laporan_kinerja") as s:
        lap = _must(s, tahun, bulan)
        _require_ratified(lap, "Bukti pengiriman")
        if lap.disahkan_at is not None and tanggal < clock.local_date(lap.disahkan_at):
            raise ValidationFailed([FieldError(None, "Tanggal", "tidak boleh sebelum tanggal pengesahan")])
        row = LaporanPengiriman(laporan_id=lap.id, tanggal=tanggal, kanal=kanal, tautan=tautan, bukti_nama=berkas[0],
                                bukti_file=berkas[1], keterangan=ket, dicatat_oleh=actor.username,
                                dicatat_at=clock.utcnow())
        s.add(row)
        s.flush()
        return row.id


def scan(actor: Actor, tahun: int, bulan: int) -> tuple[str, bytes] | None:
    with read_session() as s:
        require_read(s, actor)
        lap = _get(s, tahun, bulan)
        return (lap.scan_nama or "scan", lap.scan_file) if lap is not None and lap.scan_file else None


def bukti_pengiriman(actor: Actor, pengiriman_id: int) -> tuple[str, bytes] | None:
    with read_session() as s:
        require_read(s, actor)
        k = s.get(LaporanPengiriman, pengiriman_id)
        return (k.bukti_nama or "bukti", k.bukti_file) if k is not None and k.bukti_file else None


def arsip(actor: Actor, tahun: int) -> pd.DataFrame:
    """The year's reports with their status, ratification, scan and channels sent to."""
    with read_session() as s:
        require_read(s, actor)
        rows = [{"Laporan": label(lap.tahun, lap.bulan), "bulan": lap.bulan, "Status": STATUS_LABEL[lap.status],
                 "Disahkan": fmt.waktu(lap.disahkan_at) if lap.disahkan_at else "-",
                 "Pindaian": lap.scan_nama or "-",
                 "Dikirim ke": ", ".join(sorted({k.kanal for k in lap.pengiriman})) or "-"}
                for lap in s.scalars(select(LaporanKinerja).where(LaporanKinerja.tahun == tahun)
                                     .order_by(LaporanKinerja.bulan))]
    return pd.DataFrame(rows, columns=["Laporan", "bulan", "Status", "Disahkan", "Pindaian", "Dikirim ke"])


# --- DOCX -----------------------------------------------------------------------------------------------------------


def laporan_docx(actor: Actor, tahun: int, bulan: int | None = None) -> bytes:
    """The DOCX of the period: as ratified when the report is ratified, else a draft from the current kertas kerja
    with the narrative written so far."""
    b = bulan or 0
    _period(b)
    with read_session() as s:
        require_read(s, actor)
        lap = _get(s, tahun, b)
        if lap is not None and lap.status == StatusLaporan.DISAHKAN and lap.dokumen_docx:
            return bytes(lap.dokumen_docx)
    return _build(actor, tahun, b)


def _chart_png(chart: Any) -> bytes | None:
    return bagan.png_dokumen(chart, scale=2)


def _picture(doc: Any, data: bytes | None, width_cm: float = 16) -> None:
    import io

    from docx.shared import Cm

    if data:
        doc.add_picture(io.BytesIO(data), width=Cm(width_cm))


def _build(actor: Actor, tahun: int, bulan: int, disahkan: tuple[str, dt.datetime] | None = None) -> bytes:
    jenis, nomor = _period(bulan)
    view = kertas.current(actor, tahun, jenis, nomor)
    if view is None or view["baris"].empty:
        raise NotFound(f"Kertas kerja {kertas.label(tahun, jenis, nomor)} belum ada; laporan tidak dapat disusun.")
    with read_session() as s:
        lap = _get(s, tahun, bulan)
        narasi = dict(lap.narasi or {}) if lap else {}
        lalu = _tahun_lalu(s, tahun, bulan)
    end = 12 if bulan == 0 else bulan
    per = narasi.get("indikator", {})
    ident = office_identity()
    rows, ring = view["baris"], view["ringkasan"]
    satker = ident.satker or ident.instansi or "satuan kerja"
    doc = new_document(ident, title=label(tahun, bulan).upper())
    status = "disahkan" if view["status"] == "DISAHKAN" else "belum disahkan (draf)"
    ang = ring.get("anggaran", {})

    doc.add_heading("IKHTISAR EKSEKUTIF", level=1)
    if narasi.get("ikhtisar"):
        for para in str(narasi["ikhtisar"]).split("\n\n"):
            doc.add_paragraph(para.strip())
    doc.add_paragraph(
        f"Laporan ini menyajikan capaian kinerja {satker} periode {view['label']} berdasarkan Kertas Kerja "
        f"Perhitungan Kinerja yang {status}. Rata-rata capaian kumulatif indikator "
        f"{_n(ring.get('capaian_rata_rata'))} % (kategori {ring.get('kategori') or '-'}); penyerapan anggaran "
        f"{_n(ang.get('Penyerapan thd Pagu (%)'))} % dari pagu.")
    doc.add_heading("BAB I PENDAHULUAN", level=1)
    doc.add_paragraph(narasi.get("pendahuluan") or "Gambaran umum organisasi, aspek strategis, dan isu strategis.")
    doc.add_heading("BAB II PERENCANAAN KINERJA", level=1)
    doc.add_paragraph(f"Ringkasan Perjanjian Kinerja tahun {tahun}:")
    pk_df = pk.indikator_frame(actor, tahun)
    add_table(doc, ["Sasaran", "Indikator", "Satuan", "Target Tahunan"],
              [[r["Sasaran"], r["Indikator"], r["Satuan"], _tgt(r)] for r in pk_df.to_dict("records")],
              align=["L", "L", "C", "R"], size=9)

    doc.add_heading("BAB III AKUNTABILITAS KINERJA", level=1)
    doc.add_heading("A. Capaian Kinerja Organisasi", level=2)
    pita = grafik.pita(actor)
    cap = rows.rename(columns={"PJ Tim Kerja": "Tim Kerja"}).assign(
        **{"Capaian (%)": rows["Capaian Kumulatif (%)"], "Kategori": rows["Kategori Kumulatif"]})
    _picture(doc, _chart_png(bagan.capaian(cap[grafik.CAPAIAN_COLS], pita, judul=f"Capaian kumulatif {view['label']}",
                                           lebar=640)))
    seri = grafik.seri_indikator(actor, tahun, end)
    for sas in ring.get("sasaran", []):
        doc.add_heading(f"Sasaran {sas['Kode Sasaran']}: {sas['Sasaran']}", level=3)
        doc.add_paragraph(f"Capaian kumulatif sasaran {_n(sas.get('Capaian Kumulatif (%)'))} % "
                          f"({sas.get('Kategori Kumulatif') or '-'}).")
        part = rows[rows["Kode Sasaran"] == sas["Kode Sasaran"]]
        add_table(doc, ["Kode", "Indikator", "Satuan", "Target", "Realisasi", "Capaian (%)", "Target Kumulatif",
                        "Realisasi Kumulatif", "Capaian Kumulatif (%)", "Kategori"],
                  [[r["Kode"], r["Indikator"], r["Satuan"], _n(r["Target"]), _n(r["Realisasi"]),
                    _n(r["Capaian (%)"]), _n(r["Target Kumulatif"]), _n(r["Realisasi Kumulatif"]),
                    _n(r["Capaian Kumulatif (%)"]), r["Kategori Kumulatif"]] for r in part.to_dict("records")],
                  align=["C", "L", "C", "R", "R", "R", "R", "R", "R", "C"], size=8)
        for r in part.to_dict("records"):
            doc.add_paragraph().add_run(f"{r['Kode']} {r['Indikator']}").bold = True
            one = seri[seri["indikator_id"] == r["indikator_id"]]
            if not one.empty:
                _picture(doc, _chart_png(bagan.realisasi_vs_target(one, lebar=560, tinggi=220)), 14)
            n = per.get(str(r["indikator_id"]), {})
            ly = lalu.get(str(r["Kode"]))
            if ly is not None:
                doc.add_paragraph(f"Tahun {tahun - 1} pada periode yang sama: realisasi kumulatif "
                                  f"{_n(ly['Realisasi Kumulatif'])}, capaian {_n(ly['Capaian Kumulatif (%)'])} %.")
            for key, title in PER_INDIKATOR.items():
                if n.get(key):
                    p = doc.add_paragraph()
                    p.add_run(f"{title}: ").italic = True
                    p.add_run(str(n[key]))
            if r.get("Kendala") or r.get("Rencana Tindak Lanjut"):
                doc.add_paragraph(f"Kendala: {r.get('Kendala') or '-'}. Rencana tindak lanjut: "
                                  f"{r.get('Rencana Tindak Lanjut') or '-'}.")
    doc.add_heading("B. Realisasi Anggaran", level=2)
    add_table(doc, ["Uraian", "Nilai"], [[k, _n(v)] for k, v in ang.items()], align=["L", "R"], size=9)
    _picture(doc, _chart_png(bagan.kurva_s(grafik.kurva_s(actor, tahun, end), judul=f"Kurva S anggaran {tahun}",
                                           lebar=600)))
    if ring.get("indeks_efisiensi") is not None:
        doc.add_paragraph(f"Indeks efisiensi (rata-rata capaian dibagi penyerapan terhadap RPD kumulatif): "
                          f"{_n(ring['indeks_efisiensi'])}.")
    doc.add_heading("BAB IV PENUTUP", level=1)
    doc.add_paragraph(narasi.get("penutup") or "Kesimpulan dan langkah ke depan.")
    doc.add_heading("LAMPIRAN: PERJANJIAN KINERJA", level=1)
    add_table(doc, ["Kode", "Indikator", "Polaritas", "Agregasi", "Target", "PJ Tim Kerja"],
              [[r["Kode"], r["Indikator"], r["Polaritas"], r["Agregasi"], _tgt(r), r["PJ Tim Kerja"]]
               for r in pk_df.to_dict("records")], size=9)
    day = clock.local_date(disahkan[1]) if disahkan else clock.today()
    add_signature_block(doc, ident, ident.kepala, f"{ident.kota or ''}, {fmt.tanggal(day)}".strip(", "),
                        peran="Kepala")
    return to_bytes(doc)
