"""ui/actions.py through AppTest: the success message survives the rerun, errors are listed, nothing is raised."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from services.core.errors import Conflict, FieldError, PermissionDenied, ServiceError, ValidationFailed
    from ui.actions import act, flash, or_stop, version

    flash()
    st.caption(f"versi {version('uji')}")
    kind = st.session_state.get("kind")

    def call():
        if kind == "validasi":
            raise ValidationFailed([FieldError(3, "Tanggal", "di luar periode"), FieldError(None, "Uraian", "wajib")])
        if kind == "tolak":
            raise PermissionDenied("Anda bukan pejabat penilai kegiatan ini.")
        if kind == "konflik":
            raise Conflict("Data telah diubah pengguna lain.")
        if kind == "lain":
            raise ServiceError("Periode sudah ditutup.")
        return 7

    if st.button("Jalankan", key="jalan"):
        got = act(call, ok=lambda n: f"{n} kegiatan disetujui.", fail="Tidak ada kegiatan yang dinilai:", reset="uji")
        st.caption(f"hasil {got}")
    if st.button("Baca", key="baca"):
        st.caption(f"dibaca {or_stop(call)}")
        st.caption("lanjut")


def _at(kind: str | None = None) -> AppTest:
    at = AppTest.from_function(_script, default_timeout=30)
    if kind:
        at.session_state["kind"] = kind
    return at.run()


def test_success_message_survives_the_rerun_and_resets_the_scope():
    at = _at()
    assert not at.exception
    at.button(key="jalan").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["7 kegiatan disetujui."]
    assert "versi 1" in [c.value for c in at.caption]
    at.run()  # shown once only
    assert not at.success


def test_the_success_message_does_not_move_the_page_under_it():
    """The message comes and goes above the page; what follows keeps its place in the element tree (else the
    browser draws it anew: a page's tabs went back to the first tab after every first action)."""
    def place(at) -> int:
        return next(i for i, child in at.main.children.items() if str(getattr(child, "value", "")).startswith("versi"))

    at = _at()
    before = place(at)
    at.button(key="jalan").click().run()
    assert at.success
    assert place(at) == before
    at.run()
    assert not at.success
    assert place(at) == before


def test_validation_errors_are_listed_by_row_and_field():
    at = _at("validasi")
    at.button(key="jalan").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Tidak ada kegiatan yang dinilai:"]
    listed = " ".join(m.value for m in at.markdown)
    assert "Baris 3, kolom Tanggal: di luar periode" in listed and "Uraian: wajib" in listed
    assert "hasil None" in [c.value for c in at.caption]
    assert not at.success


def test_refusal_conflict_and_other_errors_are_shown_not_raised():
    at = _at("tolak")
    at.button(key="jalan").click().run()
    assert not at.exception
    assert "bukan pejabat penilai" in at.warning[0].value
    for kind, text in (("konflik", "diubah pengguna lain"), ("lain", "Periode sudah ditutup")):
        at = _at(kind)
        at.button(key="jalan").click().run()
        assert not at.exception
        assert text in at.error[0].value and at.error[0].value.startswith("Tidak ada kegiatan yang dinilai:")


def test_or_stop_returns_the_read_or_stops_the_page():
    at = _at()
    at.button(key="baca").click().run()
    assert {"dibaca 7", "lanjut"} <= {c.value for c in at.caption}
    at = _at("lain")
    at.button(key="baca").click().run()
    assert not at.exception
    assert "Periode sudah ditutup" in at.error[0].value
    assert "lanjut" not in [c.value for c in at.caption]
