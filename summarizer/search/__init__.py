"""Search over the briefs: Arabic and English normalisation for search, the query language, the
FTS5 index rows and queries, highlighted snippets. Pure: the folder-level search lives in desk/."""
