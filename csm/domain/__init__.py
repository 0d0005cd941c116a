"""Pure domain rules: no I/O, no clock, no SQL."""
