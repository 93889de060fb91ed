"""Source checks for the one UI action helper (ui/actions.py): pages and ui helpers never handle service errors
by hand, and the copies of md/flash/done/show_errors are gone."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICE_ERRORS = {"ServiceError", "PermissionDenied", "ValidationFailed", "Conflict", "NotFound"}  # the login form
# handles LoginRefused itself (ui/auth.py: it is not a service call of a logged-in user)


def _files() -> list[Path]:
    return sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")])


def _caught(handler: ast.ExceptHandler) -> set[str]:
    t = handler.type
    names = t.elts if isinstance(t, ast.Tuple) else [t] if t is not None else []
    return {n.id if isinstance(n, ast.Name) else n.attr for n in names if isinstance(n, ast.Name | ast.Attribute)}


def test_no_page_or_ui_helper_catches_service_errors_by_hand():
    """Every service call's outcome is shown by ui.actions (act / or_stop / keep_edits); nowhere else."""
    offenders = []
    for p in _files():
        if p.name == "actions.py":
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and _caught(node) & SERVICE_ERRORS:
                offenders.append(f"{p.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders


def test_the_action_helpers_are_not_copied():
    defined = {}
    for p in _files():
        for node in ast.parse(p.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name in {"md", "done", "show_errors", "or_stop", "act"}:
                defined.setdefault(node.name, []).append(str(p.relative_to(ROOT)))
    assert defined == {"act": ["ui/actions.py"], "or_stop": ["ui/actions.py"], "md": ["ui/text.py"]}


def test_every_file_uploader_explains_streamlits_english_words():
    """Streamlit's uploader says "Upload" and "20MB per file" and cannot be translated: every uploader carries the
    Indonesian help (ui.theme.UPLOAD_HELP), and that help names the words Streamlit shows now."""
    from ui.theme import UPLOAD_HELP

    missing = []
    for p in _files():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "file_uploader":
                helps = [k.value for k in node.keywords if k.arg == "help"]
                if not (helps and isinstance(helps[0], ast.Name) and helps[0].id == "UPLOAD_HELP"):
                    missing.append(f"{p.name}:{node.lineno}")
    assert not missing, missing
    assert "**Upload**" in UPLOAD_HELP and "per file" in UPLOAD_HELP
