"""NIP (PNS) and NI PPPK: structure, validation and the facts they carry (BKN; domain.md §6)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# --- NIP (domain.md §6) -------------------------------------------------------------------------

_PNS_RE = re.compile(r"^(\d{8})(\d{6})([12])(\d{3})$")
_PPPK_RE = re.compile(r"^(\d{8})(\d{4})2([1-9])([12])(\d{3})$")
MIN_BIRTH_YEAR = 1940
MIN_AGE_AT_TODAY = 17
MIN_AGE_AT_TMT = 18

_SCIENTIFIC_RE = re.compile(r"^[+-]?\d(?:[.,]\d*)?e[+-]?\d{1,3}$", re.IGNORECASE)


def scientific_message(value: object) -> str | None:
    """When a NIP cell holds what Excel shows for an 18-digit number in a General/Number column (1,98703E+17,
    or the float 1.98703e17 an upload gives), the message that says so; None otherwise. Excel keeps 15
    significant digits, so the NIP cannot be recovered from the cell: the user must retype it as text."""
    if isinstance(value, float):
        text = f"{value:.6g}".replace(".", ",").upper()
    elif isinstance(value, str) and _SCIENTIFIC_RE.match("".join(value.split())):
        text = "".join(value.split())
    else:
        return None
    return (f"NIP tertulis sebagai angka ilmiah ({text}): Excel sudah memotong digitnya. Ubah format kolom NIP "
            "menjadi Teks, ketik ulang NIP 18 digit, lalu salin lagi.")


@dataclass(frozen=True)
class NipInfo:
    nip: str
    jenis: str  # "PNS" or "PPPK"
    tanggal_lahir: dt.date
    tmt_tahun: int
    tmt_bulan: int | None  # None for PPPK (the NI PPPK carries only the year)
    jenis_kelamin: str  # "L" or "P"
    nomor_urut: int
    formasi: int | None = None  # PPPK only

    @property
    def tmt(self) -> dt.date:
        return dt.date(self.tmt_tahun, self.tmt_bulan or 1, 1)

    @property
    def formatted(self) -> str:
        n = self.nip
        if self.jenis == "PNS":
            return f"{n[:8]} {n[8:14]} {n[14]} {n[15:]}"
        return f"{n[:8]} {n[8:12]} {n[12]} {n[13]} {n[14]} {n[15:]}"

    @property
    def label(self) -> str:
        return "NIP" if self.jenis == "PNS" else "NIPPPK"


def _birth_date(digits: str, today: dt.date) -> dt.date:
    try:
        born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValueError(f"Tanggal lahir pada NIP ({digits[6:8]}-{digits[4:6]}-{digits[:4]}) bukan tanggal yang sah.") from None
    if born.year < MIN_BIRTH_YEAR:
        raise ValueError(f"Tahun lahir pada NIP ({born.year}) terlalu lama (paling awal {MIN_BIRTH_YEAR}).")
    latest = _add_years(today, -MIN_AGE_AT_TODAY)
    if born > latest:
        raise ValueError(f"Tanggal lahir pada NIP ({born:%d-%m-%Y}) menunjukkan usia di bawah {MIN_AGE_AT_TODAY} tahun.")
    return born


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def parse_nip(text: str, today: dt.date | None = None) -> NipInfo:
    """Parse and validate an 18-digit NIP (PNS) or NI PPPK. Spaces, dots and dashes are ignored.

    Raises ValueError with a message in Bahasa Indonesia when the number is not valid.
    """
    today = today or dt.date.today()
    if text is None:
        raise ValueError("NIP wajib diisi.")
    if (scientific := scientific_message(text)) is not None:
        raise ValueError(scientific)
    digits = re.sub(r"[\s.\-]", "", str(text))
    if not digits:
        raise ValueError("NIP wajib diisi.")
    if not digits.isdigit():
        raise ValueError("NIP hanya boleh berisi angka.")
    if len(digits) != 18:
        raise ValueError(f"NIP harus 18 digit (tertulis {len(digits)} digit).")

    m = _PPPK_RE.match(digits)
    if m:
        born = _birth_date(m.group(1), today)
        tmt_year = int(m.group(2))
        _check_tmt(born, tmt_year, None, today)
        return NipInfo(
            nip=digits, jenis="PPPK", tanggal_lahir=born, tmt_tahun=tmt_year, tmt_bulan=None,
            jenis_kelamin="L" if m.group(4) == "1" else "P", nomor_urut=_serial(m.group(5)),
            formasi=int(m.group(3)),
        )

    m = _PNS_RE.match(digits)
    if not m:
        if digits[14] not in "12":
            raise ValueError(f"Digit ke-15 NIP (jenis kelamin) harus 1 atau 2, tertulis {digits[14]}.")
        raise ValueError("Format NIP tidak dikenali.")
    born = _birth_date(m.group(1), today)
    tmt_year, tmt_month = int(m.group(2)[:4]), int(m.group(2)[4:])
    if not 1 <= tmt_month <= 12:
        raise ValueError(f"Bulan TMT pada NIP ({m.group(2)[4:]}) harus 01 sampai 12.")
    _check_tmt(born, tmt_year, tmt_month, today)
    return NipInfo(
        nip=digits, jenis="PNS", tanggal_lahir=born, tmt_tahun=tmt_year, tmt_bulan=tmt_month,
        jenis_kelamin="L" if m.group(3) == "1" else "P", nomor_urut=_serial(m.group(4)),
    )


def _serial(text: str) -> int:
    n = int(text)
    if n < 1:
        raise ValueError("Nomor urut pada NIP (3 digit terakhir) harus 001 sampai 999.")
    return n


def _check_tmt(born: dt.date, year: int, month: int | None, today: dt.date) -> None:
    shown = f"{month:02d}-{year}" if month else str(year)
    if (year, month or 1) > (today.year, today.month) or (month is None and year > today.year):
        raise ValueError(f"TMT pada NIP ({shown}) berada di masa depan.")
    if (year, month or 12) < (born.year + MIN_AGE_AT_TMT, born.month if month else 12):
        raise ValueError(f"TMT pada NIP ({shown}) kurang dari {MIN_AGE_AT_TMT} tahun setelah tanggal lahir.")


def is_valid_nip(text: str, today: dt.date | None = None) -> bool:
    try:
        parse_nip(text, today)
    except ValueError:
        return False
    return True


