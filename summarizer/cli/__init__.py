"""The command line: the only package that prints or exits."""

from .app import app, main

__all__ = ["app", "main"]
