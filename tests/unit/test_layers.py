"""The layering of DEVELOPERS.md, checked on the source: pages/ (UI) → services/ (rules, permissions,
transactions) → db/ (models, engine, migrations), one direction only; and UI conventions every page keeps."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_PAGE_LINES = 300


def _py(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts)


def _imports(path: Path) -> set[str]:
    """Top-level package names imported anywhere in the file (also inside functions)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def _rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


@pytest.mark.parametrize("folder", ["services", "db"])
def test_services_and_db_never_import_the_ui(folder):
    offenders = {_rel(p): sorted(_imports(p) & {"streamlit", "streamlit_authenticator", "pages", "ui"})
                 for p in _py(folder)}
    assert not {k: v for k, v in offenders.items() if v}


def test_db_never_imports_services():
    assert not [_rel(p) for p in _py("db") if "services" in _imports(p)]


@pytest.mark.parametrize("folder", ["pages", "ui"])
def test_ui_never_touches_the_database_directly(folder):
    offenders = {_rel(p): sorted(_imports(p) & {"sqlalchemy", "db", "alembic"}) for p in _py(folder)}
    assert not {k: v for k, v in offenders.items() if v}


def test_every_page_starts_with_the_guard_and_stays_small():
    pages = _py("pages")
    assert pages
    for p in pages:
        tree = ast.parse(p.read_text(encoding="utf-8"))
        body = [n for n in tree.body if not isinstance(n, ast.Import | ast.ImportFrom)
                and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
        first = ast.unparse(body[0]) if body else ""
        assert first == "actor = page_actor(__file__)", f"{_rel(p)}: first statement is {first!r}"
        assert len(p.read_text(encoding="utf-8").splitlines()) <= MAX_PAGE_LINES, _rel(p)


def test_tables_show_missing_values_as_empty_cells():
    """Streamlit shows a grey "None" in empty cells unless `placeholder` is given; users read it as a value."""
    missing = []
    for p in _py("pages") + _py("ui") + [ROOT / "app.py"]:
        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                    and n.func.attr in ("dataframe", "data_editor") and isinstance(n.func.value, ast.Name)
                    and n.func.value.id == "st" and not any(k.arg == "placeholder" for k in n.keywords)):
                missing.append(f"{_rel(p)}:{n.lineno}")
    assert not missing
