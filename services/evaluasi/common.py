"""Shared core of the evaluation (evaluasi kinerja) services: creation, roles, deadlines and the detail view.

Used by services/evaluasi.py (pegawai: rencana aksi, realisasi, submit), services/evaluasi_penilaian.py
(pertimbangan, penilaian, bulk rating, persetujuan, reopen), the annual evaluation, the documents and Beranda.
Models and the workflow are described in db/models_evaluasi.py.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

import domain as rules
from db.models import (
    AspekIki,
    Evaluasi,
    EvaluasiDokumen,
    EvaluasiIki,
    EvaluasiPerilaku,
    EvaluasiRhk,
    FormatSkp,
    Jabatan,
    JenisEvaluasi,
    JenisRhk,
    Pegawai,
    Period,
    Polaritas,
    Role,
    Skp,
    SkpPerilaku,
    StatusEvaluasi,
    StatusSkp,
    UnitKerja,
)
from domain import berakhlak, pangkat_golongan
from services.core import clock, fmt, settings
from services.core.actor import Actor
from services.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from services.org import periods
from services.org.reporting import reviewers_of
from services.skp import common as sc

S = StatusEvaluasi
READ_ALL_ROLES = (Role.ADMIN_SDM, Role.KEPALA_SATKER, Role.PERENCANA)
MAX_TEKS = 4000
EDITABLE_BY_PEGAWAI = (S.DRAFT,)
STATUS_LABEL = {
    S.DRAFT: "Draf (diisi pegawai)",
    S.DIAJUKAN: "Diajukan, menunggu penilaian",
    S.DINILAI: "Dinilai, menunggu persetujuan",
    S.DIKEMBALIKAN: "Dikembalikan atasan ke pejabat penilai",
    S.DISETUJUI: "Disetujui (terkunci)",
}


class EvaluasiStatusError(ServiceError):
    """The evaluation is not in a state that allows this action."""


class EvaluasiLocked(EvaluasiStatusError):
    """The evaluation is approved and locked."""


now = clock.utcnow


# --- periods and deadlines ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Jadwal:
    """Due dates of each step of one evaluation (from settings; defaults from SOP 000)."""

    rencana_aksi: dt.date
    realisasi: dt.date
    pertimbangan: dt.date
    penilaian: dt.date
    persetujuan: dt.date


def day_after(d: dt.date, day: int) -> dt.date:
    """`day` of the month after the month of `d` (clipped to the month's length)."""
    y, m = (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)
    last = (dt.date(y + (m // 12), m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(day, last))


JADWAL_SETTINGS = ("rencana_aksi_batas_hari", "realisasi_batas_hari", "pertimbangan_batas_hari", "review_batas_hari",
                   "persetujuan_batas_hari")


def jadwal_fn(session: Session | None = None) -> Callable[[dt.date, dt.date], Jadwal]:
    """`jadwal` with the settings read once, for many evaluations."""
    ra, real, pert, nilai, setuju = (int(settings.get(k, session)) for k in JADWAL_SETTINGS)

    @functools.lru_cache(maxsize=256)  # the same sub-period dates repeat for every pegawai of the organisation
    def f(mulai: dt.date, selesai: dt.date) -> Jadwal:
        return Jadwal(rencana_aksi=day_after(mulai, ra), realisasi=day_after(selesai, real),
                      pertimbangan=day_after(selesai, pert), penilaian=day_after(selesai, nilai),
                      persetujuan=day_after(selesai, setuju))
    return f


def jadwal(mulai: dt.date, selesai: dt.date, session: Session | None = None) -> Jadwal:
    """Rencana aksi: the configured day of the month after the period starts (SOP 000 step 3);
    realisasi, pertimbangan, penilaian, persetujuan: the configured days of the month after the period ends."""
    return jadwal_fn(session)(mulai, selesai)


@dataclass(frozen=True)
class Slot:
    """One evaluation slot of an SKP segment: a sub-period (Periodik) or the year (Tahunan)."""

    jenis: JenisEvaluasi
    nomor: int
    kode: str
    label: str
    mulai: dt.date
    selesai: dt.date


def slots_for(skp: Skp, period: Period) -> list[Slot]:
    """The periodic slots that overlap the segment (clipped to it) plus the annual slot."""
    out: list[Slot] = []
    for sp in periods.subperiods(period):
        a, b = max(sp.mulai, skp.tanggal_mulai), min(sp.selesai, skp.tanggal_selesai)
        if a <= b:
            out.append(Slot(JenisEvaluasi.PERIODIK, sp.nomor, sp.kode, sp.label, a, b))
    out.append(Slot(JenisEvaluasi.TAHUNAN, 0, str(period.tahun), f"Tahunan {period.tahun}",
                    skp.tanggal_mulai, skp.tanggal_selesai))
    return out


def slot_label(ev: Evaluasi) -> str:
    if ev.jenis == JenisEvaluasi.TAHUNAN:
        return f"Tahunan {ev.kode}"
    if "-T" in ev.kode:
        return f"Triwulan {periods.ROMAN[ev.nomor - 1]} {ev.kode[:4]}"
    return f"{fmt.bulan(ev.nomor)} {ev.kode[:4]}"


def bulan_count(mulai: dt.date, selesai: dt.date) -> int:
    """Whole calendar months touched by [mulai, selesai] (used for periodic angka kredit, §3.3)."""
    return (selesai.year - mulai.year) * 12 + selesai.month - mulai.month + 1


# --- creation ------------------------------------------------------------------------------------------


def _periodic_target(iki_target: Decimal, aspek: AspekIki | None, satuan: str, fraction: Decimal) -> Decimal:
    """Default periodic target: quantities are pro-rated by the share of the year; quality, time and cost
    targets (and percentages) stay as in the annual SKP. The pegawai may change it with the rencana aksi."""
    if aspek in (None, AspekIki.KUANTITAS) and "%" not in (satuan or "") and fraction < 1:
        return (iki_target * fraction).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return iki_target


def default_polaritas(aspek: AspekIki | None, satuan: str | None = None) -> Polaritas:
    """The polarity of an SKP IKI saved before polarity was fixed on the SKP (domain.default_polaritas): time and
    cost in their own unit are lower-is-better, everything else higher-is-better."""
    return Polaritas(rules.default_polaritas(aspek.value if aspek else None, satuan))


def capaian_rule(s: Session | None) -> str:
    """Setting capaian_target_nol_negatif: what a negatif IKI with target 0 gets when the realisasi is above 0."""
    return settings.get("capaian_target_nol_negatif", s)


def hitung_capaian(s: Session | None, i) -> rules.HasilCapaian:
    """Capaian of an EvaluasiIki (value or the reason it cannot be computed) under the instansi rule."""
    pol = i.polaritas.value if isinstance(i.polaritas, Polaritas) else str(i.polaritas or "positif")
    return rules.hitung_capaian(i.realisasi, i.target_min, i.target_max, pol, capaian_rule(s))


def capaian_keterangan(s: Session | None, i) -> str | None:
    if i.realisasi is None or i.capaian is not None:
        return None
    return hitung_capaian(s, i).alasan or "Capaian tidak dapat dihitung."


def refresh_reviewers(s: Session, ev: Evaluasi, today: dt.date | None = None) -> None:
    """Take the reviewers from the reporting line in force at the end of the period (or today if earlier)."""
    today = today or clock.today()
    on = min(max(today, ev.mulai), ev.selesai)
    r = reviewers_of(s, ev.pegawai_id, on)
    ev.pejabat_penilai_id = r.pejabat_penilai_id if r else None
    ev.atasan_penilai_id = r.atasan_penilai_id if r else None
    ev.pemberi_pertimbangan_id = r.pemberi_pertimbangan_id if r else None


def create_evaluasi(s: Session, skp: Skp, slot: Slot, today: dt.date | None = None) -> Evaluasi:
    """Create the evaluation of one slot from the approved SKP: one EvaluasiRhk per RHK, one EvaluasiIki per IKI
    (periodic target pre-set), seven EvaluasiPerilaku rows. Refuses when the SKP is not approved (SOP 003)."""
    if skp.status != StatusSkp.DISETUJUI and skp.version_no <= 1:
        raise EvaluasiStatusError("SKP belum disetujui: rencana aksi dan realisasi baru dapat diisi setelah SKP "
                                  "disetujui pejabat penilai.")
    ev = Evaluasi(skp_id=skp.id, pegawai_id=skp.pegawai_id, period_id=skp.period_id, jenis=slot.jenis,
                  nomor=slot.nomor, kode=slot.kode, mulai=slot.mulai, selesai=slot.selesai, status=S.DRAFT)
    fraction = Decimal(1) if slot.jenis == JenisEvaluasi.TAHUNAN else (
        Decimal(bulan_count(slot.mulai, slot.selesai)) / Decimal(12))
    numbers = sc.rhk_numbers(skp.rhk)
    for rhk in skp.rhk:
        label = f"{numbers.get(rhk.id, '')} {rhk.uraian}".strip()[:300]
        ev.hasil.append(EvaluasiRhk(rhk_id=rhk.id, rhk_label=label, rhk_urutan=_rhk_order(rhk)))
        for iki in rhk.iki:
            tmin = _periodic_target(iki.target_min, iki.aspek, iki.satuan, fraction)
            tmax = _periodic_target(iki.target_max, iki.aspek, iki.satuan, fraction)
            ev.iki.append(EvaluasiIki(iki_id=iki.id, rhk_id=rhk.id, indikator=iki.indikator, satuan=iki.satuan,
                                      target_min=tmin, target_max=tmax if tmax != tmin else None,
                                      polaritas=iki.polaritas or default_polaritas(iki.aspek, iki.satuan)))
    ekspektasi = {p.urutan: p.ekspektasi_khusus for p in s.scalars(
        select(SkpPerilaku).where(SkpPerilaku.skp_id == skp.id))}
    for n in berakhlak.NILAI:
        ev.perilaku.append(EvaluasiPerilaku(urutan=n.urutan, nilai=n.nama, ekspektasi_khusus=ekspektasi.get(n.urutan)))
    refresh_reviewers(s, ev, today)
    s.add(ev)
    s.flush()
    return ev


def _rhk_order(rhk) -> int:
    return (0 if rhk.jenis == JenisRhk.UTAMA else 1000) + (rhk.urutan or 0)


def get_or_create(s: Session, skp: Skp, jenis: JenisEvaluasi, nomor: int, today: dt.date | None = None) -> Evaluasi:
    ev = s.scalar(select(Evaluasi).where(Evaluasi.skp_id == skp.id, Evaluasi.jenis == jenis, Evaluasi.nomor == nomor))
    if ev is not None:
        return ev
    period = s.get(Period, skp.period_id)
    for slot in slots_for(skp, period):  # type: ignore[arg-type]
        if slot.jenis == jenis and slot.nomor == nomor:
            return create_evaluasi(s, skp, slot, today)
    raise NotFound("Periode evaluasi tidak ada pada masa berlaku SKP ini.")


def load(s: Session, evaluasi_id: int, *, for_update: bool = False) -> Evaluasi:
    ev = s.get(Evaluasi, evaluasi_id, with_for_update=for_update or None)
    if ev is None:
        raise NotFound("Evaluasi kinerja tidak ditemukan.")
    return ev


def check_version(ev: Evaluasi, expected_version: int | None) -> None:
    if expected_version is not None and ev.version != expected_version:
        raise Conflict("Evaluasi ini telah diubah orang lain sejak Anda membukanya. Muat ulang halaman, lalu ulangi "
                       "perubahan Anda (isian Anda masih tampil di layar).")


def touch(ev: Evaluasi) -> None:
    ev.updated_at = now()


# --- roles -----------------------------------------------------------------------------------------------


def is_owner(actor: Actor, ev: Evaluasi) -> bool:
    return actor.pegawai_id is not None and actor.pegawai_id == ev.pegawai_id


def is_pertimbangan(actor: Actor, ev: Evaluasi) -> bool:
    return actor.reviews_as(ev.pemberi_pertimbangan_id) and not is_owner(actor, ev)


def is_penilai(actor: Actor, ev: Evaluasi) -> bool:
    """The pejabat penilai rates; when the pegawai has none in the satker (head of office), Admin SDM records
    the rating given by the superior outside the satker. Never the pegawai themself."""
    if is_owner(actor, ev):
        return False
    if ev.pejabat_penilai_id is not None:
        return actor.reviews_as(ev.pejabat_penilai_id)  # or his Plt/Plh while the assignment runs
    return actor.is_admin


def is_atasan(actor: Actor, ev: Evaluasi) -> bool:
    """The atasan pejabat penilai approves; without one (the penilai is the head of office), Admin SDM records
    the approval. Never the pegawai nor the penilai who rated."""
    if is_owner(actor, ev) or (actor.pegawai_id is not None and actor.pegawai_id == ev.dinilai_by_id):
        return False
    if ev.atasan_penilai_id is not None:
        return actor.reviews_as(ev.atasan_penilai_id)
    return actor.is_admin


def can_read(actor: Actor, ev: Evaluasi) -> bool:
    if actor.has(*READ_ALL_ROLES):
        return True
    pid = actor.pegawai_id
    return pid is not None and (pid == ev.pegawai_id or any(
        actor.reviews_as(x) for x in (ev.pejabat_penilai_id, ev.atasan_penilai_id, ev.pemberi_pertimbangan_id)))


def require_read(actor: Actor, ev: Evaluasi) -> None:
    if not can_read(actor, ev):
        raise PermissionDenied("Anda tidak berwenang melihat evaluasi kinerja ini.")


def require_owner(actor: Actor, ev: Evaluasi, what: str = "mengubah") -> None:
    if not is_owner(actor, ev):
        raise PermissionDenied(f"Hanya pegawai pemilik evaluasi yang dapat {what} evaluasi ini.")


def require_penilai(actor: Actor, ev: Evaluasi) -> None:
    if is_owner(actor, ev):
        raise PermissionDenied("Anda tidak dapat menilai kinerja Anda sendiri.")
    if not is_penilai(actor, ev):
        raise PermissionDenied(f"Anda bukan pejabat penilai kinerja {pegawai_label(ev)} untuk periode ini.")


def require_atasan(actor: Actor, ev: Evaluasi) -> None:
    if not is_atasan(actor, ev):
        raise PermissionDenied(f"Hanya atasan pejabat penilai {pegawai_label(ev)} yang dapat menyetujui atau "
                               "mengembalikan penilaian ini.")


def require_unlocked(ev: Evaluasi) -> None:
    if ev.status == S.DISETUJUI:
        raise EvaluasiLocked("Evaluasi sudah disetujui atasan pejabat penilai dan terkunci. Perubahan hanya "
                             "melalui pembukaan kembali oleh atasan pejabat penilai dengan alasan.")


def pegawai_label(ev: Evaluasi) -> str:
    p = ev.__dict__.get("_pegawai_cache")
    if p is None:
        from sqlalchemy.orm import object_session

        s = object_session(ev)
        peg = s.get(Pegawai, ev.pegawai_id) if s is not None else None
        p = peg.nama_lengkap if peg is not None else f"pegawai #{ev.pegawai_id}"
    return p


def is_unit_head(s: Session, pegawai_id: int, skp: Skp | None = None) -> tuple[bool, int | None]:
    """Whether the pegawai leads a unit (jabatan.pimpinan_unit) and which unit (SKP snapshot first)."""
    peg = s.get(Pegawai, pegawai_id)
    jab = s.get(Jabatan, skp.jabatan_id) if skp is not None and skp.jabatan_id else (peg.jabatan if peg else None)
    unit_id = (skp.unit_id if skp is not None and skp.unit_id else None) or (jab.unit_id if jab else None) or (
        peg.unit_id if peg else None)
    return bool(jab and jab.pimpinan_unit), unit_id


# --- detail view ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Orang:
    id: int
    nama: str
    nip: str
    pangkat_golongan: str
    jabatan: str | None
    unit: str | None


@dataclass(frozen=True)
class RencanaAksiView:
    id: int
    rhk_id: int | None
    rhk_label: str
    uraian: str
    target: Decimal | None
    satuan: str | None
    realisasi: Decimal | None
    realisasi_uraian: str | None
    bukti_dukung: str | None
    umpan_balik: str | None


@dataclass(frozen=True)
class HasilView:
    id: int
    rhk_id: int | None
    rhk_label: str
    jenis: str  # Utama / Tambahan
    realisasi: str | None
    umpan_balik: str | None


@dataclass(frozen=True)
class IkiEvalView:
    id: int
    rhk_id: int | None
    indikator: str
    satuan: str
    target_min: Decimal
    target_max: Decimal | None
    polaritas: str
    realisasi: Decimal | None
    capaian: Decimal | None
    capaian_keterangan: str | None = None  # why there is a realisasi but no capaian (e.g. target 0, positif)

    @property
    def target_label(self) -> str:
        if self.target_max is None or self.target_max == self.target_min:
            return f"{fmt.angka(self.target_min)} {self.satuan}"
        return f"{fmt.angka(self.target_min)}–{fmt.angka(self.target_max)} {self.satuan}"


@dataclass(frozen=True)
class PerilakuEvalView:
    id: int
    urutan: int
    nilai: str
    panduan: tuple[str, str, str]
    ekspektasi_khusus: str | None
    umpan_balik: str | None


@dataclass(frozen=True)
class DokumenView:
    id: int
    jenis: str
    filename: str
    size: int
    uploaded_by: str
    uploaded_at: dt.datetime
    keterangan: str | None


@dataclass(frozen=True)
class EvaluasiDetail:
    id: int
    skp_id: int
    period_id: int
    tahun: int
    jenis: str
    nomor: int
    kode: str
    label: str
    mulai: dt.date
    selesai: dt.date
    status: str
    status_label: str
    version: int
    format: str  # "JPT" or "JA/JF"
    pegawai: Orang
    penilai: Orang | None
    atasan: Orang | None
    pemberi_pertimbangan: Orang | None
    pimpinan_unit: bool
    unit_id: int | None
    unit_nama: str | None
    jadwal: Jadwal
    rencana_aksi: list[RencanaAksiView]
    hasil: list[HasilView]
    iki: list[IkiEvalView]
    perilaku: list[PerilakuEvalView]
    dokumen: list[DokumenView]
    submitted_at: dt.datetime | None
    catatan_pegawai: str | None
    catatan_pengembalian: str | None
    pertimbangan_catatan: str | None
    pertimbangan_rating_hasil: str | None
    pertimbangan_rating_perilaku: str | None
    pertimbangan_oleh: str | None
    pertimbangan_at: dt.datetime | None
    rating_hasil_kerja: str | None
    rating_perilaku_kerja: str | None
    predikat: str | None
    predikat_alasan: str | None
    predikat_organisasi: str | None
    rekomendasi: str | None
    dinilai_oleh: str | None
    dinilai_at: dt.datetime | None
    catatan_atasan: str | None
    disetujui_oleh: str | None
    disetujui_at: dt.datetime | None
    alasan_buka_kembali: str | None
    # What the acting user may do now.
    can_edit: bool = False
    can_submit: bool = False
    can_pertimbangan: bool = False
    can_nilai: bool = False
    can_setujui: bool = False
    can_reopen: bool = False
    feedback_lengkap: bool = False
    missing_feedback: list[str] = field(default_factory=list)


def orang(s: Session, pegawai_id: int | None) -> Orang | None:
    if pegawai_id is None:
        return None
    p = s.get(Pegawai, pegawai_id)
    if p is None:
        return None
    return Orang(p.id, p.nama_lengkap, p.nip, pangkat_golongan(p.golongan), p.jabatan.nama if p.jabatan else None,
                 p.unit.nama if p.unit else None)


def missing_feedback(ev: Evaluasi) -> list[str]:
    """Labels of the RHK and BerAKHLAK rows without umpan balik (required before ratings, §2.9, §8 rule 8)."""
    out = [f"Umpan balik RHK {h.rhk_label[:60]}" for h in ev.hasil if not (h.umpan_balik or "").strip()]
    out += [f"Umpan balik perilaku {p.nilai}" for p in ev.perilaku if not (p.umpan_balik or "").strip()]
    return out


def detail(s: Session, actor: Actor, ev: Evaluasi, today: dt.date | None = None) -> EvaluasiDetail:
    require_read(actor, ev)
    skp = s.get(Skp, ev.skp_id)
    period = s.get(Period, ev.period_id)
    assert period is not None
    head, unit_id = is_unit_head(s, ev.pegawai_id, skp)
    unit = s.get(UnitKerja, unit_id) if unit_id else None
    rhk_jenis = {r.id: r.jenis.value for r in skp.rhk} if skp else {}
    peg = orang(s, ev.pegawai_id)
    if skp is not None and skp.jabatan_id:
        jab = s.get(Jabatan, skp.jabatan_id)
        peg = Orang(peg.id, peg.nama, peg.nip, pangkat_golongan(skp.golongan or None) if skp.golongan  # type: ignore[union-attr]
                    else peg.pangkat_golongan, jab.nama if jab else peg.jabatan, unit.nama if unit else peg.unit)  # type: ignore[union-attr]
    docs = s.scalars(select(EvaluasiDokumen).where(EvaluasiDokumen.evaluasi_id == ev.id)
                     .order_by(EvaluasiDokumen.uploaded_at)).all()
    miss = missing_feedback(ev)
    name = lambda pid: (orang(s, pid).nama if pid and orang(s, pid) else None)  # type: ignore[union-attr]  # noqa: E731
    return EvaluasiDetail(
        id=ev.id, skp_id=ev.skp_id, period_id=ev.period_id, tahun=period.tahun, jenis=ev.jenis.value,
        nomor=ev.nomor, kode=ev.kode, label=slot_label(ev), mulai=ev.mulai, selesai=ev.selesai,
        status=ev.status.value, status_label=STATUS_LABEL[ev.status], version=ev.version,
        format=(skp.format.value if skp else FormatSkp.JA_JF.value), pegawai=peg,  # type: ignore[arg-type]
        penilai=orang(s, ev.pejabat_penilai_id), atasan=orang(s, ev.atasan_penilai_id),
        pemberi_pertimbangan=orang(s, ev.pemberi_pertimbangan_id), pimpinan_unit=head, unit_id=unit_id,
        unit_nama=unit.nama if unit else None, jadwal=jadwal(ev.mulai, ev.selesai, s),
        rencana_aksi=[RencanaAksiView(r.id, r.rhk_id, r.rhk_label, r.uraian, r.target, r.satuan, r.realisasi,
                                      r.realisasi_uraian, r.bukti_dukung, r.umpan_balik) for r in ev.rencana_aksi],
        hasil=[HasilView(h.id, h.rhk_id, h.rhk_label, rhk_jenis.get(h.rhk_id, "Utama"), h.realisasi, h.umpan_balik)  # type: ignore[arg-type]
               for h in ev.hasil],
        iki=[IkiEvalView(i.id, i.rhk_id, i.indikator, i.satuan, i.target_min, i.target_max, i.polaritas.value,
                         i.realisasi, i.capaian, capaian_keterangan(s, i)) for i in ev.iki],
        perilaku=[PerilakuEvalView(p.id, p.urutan, p.nilai, berakhlak.NILAI[p.urutan - 1].panduan,
                                   p.ekspektasi_khusus, p.umpan_balik) for p in ev.perilaku],
        dokumen=[DokumenView(d.id, d.jenis.value, d.filename, d.size, d.uploaded_by_username, d.uploaded_at,
                             d.keterangan) for d in docs],
        submitted_at=ev.submitted_at, catatan_pegawai=ev.catatan_pegawai,
        catatan_pengembalian=ev.catatan_pengembalian,
        pertimbangan_catatan=ev.pertimbangan_catatan,
        pertimbangan_rating_hasil=_v(ev.pertimbangan_rating_hasil),
        pertimbangan_rating_perilaku=_v(ev.pertimbangan_rating_perilaku),
        pertimbangan_oleh=name(ev.pertimbangan_by_id), pertimbangan_at=ev.pertimbangan_at,
        rating_hasil_kerja=_v(ev.rating_hasil_kerja), rating_perilaku_kerja=_v(ev.rating_perilaku_kerja),
        predikat=_v(ev.predikat), predikat_alasan=ev.predikat_alasan,
        predikat_organisasi=_v(ev.predikat_organisasi), rekomendasi=ev.rekomendasi,
        dinilai_oleh=name(ev.dinilai_by_id) or ev.dinilai_by_username, dinilai_at=ev.dinilai_at,
        catatan_atasan=ev.catatan_atasan, disetujui_oleh=name(ev.disetujui_by_id) or ev.disetujui_by_username,
        disetujui_at=ev.disetujui_at, alasan_buka_kembali=ev.alasan_buka_kembali,
        can_edit=is_owner(actor, ev) and ev.status in EDITABLE_BY_PEGAWAI,
        can_submit=is_owner(actor, ev) and ev.status == S.DRAFT,
        can_pertimbangan=is_pertimbangan(actor, ev) and ev.status == S.DIAJUKAN,
        can_nilai=is_penilai(actor, ev) and ev.status in (S.DIAJUKAN, S.DINILAI, S.DIKEMBALIKAN),
        can_setujui=is_atasan(actor, ev) and ev.status == S.DINILAI,
        can_reopen=is_atasan(actor, ev) and ev.status == S.DISETUJUI,
        feedback_lengkap=not miss, missing_feedback=miss,
    )


def _v(x) -> str | None:
    return None if x is None else getattr(x, "value", str(x))


def skp_for_evaluation(s: Session, skp_id: int) -> Skp:
    skp = sc.load(s, skp_id)
    return skp
