"""The int8 accuracy gate of bench/gliner_bench.py: "decision agreement with fp32 >=
99.5 % on the benchmark inputs and on the default model's evaluation set, F1 drop <= 0.5 points".

On the benchmark inputs: bench_engine --decisions writes, per variant, the results of the first
timed repetition (one per text, with span offsets); `compare_decisions` reduces each result to
its decisions -- every entity / field span as (path, start, end), every class label, every
structure-instance count -- and counts the texts whose decision sets are identical. There are no
gold labels for these inputs, so no F1 here: span agreement (matched / fp32 and int8 spans) says
how far apart two differing texts are. Two models see them:
  * the default model (data/models/spanguard-small-v1, trained): this is the gate;
  * the run's checkpoint (random weights, gliner2-base or tiny shapes): reported, not gated. A
    random-weight model scores most candidate spans close to the threshold (it returns hundreds
    of "entities" per text), so one flipped span in hundreds makes a text disagree; the span
    agreement is the informative number there.

On the evaluation sets: bench/int8_agreement.py runs the `spanguard` CLI with and without --int8
over the default model's held-out sets (minutes, so not inside the benchmark); `eval_summary`
reads the JSON it writes (--json) for the report.
"""

import json
import os
import pathlib
import time

GATE_AGREEMENT = 0.995    # share of items with identical decisions
GATE_METRIC_DROP = 0.5    # points of F1 / accuracy (evaluation sets only)
EVAL_COMMAND = ("/usr/bin/python3 bench/int8_agreement.py --spanguard build/schemas/spanguard "
                "--skip-benchmark --json bench/.work/int8_agreement.json")


def decisions(value, path="", out=None):
    """The decisions of one formatted result (include_spans, no confidences) as a set of tuples:
    ("span", path, start, end), ("label", path, label), ("count", path, n), ("value", path, v)."""
    out = set() if out is None else out
    if isinstance(value, dict):
        if "start" in value and "end" in value:
            out.add(("span", path, value["start"], value["end"]))
        elif "label" in value:
            out.add(("label", path, value["label"]))
        else:
            for key, v in value.items():
                if key != "confidence":
                    decisions(v, f"{path}/{key}", out)
    elif isinstance(value, list):
        plain = [v for v in value if not (isinstance(v, dict) and ("start" in v or "label" in v))]
        if plain and all(isinstance(v, dict) for v in plain):
            # Structure instances: how many there are is a decision (the count head's), and
            # each instance's fields are decided in its own position.
            out.add(("count", path, len(value)))
            for i, v in enumerate(value):
                decisions(v, f"{path}[{i}]", out)
        else:
            for v in value:
                decisions(v, path, out)
    elif isinstance(value, str):
        if value:
            out.add(("label", path, value))
    elif value is not None:
        out.add(("value", path, value))
    return out


def compare_decisions(fp32, other):
    """fp32 / other: {workload: [result per text]} from bench_engine --decisions ->
    {workload: {items, identical, spans_fp32, spans_other, spans_matched, labels_fp32,
    labels_matched}} plus "all" pooled, and "agreement" per entry."""
    report = {}
    total = dict.fromkeys(("items", "identical", "spans_fp32", "spans_other", "spans_matched",
                           "labels_fp32", "labels_matched"), 0)
    for name, results in fp32.items():
        theirs = other.get(name)
        if theirs is None or len(theirs) != len(results):
            raise ValueError(f"decisions of workload {name!r}: {len(results)} fp32 results, "
                             f"{'none' if theirs is None else len(theirs)} to compare")
        row = dict.fromkeys(total, 0)
        for a, b in zip(results, theirs):
            da, db = decisions(a), decisions(b)
            sa = {d for d in da if d[0] == "span"}
            sb = {d for d in db if d[0] == "span"}
            la = da - sa
            row["items"] += 1
            row["identical"] += da == db
            row["spans_fp32"] += len(sa)
            row["spans_other"] += len(sb)
            row["spans_matched"] += len(sa & sb)
            row["labels_fp32"] += len(la)
            row["labels_matched"] += len(la & (db - sb))
        for k in total:
            total[k] += row[k]
        report[name] = row
    report["all"] = total
    for row in report.values():
        row["agreement"] = row["identical"] / row["items"] if row["items"] else None
    return report


def benchmark_gate(model, per_threads):
    """per_threads: {threads: compare_decisions(...)} -> the gate over every thread count."""
    worst = min((r["all"]["agreement"] for r in per_threads.values()
                 if r["all"]["agreement"] is not None), default=None)
    return {"model": str(model), "per_threads": per_threads, "threshold": GATE_AGREEMENT,
            "worst_agreement": worst, "pass": worst is not None and worst >= GATE_AGREEMENT}


def eval_summary(path, model_dir=None):
    """Reads int8_agreement.py's --json report -> {sets: {name: {agreement, metric, fp32, int8,
    drop_points}}, agreement, pass, file, written, stale} or None when the file is missing.
    stale: model_dir's weights are newer than the report (the model was retrained since)."""
    path = pathlib.Path(path)
    if not path.exists():
        return None
    weights = pathlib.Path(model_dir or "") / "model.safetensors"
    stale = bool(model_dir) and weights.exists() and (weights.stat().st_mtime >
                                                     path.stat().st_mtime)
    report = json.loads(path.read_text())
    sets, same, items = {}, 0, 0
    ok = True
    for name, r in (report.get("eval_default") or {}).items():
        a = r["agreement"]
        drop = 100 * (r["fp32"] - r["int8"])
        ok &= drop <= GATE_METRIC_DROP
        same += a["identical_decisions"]
        items += a["items"]
        sets[name] = {"agreement": a["identical_decisions"] / a["items"], "items": a["items"],
                      "metric": r["metric"], "fp32": r["fp32"], "int8": r["int8"],
                      "drop_points": drop}
    if not sets:
        return None
    agreement = same / items
    return {"file": str(path), "written": time.strftime(
        "%Y-%m-%d %H:%M UTC", time.gmtime(os.path.getmtime(path))),
        "sets": sets, "agreement": agreement, "items": items, "stale": stale,
        "pass": ok and agreement >= GATE_AGREEMENT}


def _pct(x):
    return "-" if x is None else f"{100 * x:.2f} %"


def markdown(gate):
    """The report's int8 section: benchmark inputs per thread count, then the evaluation sets."""
    if not gate:
        return []
    lines = ["", "## int8 accuracy gate", "",
             f"Gate: decision agreement with fp32 >= {100 * GATE_AGREEMENT:.1f} % on the "
             f"benchmark inputs and on the default model's evaluation sets, metric drop <= "
             f"{GATE_METRIC_DROP} points. A text agrees when its entity spans (label, start, end), "
             "class labels and instance counts are identical.", ""]
    for key, title, gated in (("benchmark_default", "default model (gated)", True),
                              ("benchmark_run", "this run's checkpoint (random weights: "
                               "reported, not gated)", False)):
        bench = gate.get(key)
        if not bench:
            continue
        for threads, rep in bench["per_threads"].items():
            lines += [f"Benchmark inputs, {title}, `{bench['model']}`, {threads} thread(s):", "",
                      "| workload | texts | identical | agreement | spans fp32 / int8 / matched "
                      "| labels matched |", "|---|---|---|---|---|---|"]
            for name, r in rep.items():
                lines.append(f"| {name} | {r['items']} | {r['identical']} | "
                             f"{_pct(r['agreement'])} | {r['spans_fp32']} / {r['spans_other']} / "
                             f"{r['spans_matched']} | {r['labels_matched']}/{r['labels_fp32']} |")
            lines.append("")
        verdict = "PASS" if bench["pass"] else "FAIL"
        lines += [f"**Benchmark inputs, {title}: {verdict if gated else verdict + ' (informative)'}"
                  f"** (lowest agreement {_pct(bench['worst_agreement'])})", ""]
    ev = gate.get("eval")
    if ev:
        lines += [f"Default model's evaluation sets (`bench/int8_agreement.py`, {ev['file']}, "
                  f"written {ev['written']}" + ("; **stale: the model's weights are newer, "
                                                 "rerun it**" if ev.get("stale") else "") + "):",
                  "",
                  "| set | agreement | metric | fp32 | int8 | drop (points) |",
                  "|---|---|---|---|---|---|"]
        for name, r in ev["sets"].items():
            lines.append(f"| {name} | {_pct(r['agreement'])} | {r['metric']} | {r['fp32']:.4f} | "
                         f"{r['int8']:.4f} | {r['drop_points']:+.2f} |")
        lines += ["", f"**Evaluation sets: {'PASS' if ev['pass'] else 'FAIL'}** (agreement "
                  f"{_pct(ev['agreement'])} over {ev['items']} items)", ""]
    else:
        lines += ["Evaluation sets: not in this report (no int8_agreement.py JSON found); run "
                  f"`{EVAL_COMMAND}` (a few minutes), then rerun or `--rerender`.", ""]
    return lines


# ONNX Runtime's int8 anchor (bench/onnx_quantize.py): its decisions, decoded from the hidden
# states of ORT's fp32 and int8 encoders by the reference (bench/ort_decisions.py), compared as
# spanguard's int8 is compared with its fp32.
ORT_PAIRS = (
    ("ort_int8_vs_ort_fp32", "ORT int8 vs ORT fp32", "ort_fp32", "ort_int8"),
    ("ort_int8_vs_spanguard_fp32", "ORT int8 vs spanguard fp32", "spanguard_fp32", "ort_int8"),
    ("ort_fp32_vs_spanguard_fp32", "ORT fp32 vs spanguard fp32", "spanguard_fp32", "ort_fp32"),
    ("spanguard_int8_vs_spanguard_fp32", "spanguard int8 vs spanguard fp32", "spanguard_fp32",
     "spanguard_int8"),
)


def ort_agreement(decided):
    """decided: {"spanguard_fp32", "ort_fp32", "ort_int8", optionally "spanguard_int8"}: each
    {workload: [result per text]} -> {pair key: compare_decisions(...)} for ORT_PAIRS."""
    return {key: compare_decisions(decided[a], decided[b])
            for key, _, a, b in ORT_PAIRS if decided.get(a) and decided.get(b)}


def _cell(r):
    return (f"{r['identical']}/{r['items']} ({_pct(r['agreement'])}), spans "
            f"{r['spans_matched']}/{r['spans_fp32']}")


def ort_markdown(anchor):
    """The report's section on ONNX Runtime's int8 anchor: how the graph was quantized, which
    fused kernels ORT ran, and the decision agreement per model and workload."""
    if not anchor:
        return []
    lines = ["", "## ONNX Runtime int8 anchor", ""]
    q = anchor.get("quantize")
    if q:
        ranks = ", ".join(f"{k} weights: {v}" for k, v in
                          sorted(q["quantized_by_weight_rank"].items()))
        lines += [f"`bench/onnx_quantize.py` (scope {q['scope']}): {q['matmuls_quantized']} "
                  f"MatMuls with constant weights ({ranks}) -> DynamicQuantizeLinear + "
                  f"MatMulInteger + scale; {q['dynamic_quantize_linear']} DynamicQuantizeLinear; "
                  f"{q['matmuls_left_float']} MatMuls left float "
                  f"({'; '.join(f'{k}: {v}' for k, v in q['left_because'].items()) or '-'}); "
                  f"weights {q['float_weight_bytes'] / 2**20:.1f} MiB float -> "
                  f"{q['int8_weight_bytes'] / 2**20:.1f} MiB int8 ({q['weights']}; "
                  f"activations {q['activations']}).", ""]
    fused = anchor.get("optimized_ops")
    if fused:
        lines += ["Kernels ONNX Runtime ran for them (its optimised graph): " + ", ".join(
            f"{k} {v}" for k, v in sorted(fused.items())) + ".", ""]
    if anchor.get("error"):
        lines += [f"Agreement not measured: {anchor['error']}", ""]
    for key, title in (("benchmark_default", "default model"),
                       ("benchmark_run", "this run's checkpoint (random weights)")):
        a = anchor.get(key)
        if not a:
            continue
        pairs = [(k, label) for k, label, _, _ in ORT_PAIRS if k in a["pairs"]]
        subset = (f", the first {a['texts_limit']} texts of each workload"
                  if a.get("texts_limit") else "")
        lines += [f"Decision agreement, benchmark inputs{subset}, {title}, `{a['model']}`, "
                  f"encoders at {a['threads']} thread(s): texts with identical decisions "
                  "(agreement), spans matched / spans of the first:", "",
                  "| workload | " + " | ".join(label for _, label in pairs) + " |",
                  "|---|" + "---|" * len(pairs)]
        names = list(a["pairs"][pairs[0][0]]) if pairs else []
        for name in names:
            lines.append(f"| {name} | " + " | ".join(_cell(a["pairs"][k][name])
                                                     for k, _ in pairs) + " |")
        own = a["pairs"].get("ort_int8_vs_ort_fp32")
        if own:
            verdict = ("would pass" if own["all"]["agreement"] is not None and
                       own["all"]["agreement"] >= GATE_AGREEMENT else "would not pass")
            lines += ["", f"ORT int8 against its own fp32: {_pct(own['all']['agreement'])} of "
                      f"{own['all']['items']} texts identical; it {verdict} spanguard's "
                      f"{100 * GATE_AGREEMENT:.1f} % gate."]
        lines.append("")
    return lines
