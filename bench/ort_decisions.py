"""Decisions of ONNX Runtime's encoder for the agreement checks of bench/gliner_bench.py: the
hidden states ORT computed for every sequence (bench/ort_encoder_check.js --save-hidden) are
decoded by the PyTorch reference's heads and decoding (python/spanguard_reference, which the
parity tests hold to spanguard's decisions), so that two runs differ only in their encoder.

    /usr/bin/python3 bench/ort_decisions.py --checkpoint DIR --workloads FILE --dump DIR
        --hidden DIR --out FILE [--hidden DIR --out FILE ...] [--threads N]

The reference runs each workload's requests once through its API (extract, extract_long,
batch_extract; spans on, as bench_engine --decisions asks), with GlinerModel.encode replaced by a
lookup of every input's ids among the dumped sequences. The output has bench_engine --decisions'
form, {workload: [result per text]}, for int8_gate.compare_decisions. An input whose ids are not
in the dump is an error (the reference would have built different inputs from spanguard's).
"""

import argparse
import json
import pathlib
import sys

import numpy as np
import torch

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "python"))

from spanguard_reference import schema as schema_mod  # noqa: E402
from spanguard_reference.api import GLiNER2  # noqa: E402
from torch_runner import run_request  # noqa: E402


def load_hidden(dump_dir, hidden_dir, name):
    """{ids bytes: float32 [length, H]} for every sequence of workload `name`'s dump."""
    doc = json.loads((pathlib.Path(dump_dir) / f"{name}.json").read_text())
    H = doc["hidden_size"]
    flat = np.fromfile(pathlib.Path(hidden_dir) / f"{name}.f32", dtype=np.float32)
    table, offset = {}, 0
    for call in doc["calls"]:
        ids = np.asarray(call["input_ids"], dtype=np.int64).reshape(call["rows"], call["length"])
        for b, seq in enumerate(call["seqs"]):
            n = seq["length"] * H
            if offset + n > flat.size:
                raise ValueError(f"{hidden_dir}/{name}.f32: {flat.size} floats, the dump needs "
                                 "more")
            table[ids[b, :seq["length"]].tobytes()] = flat[offset:offset + n].reshape(-1, H)
            offset += n
    if offset != flat.size:
        raise ValueError(f"{hidden_dir}/{name}.f32: {flat.size} floats, the dump has {offset}")
    return table, H


def decide(model, workloads, dump_dir, hidden_dir):
    """{workload: [result per text]} with every encoder call answered from hidden_dir."""
    out = {}
    for w in workloads:
        table, H = load_hidden(dump_dir, hidden_dir, w["name"])

        def lookup(inputs, table=table, H=H, name=w["name"]):
            S = max(len(x.input_ids) for x in inputs)
            hidden = torch.zeros(len(inputs), S, H)
            for b, x in enumerate(inputs):
                key = np.asarray(x.input_ids, dtype=np.int64).tobytes()
                if key not in table:
                    raise KeyError(f"workload {name}: an input of {len(x.input_ids)} ids is not "
                                   "in the dump (reference and spanguard built different inputs)")
                hidden[b, :len(x.input_ids)] = torch.from_numpy(table[key])
            return hidden

        model.model.encode = lookup
        schema = schema_mod.as_schema(w["schema"])
        n = 1 if w["mode"] == "batch" else len(w["texts"])
        results = []
        with torch.inference_mode():
            for r in range(n):
                res = run_request(model, w, schema, r)
                results += res if w["mode"] == "batch" else [res]
        out[w["name"]] = results
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--workloads", required=True)
    p.add_argument("--dump", required=True)
    p.add_argument("--hidden", action="append", required=True)
    p.add_argument("--out", action="append", required=True)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    if len(a.hidden) != len(a.out):
        p.error("give one --out per --hidden")
    torch.set_num_threads(a.threads)
    workloads = json.loads(pathlib.Path(a.workloads).read_text())["workloads"]
    model = GLiNER2.from_pretrained(a.checkpoint)
    for hidden_dir, out in zip(a.hidden, a.out):
        decided = decide(model, workloads, a.dump, hidden_dir)
        pathlib.Path(out).write_text(json.dumps(decided))
    return 0


if __name__ == "__main__":
    sys.exit(main())
