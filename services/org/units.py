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
from typing import Any, Generic, TypeVar

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
from domain import cells
from domain.nip import scientific_message
from services.core import export
from services.core.actor import Actor
from services.core.errors import Conflict, ValidationFailed
from services.core.grid import (
    ErrorSink,
    GridOutcome,
    GridPlan,
    GridSpec,
    PastePreview,
    RowErrors,
    apply_grid,
    apply_plan,
    grid_table,
    plan_grid,
    preview_by_save,
)
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
_JENJANG = {j.value for j in JenjangFungsional}
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
    """Depth-first order of (id, parent_id, urutan, kode) nodes, siblings by urutan then kode (see unit_tree)."""
    return _shape(nodes)[0]


INDENT = "\u00a0\u00a0"
"""One level of indentation in a unit list (no-break spaces: a browser keeps them, it folds ordinary ones)."""

U = TypeVar("U")


@dataclass(frozen=True)
class UnitTree(Generic[U]):
    """The unit tree, the one order every unit list uses: depth first from the root units, siblings by urutan then
    kode. `units`: the rows given, by id; `parent`: None for a root (also for a parent missing from the rows);
    `kids`: parent -> children in tree order (None -> the roots). Bad data cannot loop: a unit on a parent cycle
    follows the tree (by kode) as if it were a root, its depth counted from there."""

    units: dict[int, U]
    order: list[int]
    parent: dict[int, int | None]
    depth: dict[int, int]
    kids: dict[int | None, list[int]]

    def level(self, unit_id: int) -> int:
        return self.depth[unit_id]

    def subtree(self, unit_id: int) -> set[int]:
        return subtree(unit_id, self.kids)

    def ancestors(self, unit_id: int) -> list[int]:
        """The parent, its parent, ... up to the root (a cycle is cut)."""
        out: list[int] = []
        u = self.parent.get(unit_id)
        while u is not None and u not in out and u != unit_id:
            out.append(u)
            u = self.parent.get(u)
        return out

    def label(self, unit_id: int) -> str:
        """The unit's name indented by its depth."""
        unit: Any = self.units[unit_id]
        return INDENT * self.depth[unit_id] + str(unit.nama)

    def options(self, active_only: bool = True) -> list[tuple[int, str]]:
        """(id, name indented by depth) in tree order; inactive units left out with `active_only` (an active unit
        below an inactive one keeps its depth)."""
        return [(uid, self.label(uid)) for uid in self.order
                if not active_only or getattr(self.units[uid], "aktif", True)]

    def kids_within(self, ids: Iterable[int]) -> dict[int | None, list[int]]:
        """`kids` of the units in `ids` only, in tree order; one whose parent is not among them becomes a root
        (None), as the units of a list read to large_default_unit."""
        shown = set(ids)
        out: dict[int | None, list[int]] = {}
        for uid in self.order:
            if uid in shown:
                parent = self.parent[uid]
                out.setdefault(parent if parent in shown else None, []).append(uid)
        return out


def _shape(nodes: list[tuple[int, int | None, int, str]]
           ) -> tuple[list[int], dict[int, int | None], dict[int, int], dict[int | None, list[int]]]:
    """(order, parent, depth, kids) of (id, parent_id, urutan, kode) nodes; see UnitTree."""
    ids = {n[0] for n in nodes}
    children: dict[int | None, list[tuple[int, int | None, int, str]]] = {}
    parent: dict[int, int | None] = {}
    for n in nodes:
        parent[n[0]] = n[1] if n[1] in ids and n[1] != n[0] else None
        children.setdefault(parent[n[0]], []).append(n)
    for sibs in children.values():
        sibs.sort(key=lambda n: (n[2] or 0, n[3]))
    kids = {p: [n[0] for n in sibs] for p, sibs in children.items()}
    order: list[int] = []
    depth: dict[int, int] = {}

    def walk(start: int | None, level: int) -> None:
        stack = [(uid, level) for uid in reversed(kids.get(start, []))]
        while stack:  # iterative: a deep tree cannot hit the recursion limit
            uid, lv = stack.pop()
            if uid in depth:
                continue
            depth[uid] = lv
            order.append(uid)
            stack.extend((k, lv + 1) for k in reversed(kids.get(uid, [])))

    walk(None, 0)
    for n in sorted(nodes, key=lambda n: n[3]):  # units on a parent cycle (bad data), if any
        if n[0] not in depth:
            depth[n[0]] = 0
            order.append(n[0])
            walk(n[0], 1)
    return order, parent, depth, kids


def unit_tree(rows: Iterable[U]) -> UnitTree[U]:
    """The tree of unit rows (UnitKerja objects or rows with id, parent_id, urutan, kode, nama, aktif)."""
    by_id: dict[int, Any] = {r.id: r for r in rows}  # type: ignore[attr-defined]
    nodes = [(r.id, r.parent_id, r.urutan, r.kode) for r in by_id.values()]
    order, parent, depth, kids = _shape(nodes)
    return UnitTree(by_id, order, parent, depth, kids)


def read_tree(s: Session) -> UnitTree[Any]:
    """Every unit (id, parent_id, urutan, kode, nama, aktif) as a UnitTree, one query."""
    return unit_tree(s.execute(select(UnitKerja.id, UnitKerja.parent_id, UnitKerja.urutan, UnitKerja.kode,
                                      UnitKerja.nama, UnitKerja.aktif)).all())


def indented_options(rows: Iterable[Any], active_only: bool = True) -> list[tuple[int, str]]:
    """(unit id, name indented by depth) in tree order for a unit list; see UnitTree.options."""
    return unit_tree(rows).options(active_only)


LARGE_ORG = 500
"""Active pegawai above which an organisation-wide view (Pohon Kinerja, Monitoring Evaluasi) opens on one unit's
subtree instead of the whole organisation, and a default unit whose subtree holds more opens one level lower."""


def subtree(unit_id: int, kids: dict[int | None, list[int]]) -> set[int]:
    """The unit and every unit below it in `kids` (parent -> children; cycles in bad data are cut)."""
    out: set[int] = set()
    stack = [unit_id]
    while stack:
        u = stack.pop()
        if u not in out:
            out.add(u)
            stack.extend(kids.get(u, []))
    return out


def large_default_unit(kids: dict[int | None, list[int]], mine: int | None,
                       per_unit: dict[int | None, int] | None = None,
                       max_pegawai: int | None = None) -> int | None:
    """The unit a large organisation's view opens on. `kids`: parent -> children in the order the user sees them
    (None -> the root units); `mine`: the actor's own unit; `per_unit`: active pegawai placed directly in each unit.

    The actor's own top-level unit, else the first top-level unit (top level = below the single root unit, or the
    roots when there are several). With `max_pegawai`, a default unit whose subtree holds more active pegawai than
    that opens one level lower, repeatedly: on the child unit on the actor's own path, else the first child. The
    caller keeps every unit a choice and tells the user how to see the rest."""
    parent = {k: p for p, ks in kids.items() for k in ks}
    roots = kids.get(None, [])
    top = kids.get(roots[0], []) if len(roots) == 1 else roots
    path: list[int] = []  # the actor's unit and its ancestors
    u = mine
    while u is not None and u not in path and len(path) <= len(parent):
        path.append(u)
        u = parent.get(u)
    default = next((x for x in path if x in top), top[0] if top else None)
    if max_pegawai is not None and default is not None:
        counts = per_unit or {}

        def size(uid: int) -> int:
            return sum(int(counts.get(x, 0)) for x in subtree(uid, kids))

        while kids.get(default) and size(default) > max_pegawai:
            below = kids[default]
            default = next((k for k in below if k in path), below[0])
    return default


def active_per_unit(s: Session) -> dict[int | None, int]:
    """Active pegawai placed directly in each unit (None: without a unit), one GROUP BY."""
    return {u: int(n) for u, n in s.execute(select(Pegawai.unit_id, func.count()).where(
        Pegawai.aktif.is_(True)).group_by(Pegawai.unit_id))}


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


def _grid_result(out: GridOutcome) -> SaveResult:
    return SaveResult(out.inserted, out.updated, out.deleted)


def _nama(raw: dict, err: RowErrors) -> str:
    nama = _text(raw.get("nama"))
    if not nama:
        err("nama", "wajib diisi.")
    elif len(nama) > NAMA_MAX:
        err("nama", f"paling banyak {NAMA_MAX} karakter.")
    return nama


def _planned(plan: GridPlan) -> list[tuple[Any, dict, int | None]]:
    """(stored object or None, values, grid row) for every grid row that parsed, new rows included."""
    return ([(None, v, r) for r, v in plan.new] + [(o, v, r) for o, v, r in plan.updates]
            + [(o, v, r) for o, v, r in plan.unchanged if v is not None])


UNIT_LABELS = {"id": "ID", "kode": "Kode", "nama": "Nama", "induk": "Induk", "urutan": "Urutan", "aktif": "Aktif",
               "hapus": "Hapus"}
_UNIT_FIELDS = ("kode", "nama", "urutan", "aktif")


def save_units(actor: Actor, rows: list[dict], deleted_ids: Iterable[int] = ()) -> SaveResult:
    """Insert/update/delete units. Admin SDM only. All errors at once; nothing written on error.

    One grid-save path (services.core.grid); the tree rules (unique kode, induk exists, no cycle, no delete of a
    unit still in use) run across rows on the planned structure; the induk is set after new units exist."""
    _require_admin(actor)

    def parse(raw: dict, obj: UnitKerja | None, err: RowErrors) -> dict | None:
        kode = _text(raw.get("kode")).upper()
        if not kode:
            err("kode", "wajib diisi.")
        elif len(kode) > KODE_MAX:
            err("kode", f"paling banyak {KODE_MAX} karakter.")
        elif not KODE_RE.match(kode):
            err("kode", "hanya boleh huruf besar, angka, tanda - dan _ (tanpa spasi).")
        nama = _nama(raw, err)
        try:
            urutan = _opt_int(raw.get("urutan")) or 0
            if urutan < 0:
                raise ValueError
        except ValueError:
            err("urutan", "harus bilangan bulat 0 atau lebih.")
            urutan = 0
        # Values even when the row has errors, so the cross-row checks report on it too (nothing is saved).
        return {"kode": kode, "nama": nama, "urutan": urutan, "aktif": _bool(raw.get("aktif"), True),
                "induk": _text(raw.get("induk")).upper() or None}

    created: list[UnitKerja] = []  # built before the flush, handed out in plan order

    def create(v: dict) -> UnitKerja:
        return created.pop(0)

    def update(obj: UnitKerja, v: dict) -> None:
        for k in _UNIT_FIELDS:
            _set(obj, k, v[k])

    spec: GridSpec[UnitKerja] = GridSpec(labels=UNIT_LABELS, noun="unit kerja", parse=parse, create=create, update=update,
                    fields=_UNIT_FIELDS, status_col="hapus")

    def work(s: Session) -> SaveResult:
        existing = {u.id: u for u in s.scalars(select(UnitKerja))}
        kode_of: dict[int | None, str] = {u.id: u.kode for u in existing.values()}

        def check(plan: GridPlan, errs: ErrorSink) -> None:
            # An induk edited alone is a change too (the induk is not a column of the model).
            for item in list(plan.unchanged):
                obj, v, r = item
                if v is not None and v["induk"] != kode_of.get(obj.parent_id):
                    plan.unchanged.remove(item)
                    plan.updates.append(item)  # type: ignore[arg-type]
            gone_ids = {u.id for u in plan.deletes}
            # The structure after this save: key -> (kode, induk kode, row number or None if untouched).
            final: dict[Any, tuple[str, str | None, int | None]] = {
                u.id: (u.kode, kode_of.get(u.parent_id), None) for u in existing.values() if u.id not in gone_ids}
            planned = _planned(plan)
            for obj, v, r in planned:
                final[obj.id if obj is not None else ("new", r)] = (v["kode"], v["induk"], r)
            kode_count: dict[str, int] = {}
            for kode, _, _ in final.values():
                kode_count[kode] = kode_count.get(kode, 0) + 1
            parent_of = {kode: induk for kode, induk, _ in final.values()}
            for _obj, v, r in planned:
                kode, induk = v["kode"], v["induk"]
                if kode and KODE_RE.match(kode) and kode_count.get(kode, 0) > 1:
                    errs.add(r, "kode", f"'{kode}' sudah dipakai unit lain.")
                if induk is None:
                    continue
                if induk == kode:
                    errs.add(r, "induk", "unit tidak boleh menjadi induk dirinya sendiri.")
                elif induk not in kode_count:
                    errs.add(r, "induk", f"unit '{induk}' tidak ditemukan.")
                else:
                    path, cur = [kode], induk
                    while cur is not None and cur != kode and cur not in path[1:] and len(path) <= len(parent_of):
                        path.append(cur)
                        cur = parent_of.get(cur)
                    if cur == kode:
                        errs.add(r, "induk", "membentuk lingkaran: " + " → ".join([*path, kode]))
            used = _in_use(s, "unit_kerja", gone_ids, skip=(("unit_kerja", "parent_id"),))
            for u in plan.deletes:
                n_child = sum(1 for kode, induk, _ in final.values() if induk == u.kode and kode != u.kode)
                parts = used.get(u.id, []) + ([f"{n_child} unit bawahan"] if n_child else [])
                if parts:
                    errs.add(None, "hapus", f"unit {u.kode} tidak dapat dihapus karena masih memiliki "
                             f"{_join_parts(parts)}. Pindahkan atau hapus dulu, atau nonaktifkan unit.")

        errs = ErrorSink(spec.labels)
        plan = plan_grid(spec, existing, rows, deleted_ids or (), errs)
        check(plan, errs)
        if errs.items:
            raise ValidationFailed(errs.sorted())
        # Deletes go first (a kode may be reused in the same save); then every induk is set on the planned
        # objects (a new unit may be the induk of another) so the one flush writes (and audits) each row once.
        gone = plan.deletes
        for u in gone:
            s.delete(u)
        if gone:
            s.flush()
        plan.deletes = []
        new_objs = [UnitKerja(**{k: v[k] for k in _UNIT_FIELDS}) for _r, v in plan.new]
        by_kode = {u.kode: u for u in existing.values() if u.id not in {g.id for g in gone}}
        planned = [(obj if obj is not None else new_objs.pop(0), v) for obj, v, _r in _planned(plan)]
        created.extend(o for o, _v in planned if o.id is None)
        for obj, _v in planned:
            by_kode.pop(obj.kode if obj.id is not None else "", None)
        by_kode.update({v["kode"]: obj for obj, v in planned})
        for obj, v in planned:
            target = by_kode.get(v["induk"]) if v["induk"] else None
            if target is None:
                if obj.parent_id is not None:
                    obj.parent = None
            elif target.id is None or target.id != obj.parent_id:
                obj.parent = target
        out = apply_plan(s, spec, plan)
        return SaveResult(out.inserted, out.updated, len(gone))

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


TIM_LABELS = {"id": "ID", "nama": "Nama", "unit": "Unit", "ketua": "Ketua", "deskripsi": "Deskripsi",
              "aktif": "Aktif", "hapus": "Hapus"}


def save_tim(actor: Actor, rows: list[dict], deleted_ids: Iterable[int] = ()) -> SaveResult:
    """Insert/update/delete tim kerja. Admin SDM only. A tim that still has members cannot be deleted."""
    _require_admin(actor)
    rows = list(rows)

    def work(s: Session) -> SaveResult:
        existing = {t.id: t for t in s.scalars(select(TimKerja))}
        unit_ids = dict(s.execute(select(UnitKerja.kode, UnitKerja.id)).all())
        nips = {re.sub(r"\s", "", _text(r.get("ketua"))) for r in rows} - {""}
        pegawai = {p.nip: p for p in s.execute(select(Pegawai.id, Pegawai.nip, Pegawai.aktif)
                                               .where(Pegawai.nip.in_(nips))).all()} if nips else {}

        def parse(raw: dict, obj: TimKerja | None, err: RowErrors) -> dict | None:
            nama = _nama(raw, err)
            unit = _text(raw.get("unit")).upper()
            if not unit:
                err("unit", "wajib diisi.")
            elif unit not in unit_ids:
                err("unit", f"unit '{unit}' tidak ditemukan.")
            nip = re.sub(r"\s", "", _text(raw.get("ketua")))
            ketua_id = None
            if nip:
                p = pegawai.get(nip)
                if p is None:
                    err("ketua", scientific_message(nip) or f"pegawai dengan NIP {nip} tidak ditemukan.")
                elif not p.aktif:
                    err("ketua", f"pegawai dengan NIP {nip} tidak aktif.")
                else:
                    ketua_id = p.id
            return {"nama": nama, "unit_id": unit_ids.get(unit), "ketua_id": ketua_id,
                    "deskripsi": _text(raw.get("deskripsi")) or None, "aktif": _bool(raw.get("aktif"), True)}

        def check(plan: GridPlan, errs: ErrorSink) -> None:
            gone_ids = {t.id for t in plan.deletes}
            final: dict[Any, str] = {t.id: t.nama.strip().casefold() for t in existing.values()
                                     if t.id not in gone_ids}
            planned = _planned(plan)
            for obj, v, r in planned:
                final[obj.id if obj is not None else ("new", r)] = v["nama"].casefold()
            counts: dict[str, int] = {}
            for nama in final.values():
                counts[nama] = counts.get(nama, 0) + 1
            for _obj, v, r in planned:
                if v["nama"] and counts.get(v["nama"].casefold(), 0) > 1:
                    errs.add(r, "nama", f"tim '{v['nama']}' sudah ada.")
            n_member = _count_by(s, Pegawai.tim_id, gone_ids)
            used = _in_use(s, "tim_kerja", gone_ids)
            for t in plan.deletes:
                parts = ([f"{n_member[t.id]} anggota"] if n_member.get(t.id) else []) + used.get(t.id, [])
                if parts:
                    errs.add(None, "hapus", f"tim '{t.nama}' tidak dapat dihapus karena masih memiliki "
                             f"{_join_parts(parts)}. Pindahkan anggotanya dulu, atau nonaktifkan tim.")

        spec: GridSpec[TimKerja] = GridSpec(labels=TIM_LABELS, noun="tim kerja", parse=parse, create=lambda v: TimKerja(**v),
                        status_col="hapus")
        return _grid_result(apply_grid(s, spec, existing, rows, deleted_ids or (), check=check))

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


JABATAN_LABELS = {"id": "ID", "nama": "Nama", "jenis": "Jenis", "kategori": "Kategori", "jenjang": "Jenjang",
                  "kelas_jabatan": "Kelas jabatan", "unit": "Unit", "pimpinan_unit": "Pimpinan unit",
                  "koefisien_ak": "Koefisien AK", "aktif": "Aktif", "hapus": "Hapus"}


def save_jabatan(actor: Actor, rows: list[dict], deleted_ids: Iterable[int] = ()) -> SaveResult:
    """Insert/update/delete jabatan. Admin SDM only. A jabatan held by a pegawai cannot be deleted."""
    _require_admin(actor)
    jenis_values = {j.value for j in JenisJabatan}

    def work(s: Session) -> SaveResult:
        existing = {j.id: j for j in s.scalars(select(Jabatan))}
        unit_ids = dict(s.execute(select(UnitKerja.kode, UnitKerja.id)).all())
        kode_of = {v: k for k, v in unit_ids.items()}

        def parse(raw: dict, obj: Jabatan | None, err: RowErrors) -> dict | None:
            nama = _nama(raw, err)
            jenis = _text(raw.get("jenis"))
            if not jenis:
                err("jenis", "wajib diisi.")
            elif jenis not in jenis_values:
                err("jenis", f"'{jenis}' tidak dikenal (pilih: {', '.join(jenis_values)}).")
            kategori, jenjang = _text(raw.get("kategori")) or None, _text(raw.get("jenjang")) or None
            if jenis == JenisJabatan.FUNGSIONAL.value:
                if kategori is None:
                    err("kategori", "wajib diisi untuk jabatan fungsional.")
                elif kategori not in JENJANG_BY_KATEGORI:
                    err("kategori", f"'{kategori}' tidak dikenal (Keahlian/Keterampilan).")
                if jenjang is None:
                    err("jenjang", "wajib diisi untuk jabatan fungsional.")
                elif kategori in JENJANG_BY_KATEGORI and jenjang not in JENJANG_BY_KATEGORI[kategori]:
                    err("jenjang", f"'{jenjang}' bukan jenjang kategori {kategori} "
                        f"({', '.join(JENJANG_BY_KATEGORI[kategori])}).")
            elif jenis:
                if kategori is not None:
                    err("kategori", "hanya diisi untuk jabatan fungsional.")
                if jenjang is not None:
                    err("jenjang", "hanya diisi untuk jabatan fungsional.")
            try:
                kelas = _opt_int(raw.get("kelas_jabatan"))
                if kelas is not None and not KELAS_MIN <= kelas <= KELAS_MAX:
                    raise ValueError
            except ValueError:
                err("kelas_jabatan", f"harus bilangan bulat {KELAS_MIN} sampai {KELAS_MAX}.")
                kelas = None
            unit = _text(raw.get("unit")).upper() or None
            if unit is not None and unit not in unit_ids:
                err("unit", f"unit '{unit}' tidak ditemukan.")
            pimpinan = _bool(raw.get("pimpinan_unit"), False)
            if pimpinan and unit is None:
                err("pimpinan_unit", "jabatan pimpinan unit harus memiliki unit.")
            try:
                koef = _koefisien(raw.get("koefisien_ak"))
            except ValueError as e:
                err("koefisien_ak", str(e))
                koef = None
            return {"nama": nama, "jenis": JenisJabatan(jenis) if jenis in jenis_values else None,
                    "kategori": KategoriFungsional(kategori) if kategori in JENJANG_BY_KATEGORI else None,
                    "jenjang": JenjangFungsional(jenjang) if jenjang in _JENJANG else None,
                    "kelas_jabatan": kelas, "unit_id": unit_ids.get(unit) if unit else None,
                    "pimpinan_unit": pimpinan, "koefisien_ak": koef, "aktif": _bool(raw.get("aktif"), True)}

        def check(plan: GridPlan, errs: ErrorSink) -> None:
            gone_ids = {j.id for j in plan.deletes}
            final: dict[Any, tuple[str, str | None]] = {
                j.id: (j.nama.strip().casefold(), kode_of.get(j.unit_id))  # type: ignore[arg-type]
                for j in existing.values() if j.id not in gone_ids}
            planned = _planned(plan)
            for obj, v, r in planned:
                final[obj.id if obj is not None else ("new", r)] = (v["nama"].casefold(), kode_of.get(v["unit_id"]))
            counts: dict[tuple, int] = {}
            for key in final.values():
                counts[key] = counts.get(key, 0) + 1
            for _obj, v, r in planned:
                unit = kode_of.get(v["unit_id"])
                if v["nama"] and counts.get((v["nama"].casefold(), unit), 0) > 1:
                    where = f"unit {unit}" if unit else "tanpa unit"
                    errs.add(r, "nama", f"jabatan '{v['nama']}' sudah ada di {where}.")
            used = _in_use(s, "jabatan", gone_ids)
            for j in plan.deletes:
                if used.get(j.id):
                    errs.add(None, "hapus", f"jabatan '{j.nama}' tidak dapat dihapus karena masih dipakai oleh "
                             f"{_join_parts(used[j.id])}. Ganti jabatan pegawai dulu, atau nonaktifkan jabatan.")

        spec: GridSpec[Jabatan] = GridSpec(labels=JABATAN_LABELS, noun="jabatan", parse=parse, create=lambda v: Jabatan(**v),
                        status_col="hapus")
        return _grid_result(apply_grid(s, spec, existing, rows, deleted_ids or (), check=check))

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

        jenis_rows: dict[Any, int] = dict(s.execute(
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
        gol_rows: dict[str, int] = dict(s.execute(select(group, func.count(Pegawai.id)).where(active).group_by(group)).all())

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
    asn: list[dict[str, Any]] = [{"jenis_asn": a.value, "jumlah": asn_rows.get(a.value, 0)} for a in JenisASN]
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


# --- paste from Excel (preview through the save path) and the grid as Excel -------------------------------------

UNIT_PASTE_COLUMNS = ("kode", "nama", "induk", "urutan", "aktif")
TIM_PASTE_COLUMNS = ("nama", "unit", "ketua", "deskripsi", "aktif")
JABATAN_PASTE_COLUMNS = ("nama", "jenis", "kategori", "jenjang", "kelas_jabatan", "unit", "pimpinan_unit",
                         "koefisien_ak", "aktif")


def _int_reader(value: str) -> int | None:
    return cells.to_int(value)


def _float_reader(value: str) -> float | None:
    d = cells.to_decimal(value)
    return None if d is None else float(d)


def _flag_reader(default: bool):
    def read(value: str) -> bool:
        b = cells.to_bool(value)
        return default if b is None else b
    return read


def _records(df: pd.DataFrame) -> list[dict]:
    """The grid's rows as plain values (None for a missing cell), as the grid sends them to the save path."""
    return [{k: _plain(v) for k, v in r.items()} for r in df.to_dict("records")]


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, str | bytes | list | dict) and pd.isna(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return _v(value)


def preview_paste_units(actor: Actor, text: str) -> PastePreview:
    """Rows pasted from Excel onto the Unit Kerja grid (UNIT_PASTE_COLUMNS; a header line is recognised), checked by
    the save path without writing: a row whose Kode exists updates that unit, others are new units."""
    _require_admin(actor)
    return preview_by_save(text, UNIT_PASTE_COLUMNS, UNIT_LABELS,
                           {"urutan": _int_reader, "aktif": _flag_reader(True)},
                           lambda rows: save_units(actor, rows), key="kode", existing=_records(units_df(actor)))


def preview_paste_tim(actor: Actor, text: str) -> PastePreview:
    """Rows pasted onto the Tim Kerja grid (TIM_PASTE_COLUMNS; Unit = kode unit, Ketua = NIP), checked by the save
    path without writing: a row whose Nama exists updates that tim."""
    _require_admin(actor)
    return preview_by_save(text, TIM_PASTE_COLUMNS, TIM_LABELS, {"aktif": _flag_reader(True)},
                           lambda rows: save_tim(actor, rows), key="nama", existing=_records(tim_df(actor)))


def preview_paste_jabatan(actor: Actor, text: str) -> PastePreview:
    """Rows pasted onto the Jabatan grid (JABATAN_PASTE_COLUMNS; Unit = kode unit), checked by the save path
    without writing: a row whose Nama and Unit exist updates that jabatan."""
    _require_admin(actor)
    return preview_by_save(text, JABATAN_PASTE_COLUMNS, JABATAN_LABELS,
                           {"kelas_jabatan": _int_reader, "koefisien_ak": _float_reader,
                            "pimpinan_unit": _flag_reader(False), "aktif": _flag_reader(True)},
                           lambda rows: save_jabatan(actor, rows), key=("nama", "unit"),
                           existing=_records(jabatan_df(actor)))


def grid_xlsx(actor: Actor, which: str) -> bytes:
    """The Unit Kerja, Tim Kerja or Jabatan grid as Excel ("Unduh Excel"): the paste columns under their labels,
    ya/tidak for flags, so the sheet can be edited and pasted back into "Tempel dari Excel" unchanged."""
    frames = {"unit": (units_df, UNIT_PASTE_COLUMNS, UNIT_LABELS), "tim": (tim_df, TIM_PASTE_COLUMNS, TIM_LABELS),
              "jabatan": (jabatan_df, JABATAN_PASTE_COLUMNS, JABATAN_LABELS)}
    read, columns, labels = frames[which]
    return export.to_excel_bytes(grid_table(read(actor), columns, labels), labels.get(which, which.title()))
