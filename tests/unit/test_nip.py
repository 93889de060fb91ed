"""NIP (PNS, Perka BKN 22/2007) and NI PPPK validation (domain.md §6). `today` is fixed for repeatability."""

import datetime as dt

import pytest

from domain import is_valid_nip, parse_nip

TODAY = dt.date(2026, 6, 15)


def test_pns_vector_seed_004():
    info = parse_nip("198501292009021004", today=TODAY)
    assert info.jenis == "PNS" and info.label == "NIP"
    assert info.tanggal_lahir == dt.date(1985, 1, 29)
    assert (info.tmt_tahun, info.tmt_bulan) == (2009, 2)
    assert info.tmt == dt.date(2009, 2, 1)
    assert info.jenis_kelamin == "L"
    assert info.nomor_urut == 4
    assert info.formatted == "19850129 200902 1 004"


def test_pns_vector_with_spaces_female():
    info = parse_nip("19670806 200801 2 017", today=TODAY)
    assert info.nip == "196708062008012017"
    assert info.tanggal_lahir == dt.date(1967, 8, 6)
    assert (info.tmt_tahun, info.tmt_bulan) == (2008, 1)
    assert info.jenis_kelamin == "P"
    assert info.nomor_urut == 17


@pytest.mark.parametrize("text", ["19850129.200902.1.004", "19850129-200902-1-004", " 198501292009021004 "])
def test_separators_are_ignored(text):
    assert parse_nip(text, today=TODAY).nip == "198501292009021004"


def test_pppk_vector():
    info = parse_nip("19950505 2022 2 1 1 005", today=TODAY)
    assert info.jenis == "PPPK" and info.label == "NIPPPK"
    assert info.tanggal_lahir == dt.date(1995, 5, 5)
    assert info.tmt_tahun == 2022 and info.tmt_bulan is None
    assert info.formasi == 1
    assert info.jenis_kelamin == "L"
    assert info.nomor_urut == 5
    assert info.formatted == "19950505 2022 2 1 1 005"


def test_pppk_female_other_formation():
    info = parse_nip("199001012023232010", today=TODAY)
    assert (info.jenis, info.formasi, info.jenis_kelamin, info.nomor_urut) == ("PPPK", 3, "P", 10)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "wajib diisi"),
        ("1985012920090210", "18 digit"),
        ("1985012920090210041", "18 digit"),
        ("19850129200902100A", "hanya boleh berisi angka"),
        ("198502302009021004", "bukan tanggal yang sah"),  # 30 February
        ("198513012009021004", "bukan tanggal yang sah"),  # birth month 13
        ("198501292009131004", "Bulan TMT"),  # TMT month 13
        ("198501292009001004", "Bulan TMT"),  # TMT month 00
        ("198501292009023004", "jenis kelamin"),  # gender digit 3
        ("198501292009021000", "Nomor urut"),  # serial 000
        ("198501292002121004", "kurang dari 18 tahun"),  # TMT at 17
        ("198501292026071004", "masa depan"),  # TMT July 2026 > June 2026
        ("193912312000011001", "terlalu lama"),  # born 1939
        ("201001012028011001", "di bawah 17 tahun"),  # too young today
        ("199001012027211001", "masa depan"),  # PPPK TMT year in the future
        ("199001012005211001", "kurang dari 18 tahun"),  # PPPK TMT at 15
        ("199001012020201001", "Bulan TMT"),  # PPPK formation 0 is not PPPK; read as PNS, TMT month 20
        ("199001012020211000", "Nomor urut"),  # PPPK serial 000
        ("199001012020213001", "jenis kelamin"),  # PPPK gender 3 -> not PPPK; PNS gender digit (pos 15) = 3
    ],
)
def test_invalid_numbers_have_indonesian_messages(text, fragment):
    with pytest.raises(ValueError) as exc:
        parse_nip(text, today=TODAY)
    assert fragment.lower() in str(exc.value).lower(), str(exc.value)
    assert not is_valid_nip(text, today=TODAY)


def test_tmt_exactly_at_18_is_accepted():
    assert is_valid_nip("198501292003011001", today=TODAY)  # born Jan 1985, TMT Jan 2003
    assert not is_valid_nip("198502012002121001", today=TODAY)


def test_today_matters():
    assert not is_valid_nip("198501292026071004", today=TODAY)
    assert is_valid_nip("198501292026071004", today=dt.date(2026, 7, 1))
