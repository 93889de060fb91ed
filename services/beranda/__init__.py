"""Beranda: the user's identity card and the "tugas saya" list.

Tasks come from providers: functions (session, actor, today) -> list[Task]. Later features register their own
providers with `task_provider` (SKP to fill, logbook to review, ...).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

import services.evaluasi  # noqa: F401  (registers its task providers)
import services.kinerja  # noqa: F401
import services.logbook  # noqa: F401
import services.monev  # noqa: F401
import services.org  # noqa: F401
import services.skp  # noqa: F401
from db.engine import read_session
from db.models import LoginThrottle, Pegawai, Period, ReportingLine, Role, StatusPeriode, User
from domain import pangkat_golongan
from services.core import clock
from services.core.actor import Actor
from services.core.tasks import Task, providers, task_provider
from services.org.reporting import line_in_force


@dataclass(frozen=True)
class Identity:
    nama: str
    nip: str | None
    jenis_asn: str | None
    jabatan: str | None
    jenis_jabatan: str | None
    golongan: str
    unit: str | None
    tim: str | None
    pejabat_penilai: str | None
    atasan_penilai: str | None
    pemberi_pertimbangan: str | None


def identity(actor: Actor, today: dt.date | None = None) -> Identity:
    """The identity card of the acting user (admin accounts without a pegawai record get a short card)."""
    today = today or clock.today()
    with read_session() as s:
        if actor.pegawai_id is None:
            return Identity(actor.nama, None, None, None, None, "-", None, None, None, None, None)
        p = s.get(Pegawai, actor.pegawai_id)
        assert p is not None
        pp, ap, pt = (aliased(Pegawai) for _ in range(3))
        line = s.execute(
            select(pp, ap, pt)
            .select_from(ReportingLine)
            .outerjoin(pp, pp.id == ReportingLine.pejabat_penilai_id)
            .outerjoin(ap, ap.id == ReportingLine.atasan_penilai_id)
            .outerjoin(pt, pt.id == ReportingLine.pemberi_pertimbangan_id)
            .where(ReportingLine.pegawai_id == p.id, line_in_force(today))
            .order_by(ReportingLine.berlaku_mulai.desc())
            .limit(1)
        ).first()

        def who(x: Pegawai | None) -> str | None:
            return f"{x.nama_lengkap} ({x.nip})" if x else None

        return Identity(
            nama=p.nama_lengkap, nip=p.nip, jenis_asn=p.jenis_asn.value,
            jabatan=p.jabatan.nama if p.jabatan else None,
            jenis_jabatan=p.jabatan.jenis.value if p.jabatan else None,
            golongan=pangkat_golongan(p.golongan), unit=p.unit.nama if p.unit else None,
            tim=p.tim.nama if p.tim else None,
            pejabat_penilai=who(line[0]) if line else None,
            atasan_penilai=who(line[1]) if line else None,
            pemberi_pertimbangan=who(line[2]) if line else None,
        )


def my_tasks(actor: Actor, today: dt.date | None = None) -> list[Task]:
    today = today or clock.today()
    tasks: list[Task] = []
    with read_session() as s:
        for provider in providers():
            tasks.extend(provider(s, actor, today))
    return sorted(tasks, key=lambda t: (t.prioritas, t.tenggat or dt.date.max, t.judul))


# --- providers of the foundation --------------------------------------------------------------------


@task_provider
def _account_tasks(s: Session, actor: Actor, today: dt.date) -> list[Task]:
    user = s.get(User, actor.user_id) if actor.user_id else None
    if user and user.must_change_password:
        return [Task("Akun", "Ganti kata sandi sementara Anda", "Akun baru atau hasil reset wajib mengganti kata sandi.",
                     prioritas=1, halaman="ganti_password.py")]
    return []


@task_provider
def _reporting_line_tasks(s: Session, actor: Actor, today: dt.date) -> list[Task]:
    if actor.pegawai_id is None:
        return []
    has_line = s.scalar(select(func.count(ReportingLine.id)).where(
        ReportingLine.pegawai_id == actor.pegawai_id, line_in_force(today),
        ReportingLine.pejabat_penilai_id.is_not(None)))
    p = s.get(Pegawai, actor.pegawai_id)
    if not has_line and p and p.jabatan and p.jabatan.jenis.value != "JPT":
        return [Task("Data kepegawaian", "Pejabat penilai Anda belum ditetapkan",
                     "Hubungi Admin SDM agar hubungan penilaian Anda dicatat.", prioritas=2)]
    return []


@task_provider
def _admin_tasks(s: Session, actor: Actor, today: dt.date) -> list[Task]:
    if Role.ADMIN_SDM not in actor.roles:
        return []
    tasks: list[Task] = []
    if not s.scalar(select(Period.id).where(Period.tahun == today.year, Period.status == StatusPeriode.DIBUKA)):
        tasks.append(Task("Administrasi SDM", f"Buka periode kinerja tahun {today.year}",
                          "Periode menentukan tahun SKP dan ritme evaluasi (bulanan/triwulanan).",
                          prioritas=1, halaman="sdm_periode.py"))
    no_line = s.scalar(
        select(func.count(Pegawai.id)).where(
            Pegawai.aktif.is_(True),
            ~select(ReportingLine.id).where(ReportingLine.pegawai_id == Pegawai.id, line_in_force(today),
                                            ReportingLine.pejabat_penilai_id.is_not(None)).exists(),
        )
    ) or 0
    if no_line > 1:  # the head of office has no penilai inside the satker
        tasks.append(Task("Administrasi SDM", f"{no_line} pegawai aktif belum punya pejabat penilai",
                          "Lengkapi hubungan penilaian.", prioritas=2, halaman="sdm_hubungan.py"))
    no_account = s.scalar(select(func.count(Pegawai.id)).where(
        Pegawai.aktif.is_(True), ~select(User.id).where(User.pegawai_id == Pegawai.id).exists())) or 0
    if no_account:
        tasks.append(Task("Administrasi SDM", f"{no_account} pegawai aktif belum punya akun",
                          "Buat akun dari halaman Akun Pengguna.", prioritas=2, halaman="sdm_akun.py"))
    locked = s.scalar(select(func.count(User.id)).join(
        LoginThrottle, (LoginThrottle.scope == "akun") & (LoginThrottle.key == User.username)).where(
        LoginThrottle.locked_until > clock.utcnow())) or 0
    if locked:
        tasks.append(Task("Administrasi SDM", f"{locked} akun sedang terkunci",
                          "Buka kunci bila pemiliknya sudah dipastikan.", prioritas=2, halaman="sdm_akun.py"))
    return tasks
