"""The review tests' folder of briefs, shared (an editor's corrections are what `eval edits` measures)."""

from tests.review.conftest import folder, reviewed_source  # noqa: F401 - fixtures
