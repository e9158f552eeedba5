#!/usr/bin/env python3
"""Accuracy gate for int8 inference: runs the `spanguard` CLI with and without --int8 on the same
inputs and reports how often the decisions agree and how much the quality metrics move.

    /usr/bin/python3 bench/int8_agreement.py --spanguard build/schemas/spanguard \
        [--model data/models/spanguard-small-v1] [--base bench/.work/base-seed1] [--json out.json]

Sets:
  * the default model's held-out evaluation sets (MODEL/eval/*.jsonl), scored with the functions of
    python/tools/evaluate_default_model.py (PII micro F1 on the structured and the prose sets,
    intent accuracy, moderation unsafe F1 over the moderation, contrast and length sets, NER micro
    F1), once per precision;
  * the benchmark inputs (bench/bench_workloads.py, profile `full`: short, medium, moderation and
    the first --throughput-items throughput texts, each with its schema), on the default model and,
    with --base, on a base-shaped checkpoint (e.g. the random-weight bench/.work/base-seed1).
An item agrees when its decisions are identical: the same entity spans and labels, the same class
labels (confidences are compared separately: largest absolute difference). The int8 gate:
agreement >= 99.5 % over the benchmark inputs and over the evaluation sets, and no metric dropping
by more than 0.5 points. Exit status 1 when it fails.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "python", "tools"))
sys.path.insert(0, HERE)

import bench_workloads  # noqa: E402


CACHE_DIR = None  # --cache: float32 results are reused from here (they do not change run to run)


def run_cli(spanguard, model, schema, texts, int8, threads):
    """One `spanguard extract` over `texts` -> formatted results with confidences and spans."""
    cache_path = None
    if CACHE_DIR and not int8:
        key = json.dumps([os.path.abspath(model), schema, texts, threads], sort_keys=True)
        cache_path = os.path.join(CACHE_DIR, hashlib.sha256(key.encode()).hexdigest() + ".json")
        if os.path.exists(cache_path):
            with open(cache_path, encoding="utf-8") as f:
                return json.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        schema_path = os.path.join(tmp, "schema.json")
        with open(schema_path, "w", encoding="utf-8") as f:
            json.dump(schema, f)
        stdin = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
        cmd = [spanguard, "extract", "--model", model, "--schema", schema_path,
               "--include-confidence", "--include-spans", "--format", "bare", "--quiet"]
        if threads:
            cmd += ["--threads", str(threads)]
        if int8:
            cmd.append("--int8")
        proc = subprocess.run(cmd, input=stdin.encode("utf-8"), capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): "
                           f"{proc.stderr.decode('utf-8', 'replace')[:2000]}")
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines() if line]
    if len(out) != len(texts):
        raise RuntimeError(f"engine wrote {len(out)} lines for {len(texts)} inputs")
    if cache_path:
        os.makedirs(CACHE_DIR, exist_ok=True)
        with open(cache_path, "w", encoding="utf-8") as f:
            json.dump(out, f)
    return out


def strip_confidences(value):
    if isinstance(value, dict):
        return {k: strip_confidences(v) for k, v in value.items() if k != "confidence"}
    if isinstance(value, list):
        return [strip_confidences(v) for v in value]
    return value


def confidences(value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "confidence":
                out.append(v)
            else:
                confidences(v, out)
    elif isinstance(value, list):
        for v in value:
            confidences(v, out)
    return out


def compare(results_fp32, results_int8):
    same = 0
    max_diff = 0.0
    for a, b in zip(results_fp32, results_int8):
        if strip_confidences(a) == strip_confidences(b):
            same += 1
            ca, cb = confidences(a, []), confidences(b, [])
            max_diff = max([max_diff] + [abs(x - y) for x, y in zip(ca, cb)])
    return {"items": len(results_fp32), "identical_decisions": same,
            "agreement": same / max(len(results_fp32), 1),
            "max_confidence_diff_when_identical": max_diff}


def benchmark_sets(spanguard, model, threads, throughput_items):
    workloads = bench_workloads.make_workloads("full")["workloads"]
    report = {}
    for w in workloads:
        if w["name"] == "long":
            continue  # windowed: covered by the same GEMMs as medium, and slow here
        texts = w["texts"][:throughput_items] if w["name"] == "throughput" else w["texts"]
        fp32 = run_cli(spanguard, model, w["schema"], texts, False, threads)
        int8 = run_cli(spanguard, model, w["schema"], texts, True, threads)
        report[w["name"]] = compare(fp32, int8)
    return report


def eval_sets(spanguard, model, threads, shared):
    import evaluate_default_model as ev  # imports the PyTorch reference package (not run here)
    from spanguard_train import sources
    from spanguard_train.pii_synth import PII_LABELS

    runners = {
        "fp32": lambda schema, texts: run_cli(spanguard, model, schema, texts, False, threads),
        "int8": lambda schema, texts: run_cli(spanguard, model, schema, texts, True, threads),
    }
    eval_dir = os.path.join(model, "eval")
    load = lambda name: sources.read_jsonl(os.path.join(eval_dir, name))  # noqa: E731
    out = {}
    pii = ev.eval_spans(load("pii_test.jsonl"), lambda r: list(PII_LABELS), runners)
    out["pii"] = {"agreement": pii["agreement"],
                  "metric": "micro F1", "fp32": pii["fp32"]["scores"]["micro"][2],
                  "int8": pii["int8"]["scores"]["micro"][2]}
    intents = ev.eval_intents(load("cls_test.jsonl"), runners)
    out["intents"] = {"agreement": intents["agreement"], "metric": "accuracy",
                      "fp32": intents["fp32"]["accuracy"], "int8": intents["int8"]["accuracy"]}
    if os.path.exists(os.path.join(eval_dir, "pii_prose_test.jsonl")):
        prose = ev.eval_spans(load("pii_prose_test.jsonl"), lambda r: list(PII_LABELS), runners)
        out["pii_prose"] = {"agreement": prose["agreement"], "metric": "micro F1",
                            "fp32": prose["fp32"]["scores"]["micro"][2],
                            "int8": prose["int8"]["scores"]["micro"][2]}
    mod_rows = []
    for name in ("mod_test", "mod_contrast_test", "mod_length_test"):
        if os.path.exists(os.path.join(eval_dir, name + ".jsonl")):
            mod_rows += [dict(r, set=name) for r in load(name + ".jsonl")]
    mod = ev.eval_moderation(mod_rows, sources.guard_tasks(shared), runners)
    out["moderation"] = {"agreement": mod["agreement"], "metric": "decision unsafe F1",
                         "fp32": mod["fp32"]["all"]["decision_unsafe_f1"],
                         "int8": mod["int8"]["all"]["decision_unsafe_f1"]}
    ner_rows = load("ner_test.jsonl")
    for src in sorted({r["source"] for r in ner_rows}):
        rows = [r for r in ner_rows if r["source"] == src]
        ner = ev.eval_spans(rows, lambda r: list(r["labels"]), runners)
        out["ner_" + src] = {"agreement": ner["agreement"], "metric": "micro F1",
                             "fp32": ner["fp32"]["scores"]["micro"][2],
                             "int8": ner["int8"]["scores"]["micro"][2]}
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spanguard", required=True, help="path of the spanguard CLI")
    ap.add_argument("--model", default=os.path.join(ROOT, "data", "models", "spanguard-small-v1"))
    ap.add_argument("--base", default=None, help="a base-shaped checkpoint for the benchmark sets")
    ap.add_argument("--shared", default="/work/shared", help="for reference/gliguard_labels.json")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--throughput-items", type=int, default=200)
    ap.add_argument("--skip-eval", action="store_true", help="benchmark inputs only")
    ap.add_argument("--skip-benchmark", action="store_true", help="evaluation sets only")
    ap.add_argument("--cache", default=None,
                    help="folder to keep float32 results in between runs (int8 always reruns)")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    global CACHE_DIR
    CACHE_DIR = args.cache

    report = {}
    if not args.skip_benchmark:
        report["benchmark_default"] = benchmark_sets(args.spanguard, args.model, args.threads,
                                                     args.throughput_items)
    if args.base:
        report["benchmark_base"] = benchmark_sets(args.spanguard, args.base, args.threads,
                                                  args.throughput_items)
    if not args.skip_eval:
        report["eval_default"] = eval_sets(args.spanguard, args.model, args.threads, args.shared)

    # The int8 gate: per group (the benchmark inputs; the evaluation sets), agreement over
    # all items of the group >= 99.5 %, and no metric drops by more than 0.5 points.
    ok = True
    groups = {}
    for group in ("benchmark_default", "benchmark_base"):
        for name, r in report.get(group, {}).items():
            g = groups.setdefault("benchmark inputs", [0, 0])
            g[0] += r["identical_decisions"]
            g[1] += r["items"]
            print(f"{group:18s} {name:12s} agreement {100 * r['agreement']:6.2f} % "
                  f"({r['identical_decisions']}/{r['items']}), max |conf diff| "
                  f"{r['max_confidence_diff_when_identical']:.4f}")
    for name, r in report.get("eval_default", {}).items():
        a = r["agreement"]
        g = groups.setdefault("evaluation sets", [0, 0])
        g[0] += a["identical_decisions"]
        g[1] += a["items"]
        drop = 100 * (r["fp32"] - r["int8"])
        ok &= drop <= 0.5
        print(f"{'eval_default':18s} {name:12s} agreement "
              f"{100 * a['identical_decisions'] / a['items']:6.2f} % "
              f"({a['identical_decisions']}/{a['items']}); {r['metric']} fp32 {r['fp32']:.4f} "
              f"int8 {r['int8']:.4f} (drop {drop:+.2f} points)")
    for name, (same, items) in groups.items():
        ok &= same / items >= 0.995
        print(f"{name}: agreement {100 * same / items:.2f} % ({same}/{items})")
    print(f"gate (agreement >= 99.5 % per group, metric drop <= 0.5 points): "
          f"{'PASS' if ok else 'FAIL'}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
