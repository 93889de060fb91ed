"""Audit log: who, when, what, before and after, for every change made through services."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import event, func, insert, inspect, or_, select
from sqlalchemy.orm import Session

from db.models import AuditLog, Role
from services.core import clock
from services.core.actor import Actor
from services.core.textguard import clean_for_log

MASKED = {"password_hash"}
NOISE = {"created_at", "updated_at", "version"}
SKIP_ENTITIES = {"AuditLog", "LoginThrottle", "UserSession"}  # logins and sessions are audited explicitly
ACTION_LABELS = {"create": "tambah", "update": "ubah", "delete": "hapus"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} byte>"
    return value


def snapshot(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    out: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        if attr.key in NOISE:
            continue
        out[attr.key] = "***" if attr.key in MASKED else _jsonable(getattr(obj, attr.key, None))
    return out


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in NOISE:
            continue
        hist = state.attrs[attr.key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if old == new:
            continue
        if attr.key in MASKED:
            before[attr.key], after[attr.key] = "***", "*** (diubah)"
        else:
            before[attr.key], after[attr.key] = _jsonable(old), _jsonable(new)
    return before, after


def _pk(obj: Any) -> str | None:
    """The primary key; read from the instance because new rows get their identity only after the flush."""
    values = inspect(obj).mapper.primary_key_from_instance(obj)
    if not values or all(v is None for v in values):
        return None
    return "/".join(str(_jsonable(v)) for v in values)


def _row(actor: Actor, action: str, entity: str, entity_id: str | None, before, after, note=None) -> dict:
    return {
        "at": clock.utcnow(),
        "user_id": actor.user_id,
        "username": clean_for_log(actor.username, 60),
        "action": action,
        "entity": entity,
        "entity_id": clean_for_log(entity_id, 60),
        "before": before,
        "after": after,
        "note": clean_for_log(note),
    }


@event.listens_for(Session, "after_flush")
def _audit_after_flush(session: Session, _ctx) -> None:
    actor: Actor | None = session.info.get("actor")
    if actor is None:
        return
    label = session.info.get("audit_action")
    note = session.info.get("audit_note")
    rows = []
    for obj in session.new:
        name = type(obj).__name__
        if name not in SKIP_ENTITIES:
            rows.append(_row(actor, label or "tambah", name, _pk(obj), None, snapshot(obj), note))
    for obj in session.dirty:
        name = type(obj).__name__
        if name in SKIP_ENTITIES or not session.is_modified(obj, include_collections=False):
            continue
        before, after = _changes(obj)
        if before or after:
            rows.append(_row(actor, label or "ubah", name, _pk(obj), before, after, note))
    for obj in session.deleted:
        name = type(obj).__name__
        if name not in SKIP_ENTITIES:
            rows.append(_row(actor, label or "hapus", name, _pk(obj), snapshot(obj), None, note))
    if rows:
        session.connection().execute(insert(AuditLog), rows)


def record(session: Session, actor: Actor, action: str, entity: str, entity_id: Any = None,
           before: dict | None = None, after: dict | None = None, note: str | None = None) -> None:
    """Record an event that is not a row change (login, logout, export, a refused attempt...)."""
    session.connection().execute(
        insert(AuditLog),
        [_row(actor, action, entity, None if entity_id is None else str(entity_id), before, after, note)],
    )


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    action: str | None = None
    entity: str | None = None
    text: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    limit: int = 500
    offset: int = 0  # rows skipped (the page's pager)


def search(actor: Actor, flt: AuditFilter) -> pd.DataFrame:
    """Audit rows for the admin page, newest first. Only admin SDM may read the log."""
    from db.engine import read_session

    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat melihat log audit.")
    q = (select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(max(1, min(flt.limit, 5001)))
         .offset(max(0, flt.offset)))
    if flt.username:
        q = q.where(AuditLog.username == flt.username)
    if flt.action:
        q = q.where(AuditLog.action == flt.action)
    if flt.entity:
        q = q.where(AuditLog.entity == flt.entity)
    if flt.date_from:
        q = q.where(AuditLog.at >= dt.datetime.combine(flt.date_from, dt.time.min, dt.UTC))
    if flt.date_to:
        q = q.where(AuditLog.at < dt.datetime.combine(flt.date_to + dt.timedelta(days=1), dt.time.min, dt.UTC))
    if flt.text:
        like = f"%{flt.text}%"
        q = q.where(or_(AuditLog.entity_id.ilike(like), AuditLog.note.ilike(like), AuditLog.username.ilike(like)))
    with read_session() as s:
        rows = s.scalars(q).all()
        data = [
            {
                "waktu": r.at,
                "pengguna": r.username,
                "aksi": r.action,
                "entitas": r.entity,
                "id": r.entity_id,
                "sebelum": r.before,
                "sesudah": r.after,
                "catatan": r.note,
            }
            for r in rows
        ]
    return pd.DataFrame(data, columns=["waktu", "pengguna", "aksi", "entitas", "id", "sebelum", "sesudah", "catatan"])


def _distinct(s, col) -> list[str]:
    """Distinct values of an indexed column by index skipping (a recursive min(col) > previous), so the cost
    follows the number of distinct values, not the number of log rows (PostgreSQL has no skip scan)."""
    t = select(func.min(col).label("v")).cte("t", recursive=True)
    t = t.union_all(select(select(func.min(col)).where(col > t.c.v).scalar_subquery()).where(t.c.v.is_not(None)))
    return [v for v in s.scalars(select(t.c.v).where(t.c.v.is_not(None)))]


def facets(actor: Actor) -> dict[str, list[str]]:
    """Distinct actions and entities for the filter dropdowns (index skipping; the user filter is a text field,
    a ministry has thousands of users)."""
    from db.engine import read_session

    actor.require(Role.ADMIN_SDM, message="Hanya Admin SDM yang dapat melihat log audit.")
    with read_session() as s:
        return {"action": _distinct(s, AuditLog.action), "entity": _distinct(s, AuditLog.entity)}


# --- readable Indonesian labels for the Log Audit page (codes stay in the database) -----------------------------

ACTION_NAMES = {
    "monev_rencanakan": "Rencanakan rapat monev", "monev_ubah_rencana": "Ubah rencana rapat monev",
    "monev_simpan_templat": "Simpan templat agenda rapat monev",
    "monev_ajukan_undangan": "Ajukan konsep undangan rapat monev",
    "monev_tandatangani_undangan": "Tandatangani undangan rapat monev",
    "monev_kembalikan_undangan": "Kembalikan konsep undangan rapat monev",
    "monev_unggah_scan_undangan": "Unggah pindaian undangan rapat monev", "monev_mulai_rapat": "Mulai rapat monev",
    "monev_selesai_rapat": "Tutup rapat monev", "monev_catat_hadir": "Catat daftar hadir rapat monev",
    "monev_hadir_mandiri": "Hadir rapat monev (mandiri)", "monev_simpan_notulen": "Simpan notulen rapat monev",
    "monev_simpan_tindak_lanjut": "Simpan tindak lanjut rapat monev",
    "monev_tutup_tindak_lanjut": "Tutup tindak lanjut rapat monev", "monev_unggah_foto": "Unggah dokumentasi rapat",
    "monev_hapus_foto": "Hapus dokumentasi rapat", "monev_susun_laporan": "Susun laporan monev",
    "monev_ajukan_laporan": "Ajukan laporan monev", "monev_kembalikan_laporan": "Kembalikan laporan monev",
    "monev_periksa_laporan": "Periksa laporan monev", "monev_tetapkan_laporan": "Tetapkan laporan monev",
    "ubah_ketidakhadiran": "Ubah data ketidakhadiran pegawai",
    "ubah_penugasan_plt": "Ubah penugasan Plt/Plh",
    "cetak_penetapan": "Cetak format penetapan predikat",
    "pengumuman_jadwal_skp": "Simpan pemberitahuan jadwal SKP",
    "pengumuman_hapus": "Hapus pemberitahuan jadwal SKP",
    "ajukan_kertas_kerja": "Ajukan kertas kerja kinerja",
    "ajukan_realisasi": "Ajukan realisasi tim kerja",
    "buka_realisasi": "Buka kembali realisasi tim kerja",
    "delegasi_realisasi": "Delegasikan pengisian realisasi",
    "kembalikan_kertas_kerja": "Kembalikan kertas kerja kinerja",
    "koreksi_realisasi": "Koreksi realisasi oleh perencana",
    "periksa_kertas_kerja": "Periksa kertas kerja kinerja",
    "revisi_kertas_kerja": "Buka revisi kertas kerja",
    "revisi_pk": "Revisi Perjanjian Kinerja",
    "sahkan_kertas_kerja": "Sahkan kertas kerja kinerja",
    "simpan_pk": "Simpan Perjanjian Kinerja",
    "simpan_realisasi": "Simpan realisasi indikator",
    "simpan_realisasi_anggaran": "Simpan realisasi anggaran",
    "simpan_rincian_pk": "Simpan rincian output dan RPD",
    "susun_kertas_kerja": "Susun kertas kerja kinerja",
    "tandatangani_pk": "Tandatangani Perjanjian Kinerja",
    "unggah_bukti_kinerja": "Unggah bukti dukung kinerja",
    "akun_terkunci": "Login baru ditahan (terlalu banyak gagal)", "login_ditahan": "Login ditahan sementara",
    "sesi_baru": "Sesi login baru",
    "create": "Tambah data", "update": "Ubah data", "delete": "Hapus data",
    "ajukan": "Ajukan", "ak_cetak": "Cetak konversi angka kredit", "akhiri_hubungan": "Akhiri hubungan penilaian",
    "aktifkan_akun": "Aktifkan/nonaktifkan akun", "backup": "Cadangkan basis data", "buat_akun": "Buat akun",
    "buat_periode": "Buat periode", "buka_kembali": "Buka kembali penilaian", "buka_kunci": "Buka kunci akun",
    "demo_data": "Muat data contoh", "ekspor": "Ekspor data", "evaluasi_buka": "Buka evaluasi kinerja",
    "evaluasi_cetak": "Cetak evaluasi kinerja", "evaluasi_isi_logbook": "Isi realisasi dari logbook",
    "ganti_password": "Ganti kata sandi", "hapus_dokumen": "Hapus dokumen",
    "hapus_saldo_awal_ak": "Hapus saldo awal angka kredit", "impor_pegawai": "Impor pegawai",
    "kembalikan": "Kembalikan untuk diperbaiki", "kembalikan_ke_penilai": "Kembalikan ke pejabat penilai",
    "logbook_ajukan": "Ajukan logbook", "logbook_hapus_lampiran": "Hapus lampiran logbook",
    "logbook_koreksi_terima": "Putuskan permintaan koreksi logbook", "logbook_lampiran": "Unggah lampiran logbook",
    "logbook_minta_koreksi": "Minta koreksi logbook", "logbook_pertimbangan": "Pertimbangan logbook",
    "logbook_pertimbangan_bulanan": "Pertimbangan logbook bulanan", "logbook_simpan": "Simpan logbook",
    "logbook_nilai": "Nilai logbook", "login": "Masuk (login)", "login_gagal": "Login gagal", "logout": "Keluar",
    "mutasi_pegawai": "Mutasi pegawai", "nilai": "Nilai kinerja", "override_distribusi": "Pertahankan distribusi",
    "pengaturan_awal": "Pengaturan awal", "pertimbangan": "Beri pertimbangan kinerja",
    "realisasi_simpan": "Simpan realisasi", "rencana_aksi_simpan": "Simpan rencana aksi",
    "reset_password": "Atur ulang kata sandi", "restore": "Pulihkan basis data",
    "saldo_awal_ak": "Tambah saldo awal angka kredit", "setujui": "Setujui", "simpan_pegawai": "Simpan pegawai",
    "skp_ajukan": "Ajukan SKP", "skp_buat": "Buat SKP", "skp_cetak": "Cetak SKP",
    "skp_ekspektasi": "Ekspektasi khusus pimpinan", "skp_kembalikan": "Kembalikan SKP",
    "skp_mulai_dari_rhk_penilai": "Mulai SKP dari RHK pejabat penilai", "skp_pindah_segmen": "Pindah segmen SKP",
    "skp_revisi_diminta": "Minta revisi SKP", "skp_revisi_diterima": "Putuskan revisi SKP",
    "skp_salin_tahun_lalu": "Salin SKP tahun lalu", "skp_setujui": "Setujui SKP",
    "skp_simpan_lampiran": "Simpan lampiran SKP", "skp_simpan_rhk": "Simpan hasil kerja SKP",
    "skp_ubah": "Ubah SKP", "skp_unggah_dokumen": "Unggah dokumen SKP", "target_iki_simpan": "Simpan target IKI",
    "tarik_kembali": "Tarik kembali pengajuan", "tetapkan_predikat_organisasi": "Tetapkan predikat organisasi",
    "ubah_hari_libur": "Ubah hari libur", "ubah_instansi": "Ubah profil instansi",
    "ubah_pengaturan": "Ubah pengaturan", "ubah_peran": "Ubah peran akun", "ubah_periode": "Ubah periode",
    "umpan_balik": "Umpan balik", "unggah_dokumen": "Unggah dokumen", "tutup_periode": "Tutup periode",
    "buka_periode": "Buka periode", "nonaktifkan_akun": "Nonaktifkan akun", "login_ditolak": "Login ditolak",
    "tolak": "Tolak", "tambah": "Tambah", "ubah": "Ubah", "hapus": "Hapus",
    "ubah_identitas_kantor": "Ubah identitas kantor", "unggah_logo_kantor": "Unggah logo kantor",
    "hapus_logo_kantor": "Hapus logo kantor",
    "sk_tim_penyusun": "Tetapkan SK Tim Penyusun", "unggah_sk_tim_penyusun": "Unggah SK Tim Penyusun",
    "arahan_tim_penyusun": "Arahan Kepala kepada Tim Penyusun",
    "narasi_laporan_kinerja": "Simpan narasi Laporan Kinerja", "ajukan_laporan_kinerja": "Ajukan Laporan Kinerja",
    "reviu_laporan_kinerja": "Reviu Laporan Kinerja", "sahkan_laporan_kinerja": "Sahkan Laporan Kinerja",
    "arsip_scan_laporan_kinerja": "Arsipkan pindaian Laporan Kinerja",
    "kirim_laporan_kinerja": "Catat pengiriman Laporan Kinerja",
}

ENTITY_NAMES = {
    "SkTimPenyusun": "SK Tim Penyusun", "AnggotaTimPenyusun": "Anggota Tim Penyusun",
    "LaporanReviu": "Reviu Laporan Kinerja", "LaporanPengiriman": "Pengiriman Laporan Kinerja",
    "RapatMonev": "Rapat monev bulanan", "MonevAgenda": "Agenda dan notulen rapat monev",
    "MonevHadir": "Daftar hadir rapat monev", "MonevTindakLanjut": "Tindak lanjut rapat monev",
    "MonevFoto": "Dokumentasi rapat monev", "MonevTemplateAgenda": "Templat agenda rapat monev",
    "Ketidakhadiran": "Ketidakhadiran pegawai",
    "PenugasanPlt": "Penugasan Plt/Plh",
    "Pengumuman": "Pemberitahuan jadwal SKP",
    "ArsipDokumen": "Arsip dokumen",
    "DelegasiRealisasi": "Delegasi pengisian realisasi",
    "IndikatorKinerja": "Indikator kinerja organisasi",
    "KertasKerja": "Kertas kerja perhitungan kinerja",
    "KertasKerjaVersi": "Versi kertas kerja yang disahkan",
    "LaporanKinerja": "Laporan kinerja",
    "PerjanjianKinerja": "Perjanjian kinerja",
    "PkVersi": "Versi perjanjian kinerja",
    "RealisasiAnggaran": "Realisasi anggaran",
    "RealisasiIndikator": "Realisasi indikator kinerja",
    "RealisasiTim": "Realisasi tim kerja",
    "RincianOutput": "Rincian output/kegiatan",
    "RpdBulanan": "Rencana penarikan dana bulanan",
    "SasaranStrategis": "Sasaran strategis",
    "TargetBulanan": "Target bulanan indikator",
    "LoginThrottle": "Pembatasan login", "UserSession": "Sesi login",
    "AngkaKredit": "Angka kredit", "AuditLog": "Log audit", "Evaluasi": "Evaluasi kinerja",
    "EvaluasiDokumen": "Dokumen evaluasi", "EvaluasiIki": "Realisasi IKI", "EvaluasiPerilaku": "Perilaku kerja (evaluasi)",
    "EvaluasiRhk": "Umpan balik RHK", "HariLibur": "Hari libur", "Iki": "Indikator kinerja (IKI)",
    "Instansi": "Instansi", "Jabatan": "Jabatan", "KinerjaOrganisasi": "Predikat kinerja organisasi",
    "LogbookAttachment": "Lampiran logbook", "LogbookCorrection": "Koreksi logbook", "LogbookEntry": "Kegiatan logbook",
    "LogbookMonthNote": "Catatan logbook bulanan", "Pegawai": "Pegawai", "Period": "Periode kinerja",
    "RencanaAksi": "Rencana aksi", "ReportingLine": "Hubungan penilaian", "Rhk": "Rencana hasil kerja (RHK)",
    "RhkIntervensi": "RHK yang diintervensi", "Setting": "Pengaturan", "Skp": "SKP", "SkpDocument": "Dokumen SKP",
    "SkpLampiran": "Lampiran SKP", "SkpPerilaku": "Perilaku kerja (SKP)", "SkpRevisionRequest": "Permintaan revisi SKP",
    "SkpVersion": "Versi SKP", "TimKerja": "Tim kerja", "UnitKerja": "Unit kerja", "User": "Akun pengguna",
    "UserRole": "Peran akun", "AuditLogExport": "Ekspor log audit",
}

FIELD_NAMES = {
    "nomor_sk": "Nomor SK",
    "tanggal_sk": "Tanggal SK",
    "pejabat_id": "Pejabat yang digantikan (ID)",
    "id": "ID", "nip": "NIP", "ak": "AK", "rhk": "RHK", "iki": "IKI", "skp": "SKP", "tmt": "TMT", "asn": "ASN",
    "url": "URL", "sha256": "Sidik berkas (SHA-256)", "at": "Waktu", "key": "Kunci", "value": "Nilai",
    "value_type": "Jenis nilai", "default_value": "Nilai bawaan", "group": "Kelompok", "label": "Label",
    "source": "Sumber", "note": "Catatan", "action": "Aksi", "entity": "Entitas", "entity_id": "ID data",
    "before": "Sebelum", "after": "Sesudah", "content": "Isi berkas", "content_type": "Jenis berkas",
    "filename": "Nama berkas", "path": "Lokasi berkas", "size": "Ukuran (bita)", "snapshot": "Salinan isi",
    "format": "Format", "role": "Peran", "email": "Surel", "username": "Nama pengguna", "user_id": "Akun (ID)",
    "password_hash": "Kata sandi (tersandi)", "must_change_password": "Wajib ganti kata sandi",
    "password_changed_at": "Kata sandi diganti pada", "failed_attempts": "Jumlah gagal login",
    "first_failed_at": "Gagal login pertama pada", "locked_until": "Terkunci sampai",
    "last_login_at": "Login terakhir", "sessions_revoked_at": "Sesi diakhiri pada", "version": "Versi data",
    "version_no": "Nomor versi", "created_at": "Dibuat pada", "updated_at": "Diubah pada",
    "updated_by": "Diubah oleh", "segment_no": "Nomor segmen", "entry_id": "Kegiatan logbook (ID)",
    "override_alasan": "Alasan mempertahankan distribusi", "override_at": "Distribusi dipertahankan pada",
    "override_by_username": "Distribusi dipertahankan oleh", "override_pelanggaran": "Pelanggaran distribusi",
    "parent_id": "Induk (ID)", "parent_rhk_id": "RHK atasan (ID)", "ketua_id": "Ketua tim (ID)",
    "author_id": "Penulis (ID)", "author_username": "Penulis", "jam_mulai": "Jam mulai", "jam_selesai": "Jam selesai",
    "period": "Periode", "max": "maks", "unit_id": "Unit kerja (ID)", "tim_id": "Tim kerja (ID)",
    "rhk_label": "Label RHK", "rhk_urutan": "Urutan RHK", "jabatan_nama": "Nama jabatan",
    "bukti_link": "Tautan bukti dukung", "durasi_menit": "Durasi (menit)", "predikat_alasan": "Alasan predikat",
    "realisasi_uraian": "Uraian realisasi", "pertimbangan_catatan": "Catatan pertimbangan",
    "pertimbangan_rating_hasil": "Saran rating hasil kerja (pertimbangan)",
    "pertimbangan_rating_perilaku": "Saran rating perilaku kerja (pertimbangan)",
}
_VERBS = {"approved": "Disetujui", "decided": "Diputuskan", "requested": "Diminta", "reviewed": "Direviu",
          "submitted": "Diajukan", "uploaded": "Diunggah", "dibuat": "Dibuat", "dinilai": "Dinilai",
          "disetujui": "Disetujui", "ditetapkan": "Ditetapkan", "pertimbangan": "Pertimbangan",
          "rencana_aksi": "Rencana aksi"}


def action_label(code: str | None) -> str:
    """The Indonesian name of an audit action code (unknown codes read as words, never with underscores)."""
    if not code:
        return "-"
    return ACTION_NAMES.get(code) or code.replace("_", " ").capitalize()


def entity_label(code: str | None) -> str:
    if not code:
        return "-"
    return ENTITY_NAMES.get(code) or code


def field_label(name: str) -> str:
    """The Indonesian name of a column in the before/after data: approved_at → "Disetujui pada",
    pejabat_penilai_id → "Pejabat penilai (ID)", saldo_awal_ak → "Saldo awal AK"."""
    if name in FIELD_NAMES:
        return FIELD_NAMES[name]
    for suffix, tail in (("_by_username", " oleh"), ("_by_user_id", " oleh (ID)"), ("_by_id", " oleh (ID)"),
                         ("_at", " pada")):
        if name.endswith(suffix):
            head = name[: -len(suffix)]
            return _VERBS.get(head, field_label(head)) + tail
    if name.endswith("_id"):
        return f"{field_label(name[:-3])} (ID)"
    words = [FIELD_NAMES.get(w, w) for w in name.split("_")]
    text = " ".join(words)
    return text[0].upper() + text[1:] if text else name


def readable(data: dict | None) -> dict:
    """Before/after data with Indonesian field names (values unchanged; booleans as ya/tidak)."""
    out: dict[str, Any] = {}
    for k, v in (data or {}).items():
        out[field_label(k)] = ("ya" if v else "tidak") if isinstance(v, bool) else v
    return out
