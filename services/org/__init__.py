"""The organisation (SDM): unit kerja, tim kerja and jabatan (units), pegawai (people) and their import
(importer), reporting lines / hubungan penilaian (reporting), performance years (periods) and working days
(kalender).

Pages import this package (`from services import org`) or names from it, never its modules by path."""

from services.org import (
    importer,
    kalender,
    ketidakhadiran,
    lingkup,
    penugasan,
    people,
    periods,
    reporting,
    units,
)
from services.org.periods import PeriodeEvaluasi, PeriodInfo  # noqa: E402

__all__ = [
    "importer",
    "kalender",
    "ketidakhadiran",
    "lingkup",
    "penugasan",
    "people",
    "periods",
    "reporting",
    "units",
    "PeriodeEvaluasi",
    "PeriodInfo",
]
