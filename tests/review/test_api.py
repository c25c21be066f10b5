"""The review API with the server really started on a free port: status, order, edits with diffs,
undo, the digest of what was approved, edits that no run overwrites, stale edits, human
translations reused, a late run's stories kept out of an approved selection."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.helpers import cli, write
from tests.review.conftest import SHARED_SENTENCE, articles


def _day(api) -> list[dict]:
    status, data = api("GET", "/api/briefs")
    assert status == 200
    return data["briefs"]


def test_the_days_briefs_with_what_an_editor_needs(api):
    briefs = _day(api)
    assert len(briefs) == 3 and [b["position"] for b in briefs] == [0, 1, 2]
    for brief in briefs:
        assert {"id", "date", "title", "summary", "status", "position", "edited", "stale", "sentences",
                "title_ar", "edits"} <= set(brief)
        assert brief["status"] == "pending" and not brief["edited"] and not brief["stale"]
    status, days = api("GET", "/api/days")
    assert status == 200 and days["days"][0]["briefs"] == 3 and days["days"][0]["pending"] == 3


def test_approve_reject_reorder_and_undo(api, folder):
    a, b, c = (x["id"] for x in _day(api))
    assert api("PATCH", f"/api/briefs/{a}", {"status": "approved"})[1]["status"] == "approved"
    assert api("POST", f"/api/briefs/{b}", {"status": "rejected"})[1]["status"] == "rejected"  # POST works too
    assert api("PATCH", f"/api/briefs/{c}", {"position": 0})[1]["position"] == 0
    assert [x["id"] for x in _day(api)] == [c, a, b]
    assert api("POST", f"/api/briefs/{c}/undo")[1]["position"] == 2  # the move undone
    assert [x["id"] for x in _day(api)] == [a, b, c]
    assert api("POST", f"/api/briefs/{b}/undo")[1]["status"] == "pending"
    assert api("POST", f"/api/briefs/{b}/undo")[0] == 409  # nothing left to undo
    status = json.loads(cli("status", str(folder), "--json").stdout)["review"][0]
    assert (status["approved"], status["rejected"], status["pending"]) == (1, 0, 2)


def test_an_edit_with_its_diff_on_the_page_and_in_the_brief_pages(api, folder):
    brief = _day(api)[1]
    machine = brief["summary"]
    edited = api("PATCH", f"/api/briefs/{brief['id']}", {"summary": "The port expansion costs 120 million dinars."})[1]
    assert edited["summary"] == "The port expansion costs 120 million dinars." and edited["edited"]
    ops = edited["edits"]["summary"]["diff"]
    assert "".join(o["text"] for o in ops if o["op"] != "delete") == edited["summary"]
    assert "".join(o["text"] for o in ops if o["op"] != "insert") == machine
    html = (folder / f"{brief['id']}.html").read_text(encoding="utf-8")
    assert "The port expansion costs 120 million dinars." in html and "The machine's summary" in html
    assert json.loads((folder / f"{brief['id']}.json").read_text(encoding="utf-8"))["summary"]["en"] == machine
    undone = api("POST", f"/api/briefs/{brief['id']}/undo")[1]
    assert undone["summary"] == machine and not undone["edited"]
    history = api("GET", f"/api/briefs/{brief['id']}/history")[1]["history"]
    assert [(h["field"], h["undoes"] is not None) for h in history] == [("summary", False), ("summary", True)]


def test_the_digest_holds_the_approved_stories_in_the_editors_order_with_their_text(api, folder):
    a, b, c = (x["id"] for x in _day(api))
    for brief_id in (a, c):
        api("PATCH", f"/api/briefs/{brief_id}", {"status": "approved"})
    api("PATCH", f"/api/briefs/{c}", {"position": 0, "title": "Ten new schools open"})
    status, made = api("POST", "/api/digest", {})
    assert status == 200 and "digest.md" in made["files"]
    md = (folder / "digest.md").read_text(encoding="utf-8")
    titles = {x["id"]: x["title_ar"] for x in _day(api)}
    assert md.index("Ten new schools open") < md.index(titles[a])  # the editors' order, the edited title
    assert titles[b] not in md  # not approved: left out
    assert "2 stories from 2 articles" in md


def test_bad_changes_are_one_clear_answer(api):
    brief = _day(api)[0]["id"]
    for body, words in (({"status": "maybe"}, "status must be"), ({"colour": "red"}, "cannot change colour"),
                        ({"position": "first"}, "whole number"), ({"summary": "   "}, "some text"),
                        ({"sentences": {"99": "x"}}, "no sentence")):
        status, data = api("PATCH", f"/api/briefs/{brief}", body)
        assert status == 400 and words in data["error"], (body, data)
    assert api("PATCH", "/api/briefs/ffffffffffffffff", {"status": "approved"})[0] == 404
    assert api("PATCH", "/api/briefs/..%2F..%2Fetc", {"status": "approved"})[0] == 404


def test_an_edit_survives_a_forced_rerun_and_goes_stale_when_the_machine_text_changes(reviewed_source, folder,
                                                                                       tiny_models):
    from summarizer.review.server import ReviewServer
    from tests.review.conftest import Client

    src, _ = reviewed_source
    with ReviewServer(folder) as server:
        api = Client(server)
        brief = _day(api)[0]
        api("PATCH", f"/api/briefs/{brief['id']}", {"summary": "An editor's summary.", "status": "approved"})
    assert cli("run", str(src), "--out", str(folder), "--models", str(tiny_models), "--force").returncode == 0
    with ReviewServer(folder) as server:
        api = Client(server)
        again = api("GET", f"/api/briefs/{brief['id']}")[1]
        assert again["summary"] == "An editor's summary." and again["status"] == "approved" and not again["stale"]
        html = (folder / f"{brief['id']}.html").read_text(encoding="utf-8")
        assert "An editor&#39;s summary." in html  # the run wrote the page again, with the edit
    # another profile (NLLB and mT5) writes other machine text under the edit
    assert cli("run", str(src), "--out", str(folder), "--models", str(tiny_models), "--profile",
               "multilingual").returncode == 0
    with ReviewServer(folder) as server:
        api = Client(server)
        stale = api("GET", f"/api/briefs/{brief['id']}")[1]
        assert stale["summary"] == "An editor's summary." and stale["stale"] and stale["edits"]["summary"]["stale"]
        assert stale["machine"]["summary"] != again["machine"]["summary"]


def test_an_edited_sentence_translation_is_used_by_later_runs(reviewed_source, folder, tiny_models):
    from summarizer.review.server import ReviewServer
    from tests.review.conftest import Client

    src, _ = reviewed_source
    human = "The council spokesman said the work will go on until the end of the year."
    with ReviewServer(folder) as server:
        api = Client(server)
        brief = _day(api)[0]
        k = next(s["i"] for s in brief["sentences"] if s["ar"] == SHARED_SENTENCE)
        assert api("PATCH", f"/api/briefs/{brief['id']}", {"sentences": {str(k): human}})[1]["sentences"][k]["edited"]
    more = articles(src.parent / "more", [("fair", "معرض الكتاب يفتح أبوابه", "افتتح معرض الكتاب السنوي اليوم "
                                                                                  "بمشاركة مئات الناشرين.")])
    assert cli("run", str(src), str(more), "--out", str(folder), "--models", str(tiny_models), "--force").returncode == 0
    for line in (folder / "briefs.jsonl").read_text(encoding="utf-8").splitlines():
        sentence = next(s for s in json.loads(line)["sentences"] if s["ar"] == SHARED_SENTENCE)
        assert sentence["en"] == human and "human_translation" in sentence["flags"]  # before any machine's


def test_a_late_run_adds_pending_stories_after_an_approved_selection(reviewed_source, folder, tiny_models):
    from summarizer.review.server import ReviewServer
    from tests.review.conftest import Client

    src, _ = reviewed_source
    with ReviewServer(folder) as server:
        api = Client(server)
        a, b, c = (x["id"] for x in _day(api))
        for brief_id in (b, c):
            api("PATCH", f"/api/briefs/{brief_id}", {"status": "approved"})
        api("PATCH", f"/api/briefs/{c}", {"position": 0})
    late = src.parent / "late"
    shutil.rmtree(late, ignore_errors=True)
    write(late / "late.txt", "حريق في سوق المدينة\n\nاندلع حريق صباح اليوم في سوق المدينة القديم وتمكنت فرق الدفاع المدني "
                             "من السيطرة عليه.\n" + SHARED_SENTENCE)
    assert cli("run", str(late), "--out", str(folder), "--models", str(tiny_models), "--digest").returncode == 0
    with ReviewServer(folder) as server:
        day = _day(Client(server))
    assert [x["id"] for x in day[:3]] == [c, a, b] and day[3]["status"] == "pending"  # after, never inside
    md = (folder / "digest.md").read_text(encoding="utf-8")
    assert "2 stories from 2 articles" in md  # the run's digest: still only what was approved


def test_bad_requests_are_one_line_400s_never_a_500_or_a_traceback(api, server, capfd):
    import http.client

    brief = _day(api)[0]["id"]
    for method, path, body, words in (
            ("PATCH", f"/api/briefs/{brief}", {"sentences": [1, 2]}, "sentences must be an object"),
            ("PATCH", f"/api/briefs/{brief}", {"sentences": 5}, "sentences must be an object"),
            ("PATCH", f"/api/briefs/{brief}", [1], "send a JSON object"),
            ("PATCH", f"/api/briefs/{brief}", {"title": 5}, "title must be"),
            ("POST", "/api/digest", {"date": 5}, "date must be"),
            ("POST", "/api/digest", {"date": "not-a-date"}, "date must be YYYY-MM-DD"),
            ("GET", "/api/search?q=port&limit=abc", None, "limit must be a whole number"),
            ("GET", "/api/briefs?date=not-a-date", None, "date must be YYYY-MM-DD"),
            ("GET", "/api/briefs?limit=abc", None, "limit must be a whole number"),
            ("GET", "/api/briefs?filter=nope", None, "filter must be one of"),
            ("GET", "/api/digest?date=2020-13-45", None, "date must be YYYY-MM-DD")):
        status, data = api(method, path, body)
        assert status == 400 and words in data["error"] and "\n" not in data["error"], (path, body, data)
        assert "invalid literal" not in data["error"]  # never Python's own message
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("PATCH", f"/api/briefs/{brief}", body=b"{not json", headers={"Authorization": f"Bearer {server.token}"})
    response = conn.getresponse()
    assert response.status == 400 and "not JSON" in json.loads(response.read())["error"]
    conn.request("GET", "/?date=not-a-date", headers={"Authorization": f"Bearer {server.token}"})
    response = conn.getresponse()
    page = response.read().decode()
    assert response.status == 400 and response.getheader("content-type").startswith("text/html")
    assert "date must be YYYY-MM-DD" in page and "Traceback" not in page
    conn.close()
    assert "Traceback" not in capfd.readouterr().err


def test_an_action_answers_with_that_story_and_the_day_comes_in_pages(api):
    a, b, c = (x["id"] for x in _day(api))
    approved = api("PATCH", f"/api/briefs/{b}", {"status": "approved"})[1]
    assert approved["id"] == b and approved["state"] == "approved" and approved["position"] == 1
    status, page = api("GET", "/api/briefs?limit=1&offset=1")
    assert status == 200 and page["total"] == 3 and [x["id"] for x in page["briefs"]] == [b]
    assert page["counts"]["approved"] == 1 and page["counts"]["pending"] == 2
    assert [x["id"] for x in api("GET", f"/api/briefs?limit=2&story={c}")[1]["briefs"]] == [c]  # the page holding it
    assert [x["id"] for x in api("GET", "/api/briefs?filter=approved")[1]["briefs"]] == [b]


def test_the_digest_preview_shows_what_would_go_out_and_writes_nothing(api, folder):
    a, b, c = (x["id"] for x in _day(api))
    status, preview = api("GET", "/api/digest")
    assert status == 200 and not preview["reviewed"] and len(preview["stories"]) == 3  # nothing decided: all
    api("PATCH", f"/api/briefs/{b}", {"status": "approved", "title": "Heavy rain closes roads"})
    api("PATCH", f"/api/briefs/{c}", {"status": "rejected"})
    preview = api("GET", "/api/digest")[1]
    assert preview["reviewed"] and [s["title"] for s in preview["stories"]] == ["Heavy rain closes roads"]
    assert preview["states"] == {"pending": 1, "approved": 1, "changed": 0, "rejected": 1}
    assert not list(folder.glob("digest*"))  # a preview writes nothing
    api("PATCH", f"/api/briefs/{b}", {"status": "rejected"})
    preview = api("GET", "/api/digest")[1]
    assert preview["stories"] == [] and preview["empty"] and "no approved stories" in preview["reason"]
    status, data = api("POST", "/api/digest", {})
    assert status == 409 and "no digest written" in data["error"] and not list(folder.glob("digest*"))


def test_the_brief_page_is_served_with_its_own_policy(api, server):
    import urllib.error
    import urllib.request

    first = _day(api)[0]
    brief = first["id"]
    request = urllib.request.Request(f"{server.base}/briefs/{brief}.html", headers={"Authorization": f"Bearer {server.token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        csp = response.headers["content-security-policy"]
        assert response.status == 200 and first["title_ar"] in response.read().decode()
    assert "script-src" not in csp and "default-src 'none'" in csp  # inline CSS, never a script
    assert response.headers["referrer-policy"] == "no-referrer"
    missing = urllib.request.Request(f"{server.base}/briefs/ffffffffffffffff.html",
                                     headers={"Authorization": f"Bearer {server.token}"})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(missing, timeout=30)
    assert error.value.code == 404
