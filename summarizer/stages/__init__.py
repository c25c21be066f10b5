"""Pipeline stages: ingest -> clean -> segment -> translate -> summarize -> render."""
