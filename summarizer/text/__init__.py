"""Pure string functions: no I/O, no models. Used by every other layer."""
