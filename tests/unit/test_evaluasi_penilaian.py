"""Reviewer side of the evaluasi kinerja (services/evaluasi_penilaian.py): pertimbangan, umpan balik, rating
(single and bulk grid), return to pegawai, approval (single and bulk), return to penilai, reopen; refusals and
audit rows. The main path runs on SQLite and PostgreSQL; the rest on SQLite."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import AngkaKredit, AuditLog, Evaluasi, KinerjaOrganisasi, PredikatOrganisasiKinerja
from services.core import settings
from services.core.errors import Conflict, PermissionDenied, ValidationFailed
from services.evaluasi import penilaian as ep
from services.evaluasi.common import EvaluasiLocked, EvaluasiStatusError
from tests import evaluasi_factories as ef
from tests.skp_factories import period_id

DI_ATAS, SESUAI, DI_BAWAH = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"


def _ev(evaluasi_id: int) -> Evaluasi:
    with read_session() as s:
        ev = s.get(Evaluasi, evaluasi_id)
        s.expunge(ev)
        return ev


def _audit(evaluasi_id: int, action: str) -> list[AuditLog]:
    with read_session() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.entity == "Evaluasi", AuditLog.entity_id == str(evaluasi_id),
                                                AuditLog.action == action).order_by(AuditLog.id)).all()
        for r in rows:
            s.expunge(r)
        return rows


def _angka_kredit(evaluasi_id: int) -> int:
    with read_session() as s:
        return len(s.scalars(select(AngkaKredit.id).where(AngkaKredit.evaluasi_id == evaluasi_id)).all())


def feedback(org, evaluasi_id: int, who: str = "kasub") -> None:
    """Umpan balik for every RHK and BerAKHLAK value by the pejabat penilai."""
    actor = getattr(org.actors, who)
    d = ep.evaluasi_detail(actor, evaluasi_id)
    ep.save_feedback(actor, evaluasi_id, {h.id: f"Hasil {h.rhk_label[:20]} baik" for h in d.hasil},
                     {p.id: f"Perilaku {p.nilai} konsisten" for p in d.perilaku})


@pytest.fixture
def pair(sqlite_org):
    """Submitted Q1 evaluations of staf (no pemberi pertimbangan) and staf2 (pemberi pertimbangan ketua)."""
    ef.setup(sqlite_org)
    return sqlite_org, ef.fill_and_submit(sqlite_org, "staf"), ef.fill_and_submit(sqlite_org, "staf2")


def test_main_path_pertimbangan_feedback_rate_approve_reopen(org):
    ef.setup(org)
    ev_id = ef.fill_and_submit(org, "staf2")
    a, pid = org.actors, period_id(org)

    ep.give_pertimbangan(a.ketua, ev_id, "Laporan lengkap dan tepat waktu", rating_hasil=DI_ATAS,
                         rating_perilaku=SESUAI)
    q = ep.queue(a.kasub, pid)
    assert list(q["pegawai"]) == ["Dewi Lestari, S.Si."]
    row = q.iloc[0]
    assert row["pertimbangan"].startswith("Saran HK Di Atas Ekspektasi / PK Sesuai Ekspektasi")
    assert not row["feedback_lengkap"] and not row["pimpinan_unit"]
    assert row["capaian_ringkas"] == "2 IKI, rata-rata 100%"

    feedback(org, ev_id)
    assert bool(ep.queue(a.kasub, pid).iloc[0]["feedback_lengkap"])
    version = _ev(ev_id).version
    assert ep.rate(a.kasub, ev_id, DI_ATAS, SESUAI, rekomendasi="Pertahankan", expected_version=version) == "Baik"
    ev = _ev(ev_id)
    assert (ev.status.value, ev.predikat.value, ev.rekomendasi) == ("DINILAI", "Baik", "Pertahankan")
    assert ev.dinilai_by_id == org.pegawai["kasub"] and ev.predikat_organisasi is None
    assert "→ Baik" in ev.predikat_alasan

    atasan = ep.queue(a.kepala, pid, role="atasan")
    assert list(atasan["predikat"]) == ["Baik"] and list(atasan["penilai"]) == ["Budi Santoso, S.E."]
    ep.approve(a.kepala, ev_id, expected_version=ev.version)
    ev = _ev(ev_id)
    assert ev.status.value == "DISETUJUI" and ev.disetujui_by_id == org.pegawai["kepala"]
    assert _angka_kredit(ev_id) == 1  # staf2 is fungsional: angka kredit recorded in the approval transaction

    ep.reopen(a.kepala, ev_id, "Salah memilih rating perilaku kerja")
    ev = _ev(ev_id)
    assert ev.status.value == "DINILAI" and ev.alasan_buka_kembali == "Salah memilih rating perilaku kerja"
    assert _angka_kredit(ev_id) == 0

    for action, before, after in (("nilai", "DIAJUKAN", "DINILAI"), ("setujui", "DINILAI", "DISETUJUI"),
                                  ("buka_kembali", "DISETUJUI", "DINILAI")):
        rows = _audit(ev_id, action)
        assert rows and rows[-1].before["status"] == before and rows[-1].after["status"] == after, action
    assert _audit(ev_id, "pertimbangan")[0].after["pertimbangan_catatan"] == "Laporan lengkap dan tepat waktu"
    with read_session() as s:
        entities = set(s.scalars(select(AuditLog.entity).where(AuditLog.action == "umpan_balik")))
    assert entities == {"EvaluasiRhk", "EvaluasiPerilaku"}


def test_rating_a_non_subordinate_or_oneself_is_refused(pair):
    org, staf, _ = pair
    with pytest.raises(PermissionDenied, match="bukan pejabat penilai"):
        ep.rate(org.actors.ketua, staf, SESUAI, SESUAI)
    with pytest.raises(PermissionDenied, match="sendiri"):
        ep.rate(org.actors.staf, staf, SESUAI, SESUAI)
    with pytest.raises(PermissionDenied):
        ep.save_feedback(org.actors.kepala, staf, {}, {})
    assert _ev(staf).status.value == "DIAJUKAN"


def test_only_the_atasan_pejabat_penilai_approves(pair):
    org, staf, _ = pair
    feedback(org, staf)
    ep.rate(org.actors.kasub, staf, SESUAI, SESUAI)
    for who in ("kasub", "ketua", "staf", "staf2"):  # kasub is the penilai who rated
        with pytest.raises(PermissionDenied):
            ep.approve(getattr(org.actors, who), staf)
    with pytest.raises(PermissionDenied):
        ep.approve_many(org.actors.kasub, [staf])
    with pytest.raises(PermissionDenied):
        ep.return_to_penilai(org.actors.kasub, staf, "Periksa lagi")
    assert _ev(staf).status.value == "DINILAI"


def test_approved_evaluation_is_locked(pair):
    org, staf, _ = pair
    feedback(org, staf)
    ep.rate(org.actors.kasub, staf, SESUAI, SESUAI)
    ep.approve(org.actors.kepala, staf)
    d = ep.evaluasi_detail(org.actors.kasub, staf)
    with pytest.raises(EvaluasiLocked):
        ep.save_feedback(org.actors.kasub, staf, {d.hasil[0].id: "Ubah"}, {})
    with pytest.raises(EvaluasiLocked):
        ep.rate(org.actors.kasub, staf, DI_ATAS, DI_ATAS)
    with pytest.raises(EvaluasiLocked):
        ep.return_to_pegawai(org.actors.kasub, staf, "Perbaiki")
    with pytest.raises(ValidationFailed, match="terkunci"):
        ep.rate_many(org.actors.kasub, [{"evaluasi_id": staf, "rating_hasil_kerja": DI_ATAS,
                                         "rating_perilaku_kerja": DI_ATAS, "_row": 1}])
    ev = _ev(staf)
    assert (ev.status.value, ev.predikat.value) == ("DISETUJUI", "Baik")


def test_rating_without_feedback_is_refused_and_lists_the_missing_items(pair):
    org, staf, _ = pair
    with pytest.raises(ValidationFailed) as err:
        ep.rate(org.actors.kasub, staf, SESUAI, SESUAI)
    fields = [e.field for e in err.value.errors]
    assert fields[0] == "Umpan balik RHK 1 Tersusunnya laporan keuangan bulanan"
    assert len([f for f in fields if f.startswith("Umpan balik RHK")]) == 1
    assert len([f for f in fields if f.startswith("Umpan balik perilaku")]) == 7
    assert "Umpan balik perilaku Berorientasi Pelayanan" in fields
    assert all(e.message == ep.WAJIB_UMPAN_BALIK for e in err.value.errors)
    # one value still missing: only that one is listed
    d = ep.evaluasi_detail(org.actors.kasub, staf)
    ep.save_feedback(org.actors.kasub, staf, {h.id: "Baik" for h in d.hasil},
                     {p.id: "Baik" for p in d.perilaku[:-1]})
    with pytest.raises(ValidationFailed) as err:
        ep.rate(org.actors.kasub, staf, SESUAI, SESUAI)
    assert [e.field for e in err.value.errors] == [f"Umpan balik perilaku {d.perilaku[-1].nilai}"]
    ev = _ev(staf)
    assert ev.status.value == "DIAJUKAN" and ev.rating_hasil_kerja is None


MATRIX = [
    (DI_ATAS, DI_BAWAH, "Kurang/Misconduct"), (DI_ATAS, SESUAI, "Baik"), (DI_ATAS, DI_ATAS, "Sangat Baik"),
    (SESUAI, DI_BAWAH, "Kurang/Misconduct"), (SESUAI, SESUAI, "Baik"), (SESUAI, DI_ATAS, "Baik"),
    (DI_BAWAH, DI_BAWAH, "Sangat Kurang"), (DI_BAWAH, SESUAI, "Butuh Perbaikan"), (DI_BAWAH, DI_ATAS, "Butuh Perbaikan"),
]


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), MATRIX)
def test_rate_follows_the_predikat_matrix(sqlite_org, hasil, perilaku, expected):
    ef.setup(sqlite_org)
    staf = ef.fill_and_submit(sqlite_org, "staf")
    feedback(sqlite_org, staf)
    assert ep.rate(sqlite_org.actors.kasub, staf, hasil, perilaku) == expected
    ev = _ev(staf)
    assert (ev.rating_hasil_kerja.value, ev.rating_perilaku_kerja.value, ev.predikat.value) == (hasil, perilaku,
                                                                                                 expected)
    assert ep.preview_predikat(hasil, perilaku)[0] == expected


def test_unknown_or_missing_rating_is_refused(pair):
    org, staf, _ = pair
    feedback(org, staf)
    with pytest.raises(ValidationFailed) as err:
        ep.rate(org.actors.kasub, staf, "Luar Biasa", None)
    assert {e.field for e in err.value.errors} == {"Rating Hasil Kerja", "Rating Perilaku Kerja"}
    assert _ev(staf).status.value == "DIAJUKAN"


def _set_org_predikat(org, unit: str, predikat: PredikatOrganisasiKinerja, nomor: int = 1) -> None:
    from services.core.actor import SYSTEM
    from services.core.uow import unit_of_work

    with unit_of_work(SYSTEM) as s:
        s.add(KinerjaOrganisasi(unit_id=org.units[unit], period_id=period_id(org), nomor=nomor, predikat=predikat,
                                ditetapkan_by_username="admin", ditetapkan_at=dt.datetime.now(dt.UTC)))


def test_unit_head_rating_comes_from_the_organisational_predikat(sqlite_org):
    org = sqlite_org
    ef.setup(org)
    kasub = ef.fill_and_submit(org, "kasub")
    feedback(org, kasub, who="kepala")
    q = ep.queue(org.actors.kepala, period_id(org))
    row = q[q["evaluasi_id"] == kasub].iloc[0]
    assert row["pimpinan_unit"] and row["rating_hasil_tetap"] is None
    with pytest.raises(ValidationFailed, match="Predikat kinerja organisasi unit Subbagian Administrasi Umum "
                                               "periode Triwulan I .* belum ditetapkan pimpinan"):
        ep.rate(org.actors.kepala, kasub, None, DI_ATAS)
    assert _ev(kasub).status.value == "DIAJUKAN"

    _set_org_predikat(org, "adum", PredikatOrganisasiKinerja.ISTIMEWA)
    q = ep.queue(org.actors.kepala, period_id(org))
    assert q[q["evaluasi_id"] == kasub].iloc[0]["rating_hasil_tetap"] == DI_ATAS
    with pytest.raises(ValidationFailed, match="pimpinan unit"):
        ep.rate(org.actors.kepala, kasub, DI_BAWAH, DI_ATAS)
    assert ep.rate(org.actors.kepala, kasub, None, DI_ATAS) == "Sangat Baik"
    ev = _ev(kasub)
    assert ev.rating_hasil_kerja.value == DI_ATAS and ev.predikat_organisasi.value == "Istimewa"
    assert "kinerja organisasi" in ev.predikat_alasan
    # the same rating passed explicitly is accepted too (bulk grid sends the displayed value)
    assert ep.rate_many(org.actors.kepala, [{"evaluasi_id": kasub, "rating_hasil_kerja": DI_ATAS,
                                             "rating_perilaku_kerja": SESUAI, "_row": 1}]) == 1
    assert _ev(kasub).predikat.value == "Baik"


def test_unit_head_mapping_follows_the_settings(sqlite_org):
    org = sqlite_org
    ef.setup(org)
    kasub = ef.fill_and_submit(org, "kasub")
    feedback(org, kasub, who="kepala")
    _set_org_predikat(org, "adum", PredikatOrganisasiKinerja.BAIK)
    settings.update_many(org.actors.admin, {"rating_org_baik": DI_ATAS})
    assert ep.rate(org.actors.kepala, kasub, ep.DARI_ORGANISASI, DI_ATAS) == "Sangat Baik"


def test_pertimbangan_only_by_the_pemberi_pertimbangan(pair):
    org, staf, staf2 = pair
    with pytest.raises(PermissionDenied, match="pemberi pertimbangan"):
        ep.give_pertimbangan(org.actors.kasub, staf2, "Baik")
    with pytest.raises(PermissionDenied):
        ep.give_pertimbangan(org.actors.ketua, staf, "Baik")  # staf has no pemberi pertimbangan
    with pytest.raises(ValidationFailed, match="Catatan pertimbangan"):
        ep.give_pertimbangan(org.actors.ketua, staf2, "  ")
    ep.give_pertimbangan(org.actors.ketua, staf2, "Cukup baik")
    assert list(ep.queue(org.actors.ketua, period_id(org), role="pertimbangan")["evaluasi_id"]) == [staf2]
    feedback(org, staf2)
    ep.rate(org.actors.kasub, staf2, SESUAI, SESUAI)
    with pytest.raises(EvaluasiStatusError):
        ep.give_pertimbangan(org.actors.ketua, staf2, "Terlambat")


def test_pertimbangan_wajib_blocks_rating_until_given(pair):
    org, staf, staf2 = pair
    settings.update_many(org.actors.admin, {"pertimbangan_wajib": True})
    feedback(org, staf)
    feedback(org, staf2)
    with pytest.raises(ValidationFailed, match="pertimbangan dari Siti Aminah, S.K.M. belum diberikan"):
        ep.rate(org.actors.kasub, staf2, SESUAI, SESUAI)
    ep.rate(org.actors.kasub, staf, SESUAI, SESUAI)  # no pemberi pertimbangan: not affected
    ep.give_pertimbangan(org.actors.ketua, staf2, "Layak Sesuai Ekspektasi", SESUAI, SESUAI)
    assert ep.rate(org.actors.kasub, staf2, SESUAI, SESUAI) == "Baik"


def test_return_to_pegawai_needs_a_note_and_is_audited(pair):
    org, staf, _ = pair
    with pytest.raises(ValidationFailed, match="Catatan pengembalian"):
        ep.return_to_pegawai(org.actors.kasub, staf, "")
    with pytest.raises(PermissionDenied):
        ep.return_to_pegawai(org.actors.kepala, staf, "Perbaiki bukti dukung")
    ep.return_to_pegawai(org.actors.kasub, staf, "Lengkapi bukti dukung")
    ev = _ev(staf)
    assert ev.status.value == "DRAFT" and ev.catatan_pengembalian == "Lengkapi bukti dukung"
    row = _audit(staf, "kembalikan")[-1]
    assert (row.before["status"], row.after["status"]) == ("DIAJUKAN", "DRAFT")
    with pytest.raises(EvaluasiStatusError):
        ep.rate(org.actors.kasub, staf, SESUAI, SESUAI)


def test_return_to_pegawai_only_before_rating(pair):
    org, staf, _ = pair
    feedback(org, staf)
    ep.rate(org.actors.kasub, staf, SESUAI, SESUAI)
    with pytest.raises(EvaluasiStatusError):
        ep.return_to_pegawai(org.actors.kasub, staf, "Perbaiki")


def test_return_to_penilai_then_rate_again(pair):
    org, staf, _ = pair
    feedback(org, staf)
    ep.rate(org.actors.kasub, staf, DI_ATAS, DI_ATAS)
    with pytest.raises(ValidationFailed, match="Catatan atasan"):
        ep.return_to_penilai(org.actors.kepala, staf, None)
    ep.return_to_penilai(org.actors.kepala, staf, "Rating hasil kerja terlalu tinggi")
    ev = _ev(staf)
    assert ev.status.value == "DIKEMBALIKAN" and ev.catatan_atasan == "Rating hasil kerja terlalu tinggi"
    row = _audit(staf, "kembalikan_ke_penilai")[-1]
    assert (row.before["status"], row.after["status"]) == ("DINILAI", "DIKEMBALIKAN")
    with pytest.raises(EvaluasiStatusError):
        ep.approve(org.actors.kepala, staf)
    q = ep.queue(org.actors.kasub, period_id(org))
    assert q.iloc[0]["catatan_atasan"] == "Rating hasil kerja terlalu tinggi"
    ep.rate(org.actors.kasub, staf, SESUAI, DI_ATAS)
    ev = _ev(staf)
    assert (ev.status.value, ev.predikat.value, ev.catatan_atasan) == ("DINILAI", "Baik", None)


def test_reopen_needs_the_atasan_and_a_reason(pair):
    org, staf, _ = pair
    feedback(org, staf)
    ep.rate(org.actors.kasub, staf, SESUAI, SESUAI)
    with pytest.raises(EvaluasiStatusError):
        ep.reopen(org.actors.kepala, staf, "Belum disetujui sama sekali")
    ep.approve(org.actors.kepala, staf)
    with pytest.raises(ValidationFailed, match="paling sedikit 10 karakter"):
        ep.reopen(org.actors.kepala, staf, "salah")
    with pytest.raises(PermissionDenied):
        ep.reopen(org.actors.kasub, staf, "Saya ingin mengubah rating")
    ep.reopen(org.actors.admin, staf, "Koreksi data oleh Admin SDM")
    ev = _ev(staf)
    assert ev.status.value == "DINILAI" and ev.disetujui_at is None
    row = _audit(staf, "buka_kembali")[-1]
    assert (row.before["status"], row.after["status"]) == ("DISETUJUI", "DINILAI")
    assert row.after["alasan_buka_kembali"] == "Koreksi data oleh Admin SDM"


def test_stale_version_is_a_conflict(pair):
    org, staf, _ = pair
    old = _ev(staf).version
    feedback(org, staf)
    with pytest.raises(Conflict):
        ep.rate(org.actors.kasub, staf, SESUAI, SESUAI, expected_version=old)
    with pytest.raises(ValidationFailed, match="diubah orang lain"):
        ep.rate_many(org.actors.kasub, [{"evaluasi_id": staf, "version": old, "rating_hasil_kerja": SESUAI,
                                         "rating_perilaku_kerja": SESUAI, "_row": 1}])
    assert _ev(staf).status.value == "DIAJUKAN"


def test_rate_many_is_all_or_nothing(pair):
    org, staf, staf2 = pair
    feedback(org, staf)  # staf2 has no umpan balik
    q = ep.queue(org.actors.kasub, period_id(org))
    rows = [{"evaluasi_id": int(r.evaluasi_id), "version": int(r.version), "rating_hasil_kerja": SESUAI,
             "rating_perilaku_kerja": DI_ATAS, "_row": n} for n, r in enumerate(q.itertuples(), start=1)]
    with pytest.raises(ValidationFailed) as err:
        ep.rate_many(org.actors.kasub, rows)
    assert {e.row for e in err.value.errors} == {2}
    assert all(e.message.startswith("Dewi Lestari, S.Si.: ") for e in err.value.errors)
    assert "Baris 2" in str(err.value)
    assert _ev(staf).status.value == "DIAJUKAN" and _ev(staf).predikat is None


def test_rate_many_saves_several_rows_and_skips_empty_ones(pair):
    org, staf, staf2 = pair
    feedback(org, staf)
    feedback(org, staf2)
    q = ep.queue(org.actors.kasub, period_id(org))
    v = dict(zip(q["evaluasi_id"], q["version"], strict=True))
    n = ep.rate_many(org.actors.kasub, [
        {"evaluasi_id": staf, "version": v[staf], "rating_hasil_kerja": DI_ATAS, "rating_perilaku_kerja": DI_ATAS,
         "rekomendasi": "Promosikan", "_row": 1},
        {"evaluasi_id": staf2, "version": v[staf2], "rating_hasil_kerja": DI_BAWAH,
         "rating_perilaku_kerja": SESUAI, "_row": 2},
        {"evaluasi_id": 999, "rating_hasil_kerja": None, "rating_perilaku_kerja": "", "_row": 3},
    ])
    assert n == 2
    assert (_ev(staf).predikat.value, _ev(staf).rekomendasi) == ("Sangat Baik", "Promosikan")
    assert _ev(staf2).predikat.value == "Butuh Perbaikan"
    assert len(_audit(staf, "nilai")) == 1 and len(_audit(staf2, "nilai")) == 1
    with pytest.raises(ValidationFailed, match="bukan pejabat penilai"):
        ep.rate_many(org.actors.kepala, [{"evaluasi_id": staf, "rating_hasil_kerja": SESUAI,
                                          "rating_perilaku_kerja": SESUAI, "_row": 1}])
    assert ep.rate_many(org.actors.kasub, []) == 0


def test_approve_many_all_or_nothing(pair):
    org, staf, staf2 = pair
    feedback(org, staf)
    ep.rate(org.actors.kasub, staf, SESUAI, SESUAI)
    with pytest.raises(ValidationFailed, match="Dewi Lestari"):
        ep.approve_many(org.actors.kepala, [staf, staf2])  # staf2 is not rated yet
    assert _ev(staf).status.value == "DINILAI"
    feedback(org, staf2)
    ep.rate(org.actors.kasub, staf2, SESUAI, SESUAI)
    assert ep.approve_many(org.actors.kepala, [staf, staf2]) == 2
    assert {_ev(staf).status.value, _ev(staf2).status.value} == {"DISETUJUI"}
    assert ep.queue(org.actors.kepala, period_id(org), role="atasan")["status_kode"].tolist() == ["DISETUJUI"] * 2


def test_feedback_ids_must_belong_to_the_evaluation(pair):
    org, staf, staf2 = pair
    other = ep.evaluasi_detail(org.actors.kasub, staf2)
    with pytest.raises(ValidationFailed, match="bukan bagian dari evaluasi ini"):
        ep.save_feedback(org.actors.kasub, staf, {other.hasil[0].id: "Baik"}, {})
    feedback(org, staf)
    ep.rate(org.actors.kasub, staf, SESUAI, SESUAI)
    d = ep.evaluasi_detail(org.actors.kasub, staf)
    with pytest.raises(ValidationFailed, match="tidak dapat dikosongkan"):
        ep.save_feedback(org.actors.kasub, staf, {d.hasil[0].id: ""}, {})
    ep.save_feedback(org.actors.kasub, staf, {d.hasil[0].id: "Diperbarui"}, {},
                     {d.rencana_aksi[0].id: "Rencana aksi tepat"}, rekomendasi="Ikut pelatihan")
    d = ep.evaluasi_detail(org.actors.kasub, staf)
    assert (d.hasil[0].umpan_balik, d.rencana_aksi[0].umpan_balik, d.rekomendasi) == (
        "Diperbarui", "Rencana aksi tepat", "Ikut pelatihan")


def test_queues_per_role_and_overdue(sqlite_org):
    org = sqlite_org
    ef.setup(org)
    staf = ef.fill_and_submit(org, "staf")
    kepala = ef.fill_and_submit(org, "kepala")
    pid = period_id(org)
    late = dt.date(org.year, 4, 16)
    q = ep.queue(org.actors.kasub, pid, today=late)
    assert list(q["evaluasi_id"]) == [staf] and bool(q.iloc[0]["terlambat"])
    assert not ep.queue(org.actors.kasub, pid, today=dt.date(org.year, 4, 10)).iloc[0]["terlambat"]
    assert ep.queue(org.actors.kasub, pid, nomor=2).empty
    admin = ep.queue(org.actors.admin, pid, role="penilai")  # the head of office has no penilai in the satker
    assert list(admin["evaluasi_id"]) == [kepala] and bool(admin.iloc[0]["pimpinan_unit"])
    assert ep.queue(org.actors.kepala, pid, role="atasan").empty  # nothing rated yet
    assert ep.queue(org.actors.staf, pid).empty
    assert list(ep.queue(org.actors.kepala, pid, role="penilai")["pegawai"]) == []  # kasub has not submitted


def test_rate_many_query_count_does_not_grow_with_the_rows(pair):
    """The bulk save loads the evaluations and their children in a fixed number of queries."""
    from sqlalchemy import event

    from db.engine import get_engine

    org, staf, staf2 = pair
    feedback(org, staf)
    feedback(org, staf2)
    ep.rate(org.actors.kasub, staf, SESUAI, SESUAI)

    def selects(rows: list[dict]) -> int:
        seen: list[str] = []

        def count(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("SELECT"):
                seen.append(statement)

        event.listen(get_engine(), "before_cursor_execute", count)
        try:
            assert ep.rate_many(org.actors.kasub, rows) == len(rows)
        finally:
            event.remove(get_engine(), "before_cursor_execute", count)
        return len(seen)

    one = selects([{"evaluasi_id": staf, "rating_hasil_kerja": DI_ATAS, "rating_perilaku_kerja": SESUAI, "_row": 1}])
    two = selects([{"evaluasi_id": i, "rating_hasil_kerja": SESUAI, "rating_perilaku_kerja": DI_ATAS, "_row": n}
                   for n, i in enumerate((staf, staf2), start=1)])
    assert two == one
