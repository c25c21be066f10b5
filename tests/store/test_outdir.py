"""The output folder: file names, atomic writes with the user's permissions, recovery of briefs.jsonl."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from summarizer.errors import ConfigError
from summarizer.store.outdir import JSONL, OutputDir
from tests.helpers import ROOT


def test_a_torn_jsonl_is_repaired(tmp_path):
    out = OutputDir(tmp_path)
    good = {"id": "a" * 16, "x": 1}
    (tmp_path / f"{'a' * 16}.json").write_text(json.dumps(good))
    lines = [json.dumps(good), json.dumps({"id": "b" * 16}), json.dumps(good), '{"id": "cccc']
    (tmp_path / JSONL).write_text("\n".join(lines))
    repairs = out.reconcile({"a" * 16})
    assert repairs.counts() == {"partial": 1, "duplicate": 1, "unfinished": 1, "resynced": 0, "restored": 0,
                                "lost": 0}
    assert (tmp_path / JSONL).read_text().splitlines() == [json.dumps(good)]


def test_a_done_brief_missing_from_the_jsonl_is_listed_again_or_redone(tmp_path):
    out = OutputDir(tmp_path)
    (tmp_path / f"{'a' * 16}.json").write_text(json.dumps({"id": "a" * 16}))
    repairs = out.reconcile({"a" * 16, "b" * 16})
    assert repairs.restored == 1 and repairs.lost == ["b" * 16]
    assert json.loads((tmp_path / JSONL).read_text())["id"] == "a" * 16


def test_out_naming_a_file_is_a_clear_error(tmp_path):
    target = tmp_path / "briefs"
    target.write_text("not a folder")
    with pytest.raises(ConfigError, match="existing file"):
        OutputDir(target)


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_outputs_get_the_permissions_of_any_file_the_user_creates(tmp_path, umask, mode):
    code = ("import os, sys; os.umask(int(sys.argv[2], 8)); from pathlib import Path\n"
            "from summarizer.store.atomic import atomic_write\nfrom summarizer.store.state import Store\n"
            "p = Path(sys.argv[1]); atomic_write(p / 'new.json', '{}'); atomic_write(p / 'old.json', '[]')\n"
            "s = Store(p / 'state.sqlite'); s.start_run({}); s.close()")
    (tmp_path / "old.json").write_text("x")
    subprocess.run([sys.executable, "-c", code, str(tmp_path), oct(umask)], check=True, cwd=ROOT)
    for name in ("new.json", "old.json", "state.sqlite", "state.sqlite-wal"):
        if name.endswith("-wal") and not (tmp_path / name).exists():
            continue  # checkpointed away on close
        assert oct((tmp_path / name).stat().st_mode & 0o777) == oct(mode), name
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_the_folder_is_synced_after_each_rename(tmp_path, monkeypatch):
    """A power cut keeps what a kill keeps: the file's data, then the rename, then its folder are synced."""
    from summarizer.store import atomic

    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", "folder" if os.path.isdir(f"/proc/self/fd/{fd}") else "file"))
        real_fsync(fd)

    def replace(src, dst) -> None:
        events.append(("rename", os.path.basename(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    monkeypatch.setattr(atomic.os, "replace", replace)
    atomic.atomic_write(tmp_path / "brief.json", "{}")
    assert events == [("fsync", "file"), ("rename", "brief.json"), ("fsync", "folder")]
