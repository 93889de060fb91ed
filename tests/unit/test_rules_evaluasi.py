"""Pure evaluation rules (domain.md §2.11–2.13, §3): predikat matrix, angka kredit, capaian, distribution curve."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.models import JenjangFungsional as J
from db.models import PredikatKinerja, RatingKinerja
from domain import (
    AK_KEBUTUHAN,
    DEFAULT_DISTRIBUTION,
    GOLONGAN_JENJANG,
    GOLONGAN_PNS,
    KOEFISIEN_AK,
    PERSEN_AK,
    PREDIKAT_MATRIX,
    PREDIKAT_ORDER,
    PREDIKAT_ORGANISASI_ORDER,
    RATING_ORDER,
    DistributionRules,
    Predikat,
    PredikatOrganisasi,
    Rating,
    ak_kebutuhan,
    allowed_shares,
    angka_kredit,
    capaian,
    check_distribution,
    golongan_berikutnya,
    golongan_jenjang,
    is_puncak_jenjang,
    jenjang_berikutnya,
    parse_jenjang,
    parse_predikat,
    parse_predikat_organisasi,
    parse_rating,
    predikat,
    predikat_reason,
    rating_from_organisasi,
)

D = Decimal
SB, B, BP, K, SK = PREDIKAT_ORDER
ORG_ISTIMEWA, ORG_BAIK, ORG_BP, ORG_KURANG, ORG_SK = PREDIKAT_ORGANISASI_ORDER

# --- Enums and parsers ---------------------------------------------------------------------------


def test_enum_values_and_orders():
    assert [r.value for r in Rating] == ["Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"]
    assert RATING_ORDER == (Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH)
    assert [p.value for p in PREDIKAT_ORDER] == [
        "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"]
    assert [p.value for p in PREDIKAT_ORGANISASI_ORDER] == [
        "Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]
    # the enums mirror the stored ones in db.models_evaluasi
    assert [p.value for p in Predikat] == [p.value for p in PredikatKinerja]
    assert [r.value for r in Rating] == [r.value for r in RatingKinerja]


@pytest.mark.parametrize(("text", "expected"), [
    ("Sangat Baik", SB), ("  sangat   baik ", SB), ("BAIK", B), ("Butuh Perbaikan", BP), ("Cukup", BP),
    ("cukup / butuh perbaikan", BP), ("Cukup/Butuh Perbaikan", BP), ("Butuh Perbaikan/Cukup", BP),
    ("Kurang/Misconduct", K), ("Kurang / Misconduct", K), ("Kurang", K), ("misconduct", K),
    ("Sangat Kurang", SK), (SB, SB), (PredikatKinerja.KURANG, K),
])
def test_parse_predikat(text, expected):
    assert parse_predikat(text) is expected


@pytest.mark.parametrize("text", ["Luar Biasa", "Sangat", "", "   ", None, 3, "Istimewa"])
def test_parse_predikat_unknown(text):
    with pytest.raises(ValueError, match="Predikat kinerja"):
        parse_predikat(text)


def test_parse_predikat_message_lists_choices():
    with pytest.raises(ValueError, match=r"'Luar Biasa' tidak dikenal \(pilihan: Sangat Baik, Baik"):
        parse_predikat("Luar Biasa")


@pytest.mark.parametrize(("text", "expected"), [
    ("Di Atas Ekspektasi", Rating.DI_ATAS), ("di atas ekspektasi ", Rating.DI_ATAS),
    ("Diatas Ekspektasi", Rating.DI_ATAS), ("SESUAI EKSPEKTASI", Rating.SESUAI),
    ("Di Bawah Ekspektasi", Rating.DI_BAWAH), ("Dibawah Ekspektasi", Rating.DI_BAWAH),
    (Rating.SESUAI, Rating.SESUAI), (RatingKinerja.DI_BAWAH, Rating.DI_BAWAH),
])
def test_parse_rating(text, expected):
    assert parse_rating(text) is expected


@pytest.mark.parametrize("text", ["Di Atas", "Baik", "", None, 1])
def test_parse_rating_unknown(text):
    with pytest.raises(ValueError, match="Rating"):
        parse_rating(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("Istimewa", ORG_ISTIMEWA), ("baik", ORG_BAIK), ("Butuh Perbaikan", ORG_BP), ("Cukup", ORG_BP),
    ("Butuh Perbaikan/Cukup", ORG_BP), ("butuh perbaikan / cukup", ORG_BP), ("Kurang", ORG_KURANG),
    (" Sangat Kurang ", ORG_SK), (ORG_ISTIMEWA, ORG_ISTIMEWA),
])
def test_parse_predikat_organisasi(text, expected):
    assert parse_predikat_organisasi(text) is expected


@pytest.mark.parametrize("text", ["Sangat Baik", "Kurang/Misconduct", "", None])
def test_parse_predikat_organisasi_unknown(text):
    with pytest.raises(ValueError, match="Predikat kinerja organisasi"):
        parse_predikat_organisasi(text)


# --- Matrix (§2.11) ------------------------------------------------------------------------------

MATRIX = [
    # Rating Hasil Kerja, Rating Perilaku Kerja, predikat
    ("Di Atas Ekspektasi", "Di Bawah Ekspektasi", "Kurang/Misconduct"),
    ("Di Atas Ekspektasi", "Sesuai Ekspektasi", "Baik"),
    ("Di Atas Ekspektasi", "Di Atas Ekspektasi", "Sangat Baik"),
    ("Sesuai Ekspektasi", "Di Bawah Ekspektasi", "Kurang/Misconduct"),
    ("Sesuai Ekspektasi", "Sesuai Ekspektasi", "Baik"),
    ("Sesuai Ekspektasi", "Di Atas Ekspektasi", "Baik"),
    ("Di Bawah Ekspektasi", "Di Bawah Ekspektasi", "Sangat Kurang"),
    ("Di Bawah Ekspektasi", "Sesuai Ekspektasi", "Butuh Perbaikan"),
    ("Di Bawah Ekspektasi", "Di Atas Ekspektasi", "Butuh Perbaikan"),
]


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), MATRIX)
def test_matrix_cell_strings(hasil, perilaku, expected):
    result = predikat(hasil, perilaku)
    assert isinstance(result, Predikat) and result == expected


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), MATRIX)
def test_matrix_cell_enums(hasil, perilaku, expected):
    assert predikat(Rating(hasil), Rating(perilaku)) is Predikat(expected)
    assert predikat(Rating(hasil), perilaku) is Predikat(expected)


def test_matrix_is_complete():
    assert len(PREDIKAT_MATRIX) == 9
    assert {predikat(h, p) for h in Rating for p in Rating} == set(Predikat)


def test_matrix_hasil_and_perilaku_are_not_swapped():
    assert predikat(Rating.DI_ATAS, Rating.DI_BAWAH) is K
    assert predikat(Rating.DI_BAWAH, Rating.DI_ATAS) is BP


@pytest.mark.parametrize(("hasil", "perilaku", "field"), [
    ("Luar Biasa", "Sesuai Ekspektasi", "Rating Hasil Kerja"),
    ("Sesuai Ekspektasi", "Baik", "Rating Perilaku Kerja"),
    (None, "Sesuai Ekspektasi", "Rating Hasil Kerja"),
    ("Sesuai Ekspektasi", "", "Rating Perilaku Kerja"),
])
def test_matrix_unknown_label(hasil, perilaku, field):
    with pytest.raises(ValueError, match=field):
        predikat(hasil, perilaku)


def test_predikat_reason():
    assert predikat_reason("Di Atas Ekspektasi", Rating.SESUAI) == (
        "Rating Hasil Kerja Di Atas Ekspektasi dan Rating Perilaku Kerja Sesuai Ekspektasi → Baik "
        "(matriks PermenPANRB 6/2022)")
    assert predikat_reason(" di bawah ekspektasi", "Di Bawah Ekspektasi").endswith(
        "→ Sangat Kurang (matriks PermenPANRB 6/2022)")
    with pytest.raises(ValueError):
        predikat_reason("x", "Sesuai Ekspektasi")


@pytest.mark.parametrize(("org", "expected"), [
    ("Istimewa", Rating.DI_ATAS), ("Baik", Rating.SESUAI), ("Butuh Perbaikan", Rating.DI_BAWAH),
    ("Cukup", Rating.DI_BAWAH), ("Kurang", Rating.DI_BAWAH), (ORG_SK, Rating.DI_BAWAH),
])
def test_rating_from_organisasi_default(org, expected):
    assert rating_from_organisasi(org) is expected


def test_rating_from_organisasi_override():
    mapping = {"Butuh Perbaikan": "Sesuai Ekspektasi", ORG_BAIK: Rating.DI_ATAS}
    assert rating_from_organisasi("Cukup", mapping) is Rating.SESUAI
    assert rating_from_organisasi("Baik", mapping) is Rating.DI_ATAS
    assert rating_from_organisasi("Kurang", mapping) is Rating.DI_BAWAH  # not overridden
    with pytest.raises(ValueError):
        rating_from_organisasi("Baik", {"Baik": "Hebat"})
    with pytest.raises(ValueError):
        rating_from_organisasi("Baik", {"Luar Biasa": "Sesuai Ekspektasi"})
    with pytest.raises(ValueError):
        rating_from_organisasi("Sangat Baik")


# --- Angka kredit (§3) ---------------------------------------------------------------------------

AK_TABLE = {  # §3.2: SB, B, BP, K, SK
    J.PEMULA: ("5.63", "3.75", "2.81", "1.88", "0.94"),
    J.TERAMPIL: ("7.50", "5.00", "3.75", "2.50", "1.25"),
    J.MAHIR: ("18.75", "12.50", "9.38", "6.25", "3.13"),
    J.PENYELIA: ("37.50", "25.00", "18.75", "12.50", "6.25"),
    J.AHLI_PERTAMA: ("18.75", "12.50", "9.38", "6.25", "3.13"),
    J.AHLI_MUDA: ("37.50", "25.00", "18.75", "12.50", "6.25"),
    J.AHLI_MADYA: ("56.25", "37.50", "28.13", "18.75", "9.38"),
    J.AHLI_UTAMA: ("75.00", "50.00", "37.50", "25.00", "12.50"),
}
AK_CELLS = [(j, p, v) for j, row in AK_TABLE.items() for p, v in zip(PREDIKAT_ORDER, row, strict=True)]


@pytest.mark.parametrize(("jenjang", "pred", "expected"), AK_CELLS, ids=[f"{j}-{p}" for j, p, _ in AK_CELLS])
def test_ak_table_all_cells(jenjang, pred, expected):
    assert len(AK_CELLS) == 40
    by_enum = angka_kredit(jenjang, pred)
    by_label = angka_kredit(jenjang.value, pred.value, 12)
    assert by_enum == by_label == D(expected)
    assert str(by_enum) == expected  # always two decimals


def test_ak_tables():
    assert KOEFISIEN_AK[J.AHLI_PERTAMA] == D("12.5") and KOEFISIEN_AK[J.PEMULA] == D("3.75")
    assert set(KOEFISIEN_AK) == set(J) == set(AK_KEBUTUHAN) == set(GOLONGAN_JENJANG)
    assert [PERSEN_AK[p] for p in PREDIKAT_ORDER] == [D("1.5"), D(1), D("0.75"), D("0.5"), D("0.25")]


@pytest.mark.parametrize(("jenjang", "pred", "bulan", "expected"), [
    ("Ahli Pertama", "Baik", 2, "2.08"),  # §3.3: 2/12 × 100 % × 12.5 = 2.0833
    ("Ahli Pertama", "Sangat Baik", 2, "3.13"),  # 3.125 → half up
    ("Ahli Pertama", "Sangat Baik", 6, "9.38"),  # 9.375 → half up
    ("Mahir", "Butuh Perbaikan", 12, "9.38"),
    ("Terampil", "Baik", 1, "0.42"),  # 0.41666…
    ("Pemula", "Sangat Kurang", 1, "0.08"),  # 0.078125
    ("Pemula", "Butuh Perbaikan", 4, "0.94"),  # 0.9375
    ("Ahli Madya", "Cukup", 8, "18.75"),
    ("Ahli Utama", "Kurang", 3, "6.25"),
    ("ahli muda", "misconduct", 12, "12.50"),
])
def test_ak_partial_year_and_rounding(jenjang, pred, bulan, expected):
    assert angka_kredit(jenjang, pred, bulan) == D(expected)


def test_ak_half_up_not_half_even():
    # 0.125 rounds to 0.13 (banker's rounding would give 0.12); the exact product is rounded once
    assert angka_kredit(None, "Baik", 12, koefisien="0.125") == D("0.13")
    assert angka_kredit(None, "Baik", 12, koefisien="0.135") == D("0.14")
    assert angka_kredit(None, "Sangat Kurang", 12, koefisien="0.1") == D("0.03")  # 0.025


def test_ak_koefisien_override():
    assert angka_kredit("Ahli Pertama", "Baik", koefisien=D("10")) == D("10.00")
    assert angka_kredit("Ahli Pertama", "Sangat Baik", koefisien="7,5") == D("11.25")
    assert angka_kredit(J.MAHIR, "Baik", 6, koefisien=15) == D("7.50")
    assert angka_kredit(None, "Baik", 6, koefisien=15.0) == D("7.50")


@pytest.mark.parametrize("bulan", [0, 13, -1, 1.5, "12", None, True])
def test_ak_bulan_out_of_range(bulan):
    with pytest.raises(ValueError, match="bulan"):
        angka_kredit("Ahli Pertama", "Baik", bulan)


@pytest.mark.parametrize(("jenjang", "pred", "koef", "match"), [
    ("Ahli Kedua", "Baik", None, "Jenjang"),
    (None, "Baik", None, "Jenjang"),
    ("Ahli Pertama", "Luar Biasa", None, "Predikat"),
    ("Ahli Pertama", "Baik", 0, "Koefisien"),
    ("Ahli Pertama", "Baik", -5, "Koefisien"),
    ("Ahli Pertama", "Baik", "abc", "Koefisien"),
    ("Ahli Kedua", "Baik", 10, "Jenjang"),  # an override does not hide a wrong jenjang
])
def test_ak_bad_inputs(jenjang, pred, koef, match):
    with pytest.raises(ValueError, match=match):
        angka_kredit(jenjang, pred, 12, koefisien=koef)


def test_parse_jenjang():
    assert parse_jenjang("ahli pertama") is J.AHLI_PERTAMA
    assert parse_jenjang("AHLI_MADYA") is J.AHLI_MADYA
    assert parse_jenjang(J.PEMULA) is J.PEMULA
    with pytest.raises(ValueError, match="Jenjang"):
        parse_jenjang("Ahli")


@pytest.mark.parametrize(("jenjang", "pangkat", "naik_jenjang"), [
    (J.AHLI_PERTAMA, 50, 100), (J.AHLI_MUDA, 100, 200), (J.AHLI_MADYA, 150, 450), (J.AHLI_UTAMA, 200, None),
    (J.PEMULA, 15, 15), (J.TERAMPIL, 20, 60), (J.MAHIR, 50, 100), (J.PENYELIA, 100, None),
])
def test_ak_kebutuhan_table(jenjang, pangkat, naik_jenjang):
    expected = (D(pangkat), None if naik_jenjang is None else D(naik_jenjang))
    assert AK_KEBUTUHAN[jenjang] == expected
    assert ak_kebutuhan(jenjang) == expected
    assert ak_kebutuhan(jenjang.value.upper()) == expected


def test_ak_kebutuhan_overrides():
    overrides = {"Terampil": (20, 40), J.PENYELIA: ("100", None)}
    assert ak_kebutuhan("Terampil", overrides) == (D(20), D(40))
    assert ak_kebutuhan(J.PENYELIA, overrides) == (D(100), None)
    assert ak_kebutuhan("Mahir", overrides) == (D(50), D(100))  # not overridden
    with pytest.raises(ValueError):
        ak_kebutuhan("Terampil", {"Terampil": (20, -1)})
    with pytest.raises(ValueError):
        ak_kebutuhan("Terampil", {"Terampil": 40})
    with pytest.raises(ValueError):
        ak_kebutuhan("Terampil", {"Tidak Ada": (1, 2)})


@pytest.mark.parametrize(("jenjang", "expected"), [
    ("Pemula", J.TERAMPIL), ("Terampil", J.MAHIR), ("Mahir", J.PENYELIA), ("Penyelia", None),
    ("Ahli Pertama", J.AHLI_MUDA), ("Ahli Muda", J.AHLI_MADYA), ("Ahli Madya", J.AHLI_UTAMA), (J.AHLI_UTAMA, None),
])
def test_jenjang_berikutnya(jenjang, expected):
    assert jenjang_berikutnya(jenjang) is expected


def test_golongan_jenjang():
    assert GOLONGAN_JENJANG[J.AHLI_PERTAMA] == ("III/a", "III/b")
    assert golongan_jenjang("Ahli Madya") == ("IV/a", "IV/b", "IV/c")
    assert golongan_jenjang("Terampil") == ("II/b", "II/c", "II/d")
    assert golongan_jenjang("Pemula") == ("II/a",)
    assert golongan_jenjang(J.AHLI_UTAMA) == ("IV/d", "IV/e")
    for low, high in GOLONGAN_JENJANG.values():
        assert low in GOLONGAN_PNS and high in GOLONGAN_PNS


@pytest.mark.parametrize(("golongan", "expected"), [
    ("III/a", "III/b"), ("III/b", "III/c"), ("II/d", "III/a"), ("III/d", "IV/a"), ("IV/d", "IV/e"),
    ("IV/e", None), ("I/a", "I/b"), ("iii b", "III/c"), ("3/a", "III/b"),
])
def test_golongan_berikutnya(golongan, expected):
    assert golongan_berikutnya(golongan) == expected


@pytest.mark.parametrize("golongan", ["", None, "V/a", "IX", "III/f"])
def test_golongan_berikutnya_bad(golongan):
    with pytest.raises(ValueError, match="Golongan"):
        golongan_berikutnya(golongan)


@pytest.mark.parametrize(("jenjang", "golongan", "expected"), [
    ("Ahli Pertama", "III/a", False), ("Ahli Pertama", "III/b", True), ("Ahli Madya", "IV/b", False),
    ("Ahli Madya", "IV/c", True), ("Ahli Utama", "IV/e", True), ("Pemula", "II/a", True),
    ("Terampil", "II/c", False), ("Terampil", "II/d", True), ("Penyelia", "III/d", True),
    ("Ahli Muda", "III/b", False),  # below the range
    ("Ahli Pertama", "III/c", True),  # above the range: next step cannot be a kenaikan pangkat in the jenjang
])
def test_is_puncak_jenjang(jenjang, golongan, expected):
    assert is_puncak_jenjang(jenjang, golongan) is expected


def test_is_puncak_jenjang_bad():
    with pytest.raises(ValueError):
        is_puncak_jenjang("Ahli Pertama", "IX")
    with pytest.raises(ValueError):
        is_puncak_jenjang("Ahli", "III/b")


# --- Capaian (§2.13) ------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "expected"), [
    # the four examples of §2.13
    ((92, 80, 90), "102.22"),
    ((70, 80, 90), "87.50"),
    ((D("6.5"), 7, 8, "negatif"), "107.14"),
    ((9, 7, 8, "negatif"), "87.50"),
    # positive, single target
    ((100, 100), "100.00"), ((50, 100), "50.00"), ((0, 100), "0.00"), ((150, 100), "150.00"),
    ((1, 3), "33.33"), ((2, 3), "66.67"),
    # negative, single target
    ((8, 10, None, "negatif"), "120.00"), ((10, 10, None, "negatif"), "100.00"),
    ((12, 10, None, "negatif"), "80.00"), ((0, 10, None, "negatif"), "200.00"),
    ((20, 10, None, "negatif"), "0.00"), ((25, 10, None, "negatif"), "0.00"),  # clamped at 0
    # range, positive: inside / on the bounds → 100
    ((85, 80, 90), "100.00"), ((80, 80, 90), "100.00"), ((90, 80, 90), "100.00"),
    # range, negative: inside → 100, below (better) uses the minimum, above (worse) the maximum
    ((D("7.5"), 7, 8, "negatif"), "100.00"), ((7, 7, 8, "negatif"), "100.00"), ((8, 7, 8, "negatif"), "100.00"),
    ((14, 7, 8, "negatif"), "25.00"), ((20, 7, 8, "negatif"), "0.00"),
    # range starting at 0 (e.g. 0–5 complaints)
    ((3, 0, 5, "negatif"), "100.00"), ((6, 0, 5, "negatif"), "80.00"), ((6, 0, 5), "120.00"),
    # target_max equal to target_min / blank / NaN = single target
    ((92, 90, 90), "102.22"), ((92, 90, ""), "102.22"), ((92, 90, float("nan")), "102.22"),
    ((92, 90, None, "Positif "), "102.22"),
])
def test_capaian(args, expected):
    result = capaian(*args)
    assert result == D(expected) and str(result) == expected


@pytest.mark.parametrize(("realisasi", "target", "expected"), [
    ("92,5", "100", "92.50"), (92.5, 100.0, "92.50"), ("1.234,5", "1000", "123.45"), (D("0.1"), 3, "3.33"),
    ("  45 ", 60, "75.00"), (1, 8, "12.50"),  # 12.5 exact
    (1, 16, "6.25"), (1, 800, "0.13"),  # 0.125 → half up
])
def test_capaian_input_types_and_rounding(realisasi, target, expected):
    assert capaian(realisasi, target) == D(expected)


@pytest.mark.parametrize(("args", "match"), [
    ((5, 0), "target 0 dengan polaritas positif"),
    ((5, "0,0"), "tidak dapat dihitung"),
    ((5, 0, 0), "tidak dapat dihitung"),
    ((5, 0, None, "negatif", "bulat"), "Aturan target 0"),
    ((-1, 10), "Realisasi tidak boleh negatif"),
    ((1, -10), "Target tidak boleh negatif"),
    ((1, 10, -20), "Target maksimum tidak boleh negatif"),
    ((1, 10, 5), "Target maksimum .* lebih kecil"),
    ((1, 10, None, "naik"), "Polaritas"),
    ((1, 10, None, None), "Polaritas"),
    ((None, 10), "Realisasi wajib diisi"),
    (("", 10), "Realisasi wajib diisi"),
    ((1, None), "Target wajib diisi"),
    (("abc", 10), "Realisasi 'abc' bukan angka"),
    (("1,2,3", 10), "bukan angka"),
    (("1,234.5", 10), "bukan angka"),
    ((float("nan"), 10), "Realisasi harus berupa angka"),
    ((float("inf"), 10), "Realisasi harus berupa angka"),
    ((True, 10), "Realisasi harus berupa angka"),
    (([1], 10), "bukan angka"),
])
def test_capaian_bad_inputs(args, match):
    with pytest.raises(ValueError, match=match):
        capaian(*args)


@settings(max_examples=200, deadline=None)
@given(
    a=st.decimals(min_value=0, max_value=10**6, places=3),
    b=st.decimals(min_value=0, max_value=10**6, places=3),
    target=st.decimals(min_value=D("0.001"), max_value=10**6, places=3),
)
def test_capaian_monotone_positive(a, b, target):
    low, high = sorted((a, b))
    assert capaian(low, target) <= capaian(high, target)
    assert capaian(low, target, polaritas="negatif") >= capaian(high, target, polaritas="negatif")
    assert capaian(low, target, polaritas="negatif") >= 0


# --- Distribution (§2.12) -------------------------------------------------------------------------


def counts(sb=0, b=0, bp=0, k=0, sk=0):
    return {"Sangat Baik": sb, "Baik": b, "Butuh Perbaikan": bp, "Kurang/Misconduct": k, "Sangat Kurang": sk}


def test_distribution_example_message():
    assert check_distribution("Istimewa", counts(sb=8, b=2)) == [
        "Sangat Baik paling banyak 70% (saat ini 8 dari 10 pegawai = 80%)."]


@pytest.mark.parametrize(("org", "c", "ok"), [
    # Istimewa: Sangat Baik ≤ 70 %
    ("Istimewa", counts(sb=7, b=3), True),
    ("Istimewa", counts(sb=8, b=2), False),
    ("Istimewa", counts(sb=0, b=0, sk=1), False),  # Sangat Baik must be the largest group
    ("Istimewa", counts(sb=3, b=3, bp=3, k=1), True),  # ties allowed
    ("Istimewa", counts(sb=3, b=4, bp=3), False),
    # Baik: Baik ≤ 70 %, largest, at least one Butuh Perbaikan / Kurang
    ("Baik", counts(sb=2, b=7, bp=1), True),
    ("Baik", counts(sb=1, b=8, bp=1), False),
    ("Baik", counts(b=7, k=1, sb=2), True),
    ("Baik", counts(b=7, sb=2, sk=1), False),  # no Butuh Perbaikan / Kurang
    ("Baik", counts(b=3, sb=4, bp=3), False),  # Baik not the largest
    ("Baik", counts(b=4, sb=4, bp=2), True),
    # Butuh Perbaikan: BP ≥ 60 %, SB ≤ 10 %
    ("Butuh Perbaikan", counts(bp=6, b=4), True),
    ("Butuh Perbaikan", counts(bp=5, b=5), False),
    ("Butuh Perbaikan", counts(bp=6, sb=1, b=3), True),
    ("Butuh Perbaikan", counts(bp=6, sb=2, b=2), False),
    ("Cukup", counts(bp=10), True),
    # Kurang: K ≥ 60 %, BP ≥ 10 %, SB ≤ 10 %
    ("Kurang", counts(k=6, bp=1, b=3), True),
    ("Kurang", counts(k=5, bp=1, b=4), False),
    ("Kurang", counts(k=9, bp=1), True),
    ("Kurang", counts(k=10, bp=0), False),
    ("Kurang", counts(k=6, bp=1, sb=1, b=2), True),
    ("Kurang", counts(k=6, bp=1, sb=2, b=1), False),
    # Sangat Kurang: SK ≥ 60 %, K + BP ≥ 10 %, no Sangat Baik
    ("Sangat Kurang", counts(sk=6, k=1, b=3), True),
    ("Sangat Kurang", counts(sk=6, bp=1, b=3), True),
    ("Sangat Kurang", counts(sk=5, k=1, b=4), False),
    ("Sangat Kurang", counts(sk=9, bp=1), True),
    ("Sangat Kurang", counts(sk=10), False),
    ("Sangat Kurang", counts(sk=6, k=1, sb=1, b=2), False),
])
def test_distribution_boundaries(org, c, ok):
    problems = check_distribution(org, c)
    assert (problems == []) is ok, problems


@pytest.mark.parametrize(("org", "c", "expected"), [
    ("Istimewa", counts(sb=2, b=5, bp=3), [
        "Sebagian besar pegawai harus berpredikat Sangat Baik: Sangat Baik harus menjadi predikat terbanyak "
        "(saat ini 2 dari 10 pegawai = 20%, sedangkan Baik 5 dari 10 pegawai = 50%)."]),
    ("Baik", counts(b=9, sb=1), [
        "Baik paling banyak 70% (saat ini 9 dari 10 pegawai = 90%).",
        "Harus ada pegawai dengan predikat Butuh Perbaikan dan/atau Kurang/Misconduct "
        "(paling sedikit 1 pegawai; saat ini 0 dari 10 pegawai)."]),
    ("Butuh Perbaikan", counts(bp=5, sb=2, b=3), [
        "Butuh Perbaikan paling sedikit 60% (saat ini 5 dari 10 pegawai = 50%).",
        "Sangat Baik paling banyak 10% (saat ini 2 dari 10 pegawai = 20%)."]),
    ("Kurang", counts(k=1, sb=2), [
        "Kurang/Misconduct paling sedikit 60% (saat ini 1 dari 3 pegawai = 33,33%).",
        "Butuh Perbaikan paling sedikit 10% (saat ini 0 dari 3 pegawai = 0%).",
        "Sangat Baik paling banyak 10% (saat ini 2 dari 3 pegawai = 66,67%)."]),
    ("Sangat Kurang", counts(sk=5, sb=1, b=2), [  # 5 of 8 = 62.5 % Sangat Kurang is enough
        "Kurang/Misconduct dan/atau Butuh Perbaikan paling sedikit 10% (saat ini 0 dari 8 pegawai = 0%).",
        "Tidak boleh ada pegawai Sangat Baik (saat ini 1 dari 8 pegawai = 12,5%)."]),
])
def test_distribution_messages(org, c, expected):
    assert check_distribution(org, c) == expected


def test_distribution_sangat_kurang_one_sangat_baik_fails():
    problems = check_distribution("Sangat Kurang", counts(sk=89, k=10, sb=1))
    assert problems == ["Tidak boleh ada pegawai Sangat Baik (saat ini 1 dari 100 pegawai = 1%)."]


def test_distribution_total_zero_and_missing_labels():
    for org in PredikatOrganisasi:
        assert check_distribution(org, {}) == []
        assert check_distribution(org, counts()) == []
    assert check_distribution("Butuh Perbaikan", {"Butuh Perbaikan": 3}) == []


def test_distribution_aliases_and_enums():
    assert check_distribution("Cukup", {"Cukup": 6, "baik": 4}) == []
    # aliases of the same predikat are added up
    assert check_distribution(ORG_KURANG, {"Kurang": 3, "Misconduct": 3, "Cukup/Butuh Perbaikan": 1, B: 3}) == []
    assert check_distribution("Kurang", {PredikatKinerja.KURANG: 5, "Butuh Perbaikan": 1, B: 4}) != []


@pytest.mark.parametrize(("org", "c", "match"), [
    ("Istimewa", {"Luar Biasa": 1}, "Predikat kinerja 'Luar Biasa'"),
    ("Istimewa", {"Baik": -1}, "tidak boleh negatif"),
    ("Istimewa", {"Baik": 1.5}, "bilangan bulat"),
    ("Istimewa", {"Baik": "3"}, "bilangan bulat"),
    ("Istimewa", {"Baik": True}, "bilangan bulat"),
    ("Istimewa", [("Baik", 1)], "dict"),
    ("Sangat Baik", {"Baik": 1}, "Predikat kinerja organisasi"),
])
def test_distribution_bad_inputs(org, c, match):
    with pytest.raises(ValueError, match=match):
        check_distribution(org, c)


def test_distribution_thresholds_override():
    c = counts(sb=8, b=2)
    assert check_distribution("Istimewa", c, DistributionRules(istimewa_sangat_baik_max=D(80))) == []
    assert check_distribution("Istimewa", c, {"istimewa_sangat_baik_max": 80}) == []
    # switch off "sebagian besar" = largest group
    assert check_distribution("Istimewa", counts(sb=2, b=5, bp=3)) != []
    assert check_distribution("Istimewa", counts(sb=2, b=5, bp=3), {"sebagian_besar_terbanyak": False}) == []
    # the Baik count rule can be disabled
    assert check_distribution("Baik", counts(b=7, sb=3), {"baik_bp_kurang_min_jumlah": 0}) == []
    # fractional thresholds are compared exactly: 12.5 % of 8 = 1 employee
    rules = dataclasses.replace(DEFAULT_DISTRIBUTION, kurang_sangat_baik_max="12,5")
    assert rules.kurang_sangat_baik_max == D("12.5")
    assert check_distribution("Kurang", counts(k=5, bp=1, sb=1, b=1), rules) == []
    assert check_distribution("Kurang", counts(k=5, bp=1, sb=1, b=1)) == [
        "Sangat Baik paling banyak 10% (saat ini 1 dari 8 pegawai = 12,5%)."]


@pytest.mark.parametrize("overrides", [
    {"tidak_ada": 1},
    {"istimewa_sangat_baik_max": 101},
    {"istimewa_sangat_baik_max": -1},
    {"istimewa_sangat_baik_max": "abc"},
    {"istimewa_sangat_baik_max": 15},  # cannot be the largest group of 5 with at most 15 %
    {"kurang_kurang_min": 95},  # 95 + 10 > 100
    {"sebagian_besar_terbanyak": "ya"},
    {"baik_bp_kurang_min_jumlah": -1},
    {"baik_bp_kurang_min_jumlah": 1.5},
])
def test_distribution_bad_thresholds(overrides):
    with pytest.raises(ValueError):
        check_distribution("Istimewa", counts(sb=1), overrides)


def test_distribution_rules_is_frozen_data():
    assert DistributionRules() == DEFAULT_DISTRIBUTION
    assert DEFAULT_DISTRIBUTION.istimewa_sangat_baik_max == D(70)
    assert DEFAULT_DISTRIBUTION.sebagian_besar_terbanyak is True
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_DISTRIBUTION.baik_baik_max = D(50)  # type: ignore[misc]
    with pytest.raises(ValueError):
        check_distribution("Istimewa", counts(sb=1), thresholds=42)  # type: ignore[arg-type]


def _bands(org):
    return {p.value: (float(lo), float(hi)) for p, (lo, hi) in allowed_shares(org).items()}


def test_allowed_shares():
    assert _bands("Istimewa") == {"Sangat Baik": (20, 70), "Baik": (0, 50), "Butuh Perbaikan": (0, 50),
                                  "Kurang/Misconduct": (0, 50), "Sangat Kurang": (0, 50)}
    assert _bands("Baik") == {"Sangat Baik": (0, 50), "Baik": (20, 70), "Butuh Perbaikan": (0, 50),
                              "Kurang/Misconduct": (0, 50), "Sangat Kurang": (0, 50)}
    assert _bands("Cukup") == {"Sangat Baik": (0, 10), "Baik": (0, 40), "Butuh Perbaikan": (60, 100),
                               "Kurang/Misconduct": (0, 40), "Sangat Kurang": (0, 40)}
    assert _bands("Kurang") == {"Sangat Baik": (0, 10), "Baik": (0, 30), "Butuh Perbaikan": (10, 40),
                                "Kurang/Misconduct": (60, 90), "Sangat Kurang": (0, 30)}
    assert _bands("Sangat Kurang") == {"Sangat Baik": (0, 0), "Baik": (0, 30), "Butuh Perbaikan": (0, 40),
                                       "Kurang/Misconduct": (0, 40), "Sangat Kurang": (60, 90)}
    shares = allowed_shares("Istimewa", {"sebagian_besar_terbanyak": False})
    assert shares[SB] == (D(0), D(70)) and shares[B] == (D(0), D(100))
    assert list(shares) == list(PREDIKAT_ORDER)
    assert all(isinstance(v, Decimal) for band in shares.values() for v in band)


# --- Properties -----------------------------------------------------------------------------------


def _oracle(org: PredikatOrganisasi, c: dict[Predikat, int]) -> bool:
    """The default rules of §2.12 written out independently with fractions."""
    total = sum(c.values())
    if total == 0:
        return True
    share = {p: Fraction(n, total) for p, n in c.items()}
    largest = max(c.values())
    if org is ORG_ISTIMEWA:
        return share[SB] <= Fraction(7, 10) and c[SB] == largest
    if org is ORG_BAIK:
        return share[B] <= Fraction(7, 10) and c[B] == largest and c[BP] + c[K] >= 1
    if org is ORG_BP:
        return share[BP] >= Fraction(6, 10) and share[SB] <= Fraction(1, 10)
    if org is ORG_KURANG:
        return share[K] >= Fraction(6, 10) and share[BP] >= Fraction(1, 10) and share[SB] <= Fraction(1, 10)
    return share[SK] >= Fraction(6, 10) and share[K] + share[BP] >= Fraction(1, 10) and c[SB] == 0


@settings(max_examples=300, deadline=None)
@given(
    org=st.sampled_from(list(PredikatOrganisasi)),
    values=st.lists(st.integers(min_value=0, max_value=40), min_size=5, max_size=5),
)
def test_distribution_matches_oracle_and_bands(org, values):
    c = dict(zip(PREDIKAT_ORDER, values, strict=True))
    problems = check_distribution(org, c)
    assert isinstance(problems, list) and all(isinstance(m, str) and m.endswith(".") for m in problems)
    assert (problems == []) is _oracle(org, c)
    total = sum(values)
    if not problems and total:
        for p, (low, high) in allowed_shares(org).items():
            assert low * total <= c[p] * 100 <= high * total
