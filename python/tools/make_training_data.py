#!/usr/bin/env python3
"""Builds the training and held-out evaluation data of spanguard's default model.

    /usr/bin/python3 python/tools/make_training_data.py --shared /work/shared \
        --out build-T/train_data --eval-out data/models/spanguard-small-v1/eval

Writes to --out: pii_train.jsonl (synthetic: a --pii-compose fraction from the compositional
generator pii_compose.py, the rest from pii_synth's train template families), ner_train.jsonl,
cls_train.jsonl, mod_train.jsonl and vocab_text.txt (lower-cased text for the SentencePiece
trainer); to --eval-out the small held-out sets pii_test.jsonl (held-out template families, other
seed), cls_test.jsonl, mod_test.jsonl, ner_test.jsonl. Deterministic for a given --seed.

The pools added for what those sets did not test go beside them, each with its own random stream
so that the files above stay byte for byte what they were:
  pii_prose_train.jsonl / eval pii_prose_test.jsonl, dev pii_prose_dev.jsonl: names, addresses
      and phone numbers in free prose (pii_prose.py; test and dev from held-out style families);
  mod_contrast_train.jsonl / eval mod_contrast_test.jsonl, dev mod_contrast_dev.jsonl: harmful
      requests beside harmless twins sharing their alarming word or frame (mod_contrast.py; test
      from held-out families; dev: a tenth of the training pairs, kept out of training);
  mod_length_train.jsonl / eval mod_length_test.jsonl, dev mod_length_dev.jsonl: benign texts of
      5-1,000 words and long documents with an injected instruction (mod_length.py; test and dev
      from held-out books, modules, packages and families);
  eval ner_zeroshot_test.jsonl: GUM sentences (a corpus never trained on) with its 11 types, 9 of
      which the model never saw as labels.
"""

import argparse
import json
import lzma
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from spanguard_train import holdout, mod_contrast, mod_length, pii_compose, pii_prose  # noqa: E402
from spanguard_train import pii_synth, sources  # noqa: E402


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{path}: {len(rows)} records")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default="/work/shared")
    ap.add_argument("--out", required=True)
    ap.add_argument("--eval-out", required=True)
    ap.add_argument("--seed", type=int, default=20261121)
    ap.add_argument("--pii-train", type=int, default=40000)
    ap.add_argument("--pii-compose", type=float, default=0.7,
                    help="fraction of PII training documents from the compositional generator "
                         "(0 reproduces the first model's data)")
    ap.add_argument("--unknown-cue-rate", type=float, default=pii_compose.P_UNKNOWN_CUE,
                    help="share of compositional values (and look-alikes) put behind a key that "
                         "says nothing about them (kinds outside RANDOM_CUE_KINDS)")
    ap.add_argument("--intl-cue-rate", type=float, default=pii_compose.P_INTL_CUE,
                    help="share of compositional lexicon cues drawn in German, French, Spanish, "
                         "Italian or Dutch (pii_cues_intl); 0 reproduces the third model's data")
    ap.add_argument("--pii-test", type=int, default=500)
    ap.add_argument("--pii-dev", type=int, default=300,
                    help="PII documents of the held-out families with another seed, written to "
                         "OUT/pii_dev.jsonl: for choosing between models without the test set")
    ap.add_argument("--cls-test", type=int, default=300)
    ap.add_argument("--mod-test", type=int, default=300)
    ap.add_argument("--ner-test", type=int, default=200)
    ap.add_argument("--prose-train", type=int, default=20000)
    ap.add_argument("--prose-test", type=int, default=400)
    ap.add_argument("--prose-dev", type=int, default=300)
    ap.add_argument("--length-train", type=int, default=12000)
    ap.add_argument("--length-train-max-words", type=int, default=400,
                    help="longest training text of mod_length (training cost grows with length; "
                         "the test set goes to 1,000 words)")
    ap.add_argument("--length-test", type=int, default=500)
    ap.add_argument("--length-dev", type=int, default=300)
    ap.add_argument("--zeroshot-test", type=int, default=300)
    ap.add_argument("--pretrain-chars", type=int, default=3_000_000,
                    help="characters of public-domain book text added to the vocabulary corpus")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.eval_out, exist_ok=True)
    rng = random.Random(args.seed)

    pii_compose.P_UNKNOWN_CUE = args.unknown_cue_rate
    pii_compose.P_INTL_CUE = args.intl_cue_rate
    if args.pii_compose > 0:
        pii_train = pii_compose.make_documents(args.pii_train, args.seed, args.shared,
                                               args.pii_compose)
    else:
        pii_train = pii_synth.make_documents(args.pii_train, args.seed, "train")
    leaks = holdout.check_texts([r["text"] for r in pii_train])
    if leaks:
        sys.exit(f"held-out cue {leaks[0][1]!r} in PII training document {leaks[0][0]} "
                 f"({len(leaks)} documents in all)")
    print(f"held-out check: no held-out cue in {len(pii_train)} PII training texts "
          f"({len(holdout.held_out_cues())} cues, {len(holdout.ambiguous())} exempt)")
    pii_test = pii_synth.make_documents(args.pii_test, args.seed + 1, "test")
    test_texts = {r["text"] for r in pii_test}
    pii_dev = [r for r in pii_synth.make_documents(args.pii_dev, args.seed + 2, "test")
               if r["text"] not in test_texts]
    ner_train, ner_test = sources.load_ner(args.shared)
    cls_train, cls_test, benign, benign_test = sources.load_intents(args.shared, args.seed)
    mod_train, mod_test = sources.load_moderation(args.shared, args.seed, benign, benign_test)

    write_jsonl(os.path.join(args.out, "pii_train.jsonl"), pii_train)
    write_jsonl(os.path.join(args.out, "ner_train.jsonl"), ner_train)
    write_jsonl(os.path.join(args.out, "cls_train.jsonl"), cls_train)
    write_jsonl(os.path.join(args.out, "mod_train.jsonl"), mod_train)
    write_jsonl(os.path.join(args.out, "pii_dev.jsonl"), pii_dev)

    write_jsonl(os.path.join(args.eval_out, "pii_test.jsonl"), pii_test)
    write_jsonl(os.path.join(args.eval_out, "cls_test.jsonl"),
                rng.sample(cls_test, min(args.cls_test, len(cls_test))))
    # Moderation test: stratified by source so that every source is represented.
    by_src = {}
    for r in mod_test:
        by_src.setdefault(r["source"], []).append(r)
    per = max(1, args.mod_test // len(by_src))
    mod_sample = []
    for src in sorted(by_src):
        rows = by_src[src]
        mod_sample += rng.sample(rows, min(per, len(rows)))
    write_jsonl(os.path.join(args.eval_out, "mod_test.jsonl"), mod_sample)
    write_jsonl(os.path.join(args.eval_out, "ner_test.jsonl"),
                rng.sample(ner_test, min(args.ner_test, len(ner_test))))

    write_new_pools(args)

    # Vocabulary corpus: what the model reads, lower-cased as GLiNER2 feeds words, plus every
    # label/prompt string and some book text for coverage of ordinary English.
    vocab_path = os.path.join(args.out, "vocab_text.txt")
    with open(vocab_path, "w", encoding="utf-8") as f:
        for rows in (pii_train, ner_train, cls_train, mod_train):
            for r in rows:
                f.write(r["text"].lower().replace("\n", " ") + "\n")
        names = set(pii_synth.PII_LABELS) | set(sources.NER_TYPES)
        for t in sources.guard_tasks(args.shared).values():
            names |= set(t["labels"])
        names |= {l for r in cls_train for l in r["labels"]}
        names |= set(sources.MOD_TASKS) | {"entities", "intent"}
        for _ in range(20):  # repeated so that label words become single pieces
            f.write(" ".join(sorted(names)) + "\n")
        book = os.path.join(args.shared, "datasets", "pretrain_text", "gut_part01.txt.xz")
        with lzma.open(book, "rt", encoding="utf-8", errors="replace") as b:
            f.write(b.read(args.pretrain_chars).lower())
    print(f"{vocab_path}: written")


def write_new_pools(args):
    """The prose PII, contrastive and length pools with their test and dev sets."""
    out, ev = args.out, args.eval_out
    prose = pii_prose.make_documents(args.prose_train, args.seed + 100, "train", args.shared)
    leaks = holdout.check_texts([r["text"] for r in prose])
    if leaks:
        sys.exit(f"held-out cue {leaks[0][1]!r} in prose training document {leaks[0][0]}")
    prose_test = pii_prose.make_documents(args.prose_test, args.seed + 101, "test", args.shared)
    seen = {r["text"] for r in prose_test}
    prose_dev = [r for r in pii_prose.make_documents(args.prose_dev, args.seed + 102, "test",
                                                     args.shared) if r["text"] not in seen]
    write_jsonl(os.path.join(out, "pii_prose_train.jsonl"), prose)
    write_jsonl(os.path.join(out, "pii_prose_dev.jsonl"), prose_dev)
    write_jsonl(os.path.join(ev, "pii_prose_test.jsonl"), prose_test)

    # Contrast: a tenth of the training *pairs* (both twins) is kept out as the dev set.
    contrast = mod_contrast.make_records("train", args.seed + 110)
    pair_ids = sorted({r["pair"] for r in contrast})
    dev_pairs = set(random.Random(args.seed + 111).sample(pair_ids, len(pair_ids) // 10))
    write_jsonl(os.path.join(out, "mod_contrast_train.jsonl"),
                [r for r in contrast if r["pair"] not in dev_pairs])
    write_jsonl(os.path.join(out, "mod_contrast_dev.jsonl"),
                [r for r in contrast if r["pair"] in dev_pairs])
    write_jsonl(os.path.join(ev, "mod_contrast_test.jsonl"),
                mod_contrast.make_records("test", args.seed + 112))

    write_jsonl(os.path.join(out, "mod_length_train.jsonl"),
                mod_length.make_records("train", args.seed + 120, args.length_train,
                                        max_words=args.length_train_max_words))
    # Test and dev texts are judged in one pass, as `spanguard moderate` does without --long:
    # at most 6,000 characters keeps any genre (code has many sub-tokens per word) under the
    # engine's 4,096-sub-token single-pass limit.
    def one_pass(rows):
        return [r for r in rows if len(r["text"]) <= 6000]

    length_test = one_pass(mod_length.make_records("test", args.seed + 121, args.length_test))
    seen = {r["text"] for r in length_test}
    write_jsonl(os.path.join(ev, "mod_length_test.jsonl"), length_test)
    write_jsonl(os.path.join(out, "mod_length_dev.jsonl"),
                [r for r in one_pass(mod_length.make_records("test", args.seed + 122,
                                                             args.length_dev))
                 if r["text"] not in seen])

    gum = sources.load_zeroshot_ner(args.shared)
    write_jsonl(os.path.join(ev, "ner_zeroshot_test.jsonl"),
                random.Random(args.seed + 130).sample(gum, min(args.zeroshot_test, len(gum))))


if __name__ == "__main__":
    main()
