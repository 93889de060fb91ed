"""Every value put into Markdown by a page goes through the one escaping helper (ui.text.md), checked on the
source: st.markdown/caption/info/warning/error/success/write/toast called with an f-string whose
interpolated values are neither escaped nor known to be safe fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ui.text import md

ROOT = Path(__file__).resolve().parents[2]
RENDERERS = {"markdown", "caption", "info", "warning", "error", "success", "write", "toast",
             "done"}  # done(): the review pages' flash message, shown with st.success on the next run
SAFE_CALLS = {
    "md",  # the escaping helper (also reached as rv.md / lr.md)
    "len", "int", "float", "round", "abs", "sum", "min", "max", "bool",  # numbers
    "badge", "late", "_orang",  # markdown built by the page from escaped parts / code constants
}
SAFE_LOOKUPS = {"STATUS_ICON"}  # icon tables in code: STATUS_ICON.get(status, "")
SAFE_MODULES = {"fmt"}  # services.fmt: dates and numbers
SAFE_NAMES = {
    # markdown fragments built in code from constants (icons, labels of the page registry, role names)
    "icon", "cap", "label", "text", "extra", "note", "saran", "step", "title", "jenis", "nomor", "n", "i", "deadline", "peran",
    "verb",
}


def _safe(expr: ast.expr) -> bool:
    if isinstance(expr, ast.Constant):
        return True
    if isinstance(expr, ast.Name) and expr.id in SAFE_NAMES:
        return True
    if isinstance(expr, ast.Call):
        f = expr.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
        if name in SAFE_CALLS:
            return True
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and (
                f.value.id in SAFE_MODULES or f.value.id in SAFE_LOOKUPS):
            return True
    if isinstance(expr, ast.BinOp):  # arithmetic on numbers, e.g. r.versi + 1
        return all(isinstance(x, ast.Constant | ast.Name | ast.Attribute) for x in (expr.left, expr.right)) and \
            isinstance(expr.op, ast.Add | ast.Sub) and isinstance(expr.right, ast.Constant)
    return False


def _offenders(path: Path) -> list[str]:
    out = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RENDERERS):
            continue
        for arg in node.args:
            for js in (n for n in ast.walk(arg) if isinstance(n, ast.JoinedStr)):
                for v in js.values:
                    if isinstance(v, ast.FormattedValue) and v.format_spec is None and not _safe(v.value):
                        out.append(f"{path.relative_to(ROOT)}:{node.lineno}: {{{ast.unparse(v.value)}}}")
    return out


def _sources() -> list[Path]:
    return sorted([*(ROOT / "pages").rglob("*.py"), *(ROOT / "ui").rglob("*.py"), ROOT / "app.py"])


def test_every_interpolated_value_in_markdown_is_escaped():
    offenders = [o for p in _sources() for o in _offenders(p)]
    assert not offenders, "nilai tanpa md():\n" + "\n".join(offenders)


def test_the_checker_catches_an_unescaped_value(tmp_path):
    bad = ROOT / "pages" / "_probe_markdown.py"
    try:
        bad.write_text('import streamlit as st\nst.caption(f"oleh {row.pengguna}")\nst.info(f"ok {md(x)}")\n')
        assert _offenders(bad) == ["pages/_probe_markdown.py:2: {row.pengguna}"]
    finally:
        bad.unlink()


@pytest.mark.parametrize(("raw", "shown"), [
    ("![x](https://attacker.example/t.png)", "!\\[x\\](https\\://attacker.example/t.png)"),
    ("**tebal** _miring_ `kode` $x$ ~~coret~~", "\\*\\*tebal\\*\\* \\_miring\\_ \\`kode\\` \\$x\\$ \\~\\~coret\\~\\~"),
    (":red[merah]", ":red\\[merah\\]"),
    ("<b>html</b>", "\\<b\\>html\\</b\\>"),
    ("# judul\n| a | b |", "\\# judul \\| a \\| b \\|"),
    ("Dewi Lestari, S.Si. (NIP 1990)", "Dewi Lestari, S.Si. (NIP 1990)"),
    (None, "-"),
    (42, "42"),
])
def test_md_escapes_markdown(raw, shown):
    assert md(raw) == shown
