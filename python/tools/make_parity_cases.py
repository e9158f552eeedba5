#!/usr/bin/env python3
"""Generates random requests and runs the PyTorch reference on them, writing a golden file in the
format of the upstream goldens (/work/shared/reference/parity/*.golden.json):

    {"checkpoint", "variant", "relative_positions", "seed", "generator",
     "cases": [{"api", "args", "kwargs", "result", "error",
                "encoder_calls": [{"input_ids", "attention_mask", "last_hidden_state"}]}]}

so the engine's golden test can consume either. Schemas of extract / batch_extract /
extract_long / batch_extract_long are given in Schema.from_dict form (no placeholders).

Usage (Debian's Python):
    /usr/bin/python3 python/tools/make_random_checkpoint.py --out CK --shape tiny --seed 1
    /usr/bin/python3 python/tools/make_parity_cases.py --checkpoint CK --out CK.golden.json \
        [--count 240] [--seed 1] [--relative-positions hf|microsoft] [--decimals 7]

Hidden states make most of the file (~45 MB for 240 cases on a tiny checkpoint);
`--no-hidden-states` writes them as null.

`--relative-positions hf` (default) is the spec's (and GLiNER2's) DeBERTa; `microsoft` is the
variant the upstream goldens were produced with. They differ only on inputs over 512 sub-tokens.
"""

import argparse
import collections
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import torch  # noqa: E402

from spanguard_reference import goldens  # noqa: E402
from spanguard_reference.api import GLiNER2  # noqa: E402
from spanguard_reference.case_generator import CaseGenerator  # noqa: E402


def _nonempty(v):
    if isinstance(v, dict):
        return any(_nonempty(x) for x in v.values())
    if isinstance(v, (list, tuple)):
        return any(_nonempty(x) for x in v)
    return v is not None


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, default=240)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--relative-positions", default="hf", choices=["hf", "microsoft"])
    p.add_argument("--decimals", type=int, default=7, help="hidden-state rounding")
    p.add_argument("--no-hidden-states", action="store_true",
                   help="write last_hidden_state as null (files are ~20x smaller)")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    if args.count < 1:
        p.error("--count must be positive")

    torch.set_num_threads(args.threads)
    start = time.time()
    model = GLiNER2.from_pretrained(args.checkpoint, relative_positions=args.relative_positions)
    cases = []
    per_api = collections.Counter()
    nonempty = collections.Counter()
    calls = 0
    longest = 0
    errors = 0
    for api, call_args, kwargs in CaseGenerator(args.seed).cases(args.count):
        case = {"api": api, "args": call_args, "kwargs": kwargs}
        run = goldens.run_case(model, case)
        encoder_calls = goldens.encoder_calls_json(run.encoder_calls, args.decimals)
        if args.no_hidden_states:
            for call in encoder_calls:
                call["last_hidden_state"] = None
        case.update(result=run.result, error=run.error, encoder_calls=encoder_calls)
        cases.append(case)
        per_api[api] += 1
        nonempty[api] += int(_nonempty(run.result))
        errors += run.error is not None
        calls += len(run.encoder_calls)
        longest = max([longest] + [ids.shape[1] for ids, _, _ in run.encoder_calls])
    out = {
        "checkpoint": os.path.abspath(args.checkpoint),
        "variant": "spanguard torch reference",
        "relative_positions": args.relative_positions,
        "seed": args.seed,
        "generator": "python/tools/make_parity_cases.py",
        "cases": cases,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)
    size = os.path.getsize(args.out)
    print(f"wrote {args.out}: {len(cases)} cases, {calls} encoder calls, longest input "
          f"{longest} sub-tokens, {errors} errors, {size / 1e6:.1f} MB, "
          f"{time.time() - start:.0f} s")
    for api in sorted(per_api):
        print(f"  {api}: {per_api[api]} cases, {nonempty[api]} with a non-empty result")
    return 0


if __name__ == "__main__":
    sys.exit(main())
