#!/usr/bin/env python3
"""Builds the training and held-out evaluation data of spanguard's default model.

    /usr/bin/python3 python/tools/make_training_data.py --shared /work/shared \
        --out build-T/train_data --eval-out data/models/spanguard-small-v1/eval

Writes to --out: pii_train.jsonl (synthetic: a --pii-compose fraction from the compositional
generator pii_compose.py, the rest from pii_synth's train template families), ner_train.jsonl,
cls_train.jsonl, mod_train.jsonl and vocab_text.txt (lower-cased text for the SentencePiece
trainer); to --eval-out the small held-out sets pii_test.jsonl (held-out template families, other
seed), cls_test.jsonl, mod_test.jsonl, ner_test.jsonl. Deterministic for a given --seed.
"""

import argparse
import json
import lzma
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from spanguard_train import holdout, pii_compose, pii_synth, sources  # noqa: E402


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


if __name__ == "__main__":
    main()
