"""Briefs and digests -> text: JSON, Markdown, HTML, Atom. Pure functions, no I/O."""
