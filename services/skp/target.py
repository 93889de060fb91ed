"""SKP target entry: the RHK/IKI grid (one row per IKI), its validation and save, and two ways to start.

Grid contract (ui/grid.py): `grid(actor, skp_id)` gives the DataFrame the page edits (RangeIndex, `id` = IKI id,
`rhk_id` hidden). `save_rhk_grid(actor, skp_id, rows, deleted_ids)` takes the editor's changes (edited rows with
their id, new rows without) or the whole grid; rows not mentioned keep their stored values. Rows with the same
jenis and RHK text form one RHK (an empty RHK cell continues the RHK of the row above, as when pasting from
Excel). The RHK's intervened RHK pimpinan are the union of its rows' choices. An empty Target Maks means a
single target (min = max); the grid shows it empty again. Everything is validated; errors
name the row and the column as the user sees them; nothing is written on error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

import domain as rules
from db.engine import read_session
from db.models import (
    AspekIki,
    FormatSkp,
    Iki,
    JenisCascading,
    JenisRhk,
    Pegawai,
    Period,
    Perspektif,
    Polaritas,
    Rhk,
    RhkIntervensi,
    Skp,
    SkpLampiran,
)
from services.core.actor import Actor
from services.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from services.core.grid import ErrorSink, GridSpec, RowErrors, plan_grid
from services.core.uow import unit_of_work
from services.skp import common as c

MAX_TEXT = 1000
MAX_SATUAN = 60
MAX_ROWS = 300
MAX_TARGET = Decimal("99999999999999")

LABELS = {
    "jenis": "Jenis",
    "rhk_atasan": "RHK Pimpinan yang Diintervensi",
    "cascading": "Jenis Cascading",
    "rhk": "Rencana Hasil Kerja",
    "aspek": "Aspek",
    "perspektif": "Perspektif",
    "indikator": "Indikator Kinerja Individu",
    "target_min": "Target Min",
    "target_max": "Target Maks",
    "satuan": "Satuan",
    "polaritas": "Polaritas",
}
COLUMNS = {
    FormatSkp.JA_JF.value: ["id", "rhk_id", "jenis", "rhk_atasan", "cascading", "rhk", "aspek", "indikator",
                            "target_min", "target_max", "satuan", "polaritas"],
    FormatSkp.JPT.value: ["id", "rhk_id", "jenis", "rhk", "indikator", "target_min", "target_max", "satuan",
                          "polaritas", "perspektif"],
}
JENIS_OPTIONS = [j.value for j in JenisRhk]
ASPEK_OPTIONS = [a.value for a in AspekIki]
CASCADING_OPTIONS = [j.value for j in JenisCascading]
PERSPEKTIF_OPTIONS = [p.value for p in Perspektif]
POLARITAS_OPTIONS = [p.value for p in Polaritas]


def effective_polaritas(k: Iki) -> Polaritas:
    """The IKI's polarity; IKI saved before polarity was fixed on the SKP take the default by aspek/satuan."""
    if k.polaritas is not None:
        return k.polaritas
    return Polaritas(rules.default_polaritas(k.aspek.value if k.aspek else None, k.satuan))


@dataclass(frozen=True)
class ParentOption:
    id: int
    label: str  # what the grid's selectbox shows and stores: "[id] uraian"
    uraian: str
    jenis: str
    status_skp: str
    indikator: tuple[str, ...]


@dataclass(frozen=True)
class SaveResult:
    rhk: int
    iki: int


def parent_label(rhk_id: int, uraian: str) -> str:
    text = " ".join(uraian.split())
    return f"[{rhk_id}] {text[:110]}{'…' if len(text) > 110 else ''}"


_LABEL_ID = re.compile(r"^\s*\[(\d+)\]")


def _options(s: Session, skp: Skp) -> list[ParentOption]:
    parent_skp = c.penilai_skp(s, skp)
    if parent_skp is None:
        return []
    status = c.STATUS_LABEL[parent_skp.status]
    return [ParentOption(r.id, parent_label(r.id, r.uraian), r.uraian, r.jenis.value, status,
                         tuple(k.indikator for k in r.iki)) for r in parent_skp.rhk]


def parent_options(actor: Actor, skp_id: int) -> list[ParentOption]:
    """RHK of the current pejabat penilai (same period) that this SKP's RHK may intervene."""
    with read_session() as s:
        skp = c.load(s, skp_id)
        c.require_read(s, actor, skp)
        return _options(s, skp)


def _grid_rows(skp: Skp) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    jpt = skp.format == FormatSkp.JPT
    for r in skp.rhk:
        links = list(r.intervensi)
        for n, k in enumerate(r.iki):
            # every row shows a parent (row n the n-th, then the last again), so deleting a row keeps the link
            link = links[min(n, len(links) - 1)] if links else None
            row = {"id": k.id, "rhk_id": r.id, "jenis": r.jenis.value, "rhk": r.uraian, "indikator": k.indikator,
                   "target_min": float(k.target_min),
                   "target_max": None if k.target_max == k.target_min else float(k.target_max), "satuan": k.satuan,
                   "polaritas": effective_polaritas(k).value}
            if jpt:
                row["perspektif"] = r.perspektif.value if r.perspektif else None
            else:
                row["aspek"] = k.aspek.value if k.aspek else None
                row["rhk_atasan"] = None
                row["cascading"] = None
                if link is not None:
                    row["rhk_atasan"] = link.parent_rhk_id  # replaced by its label below
                    row["cascading"] = link.jenis_cascading.value
            rows.append(row)
    return rows


def grid(actor: Actor, skp_id: int) -> pd.DataFrame:
    """The grid the page edits: one row per IKI, in RHK order (Utama first)."""
    with read_session() as s:
        skp = c.load(s, skp_id)
        c.require_read(s, actor, skp)
        rows = _grid_rows(skp)
        for row in rows:
            if row.get("rhk_atasan"):
                parent = s.get(Rhk, row["rhk_atasan"])
                assert parent is not None
                row["rhk_atasan"] = parent_label(parent.id, parent.uraian)
        cols = COLUMNS[skp.format.value]
    df = pd.DataFrame(rows, columns=cols)
    return df.astype({"target_min": "float64", "target_max": "float64"}).reset_index(drop=True)


# --- parsing ----------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return " ".join(str(value).split())


def _choice(value: str, options: list[str], aliases: dict[str, str] | None = None) -> str | None:
    low = value.casefold()
    for o in options:
        if o.casefold() == low:
            return o
    if aliases and low in aliases:
        return aliases[low]
    return None


_CASCADING_ALIASES = {"direct cascading": "Direct", "non direct cascading": "Non Direct", "non-direct": "Non Direct",
                      "nondirect": "Non Direct", "non-direct cascading": "Non Direct", "langsung": "Direct",
                      "tidak langsung": "Non Direct"}
_POLARITAS_ALIASES = {"makin tinggi makin baik": "positif", "makin rendah makin baik": "negatif", "+": "positif",
                      "-": "negatif", "naik": "positif", "turun": "negatif"}
_PERSPEKTIF_ALIASES = {p.value.removeprefix("Perspektif ").casefold(): p.value for p in Perspektif}


def parse_number(value: Any) -> Decimal | None:
    """Numbers as typed or pasted: 80, 80.5, "80,5", "1.000" (Indonesian thousands), "1.000,25"."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Decimal(repr(value))
    text = str(value).strip().replace(" ", "").replace("%", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError from None
    if not d.is_finite():
        raise ValueError
    return d


@dataclass
class _Row:
    n: int  # row number the user sees
    iki_id: int | None
    jenis: JenisRhk
    rhk: str
    parent_id: int | None
    cascading: JenisCascading | None
    aspek: AspekIki | None
    perspektif: Perspektif | None
    indikator: str
    tmin: Decimal
    tmax: Decimal
    satuan: str
    polaritas: Polaritas | None = None


def _merge(current: list[dict], rows: list[dict], deleted_ids: list[int]) -> list[dict]:
    by_id = {r["id"]: dict(r, _row=n) for n, r in enumerate(current, start=1)}
    deleted = {int(i) for i in deleted_ids or []}
    unknown = [r for r in rows if r.get("id") not in (None, "") and _as_int(r.get("id")) not in by_id]
    if unknown:
        raise Conflict("Sebagian baris sudah tidak ada di SKP ini (mungkin diubah di tempat lain). "
                       "Muat ulang halaman, lalu ulangi perubahan Anda.")
    for r in rows:
        rid = _as_int(r.get("id"))
        if rid is not None:
            merged = dict(by_id[rid])
            merged.update({k: v for k, v in r.items() if k != "id"})
            by_id[rid] = merged
    out = [by_id[r["id"]] for r in current if r["id"] not in deleted]
    next_row = len(current) + 1
    new_rows = [r for r in rows if _as_int(r.get("id")) is None]
    for r in sorted(new_rows, key=lambda x: x.get("_row") or 10**9):
        row = dict(r)
        if not row.get("_row"):
            row["_row"] = next_row
        next_row = max(next_row, int(row["_row"])) + 1
        out.append(row)
    return out


def _as_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value != value:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def grid_errors(s: Session, skp: Skp) -> list[FieldError]:
    """The errors the grid's own row rules find in the stored rows of `skp` (none for a valid SKP)."""
    errs = ErrorSink(LABELS)
    options = {o.id: o for o in _options(s, skp)} if skp.format == FormatSkp.JA_JF else {}
    parser = _RowParser(skp.format, options)
    spec: GridSpec[Any] = GridSpec(labels=LABELS, noun="baris", parse=parser, create=lambda v: None, fields=())
    rows = [dict(r, _row=n) for n, r in enumerate(_grid_rows(skp), start=1)]
    plan_grid(spec, {k.id: k for r in skp.rhk for k in r.iki}, rows, (), errs)
    _groups(parser.parsed, skp.format, errs, parser.failed)
    return list(errs.items)


class _RowParser:
    """Parses the grid rows one by one in grid order (a row without RHK continues the RHK of the row above);
    rows with errors are left out of `parsed` and their RHK key goes into `failed`."""

    def __init__(self, fmt: FormatSkp, options: dict[int, ParentOption]) -> None:
        self.fmt, self.options = fmt, options
        self.parsed: list[_Row] = []
        self.failed: set[tuple[str, str]] = set()
        self.prev: _Row | None = None

    def __call__(self, raw: dict, iki: Iki | None, err: RowErrors) -> dict | None:
        row = self._row(raw, err)
        return None if row is None else {"row": row}

    def _row(self, raw: dict, err: RowErrors) -> _Row | None:
        options, prev, jpt = self.options, self.prev, self.fmt == FormatSkp.JPT
        n = int(raw.get("_row") or len(self.parsed) + 1)
        before = err.count
        rhk = _text(raw.get("rhk"))
        jenis_txt = _text(raw.get("jenis"))
        jenis = JenisRhk.UTAMA
        if jenis_txt:
            choice = _choice(jenis_txt, JENIS_OPTIONS)
            if choice is None:
                err("jenis", "harus Utama atau Tambahan")
            else:
                jenis = JenisRhk(choice)
        if not rhk:
            if prev is not None and (not jenis_txt or jenis == prev.jenis):
                rhk, jenis = prev.rhk, prev.jenis  # continues the RHK of the row above
            else:
                err("rhk", "wajib diisi")
        elif len(rhk) > MAX_TEXT:
            err("rhk", f"paling banyak {MAX_TEXT} karakter")
        indikator = _text(raw.get("indikator"))
        if not indikator:
            err("indikator", "wajib diisi")
        elif len(indikator) > MAX_TEXT:
            err("indikator", f"paling banyak {MAX_TEXT} karakter")
        satuan = _text(raw.get("satuan"))
        if not satuan:
            err("satuan", "wajib diisi (misalnya dokumen, %, laporan)")
        elif len(satuan) > MAX_SATUAN:
            err("satuan", f"paling banyak {MAX_SATUAN} karakter")
        tmin = tmax = None
        try:
            tmin = parse_number(raw.get("target_min"))
            if tmin is None:
                err("target_min", "wajib diisi dengan angka")
        except ValueError:
            err("target_min", "harus berupa angka")
        try:
            tmax = parse_number(raw.get("target_max"))
        except ValueError:
            err("target_max", "harus berupa angka")
            tmax = None
        for col, v in (("target_min", tmin), ("target_max", tmax)):
            if v is not None and (v < 0 or v > MAX_TARGET):
                err(col, "harus antara 0 dan 99.999.999.999.999")
            elif v is not None and v != v.quantize(Decimal("0.0001")):
                err(col, "paling banyak 4 angka di belakang koma")
        if tmin is not None and tmax is not None and tmin > tmax:
            err("target_max", "tidak boleh lebih kecil dari Target Min")
        aspek = perspektif = None
        parent_id = cascading = None
        pol_txt = _text(raw.get("polaritas"))
        polaritas = None
        if pol_txt:
            pol_choice = _choice(pol_txt, POLARITAS_OPTIONS, _POLARITAS_ALIASES)
            if pol_choice is None:
                err("polaritas", "harus positif (makin tinggi makin baik) atau negatif (makin rendah makin baik)")
            else:
                polaritas = Polaritas(pol_choice)
        if jpt:
            p_txt = _text(raw.get("perspektif"))
            if p_txt:
                choice = _choice(p_txt, PERSPEKTIF_OPTIONS, _PERSPEKTIF_ALIASES)
                if choice is None:
                    err("perspektif", "harus salah satu dari: " + ", ".join(PERSPEKTIF_OPTIONS))
                else:
                    perspektif = Perspektif(choice)
        else:
            a_txt = _text(raw.get("aspek"))
            if not a_txt:
                err("aspek", "wajib dipilih: " + ", ".join(ASPEK_OPTIONS))
            else:
                choice = _choice(a_txt, ASPEK_OPTIONS)
                if choice is None:
                    err("aspek", "harus salah satu dari: " + ", ".join(ASPEK_OPTIONS))
                else:
                    aspek = AspekIki(choice)
            parent_raw = raw.get("rhk_atasan")
            p_txt = _text(parent_raw)
            if p_txt:
                m = _LABEL_ID.match(p_txt)
                pid = int(m.group(1)) if m else _as_int(parent_raw)
                if pid is None or pid not in options:
                    err("rhk_atasan", "bukan RHK pejabat penilai Anda pada periode ini; pilih dari daftar")
                else:
                    parent_id = pid
            c_txt = _text(raw.get("cascading"))
            if c_txt:
                choice = _choice(c_txt, CASCADING_OPTIONS, _CASCADING_ALIASES)
                if choice is None:
                    err("cascading", "harus Direct atau Non Direct")
                else:
                    cascading = JenisCascading(choice)
                    if not p_txt:
                        err("cascading", "isi juga RHK Pimpinan yang Diintervensi pada baris ini")
            elif p_txt:
                err("cascading", "wajib dipilih (Direct atau Non Direct) bila RHK pimpinan diisi")
        if err.count == before:
            row = _Row(n, _as_int(raw.get("id")), jenis, rhk, parent_id, cascading, aspek, perspektif, indikator,
                       tmin, tmax if tmax is not None else tmin, satuan,  # type: ignore[arg-type]
                       polaritas or Polaritas(rules.default_polaritas(aspek.value if aspek else None, satuan)))
            self.parsed.append(row)
            self.prev = row
            return row
        if rhk:
            self.prev = _Row(n, None, jenis, rhk, None, None, None, None, "", Decimal(0), Decimal(0), "")
            self.failed.add(_key(jenis, rhk))
        return None


def _key(jenis: JenisRhk, text: str) -> tuple[str, str]:
    return jenis.value, text.casefold()


def _groups(parsed: list[_Row], fmt: FormatSkp, errs: ErrorSink,
            failed: set[tuple[str, str]]) -> dict[tuple[str, str], list[_Row]]:
    """Group rows into RHK and check the rules of a whole RHK (skipped for RHK with a row in error)."""
    groups: dict[tuple[str, str], list[_Row]] = {}
    for r in parsed:
        groups.setdefault(_key(r.jenis, r.rhk), []).append(r)
    for key, rows in groups.items():
        if key in failed:
            continue
        first = rows[0]
        if fmt == FormatSkp.JPT:
            values = {r.perspektif for r in rows if r.perspektif}
            if not values:
                errs.add(first.n, "perspektif", "wajib dipilih untuk setiap RHK")
            elif len(values) > 1:
                errs.add(first.n, "perspektif", "baris-baris satu RHK harus memakai perspektif yang sama")
            continue
        links: dict[int, JenisCascading] = {}
        for r in rows:
            if r.parent_id is None:
                continue
            if r.parent_id in links and links[r.parent_id] != r.cascading:
                errs.add(r.n, "cascading", "RHK pimpinan yang sama dipilih dengan jenis cascading berbeda")
            links[r.parent_id] = r.cascading  # type: ignore[assignment]
        if first.jenis == JenisRhk.UTAMA and not links:
            errs.add(first.n, "rhk_atasan", "RHK Utama wajib mengintervensi minimal satu RHK pejabat penilai")
    return groups


# --- save -------------------------------------------------------------------------------------------


def save_rhk_grid(actor: Actor, skp_id: int, rows: list[dict], deleted_ids: list[int] | None = None,
                  expected_version: int | None = None) -> SaveResult:
    """Validate the whole resulting grid and write it in one transaction, or raise ValidationFailed."""
    with unit_of_work(actor, action="skp_simpan_rhk") as s:
        skp = c.load(s, skp_id)
        c.require_owner(actor, skp)
        c.require_editable(skp)
        c.check_version(skp, expected_version)
        current = _grid_rows(skp)
        merged = _merge(current, rows or [], deleted_ids or [])
        errs = ErrorSink(LABELS)
        if len(merged) > MAX_ROWS:
            errs.add(None, "Baris", f"paling banyak {MAX_ROWS} baris indikator per SKP")
        options = {o.id: o for o in _options(s, skp)} if skp.format == FormatSkp.JA_JF else {}
        # The one grid-save path reads and checks the rows (the merged grid: every stored row not deleted);
        # the write below is per RHK group (rows regroup into RHK), so the plan's IKI rows are not applied as is.
        parser = _RowParser(skp.format, options)
        spec: GridSpec[Any] = GridSpec(labels=LABELS, noun="baris", parse=parser, create=lambda v: None, fields=())
        plan_grid(spec, {k.id: k for r in skp.rhk for k in r.iki}, merged, (), errs)
        parsed = parser.parsed
        groups = _groups(parsed, skp.format, errs, parser.failed)
        errors_sorted = sorted(errs.items, key=lambda e: (e.row or 0, e.field))
        if errors_sorted:
            raise ValidationFailed(errors_sorted)
        ordered = sorted(groups.values(), key=lambda rows: (rows[0].jenis != JenisRhk.UTAMA, rows[0].n))
        plan = _plan(skp, ordered)
        gone = [r for r in skp.rhk if r.id not in {t for t in plan if t is not None}]
        blocked = [
            FieldError(None, LABELS["rhk"], f"RHK \"{r.uraian[:60]}\" diintervensi oleh RHK bawahan sehingga "
                                            "tidak dapat dihapus atau diganti")
            for r in gone
            if s.scalar(select(RhkIntervensi.id).where(RhkIntervensi.parent_rhk_id == r.id).limit(1))
        ]
        if blocked:
            raise ValidationFailed(blocked)
        with s.no_autoflush:
            _write(skp, ordered, plan, gone)
        c.touch(skp)
        s.flush()
        return SaveResult(rhk=len(groups), iki=len(parsed))


def _plan(skp: Skp, ordered: list[list[_Row]]) -> list[int | None]:
    """For each RHK group, the id of the stored RHK it keeps (the RHK of its first stored IKI), or None (new)."""
    rhk_of_iki = {k.id: r.id for r in skp.rhk for k in r.iki}
    claimed: set[int] = set()
    plan: list[int | None] = []
    for rows in ordered:
        chosen = None
        for r in rows:
            rid = rhk_of_iki.get(r.iki_id) if r.iki_id is not None else None
            if rid is not None and rid not in claimed:
                chosen = rid
                break
        if chosen is not None:
            claimed.add(chosen)
        plan.append(chosen)
    return plan


def _write(skp: Skp, ordered: list[list[_Row]], plan: list[int | None], gone: list[Rhk]) -> None:
    rhk_by_id = {r.id: r for r in skp.rhk}
    iki_by_id = {k.id: k for r in skp.rhk for k in r.iki}
    keep_iki = {r.iki_id for rows in ordered for r in rows if r.iki_id is not None}
    r: Any  # an Rhk in the first loop below, a _Row in the second
    # 1. drop IKI rows the user deleted (from RHK that stay; RHK that go take theirs along)
    for r in skp.rhk:
        for k in list(r.iki):
            if k.id not in keep_iki:
                r.iki.remove(k)
    # 2. RHK groups in order, reusing stored RHK where planned
    for urutan, (rows, rid) in enumerate(zip(ordered, plan, strict=True), start=1):
        first = rows[0]
        target = rhk_by_id[rid] if rid is not None else Rhk()
        if rid is None:
            skp.rhk.append(target)
        target.jenis, target.uraian, target.urutan = first.jenis, first.rhk, urutan
        target.perspektif = next((r.perspektif for r in rows if r.perspektif), None)
        for n, r in enumerate(rows, start=1):
            k = iki_by_id.get(r.iki_id) if r.iki_id is not None else None
            fresh = k is None
            k = k or Iki()
            k.urutan, k.aspek, k.indikator = n, r.aspek, r.indikator
            k.target_min, k.target_max, k.satuan = r.tmin, r.tmax, r.satuan
            k.polaritas = r.polaritas
            if fresh:
                target.iki.append(k)
            elif k.rhk is not target:
                k.rhk = target  # back_populates moves it between the loaded collections
        wanted: dict[int, JenisCascading] = {}
        for r in rows:
            if r.parent_id is not None:
                wanted[r.parent_id] = r.cascading
        for link in list(target.intervensi):
            if link.parent_rhk_id not in wanted:
                target.intervensi.remove(link)
            else:
                link.jenis_cascading = wanted.pop(link.parent_rhk_id)
        for pid, jc in wanted.items():
            target.intervensi.append(RhkIntervensi(parent_rhk_id=pid, jenis_cascading=jc))
    # 3. RHK no group kept
    for r in gone:
        skp.rhk.remove(r)


# --- starting points --------------------------------------------------------------------------------


def copy_from_last_year(actor: Actor, skp_id: int) -> int:
    """Copy RHK, IKI and lampiran of the pegawai's SKP of the previous year into an empty draft.

    Links to last year's RHK pimpinan are not copied (they belong to another year): choose them again."""
    with unit_of_work(actor, action="skp_salin_tahun_lalu") as s:
        skp = c.load(s, skp_id)
        c.require_owner(actor, skp)
        c.require_editable(skp)
        if skp.rhk:
            raise c.StatusError("SKP ini sudah berisi RHK. Salin dari tahun lalu hanya untuk SKP yang masih kosong.")
        period = s.get(Period, skp.period_id)
        assert period is not None  # skp.period_id is a non-null foreign key
        prev_period = s.scalar(select(Period).where(Period.tahun == period.tahun - 1))
        source = None
        if prev_period is not None:
            source = s.scalar(select(Skp).where(Skp.pegawai_id == skp.pegawai_id, Skp.period_id == prev_period.id)
                              .order_by(Skp.segment_no.desc()).limit(1))
        if source is None or not source.rhk:
            raise NotFound("Tidak ada SKP tahun sebelumnya untuk disalin.")
        jpt = skp.format == FormatSkp.JPT
        for n, r in enumerate(source.rhk, start=1):
            new = Rhk(jenis=r.jenis, urutan=n, uraian=r.uraian, perspektif=r.perspektif if jpt else None)
            new.iki = [Iki(urutan=k.urutan, aspek=None if jpt else k.aspek, indikator=k.indikator,
                           target_min=k.target_min, target_max=k.target_max, satuan=k.satuan,
                           polaritas=k.polaritas) for k in r.iki]
            skp.rhk.append(new)
        if not skp.lampiran:
            skp.lampiran = [SkpLampiran(jenis=lp.jenis, urutan=lp.urutan, uraian=lp.uraian) for lp in source.lampiran]
        c.touch(skp)
        return len(source.rhk)


def start_from_penilai_rhk(actor: Actor, skp_id: int) -> int:
    """Add one RHK Utama (Direct cascading, IKI copied) for each RHK of the pejabat penilai not yet intervened.

    The pegawai then rewrites the text and targets for their own role. Returns the number of RHK added."""
    with unit_of_work(actor, action="skp_mulai_dari_rhk_penilai") as s:
        skp = c.load(s, skp_id)
        c.require_owner(actor, skp)
        c.require_editable(skp)
        if skp.format != FormatSkp.JA_JF:
            raise c.StatusError("SKP format JPT tidak mengintervensi RHK pimpinan; RHK JPT berasal dari "
                                "Perjanjian Kinerja.")
        parent_skp = c.penilai_skp(s, skp)
        if parent_skp is None or not parent_skp.rhk:
            penilai = c.current_penilai_id(s, skp)
            who = c.nama_lengkap(s.get(Pegawai, penilai)) if penilai else None
            raise NotFound(f"Pejabat penilai{' ' + who if who else ''} belum memiliki RHK pada periode ini."
                           if penilai else "Pejabat penilai Anda belum ditetapkan; hubungi Admin SDM.")
        done = {link.parent_rhk_id for r in skp.rhk for link in r.intervensi}
        urutan = max((r.urutan for r in skp.rhk), default=0)
        added = 0
        for p in parent_skp.rhk:
            if p.id in done or p.jenis != JenisRhk.UTAMA:
                continue
            urutan += 1
            new = Rhk(jenis=JenisRhk.UTAMA, urutan=urutan, uraian=p.uraian)
            new.iki = [Iki(urutan=n, aspek=k.aspek or AspekIki.KUANTITAS, indikator=k.indikator,
                           target_min=k.target_min, target_max=k.target_max, satuan=k.satuan,
                           polaritas=k.polaritas)
                       for n, k in enumerate(p.iki, start=1)]
            new.intervensi = [RhkIntervensi(parent_rhk_id=p.id, jenis_cascading=JenisCascading.DIRECT)]
            skp.rhk.append(new)
            added += 1
        _renumber(skp)
        c.touch(skp)
        return added


def _renumber(skp: Skp) -> None:
    ordered = sorted(skp.rhk, key=lambda r: (r.jenis != JenisRhk.UTAMA, r.urutan))
    for n, r in enumerate(ordered, start=1):
        r.urutan = n


# --- paste from Excel -------------------------------------------------------------------------------


def paste_columns(fmt: str) -> tuple[str, ...]:
    """The columns a paste holds, in the grid's order (what "Unduh Excel" writes), without the ids."""
    return tuple(col for col in COLUMNS[fmt] if col not in ("id", "rhk_id"))


def preview_paste(actor: Actor, skp_id: int, text: str):
    """Read rows pasted from Excel (tab-separated, columns `paste_columns(format)`) for the SKP RHK/IKI grid with
    the grid's own row parser, without saving anything. Returns a PastePreview: good rows as grid values (added
    to the grid as new rows, saved with the grid's Save) and every bad cell as FieldError(row, column, message).
    A row with an empty Rencana Hasil Kerja continues the RHK of the row above, as in the grid; an RHK may be typed
    as its number in the SKP (1, 2, …). A row whose RHK and indikator are stored is that row (its values carry the
    row's id: the grid lays them over it), so what grid_xlsx gives can be pasted back unchanged."""
    from services.core.grid import finish_paste, read_paste

    with read_session() as s:
        skp = c.load(s, skp_id)
        c.require_owner(actor, skp)
        c.require_editable(skp)
        fmt = skp.format
        options = {o.id: o for o in _options(s, skp)} if fmt == FormatSkp.JA_JF else {}
        ordered = sorted(skp.rhk, key=lambda r: (r.jenis != JenisRhk.UTAMA, r.urutan))
        rhk_texts = [r.uraian for r in ordered]
        stored = {(_paste_key(r.uraian), _paste_key(k.indikator)): (k.id, r.id) for r in ordered for k in r.iki}
    columns = paste_columns(fmt.value)
    preview, raws, sink = read_paste(text, columns, LABELS, {})
    parser = _RowParser(fmt, options)
    values: dict[int, dict] = {}
    for raw in raws:
        no, bad = raw["_row"], raw.pop("_bad", set())
        typed_rhk = _text(raw.get("rhk")).rstrip(".")
        if typed_rhk.isdigit() and 1 <= int(typed_rhk) <= len(rhk_texts):  # RHK by its number in the SKP
            raw["rhk"] = rhk_texts[int(typed_rhk) - 1]
        row = parser._row(raw, sink.for_row(no))
        if row is None or bad:
            continue
        iki_id, rhk_id = stored.get((_paste_key(row.rhk), _paste_key(row.indikator)), (None, None))
        v: dict[str, Any] = {"id": iki_id, "rhk_id": rhk_id, "jenis": row.jenis.value, "rhk": raw.get("rhk") or None,
                             "indikator": row.indikator, "target_min": float(row.tmin),
                             "target_max": None if row.tmax == row.tmin else float(row.tmax), "satuan": row.satuan}
        if fmt == FormatSkp.JPT:
            v["perspektif"] = row.perspektif.value if row.perspektif else None
        else:
            v["aspek"] = row.aspek.value if row.aspek else None
            v["rhk_atasan"] = options[row.parent_id].label if row.parent_id is not None else None
            v["cascading"] = row.cascading.value if row.cascading else None
        values[no] = v
    return finish_paste(preview, values, sink)


def _paste_key(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def grid_xlsx(actor: Actor, skp_id: int) -> bytes:
    """The RHK/IKI grid as Excel ("Unduh Excel"): `paste_columns(format)` under the grid's labels, so the sheet
    pasted back into "Tempel dari Excel" reads as the same rows (each recognised by its RHK and indikator)."""
    from services.core import export
    from services.core.grid import grid_table

    df = grid(actor, skp_id)
    cols = tuple(c for c in df.columns if c not in ("id", "rhk_id"))
    return export.to_excel_bytes(grid_table(df, cols, LABELS), "SKP")
