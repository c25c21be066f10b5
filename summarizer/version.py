"""The tool's version (one place; the package, the report and `--version` read it)."""

__version__ = "0.2.0"
