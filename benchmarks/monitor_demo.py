"""What a monitor sees of a cron job's folder, step by step (issue 30; docs/operations.md).

A kill -9 mid-run, a SIGINT, a broken input over four runs, a config error in between and a good run,
each with `--log-format json --metrics FILE`; after each step `summarizer status --json`. Checks, and
exits 1 when one fails: status's exit codes are the documented ones; every stderr line of every run
parses with json.loads and carries ts/level/run/event; `retry` never says "nothing to retry" while a
failure is unresolved; the broken input is given up after its third failed run and the fourth run exits
0; the metrics file parses with prometheus_client's text parser.

    python benchmarks/monitor_demo.py [--models models.yaml] [--articles 40] [--keep DIR]

Without --models the tiny test models are built in a temporary folder (no download).
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = [line for line in (ROOT / "summarizer" / "data" / "tiny_corpus.txt").read_text(encoding="utf-8")
             .split("[en]")[0].splitlines() if line and not line.startswith(("#", "["))]
CHECKS: list[tuple[str, bool]] = []


def check(what: str, ok: bool) -> None:
    CHECKS.append((what, ok))
    print(f"    [{'ok' if ok else 'FAILED'}] {what}")


def cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "summarizer", *args]


def json_lines(stderr: str, step: str) -> list[dict]:
    """Every line one JSON object with ts, level, run, event (a kill -9 may tear the last one)."""
    parsed, bad = [], 0
    for line in stderr.splitlines():
        try:
            record = json.loads(line)
            bad += not {"ts", "level", "run", "event"} <= set(record)
            parsed.append(record)
        except ValueError:
            bad += 1
    check(f"{step}: {len(parsed)} stderr lines, every one a JSON record", bad == 0 and bool(parsed))
    return parsed


def interrupted(args: list[str], how: signal.Signals) -> subprocess.CompletedProcess:
    """A run sent `how` after its first progress record."""
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    lines = []
    assert proc.stderr is not None
    for line in proc.stderr:
        lines.append(line)
        if '"event": "progress"' in line:
            proc.send_signal(how)
            break
    lines.append(proc.stderr.read())
    return subprocess.CompletedProcess(args, proc.wait(timeout=600), "", "".join(lines))


def status(out: Path, expect: int, step: str) -> dict:
    proc = subprocess.run(cmd("status", str(out), "--json"), capture_output=True, text=True, cwd=ROOT)
    data = json.loads(proc.stdout)
    last, c = data["last_attempt"] or {}, data["counts"]
    print(f"    status: exit {proc.returncode} {data['verdict']}: {data['message']}")
    print(f"            done {c['done']}, failed {c['failed']}, given up {c['given_up']}, pending {c['pending']}; "
          f"last attempt #{last.get('run_id')} {last.get('outcome')} exit {last.get('exit_code')}, "
          f"not reached {last.get('not_reached')}; last completed run "
          f"#{(data['last_completed_run'] or {}).get('run_id')}")
    check(f"{step}: status exits {expect} and --json says exit_code {expect}",
          proc.returncode == expect == data["exit_code"])
    return data


def metrics(path: Path, step: str) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    families = {f.name: f for f in text_string_to_metric_families(path.read_text(encoding="utf-8"))}
    check(f"{step}: the metrics file parses ({len(families)} metric families)", "summarizer_articles_done" in families)


def run(step: str, args: list[str], expect: int, prom: Path, how: signal.Signals | None = None) -> list[dict]:
    print(f"\n== {step}")
    proc = interrupted(args, how) if how else subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    print(f"    exit {proc.returncode}")
    check(f"{step}: exit code {expect}", proc.returncode == expect)
    records = json_lines(proc.stderr, step)
    if how != signal.SIGKILL:
        metrics(prom, step)
    for r in records:
        if r["event"] in ("summary", "fatal", "given_up"):
            print(f"    log: {json.dumps({k: r.get(k) for k in ('ts', 'level', 'run', 'event', 'message', 'new', 'failed', 'skipped', 'not_reached', 'given_up', 'reason') if k in r}, ensure_ascii=False)}")
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=Path)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    opts = parser.parse_args()
    work = opts.keep or Path(tempfile.mkdtemp(prefix="monitor-demo-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        models = opts.models
        if models is None:
            from summarizer.models.tiny import build_tiny_models

            models = build_tiny_models(work / "tiny")
        inbox, out, prom = work / "inbox", work / "out", work / "textfile" / "summarizer.prom"
        prom.parent.mkdir(parents=True, exist_ok=True)
        inbox.mkdir(exist_ok=True)
        for k in range(opts.articles):
            body = [SENTENCES[(k + j) % len(SENTENCES)] for j in range(6)]
            (inbox / f"a{k:03d}.txt").write_text(f"خبر رقم {k}\n" + "\n".join(body) + f"\nالعدد {k * 7}.\n",
                                                 encoding="utf-8")
        base = cmd("run", str(inbox), "--out", str(out), "--models", str(models), "--window", "2", "--log-every", "1",
                   "--log-format", "json", "--metrics", str(prom))
        retry = cmd("retry", str(out), "--log-format", "json", "--metrics", str(prom))

        run("1. kill -9 mid-run", base, -signal.SIGKILL, prom, signal.SIGKILL)
        status(out, 3, "1. kill -9")
        run("2. SIGINT mid-run", base, 130, prom, signal.SIGINT)
        data = status(out, 3, "2. SIGINT")
        check("2. SIGINT: status says how many inputs were not reached", (data["last_attempt"]["not_reached"] or 0) > 0)
        (inbox / "bad.json").write_text("{broken", encoding="utf-8")
        run("3. the rest, and a broken input (its 1st failed run)", base, 1, prom)
        status(out, 1, "3. broken input")
        config_error = [a if a != str(models) else str(work / "nonexistent.yaml") for a in base]
        run("4. a config error (models file missing)", config_error, 2, prom)
        data = status(out, 4, "4. config error")
        check("4. the last completed run is still shown", data["last_completed_run"] is not None)
        records = run("5. retry (the broken input's 2nd failed run)", retry, 1, prom)
        check("5. retry did not say 'nothing to retry'", not any("nothing to retry" in json.dumps(r) for r in records))
        status(out, 1, "5. retry")
        records = run("6. cron run (its 3rd failed run: given up)", base, 1, prom)
        check("6. the broken input is given up", any(r.get("given_up") for r in records if r["event"] == "summary"))
        status(out, 0, "6. given up")
        run("7. cron run (the 4th run): exits 0", base, 0, prom)
        data = status(out, 0, "7. good run")
        check("7. every article done, the broken input listed as given up",
              data["done"] == opts.articles and len(data["given_up"]) == 1)
        records = run("8. retry with nothing unresolved", retry, 0, prom)
        check("8. it names the given-up input instead of 'nothing to retry'",
              any(r["event"] == "nothing_to_retry" and r.get("given_up") == 1 for r in records))
        print(f"\nmetrics file {prom}:\n" + "".join(f"    {line}\n" for line in prom.read_text().splitlines()
                                                       if not line.startswith("#")))
    finally:
        if opts.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    failed = [what for what, ok in CHECKS if not ok]
    print(f"{len(CHECKS) - len(failed)} of {len(CHECKS)} checks passed" + (f"; FAILED: {failed}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
