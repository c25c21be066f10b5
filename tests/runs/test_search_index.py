"""The search index of a run's folder: written in the transaction that marks an article done (a
killed run resumed leaves index and briefs equal), rebuilt from briefs.jsonl for older folders,
and searched from the command line."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ARTICLE_AR, ROOT, cli, write

N = 6


def _inputs(folder: Path) -> Path:
    for k in range(N):
        write(folder / f"a{k}.txt", f"افتتاح المكتبة رقم {k}\n\nأعلنت البلدية اليوم افتتاح مكتبة عامة جديدة في الحي "
                                    f"رقم {k} بمساحة كبيرة.\n" + ARTICLE_AR)
    write(folder / "en.jsonl", json.dumps({"title": "Port reopens", "language": "en", "maintext":
                                           "The port of the city reopened on Monday after repairs. Ships returned "
                                           "to the docks. Officials said trade would grow."}) + "\n")
    return folder


def _ids(out: Path) -> tuple[set[str], set[str], set[str]]:
    """(ids in briefs.jsonl, ids in the index, ids done in the state)."""
    listed = {json.loads(x)["id"] for x in (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines() if x}
    with sqlite3.connect(out / "state.sqlite") as db:
        indexed = {r[0] for r in db.execute("SELECT id FROM search_docs")}
        done = {r[0] for r in db.execute("SELECT DISTINCT id FROM articles WHERE status = 'done'")}
    return listed, indexed, done


def test_the_index_is_written_in_the_transaction_that_marks_an_article_done(tiny_models, tmp_path, monkeypatch):
    from summarizer.runs import RunSettings, run_folder
    from summarizer.store.state import Store

    transactions: list[list[str]] = []
    real = Store.write_all

    def recording(self, statements):
        statements = list(statements)
        transactions.append([sql for sql, _ in statements])
        return real(self, statements)

    monkeypatch.setattr(Store, "write_all", recording)
    report = run_folder(RunSettings(inputs=[str(_inputs(tmp_path / "in"))], out=tmp_path / "out",
                                    models=tiny_models, handle_signals=False))
    assert report.counts["new"] == N + 1
    marks = [t for t in transactions if any(s.startswith("INSERT OR REPLACE INTO articles") for s in t)]
    assert len(marks) == N + 1
    assert all(any(s.startswith("INSERT INTO search_index") for s in t) for t in marks)
    assert not [t for t in transactions if t not in marks and any("search_index" in s for s in t)]


@pytest.mark.parametrize("crash", ["commit:9", "mark:3"])
def test_a_killed_run_resumed_leaves_the_index_equal_to_the_briefs(tiny_models, tmp_path, crash):
    src, out = _inputs(tmp_path / "in"), tmp_path / "out"
    args = [sys.executable, "-m", "summarizer", "run", str(src), "--out", str(out), "--models", str(tiny_models),
            "--window", "2", "--quiet"]
    killed = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**__import__("os").environ, "SUMMARIZER_CRASH_AT": crash})
    assert killed.returncode == -9, killed.stderr[-1000:]
    _, indexed, done = _ids(out)
    assert indexed == done  # at any moment: one transaction writes both
    resumed = cli("run", str(src), "--out", str(out), "--models", str(tiny_models))
    assert resumed.returncode == 0, resumed.stderr[-1500:]
    listed, indexed, done = _ids(out)
    assert listed == indexed == done and len(listed) == N + 1
    found = json.loads(cli("search", str(out), "مكتبة", "--json").stdout)
    assert len(found) == N and all("مكتبة" in h["snippet"] for h in found)


def test_search_from_the_command_line(tiny_models, tmp_path):
    src, out = _inputs(tmp_path / "in"), tmp_path / "out"
    assert cli("run", str(src), "--out", str(out), "--models", str(tiny_models)).returncode == 0
    found = json.loads(cli("search", str(out), "ports", "--json", "--lang", "en").stdout)
    assert [h["title"] for h in found] == ["Port reopens"]  # an English article, by stem
    assert set(found[0]) >= {"id", "title", "date", "source", "score", "snippet", "path"}
    assert Path(found[0]["path"]).is_file() and found[0]["path"].endswith(".html")
    assert json.loads(cli("search", str(out), "nothingatall", "--json").stdout) == []
    assert cli("run", str(src), "--out", str(out), "--models", str(tiny_models), "--force").returncode == 0
    again = json.loads(cli("search", str(out), "مكتبة", "--json", "--limit", "100").stdout)
    assert len(again) == N and len({h["id"] for h in again}) == N  # briefs made again: found once each
    text = cli("search", str(out), "المكتبة رقم 3")
    assert text.returncode == 0 and "[المكتبة]" in text.stdout and ".html" in text.stdout
    bad = cli("search", str(out), '"unclosed')
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert [x for x in bad.stderr.splitlines() if x.strip()] == [
        'error: the query cannot be read: an unclosed quote (") in the query']


def test_reindex_builds_the_index_of_a_folder_made_before_it(tiny_models, tmp_path):
    src, out = _inputs(tmp_path / "in"), tmp_path / "out"
    assert cli("run", str(src), "--out", str(out), "--models", str(tiny_models)).returncode == 0
    with sqlite3.connect(out / "state.sqlite") as db:  # what an older version's folder looks like
        db.execute("INSERT INTO search_index(search_index) VALUES ('delete-all')")
        db.execute("DELETE FROM search_docs")
        db.execute("DELETE FROM search_meta")
    assert _ids(out)[1] == set()
    found = json.loads(cli("search", str(out), "مكتبة", "--json").stdout)  # built once, before the first search
    assert len(found) == N
    again = cli("search", str(out), "--reindex")
    assert again.returncode == 0 and f"indexed {N + 1} briefs" in again.stderr
    listed, indexed, _ = _ids(out)
    assert listed == indexed
