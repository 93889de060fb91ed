"""Views for the pages "Pohon Kinerja (Cascading)" and "Monitoring SKP", built on services/skp_report.

skp_report computes the data and checks who may see it (cascade_tree, monitoring). This module shapes that
data for reading: the IKI of every RHK in the tree, gap counts, the "only problems" filter, a readable flat
table, the deadline in words, and formula-safe Excel exports (services.export).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import select

from db.engine import read_session
from db.models import Iki, Rhk, Skp
from services.core import clock, export, fmt
from services.core.actor import Actor
from services.org import units as org_units
from services.skp import read as skp_report
from services.skp.common import BELUM_DIBUAT, STATUS_LABEL
from services.skp.read import GAP_NO_PARENT, GAP_NOT_INTERVENED, CascadeNode, CascadeRhk

GAP_KINDS = (GAP_NOT_INTERVENED, GAP_NO_PARENT)
STATUS_ORDER = (BELUM_DIBUAT, *STATUS_LABEL.values())
NO_UNIT = "(tanpa unit)"


# --- cascade tree -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RhkRef:
    """An RHK as the tree shows it when referred to from another person's RHK."""

    pegawai: str
    jenis: str
    nomor: str
    uraian: str

    @property
    def label(self) -> str:
        return f"{self.pegawai}: RHK {self.jenis} {self.nomor}. {self.uraian}"


@dataclass(frozen=True)
class CascadeView:
    """The tree of a period as the actor may see it, with IKI texts and references to resolve RHK ids."""

    nodes: list[CascadeNode]
    iki: dict[int, list[str]]  # rhk id -> "[aspek] indikator: target satuan"
    refs: dict[int, RhkRef]  # rhk id -> owner, jenis, nomor, uraian (every RHK in the tree)
    outside: dict[int, str]  # parent RHK outside the visible tree (e.g. the reviewer's own penilai) -> uraian

    def ref(self, rhk_id: int) -> str:
        if rhk_id in self.refs:
            return self.refs[rhk_id].label
        return self.outside.get(rhk_id, f"RHK #{rhk_id}")


@dataclass(frozen=True)
class CascadeSummary:
    pegawai: int
    tanpa_skp: int
    rhk: int
    belum_diintervensi: int
    tanpa_induk: int

    @property
    def celah(self) -> int:
        return self.belum_diintervensi + self.tanpa_induk


def walk(nodes: list[CascadeNode], level: int = 1):
    """(level, node) for every node, depth first in display order."""
    for n in nodes:
        yield level, n
        yield from walk(list(n.children), level + 1)


def has_gap(r: CascadeRhk, kind: str | None = None) -> bool:
    if not r.celah:
        return False
    return kind is None or kind in r.celah.split("; ")


CASCADE_LARGE = org_units.LARGE_ORG  # active pegawai above which the tree opens on one unit, not the whole organisation


def cascade_units(actor: Actor) -> tuple[list[tuple[int, str]], int | None, bool]:
    """The page's Unit Kerja choices (id, indented name), the default unit, and whether the organisation is
    large (the default is then that unit, else "Semua unit"; a unit of more than CASCADE_LARGE pegawai opens
    one level lower, see skp_report.cascade_units). Leaders only; others get ([], None, False)."""
    units, default, count = skp_report.cascade_units(actor, CASCADE_LARGE)
    return units, default, count > CASCADE_LARGE


def cascade_view(actor: Actor, period_id: int, today: dt.date | None = None,
                 unit_id: int | None = None) -> CascadeView:
    """skp_report.cascade_tree (which decides what the actor may see; `unit_id`: one unit's subtree) plus the
    IKI of the RHK it returned."""
    nodes = skp_report.cascade_tree(actor, period_id, today, unit_id)
    refs: dict[int, RhkRef] = {}
    for _, n in walk(nodes):
        for r in n.rhk:
            refs[r.id] = RhkRef(n.nama, r.jenis, r.nomor, r.uraian)
    iki: dict[int, list[str]] = {rid: [] for rid in refs}
    if refs:
        with read_session() as s:
            # a long id list costs more to send and plan than the period's other rows it would leave out
            # (one unit's subtree: the RHK of its SKP by skp_id, not the whole period's)
            skp_ids = sorted({n.skp_id for _, n in walk(nodes) if n.skp_id is not None})
            which = (Iki.rhk_id.in_(list(refs)) if len(refs) <= 1000 else
                     Iki.rhk_id.in_(select(Rhk.id).where(Rhk.skp_id.in_(skp_ids))) if unit_id is not None else
                     Iki.rhk_id.in_(select(Rhk.id).join(Skp, Skp.id == Rhk.skp_id).where(Skp.period_id == period_id)))
            rows = s.execute(select(Iki.rhk_id, Iki.aspek, Iki.indikator, Iki.target_min, Iki.target_max, Iki.satuan)
                             .where(which).order_by(Iki.rhk_id, Iki.urutan, Iki.id)).all()
        texts: dict[tuple, str] = {}  # the same IKI wording and target recur across a large office
        for rid, aspek, indikator, tmin, tmax, satuan in rows:
            if rid in iki:
                key = (aspek, indikator, str(tmin), str(tmax), satuan)
                if key not in texts:
                    texts[key] = iki_text(aspek.value if aspek else None, indikator, tmin, tmax, satuan)
                iki[rid].append(texts[key])
    missing = sorted({p for _, n in walk(nodes) for r in n.rhk for p in r.parent_ids if p not in refs})
    outside = skp_report.rhk_lookup(actor, missing) if missing else {}
    return CascadeView(nodes, iki, refs, outside)


def _num(x: Decimal | float | int | None) -> str:
    if x is None:
        return "-"
    d = Decimal(str(x))
    return fmt.angka(d.normalize() if d == d.to_integral_value() else d)


def iki_text(aspek: str | None, indikator: str, tmin, tmax, satuan: str) -> str:
    target = _num(tmin) if tmax is None or tmin == tmax else f"{_num(tmin)}–{_num(tmax)}"
    return f"{f'[{aspek}] ' if aspek else ''}{indikator}: {target} {satuan}".strip()


def summarize(nodes: list[CascadeNode]) -> CascadeSummary:
    people = [n for _, n in walk(nodes)]
    rhk = [r for n in people for r in n.rhk]
    return CascadeSummary(
        pegawai=len(people), tanpa_skp=sum(1 for n in people if n.skp_id is None), rhk=len(rhk),
        belum_diintervensi=sum(1 for r in rhk if has_gap(r, GAP_NOT_INTERVENED)),
        tanpa_induk=sum(1 for r in rhk if has_gap(r, GAP_NO_PARENT)))


def only_problems(nodes: list[CascadeNode]) -> list[CascadeNode]:
    """The tree pruned to RHK with a gap and the people on the way to them; people without an SKP count as a
    problem too (their RHK cannot be cascaded)."""
    out: list[CascadeNode] = []
    for n in nodes:
        kids = only_problems(list(n.children))
        rhk = tuple(r for r in n.rhk if r.celah)
        if rhk or kids or n.skp_id is None:
            out.append(dataclasses.replace(n, rhk=rhk, children=tuple(kids)))
    return out


def gaps_per_unit(nodes: list[CascadeNode]) -> pd.DataFrame:
    """Number of RHK with each kind of gap per unit kerja (for a chart); only units with gaps."""
    rows: dict[tuple[str, str], int] = {}
    for _, n in walk(nodes):
        for r in n.rhk:
            for kind in GAP_KINDS:
                if has_gap(r, kind):
                    key = (n.unit or NO_UNIT, kind)
                    rows[key] = rows.get(key, 0) + 1
    return pd.DataFrame([{"unit": u, "celah": k, "jumlah": v} for (u, k), v in sorted(rows.items())],
                        columns=["unit", "celah", "jumlah"])


CASCADE_COLUMNS = {
    "tingkat": "Tingkat", "pegawai": "Pegawai", "jabatan": "Jabatan", "unit": "Unit Kerja",
    "status_skp": "Status SKP", "jenis": "Jenis RHK", "nomor": "No.", "rhk": "Rencana Hasil Kerja",
    "iki": "Indikator Kinerja Individu", "rhk_atasan": "RHK Pimpinan yang Diintervensi",
    "diintervensi_oleh": "Diintervensi oleh", "celah": "Celah",
}


def cascade_frame(view: CascadeView, nodes: list[CascadeNode] | None = None) -> pd.DataFrame:
    """The tree flattened like skp_report.cascade_table, with unit, IKI and the RHK above and below as text
    instead of ids. `nodes` defaults to the whole view (pass only_problems(...) for the filtered table)."""
    rows: list[dict] = []
    for level, n in walk(view.nodes if nodes is None else nodes):
        base = {"tingkat": level, "pegawai": n.nama, "jabatan": n.jabatan, "unit": n.unit, "status_skp": n.status}
        if not n.rhk:
            rows.append(base | {k: None for k in ("jenis", "nomor", "rhk", "iki", "rhk_atasan",
                                                  "diintervensi_oleh", "celah")})
        for r in n.rhk:
            below = sorted({view.refs[c].pegawai for c in r.child_ids if c in view.refs})
            rows.append(base | {
                "jenis": r.jenis, "nomor": r.nomor, "rhk": r.uraian, "iki": "\n".join(view.iki.get(r.id, [])) or None,
                "rhk_atasan": "\n".join(view.ref(p) for p in r.parent_ids) or None,
                "diintervensi_oleh": ", ".join(below) or None, "celah": r.celah})
    return pd.DataFrame(rows, columns=list(CASCADE_COLUMNS))


def cascade_xlsx(view: CascadeView, nodes: list[CascadeNode] | None = None) -> bytes:
    """The flat cascade table as a formula-safe Excel workbook with Indonesian headers."""
    return export.to_excel_bytes(cascade_frame(view, nodes).rename(columns=CASCADE_COLUMNS), "Pohon Kinerja")


# --- monitoring -------------------------------------------------------------------------------------


def deadline_text(batas: dt.date, today: dt.date | None = None) -> tuple[str, bool]:
    """('… hari lagi' | 'hari ini' | 'lewat … hari', overdue?) for the SKP deadline."""
    today = today or clock.today()
    days = (batas - today).days
    if days > 0:
        return f"{days} hari lagi", False
    if days == 0:
        return "hari ini", False
    return f"lewat {-days} hari", True


def status_per_unit(tabel: pd.DataFrame) -> pd.DataFrame:
    """Count of pegawai per unit and SKP status (long format for a stacked bar), statuses in workflow order."""
    if tabel.empty:
        return pd.DataFrame(columns=["unit", "status", "jumlah"])
    df = tabel.assign(unit=tabel["unit"].fillna(NO_UNIT))
    out = df.groupby(["unit", "status"]).size().rename("jumlah").reset_index()
    out["urutan"] = out["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    return out.sort_values(["unit", "urutan"]).drop(columns="urutan").reset_index(drop=True)


MONITORING_HEADERS = {
    "nama": "Nama", "nip": "NIP", "jabatan": "Jabatan", "unit": "Unit Kerja", "pejabat_penilai": "Pejabat Penilai",
    "status": "Status SKP", "segmen": "Segmen", "diajukan": "Diajukan", "disetujui": "Disetujui",
    "terlambat": "Melewati Batas",
}


def monitoring_frame(tabel: pd.DataFrame) -> pd.DataFrame:
    """The monitoring table with Indonesian headers (as shown and exported)."""
    df = tabel.drop(columns=["pegawai_id"]).rename(columns=MONITORING_HEADERS)
    df["Melewati Batas"] = df["Melewati Batas"].map({True: "Ya", False: "Tidak"})
    return df


def monitoring_xlsx(actor: Actor, period_id: int, today: dt.date | None = None, *,
                    units: Sequence[str] = (), statuses: Sequence[str] = ()) -> bytes:
    """skp_report.monitoring as a formula-safe workbook, optionally filtered like the page's table. Same
    permission rules as skp_report.monitoring."""
    return monitoring_workbook(skp_report.monitoring(actor, period_id, today), units=units, statuses=statuses)


def monitoring_workbook(m: skp_report.Monitoring, *, units: Sequence[str] = (), statuses: Sequence[str] = ()) -> bytes:
    """An already computed monitoring result as an Excel workbook: text cells a spreadsheet would evaluate as a
    formula are neutralised (services.export)."""
    tabel = filter_monitoring(m.tabel, units=units, statuses=statuses)
    return export.to_excel_bytes(monitoring_frame(tabel), f"SKP {m.tahun}")


def filter_monitoring(tabel: pd.DataFrame, *, units: Sequence[str] = (), statuses: Sequence[str] = ()) -> pd.DataFrame:
    """Rows of the chosen units and statuses (an empty choice means all)."""
    out = tabel
    if units:
        out = out[out["unit"].fillna(NO_UNIT).isin(list(units))]
    if statuses:
        out = out[out["status"].isin(list(statuses))]
    return out.reset_index(drop=True)
