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


# --- domain packages ------------------------------------------------------------------------------------

PACKAGES = ("core", "auth", "org", "skp", "logbook", "evaluasi", "kinerja", "monev", "documents", "beranda", "demo")


def _import_nodes(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [a.name for a in node.names], node.lineno
        elif isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, [], node.lineno


def _package_of(path: Path) -> str | None:
    rel = path.relative_to(ROOT).parts
    if rel[0] == "services" and len(rel) > 2:
        return rel[1]
    return None


def test_pages_and_ui_import_services_only_through_package_apis():
    """`from services import skp` or `from services.skp import name` (a name the package exports), never
    `services.skp.<module>`: a package's modules are its own business."""
    import importlib

    offenders = []
    for p in _py("pages") + _py("ui") + [ROOT / "app.py"]:
        for module, names, line in _import_nodes(p):
            parts = module.split(".")
            if parts[0] != "services":
                continue
            if len(parts) > 2:
                offenders.append(f"{_rel(p)}:{line}: {module}")
            elif len(parts) == 2 and parts[1] != "cli":
                exported = set(getattr(importlib.import_module(module), "__all__", ()))
                offenders += [f"{_rel(p)}:{line}: {module}.{n} is not in its __all__" for n in names
                              if n not in exported]
    assert not offenders


def test_domain_is_pure():
    offenders = {_rel(p): sorted(_imports(p) & {"sqlalchemy", "streamlit", "db", "services", "ui", "pages"})
                 for p in _py("domain")}
    assert not {k: v for k, v in offenders.items() if v}


def test_no_module_imports_private_names_of_another_package():
    offenders = []
    for p in _py("services") + _py("pages") + _py("ui") + _py("db"):
        own = _package_of(p)
        for module, names, line in _import_nodes(p):
            parts = module.split(".")
            if parts[0] not in ("services", "domain", "db"):
                continue
            target = parts[1] if parts[0] == "services" and len(parts) > 1 else parts[0]
            if target == own or (parts[0] in ("domain", "db") and p.is_relative_to(ROOT / parts[0])):
                continue
            offenders += [f"{_rel(p)}:{line}: {module}.{n}" for n in names if n.startswith("_") and n != "__all__"]
    assert not offenders


def _package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for p in _py("services"):
        own = _package_of(p)
        if own is None:
            continue
        deps = graph.setdefault(own, set())
        for module, names, _ in _import_nodes(p):
            parts = module.split(".")
            if parts[0] != "services":
                continue
            if len(parts) > 1:
                deps.add(parts[1])
            else:
                deps.update(names)
        deps.discard(own)
    return graph


def test_no_import_cycles_between_packages():
    graph = _package_graph()
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                cycles.append(" → ".join([*path[path.index(nxt):], nxt]))
            elif nxt in graph:
                visit(nxt, [*path, nxt])

    for start in graph:
        visit(start, [start])
    assert not cycles, sorted(set(cycles))[:10]


def test_services_are_grouped_in_packages():
    """No flat module in services/ except the command line entry point."""
    flat = sorted(p.name for p in (ROOT / "services").glob("*.py") if p.name not in ("__init__.py", "cli.py"))
    assert not flat


# --- what users see names regulations, never internal files or issues -------------------------------------

_INTERNAL = ("domain.md", "engineering.md", ".py", "issue #", "issue ", "§", "[U]", "[R]")


def test_settings_sources_cite_regulations_not_internal_files():
    from services.core.settings import REGISTRY

    bad = {d.key: d.source for d in REGISTRY if any(m in d.source for m in _INTERNAL)}
    assert not bad


def test_user_visible_strings_name_no_internal_file_or_issue():
    """String constants in pages/ui and messages in services (not docstrings or comments)."""
    offenders = []
    for p in _py("pages") + _py("ui") + _py("services") + [ROOT / "app.py"]:
        tree = ast.parse(p.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for n in ast.walk(tree):
            if (isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
                    and any(m in n.value for m in ("domain.md", "engineering.md", "issue #", "§"))):
                offenders.append(f"{_rel(p)}:{n.lineno}: {n.value[:60]!r}")
    assert not offenders
