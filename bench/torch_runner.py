"""The PyTorch column of bench/gliner_bench.py: the reference implementation
(python/spanguard_reference, plain torch ops, float32, eval) on the workload file, one process per
thread count so that load time and peak RSS are its own.

    /usr/bin/python3 bench/torch_runner.py --checkpoint DIR --workloads FILE --threads N [--out F]

Per request it records the wall time of the API call (extract / extract_long / batch_extract) and,
by wrapping GlinerModel.encode and GlinerModel.heads for the duration of the call, the time spent
in the encoder and in the heads; the rest is input building, decoding and formatting. Also
reports which BLAS torch really runs (torch.__config__.show() and the BLAS libraries mapped into
the process after a matmul) and torch.mm's GFLOP/s at the encoder's shapes (the GEMM-peak probe's
PyTorch entry).
"""

import argparse
import json
import pathlib
import resource
import sys
import time

import torch

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python"))

from spanguard_reference import schema as schema_mod  # noqa: E402
from spanguard_reference.api import GLiNER2  # noqa: E402


def blas_report():
    a = torch.randn(64, 64)
    (a @ a).sum().item()  # make sure the BLAS is loaded before reading the mappings
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            name = path.rsplit("/", 1)[-1].lower()
            if any(k in name for k in ("blas", "lapack", "mkl", "dnnl", "gomp", "omp")):
                libs.add(path)
    resolved = {}
    for path in sorted(libs):
        resolved[path] = str(pathlib.Path(path).resolve())
    return {"config": torch.__config__.show(), "parallel": torch.__config__.parallel_info(),
            "mapped_libraries": resolved}


def mm_peak(threads, hidden=768, ffn=3072, rows=(64, 256, 512, 2048), seconds=0.3):
    torch.set_num_threads(threads)
    best = {}
    for m in rows:
        for name, n, k in (("qkvo", hidden, hidden), ("ffn_in", ffn, hidden),
                           ("ffn_out", hidden, ffn)):
            x, w = torch.randn(m, k), torch.randn(n, k)
            torch.nn.functional.linear(x, w)
            top, t_end, i = 0.0, time.perf_counter() + seconds, 0
            while i < 3 or time.perf_counter() < t_end:
                t0 = time.perf_counter()
                torch.nn.functional.linear(x, w)
                top = max(top, 2.0 * m * n * k / (time.perf_counter() - t0) / 1e9)
                i += 1
            best[f"{name}_{m}"] = top
    return {"results": best, "peak_gflops": max(best.values())}


class StageTimer:
    """Wraps a GlinerModel's encode and heads so every call adds its wall time to a counter."""

    def __init__(self, model):
        self.encoder = 0.0
        self.encoder_cpu = 0.0
        self.heads = 0.0
        inner = model.model
        encode, heads = inner.encode, inner.heads

        def timed_encode(*a, **k):
            c0, t0 = time.process_time(), time.perf_counter()
            out = encode(*a, **k)
            self.encoder += time.perf_counter() - t0
            self.encoder_cpu += time.process_time() - c0
            return out

        def timed_heads(*a, **k):
            t0 = time.perf_counter()
            out = heads(*a, **k)
            self.heads += time.perf_counter() - t0
            return out

        inner.encode, inner.heads = timed_encode, timed_heads

    def reset(self):
        self.encoder = self.encoder_cpu = self.heads = 0.0


def run_request(model, w, schema, r):
    # Spans on, as bench_engine asks for them (its decisions carry offsets): same output work.
    if w["mode"] == "single":
        return model.extract(w["texts"][r], schema, threshold=w["threshold"], include_spans=True)
    if w["mode"] == "long":
        return model.extract_long(w["texts"][r], schema, batch_size=w["batch_size"],
                                  threshold=w["threshold"], include_spans=True)
    return model.batch_extract(w["texts"], schema, batch_size=w["batch_size"],
                               threshold=w["threshold"], include_spans=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--workloads", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--out")
    p.add_argument("--probe", action="store_true", help="also report BLAS and torch.mm peak")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    workloads = json.loads(pathlib.Path(a.workloads).read_text())["workloads"]
    out = {"engine": "pytorch", "threads": a.threads, "torch": torch.__version__}
    t0 = time.perf_counter()
    model = GLiNER2.from_pretrained(a.checkpoint)
    out["load_seconds"] = time.perf_counter() - t0
    timer = StageTimer(model)
    out["workloads"] = {}
    with torch.inference_mode():
        for w in workloads:
            schema = schema_mod.as_schema(w["schema"])
            if w.get("warmup", True):
                run_request(model, w, schema, 0)
            n = 1 if w["mode"] == "batch" else len(w["texts"])
            samples, cpu, enc, enc_cpu, heads = ([[] for _ in range(n)] for _ in range(5))
            for _ in range(w["reps"]):
                for r in range(n):
                    timer.reset()
                    c0, t0 = time.process_time(), time.perf_counter()
                    run_request(model, w, schema, r)
                    samples[r].append(time.perf_counter() - t0)
                    cpu[r].append(time.process_time() - c0)
                    enc[r].append(timer.encoder)
                    enc_cpu[r].append(timer.encoder_cpu)
                    heads[r].append(timer.heads)
            out["workloads"][w["name"]] = {"samples": samples, "cpu": cpu, "encoder": enc,
                                           "encoder_cpu": enc_cpu, "heads": heads,
                                           "texts": len(w["texts"])}
    out["memory"] = {"peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}
    if a.probe:
        out["blas"] = blas_report()
        out["mm_peak"] = mm_peak(a.threads)
    text = json.dumps(out)
    if a.out:
        pathlib.Path(a.out).write_text(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
