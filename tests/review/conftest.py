"""A folder of briefs made by a real run of the tiny models, and a review server over a copy of it."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import ARTICLE_AR, cli, write

STORIES = [
    ("port", "توسعة الرصيف الجنوبي في ميناء المدينة",
     "أعلنت سلطة الموانئ صباح اليوم بدء أعمال توسعة الرصيف الجنوبي في ميناء المدينة بكلفة تبلغ 120 مليون دينار."),
    ("rain", "أمطار غزيرة تغلق الطرق", "شهدت المدينة أمس أمطارا غزيرة تسببت في إغلاق عدد من الطرق الرئيسية وتأخر حركة السير."),
    ("school", "افتتاح عشر مدارس جديدة", "افتتحت وزارة التربية اليوم عشر مدارس جديدة في الأحياء الشرقية لاستيعاب الطلاب."),
]
SHARED_SENTENCE = "وقال المتحدث باسم البلدية إن العمل سيستمر حتى نهاية العام الجاري."


def articles(folder: Path, stories=STORIES) -> Path:
    for key, title, lead in stories:
        write(folder / f"{key}.txt", f"{title}\n\n{lead}\n{SHARED_SENTENCE}\n" + ARTICLE_AR)
    return folder


@pytest.fixture(scope="session")
def reviewed_source(tmp_path_factory, tiny_models) -> tuple[Path, Path]:
    """(inputs, output folder) of one real run; tests copy the folder before changing it."""
    root = tmp_path_factory.mktemp("review")
    src = articles(root / "in")
    out = root / "out"
    proc = cli("run", str(src), "--out", str(out), "--models", str(tiny_models))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return src, out


@pytest.fixture()
def folder(reviewed_source, tmp_path) -> Path:
    copy = tmp_path / "out"
    shutil.copytree(reviewed_source[1], copy)
    return copy


class Client:
    """JSON over HTTP to a running review server (urllib: a real client, no test transport)."""

    def __init__(self, server) -> None:
        self.server = server

    def __call__(self, method: str, path: str, body=None, headers=None, token: bool = True) -> tuple[int, dict]:
        sent = {"Content-Type": "application/json", **({"Authorization": f"Bearer {self.server.token}"} if token else {}),
                **(headers or {})}
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.server.base + path, method=method, data=data, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")


@pytest.fixture()
def server(folder):
    from summarizer.review.server import ReviewServer

    with ReviewServer(folder) as running:
        yield running


@pytest.fixture()
def api(server) -> Client:
    return Client(server)
