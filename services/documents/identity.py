"""The office identity printed as the kop surat (letterhead) of every generated document, and the signatories
by role taken from the org data (domain.md §0.4: the Kepala of the satker and the Kasubbag Administrasi Umum).

The identity lives on the single `Instansi` row: `instansi_induk` is the instansi line of the kop (ministry /
directorate general), `nama` the satker, then address, city (place of signature), phone, e-mail, website and
the logo (stored as PNG). Reading it needs no actor: it is the public letterhead. Changing it is for Admin SDM
only and audited like every other change.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import Instansi, Jabatan, Pegawai, Role, UnitKerja
from services.core import settings
from services.core.actor import Actor
from services.core.errors import FieldError, ValidationFailed
from services.core.uow import unit_of_work

__all__ = ["FIELDS", "OfficeIdentity", "Signatory", "office_identity", "update_identity", "upload_logo",
           "remove_logo", "identity_from_session"]


@dataclass(frozen=True)
class Signatory:
    """Who signs for a role. `plt` is "Plt." or "Plh." when the signer acts for a vacant or absent holder."""

    nama: str
    nip: str | None
    jabatan: str
    plt: str | None = None


@dataclass(frozen=True)
class OfficeIdentity:
    instansi: str  # e.g. "Kementerian Kesehatan" / "Direktorat Jenderal ..." (line above the satker)
    satker: str  # e.g. "Balai Besar Kekarantinaan Kesehatan Medan"
    alamat: str
    telepon: str
    email: str
    website: str
    kota: str  # place of signature ("Medan, 5 Desember 2026")
    logo_png: bytes | None
    kepala: Signatory | None
    kasubbag: Signatory | None

    @property
    def kontak(self) -> str:
        """'Telepon (061) 6941343 · Pos-el info@... · Laman https://...' (empty parts left out)."""
        parts = [f"Telepon\u00a0{self.telepon}" if self.telepon else "", f"Pos-el\u00a0{self.email}" if self.email else "",
                 f"Laman\u00a0{self.website}" if self.website else ""]
        return " · ".join(p for p in parts if p)

    @property
    def alamat_lengkap(self) -> str:
        kota = self.kota.strip()
        if kota and kota.lower() not in self.alamat.lower():
            return f"{self.alamat}, {kota}" if self.alamat else kota
        return self.alamat


# form field -> (Instansi column, label, max length, required)
FIELDS: dict[str, tuple[str, str, int, bool]] = {
    "instansi": ("instansi_induk", "Instansi", 200, False),
    "satker": ("nama", "Satuan kerja", 200, True),
    "alamat": ("alamat", "Alamat", 300, False),
    "kota": ("kota", "Kota tempat tanda tangan", 100, False),
    "telepon": ("telepon", "Telepon", 60, False),
    "email": ("email", "Pos-el", 120, False),
    "website": ("website", "Laman", 200, False),
}
KASUBBAG_UNIT = "administrasi umum"  # the unit whose head is the Kasubbag Adum (demo: "Subbagian Administrasi Umum")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WEBSITE = re.compile(r"^(https?://)?[^\s/]+\.[^\s]+$", re.I)
MAX_LOGO_PX = 600  # the logo is scaled down to this size (longest side) when stored


# --- read ------------------------------------------------------------------------------------------------------


def office_identity() -> OfficeIdentity:
    """The kop surat and signatories; empty strings (never None) where nothing is recorded yet."""
    with read_session() as s:
        return identity_from_session(s)


def identity_from_session(s: Session) -> OfficeIdentity:
    """Same as `office_identity` inside an open session (document services that already hold one)."""
    inst = s.scalar(select(Instansi).order_by(Instansi.id).limit(1))

    def v(attr: str) -> str:
        return ((getattr(inst, attr, None) or "") if inst is not None else "").strip()

    return OfficeIdentity(instansi=v("instansi_induk"), satker=v("nama"), alamat=v("alamat"),
                          telepon=v("telepon"), email=v("email"), website=v("website"), kota=v("kota"),
                          logo_png=inst.logo_png if inst is not None and inst.logo_png else None,
                          kepala=_kepala(s), kasubbag=_kasubbag(s))


def _head_of(s: Session, unit_ids: list[int]) -> Signatory | None:
    """The active pegawai holding the pimpinan jabatan of the first of these units that has one."""
    from services.org import penugasan

    for uid in unit_ids:
        jab = s.scalars(select(Jabatan).where(Jabatan.unit_id == uid, Jabatan.pimpinan_unit.is_(True),
                                              Jabatan.aktif.is_(True)).order_by(Jabatan.id).limit(1)).first()
        if jab is None:
            continue
        acting = penugasan.acting_for_jabatan(s, jab.id)  # a Plt/Plh signs while the assignment runs
        if acting is not None:
            p = s.get(Pegawai, acting.pegawai_id)
            if p is not None:
                return Signatory(nama=p.nama_lengkap, nip=p.nip, jabatan=jab.nama, plt=acting.prefix)
        peg = s.scalars(select(Pegawai).where(Pegawai.jabatan_id == jab.id, Pegawai.aktif.is_(True))
                        .order_by(Pegawai.id).limit(1)).first()
        if peg is not None:
            return Signatory(nama=peg.nama_lengkap, nip=peg.nip, jabatan=jab.nama)
    return None


def head_of_unit(s: Session, unit_id: int) -> Signatory | None:
    """Who signs for a unit: the holder of its pimpinan jabatan, or the Plt/Plh while an assignment runs."""
    return _head_of(s, [unit_id])


def _kepala(s: Session) -> Signatory | None:
    roots = s.scalars(select(UnitKerja.id).where(UnitKerja.parent_id.is_(None), UnitKerja.aktif.is_(True))
                      .order_by(UnitKerja.urutan, UnitKerja.id)).all()
    return _head_of(s, list(roots))


def _kasubbag(s: Session) -> Signatory | None:
    units = s.execute(select(UnitKerja.id, UnitKerja.nama).where(UnitKerja.aktif.is_(True))
                      .order_by(UnitKerja.urutan, UnitKerja.id)).all()
    return _head_of(s, [uid for uid, nama in units if KASUBBAG_UNIT in (nama or "").lower()])


# --- change (Admin SDM) -----------------------------------------------------------------------------------------


def _require_admin(actor: Actor) -> None:
    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat mengubah identitas kantor (kop surat).")


def _instansi_row(s: Session) -> Instansi:
    inst = s.scalar(select(Instansi).order_by(Instansi.id).limit(1).with_for_update())
    if inst is None:
        inst = Instansi(nama="")
        s.add(inst)
    return inst


def update_identity(actor: Actor, **fields: str | None) -> OfficeIdentity:
    """Change any of instansi, satker, alamat, kota, telepon, email, website (others refused by name).
    Texts are trimmed; an empty text clears the field (the satker name is required)."""
    _require_admin(actor)
    errors: list[FieldError] = []
    clean: dict[str, str | None] = {}
    for key, raw in fields.items():
        if key not in FIELDS:
            errors.append(FieldError(None, key, "bukan isian identitas kantor"))
            continue
        _col, label, max_len, required = FIELDS[key]
        text = " ".join(str(raw or "").split()) if key != "alamat" else str(raw or "").strip()
        if required and not text:
            errors.append(FieldError(None, label, "wajib diisi"))
        elif len(text) > max_len:
            errors.append(FieldError(None, label, f"paling banyak {max_len} karakter (sekarang {len(text)})"))
        elif key == "email" and text and not _EMAIL.match(text):
            errors.append(FieldError(None, label, f"alamat pos-el tidak valid: {text!r}"))
        elif key == "website" and text and not _WEBSITE.match(text):
            errors.append(FieldError(None, label, f"alamat laman tidak valid: {text!r}"))
        clean[key] = text or None
    if errors:
        raise ValidationFailed(errors)
    with unit_of_work(actor, action="ubah_identitas_kantor") as s:
        inst = _instansi_row(s)
        for key, value in clean.items():
            col = FIELDS[key][0]
            setattr(inst, col, value if value is not None or col != "nama" else "")
    return office_identity()


def _image_kind(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    return None


def upload_logo(actor: Actor, data: bytes, filename: str | None = None) -> OfficeIdentity:
    """Store the logo of the kop surat: PNG or JPEG (recognised by content, not by name), at most the upload
    size limit (setting `unggah_maks_mb`); stored as PNG, scaled down to 600 px on the longest side."""
    _require_admin(actor)
    name = (filename or "logo").strip().rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "logo"
    max_mb = settings.get("unggah_maks_mb")
    field = f"Logo ({name})"
    if not data:
        raise ValidationFailed([FieldError(None, field, "berkas kosong")])
    if len(data) > max_mb * 1024 * 1024:
        raise ValidationFailed([FieldError(None, field, f"ukuran melebihi batas {max_mb} MB")])
    if _image_kind(data) is None:
        raise ValidationFailed([FieldError(None, field, "bukan gambar PNG atau JPEG")])
    png = _to_png(data, field)
    with unit_of_work(actor, action="unggah_logo_kantor") as s:
        inst = _instansi_row(s)
        inst.logo_png = png
    return office_identity()


def remove_logo(actor: Actor) -> OfficeIdentity:
    """Remove the logo (the kop surat is then printed without one)."""
    _require_admin(actor)
    with unit_of_work(actor, action="hapus_logo_kantor") as s:
        inst = _instansi_row(s)
        inst.logo_png = None
    return office_identity()


def _to_png(data: bytes, field: str) -> bytes:
    from PIL import Image, UnidentifiedImageError  # Pillow comes with fpdf2

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            if img.mode not in ("RGB", "RGBA", "L", "LA"):
                img = img.convert("RGBA")  # type: ignore[assignment]
            img.thumbnail((MAX_LOGO_PX, MAX_LOGO_PX))
            out = io.BytesIO()
            img.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationFailed([FieldError(None, field, "gambar rusak atau tidak dapat dibaca")]) from exc
