"""Quality on the user's own data: translations and summaries scored against references, and the
editors' corrections as a measure (an application layer over runs/ and desk/: it translates and summarises
exactly as a run does, and reads the editors' log)."""
