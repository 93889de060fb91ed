"""Golongan/ruang of PNS and golongan PPPK, with their pangkat names (PP 99/2000, PP 49/2018; domain.md §7)."""

from __future__ import annotations

import re

# --- Golongan / pangkat (domain.md §7) ---------------------------------------------------------

_RUANG = {
    "I": ["Juru Muda", "Juru Muda Tingkat I", "Juru", "Juru Tingkat I"],
    "II": ["Pengatur Muda", "Pengatur Muda Tingkat I", "Pengatur", "Pengatur Tingkat I"],
    "III": ["Penata Muda", "Penata Muda Tingkat I", "Penata", "Penata Tingkat I"],
    "IV": ["Pembina", "Pembina Tingkat I", "Pembina Utama Muda", "Pembina Utama Madya", "Pembina Utama"],
}

GOLONGAN_PNS: dict[str, str] = {
    f"{gol}/{'abcde'[i]}": pangkat for gol, names in _RUANG.items() for i, pangkat in enumerate(names)
}
"""'III/b' -> 'Penata Muda Tingkat I', in ordinal order I/a (1) ... IV/e (17)."""

GOLONGAN_PPPK: tuple[str, ...] = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)


def golongan_ordinal(code: str) -> int:
    """1 for I/a up to 17 for IV/e."""
    keys = list(GOLONGAN_PNS)
    if code not in GOLONGAN_PNS:
        raise ValueError(f"Golongan '{code}' tidak dikenal.")
    return keys.index(code) + 1


def normalise_golongan(text: str | None, jenis_asn: str) -> str | None:
    """Accept 'III/b', 'iii/b', 'III b', 'IIIb', '3/b' for PNS; 'IX' or '9' for PPPK. Raise ValueError otherwise."""
    if text is None or str(text).strip() == "":
        return None
    raw = str(text).strip().upper().replace(" ", "").replace("-", "/")
    if jenis_asn == "PPPK":
        if raw.isdigit() and 1 <= int(raw) <= 17:
            return GOLONGAN_PPPK[int(raw) - 1]
        if raw in GOLONGAN_PPPK:
            return raw
        raise ValueError(f"Golongan PPPK '{text}' tidak dikenal (I sampai XVII).")
    roman = {"1": "I", "2": "II", "3": "III", "4": "IV"}
    m = re.match(r"^(IV|III|II|I|[1-4])/?([A-E])$", raw)
    if not m:
        raise ValueError(f"Golongan '{text}' tidak dikenal (contoh: III/b).")
    code = f"{roman.get(m.group(1), m.group(1))}/{m.group(2).lower()}"
    if code not in GOLONGAN_PNS:
        raise ValueError(f"Golongan '{text}' tidak dikenal (contoh: III/b).")
    return code


def pangkat_golongan(code: str | None) -> str:
    """'III/b' -> 'Penata Muda Tingkat I, III/b'; PPPK golongan are returned as 'Golongan IX'."""
    if not code:
        return "-"
    if code in GOLONGAN_PNS:
        return f"{GOLONGAN_PNS[code]}, {code}"
    return f"Golongan {code}"


