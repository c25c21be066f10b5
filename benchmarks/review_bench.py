"""The review page on a busy day: a generated day of 2,000 stories, the real server, Chromium.

    python benchmarks/review_bench.py                  # 2,000 stories (generating them: about a minute)
    python benchmarks/review_bench.py --stories 300    # a quick look
    python benchmarks/review_bench.py --folder /tmp/day --keep   # reuse a generated folder
    python benchmarks/review_bench.py --screenshots docs         # docs/review.png and review-400.png

The day is written through the store (OutputDir.write_brief, the state database), no models:
each brief is a real Arabic-English article of the parallel corpus in ../shared/real/parallel
(sentences regrouped into stories of 6-14 sentences), with flags and confidences sprinkled as a
run writes them. Then `ReviewServer` (uvicorn on 127.0.0.1, as `summarizer review` starts it):

- server: its start (it reads and groups the day before it answers), then each action (approve,
  leave out, back to pending, edit the summary, edit a sentence, move, undo, a page of 50 stories)
  sent ROUNDS times over HTTP to random stories; p50 and p95 per action.
- page (Debian's /usr/bin/chromium through Playwright): the day's opening (navigation to the first
  story on screen, and to every story listed), and the repaint after an action (the click to the
  story's new status painted: a MutationObserver then two animation frames), median and p95.

Prints the figures and writes benchmarks/results/review.json. Not a timed test: figures depend on
the machine (docs/editors-page.md has this machine's).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "real" / "parallel" / "udpud-ar-en.tsv"
CHROMIUM = "/usr/bin/chromium"
SENTENCE_FLAGS = ["numbers", "low_confidence", "lowest_confidence", "untranslated_output", "split", "retried"]
ARTICLE_FLAGS = ["numbers_mismatch", "low_confidence", "summary_ar_lead", "unsupported_summary", "output_length_limit"]


def corpus(path: Path = CORPUS) -> list[tuple[str, str]]:
    for candidate in (path, Path("/work/shared/real/parallel/udpud-ar-en.tsv")):
        if candidate.is_file():
            with open(candidate, encoding="utf-8", newline="") as handle:
                return [(row["ar"], row["en"]) for row in csv.DictReader(handle, delimiter="\t") if row["ar"] and row["en"]]
    raise SystemExit(f"no corpus at {path}")


def make_day(folder: Path, count: int, seed: int = 29) -> None:
    """`count` briefs made today (UTC noon: one local day), through the store."""
    from summarizer.store.outdir import OutputDir, state_path
    from summarizer.store.state import Store
    from summarizer.types import Brief, BriefSentence

    pairs = corpus()
    rng = random.Random(seed)
    out = OutputDir(folder)
    Store(state_path(folder)).close()
    made = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0).isoformat()
    for n in range(count):
        picked = rng.sample(pairs, rng.randint(6, 14))
        sentences = []
        for k, (ar, en) in enumerate(picked):
            flags = tuple(f for f in SENTENCE_FLAGS if rng.random() < 0.06)
            sentences.append(BriefSentence(i=k, p=k // 4, ar=ar, en=en, flags=flags, score=round(-rng.random() * 2, 3)))
        summary = [s.en for s in sentences[:2]]
        flags = [f for f in ARTICLE_FLAGS if rng.random() < 0.25]
        brief = Brief(id=f"{n:016x}", source={"site": rng.choice(["almasryalyoum.com", "wire.test"]),
                                               "url": f"https://example.org/%D8%AE%D8%A8%D8%B1/{n}",
                                               "published": made[:10]},
                      language="ar", title={"ar": picked[0][0][:90], "en": picked[0][1][:90]},
                      summary={"ar": picked[0][0], "en": " ".join(summary), "en_sentences": summary},
                      sentences=tuple(sentences), summary_links=((0, (0,)), (1, (1,))), removed=(),
                      checks={"flags": flags, "coverage": 1.0, "truncated": False, "untranslated_output": 0}, models={"translate": {"name": "bench"},
                                                                        "summarize": {"name": "bench"}},
                      timings_ms={}, created_at=made)
        out.write_brief(brief, listed=False)


def request(server, method: str, path: str, body: dict | None = None) -> tuple[float, dict]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(server.base + path, method=method, data=data, headers={
        "Authorization": f"Bearer {server.token}", "Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=60) as response:
        answer = json.loads(response.read() or b"{}")
    return (time.perf_counter() - start) * 1000, answer


def server_actions(server, ids: list[str], rounds: int, seed: int = 7) -> dict[str, dict[str, float]]:
    rng = random.Random(seed)
    actions = {
        "approve": lambda b: ("PATCH", f"/api/briefs/{b}", {"status": "approved"}),
        "leave out": lambda b: ("PATCH", f"/api/briefs/{b}", {"status": "rejected"}),
        "pending": lambda b: ("PATCH", f"/api/briefs/{b}", {"status": "pending"}),
        "edit summary": lambda b: ("PATCH", f"/api/briefs/{b}", {"summary": f"An editor's summary {rng.random()}."}),
        "edit sentence": lambda b: ("PATCH", f"/api/briefs/{b}", {"sentences": {"1": f"An editor's line {rng.random()}."}}),
        "move": lambda b: ("PATCH", f"/api/briefs/{b}", {"position": rng.randrange(len(ids))}),
        "undo": lambda b: ("POST", f"/api/briefs/{b}/undo", {}),
        "page of 50": lambda b: ("GET", f"/api/briefs?limit=50&offset={rng.randrange(0, len(ids), 50)}", None),
    }
    figures = {}
    touched: list[str] = []
    for name, make in actions.items():
        times = []
        for _ in range(rounds):
            brief = touched.pop() if name == "undo" else rng.choice(ids)  # undo what was changed
            if name != "undo":
                touched.append(brief)
            times.append(request(server, *make(brief))[0])
        figures[name] = {"p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(statistics.quantiles(times, n=20)[18], 1), "n": rounds}
    return figures


def page_figures(server, rounds: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        start = time.perf_counter()
        page.goto(server.url)
        page.wait_for_selector("article.story")
        first = (time.perf_counter() - start) * 1000
        page.wait_for_selector("body.ready")
        ready = (time.perf_counter() - start) * 1000
        repaints = []
        for k in range(rounds):
            status = "approved" if k % 2 == 0 else "rejected"
            repaints.append(page.evaluate("""async ([k, status]) => {
                const story = document.querySelectorAll('article.story')[k];
                const button = story.querySelector(status === 'approved' ? 'button.approve' : 'button.reject');
                const t0 = performance.now();
                await new Promise((done) => {
                  const check = () => { const s = document.querySelectorAll('article.story')[k];
                    if (s && s.querySelector('.status').dataset.status === status) { observer.disconnect(); done(); } };
                  const observer = new MutationObserver(check);
                  observer.observe(document.getElementById('stories'), { subtree: true, childList: true, attributes: true,
                                                                         characterData: true });
                  button.click();
                });
                await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
                return performance.now() - t0; }""", [k % 20, status]))
        listed = page.evaluate("() => window.reviewState ? window.reviewState.briefs.length : -1")
        browser.close()
    return {"first_story_ms": round(first), "ready_ms": round(ready), "stories_listed": listed,
            "repaint_p50_ms": round(statistics.median(repaints), 1),
            "repaint_p95_ms": round(statistics.quantiles(repaints, n=20)[18], 1), "repaints": rounds}


def screenshots(folder: Path, out: Path) -> None:
    """The page at 1280 and 400 px (docs/review.png, docs/review-400.png): a story with an edited
    summary, its sentences open, one sentence typed and not saved, a flag's note on focus."""
    from playwright.sync_api import sync_playwright

    from summarizer.review.server import ReviewServer

    with ReviewServer(folder) as server, sync_playwright() as p:
        ids = [b["id"] for b in request(server, "GET", "/api/briefs?limit=3")[1]["briefs"]]
        first = request(server, "GET", f"/api/briefs/{ids[0]}")[1]
        if not first["edited"]:
            words = first["summary"].split()
            request(server, "PATCH", f"/api/briefs/{ids[0]}", {"summary": " ".join(["In", "short:"] + words[2:])})
            request(server, "PATCH", f"/api/briefs/{ids[1]}", {"status": "approved"})
            request(server, "PATCH", f"/api/briefs/{ids[2]}", {"status": "rejected"})
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for width, height, name in ((1280, 1000, "review.png"), (400, 900, "review-400.png")):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(server.url)
            page.wait_for_selector("body.ready article.story")
            page.locator("#advance").uncheck()
            story = page.locator(f"#story-{ids[0]}")
            story.locator("details.sentences summary").click()
            story.locator("textarea.sentence").nth(1).click()
            page.keyboard.press("Control+End")
            page.keyboard.type(" (edited, not yet saved)")
            story.locator(".flag").first.focus()
            page.screenshot(path=str(out / name))
            page.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=60, help="requests per action (server), clicks (page)")
    parser.add_argument("--folder", type=Path, help="where the day is generated (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the folder")
    parser.add_argument("--no-page", action="store_true", help="server figures only")
    parser.add_argument("--screenshots", type=Path, metavar="DIR",
                        help="only write the page's screenshots (1280 and 400 px) into DIR, from a day of 60 stories")
    args = parser.parse_args()
    from summarizer.review.server import ReviewServer

    if args.screenshots:
        folder = args.folder or Path(tempfile.mkdtemp(prefix="review-shots-")) / "out"
        try:
            if not (folder / "briefs.jsonl").is_file():
                make_day(folder, 60)
            screenshots(folder, args.screenshots)
        finally:
            if not args.keep:
                shutil.rmtree(folder.parent if not args.folder else folder, ignore_errors=True)
        return

    folder = args.folder or Path(tempfile.mkdtemp(prefix="review-bench-")) / "out"
    generated = 0.0
    if not (folder / "briefs.jsonl").is_file():
        start = time.perf_counter()
        make_day(folder, args.stories)
        generated = time.perf_counter() - start
    try:
        start = time.perf_counter()
        server = ReviewServer(folder).start()  # reads the day and groups it before it answers
        started = time.perf_counter() - start
        with server:
            ms, day = request(server, "GET", "/api/briefs")
            ids = [b["id"] for b in day["briefs"]]
            results = {"stories": len(ids), "generate_s": round(generated, 1), "server_start_s": round(started, 1),
                       "whole_day_api_ms": round(ms),
                       "server": server_actions(server, ids, args.rounds)}
            if not args.no_page:
                results["page"] = page_figures(server, min(args.rounds, 40))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(results, indent=2))
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "review.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
