"""Dates honest (issue 30): an undated article has `published: null` and says "date unknown"; search's
--since/--until compare the published day (unknown left out unless --undated) or, with --by made, the
day the brief was made."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from summarizer.render.digest import build_digest
from tests.helpers import ARTICLE_AR, cli, write
from tests.runs.test_run import briefs, run_args


def test_an_undated_article_is_never_dated_by_the_run(tiny_models, tmp_path):
    src = tmp_path / "in"
    write(src / "undated.txt", ARTICLE_AR)
    write(src / "old.json", json.dumps({"maintext": ARTICLE_AR + "\nوقال آخر إن العمل مستمر.",
                                        "date_publish": "2019-03-04"}, ensure_ascii=False))
    out = tmp_path / "out"
    assert cli(*run_args(src, out, tiny_models)).returncode == 0
    made = {input_name(b): b for b in briefs(out).values()}
    undated, old = made["undated.txt"], made["old.json"]
    assert undated["source"]["published"] is None and old["source"]["published"] == "2019-03-04"
    page = (out / f"{_id(out, 'undated.txt')}.md").read_text(encoding="utf-8")
    assert "date unknown" in page and datetime.now(timezone.utc).date().isoformat() not in page.split("\n## ")[0]

    today = datetime.now(timezone.utc).date().isoformat()

    def found(*extra: str) -> set[str]:
        proc = cli("search", str(out), "الحديقة", "--json", *extra)
        assert proc.returncode == 0, proc.stderr
        return {input_name(json.loads((out / f"{h['id']}.json").read_text(encoding="utf-8")))
                for h in json.loads(proc.stdout or "[]")}

    assert found() == {"undated.txt", "old.json"}
    assert found("--since", "2026-01-01") == set()  # the undated text is not news of today
    assert found("--since", "2026-01-01", "--undated") == {"undated.txt"}
    assert found("--until", "2019-12-31") == {"old.json"}
    assert found("--since", today, "--by", "made") == {"undated.txt", "old.json"}
    assert cli("search", str(out), "x", "--by", "week").returncode == 2


def test_a_digest_says_date_unknown_for_an_undated_source():
    brief = {"id": "ab" * 8, "language": "ar", "title": {"ar": "عنوان", "en": "A title"},
             "summary": {"ar": "ملخص", "en": "A summary."}, "created_at": "2026-12-06T03:00:00+00:00",
             "source": {"site": "example", "url": None, "published": None, "published_raw": None}, "sentences": []}
    (story,) = build_digest([brief]).ordered()
    assert story.sources[0]["published"] == "date unknown" and story.date == "Undated"


def input_name(brief: dict) -> str:  # the input's file name
    return brief["source"]["ref"].replace("\\", "/").rsplit("/", 1)[-1]


def _id(out, name: str) -> str:
    for line in (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines():
        brief = json.loads(line)
        if input_name(brief) == name:
            return brief["id"]
    raise AssertionError(name)
