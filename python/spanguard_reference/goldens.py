"""Running golden-file cases ({"api", "args", "kwargs", "result", "error", "encoder_calls"}) on the
reference, and checking a run against a golden case.

The upstream goldens write the schema of `extract` / `batch_extract_long` as a placeholder string
(see /work/shared/reference/parity/README.md); cases written by tools/make_parity_cases.py carry
the schema itself in Schema.from_dict form.
"""

import dataclasses
import json

import numpy as np
import torch

from .compare import compare_results, request_thresholds

PLACEHOLDER_SCHEMAS = {
    # entities [person, company, location]; classification `topic` over [business, sports,
    # science]; relations [works_for]; structure `profile` with fields name (str), role (str),
    # employer (list).
    "SCHEMA_COMBINED": {
        "structures": {"profile": {"fields": [{"name": "name", "dtype": "str"},
                                              {"name": "role", "dtype": "str"},
                                              {"name": "employer", "dtype": "list"}]}},
        "entities": ["person", "company", "location"],
        "relations": ["works_for"],
        "classifications": [{"task": "topic", "labels": ["business", "sports", "science"]}],
    },
    "SCHEMA_ENTS": {"entities": ["person", "organization", "city", "year"]},
}


def resolve_args(args):
    return [PLACEHOLDER_SCHEMAS.get(a, a) if isinstance(a, str) else a for a in args]


def to_json_value(v):
    """Tuples become lists, as in the golden files."""
    return json.loads(json.dumps(v, ensure_ascii=False))


@dataclasses.dataclass
class CaseRun:
    result: object
    error: object
    encoder_calls: list  # (input_ids [B,S] int64, attention_mask [B,S], hidden [B,S,H])


def run_case(model, case):
    """model: api.GLiNER2. Runs one case, recording every encoder call."""
    calls = []
    model.model.on_encoder_call = lambda ids, mask, h: calls.append((ids, mask, h))
    try:
        result = getattr(model, case["api"])(*resolve_args(case["args"]), **case["kwargs"])
        return CaseRun(to_json_value(result), None, calls)
    except ValueError as e:
        return CaseRun(None, f"{type(e).__name__}: {e}", calls)
    finally:
        model.model.on_encoder_call = None


def encoder_calls_json(calls, decimals=7):
    return [{"input_ids": ids.tolist(), "attention_mask": mask.tolist(),
             "last_hidden_state": np.round(h.double().numpy(), decimals).tolist()}
            for ids, mask, h in calls]


@dataclasses.dataclass
class CaseCheck:
    problems: list
    max_hidden_diff: float
    near_threshold: int
    tie_swaps: int


def check_case(run, case, hidden_tol=1e-4, conf_tol=1e-5):
    problems = []
    max_dh = 0.0
    want_calls = case["encoder_calls"]
    if len(run.encoder_calls) != len(want_calls):
        problems.append(f"{len(run.encoder_calls)} encoder calls, golden has {len(want_calls)}")
    for n, ((ids, mask, h), want) in enumerate(zip(run.encoder_calls, want_calls)):
        if ids.tolist() != want["input_ids"]:
            problems.append(f"encoder call {n}: input_ids differ")
            continue
        if mask.tolist() != want["attention_mask"]:
            problems.append(f"encoder call {n}: attention_mask differs")
            continue
        dh = float((h - torch.tensor(want["last_hidden_state"])).abs().max())
        max_dh = max(max_dh, dh)
        if dh > hidden_tol:
            problems.append(f"encoder call {n}: max |dh| = {dh:.3g} > {hidden_tol}")
    if (run.error is None) != (case.get("error") is None):
        problems.append(f"error: got {run.error!r}, golden {case.get('error')!r}")
    cmp = compare_results(run.result, case["result"],
                          request_thresholds(case["args"], case["kwargs"]), conf_tol)
    problems += cmp.mismatches
    return CaseCheck(problems, max_dh, cmp.near_threshold, cmp.tie_swaps)
