"""Articles dated only in the Hijri calendar (tests/data/hijri: written for these tests in the
style of Saudi and Gulf outlets) run through the tiny models: `published` is the Gregorian date
hijridate gives, the Hijri is kept, the digest files them under the right day, and the outputs
show the Hijri in brackets. Both calendars that disagree raise a flag; a Hijri date translated
into another date raises the date check."""

from __future__ import annotations

import dataclasses
import json
import shutil

import jsonschema
from hijridate import Hijri

from summarizer.config import Config
from summarizer.desk.digests import write_all
from summarizer.pipeline import Pipeline
from summarizer.types import Article
from tests.helpers import DATA, cli, write

EXPECTED = {  # file: (Hijri y, m, d as the article prints it, the Gregorian the article prints or None)
    "riyadh-water.txt": ((1447, 6, 15), None),
    "jeddah-port.json": ((1447, 6, 20), None),
    "doha-book-fair.txt": ((1447, 6, 22), None),
    "kuwait-rain.json": ((1447, 6, 25), "2025-12-17"),
}


def test_hijri_dated_articles_get_hijridates_gregorian_day(tmp_path, tiny_models, brief_schema):
    inputs, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(DATA / "hijri", inputs)
    write(inputs / "mecca-wrong.json", json.dumps({  # the Gregorian printed beside the Hijri is 10 days off
        "title": "افتتاح طريق جديد", "date": "الاثنين 10 رجب 1447هـ الموافق 10 ديسمبر 2025م",
        "text": "افتتحت أمانة العاصمة المقدسة طريقا جديدا يربط الأحياء الشمالية بالمنطقة المركزية."},
        ensure_ascii=False))
    proc = cli("run", str(inputs), "--out", str(out), "--models", str(tiny_models), "--digest")
    assert proc.returncode == 0, proc.stderr[-2000:]
    briefs = {b["source"]["ref"].rsplit("/", 1)[-1]: b
              for b in map(json.loads, (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines())}
    assert len(briefs) == 5
    for name, (ymd, printed) in EXPECTED.items():
        brief = briefs[name]
        jsonschema.validate(brief, brief_schema)
        converted = Hijri(*ymd).to_gregorian().isoformat()
        assert brief["source"]["published"] == (printed or converted), name
        assert brief["source"]["published_hijri"] and str(ymd[0]) in brief["source"]["published_hijri"].translate(
            str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
        assert "hijri_date_mismatch" not in brief["checks"]["flags"]  # the Kuwaiti date is one day off: allowed
        page = (out / f"{brief['id']}.md").read_text(encoding="utf-8")
        assert f"{brief['source']['published']} ({ymd[2]} Jumada al-Akhirah 1447 AH)" in page
    wrong = briefs["mecca-wrong.json"]
    assert wrong["source"]["published"] == "2025-12-10" and "hijri_date_mismatch" in wrong["checks"]["flags"]
    digest = write_all(out, tmp_path / "all.md")
    days = {label: [b["source"]["ref"].rsplit("/", 1)[-1] for _, stories in inner for s in stories for b in s.briefs]
            for label, inner in digest.groups}
    for name, (ymd, printed) in EXPECTED.items():
        assert name in days[printed or Hijri(*ymd).to_gregorian().isoformat()]
    assert "Undated" not in days
    text = (tmp_path / "all.md").read_text(encoding="utf-8")
    assert "## 2025-12-06" in text and "2025-12-06 (15 Jumada al-Akhirah 1447 AH)" in text


ARTICLE = ["أعلنت الهيئة العامة للإحصاء نتائج التعداد السكاني الجديد في مؤتمر صحفي بالرياض.",
           "وقالت الهيئة إن التعداد أجري في 15 جمادى الآخرة 1447هـ في جميع المناطق.",
           "وأضافت أن النتائج التفصيلية ستنشر في شهر رمضان 1447هـ على موقعها."]


def _pipeline(tiny_config, scripted_registry, script):
    profiles = {**tiny_config.profiles,
                "default": dataclasses.replace(tiny_config.profile("default"), translate={"ar": "tiny-nllb"})}
    config = Config(models=tiny_config.models, profiles=profiles, source=tiny_config.source)
    registry = scripted_registry({"tiny-nllb": (script, "The authority announced the census results."),
                                  "tiny-bart": ({}, "The census results were announced.")})
    return Pipeline(config, "default", registry=registry)


def test_the_date_check_flags_a_hijri_date_translated_into_another(tiny_config, scripted_registry):
    right = {ARTICLE[1]: "The authority said the census was held on December 6, 2025 in all regions.",
             ARTICLE[2]: "It added that detailed results would be published in Ramadan 1447 on its website."}
    wrong = {ARTICLE[1]: "The authority said the census was held on 15 June 1447 in all regions.",
             ARTICLE[2]: "It added that detailed results would be published in Rajab 1447 on its website."}
    article = Article(ref="census", text="\n".join(ARTICLE), title="نتائج التعداد")
    [good] = list(_pipeline(tiny_config, scripted_registry, right).run([article]))
    assert good.checks["dates"] == [] and "dates_mismatch" not in good.checks["flags"]
    assert [n for n in good.checks["numbers"] if n["i"] in (1, 2)] == []  # a date given rightly: no number missing
    [bad] = list(_pipeline(tiny_config, scripted_registry, wrong).run([article]))
    assert bad.checks["dates"] == [{"i": 1, "missing": ["15 جمادى الآخرة 1447هـ"]},
                                   {"i": 2, "missing": ["رمضان 1447هـ"]}]
    assert "dates_mismatch" in bad.checks["flags"] and "numbers_mismatch" in bad.checks["flags"]
    assert [s["flags"].count("dates") for s in bad.to_dict()["sentences"]] == [0, 1, 1]
