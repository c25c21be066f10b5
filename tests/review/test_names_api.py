"""The names panel's API with the review server really started: a brief's names with the house
spelling, the offer an editor's respelling makes, making it the house spelling (and respelling
the day's other briefs as edits, which undo undoes), the next run using it; the same guard as
every route. Briefs made by a run of the tiny models with scripted outputs (the spellings are
what is under test)."""

from __future__ import annotations

import json

import pytest

from summarizer.review.server import ReviewServer
from tests.review.conftest import Client
from tests.runs.test_names_memory import MET, SAID, STRESSED, scripted_run  # noqa: F401 - the fixture


@pytest.fixture()
def day_of_two(scripted_run, tmp_path):  # noqa: F811 - the imported fixture
    inputs, out = tmp_path / "in", tmp_path / "out"
    _, first = scripted_run(inputs, out, MET, "2025-12-01")
    _, second = scripted_run(inputs, out, SAID, "2025-12-02")
    return out, first, second


def _sentence(brief: dict, word: str) -> int:
    return next(k for k, s in enumerate(brief["sentences"]) if word in s["en"])


def test_an_editors_respelling_becomes_the_house_spelling(day_of_two, scripted_run, tmp_path):  # noqa: F811
    out, first, second = day_of_two
    with ReviewServer(out) as server:
        api = Client(server)
        status, names = api("GET", f"/api/briefs/{first['id']}/names")
        assert status == 200 and names["offers"] == []
        name = next(n for n in names["names"] if n["arabic"] == "كاظمي")
        assert (name["house"], name["source"], name["spellings"]) == ("Kazemi", "first_seen", ["Kazemi"])

        k = _sentence(first, "Kazemi")
        edited = first["sentences"][k]["en"].replace("Kazemi", "Kadhimi")
        assert api("PATCH", f"/api/briefs/{first['id']}", {"sentences": {str(k): edited}})[0] == 200
        offers = api("GET", f"/api/briefs/{first['id']}/names")[1]["offers"]
        assert offers == [{"arabic": "كاظمي", "from": "Kazemi", "to": "Kadhimi", "field": f"sentence:{k}"}]

        status, made = api("POST", "/api/names", {"arabic": "كاظمي", "english": "Kadhimi", "brief": first["id"],
                                                  "apply_day": True})
        assert status == 200 and (made["name"]["english"], made["name"]["source"]) == ("Kadhimi", "editor")
        j = _sentence(second, "Kazemi")
        assert {"brief": second["id"], "field": f"sentence:{j}", "from": "Kazemi"} in made["applied"]
        other = api("GET", f"/api/briefs/{second['id']}")[1]
        assert "Kadhimi said" in other["sentences"][j]["en"] and other["sentences"][j]["edited"]
        assert "Kadhimi said" in (out / f"{second['id']}.html").read_text(encoding="utf-8")
        assert api("GET", f"/api/briefs/{first['id']}/names")[1]["offers"] == []  # nothing left to offer
        listed = {n["arabic"]: n for n in api("GET", "/api/names")[1]["names"]}
        assert (listed["كاظمي"]["english"], listed["كاظمي"]["brief"]) == ("Kadhimi", first["id"])
        undone = api("POST", f"/api/briefs/{second['id']}/undo")[1]  # a respelling is an edit like any other
        assert "Kazemi said" in undone["sentences"][j]["en"]
    _, third = scripted_run(tmp_path / "later", out, STRESSED, "2025-12-03")
    assert "Kadhimi stressed" in " ".join(s["en"] for s in third["sentences"])  # every later run


def test_the_names_routes_pass_the_same_guard(day_of_two):
    out, first, _ = day_of_two
    with ReviewServer(out) as server:
        api = Client(server)
        body = {"arabic": "كاظمي", "english": "Kadhimi"}
        assert api("GET", "/api/names", token=False)[0] == 401
        assert api("POST", "/api/names", body, token=False)[0] == 401
        assert api("POST", "/api/names", body, headers={"Origin": "http://evil.example"})[0] == 403
        assert api("PUT", "/api/names", body, headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
        assert api("GET", f"/api/briefs/{first['id']}/names", headers={"Host": "evil.example"})[0] == 400
        assert api("GET", "/api/names")[1]["names"][0]["source"] == "first_seen"  # nothing was written
        assert api("POST", "/api/names", {"arabic": "مصطفى الكاظمي", "english": "Kadhimi"})[0] == 400
        assert api("POST", "/api/names", {"arabic": "كاظمي", "english": ""})[0] == 400
        assert api("POST", "/api/names", ["not", "an", "object"])[0] == 400
        assert api("POST", "/api/names", {**body, "brief": "0" * 16})[0] == 404
        assert api("POST", "/api/names", {**body, "apply_day": True})[0] == 400  # which day?
        assert api("GET", "/api/briefs/nothing/names")[0] in (400, 404)
        page = server.base + "/static/names.js"
        import urllib.request

        request = urllib.request.Request(page, headers={"Authorization": f"Bearer {server.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert b"/api/names" in response.read()
        status, html = _page(server)
        assert status == 200 and 'id="names-panel"' in html and "/static/names.js" in html


def _page(server) -> tuple[int, str]:
    import urllib.request

    request = urllib.request.Request(server.base + "/", headers={"Authorization": f"Bearer {server.token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode("utf-8")


def test_list_is_json_a_script_can_read(day_of_two):
    out, first, second = day_of_two
    with ReviewServer(out) as server:
        names = Client(server)("GET", "/api/names")[1]["names"]
    kadhimi = next(n for n in names if n["arabic"] == "كاظمي")
    assert json.loads(json.dumps(kadhimi))["variants"] == [
        {"spelling": "Kadhimi", "count": 1, "briefs": [second["id"]], "runs": [2]}]
