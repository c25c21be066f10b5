"""Issue 32, done when: the inputs that ended runs (exit 70) in one folder with good articles, and in
one fetched feed among good items, through `summarizer run` as a user runs it. The good ones are
briefed, each bad one has its own failure with its reason, the run exits 1, and so does the next."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import ARTICLE_AR, cli, write
from tests.ingest.hostile import feed, good_items, hostile_items, local_files
from tests.webserver import Reply, WebServer


def _report(out: Path) -> dict:
    return json.loads((out / "run-report.json").read_text(encoding="utf-8"))


def _briefed(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_folder_of_hostile_inputs_beside_good_articles(tiny_models, tmp_path):
    src = tmp_path / "in"
    write(src / "good1.txt", ARTICLE_AR)
    write(src / "good2.txt", "خبر آخر عن الحديقة الجديدة.\n" + ARTICLE_AR + "\nوانتهى المؤتمر بعد ساعة.")
    for name, content in local_files().items():
        write(src / name, content)
    out = tmp_path / "out"
    args = ["run", str(src), "--out", str(out), "--models", str(tiny_models)]
    first = cli(*args)
    assert first.returncode == 1 and "Traceback" not in first.stderr, first.stderr[-3000:]
    outcome = {Path(a["ref"]).name: a for a in _report(out)["articles"]}
    for name in ("good1.txt", "good2.txt", "bigfloat.json#2", "mixed.jsonl:1", "ld-bigint.html", "items.xml#1",
                 "items.xml#5", "items.xml#8", "items.xml#9"):
        read = outcome[name]["status"] == "new" or outcome[name]["stage"] == "duplicate"  # the same text twice
        assert read, (name, outcome[name])
    reasons = {"bigint.json": "digits", "bigfloat.json#1": "too large", "mixed.jsonl:2": "digits",
               "mixed.jsonl:4": "not a string", "dense.html": "elements", "items.xml#6": "no content",
               "items.xml#7": "elements"}
    for name, words in reasons.items():
        assert outcome[name]["status"] == "failed" and words in outcome[name]["error"], (name, outcome[name])
    briefs = _briefed(out)
    assert len(briefs) == sum(1 for a in outcome.values() if a["status"] == "new")
    text = (out / "briefs.jsonl").read_text(encoding="utf-8")
    assert "\\u000b" not in text and "\\ud800" not in text
    second = cli(*args)  # the failures are tried again, and fail again, on their own
    assert second.returncode == 1 and "Traceback" not in second.stderr, second.stderr[-3000:]
    again = {Path(a["ref"]).name: a for a in _report(out)["articles"]}
    assert {n for n, a in again.items() if a["status"] == "failed"} == set(reasons)


def test_a_fetched_feed_with_hostile_items_among_good_ones(tiny_models, tmp_path):
    with WebServer() as web:
        web.routes["/feed.xml"] = Reply(body=feed(hostile_items() + good_items("web")),
                                        content_type="application/rss+xml")
        sources = write(tmp_path / "sources.yaml", f"""defaults: {{delay: 0, follow: never}}
feeds:
  - {{url: {web.url('/feed.xml')}, name: Hostile, language: ar}}
""")
        out = tmp_path / "out"
        args = ["run", "--sources", str(sources), "--out", str(out), "--models", str(tiny_models),
                "--fetch-timeout", "5"]
        first = cli(*args)
        assert first.returncode == 1 and "Traceback" not in first.stderr, first.stderr[-3000:]
        report = _report(out)
        [stats] = report["feeds"]
        assert stats["status"] == "fetched" and stats["items"] == 9
        urls = {b["source"]["url"] for b in _briefed(out)}
        assert {"http://127.0.0.1:9/web/port", "http://127.0.0.1:9/web/rain"} <= urls  # the good items
        failed = {a["ref"]: a["error"] for a in report["articles"] if a["status"] == "failed"}
        assert any("no text" in e for e in failed.values()) and any("elements" in e for e in failed.values())
        assert len(failed) == 2
        second = cli(*args)
        assert second.returncode in (0, 1) and "Traceback" not in second.stderr, second.stderr[-3000:]
