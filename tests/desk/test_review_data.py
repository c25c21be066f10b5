"""What the review page is given, library side: every flag in plain words with what to do and a count,
per-sentence flags and confidence, the attention order and the filters with their counts; one day for
search, status, review and digest; editors' corrections in the search index; an author per edit; the
lead summary's model; typed errors for bad requests; no empty digest; `review FILE` names the folder."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from summarizer.desk.flagtable import LABELS, flag_info
from summarizer.desk.review import Review, ReviewError
from summarizer.desk.search import reindex, search
from summarizer.desk.stories import FILTERS
from summarizer.flags import ARTICLE_FLAGS, FLAGS
from summarizer.store.edits import model_of
from summarizer.store.outdir import JSONL
from tests.helpers import cli


def _day(review: Review) -> tuple[date, list[dict]]:
    day = date.fromisoformat(review.days()[0]["day"])
    return day, review.day(day)


def test_every_flag_has_plain_words_and_what_to_do():
    for name in [f.name for f in FLAGS] + list(ARTICLE_FLAGS):
        info = flag_info(name)
        assert name in LABELS and info["label"] != name and "_" not in info["label"], name
        assert info["meaning"] and info["action"], name


def test_a_story_carries_every_flag_counted_and_each_sentence_its_own(folder):
    review = Review(folder)
    try:
        day, stories = _day(review)
        for story in stories:
            brief = json.loads((folder / f"{story['id']}.json").read_text(encoding="utf-8"))
            assert sorted(f["name"] for f in story["flags"]) == sorted(brief["checks"]["flags"])  # none left out
            numbers = next((f for f in story["flags"] if f["name"] == "numbers_mismatch"), None)
            with_numbers = [s["i"] for s in brief["sentences"] if "numbers" in s["flags"]]
            assert (numbers is None) == (not with_numbers)
            if numbers:
                assert numbers["count"] == len(with_numbers) and numbers["sentences"] == with_numbers
            for row, sentence in zip(story["sentences"], brief["sentences"]):
                assert [f["name"] for f in row["flags"]] == sorted(sentence["flags"], key=lambda n: -LABELS[n][1])
                assert row["score"] == sentence["score"]
                assert row["confidence"] == ("low" if "low_confidence" in sentence["flags"] else
                                             "lowest" if "lowest_confidence" in sentence["flags"] else "ok")
                assert all(f["label"] and f["action"] for f in row["flags"])
            weighty = sum(f["weight"] * min(f["count"], 5) for f in story["flags"])
            assert story["attention"] == weighty > 0
    finally:
        review.close()


def test_filters_counts_and_the_attention_order(folder):
    review = Review(folder, editor="ann")
    try:
        day, (a, b, c) = _day(review)
        review.change(a["id"], {"status": "approved"})
        review.change(b["id"], {"status": "rejected"})
        review.change(c["id"], {"summary": "An editor's summary."})
        page = review.page(day.isoformat(), order="attention")
        assert page["counts"] == {"all": 3, "attention": 1, "pending": 1, "approved": 1, "edited": 1, "stale": 0,
                                  "changed": 0, "rejected": 1}
        assert review.counts(day) == page["counts"]
        scores = [s["attention"] for s in page["briefs"]]
        assert scores == sorted(scores, reverse=True) and page["total"] == 3
        for name in FILTERS:
            shown = review.page(day, filter=name)
            assert shown["total"] == page["counts"][name] == len(shown["briefs"])
            assert all(name in s["categories"] for s in shown["briefs"])
        assert [s["id"] for s in review.page(day, filter="pending")["briefs"]] == [c["id"]]
        assert [s["id"] for s in review.page(day, filter="attention")["briefs"]] == [c["id"]]  # undecided, flagged
        paged = review.page(day, offset="1", limit="1")
        assert [s["id"] for s in paged["briefs"]] == [b["id"]] and paged["total"] == 3
        assert review.brief(c["id"])["edits"]["summary"]["author"] == "ann"
        preview = review.preview(day)  # what would go out now, nothing written
        assert [s["ids"] for s in preview["stories"]] == [[a["id"]]] and not preview["empty"] and preview["reviewed"]
        assert preview["states"] == {"pending": 1, "approved": 1, "changed": 0, "rejected": 1}
        assert a["title_ar"] in preview["markdown"] and not list(folder.glob("digest*"))
        assert review.days()[0] | {"day": None} == {"day": None, "briefs": 3, "pending": 1, "approved": 1,
                                                    "changed": 0, "rejected": 1, "edited": 1, "stale": 0}
    finally:
        review.close()


@pytest.mark.parametrize("request_, words", [
    ({"sentences": [1, 2]}, "sentences must be an object"), ({"sentences": 5}, "sentences must be an object"),
    ({"sentences": {"0": 7}}, "some text"), ({"status": ["approved"]}, "status must be"),
    ({"position": True}, "whole number"), ({"title": 5}, "some text"), (["status"], "send an object")])
def test_bad_changes_raise_a_typed_error_that_names_the_field(folder, request_, words):
    review = Review(folder)
    try:
        _, (a, _, _) = _day(review)
        with pytest.raises(ReviewError, match=words) as caught:
            review.change(a["id"], request_)
        assert isinstance(caught.value, ValueError) and caught.value.status == 400
        assert review.history(a["id"]) == []  # nothing half done
    finally:
        review.close()


def test_bad_days_pages_and_limits_raise_typed_errors(folder):
    from summarizer.errors import ConfigError

    review = Review(folder)
    try:
        for call, words in ((lambda: review.day(5), "date must be YYYY-MM-DD"),
                            (lambda: review.page("2026-13-01"), "date must be"),
                            (lambda: review.page(date.today(), limit="abc"), "limit must be a whole number"),
                            (lambda: review.page(date.today(), offset=-1), "offset must be"),
                            (lambda: review.page(date.today(), filter="late"), "filter must be one of"),
                            (lambda: review.brief(5), "a brief id is text")):
            with pytest.raises(ReviewError, match=words):
                call()
    finally:
        review.close()
    with pytest.raises(ConfigError, match="--limit must be a whole number"):
        search(folder, "port", limit="abc")


def test_a_hit_opens_the_review_day_of_an_old_article_and_every_view_agrees(folder):
    lines = (folder / JSONL).read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["source"]["published"] = "2020-03-18"  # an archive article made today
    (folder / JSONL).write_text("\n".join([json.dumps(first, ensure_ascii=False), *lines[1:]]) + "\n",
                                encoding="utf-8")
    (folder / f"{first['id']}.json").write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    reindex(folder)
    word = max(first["title"]["ar"].split(), key=len)
    [hit] = [h for h in search(folder, word, lang="ar", limit=50) if h.id == first["id"]]
    made = datetime.fromisoformat(first["created_at"]).astimezone().date().isoformat()
    assert hit.published == "2020-03-18" and hit.day == made and hit.to_dict()["day"] == made
    review = Review(folder)
    try:
        assert first["id"] in [s["id"] for s in review.day(hit.day)]  # the hit's day holds the story
        assert review.brief(first["id"])["published"] == "2020-03-18"
    finally:
        review.close()
    status = json.loads(cli("status", str(folder), "--json").stdout)
    assert [d["day"] for d in status["review"]] == [made]
    assert cli("digest", str(folder), "--date", "2020-03-18").returncode == 3  # not a day of its own
    assert cli("digest", str(folder), "--date", made).returncode == 0


def test_a_correction_is_searchable_and_an_undo_takes_it_out(reviewed_source, folder, tiny_models):
    review = Review(folder)
    try:
        _, (a, _, _) = _day(review)
        review.change(a["id"], {"title": "Gold falls as dollar rises"})
    finally:
        review.close()
    found = cli("search", str(folder), "Gold", "--json")
    [hit] = json.loads(found.stdout)
    assert hit["id"] == a["id"] and hit["by"] == "editor" and hit["title"] == "Gold falls as dollar rises"
    assert "Gold" in hit["snippet"] and hit["title_machine"] == a["machine"]["title"]
    assert "an editor's text" in cli("search", str(folder), "Gold").stdout
    # a run that makes the brief again indexes the editors' text with its machine text
    assert cli("run", str(reviewed_source[0]), "--out", str(folder), "--models", str(tiny_models),
               "--force").returncode == 0
    assert [h.id for h in search(folder, "dollar")] == [a["id"]]
    reindex(folder)  # and so does a rebuilt index
    assert [h.id for h in search(folder, "dollar")] == [a["id"]]
    review = Review(folder)
    try:
        review.undo(a["id"])
    finally:
        review.close()
    assert search(folder, "dollar") == []


def test_the_model_of_each_text(folder):
    brief = json.loads((folder / JSONL).read_text(encoding="utf-8").splitlines()[0])
    assert model_of(brief, "summary") == "tiny-bart" and model_of(brief, "title") == "tiny-marian-ar-en"
    lead = {**brief, "models": {**brief["models"], "summarize": None}}  # a lead summary: the translator's
    assert model_of(lead, "summary") == "tiny-marian-ar-en"
    human = {**brief, "sentences": [{**brief["sentences"][0], "flags": ["human_translation"]}]}
    assert model_of(human, "sentence:0").startswith("human")


def test_an_empty_day_writes_no_digest_and_no_atom_entry(folder):
    day = datetime.fromisoformat(json.loads((folder / JSONL).read_text(encoding="utf-8").splitlines()[0])
                                 ["created_at"]).astimezone().date()
    before = day - timedelta(days=1)
    assert cli("digest", str(folder), "--date", day.isoformat()).returncode == 0
    atom = (folder / "digest.xml").read_bytes()
    proc = cli("digest", str(folder), "--date", before.isoformat())
    assert proc.returncode == 3 and len(proc.stderr.strip().splitlines()) == 1 and "no stories" in proc.stderr
    assert not (folder / f"digest-{before.isoformat()}.html").exists() and (folder / "digest.xml").read_bytes() == atom
    assert cli("digest", str(folder), "--date", before.isoformat(), "--out", str(folder / "x.md")).returncode == 3
    assert not (folder / "x.md").exists()
    review = Review(folder)  # a reviewed day with everything rejected is empty too
    try:
        for story in review.day(day):
            review.change(story["id"], {"status": "rejected"})
    finally:
        review.close()
    proc = cli("digest", str(folder), "--date", day.isoformat())
    assert proc.returncode == 3 and "3 rejected" in proc.stderr and (folder / "digest.xml").read_bytes() == atom
    forced = cli("digest", str(folder), "--date", before.isoformat(), "--allow-empty")
    assert forced.returncode == 0 and (folder / f"digest-{before.isoformat()}.html").is_file()
    assert before.isoformat() not in (folder / "digest.xml").read_text(encoding="utf-8")  # never an empty entry


def test_review_of_a_file_names_the_folder_and_editor_must_be_a_name(folder):
    proc = cli("review", str(folder / JSONL), "--no-browser")
    assert proc.returncode == 2 and "output folder" in proc.stderr and "--out" not in proc.stderr
    assert str(folder) in proc.stderr
    proc = cli("review", str(folder), "--no-browser", "--editor", " ")
    assert proc.returncode == 2 and "--editor" in proc.stderr
    with pytest.raises(ReviewError, match="output folder"):
        Review(folder / JSONL)
