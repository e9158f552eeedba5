"""The peer benchmark: spanguard vs ONNX Runtime vs the PyTorch reference, same run,
same inputs, gliner2-base shapes. One command:

    /usr/bin/python3 bench/gliner_bench.py                   # full protocol -> bench/results/
    /usr/bin/python3 bench/gliner_bench.py --profile quick   # same shapes, fewer repetitions
    /usr/bin/python3 bench/gliner_bench.py --smoke           # tiny checkpoint, seconds (CI)

Steps: create (or reuse) the random checkpoint (python/tools/make_random_checkpoint.py), export the
reference to ONNX (bench/onnx_export.py) and, for ONNX Runtime's int8 anchor, quantize its encoder
graph (bench/onnx_quantize.py), install onnxruntime-node 1.30.0 into bench/.work/ort if it is
missing (npm; ORT is skipped with a message when that fails), build bench_engine and
bench_gemm_peak, write the workloads (bench/bench_workloads.py), dump spanguard's encoder/head
inputs once, then for every thread count run spanguard per variant (fp32, int8: e2e pass and
stage pass), ONNX Runtime (bench/ort_runner.js; fp32 and, with the int8 variant, the int8 encoder;
with more than one thread once with intra-op spinning off and once on, the faster reported), the
standalone encoder check (bench/ort_encoder_check.js: the encoder graph alone in one session) and
PyTorch (bench/torch_runner.py), each in its own process, one after the other; then the int8
accuracy gate (bench/int8_gate.py) on the variants' decisions, and the same agreement for ORT's
int8 encoder against ORT's fp32 one (bench/ort_decisions.py). Results: results.json (summary +
raw + machine), results.md, results.png in --out. bench/README.md explains the method.
"""

import argparse
import datetime
import json
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bench_flops  # noqa: E402
import bench_report  # noqa: E402
import bench_workloads  # noqa: E402
import int8_gate  # noqa: E402

PY = "/usr/bin/python3"
DEFAULT_MODEL = ROOT / "data/models/spanguard-small-v1"
ORT_VERSION = "1.30.0"
# --smoke: texts per workload for ONNX Runtime's int8 agreement on the default model (its hidden
# states are decoded by the Python reference, the slow part).
SMOKE_ORT_GATE_TEXTS = 8


def log(msg):
    print(f"[gliner_bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def uptime():
    return pathlib.Path("/proc/loadavg").read_text().split()[:3]


def run(cmd, env=None, timeout=None):
    log(" ".join(str(c) for c in cmd))
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env,
                       timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed (exit {p.returncode}):\n{p.stderr[-3000:]}")
    return p.stdout


def machine():
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    info = {}
    for line in lscpu.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("Model name", "CPU(s)", "Thread(s) per core", "Core(s) per socket",
                           "L2 cache", "L3 cache", "Hypervisor vendor"):
            info[key.strip()] = value.strip()
    flags = next((ln for ln in lscpu.splitlines() if ln.startswith("Flags")), "")
    info["simd"] = [f for f in ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16")
                    if f" {f}" in flags]
    info["kernel"] = platform.release()
    mem = pathlib.Path("/proc/meminfo").read_text().split("\n")[0]
    info["memory"] = mem.split(":")[1].strip()
    return info


def ensure_checkpoint(path, shape):
    if (path / "model.safetensors").exists() and (path / "config.json").exists():
        return
    run([PY, ROOT / "python/tools/make_random_checkpoint.py", "--out", path, "--shape", shape,
         "--seed", "1", "--counting-layer", "count_lstm_v2", "--dtype", "f32"])


def ensure_ort(work):
    """-> NODE_PATH for onnxruntime-node, or None with the reason logged."""
    ort_dir = work / "ort"
    pkg = ort_dir / "node_modules/onnxruntime-node/package.json"
    if shutil.which("node") is None:
        log("ONNX Runtime skipped: `node` is not installed")
        return None
    if not pkg.exists() and shutil.which("npm"):
        ort_dir.mkdir(parents=True, exist_ok=True)
        try:
            run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix",
                 ort_dir, f"onnxruntime-node@{ORT_VERSION}"], timeout=600)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            log(f"ONNX Runtime skipped: npm install failed: {e}")
            return None
    if not pkg.exists():
        log(f"ONNX Runtime skipped: {pkg} missing and npm unavailable")
        return None
    return str(ort_dir / "node_modules")


def build(build_dir):
    if not (build_dir / "build.ninja").exists() and not (build_dir / "Makefile").exists():
        run(["cmake", "-S", ROOT, "-B", build_dir, "-G", "Ninja",
             "-DCMAKE_BUILD_TYPE=Release"])
    targets = ["bench_engine", "bench_gemm_peak"]
    run(["cmake", "--build", build_dir, "-j2", "--target", *targets])
    native = build_dir / "bench/bench_gemm_peak_native"
    try:
        run(["cmake", "--build", build_dir, "-j2", "--target", "bench_gemm_peak_native"])
    except RuntimeError:
        log("bench_gemm_peak_native not built (no -march=native support); skipping it")
    return build_dir / "bench/bench_engine", build_dir / "bench/bench_gemm_peak", native


def quantize_encoder(graphs):
    """graphs/encoder.onnx -> graphs/encoder.int8.onnx (cached) -> onnx_quantize.py's report."""
    return json.loads(run([PY, HERE / "onnx_quantize.py", "--input", graphs / "encoder.onnx",
                           "--output", graphs / "encoder.int8.onnx"]))


def ort_columns(graphs, int8):
    """(raw key, encoder graph, variant name) of every ONNX Runtime column."""
    cols = [("onnxruntime", graphs / "encoder.onnx", "fp32")]
    if int8:
        cols.append(("onnxruntime-int8", graphs / "encoder.int8.onnx", "int8"))
    return cols


def run_ort(env, graphs, dump_dir, workloads_path, workloads, threads, int8):
    """Every ORT column at one thread count -> {column: {"runs": {spinning: runner JSON}}}, the
    fp32 column with "encoder_check": the standalone encoder timing per spinning setting that
    the report takes from it. One thread has no intra-op pool to spin: one run, ORT's default."""
    spins = ["0", "1"] if threads > 1 else ["1"]
    out = {}
    for key, encoder, variant in ort_columns(graphs, int8):
        out[key] = {"runs": {spin: json.loads(run(
            ["node", HERE / "ort_runner.js", "--graphs", graphs, "--dump", dump_dir,
             "--workloads", workloads_path, "--threads", threads, "--spinning", spin,
             "--encoder", encoder, "--variant", variant], env=env)) for spin in spins}}
    best = bench_report.ort_best_spinning(out["onnxruntime"], [w["name"] for w in workloads])
    out["onnxruntime"]["encoder_check"] = {spin: json.loads(run(
        ["node", HERE / "ort_encoder_check.js", "--graph", graphs / "encoder.onnx", "--dump",
         dump_dir, "--workloads", workloads_path, "--threads", threads, "--spinning", spin],
        env=env)) for spin in sorted(set(best.values()))}
    return out


def ort_decisions(env, model, graphs, dump_dir, workloads_path, out_dir, threads,
                  optimized=None):
    """ORT's fp32 and int8 encoders on every dumped encoder input (untimed), their hidden
    states decoded by the reference (ort_decisions.py) -> {"fp32": decisions, "int8": ...}.
    optimized: a path for ORT's optimised int8 graph, whose op counts are returned too.
    Nothing here is timed, so it is run the way that disturbs a shared machine least: ORT's
    threads sleep between work items, and the reference's heads run on one thread (torch with
    two threads on two busy cores was four times slower)."""
    hidden = {tag: out_dir / f"ort-hidden-{tag}" for tag in ("fp32", "int8")}
    files = {tag: out_dir / f"decisions-ort-{tag}.json" for tag in hidden}
    ops = None
    try:
        for tag, graph in (("fp32", "encoder.onnx"), ("int8", "encoder.int8.onnx")):
            cmd = ["node", HERE / "ort_encoder_check.js", "--graph", graphs / graph, "--dump",
                   dump_dir, "--workloads", workloads_path, "--threads", threads, "--spinning",
                   "0", "--timing", "0", "--save-hidden", hidden[tag]]
            if optimized and tag == "int8":
                cmd += ["--save-optimized", optimized]
            run(cmd, env=env)
        run([PY, HERE / "ort_decisions.py", "--checkpoint", model, "--workloads",
             workloads_path, "--dump", dump_dir, "--hidden", hidden["fp32"], "--out",
             files["fp32"], "--hidden", hidden["int8"], "--out", files["int8"]],
            env=dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1"))
        if optimized:
            import onnx_quantize  # python3-onnx: present, since it quantized the graph
            ops = onnx_quantize.quantized_op_counts(optimized)
    finally:
        for path in hidden.values():  # hundreds of MB at base shapes; only the decisions stay
            shutil.rmtree(path, ignore_errors=True)
        if optimized:
            pathlib.Path(optimized).unlink(missing_ok=True)
    return {tag: json.loads(f.read_text()) for tag, f in files.items()}, ops


def gemm_peaks(probe, native, threads, hidden, ffn, seconds):
    args = ["--threads", ",".join(map(str, threads)), "--hidden", hidden, "--ffn", ffn,
            "--seconds", seconds]
    out = {"project_flags": json.loads(run([probe, *args]))}
    if native.exists():
        out["march_native"] = json.loads(run([native, *args]))
    return out


def write_results(out_dir, result):
    (out_dir / "results.json").write_text(json.dumps(result, indent=1))
    meta = result["meta"]
    (out_dir / "results.md").write_text(bench_report.markdown(result["summary"], meta) +
                                        "\n".join(int8_gate.markdown(meta.get("int8_gate")) +
                                                  int8_gate.ort_markdown(meta.get("ort_int8"))))
    try:
        bench_report.chart(result["summary"], out_dir / "results.png")
    except ImportError:
        log("results.png skipped: matplotlib missing (apt-get install python3-matplotlib)")
    print((out_dir / "results.md").read_text())
    log(f"wrote {out_dir}/results.json, results.md, results.png")


def rerender(out_dir):
    """Recomputes summary, table and chart from results.json's raw samples (after a change to
    bench_report.py or bench_flops.py; FLOPs are recomputed when the run's dump is still there)."""
    result = json.loads((out_dir / "results.json").read_text())
    meta = result["meta"]
    run_dir = pathlib.Path(meta.get("run_dir") or HERE / ".work" / (
        f"run-{meta['profile']}-{pathlib.Path(meta['checkpoint']).name}"))
    enc_cfg = json.loads((pathlib.Path(meta["checkpoint"]) /
                          "encoder_config/config.json").read_text())
    flops = {}
    for path in sorted((run_dir / "dump").glob("*.json")):
        flops[path.stem] = bench_flops.request_flops(path, enc_cfg)
    flops = flops or result.get("flops", {})
    workloads = json.loads((run_dir / "workloads.json").read_text())["workloads"]
    raw = {int(t): {k: v for k, v in e.items() if k != "load_average"}
           for t, e in result["raw"].items()}
    result["flops"] = flops
    result["summary"] = bench_report.summarise(raw, workloads, flops, meta["gemm_peak"])
    if meta.get("int8_gate") is not None:  # pick up a newer int8_agreement.py report
        meta["int8_gate"]["eval"] = int8_gate.eval_summary(
            meta.get("int8_eval") or HERE / ".work/int8_agreement.json",
            (meta["int8_gate"].get("benchmark_default") or {}).get("model", DEFAULT_MODEL))
    write_results(out_dir, result)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--profile", choices=sorted(bench_workloads.PROFILES), default="full")
    p.add_argument("--smoke", action="store_true",
                   help="tiny checkpoint, smoke profile, results to bench/.work/smoke-results")
    p.add_argument("--checkpoint", type=pathlib.Path,
                   help="default bench/.work/base-seed1 (tiny-seed1 with --smoke); created when "
                        "missing")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--engines", default="spanguard,onnxruntime,pytorch")
    p.add_argument("--variants", default="fp32,int8",
                   help="spanguard columns (bench_engine --variant): fp32 (required: the ORT "
                        "check and the pre/post-processing estimate use it) and optionally int8")
    p.add_argument("--build-dir", type=pathlib.Path, default=ROOT / "build")
    p.add_argument("--work", type=pathlib.Path, default=HERE / ".work")
    p.add_argument("--out", type=pathlib.Path)
    p.add_argument("--max-diff", type=float, default=1e-3,
                   help="exit 1 when ORT and spanguard outputs differ by more (default 1e-3)")
    p.add_argument("--int8-eval", type=pathlib.Path,
                   help="bench/int8_agreement.py --json output for the report's evaluation-set "
                        "gate (default bench/.work/int8_agreement.json when present)")
    p.add_argument("--gate-model", type=pathlib.Path, default=DEFAULT_MODEL,
                   help="trained model whose int8 decisions on the benchmark inputs are gated "
                        f"(default {DEFAULT_MODEL.relative_to(ROOT)})")
    p.add_argument("--int8-gate-strict", action="store_true",
                   help="exit 1 when the int8 gate fails on the benchmark inputs")
    p.add_argument("--rerender", action="store_true",
                   help="only recompute results.md/png/summary from --out's results.json")
    a = p.parse_args()
    if a.rerender:
        return rerender(a.out or HERE / "results")
    if a.smoke:
        a.profile = "smoke"
    shape = "tiny" if a.smoke else "base"
    checkpoint = a.checkpoint or a.work / f"{shape}-seed1"
    out_dir = a.out or (a.work / "smoke-results" if a.smoke else HERE / "results")
    threads = [int(t) for t in a.threads.split(",")]
    engines = a.engines.split(",")
    variants = a.variants.split(",")
    if "fp32" not in variants or not set(variants) <= {"fp32", "int8"}:
        p.error(f"--variants {a.variants}: fp32 is required, int8 optional")
    variants.sort(key=lambda v: v != "fp32")  # fp32 first: it writes the dump ORT reads
    a.work.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    run_dir = a.work / f"run-{a.profile}-{checkpoint.name}"
    run_dir.mkdir(parents=True, exist_ok=True)
    meta = {"profile": a.profile, "checkpoint": str(checkpoint), "machine": None,
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "load_before": " ".join(uptime()), "threads": threads, "skipped": {},
            "variants": variants, "int8_eval": str(a.int8_eval or a.work / "int8_agreement.json")}
    machine_info = machine()
    meta["machine"] = (f"{machine_info.get('Model name')}, {machine_info.get('CPU(s)')} CPUs "
                       f"({', '.join(machine_info['simd'])})")

    ensure_checkpoint(checkpoint, shape)
    enc_cfg = json.loads((checkpoint / "encoder_config/config.json").read_text())
    engine_bin, probe, native = build(a.build_dir)
    workloads_doc = bench_workloads.make_workloads(a.profile)
    workloads_path = run_dir / "workloads.json"
    workloads_path.write_text(json.dumps(workloads_doc))
    workloads = workloads_doc["workloads"]

    node_path = ensure_ort(a.work) if "onnxruntime" in engines else None
    graphs = a.work / f"onnx-{checkpoint.name}"
    ort_int8 = False
    if node_path:
        log("exporting the reference to ONNX (cached)")
        export = json.loads(run([PY, HERE / "onnx_export.py", "--checkpoint", checkpoint,
                                 "--out", graphs]))
        meta["onnx_export"] = export
        if "int8" in variants:
            try:
                meta["ort_int8"] = {"quantize": quantize_encoder(graphs)}
                ort_int8 = True
            except RuntimeError as e:  # e.g. python3-onnx missing
                log(f"ONNX Runtime int8 anchor skipped: {e}")
                meta["skipped"]["onnxruntime-int8"] = str(e).splitlines()[0]
    elif "onnxruntime" in engines:
        meta["skipped"]["onnxruntime"] = "node or onnxruntime-node unavailable"

    H, F = enc_cfg.get("hidden_size", 768), enc_cfg.get("intermediate_size", 3072)
    gemm = gemm_peaks(probe, native, threads, H, F, 0.1 if a.smoke else 0.3)
    dump_dir = run_dir / "dump"
    dump_dir.mkdir(exist_ok=True)
    raw, torch_probe = {}, None
    for t in threads:
        raw[t] = {}
        loads = {"before": uptime()}
        for variant in variants:
            key = "spanguard" if variant == "fp32" else f"spanguard-{variant}"
            if "spanguard" not in engines:
                break
            common = ["--model", checkpoint, "--workloads", workloads_path, "--threads", t,
                      "--variant", variant]
            decisions = run_dir / f"decisions-{variant}-{t}.json"
            e2e = json.loads(run([engine_bin, *common, "--pass", "e2e", "--decisions",
                                  decisions]))
            net_args = [engine_bin, *common, "--pass", "network"]
            if t == threads[0] and variant == "fp32":
                net_args += ["--dump", dump_dir]  # the inputs do not depend on threads
            raw[t][key] = {"e2e": e2e, "network": json.loads(run(net_args))}
        if node_path:
            raw[t].update(run_ort(dict(os.environ, NODE_PATH=node_path), graphs, dump_dir,
                                  workloads_path, workloads, t, ort_int8))
        if "pytorch" in engines:
            args = [PY, HERE / "torch_runner.py", "--checkpoint", checkpoint, "--workloads",
                    workloads_path, "--threads", t, "--probe"]
            # Debian's torch calls the system BLAS (OpenBLAS, pthread flavour) through
            # libblas.so.3, whose own thread pool torch.set_num_threads does not size.
            env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t), OMP_NUM_THREADS=str(t))
            raw[t]["pytorch"] = json.loads(run(args, env=env))
            probe_out = {"blas": raw[t]["pytorch"].pop("blas"),
                         "mm_peak": raw[t]["pytorch"].pop("mm_peak")}
            torch_probe = torch_probe or {"blas": probe_out["blas"], "mm_peak": {}}
            torch_probe["mm_peak"][str(t)] = probe_out["mm_peak"]
        loads["after"] = uptime()
        raw[t]["load_average"] = loads
    meta["load_after"] = " ".join(uptime())

    peaks = {}
    for t in threads:
        cands = [g["peak_gflops_by_threads"].get(str(t), 0) for g in gemm.values()]
        if torch_probe and str(t) in torch_probe["mm_peak"]:
            cands.append(torch_probe["mm_peak"][str(t)]["peak_gflops"])
        peaks[str(t)] = max(cands)
    meta["gemm_peak"] = peaks
    flops = {}
    for w in workloads:
        path = dump_dir / f"{w['name']}.json"
        if path.exists():
            flops[w["name"]] = bench_flops.request_flops(path, enc_cfg)
    engines_raw = {t: {k: v for k, v in e.items() if k != "load_average"} for t, e in raw.items()}
    summary = bench_report.summarise(engines_raw, workloads, flops, peaks)
    meta["run_dir"] = str(run_dir)
    ort_env = dict(os.environ, NODE_PATH=node_path) if ort_int8 else None
    if ort_int8 and "spanguard" in engines:
        try:
            meta["ort_int8"]["benchmark_run"], meta["ort_int8"]["optimized_ops"] = \
                ort_int8_run_agreement(ort_env, checkpoint, graphs, dump_dir, workloads_path,
                                       run_dir, max(threads), variants)
        except (RuntimeError, ValueError, KeyError) as e:
            log(f"ONNX Runtime int8 agreement (run checkpoint) not measured: {e}")
            meta["ort_int8"]["error"] = str(e).splitlines()[0]
    if "int8" in variants and "spanguard" in engines:
        meta["int8_gate"] = gate(engine_bin, run_dir, threads, a.gate_model, checkpoint,
                                 meta["int8_eval"], a.smoke, ort_env, a.work,
                                 meta.get("ort_int8"))
    result = {"meta": meta, "machine": machine_info, "gemm_probe": gemm, "flops": flops,
              "torch_blas": torch_probe, "summary": summary,
              "load_average": {t: e.get("load_average") for t, e in raw.items()}, "raw": raw}
    write_results(out_dir, result)
    problems = agreement_problems(raw, a.max_diff)
    for problem in problems:
        log(f"DISAGREEMENT: {problem}")
    for t, w, ratio in bench_report.encoder_check_flags(summary):
        log(f"encoder cross-check, {t} thread(s), {w}: the benchmark's ORT encoder is "
            f"{ratio:.3f}x the standalone one (limit {bench_report.ENCODER_CHECK_LIMIT})")
    int8_failed = a.int8_gate_strict and not meta.get("int8_gate", {}).get(
        "benchmark_default", {}).get("pass", True)
    if int8_failed:
        log("int8 gate FAILED on the benchmark inputs (--int8-gate-strict)")
    return 1 if problems or int8_failed else 0


def ort_int8_run_agreement(env, checkpoint, graphs, dump_dir, workloads_path, run_dir, threads,
                           variants):
    """ORT int8 vs ORT fp32 vs spanguard decisions on this run's inputs and checkpoint (the
    spanguard decisions of the timed runs at `threads`) -> (agreement, ORT's fused op counts)."""
    decided, ops = ort_decisions(env, checkpoint, graphs, dump_dir, workloads_path, run_dir,
                                 threads, optimized=run_dir / "encoder.int8.optimized.onnx")
    mine = {f"spanguard_{v}": json.loads((run_dir / f"decisions-{v}-{threads}.json").read_text())
            for v in variants}
    pairs = int8_gate.ort_agreement({**mine, "ort_fp32": decided["fp32"],
                                     "ort_int8": decided["int8"]})
    return {"model": str(checkpoint), "threads": threads, "pairs": pairs}, ops


def ort_int8_gate_agreement(env, engine_bin, gate_model, work, run_dir, workloads_path, threads,
                            decided, texts=None):
    """The same on the default model and the gate's inputs: its ONNX export and int8 encoder
    (cached under work), its encoder inputs dumped by bench_engine's stage pass, decided = the
    gate's spanguard decisions {"fp32": ..., "int8": ...}. texts: only the first `texts` texts
    of each workload (--smoke, which only shows that the path works; a text's decisions do not
    depend on the others in its batch)."""
    graphs = work / f"onnx-{gate_model.name}"
    run([PY, HERE / "onnx_export.py", "--checkpoint", gate_model, "--out", graphs])
    quantized = quantize_encoder(graphs)
    out_dir = run_dir / "gate-ort"
    dump = out_dir / "dump"
    dump.mkdir(parents=True, exist_ok=True)
    if texts:
        doc = json.loads(pathlib.Path(workloads_path).read_text())
        for w in doc["workloads"]:
            w["texts"] = w["texts"][:texts]
        workloads_path = out_dir / "workloads.json"
        workloads_path.write_text(json.dumps(doc))
        decided = {v: {w: results[:texts] for w, results in d.items()}
                   for v, d in decided.items()}
    run([engine_bin, "--model", gate_model, "--workloads", workloads_path, "--threads", threads,
         "--variant", "fp32", "--pass", "network", "--dump", dump, "--check-calls", "0"])
    ort, _ = ort_decisions(env, gate_model, graphs, dump, workloads_path, out_dir, threads)
    pairs = int8_gate.ort_agreement({"spanguard_fp32": decided["fp32"],
                                     "spanguard_int8": decided["int8"],
                                     "ort_fp32": ort["fp32"], "ort_int8": ort["int8"]})
    return {"model": str(gate_model), "threads": threads, "pairs": pairs, "quantize": quantized,
            "texts_limit": texts}


def gate(engine_bin, run_dir, threads, gate_model, checkpoint, eval_json, smoke, ort_env=None,
         work=None, ort_anchor=None):
    """The int8 accuracy gate (int8_gate.py): int8 vs fp32 decisions on the benchmark inputs, of
    the trained gate model (the full profile's inputs, one pass per variant) and of this run's
    checkpoint (from its timed runs, per thread count); plus bench/int8_agreement.py's
    evaluation-set numbers when its JSON exists. With ort_env (ONNX Runtime's int8 anchor), ORT's
    int8 and fp32 decisions on the gate model's inputs go into ort_anchor["benchmark_default"]."""
    out = {}
    per_threads = {}
    for t in threads:
        fp32, int8 = (json.loads((run_dir / f"decisions-{v}-{t}.json").read_text())
                      for v in ("fp32", "int8"))
        per_threads[str(t)] = int8_gate.compare_decisions(fp32, int8)
    out["benchmark_run"] = int8_gate.benchmark_gate(checkpoint, per_threads)
    if gate_model.exists():
        # The full protocol's inputs whatever the profile: a smoke or quick run has too few texts
        # to resolve 99.5 % (one text of 33 is 3 %), and the small model runs them in seconds.
        # --smoke keeps the first 200 throughput texts (as int8_agreement.py does): 251 texts.
        full = bench_workloads.make_workloads("full")
        once = {**full, "workloads": [dict(w, reps=1, warmup=False) for w in full["workloads"]]}
        for w in once["workloads"]:
            if smoke and w["name"] == "throughput":
                w["texts"] = w["texts"][:200]
        path = run_dir / "workloads-gate.json"
        path.write_text(json.dumps(once))
        decided = {}
        for v in ("fp32", "int8"):
            out_path = run_dir / f"decisions-gate-{v}.json"
            run([engine_bin, "--model", gate_model, "--workloads", path, "--threads",
                 max(threads), "--variant", v, "--pass", "e2e", "--decisions", out_path])
            decided[v] = json.loads(out_path.read_text())
        out["benchmark_default"] = int8_gate.benchmark_gate(gate_model, {
            str(max(threads)): int8_gate.compare_decisions(decided["fp32"], decided["int8"])})
        if ort_env is not None and ort_anchor is not None:
            try:
                ort_anchor["benchmark_default"] = ort_int8_gate_agreement(
                    ort_env, engine_bin, gate_model, work, run_dir, path, max(threads), decided,
                    SMOKE_ORT_GATE_TEXTS if smoke else None)
            except (RuntimeError, ValueError, KeyError) as e:
                log(f"ONNX Runtime int8 agreement (default model) not measured: {e}")
                ort_anchor["error"] = str(e).splitlines()[0]
    else:
        log(f"int8 gate: {gate_model} missing, benchmark inputs gated on nothing")
    out["eval"] = int8_gate.eval_summary(eval_json, gate_model)
    for key in ("benchmark_default", "benchmark_run"):
        if key in out:
            b = out[key]
            log(f"int8 gate, benchmark inputs, {b['model']}: {'PASS' if b['pass'] else 'FAIL'} "
                f"(lowest agreement {100 * (b['worst_agreement'] or 0):.2f} %)")
    ev = out["eval"]
    log("int8 gate, evaluation sets: " + (
        f"{'PASS' if ev['pass'] else 'FAIL'} ({ev['file']}{', STALE' if ev['stale'] else ''})"
        if ev else f"no report (run {int8_gate.EVAL_COMMAND})"))
    return out


def agreement_problems(raw, max_diff):
    """ORT (fp32, every spinning run) and spanguard must have computed the same thing: hidden
    states, span probabilities and classifier logits within max_diff, and the same instance
    counts. The int8 column is not held to this: its differences are quantization's."""
    problems = []
    for t, engines in raw.items():
        for spin, res in bench_report.ort_runs(engines.get("onnxruntime")).items():
            for wname, w in res.get("workloads", {}).items():
                c = w["check"]
                where = f"{t} thread(s), spinning {spin}, {wname}"
                for key in ("hidden", "span_probs", "class_logits"):
                    diff = c[f"max_abs_diff_{key}"]
                    if diff > max_diff:
                        problems.append(f"{where}: max |ORT - spanguard| {key} = {diff:.2e} > "
                                        f"{max_diff:g}")
                if c["count_mismatches"]:
                    problems.append(f"{where}: {c['count_mismatches']} of "
                                    f"{c['counts_compared']} instance counts differ")
    return problems


if __name__ == "__main__":
    sys.exit(main())
