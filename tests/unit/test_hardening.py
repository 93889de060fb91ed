"""Hardening: concurrent writers get the friendly Conflict (PostgreSQL races), stored text refuses control
characters and over-long values on both databases, and a lost write never leaves a raw database error."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from db.models import UnitKerja
from services import logbook, skp
from services.core.actor import SYSTEM
from services.core.errors import Conflict, ServiceError, ValidationFailed
from services.core.uow import as_conflict, unit_of_work
from services.evaluasi import penilaian as ep
from services.org import units as org
from tests import evaluasi_factories as ef
from tests import logbook_factories as lf
from tests import skp_factories as sf
from tests.factories import build_org

# --- races ---------------------------------------------------------------------------------------------


def race(first, second) -> list[BaseException | None]:
    """Run two service calls in two threads that both read before either writes: each waits at its first
    flush until the other one got there too (or gave up waiting, when a row lock made it wait)."""
    arrived = []  # the threads that reached their first flush
    racing = threading.local()

    def hold(session, _ctx, _instances):
        # polls instead of a Barrier's timed wait: under libfaketime (`faketime` runs of the suite) a thread's
        # timed wait never times out, and the wait must give up when the other thread is held by a row lock
        if getattr(racing, "on", False) and not getattr(racing, "held", False):
            racing.held = True
            arrived.append(threading.get_ident())
            deadline = time.monotonic() + 3
            while len(arrived) < 2 and time.monotonic() < deadline:
                time.sleep(0.01)

    results: list[BaseException | None] = [None, None]

    def run(i, fn):
        racing.on = True
        try:
            fn()
        except BaseException as e:  # noqa: BLE001 - the test inspects it
            results[i] = e

    event.listen(Session, "before_flush", hold)
    try:
        threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate((first, second))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        event.remove(Session, "before_flush", hold)
    return results


def _one_wins_other_gets_a_friendly_error(results):
    errors = [r for r in results if r is not None]
    assert len(errors) == 1, results
    assert isinstance(errors[0], ServiceError), repr(errors[0])  # never a raw StaleDataError/DBAPIError
    return errors[0]


ON_PG = pytest.mark.parametrize("db", ["pg"], indirect=True)  # write races are tested on PostgreSQL


@pytest.fixture
def pg(db):
    assert db == "pg"
    return db


@ON_PG
def test_race_skp_approve_against_return(pg):
    o = build_org()
    k = sf.kepala_skp(o, approve=False)
    err = _one_wins_other_gets_a_friendly_error(race(
        lambda: skp.approve(o.actors.admin, k.id),
        lambda: skp.return_with_notes(o.actors.admin, k.id, "Perbaiki indikator"),
    ))
    assert isinstance(err, Conflict) and "SKP" in str(err) and "Muat ulang" in str(err)


@ON_PG
def test_race_logbook_save_against_submit_and_review(pg):
    o = build_org(lf.ORG_YEAR)
    sk = lf.approved_skps(o)
    a = o.actors
    day = lf.d(3, 2)
    logbook.save_month(a.staf, day.year, day.month, lf.numbered([lf.row(day, "08:00", "09:00",
                                                                          sk.staf_rhk[0].label)]), today=lf.TODAY)
    grid = logbook.month_grid(a.staf, day.year, day.month)
    entry = int(grid["id"].iloc[0])
    edited = lf.row(day, "08:00", "09:30", sk.staf_rhk[0].label, id=entry, uraian="Menyusun laporan (revisi)")
    err = _one_wins_other_gets_a_friendly_error(race(
        lambda: logbook.save_month(a.staf, day.year, day.month, [edited], today=lf.TODAY),
        lambda: logbook.submit(a.staf, [entry], today=lf.TODAY),
    ))
    assert "Logbook" in str(err) or "kegiatan" in str(err).lower()
    if logbook.month_grid(a.staf, day.year, day.month)["status"].iloc[0] != "Belum Diperiksa":
        logbook.submit(a.staf, [entry], today=lf.TODAY)
    err = _one_wins_other_gets_a_friendly_error(race(
        lambda: logbook.review(a.kasub, [entry], "setujui", today=lf.TODAY),
        lambda: logbook.review(a.kasub, [entry], "kembalikan", note="Lengkapi bukti", today=lf.TODAY),
    ))
    assert isinstance(err, ServiceError)


@ON_PG
def test_race_two_ratings_of_one_evaluation(pg):
    o = build_org()
    ef.setup(o)
    ev_id = ef.fill_and_submit(o, "staf")
    d = ep.evaluasi_detail(o.actors.kasub, ev_id)
    ep.save_feedback(o.actors.kasub, ev_id, {h.id: "Hasil baik" for h in d.hasil},
                     {p.id: "Perilaku konsisten" for p in d.perilaku})
    version = ep.evaluasi_detail(o.actors.kasub, ev_id).version
    # both raters opened the same version of the form: the row lock serialises them, the second one is told
    err = _one_wins_other_gets_a_friendly_error(race(
        lambda: ep.rate(o.actors.kasub, ev_id, "Di Atas Ekspektasi", "Sesuai Ekspektasi", expected_version=version),
        lambda: ep.rate(o.actors.kasub, ev_id, "Sesuai Ekspektasi", "Sesuai Ekspektasi", expected_version=version),
    ))
    assert isinstance(err, Conflict) and "Evaluasi" in str(err)


def test_stale_version_inside_a_unit_of_work_becomes_conflict(db):
    with pytest.raises(Conflict, match="SKP telah diubah pengguna lain"), unit_of_work(SYSTEM):
        raise StaleDataError("UPDATE statement on table 'skp' expected to update 1 row(s); 0 were matched.")
    assert as_conflict(ValueError("x")) is None


# --- stored text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["Unit\x00Rahasia", "Unit\x1bwarna", "x" * 201])
def test_control_characters_and_overlong_text_are_refused_on_both_databases(db, bad):
    with pytest.raises(ValidationFailed) as exc, unit_of_work(SYSTEM) as s:
        s.add(UnitKerja(kode="U1", nama=bad))
    message = str(exc.value)
    assert message.startswith("Data tidak disimpan") and "Nama" in message
    assert ("karakter kendali" in message) or ("terlalu panjang" in message)


def test_tabs_and_line_breaks_are_fine(db):
    with unit_of_work(SYSTEM) as s:
        s.add(UnitKerja(kode="U1", nama="Bagian\tUmum\r\nlantai 2"))


def test_nul_in_a_service_write_gives_the_clear_message(db):
    o = build_org()
    with pytest.raises(ValidationFailed, match="karakter kendali"):
        org.save_units(o.actors.admin, [{"_row": 1, "id": None, "kode": "NUL", "nama": "Bagian\x00X",
                                         "induk": None, "urutan": 9, "aktif": True}])


# --- one formula guard for every CSV/XLSX writer ----------------------------------------------------------


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\r=1+1", "\n=1", "\uff1dcmd"])
def test_formula_guard_neutralises_every_trigger(cell):
    from services.core import export

    assert export.neutralise(cell) == "'" + cell
    assert export.neutralise("Sri Wahyuni") == "Sri Wahyuni" and export.neutralise(5) == 5


def test_password_csv_uses_the_same_guard():
    from services.org import people
    from services.org.people import NewAccount

    account = NewAccount(nip="199201012018011001", nama="\r=HYPERLINK(\"x\")", temporary_password="Ab3x")
    text = people.passwords_csv([account]).decode("utf-8-sig")
    assert "'\r=HYPERLINK" in text
