"""The daily chain from cron's point of view: sources.yaml -> feeds -> pages -> briefs -> the day's
digest, against a real local HTTP server; the second run of the day fetches nothing it already has."""

from __future__ import annotations

import json

import feedparser
import pytest

from tests.helpers import cli, write
from tests.ingest.feedsite import item, page, rss
from tests.webserver import Reply, WebServer

RSS = "application/rss+xml"


@pytest.fixture()
def site():
    with WebServer() as web:
        web.routes.update({
            "/robots.txt": Reply(body="User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
            "/local.xml": Reply(body=rss("محليات", [item("port", web.url("/port?utm_source=rss")),
                                                  item("rain", web.url("/rain"), full=True),
                                                  item("school", web.url("/private/school"))]),
                                content_type=RSS, headers={"ETag": '"local-1"'}),
            "/wire.xml": Reply(body=rss("وكالة", [item("port", web.url("/port"), guid="wire-77")]),
                               content_type=RSS, headers={"ETag": '"wire-1"'}),
            "/port": Reply(body=page("port")), "/rain": Reply(body=page("rain")),
            "/private/school": Reply(body=page("school"))})
        yield web


def _sources(tmp_path, site) -> str:
    return str(write(tmp_path / "sources.yaml", f"""contact: desk@example.org
defaults: {{delay: 0, teaser_words: 80}}
feeds:
  - {{url: {site.url('/local.xml')}, name: Local News, language: ar}}
  - {{url: {site.url('/wire.xml')}, name: Wire}}
"""))


def test_two_feeds_to_the_days_digest_and_a_second_run_that_fetches_nothing(site, tiny_models, tmp_path):
    out = tmp_path / "out"
    args = ["run", "--sources", _sources(tmp_path, site), "--out", str(out), "--models", str(tiny_models),
            "--digest", "--log-format", "json", "--log-every", "1"]
    first = cli(*args)
    assert first.returncode == 0, first.stderr[-2000:]
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    assert report["counts"] == {"items": 4, "new": 3, "skipped": 1, "failed": 0}  # port twice: fetched once
    local, wire = report["feeds"]
    assert (local["items"], local["new"], local["fetched"], local["robots_disallowed"]) == (3, 3, 1, 1)
    assert local["teaser_only"] == 1 and "robots.txt" in local["failed"][0]["reason"]
    assert (wire["items"], wire["duplicates"]) == (1, 1)
    assert site.paths().count("/port") == 1 and "/rain" not in site.paths()  # full item: not fetched
    assert "/private/school" not in site.paths()
    progress = [r for r in map(json.loads, first.stderr.splitlines()) if r["event"] == "progress"]  # every line JSON
    assert progress and all(p["total"] == 4 for p in progress)  # feed items, not files
    briefs = [json.loads(line) for line in (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()]
    by_flag = {tuple(b["checks"]["flags"]).count("teaser_only") for b in briefs}
    assert by_flag == {0, 1}
    port = next(b for b in briefs if "120 مليون دينار" in " ".join(s["ar"] for s in b["sentences"]))
    assert "1200 سفينة" in " ".join(s["ar"] for s in port["sentences"])  # the page, not the teaser
    days = sorted(p.name for p in out.glob("digest-*.html"))
    assert len(days) == 1 and (out / "digest.html").read_bytes() == (out / days[0]).read_bytes()
    for name in (days[0].replace(".html", ".md"), days[0].replace(".html", ".txt"), "digest.xml"):
        assert (out / name).is_file()
    atom = feedparser.parse(str(out / "digest.xml"))
    assert not atom.bozo and atom.version == "atom10" and len(atom.entries) == 1
    html = (out / days[0]).read_text(encoding="utf-8")
    assert 'width="600"' in html and "max-width:600px" in html and len(html.encode()) < 102_000

    before = len(site.requests)
    second = cli(*args)
    assert second.returncode == 0, second.stderr[-2000:]
    again = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    assert [f["status"] for f in again["feeds"]] == ["not_modified", "not_modified"]
    assert again["counts"]["items"] == 0 and again["page_requests"] == 3  # robots.txt, and two 304s
    requested = [p for p, _ in site.requests[before:]]
    assert sorted(requested) == ["/local.xml", "/robots.txt", "/wire.xml"]
    status = cli("status", str(out), "--json")
    assert json.loads(status.stdout)["feeds"][0]["status"] == "not_modified"


def test_a_changed_feed_skips_items_already_done_before_any_page_request(site, tiny_models, tmp_path):
    out = tmp_path / "out"
    args = ["run", "--sources", _sources(tmp_path, site), "--out", str(out), "--models", str(tiny_models)]
    assert cli(*args).returncode == 0
    site.routes["/local.xml"] = Reply(body=rss("محليات", [item("port", site.url("/port?utm_medium=x")),
                                                        item("school", site.url("/school-2"), guid="s2")]),
                                      content_type=RSS,
                                      headers={"ETag": '"local-2"'})
    site.routes["/school-2"] = Reply(body=page("school"))
    before = len(site.requests)
    assert cli(*args).returncode == 0
    report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    assert report["feeds"][0]["already_done"] == 1 and report["feeds"][0]["new"] == 1
    asked = [p for p, _ in site.requests[before:] if p not in ("/robots.txt",)]
    assert sorted(asked[:2]) == ["/local.xml", "/wire.xml"] and asked[2:] == ["/school-2"]  # feeds read at once


def test_sources_file_errors_name_the_file_and_the_key(tmp_path):
    bad = write(tmp_path / "sources.yaml", "feeds:\n  - {url: 'https://example.invalid/rss', colour: red}\n")
    proc = cli("run", "--sources", str(bad), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "sources.yaml" in proc.stderr and "unknown key 'colour'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_guid_counts_within_its_own_feed_only(site, tiny_models, tmp_path):
    """Feed A's item "1" is done; feed B's item "1" is another story and must be read, fetched and briefed."""
    site.routes["/a.xml"] = Reply(body=rss("أ", [item("port", site.url("/port"), guid="1")]), content_type=RSS)
    site.routes["/b.xml"] = Reply(body=rss("ب", [item("school", site.url("/school"), guid="1")]), content_type=RSS)
    site.routes["/school"] = Reply(body=page("school"))
    out = tmp_path / "out"
    feeds = [f"  - {{url: {site.url('/a.xml')}, name: A, language: ar}}"]
    sources = tmp_path / "sources.yaml"

    def run():
        write(sources, "contact: desk@example.org\ndefaults: {delay: 0}\nfeeds:\n" + "\n".join(feeds) + "\n")
        proc = cli("run", "--sources", str(sources), "--out", str(out), "--models", str(tiny_models))
        assert proc.returncode == 0, proc.stderr[-2000:]
        return json.loads((out / "run-report.json").read_text(encoding="utf-8"))

    assert run()["counts"]["new"] == 1
    feeds.append(f"  - {{url: {site.url('/b.xml')}, name: B, language: ar}}")
    before = len(site.requests)
    report = run()
    a, b = report["feeds"]
    assert (a["already_done"], a["new"]) == (1, 0)
    assert (b["already_done"], b["new"]) == (0, 1), b
    assert "/school" in [p for p, _ in site.requests[before:]]
    briefs = [json.loads(line) for line in (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any("عشر مدارس" in " ".join(s["ar"] for s in b["sentences"]) for b in briefs)
