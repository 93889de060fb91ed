"""Markdown escaping for user-typed text: the one helper every page uses when it puts text someone typed
(names, uraian, catatan, usernames, file names…) into st.markdown/caption/info/warning/error/success/write/toast.

Streamlit renders those strings as Markdown (links, images, HTML-like tags, :colour[] directives, LaTeX);
`md()` makes such text show literally. Numbers and dates formatted by services.fmt need no escaping.
"""

from __future__ import annotations

import re
from typing import Any

_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=\"'^])")


def md(value: Any) -> str:
    """`value` as text that Streamlit's Markdown shows literally (every Markdown/HTML-significant character
    backslash-escaped; line breaks kept as spaces so text cannot start a heading, list or table)."""
    if value is None:
        return "-"
    text = " ".join(str(value).splitlines())
    return _SPECIAL.sub(r"\\\1", text)
