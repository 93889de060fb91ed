"""SK Tim Penyusun Laporan Kinerja (SOP 001 steps 1–2): the Kepala's instruction (Nota Dinas) to form the team,
then the SK that forms it — number, date, members with their roles, and the signed scan — per year.

Recorded by the Kepala, the Kasubbag ADUM (who issues and distributes the SK) or the Admin SDM. Once the SK has a
number and a date, its members hold the Petugas Perencana rights for that year's Perjanjian Kinerja, kertas
kerja and reports (services.kinerja.common.is_perencana_for; the navigation shows them the Perencana pages while
the SK is in force).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import read_session
from db.models import AnggotaTimPenyusun, Pegawai, Role, SkTimPenyusun
from domain.cells import CellError, to_date, to_text
from domain.nip import scientific_message
from services.core import clock
from services.core.actor import Actor
from services.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from services.core.uow import unit_of_work
from services.kinerja.common import MAX_TEKS, is_kasubbag, require_read

PERAN = ("Pengarah", "Penanggung Jawab", "Ketua", "Sekretaris", "Anggota")
ANGGOTA_COLS = ["Pegawai", "Peran"]
MAX_SCAN = 10 * 1024 * 1024
SCAN_TYPES = (".pdf", ".png", ".jpg", ".jpeg")


def _require_recorder(s: Session, actor: Actor) -> None:
    if not (actor.has(Role.KEPALA_SATKER, Role.ADMIN_SDM) or is_kasubbag(s, actor)):
        raise PermissionDenied("Hanya Kepala, Kasubbag ADUM, atau Admin SDM yang dapat mencatat arahan dan SK Tim "
                               "Penyusun Laporan Kinerja.")


def can_record(actor: Actor) -> bool:
    with read_session() as s:
        return actor.has(Role.KEPALA_SATKER, Role.ADMIN_SDM) or is_kasubbag(s, actor)


def _label(p: Pegawai) -> str:
    return f"{p.nama_lengkap} ({p.nip})"


def pegawai_options(actor: Actor) -> list[str]:
    """Active pegawai as the member column shows them: 'Nama (NIP)'."""
    with read_session() as s:
        if not (actor.has(Role.KEPALA_SATKER, Role.ADMIN_SDM) or is_kasubbag(s, actor)):
            require_read(s, actor)
        return [_label(p) for p in s.scalars(select(Pegawai).where(Pegawai.aktif).order_by(Pegawai.nama))]


def get(actor: Actor, tahun: int) -> dict[str, Any] | None:
    """The year's instruction and SK with its members (None when nothing is recorded)."""
    with read_session() as s:
        if not (actor.has(Role.ADMIN_SDM) or is_kasubbag(s, actor)):
            require_read(s, actor)
        sk = s.scalar(select(SkTimPenyusun).where(SkTimPenyusun.tahun == tahun))
        if sk is None:
            return None
        members = [{"Pegawai": _label(s.get(Pegawai, a.pegawai_id)), "Peran": a.peran}  # type: ignore[arg-type]
                   for a in sk.anggota]
        return {"tahun": sk.tahun, "arahan_nomor": sk.arahan_nomor, "arahan_tanggal": sk.arahan_tanggal,
                "arahan_isi": sk.arahan_isi, "nomor": sk.nomor, "tanggal": sk.tanggal, "scan_nama": sk.scan_nama,
                "berlaku": bool(sk.nomor and sk.tanggal),
                "anggota": pd.DataFrame(members, columns=ANGGOTA_COLS).astype(object)}


def _sk(s: Session, tahun: int) -> SkTimPenyusun:
    sk = s.scalar(select(SkTimPenyusun).where(SkTimPenyusun.tahun == tahun))
    if sk is None:
        sk = SkTimPenyusun(tahun=tahun)
        s.add(sk)
        s.flush()
    return sk


def _date(errors: list[FieldError], field: str, value: Any, required: bool) -> dt.date | None:
    try:
        d = to_date(value) if not isinstance(value, dt.date) else value
    except CellError as e:
        errors.append(FieldError(None, field, e.message))
        return None
    if d is None and required:
        errors.append(FieldError(None, field, "wajib diisi"))
    elif d is not None and d > clock.today():
        errors.append(FieldError(None, field, "tidak boleh di masa depan"))
    return d


def _text(errors: list[FieldError], field: str, value: Any, max_len: int, required: bool) -> str | None:
    try:
        return to_text(value, max_len=max_len, required=required)
    except CellError as e:
        errors.append(FieldError(None, field, e.message))
        return None


def save_arahan(actor: Actor, tahun: int, nomor: Any, tanggal: Any, isi: Any) -> None:
    """Step 1: the Kepala's Nota Dinas instructing the Kasubbag ADUM to form the Tim Penyusun."""
    errors: list[FieldError] = []
    nomor_t = _text(errors, "Nomor Nota Dinas", nomor, 100, True)
    tgl = _date(errors, "Tanggal Nota Dinas", tanggal, True)
    isi_t = _text(errors, "Isi arahan", isi, MAX_TEKS, False)
    with unit_of_work(actor, action="arahan_tim_penyusun") as s:
        _require_recorder(s, actor)
        if errors:
            raise ValidationFailed(errors)
        sk = _sk(s, tahun)
        sk.arahan_nomor, sk.arahan_tanggal, sk.arahan_isi = nomor_t, tgl, isi_t


def _parse_members(s: Session, rows: list[dict]) -> tuple[list[tuple[int, str]], list[FieldError]]:
    by_nip = {p.nip: p for p in s.scalars(select(Pegawai).where(Pegawai.aktif))}
    errors: list[FieldError] = []
    out: list[tuple[int, str]] = []
    seen: set[int] = set()
    for n, raw in enumerate(rows, start=1):
        who = raw.get("Pegawai")
        peran = raw.get("Peran")
        who_t = None if who is None or (isinstance(who, float) and who != who) else str(who).strip()
        peran_t = None if peran is None or (isinstance(peran, float) and peran != peran) else str(peran).strip()
        if not who_t and not peran_t:
            continue
        e0 = len(errors)
        pid = None
        if not who_t:
            errors.append(FieldError(n, "Pegawai", "wajib diisi"))
        else:
            m = re.search(r"(\d{18})", who_t)
            p = by_nip.get(m.group(1)) if m else None
            if p is None:
                errors.append(FieldError(n, "Pegawai", f"'{who_t}' bukan pegawai aktif (tulis nama dan NIP 18 "
                                         "digit)"))
            else:
                pid = p.id
        match = next((r for r in PERAN if peran_t and r.lower() == peran_t.lower()), None)
        if match is None:
            errors.append(FieldError(n, "Peran", ("wajib diisi" if not peran_t else f"'{peran_t}' tidak dikenal")
                                     + "; pilih salah satu: " + ", ".join(PERAN)))
        if pid is not None and pid in seen:
            errors.append(FieldError(n, "Pegawai", "tercantum dua kali"))
        if len(errors) == e0 and pid is not None and match is not None:
            seen.add(pid)
            out.append((pid, match))
    return out, errors


def save_sk(actor: Actor, tahun: int, nomor: Any, tanggal: Any, anggota: pd.DataFrame | list[dict]) -> int:
    """Step 2: the SK Tim Penyusun (number, date) and its members with roles, replacing the members recorded
    before. All or nothing; member errors name the row. Returns the number of members."""
    errors: list[FieldError] = []
    nomor_t = _text(errors, "Nomor SK", nomor, 100, True)
    tgl = _date(errors, "Tanggal SK", tanggal, True)
    if tgl is not None and tgl.year not in (tahun - 1, tahun):
        errors.append(FieldError(None, "Tanggal SK", f"SK untuk tahun {tahun} ditetapkan pada tahun {tahun - 1} "
                                 f"atau {tahun}"))
    rows = anggota.to_dict("records") if isinstance(anggota, pd.DataFrame) else list(anggota or [])
    with unit_of_work(actor, action="sk_tim_penyusun") as s:
        _require_recorder(s, actor)
        members, member_errors = _parse_members(s, rows)
        errors += member_errors
        if not members and not member_errors:
            errors.append(FieldError(None, "Anggota", "isi paling sedikit satu anggota Tim Penyusun"))
        if errors:
            raise ValidationFailed(errors)
        sk = _sk(s, tahun)
        sk.nomor, sk.tanggal = nomor_t, tgl
        current = {a.pegawai_id: a for a in sk.anggota}
        keep = {pid for pid, _ in members}
        for pid, a in current.items():
            if pid not in keep:
                sk.anggota.remove(a)
        for i, (pid, peran) in enumerate(members):
            member = current.get(pid)
            if member is None:
                sk.anggota.append(AnggotaTimPenyusun(pegawai_id=pid, peran=peran, urutan=i))
            else:
                member.peran, member.urutan = peran, i
        return len(members)


def upload_scan(actor: Actor, tahun: int, nama: str, content: bytes) -> None:
    """The signed SK as scanned (PDF or image, at most 10 MB)."""
    nama = (nama or "").strip() or "sk-tim-penyusun.pdf"
    if not content or len(content) > MAX_SCAN:
        raise ValidationFailed([FieldError(None, "Pindaian SK", "berkas kosong atau lebih dari 10 MB")])
    if not nama.lower().endswith(SCAN_TYPES):
        raise ValidationFailed([FieldError(None, "Pindaian SK", "unggah berkas PDF, PNG, atau JPG")])
    with unit_of_work(actor, action="unggah_sk_tim_penyusun") as s:
        _require_recorder(s, actor)
        sk = s.scalar(select(SkTimPenyusun).where(SkTimPenyusun.tahun == tahun))
        if sk is None or not sk.nomor:
            raise NotFound(f"SK Tim Penyusun tahun {tahun} belum dicatat; isi nomor dan tanggal SK dahulu.")
        sk.scan_nama, sk.scan_file = nama[:200], content


def scan(actor: Actor, tahun: int) -> tuple[str, bytes] | None:
    with read_session() as s:
        if not (actor.has(Role.ADMIN_SDM) or is_kasubbag(s, actor)):
            require_read(s, actor)
        sk = s.scalar(select(SkTimPenyusun).where(SkTimPenyusun.tahun == tahun))
        if sk is None or sk.scan_file is None:
            return None
        return sk.scan_nama or "sk-tim-penyusun", sk.scan_file


# --- members: paste from Excel and the grid as Excel -------------------------------------------------------------


def preview_paste_anggota(actor: Actor, text: str):
    """Rows pasted from Excel onto the SK members grid (ANGGOTA_COLS: Pegawai, Peran; a header line is recognised),
    read with the save's own member rules (nothing written): every bad cell by pasted row and column. Pegawai by NIP,
    by the grid's label "Nama (NIP)" or by a name that only one active pegawai has, shown as the label; Peran by name
    in any case. A pegawai already in the grid is laid over that row (the grid is keyed by Pegawai), so what
    anggota_xlsx gives can be pasted back unchanged."""
    from domain import cells
    from services.core.grid import finish_paste, read_paste

    labels = pegawai_options(actor)
    by_nip = {m.group(1): label for label in labels if (m := re.search(r"\((\d{18})\)$", label))}
    by_name: dict[str, list[str]] = {}
    for label in labels:
        by_name.setdefault(" ".join(label.rsplit(" (", 1)[0].split()).casefold(), []).append(label)

    def person(value: str) -> str | None:
        text = " ".join(value.split())
        if not text:
            return None
        if (scientific := scientific_message(text)) is not None:
            raise CellError(scientific, value)
        if m := re.search(r"\d{18}", text.replace(" ", "")):
            if m.group(0) in by_nip:
                return by_nip[m.group(0)]
            raise CellError(f"NIP {m.group(0)} bukan pegawai aktif", value)
        hits = by_name.get(text.casefold(), [])
        if len(hits) == 1:
            return hits[0]
        raise CellError(f"'{text}' " + ("cocok dengan lebih dari satu pegawai; tulis NIP-nya" if hits else
                                       "bukan pegawai aktif (tulis NIP 18 digit atau nama dan NIP seperti di tabel)"),
                        value)

    readers = {"Pegawai": person, "Peran": lambda v: cells.to_choice(v, list(PERAN), "Peran", by_number=False)}
    preview, raws, sink = read_paste(text, tuple(ANGGOTA_COLS), {}, readers)
    bad_rows = {r["_row"] for r in raws if r.pop("_bad", None)}
    with read_session() as s:
        _require_recorder(s, actor)
        _members, errors = _parse_members(s, [{k: v for k, v in r.items() if k in ANGGOTA_COLS} for r in raws])
    sink.items += [e for e in errors if e.row not in bad_rows]
    values = {r["_row"]: {c: r.get(c) for c in ANGGOTA_COLS} for r in raws if r["_row"] not in bad_rows}
    return finish_paste(preview, values, sink)


def anggota_xlsx(actor: Actor, tahun: int) -> bytes:
    """The SK members grid as Excel ("Unduh Excel"): Pegawai as "Nama (NIP)" and Peran."""
    from services.core import export

    sk = get(actor, tahun)
    df = sk["anggota"] if sk is not None else pd.DataFrame(columns=ANGGOTA_COLS)
    return export.to_excel_bytes(df.astype(object).where(df.notna(), None), "Anggota Tim Penyusun")
