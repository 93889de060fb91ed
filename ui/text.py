"""Markdown escaping for user-typed text: the one helper every page uses when it puts text someone typed
(names, uraian, catatan, usernames, file names…) into st.markdown/caption/info/warning/error/success/write/toast.

Streamlit renders those strings as Markdown (links, images, HTML-like tags, :colour[] directives, LaTeX);
`md()` makes such text show literally. Numbers and dates formatted by services.fmt need no escaping.
"""

from __future__ import annotations

import re
from typing import Any

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")
"""Characters that start Markdown/HTML/LaTeX constructs in Streamlit: emphasis, code, links and images (and
the :colour[...] directives, which need a bracket), HTML tags, headings, tables, strike-through, LaTeX."""


def md(value: Any) -> str:
    """`value` as text that Streamlit's Markdown shows literally (the characters that open Markdown, HTML or
    LaTeX constructs are backslash-escaped; line breaks become spaces so text cannot start a heading, list or
    table of its own)."""
    if value is None:
        return "-"
    text = " ".join(str(value).splitlines())
    return _SPECIAL.sub(r"\\\1", text).replace("://", "\\://")  # no autolinked URLs either
