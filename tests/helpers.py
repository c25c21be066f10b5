"""Shared constants, writers and test doubles for the suite (fixtures live in conftest.py)."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

from summarizer.models.engines.base import Generation, generate_each
from summarizer.models.registry import ModelRegistry
from summarizer.text.arabic import key_text

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _shared_dir() -> Path | None:
    """../shared of this checkout, or of the checkout this clone came from (CI clones elsewhere)."""
    candidates = []
    if os.environ.get("SUMMARIZER_SHARED"):
        candidates.append(Path(os.environ["SUMMARIZER_SHARED"]))
    candidates.append(ROOT.parent / "shared")
    try:
        origin = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
                                capture_output=True, text=True, timeout=5).stdout.strip()
        if origin and not origin.startswith(("http", "git@", "ssh:")):
            candidates.append(Path(origin).resolve().parent / "shared")
    except (OSError, subprocess.SubprocessError):
        pass
    return next((c for c in candidates if (c / "samples").is_dir()), None)


SHARED = _shared_dir()

ARTICLE_AR = (
    "افتتحت البلدية صباح اليوم حديقة عامة جديدة في الحي الشمالي بمساحة 12 ألف متر مربع.\n"
    "وقال رئيس البلدية إن الحديقة تضم ملاعب للأطفال ومسارا للدراجات، وإنها ستفتح أبوابها يوميا حتى منتصف الليل.\n"
    "وأضاف أن المشروع كلف 3.5 مليون دينار، وأن العمل بدأ قبل عامين؛ لكنه تأخر بسبب الأمطار.\n"
    "هل ستكفي الحديقة سكان الحي؟ يقول السكان إنهم ينتظرون مشاريع أخرى.\n"
)


def write(path: Path, data: str | bytes) -> Path:
    """Write a test input file (folders created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def cli(*args: str, env: dict | None = None, timeout: float = 300, stdin: str | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `python -m summarizer ARGS` as a user would, in its own process."""
    return subprocess.run([sys.executable, "-m", "summarizer", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, cwd=cwd or ROOT, input=stdin)


TIMESTAMP_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z ")


def log_lines(stderr: str) -> list[str]:
    """stderr's lines without the UTC time a run's text log puts in front when stderr is not a terminal."""
    return [TIMESTAMP_RE.sub("", line, count=1) for line in stderr.splitlines()]


def last_attempt(out: Path) -> dict:
    """The header of the folder's last attempt, from OUT/run-history.jsonl (an attempt that failed before
    starting is there, and leaves run-report.json to the last run that started)."""
    import json

    return json.loads((Path(out) / "run-history.jsonl").read_text(encoding="utf-8").splitlines()[-1])


def _letters(text: str) -> str:
    return re.sub(r"[^\u0621-\u064a]", "", key_text(text))[:14]


class ScriptedEngine:
    """A tiny model's tokenizer and alignment, with chosen outputs (to test the check logic).

    Args:
        model: the real tiny LoadedModel whose tokenizer and alignment are used.
        script: source sentence -> output text (matched on its Arabic letters).
        default: output for any other input.
    """

    def __init__(self, model, script: dict[str, str], default: str) -> None:
        self.model, self.script, self.default = model, {_letters(k): v for k, v in script.items()}, default
        self.name, self.compute_type, self.settings = "torch", "float32", model.engine.settings
        self.retries = 0
        self.stats = model.engine.stats

    def generate(self, batch, *, max_new_tokens, min_new_tokens=0, prefix=(), settings=None):
        tok = self.model.tokenizer
        kwargs = {"use_source_tokenizer": True} if "Marian" in type(tok).__name__ else {}
        if settings is not None and settings != self.settings:
            self.retries += len(batch)
        out = []
        for ids in batch:
            text = self.script.get(_letters(tok.decode(ids, skip_special_tokens=True, **kwargs)), self.default)
            target = tok(text_target=text, add_special_tokens=False)["input_ids"]
            out.append(Generation(ids=tuple(target), score=-0.4, hit_limit=False))
        return out

    def align(self, source, target, prefix=()):
        return self.model.engine.align(source, target, prefix)

    def generate_many(self, jobs, prefix=(), settings=None):
        return generate_each(self, jobs, prefix, settings)


class ScriptedRegistry(ModelRegistry):
    """A registry whose named models answer from scripts (the others are the real tiny models)."""

    def __init__(self, real: ModelRegistry, scripts: dict[str, tuple[dict[str, str], str]]) -> None:
        super().__init__(real.config, engine=real.engine)
        self.real, self.scripts, self._made = real, scripts, {}

    def get(self, name):
        if name not in self._made:
            model = self.real.get(name)
            if name in self.scripts:
                model = dataclasses.replace(model, engine=ScriptedEngine(model, *self.scripts[name]))
            self._made[name] = model
        return self._made[name]

    def loaded(self):
        return dict(self._made)


class RecordingEngine:
    """A real engine, with every generate call recorded: (inputs, max_new_tokens, min_new_tokens)."""

    def __init__(self, engine) -> None:
        self.engine, self.calls = engine, []
        self.name, self.compute_type, self.settings, self.stats = (engine.name, engine.compute_type, engine.settings,
                                                                   engine.stats)

    def generate(self, batch, *, max_new_tokens, min_new_tokens=0, prefix=(), settings=None):
        self.calls.append(([tuple(x) for x in batch], max_new_tokens, min_new_tokens))
        return self.engine.generate(batch, max_new_tokens=max_new_tokens, min_new_tokens=min_new_tokens,
                                    prefix=prefix, settings=settings)

    def align(self, source, target, prefix=()):
        return self.engine.align(source, target, prefix)

    def generate_many(self, jobs, prefix=(), settings=None):
        return generate_each(self, jobs, prefix, settings)


class RecordingRegistry(ModelRegistry):
    """A registry whose models' engines record their calls (see RecordingEngine)."""

    def __init__(self, real: ModelRegistry) -> None:
        super().__init__(real.config, engine=real.engine)
        self.real, self._made = real, {}

    def get(self, name):
        if name not in self._made:
            model = self.real.get(name)
            self._made[name] = dataclasses.replace(model, engine=RecordingEngine(model.engine))
        return self._made[name]

    def loaded(self):
        return dict(self._made)


class FunctionEngine:
    """A tiny model's tokenizer with outputs chosen by a function of the decoded input text."""

    def __init__(self, model, respond) -> None:
        self.model, self.respond = model, respond
        self.name, self.compute_type, self.settings, self.stats = "torch", "float32", model.engine.settings, \
            model.engine.stats

    def generate(self, batch, *, max_new_tokens, min_new_tokens=0, prefix=(), settings=None):
        tok = self.model.tokenizer
        out = []
        for ids in batch:
            target = tok(text_target=self.respond(tok.decode(ids, skip_special_tokens=True)),
                         add_special_tokens=False)["input_ids"]
            out.append(Generation(ids=tuple(target[:max_new_tokens]), score=-0.4,
                                  hit_limit=len(target) >= max_new_tokens))
        return out

    def generate_many(self, jobs, prefix=(), settings=None):
        return generate_each(self, jobs, prefix, settings)
