#!/usr/bin/env python3
"""Trains spanguard's default model (GLiNER2 span architecture) on the CPU or a GPU (--device).

    /usr/bin/python3 python/tools/train_default_model.py --data build-T/train_data \
        --spm build-T/vocab/spm.model --work build-T/train --out data/models/spanguard-small-v1 \
        --max-minutes 55 [--resume]

--data is the output of make_training_data.py; --spm a SentencePiece Unigram model (see
MODEL_CARD.md for how it was trained). Logs to <work>/train_log.txt, saves <work>/train_state.pt
and exports --out every --save-minutes; --resume continues from train_state.pt; --init-from DIR
starts from an exported model's weights (fresh optimizer and schedule).

--w-mlm W adds masked-language modelling on plain English text (spanguard_train/mlm.py) with
weight W; with every --w-* task weight set to 0 the run is pure MLM pretraining of a new encoder,
whose exported folder then starts the task training through --init-from:

    /usr/bin/python3 python/tools/train_default_model.py --data build-T/train_data \
        --spm build-T/vocab/spm.model --work build-T/pretrain --out build-T/pretrained \
        --hidden 256 --layers 6 --heads 4 --ffn 1024 --w-pii 0 --w-ner 0 --w-cls 0 --w-mod 0 \
        --w-mlm 1 --mlm-batch 32 --lr 5e-4 --max-minutes 30 --device cuda
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from spanguard_train import sources, train  # noqa: E402


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--spm", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", default="/work/shared")
    ap.add_argument("--guard", default="",
                    help="JSON file of the moderation tasks (as sources.guard_tasks returns them); "
                         "default: read from --shared's GLiGuard label sets")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--init-from", default="",
                    help="GLiNER2 folder whose weights start the run (warm start; needs the same "
                         "architecture and --spm); ignored when --resume finds a state")
    ap.add_argument("--max-minutes", type=float, default=55.0)
    ap.add_argument("--max-steps", type=int, default=0, help="0: no step limit")
    ap.add_argument("--save-minutes", type=float, default=4.0)
    ap.add_argument("--log-every", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default="cpu",
                    help="cpu, or cuda[:N] for a GPU (examples are built on the CPU, the model "
                         "and the losses run on the device; checkpoints load on either)")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=2)
    ap.add_argument("--ffn", type=int, default=512)
    ap.add_argument("--position-buckets", type=int, default=256,
                    help="DeBERTa relative-position buckets (256 as in deberta-v3; fewer is "
                         "cheaper on CPU and enough for short inputs)")
    ap.add_argument("--max-width", type=int, default=8)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--pool-batches", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--warmup-steps", type=int, default=400)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--span-weight", type=float, default=0.5,
                    help="weight of the summed span BCE against the count/cls losses")
    ap.add_argument("--dtype", default="F16", choices=["F16", "F32"])
    ap.add_argument("--w-pii", type=float, default=0.55)
    ap.add_argument("--w-ner", type=float, default=0.08)
    ap.add_argument("--w-cls", type=float, default=0.15)
    ap.add_argument("--w-mod", type=float, default=0.22)
    # Pools that make_training_data.py writes beside the four above; weight 0 (the default)
    # leaves a pool out, so earlier runs' commands train on what they did.
    ap.add_argument("--w-prose", type=float, default=0.0,
                    help="PII in free prose (pii_prose_train.jsonl)")
    ap.add_argument("--w-contrast", type=float, default=0.0,
                    help="contrastive moderation pairs (mod_contrast_train.jsonl)")
    ap.add_argument("--w-length", type=float, default=0.0,
                    help="moderation texts of every length (mod_length_train.jsonl)")
    ap.add_argument("--w-mlm", type=float, default=0.0,
                    help="weight of masked-language modelling on plain English text (mlm.py); "
                         "with every task weight 0 the run is pure MLM pretraining")
    ap.add_argument("--mlm-text", default="",
                    help="comma-separated text files (.txt, .xz; .tsv lines are paragraphs); "
                         "default: pretrain_text's Gutenberg parts 01-03 (not 04 or the WordNet "
                         "glosses: a test set's benign texts come from them)")
    ap.add_argument("--mlm-heldout", default="",
                    help="comma-separated text files for the held-out MLM figures logged at every "
                         "checkpoint; default: pretrain_text's Gutenberg part 05")
    ap.add_argument("--mlm-seq-len", type=int, default=128)
    ap.add_argument("--mlm-batch", type=int, default=8)
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.guard:
        with open(args.guard, encoding="utf-8") as f:
            guard = json.load(f)
    else:
        guard = sources.guard_tasks(args.shared)
    train.train(args, guard)


if __name__ == "__main__":
    main()
