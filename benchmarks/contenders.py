"""The benchmark's hand-written contenders, each run in its own process by bench.py.

A  transformers, as a competent engineer writes it: every sentence of every article sorted by
   length, batches of 16, beam 4, fp32, all cores; each row forced to its own length (EOS masked
   before it, forced at it) so that no row is credited with work it did not do; summaries sorted
   by length, 4 per batch, the shipped bounds.
C  raw CTranslate2, independent of the tool: its own conversion call, its own sentencepiece and
   tokenizers calls (timed), sentences sorted and batched by output length and tokens, int8, all
   cores; summaries one per call (C) or four per call (C4).
C2 the careful CTranslate2 script, what a reader of its documentation writes: C4 with two batches
   decoding at once (inter_threads 2, the cores shared between them), every batch submitted at
   once (asynchronous=True), translation batches of one own limit (so no sentence decodes past
   it), summaries four per call, sorted by length, submitted the same way.
A summary input over the summariser's 1,024 tokens is truncated there (what a script does: the
tool summarises it by map-reduce instead). Every contender counts the tokens it generated and
the tokens its encoders read, which bench.py compares and reports.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_models import SUMMARY_GEN, SUMMARY_INPUT, SUMMARY_TOKENS, TRANSLATE_GEN, limit  # noqa: E402


def _force_lengths(targets: list[int], start: int, eos: int, beams: int):
    """A logits processor: row i may end only at targets[i] generated tokens, and must end there."""
    import torch
    from transformers import LogitsProcessor

    class ForceLength(LogitsProcessor):
        def __call__(self, input_ids, scores):
            step = input_ids.shape[1] - start
            for row in range(scores.shape[0]):
                want = targets[row // beams]
                if step < want:
                    scores[row, eos] = -float("inf")
                elif step == want:
                    keep = scores[row, eos].clone()
                    scores[row, :] = -float("inf")
                    scores[row, eos] = keep if torch.isfinite(keep) else 0.0
            return scores

    return ForceLength()


def _generated(sequences, start: int, eos: int, pad: int) -> int:
    count = 0
    for row in sequences.tolist():
        body = row[start:]
        body = body[:body.index(eos)] if eos in body else [t for t in body if t != pad]
        count += len(body)
    return count


def run_a(folder: Path, docs: list[list[str]]) -> dict:
    """A: transformers 5, fp32, beam 4."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    torch.set_num_threads(os.cpu_count() or 1)
    t0 = time.perf_counter()
    models = json.loads((folder / "paths.json").read_text())
    tok = AutoTokenizer.from_pretrained(models["translator"])
    mt = AutoModelForSeq2SeqLM.from_pretrained(models["translator"]).eval()
    sentences = [s for doc in docs for s in doc]
    ids = tok(sentences)["input_ids"]
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    english, generated = [""] * len(ids), 0
    with torch.inference_mode():
        for k in range(0, len(order), 16):
            rows = order[k:k + 16]
            batch = tok.pad({"input_ids": [ids[i] for i in rows]}, return_tensors="pt")
            targets = [limit(len(ids[i])) for i in rows]
            out = mt.generate(**batch, num_beams=TRANSLATE_GEN["num_beams"], max_new_tokens=max(targets) + 1,
                              logits_processor=[_force_lengths(targets, 1, mt.config.eos_token_id,
                                                               TRANSLATE_GEN["num_beams"])])
            generated += _generated(out, 1, mt.config.eos_token_id, mt.config.pad_token_id)
            for i, text in zip(rows, tok.batch_decode(out, skip_special_tokens=True)):
                english[i] = " ".join(text.split())
    t1 = time.perf_counter()
    del mt
    summaries = _summaries_a(models["summarizer"], docs, english)
    t2 = time.perf_counter()
    summaries["summaries_truncated"] = _truncated(models["summarizer"], _joined(docs, english))  # untimed
    return {"translate_s": t1 - t0, "summary_s": t2 - t1, "translation_tokens_generated": generated,
            **summaries, "sentences": len(sentences), "source_tokens": sum(len(x) for x in ids)}


def _summaries_a(path: str, docs: list[list[str]], english: list[str]) -> dict:
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSeq2SeqLM.from_pretrained(path).eval()
    texts = _joined(docs, english)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    generated = encoded = 0
    with torch.inference_mode():
        for start in range(0, len(order), 4):
            rows = order[start:start + 4]
            batch = tok([texts[i] for i in rows], return_tensors="pt", padding=True, truncation=True,
                        max_length=SUMMARY_INPUT)
            encoded += int(batch["attention_mask"].sum())
            out = model.generate(**batch, **SUMMARY_GEN, max_new_tokens=SUMMARY_TOKENS, min_new_tokens=56,
                                 logits_processor=[_force_lengths([SUMMARY_TOKENS] * len(rows), 1,
                                                                  model.config.eos_token_id, SUMMARY_GEN["num_beams"])])
            generated += _generated(out, 2, model.config.eos_token_id, model.config.pad_token_id)  # after <s>
    return {"summary_tokens_generated": generated, "summary_sequences": len(texts),
            "summary_encoder_tokens": encoded}


def _truncated(path: str, texts: list[str]) -> int:
    """Summary inputs the script cut at the summariser's input limit (counted outside the timing)."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(path)
    return sum(len(ids) > SUMMARY_INPUT for ids in tok(texts)["input_ids"])


def _joined(docs: list[list[str]], english: list[str]) -> list[str]:
    texts, k = [], 0
    for doc in docs:
        texts.append(" ".join(english[k:k + len(doc)]))
        k += len(doc)
    return texts


def run_c(folder: Path, docs: list[list[str]], per_call: int, careful: bool) -> dict:
    """C / C4 / C2: raw CTranslate2 int8, independent conversion, tokenization timed."""
    import ctranslate2
    import sentencepiece as spm

    t0 = time.perf_counter()
    models = json.loads((folder / "paths.json").read_text())
    mt_dir, sum_dir = folder / "c-mt", folder / "c-sum"  # converted by `contenders.py prepare`, untimed
    threads = os.cpu_count() or 1
    translator = ctranslate2.Translator(str(mt_dir), compute_type="int8", **_threads(threads, careful))
    src = spm.SentencePieceProcessor(model_file=str(Path(models["translator"]) / "source.spm"))
    tgt = spm.SentencePieceProcessor(model_file=str(Path(models["translator"]) / "target.spm"))
    vocab = json.loads((Path(models["translator"]) / "vocab.json").read_text(encoding="utf-8"))
    sentences = [s for doc in docs for s in doc]
    tokens = [[p if p in vocab else "<unk>" for p in src.encode(s, out_type=str)] + ["</s>"] for s in sentences]
    groups: dict[int, list[int]] = {}
    for i in sorted(range(len(tokens)), key=lambda i: len(tokens[i])):
        groups.setdefault(limit(len(tokens[i])), []).append(i)
    calls = [(length, rows[k:k + 64]) for length, rows in groups.items() for k in range(0, len(rows), 64)]
    # one output length per call: no row decodes past its own; C2 submits them all at once
    pending = [(chunk, translator.translate_batch(
        [tokens[i] for i in chunk], beam_size=TRANSLATE_GEN["num_beams"], max_decoding_length=length,
        min_decoding_length=length, asynchronous=careful)) for length, chunk in calls]
    english, generated = [""] * len(tokens), 0
    for chunk, results in pending:
        for i, result in zip(chunk, results):
            hypothesis = (result.result() if careful else result).hypotheses[0]
            generated += len(hypothesis)
            english[i] = tgt.decode_pieces(hypothesis)
    t1 = time.perf_counter()
    del translator
    summaries = _summaries_c(sum_dir, models["summarizer"], _joined(docs, english), per_call, threads, careful)
    t2 = time.perf_counter()
    return {"translate_s": t1 - t0, "summary_s": t2 - t1, "translation_tokens_generated": generated,
            **summaries, "sentences": len(sentences), "source_tokens": sum(len(t) for t in tokens)}


def _threads(threads: int, careful: bool) -> dict:
    """C and C4: one batch on all cores; C2: two batches at once, the cores shared between them."""
    if careful and threads >= 2:
        return {"inter_threads": 2, "intra_threads": threads // 2}
    return {"intra_threads": threads}


def _summaries_c(ct2_dir: Path, hf_dir: str, texts: list[str], per_call: int, threads: int, careful: bool) -> dict:
    import ctranslate2
    from tokenizers import ByteLevelBPETokenizer, processors

    # distilbart-cnn ships vocab.json + merges.txt (no tokenizer.json): <s> text </s>, byte-level BPE
    tok = ByteLevelBPETokenizer(str(Path(hf_dir) / "vocab.json"), str(Path(hf_dir) / "merges.txt"))
    tok.post_processor = processors.RobertaProcessing(("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")))
    tok.enable_truncation(SUMMARY_INPUT)
    model = ctranslate2.Translator(str(ct2_dir), compute_type="int8", **_threads(threads, careful))
    encodings = tok.encode_batch(texts)
    encoded = [e.tokens for e in encodings]
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    pending = []
    for start in range(0, len(order), per_call):
        rows = order[start:start + per_call]
        pending.append(model.translate_batch(
            [encoded[i] for i in rows], target_prefix=[["<s>"]] * len(rows), beam_size=SUMMARY_GEN["num_beams"],
            length_penalty=SUMMARY_GEN["length_penalty"], no_repeat_ngram_size=SUMMARY_GEN["no_repeat_ngram_size"],
            max_decoding_length=SUMMARY_TOKENS, min_decoding_length=SUMMARY_TOKENS, asynchronous=careful))
    generated = sum(len((r.result() if careful else r).hypotheses[0]) - 1  # the forced <s> is not generated
                    for results in pending for r in results)
    return {"summary_tokens_generated": generated, "summary_sequences": len(texts),
            "summary_encoder_tokens": sum(len(e) for e in encoded),
            "summaries_truncated": sum(bool(e.overflowing) for e in encodings)}


def _convert(model_dir: str, out: Path) -> Path:
    """C's own conversion (not the tool's cache): the converter's Python API, int8."""
    if not (out / "model.bin").is_file():
        from ctranslate2.converters import TransformersConverter

        TransformersConverter(model_dir, low_cpu_mem_usage=True).convert(str(out), quantization="int8", force=True)
    return out


def main() -> None:
    which, folder = sys.argv[1], Path(sys.argv[2])
    if which == "prepare":
        models = json.loads((folder / "paths.json").read_text())
        _convert(models["translator"], folder / "c-mt")
        _convert(models["summarizer"], folder / "c-sum")
        return
    docs = json.loads((folder / "sentences.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    result = run_a(folder, docs) if which == "A" else run_c(folder, docs, 1 if which == "C" else 4, which == "C2")
    result["wall_s"] = time.perf_counter() - started
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
