"""Log Audit labels: every action code the services record and every column of every model reads as Indonesian
words on the page (services.core.audit label maps), never as a raw code."""

from __future__ import annotations

import re
from pathlib import Path

from db.models import AuditLog
from services.core import audit

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = {"approved", "created", "updated", "decided", "requested", "reviewed", "submitted", "uploaded", "by", "at",
           "user", "content", "value", "key", "size", "path", "note", "before", "after", "group", "source", "max"}


def _action_codes() -> set[str]:
    codes = {"create", "update", "delete"}
    for p in (ROOT / "services").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        codes |= set(re.findall(r'action="([a-z_]+)"', text))
        codes |= set(re.findall(r'record\(\w+, [\w.]+, "([a-z_]+)"', text))
        codes |= set(re.findall(r'_set_status\([^)]*"([a-z_]+)"\)', text))
    return codes


def test_every_recorded_action_has_an_indonesian_label():
    codes = _action_codes()
    assert {"saldo_awal_ak", "tutup_periode", "logbook_simpan", "skp_setujui"} <= codes
    assert not sorted(c for c in codes if c not in audit.ACTION_NAMES)
    assert audit.action_label("saldo_awal_ak") == "Tambah saldo awal angka kredit"
    assert audit.action_label("kode_baru_nanti") == "Kode baru nanti"  # an unknown code still reads as words


def test_every_entity_and_field_has_a_readable_label():
    mappers = list(AuditLog.registry.mappers)
    assert not [m.class_.__name__ for m in mappers if m.class_.__name__ not in audit.ENTITY_NAMES]
    for name in sorted({c.key for m in mappers for c in m.columns}):
        label = audit.field_label(name)
        assert "_" not in label and label[0].isupper(), (name, label)
        assert not set(label.lower().replace("(", " ").replace(")", " ").split()) & ENGLISH, (name, label)
    assert audit.field_label("approved_by_username") == "Disetujui oleh"
    assert audit.field_label("pejabat_penilai_id") == "Pejabat penilai (ID)"
    assert audit.readable({"aktif": True, "saldo_awal_ak": 5}) == {"Aktif": "ya", "Saldo awal AK": 5}
