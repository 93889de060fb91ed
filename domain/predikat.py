"""Ratings and predikat kinerja: the 3×3 matrix of PermenPANRB 6/2022 and the unit head's rating from the organisational predikat (SE MenPANRB 3/2023)."""

from __future__ import annotations

from collections.abc import Mapping

from domain.common import _label_table, _parse_label
from domain.enums import Predikat, PredikatOrganisasi, Rating

# --- Ratings and predikat kinerja (domain.md §2.11) --------------------------------------------


RATING_ORDER: tuple[Rating, ...] = (Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH)
"""Best → worst."""
PREDIKAT_ORDER: tuple[Predikat, ...] = (
    Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG,
)
"""Best → worst (the distribution-curve axis of the Lampiran runs the other way)."""
PREDIKAT_ORGANISASI_ORDER: tuple[PredikatOrganisasi, ...] = tuple(PredikatOrganisasi)
"""Best → worst."""

_RATING_LABELS = _label_table(Rating, {
    "Diatas Ekspektasi": Rating.DI_ATAS,
    "Dibawah Ekspektasi": Rating.DI_BAWAH,
})
_PREDIKAT_LABELS = _label_table(Predikat, {
    "Cukup": Predikat.BUTUH_PERBAIKAN,
    "Cukup/Butuh Perbaikan": Predikat.BUTUH_PERBAIKAN,
    "Butuh Perbaikan/Cukup": Predikat.BUTUH_PERBAIKAN,
    "Kurang": Predikat.KURANG,
    "Misconduct": Predikat.KURANG,
})
_PREDIKAT_ORGANISASI_LABELS = _label_table(PredikatOrganisasi, {
    "Cukup": PredikatOrganisasi.BUTUH_PERBAIKAN,
    "Butuh Perbaikan/Cukup": PredikatOrganisasi.BUTUH_PERBAIKAN,
    "Cukup/Butuh Perbaikan": PredikatOrganisasi.BUTUH_PERBAIKAN,
})


def parse_rating(text: str | Rating) -> Rating:
    """'Di Atas Ekspektasi' (any case, extra spaces; also 'Diatas'/'Dibawah Ekspektasi') → Rating."""
    return _parse_label(Rating, _RATING_LABELS, text, "Rating")


def parse_predikat(text: str | Predikat) -> Predikat:
    """Predikat kinerja pegawai from its label, case-insensitive and trimmed. Aliases: 'Cukup',
    'Cukup/Butuh Perbaikan', 'Butuh Perbaikan/Cukup' → Butuh Perbaikan; 'Kurang', 'Misconduct' →
    Kurang/Misconduct. Raises ValueError for anything else."""
    return _parse_label(Predikat, _PREDIKAT_LABELS, text, "Predikat kinerja")


def parse_predikat_organisasi(text: str | PredikatOrganisasi) -> PredikatOrganisasi:
    """Predikat capaian kinerja organisasi; 'Cukup', 'Butuh Perbaikan/Cukup' → Butuh Perbaikan."""
    return _parse_label(PredikatOrganisasi, _PREDIKAT_ORGANISASI_LABELS, text, "Predikat kinerja organisasi")


_R, _P = Rating, Predikat
PREDIKAT_MATRIX: Mapping[tuple[Rating, Rating], Predikat] = {
    # (Rating Hasil Kerja, Rating Perilaku Kerja): predikat — the 3×3 quadrant of PermenPANRB 6/2022
    (_R.DI_ATAS, _R.DI_BAWAH): _P.KURANG,
    (_R.DI_ATAS, _R.SESUAI): _P.BAIK,
    (_R.DI_ATAS, _R.DI_ATAS): _P.SANGAT_BAIK,
    (_R.SESUAI, _R.DI_BAWAH): _P.KURANG,
    (_R.SESUAI, _R.SESUAI): _P.BAIK,
    (_R.SESUAI, _R.DI_ATAS): _P.BAIK,
    (_R.DI_BAWAH, _R.DI_BAWAH): _P.SANGAT_KURANG,
    (_R.DI_BAWAH, _R.SESUAI): _P.BUTUH_PERBAIKAN,
    (_R.DI_BAWAH, _R.DI_ATAS): _P.BUTUH_PERBAIKAN,
}
del _R, _P


def predikat(rating_hasil_kerja: str | Rating, rating_perilaku_kerja: str | Rating) -> Predikat:
    """Predikat kinerja from the two ratings (matrix of domain.md §2.11). Raises ValueError on unknown labels."""
    hasil = _parse_label(Rating, _RATING_LABELS, rating_hasil_kerja, "Rating Hasil Kerja")
    perilaku = _parse_label(Rating, _RATING_LABELS, rating_perilaku_kerja, "Rating Perilaku Kerja")
    return PREDIKAT_MATRIX[(hasil, perilaku)]


def predikat_reason(rating_hasil_kerja: str | Rating, rating_perilaku_kerja: str | Rating) -> str:
    """One-line Indonesian explanation of `predikat()`."""
    result = predikat(rating_hasil_kerja, rating_perilaku_kerja)
    hasil, perilaku = parse_rating(rating_hasil_kerja), parse_rating(rating_perilaku_kerja)
    return (f"Rating Hasil Kerja {hasil.value} dan Rating Perilaku Kerja {perilaku.value} → {result.value} "
            "(matriks PermenPANRB 6/2022)")


DEFAULT_RATING_ORGANISASI: Mapping[PredikatOrganisasi, Rating] = {
    PredikatOrganisasi.ISTIMEWA: Rating.DI_ATAS,
    PredikatOrganisasi.BAIK: Rating.SESUAI,
    PredikatOrganisasi.BUTUH_PERBAIKAN: Rating.DI_BAWAH,
    PredikatOrganisasi.KURANG: Rating.DI_BAWAH,
    PredikatOrganisasi.SANGAT_KURANG: Rating.DI_BAWAH,
}
"""Organisational predikat → Rating Hasil Kerja of the unit head; [U] in domain.md §2.11, hence overridable."""


def rating_from_organisasi(
    predikat_organisasi: str | PredikatOrganisasi, mapping: Mapping[str, str] | None = None
) -> Rating:
    """Rating Hasil Kerja of a unit head from the unit's organisational predikat.

    `mapping` (label → label, enums accepted) overrides entries of DEFAULT_RATING_ORGANISASI; entries not
    given keep their default."""
    table = dict(DEFAULT_RATING_ORGANISASI)
    for key, value in (mapping or {}).items():
        table[parse_predikat_organisasi(key)] = parse_rating(value)
    return table[parse_predikat_organisasi(predikat_organisasi)]


