"""Angka kredit of jabatan fungsional: conversion of predikat, requirements, jenjang and golongan steps (PermenPANRB 1/2023)."""

from __future__ import annotations

import operator
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from domain.common import _label_table, _parse_label, _round_half_up, _to_decimal
from domain.enums import JenjangFungsional, Predikat
from domain.golongan import GOLONGAN_PNS, golongan_ordinal, normalise_golongan
from domain.predikat import parse_predikat

# --- Angka kredit for jabatan fungsional (domain.md §3) ----------------------------------------

_J = JenjangFungsional
KOEFISIEN_AK: Mapping[JenjangFungsional, Decimal] = {
    _J.PEMULA: Decimal("3.75"),
    _J.TERAMPIL: Decimal("5"),
    _J.MAHIR: Decimal("12.5"),
    _J.PENYELIA: Decimal("25"),
    _J.AHLI_PERTAMA: Decimal("12.5"),
    _J.AHLI_MUDA: Decimal("25"),
    _J.AHLI_MADYA: Decimal("37.5"),
    _J.AHLI_UTAMA: Decimal("50"),
}
"""Koefisien AK tahunan per jenjang (§3.2). A jabatan may carry its own coefficient (`koefisien=`)."""

PERSEN_AK: Mapping[Predikat, Decimal] = {
    Predikat.SANGAT_BAIK: Decimal("1.5"),
    Predikat.BAIK: Decimal("1"),
    Predikat.BUTUH_PERBAIKAN: Decimal("0.75"),
    Predikat.KURANG: Decimal("0.5"),
    Predikat.SANGAT_KURANG: Decimal("0.25"),
}
"""Share of the annual coefficient per predikat (Pasal 37 PermenPANRB 1/2023, §3.1)."""

AK_KEBUTUHAN: Mapping[JenjangFungsional, tuple[Decimal | None, Decimal | None]] = {
    _J.PEMULA: (Decimal("15"), Decimal("15")),
    _J.TERAMPIL: (Decimal("20"), Decimal("60")),  # kenaikan jenjang 60 is [U]; some apps use 40
    _J.MAHIR: (Decimal("50"), Decimal("100")),
    _J.PENYELIA: (Decimal("100"), None),
    _J.AHLI_PERTAMA: (Decimal("50"), Decimal("100")),
    _J.AHLI_MUDA: (Decimal("100"), Decimal("200")),
    _J.AHLI_MADYA: (Decimal("150"), Decimal("450")),
    _J.AHLI_UTAMA: (Decimal("200"), None),
}
"""Cumulative AK needed per jenjang (§3.4): (kenaikan pangkat, kenaikan jenjang); None = not applicable."""

JENJANG_BERIKUTNYA: Mapping[JenjangFungsional, JenjangFungsional | None] = {
    _J.PEMULA: _J.TERAMPIL,
    _J.TERAMPIL: _J.MAHIR,
    _J.MAHIR: _J.PENYELIA,
    _J.PENYELIA: None,
    _J.AHLI_PERTAMA: _J.AHLI_MUDA,
    _J.AHLI_MUDA: _J.AHLI_MADYA,
    _J.AHLI_MADYA: _J.AHLI_UTAMA,
    _J.AHLI_UTAMA: None,
}

GOLONGAN_JENJANG: Mapping[JenjangFungsional, tuple[str, str]] = {
    _J.PEMULA: ("II/a", "II/a"),
    _J.TERAMPIL: ("II/b", "II/d"),  # §3.4 table (Lampiran PermenPANRB 1/2023); some apps use II/c–II/d
    _J.MAHIR: ("III/a", "III/b"),
    _J.PENYELIA: ("III/c", "III/d"),
    _J.AHLI_PERTAMA: ("III/a", "III/b"),
    _J.AHLI_MUDA: ("III/c", "III/d"),
    _J.AHLI_MADYA: ("IV/a", "IV/c"),
    _J.AHLI_UTAMA: ("IV/d", "IV/e"),
}
"""(lowest, highest) golongan of each jenjang (§3.4); all codes in between: `golongan_jenjang()`."""
del _J

_JENJANG_LABELS = _label_table(JenjangFungsional, {})


def parse_jenjang(text: str | JenjangFungsional) -> JenjangFungsional:
    """'Ahli Pertama' (any case; 'AHLI_PERTAMA' too) → JenjangFungsional."""
    return _parse_label(JenjangFungsional, _JENJANG_LABELS, text, "Jenjang jabatan fungsional")


def _bulan(value) -> int:
    try:
        if isinstance(value, bool):
            raise TypeError
        months = operator.index(value)
    except TypeError:
        raise ValueError(f"Jumlah bulan harus bilangan bulat 1 sampai 12 (tertulis '{value}').") from None
    if not 1 <= months <= 12:
        raise ValueError(f"Jumlah bulan harus 1 sampai 12 (tertulis {months}).")
    return months


def angka_kredit(
    jenjang: str | JenjangFungsional | None,
    predikat: str | Predikat,
    bulan: int = 12,
    koefisien: Decimal | int | float | str | None = None,
) -> Decimal:
    """AK = koefisien × persentase predikat × bulan/12, computed exactly, rounded half up to 2 decimals (§3.3).

    `koefisien` replaces the coefficient of the jenjang (a jabatan may have its own); `jenjang` may then be
    None. Examples: Ahli Pertama + Sangat Baik (12 bulan) = 18.75; Ahli Pertama + Baik, 2 bulan = 2.08."""
    pred = parse_predikat(predikat)
    months = _bulan(bulan)
    level = None if jenjang is None and koefisien is not None else parse_jenjang(jenjang)  # type: ignore[arg-type]
    if koefisien is None:
        assert level is not None
        coef = KOEFISIEN_AK[level]
    else:
        coef = _to_decimal(koefisien, "Koefisien angka kredit")
        if coef <= 0:
            raise ValueError(f"Koefisien angka kredit harus lebih dari 0 (tertulis {coef}).")
    return _round_half_up(Fraction(coef) * Fraction(PERSEN_AK[pred]) * months / 12)


def ak_kebutuhan(
    jenjang: str | JenjangFungsional,
    overrides: Mapping[str, tuple[object, object]] | None = None,
) -> tuple[Decimal | None, Decimal | None]:
    """(AK for kenaikan pangkat, AK for kenaikan jenjang) of a jenjang; None where not applicable.

    `overrides` maps jenjang (label or enum) → (pangkat, jenjang) pairs replacing the AK_KEBUTUHAN row,
    e.g. {"Terampil": (20, 40)} for instansi using 40 for Terampil → Mahir."""
    level = parse_jenjang(jenjang)
    for key, pair in (overrides or {}).items():
        if parse_jenjang(key) != level:
            continue
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise ValueError(f"Kebutuhan AK untuk {level.value} harus berupa pasangan (kenaikan pangkat, kenaikan jenjang).")
        values: list[Decimal | None] = []
        for part, what in zip(pair, ("kenaikan pangkat", "kenaikan jenjang"), strict=True):
            if part is None:
                values.append(None)
                continue
            amount = _to_decimal(part, f"Kebutuhan AK {what} {level.value}")
            if amount < 0:
                raise ValueError(f"Kebutuhan AK {what} {level.value} tidak boleh negatif.")
            values.append(amount)
        return values[0], values[1]
    return AK_KEBUTUHAN[level]


def jenjang_berikutnya(jenjang: str | JenjangFungsional) -> JenjangFungsional | None:
    """Pemula → Terampil → Mahir → Penyelia → None; Ahli Pertama → Muda → Madya → Utama → None."""
    return JENJANG_BERIKUTNYA[parse_jenjang(jenjang)]


def golongan_jenjang(jenjang: str | JenjangFungsional) -> tuple[str, ...]:
    """All golongan of a jenjang in order, e.g. Ahli Madya → ('IV/a', 'IV/b', 'IV/c')."""
    low, high = GOLONGAN_JENJANG[parse_jenjang(jenjang)]
    keys = list(GOLONGAN_PNS)
    return tuple(keys[golongan_ordinal(low) - 1 : golongan_ordinal(high)])


def _golongan_pns(golongan: str) -> str:
    code = normalise_golongan(golongan, "PNS")
    if code is None:
        raise ValueError("Golongan wajib diisi.")
    return code


def golongan_berikutnya(golongan: str) -> str | None:
    """'III/a' → 'III/b', 'II/d' → 'III/a', 'IV/e' → None. Accepts the spellings of `normalise_golongan`."""
    ordinal = golongan_ordinal(_golongan_pns(golongan))
    keys = list(GOLONGAN_PNS)
    return keys[ordinal] if ordinal < len(keys) else None


def is_puncak_jenjang(jenjang: str | JenjangFungsional, golongan: str) -> bool:
    """True when the golongan is the highest of the jenjang's range (or above it): the next step is then a
    kenaikan jenjang, not a kenaikan pangkat within the jenjang. A golongan below the range gives False."""
    high = GOLONGAN_JENJANG[parse_jenjang(jenjang)][1]
    return golongan_ordinal(_golongan_pns(golongan)) >= golongan_ordinal(high)


