"""--executor ray: the same briefs as a local run, the same guarantees (one writer, failures as rows,
an actor that dies is replaced, a killed driver resumes), on a session-scoped local Ray."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from summarizer import RunSettings, run_folder
from tests.helpers import ARTICLE_AR, IN_CI, ROOT, cli, log_lines, write
from tests.runs.test_run import briefs

if IN_CI:
    import ray  # CI installs the extra: a missing Ray is a failure there, not a skip
else:
    ray = pytest.importorskip("ray")

PERSIAN = "وزیر امور خارجه گفت که گفتگوها در پایتخت ادامه خواهد یافت و نتیجه آن به زودی اعلام می‌شود."
ENGLISH = "The council approved the new budget on Monday. The vote was close. Officials said work starts soon."


@pytest.fixture(scope="session")
def local_ray(tmp_path_factory):
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=120 * 1024 * 1024, log_to_driver=False,
             configure_logging=False, _temp_dir=str(tmp_path_factory.mktemp("ray")))
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


@pytest.fixture(scope="module")
def twenty(tmp_path_factory) -> Path:
    """20 inputs: Arabic articles, Persian (the multilingual model), English, a duplicate, bad files."""
    root = tmp_path_factory.mktemp("twenty")
    for k in range(14):
        write(root / f"ar{k:02d}.txt", f"خبر رقم {k} عن مشروع جديد في المدينة الشمالية.\n" + ARTICLE_AR +
              f"\nوقال المسؤول إن المرحلة {k + 2} تبدأ الشهر المقبل بكلفة {k * 3 + 1} ملايين.")
    write(root / "fa.txt", PERSIAN + "\n" + PERSIAN.replace("وزیر", "سخنگوی") + "\n" + PERSIAN[::-1][:60] + ".")
    write(root / "en.txt", ENGLISH)
    write(root / "dup.txt", (root / "ar03.txt").read_text(encoding="utf-8"))
    write(root / "empty.txt", "")
    write(root / "bad.json", "{not json")
    write(root / "binary.txt", bytes(range(256)) * 4)
    return root


def _run(inputs: Path, out: Path, models: Path, **kw):
    return run_folder(RunSettings(inputs=[str(inputs)], out=out, models=models, handle_signals=False, window=8, **kw))


def _counts(out: Path) -> dict:
    return json.loads((out / "run-report.json").read_text(encoding="utf-8"))["counts"]


def test_the_same_briefs_locally_and_on_ray(local_ray, twenty, tiny_models, tmp_path):
    local = _run(twenty, tmp_path / "local", tiny_models)
    on_ray = _run(twenty, tmp_path / "ray", tiny_models, executor="ray", actors=2)
    assert on_ray.counts == local.counts and local.counts == {"new": 16, "skipped": 1, "failed": 3}
    assert briefs(tmp_path / "ray") == briefs(tmp_path / "local")
    report = json.loads((tmp_path / "ray" / "run-report.json").read_text(encoding="utf-8"))
    assert report["models"]["tiny-marian-ar-en"]["calls"] > 0 and report["translation_memory"]["misses"] > 0
    again = _run(twenty, tmp_path / "ray", tiny_models, executor="ray")
    assert again.counts["new"] == 0 and again.counts["skipped"] == 17  # done ones are skipped on the driver


def test_an_actor_killed_during_a_batch_is_replaced(local_ray, twenty, tiny_models, tmp_path, monkeypatch):
    marker = tmp_path / "crashed"
    monkeypatch.setenv("SUMMARIZER_CRASH_ONCE", f"actor:{marker}")
    result = _run(twenty, tmp_path / "out", tiny_models, executor="ray", actors=2)
    assert marker.is_file()  # an actor did die mid-batch
    assert result.counts == {"new": 16, "skipped": 1, "failed": 3}
    lines = (tmp_path / "out" / "briefs.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 16 and len({json.loads(line)["id"] for line in lines}) == 16  # each article exactly once


def test_the_driver_killed_then_resumed_equals_an_uninterrupted_run(local_ray, twenty, tiny_models, tmp_path):
    reference = tmp_path / "reference"
    _run(twenty, reference, tiny_models)
    out = tmp_path / "out"
    args = ["run", str(twenty), "--out", str(out), "--models", str(tiny_models), "--executor", "ray",
            "--ray-address", local_ray, "--window", "4", "--quiet"]
    proc = subprocess.Popen([sys.executable, "-m", "summarizer", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        jsonl = out / "briefs.jsonl"
        if jsonl.is_file() and jsonl.read_text(encoding="utf-8").count("\n") >= 3:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.2)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    again = cli(*args)
    assert again.returncode == 1, again.stderr  # three bad inputs fail, as in any run
    assert briefs(out) == briefs(reference)


def test_without_the_extra_ray_is_one_line_and_exit_2(tiny_models, tmp_path):
    code = ("import sys; sys.modules['ray'] = None\n"
            "from summarizer.cli import main\n"
            f"sys.argv = ['summarizer', 'run', {str(ROOT / 'examples')!r}, '--out', {str(tmp_path / 'out')!r}, "
            f"'--models', {str(tiny_models)!r}, '--executor', 'ray']\n"
            "main()")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "\n".join(log_lines(proc.stderr.strip())) == "error: --executor ray needs Ray, an optional extra: pip install 'summarizer[ray]'"


def test_models_load_once_per_actor_however_many_windows(local_ray, twenty, tiny_models, tmp_path):
    """Actors live for the run: five windows, two actors, each loading its models once (the old way
    started new actors, loading every model again, for every window)."""
    result = run_folder(RunSettings(inputs=[str(twenty)], out=tmp_path / "out", models=tiny_models,
                                    handle_signals=False, window=4, executor="ray", actors=2))
    assert result.counts == {"new": 16, "skipped": 1, "failed": 3}
    executor = json.loads((tmp_path / "out" / "run-report.json").read_text(encoding="utf-8"))["executor"]
    loads = executor["model_loads_per_actor"]
    assert len(loads) == 2 and all(1 <= n <= 3 for n in loads.values()), executor  # marian, nllb (fa), bart
    assert sum(executor["chunks_per_node"].values()) >= 2 * 5  # drafts and summaries of five windows


def test_a_two_node_cluster_shares_the_work_and_survives_losing_a_node(twenty, tiny_models, tmp_path):
    """ray.cluster_utils.Cluster: a head and a worker node, one CPU each. The report counts the chunks
    each node ran (every result names the node of the actor that made it): both nodes worked, and
    the briefs equal a local run's. Then the worker node is removed mid-run: the run completes (its
    chunks go to the head's actor) or stops cleanly, and every finished brief is kept, once."""
    reference = tmp_path / "local"
    _run(twenty, reference, tiny_models)
    both, lost = tmp_path / "both", tmp_path / "lost"
    temp = tempfile.mkdtemp(prefix="rc", dir="/tmp")  # Ray's socket paths must stay under 108 bytes
    try:
        proc = subprocess.run([sys.executable, "-m", "tests.runs.raycluster", str(twenty), str(both), str(lost),
                               str(tiny_models), temp], cwd=ROOT, capture_output=True, text=True, timeout=900)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    facts = json.loads(proc.stdout.strip().splitlines()[-1])
    assert facts["both_rc"] == 1, facts["both_stderr"]  # three bad inputs fail, as in any run
    report = json.loads((both / "run-report.json").read_text(encoding="utf-8"))
    assert set(report["executor"]["chunks_per_node"]) == {facts["head"], facts["worker"]}
    assert briefs(both) == briefs(reference)
    assert facts["removed"] and facts["lost_rc"] in (1, 2), facts["lost_stderr"]
    kept = briefs(lost)  # valid lines, unique ids, every brief's files on disk
    assert kept and all(kept[k] == briefs(reference)[k] for k in kept)
    if facts["lost_rc"] == 1:
        assert len(kept) == 16  # it completed on the head node alone


@pytest.mark.skipif(not __import__("torch").cuda.is_available(), reason="no CUDA GPU on this machine: "
                    "--gpus-per-actor is shown where one is")
def test_gpu_actors_use_cuda(local_ray, twenty, tiny_models, tmp_path):
    result = _run(twenty, tmp_path / "out", tiny_models, executor="ray", actors=1, gpus_per_actor=0.5)
    assert result.counts["new"] == 16
    models = json.loads((tmp_path / "out" / "run-report.json").read_text(encoding="utf-8"))["models"]
    assert all(m["compute_type"] in ("int8_float16", "float16", "float32") for m in models.values())
