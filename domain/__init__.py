"""Pure domain rules of e-Kinerja: no database, no UI, no clock (callers pass `today`)."""
