"""Ingest: formats, folders, stdin, and every kind of bad input as a per-item error."""

from __future__ import annotations

import gzip
import io
import json

import pytest

from summarizer.errors import InputError
from summarizer.ingest.encoding import decode_bytes
from summarizer.ingest.inputs import iter_articles
from summarizer.types import Article, Failure
from tests.helpers import ARTICLE_AR, write


def _all(*inputs, **kw):
    return list(iter_articles([str(i) for i in inputs], **kw))


def test_txt_json_jsonl_and_folders(tmp_path):
    write(tmp_path / "in" / "a.txt", ARTICLE_AR)
    write(tmp_path / "in" / "sub" / "b.json", json.dumps({"title": "ع", "maintext": ARTICLE_AR, "date_publish":
                                                          "2021-12-29", "url": "u", "source_domain": "s",
                                                          "language": "ar", "section": "x", "tags": [1]}))
    write(tmp_path / "in" / "sub" / "c.jsonl", "\n".join(json.dumps({"text": ARTICLE_AR + str(k)}) for k in range(3)))
    items = _all(tmp_path / "in")
    assert [type(i) for i in items] == [Article] * 5
    b = items[1]
    assert (b.title, b.published_raw, b.url, b.site, b.language, b.format) == ("ع", "2021-12-29", "u", "s", "ar", "json")
    assert b.meta == {"section": "x", "tags": [1]}  # unknown fields kept as metadata
    assert [i.ref.rsplit(":", 1)[-1] for i in items[2:]] == ["1", "2", "3"]


def test_json_array(tmp_path):
    path = write(tmp_path / "a.json", json.dumps([{"maintext": ARTICLE_AR}, {"title": "no text"}]))
    a, b = _all(path)
    assert isinstance(a, Article) and a.ref.endswith("#1")
    assert isinstance(b, Failure) and "no text field" in b.error and b.ref.endswith("#2")


@pytest.mark.parametrize("name, data, words", [
    ("empty.txt", b"", "empty input"),
    ("blank.txt", b"  \n\n \t", "empty input"),
    ("binary.txt", bytes(range(256)) * 20, "binary"),
    ("bad.json", b'{"maintext": "x",,}', "not valid JSON"),
    ("notext.json", json.dumps({"title": "t", "url": "u"}).encode(), "no text field"),
    ("emptytext.json", json.dumps({"maintext": "   "}).encode(), "text field is empty"),
    ("number.json", b"42", "expected a JSON object"),
    ("latin1.txt", "Ça coûte très cher à Genève".encode("latin-1") + b"\x81\x8d\x8f\x90\x9d", "encoding"),
])
def test_bad_inputs_are_per_item_failures(tmp_path, name, data, words):
    path = write(tmp_path / name, data)
    [item] = _all(path)
    assert isinstance(item, Failure), item
    assert words in item.error and item.stage == "ingest" and item.ref == str(path)


def test_jsonl_errors_name_the_line(tmp_path):
    lines = [json.dumps({"maintext": ARTICLE_AR}), "{broken", json.dumps({"title": "x"}), "", json.dumps([1])]
    path = write(tmp_path / "a.jsonl", "\n".join(lines))
    items = _all(path)
    assert [type(i).__name__ for i in items] == ["Article", "Failure", "Failure", "Failure"]
    assert items[1].error.startswith("line 2: not valid JSON") and items[1].ref.endswith(":2")
    assert items[2].error.startswith("line 3: no text field")
    assert items[3].ref.endswith(":5")


def test_batch_goes_on_after_bad_files(tmp_path):
    write(tmp_path / "1.txt", b"")
    write(tmp_path / "2.txt", ARTICLE_AR)
    write(tmp_path / "3.bin", b"\x00\x01")
    items = _all(tmp_path, tmp_path / "missing.txt")
    assert [type(i).__name__ for i in items] == ["Failure", "Article", "Failure", "Failure"]
    assert items[2].status == "skipped" and "unsupported file type" in items[2].error
    assert items[3].error == "no such file or folder"


def test_encodings_are_detected(tmp_path):
    for enc in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1256"):
        path = write(tmp_path / f"{enc}.txt", ARTICLE_AR.encode(enc))
        [item] = _all(path)
        assert isinstance(item, Article), (enc, item)
        assert item.text.strip() == ARTICLE_AR.strip(), enc


def test_decode_refuses_mojibake():
    with pytest.raises(InputError):
        decode_bytes(b"\x00\x9f\x92\x96" * 100)


def test_size_cap(tmp_path):
    big = write(tmp_path / "big.txt", ("أ" * 99 + "\n") * 10_000)  # ~2 MB of Arabic
    [item] = _all(big)
    assert isinstance(item, Article) and len(item.text.encode()) > 1_900_000
    [item] = _all(big, max_bytes=1_000_000)
    assert isinstance(item, Failure) and "1 MB size cap" in item.error and "--max-bytes" in item.error


def test_gzip_and_stdin(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress((json.dumps({"maintext": ARTICLE_AR}) + "\n").encode()))
    [item] = _all(path)
    assert isinstance(item, Article) and item.format == "jsonl"
    [item] = list(iter_articles(["-"], stdin=io.BytesIO(ARTICLE_AR.encode("utf-16"))))
    assert isinstance(item, Article) and item.ref == "-"
    [item] = list(iter_articles(["-"], stdin=io.BytesIO(json.dumps({"text": ARTICLE_AR}).encode())))
    assert isinstance(item, Article) and item.format == "json"
