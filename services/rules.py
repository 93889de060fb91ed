"""Pure domain rules (no database, no UI).

Sections (domain.md references):

- NIP / NI PPPK validation (§6) and golongan/pangkat (§7).
- Ratings and predikat kinerja: `Rating`, `Predikat`, `PredikatOrganisasi`, their parsers with the usual
  aliases, the 3×3 matrix `predikat()` (§2.11) and `rating_from_organisasi()` for unit heads.
- Angka kredit for jabatan fungsional (§3): `angka_kredit()`, `KOEFISIEN_AK`, `PERSEN_AK`, the cumulative
  requirements `AK_KEBUTUHAN` / `ak_kebutuhan()`, jenjang and golongan steps.
- Capaian IKI (§2.13, PermenPANRB 8/2021): `capaian()` for positive/negative polarity and range targets.
- Distribution curve of employee predikat per organisational predikat (§2.12, SE MenPANRB 3/2023):
  `check_distribution()`, `allowed_shares()`, thresholds as data in `DistributionRules`.

All arithmetic on money-like values (angka kredit, capaian, shares) is exact (Decimal/Fraction) and rounded
once, half up, to 2 decimals. Errors are `ValueError` with a message in Bahasa Indonesia.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from db.models import JenjangFungsional

# --- NIP (domain.md §6) -------------------------------------------------------------------------

_PNS_RE = re.compile(r"^(\d{8})(\d{6})([12])(\d{3})$")
_PPPK_RE = re.compile(r"^(\d{8})(\d{4})2([1-9])([12])(\d{3})$")
MIN_BIRTH_YEAR = 1940
MIN_AGE_AT_TODAY = 17
MIN_AGE_AT_TMT = 18


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


# --- Shared helpers for the evaluation rules below ----------------------------------------------


def _norm_label(text: str) -> str:
    """Case-insensitive comparison key: trimmed, single spaces, no spaces around '/', '_' read as space."""
    key = " ".join(str(text).replace("_", " ").split()).casefold()
    return re.sub(r"\s*/\s*", "/", key)


def _label_table(cls: type[enum.Enum], aliases: Mapping[str, str]) -> dict[str, enum.Enum]:
    table: dict[str, enum.Enum] = {_norm_label(m.value): m for m in cls}
    table.update({_norm_label(alias): cls(target) for alias, target in aliases.items()})
    return table


def _parse_label(cls, table: Mapping[str, enum.Enum], text, what: str):
    if isinstance(text, cls):
        return text
    if text is None or (isinstance(text, str) and not text.strip()):
        raise ValueError(f"{what} wajib diisi.")
    if isinstance(text, str):
        found = table.get(_norm_label(text))
        if found is not None:
            return found
    choices = ", ".join(m.value for m in cls)
    raise ValueError(f"{what} '{text}' tidak dikenal (pilihan: {choices}).")


def _to_decimal(value, what: str) -> Decimal:
    """int/float/str/Decimal (and numpy numbers) → Decimal. Strings may use a decimal comma ('92,5') and
    Indonesian thousands dots ('1.234,5'); a lone '.' is a decimal point."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"{what} wajib diisi.")
    if isinstance(value, bool):
        raise ValueError(f"{what} harus berupa angka.")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    else:
        text = str(value).strip().replace(" ", "") if isinstance(value, str) else str(value)
        if isinstance(value, str) and "," in text:
            if "." in text:
                if text.rfind(",") < text.rfind("."):
                    raise ValueError(f"{what} '{value}' bukan angka yang sah (gunakan koma sebagai pemisah desimal).")
                text = text.replace(".", "")
            text = text.replace(",", ".")
        try:
            result = Decimal(text)
        except (InvalidOperation, ValueError):
            raise ValueError(f"{what} '{value}' bukan angka yang sah.") from None
    if not result.is_finite():
        raise ValueError(f"{what} harus berupa angka (tertulis '{value}').")
    return result


def _round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Exact rounding (half away from zero, i.e. Decimal ROUND_HALF_UP) of a rational number."""
    exact = Fraction(value)
    scale = 10**places
    n = int(abs(exact) * scale + Fraction(1, 2))  # floor of a non-negative number
    whole, frac = divmod(n, scale)
    sign = "-" if exact < 0 and n else ""
    return Decimal(f"{sign}{whole}.{frac:0{places}d}") if places else Decimal(f"{sign}{whole}")


def _fmt_num(value: Fraction | Decimal | int) -> str:
    """80 → '80', 12.5 → '12,5', 1/3 → '0,33' (2 decimals, half up, Indonesian decimal comma)."""
    text = f"{_round_half_up(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --- Ratings and predikat kinerja (domain.md §2.11) --------------------------------------------


class Rating(enum.StrEnum):
    """Rating Hasil Kerja / Rating Perilaku Kerja (three levels, PermenPANRB 6/2022)."""

    DI_ATAS = "Di Atas Ekspektasi"
    SESUAI = "Sesuai Ekspektasi"
    DI_BAWAH = "Di Bawah Ekspektasi"


class Predikat(enum.StrEnum):
    """Predikat kinerja pegawai."""

    SANGAT_BAIK = "Sangat Baik"
    BAIK = "Baik"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    KURANG = "Kurang/Misconduct"
    SANGAT_KURANG = "Sangat Kurang"


class PredikatOrganisasi(enum.StrEnum):
    """Predikat capaian kinerja organisasi (SE MenPANRB 3/2023)."""

    ISTIMEWA = "Istimewa"
    BAIK = "Baik"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    KURANG = "Kurang"
    SANGAT_KURANG = "Sangat Kurang"


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
    level = None if jenjang is None and koefisien is not None else parse_jenjang(jenjang)
    if koefisien is None:
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
        values = []
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


# --- Capaian IKI (domain.md §2.13, PermenPANRB 8/2021) -----------------------------------------

_POLARITAS = ("positif", "negatif")


def _non_negative(value, what: str) -> Decimal:
    amount = _to_decimal(value, what)
    if amount < 0:
        raise ValueError(f"{what} tidak boleh negatif (tertulis {value}).")
    return amount


def capaian(
    realisasi: Decimal | int | float | str,
    target_min: Decimal | int | float | str,
    target_max: Decimal | int | float | str | None = None,
    polaritas: str = "positif",
) -> Decimal:
    """Capaian in percent, rounded half up to 2 decimals.

    - positif: realisasi / target × 100;
    - negatif (lower is better, e.g. time): (2 − realisasi / target) × 100, clamped at 0 (a capaian below
      0 % is meaningless);
    - range target (target_max > target_min): realisasi inside the range → 100; otherwise the nearest bound
      is the target (above → target_max, below → target_min) and the formula of the polarity applies.
      Examples: 80–90, realisasi 92 → 102.22; 70 → 87.50; negatif 7–8, 6.5 → 107.14; 9 → 87.50.

    target_max None/blank/NaN or equal to target_min means a single target. Numbers may be int, float, str
    (decimal comma accepted) or Decimal. A single target 0 cannot be divided by and raises ValueError; a
    range may start at 0. Negative numbers, target_max < target_min and unknown polarity raise ValueError.
    """
    pol = _norm_label(polaritas) if isinstance(polaritas, str) else None
    if pol not in _POLARITAS:
        raise ValueError(f"Polaritas '{polaritas}' tidak dikenal (positif atau negatif).")
    real = _non_negative(realisasi, "Realisasi")
    low = _non_negative(target_min, "Target")
    blank = target_max is None or (isinstance(target_max, str) and not target_max.strip())
    if not blank and isinstance(target_max, float) and target_max != target_max:  # NaN from pandas
        blank = True
    high = None if blank else _non_negative(target_max, "Target maksimum")
    if high is not None and high < low:
        raise ValueError(f"Target maksimum ({_fmt_num(high)}) lebih kecil dari target minimum ({_fmt_num(low)}).")
    if high is None or high == low:
        if low == 0:
            raise ValueError("Target tidak boleh 0 (capaian tidak dapat dihitung).")
        basis = low
    elif real > high:
        basis = high
    elif real < low:
        basis = low
    else:
        return Decimal("100.00")
    ratio = Fraction(real) / Fraction(basis)
    value = ratio if pol == "positif" else 2 - ratio
    return _round_half_up(max(value, Fraction(0)) * 100)


# --- Distribution of employee predikat (domain.md §2.12, SE MenPANRB 3/2023) --------------------


@dataclass(frozen=True)
class DistributionRules:
    """Thresholds of the distribution curve, in percent (Decimal 0–100) of all employees of the unit.

    Field prefix = organisational predikat. `sebagian_besar_terbanyak` reads "sebagian besar pegawai"
    (Istimewa: Sangat Baik; Baik: Baik) as "that predikat is the most frequent one (ties allowed)" — [U] in
    domain.md, switch it off to keep only the percentage caps. `baik_bp_kurang_min_jumlah` is the minimum
    number of employees with Butuh Perbaikan and/or Kurang/Misconduct under an organisational Baik
    (0 disables the rule). Shares are compared exactly (no rounding for small units)."""

    istimewa_sangat_baik_max: Decimal = Decimal(70)
    baik_baik_max: Decimal = Decimal(70)
    baik_bp_kurang_min_jumlah: int = 1
    butuh_perbaikan_bp_min: Decimal = Decimal(60)
    butuh_perbaikan_sangat_baik_max: Decimal = Decimal(10)
    kurang_kurang_min: Decimal = Decimal(60)
    kurang_bp_min: Decimal = Decimal(10)
    kurang_sangat_baik_max: Decimal = Decimal(10)
    sangat_kurang_sk_min: Decimal = Decimal(60)
    sangat_kurang_kurang_bp_min: Decimal = Decimal(10)
    sangat_kurang_sangat_baik_max: Decimal = Decimal(0)
    sebagian_besar_terbanyak: bool = True

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name == "sebagian_besar_terbanyak":
                if not isinstance(value, bool):
                    raise ValueError("sebagian_besar_terbanyak harus True atau False.")
            elif field.name.endswith("_jumlah"):
                try:
                    if isinstance(value, bool):
                        raise TypeError
                    count = operator.index(value)
                except TypeError:
                    raise ValueError(f"{field.name} harus bilangan bulat (tertulis '{value}').") from None
                if count < 0:
                    raise ValueError(f"{field.name} tidak boleh negatif.")
                object.__setattr__(self, field.name, count)
            else:
                pct = _to_decimal(value, field.name)
                if not 0 <= pct <= 100:
                    raise ValueError(f"{field.name} harus 0 sampai 100 (tertulis {value}).")
                object.__setattr__(self, field.name, pct)
        for org in PredikatOrganisasi:
            mins = sum((r.pct for r in _share_rules(org, self) if r.kind == "min"), Decimal(0))
            if mins > 100:
                raise ValueError(f"Batas minimum distribusi untuk organisasi {org.value} berjumlah lebih dari 100%.")
        if self.sebagian_besar_terbanyak:
            for org, dominant in _DOMINANT.items():
                cap = next(r.pct for r in _share_rules(org, self) if r.kind == "max" and r.group == (dominant,))
                if cap * len(Predikat) < 100:
                    raise ValueError(
                        f"Batas maksimum {dominant.value} untuk organisasi {org.value} terlalu kecil untuk menjadi "
                        "predikat terbanyak.")


@dataclass(frozen=True)
class _ShareRule:
    kind: str  # "min" or "max"
    group: tuple[Predikat, ...]
    pct: Decimal

    @property
    def label(self) -> str:
        return " dan/atau ".join(p.value for p in self.group)


_DOMINANT: Mapping[PredikatOrganisasi, Predikat] = {
    PredikatOrganisasi.ISTIMEWA: Predikat.SANGAT_BAIK,
    PredikatOrganisasi.BAIK: Predikat.BAIK,
}


def _share_rules(org: PredikatOrganisasi, t: DistributionRules) -> list[_ShareRule]:
    """Percentage rules per organisational predikat; the groups of the "min" rules are disjoint."""
    sb, b, bp, k, sk = PREDIKAT_ORDER
    return {
        PredikatOrganisasi.ISTIMEWA: [_ShareRule("max", (sb,), t.istimewa_sangat_baik_max)],
        PredikatOrganisasi.BAIK: [_ShareRule("max", (b,), t.baik_baik_max)],
        PredikatOrganisasi.BUTUH_PERBAIKAN: [
            _ShareRule("min", (bp,), t.butuh_perbaikan_bp_min),
            _ShareRule("max", (sb,), t.butuh_perbaikan_sangat_baik_max),
        ],
        PredikatOrganisasi.KURANG: [
            _ShareRule("min", (k,), t.kurang_kurang_min),
            _ShareRule("min", (bp,), t.kurang_bp_min),
            _ShareRule("max", (sb,), t.kurang_sangat_baik_max),
        ],
        PredikatOrganisasi.SANGAT_KURANG: [
            _ShareRule("min", (sk,), t.sangat_kurang_sk_min),
            _ShareRule("min", (k, bp), t.sangat_kurang_kurang_bp_min),
            _ShareRule("max", (sb,), t.sangat_kurang_sangat_baik_max),
        ],
    }[org]


DEFAULT_DISTRIBUTION = DistributionRules()


def _thresholds(thresholds: DistributionRules | Mapping[str, object] | None) -> DistributionRules:
    if thresholds is None:
        return DEFAULT_DISTRIBUTION
    if isinstance(thresholds, DistributionRules):
        return thresholds
    if isinstance(thresholds, Mapping):
        known = {f.name for f in dataclasses.fields(DistributionRules)}
        unknown = sorted(set(map(str, thresholds)) - known)
        if unknown:
            raise ValueError(f"Aturan distribusi tidak dikenal: {', '.join(unknown)}.")
        return dataclasses.replace(DEFAULT_DISTRIBUTION, **thresholds)
    raise ValueError("Aturan distribusi harus DistributionRules atau dict.")


def _counts(counts: Mapping) -> dict[Predikat, int]:
    if not isinstance(counts, Mapping):
        raise ValueError("Jumlah pegawai per predikat harus berupa dict {predikat: jumlah}.")
    result = dict.fromkeys(PREDIKAT_ORDER, 0)
    for key, value in counts.items():
        pred = parse_predikat(key)
        try:
            if isinstance(value, bool):
                raise TypeError
            n = operator.index(value)
        except TypeError:
            raise ValueError(f"Jumlah pegawai {pred.value} harus bilangan bulat (tertulis '{value}').") from None
        if n < 0:
            raise ValueError(f"Jumlah pegawai {pred.value} tidak boleh negatif (tertulis {n}).")
        result[pred] += n
    return result


def _share(n: int, total: int) -> str:
    return f"{n} dari {total} pegawai = {_fmt_num(Fraction(n * 100, total))}%"


def check_distribution(
    predikat_organisasi: str | PredikatOrganisasi,
    counts: Mapping[str | Predikat, int],
    thresholds: DistributionRules | Mapping[str, object] | None = None,
) -> list[str]:
    """Violated rules of the distribution curve (SE MenPANRB 3/2023) as Indonesian sentences; [] when the
    distribution holds or the unit has no employees.

    `counts`: pegawai predikat label (aliases accepted) → number of employees; missing labels count 0.
    `thresholds`: a DistributionRules or a dict of its fields overriding DEFAULT_DISTRIBUTION.
    Comparisons are exact integer arithmetic (count × 100 vs threshold × total)."""
    org = parse_predikat_organisasi(predikat_organisasi)
    rules = _thresholds(thresholds)
    per = _counts(counts)
    total = sum(per.values())
    if total == 0:
        return []
    problems: list[str] = []
    for rule in _share_rules(org, rules):
        n = sum(per[p] for p in rule.group)
        if rule.kind == "max" and n * 100 > rule.pct * total:
            if rule.pct == 0:
                problems.append(f"Tidak boleh ada pegawai {rule.label} (saat ini {_share(n, total)}).")
            else:
                problems.append(f"{rule.label} paling banyak {_fmt_num(rule.pct)}% (saat ini {_share(n, total)}).")
        elif rule.kind == "min" and n * 100 < rule.pct * total:
            problems.append(f"{rule.label} paling sedikit {_fmt_num(rule.pct)}% (saat ini {_share(n, total)}).")
    dominant = _DOMINANT.get(org)
    if dominant is not None and rules.sebagian_besar_terbanyak:
        rival = max((p for p in PREDIKAT_ORDER if p != dominant), key=lambda p: per[p])
        if per[rival] > per[dominant]:
            problems.append(
                f"Sebagian besar pegawai harus berpredikat {dominant.value}: {dominant.value} harus menjadi "
                f"predikat terbanyak (saat ini {_share(per[dominant], total)}, sedangkan {rival.value} "
                f"{_share(per[rival], total)}).")
    if org == PredikatOrganisasi.BAIK and rules.baik_bp_kurang_min_jumlah > 0:
        n = per[Predikat.BUTUH_PERBAIKAN] + per[Predikat.KURANG]
        if n < rules.baik_bp_kurang_min_jumlah:
            problems.append(
                "Harus ada pegawai dengan predikat Butuh Perbaikan dan/atau Kurang/Misconduct "
                f"(paling sedikit {rules.baik_bp_kurang_min_jumlah} pegawai; saat ini {n} dari {total} pegawai).")
    return problems


def allowed_shares(
    predikat_organisasi: str | PredikatOrganisasi,
    thresholds: DistributionRules | Mapping[str, object] | None = None,
) -> dict[Predikat, tuple[Decimal, Decimal]]:
    """Per pegawai predikat (PREDIKAT_ORDER) the (min_pct, max_pct) band, Decimal 0–100, for a calibration
    chart. Each band is the tightest one implied by the percentage rules (including "the other minimums must
    still fit" and, when `sebagian_besar_terbanyak` is on, "the dominant predikat is at least 100/5 = 20 %
    and any other at most 50 %"); every distribution accepted by `check_distribution` lies inside all bands.
    The count rule of organisational Baik is not a share and is not reflected."""
    org = parse_predikat_organisasi(predikat_organisasi)
    rules = _thresholds(thresholds)
    share_rules = _share_rules(org, rules)
    low = dict.fromkeys(PREDIKAT_ORDER, Decimal(0))
    high = dict.fromkeys(PREDIKAT_ORDER, Decimal(100))
    for rule in share_rules:
        for p in rule.group:
            if rule.kind == "max":
                high[p] = min(high[p], rule.pct)
            elif len(rule.group) == 1:
                low[p] = max(low[p], rule.pct)
    for p in PREDIKAT_ORDER:
        others = sum((r.pct for r in share_rules if r.kind == "min" and p not in r.group), Decimal(0))
        high[p] = min(high[p], Decimal(100) - others)
    dominant = _DOMINANT.get(org)
    if dominant is not None and rules.sebagian_besar_terbanyak:
        low[dominant] = max(low[dominant], Decimal(100) / len(Predikat))
        for p in PREDIKAT_ORDER:
            if p != dominant:
                high[p] = min(high[p], Decimal(50), high[dominant])
    return {p: (low[p], high[p]) for p in PREDIKAT_ORDER}
