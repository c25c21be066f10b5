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
    return page.locator("article.story").nth(k).locator(".status").inner_text()


def test_approve_leave_out_reorder_edit_undo_with_the_mouse(page):
    page, _ = page
    first = order(page)
    page.locator("article.story").nth(0).locator("button.approve").click()
    until(page, "document.querySelector('article.story .status').textContent === 'approved'")
    page.locator("article.story").nth(1).locator("button.reject").click()
    until(page, "document.querySelectorAll('article.story .status')[1].textContent === 'rejected'")
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
    page.keyboard.press("a")  # approve the second
    until(page, "document.querySelectorAll('article.story .status')[1].textContent === 'approved'")
    page.keyboard.press("Shift+ArrowUp")  # move it first
    until(page, f"document.querySelectorAll('article.story')[0].dataset.id === '{first[1]}'")
    page.keyboard.press("x")  # the focused story (still the one moved) left out
    until(page, "document.querySelectorAll('article.story .status')[0].textContent === 'rejected'")
    page.keyboard.press("u")  # undo: approved again
    until(page, "document.querySelectorAll('article.story .status')[0].textContent === 'approved'")
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
