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
                     "overlap": metrics.overlap_span_scores(gold, decisions[name], labels),
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
    """rows carry "set" (which file they came from). Scores over all rows and per set: decision
    accuracy and unsafe P/R/F1 (GLiGuard's rule), ROC AUC of prompt_safety's p(unsafe), the
    false-positive rate of safe rows per length bucket, the supervised multi-label micro F1, and
    for the contrast set the share of pairs whose two texts both get the right verdict."""
    schema = {"classifications": [
        dict({"task": t, "labels": c["labels"], "multi_label": c["multi_label"]},
             **({"cls_threshold": c["cls_threshold"]} if c["multi_label"] else {}))
        for t, c in guard.items()]}
    texts = [r["text"] for r in rows]
    out, decisions, results = {}, {}, {}
    for name, run in runners.items():
        t = time.time()
        res = run(schema, texts)
        items, dec = [], []
        for r, x in zip(rows, res):
            gold_unsafe = r["targets"]["prompt_safety"]["unsafe"] == 1
            flags, ml = {}, [0, 0, 0]
            for task in ("prompt_toxicity", "jailbreak_detection"):
                pred = metrics.multilabel_set(x, task)
                flags[task] = sorted(pred)
                for label, v in r["targets"][task].items():  # supervised labels only
                    if v == 1:
                        ml[0 if label in pred else 2] += 1
                    elif label in pred:
                        ml[1] += 1
            items.append({"set": r["set"], "source": r["source"], "pair": r.get("pair"),
                          "bucket": metrics.length_bucket(r["text"]), "gold": gold_unsafe,
                          "unsafe": metrics.gliguard_unsafe(x),
                          "safety_unsafe": metrics.single_label(x, "prompt_safety") == "unsafe",
                          "p_unsafe": metrics.p_unsafe(x), "multilabel": ml})
            dec.append((metrics.single_label(x, "prompt_safety"), flags))
        out[name] = {"all": moderation_scores(items),
                     "sets": {s: moderation_scores([i for i in items if i["set"] == s])
                              for s in sorted({i["set"] for i in items})},
                     "seconds": round(time.time() - t, 2)}
        decisions[name], results[name] = dec, res
    names = list(runners)
    if len(names) == 2:
        out["agreement"] = agreement(decisions[names[0]], decisions[names[1]],
                                     results[names[0]], results[names[1]])
    out["items"] = len(rows)
    return out


def moderation_scores(items):
    n = len(items)
    tp = sum(i["unsafe"] and i["gold"] for i in items)
    fp = sum(i["unsafe"] and not i["gold"] for i in items)
    fn = sum(not i["unsafe"] and i["gold"] for i in items)
    up, ur, uf = metrics.prf(tp, fp, fn)
    ml = [sum(i["multilabel"][k] for i in items) for k in range(3)]
    by_src = {}
    for i in items:
        c = by_src.setdefault(i["source"], [0, 0])
        c[0] += i["unsafe"] == i["gold"]
        c[1] += 1
    fpr = {}
    for b in metrics.LENGTH_BUCKETS:
        safe = [i for i in items if i["bucket"] == b and not i["gold"]]
        if safe:
            fpr[b] = (sum(i["unsafe"] for i in safe) / len(safe), len(safe))
    out = {"items": n, "unsafe_items": tp + fn,
           "prompt_safety_accuracy": sum(i["safety_unsafe"] == i["gold"] for i in items) / n,
           "decision_accuracy": sum(i["unsafe"] == i["gold"] for i in items) / n,
           "decision_unsafe_precision": up, "decision_unsafe_recall": ur,
           "decision_unsafe_f1": uf,
           "roc_auc_p_unsafe": metrics.roc_auc([i["p_unsafe"] for i in items],
                                               [i["gold"] for i in items]),
           "false_positive_rate_by_length": fpr,
           "decision_accuracy_by_source": {k: v[0] / v[1] for k, v in sorted(by_src.items())},
           "multilabel_supervised_micro": dict(zip(("precision", "recall", "f1"),
                                                   metrics.prf(*ml)))}
    pairs = {}
    for i in items:
        if i["pair"] is not None:
            pairs.setdefault(i["pair"], []).append(i["unsafe"] == i["gold"])
    if pairs:
        whole = [v for v in pairs.values() if len(v) == 2]
        out["contrast_pairs"] = len(whole)
        out["contrast_pair_accuracy"] = sum(all(v) for v in whole) / max(1, len(whole))
    return out


NAME_LABELS = ("person", "full_name", "first_name", "last_name")


def evaluate_sets(load, runners, args, files):
    """files: {"pii", "pii_prose", "intents", "mod": [(set name, path)], "ner",
    "ner_zeroshot"} -> report. Files that do not exist are skipped (a model folder from before
    the prose, contrast and length sets has only the first four)."""
    report = {}
    pii_sets = [(k, files[k]) for k in ("pii", "pii_prose") if k in files
                and os.path.exists(files[k])]
    foreign = holdout.german_or_french_regex()
    all_pii = []
    for key, path in pii_sets:
        rows = load(path)
        for r in rows:
            r["set"] = key
        all_pii += rows
    if all_pii:
        groups = {key: (lambda k: lambda r: r["set"] == k)(key) for key, _ in pii_sets}
        if "pii" in files:
            # Held-out keys in German or French vs English ones, reported apart (model card).
            groups["german_or_french_keys"] = lambda r: (r["set"] == "pii"
                                                         and bool(foreign.search(r["text"])))
        report["pii"] = eval_spans(all_pii, lambda r: list(PII_LABELS), runners, groups)
        prose = [r for r in all_pii if r["set"] == "pii_prose"]
        if prose:
            # Names in prose: the name labels only, on the prose documents.
            report["pii_prose_names"] = eval_spans(prose, lambda r: list(NAME_LABELS), runners)
    if "intents" in files and os.path.exists(files["intents"]):
        report["intents"] = eval_intents(load(files["intents"]), runners)
    mod_rows = []
    for name, path in files.get("mod", []):
        if os.path.exists(path):
            for r in load(path):
                r["set"] = name
                mod_rows.append(r)
    if mod_rows:
        report["moderation"] = eval_moderation(mod_rows, sources.guard_tasks(args.shared),
                                               runners)
    if "ner" in files and os.path.exists(files["ner"]):
        ner_rows = load(files["ner"])
        # NER rows come from two sources with different label sets: evaluate each group.
        report["ner"] = {}
        for src in sorted({r["source"] for r in ner_rows}):
            rows = [r for r in ner_rows if r["source"] == src]
            report["ner"][src] = eval_spans(rows, lambda r: list(r["labels"]), runners)
    if "ner_zeroshot" in files and os.path.exists(files["ner_zeroshot"]):
        rows = load(files["ner_zeroshot"])
        report["ner_zeroshot"] = eval_spans(rows, lambda r: list(r["labels"]), runners)
        report["ner_zeroshot"]["unseen_labels"] = sorted(set(rows[0]["labels"])
                                                         - sources.ZEROSHOT_SEEN)
    return report


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
    ap.add_argument("--dev", default=None, metavar="DIR",
                    help="evaluate on the development sets make_training_data.py writes to its "
                         "--out DIR (pii_dev, pii_prose_dev, mod_contrast_dev, mod_length_dev), "
                         "for choosing between training runs without the test sets")
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
        rows = sources.read_jsonl(path)
        return rows[:args.limit] if args.limit else rows

    def evaluate(where, files):
        # Missing sets are skipped one by one (a model folder may lack the newer ones), but a
        # folder with none of them is a wrong path, not an empty report.
        paths = [v for v in files.values() if isinstance(v, str)] + \
            [p for v in files.values() if isinstance(v, list) for _, p in v]
        if not any(os.path.exists(p) for p in paths):
            sys.exit(f"{where}: none of the evaluation sets is there "
                     f"({', '.join(sorted(os.path.basename(p) for p in paths))})"
                     + ("; give --eval-dir" if where == eval_dir else ""))
        return evaluate_sets(load, runners, args, files)

    if args.dev:
        report = evaluate(args.dev, {
            "pii": os.path.join(args.dev, "pii_dev.jsonl"),
            "pii_prose": os.path.join(args.dev, "pii_prose_dev.jsonl"),
            "mod": [("contrast", os.path.join(args.dev, "mod_contrast_dev.jsonl")),
                    ("length", os.path.join(args.dev, "mod_length_dev.jsonl"))]})
    elif args.pii_only:
        report = evaluate(args.pii_only, {"pii": args.pii_only})
    else:
        report = evaluate(eval_dir, {
            "pii": os.path.join(eval_dir, "pii_test.jsonl"),
            "pii_prose": os.path.join(eval_dir, "pii_prose_test.jsonl"),
            "intents": os.path.join(eval_dir, "cls_test.jsonl"),
            "mod": [("mod_test", os.path.join(eval_dir, "mod_test.jsonl")),
                    ("contrast", os.path.join(eval_dir, "mod_contrast_test.jsonl")),
                    ("length", os.path.join(eval_dir, "mod_length_test.jsonl"))],
            "ner": os.path.join(eval_dir, "ner_test.jsonl"),
            "ner_zeroshot": os.path.join(eval_dir, "ner_zeroshot_test.jsonl")})
    report["threshold"] = args.threshold
    print_report(report, list(runners))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)


def fmt(x):
    return f"{x:.3f}"


def _prf(m):
    return f"P {fmt(m[0])} R {fmt(m[1])} F1 {fmt(m[2])} (support {m[3]})"


def print_spans(title, rep, names, per_label=True):
    print(title)
    for n in names:
        print(f"  {n:9s} exact   {_prf(rep[n]['scores']['micro'])}, {rep[n]['seconds']} s")
        print(f"  {'':9s} overlap {_prf(rep[n]['overlap']['micro'])}")
        for group, g in rep[n].get("groups", {}).items():
            print(f"    {group.replace('_', ' ')} ({g[4]} documents): exact {_prf(g)}")
    if "agreement" in rep:
        print(f"  agreement: {rep['agreement']}")
    if per_label:
        first = names[0]
        print(f"  per label ({first}): label | exact P R F1 | overlap P R F1 | support")
        for label, v in rep[first]["scores"].items():
            if label != "micro" and v[3]:
                o = rep[first]["overlap"][label]
                print(f"    {label:24s} {fmt(v[0])} {fmt(v[1])} {fmt(v[2])} | {fmt(o[0])} "
                      f"{fmt(o[1])} {fmt(o[2])} | {v[3]}")


def print_moderation(rep, names):
    print("== Moderation (prompt_safety + prompt_toxicity + jailbreak_detection, one schema; "
          "verdict by GLiGuard's rule)")
    for n in names:
        for scope, m in [("all", rep[n]["all"])] + sorted(rep[n]["sets"].items()):
            line = (f"  {n:9s} {scope:9s} items {m['items']:5d} acc {fmt(m['decision_accuracy'])} "
                    f"unsafe P/R/F1 {fmt(m['decision_unsafe_precision'])}/"
                    f"{fmt(m['decision_unsafe_recall'])}/{fmt(m['decision_unsafe_f1'])} "
                    f"AUC {fmt(m['roc_auc_p_unsafe'])}")
            if "contrast_pair_accuracy" in m:
                line += (f" pairs {m['contrast_pairs']} both right "
                         f"{fmt(m['contrast_pair_accuracy'])}")
            print(line)
        fpr = rep[n]["all"]["false_positive_rate_by_length"]
        print(f"  {n:9s} false-positive rate of safe texts by length (words): " +
              ", ".join(f"{b} {fmt(v[0])} (n {v[1]})" for b, v in fpr.items()))
        print(f"  {n:9s} by source {rep[n]['all']['decision_accuracy_by_source']}")
        print(f"  {n:9s} multi-label supervised micro F1 "
              f"{fmt(rep[n]['all']['multilabel_supervised_micro']['f1'])}")
    if "agreement" in rep:
        print(f"  agreement: {rep['agreement']}")


def print_report(rep, names):
    if "pii" in rep:
        print_spans(f"== PII (42 labels in one request), threshold {rep['threshold']}",
                    rep["pii"], names)
    if "pii_prose_names" in rep:
        print_spans("== Names in prose (person, full_name, first_name, last_name)",
                    rep["pii_prose_names"], names)
    if "intents" in rep:
        print("== Intents (7-10 candidates)")
        for n in names:
            print(f"  {n:9s} accuracy {fmt(rep['intents'][n]['accuracy'])} "
                  f"{rep['intents'][n]['by_source']}")
        if "agreement" in rep["intents"]:
            print(f"  agreement: {rep['intents']['agreement']}")
    if "moderation" in rep:
        print_moderation(rep["moderation"], names)
    if "ner" in rep:
        for src, r in rep["ner"].items():
            print_spans(f"== General NER, {src}", r, names, per_label=False)
    if "ner_zeroshot" in rep:
        z = rep["ner_zeroshot"]
        print_spans("== Zero-shot NER (GUM, never trained on; unseen labels: "
                    f"{', '.join(z['unseen_labels'])})", z, names)
        for n in names:
            unseen = [z[n]["scores"][l] for l in z["unseen_labels"]]
            print(f"  {n:9s} unseen labels, mean F1 over labels "
                  f"{fmt(sum(v[2] for v in unseen) / len(unseen))}")


if __name__ == "__main__":
    main()
