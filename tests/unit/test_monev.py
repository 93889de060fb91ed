"""Rapat monev bulanan (SOP 002): planning, undangan, meeting, attendance window, notulen, tindak lanjut carry-over,
report workflow with the deadline of the 20th, Beranda tasks, snapshot, documents; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd
import pytest
from sqlalchemy import select

from db.engine import read_session
from db.models import AuditLog
from services.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from services.core.tasks import providers
from services.monev import dokumen, laporan, rapat, snapshot
from tests import kinerja_factories as kf
from tests import monev_factories as mf


def _tasks(actor, today):
    from services import beranda  # noqa: F401  (registers every provider)

    with read_session() as s:
        return [t for p in providers() for t in p(s, actor, today) if t.kategori == "Rapat Monev"]


def _actions() -> list[str]:
    with read_session() as s:
        return list(s.scalars(select(AuditLog.action).where(AuditLog.action.like("monev_%"))))


@pytest.fixture
def y(org):
    return org.year


def test_plan_from_template_one_item_per_team_and_only_perencana(org, y):
    kf.second_team(org)
    with pytest.raises(PermissionDenied):
        rapat.buat(org.actors.staf, y, 3, tanggal=dt.date(y, 3, 4), jam="09:00", tempat="Aula",
                   notulis_id=org.pegawai["staf2"])
    with pytest.raises(ValidationFailed) as e:
        rapat.buat(org.actors.ketua, y, 3, tanggal="", jam="25:99", tempat="", notulis_id=None)
    assert {x.field for x in e.value.errors} == {"Tanggal", "Jam", "Tempat", "Notulis"}
    rid = mf.plan(org, y, 3, dt.date(y, 3, 4))
    view = rapat.by_id(org.actors.staf, rid)
    titles = [a["judul"] for a in view["agenda"]]
    assert "Laporan Tim Kerja Layanan" in titles and "Laporan Tim Kerja Surveilans" in titles
    assert titles[0] == "Pembukaan oleh Kepala"
    assert view["jumlah_diundang"] == 6 and view["diundang"]
    with pytest.raises(ServiceError):
        mf.plan(org, y, 3, dt.date(y, 3, 5))
    # the Perencana edits the template; the next meeting uses it
    tpl = rapat.template(org.actors.ketua)
    tpl.loc[len(tpl)] = {"Urutan": 99, "Judul": "Penutup", "Jenis": "Lain-lain"}
    with pytest.raises(PermissionDenied):
        rapat.save_template(org.actors.staf, tpl)
    rapat.save_template(org.actors.ketua, tpl)
    rid2 = mf.plan(org, y, 4, dt.date(y, 4, 4), cakupan="tim", ids=[org.tim_id])
    v2 = rapat.by_id(org.actors.staf, rid2)
    assert v2["agenda"][-1]["judul"] == "Penutup"
    assert v2["jumlah_diundang"] == 2  # ketua + staf2 of Tim Kerja Surveilans


def test_undangan_workflow_return_sign_scan_and_beranda(org, y, clock):
    clock.set(dt.date(y, 3, 1))
    rid = mf.plan(org, y, 3, dt.date(y, 3, 4))
    with pytest.raises(ValidationFailed):
        rapat.ajukan_undangan(org.actors.ketua, rid, " ")
    rapat.ajukan_undangan(org.actors.ketua, rid, "UM.01/3")
    assert any("menunggu tanda tangan" in t.judul for t in _tasks(org.actors.kepala, clock.today()))
    with pytest.raises(PermissionDenied):
        rapat.tandatangani_undangan(org.actors.ketua, rid)
    with pytest.raises(ValidationFailed):
        rapat.kembalikan_undangan(org.actors.kepala, rid, "kurang")
    rapat.kembalikan_undangan(org.actors.kepala, rid, "Tambahkan agenda realisasi anggaran.")
    assert rapat.by_id(org.actors.ketua, rid)["status_undangan"] == "DIKEMBALIKAN"
    assert any("dikembalikan" in t.judul for t in _tasks(org.actors.ketua, clock.today()))
    rapat.ubah(org.actors.ketua, rid, tanggal=dt.date(y, 3, 5), jam="10.00", tempat="Ruang Rapat", notulis_id=org.pegawai["staf2"])
    with pytest.raises(ServiceError):
        rapat.unggah_scan(org.actors.ketua, rid, "scan.pdf", b"%PDF-1.4 x")
    rapat.ajukan_undangan(org.actors.ketua, rid, "UM.01/3")
    rapat.tandatangani_undangan(org.actors.kepala, rid)
    with pytest.raises(ServiceError):
        rapat.ubah(org.actors.ketua, rid, tanggal=dt.date(y, 3, 6), jam="10:00", tempat="X", notulis_id=org.pegawai["staf2"])
    with pytest.raises(ValidationFailed):
        rapat.unggah_scan(org.actors.ketua, rid, "scan.exe", b"MZ...")
    rapat.unggah_scan(org.actors.ketua, rid, "scan.pdf", b"%PDF-1.4 x")
    assert rapat.scan(org.actors.staf, rid)[0] == "scan.pdf"
    inv = [t for t in _tasks(org.actors.staf, clock.today()) if t.judul.startswith("Undangan rapat monev")]
    assert inv and "5 Maret" in inv[0].judul and "10:00" in inv[0].judul  # a date people read, not 05-03-2026
    acts = _actions()
    for a in ("monev_rencanakan", "monev_ajukan_undangan", "monev_kembalikan_undangan", "monev_tandatangani_undangan",
              "monev_unggah_scan_undangan"):
        assert a in acts


def test_meeting_start_snapshot_attendance_window_and_notulen_refusals(org, y, clock):
    kf.build_pk(org)
    rid = mf.plan(org, y, 3, dt.date(y, 3, 4))
    clock.set(dt.datetime(y, 3, 4, 8, 0))
    with pytest.raises(ServiceError):  # not signed yet
        rapat.mulai(org.actors.ketua, rid)
    rapat.ajukan_undangan(org.actors.ketua, rid, "UM/3")
    rapat.tandatangani_undangan(org.actors.kepala, rid)
    with pytest.raises(ServiceError, match="selama rapat berlangsung"):  # self check-in before the meeting
        rapat.hadir_mandiri(org.actors.staf, rid)
    with pytest.raises(PermissionDenied):
        rapat.mulai(org.actors.staf, rid)
    clock.set(dt.datetime(y, 3, 3, 9, 0))
    with pytest.raises(ServiceError, match="belum dapat dimulai"):
        rapat.mulai(org.actors.staf2, rid)
    clock.set(dt.datetime(y, 3, 4, 9, 0))
    rapat.mulai(org.actors.staf2, rid)
    snap = rapat.snapshot(org.actors.staf, rid)
    assert snap["data"] == {"tahun": y, "bulan": 2, "label": f"Februari {y}"}
    assert [r["Kode"] for r in snap["iku"]["rows"]] == ["I1", "I2", "I3"]
    keys = [x["key"] for x in snapshot.sections(snap)]
    assert keys[0] == "iku" and keys[-3:] == ["anggaran", "individu", "tindak_lanjut"] and len(keys) == 6
    assert sum(k["Seri"] == "Rencana (RPD)" for k in snap["anggaran"]["kurva"]) == 12
    # attendance: self check-in while open; an outsider is refused
    rapat.hadir_mandiri(org.actors.staf, rid)
    rapat.catat_hadir(org.actors.staf2, rid, org.pegawai["kepala"])
    with pytest.raises(PermissionDenied):
        rapat.catat_hadir(org.actors.staf, rid, org.pegawai["kasub"])
    df = rapat.daftar_hadir(org.actors.ketua, rid)
    assert set(df[df["Hadir"]]["Nama"].str[:4]) == {"Andi", "dr. "}
    assert df.loc[df["pegawai_id"] == org.pegawai["staf"], "Dicatat"].item() == "mandiri"
    df.loc[df["pegawai_id"] == org.pegawai["kasub"], "Hadir"] = True
    assert rapat.simpan_hadir(org.actors.staf2, rid, df) == 1
    # notulen: the notulis writes, a pegawai is refused
    item = rapat.by_id(org.actors.staf2, rid)["agenda"][1]
    rapat.simpan_notulen(org.actors.staf2, rid, item["id"], "Capaian I1 di atas target.")
    with pytest.raises(PermissionDenied):
        rapat.simpan_notulen(org.actors.staf, rid, item["id"], "Saya ubah notulen.")
    assert rapat.by_id(org.actors.staf, rid)["agenda"][1]["notulen"] == "Capaian I1 di atas target."
    assert any("sedang berlangsung" in t.judul for t in _tasks(org.actors.staf, clock.today()))
    rapat.selesai(org.actors.staf2, rid)
    with pytest.raises(ServiceError, match="selama rapat berlangsung"):  # after it closed
        rapat.hadir_mandiri(org.actors.pppk, rid)
    # the snapshot stays frozen even when figures change afterwards
    kf.pk.save_rincian(org.actors.ketua, y, kf.rincian_rows().assign(Pagu=9_999_999))
    assert rapat.snapshot(org.actors.staf, rid) == snap


def test_tindak_lanjut_grid_carry_over_and_close(org, y, clock):
    rid = mf.held(org, y, 3, dt.date(y, 3, 4))
    clock.set(dt.date(y, 3, 10))
    bad = pd.DataFrame([{"id": None, "Tindak Lanjut": "Rapikan arsip", "PIC": "Orang Hantu", "Tenggat": "31/02/2026"}])
    with pytest.raises(ValidationFailed) as e:
        rapat.simpan_tindak_lanjut(org.actors.staf2, rid, bad)
    assert {x.field for x in e.value.errors} == {"PIC", "Tenggat"}
    ok = pd.DataFrame([{"id": None, "Tindak Lanjut": "Rapikan arsip", "PIC": "Andi Wijaya", "Tenggat": "20/03/" + str(y)}])
    assert rapat.simpan_tindak_lanjut(org.actors.staf2, rid, ok) == 1
    with pytest.raises(PermissionDenied):
        rapat.simpan_tindak_lanjut(org.actors.staf, rid, ok)
    tl = rapat.tindak_lanjut(org.actors.staf, rid)
    assert list(tl["PIC"]) == ["Tim Kerja Surveilans", "Andi Wijaya"]
    # the PIC (Andi) sees it on Beranda; the ketua of the PIC team too
    assert any("Rapikan arsip" in t.judul for t in _tasks(org.actors.staf, clock.today()))
    assert any("bukti dukung" in t.judul for t in _tasks(org.actors.ketua, clock.today()))
    # next month: the open items carry over to the meeting and to its snapshot
    clock.set(dt.date(y, 4, 2))
    rid2 = mf.signed(org, y, 4, dt.date(y, 4, 2))
    rapat.mulai(org.actors.staf2, rid2)
    carried = rapat.tindak_lanjut(org.actors.staf2, rid2)
    assert list(carried["Asal Rapat"]) == [f"Maret {y}"] * 2
    assert len(rapat.snapshot(org.actors.staf, rid2)["tindak_lanjut"]) == 2
    andi = int(tl.loc[tl["PIC"] == "Andi Wijaya", "id"].item())
    with pytest.raises(PermissionDenied):
        rapat.tutup_tindak_lanjut(org.actors.pppk, andi, "Sudah saya kerjakan semuanya.")
    with pytest.raises(ValidationFailed):
        rapat.tutup_tindak_lanjut(org.actors.staf, andi, "ok")
    rapat.tutup_tindak_lanjut(org.actors.staf, andi, "Arsip dirapikan dan diberi label.")
    with pytest.raises(ServiceError):
        rapat.tutup_tindak_lanjut(org.actors.staf, andi, "Arsip dirapikan dan diberi label.")
    assert not any("Rapikan arsip" in t.judul for t in _tasks(org.actors.staf, clock.today()))
    # rows carried from March are not edited through April's grid
    grid = rapat.tindak_lanjut(org.actors.staf2, rid2)
    grid["Tindak Lanjut"] = "diubah"
    assert rapat.simpan_tindak_lanjut(org.actors.staf2, rid2, grid) == 0
    assert "monev_tutup_tindak_lanjut" in _actions()


def test_report_workflow_deadline_and_set_report_is_read_only(org, y, clock):
    rid = mf.held(org, y, 3, dt.date(y, 3, 4))
    clock.set(dt.date(y, 3, 10))
    assert any("perlu disusun" in t.judul for t in _tasks(org.actors.ketua, clock.today()))
    with pytest.raises(PermissionDenied):
        laporan.susun(org.actors.staf, rid, "Kesimpulan.")
    laporan.susun(org.actors.staf2, rid, "Capaian sesuai rencana.")
    with pytest.raises(PermissionDenied):
        laporan.periksa(org.actors.kasub, rid) if False else laporan.tetapkan(org.actors.kasub, rid)
    laporan.ajukan(org.actors.staf2, rid)
    with pytest.raises(ServiceError):  # notulen locked while the Kasubbag checks
        rapat.simpan_notulen(org.actors.staf2, rid, rapat.by_id(org.actors.staf2, rid)["agenda"][0]["id"], "x")
    with pytest.raises(PermissionDenied):
        laporan.periksa(org.actors.staf, rid)
    assert any("menunggu pemeriksaan" in t.judul for t in _tasks(org.actors.kasub, clock.today()))
    laporan.kembalikan(org.actors.kasub, rid, "Lengkapi foto dokumentasi rapat.")
    assert rapat.by_id(org.actors.staf2, rid)["catatan_laporan"] == "Lengkapi foto dokumentasi rapat."
    rapat.unggah_foto(org.actors.staf2, rid, "foto.png", mf.png(), "Suasana rapat")
    with pytest.raises(ValidationFailed):
        rapat.unggah_foto(org.actors.staf2, rid, "foto.png", b"\x89PNG\r\n\x1a\nrusak")
    laporan.susun(org.actors.staf2, rid, "Capaian sesuai rencana.")
    laporan.ajukan(org.actors.staf2, rid)
    laporan.periksa(org.actors.kasub, rid)
    with pytest.raises(ServiceError):  # the Kepala sets only a checked report... which it now is; Kasubbag cannot
        laporan.periksa(org.actors.kasub, rid)
    # ratifying late: refused without a reason
    clock.set(dt.date(y, 3, 21))
    over = [t for t in _tasks(org.actors.kepala, clock.today()) if "menunggu penetapan" in t.judul]
    assert over and "terlambat" in over[0].judul
    with pytest.raises(ServiceError, match="sudah lewat"):
        laporan.tetapkan(org.actors.kepala, rid)
    laporan.tetapkan(org.actors.kepala, rid, "Kepala sedang dinas luar kota.")
    view = rapat.by_id(org.actors.staf, rid)
    assert view["status_laporan"] == "DITETAPKAN" and view["laporan_terlambat"]
    # a set report and its meeting are read-only
    with pytest.raises(ServiceError, match="sudah ditetapkan"):
        laporan.susun(org.actors.ketua, rid, "Ubah kesimpulan.")
    with pytest.raises(ServiceError, match="sudah ditetapkan"):
        rapat.simpan_notulen(org.actors.staf2, rid, view["agenda"][0]["id"], "Ubah notulen.")
    with pytest.raises(ServiceError, match="sudah ditetapkan"):
        rapat.catat_hadir(org.actors.staf2, rid, org.pegawai["pppk"])
    with pytest.raises(ServiceError, match="sudah ditetapkan"):
        laporan.tetapkan(org.actors.kepala, rid)
    ov = laporan.ikhtisar(org.actors.staf, y)
    assert len(ov) == 12
    mar = ov.iloc[2]
    assert mar["Laporan Ditetapkan"] == f"21 Mar {y}" and re.match(r"\d{1,2} Mar \d{4} ", mar["Rapat"]) and mar["Terlambat"] == "Ya" and mar["Laporan Diperiksa"] == "✓"
    acts = set(_actions())
    assert {"monev_susun_laporan", "monev_ajukan_laporan", "monev_kembalikan_laporan", "monev_periksa_laporan",
            "monev_tetapkan_laporan", "monev_mulai_rapat", "monev_selesai_rapat", "monev_catat_hadir",
            "monev_simpan_notulen", "monev_unggah_foto"} <= acts


def test_on_time_ratification_needs_no_reason(org, y, clock):
    rid = mf.held(org, y, 3, dt.date(y, 3, 4))
    clock.set(dt.date(y, 3, 20))
    laporan.susun(org.actors.ketua, rid, "")
    laporan.ajukan(org.actors.ketua, rid)
    laporan.periksa(org.actors.kasub, rid)
    laporan.tetapkan(org.actors.kepala, rid)
    assert not rapat.by_id(org.actors.staf, rid)["laporan_terlambat"]
    assert laporan.ikhtisar(org.actors.staf, y).iloc[2]["Terlambat"] == ""


def test_deadline_in_january_and_after_the_20th():
    from services.monev.common import bulan_data, tenggat_laporan

    assert bulan_data(2027, 1) == (2026, 12)
    assert tenggat_laporan(2027, 1, dt.date(2027, 1, 8)) == dt.date(2027, 1, 20)
    assert tenggat_laporan(2026, 12, dt.date(2026, 12, 22)) == dt.date(2027, 1, 20)


def test_documents_undangan_and_laporan(org, y, clock):
    kf.build_pk(org)
    rid = mf.held(org, y, 3, dt.date(y, 3, 4))
    clock.set(dt.date(y, 3, 5))
    rapat.unggah_foto(org.actors.staf2, rid, "foto.png", mf.png(), "Suasana rapat")
    import docx

    und = docx.Document(io.BytesIO(dokumen.undangan_docx(org.actors.staf, rid)))
    text = "\n".join(p.text for p in und.paragraphs) + "\n".join(c.text for t in und.tables for r in t.rows for c in r.cells)
    assert f"UM.01.01/3/{y}" in text and "Aula Balai" in text and "Andi Wijaya" in text and "Pembukaan" in text
    assert dokumen.undangan_pdf(org.actors.staf, rid).startswith(b"%PDF")
    lap = docx.Document(io.BytesIO(dokumen.laporan_docx(org.actors.staf, rid)))
    text = "\n".join(p.text for p in lap.paragraphs) + "\n".join(c.text for t in lap.tables for r in t.rows for c in r.cells)
    assert "Kepala membuka rapat." in text and "Lengkapi bukti dukung" in text and "Jumlah sampel diperiksa" in text
    assert len(lap.inline_shapes) >= 1  # the photo (and the charts: test_laporan_holds_the_charts)
    pdf = dokumen.laporan_bulan(org.actors.staf, y, 3, "pdf")
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    with pytest.raises(NotFound):
        dokumen.laporan_bulan(org.actors.staf, y, 11)


def test_laporan_holds_the_charts(org, y, clock):
    """The report shows the frozen figures as charts too: capaian per indicator, each indicator's realisation vs
    target, the budget S-curve (PNG, in DOCX and PDF), each with a caption."""
    import docx
    from PIL import Image

    kf.build_pk(org)
    rid = mf.held(org, y, 3, dt.date(y, 3, 4))
    clock.set(dt.date(y, 3, 5))
    snap = rapat.snapshot(org.actors.staf, rid)
    n_ind = len({r["indikator_id"] for t in snap["tim"] for r in t["seri"]})
    assert n_ind >= 1 and snap["iku"]["capaian"] and snap["anggaran"]["kurva"]
    lap = docx.Document(io.BytesIO(dokumen.laporan_docx(org.actors.staf, rid)))
    assert len(lap.inline_shapes) == 2 + n_ind
    pngs = [p.blob for p in lap.part.package.iter_parts() if p.content_type == "image/png"]
    assert len(pngs) == 2 + n_ind
    assert all(Image.open(io.BytesIO(b)).size[0] >= 800 for b in pngs)  # drawn at twice the size: sharp in print
    captions = [p.text for p in lap.paragraphs if p.text.startswith("Grafik: ")]
    assert len(captions) == 2 + n_ind
    assert sum("realisasi vs target" in c for c in captions) == n_ind
    assert any("Capaian kumulatif per indikator" in c for c in captions)
    assert any("Kurva S anggaran" in c for c in captions)
    pdf = dokumen.laporan_pdf(org.actors.staf, rid)
    assert pdf.count(b"/Subtype /Image") >= 2 + n_ind


def test_cli_laporan_monev(sqlite_org, tmp_path, clock):
    from typer.testing import CliRunner

    from services.cli import app

    org = sqlite_org
    y = org.year
    mf.held(org, y, 3, dt.date(y, 3, 4))
    runner = CliRunner()
    for name in ("lap.docx", "lap.pdf"):
        res = runner.invoke(app, ["laporan-monev", "--tahun", str(y), "--bulan", "3", "--out", str(tmp_path / name)])
        assert res.exit_code == 0, res.output
        assert res.output.strip().endswith(name) and (tmp_path / name).stat().st_size > 1000
    res = runner.invoke(app, ["laporan-monev", "--tahun", str(y), "--bulan", "7", "--out", str(tmp_path / "x.docx")])
    assert res.exit_code == 2 and "Tidak ada rapat monev pada Juli" in res.output
    assert not (tmp_path / "x.docx").exists()


def test_invitees_counted_checked_and_paged_in_sql(org, y):
    """The meeting view counts the invitees and checks the reader's invitation in SQL, and the page reads them
    one page at a time: the pages joined are `undangan_list` (same rows, same order by name) for every scope;
    inactive pegawai are never invited."""
    from db.models import Pegawai
    from services.core import SYSTEM, unit_of_work

    with unit_of_work(SYSTEM) as s:
        for i, nama in enumerate(["Ahmad", "Zulkifli", "Ahmad", "Maya", "Budi"]):
            s.add(Pegawai(nip=f"19900101201501{i:04d}", nama=nama, jenis_asn="PNS", unit_id=org.units["adum"],
                          jabatan_id=org.jabatan["staf"], gelar_belakang="S.E." if i % 2 else None,
                          aktif=i != 4, tim_id=org.tim_id if i == 1 else None))
    cases = [("semua", None), ("unit", [org.units["adum"]]), ("tim", [org.tim_id])]
    for bulan, (cakupan, ids) in enumerate(cases, start=2):
        rid = mf.plan(org, y, bulan, dt.date(y, bulan, 4), cakupan=cakupan, ids=ids)
        full = rapat.undangan_list(org.actors.kepala, rid)
        assert "Budi" not in set(full["Nama"])  # inactive
        for who in ("kepala", "staf", "staf2"):
            view = rapat.by_id(getattr(org.actors, who), rid)
            assert view["jumlah_diundang"] == len(full)
            assert view["diundang"] == (org.pegawai[who] in set(full["pegawai_id"]))
        pages = [rapat.undangan_halaman(org.actors.kepala, rid, off, 2) for off in range(0, len(full) + 2, 2)]
        assert all(len(p) <= 2 for p in pages) and pages[-1].empty
        joined = pd.concat([p for p in pages if not p.empty], ignore_index=True)
        pd.testing.assert_frame_equal(joined, full.reset_index(drop=True))
        assert list(full["Nama"]) == sorted(full["Nama"], key=lambda n: n.split(",")[0].removeprefix("dr. "))
    assert len(rapat.undangan_list(org.actors.kepala, rapat.get(org.actors.kepala, y, 2)["id"])) == 6 + 4
    assert set(rapat.undangan_list(org.actors.kepala, rapat.get(org.actors.kepala, y, 4)["id"])["Nama"]) == {
        "Siti Aminah, S.K.M.", "Dewi Lestari, S.Si.", "Zulkifli, S.E."}
