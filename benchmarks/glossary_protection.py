"""Which glossary protection works: placeholders, or replacement after alignment?

    python benchmarks/glossary_protection.py [--models models.yaml ...]

For each translation model given (default: the tiny models, and the real-shape benchmark
models when benchmarks/.cache holds them), sentences containing glossary terms are translated
two ways:
  placeholder  the term is swapped for a code before translation ("ZXQ1" or "90417") and the
               code must come out verbatim, to be swapped for the rendering;
  alignment    the sentence is translated as it is, then the target tokens aligned with the
               term's source tokens are replaced by the rendering (summarizer/glossary.py).
It prints, per model, how many placeholders survived, and for the terms: how many the model
already rendered as the glossary says, how many alignment placed over the model's own rendering,
and how many had no aligned token and were inserted next to the nearest one.

What random-weight models can and cannot show: they never copy a code, so "placeholders 0/6"
holds by construction; and an unaligned term is always inserted, so "the rendering is in the
output" holds by construction too. The figures that say something are "placed by alignment"
against "inserted" (how often cross-attention pointed at the term at all) and that no term is
ever lost or duplicated. Judge placeholders against alignment on real weights
(`--models models.yaml` after `summarizer models fetch`).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

TERMS = [("العقبة", "Aqaba"), ("البحر الأحمر", "Red Sea"), ("وزارة المياه", "Ministry of Water"),
         ("الكاظمي", "al-Kadhimi"), ("بغداد", "Baghdad")]
SENTENCES = [
    "بدأت سلطة منطقة العقبة الاقتصادية أعمال توسعة رصيف الحاويات في الميناء الجنوبي.",
    "ويأتي المشروع في ظل ارتفاع حركة البضائع عبر البحر الأحمر خلال العام الماضي.",
    "أطلقت وزارة المياه خطة وطنية لترشيد الاستهلاك خلال أشهر الصيف.",
    "أعلن رئيس الوزراء الكاظمي نهاية المهام القتالية للتحالف الدولي.",
    "اتفقت بغداد وواشنطن على انسحاب القوات المقاتلة بحلول نهاية العام.",
    "قال مسؤول في وزارة المياه إن مخزون السدود في العقبة انخفض كثيرا.",
]
PLACEHOLDERS = ("ZXQ{k}", "9041{k}")


def measure(models_yaml: Path, name: str) -> dict:
    from summarizer import load_config
    from summarizer.models.registry import ModelRegistry
    from summarizer.steps.glossary import Glossary, Term
    from summarizer.steps.translate import Translator

    glossary = Glossary([Term(a, e) for a, e in TERMS])
    model = ModelRegistry(load_config(models_yaml)).get(name)
    translator = Translator(model)
    lang = "ar"
    result = {"model": name, "engine": model.engine.name, "sentences": len(SENTENCES)}
    for pattern in PLACEHOLDERS:
        swapped, codes = [], []
        for sentence in SENTENCES:
            hits = glossary.find(sentence)
            text, mine = sentence, []
            for k, hit in enumerate(reversed(hits)):
                code = pattern.format(k=k)
                text = text[:hit.start] + code + text[hit.end:]
                mine.append(code)
            swapped.append(text)
            codes.append(mine)
        outs = translator.translate(swapped, lang)
        kept = sum(all(o.text.count(c) == 1 for c in cs) for o, cs in zip(outs, codes))
        result[f"placeholder {pattern.format(k='N')}"] = f"{kept}/{len(SENTENCES)}"
    result.update(_alignment(glossary, model, translator, lang))
    return result


def _alignment(glossary, model, translator, lang: str) -> dict:
    """Term occurrences: already rendered by the model, placed by alignment, inserted, unplaced."""
    from summarizer.steps.glossary import place_term

    outs = translator.translate(SENTENCES, lang)
    prefix = translator.prefix_for(lang)
    counts = {"terms": 0, "already rendered": 0, "placed by alignment": 0, "inserted (no aligned token)": 0,
              "unplaced": 0}
    kept = 0
    for sentence, out in zip(SENTENCES, outs):
        text, hits = out.text, glossary.find(sentence)
        for hit in hits:
            counts["terms"] += 1
            if hit.term.en.lower() in text.lower():
                counts["already rendered"] += 1
                continue
            done = [h.term.en for h in hits if h is not hit and h.term.en in text]
            placed = place_term(model, sentence, text, hit, prefix, keep=done)
            if placed is None:
                counts["unplaced"] += 1
                continue
            text, how = placed
            counts["placed by alignment" if how == "placed" else "inserted (no aligned token)"] += 1
        kept += all(text.count(h.term.en) == 1 for h in hits)
    counts["sentences with every term exactly once"] = f"{kept}/{len(SENTENCES)}"
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, nargs="*", help="models.yaml files (translation models are tried)")
    args = parser.parse_args()
    targets: list[tuple[Path, str]] = []
    if args.models:
        from summarizer import load_config

        for path in args.models:
            targets += [(path, m.name) for m in load_config(path).models.values() if m.task == "translate"]
    else:
        from summarizer.models.tiny import build_tiny_models

        tiny = build_tiny_models(Path(tempfile.mkdtemp(prefix="glossary-tiny-")))
        targets += [(tiny, "tiny-marian-ar-en"), (tiny, "tiny-nllb")]
        for mode in ("quick", "full"):
            path = HERE / ".cache" / mode / "models.yaml"
            if path.is_file():
                targets.append((path, "bench-marian"))
    rows = [measure(path, name) for path, name in targets]
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
