"""Speed benchmark: the tool's pipeline against a hand-written transformers baseline, in one run.

    python benchmarks/bench.py            # real shapes (opus-mt-ar-en Marian, distilbart-cnn-12-6 BART)
    python benchmarks/bench.py --quick    # small shapes, under 2 minutes (CI smoke)

Random-weight models of the real shapes are built once into benchmarks/.cache (weights never
leave this machine; outputs are gibberish, only speed is measured). The same generated
Arabic-like articles go through:
  A  baseline: transformers fp32, one generate() per article with that article's sentences as
     the batch, then one summary generate() per article, beam settings from models.yaml;
  B  the tool's Pipeline with its defaults (engine auto = CTranslate2 int8 on CPU);
  C  engine ceiling: raw CTranslate2 translate_batch on the same pre-tokenized sentences,
     length-sorted, no pipeline around it.
Each runs in its own process (its peak RSS is its own). Random weights never emit EOS, so
every output runs to its length limit; A, B and C use the same limits (translation: input
tokens x 1.0 + 16; summary: 56..80 tokens), so they do the same work and the ratios compare
engines and batching, not output lengths.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

SHAPES = {
    "full": {
        "marian": dict(shape=dict(d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8,
                                  decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048),
                       vocab_size=62834, max_len=512),
        "bart": dict(shape=dict(d_model=1024, encoder_layers=12, decoder_layers=6, encoder_attention_heads=16,
                                decoder_attention_heads=16, encoder_ffn_dim=4096, decoder_ffn_dim=4096),
                     vocab_size=50264, max_len=1024),
        "articles": 24, "sentences": (16, 24), "words": (8, 14),
    },
    "quick": {
        "marian": dict(shape=dict(d_model=128, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
                                  decoder_attention_heads=4, encoder_ffn_dim=256, decoder_ffn_dim=256),
                       vocab_size=8000, max_len=256),
        "bart": dict(shape=dict(d_model=128, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
                                decoder_attention_heads=4, encoder_ffn_dim=256, decoder_ffn_dim=256),
                     vocab_size=8000, max_len=512),
        "articles": 6, "sentences": (8, 12), "words": (8, 14),
    },
}
SUMMARY_TOKENS = {"min": 56, "max": 80}


def _real(name: str) -> dict:
    """A model entry of the repository's models.yaml: the benchmark uses its settings."""
    import yaml

    return yaml.safe_load((HERE.parent / "models.yaml").read_text(encoding="utf-8"))["models"][name]


TRANSLATE_REAL, SUMMARY_REAL = _real("opus-ar-en"), _real("distilbart-cnn")
TRANSLATE_GEN, SUMMARY_GEN = TRANSLATE_REAL["generation"], SUMMARY_REAL["generation"]


def budget(n: int) -> int:
    """Output tokens for an n-token sentence: the tool's rule with the benchmark's output_ratio."""
    from summarizer.steps.translate import output_budget

    return output_budget(n, 0.75, 10_000)


def rss_mb() -> float:
    """Peak resident memory of this process, in MB (VmHWM: unlike ru_maxrss, it does not carry
    the parent's size over fork and exec)."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- build --------------------------------------------------------------------------------
def build(mode: str, cache: Path) -> Path:
    """Random-weight models of the mode's shapes, their models.yaml, and their CT2 conversions."""
    import yaml

    root = cache / mode
    yaml_path = root / "models.yaml"
    shapes = SHAPES[mode]
    if not (root / ".built").is_file():
        build_models(root, shapes)
    registry = {
        "models": {
            "bench-marian": {"task": "translate", "path": "marian", "src": "ar", "tgt": "en",
                             "max_input_tokens": shapes["marian"]["max_len"], "output_ratio": 0.75,
                             "generation": TRANSLATE_GEN, "batch_tokens": TRANSLATE_REAL["batch_tokens"]},
            "bench-bart": {"task": "summarize", "path": "bart", "lang": "en",
                           "max_input_tokens": shapes["bart"]["max_len"], "batch_size": SUMMARY_REAL["batch_size"],
                           "generation": SUMMARY_GEN, "summary_tokens": SUMMARY_TOKENS},
        },
        "profiles": {"default": {"translate": {"ar": "bench-marian"}, "summarize": "bench-bart"}},
    }
    yaml_path.write_text(yaml.safe_dump(registry, sort_keys=False), encoding="utf-8")
    return yaml_path


def build_models(root: Path, shapes: dict) -> None:
    """Write the random-weight models once."""
    from summarizer.models.tiny import build_bart, build_marian, corpus

    text = corpus()
    started = time.perf_counter()
    build_marian(root / "marian", text, shapes["marian"]["max_len"], shapes["marian"]["shape"],
                 shapes["marian"]["vocab_size"])
    # The summariser reads the translator's output: train its BPE on text made of the
    # translator's target pieces, so that "English" tokenises about as densely as real English.
    soup = marian_soup(root / "marian")
    build_bart(root / "bart", {"en": text["en"] + soup}, shapes["bart"]["max_len"], shapes["bart"]["shape"],
               shapes["bart"]["vocab_size"], bpe_size=6000)
    suppress_fillers(root)
    (root / ".built").write_text("ok\n", encoding="utf-8")
    print(f"built models in {root} in {time.perf_counter() - started:.0f}s", flush=True)


def marian_soup(folder: Path, lines: int = 4000, seed: int = 3) -> list[str]:
    """Lines of random target pieces of the benchmark translator, decoded as it decodes them."""
    import sentencepiece as spm

    target = spm.SentencePieceProcessor(model_file=str(folder / "target.spm"))
    rng = random.Random(seed)
    pieces = [target.id_to_piece(i) for i in range(target.get_piece_size()) if not target.is_control(i)
              and not target.is_unknown(i)]
    return [target.decode_pieces([rng.choice(pieces) for _ in range(rng.randint(10, 40))]) for _ in range(lines)]


def suppress_fillers(root: Path) -> None:
    """Keep the random models on real pieces of their tokenizers.

    The vocabularies are padded with filler tokens to the real sizes; a random model would
    emit those, and their text re-tokenises into several pieces each, so translations would
    come out three times longer in the summariser's tokens than real English. A -1e4
    final_logits_bias on every filler (and, for Marian, on source-only pieces) keeps outputs
    to real target pieces, so lengths in tokens behave like real text on every engine.
    """
    import sentencepiece as spm
    import torch
    from safetensors.torch import load_file, save_file

    marian = json.loads((root / "marian" / "vocab.json").read_text(encoding="utf-8"))
    target = spm.SentencePieceProcessor(model_file=str(root / "marian" / "target.spm"))
    allowed_mt = {marian[target.id_to_piece(i)] for i in range(target.get_piece_size())
                  if target.id_to_piece(i) in marian} | {0}
    bart = json.loads((root / "bart" / "vocab.json").read_text(encoding="utf-8"))
    allowed_sum = {i for tok, i in bart.items() if not tok.startswith("Ġw") or not tok[2:].isdigit()}
    for name, allowed in (("marian", allowed_mt), ("bart", allowed_sum)):
        path = root / name / "model.safetensors"
        tensors = load_file(str(path))
        bias = tensors["final_logits_bias"]
        mask = torch.ones(bias.shape[-1], dtype=torch.bool)
        mask[sorted(i for i in allowed if i < bias.shape[-1])] = False
        bias[..., mask] = -1e4
        tensors["final_logits_bias"] = bias.contiguous()
        save_file(tensors, str(path), metadata={"format": "pt"})


def convert_ahead(yaml_path: Path) -> None:
    """Convert both models to CTranslate2 now, so that no timed run pays for it."""
    from summarizer import load_config
    from summarizer.models import hub
    from summarizer.models.engines.convert import convert

    config = load_config(yaml_path)
    for spec in config.models.values():
        convert(spec, spec.path, hub.resolved_revision(spec, spec.path), "int8")
        convert(spec, spec.path, hub.resolved_revision(spec, spec.path), "float32")


def make_articles(mode: str, count: int, seed: int = 7) -> list[str]:
    """Arabic-like articles: sentences of corpus words, paragraphs of 3-5 sentences."""
    from summarizer.models.tiny import corpus

    shapes = SHAPES[mode]
    words = [w.strip("،.؟!«»\"()") for line in corpus()["ar"][:-3] for w in line.split()]
    words = [w for w in words if w]
    rng = random.Random(seed)
    articles = []
    for _ in range(count):
        sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(*shapes["words"]))) + "."
                     for _ in range(rng.randint(*shapes["sentences"]))]
        paragraphs, k = [], 0
        while k < len(sentences):
            step = rng.randint(3, 5)
            paragraphs.append(" ".join(sentences[k:k + step]))
            k += step
        articles.append("\n".join(paragraphs))
    return articles


# -- the three contenders (each in its own process) -----------------------------------------
def run_baseline(yaml_path: Path, articles: list[str]) -> dict:
    """A: what a user writes on transformers 5 without this tool."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from summarizer import load_config
    from summarizer.steps.segment import split_sentences

    torch.set_num_threads(os.cpu_count() or 1)
    config = load_config(yaml_path)
    mt_dir, sum_dir = config.model("bench-marian").path, config.model("bench-bart").path
    sum_limit = config.model("bench-bart").max_input_tokens
    tok = AutoTokenizer.from_pretrained(mt_dir)
    mt = AutoModelForSeq2SeqLM.from_pretrained(mt_dir).eval()
    stok = AutoTokenizer.from_pretrained(sum_dir)
    summ = AutoModelForSeq2SeqLM.from_pretrained(sum_dir).eval()
    t_translate = t_summary = 0.0
    work = 0
    started = time.perf_counter()
    with torch.inference_mode():
        for text in articles:
            sentences = [s for line in text.splitlines() for s in split_sentences(line)]
            t0 = time.perf_counter()
            batch = tok(sentences, return_tensors="pt", padding=True, truncation=True)
            lengths = batch["attention_mask"].sum(dim=1).tolist()
            out = mt.generate(**batch, num_beams=TRANSLATE_GEN["num_beams"],
                              max_new_tokens=max(budget(n) for n in lengths), forced_eos_token_id=None)
            english = tok.batch_decode(out, skip_special_tokens=True)
            t_translate += time.perf_counter() - t0
            work += sum(n + budget(n) for n in lengths)
            t0 = time.perf_counter()
            sbatch = stok(" ".join(english), return_tensors="pt", truncation=True, max_length=sum_limit)
            summ.generate(**sbatch, **SUMMARY_GEN, min_new_tokens=SUMMARY_TOKENS["min"],
                          max_new_tokens=SUMMARY_TOKENS["max"], forced_eos_token_id=None)
            t_summary += time.perf_counter() - t0
    return {"wall_s": time.perf_counter() - started, "translate_s": t_translate, "summary_s": t_summary,
            "translation_tokens": work, "articles": len(articles), "peak_rss_mb": rss_mb()}


def run_tool(yaml_path: Path, articles: list[str], retry: bool = False) -> dict:
    """B: the tool's Pipeline with its defaults, except (B) the retry of looping translations.

    Random weights make every translation a loop, so the default retry would translate every
    sentence twice, a case real models almost never produce. "B" measures the machinery with
    that retry off; "B_defaults" measures the defaults as shipped (the worst case).
    """
    from summarizer import Article, Pipeline, PipelineOptions, load_config

    pipeline = Pipeline(load_config(yaml_path), "default", options=PipelineOptions(retry_degenerate=retry))
    pipeline.registry.get("bench-marian")  # load both models before the clock starts, as A does
    pipeline.registry.get("bench-bart")
    started = time.perf_counter()
    briefs = list(pipeline.run(Article(ref=f"a{k}", text=t) for k, t in enumerate(articles)))
    wall = time.perf_counter() - started
    failed = [b for b in briefs if not b.ok]
    if failed:
        raise SystemExit(f"pipeline failed: {failed[0].error}")
    mt = pipeline.registry.get("bench-marian")
    work = 0
    for brief in briefs:
        for s in brief.sentences:
            n = len(mt.tokenizer(s.ar)["input_ids"])
            work += n + budget(n)
    return {"wall_s": wall, "translate_s": sum(b.timings_ms["translate"] for b in briefs) / 1000,
            "summary_s": sum(b.timings_ms["summarize"] for b in briefs) / 1000, "translation_tokens": work,
            "articles": len(briefs), "peak_rss_mb": rss_mb(),
            "engines": {name: m.info() for name, m in pipeline.registry.loaded().items()},
            "map_reduce_articles": sum("map_reduce" in b.checks["flags"] for b in briefs),
            "degenerate_sentences": sum(len(b.checks["degenerate"]) for b in briefs),
            "retried_sentences": pipeline.memory_stats.retries}


def run_ceiling(yaml_path: Path, articles: list[str]) -> dict:
    """C: raw CTranslate2 on the same pre-tokenized sentences, length-sorted, token-budget batches."""
    import ctranslate2
    from transformers import AutoTokenizer

    from summarizer import load_config
    from summarizer.models import hub
    from summarizer.models.batching import plan_batches
    from summarizer.models.engines.convert import convert
    from summarizer.steps.segment import split_sentences

    spec = load_config(yaml_path).model("bench-marian")
    ct2_dir = convert(spec, spec.path, hub.resolved_revision(spec, spec.path), "int8")
    tok = AutoTokenizer.from_pretrained(spec.path)
    translator = ctranslate2.Translator(str(ct2_dir), device="cpu", compute_type="int8", inter_threads=1,
                                        intra_threads=os.cpu_count() or 1)
    sentences = [s for text in articles for line in text.splitlines() for s in split_sentences(line)]
    tokens = [tok.convert_ids_to_tokens(ids) for ids in tok(sentences)["input_ids"]]
    lengths = [len(t) for t in tokens]
    started = time.perf_counter()
    for batch in plan_batches(lengths, spec.batch_tokens, spec.batch_size):
        translator.translate_batch([tokens[i] for i in batch], beam_size=TRANSLATE_GEN["num_beams"],
                                   max_decoding_length=max(budget(lengths[i]) for i in batch))
    elapsed = time.perf_counter() - started
    return {"translate_s": elapsed, "translation_tokens": sum(n + budget(n) for n in lengths),
            "sentences": len(sentences), "peak_rss_mb": rss_mb()}


CHILDREN = {"A": run_baseline, "B": run_tool, "C": run_ceiling,
            "B_defaults": lambda path, articles: run_tool(path, articles, retry=True)}


def child(which: str, yaml_path: Path, mode: str, count: int) -> None:
    result = CHILDREN[which](yaml_path, make_articles(mode, count))
    print("RESULT " + json.dumps(result), flush=True)


def run_child(which: str, yaml_path: Path, mode: str, count: int, env: dict) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", which, "--yaml", str(yaml_path), "--mode", mode,
                           "--articles", str(count)], capture_output=True, text=True, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"{which} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return json.loads(lines[-1][7:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small shapes, under 2 minutes")
    parser.add_argument("--articles", type=int, default=None, help="number of articles (default: 24, quick: 6)")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache", help="where models are built once")
    parser.add_argument("--out", type=Path, default=None, help="JSON result file")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--yaml", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.yaml, args.mode, args.articles)
        return
    mode = "quick" if args.quick else "full"
    count = args.articles or SHAPES[mode]["articles"]
    env = {**os.environ, "SUMMARIZER_CACHE": str(args.cache / "ct2cache"), "TOKENIZERS_PARALLELISM": "false",
           "HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    os.environ.update(env)
    yaml_path = build(mode, args.cache)
    convert_ahead(yaml_path)
    results = {}
    for which in ("C", "B", "B_defaults", "A"):
        print(f"running {which} ...", flush=True)
        results[which] = run_child(which, yaml_path, mode, count, env)
    a, b, c, bd = results["A"], results["B"], results["C"], results["B_defaults"]
    tps = {k: r["translation_tokens"] / r["translate_s"] for k, r in results.items()}
    report = {
        "mode": mode, "articles": count, "cpu_count": os.cpu_count(), "results": results,
        "metrics": {
            "articles_per_s": {"A": a["articles"] / a["wall_s"], "B": b["articles"] / b["wall_s"]},
            "translation_tokens_per_s": tps,
            "summary_s_per_article": {"A": a["summary_s"] / count, "B": b["summary_s"] / count},
            "peak_rss_mb": {k: r["peak_rss_mb"] for k, r in results.items()},
        },
        "ratios": {
            "translation_B_over_A": tps["B"] / tps["A"],
            "summary_B_over_A": a["summary_s"] / b["summary_s"],
            "end_to_end_B_over_A": a["wall_s"] / b["wall_s"],
            "translation_B_over_C": tps["B"] / tps["C"],
            "end_to_end_B_defaults_over_A": a["wall_s"] / bd["wall_s"],
        },
        "targets": {"translation_B_over_A": 3.0, "summary_B_over_A": 3.5, "end_to_end_B_over_A": 3.0,
                    "translation_B_over_C": 0.85, "peak_rss_mb_B_max": 1200},
    }
    out = args.out or HERE / "results" / f"bench-{mode}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    m, r = report["metrics"], report["ratios"]
    print(f"\n{mode} benchmark, {count} articles, {os.cpu_count()} CPU cores")
    m["articles_per_s"]["B_defaults"] = bd["articles"] / bd["wall_s"]
    m["summary_s_per_article"]["B_defaults"] = bd["summary_s"] / count
    print(f"{'':24}{'A baseline':>12}{'B tool':>12}{'B defaults':>12}{'C ceiling':>12}")
    print(f"{'articles/s':24}{m['articles_per_s']['A']:>12.3f}{m['articles_per_s']['B']:>12.3f}"
          f"{m['articles_per_s']['B_defaults']:>12.3f}{'':>12}")
    print(f"{'translation tokens/s':24}{tps['A']:>12.0f}{tps['B']:>12.0f}{tps['B_defaults']:>12.0f}{tps['C']:>12.0f}")
    print(f"{'summary s/article':24}{m['summary_s_per_article']['A']:>12.2f}{m['summary_s_per_article']['B']:>12.2f}"
          f"{m['summary_s_per_article']['B_defaults']:>12.2f}{'':>12}")
    print(f"{'peak RSS MB':24}{a['peak_rss_mb']:>12.0f}{b['peak_rss_mb']:>12.0f}{bd['peak_rss_mb']:>12.0f}"
          f"{c['peak_rss_mb']:>12.0f}")
    print(f"B defaults: {bd['retried_sentences']} translations retried after looping "
          f"({bd['degenerate_sentences']} still flagged degenerate): random weights loop on every sentence")
    print(f"\ntranslation B/A {r['translation_B_over_A']:.2f} (target 3)   summary B/A {r['summary_B_over_A']:.2f} "
          f"(target 3.5)   end-to-end B/A {r['end_to_end_B_over_A']:.2f} (target 3)   translation B/C "
          f"{r['translation_B_over_C']:.2f} (target 0.85)   B peak RSS {b['peak_rss_mb']:.0f} MB (target <= 1200)")
    print(f"written: {out}")


if __name__ == "__main__":
    main()
