"""The logbook review deadline has its own settings (SOP 000 step 5), separate from the evaluation deadline
(review_batas_hari, SOP 000 step 6)."""

from __future__ import annotations

import datetime as dt

import pytest

from services.core import settings
from services.core.errors import ValidationFailed
from services.logbook import common as lc


def test_logbook_review_deadline_is_its_own_setting(org):
    y = org.year
    assert lc.batas_penilaian(y, 1) == dt.date(y, 2, 15)
    settings.update_many(org.actors.admin, {"review_batas_hari": "25"})  # the evaluation's: no effect
    assert lc.batas_penilaian(y, 1) == dt.date(y, 2, 15)
    settings.update_many(org.actors.admin, {"logbook_review_batas_hari": "10"})
    assert lc.batas_penilaian(y, 1) == dt.date(y, 2, 10)
    settings.update_many(org.actors.admin, {"logbook_review_irama": "Triwulanan"})
    assert lc.batas_penilaian(y, 1) == lc.batas_penilaian(y, 3) == dt.date(y, 4, 10)
    assert lc.batas_penilaian(y, 11) == dt.date(y + 1, 1, 10)
    with pytest.raises(ValidationFailed):
        settings.update_many(org.actors.admin, {"logbook_review_irama": "Tahunan"})
    for key in ("logbook_review_batas_hari", "logbook_review_irama", "review_batas_hari",
                "capaian_target_nol_negatif", "distribusi_min_pegawai"):
        assert "SOP" in settings.BY_KEY[key].source or "Permen" in settings.BY_KEY[key].source \
            or "SE MenPANRB" in settings.BY_KEY[key].source
