"""Typed SQLAlchemy 2 models, one module per domain; `from db.models import X` works for every model and enum.

- org: instansi, unit kerja, tim kerja, jabatan, pegawai, reporting lines, users, login sessions and throttle
  counters, periods, settings, audit
- skp: SKP, RHK, IKI, perilaku, lampiran, versions, revision requests, documents
- logbook: logbook entries, attachments, corrections, holidays
- evaluasi: evaluations, rencana aksi, realisasi, ratings, documents, organisational predikat, angka kredit
- kinerja: Perjanjian Kinerja, realisation per Tim Kerja, kertas kerja, Laporan Kinerja (SOP 001)
- monev: monthly monev meeting, undangan, notulen, attendance, tindak lanjut, report (SOP 002)
Enumerations live in domain.enums (pure) and are re-exported here.
"""

from __future__ import annotations

from db.models.evaluasi import (  # noqa: F401
    AngkaKredit,
    Evaluasi,
    EvaluasiDokumen,
    EvaluasiIki,
    EvaluasiPerilaku,
    EvaluasiRhk,
    JenisAngkaKredit,
    JenisDokumenEvaluasi,
    JenisEvaluasi,
    KinerjaOrganisasi,
    Polaritas,
    PredikatKinerja,
    PredikatOrganisasiKinerja,
    RatingKinerja,
    RencanaAksi,
    StatusEvaluasi,
)
from db.models.individu import (  # noqa: F401
    JenisKetidakhadiran,
    JenisPenugasan,
    Ketidakhadiran,
    Pengumuman,
    PenugasanPlt,
)
from db.models.kinerja import (  # noqa: F401
    AnggotaTimPenyusun,
    AturanAgregasi,
    DelegasiRealisasi,
    IndikatorKinerja,
    JenisIndikator,
    KertasKerja,
    KertasKerjaVersi,
    LaporanKinerja,
    LaporanPengiriman,
    LaporanReviu,
    PerjanjianKinerja,
    PkVersi,
    PolaritasIndikator,
    RealisasiAnggaran,
    RealisasiIndikator,
    RealisasiTim,
    RincianOutput,
    RpdBulanan,
    SasaranStrategis,
    SkTimPenyusun,
    StatusKertasKerja,
    StatusLaporan,
    StatusPk,
    StatusRealisasiTim,
    TargetBulanan,
)
from db.models.logbook import (  # noqa: F401
    HariLibur,
    JenisHariLibur,
    LogbookAttachment,
    LogbookCorrection,
    LogbookEntry,
    LogbookMonthNote,
    StatusKoreksi,
    StatusLogbook,
)
from db.models.monev import (  # noqa: F401
    MonevAgenda,
    MonevFoto,
    MonevHadir,
    MonevTemplateAgenda,
    MonevTindakLanjut,
    RapatMonev,
    StatusLaporanMonev,
    StatusRapat,
    StatusTindakLanjut,
    StatusUndangan,
)
from db.models.org import (  # noqa: F401
    ASSIGNABLE_ROLES,
    AuditLog,
    Instansi,
    Jabatan,
    JenisASN,
    JenisJabatan,
    JenisKelamin,
    JenjangFungsional,
    KategoriFungsional,
    LoginThrottle,
    Pegawai,
    Period,
    PeriodeEvaluasi,
    ReportingLine,
    Role,
    Setting,
    StatusPeriode,
    TimKerja,
    UnitKerja,
    User,
    UserRole,
    UserSession,
)
from db.models.skp import (  # noqa: F401
    AspekIki,
    FormatSkp,
    Iki,
    JenisCascading,
    JenisLampiran,
    JenisRhk,
    Pendekatan,
    Perspektif,
    Rhk,
    RhkIntervensi,
    Skp,
    SkpDocument,
    SkpLampiran,
    SkpPerilaku,
    SkpRevisionRequest,
    SkpVersion,
    StatusRevisi,
    StatusSkp,
)
