"""An approval is of a text: a later run that changes what was approved makes the story "changed since
approval", out of the digest (files, Atom, run --digest) until approved again; a stale edit keeps the
machine text and model it corrected (and `eval edits` scores against it); an editor's own later edit
keeps the approval. Through the library and the CLI, on a real run of the tiny models."""

from __future__ import annotations

import json
from datetime import date

from summarizer.desk.review import Review
from summarizer.store.edits import Change
from tests.helpers import cli


def _day(review: Review) -> tuple[date, list[dict]]:
    day = date.fromisoformat(review.days()[0]["day"])
    return day, review.day(day)


def _digests(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("digest"))


def test_a_later_run_changes_the_approved_text_and_the_story_waits_for_a_new_approval(reviewed_source, folder,
                                                                                          tiny_models):
    src, _ = reviewed_source
    review = Review(folder, editor="ann")
    try:
        day, (a, b, c) = _day(review)
        approved = review.change(a["id"], {"title": "Port expansion begins", "status": "approved"})
        assert approved["state"] == "approved" and approved["approval"]["author"] == "ann"
        assert approved["approval"]["changes"] == []
        review.change(b["id"], {"status": "approved"})
        before = {x["id"]: x for x in review.day(day)}
    finally:
        review.close()
    # another profile (NLLB and mT5) makes other machine text; its own --digest must not send an empty day
    run = cli("run", str(src), "--out", str(folder), "--models", str(tiny_models), "--profile", "multilingual",
              "--digest")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "no approved stories" in run.stderr and _digests(folder) == []
    assert json.loads((folder / "run-report.json").read_text(encoding="utf-8"))["digest"] == []

    review = Review(folder, editor="bob")
    try:
        now = {x["id"]: x for x in review.day(day)}
        for brief_id in (a["id"], b["id"]):
            story = now[brief_id]
            assert story["status"] == "approved" and story["state"] == "changed"
            assert "changed" in story["categories"] and "attention" in story["categories"]
            changes = {ch["field"]: ch for ch in story["approval"]["changes"]}
            assert changes and all(ch["by"] == "machine" for ch in changes.values())
            summary = changes["summary"]  # the diff is against the text approved, kept in the log
            assert summary["approved"] == before[brief_id]["summary"] and summary["now"] == story["summary"]
            assert "".join(o["text"] for o in summary["diff"] if o["op"] != "insert") == summary["approved"]
            assert summary["model_approved"] == "tiny-bart" and summary["model_now"] == "tiny-mt5"
        assert "title" not in {ch["field"] for ch in now[a["id"]]["approval"]["changes"]}  # the editor's, unchanged
        stale = now[a["id"]]["edits"]["title"]  # the edit keeps what it corrected; the new machine text beside it
        assert stale["stale"] and stale["machine"] == a["machine"]["title"] and stale["model"] == "tiny-marian-ar-en"
        assert stale["machine_now"] == now[a["id"]]["machine"]["title"] != stale["machine"]
        assert review.page(day, filter="changed")["total"] == 2 and review.page(day, filter="approved")["total"] == 0
        assert review.days()[0]["changed"] == 2
    finally:
        review.close()

    empty = cli("digest", str(folder), "--date", day.isoformat())
    assert empty.returncode == 3 and "2 changed since approval" in empty.stderr
    assert len(empty.stderr.strip().splitlines()) == 1 and _digests(folder) == []

    review = Review(folder, editor="bob")
    try:
        again = review.change(b["id"], {"status": "approved"})
        assert again["state"] == "approved" and again["approval"]["author"] == "bob"
    finally:
        review.close()
    made = cli("digest", str(folder), "--date", day.isoformat())
    assert made.returncode == 0, made.stderr
    md = (folder / f"digest-{day.isoformat()}.md").read_text(encoding="utf-8")
    assert b["title_ar"] in md and a["title_ar"] not in md and c["title_ar"] not in md
    assert "1 stories from 1 articles" in md or "1 story from 1 article" in md

    edits = json.loads(cli("eval", "edits", str(folder), "--json").stdout)
    [row] = edits["worst"]  # scored against the machine text the editor corrected, credited to its model
    assert row["model"] == "tiny-marian-ar-en" and row["machine"] == a["machine"]["title"] and row["stale"]
    assert row["author"] == "ann"


def test_an_editors_own_later_edit_keeps_the_approval_and_goes_out(folder):
    review = Review(folder, editor="ann")
    try:
        day, (a, _, _) = _day(review)
        review.change(a["id"], {"status": "approved"})
        edited = review.change(a["id"], {"title": "Port expansion begins"})
        assert edited["state"] == "approved"
        [change] = edited["approval"]["changes"]
        assert change["field"] == "title" and change["by"] == "editor" and change["now"] == "Port expansion begins"
        undone = review.undo(a["id"])  # back to the text approved: nothing changed
        assert undone["state"] == "approved" and undone["approval"]["changes"] == []
        review.change(a["id"], {"title": "Port expansion begins"})
    finally:
        review.close()
    assert cli("digest", str(folder), "--date", day.isoformat()).returncode == 0
    md = (folder / f"digest-{day.isoformat()}.md").read_text(encoding="utf-8")
    assert "Port expansion begins" in md and md.count("\n## ") + md.count("\n### ") >= 1


def test_an_approval_that_kept_no_text_must_be_given_again(folder):
    review = Review(folder)
    try:
        day, (a, _, _) = _day(review)
        review.edits.add(a["id"], {"status": Change("approved")})  # as logs from before m035 hold it
        story = review.brief(a["id"])
        assert story["state"] == "changed" and story["approval"]["changes"][0]["by"] == "unknown"
        assert review.change(a["id"], {"status": "approved"})["state"] == "approved"
    finally:
        review.close()


def test_the_approval_records_what_the_editor_saw_with_hashes_and_models(folder):
    review = Review(folder, editor="ann")
    try:
        _, (a, _, _) = _day(review)
        review.change(a["id"], {"sentences": {"1": "The spokesman said work goes on."}, "status": "approved"})
        seen = review.history(a["id"])[-1]["seen"]["fields"]
        assert seen["title"]["text"] == a["title"] and seen["title"]["model"] == "tiny-marian-ar-en"
        assert seen["summary"]["model"] == "tiny-bart" and len(seen["summary"]["hash"]) == 16
        assert len([f for f in seen if f.startswith("sentence:")]) == len(a["sentences"])
        assert seen["sentence:1"]["text"] == "The spokesman said work goes on." and seen["sentence:1"]["edited"]
        assert review.history(a["id"])[-1]["author"] == "ann"
    finally:
        review.close()
