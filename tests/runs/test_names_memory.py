"""The names memory across runs: the spelling the first run fixed, or an editor set (`names set`),
is the spelling of every later run; `names list --json` shows the variants met and where;
`names export` writes a glossary a run reads. Scripted outputs on the tiny models' tokenizers
(the spelling a model picks is what is under test, so it is chosen)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from summarizer.config import Config
from summarizer.pipeline import Pipeline, PipelineOptions
from summarizer.runs import run as run_module
from summarizer.runs.glossary_file import read_glossary
from summarizer.runs.run import run_folder
from summarizer.runs.settings import RunSettings
from tests.helpers import cli, write

MET = "التقى رئيس الوزراء مصطفى الكاظمي وفدا من رجال الأعمال في بغداد."
SAID = "وقال الكاظمي إن الحكومة ستدعم المشاريع الصغيرة في المحافظات."
STRESSED = "وأكد الكاظمي أن الانتخابات ستجري في موعدها المحدد."
SCRIPT = {MET: "Prime Minister Mustafa Kazemi met a delegation of businessmen in Baghdad.",
          SAID: "Kadhimi said the government would support small projects in the provinces.",
          STRESSED: "Kazemi stressed that the elections would be held on time."}


@pytest.fixture()
def scripted_run(tiny_config, scripted_registry, monkeypatch):
    profiles = {**tiny_config.profiles,
                "default": dataclasses.replace(tiny_config.profile("default"), translate={"ar": "tiny-nllb"})}
    config = Config(models=tiny_config.models, profiles=profiles, source=tiny_config.source)
    registry = scripted_registry({"tiny-nllb": (SCRIPT, "The text."), "tiny-bart": ({}, "The minister spoke.")})

    def build(settings):
        glossary = read_glossary(settings.glossary) if settings.glossary else None
        return Pipeline(config, "default", registry=registry, glossary=glossary, options=PipelineOptions())

    monkeypatch.setattr(run_module, "build_pipeline", build)

    def run(folder, out, sentence, day, **kw):
        write(folder / f"{day}.json", json.dumps({"title": "رئيس الوزراء", "date": day, "text": sentence + "\n"
                                                  + "وأضاف المتحدث أن الاجتماع استمر ساعتين."}, ensure_ascii=False))
        report = run_folder(RunSettings(inputs=[str(folder)], out=out, models=tiny_config.source,
                                        handle_signals=False, **kw))
        assert report.exit_code == 0
        briefs = [json.loads(line) for line in (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()]
        brief = next(b for b in briefs if b["source"]["published"] == day)
        return report, brief
    return run


def _english(brief) -> str:
    return " ".join(s["en"] for s in brief["sentences"])


def test_the_second_run_spells_a_name_as_the_first_fixed_it(scripted_run, tmp_path):
    out = tmp_path / "out"
    _, first = scripted_run(tmp_path / "monday", out, MET, "2025-12-01")
    assert "Kazemi" in _english(first)
    report, second = scripted_run(tmp_path / "tuesday", out, SAID, "2025-12-02")
    assert "Kazemi said" in _english(second) and "Kadhimi" not in _english(second)
    assert {"from": "Kadhimi", "to": "Kazemi"} in [{k: c[k] for k in ("from", "to")}
                                                    for c in second["checks"]["names_unified"]]
    assert report.extra["name_variants"]["كاظمي"] == {"spelling": "Kazemi", "variants": {"Kadhimi": 1}}
    listed = json.loads(cli("names", "list", str(out), "--json").stdout)
    name = next(n for n in listed if n["arabic"] == "كاظمي")
    assert (name["english"], name["source"], name["brief"], name["run"]) == ("Kazemi", "first_seen", first["id"], 1)
    assert name["variants"] == [{"spelling": "Kadhimi", "count": 1, "briefs": [second["id"]], "runs": [2]}]
    shown = cli("names", "list", str(out)).stdout
    assert "كاظمي\tKazemi\tfirst_seen\tseen 2\tvariants: Kadhimi ×1" in shown


def test_an_editors_spelling_wins_in_every_later_run(scripted_run, tmp_path):
    out = tmp_path / "out"
    scripted_run(tmp_path / "monday", out, MET, "2025-12-01")
    proc = cli("names", "set", str(out), "الكاظمي", "Kadhimi")
    assert proc.returncode == 0, proc.stderr
    report, third = scripted_run(tmp_path / "wednesday", out, STRESSED, "2025-12-03")
    assert "Kadhimi stressed" in _english(third) and "Kazemi" not in _english(third)
    assert report.extra["names_memory"]["set_by_this_run"].get("كاظمي") is None  # the run did not touch it
    listed = {n["arabic"]: n for n in json.loads(cli("names", "list", str(out), "--json").stdout)}
    assert (listed["كاظمي"]["english"], listed["كاظمي"]["source"]) == ("Kadhimi", "editor")
    assert {v["spelling"]: v["runs"] for v in listed["كاظمي"]["variants"]} == {"Kazemi": [1, 2]}


def test_the_export_is_a_glossary_another_folder_runs_with(scripted_run, tmp_path):
    out = tmp_path / "out"
    scripted_run(tmp_path / "monday", out, MET, "2025-12-01")
    assert cli("names", "set", str(out), "الكاظمي", "Kadhimi").returncode == 0
    assert cli("names", "export", str(out), str(tmp_path / "house.csv")).returncode == 0
    glossary = read_glossary(tmp_path / "house.csv")
    assert glossary.name_spellings()["كاظمي"] == "Kadhimi"
    _, brief = scripted_run(tmp_path / "elsewhere", tmp_path / "other", SAID, "2025-12-02",
                            glossary=tmp_path / "house.csv")
    assert "Kadhimi said" in _english(brief)
    listed = {n["arabic"]: n for n in json.loads(cli("names", "list", str(tmp_path / "other"), "--json").stdout)}
    assert (listed["كاظمي"]["english"], listed["كاظمي"]["source"]) == ("Kadhimi", "glossary")


def test_names_set_refuses_what_it_cannot_key(tmp_path, scripted_run):
    out = tmp_path / "out"
    scripted_run(tmp_path / "monday", out, MET, "2025-12-01")
    for arabic, english in (("مصطفى الكاظمي", "Kadhimi"), ("Kadhimi", "Kadhimi"), ("الكاظمي", ""),
                            ("الكاظمي", "الكاظمي")):
        proc = cli("names", "set", str(out), arabic, english)
        assert proc.returncode == 2 and "error:" in proc.stderr
    assert cli("names", "list", str(tmp_path / "nothing")).returncode == 2  # no state: a clear error
