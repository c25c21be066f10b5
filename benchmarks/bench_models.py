"""The benchmark's models and workload: random weights of the real shapes, real Arabic articles.

Models (built once into benchmarks/.cache; weights never leave this machine):
  base   opus-mt-ar-en shape (Marian d512, 6+6 layers, 8 heads, vocabulary 62,834) - the `fast` profile
  big    opus-mt-tc-big-ar-en shape (Marian d1024, 6+6 layers, 16 heads, FFN 4096) - the `default` profile
  bart   distilbart-cnn-12-6 shape (BART d1024, 12+6 layers, vocabulary 50,264) - both profiles
Each is saved as its hub repository is (models/tiny_hub.py: legacy pytorch_model.bin, no tokenizer.json
for the summariser, task settings in config.json), so the tool meets the files a user downloads.
Random weights would stop at random; their EOS logit is pushed to -1e4, so every output runs to the
limit the workload gives it, on every engine. The workload (one definition, every contender):
  translation  each sentence decodes exactly limit(n) tokens, n its source tokens:
               ceil(0.95 x n rounded up to 4) + 16 (about 1.2 x n for these sentences), beam 4
  summary      each article's translation summarised in one pass to exactly 142 tokens (the shipped
               maximum), beam 4, length penalty 2.0, no repeated 3-grams
Articles: real Arabic news from ../shared/real (the two pages, and Al-Masry Al-Youm items) with
10-22 sentences, so that every summary is one pass of at most 1,024 tokens for every contender.
"""

from __future__ import annotations

import json
import math
import random
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARIAN = {
    "base": dict(d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8,
                 decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048),
    "big": dict(d_model=1024, encoder_layers=6, decoder_layers=6, encoder_attention_heads=16,
                decoder_attention_heads=16, encoder_ffn_dim=4096, decoder_ffn_dim=4096),
    "quick": dict(d_model=128, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
                  decoder_attention_heads=4, encoder_ffn_dim=256, decoder_ffn_dim=256),
}
BART = {
    "full": dict(d_model=1024, encoder_layers=12, decoder_layers=6, encoder_attention_heads=16,
                 decoder_attention_heads=16, encoder_ffn_dim=4096, decoder_ffn_dim=4096),
    "quick": dict(d_model=128, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
                  decoder_attention_heads=4, encoder_ffn_dim=256, decoder_ffn_dim=256),
}
VOCAB = {"marian": 62834, "bart": 50264, "quick": 8000}
OUTPUT_RATIO, EXTRA, STEP = 0.95, 16, 4
SUMMARY_TOKENS = 142
SUMMARY_INPUT = 1024  # distilbart-cnn's input limit (max_input_tokens in models.yaml)
TRANSLATE_GEN = {"num_beams": 4}  # what models.yaml ships for opus-mt (the tool reads it from there)
SUMMARY_GEN = {"num_beams": 4, "length_penalty": 2.0, "no_repeat_ngram_size": 3}  # and for distilbart


def limit(n: int) -> int:
    """Tokens a translation of an n-token sentence decodes (the workload's rule)."""
    return math.ceil(OUTPUT_RATIO * math.ceil(n / STEP) * STEP) + EXTRA


def build(cache: Path, translator: str, quick: bool, real: Path | None = None) -> Path:
    """The models of one profile and their models.yaml (models are built once per shape)."""
    import yaml

    marian_dir = _build_marian(cache, "quick" if quick else translator, None if quick else real)
    bart_dir = _build_bart(cache, marian_dir, "quick" if quick else "full")
    shipped = yaml.safe_load((HERE.parent / "models.yaml").read_text(encoding="utf-8"))["models"]
    mt = shipped["opus-big-ar-en" if translator == "big" else "opus-ar-en"]
    summ = shipped["distilbart-cnn"]
    keep = ("max_input_tokens", "batch_tokens", "batch_size", "generation", "parallel")  # the tool as shipped
    registry = {
        "models": {
            "bench-translator": {"task": "translate", "path": str(marian_dir), "src": "ar", "tgt": "en",
                                 "output_ratio": OUTPUT_RATIO, **{k: mt[k] for k in keep if k in mt}},
            "bench-summarizer": {"task": "summarize", "path": str(bart_dir), "lang": "en",
                                 "summary_tokens": {"min": 56, "max": SUMMARY_TOKENS},
                                 **{k: summ[k] for k in keep if k in summ}},
        },
        "profiles": {"default": {"translate": {"ar": "bench-translator"}, "summarize": "bench-summarizer"}},
    }
    path = cache / f"models-{'quick' if quick else translator}.yaml"
    path.write_text(yaml.safe_dump(registry, sort_keys=False), encoding="utf-8")
    return path


def _build_marian(cache: Path, shape: str, real: Path | None) -> Path:
    from summarizer.models.tiny import build_marian, corpus
    from summarizer.models.tiny_hub import hub_marian

    folder = cache / f"marian-{shape}-hub"
    if not (folder / ".built").is_file():
        started = time.perf_counter()
        text, pieces = corpus(), 200
        if real is not None:  # real Arabic: sentences get about as many tokens as opus-mt's own pieces give
            text, pieces = {**text, "ar": _arabic_lines(real)}, 8000
        build_marian(folder, text, 512, MARIAN[shape], VOCAB["quick" if shape == "quick" else "marian"],
                     source_pieces=pieces)
        _bias(folder, _marian_allowed(folder))
        hub_marian(folder, 512)  # saved as opus-mt is on the hub: legacy checkpoint, configs of 2020
        (folder / ".built").write_text("ok\n", encoding="utf-8")
        print(f"built {folder.name} in {time.perf_counter() - started:.0f}s", flush=True)
    return folder


def _build_bart(cache: Path, marian_dir: Path, shape: str) -> Path:
    from summarizer.models.tiny import build_bart, corpus
    from summarizer.models.tiny_hub import hub_bart

    folder = cache / f"bart-{shape}-hub"
    if not (folder / ".built").is_file():
        started = time.perf_counter()
        # its BPE learns from text made of the translator's target pieces, so that the "English" it
        # reads tokenises about as densely as real English does
        build_bart(folder, {"en": corpus()["en"] + _soup(marian_dir)}, 1024, BART[shape],
                   VOCAB["quick" if shape == "quick" else "bart"], bpe_size=6000)
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        _bias(folder, {i for t, i in vocab.items() if not (t.startswith("Ġw") and t[2:].isdigit())} - {2})
        hub_bart(folder, 1024)  # as distilbart-cnn-12-6: no tokenizer.json, legacy flag and checkpoint
        (folder / ".built").write_text("ok\n", encoding="utf-8")
        print(f"built {folder.name} in {time.perf_counter() - started:.0f}s", flush=True)
    return folder


def _arabic_lines(real: Path) -> list[str]:
    """Arabic text to train the source pieces on: the real Al-Masry Al-Youm feed's articles."""
    from summarizer.ingest.feeds import read_feed

    feed = read_feed((real / "feeds" / "almasryalyoum-xx.xml").read_bytes())
    return [line for entry in feed.entries for line in entry.text.splitlines() if len(line.split()) > 3]


def _marian_allowed(folder: Path) -> set[int]:
    import sentencepiece as spm

    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    target = spm.SentencePieceProcessor(model_file=str(folder / "target.spm"))
    return {vocab[p] for p in (target.id_to_piece(i) for i in range(target.get_piece_size())) if p in vocab} - {0}


def _soup(marian_dir: Path, lines: int = 4000, seed: int = 3) -> list[str]:
    import sentencepiece as spm

    target = spm.SentencePieceProcessor(model_file=str(marian_dir / "target.spm"))
    rng = random.Random(seed)
    pieces = [target.id_to_piece(i) for i in range(target.get_piece_size())
              if not target.is_control(i) and not target.is_unknown(i)]
    return [target.decode_pieces([rng.choice(pieces) for _ in range(rng.randint(10, 40))]) for _ in range(lines)]


def _bias(folder: Path, allowed: set[int]) -> None:
    """final_logits_bias -1e4 on every token but `allowed`: real pieces only, and never EOS."""
    import torch
    from safetensors.torch import load_file, save_file

    path = folder / "model.safetensors"
    tensors = load_file(str(path))
    bias = tensors["final_logits_bias"]
    mask = torch.ones(bias.shape[-1], dtype=torch.bool)
    mask[sorted(i for i in allowed if i < bias.shape[-1])] = False
    bias[..., mask] = -1e4
    tensors["final_logits_bias"] = bias.contiguous()
    save_file(tensors, str(path), metadata={"format": "pt"})


def articles(real: Path | None, quick: bool, count: int, long: bool = False) -> list[list[str]]:
    """The workload's articles, as the tool segments them: paragraphs of sentences.

    `long`: about two in five of them (at least one) much longer, so that their translations exceed
    the summariser's 1,024-token input, spread through the corpus.
    """
    from summarizer import Pipeline, load_config
    from summarizer.ingest.inputs import iter_articles
    from summarizer.types import Article

    pipeline = Pipeline(load_config(), "default")
    wanted_long = max(1, round(count * 0.4)) if long else 0
    short: list[list[str]] = []
    longer: list[list[str]] = []
    if real is None:
        items = [Article(ref=f"synthetic{k}", text="\n".join(doc)) for k, doc in enumerate(_synthetic(count * 2))]
        items += [Article(ref=f"long{k}", text="\n".join(doc)) for k, doc in enumerate(_synthetic(wanted_long, 50))]
    else:
        sources = [str(p) for p in sorted((real / "html").glob("*.html"))] + [str(real / "feeds" /
                                                                               "almasryalyoum-xx.xml")]
        items = iter_articles(sources, max_bytes=5_000_000)
    for item in items:
        seg = pipeline.prepare(item) if isinstance(item, Article) else None
        if seg is None or not hasattr(seg, "sentences") or seg.language != "ar":
            continue
        sentences = [s.text for s in seg.sentences if s.translate]
        low, high = (9, 12) if real is None else (6, 9)
        if low <= len(sentences) <= high and len(short) < count - wanted_long:
            short.append(sentences)
        elif len(sentences) >= (45 if real is None else 18) and len(sentences) <= 60 and len(longer) < wanted_long:
            longer.append(sentences)
        if len(short) + len(longer) == count:
            break
    return _spread(short, longer)


def _spread(short: list[list[str]], longer: list[list[str]]) -> list[list[str]]:
    """The long articles spread evenly among the short ones (not all in one place)."""
    at = {int((k + 0.5) * len(short) / len(longer)): doc for k, doc in enumerate(longer)}
    docs = [d for k, doc in enumerate(short) for d in ([at[k]] if k in at else []) + [doc]]
    return docs + [doc for k, doc in at.items() if k >= len(short)]


def _synthetic(count: int, sentences: int = 0, seed: int = 7) -> list[list[str]]:
    """Arabic-like articles of corpus words (when ../shared/real is absent: quick smoke runs); `sentences`
    fixes the length (else 9 to 12)."""
    from summarizer.models.tiny import corpus

    words = [w.strip("،.؟!«»\"()") for line in corpus()["ar"] for w in line.split()]
    words = [w for w in words if w]
    rng = random.Random(seed + sentences)
    # long enough that every translation holds over 2 x 142 summariser tokens: the tool then asks
    # for the full 142-token summary, as the contenders do (shorter inputs get shorter summaries)
    return [[" ".join(rng.choice(words) for _ in range(rng.randint(12, 16))) + "."
             for _ in range(sentences or rng.randint(9, 12))] for _ in range(count)]


def write_inputs(folder: Path, docs: list[list[str]]) -> Path:
    """The articles as the tool reads them: JSON Lines with HTML bodies (so cleaning keeps every sentence)."""
    from html import escape

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "articles.jsonl"
    path.write_text("".join(json.dumps({"maintext": "".join(f"<p>{escape(s)}</p>" for s in doc)},
                                       ensure_ascii=False) + "\n" for doc in docs), encoding="utf-8")
    (folder / "sentences.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    return path
