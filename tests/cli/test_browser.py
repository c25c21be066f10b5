"""The digest and a brief page in real headless Chromium: RTL computed, XSS inert, nothing fetched.

Needs Debian's chromium (/usr/bin/chromium; .ci/run installs it) and Playwright's Python
package, which drives that binary (no browser download). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from tests.helpers import ARTICLE_AR, ROOT, write

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
XSS_TITLE = "<img src=x onerror=alert(1)>"
XSS_BODY = "</div><script>alert(1)</script>"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed "
                                 "(apt-get install chromium; .ci/run does it)")]


@pytest.fixture(scope="module")
def site(tmp_path_factory, tiny_models):
    from typer.testing import CliRunner

    from summarizer.cli import app

    src = tmp_path_factory.mktemp("in")
    shutil.copytree(ROOT / "examples", src / "examples")
    evil = {"title": XSS_TITLE, "url": "javascript:alert(1)", "source_domain": "evil.example",
            "date_publish": "2026-11-21", "language": "ar",
            "maintext": ARTICLE_AR + f"\nوقال المتحدث إن الرمز {XSS_BODY} لا يعني شيئا في عام 2021.\n"
                                     "وختم بأن العمل مستمر حتى نهاية السنة الجارية في المدينة."}
    write(src / "evil.json", json.dumps(evil, ensure_ascii=False))
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(app, ["run", str(src), "--out", str(out), "--models", str(tiny_models), "--digest"])
    assert result.exit_code == 0, result.output
    evil_id = next(json.loads(line)["id"] for line in (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()
                   if json.loads(line)["title"]["ar"] == XSS_TITLE)
    ARTIFACTS.mkdir(exist_ok=True)
    return out, evil_id


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


def _open(browser, path, width=1100):
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen = {"dialogs": [], "requests": [], "errors": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))

    def route(r):
        seen["requests"].append(r.request.url)
        r.continue_() if r.request.url == path.as_uri() else r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, seen


def _safe_and_rtl(page, seen, path):
    assert seen["dialogs"] == [] and seen["errors"] == []
    assert seen["requests"] == [path.as_uri()]  # the page itself; no fonts, images, scripts, styles
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed, link[rel=stylesheet]').length") == 0
    directions = page.eval_on_selector_all("[lang=ar]", "els => els.map(e => getComputedStyle(e).direction)")
    assert directions and set(directions) == {"rtl"}
    assert page.eval_on_selector_all("[dir=rtl]", "els => els.every(e => e.lang === 'ar')")


def test_digest_in_chromium(site, browser):
    out, _ = site
    path = out / "digest.html"
    page, seen = _open(browser, path)
    _safe_and_rtl(page, seen, path)
    text = page.inner_text("body")
    assert XSS_TITLE in text  # shown as text
    assert page.evaluate("[...document.querySelectorAll('a')].every(a => a.href.startsWith('https://'))")
    page.screenshot(path=str(ARTIFACTS / "digest.png"), full_page=True)
    md = (out / "digest.md").read_text(encoding="utf-8")
    assert '<div dir="rtl" lang="ar">' in md and "<img src=x" not in md


def test_brief_page_in_chromium(site, browser):
    out, evil_id = site
    path = out / f"{evil_id}.html"
    page, seen = _open(browser, path)
    _safe_and_rtl(page, seen, path)
    text = page.inner_text("body")
    assert XSS_TITLE in text and XSS_BODY in text
    assert page.eval_on_selector_all("[lang=ar] bdi", "els => els.map(e => e.textContent)").count("2021") >= 1
    first = page.locator(".pair").first
    ar, en = first.locator("[lang=ar]").bounding_box(), first.locator("[lang=en]").bounding_box()
    assert abs(ar["y"] - en["y"]) < 5 and ar["x"] > en["x"]  # side by side, Arabic on the right (as on the review page)
    page.screenshot(path=str(ARTIFACTS / "brief.png"), full_page=True)
    narrow, seen = _open(browser, path, width=420)
    first = narrow.locator(".pair").first
    ar, en = first.locator("[lang=ar]").bounding_box(), first.locator("[lang=en]").bounding_box()
    assert ar["y"] > en["y"] + 5 and abs(ar["x"] - en["x"]) < 5  # stacked on a narrow screen, in reading order
    narrow.screenshot(path=str(ARTIFACTS / "brief-narrow.png"), full_page=False)
