"""Pure domain rules: no database, no UI. `import domain` gives every rule; submodules group them:

- enums: the enumerations stored in the database (roles, statuses, rating, predikat, ...)
- nip, golongan: NIP / NI PPPK and golongan/pangkat
- predikat: ratings → predikat kinerja matrix, unit head's rating from the organisational predikat
- angka_kredit: conversion of predikat to angka kredit, requirements, jenjang steps
- capaian: realisation against target per polarity
- distribusi: distribution curve of predikat per organisational predikat
- berakhlak: the BerAKHLAK core values and their guides
- cells: parsing and formatting of grid / import cells (Indonesian dates, decimals, booleans)
"""

from __future__ import annotations

from domain import berakhlak, cells  # noqa: F401, E402
from domain.angka_kredit import (  # noqa: F401
    AK_KEBUTUHAN,
    GOLONGAN_JENJANG,
    JENJANG_BERIKUTNYA,
    KOEFISIEN_AK,
    PERSEN_AK,
    ak_kebutuhan,
    angka_kredit,
    golongan_berikutnya,
    golongan_jenjang,
    is_puncak_jenjang,
    jenjang_berikutnya,
    parse_jenjang,
)
from domain.capaian import (  # noqa: F401
    ATURAN_TARGET_NOL,
    CapaianTidakDihitung,
    HasilCapaian,
    agregat,
    band,
    capaian,
    capaian_indikator,
    default_polaritas,
    hitung_capaian,
    parse_bands,
    sebar_triwulan,
)
from domain.distribusi import (  # noqa: F401
    DEFAULT_DISTRIBUTION,
    DistributionRules,
    allowed_shares,
    check_distribution,
)
from domain.enums import (  # noqa: F401
    AspekIki,
    FormatSkp,
    JenisAngkaKredit,
    JenisASN,
    JenisCascading,
    JenisDokumenEvaluasi,
    JenisEvaluasi,
    JenisHariLibur,
    JenisJabatan,
    JenisKelamin,
    JenisLampiran,
    JenisRhk,
    JenjangFungsional,
    KategoriFungsional,
    Pendekatan,
    PeriodeEvaluasi,
    Perspektif,
    Polaritas,
    Predikat,
    PredikatKinerja,
    PredikatOrganisasi,
    PredikatOrganisasiKinerja,
    Rating,
    RatingKinerja,
    Role,
    StatusEvaluasi,
    StatusKoreksi,
    StatusLogbook,
    StatusPeriode,
    StatusRevisi,
    StatusSkp,
)
from domain.golongan import (  # noqa: F401
    GOLONGAN_PNS,
    GOLONGAN_PPPK,
    golongan_ordinal,
    normalise_golongan,
    pangkat_golongan,
)
from domain.nip import (  # noqa: F401
    MIN_AGE_AT_TMT,
    MIN_AGE_AT_TODAY,
    MIN_BIRTH_YEAR,
    NipInfo,
    is_valid_nip,
    parse_nip,
    scientific_message,
)
from domain.predikat import (  # noqa: F401
    DEFAULT_RATING_ORGANISASI,
    PREDIKAT_MATRIX,
    PREDIKAT_ORDER,
    PREDIKAT_ORGANISASI_ORDER,
    RATING_ORDER,
    parse_predikat,
    parse_predikat_organisasi,
    parse_rating,
    predikat,
    predikat_reason,
    rating_from_organisasi,
)
