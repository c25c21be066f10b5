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
from summarizer.runs.raystart import is_loopback, node_addresses, start_local_ray
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
    """A local Ray for the session, started as a local run starts its own: on 127.0.0.1."""
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    start_local_ray(ray, num_cpus=2, include_dashboard=False, object_store_memory=120 * 1024 * 1024,
                    log_to_driver=False, configure_logging=False, _temp_dir=str(tmp_path_factory.mktemp("ray")))
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


def test_every_node_of_the_local_ray_is_on_loopback(local_ray):
    addresses = node_addresses(ray)
    assert addresses and all(is_loopback(a) for a in addresses.values()), addresses
    assert is_loopback(local_ray.rpartition(":")[0]), local_ray  # the GCS, which drivers join


# A run's own local Ray, in a process of its own where Ray has its defaults (no switch in the
# environment, the constant as Ray read it at import). ray.init is fenced: it refuses, before
# anything starts, a node that would not be on loopback (Ray's own rule: a node address asked
# for is kept only where it is not loopback, or where multi-node clusters are switched off).
OWN_RAY = r"""
import json, os, sys
os.environ.pop("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", None)
os.environ.setdefault("RAY_AUTH_MODE", "disabled")
import ray
from ray._private import ray_constants
from summarizer import RunSettings, run_folder
from summarizer.runs.raystart import is_loopback

start = ray.init

def fenced(*args, **kwargs):
    ip = kwargs.get("_node_ip_address")
    if kwargs.get("address") or not ip or not is_loopback(ip) or ray_constants.ENABLE_RAY_CLUSTER:
        sys.exit(f"fence: ray.init({kwargs}) would start a node off loopback (cluster switch "
                 f"{ray_constants.ENABLE_RAY_CLUSTER})")
    return start(*args, **kwargs)

ray.init = fenced
report = run_folder(RunSettings(inputs=[sys.argv[1]], out=sys.argv[2], models=sys.argv[3], handle_signals=False,
                                executor="ray", actors=1))
executor = json.loads((report.path).read_text(encoding="utf-8"))["executor"]
print(json.dumps({"counts": report.counts, "addresses": executor["node_addresses"],
                  "switch_after": os.environ.get("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER")}))
"""


def test_a_local_run_starts_its_own_ray_on_loopback(tiny_models, tmp_path):
    src = tmp_path / "in"
    write(src / "a.txt", ARTICLE_AR)
    env = {k: v for k, v in os.environ.items() if k != "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"}
    temp = tempfile.mkdtemp(prefix="ro", dir="/tmp")  # Ray's socket paths must stay under 108 bytes
    try:
        proc = subprocess.run([sys.executable, "-c", OWN_RAY, str(src), str(tmp_path / "out"), str(tiny_models)],
                              capture_output=True, text=True, cwd=ROOT, timeout=300, env={**env, "TMPDIR": temp})
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    facts = json.loads(proc.stdout.strip().splitlines()[-1])
    assert facts["counts"] == {"new": 1, "skipped": 0, "failed": 0}
    assert facts["addresses"] and all(is_loopback(a) for a in facts["addresses"].values()), facts
    assert facts["switch_after"] is None  # the run's process is left as it was


# Joining a cluster: ray.init is replaced by a recorder that stops the process, so nothing connects
# anywhere; what matters is what the executor asks for.
JOIN = r"""
import json, sys
import ray

def stop(*args, **kwargs):
    sys.exit(json.dumps({k: kwargs[k] for k in ("address", "_node_ip_address") if k in kwargs}))

ray.init = stop
from summarizer.runs.ray_exec import RayExecutor, RaySettings
from summarizer.runs.raywork import WorkerSpec

RayExecutor(RaySettings(address=sys.argv[1]), WorkerSpec(models="models.yaml"))
"""


@pytest.mark.parametrize("address", ["10.1.2.3:6379", "ray://head.example:10001", "auto"])
def test_joining_a_cluster_passes_its_address_as_given_and_no_node_address(address):
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    proc = subprocess.run([sys.executable, "-c", JOIN, address], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env=env)
    assert proc.returncode == 1 and json.loads(proc.stderr.strip().splitlines()[-1]) == {"address": address}


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
    """ray.cluster_utils.Cluster: a head and a worker node on 127.0.0.1, one CPU each. The report counts
    the chunks each node ran (every result names the node of the actor that made it): both nodes
    worked, and the briefs equal a local run's. Then the worker node is removed while its actor holds
    a chunk: the chunk is sent to the head's actor (the report counts the actor lost and the chunk
    resent), and every article is briefed once, as a local run briefs it."""
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
    assert is_loopback(facts["address"].rpartition(":")[0]), facts["address"]
    assert set(facts["node_addresses"]) == {facts["head"], facts["worker"]}
    assert all(is_loopback(a) for a in facts["node_addresses"].values()), facts["node_addresses"]
    assert facts["both_rc"] == 1, facts["both_stderr"]  # three bad inputs fail, as in any run
    executor = json.loads((both / "run-report.json").read_text(encoding="utf-8"))["executor"]
    assert set(executor["chunks_per_node"]) == {facts["head"], facts["worker"]}
    assert all(is_loopback(a) for a in executor["node_addresses"].values()), executor
    assert (executor["actors_lost"], executor["chunks_resent"]) == (0, 0)
    assert briefs(both) == briefs(reference)
    # the worker node was removed while its actor held a chunk: that chunk went to the head's actor
    assert facts["removed"] and facts["lost_rc"] == 1, facts["lost_stderr"]
    executor = json.loads((lost / "run-report.json").read_text(encoding="utf-8"))["executor"]
    assert executor["actors_lost"] >= 1 and executor["chunks_resent"] >= 1, executor
    assert briefs(lost) == briefs(reference)  # every article briefed, once, as a local run briefs it


@pytest.mark.skipif(not __import__("torch").cuda.is_available(), reason="no CUDA GPU on this machine: "
                    "--gpus-per-actor is shown where one is")
def test_gpu_actors_use_cuda(local_ray, twenty, tiny_models, tmp_path):
    result = _run(twenty, tmp_path / "out", tiny_models, executor="ray", actors=1, gpus_per_actor=0.5)
    assert result.counts["new"] == 16
    models = json.loads((tmp_path / "out" / "run-report.json").read_text(encoding="utf-8"))["models"]
    assert all(m["compute_type"] in ("int8_float16", "float16", "float32") for m in models.values())
