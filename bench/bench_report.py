"""Turns the raw runner outputs of bench/gliner_bench.py into the summary (JSON), a markdown table
and a PNG chart.

Definitions (also in bench/README.md):
  * encoder: wall time of the encoder calls of one request; e2e: the whole request.
  * ONNX Runtime e2e = its encoder + heads time (graphs and the row gathers of ort_runner.js) +
    spanguard's own input building and decoding for the same request, measured at the same thread
    count as spanguard's e2e minus its encoder and heads (per-request medians, in process CPU time
    when the runs recorded it: that work is single-threaded, and CPU time is not skewed by other
    load between the two spanguard processes). It is the time ORT would take with spanguard's
    pre/post-processing.
  * p50/p95 over every timed request (requests x repetitions); records/s = texts processed /
    time spent; GFLOP/s = model FLOPs (bench_flops.py) / median time; FLOP floor = model FLOPs /
    measured GEMM peak at that thread count; ratios = the peer's p50 / spanguard's p50 (above 1:
    spanguard is faster).
  * spanguard-int8 (--variants fp32,int8): the same passes with ModelOptions::precision = kInt8;
    row["spanguard-int8"]["ratios"] holds ORT's, ORT int8's, PyTorch's and fp32 spanguard's p50
    over its p50 (keys onnxruntime_e2e, ort_int8_e2e, pytorch_encoder_cpu, fp32_e2e, ...).
  * ONNX Runtime columns (onnxruntime, onnxruntime-int8: the int8 encoder of onnx_quantize.py
    with the same fp32 heads): raw[threads][column] = {"runs": {spinning: runner JSON},
    "encoder_check": {spinning: ort_encoder_check.js JSON}}. Per workload the faster run is the
    column: the lower p50 of ORT's own time per request (encoder + heads; e2e adds the same
    pre/post-processing to both). row[column]["spinning"] names it, row[column + "_by_spinning"]
    keeps every run's p50s. encoder_check: the benchmark's ORT encoder p50 / the standalone
    single-session encoder p50 with the same spinning setting, flagged above ENCODER_CHECK_LIMIT.
    A runner JSON in place of {"runs": ...} (results.json written before spinning was varied)
    is read as one run with spinning on, ORT's default.
"""

import statistics

ORT_COLUMNS = ("onnxruntime", "onnxruntime-int8")
# The benchmark's ORT encoder p50 may be this much slower than ORT's encoder alone in one session
# (a margin for run-to-run noise) before the report flags the benchmark's figure.
ENCODER_CHECK_LIMIT = 1.05


def ort_runs(entry):
    """An ORT column's raw entry -> {spinning: runner JSON}."""
    if not entry:
        return {}
    if "runs" in entry:
        return entry["runs"]
    return {str(entry.get("spinning", "1")): entry}


def _flat(samples):
    return [x for per_request in samples for x in per_request]


def _pct(values, q):
    v = sorted(values)
    if not v:
        return None
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def _sum2(a, b):
    return [[x + y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]


def _stats(samples, texts_per_request, flops_per_request, cpu=None):
    flat = _flat(samples)
    if not flat:
        return None
    total_texts = sum(len(s) for s in samples) * texts_per_request
    med = [statistics.median(s) for s in samples]
    gflops = [f / t / 1e9 for f, t in zip(flops_per_request, med) if t > 0]
    out = {"p50_ms": _pct(flat, 0.5) * 1e3, "p95_ms": _pct(flat, 0.95) * 1e3,
           "records_per_s": total_texts / sum(flat),
           "gflops": statistics.mean(gflops) if gflops else None, "n": len(flat)}
    if cpu:
        out["cpu_p50_ms"] = _pct(_flat(cpu), 0.5) * 1e3
        cmed = [statistics.median(s) for s in cpu]
        g = [f / t / 1e9 for f, t in zip(flops_per_request, cmed) if t > 0]
        out["gflops_cpu"] = statistics.mean(g) if g else None
    return out


def _median_rows(rows):
    return [statistics.median(r) for r in rows]


def summarise(raw, workloads, flops, peaks):
    """raw[threads][engine] = runner JSON (spanguard: {"e2e":..., "network":...});
    flops[workload] = per-request list from bench_flops; peaks[threads] = GEMM peak GFLOP/s."""
    out = {}
    for threads, engines in raw.items():
        t_out = out.setdefault(str(threads), {"engines": {}, "workloads": {}})
        for name, res in engines.items():
            if res is None:
                continue
            if name.startswith("spanguard"):
                mem, load = res["e2e"]["memory"], res["e2e"]["load_seconds"]
            elif name in ORT_COLUMNS:
                by = {s: {"peak_rss_mb": r["memory"]["peak_rss_bytes"] / 2**20,
                          "load_s": r["load_seconds"]} for s, r in ort_runs(res).items()}
                # The column's own figures: the highest RSS and load time of its runs, so that
                # neither flatters it; every run's are kept.
                t_out["engines"][name] = {
                    "peak_rss_mb": max(b["peak_rss_mb"] for b in by.values()),
                    "load_s": max(b["load_s"] for b in by.values()), "by_spinning": by}
                continue
            else:
                mem, load = res["memory"], res["load_seconds"]
            t_out["engines"][name] = {"peak_rss_mb": mem["peak_rss_bytes"] / 2**20,
                                      "load_s": load}
        for w in workloads:
            wname = w["name"]
            per_texts = len(w["texts"]) if w["mode"] == "batch" else 1
            fl = flops.get(wname)
            enc_fl = [f["encoder"] for f in fl] if fl else []
            all_fl = [f["encoder"] + f["heads"] for f in fl] if fl else []
            row = {"flops_per_request": statistics.mean(all_fl) if all_fl else None,
                   "encoder_flops_per_request": statistics.mean(enc_fl) if enc_fl else None,
                   "tokens_per_request": statistics.mean(f["tokens"] for f in fl) if fl else None}
            peak = peaks.get(str(threads))
            if peak and all_fl:
                row["flop_floor_ms"] = row["flops_per_request"] / (peak * 1e9) * 1e3
                row["encoder_flop_floor_ms"] = row["encoder_flops_per_request"] / (peak * 1e9) * 1e3
            pre_post = pre_post_cpu = None
            for variant, res in engines.items():
                if variant.startswith("spanguard") and res:
                    row[variant], pp, pp_cpu = _spanguard_row(res, wname, per_texts, enc_fl,
                                                              all_fl)
                    if variant == "spanguard":
                        # ORT's e2e adds fp32 spanguard's input building and decoding, which
                        # are the same code in every variant.
                        pre_post, pre_post_cpu = pp, pp_cpu
            for column in ORT_COLUMNS:
                ort = _ort_row(engines.get(column), wname, per_texts, enc_fl, all_fl, pre_post,
                               pre_post_cpu)
                if ort:
                    row[column], row[f"{column}_by_spinning"] = ort
            pt = engines.get("pytorch")
            if pt and wname in pt["workloads"]:
                pw = pt["workloads"][wname]
                row["pytorch"] = {"encoder": _stats(pw["encoder"], per_texts, enc_fl,
                                                    pw.get("encoder_cpu")),
                                  "heads_ms": _pct(_flat(pw["heads"]), 0.5) * 1e3,
                                  "e2e": _stats(pw["samples"], per_texts, all_fl, pw.get("cpu"))}
            for peer in [e for e in engines if not e.startswith("spanguard")]:
                for stage in ("encoder", "e2e"):
                    try:
                        row.setdefault("ratios", {})[f"{peer}_{stage}"] = (
                            row[peer][stage]["p50_ms"] / row["spanguard"][stage]["p50_ms"])
                    except (KeyError, TypeError, ZeroDivisionError):
                        pass
                for stage in ("encoder", "e2e"):
                    try:
                        row["ratios"][f"{peer}_{stage}_cpu"] = (
                            row[peer][stage]["cpu_p50_ms"] / row["spanguard"][stage]["cpu_p50_ms"])
                    except (KeyError, TypeError, ZeroDivisionError):
                        pass
            for variant in [e for e in engines if e.startswith("spanguard-")]:
                if row.get(variant):
                    row[variant]["ratios"] = _ratios_against(row, variant)
            t_out["workloads"][wname] = row
    return out


def _ort_row(entry, wname, per_texts, enc_fl, all_fl, pre_post, pre_post_cpu):
    """One ORT column of one workload -> (row of the faster run, {spinning: p50s of each run}),
    or None. ORT e2e = its encoder + heads + spanguard's pre/post-processing (see above)."""
    best, by = None, {}
    for spin, res in ort_runs(entry).items():
        ow = (res.get("workloads") or {}).get(wname)
        if not ow:
            continue
        net = _sum2(ow["encoder"], ow["heads"])
        e2e = ([[x + pre_post[r] for x in s] for r, s in enumerate(net)] if pre_post else None)
        cpu = ([[x + pre_post_cpu[r] for x in s] for r, s in enumerate(ow["cpu"])]
               if pre_post_cpu and "cpu" in ow else None)
        cand = {"spinning": spin,
                "encoder": _stats(ow["encoder"], per_texts, enc_fl, ow.get("encoder_cpu")),
                "heads_ms": _pct(_flat(ow["heads"]), 0.5) * 1e3,
                "graphs_ms": _pct(_flat(net), 0.5) * 1e3,
                "e2e": _stats(e2e, per_texts, all_fl, cpu) if e2e else None,
                "check": ow["check"]}
        by[spin] = {"encoder_p50_ms": cand["encoder"]["p50_ms"],
                    "encoder_cpu_p50_ms": cand["encoder"].get("cpu_p50_ms"),
                    "graphs_p50_ms": cand["graphs_ms"],
                    "e2e_p50_ms": (cand["e2e"] or {}).get("p50_ms"),
                    "e2e_cpu_p50_ms": (cand["e2e"] or {}).get("cpu_p50_ms")}
        if best is None or _ort_key(cand) < _ort_key(best):
            best = cand
    if best is None:
        return None
    check = ((entry or {}).get("encoder_check") or {}).get(best["spinning"])
    cw = ((check or {}).get("workloads") or {}).get(wname)
    if cw:
        alone = _pct(_flat(cw["encoder"]), 0.5) * 1e3
        ratio = best["encoder"]["p50_ms"] / alone if alone else None
        best["encoder_check"] = {"spinning": best["spinning"], "standalone_p50_ms": alone,
                                 "benchmark_p50_ms": best["encoder"]["p50_ms"], "ratio": ratio,
                                 "flag": ratio is not None and ratio > ENCODER_CHECK_LIMIT}
    return best, by


def _ort_key(cand):
    """Which of two ORT runs of a workload is faster: the p50 of ORT's own time per request
    (encoder + heads graphs). Its e2e adds the same pre/post-processing to every run; comparing
    without it keeps the choice the same as ort_best_spinning's, made before the summary."""
    return cand["graphs_ms"]


def ort_best_spinning(entry, workloads):
    """{workload: spinning setting of the faster run} by graph time (encoder + heads p50): which
    setting the standalone encoder check must reproduce, known before the summary exists."""
    out = {}
    for wname in workloads:
        times = {}
        for spin, res in ort_runs(entry).items():
            ow = (res.get("workloads") or {}).get(wname)
            if ow:
                times[spin] = _pct(_flat(_sum2(ow["encoder"], ow["heads"])), 0.5)
        if times:
            out[wname] = min(times, key=times.get)
    return out


def _spanguard_row(res, wname, per_texts, enc_fl, all_fl):
    """One spanguard column (any variant) of one workload -> (row, pre_post, pre_post_cpu): the
    per-request input building + decoding estimates (seconds) that ORT's e2e borrows."""
    e2e = res["e2e"]["workloads"][wname]["samples"]
    e2e_cpu = res["e2e"]["workloads"][wname].get("cpu")
    row = {"e2e": _stats(e2e, per_texts, all_fl, e2e_cpu)}
    if "network" not in res:  # results.json from before the int8 stage pass
        return row, None, None
    net = res["network"]["workloads"][wname]
    row.update({"encoder": _stats(net["encoder"], per_texts, enc_fl, net.get("encoder_cpu")),
                "heads_ms": _pct(_flat(net["heads"]), 0.5) * 1e3,
                "prep_ms": _pct(_flat(net["prep"]), 0.5) * 1e3})
    stages = _sum2(_sum2(net["prep"], net["encoder"]), net["heads"])
    pre_post = [max(0.0, statistics.median(a) - statistics.median(b) + statistics.median(p))
                for a, b, p in zip(e2e, stages, net["prep"])]
    row["pre_post_ms"] = statistics.median(pre_post) * 1e3
    pre_post_cpu = None
    if e2e_cpu and "cpu" in net:
        pre_post_cpu = [max(0.0, a - b + p) for a, b, p in zip(
            _median_rows(e2e_cpu), _median_rows(net["cpu"]), _median_rows(net["prep_cpu"]))]
        row["pre_post_cpu_ms"] = statistics.median(pre_post_cpu) * 1e3
        # Input building and decoding are single-threaded, so their CPU time is their wall time
        # on a quiet machine; unlike a difference of wall times taken in two processes, it is not
        # skewed by what else ran meanwhile. Prefer it.
        pre_post = pre_post_cpu
    return row, pre_post, pre_post_cpu


def _ratios_against(row, variant):
    """Peer p50 / the variant's p50, wall (key peer_stage) and CPU (peer_stage_cpu); the fp32
    column is the peer "fp32" (fp32_e2e above 1: the variant is faster than fp32), ONNX Runtime's
    int8 anchor the peer "ort_int8"."""
    out = {}
    for peer, key in (("onnxruntime", "onnxruntime"), ("ort_int8", "onnxruntime-int8"),
                      ("pytorch", "pytorch"), ("fp32", "spanguard")):
        for stage in ("encoder", "e2e"):
            for suffix, field in (("", "p50_ms"), ("_cpu", "cpu_p50_ms")):
                try:
                    out[f"{peer}_{stage}{suffix}"] = (row[key][stage][field] /
                                                      row[variant][stage][field])
                except (KeyError, TypeError, ZeroDivisionError):
                    pass
    return out


def _engines(threads_summary):
    """spanguard, its variants, then the peers: the columns present in this run."""
    names = list(threads_summary["engines"])
    order = sorted(names, key=lambda e: (not e.startswith("spanguard"), e != "spanguard",
                                         e != "onnxruntime", e))
    return order


def _d(check, what, count_key):
    """A max-abs-diff entry of ort_runner's check, or n/a when nothing was compared."""
    if not check.get(count_key):
        return "n/a"
    return f"{check['max_abs_diff_' + what]:.1e}"


def _f(v, fmt="{:.1f}"):
    return "-" if v is None else fmt.format(v)


def markdown(summary, meta):
    lines = [f"# spanguard vs ONNX Runtime vs PyTorch ({meta['profile']} profile)", "",
             f"Checkpoint `{meta['checkpoint']}`; {meta['machine']}; load before/after: "
             f"{meta['load_before']} / {meta['load_after']}; {meta['date']}.", "",
             "Times are wall-clock ms, p50 / p95 over requests x repetitions. ORT e2e = ORT "
             "encoder + heads + spanguard's measured input building and decoding. ONNX Runtime "
             "columns: with more than one thread, the faster per workload of two runs, intra-op "
             "spinning off (0) and on (1); both are listed below. onnxruntime-int8: the encoder "
             "graph dynamically quantized by bench/onnx_quantize.py (int8 weights per tensor, "
             "uint8 activations per call), heads fp32. Ratios = peer p50 / spanguard p50 (above "
             "1: spanguard faster). Floor = model FLOPs / measured GEMM peak.", ""]
    for threads, t in summary.items():
        engines = _engines(t)
        peak = meta["gemm_peak"].get(threads)
        lines += [f"## {threads} thread(s) (GEMM peak {_f(peak)} GFLOP/s)", "",
                  "| workload | GFLOP/req | floor ms | " +
                  " | ".join(f"{e} enc p50" for e in engines) + " | " +
                  " | ".join(f"{e} e2e p50/p95" for e in engines) +
                  " | spanguard GFLOP/s (e2e) | x ORT enc | x ORT e2e | x PT enc | x PT e2e |",
                  "|" + "---|" * (8 + 2 * len(engines))]
        for wname, row in t["workloads"].items():
            enc = [_f((row.get(e) or {}).get("encoder", {}) and row[e]["encoder"]["p50_ms"])
                   for e in engines]
            e2e = []
            for e in engines:
                s = (row.get(e) or {}).get("e2e")
                e2e.append(f"{_f(s['p50_ms'])} / {_f(s['p95_ms'])}" if s else "-")
            r = row.get("ratios", {})
            sg = (row.get("spanguard") or {}).get("e2e") or {}
            lines.append(f"| {wname} | {_f((row['flops_per_request'] or 0) / 1e9, '{:.2f}')} | "
                         f"{_f(row.get('flop_floor_ms'))} | " + " | ".join(enc) + " | " +
                         " | ".join(e2e) + f" | {_f(sg.get('gflops'))} | " +
                         " | ".join(_f(r.get(k), "{:.2f}") for k in
                                    ("onnxruntime_encoder", "onnxruntime_e2e",
                                     "pytorch_encoder", "pytorch_e2e")) + " |")
        lines += ["", "Process CPU time per request, p50 ms, encoder / e2e (robust to other load "
                  "on the machine; with 2 threads it includes OpenMP/pool spinning):", "",
                  "| workload | " + " | ".join(engines) +
                  " | x ORT enc | x ORT e2e | x PT enc | x PT e2e | spanguard GFLOP/s per core |",
                  "|" + "---|" * (6 + len(engines))]
        for wname, row in t["workloads"].items():
            cells = []
            for e in engines:
                s = row.get(e) or {}
                cells.append(_f((s.get("encoder") or {}).get("cpu_p50_ms")) + " / " +
                             _f((s.get("e2e") or {}).get("cpu_p50_ms")))
            r = row.get("ratios", {})
            lines.append(f"| {wname} | " + " | ".join(cells) + " | " + " | ".join(
                _f(r.get(k), "{:.2f}") for k in ("onnxruntime_encoder_cpu", "onnxruntime_e2e_cpu",
                                                 "pytorch_encoder_cpu", "pytorch_e2e_cpu")) +
                f" | {_f(((row.get('spanguard') or {}).get('e2e') or {}).get('gflops_cpu'))} |")
        for variant in [e for e in engines if e.startswith("spanguard-")]:
            lines += _variant_table(t, variant)
        lines += _spinning_table(t)
        lines += _encoder_check_table(t)
        lines += ["", "| engine | peak RSS MB | load s | throughput records/s |",
                  "|---|---|---|---|"]
        for e, m in t["engines"].items():
            tp = ((t["workloads"].get("throughput") or {}).get(e) or {}).get("e2e") or {}
            lines.append(f"| {e} | {_f(m['peak_rss_mb'], '{:.0f}')} | {_f(m['load_s'], '{:.2f}')} "
                         f"| {_f(tp.get('records_per_s'))} |")
            by = m.get("by_spinning") or {}
            if len(by) > 1:
                for spin, b in by.items():
                    lines.append(f"| {e}, spinning {spin} | {_f(b['peak_rss_mb'], '{:.0f}')} | "
                                 f"{_f(b['load_s'], '{:.2f}')} | |")
        for column, title in (("onnxruntime", "ORT vs spanguard"),
                              ("onnxruntime-int8", "ORT int8 vs spanguard fp32 (quantization "
                               "error, not held to --max-diff)")):
            checks = [(w, row[column]["check"]) for w, row in t["workloads"].items()
                      if column in row]
            if checks:
                lines += ["", f"{title} on the checked calls (max abs diff): " + "; ".join(
                    f"{w}: hidden {_d(c, 'hidden', 'hidden_values')}, span probs "
                    f"{_d(c, 'span_probs', 'span_probs')}, class logits "
                    f"{_d(c, 'class_logits', 'class_logits')}, counts differing "
                    f"{c['count_mismatches']}/{c['counts_compared']}" for w, c in checks)]
        lines.append("")
    return "\n".join(lines)


def _variant_table(t, variant):
    """A spanguard variant against fp32 spanguard, ORT, ORT int8 and PyTorch: its p50s and the
    ratios other p50 / its p50, wall then process CPU time."""
    keys = ("fp32_encoder", "fp32_e2e", "onnxruntime_encoder", "onnxruntime_e2e",
            "ort_int8_encoder", "ort_int8_e2e", "pytorch_encoder", "pytorch_e2e")
    short = {"fp32": "fp32", "onnxruntime": "ORT", "ort_int8": "ORT-int8", "pytorch": "PT"}
    head = " | ".join("x " + short[k.rsplit("_", 1)[0]] + " " + k.rsplit("_", 1)[1] for k in keys)
    lines = ["", f"{variant}: p50 ms and ratios (other p50 / {variant} p50; above 1: {variant} "
             "faster), wall clock, then process CPU time:", "",
             f"| workload | time | enc p50 | e2e p50 | {head} |", "|" + "---|" * (4 + len(keys))]
    for wname, row in t["workloads"].items():
        v = row.get(variant) or {}
        r = v.get("ratios", {})
        for label, field, suffix in (("wall", "p50_ms", ""), ("CPU", "cpu_p50_ms", "_cpu")):
            lines.append(f"| {wname} | {label} | {_f((v.get('encoder') or {}).get(field))} | "
                         f"{_f((v.get('e2e') or {}).get(field))} | " +
                         " | ".join(_f(r.get(k + suffix), "{:.2f}") for k in keys) + " |")
    return lines


def _spinning_table(t):
    """Every ORT run of this thread count, p50 ms by spinning setting, and which one the columns
    above report."""
    columns = [c for c in ORT_COLUMNS if any(len(row.get(f"{c}_by_spinning") or {}) > 1
                                             for row in t["workloads"].values())]
    if not columns:
        return []
    head = " | ".join(f"{c} spinning {s} enc / e2e" for c in columns for s in ("0", "1"))
    lines = ["", "ONNX Runtime by intra-op spinning setting (session.intra_op.allow_spinning), "
             "p50 ms, encoder / e2e; reported: the run with the lower p50 of ORT's own time "
             "(encoder + heads graphs):", "",
             f"| workload | {head} | " + " | ".join(f"{c} reported" for c in columns) + " |",
             "|" + "---|" * (1 + 3 * len(columns))]
    for wname, row in t["workloads"].items():
        cells, chosen = [], []
        for c in columns:
            by = row.get(f"{c}_by_spinning") or {}
            for spin in ("0", "1"):
                b = by.get(spin) or {}
                cells.append(f"{_f(b.get('encoder_p50_ms'))} / {_f(b.get('e2e_p50_ms'))}")
            chosen.append(f"spinning {(row.get(c) or {}).get('spinning', '-')}")
        lines.append(f"| {wname} | " + " | ".join(cells + chosen) + " |")
    return lines


def _encoder_check_table(t):
    """The benchmark's ORT encoder p50 against ORT's encoder alone in one session."""
    rows = [(w, row["onnxruntime"]["encoder_check"]) for w, row in t["workloads"].items()
            if (row.get("onnxruntime") or {}).get("encoder_check")]
    if not rows:
        return []
    lines = ["", "ONNX Runtime encoder cross-check: the encoder p50 of the benchmark's run "
             "(five sessions in one process) against the encoder graph alone in one session "
             "(bench/ort_encoder_check.js), same inputs, same spinning setting; flagged above "
             f"{ENCODER_CHECK_LIMIT:.2f}:", "",
             "| workload | spinning | benchmark enc p50 | standalone enc p50 | ratio | |",
             "|---|---|---|---|---|---|"]
    for wname, c in rows:
        lines.append(f"| {wname} | {c['spinning']} | {_f(c['benchmark_p50_ms'])} | "
                     f"{_f(c['standalone_p50_ms'])} | {_f(c['ratio'], '{:.3f}')} | "
                     f"{'SLOWER than standalone' if c['flag'] else 'ok'} |")
    return lines


def encoder_check_flags(summary):
    """[(threads, workload, ratio)] of every flagged encoder cross-check."""
    return [(t, w, row["onnxruntime"]["encoder_check"]["ratio"])
            for t, ts in summary.items() for w, row in ts["workloads"].items()
            if ((row.get("onnxruntime") or {}).get("encoder_check") or {}).get("flag")]


def chart(summary, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    colors = {"spanguard": "#1f77b4", "spanguard-int8": "#9467bd", "onnxruntime": "#ff7f0e",
              "onnxruntime-int8": "#d62728", "pytorch": "#2ca02c"}
    threads = list(summary)
    engines = _engines(summary[threads[0]])
    panels = (("encoder", "p50_ms", "encoder, wall"), ("e2e", "p50_ms", "end to end, wall"),
              ("e2e", "cpu_p50_ms", "end to end, process CPU time"))
    fig, axes = plt.subplots(len(threads), 3, figsize=(17, 4 * len(threads)), squeeze=False)
    for i, t in enumerate(threads):
        wl = list(summary[t]["workloads"])
        for j, (stage, key, title) in enumerate(panels):
            ax = axes[i][j]
            width = 0.8 / len(engines)
            for k, e in enumerate(engines):
                vals = [((summary[t]["workloads"][w].get(e) or {}).get(stage) or {}).get(key)
                        for w in wl]
                xs = [x + k * width for x in range(len(wl))]
                ax.bar(xs, [v or 0 for v in vals], width, label=e, color=colors.get(e))
            floors = [summary[t]["workloads"][w].get(
                "encoder_flop_floor_ms" if stage == "encoder" else "flop_floor_ms") for w in wl]
            ax.scatter([x + width for x in range(len(wl))], [f or 0 for f in floors],
                       marker="_", s=400, color="black", label="FLOP floor", zorder=3)
            ax.set_yscale("log")
            ax.set_xticks([x + width for x in range(len(wl))])
            ax.set_xticklabels(wl)
            ax.set_ylabel("p50 ms (log)")
            ax.set_title(f"{title}, {t} thread(s)")
            ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
