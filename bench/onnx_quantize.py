"""Dynamic int8 quantization of an ONNX graph, the ONNX Runtime int8 anchor of
bench/gliner_bench.py: every MatMul whose second input is a constant float tensor (the encoder's
Linear weights, and DeBERTa's relative-position projections, which the export constant-folds)
becomes

    A --DynamicQuantizeLinear--> (A_q uint8, A_scale, A_zero_point)
    MatMulInteger(A_q, W_q, A_zero_point, W_zero_point) -> int32
    Cast(float) -> Mul(., Mul(A_scale, W_scale)) -> the MatMul's output name, so that what read it
    (usually the bias Add) is unchanged

which is the graph ONNX Runtime's quantize_dynamic writes with its defaults (weight_type QInt8,
per_channel False, reduce_range False, WeightSymmetric True, MatMulConstBOnly True in dynamic
mode): weights per tensor, symmetric int8 in [-127, 127] with zero point 0 and scale
max|W| / 127; activations quantized per call to uint8 by DynamicQuantizeLinear (asymmetric, range
widened to include 0). One DynamicQuantizeLinear serves every MatMul that reads the same
activation (query, key and value share theirs). ONNX Runtime's graph optimizer fuses the pattern
into MatMulIntegerToFloat (and DynamicQuantizeMatMul where the quantized activation has one
reader); a bias Add whose constant operand comes first is given it second, the operand order that
fusion accepts (Add is commutative, so the graph computes the same).

Constants are initializers or Constant nodes: torch.onnx writes the transposed Linear weights as
Constant nodes, which ONNX Runtime turns into initializers when it loads the graph (its quantizer
is documented to be run after that pre-processing). Float weights no longer read are removed.

Usage: /usr/bin/python3 bench/onnx_quantize.py --input encoder.onnx --output encoder.int8.onnx
       [--scope all|linear]
--scope linear quantizes only 2-D weights (the Linear layers). Prints a JSON report (MatMuls
quantized by weight rank, left as they were and why, weight bytes before and after); skips the
work when the output's report names the same input (size and mtime) and scope. The result passes
onnx.checker.
"""

import argparse
import collections
import copy
import json
import os
import pathlib
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

INT8_MAX = 127  # symmetric int8: [-127, 127], so that -W quantizes to -W_q


def quantize_weight(w):
    """float weights -> (int8 array, float32 scale): per tensor, symmetric, zero point 0.
    Rounds half to even (numpy's rint), as the quantizer's numpy arithmetic does."""
    w = np.asarray(w, dtype=np.float32)
    amax = float(np.max(np.abs(w))) if w.size else 0.0
    scale = np.float32(amax / INT8_MAX) if amax > 0 else np.float32(1.0)
    q = np.clip(np.rint(w / scale), -INT8_MAX, INT8_MAX).astype(np.int8)
    return q, scale


def dynamic_quantize_linear(x):
    """The ONNX DynamicQuantizeLinear operator (opset 11) in numpy, for tests and checks:
    float x -> (uint8 y, float32 scale, uint8 zero point)."""
    x = np.asarray(x, dtype=np.float32)
    lo = min(0.0, float(x.min())) if x.size else 0.0
    hi = max(0.0, float(x.max())) if x.size else 0.0
    scale = np.float32((hi - lo) / 255.0)
    if scale == 0:
        return np.zeros(x.shape, np.uint8), scale, np.uint8(0)
    zp = np.uint8(np.clip(np.rint(np.float32(0.0) - np.float32(lo) / scale), 0, 255))
    y = np.clip(np.rint(x / scale) + zp, 0, 255).astype(np.uint8)
    return y, scale, zp


def _constants(graph):
    """name -> TensorProto for the initializers and Constant-node outputs of the graph (not
    converted: at gliner2-base shapes the embedding table alone is 393 MB)."""
    out = {init.name: init for init in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant" and len(node.attribute) == 1 and \
                node.attribute[0].name == "value":
            out[node.output[0]] = node.attribute[0].t
    return out


class _Names:
    """Fresh tensor/node names next to the graph's own."""

    def __init__(self, graph):
        self.used = set()
        for node in graph.node:
            self.used.update(node.input)
            self.used.update(node.output)
            self.used.add(node.name)
        self.used.update(i.name for i in graph.initializer)
        self.used.update(i.name for i in graph.input)
        self.used.update(o.name for o in graph.output)

    def __call__(self, base):
        name, k = base, 1
        while name in self.used:
            name, k = f"{base}_{k}", k + 1
        self.used.add(name)
        return name


def _opset(model):
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            return o.version
    return None


def quantize_model(model, scope="all", in_place=False):
    """-> (quantized ModelProto, report). The input model is modified only with in_place."""
    if scope not in ("all", "linear"):
        raise ValueError(f"scope {scope!r}: all or linear")
    opset = _opset(model)
    if opset is None or opset < 11:
        raise ValueError(f"opset {opset}: DynamicQuantizeLinear needs opset 11 or later")
    if not in_place:
        model = onnx.ModelProto.FromString(model.SerializeToString())
    g = model.graph
    consts = _constants(g)
    names = _Names(g)
    readers = collections.defaultdict(list)
    for node in g.node:
        for name in node.input:
            readers[name].append(node)
    graph_outputs = {o.name for o in g.output}

    skipped = collections.Counter()
    targets = []
    for node in g.node:
        if node.op_type != "MatMul":
            continue
        b = node.input[1]
        if b not in consts:
            skipped["second input not constant (activation x activation)"] += 1
            continue
        t = consts[b]
        if t.data_type != TensorProto.FLOAT:
            skipped[f"constant of type {TensorProto.DataType.Name(t.data_type)}"] += 1
            continue
        rank = len(t.dims)
        if rank < 2 or (scope == "linear" and rank != 2):
            skipped[f"{rank}-D constant (--scope {scope})"] += 1
            continue
        targets.append(node)

    weights = {}        # float weight name -> (W_q name, scale name, zero point name)
    activations = {}    # activation name -> (A_q, A_scale, A_zero_point) names
    new_inits = []
    bytes_before = bytes_after = 0
    by_rank = collections.Counter()
    replaced = {id(n) for n in targets}
    swapped = 0
    out_nodes = []
    for node in g.node:
        if id(node) not in replaced:
            out_nodes.append(node)
            continue
        a, b = node.input[0], node.input[1]
        stem = (node.name or node.output[0]).strip("/").replace("/", "_") or "MatMul"
        if b not in weights:
            w = numpy_helper.to_array(consts[b])
            q, scale = quantize_weight(w)
            wq, ws, wz = (names(f"{b}_quantized"), names(f"{b}_scale"),
                          names(f"{b}_zero_point"))
            new_inits += [numpy_helper.from_array(q, wq),
                          numpy_helper.from_array(np.array(scale, np.float32), ws),
                          numpy_helper.from_array(np.array(0, np.int8), wz)]
            weights[b] = (wq, ws, wz)
            bytes_before += w.nbytes
            bytes_after += q.nbytes
            by_rank[f"{w.ndim}-D"] += 1
        wq, ws, wz = weights[b]
        if a not in activations:
            aq, as_, az = names(f"{a}_quantized"), names(f"{a}_scale"), names(f"{a}_zero_point")
            out_nodes.append(helper.make_node("DynamicQuantizeLinear", [a], [aq, as_, az],
                                              name=names(f"{stem}_DynamicQuantizeLinear")))
            activations[a] = (aq, as_, az)
        aq, as_, az = activations[a]
        acc, acc_f, scale = (names(f"{stem}_int32"), names(f"{stem}_int32_float"),
                             names(f"{stem}_scale"))
        out_nodes += [
            helper.make_node("MatMulInteger", [aq, wq, az, wz], [acc],
                             name=names(f"{stem}_MatMulInteger")),
            helper.make_node("Cast", [acc], [acc_f], to=TensorProto.FLOAT,
                             name=names(f"{stem}_Cast")),
            # One scale product per MatMul: ONNX Runtime fuses only a product with one reader.
            helper.make_node("Mul", [as_, ws], [scale], name=names(f"{stem}_scale_Mul")),
            helper.make_node("Mul", [acc_f, scale], [node.output[0]],
                             name=names(f"{stem}_output_Mul")),
        ]
        after = readers[node.output[0]]
        if (len(after) == 1 and after[0].op_type == "Add" and node.output[0] not in graph_outputs
                and after[0].input[1] == node.output[0] and after[0].input[0] in consts
                and len(consts[after[0].input[0]].dims) == 1):
            after[0].input[0], after[0].input[1] = after[0].input[1], after[0].input[0]
            swapped += 1

    # Drop the float weights (and any other constant) nothing reads any more.
    still_read = {name for node in out_nodes for name in node.input} | graph_outputs
    kept_nodes = [n for n in out_nodes
                  if not (n.op_type == "Constant" and n.output[0] not in still_read)]
    # Copies, taken before the repeated fields that own the messages are cleared.
    kept_inits = [copy.deepcopy(i) for i in g.initializer if i.name in still_read]
    kept_nodes = [copy.deepcopy(n) for n in kept_nodes]
    del g.node[:]
    g.node.extend(kept_nodes)
    del g.initializer[:]
    g.initializer.extend(kept_inits + new_inits)
    onnx.checker.check_model(model)
    left = sum(1 for n in g.node if n.op_type == "MatMul")
    report = {"scope": scope, "opset": opset, "matmuls_quantized": len(targets),
              "quantized_by_weight_rank": dict(by_rank), "weights_quantized": len(weights),
              "dynamic_quantize_linear": len(activations), "matmuls_left_float": left,
              "left_because": dict(skipped), "bias_adds_reordered": swapped,
              "float_weight_bytes": bytes_before, "int8_weight_bytes": bytes_after,
              "weights": "int8 per tensor, symmetric [-127, 127], zero point 0, "
                         "scale max|W|/127",
              "activations": "uint8 per call (DynamicQuantizeLinear)"}
    return model, report


QUANTIZED_OPS = ("DynamicQuantizeLinear", "MatMulInteger", "MatMulIntegerToFloat",
                 "DynamicQuantizeMatMul", "MatMul", "FusedMatMul")


def quantized_op_counts(path):
    """How many nodes of the kinds the anchor is about a graph holds: run on the graph ONNX
    Runtime saves after its optimisations, it says which fused int8 kernels it really runs."""
    model = onnx.load(str(path), load_external_data=False)
    counts = collections.Counter(n.op_type for n in model.graph.node)
    return {op: counts[op] for op in QUANTIZED_OPS if counts[op]}


def _stamp(path, scope):
    st = os.stat(path)
    return {"input": os.path.abspath(path), "size": st.st_size, "mtime": int(st.st_mtime),
            "scope": scope}


def quantize_file(src, dst, scope="all"):
    """Quantizes src into dst (cached: dst + '.json' holds the report and the input's stamp)."""
    dst = pathlib.Path(dst)
    meta_path = dst.with_name(dst.name + ".json")
    stamp = _stamp(src, scope)
    if dst.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("stamp") == stamp:
            return meta
    t0 = time.time()
    model, report = quantize_model(onnx.load(str(src)), scope, in_place=True)
    onnx.save(model, str(dst))
    report.update(stamp=stamp, output=str(dst.resolve()), seconds=round(time.time() - t0, 1))
    meta_path.write_text(json.dumps(report, indent=1))
    return report


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--scope", choices=("all", "linear"), default="all",
                   help="all: every constant float weight of rank >= 2 (default, as "
                        "quantize_dynamic); linear: 2-D weights only")
    a = p.parse_args()
    print(json.dumps(quantize_file(a.input, a.output, a.scope)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
