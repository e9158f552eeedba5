"""The GLiNER v1 peer benchmark: spanguard (schemas::V1Model) vs ONNX Runtime on an ONNX export
of the same model vs the PyTorch reference, same run, same inputs, at a gliner_medium-v2.1-like
shape (DeBERTa-v3-base encoder, markerV0, LSTM). One command:

    /usr/bin/python3 bench/gliner_v1_bench.py                  # full protocol -> bench/results/
    /usr/bin/python3 bench/gliner_v1_bench.py --profile quick  # same shapes, fewer repetitions
    /usr/bin/python3 bench/gliner_v1_bench.py --smoke          # tiny checkpoint, seconds (CI)

Steps: create (or reuse) the random checkpoint (python/tools/make_random_v1_checkpoint.py), export
the reference to ONNX (bench/onnx_export_v1.py), install onnxruntime-node into bench/.work/ort if
it is missing (as bench/gliner_bench.py does; ORT is skipped with a message when that fails),
build bench_engine_v1, write the short and medium workloads (bench_workloads.make_v1_workloads),
then per thread count run spanguard (e2e pass, then the stage pass, which on the first thread
count also dumps the inputs), ONNX Runtime (bench/ort_runner_v1.js) with intra-op spinning off
and on (with more than one thread; the faster is reported) and PyTorch
(bench/torch_runner_v1.py), each in its own process, one after the other. Results:
gliner_v1_bench.json (summary, raw samples, decisions, machine) and gliner_v1_bench.md in --out.
bench/README.md explains the method. Exit status 1 when ORT's outputs differ from the
reference's or from spanguard's by more than --max-diff.
"""

import argparse
import datetime
import json
import math
import os
import pathlib
import statistics
import struct
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bench_workloads  # noqa: E402
import gliner_bench  # noqa: E402
from bench_report import _f, _flat, _pct  # noqa: E402
from gliner_bench import PY, ensure_ort, machine, run, uptime  # noqa: E402

ENGINES = ("spanguard", "onnxruntime", "pytorch")
PAIRS = (("spanguard", "onnxruntime"), ("spanguard", "pytorch"), ("onnxruntime", "pytorch"))


def log(msg):
    print(f"[gliner_v1_bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


gliner_bench.log = log  # the helpers borrowed from gliner_bench.py log under this name


def ensure_checkpoint(path, shape, gliner_hidden):
    if (path / "model.safetensors").exists() and (path / "gliner_config.json").exists():
        return
    cmd = [PY, ROOT / "python/tools/make_random_v1_checkpoint.py", "--out", path, "--shape",
           shape, "--seed", "1"]
    if gliner_hidden:
        cmd += ["--gliner-hidden", gliner_hidden]
    log(run(cmd).strip())


def parameter_count(checkpoint):
    with open(checkpoint / "model.safetensors", "rb") as f:
        header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
    return sum(math.prod(v["shape"])
               for k, v in header.items() if k != "__metadata__")


def build(build_dir, jobs):
    if not (build_dir / "build.ninja").exists() and not (build_dir / "Makefile").exists():
        run(["cmake", "-S", ROOT, "-B", build_dir, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release"])
    run(["cmake", "--build", build_dir, f"-j{jobs}", "--target", "bench_engine_v1"])
    return build_dir / "bench/bench_engine_v1"


# ---------------------------------------------------------------------------------------------
# Summary


def _stats(samples, cpu=None):
    flat = _flat(samples)
    if not flat:
        return None
    out = {"p50_ms": _pct(flat, 0.5) * 1e3, "p95_ms": _pct(flat, 0.95) * 1e3, "n": len(flat)}
    if cpu:
        out["cpu_p50_ms"] = _pct(_flat(cpu), 0.5) * 1e3
    return out


def _decision_set(entities):
    return {(e["start"], e["end"], e["label"]) for e in entities}


def agreement(a, b):
    """Two engines' entities per text -> texts with identical decisions (span offsets and label),
    decisions made by one engine only, and the largest score difference on shared ones."""
    same = only = 0
    score = 0.0
    for x, y in zip(a, b):
        sx, sy = _decision_set(x), _decision_set(y)
        same += sx == sy
        only += len(sx ^ sy)
        sy_scores = {(e["start"], e["end"], e["label"]): e["score"] for e in y}
        for e in x:
            key = (e["start"], e["end"], e["label"])
            if key in sy_scores:
                score = max(score, abs(e["score"] - sy_scores[key]))
    return {"texts_identical": same, "texts": len(a), "decisions_differing": only,
            "decisions": sum(len(x) for x in a), "max_score_diff": score}


def summarise(raw, workloads):
    """raw[threads] = {"spanguard": {"e2e", "stages", "decisions"}, "onnxruntime": {spinning:
    runner JSON}, "pytorch": runner JSON}."""
    out = {}
    for threads, engines in raw.items():
        t_out = out.setdefault(str(threads), {"engines": {}, "workloads": {}})
        sg, ort_runs, pt = (engines.get(e) for e in ENGINES)
        if sg:
            t_out["engines"]["spanguard"] = {
                "peak_rss_mb": sg["e2e"]["memory"]["peak_rss_bytes"] / 2**20,
                "load_s": sg["e2e"]["load_seconds"]}
        for spin, res in (ort_runs or {}).items():
            t_out["engines"][f"onnxruntime (spinning {spin})"] = {
                "peak_rss_mb": res["memory"]["peak_rss_bytes"] / 2**20,
                "load_s": res["load_seconds"]}
        if pt:
            t_out["engines"]["pytorch"] = {"peak_rss_mb": pt["memory"]["peak_rss_bytes"] / 2**20,
                                           "load_s": pt["load_seconds"]}
        for w in workloads:
            name = w["name"]
            row = {"labels": len(w["schema"]["entities"]), "texts": len(w["texts"])}
            pre_post = None
            if sg:
                st = sg["stages"]["workloads"][name]
                row["spanguard"] = {
                    "e2e": _stats(sg["e2e"]["workloads"][name]["samples"],
                                  sg["e2e"]["workloads"][name]["cpu"]),
                    "encoder": _stats(st["encoder"], st["encoder_cpu"]),
                    "heads_ms": _pct(_flat(st["heads"]), 0.5) * 1e3,
                    "prep_ms": _pct(_flat(st["prep_cpu"]), 0.5) * 1e3,
                    "decode_ms": _pct(_flat(st["decode_cpu"]), 0.5) * 1e3}
                # Words, sub-tokens and decoding: single-threaded work, per-request medians of
                # CPU time (not skewed by other load between the processes).
                pre_post = [statistics.median(p) + statistics.median(d)
                            for p, d in zip(st["prep_cpu"], st["decode_cpu"])]
            if ort_runs and pre_post:
                best = None
                for spin, res in ort_runs.items():
                    ow = res["workloads"][name]
                    e2e = [[x + pre_post[r] for x in s] for r, s in enumerate(ow["model"])]
                    cand = {"spinning": spin, "e2e": _stats(e2e),
                            "encoder": _stats(ow["encoder"], ow["encoder_cpu"]),
                            "graph_ms": _pct(_flat(ow["model"]), 0.5) * 1e3,
                            "check_vs_spanguard": ow["check"]}
                    row.setdefault("onnxruntime_by_spinning", {})[spin] = {
                        "e2e_p50_ms": cand["e2e"]["p50_ms"],
                        "encoder_p50_ms": cand["encoder"]["p50_ms"]}
                    if best is None or cand["e2e"]["p50_ms"] < best["e2e"]["p50_ms"]:
                        best = cand
                row["onnxruntime"] = best
            if pt:
                pw = pt["workloads"][name]
                row["pytorch"] = {"e2e": _stats(pw["samples"], pw["cpu"]),
                                  "encoder": _stats(pw["encoder"], pw["encoder_cpu"])}
            ratios = {}
            for peer in ("onnxruntime", "pytorch"):
                for stage in ("e2e", "encoder"):
                    try:
                        ratios[f"{peer}_{stage}"] = (row[peer][stage]["p50_ms"] /
                                                     row["spanguard"][stage]["p50_ms"])
                    except (KeyError, TypeError, ZeroDivisionError):
                        pass
            row["ratios"] = ratios
            decisions = {"spanguard": (sg or {}).get("decisions", {}).get(name)}
            if ort_runs and row.get("onnxruntime"):
                spin = row["onnxruntime"]["spinning"]
                decisions["onnxruntime"] = ort_runs[spin]["workloads"][name]["decisions"]
            if pt:
                decisions["pytorch"] = pt["workloads"][name]["decisions"]
            row["agreement"] = {f"{a}_vs_{b}": agreement(decisions[a], decisions[b])
                                for a, b in PAIRS if decisions.get(a) and decisions.get(b)}
            present = [d for d in decisions.values() if d]
            if len(present) == 3:
                row["agreement"]["all_three_texts_identical"] = sum(
                    _decision_set(x) == _decision_set(y) == _decision_set(z)
                    for x, y, z in zip(*present))
            t_out["workloads"][name] = row
    return out


def markdown(summary, meta):
    ck = meta["checkpoint_info"]
    lines = [f"# GLiNER v1: spanguard vs ONNX Runtime vs PyTorch ({meta['profile']} profile)", "",
             f"Checkpoint `{meta['checkpoint']}` (random weights, {ck['parameters']:,} "
             f"parameters: DeBERTa-v3 encoder hidden {ck['encoder_hidden']}, "
             f"{ck['layers']} layers, vocabulary {ck['vocab']:,}; GLiNER hidden "
             f"{ck['hidden']}, {ck['span_mode']}, max_width {ck['max_width']}, LSTM "
             f"{'yes' if ck['has_rnn'] else 'no'}); {meta['machine']}; ONNX Runtime "
             f"{meta.get('ort_version') or '-'}, PyTorch {meta.get('torch_version') or '-'}; load "
             f"before/after: {meta['load_before']} / {meta['load_after']}; {meta['date']}.", "",
             "Wall-clock ms, p50 over requests x repetitions (one text per request). spanguard "
             "e2e: `V1Model::predict`; ORT e2e: the whole-model graph + spanguard's measured "
             "words/sub-tokens and decoding (CPU time); PyTorch e2e: the reference's "
             "`predict_entities`. Encoder: the encoder alone on the same ids. Ratios = peer p50 / "
             "spanguard p50 (above 1: spanguard faster). ORT: the faster of intra-op spinning "
             "off (0) and on (1), named in brackets.", "",
             "| workload | threads | spanguard e2e | ORT e2e | PyTorch e2e | ORT / spanguard | "
             "PyTorch / spanguard | spanguard enc | ORT enc | PyTorch enc | ORT / sg enc | "
             "PyTorch / sg enc |", "|" + "---|" * 12]
    names = list(next(iter(summary.values()))["workloads"]) if summary else []
    for name in names:
        for threads, t in summary.items():
            row = t["workloads"][name]
            sg, o, p = (row.get(e) or {} for e in ENGINES)
            r = row["ratios"]

            def p50(x, stage):
                return _f((x.get(stage) or {}).get("p50_ms"))
            ort_e2e = (f"{p50(o, 'e2e')} ({o['spinning']})" if o else "-")
            lines.append(
                f"| {name} ({row['labels']} labels) | {threads} | {p50(sg, 'e2e')} | {ort_e2e} | "
                f"{p50(p, 'e2e')} | {_f(r.get('onnxruntime_e2e'), '{:.2f}')} | "
                f"{_f(r.get('pytorch_e2e'), '{:.2f}')} | {p50(sg, 'encoder')} | "
                f"{p50(o, 'encoder')} | {p50(p, 'encoder')} | "
                f"{_f(r.get('onnxruntime_encoder'), '{:.2f}')} | "
                f"{_f(r.get('pytorch_encoder'), '{:.2f}')} |")
    lines += ["", "spanguard's stages, p50 ms (stage pass): words and sub-tokens (prep) and "
              "decoding in process CPU time (what ORT's e2e adds), encoder and heads (LSTM, "
              "spans, logits) wall clock; ORT's e2e p50 ms by spinning setting:", "",
              "| workload | threads | prep | encoder | heads | decode | ORT spinning 0 | "
              "ORT spinning 1 |", "|---|---|---|---|---|---|---|---|"]
    for name in names:
        for threads, t in summary.items():
            row = t["workloads"][name]
            sg = row.get("spanguard") or {}
            by = row.get("onnxruntime_by_spinning") or {}
            lines.append(f"| {name} | {threads} | {_f(sg.get('prep_ms'), '{:.2f}')} | "
                         f"{_f((sg.get('encoder') or {}).get('p50_ms'))} | "
                         f"{_f(sg.get('heads_ms'))} | {_f(sg.get('decode_ms'), '{:.2f}')} | "
                         f"{_f((by.get('0') or {}).get('e2e_p50_ms'))} | "
                         f"{_f((by.get('1') or {}).get('e2e_p50_ms'))} |")
    lines += ["", "Decision agreement on the workload texts (decision = entity span offsets and "
              "label, threshold 0.5, flat): texts with identical decisions; decisions made by one "
              "engine only; largest score difference on shared decisions:", "",
              "| workload | threads | spanguard vs ORT | spanguard vs PyTorch | ORT vs PyTorch | "
              "all three |", "|---|---|---|---|---|---|"]
    for name in names:
        for threads, t in summary.items():
            ag = t["workloads"][name]["agreement"]

            def cell(key):
                a = ag.get(key)
                if not a:
                    return "-"
                return (f"{a['texts_identical']}/{a['texts']} texts, {a['decisions_differing']} "
                        f"of {a['decisions']} differ, score {a['max_score_diff']:.1e}")
            texts = t["workloads"][name]["texts"]
            all3 = ag.get("all_three_texts_identical")
            lines.append(f"| {name} | {threads} | {cell('spanguard_vs_onnxruntime')} | "
                         f"{cell('spanguard_vs_pytorch')} | {cell('onnxruntime_vs_pytorch')} | "
                         f"{'-' if all3 is None else f'{all3}/{texts}'} |")
    checks = meta.get("checks") or {}
    if checks:
        lines += ["", "Output checks (max abs diff): " + "; ".join(
            f"{k}: {v:.2e}" for k, v in checks.items())]
    lines += ["", "| engine (threads) | peak RSS MB | load s |", "|---|---|---|"]
    for threads, t in summary.items():
        for e, m in t["engines"].items():
            lines.append(f"| {e} ({threads}) | {_f(m['peak_rss_mb'], '{:.0f}')} | "
                         f"{_f(m['load_s'], '{:.2f}')} |")
    return "\n".join(lines) + "\n"


def checks_of(raw, export_meta):
    """The largest differences each check saw, over thread counts and workloads."""
    out = {}
    if export_meta:
        out["export module vs reference, logits"] = export_meta[
            "module_vs_reference_max_abs_diff"]
    for engines in raw.values():
        for res in (engines.get("onnxruntime") or {}).values():
            rc = res.get("reference_check") or {}
            for key in ("logits", "hidden"):
                if f"max_abs_diff_{key}" in rc:
                    k = f"ORT vs reference, {key}"
                    out[k] = max(out.get(k, 0.0), rc[f"max_abs_diff_{key}"])
            for w in res["workloads"].values():
                for key in ("logits", "hidden"):
                    k = f"ORT vs spanguard, {key}"
                    out[k] = max(out.get(k, 0.0), w["check"][f"max_abs_diff_{key}"])
    return out


def write_results(out_dir, result):
    (out_dir / "gliner_v1_bench.json").write_text(json.dumps(result, indent=1))
    (out_dir / "gliner_v1_bench.md").write_text(markdown(result["summary"], result["meta"]))
    print((out_dir / "gliner_v1_bench.md").read_text())
    log(f"wrote {out_dir}/gliner_v1_bench.json, gliner_v1_bench.md")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--profile", choices=sorted(bench_workloads.PROFILES), default="full")
    p.add_argument("--smoke", action="store_true",
                   help="tiny checkpoint, smoke profile, results to bench/.work/smoke-results")
    p.add_argument("--checkpoint", type=pathlib.Path,
                   help="default bench/.work/v1-base-seed1 (v1-tiny-seed1 with --smoke); "
                        "created when missing")
    p.add_argument("--gliner-hidden", type=int,
                   help="GLiNER hidden size of a checkpoint created here (default: the "
                        "encoder's, no projection layer)")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--engines", default=",".join(ENGINES))
    p.add_argument("--build-dir", type=pathlib.Path, default=ROOT / "build")
    p.add_argument("--build-jobs", type=int, default=2)
    p.add_argument("--work", type=pathlib.Path, default=HERE / ".work")
    p.add_argument("--out", type=pathlib.Path)
    p.add_argument("--max-diff", type=float, default=1e-3,
                   help="exit 1 when ORT's logits or hidden states differ from the reference's "
                        "or spanguard's by more (default 1e-3)")
    p.add_argument("--rerender", action="store_true",
                   help="only rewrite the summary and gliner_v1_bench.md from --out's JSON")
    a = p.parse_args()
    if a.rerender:
        out_dir = a.out or HERE / "results"
        result = json.loads((out_dir / "gliner_v1_bench.json").read_text())
        workloads = json.loads(pathlib.Path(result["meta"]["workloads_file"]).read_text())
        raw = {int(t): e for t, e in result["raw"].items()}
        result["summary"] = summarise(raw, workloads["workloads"])
        write_results(out_dir, result)
        return 0
    if a.smoke:
        a.profile = "smoke"
    shape = "tiny" if a.smoke else "base"
    suffix = f"-h{a.gliner_hidden}" if a.gliner_hidden else ""
    checkpoint = a.checkpoint or a.work / f"v1-{shape}{suffix}-seed1"
    out_dir = a.out or (a.work / "smoke-results" if a.smoke else HERE / "results")
    threads = [int(t) for t in a.threads.split(",")]
    engines = a.engines.split(",")
    if "spanguard" not in engines:
        p.error("--engines must include spanguard (its dump feeds ORT, its decisions anchor "
                "the agreement)")
    a.work.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    run_dir = a.work / f"run-v1-{a.profile}-{checkpoint.name}"
    dump_dir = run_dir / "dump"
    dump_dir.mkdir(parents=True, exist_ok=True)
    info = machine()
    meta = {"profile": a.profile, "checkpoint": str(checkpoint),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": f"{info.get('Model name')}, {info.get('CPU(s)')} CPUs "
                       f"({', '.join(info['simd'])})",
            "load_before": " ".join(uptime()), "threads": threads, "skipped": {}}

    ensure_checkpoint(checkpoint, shape, a.gliner_hidden)
    cfg = json.loads((checkpoint / "gliner_config.json").read_text())
    enc = cfg["encoder_config"]
    meta["checkpoint_info"] = {
        "parameters": parameter_count(checkpoint), "encoder_hidden": enc["hidden_size"],
        "layers": enc["num_hidden_layers"], "vocab": enc["vocab_size"],
        "hidden": cfg["hidden_size"], "span_mode": cfg["span_mode"],
        "max_width": cfg["max_width"], "has_rnn": cfg["has_rnn"]}
    engine_bin = build(a.build_dir, a.build_jobs)
    workloads_doc = bench_workloads.make_v1_workloads(a.profile)
    workloads_path = run_dir / "workloads.json"
    workloads_path.write_text(json.dumps(workloads_doc))
    meta["workloads_file"] = str(workloads_path)
    workloads = workloads_doc["workloads"]

    node_path = ensure_ort(a.work) if "onnxruntime" in engines else None
    graphs = a.work / f"onnx-{checkpoint.name}"
    export_meta = None
    if node_path:
        log("exporting the v1 reference to ONNX (cached)")
        export_meta = json.loads(run([PY, HERE / "onnx_export_v1.py", "--checkpoint",
                                      checkpoint, "--out", graphs]))
        meta["onnx_export"] = export_meta
    elif "onnxruntime" in engines:
        meta["skipped"]["onnxruntime"] = "node or onnxruntime-node unavailable"

    raw = {}
    for t in threads:
        raw[t] = {"load_average": {"before": uptime()}}
        common = ["--model", checkpoint, "--workloads", workloads_path, "--threads", t]
        decisions = run_dir / f"decisions-spanguard-{t}.json"
        stages = [engine_bin, *common, "--pass", "stages"]
        if t == threads[0]:
            stages += ["--dump", dump_dir]  # the inputs do not depend on threads
        raw[t]["spanguard"] = {
            "e2e": json.loads(run([engine_bin, *common, "--pass", "e2e", "--decisions",
                                   decisions])),
            "stages": json.loads(run(stages)),
            "decisions": json.loads(decisions.read_text())}
        if node_path:
            env = dict(os.environ, NODE_PATH=node_path)
            # One thread has no intra-op pool to spin: the setting changes nothing there.
            raw[t]["onnxruntime"] = {spin: json.loads(run(
                ["node", HERE / "ort_runner_v1.js", "--graphs", graphs, "--dump", dump_dir,
                 "--workloads", workloads_path, "--threads", t, "--spinning", spin], env=env))
                for spin in (["0", "1"] if t > 1 else ["1"])}
            meta["ort_version"] = next(iter(raw[t]["onnxruntime"].values()))["ort_version"]
        if "pytorch" in engines:
            # Debian's torch calls the system BLAS (OpenBLAS, pthread flavour), whose own thread
            # pool torch.set_num_threads does not size.
            env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t), OMP_NUM_THREADS=str(t))
            raw[t]["pytorch"] = json.loads(run(
                [PY, HERE / "torch_runner_v1.py", "--checkpoint", checkpoint, "--workloads",
                 workloads_path, "--threads", t], env=env))
            meta["torch_version"] = raw[t]["pytorch"]["torch"]
        raw[t]["load_average"]["after"] = uptime()
    meta["load_after"] = " ".join(uptime())
    meta["checks"] = checks_of(raw, export_meta)
    result = {"meta": meta, "machine": info, "summary": summarise(raw, workloads), "raw": raw}
    write_results(out_dir, result)
    problems = [f"{k} = {v:.2e} > {a.max_diff:g}" for k, v in meta["checks"].items()
                if v > a.max_diff]
    for problem in problems:
        log(f"DISAGREEMENT: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        log(str(e))
        sys.exit(1)
