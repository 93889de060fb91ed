"""Organisation structure: unit kerja (a tree), tim kerja, jabatan, and the Rekap Organisasi summary.

Grids hand their changes here as `rows` (dicts with the grid columns, `id` None for a new row, `_row` = the row
number the user sees) and `deleted_ids`. Every row is validated again here (the editor's own checks run only
in the browser); all errors are collected and raised together as ValidationFailed, with nothing written.
A good save is written in one unit of work (and so audited row by row).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.base import Base
from db.engine import read_session
from db.models import (
    Jabatan,
    JenisASN,
    JenisJabatan,
    JenjangFungsional,
    KategoriFungsional,
    Pegawai,
    Role,
    TimKerja,
    UnitKerja,
)
from services.core.actor import Actor
from services.core.errors import Conflict, FieldError, ValidationFailed
from services.core.uow import unit_of_work

KODE_RE = re.compile(r"^[A-Z0-9_-]+$")
KODE_MAX = 30
NAMA_MAX = 200
KELAS_MIN, KELAS_MAX = 1, 17
KOEFISIEN_MAX = Decimal("9999.99")  # Numeric(6, 2)

JENJANG_BY_KATEGORI: dict[str, tuple[str, ...]] = {
    KategoriFungsional.KETERAMPILAN.value: (
        JenjangFungsional.PEMULA.value, JenjangFungsional.TERAMPIL.value,
        JenjangFungsional.MAHIR.value, JenjangFungsional.PENYELIA.value,
    ),
    KategoriFungsional.KEAHLIAN.value: (
        JenjangFungsional.AHLI_PERTAMA.value, JenjangFungsional.AHLI_MUDA.value,
        JenjangFungsional.AHLI_MADYA.value, JenjangFungsional.AHLI_UTAMA.value,
    ),
}
GOLONGAN_GROUPS = ("I", "II", "III", "IV", "PPPK", "Tanpa golongan")

UNIT_COLUMNS = ["id", "kode", "nama", "induk", "urutan", "aktif", "jumlah_pegawai"]
TIM_COLUMNS = ["id", "nama", "unit", "ketua", "ketua_nama", "deskripsi", "aktif", "jumlah_anggota"]
JABATAN_COLUMNS = ["id", "nama", "jenis", "kategori", "jenjang", "kelas_jabatan", "unit", "pimpinan_unit",
                   "koefisien_ak", "aktif", "jumlah_pemangku"]

_ADMIN_ONLY = "Hanya Admin SDM yang dapat mengubah struktur organisasi."
_READERS = (Role.ADMIN_SDM, Role.PERENCANA, Role.KEPALA_SATKER)
_READ_REFUSED = "Hanya Admin SDM, Perencana, dan Kepala Satuan Kerja yang dapat melihat data ini."
_STALE = "Data tidak ditemukan; mungkin sudah dihapus pengguna lain. Muat ulang halaman."
_CONFLICT = ("Perubahan bertentangan dengan data lain (mungkin baru diubah pengguna lain). "
             "Muat ulang halaman lalu coba lagi.")


@dataclass(frozen=True)
class SaveResult:
    ditambah: int = 0
    diubah: int = 0
    dihapus: int = 0

    @property
    def pesan(self) -> str:
        if not (self.ditambah or self.diubah or self.dihapus):
            return "Tidak ada perubahan."
        return f"Tersimpan: {self.ditambah} ditambah, {self.diubah} diubah, {self.dihapus} dihapus."


# --- small parsing helpers ------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return str(value).strip()


def _opt_int(value: Any) -> int | None:
    """None for blank; an int for 3, 3.0 or '3'; ValueError otherwise."""
    if _text(value) == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    number = float(str(value).strip().replace(",", "."))
    if not number.is_integer():
        raise ValueError
    return int(number)


def _bool(value: Any, default: bool) -> bool:
    if value is None or _text(value) == "":
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "ya", "y", "benar", "aktif")
    return bool(value)


def _row_no(row: dict, index: int) -> int:
    try:
        return int(row.get("_row") or index + 1)
    except (TypeError, ValueError):
        return index + 1


def _row_id(value: Any) -> int | None:
    try:
        return _opt_int(value)
    except ValueError:
        return None


def _set(obj: Any, attr: str, value: Any) -> bool:
    """Assign only when different, so the audit log records real changes only."""
    if getattr(obj, attr) != value:
        setattr(obj, attr, value)
        return True
    return False


def _require_admin(actor: Actor) -> None:
    actor.require(Role.ADMIN_SDM, message=_ADMIN_ONLY)


def _require_reader(actor: Actor) -> None:
    actor.require(*_READERS, message=_READ_REFUSED)


def _count_by(s: Session, column, ids: Iterable[int], *extra) -> dict[int, int]:
    ids = list(ids)
    if not ids:
        return {}
    q = select(column, func.count()).where(column.in_(ids), *extra).group_by(column)
    return {k: int(n) for k, n in s.execute(q).all()}


_REF_LABELS = {"pegawai": "pegawai", "jabatan": "jabatan", "tim_kerja": "tim kerja", "skp": "SKP",
               "unit_kerja": "unit bawahan"}


def _in_use(s: Session, target: str, ids: Iterable[int], skip: tuple[tuple[str, str], ...] = ()) -> dict[int, list[str]]:
    """Per id, what still refers to it ("3 pegawai", "1 SKP") through foreign keys that block a delete.

    Scans the metadata, so tables added by later features are covered without changes here.
    """
    ids = list(ids)
    out: dict[int, list[str]] = {}
    if not ids:
        return out
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name != target or (table.name, fk.parent.name) in skip:
                continue
            if (fk.ondelete or "").upper() in ("CASCADE", "SET NULL"):
                continue
            label = _REF_LABELS.get(table.name, "data " + table.name.replace("_", " "))
            col = fk.parent
            for key, n in s.execute(select(col, func.count()).where(col.in_(ids)).group_by(col)).all():
                out.setdefault(key, []).append(f"{n} {label}")
    return out


def _join_parts(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " dan " + parts[-1]


def _save(actor: Actor, work) -> SaveResult:
    """Run `work(session)` in one unit of work; a constraint race becomes a Conflict, nothing written."""
    try:
        with unit_of_work(actor) as s:
            return work(s)
    except IntegrityError as e:
        raise Conflict(_CONFLICT) from e


# --- choices for dropdowns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgChoices:
    unit_kode: list[str]  # active units first by tree order; inactive ones follow
    unit_nama: dict[str, str]
    jenis_jabatan: list[str]
    kategori: list[str]
    jenjang: list[str]
    jenjang_by_kategori: dict[str, tuple[str, ...]]
    pegawai_nip: list[str]  # active pegawai only (ketua tim)
    pegawai_nama: dict[str, str]

    def unit_label(self, kode: str | None) -> str:
        return f"{kode} – {self.unit_nama.get(kode, '')}" if kode else ""

    def pegawai_label(self, nip: str | None) -> str:
        return f"{nip} – {self.pegawai_nama.get(nip, '')}" if nip else ""


def choices(actor: Actor) -> OrgChoices:
    """Option lists for dropdowns on the organisation pages (and other admin pages)."""
    actor.require(*Role)
    with read_session() as s:
        units = s.execute(select(UnitKerja.id, UnitKerja.kode, UnitKerja.nama, UnitKerja.parent_id,
                                 UnitKerja.urutan, UnitKerja.aktif)).all()
        pegawai = s.execute(select(Pegawai.nip, Pegawai.nama, Pegawai.gelar_depan, Pegawai.gelar_belakang)
                            .where(Pegawai.aktif.is_(True)).order_by(Pegawai.nama)).all()
    ordered = tree_order([(u.id, u.parent_id, u.urutan, u.kode) for u in units])
    by_id = {u.id: u for u in units}
    kode = [by_id[i].kode for i in ordered if by_id[i].aktif] + [by_id[i].kode for i in ordered if not by_id[i].aktif]
    return OrgChoices(
        unit_kode=kode,
        unit_nama={u.kode: u.nama for u in units},
        jenis_jabatan=[j.value for j in JenisJabatan],
        kategori=[k.value for k in KategoriFungsional],
        jenjang=[j.value for j in JenjangFungsional],
        jenjang_by_kategori=dict(JENJANG_BY_KATEGORI),
        pegawai_nip=[p.nip for p in pegawai],
        pegawai_nama={p.nip: _full_name(p.nama, p.gelar_depan, p.gelar_belakang) for p in pegawai},
    )


def _full_name(nama: str, depan: str | None, belakang: str | None) -> str:
    name = " ".join(x.strip() for x in (depan, nama) if x)
    return f"{name}, {belakang.strip()}" if belakang else name


def tree_order(nodes: list[tuple[int, int | None, int, str]]) -> list[int]:
    """Depth-first order of (id, parent_id, urutan, kode) nodes, siblings by urutan then kode."""
    ids = {n[0] for n in nodes}
    children: dict[int | None, list[tuple[int, int | None, int, str]]] = {}
    for n in nodes:
        parent = n[1] if n[1] in ids else None
        children.setdefault(parent, []).append(n)
    for kids in children.values():
        kids.sort(key=lambda n: (n[2] or 0, n[3]))
    out: list[int] = []
    seen: set[int] = set()

    def walk(parent: int | None) -> None:
        for n in children.get(parent, []):
            if n[0] in seen:
                continue
            seen.add(n[0])
            out.append(n[0])
            walk(n[0])

    walk(None)
    out += [n[0] for n in sorted(nodes, key=lambda n: n[3]) if n[0] not in seen]  # cycles, if any
    return out


# --- unit kerja ------------------------------------------------------------------------------------------


def units_df(actor: Actor) -> pd.DataFrame:
    """All units in tree order, with the number of active pegawai placed directly in each."""
    _require_reader(actor)
    with read_session() as s:
        units = s.execute(select(UnitKerja.id, UnitKerja.kode, UnitKerja.nama, UnitKerja.parent_id,
                                 UnitKerja.urutan, UnitKerja.aktif)).all()
        counts = dict(s.execute(select(Pegawai.unit_id, func.count()).where(Pegawai.aktif.is_(True))
                                .group_by(Pegawai.unit_id)).all())
    by_id = {u.id: u for u in units}
    data = [
        {"id": u.id, "kode": u.kode, "nama": u.nama,
         "induk": by_id[u.parent_id].kode if u.parent_id in by_id else None,
         "urutan": u.urutan, "aktif": u.aktif, "jumlah_pegawai": int(counts.get(u.id, 0))}
        for u in (by_id[i] for i in tree_order([(u.id, u.parent_id, u.urutan, u.kode) for u in units]))
    ]
    return pd.DataFrame(data, columns=UNIT_COLUMNS).astype({"id": "Int64", "urutan": "Int64",
                                                           "jumlah_pegawai": "Int64"})


@dataclass
class _UnitRow:
    n: int
    id: int | None
    kode: str
    nama: str
    induk: str | None
    urutan: int
    aktif: bool


def save_units(actor: Actor, rows: list[dict], deleted_ids: Iterable[int] = ()) -> SaveResult:
    """Insert/update/delete units. Admin SDM only. All errors at once; nothing written on error."""
    _require_admin(actor)
    deleted = {int(i) for i in deleted_ids or ()}

    def work(s: Session) -> SaveResult:
        existing = {u.id: u for u in s.scalars(select(UnitKerja))}
        errors: list[FieldError] = []
        parsed: list[_UnitRow] = []
        for i, r in enumerate(rows):
            n, rid = _row_no(r, i), _row_id(r.get("id"))
            if rid is not None and rid not in existing:
                errors.append(FieldError(n, "ID", _STALE))
                continue
            if rid in deleted:
                continue
            kode = _text(r.get("kode")).upper()
            if not kode:
                errors.append(FieldError(n, "Kode", "wajib diisi."))
            elif len(kode) > KODE_MAX:
                errors.append(FieldError(n, "Kode", f"paling banyak {KODE_MAX} karakter."))
            elif not KODE_RE.match(kode):
                errors.append(FieldError(n, "Kode", "hanya boleh huruf besar, angka, tanda - dan _ (tanpa spasi)."))
            nama = _text(r.get("nama"))
            if not nama:
                errors.append(FieldError(n, "Nama", "wajib diisi."))
            elif len(nama) > NAMA_MAX:
                errors.append(FieldError(n, "Nama", f"paling banyak {NAMA_MAX} karakter."))
            try:
                urutan = _opt_int(r.get("urutan")) or 0
                if urutan < 0:
                    raise ValueError
            except ValueError:
                errors.append(FieldError(n, "Urutan", "harus bilangan bulat 0 atau lebih."))
                urutan = 0
            induk = _text(r.get("induk")).upper() or None
            parsed.append(_UnitRow(n, rid, kode, nama, induk, urutan, _bool(r.get("aktif"), True)))

        # The structure after this save: key -> (kode, induk kode, row number or None if untouched).
        kode_of = {u.id: u.kode for u in existing.values()}
        final: dict[tuple, tuple[str, str | None, int | None]] = {
            ("id", u.id): (u.kode, kode_of.get(u.parent_id), None) for u in existing.values() if u.id not in deleted
        }
        for p in parsed:
            final[("id", p.id) if p.id is not None else ("new", p.n)] = (p.kode, p.induk, p.n)
        kode_count: dict[str, int] = {}
        for kode, _, _ in final.values():
            if kode:
                kode_count[kode] = kode_count.get(kode, 0) + 1
        parent_of = {kode: induk for kode, induk, _ in final.values() if kode}
        for p in parsed:
            if p.kode and KODE_RE.match(p.kode) and kode_count.get(p.kode, 0) > 1:
                errors.append(FieldError(p.n, "Kode", f"'{p.kode}' sudah dipakai unit lain."))
            if p.induk is None:
                continue
            if p.induk == p.kode:
                errors.append(FieldError(p.n, "Induk", "unit tidak boleh menjadi induk dirinya sendiri."))
            elif p.induk not in kode_count:
                errors.append(FieldError(p.n, "Induk", f"unit '{p.induk}' tidak ditemukan."))
            else:
                path, cur = [p.kode], p.induk
                while cur is not None and cur != p.kode and cur not in path[1:] and len(path) <= len(parent_of):
                    path.append(cur)
                    cur = parent_of.get(cur)
                if cur == p.kode:
                    errors.append(FieldError(p.n, "Induk", "membentuk lingkaran: " + " → ".join([*path, p.kode])))

        gone = [existing[i] for i in deleted if i in existing]
        ids = [u.id for u in gone]
        used = _in_use(s, "unit_kerja", ids, skip=(("unit_kerja", "parent_id"),))
        for u in gone:
            n_child = sum(1 for kode, induk, _ in final.values() if induk == u.kode and kode != u.kode)
            parts = used.get(u.id, []) + ([f"{n_child} unit bawahan"] if n_child else [])
            if parts:
                errors.append(FieldError(None, "Hapus", f"unit {u.kode} tidak dapat dihapus karena masih memiliki "
                                         f"{_join_parts(parts)}. Pindahkan atau hapus dulu, atau nonaktifkan unit."))
        if errors:
            raise ValidationFailed(errors)

        for u in gone:
            s.delete(u)
        if gone:
            s.flush()
        objs: dict[tuple, UnitKerja] = {("id", u.id): u for u in existing.values() if u.id not in deleted}
        added = changed = 0
        for p in parsed:
            if p.id is None:
                obj = UnitKerja(kode=p.kode, nama=p.nama, urutan=p.urutan, aktif=p.aktif)
                s.add(obj)
                objs[("new", p.n)] = obj
                added += 1
            else:
                obj = objs[("id", p.id)]
                changed += 1
                for attr, value in (("kode", p.kode), ("nama", p.nama), ("urutan", p.urutan), ("aktif", p.aktif)):
                    _set(obj, attr, value)
        by_kode = {o.kode: o for o in objs.values()}
        for p in parsed:
            obj = objs[("id", p.id) if p.id is not None else ("new", p.n)]
            target = by_kode.get(p.induk) if p.induk else None
            if target is None:
                if obj.parent_id is not None or obj.parent is not None:
                    obj.parent = None
            elif target.id is None or target.id != obj.parent_id:
                obj.parent = target
        return SaveResult(added, changed, len(gone))

    return _save(actor, work)


# --- tim kerja --------------------------------------------------------------------------------------------


def tim_df(actor: Actor) -> pd.DataFrame:
    _require_reader(actor)
    with read_session() as s:
        members = dict(s.execute(select(Pegawai.tim_id, func.count()).where(Pegawai.aktif.is_(True))
                                 .group_by(Pegawai.tim_id)).all())
        rows = s.execute(
            select(TimKerja.id, TimKerja.nama, UnitKerja.kode, Pegawai.nip, Pegawai.nama.label("pnama"),
                   Pegawai.gelar_depan, Pegawai.gelar_belakang, TimKerja.deskripsi, TimKerja.aktif)
            .outerjoin(UnitKerja, UnitKerja.id == TimKerja.unit_id)
            .outerjoin(Pegawai, Pegawai.id == TimKerja.ketua_id)
            .order_by(TimKerja.nama)
        ).all()
    data = [
        {"id": r.id, "nama": r.nama, "unit": r.kode, "ketua": r.nip,
         "ketua_nama": _full_name(r.pnama, r.gelar_depan, r.gelar_belakang) if r.nip else None,
         "deskripsi": r.deskripsi, "aktif": r.aktif, "jumlah_anggota": int(members.get(r.id, 0))}
        for r in rows
    ]
    return pd.DataFrame(data, columns=TIM_COLUMNS).astype({"id": "Int64", "jumlah_anggota": "Int64"})


def save_tim(actor: Actor, rows: list[dict], deleted_ids: Iterable[int] = ()) -> SaveResult:
    """Insert/update/delete tim kerja. Admin SDM only. A tim that still has members cannot be deleted."""
    _require_admin(actor)
    deleted = {int(i) for i in deleted_ids or ()}

    def work(s: Session) -> SaveResult:
        existing = {t.id: t for t in s.scalars(select(TimKerja))}
        unit_ids = dict(s.execute(select(UnitKerja.kode, UnitKerja.id)).all())
        nips = {re.sub(r"\s", "", _text(r.get("ketua"))) for r in rows} - {""}
        pegawai = {p.nip: p for p in s.execute(select(Pegawai.id, Pegawai.nip, Pegawai.aktif)
                                               .where(Pegawai.nip.in_(nips))).all()} if nips else {}
        errors: list[FieldError] = []
        parsed: list[dict] = []
        for i, r in enumerate(rows):
            n, rid = _row_no(r, i), _row_id(r.get("id"))
            if rid is not None and rid not in existing:
                errors.append(FieldError(n, "ID", _STALE))
                continue
            if rid in deleted:
                continue
            nama = _text(r.get("nama"))
            if not nama:
                errors.append(FieldError(n, "Nama", "wajib diisi."))
            elif len(nama) > NAMA_MAX:
                errors.append(FieldError(n, "Nama", f"paling banyak {NAMA_MAX} karakter."))
            unit = _text(r.get("unit")).upper()
            if not unit:
                errors.append(FieldError(n, "Unit", "wajib diisi."))
            elif unit not in unit_ids:
                errors.append(FieldError(n, "Unit", f"unit '{unit}' tidak ditemukan."))
            nip = re.sub(r"\s", "", _text(r.get("ketua")))
            ketua_id = None
            if nip:
                p = pegawai.get(nip)
                if p is None:
                    errors.append(FieldError(n, "Ketua", f"pegawai dengan NIP {nip} tidak ditemukan."))
                elif not p.aktif:
                    errors.append(FieldError(n, "Ketua", f"pegawai dengan NIP {nip} tidak aktif."))
                else:
                    ketua_id = p.id
            parsed.append({"n": n, "id": rid, "nama": nama, "unit_id": unit_ids.get(unit), "ketua_id": ketua_id,
                           "deskripsi": _text(r.get("deskripsi")) or None, "aktif": _bool(r.get("aktif"), True)})

        final = {("id", t.id): t.nama.strip().casefold() for t in existing.values() if t.id not in deleted}
        for p in parsed:
            final[("id", p["id"]) if p["id"] is not None else ("new", p["n"])] = p["nama"].casefold()
        counts: dict[str, int] = {}
        for nama in final.values():
            counts[nama] = counts.get(nama, 0) + 1
        for p in parsed:
            if p["nama"] and counts.get(p["nama"].casefold(), 0) > 1:
                errors.append(FieldError(p["n"], "Nama", f"tim '{p['nama']}' sudah ada."))

        gone = [existing[i] for i in deleted if i in existing]
        n_member = _count_by(s, Pegawai.tim_id, [t.id for t in gone])
        used = _in_use(s, "tim_kerja", [t.id for t in gone])
        for t in gone:
            parts = ([f"{n_member[t.id]} anggota"] if n_member.get(t.id) else []) + used.get(t.id, [])
            if parts:
                errors.append(FieldError(None, "Hapus", f"tim '{t.nama}' tidak dapat dihapus karena masih memiliki "
                                         f"{_join_parts(parts)}. Pindahkan anggotanya dulu, atau nonaktifkan tim."))
        if errors:
            raise ValidationFailed(errors)

        for t in gone:
            s.delete(t)
        if gone:
            s.flush()
        added = changed = 0
        for p in parsed:
            if p["id"] is None:
                s.add(TimKerja(nama=p["nama"], unit_id=p["unit_id"], ketua_id=p["ketua_id"],
                               deskripsi=p["deskripsi"], aktif=p["aktif"]))
                added += 1
            else:
                obj = existing[p["id"]]
                changed += 1
                for attr in ("nama", "unit_id", "ketua_id", "deskripsi", "aktif"):
                    _set(obj, attr, p[attr])
        return SaveResult(added, changed, len(gone))

    return _save(actor, work)


# --- jabatan ------------------------------------------------------------------------------------------------


def jabatan_df(actor: Actor) -> pd.DataFrame:
    _require_reader(actor)
    with read_session() as s:
        holders = dict(s.execute(select(Pegawai.jabatan_id, func.count()).where(Pegawai.aktif.is_(True))
                                 .group_by(Pegawai.jabatan_id)).all())
        rows = s.execute(
            select(Jabatan, UnitKerja.kode).outerjoin(UnitKerja, UnitKerja.id == Jabatan.unit_id)
            .order_by(UnitKerja.kode, Jabatan.nama)
        ).all()
        data = [
            {"id": j.id, "nama": j.nama, "jenis": j.jenis.value, "kategori": j.kategori.value if j.kategori else None,
             "jenjang": j.jenjang.value if j.jenjang else None, "kelas_jabatan": j.kelas_jabatan, "unit": kode,
             "pimpinan_unit": j.pimpinan_unit, "koefisien_ak": float(j.koefisien_ak) if j.koefisien_ak else None,
             "aktif": j.aktif, "jumlah_pemangku": int(holders.get(j.id, 0))}
            for j, kode in rows
        ]
    return pd.DataFrame(data, columns=JABATAN_COLUMNS).astype(
        {"id": "Int64", "kelas_jabatan": "Int64", "koefisien_ak": "Float64", "jumlah_pemangku": "Int64"})


def _koefisien(value: Any) -> Decimal | None:
    text = _text(value).replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError("harus berupa angka, misalnya 12,5.") from None
    if not number.is_finite() or number <= 0:
        raise ValueError("harus lebih dari 0.")
    number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if number > KOEFISIEN_MAX:
        raise ValueError(f"paling besar {KOEFISIEN_MAX}.")
    return number


def save_jabatan(actor: Actor, rows: list[dict], deleted_ids: Iterable[int] = ()) -> SaveResult:
    """Insert/update/delete jabatan. Admin SDM only. A jabatan held by a pegawai cannot be deleted."""
    _require_admin(actor)
    deleted = {int(i) for i in deleted_ids or ()}
    jenis_values = {j.value for j in JenisJabatan}

    def work(s: Session) -> SaveResult:
        existing = {j.id: j for j in s.scalars(select(Jabatan))}
        unit_ids = dict(s.execute(select(UnitKerja.kode, UnitKerja.id)).all())
        errors: list[FieldError] = []
        parsed: list[dict] = []
        for i, r in enumerate(rows):
            n, rid = _row_no(r, i), _row_id(r.get("id"))
            if rid is not None and rid not in existing:
                errors.append(FieldError(n, "ID", _STALE))
                continue
            if rid in deleted:
                continue
            nama = _text(r.get("nama"))
            if not nama:
                errors.append(FieldError(n, "Nama", "wajib diisi."))
            elif len(nama) > NAMA_MAX:
                errors.append(FieldError(n, "Nama", f"paling banyak {NAMA_MAX} karakter."))
            jenis = _text(r.get("jenis"))
            if not jenis:
                errors.append(FieldError(n, "Jenis", "wajib diisi."))
            elif jenis not in jenis_values:
                errors.append(FieldError(n, "Jenis", f"'{jenis}' tidak dikenal (pilih: {', '.join(jenis_values)})."))
            kategori, jenjang = _text(r.get("kategori")) or None, _text(r.get("jenjang")) or None
            if jenis == JenisJabatan.FUNGSIONAL.value:
                if kategori is None:
                    errors.append(FieldError(n, "Kategori", "wajib diisi untuk jabatan fungsional."))
                elif kategori not in JENJANG_BY_KATEGORI:
                    errors.append(FieldError(n, "Kategori", f"'{kategori}' tidak dikenal (Keahlian/Keterampilan)."))
                if jenjang is None:
                    errors.append(FieldError(n, "Jenjang", "wajib diisi untuk jabatan fungsional."))
                elif kategori in JENJANG_BY_KATEGORI and jenjang not in JENJANG_BY_KATEGORI[kategori]:
                    errors.append(FieldError(n, "Jenjang", f"'{jenjang}' bukan jenjang kategori {kategori} "
                                             f"({', '.join(JENJANG_BY_KATEGORI[kategori])})."))
            elif jenis:
                if kategori is not None:
                    errors.append(FieldError(n, "Kategori", "hanya diisi untuk jabatan fungsional."))
                if jenjang is not None:
                    errors.append(FieldError(n, "Jenjang", "hanya diisi untuk jabatan fungsional."))
            try:
                kelas = _opt_int(r.get("kelas_jabatan"))
                if kelas is not None and not KELAS_MIN <= kelas <= KELAS_MAX:
                    raise ValueError
            except ValueError:
                errors.append(FieldError(n, "Kelas jabatan", f"harus bilangan bulat {KELAS_MIN} sampai {KELAS_MAX}."))
                kelas = None
            unit = _text(r.get("unit")).upper() or None
            if unit is not None and unit not in unit_ids:
                errors.append(FieldError(n, "Unit", f"unit '{unit}' tidak ditemukan."))
            pimpinan = _bool(r.get("pimpinan_unit"), False)
            if pimpinan and unit is None:
                errors.append(FieldError(n, "Pimpinan unit", "jabatan pimpinan unit harus memiliki unit."))
            try:
                koef = _koefisien(r.get("koefisien_ak"))
            except ValueError as e:
                errors.append(FieldError(n, "Koefisien AK", str(e)))
                koef = None
            parsed.append({"n": n, "id": rid, "nama": nama, "jenis": jenis, "kategori": kategori,
                           "jenjang": jenjang, "kelas_jabatan": kelas, "unit": unit, "pimpinan_unit": pimpinan,
                           "koefisien_ak": koef, "aktif": _bool(r.get("aktif"), True)})

        kode_of = {v: k for k, v in unit_ids.items()}
        final = {("id", j.id): (j.nama.strip().casefold(), kode_of.get(j.unit_id))
                 for j in existing.values() if j.id not in deleted}
        for p in parsed:
            final[("id", p["id"]) if p["id"] is not None else ("new", p["n"])] = (p["nama"].casefold(), p["unit"])
        counts: dict[tuple, int] = {}
        for key in final.values():
            counts[key] = counts.get(key, 0) + 1
        for p in parsed:
            if p["nama"] and counts.get((p["nama"].casefold(), p["unit"]), 0) > 1:
                where = f"unit {p['unit']}" if p["unit"] else "tanpa unit"
                errors.append(FieldError(p["n"], "Nama", f"jabatan '{p['nama']}' sudah ada di {where}."))

        gone = [existing[i] for i in deleted if i in existing]
        used = _in_use(s, "jabatan", [j.id for j in gone])
        for j in gone:
            if used.get(j.id):
                errors.append(FieldError(None, "Hapus", f"jabatan '{j.nama}' tidak dapat dihapus karena masih "
                                         f"dipakai oleh {_join_parts(used[j.id])}. Ganti jabatan pegawai dulu, "
                                         "atau nonaktifkan jabatan."))
        if errors:
            raise ValidationFailed(errors)

        for j in gone:
            s.delete(j)
        if gone:
            s.flush()
        added = changed = 0
        for p in parsed:
            values = {
                "nama": p["nama"], "jenis": JenisJabatan(p["jenis"]),
                "kategori": KategoriFungsional(p["kategori"]) if p["kategori"] else None,
                "jenjang": JenjangFungsional(p["jenjang"]) if p["jenjang"] else None,
                "kelas_jabatan": p["kelas_jabatan"], "unit_id": unit_ids.get(p["unit"]) if p["unit"] else None,
                "pimpinan_unit": p["pimpinan_unit"], "koefisien_ak": p["koefisien_ak"], "aktif": p["aktif"],
            }
            if p["id"] is None:
                s.add(Jabatan(**values))
                added += 1
            else:
                obj = existing[p["id"]]
                changed += 1
                for attr, value in values.items():
                    _set(obj, attr, value)
        return SaveResult(added, changed, len(gone))

    return _save(actor, work)


# --- Rekap Organisasi -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgSummary:
    total: int
    pns: int
    pppk: int
    jumlah_unit: int
    jumlah_tim: int
    jumlah_jabatan: int
    per_unit: pd.DataFrame  # kode, unit, induk, jumlah
    per_jenis_jabatan: pd.DataFrame  # jenis, jumlah
    per_golongan: pd.DataFrame  # kelompok, jumlah
    per_asn: pd.DataFrame  # jenis_asn, jumlah
    fungsional_jenjang: pd.DataFrame  # kategori, jenjang, jumlah


def org_summary(actor: Actor) -> OrgSummary:
    """Counts of active pegawai by unit, jenis jabatan, golongan group, ASN type and JF jenjang (SQL GROUP BY)."""
    actor.require(Role.KEPALA_SATKER, Role.PERENCANA, Role.ADMIN_SDM,
                  message="Hanya Kepala Satuan Kerja, Perencana, dan Admin SDM yang dapat melihat rekap organisasi.")
    active = Pegawai.aktif.is_(True)
    with read_session() as s:
        parent = select(UnitKerja.id, UnitKerja.kode).subquery()
        unit_rows = s.execute(
            select(UnitKerja.kode, UnitKerja.nama, parent.c.kode.label("induk"), func.count(Pegawai.id))
            .outerjoin(Pegawai, (Pegawai.unit_id == UnitKerja.id) & active)
            .outerjoin(parent, parent.c.id == UnitKerja.parent_id)
            .where(UnitKerja.aktif.is_(True))
            .group_by(UnitKerja.id, UnitKerja.kode, UnitKerja.nama, parent.c.kode, UnitKerja.urutan)
            .order_by(UnitKerja.urutan, UnitKerja.kode)
        ).all()
        no_unit = s.scalar(select(func.count(Pegawai.id)).where(active, Pegawai.unit_id.is_(None))) or 0
        unit_inactive = s.scalar(select(func.count(Pegawai.id)).join(UnitKerja, UnitKerja.id == Pegawai.unit_id)
                                 .where(active, UnitKerja.aktif.is_(False))) or 0

        jenis_rows = dict(s.execute(
            select(Jabatan.jenis, func.count(Pegawai.id)).select_from(Pegawai)
            .join(Jabatan, Jabatan.id == Pegawai.jabatan_id).where(active).group_by(Jabatan.jenis)
        ).all())
        no_jabatan = s.scalar(select(func.count(Pegawai.id)).where(active, Pegawai.jabatan_id.is_(None))) or 0

        group = case(
            (Pegawai.jenis_asn == JenisASN.PPPK, "PPPK"),
            (Pegawai.golongan.like("IV/%"), "IV"),
            (Pegawai.golongan.like("III/%"), "III"),
            (Pegawai.golongan.like("II/%"), "II"),
            (Pegawai.golongan.like("I/%"), "I"),
            else_="Tanpa golongan",
        ).label("kelompok")
        gol_rows = dict(s.execute(select(group, func.count(Pegawai.id)).where(active).group_by(group)).all())

        asn_rows = {(k.value if hasattr(k, "value") else k): int(v) for k, v in s.execute(
            select(Pegawai.jenis_asn, func.count(Pegawai.id)).where(active).group_by(Pegawai.jenis_asn)).all()}

        jf_rows = {(_v(k), _v(j)): int(n) for k, j, n in s.execute(
            select(Jabatan.kategori, Jabatan.jenjang, func.count(Pegawai.id)).select_from(Pegawai)
            .join(Jabatan, Jabatan.id == Pegawai.jabatan_id)
            .where(active, Jabatan.jenis == JenisJabatan.FUNGSIONAL)
            .group_by(Jabatan.kategori, Jabatan.jenjang)
        ).all()}

        jumlah_unit = s.scalar(select(func.count(UnitKerja.id)).where(UnitKerja.aktif.is_(True))) or 0
        jumlah_tim = s.scalar(select(func.count(TimKerja.id)).where(TimKerja.aktif.is_(True))) or 0
        jumlah_jabatan = s.scalar(select(func.count(Jabatan.id)).where(Jabatan.aktif.is_(True))) or 0

    per_unit = [{"kode": k, "unit": nama, "induk": induk, "jumlah": int(n)} for k, nama, induk, n in unit_rows]
    if unit_inactive:
        per_unit.append({"kode": "-", "unit": "Unit nonaktif", "induk": None, "jumlah": int(unit_inactive)})
    if no_unit:
        per_unit.append({"kode": "-", "unit": "Tanpa unit", "induk": None, "jumlah": int(no_unit)})
    jenis = [{"jenis": j.value, "jumlah": int(jenis_rows.get(j, jenis_rows.get(j.value, 0)))} for j in JenisJabatan]
    if no_jabatan:
        jenis.append({"jenis": "Tanpa jabatan", "jumlah": int(no_jabatan)})
    golongan = [{"kelompok": g, "jumlah": int(gol_rows.get(g, 0))} for g in GOLONGAN_GROUPS
                if g != "Tanpa golongan" or gol_rows.get(g)]
    asn = [{"jenis_asn": a.value, "jumlah": asn_rows.get(a.value, 0)} for a in JenisASN]
    jf = [{"kategori": k, "jenjang": j, "jumlah": jf_rows.get((k, j), 0)}
          for k, levels in JENJANG_BY_KATEGORI.items() for j in levels]
    unknown_jf = sum(n for key, n in jf_rows.items() if key[1] not in JENJANG_BY_KATEGORI.get(key[0] or "", ()))
    if unknown_jf:
        jf.append({"kategori": "-", "jenjang": "Belum ditetapkan", "jumlah": unknown_jf})
    total = sum(r["jumlah"] for r in asn)
    return OrgSummary(
        total=total, pns=asn_rows.get(JenisASN.PNS.value, 0), pppk=asn_rows.get(JenisASN.PPPK.value, 0),
        jumlah_unit=int(jumlah_unit), jumlah_tim=int(jumlah_tim), jumlah_jabatan=int(jumlah_jabatan),
        per_unit=pd.DataFrame(per_unit, columns=["kode", "unit", "induk", "jumlah"]),
        per_jenis_jabatan=pd.DataFrame(jenis, columns=["jenis", "jumlah"]),
        per_golongan=pd.DataFrame(golongan, columns=["kelompok", "jumlah"]),
        per_asn=pd.DataFrame(asn, columns=["jenis_asn", "jumlah"]),
        fungsional_jenjang=pd.DataFrame(jf, columns=["kategori", "jenjang", "jumlah"]),
    )


def _v(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value
