"""The names panel in Debian's Chromium (Playwright): it follows the story clicked, lists the
brief's names with the house spelling, offers the editor's respelling after a sentence edit made
on the page, and makes it the house spelling with the day's other briefs respelled."""

from __future__ import annotations

import os
import shutil

import pytest

from summarizer.review.server import ReviewServer
from tests.review.conftest import Client
from tests.review.test_names_api import _sentence, day_of_two  # noqa: F401 - the fixture
from tests.runs.test_names_memory import scripted_run  # noqa: F401 - the fixture

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed "
                                 "(apt-get install chromium; .ci/run does it)")]


def _until(page, expression: str, timeout: float = 15.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        assert time.monotonic() < deadline, f"still false after {timeout}s: {expression}"
        time.sleep(0.05)


def test_the_panel_offers_and_makes_the_house_spelling(day_of_two):  # noqa: F811
    sync_api = pytest.importorskip("playwright.sync_api")
    out, first, second = day_of_two
    k = _sentence(first, "Kazemi")
    with ReviewServer(out) as server, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        errors, elsewhere = [], []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server.base + "/")
                   else (elsewhere.append(r.request.url), r.abort()))
        page.goto(server.url)
        page.wait_for_selector("body.ready article.story")
        story = page.locator(f"article.story[data-id='{first['id']}']")
        story.click()
        _until(page, "!document.getElementById('names-panel').hidden && "
                     "document.getElementById('names-panel').textContent.includes('Kazemi')")
        assert "first_seen" in page.locator("#names-panel").inner_text()
        story.locator("details.sentences summary").click()
        field = story.locator("textarea.edit.sentence").nth(k)
        field.fill(first["sentences"][k]["en"].replace("Kazemi", "Kadhimi"))
        field.press("Control+Enter")  # the page saves the edit, the panel looks again
        page.wait_for_selector("#names-panel .names-offer button.names-make-house")
        assert "Kadhimi" in page.locator("#names-panel .names-offer").inner_text()
        page.locator("#names-panel .names-apply-day").check()
        with page.expect_navigation():  # the day's briefs changed: the page loads them again
            page.locator("#names-panel button.names-make-house").click()
        page.wait_for_selector("body.ready article.story")
        browser.close()
        api = Client(server)
        listed = {n["arabic"]: n for n in api("GET", "/api/names")[1]["names"]}
        assert (listed["كاظمي"]["english"], listed["كاظمي"]["source"]) == ("Kadhimi", "editor")
        j = _sentence(second, "Kazemi")
        assert "Kadhimi said" in api("GET", f"/api/briefs/{second['id']}")[1]["sentences"][j]["en"]
    assert errors == [] and elsewhere == []
