import datetime as dt

from db.models import ReportingLine
from services import beranda
from services.auth import login as auth
from services.core import clock
from services.core.actor import SYSTEM
from services.core.uow import unit_of_work


def test_identity_card_of_pegawai(org):
    card = beranda.identity(org.actors.staf2)
    assert card.nip == "199104042019022004"
    assert card.nama == "Dewi Lestari, S.Si."
    assert card.golongan == "Penata Muda Tingkat I, III/b"
    assert card.jabatan == "Epidemiolog Kesehatan Ahli Muda"
    assert card.pejabat_penilai.startswith("Budi Santoso, S.E.")
    assert card.atasan_penilai.startswith("dr. Ratna Hapsari, M.K.M.")
    assert card.pemberi_pertimbangan.startswith("Siti Aminah")
    assert card.tim == "Tim Kerja Surveilans"


def test_identity_card_of_admin_without_pegawai(org):
    card = beranda.identity(org.actors.admin)
    assert card.nip is None and card.nama == "Administrator SDM"


def test_tasks_must_change_password(org):
    pppk = auth.load_actor(org.usernames["pppk"])
    titles = [t.judul for t in beranda.my_tasks(pppk)]
    assert "Ganti kata sandi sementara Anda" in titles
    assert "Ganti kata sandi sementara Anda" not in [t.judul for t in beranda.my_tasks(org.actors.staf)]


def test_tasks_missing_penilai_and_admin_counts(org):
    with unit_of_work(SYSTEM) as s:
        line = s.query(ReportingLine).filter_by(pegawai_id=org.pegawai["staf"]).one()
        line.berlaku_sampai = clock.today() - dt.timedelta(days=1)
    titles = [t.judul for t in beranda.my_tasks(org.actors.staf)]
    assert "Pejabat penilai Anda belum ditetapkan" in titles
    admin_titles = [t.judul for t in beranda.my_tasks(org.actors.admin)]
    assert "2 pegawai aktif belum punya pejabat penilai" in admin_titles  # kepala + staf


def test_admin_task_open_period(org):
    next_year = dt.date(org.year + 1, 1, 5)
    titles = [t.judul for t in beranda.my_tasks(org.actors.admin, today=next_year)]
    assert f"Buka periode kinerja tahun {org.year + 1}" in titles
    assert not any(t.startswith("Buka periode") for t in [t.judul for t in beranda.my_tasks(org.actors.admin)])


def test_audit_rows_of_inserts_carry_the_new_id(org):
    import pandas as pd

    from services.core import audit

    df = audit.search(org.actors.admin, audit.AuditFilter(entity="Pegawai", limit=50))
    assert isinstance(df, pd.DataFrame) and len(df) >= 6
    assert df["id"].notna().all()


def test_skp_tasks_reach_beranda_without_importing_skp_first(org):
    """Beranda loads the feature modules' task providers itself (a fresh server imports no SKP page first)."""
    tasks = beranda.my_tasks(org.actors.staf)
    skp_tasks = [t for t in tasks if t.halaman == "skp_saya.py"]
    assert skp_tasks, [t.judul for t in tasks]
