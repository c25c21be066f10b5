"""What a careless user trips on (issue 19), each answered in one line with the right exit code."""

from __future__ import annotations

import json
from importlib.metadata import version

import pytest

from summarizer.version import __version__
from tests.helpers import ARTICLE_AR, cli, write


def _report(out) -> dict:
    return json.loads((out / "run-report.json").read_text(encoding="utf-8"))


def _errors(proc) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.startswith("error:")]


def test_an_output_folder_inside_the_input_is_never_read(tiny_models, tmp_path):
    src = tmp_path / "in"
    write(src / "a.txt", ARTICLE_AR)
    out = src / "briefs"
    for _ in range(2):  # the second run would brief its own pages and fail on its .json otherwise
        proc = cli("run", str(src), "--out", str(out), "--models", str(tiny_models))
        assert proc.returncode == 0, proc.stderr[-2000:]
    assert _report(out)["counts"] == {"items": 1, "new": 0, "skipped": 1, "failed": 0}
    assert len((out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    inside = cli("run", str(out), "--out", str(out), "--models", str(tiny_models))
    assert inside.returncode == 2 and len(_errors(inside)) == 1 and "is the output folder" in inside.stderr


def test_cuda_without_a_gpu_is_one_configuration_error_before_any_article(tiny_models, tmp_path):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU: --device cuda is legitimate here")
    write(tmp_path / "in" / "a.txt", ARTICLE_AR)
    out = tmp_path / "out"
    proc = cli("run", str(tmp_path / "in"), "--out", str(out), "--models", str(tiny_models), "--device", "cuda")
    assert proc.returncode == 2 and len(_errors(proc)) == 1 and "sees no CUDA GPU" in proc.stderr
    report = _report(out)
    assert report["exit_code"] == 2 and report["counts"]["items"] == 0  # no article was even started


@pytest.mark.parametrize("encoding", ["utf-16", "cp1256", "utf-8-sig"])
def test_glossaries_in_the_encodings_excel_writes(tiny_models, tmp_path, encoding):
    write(tmp_path / "in" / "a.txt", ARTICLE_AR)
    glossary = write(tmp_path / "terms.csv", "ar,en\nالحديقة,the Garden\n".encode(encoding))
    out = tmp_path / "out"
    proc = cli("run", str(tmp_path / "in"), "--out", str(out), "--models", str(tiny_models), "--glossary",
               str(glossary))
    assert proc.returncode == 0, proc.stderr[-1500:]
    [brief] = [json.loads(x) for x in (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert brief["checks"]["glossary"][0]["en"] == "the Garden"


def test_a_system_error_names_the_path_and_is_not_called_a_bug(tiny_models, tmp_path):
    write(tmp_path / "in" / "a.txt", ARTICLE_AR)
    blocker = write(tmp_path / "file", "not a folder")
    proc = cli("run", str(tmp_path / "in"), "--out", str(blocker / "out"), "--models", str(tiny_models))
    assert proc.returncode == 2 and len(_errors(proc)) == 1, proc.stderr
    assert str(blocker) in proc.stderr and "a bug" not in proc.stderr and "Traceback" not in proc.stderr
    out = tmp_path / "out"
    (out / "briefs.jsonl").mkdir(parents=True)  # the run itself meets a system error, after its lock
    mid = cli("run", str(tmp_path / "in"), "--out", str(out), "--models", str(tiny_models))
    assert mid.returncode == 2 and len(_errors(mid)) == 1 and "a bug" not in mid.stderr, mid.stderr
    assert "briefs.jsonl" in _errors(mid)[0] and "Is a directory" in _errors(mid)[0]
    assert _report(out)["exit_code"] == 2


def test_an_empty_input_says_so(tiny_models, tmp_path):
    (tmp_path / "empty").mkdir()
    proc = cli("run", str(tmp_path / "empty"), "--out", str(tmp_path / "out"), "--models", str(tiny_models))
    assert proc.returncode == 0
    [line] = [x for x in proc.stderr.splitlines() if x.startswith("warning:")]
    assert "nothing to do: no articles in" in line and str(tmp_path / "empty") in line


def test_digest_date_is_honoured_with_out(tiny_models, tmp_path):
    write(tmp_path / "in" / "a.txt", ARTICLE_AR)
    out = tmp_path / "out"
    assert cli("run", str(tmp_path / "in"), "--out", str(out), "--models", str(tiny_models)).returncode == 0
    other_day = cli("digest", str(out), "--date", "2001-01-01", "--out", str(tmp_path / "old.md"))
    assert other_day.returncode == 3 and "no stories made on 2001-01-01" in other_day.stderr  # no empty newsletter
    assert not (tmp_path / "old.md").exists()
    forced = cli("digest", str(out), "--date", "2001-01-01", "--out", str(tmp_path / "old.md"), "--allow-empty")
    assert forced.returncode == 0 and "0 stories from 0 briefs" in forced.stderr
    assert "2001-01-01" in (tmp_path / "old.md").read_text(encoding="utf-8")
    everything = cli("digest", str(out), "--all", "--out", str(tmp_path / "all.md"))
    assert everything.returncode == 0 and "1 stories from 1 briefs" in everything.stderr


def test_models_may_name_the_folder_that_holds_models_yaml(tiny_models, tmp_path):
    write(tmp_path / "in" / "a.txt", ARTICLE_AR)
    ok = cli("run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--models", str(tiny_models.parent))
    assert ok.returncode == 0, ok.stderr[-1500:]
    (tmp_path / "nomodels").mkdir()
    bad = cli("run", str(tmp_path / "in"), "--out", str(tmp_path / "o2"), "--models", str(tmp_path / "nomodels"))
    assert bad.returncode == 2 and "is a folder without a models.yaml" in bad.stderr and "not found" not in bad.stderr


def test_one_version():
    assert version("summarizer") == __version__
    assert cli("--version").stdout.strip() == f"summarizer {__version__}"
