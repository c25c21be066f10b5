"""One article's text through the README's chain: clean, segment, translate (with memory,
repairs, glossary and names), summarize, and the checks on the results."""
