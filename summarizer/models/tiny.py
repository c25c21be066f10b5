"""Tiny random-weight models of the real architectures, for tests and offline trial runs.

`build_tiny_models(DIR)` writes, in seconds, with tokenizers trained on the spot:
  marian/   MarianMT (ar -> en), sentencepiece source/target models   (like Helsinki-NLP/opus-mt)
  bart/     BART summariser, byte-level BPE                           (like sshleifer/distilbart-cnn)
  nllb/     M2M100 with an NLLB tokenizer and language codes          (like facebook/nllb-200)
  mt5/      mT5 summariser, sentencepiece unigram                     (like csebuetnlp/mT5_multilingual_XLSum)
and DIR/models.yaml with the same profiles as the real registry. The weights are random:
their output is gibberish. They exercise every code path of the product, not its quality.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import yaml

NLLB_CODES = {"ar": "arb_Arab", "en": "eng_Latn", "fa": "pes_Arab", "ur": "urd_Arab", "fr": "fra_Latn",
              "tr": "tur_Latn", "he": "heb_Hebr", "ku": "ckb_Arab"}
SIZE = dict(d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
            decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64)
GIBBERISH = ("tiny models have random weights: their translations and summaries are gibberish; "
             "use them to test the pipeline, never to read the output")


def corpus() -> dict[str, list[str]]:
    """The bundled tokenizer-training text, by language ("ar", "en")."""
    text = resources.files("summarizer").joinpath("data/tiny_corpus.txt").read_text(encoding="utf-8")
    parts: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("[") and line.endswith("]"):
            current = parts.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    return parts


def _spm(lines: list[str], prefix: Path, vocab: int, model_type: str, **ids: int) -> None:
    import sentencepiece as spm

    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines * 4), model_prefix=str(prefix), vocab_size=vocab,
        hard_vocab_limit=False, model_type=model_type, character_coverage=1.0, minloglevel=2,
        num_threads=1, **{f"{k}_id": v for k, v in ids.items()})


def _seed() -> None:
    import torch

    torch.manual_seed(1234)


def build_marian(out: Path, text: dict[str, list[str]], max_len: int, shape: dict | None = None,
                 vocab_size: int | None = None, source_pieces: int = 200) -> None:
    """Marian ar->en: separate source/target sentencepiece models, one joint vocab (opus-mt layout).

    `shape` overrides the layer sizes; `vocab_size` pads the vocabulary with filler tokens to
    the real model's size; `source_pieces` sizes the source sentencepiece model (benchmarks train
    it on real Arabic so that sentences have real lengths in tokens).
    """
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    out.mkdir(parents=True, exist_ok=True)
    for name, lines, pieces in (("source", text["ar"], source_pieces), ("target", text["en"], 200)):
        _spm(lines, out / name, pieces, "unigram", bos=-1, eos=0, unk=1, pad=-1)
        os.replace(out / f"{name}.model", out / f"{name}.spm")
        (out / f"{name}.vocab").unlink(missing_ok=True)
    import sentencepiece as spm

    vocab = {"</s>": 0, "<unk>": 1}
    for name in ("source", "target"):
        proc = spm.SentencePieceProcessor(model_file=str(out / f"{name}.spm"))
        for i in range(proc.get_piece_size()):
            vocab.setdefault(proc.id_to_piece(i), len(vocab))
    for k in range(max(0, (vocab_size or 0) - len(vocab) - 1)):
        vocab[f"▁w{k}"] = len(vocab)
    vocab["<pad>"] = len(vocab)  # opus-mt: pad is last, and is the decoder start token
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tok = MarianTokenizer(source_spm=str(out / "source.spm"), target_spm=str(out / "target.spm"),
                          vocab=str(out / "vocab.json"), model_max_length=max_len)
    tok.save_pretrained(out)
    pad = tok.pad_token_id
    config = MarianConfig(vocab_size=len(vocab), max_position_embeddings=4 * max_len, pad_token_id=pad,
                          eos_token_id=0, decoder_start_token_id=pad, forced_eos_token_id=0,
                          scale_embedding=True, share_encoder_decoder_embeddings=True, **(shape or SIZE))
    _seed()
    model = MarianMTModel(config)
    model.generation_config = GenerationConfig(decoder_start_token_id=pad, eos_token_id=0, pad_token_id=pad,
                                               forced_eos_token_id=0, bad_words_ids=[[pad]], num_beams=1)
    model.save_pretrained(out)


def build_bart(out: Path, text: dict[str, list[str]], max_len: int, shape: dict | None = None,
               vocab_size: int | None = None, bpe_size: int = 600) -> None:
    """BART summariser with a byte-level BPE tokenizer (distilbart-cnn layout); see build_marian."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer, GenerationConfig

    out.mkdir(parents=True, exist_ok=True)
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(text["en"] * 4, vocab_size=bpe_size, min_frequency=1,
                            special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"], show_progress=False)
    bpe.save_model(str(out))
    if vocab_size:
        vocab = json.loads((out / "vocab.json").read_text(encoding="utf-8"))
        for k in range(max(0, vocab_size - len(vocab))):
            vocab[f"Ġw{k}"] = len(vocab)
        (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tok = BartTokenizer.from_pretrained(out, model_max_length=max_len)
    tok.save_pretrained(out)
    config = BartConfig(vocab_size=len(tok), max_position_embeddings=4 * max_len, pad_token_id=1,
                        bos_token_id=0, eos_token_id=2, decoder_start_token_id=2, forced_bos_token_id=0,
                        forced_eos_token_id=2, **(shape or SIZE))
    # Real BART checkpoints carry these; CTranslate2's converter needs them.
    config.normalize_before = False
    config.normalize_embedding = True
    config.add_final_layer_norm = False
    _seed()
    model = BartForConditionalGeneration(config)
    model.generation_config = GenerationConfig(decoder_start_token_id=2, bos_token_id=0, eos_token_id=2,
                                               pad_token_id=1, forced_bos_token_id=0, forced_eos_token_id=2,
                                               num_beams=2, no_repeat_ngram_size=3, length_penalty=2.0)
    model.save_pretrained(out)


def build_nllb(out: Path, text: dict[str, list[str]], max_len: int) -> None:
    """M2M100 with an NLLB tokenizer (sentencepiece BPE + language-code tokens)."""
    from transformers import GenerationConfig, M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    out.mkdir(parents=True, exist_ok=True)
    _spm(text["ar"] + text["en"], out / "sentencepiece.bpe", 400, "bpe", bos=0, pad=1, eos=2, unk=3)
    (out / "sentencepiece.bpe.vocab").unlink(missing_ok=True)
    tok = NllbTokenizer.from_pretrained(out, src_lang="arb_Arab", tgt_lang="eng_Latn",
                                        extra_special_tokens=sorted(NLLB_CODES.values()), model_max_length=max_len)
    tok.save_pretrained(out)
    config = M2M100Config(vocab_size=len(tok), max_position_embeddings=4 * max_len, pad_token_id=1,
                          bos_token_id=0, eos_token_id=2, decoder_start_token_id=2, scale_embedding=True,
                          **SIZE)
    _seed()
    model = M2M100ForConditionalGeneration(config)
    model.generation_config = GenerationConfig(decoder_start_token_id=2, bos_token_id=0, eos_token_id=2,
                                               pad_token_id=1, num_beams=1)
    model.save_pretrained(out)


def build_mt5(out: Path, text: dict[str, list[str]], max_len: int) -> None:
    """mT5 summariser with a sentencepiece unigram tokenizer (mT5 layout: pad 0, eos 1, unk 2)."""
    from transformers import GenerationConfig, MT5Config, MT5ForConditionalGeneration, T5Tokenizer

    out.mkdir(parents=True, exist_ok=True)
    _spm(text["ar"] + text["en"], out / "spiece", 400, "unigram", pad=0, eos=1, unk=2, bos=-1)
    (out / "spiece.vocab").unlink(missing_ok=True)
    tok = T5Tokenizer.from_pretrained(out, extra_ids=0, model_max_length=max_len)
    tok.save_pretrained(out)
    config = MT5Config(vocab_size=len(tok), d_model=32, d_kv=16, d_ff=64, num_layers=2, num_decoder_layers=2,
                       num_heads=2, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0,
                       tie_word_embeddings=False)
    _seed()
    model = MT5ForConditionalGeneration(config)
    model.generation_config = GenerationConfig(decoder_start_token_id=0, eos_token_id=1, pad_token_id=0,
                                               num_beams=2, no_repeat_ngram_size=2)
    model.save_pretrained(out)


def tiny_registry(max_translate: int, max_summarize: int) -> dict:
    """models.yaml content for the tiny models (same profile names as the real registry)."""
    small = {"min": 4, "max": 24}
    # Random weights rarely emit EOS, so outputs run to the limit: keep the limit small.
    short = {"output_ratio": 1.0, "max_output_tokens": 48}
    return {
        "models": {
            "tiny-marian-ar-en": {"task": "translate", "path": "marian", "src": "ar", "tgt": "en",
                                  "max_input_tokens": max_translate, "batch_tokens": 4096, **short},
            "tiny-nllb": {"task": "translate", "path": "nllb", "tgt": "en", "lang_codes": dict(NLLB_CODES),
                          "max_input_tokens": max_translate, "batch_tokens": 4096, **short},
            "tiny-bart": {"task": "summarize", "path": "bart", "lang": "en", "max_input_tokens": max_summarize,
                          "summary_tokens": small, "batch_size": 8,
                          "generation": {"num_beams": 2, "no_repeat_ngram_size": 3, "length_penalty": 2.0}},
            "tiny-mt5": {"task": "summarize", "path": "mt5", "lang": "multi", "max_input_tokens": max_summarize,
                         "summary_tokens": small, "batch_size": 8,
                         "generation": {"num_beams": 2, "no_repeat_ngram_size": 2}},
        },
        "profiles": {
            "default": {"translate": {"ar": "tiny-marian-ar-en", "*": "tiny-nllb"}, "summarize": "tiny-bart"},
            "fast": {"translate": {"ar": "tiny-marian-ar-en"}, "summarize": "tiny-bart"},
            "multilingual": {"translate": {"*": "tiny-nllb"}, "summarize": "tiny-mt5"},
        },
    }


def build_tiny_models(out: str | os.PathLike[str], max_translate: int = 128, max_summarize: int = 256) -> Path:
    """Write the four tiny models and their models.yaml into `out`; return the models.yaml path.

    Args:
        out: target folder (created).
        max_translate: input limit of the translation models, in tokens (small, so that long
            sentences exercise the windowing path).
        max_summarize: input limit of the summarisers (small, so that articles exercise map-reduce).
    """
    from .engines.torch_engine import quiet_transformers

    quiet_transformers()
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    text = corpus()
    build_marian(root / "marian", text, max_translate)
    build_bart(root / "bart", text, max_summarize)
    build_nllb(root / "nllb", text, max_translate)
    build_mt5(root / "mt5", text, max_summarize)
    path = root / "models.yaml"
    header = f"# Tiny random-weight models written by 'summarizer models tiny'.\n# {GIBBERISH}.\n"
    path.write_text(header + yaml.safe_dump(tiny_registry(max_translate, max_summarize), sort_keys=False,
                                            allow_unicode=True), encoding="utf-8")
    (root / "README.txt").write_text(GIBBERISH + ".\n", encoding="utf-8")
    return path
