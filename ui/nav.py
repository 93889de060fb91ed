"""Page registry: which page belongs to which roles, and the navigation built from it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.core import Actor, Role
from ui.text import md

ROOT = Path(__file__).resolve().parent.parent
R = Role
EVERYONE = frozenset(Role)
REVIEWERS = frozenset({R.PENILAI, R.ATASAN_PENILAI, R.PEMBERI_PERTIMBANGAN})
LEADERS = frozenset({R.KEPALA_SATKER, R.PERENCANA, R.ADMIN_SDM})
ADMIN = frozenset({R.ADMIN_SDM})


@dataclass(frozen=True)
class PageDef:
    file: str  # under pages/
    title: str
    icon: str
    section: str
    roles: frozenset[Role]


PAGES: tuple[PageDef, ...] = (
    PageDef("beranda.py", "Beranda", ":material/home:", "Umum", EVERYONE),
    PageDef("skp_saya.py", "SKP Saya", ":material/assignment:", "Kinerja Saya", frozenset({R.PEGAWAI})),
    PageDef("logbook_saya.py", "Logbook Harian", ":material/edit_calendar:", "Kinerja Saya", frozenset({R.PEGAWAI})),
    PageDef("skp_dokumen.py", "Cetak & Arsip SKP", ":material/print:", "Kinerja Saya", frozenset({R.PEGAWAI})),
    PageDef("evaluasi_saya.py", "Evaluasi Kinerja Saya", ":material/task_alt:", "Kinerja Saya", frozenset({R.PEGAWAI})),
    PageDef("evaluasi_dokumen.py", "Cetak & Arsip Evaluasi", ":material/picture_as_pdf:", "Kinerja Saya",
            frozenset({R.PEGAWAI})),
    PageDef("angka_kredit.py", "Angka Kredit", ":material/workspace_premium:", "Kinerja Saya",
            frozenset({R.PEGAWAI, R.ADMIN_SDM})),
    PageDef("skp_verifikasi.py", "Verifikasi SKP", ":material/fact_check:", "Penilaian",
            frozenset({R.PENILAI, R.ADMIN_SDM})),
    PageDef("logbook_penilaian.py", "Penilaian Logbook", ":material/rule:", "Penilaian",
            frozenset({R.PENILAI, R.PEMBERI_PERTIMBANGAN, R.ADMIN_SDM})),
    PageDef("evaluasi_pertimbangan.py", "Pertimbangan Kinerja", ":material/forum:", "Penilaian",
            frozenset({R.PEMBERI_PERTIMBANGAN})),
    PageDef("evaluasi_penilaian.py", "Penilaian Kinerja", ":material/grading:", "Penilaian",
            frozenset({R.PENILAI, R.ADMIN_SDM})),
    PageDef("evaluasi_persetujuan.py", "Persetujuan Penilaian", ":material/verified:", "Penilaian",
            frozenset({R.ATASAN_PENILAI, R.ADMIN_SDM})),
    PageDef("arsip_dokumen.py", "Arsip Dokumen", ":material/inventory_2:", "Penilaian",
            frozenset({R.PENILAI, R.ATASAN_PENILAI, R.ADMIN_SDM})),
    PageDef("bawahan.py", "Pegawai yang Saya Nilai", ":material/groups:", "Penilaian", REVIEWERS),
    PageDef("skp_kaskade.py", "Pohon Kinerja (Cascading)", ":material/account_tree:", "Pimpinan",
            LEADERS | REVIEWERS),
    PageDef("skp_monitoring.py", "Monitoring SKP", ":material/checklist:", "Pimpinan", LEADERS | {R.PENILAI}),
    PageDef("evaluasi_tahunan.py", "Predikat & Distribusi", ":material/bar_chart:", "Pimpinan",
            LEADERS | {R.PENILAI, R.ATASAN_PENILAI}),
    PageDef("evaluasi_monitoring.py", "Monitoring Evaluasi", ":material/pending_actions:", "Pimpinan",
            LEADERS | {R.PENILAI, R.ATASAN_PENILAI}),
    PageDef("kinerja_pk.py", "Perjanjian Kinerja", ":material/handshake:", "Kinerja Organisasi",
            LEADERS | REVIEWERS),
    PageDef("kinerja_organisasi.py", "Kinerja Organisasi", ":material/insights:", "Kinerja Organisasi",
            frozenset({R.PEGAWAI}) | LEADERS),
    PageDef("kinerja_realisasi.py", "Realisasi Tim Kerja", ":material/query_stats:", "Kinerja Organisasi",
            frozenset({R.PEGAWAI}) | LEADERS),
    PageDef("kinerja_kertas_kerja.py", "Kertas Kerja Kinerja", ":material/table_view:", "Kinerja Organisasi",
            LEADERS | {R.PENILAI, R.ATASAN_PENILAI}),
    PageDef("kinerja_laporan.py", "Laporan Kinerja", ":material/description:", "Kinerja Organisasi",
            LEADERS | {R.PENILAI, R.ATASAN_PENILAI}),
    PageDef("monev_rapat.py", "Rapat Monev", ":material/groups_3:", "Kinerja Organisasi", EVERYONE),
    PageDef("monev_mode_rapat.py", "Mode Rapat (Proyektor)", ":material/co_present:", "Kinerja Organisasi", EVERYONE),
    PageDef("rekap_organisasi.py", "Rekap Organisasi", ":material/monitoring:", "Pimpinan", LEADERS),
    PageDef("logbook_monitoring.py", "Monitoring Logbook", ":material/calendar_view_month:", "Pimpinan",
            LEADERS | {R.PENILAI, R.ATASAN_PENILAI, R.PEMBERI_PERTIMBANGAN}),
    PageDef("sdm_pegawai.py", "Pegawai", ":material/badge:", "Administrasi SDM", ADMIN),
    PageDef("sdm_hubungan.py", "Hubungan Penilaian", ":material/account_tree:", "Administrasi SDM", ADMIN),
    PageDef("sdm_unit.py", "Unit Kerja", ":material/domain:", "Administrasi SDM", ADMIN),
    PageDef("sdm_tim.py", "Tim Kerja", ":material/diversity_3:", "Administrasi SDM", ADMIN),
    PageDef("sdm_jabatan.py", "Jabatan", ":material/work:", "Administrasi SDM", ADMIN),
    PageDef("sdm_impor.py", "Impor Pegawai", ":material/upload_file:", "Administrasi SDM", ADMIN),
    PageDef("sdm_akun.py", "Akun Pengguna", ":material/manage_accounts:", "Administrasi SDM", ADMIN),
    PageDef("sdm_periode.py", "Periode & Instansi", ":material/calendar_month:", "Administrasi SDM", ADMIN),
    PageDef("sdm_identitas.py", "Identitas Kantor (Kop Surat)", ":material/approval:", "Administrasi SDM", ADMIN),
    PageDef("sdm_hari_libur.py", "Hari Libur", ":material/event_busy:", "Administrasi SDM", ADMIN),
    PageDef("sdm_plt.py", "Penugasan Plt/Plh", ":material/swap_horiz:", "Administrasi SDM", ADMIN),
    PageDef("sdm_ketidakhadiran.py", "Ketidakhadiran Pegawai", ":material/beach_access:", "Administrasi SDM", ADMIN),
    PageDef("sdm_jadwal_skp.py", "Jadwal Pengisian SKP", ":material/campaign:", "Administrasi SDM", ADMIN),
    PageDef("sdm_pengaturan.py", "Pengaturan & Jadwal", ":material/tune:", "Administrasi SDM", ADMIN),
    PageDef("audit_log.py", "Log Audit", ":material/history:", "Administrasi SDM", ADMIN),
    PageDef("ganti_password.py", "Ganti Kata Sandi", ":material/key:", "Akun", EVERYONE),
)
BY_FILE = {p.file: p for p in PAGES}


def allowed(page: PageDef, actor: Actor) -> bool:
    return bool(page.roles & actor.roles) or (page.roles == EVERYONE and actor.user_id is not None)


def pages_for(actor: Actor) -> list[PageDef]:
    return [p for p in PAGES if allowed(p, actor)]


def page_link(page: PageDef, label: str | None = None) -> None:
    """A link to a registered page. When the script runs without the app's navigation (a deep link on a freshly
    started server), Streamlit knows no pages yet: fall back to a plain link to the page's URL."""
    import streamlit as st
    from streamlit.errors import StreamlitAPIException

    label = label or page.title
    try:
        st.page_link(str(ROOT / "pages" / page.file), label=label, icon=page.icon)
    except StreamlitAPIException:
        st.markdown(f"[{label}](/{md(page.file.removesuffix('.py'))})")
