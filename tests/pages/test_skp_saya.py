"""AppTest: "SKP Saya" for a pegawai — grid save with good and bad rows, the starting buttons, lampiran, submit,
the notes of a returned SKP, the locked view of an approved SKP with the revision request, and accounts
without pegawai data."""

from __future__ import annotations

import pytest

from db.models import Role
from services import skp
from services.core.actor import Actor
from tests import skp_factories as f
from tests.pages.helpers import page, texts
from ui import guard


@pytest.fixture
def cascade(sqlite_org):
    """Kepala (JPT) and Kasubbag (JA) SKPs approved: the staff can intervene the Kasubbag's RHK."""
    k = f.kepala_skp(sqlite_org)
    m = f.kasub_skp(sqlite_org, k.rhk)
    return sqlite_org, m


def staf_page(org):
    return page("skp_saya.py", org.usernames["staf"])


def editor(sid: int, version_no: int = 1, reset: int = 0) -> str:
    return f"skp_rhk_{sid}_{version_no}__{reset}"


def button(at, label):
    return next(b for b in at.button if b.label == label)


def good_rows(m) -> list[dict]:
    parent = skp.parent_label(m.rhk[0], m.detail.rhk[0].uraian)
    return [
        {"jenis": "Utama", "rhk_atasan": parent, "cascading": "Direct", "rhk": "Tersusunnya laporan keuangan",
         "aspek": "Kuantitas", "indikator": "Jumlah laporan keuangan", "target_min": 12, "satuan": "laporan"},
        {"rhk": "", "aspek": "Waktu", "indikator": "Ketepatan waktu penyampaian", "target_min": 90,
         "target_max": 100, "satuan": "%"},
    ]


def test_first_visit_creates_the_draft_and_shows_the_header(cascade):
    org, m = cascade
    at = staf_page(org).run()
    assert not at.exception, at.exception
    sid = skp.my_segments(org.actors.staf, m.period_id)[0].id
    shown = texts(at)
    assert at.title[0].value == "SKP Saya"
    assert "**Status:** Draft" in shown and "JA/JF" in shown and "Penata Layanan Operasional" in shown
    assert "Budi Santoso, S.E." in shown and "Batas penetapan SKP" in shown
    assert [t.label for t in at.tabs] == ["Hasil Kerja", "Lampiran", "Perilaku Kerja"]
    assert len(at.dataframe) >= 1  # perilaku kerja (and the penilai's RHK)
    perilaku = at.dataframe[-1].value
    assert list(perilaku["Perilaku Kerja"])[:2] == ["Berorientasi Pelayanan", "Akuntabel"]
    assert editor(sid) in at.session_state
    assert button(at, "Ajukan ke pejabat penilai").disabled  # nothing to submit yet


def test_grid_save_good_rows_stores_them(cascade):
    org, m = cascade
    at = staf_page(org).run()
    sid = skp.my_segments(org.actors.staf, m.period_id)[0].id
    at.session_state[editor(sid)] = {"edited_rows": {}, "deleted_rows": [], "added_rows": good_rows(m)}
    at.run()
    button(at, "Simpan hasil kerja").click().run()
    assert not at.exception, at.exception
    assert "Hasil kerja disimpan: 1 RHK, 2 indikator." in texts(at)
    g = skp.grid(org.actors.staf, sid)
    assert list(g["indikator"]) == ["Jumlah laporan keuangan", "Ketepatan waktu penyampaian"]
    assert list(g["rhk"]) == ["Tersusunnya laporan keuangan"] * 2 and g.loc[1, "target_max"] == 100
    assert editor(sid, reset=1) in at.session_state  # the editor restarted from the saved data


def test_grid_save_bad_rows_names_the_rows_and_keeps_the_input(cascade):
    org, m = cascade
    at = staf_page(org).run()
    sid = skp.my_segments(org.actors.staf, m.period_id)[0].id
    bad = good_rows(m)
    bad[0] = bad[0] | {"aspek": None, "target_min": "banyak"}
    bad.append({"jenis": "Utama", "rhk": "RHK tanpa pimpinan", "aspek": "Kualitas", "indikator": "Mutu",
                "target_min": 1, "satuan": "nilai"})
    state = {"edited_rows": {}, "deleted_rows": [], "added_rows": bad}
    at.session_state[editor(sid)] = state
    at.run()
    button(at, "Simpan hasil kerja").click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Data tidak disimpan: 3 kesalahan." in shown
    assert "Baris 1, kolom Aspek" in shown and "Baris 1, kolom Target Min: harus berupa angka" in shown
    assert "Baris 3, kolom RHK Pimpinan yang Diintervensi" in shown
    assert skp.grid(org.actors.staf, sid).empty  # nothing saved
    assert at.session_state[editor(sid)]["added_rows"] == bad  # nothing typed is lost
    assert editor(sid, reset=1) not in at.session_state
    assert button(at, "Ajukan ke pejabat penilai").disabled  # unsaved edits block the submission
    assert "Ada perubahan pada tabel hasil kerja yang belum disimpan" in shown


def test_start_from_penilai_rhk_fills_an_empty_grid(cascade):
    org, m = cascade
    at = staf_page(org).run()
    sid = skp.my_segments(org.actors.staf, m.period_id)[0].id
    button(at, "Mulai dari RHK pejabat penilai").click().run()
    assert not at.exception, at.exception
    assert "RHK pejabat penilai ditambahkan" in texts(at)
    d = skp.skp_detail(org.actors.staf, sid)
    assert [r.intervensi[0].rhk_id for r in d.rhk] == m.rhk
    # with content, the copy button is off and the start button needs a confirmation
    assert button(at, "Salin dari SKP tahun lalu").disabled
    assert button(at, "Mulai dari RHK pejabat penilai").disabled
    at.checkbox(key=f"skp_mulai_ok_{sid}").check().run()
    assert not button(at, "Mulai dari RHK pejabat penilai").disabled


def test_lampiran_and_pendekatan_are_saved(cascade):
    org, m = cascade
    at = staf_page(org).run()
    sid = skp.my_segments(org.actors.staf, m.period_id)[0].id
    at.text_area(key=f"lamp_{sid}_0_Dukungan Sumber Daya").input("Anggaran rutin\n\nLaptop kantor")
    at.text_area(key=f"lamp_{sid}_0_Konsekuensi").input("Sesuai ketentuan disiplin")
    button(at, "Simpan lampiran").click().run()
    assert not at.exception, at.exception
    assert "Lampiran disimpan." in texts(at)
    d = skp.skp_detail(org.actors.staf, sid)
    assert d.lampiran["Dukungan Sumber Daya"] == ("Anggaran rutin", "Laptop kantor")
    assert d.lampiran["Konsekuensi"] == ("Sesuai ketentuan disiplin",)
    at.radio(key=f"skp_pendekatan_{sid}_{d.row_version}").set_value("Kualitatif").run()
    assert not at.exception, at.exception
    assert skp.skp_detail(org.actors.staf, sid).pendekatan == "Kualitatif"
    assert "Pendekatan diubah menjadi Kualitatif." in texts(at)


def test_submit_moves_the_skp_to_diajukan(cascade):
    org, m = cascade
    sid = f.staff_skp(org, "staf", m.rhk[0], submit=False)
    at = staf_page(org).run()
    assert button(at, "Ajukan ke pejabat penilai").disabled  # confirmation first
    at.checkbox(key=f"skp_ajukan_ok_{sid}").check().run()
    button(at, "Ajukan ke pejabat penilai").click().run()
    assert not at.exception, at.exception
    assert skp.skp_detail(org.actors.staf, sid).status == "DIAJUKAN"
    shown = texts(at)
    assert "SKP diajukan kepada pejabat penilai." in shown and "sedang diverifikasi pejabat penilai" in shown
    assert "Simpan hasil kerja" not in [b.label for b in at.button]


def test_returned_skp_shows_the_overall_and_per_rhk_notes(cascade):
    org, m = cascade
    sid = f.staff_skp(org, "staf", m.rhk[0])
    rhk_id = skp.skp_detail(org.actors.staf, sid).rhk[0].id
    skp.return_with_notes(org.actors.kasub, sid, "Target belum menantang", {rhk_id: "Naikkan target laporan"})
    at = staf_page(org).run()
    assert not at.exception, at.exception
    warning = "\n".join(w.value for w in at.warning)
    assert "SKP dikembalikan oleh pejabat penilai" in warning and "Target belum menantang" in warning
    assert "RHK Utama 1** — Tersusunnya laporan keuangan bulanan: Naikkan target laporan" in warning
    assert "Simpan hasil kerja" in [b.label for b in at.button]  # editable again


def test_approved_skp_is_read_only_with_the_revision_form(cascade):
    org, m = cascade
    sid = f.staff_skp(org, "staf", m.rhk[0])
    skp.approve(org.actors.kasub, sid)
    at = staf_page(org).run()
    assert not at.exception, at.exception
    assert "SKP telah disetujui dan terkunci." in texts(at)
    labels = [b.label for b in at.button]
    assert "Simpan hasil kerja" not in labels and "Ajukan permintaan revisi" in labels
    hasil = at.dataframe[0].value
    assert list(hasil["Indikator Kinerja Individu"]) == ["Jumlah laporan keuangan", "Ketepatan waktu penyampaian"]
    button(at, "Ajukan permintaan revisi").click().run()  # empty reason
    assert "Alasan: wajib diisi" in texts(at)
    next(t for t in at.text_area if t.label == "Alasan revisi").input("Ada tugas tambahan dari pimpinan")
    button(at, "Ajukan permintaan revisi").click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Permintaan revisi diajukan" in shown and "menunggu keputusan pejabat penilai" in shown
    assert skp.skp_detail(org.actors.staf, sid).pending_revision.alasan == "Ada tugas tambahan dari pimpinan"
    assert "Ajukan permintaan revisi" not in [b.label for b in at.button]


def test_admin_without_pegawai_is_refused_by_the_guard(sqlite_org):
    at = page("skp_saya.py", "admin").run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Anda tidak memiliki akses ke halaman ini."]


def test_account_without_pegawai_data_gets_an_info_not_an_exception(sqlite_org, monkeypatch):
    nobody = Actor(user_id=1, username="admin", nama="Administrator SDM",
                   roles=frozenset({Role.PEGAWAI, Role.ADMIN_SDM}))
    monkeypatch.setattr(guard, "page_actor", lambda _file: nobody)
    at = page("skp_saya.py", "admin").run()
    assert not at.exception, at.exception
    assert "tidak terhubung dengan data pegawai" in at.info[0].value
    assert len(at.button) == 0


def test_concurrent_change_gives_a_conflict_and_keeps_the_input(cascade):
    org, m = cascade
    at = staf_page(org).run()
    sid = skp.my_segments(org.actors.staf, m.period_id)[0].id
    at.session_state[editor(sid)] = {"edited_rows": {}, "deleted_rows": [], "added_rows": good_rows(m)}
    at.run()
    skp.save_lampiran(org.actors.staf, sid, {"Konsekuensi": ["dari tab lain"]})  # another tab saves meanwhile
    button(at, "Simpan hasil kerja").click().run()
    assert not at.exception, at.exception
    assert any("telah diubah di tempat lain" in e.value for e in at.error)
    assert skp.grid(org.actors.staf, sid).empty
    assert at.session_state[editor(sid)]["added_rows"] == good_rows(m)


def test_paste_box_previews_bad_cells_and_adds_good_rows(cascade):
    from domain import cells

    org, m = cascade
    at = staf_page(org).run()
    sid = skp.my_segments(org.actors.staf, m.period_id)[0].id
    parent = skp.parent_label(m.rhk[0], m.detail.rhk[0].uraian)
    # columns: jenis, rhk_atasan, cascading, rhk, aspek, indikator, target_min, target_max, satuan
    good = [["Utama", parent, "Direct", "Tersusunnya laporan keuangan", "Kuantitas", "Jumlah laporan keuangan",
             "12", "", "laporan"],
            ["", "", "", "", "Waktu", "Ketepatan waktu penyampaian", "90", "100", "%"]]
    bad = [["Utama", "", "", "RHK lain", "Kuantitas", "", "abc", "", "dokumen"]]
    key = f"skp_tempel_{sid}__teks"
    at.text_area(key=key).input(cells.format_tsv(good + bad))
    button(at, "Periksa tempelan").click()
    at.run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "2 baris siap diterapkan, 1 baris bermasalah" in shown
    assert "Baris 3, kolom Indikator Kinerja Individu" in shown and "Baris 3, kolom Target Min" in shown
    button(at, "Terapkan 2 baris ke tabel").click()
    at.run()
    assert not at.exception, at.exception
    assert "RHK lain" in at.text_area(key=key).value  # the bad row stays in the box
    assert skp.grid(org.actors.staf, sid).empty  # nothing saved until Save
    button(at, "Simpan hasil kerja").click().run()
    assert not at.exception, at.exception
    assert "Hasil kerja disimpan: 1 RHK, 2 indikator." in texts(at)
    g = skp.grid(org.actors.staf, sid)
    assert list(g["indikator"]) == ["Jumlah laporan keuangan", "Ketepatan waktu penyampaian"]


def test_preview_paste_is_owner_only(cascade):
    from services.core.errors import PermissionDenied

    org, m = cascade
    staf_page(org).run()
    sid = skp.my_segments(org.actors.staf, m.period_id)[0].id
    with pytest.raises(PermissionDenied):
        skp.preview_paste(org.actors.admin, sid, "Utama\tx")


def test_unduh_excel_pasted_back_unchanged_then_rhk_by_number_updates(cascade):
    """Round trip on the page: the downloaded sheet pasted back is recognised row by row (no duplicate RHK, nothing
    to save); a row with the RHK as its number and a new target updates that row."""
    import io

    import pandas as pd

    from domain import cells

    org, m = cascade
    sid = f.staff_skp(org, "staf", m.rhk[0], submit=False)
    at = staf_page(org).run()
    assert not at.exception, at.exception
    assert any(d.proto.label == "Unduh Excel" for d in at.get("download_button"))
    sheet = pd.read_excel(io.BytesIO(skp.grid_xlsx(org.actors.staf, sid)), dtype=object, header=None)
    lines = [["" if pd.isna(v) else str(v) for v in row] for row in sheet.itertuples(index=False)]
    key = f"skp_tempel_{sid}__teks"
    at.text_area(key=key).input(cells.format_tsv(lines))
    button(at, "Periksa tempelan").click().run()
    assert not at.exception, at.exception
    n = len(lines) - 1
    assert f"{n} baris siap diterapkan, 0 baris bermasalah" in texts(at)
    before = skp.grid(org.actors.staf, sid)
    button(at, f"Terapkan {n} baris ke tabel").click().run()
    button(at, "Simpan hasil kerja").click().run()
    assert "Tidak ada perubahan untuk disimpan." in texts(at)
    assert skp.grid(org.actors.staf, sid).equals(before)
    header, first = lines[0], list(lines[1])
    first[header.index(skp.LABELS["rhk"])] = "1"
    first[header.index(skp.LABELS["target_min"])] = "24"
    at.text_area(key=key).input(cells.format_tsv([header, first]))
    button(at, "Periksa tempelan").click().run()
    assert "1 baris siap diterapkan, 0 baris bermasalah" in texts(at)
    button(at, "Terapkan 1 baris ke tabel").click().run()
    button(at, "Simpan hasil kerja").click().run()
    assert not at.exception, at.exception
    after = skp.grid(org.actors.staf, sid)
    assert len(after) == len(before) and after.loc[0, "target_min"] == 24
