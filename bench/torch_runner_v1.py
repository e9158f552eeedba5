"""The PyTorch column of bench/gliner_v1_bench.py: the GLiNER v1 reference
(python/spanguard_reference/gliner_v1.py, plain torch ops, float32) on the v1 workload file, one
process per thread count so that load time and peak RSS are its own.

    /usr/bin/python3 bench/torch_runner_v1.py --checkpoint DIR --workloads FILE --threads N \
        [--out F]

Per request it records the wall and process CPU time of `predict_entities(model, text, labels,
threshold)` (words, sub-tokens, encoder, pooling, LSTM, span logits, decoding) and, by wrapping
the model's encoder for the duration of the call, the time spent in the encoder. The entities of
the first timed repetition are kept for the agreement check. The caller sets OPENBLAS_NUM_THREADS
to the thread count (torch.set_num_threads does not size OpenBLAS's own pool).
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

from spanguard_reference.gliner_v1 import load_v1, predict_entities  # noqa: E402


class TimedEncoder:
    """Stands in for the reference's encoder: every call adds its wall and CPU time."""

    def __init__(self, encoder):
        self.inner = encoder
        self.wall = self.cpu = 0.0

    def __call__(self, *args, **kwargs):
        c0, t0 = time.process_time(), time.perf_counter()
        out = self.inner(*args, **kwargs)
        self.wall += time.perf_counter() - t0
        self.cpu += time.process_time() - c0
        return out

    def __getattr__(self, name):
        return getattr(self.inner, name)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--workloads", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--out")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    workloads = json.loads(pathlib.Path(a.workloads).read_text())["workloads"]
    out = {"engine": "pytorch", "threads": a.threads, "torch": torch.__version__}
    t0 = time.perf_counter()
    model = load_v1(a.checkpoint)
    out["load_seconds"] = time.perf_counter() - t0
    timer = TimedEncoder(model.model.encoder)
    model.model.encoder = timer
    out["workloads"] = {}
    with torch.inference_mode():
        for w in workloads:
            labels = w["schema"]["entities"]
            if w.get("warmup", True):
                predict_entities(model, w["texts"][0], labels, threshold=w["threshold"])
            n = len(w["texts"])
            samples, cpu, enc, enc_cpu = ([[] for _ in range(n)] for _ in range(4))
            decisions = []
            for rep in range(w["reps"]):
                for r in range(n):
                    timer.wall = timer.cpu = 0.0
                    c0, t0 = time.process_time(), time.perf_counter()
                    found = predict_entities(model, w["texts"][r], labels,
                                             threshold=w["threshold"])
                    samples[r].append(time.perf_counter() - t0)
                    cpu[r].append(time.process_time() - c0)
                    enc[r].append(timer.wall)
                    enc_cpu[r].append(timer.cpu)
                    if rep == 0:
                        decisions.append([{k: e[k] for k in ("start", "end", "label", "score")}
                                          for e in found])
            out["workloads"][w["name"]] = {"samples": samples, "cpu": cpu, "encoder": enc,
                                           "encoder_cpu": enc_cpu, "texts": n,
                                           "decisions": decisions}
    out["memory"] = {"peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}
    text = json.dumps(out)
    if a.out:
        pathlib.Path(a.out).write_text(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
