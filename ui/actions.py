"""The one way a page runs a service call and shows its outcome.

    result = act(lambda: skp.approve(actor, sid, expected_version=v), ok="SKP disetujui.", fail="SKP tidak disetujui:")

- success: the message (a string, or a function of the result) is kept in session_state, the widget
  generation of `reset` (if given) is bumped so selections/notes start afresh, and the script reruns; the
  message is shown once on the next run by `flash()` (called by ui.guard.page_actor on every page).
  Without `ok`, the result is returned and the page goes on (a read that may fail).
- failure: nothing is raised. A ValidationFailed lists every row/field error under the heading; a refusal
  (PermissionDenied), a Conflict or any other ServiceError is shown as its Indonesian message; `act`
  returns None (and `on_error`, if given, is called with the error first).

`or_stop(read, …)` is for reads a page cannot go on without: the error is shown and the script stops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from services.core import Conflict, NotFound, PermissionDenied, ServiceError, ValidationFailed
from ui.text import md

T = TypeVar("T")
FLASH_KEY = "ui_actions__flash"
ERROR_LIMIT = 30


def version(scope: str) -> int:
    """The widget generation of a scope (bumped after every successful action of that scope)."""
    return int(st.session_state.get(f"{scope}__versi", 0))


def flash() -> None:
    """Show (once) the success messages the previous run left before its rerun. They go into a container that is
    there in every run (empty, it takes no room): a message that came and went above the page moved everything
    under it in the element tree, which drew it anew (tabs went back to their first tab after an action)."""
    slot = st.container()
    for kind, message in st.session_state.pop(FLASH_KEY, None) or []:
        getattr(slot, kind)(message)


def remember(message: str, kind: str = "success") -> None:
    """Keep a message for the next run (shown by `flash`)."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, message))


def show_error(err: ServiceError, heading: str | None = None) -> None:
    """A service error as the user should read it: every row/field error of a ValidationFailed, the message of
    any other error (a refusal as a warning), under `heading` when given."""
    if isinstance(err, ValidationFailed):
        n = len(err.errors)
        st.error(heading or f"Data tidak disimpan: {n} kesalahan. Perbaiki lalu simpan lagi.")
        lines = [f"- {md(e)}" for e in err.errors[:ERROR_LIMIT]]
        if n > ERROR_LIMIT:
            lines.append(f"- … dan {n - ERROR_LIMIT} kesalahan lain")
        if lines:
            st.markdown("\n".join(lines))
        return
    text = md(err) if heading is None else f"{heading} {md(err)}"
    if isinstance(err, PermissionDenied):
        st.warning(text)
    else:  # Conflict and any other refusal: the message says what happened; the user's input stays on screen
        st.error(text)


def act(call: Callable[[], T], *, ok: str | Callable[[T], str] | None = None, fail: str | None = None,
        reset: str | None = None, rerun: bool = True, on_error: Callable[[ServiceError], None] | None = None,
        quiet: bool = False, then: Callable[[T], object] | None = None, later: bool = False) -> T | None:
    """Run `call` (a service call), show its outcome, and return its result (None when it failed).

    ok: success message (or a function of the result); with it the page reruns after the call (unless
    rerun=False: then the message is shown now). fail: heading put before the errors. reset: a scope whose
    widget generation is bumped on success (see `version`). on_error: called with the error before it is shown.
    quiet: an optional read whose failure shows nothing (the page simply leaves that part out).
    then: called with the result on success, before the message (e.g. to reset grids).
    later: for a widget callback (on_click): success and error are kept and shown by the render that follows.
    """
    try:
        result = call()
    except ServiceError as e:
        if on_error is not None:
            on_error(e)
        if later:
            remember(f"{fail} {md(e)}" if fail else md(e), "error")
        elif not quiet:
            show_error(e, fail)
        return None
    if then is not None:
        then(result)
    if ok is None:
        return result
    message = md(ok(result) if callable(ok) else ok)  # names typed by users are shown as text
    if reset is not None:
        st.session_state[f"{reset}__versi"] = version(reset) + 1
    if later:
        remember(message)
        return result
    if not rerun:
        st.success(message)
        return result
    remember(message)
    st.rerun()
    return result  # not reached: st.rerun() raises


def or_stop(read: Callable[..., T], *args, **kwargs) -> T:
    """The result of a service read the page cannot go on without; a refusal is shown as information, another
    service error as an error, and the script stops."""
    try:
        return read(*args, **kwargs)
    except PermissionDenied as e:
        st.info(md(e))
    except ServiceError as e:
        show_error(e)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def or_info(read: Callable[..., T], *args, **kwargs) -> T | None:
    """The result of a service read a part of the page can do without: "not there yet" (NotFound) is shown as
    information and gives None; other service errors stop the script as in `or_stop`."""
    def absent_as_none() -> T | None:
        try:
            return read(*args, **kwargs)
        except NotFound as e:
            st.info(md(e))
            return None

    return or_stop(absent_as_none)


def keep_edits(save: Callable[..., T]) -> Callable[..., T]:
    """A grid's save callback whose status/permission refusals are raised as a Conflict, so the grid shows the
    message and keeps what the user typed (ValidationFailed and Conflict pass through unchanged)."""

    def run(*args, **kwargs) -> T:
        try:
            return save(*args, **kwargs)
        except (ValidationFailed, Conflict):
            raise
        except ServiceError as e:
            raise Conflict(str(e)) from e

    return run
