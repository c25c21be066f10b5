"""A two-node Ray cluster on this machine's loopback (ray.cluster_utils.Cluster: a head and a worker
node, one CPU each, both on 127.0.0.1), driven from its own process so that it never meets the
session's local Ray.

    python -m tests.runs.raycluster INPUTS OUT_BOTH OUT_LOST MODELS TEMP

1. `summarizer run --executor ray` over INPUTS into OUT_BOTH, joining the cluster: the report says
   on which nodes the chunks ran.
2. The same into OUT_LOST; the worker node's actors (they alone have SUMMARIZER_HOLD_ONCE) hold their
   first chunk, and the worker node is removed while it holds it: that chunk must be sent again.
Prints one JSON line: the node ids and addresses, and both runs' exit codes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(inputs: str, out: str, models: str, address: str) -> list[str]:
    return [sys.executable, "-m", "summarizer", "run", inputs, "--out", out, "--models", models, "--executor", "ray",
            "--ray-address", address, "--actors", "2", "--window", "4", "--quiet"]


def main() -> None:
    inputs, out_both, out_lost, models, temp = sys.argv[1:6]
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # Ray keeps 127.0.0.1 (drivers inherit it): raystart
    os.environ["TMPDIR"] = temp  # Ray writes the cluster's address under TMPDIR/ray, not /tmp/ray
    os.makedirs(os.path.join(temp, "ray"), exist_ok=True)
    from ray.cluster_utils import Cluster

    hold = Path(temp) / "held"
    node_args = {"num_cpus": 1, "object_store_memory": 80 * 1024 * 1024, "include_dashboard": False,
                 "node_ip_address": "127.0.0.1"}
    cluster = Cluster(initialize_head=True, head_node_args={**node_args, "temp_dir": os.path.join(temp, "ray")})
    try:
        worker = cluster.add_node(**node_args, env_vars={"SUMMARIZER_HOLD_ONCE": f"actor:{hold}"})
        cluster.wait_for_nodes()
        address = cluster.address
        hold.write_text("not now")  # the first run is not held
        both = subprocess.run(_run(inputs, out_both, models, address), cwd=ROOT, capture_output=True, text=True,
                              timeout=600)
        hold.unlink()
        proc = subprocess.Popen(_run(inputs, out_lost, models, address), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        removed, deadline = False, time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            if not removed and hold.is_file():  # the worker node's actor is in the middle of a chunk
                cluster.remove_node(worker)  # the worker node is lost mid-chunk
                removed = True
            time.sleep(0.1)
        lost_rc = proc.wait(timeout=300)
        nodes = cluster.global_state.node_table()
        print(json.dumps({"head": cluster.head_node.node_id, "worker": worker.node_id, "both_rc": both.returncode,
                          "both_stderr": both.stderr[-2000:], "lost_rc": lost_rc, "removed": removed,
                          "lost_stderr": proc.stderr.read()[-2000:], "address": address,
                          "node_addresses": {n["NodeID"]: n["NodeManagerAddress"] for n in nodes}}), flush=True)
    finally:
        cluster.shutdown()


if __name__ == "__main__":
    main()
