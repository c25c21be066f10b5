"""`summarizer eval`: every score equals sacreBLEU's (or rouge-score's) own on the same strings,
with its signature; a reference against itself is 100; the CI gate; significance; the editors'
distances; a real run's engine writing every file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import sacrebleu
from rouge_score import rouge_scorer

from summarizer.eval import metrics
from summarizer.eval.commands import evaluate_edits, evaluate_translation
from summarizer.eval.report import significance
from tests.helpers import ARTICLE_AR, cli, write

SOURCES = ["قال الوزير إن الميناء سيفتح أبوابه غدا أمام السفن الكبيرة.", "شهدت المدينة أمطارا غزيرة أمس.",
           "افتتحت البلدية حديقة عامة جديدة في الحي الشمالي.", "ارتفعت أسعار الخبز بنسبة خمسة في المئة.",
           "وصل وفد رسمي إلى العاصمة في زيارة تستمر يومين.", "أعلنت الوزارة تأجيل الامتحانات أسبوعا."]
REFERENCES = ["The minister said the port will open to large ships tomorrow.", "The city saw heavy rain yesterday.",
              "The municipality opened a new public park in the northern district.",
              "Bread prices rose by five percent.", "An official delegation arrived in the capital for a two-day visit.",
              "The ministry announced that exams are postponed by a week."]
HYPOTHESES = ["The minister said that the port opens tomorrow for big ships.", "Heavy rains hit the city yesterday.",
              "The council opened a new park in the north.", "The price of bread went up five per cent.",
              "A delegation reached the capital on a visit of two days.", "The ministry delayed the exams for a week."]


@pytest.fixture()
def files(tmp_path) -> dict[str, Path]:
    return {"src": write(tmp_path / "src.txt", "\n".join(SOURCES) + "\n"),
            "ref": write(tmp_path / "ref.tsv", "".join(f"{s}\t{r}\n" for s, r in zip(SOURCES, REFERENCES))),
            "hyp": write(tmp_path / "hyp.jsonl", "".join(json.dumps({"hypothesis": h}) + "\n" for h in HYPOTHESES))}


def test_scores_are_sacrebleus_own_with_signatures(files, tmp_path):
    report = evaluate_translation(files["src"], files["ref"], tmp_path / "out", hyp=files["hyp"])
    expected = {"chrf": sacrebleu.metrics.CHRF(), "chrf++": sacrebleu.metrics.CHRF(word_order=2),
                "bleu": sacrebleu.metrics.BLEU()}
    for name, metric in expected.items():
        score = metric.corpus_score(HYPOTHESES, [REFERENCES]).score
        assert report["metrics"][name]["score"] == pytest.approx(score, abs=0.01)
        assert report["metrics"][name]["signature"] == str(metric.get_signature())
    assert 0 < report["metrics"]["bleu"]["score"] < 100
    rows = (tmp_path / "out" / "side-by-side.tsv").read_text(encoding="utf-8").splitlines()
    chrfs = [float(r.split("\t")[-1]) for r in rows[1:]]
    assert chrfs == sorted(chrfs) and len(rows) == 7  # worst first, every segment


def test_a_reference_against_itself_is_100(files, tmp_path):
    report = evaluate_translation(files["src"], files["ref"], tmp_path / "out", hyp=files["ref"])
    assert {m: v["score"] for m, v in report["metrics"].items()} == {"chrf": 100.0, "chrf++": 100.0, "bleu": 100.0}


def test_the_gate_exits_1_below_and_0_above(files, tmp_path):
    args = ["eval", "translate", str(files["src"]), str(files["ref"]), "--hyp", str(files["hyp"]), "--out",
            str(tmp_path / "out")]
    score = json.loads(cli(*args, "--json").stdout)["metrics"]["chrf"]["score"]
    below = cli(*args, "--min-chrf", str(score + 1))
    assert below.returncode == 1 and "below --min-chrf" in below.stderr
    assert cli(*args, "--min-chrf", str(score - 1)).returncode == 0


def test_the_tiny_models_run_as_a_run_and_differ_significantly_from_the_reference(files, tmp_path, tiny_models):
    out = tmp_path / "out"
    proc = cli("eval", "translate", str(files["src"]), str(files["ref"]), "--hyp", str(files["ref"]), "--models",
               str(tiny_models), "--profile", "default", "--model", "tiny-nllb", "--out", str(out), "--json",
               "--bootstrap", "300")
    assert proc.returncode == 0, proc.stderr[-1500:]
    report = json.loads(proc.stdout)
    assert list(report["systems"]) == ["given:ref.tsv", "profile:default", "model:tiny-nllb"]
    tiny = report["systems"]["profile:default"]
    assert tiny["bootstrap"]["chrf"]["significant"] and tiny["bootstrap"]["chrf"]["p_value"] < 0.05
    info = tiny["models"]["translate"]
    assert info["name"] == "tiny-marian-ar-en" and info["engine"] in ("ctranslate2", "torch") and info["compute_type"]
    assert info["settings"]  # beam and lengths, as the run uses them
    written = {p.name for p in out.iterdir()}
    assert written == {"hypotheses-given-ref.tsv.txt", "hypotheses-profile-default.txt",
                       "hypotheses-model-tiny-nllb.txt", "side-by-side.tsv", "report.json", "report.md"}
    assert len((out / "hypotheses-profile-default.txt").read_text(encoding="utf-8").splitlines()) == 6
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "significant" in md and "nrefs:1" in md and "tiny-marian-ar-en" in md


def test_summaries_are_scored_as_rouge_score_does_and_arabic_references_refused(tmp_path):
    refs = write(tmp_path / "refs.jsonl", "".join(json.dumps({"id": str(k), "summary": r}) + "\n"
                                                  for k, r in enumerate(REFERENCES)))
    hyps = write(tmp_path / "hyps.jsonl", "".join(json.dumps({"id": str(k), "summary": h}) + "\n"
                                                  for k, h in enumerate(HYPOTHESES[:5])))
    proc = cli("eval", "summary", "--hyp", str(hyps), str(refs), "--out", str(tmp_path / "out"), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    for key in ("rouge1", "rouge2", "rougeL"):
        mean = sum(scorer.score(r, h)[key].fmeasure for r, h in zip(REFERENCES[:5], HYPOTHESES[:5])) / 5
        assert report["metrics"][key]["score"] == pytest.approx(100 * mean, abs=0.01)
    assert report["items"] == 5 and report["missing"] == ["5"]
    arabic = write(tmp_path / "ar.jsonl", json.dumps({"id": "0", "summary": SOURCES[0]}) + "\n")
    bad = cli("eval", "summary", "--hyp", str(hyps), str(arabic), "--out", str(tmp_path / "o2"))
    assert bad.returncode == 2 and "not English" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_the_editors_distances(tmp_path):
    rows = [{"brief": "a" * 16, "field": "summary", "day": "2026-11-30", "model": "bart",
             "machine": "The port opens tomorrow.", "edited": "The port will open tomorrow."},
            {"brief": "b" * 16, "field": "sentence:2", "day": "2026-11-30", "model": "marian",
             "machine": "Rain fell.", "edited": "Rain fell."},
            {"brief": "c" * 16, "field": "summary", "day": "2026-11-29", "model": "bart",
             "machine": "Gibberish words here.", "edited": "The ministry postponed the exams."}]
    report = evaluate_edits(rows, tmp_path / "out")
    chrf, ter = sacrebleu.metrics.CHRF(), sacrebleu.metrics.TER()
    for row in report["worst"]:
        assert row["chrf"] == pytest.approx(chrf.sentence_score(row["machine"], [row["edited"]]).score, abs=0.01)
        assert row["ter"] == pytest.approx(ter.sentence_score(row["machine"], [row["edited"]]).score, abs=0.01)
    assert [r["brief"][0] for r in report["worst"]] == ["c", "a", "b"]  # worst first
    unchanged = next(r for r in report["worst"] if r["brief"][0] == "b")
    assert unchanged["chrf"] == 100.0 and unchanged["ter"] == 0.0
    groups = {(g["day"], g["kind"]): g for g in report["per_day_and_model"]}
    assert groups[("2026-11-30", "translation")]["edits"] == 1 and groups[("2026-11-30", "summary")]["model"] == "bart"
    assert (tmp_path / "out" / "edits.jsonl").is_file()


def test_eval_edits_on_a_folder_an_editor_corrected(reviewed_source, folder):
    from summarizer.desk.review import Review

    review = Review(folder)
    try:
        [first, second, _] = review.day(date.fromisoformat(review.days()[0]["day"]))
        review.change(first["id"], {"summary": "An editor's summary of the port."})
        review.change(second["id"], {"summary": "Rain closed the main roads."})
        review.change(second["id"], {"title": "Heavy rain"})
        review.undo(second["id"])  # the title edit undone: not an edit any more
        machine = first["machine"]["summary"]
    finally:
        review.close()
    proc = cli("eval", "edits", str(folder), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["edits"] == 2 and {r["field"] for r in report["worst"]} == {"summary"}
    row = next(r for r in report["worst"] if r["brief"] == first["id"])
    expected = sacrebleu.metrics.CHRF().sentence_score(machine, ["An editor's summary of the port."]).score
    assert row["chrf"] == pytest.approx(expected, abs=0.01) and row["model"] == "tiny-bart"


@pytest.mark.parametrize("empty", ["src", "ref", "hyp", "all"])
def test_an_empty_file_is_an_error_not_one_empty_segment(files, tmp_path, empty):
    blank = write(tmp_path / "blank.txt", "" if empty != "ref" else "\n  \n")  # white space only: empty too
    given = {k: (blank if empty in (k, "all") else v) for k, v in files.items()}
    proc = cli("eval", "translate", str(given["src"]), str(given["ref"]), "--hyp", str(given["hyp"]), "--out",
               str(tmp_path / "out"))
    assert proc.returncode == 2, proc.stdout
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()] and "blank.txt: empty" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out" / "report.json").exists()


def test_empty_reference_summaries_are_an_error(tmp_path):
    hyps = write(tmp_path / "hyps.jsonl", json.dumps({"id": "0", "summary": HYPOTHESES[0]}) + "\n")
    proc = cli("eval", "summary", "--hyp", str(hyps), str(write(tmp_path / "refs.jsonl", "")), "--out",
               str(tmp_path / "out"))
    assert proc.returncode == 2 and "refs.jsonl: empty" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_a_missing_article_is_named_with_its_cause(tmp_path, tiny_models):
    """Not "no summary shares an id": the file that could not be read, and why; before any model loads."""
    good = write(tmp_path / "port.txt", ARTICLE_AR)
    refs = write(tmp_path / "refs.jsonl", json.dumps({"id": "gone", "summary": REFERENCES[0]}) + "\n")
    proc = cli("eval", "summary", str(good), str(tmp_path / "gone.txt"), str(refs), "--models", str(tiny_models),
               "--out", str(tmp_path / "out"))
    assert proc.returncode == 2, proc.stdout
    [line] = proc.stderr.strip().splitlines()
    assert "gone.txt: no such file" in line and "shares an id" not in line, line


def test_an_article_the_pipeline_fails_on_is_reported_with_its_reason(tmp_path, tiny_models):
    src = tmp_path / "in"
    write(src / "port.txt", ARTICLE_AR)
    write(src / "zh.txt", "港口管理局今天宣布南码头扩建工程正式开工。工程预计三年完成。" * 3)  # no model for Chinese
    refs = write(tmp_path / "refs.jsonl", "".join(json.dumps({"id": str(src / n), "summary": REFERENCES[k]}) + "\n"
                                                  for k, n in enumerate(["port.txt", "zh.txt"])))
    proc = cli("eval", "summary", str(src), str(refs), "--models", str(tiny_models), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr[-1500:]
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["items"] == 1 and report["missing"] == [str(src / "zh.txt")]
    [failed] = report["failed"]
    assert failed["ref"].endswith("zh.txt") and failed["error"]
    assert "1 articles not summarised" in proc.stdout and "zh.txt" in proc.stdout


def test_the_same_score_is_never_a_significant_difference():
    """BLEU 0.0 against 0.0 (different outputs) or identical outputs: sacreBLEU's bootstrap gives
    p = 1/(samples + 1) there (every resampled difference ties), which must not read as significant."""
    zero_a, zero_b = ["Qq."] * 6, ["Vv!"] * 6
    tested = metrics.bootstrap([("a", zero_a), ("b", zero_b), ("c", HYPOTHESES), ("d", list(zero_a))], REFERENCES,
                               300)
    assert tested["a"]["bleu"]["score"] == tested["b"]["bleu"]["score"] == 0.0
    assert (tested["b"]["bleu"]["p_value"], tested["b"]["bleu"]["significant"]) == (1.0, False)
    assert all(not tested["d"][m]["significant"] and tested["d"][m]["identical"] for m in ("chrf", "chrf++", "bleu"))
    assert tested["c"]["bleu"]["significant"] and tested["c"]["chrf"]["significant"]  # the control: a real gap
    assert significance(tested["b"]["bleu"]) == "the same score as the first"
    one = metrics.bootstrap([("a", HYPOTHESES[:1]), ("b", zero_a[:1])], REFERENCES[:1], 100)
    assert one["b"]["chrf"]["p_value"] is None and significance(one["b"]["chrf"]) == ""  # one segment: no test


def test_significance_is_worded_the_same_on_the_console_and_in_report_md(files, tmp_path, tiny_models):
    out = tmp_path / "out"
    proc = cli("eval", "translate", str(files["src"]), str(files["ref"]), "--hyp", str(files["hyp"]), "--models",
               str(tiny_models), "--model", "tiny-marian-ar-en", "--model", "tiny-nllb", "--out", str(out),
               "--bootstrap", "200")
    assert proc.returncode == 0, proc.stderr[-1500:]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    md = (out / "report.md").read_text(encoding="utf-8").splitlines()
    assert list(report["systems"]) == ["given:hyp.jsonl", "model:tiny-marian-ar-en", "model:tiny-nllb"]
    for name, system in report["systems"].items():
        [console] = [line for line in proc.stdout.splitlines() if line.startswith(f"{name}: ")]
        [row] = [line for line in md if line.startswith(f"| {name} |")]
        for metric, value in system["metrics"].items():
            entry = system["bootstrap"][metric]
            words = significance(entry)
            assert bool(words) == (name != report["first"])
            if words:  # the words say what the test found
                assert words.startswith("differs significantly") == bool(entry["significant"]), (words, entry)
                words = f" ({words})"
            assert f"{metric} {value['score']:.2f}{words}" in console, (console, words)
            assert f"| {value['score']}{words} |" in row, (row, words)
