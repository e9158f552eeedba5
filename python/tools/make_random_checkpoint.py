#!/usr/bin/env python3
"""Writes a random-weight GLiNER2 span checkpoint in the published folder layout:

    DIR/config.json, DIR/encoder_config/config.json, DIR/model.safetensors,
    DIR/spm.model, DIR/added_tokens.json, DIR/tokenizer_config.json, DIR/special_tokens_map.json

Usage (Debian's Python, which has torch, numpy and sentencepiece):
    /usr/bin/python3 python/tools/make_random_checkpoint.py --out DIR --shape tiny|small|base \
        --seed N [--counting-layer count_lstm|count_lstm_v2] [--dtype f32|f16|bf16] \
        [--config-form published|new] [--spm PATH]

`base` has the exact gliner2-base-v1 shapes (H=768, 12 layers, vocab 128011, 208,476,821
parameters with count_lstm_v2) and writes the published 236-byte config.json form by default;
tiny/small write the newer form. Head biases are calibrated so decoding gives non-empty results
(see spanguard_reference/random_checkpoint.py).
"""

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import torch  # noqa: E402

from spanguard_reference.random_checkpoint import SHAPES, make_checkpoint  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
SPM_CANDIDATES = [
    os.path.join(REPO, "data", "tokenizers", "deberta-v3", "spm.model"),
    os.path.join(os.environ.get("SPANGUARD_SHARED_DIR", os.path.join(REPO, "..", "shared")),
                 "reference", "spm.model"),
]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="checkpoint folder to write (created)")
    p.add_argument("--shape", required=True, choices=sorted(SHAPES))
    p.add_argument("--seed", required=True, type=int)
    p.add_argument("--counting-layer", default="count_lstm_v2",
                   choices=["count_lstm", "count_lstm_v2"])
    p.add_argument("--dtype", default="f32", choices=["f32", "f16", "bf16"])
    p.add_argument("--config-form", choices=["published", "new"],
                   help="config.json form (default: published for base, new otherwise)")
    p.add_argument("--spm", help="SentencePiece model (default: data/tokenizers/deberta-v3)")
    p.add_argument("--threads", type=int, default=1, help="torch threads for calibration")
    args = p.parse_args()

    spm = args.spm or next((c for c in SPM_CANDIDATES if os.path.exists(c)), None)
    if spm is None:
        p.error("no spm.model found; pass --spm")
    torch.set_num_threads(args.threads)
    start = time.time()
    try:
        n, stats = make_checkpoint(args.out, args.shape, args.seed, args.counting_layer,
                                   args.dtype.upper(), spm, args.config_form)
    except (ValueError, OSError) as e:
        print(f"make_random_checkpoint: {e}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}: shape {args.shape}, {args.counting_layer}, {args.dtype}, "
          f"seed {args.seed}, {n:,} parameters, {time.time() - start:.1f} s")
    print("calibration: " + ", ".join(f"{k} {v if isinstance(v, list) else round(v, 3)}"
                                      for k, v in stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
