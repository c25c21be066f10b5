"""The review page in Debian's Chromium (Playwright drives /usr/bin/chromium): approve, leave out,
reorder, edit with a diff, undo, the keyboard, Arabic right to left, nothing fetched from elsewhere,
content shown as text. A screenshot goes to test-artifacts/review.png (the README shows it)."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from tests.helpers import ROOT, cli, write
from tests.review.conftest import articles

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
XSS = "<img src=x onerror=alert(1)>"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed "
                                 "(apt-get install chromium; .ci/run does it)")]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, server):
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    seen = {"dialogs": [], "errors": [], "elsewhere": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)

    def route(r):
        if r.request.url.startswith(server.base + "/"):
            r.continue_()
        else:
            seen["elsewhere"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(server.url)
    page.wait_for_selector("body.ready article.story")
    yield page, seen
    assert seen == {"dialogs": [], "errors": [], "elsewhere": []}
    page.close()


def until(page, expression: str, timeout: float = 10.0) -> None:
    """Wait until a JavaScript expression is true (polled from here: the page's CSP forbids the
    string evaluation that Playwright's own wait_for_function does inside the page)."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        assert time.monotonic() < deadline, f"still false after {timeout}s: {expression}"
        time.sleep(0.05)


def order(page) -> list[str]:
    return page.eval_on_selector_all("article.story", "els => els.map(e => e.dataset.id)")


def status_of(page, k: int) -> str:
    return page.locator("article.story").nth(k).locator(".status").get_attribute("data-status")


def status_is(k: int, status: str) -> str:
    return f"document.querySelectorAll('article.story .status')[{k}].dataset.status === '{status}'"


def test_approve_leave_out_reorder_edit_undo_with_the_mouse(page):
    page, _ = page
    first = order(page)
    page.locator("article.story").nth(0).locator("button.approve").click()
    until(page, status_is(0, "approved"))
    page.locator("article.story").nth(1).locator("button.reject").click()
    until(page, status_is(1, "rejected"))
    assert page.locator("article.story").nth(1).locator(".status").inner_text() == "left out"  # the button's words
    assert "1 approved, 1 left out, 1 pending" in page.locator("#day option:checked").inner_text()  # the Day counts
    page.locator("article.story").nth(2).locator("button.up").click()
    until(page, f"document.querySelectorAll('article.story')[1].dataset.id === '{first[2]}'")
    assert order(page) == [first[0], first[2], first[1]]
    summary = page.locator("article.story").nth(0).locator("textarea.summary")
    summary.fill("The port's southern quay will be expanded at a cost of 120 million dinars.")
    summary.press("Control+Enter")
    page.wait_for_selector("article.story .edit-note .diff ins")
    story = page.locator("article.story").nth(0)
    assert "120 million dinars" in story.locator(".diff ins").all_inner_texts()[-1] or \
        "dinars." in " ".join(story.locator(".diff ins").all_inner_texts())
    assert story.locator(".badge.edited").count() == 1
    story.locator("button.undo").click()
    until(page, "document.querySelectorAll('article.story')[0].querySelectorAll('.edit-note').length === 0")
    page.screenshot(path=str(ARTIFACTS / "review-mouse.png"), full_page=False)


def test_the_keyboard_does_the_same(page, api):
    page, _ = page
    first = order(page)
    page.locator("article.story").nth(0).focus()
    page.keyboard.press("j")
    page.keyboard.press("a")  # approve the second: the third is next
    until(page, status_is(1, "approved"))
    until(page, "document.querySelectorAll('article.story')[2].classList.contains('current')")
    page.keyboard.press("k")
    page.keyboard.press("Shift+ArrowUp")  # move it first
    until(page, f"document.querySelectorAll('article.story')[0].dataset.id === '{first[1]}'")
    page.locator("#advance").uncheck()
    page.locator("article.story").nth(0).focus()
    page.keyboard.press("x")  # the focused story (still the one moved) left out
    until(page, status_is(0, "rejected"))
    page.keyboard.press("u")  # undo: approved again
    until(page, status_is(0, "approved"))
    page.keyboard.press("e")
    assert page.evaluate("document.activeElement.classList.contains('summary')")
    assert "j" in page.locator(".keys").inner_text() and "undo" in page.locator(".keys").inner_text()
    briefs = api("GET", "/api/briefs")[1]["briefs"]
    assert briefs[0]["id"] == first[1] and briefs[0]["status"] == "approved"


def test_arabic_reads_right_to_left_beside_the_english(page):
    page, _ = page
    story = page.locator("article.story").nth(0)
    ar, en = story.locator(".ar-col").first, story.locator(".en-col").first
    assert ar.evaluate("e => getComputedStyle(e).direction") == "rtl" and ar.get_attribute("lang") == "ar"
    assert en.evaluate("e => getComputedStyle(e).direction") == "ltr"
    a, e = ar.bounding_box(), en.bounding_box()
    assert a["x"] > e["x"] and abs(a["y"] - e["y"]) < 40  # Arabic on the right, English on the left
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=False)
    link = story.locator("a.brief-page")  # the brief's own page: the Arabic on the same side
    assert link.get_attribute("rel") == "noreferrer noopener"
    page.goto(page.url.split("?")[0].rstrip("/") + link.get_attribute("href"))
    pair = page.locator(".pair").first
    a, e = pair.locator(".ar").bounding_box(), pair.locator("[lang=en]").bounding_box()
    assert a["x"] > e["x"] and abs(a["y"] - e["y"]) < 40


def open_page(browser, server, width=1300, height=1000, path=""):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url)
    if path:
        page.goto(server.base + path)
    page.wait_for_selector("body.ready")
    return page, errors


def test_three_sentences_in_a_row_with_the_keyboard_only(page, api):
    page, _ = page
    first = order(page)[0]
    page.locator("article.story").nth(0).focus()
    page.keyboard.press("s")  # the story's sentences open, the first one's field focused
    assert page.evaluate("document.activeElement.dataset.key") == "sentence:0"
    texts = ["The port authority began work on the southern quay.", "The work costs 120 million dinars.",
             "The council spokesman said the work will go on until the end of the year."]
    for k, (text, key) in enumerate(zip(texts, ("Tab", "Control+Enter", "Tab"))):
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
        page.keyboard.press(key)  # saves and goes to the next sentence
        until(page, f"document.activeElement.dataset.key === 'sentence:{k + 1}'")
    until(page, "document.querySelectorAll('article.story')[0].querySelectorAll('.pair.edited').length === 3")
    assert page.evaluate("document.querySelector('article.story details.sentences').open")  # the panel stays open
    assert page.evaluate("document.activeElement.dataset.key") == "sentence:3"  # and the focus with the editor
    assert page.evaluate("document.activeElement.closest('article.story').dataset.id") == first
    brief = api("GET", f"/api/briefs/{first}")[1]
    assert [s["en"] for s in brief["sentences"][:3]] == texts and brief["sentences"][3]["edited"] is False
    area = page.locator("article.story").nth(0).locator("textarea.sentence").nth(2)
    assert area.evaluate("e => e.clientHeight >= e.scrollHeight - 2")  # sized to its text: nothing cut off


def test_esc_with_unsaved_text_loses_nothing(page, api):
    page, _ = page
    first = order(page)[0]
    summary = page.locator(f"#story-{first} textarea.summary")
    machine = summary.input_value()
    draft = "A summary the editor has not saved yet."
    page.locator("#advance").uncheck()
    summary.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(draft)
    page.keyboard.press("Escape")  # leaves the field, keeps the draft, marked
    assert page.evaluate("document.activeElement.tagName") == "ARTICLE"
    assert summary.input_value() == draft and "dirty" in summary.get_attribute("class")
    assert page.locator("#drafts").inner_text() == "1 unsaved text"
    page.keyboard.press("a")  # the story is repainted by the approval: the draft is still there
    until(page, status_is(0, "approved"))
    summary = page.locator(f"#story-{first} textarea.summary")
    assert summary.input_value() == draft and api("GET", f"/api/briefs/{first}")[1]["summary"] == machine
    summary.press("Control+Enter")
    until(page, "document.getElementById('drafts').textContent === ''")
    assert api("GET", f"/api/briefs/{first}")[1]["summary"] == draft


TEN_FLAGS = ["numbers_mismatch", "untranslated_output", "degenerate", "low_confidence", "output_length_limit",
             "unsupported_summary", "truncated", "summary_ar_lead", "teaser_only", "title_derived"]


def test_every_flag_of_a_ten_flag_brief_is_reachable_and_the_source_is_a_link(browser, folder):
    from summarizer.review.server import ReviewServer

    lines = (folder / "briefs.jsonl").read_text(encoding="utf-8").splitlines()
    brief = json.loads(lines[0])
    brief["checks"]["flags"] = TEN_FLAGS
    brief["source"].update(url="https://example.org/%D8%AE%D8%A8%D8%B1/7", published="2020-03-18")
    lines[0] = json.dumps(brief, ensure_ascii=False)
    (folder / "briefs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / f"{brief['id']}.json").write_text(json.dumps(brief, ensure_ascii=False), encoding="utf-8")
    with ReviewServer(folder) as server:
        page, errors = open_page(browser, server)
        story = page.locator(f"#story-{brief['id']}")
        assert story.locator("header .flag").count() == 10  # every one, none cut off
        story.focus()
        seen = []
        for _ in range(10):
            page.keyboard.press("Tab")  # the keyboard reaches each flag; its what-to-do shows on focus
            active = page.evaluate("[document.activeElement.dataset.flag, getComputedStyle(document.activeElement"
                                   ".querySelector('.tip')).display, document.activeElement.querySelector('.tip').textContent]")
            assert active[1] == "block" and "What to do:" in active[2], active
            seen.append(active[0])
        assert sorted(seen) == sorted(TEN_FLAGS)
        label = story.locator(".flag[data-flag=numbers_mismatch] .label").inner_text()
        assert label != "numbers_mismatch" and "_" not in label  # plain words
        story.locator(".flag[data-flag=truncated]").hover()
        assert story.locator(".flag[data-flag=truncated] .tip").is_visible()
        page.locator("#filter").select_option("attention")
        until(page, f"document.querySelector('#story-{brief['id']}') !== null")
        link = page.locator(f"#story-{brief['id']} a.source-link")
        assert link.get_attribute("href") == "https://example.org/%D8%AE%D8%A8%D8%B1/7"
        assert link.inner_text() == "https://example.org/خبر/7" and link.get_attribute("rel") == "noreferrer noopener"
        assert page.evaluate("document.querySelector('meta[name=referrer]').content") == "no-referrer"
        source = page.locator(f"#story-{brief['id']} .source").inner_text()
        assert "published 2020-03-18" in source and "made " in source  # both dates
        assert errors == []
        page.close()


def test_a_search_hit_opens_the_storys_day_at_the_story(browser, folder):
    from summarizer.review.server import ReviewServer

    lines = (folder / "briefs.jsonl").read_text(encoding="utf-8").splitlines()  # the school story, published long ago
    for k, line in enumerate(lines):
        brief = json.loads(line)
        if "مدارس" in brief["title"]["ar"]:
            brief["source"]["published"] = "2020-03-18"
            lines[k] = json.dumps(brief, ensure_ascii=False)
            (folder / f"{brief['id']}.json").write_text(lines[k], encoding="utf-8")
    (folder / "briefs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with ReviewServer(folder) as server:
        _search_opens_the_story(browser, server)


def _search_opens_the_story(browser, server):
    page, errors = open_page(browser, server, path="/?date=2020-03-18")  # a day with nothing, as a hit's date once was
    assert page.locator("main .empty").is_visible()
    page.locator("#q").fill("مدارس")
    page.locator("#q").press("Enter")
    page.wait_for_selector(".hit .open-hit")
    hit = page.locator(".hit .open-hit").first
    target = hit.get_attribute("data-id")
    hit.click()
    until(page, f"document.querySelector('#story-{target}') && document.querySelector('#story-{target}')"
                ".classList.contains('current')")
    day = page.evaluate("document.getElementById('day').value")
    assert day != "2020-03-18" and hit.inner_text() == f"open {day}"  # the day it was made, not the published one
    assert "published 2020-03-18" in page.locator(".hit").first.inner_text()
    assert page.evaluate("document.activeElement.dataset.id") == target and f"story={target}" in page.url
    assert errors == []
    page.close()


def test_usable_at_400_px(browser, server):
    page, errors = open_page(browser, server, width=400, height=800)
    page.locator("article.story").nth(0).focus()
    # a header that stays on screen would cover the top of a story brought in from above
    assert page.evaluate("getComputedStyle(document.querySelector('header.top')).position") not in ("sticky", "fixed")
    for key in ("j", "j", "scroll", "k"):  # down, down, to the end, back up: the story comes in at the top
        if key == "scroll":
            page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
            continue
        page.keyboard.press(key)
        button = page.locator("article.story.current button.approve")
        box = button.bounding_box()
        hit = page.evaluate(f"document.elementFromPoint({box['x'] + box['width'] / 2}, {box['y'] + box['height'] / 2})"
                            "?.classList.contains('approve')")
        assert hit and 0 <= box["y"] < 800, (key, box)  # on screen, not under the header
    assert page.evaluate("document.documentElement.scrollWidth") <= 401  # nothing wider than the screen
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-400.png"))
    assert errors == []
    page.close()


def test_an_approved_story_changed_by_a_later_run_is_out_of_the_digest_until_approved_again(
        browser, reviewed_source, folder, tiny_models):
    from summarizer.review.server import ReviewServer

    src, _ = reviewed_source
    with ReviewServer(folder) as server:
        page, errors = open_page(browser, server)
        first = order(page)[0]
        page.locator(f"#story-{first} button.approve").click()
        until(page, f"document.querySelector('#story-{first} .status').dataset.status === 'approved'")
        page.close()
    # another profile (NLLB and mT5) writes other machine text under the approval
    assert cli("run", str(src), "--out", str(folder), "--models", str(tiny_models), "--profile",
               "multilingual").returncode == 0
    with ReviewServer(folder) as server:
        page, errors = open_page(browser, server)
        story = page.locator(f"#story-{first}")
        assert story.locator(".status").get_attribute("data-state") == "changed"
        assert story.locator(".status").inner_text() == "changed since approval"
        assert story.locator(".edit-note.changed .diff").count() >= 1  # what was approved against the text now
        page.locator("#preview").click()
        page.wait_for_selector("#digest-preview:not([hidden]) h2")
        preview = page.locator("#digest-preview").inner_text()
        assert "0 stories" in preview and "1 changed since approval" in preview
        page.locator("#filter").select_option("changed")
        until(page, "document.querySelectorAll('article.story').length === 1")
        page.locator(f"#story-{first} button.approve").click()
        until(page, f"document.querySelector('#story-{first} .status').dataset.state === 'approved'")
        page.locator("#preview").click()
        until(page, "document.querySelector('#digest-preview h2').textContent.includes(': 1 story')")
        assert errors == []
        page.close()


def test_content_is_text_never_markup(browser, reviewed_source, tiny_models, tmp_path):
    from summarizer.review.server import ReviewServer

    src = tmp_path / "in"
    write(src / "evil.json", json.dumps({"title": XSS, "maintext": "قال المتحدث إن </div><script>alert(1)</script> "
                                         "لا يعني شيئا.\nوأضاف أن العمل مستمر في المدينة حتى نهاية العام.\n"
                                         "وختم بأن المشروع سيكتمل قريبا."}, ensure_ascii=False))
    articles(src)
    out = tmp_path / "out"
    assert cli("run", str(src), "--out", str(out), "--models", str(tiny_models)).returncode == 0
    with ReviewServer(out) as server:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(server.url)
        page.wait_for_selector("body.ready article.story")
        assert XSS in page.inner_text("main") and dialogs == []
        assert page.evaluate("document.querySelectorAll('main img, main script').length") == 0
        page.close()
