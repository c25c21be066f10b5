"""The review tests' folder of briefs (a real run of the tiny models), shared with the desk's tests."""

from tests.review.conftest import folder, reviewed_source  # noqa: F401 - fixtures
