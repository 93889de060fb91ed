"""Demo office: the orchestrator. Loads the base office (office), then the demo SKPs (skp), logbook (logbook)
and evaluations (evaluasi), each relative to the clock's today. The loaders import `office` for the roster; none
imports this package, so there is no cycle."""

from __future__ import annotations

import dataclasses

from services.core.actor import SYSTEM, Actor
from services.demo import evaluasi, kinerja, logbook, monev, office, skp
from services.demo.office import (
    ADMIN_USERNAME,
    DEMO_PASSWORD,
    DemoResult,
    demo_accounts,
    demo_usernames,
    roster,
)

__all__ = ["evaluasi", "kinerja", "logbook", "monev", "office", "skp", "ADMIN_USERNAME", "DEMO_PASSWORD", "DemoResult",
           "demo_accounts", "demo_usernames", "load_demo", "roster"]


def load_demo(actor: Actor = SYSTEM, year: int | None = None, if_empty: bool = False,
              with_skp: bool = True, with_logbook: bool | None = None,
              with_evaluasi: bool | None = None, with_kinerja: bool | None = None,
              with_monev: bool | None = None) -> DemoResult:
    """Load the demo office into an empty database in one transaction, then (unless `with_skp` is False) the
    demo SKPs, each through the SKP services as the acting account, then (unless `with_logbook` is False; by
    default it follows `with_skp`, as entries need an approved SKP) the demo logbook, then (unless
    `with_evaluasi` is False; by default it follows the logbook) the demo evaluations, then (unless
    `with_kinerja` is False; by default it follows `with_skp`) the organisational performance of SOP 001
    (Perjanjian Kinerja, realisations, kertas kerja), then (unless `with_monev` is False; by default it follows
    the kinerja data) the monthly monev meetings of SOP 002 (last month complete, this month scheduled).

    When pegawai already exist nothing is written: with `if_empty` a skipped result is returned, otherwise
    Conflict is raised. Existing units, jabatan, tim, period or accounts with the same keys are reused.
    """
    result = office.load_office(actor, year=year, if_empty=if_empty)
    if not result.loaded:
        return result
    year = result.tahun
    skp_count = skp.load_demo_skp(year).skp if with_skp else 0  # type: ignore[arg-type]
    with_logbook = with_skp if with_logbook is None else with_logbook
    logbook_count = logbook.load_demo_logbook().entries if with_logbook else 0
    with_evaluasi = with_logbook if with_evaluasi is None else with_evaluasi
    evaluasi_count = evaluasi.load_demo_evaluasi(year).evaluasi if with_evaluasi else 0
    with_kinerja = with_skp if with_kinerja is None else with_kinerja
    kinerja_count = kinerja.load_demo_kinerja(year).realisasi if with_kinerja else 0  # type: ignore[arg-type]
    with_monev = with_kinerja if with_monev is None else with_monev
    if with_monev:
        monev.load_demo_monev()
    return dataclasses.replace(result, skp=skp_count, logbook=logbook_count, evaluasi=evaluasi_count,
                               kinerja=kinerja_count)
