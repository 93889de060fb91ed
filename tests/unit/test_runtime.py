"""The server process's start-up heap is frozen for the garbage collector once, not on every run."""

from __future__ import annotations

import gc

from ui import runtime


def test_start_up_heap_is_frozen_once_per_process(monkeypatch):
    monkeypatch.setattr(runtime, "_frozen", False)
    try:
        assert runtime.freeze_startup_heap() is True
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # the interpreter, pytest and the app's modules
        assert runtime.freeze_startup_heap() is False  # later runs of app.py leave it as it is
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
