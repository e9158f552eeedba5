#!/usr/bin/env python3
"""Evaluates spanguard's default model on its held-out sets with the C++ engine (the `spanguard`
CLI) and with the PyTorch reference, and reports both side by side.

    /usr/bin/python3 python/tools/evaluate_default_model.py --spanguard build/schemas/spanguard \
        [--model data/models/spanguard-small-v1] [--eval-dir MODEL/eval] [--json out.json]

Held-out sets (MODEL/eval/, written by make_training_data.py):
  pii_test.jsonl  synthetic PII documents from held-out template families; all 42 labels in
                  one request; span-level exact match (start, end, label) P/R/F1, per label and
                  micro;
  cls_test.jsonl  intents (banking77 / CLINC150 / SNIPS held-out items) with 7-10 candidate
                  labels each; accuracy;
  mod_test.jsonl  moderation prompts; the three GLiGuard prompt tasks in one schema; accuracy of
                  prompt_safety, GLiGuard's decision rule (unsafe iff safety = unsafe or a
                  non-benign toxicity / jailbreak label), and F1 of the supervised multi-labels;
  ner_test.jsonl  general entities (WNUT17 dev, BTC section h); exact-match micro F1.
With --pii-only FILE only the PII evaluation runs, on FILE (make_training_data.py's
pii_dev.jsonl: the held-out families with other values and documents, for choosing between
training runs without looking at the test set).
Agreement: the share of items whose decisions (entity sets, labels) are identical between the
engine and the reference, and the largest confidence difference.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from spanguard_reference.api import GLiNER2  # noqa: E402
from spanguard_train import holdout, metrics, sources  # noqa: E402
from spanguard_train.pii_synth import PII_LABELS  # noqa: E402


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run_engine(spanguard, model, schema, texts, threshold):
    """The C++ engine over `texts` with one schema -> formatted results (confidence + spans)."""
    with tempfile.TemporaryDirectory() as tmp:
        schema_path = os.path.join(tmp, "schema.json")
        with open(schema_path, "w", encoding="utf-8") as f:
            json.dump(schema, f)
        stdin = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
        proc = subprocess.run([spanguard, "extract", "--model", model, "--schema", schema_path,
                               "--include-confidence", "--include-spans",
                               "--threshold", repr(threshold)],
                              input=stdin.encode("utf-8"), capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{spanguard} extract failed ({proc.returncode}): "
                           f"{proc.stderr.decode('utf-8', 'replace')[:2000]}")
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines() if line]
    if len(out) != len(texts):
        raise RuntimeError(f"engine wrote {len(out)} lines for {len(texts)} inputs")
    for i, r in enumerate(out):
        if isinstance(r, dict) and "error" in r and len(r) <= 2:
            raise RuntimeError(f"engine error on input {i}: {r}")
    return out


def run_reference(ref, schema, texts, threshold):
    return ref.batch_extract(texts, schema, batch_size=8, threshold=threshold,
                             include_confidence=True, include_spans=True)


def _confidences(value, out):
    """Every confidence inside a formatted result, in document order."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "confidence":
                out.append(v)
            else:
                _confidences(v, out)
    elif isinstance(value, list):
        for v in value:
            _confidences(v, out)
    return out


def max_conf_diff(a, b):
    ca, cb = _confidences(a, []), _confidences(b, [])
    if len(ca) != len(cb):
        return None
    return max([abs(x - y) for x, y in zip(ca, cb)], default=0.0)


def agreement(decisions_a, decisions_b, results_a, results_b):
    same = sum(x == y for x, y in zip(decisions_a, decisions_b))
    diffs = [max_conf_diff(x, y) for x, y in zip(results_a, results_b)]
    comparable = [d for d in diffs if d is not None]
    return {"identical_decisions": same, "items": len(decisions_a),
            "max_confidence_diff": max(comparable, default=0.0)}


# ---------------------------------------------------------------------------------------------

def eval_spans(rows, labels_of, runners, groups=None):
    """Entity tasks; labels_of(row) -> label list; all rows of one call share it. groups:
    {name: row predicate}; each runner's micro scores over the rows of each group go under
    "groups" (with the group's document count)."""
    labels = labels_of(rows[0])
    schema = {"entities": labels}
    texts = [r["text"] for r in rows]
    gold = [{(s, e, l) for s, e, l in r["entities"] if l in labels} for r in rows]
    members = {group: [i for i, r in enumerate(rows) if member(r)]
               for group, member in (groups or {}).items()}
    out, decisions, results = {}, {}, {}
    for name, run in runners.items():
        t = time.time()
        res = run(schema, texts)
        results[name] = res
        decisions[name] = [metrics.entity_set(x, labels) for x in res]
        out[name] = {"scores": metrics.span_scores(gold, decisions[name], labels),
                     "seconds": round(time.time() - t, 2)}
        for group, keep in members.items():
            scores = metrics.span_scores([gold[i] for i in keep],
                                         [decisions[name][i] for i in keep], labels)
            out[name].setdefault("groups", {})[group] = scores["micro"] + (len(keep),)
    names = list(runners)
    if len(names) == 2:
        out["agreement"] = agreement(decisions[names[0]], decisions[names[1]],
                                     results[names[0]], results[names[1]])
    return out


def eval_intents(rows, runners):
    groups = {}
    for i, r in enumerate(rows):
        groups.setdefault((r["task"], tuple(r["labels"])), []).append(i)
    out, decisions, results = {}, {}, {}
    for name, run in runners.items():
        t = time.time()
        preds, res_all = [None] * len(rows), [None] * len(rows)
        for (task, labels), idx in groups.items():
            schema = {"classifications": [{"task": task, "labels": list(labels)}]}
            res = run(schema, [rows[i]["text"] for i in idx])
            for i, x in zip(idx, res):
                preds[i] = metrics.single_label(x, task)
                res_all[i] = x
        correct = sum(p == r["gold"] for p, r in zip(preds, rows))
        by_src = {}
        for p, r in zip(preds, rows):
            c = by_src.setdefault(r["source"], [0, 0])
            c[0] += p == r["gold"]
            c[1] += 1
        out[name] = {"accuracy": correct / len(rows),
                     "by_source": {k: v[0] / v[1] for k, v in sorted(by_src.items())},
                     "seconds": round(time.time() - t, 2)}
        decisions[name], results[name] = preds, res_all
    names = list(runners)
    if len(names) == 2:
        out["agreement"] = agreement(decisions[names[0]], decisions[names[1]],
                                     results[names[0]], results[names[1]])
    out["items"] = len(rows)
    return out


def eval_moderation(rows, guard, runners):
    schema = {"classifications": [
        dict({"task": t, "labels": c["labels"], "multi_label": c["multi_label"]},
             **({"cls_threshold": c["cls_threshold"]} if c["multi_label"] else {}))
        for t, c in guard.items()]}
    texts = [r["text"] for r in rows]
    out, decisions, results = {}, {}, {}
    for name, run in runners.items():
        t = time.time()
        res = run(schema, texts)
        safety_ok = decision_ok = 0
        tp = fp = fn = 0
        by_src = {}
        tp_fp_fn_unsafe = [0, 0, 0]
        dec = []
        for r, x in zip(rows, res):
            gold_unsafe = r["targets"]["prompt_safety"]["unsafe"] == 1
            safety_ok += (metrics.single_label(x, "prompt_safety") == "unsafe") == gold_unsafe
            unsafe = metrics.gliguard_unsafe(x)
            decision_ok += unsafe == gold_unsafe
            c = by_src.setdefault(r["source"], [0, 0])
            c[0] += unsafe == gold_unsafe
            c[1] += 1
            tp_fp_fn_unsafe[0] += unsafe and gold_unsafe
            tp_fp_fn_unsafe[1] += unsafe and not gold_unsafe
            tp_fp_fn_unsafe[2] += (not unsafe) and gold_unsafe
            flags = {}
            for task in ("prompt_toxicity", "jailbreak_detection"):
                pred = metrics.multilabel_set(x, task)
                flags[task] = sorted(pred)
                for label, v in r["targets"][task].items():  # supervised labels only
                    if v == 1 and label in pred:
                        tp += 1
                    elif v == 1:
                        fn += 1
                    elif label in pred:
                        fp += 1
            dec.append((metrics.single_label(x, "prompt_safety"), flags))
        n = len(rows)
        p, rcl, f = metrics.prf(tp, fp, fn)
        up, ur, uf = metrics.prf(*tp_fp_fn_unsafe)
        out[name] = {"prompt_safety_accuracy": safety_ok / n,
                     "decision_accuracy": decision_ok / n,
                     "decision_unsafe_precision": up, "decision_unsafe_recall": ur,
                     "decision_unsafe_f1": uf,
                     "decision_accuracy_by_source": {k: v[0] / v[1]
                                                     for k, v in sorted(by_src.items())},
                     "multilabel_supervised_micro": {"precision": p, "recall": rcl, "f1": f},
                     "seconds": round(time.time() - t, 2)}
        decisions[name], results[name] = dec, res
    names = list(runners)
    if len(names) == 2:
        out["agreement"] = agreement(decisions[names[0]], decisions[names[1]],
                                     results[names[0]], results[names[1]])
    out["items"] = len(rows)
    return out


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    default_model = os.path.normpath(os.path.join(here, "..", "..", "data", "models",
                                                  "spanguard-small-v1"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=default_model)
    ap.add_argument("--eval-dir", default=None, help="default: MODEL/eval")
    ap.add_argument("--spanguard", default=None,
                    help="path of the spanguard CLI (omit to run the PyTorch reference only)")
    ap.add_argument("--no-reference", action="store_true", help="engine only")
    ap.add_argument("--shared", default="/work/shared",
                    help="for reference/gliguard_labels.json")
    ap.add_argument("--limit", type=int, default=0, help="first N items of each set (0: all)")
    ap.add_argument("--threshold", type=float, default=0.5,
                    help="span threshold (the engine's and the reference's default is 0.5)")
    ap.add_argument("--json", default=None, help="also write the full report here")
    ap.add_argument("--pii-only", default=None, metavar="JSONL",
                    help="evaluate only PII, on this file (e.g. the pii_dev.jsonl that "
                         "make_training_data.py writes, to compare models without the test set)")
    args = ap.parse_args(argv)
    eval_dir = args.eval_dir or os.path.join(args.model, "eval")
    runners = {}
    if args.spanguard:
        runners["engine"] = lambda schema, texts: run_engine(args.spanguard, args.model, schema,
                                                             texts, args.threshold)
    if not args.no_reference:
        ref = GLiNER2.from_pretrained(args.model)
        runners["reference"] = lambda schema, texts: run_reference(ref, schema, texts,
                                                                   args.threshold)
    if not runners:
        sys.exit("nothing to run: give --spanguard and/or drop --no-reference")

    def load(path):
        rows = read_jsonl(path)
        return rows[:args.limit] if args.limit else rows

    pii_path = args.pii_only or os.path.join(eval_dir, "pii_test.jsonl")
    # Held-out keys in German or French vs English ones, reported apart (model card).
    foreign = holdout.german_or_french_regex()
    by_key = {"german_or_french_keys": lambda r: bool(foreign.search(r["text"])),
              "english_keys": lambda r: not foreign.search(r["text"])}
    report = {"pii": eval_spans(load(pii_path), lambda r: list(PII_LABELS), runners, by_key)}
    if not args.pii_only:
        guard = sources.guard_tasks(args.shared)
        report["intents"] = eval_intents(load(os.path.join(eval_dir, "cls_test.jsonl")), runners)
        report["moderation"] = eval_moderation(load(os.path.join(eval_dir, "mod_test.jsonl")),
                                               guard, runners)
        ner_rows = load(os.path.join(eval_dir, "ner_test.jsonl"))
        # NER rows come from two sources with different label sets: evaluate each group.
        report["ner"] = {}
        for src in sorted({r["source"] for r in ner_rows}):
            rows = [r for r in ner_rows if r["source"] == src]
            report["ner"][src] = eval_spans(rows, lambda r: list(r["labels"]), runners)
    report["threshold"] = args.threshold
    (print_pii if args.pii_only else print_report)(report, list(runners))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)


def fmt(x):
    return f"{x:.3f}"


def print_pii(rep, names):
    print(f"== PII (42 labels in one request), span exact match, threshold {rep['threshold']}")
    for n in names:
        m = rep["pii"][n]["scores"]["micro"]
        print(f"  {n:9s} micro P {fmt(m[0])} R {fmt(m[1])} F1 {fmt(m[2])} "
              f"(support {m[3]}, {rep['pii'][n]['seconds']} s)")
        for group, g in rep["pii"][n].get("groups", {}).items():
            print(f"    documents with {group.replace('_', ' ')}: P {fmt(g[0])} R {fmt(g[1])} "
                  f"F1 {fmt(g[2])} (support {g[3]}, {g[4]} documents)")
    if "agreement" in rep["pii"]:
        print(f"  agreement: {rep['pii']['agreement']}")
    first = names[0]
    print(f"  per label ({first}): label P R F1 support")
    for label, v in rep["pii"][first]["scores"].items():
        if label != "micro":
            print(f"    {label:24s} {fmt(v[0])} {fmt(v[1])} {fmt(v[2])} {v[3]}")


def print_report(rep, names):
    print_pii(rep, names)
    print("== Intents (7-10 candidates)")
    for n in names:
        print(f"  {n:9s} accuracy {fmt(rep['intents'][n]['accuracy'])} "
              f"{rep['intents'][n]['by_source']}")
    if "agreement" in rep["intents"]:
        print(f"  agreement: {rep['intents']['agreement']}")
    print("== Moderation (prompt_safety + prompt_toxicity + jailbreak_detection, one schema)")
    for n in names:
        m = rep["moderation"][n]
        print(f"  {n:9s} safety acc {fmt(m['prompt_safety_accuracy'])} decision acc "
              f"{fmt(m['decision_accuracy'])} unsafe P/R/F1 {fmt(m['decision_unsafe_precision'])}/"
              f"{fmt(m['decision_unsafe_recall'])}/{fmt(m['decision_unsafe_f1'])} "
              f"multi-label F1 {fmt(m['multilabel_supervised_micro']['f1'])}")
        print(f"            by source {m['decision_accuracy_by_source']}")
    if "agreement" in rep["moderation"]:
        print(f"  agreement: {rep['moderation']['agreement']}")
    print("== General NER (exact match micro)")
    for src, r in rep["ner"].items():
        for n in names:
            m = r[n]["scores"]["micro"]
            print(f"  {src:7s} {n:9s} P {fmt(m[0])} R {fmt(m[1])} F1 {fmt(m[2])} "
                  f"(support {m[3]})")
        if "agreement" in r:
            print(f"  {src:7s} agreement: {r['agreement']}")


if __name__ == "__main__":
    main()
