"""The peer benchmark's ONNX Runtime anchors: the int8 quantizer (bench/onnx_quantize.py) on a
small graph, evaluated in numpy and, when onnxruntime-node is installed, by ONNX Runtime itself;
the report's choice between the spinning runs and the encoder cross-check (bench/bench_report.py);
the int8 anchor's agreement section (bench/int8_gate.py); and how bench/ort_decisions.py maps
dumped sequences to ORT's hidden states."""

import json
import os
import pathlib
import shutil
import subprocess
import sys

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "bench"))

onnx = pytest.importorskip("onnx")  # Debian's python3-onnx
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

import bench_report  # noqa: E402
import int8_gate  # noqa: E402
import onnx_quantize  # noqa: E402

SOURCE_DIR = pathlib.Path(__file__).resolve().parents[2]
ORT_MODULES = SOURCE_DIR / "bench" / ".work" / "ort" / "node_modules"


def small_graph(seed=0):
    """x [2, 5, 16] -> the shapes of an encoder layer: two Linear layers reading x (one weight a
    Constant node, as torch.onnx writes them, one an initializer) with the bias Add's constant
    first, as torch.onnx orders it; a ReLU; a Linear on that; an activation x activation MatMul
    (attention scores) that must stay float; and a 3-D constant weight (DeBERTa's relative
    position projections after constant folding)."""
    rng = np.random.default_rng(seed)
    w1 = rng.normal(0, 0.3, (16, 8)).astype(np.float32)
    w2 = rng.normal(0, 0.3, (16, 8)).astype(np.float32)
    w3 = rng.normal(0, 0.3, (8, 8)).astype(np.float32)
    w4 = rng.normal(0, 0.3, (2, 8, 6)).astype(np.float32)
    b1, b3 = (rng.normal(0, 0.1, (8,)).astype(np.float32) for _ in range(2))
    const = lambda name, a: helper.make_node(  # noqa: E731
        "Constant", [], [name], value=numpy_helper.from_array(a, name + "_value"))
    nodes = [
        const("w1", w1), const("b1", b1), const("b3", b3),
        helper.make_node("MatMul", ["x", "w1"], ["h1"], name="/q/MatMul"),
        helper.make_node("Add", ["b1", "h1"], ["h1b"]),
        helper.make_node("MatMul", ["x", "w2"], ["h2"], name="/k/MatMul"),
        helper.make_node("Relu", ["h1b"], ["r"]),
        helper.make_node("MatMul", ["r", "w3"], ["h3"], name="/ffn/MatMul"),
        helper.make_node("Add", ["b3", "h3"], ["y"]),
        helper.make_node("Transpose", ["h2"], ["h2t"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["y", "h2t"], ["scores"], name="/scores/MatMul"),
        helper.make_node("MatMul", ["y", "w4"], ["pos"], name="/pos/MatMul"),
    ]
    graph = helper.make_graph(
        nodes, "small",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 5, 16])],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, [2, 5, 5]),
         helper.make_tensor_value_info("pos", TensorProto.FLOAT, [2, 5, 6])],
        [numpy_helper.from_array(w2, "w2"), numpy_helper.from_array(w3, "w3"),
         numpy_helper.from_array(w4, "w4")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def evaluate(model, feeds):
    """A numpy interpreter for the operators of small_graph and of its quantized form, after
    the ONNX operator definitions (DynamicQuantizeLinear: onnx_quantize.dynamic_quantize_linear,
    tested against the specification's example below)."""
    env = dict(feeds)
    for init in model.graph.initializer:
        env[init.name] = numpy_helper.to_array(init)
    for n in model.graph.node:
        x = [env[i] for i in n.input]
        attrs = {a.name: helper.get_attribute_value(a) for a in n.attribute}
        if n.op_type == "Constant":
            out = [numpy_helper.to_array(attrs["value"])]
        elif n.op_type == "MatMul":
            out = [np.matmul(x[0], x[1]).astype(np.float32)]
        elif n.op_type == "Add":
            out = [(x[0] + x[1]).astype(np.float32)]
        elif n.op_type == "Mul":
            out = [(x[0] * x[1]).astype(np.float32)]
        elif n.op_type == "Relu":
            out = [np.maximum(x[0], 0)]
        elif n.op_type == "Transpose":
            out = [np.transpose(x[0], attrs["perm"])]
        elif n.op_type == "DynamicQuantizeLinear":
            out = list(onnx_quantize.dynamic_quantize_linear(x[0]))
        elif n.op_type == "MatMulInteger":
            a = x[0].astype(np.int32) - np.int32(x[2])
            b = x[1].astype(np.int32) - np.int32(x[3])
            out = [np.matmul(a, b).astype(np.int32)]
        elif n.op_type == "Cast":
            assert attrs["to"] == TensorProto.FLOAT
            out = [x[0].astype(np.float32)]
        else:
            raise NotImplementedError(n.op_type)
        env.update(zip(n.output, out))
    return {o.name: env[o.name] for o in model.graph.output}


def test_dynamic_quantize_linear_follows_the_specification_example():
    y, scale, zp = onnx_quantize.dynamic_quantize_linear(
        np.array([0, 2, -3, -2.5, 1.34, 0.5], np.float32))
    assert scale == pytest.approx(0.0196078438, rel=1e-6)
    assert zp == 153
    assert y.tolist() == [153, 255, 0, 26, 221, 179]


def test_weights_are_symmetric_int8_per_tensor():
    w = np.array([[0.5, -1.0], [0.25, 0.0]], np.float32)
    q, scale = onnx_quantize.quantize_weight(w)
    assert q.dtype == np.int8 and scale == pytest.approx(1.0 / 127)
    assert q.tolist() == [[64, -127], [32, 0]]  # 63.5 rounds to even
    q_neg, _ = onnx_quantize.quantize_weight(-w)
    assert (q_neg == -q).all() and q.min() >= -127
    assert onnx_quantize.quantize_weight(np.zeros((2, 2), np.float32))[0].tolist() == [[0, 0]] * 2


def test_every_constant_weight_matmul_is_replaced():
    model, report = onnx_quantize.quantize_model(small_graph())
    onnx.checker.check_model(model)
    g = model.graph
    ops = [n.op_type for n in g.node]
    consts = {i.name for i in g.initializer} | {n.output[0] for n in g.node
                                                if n.op_type == "Constant"}
    float_weight_matmuls = [n for n in g.node if n.op_type == "MatMul" and n.input[1] in consts]
    assert float_weight_matmuls == []
    assert ops.count("MatMul") == 1  # the activation x activation one
    assert ops.count("MatMulInteger") == 4
    assert ops.count("DynamicQuantizeLinear") == 3  # x (shared by q and k), r, y
    assert report["matmuls_quantized"] == 4
    assert report["quantized_by_weight_rank"] == {"2-D": 3, "3-D": 1}
    assert report["left_because"] == {"second input not constant (activation x activation)": 1}
    assert report["bias_adds_reordered"] == 2
    # The float weights are gone; the int8 ones, scales and zero points are initializers.
    inits = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    assert not {"w1", "w2", "w3", "w4"} & (set(inits) | consts)
    int8 = [a for a in inits.values() if a.dtype == np.int8 and a.ndim >= 2]
    assert len(int8) == 4
    zero_points = [a for a in inits.values() if a.dtype == np.int8 and a.ndim == 0]
    assert zero_points and all(int(z) == 0 for z in zero_points)
    for add in (n for n in g.node if n.op_type == "Add"):
        assert add.input[1] in consts  # the order ORT's MatMulIntegerToFloat fusion matches


def test_linear_scope_leaves_other_ranks_float():
    model, report = onnx_quantize.quantize_model(small_graph(), scope="linear")
    assert report["matmuls_quantized"] == 3
    assert [n.op_type for n in model.graph.node].count("MatMul") == 2


def test_quantized_graph_stays_close_to_float():
    model = small_graph(seed=3)
    quantized, _ = onnx_quantize.quantize_model(model)
    x = np.random.default_rng(4).normal(0, 1, (2, 5, 16)).astype(np.float32)
    ref, got = evaluate(model, {"x": x}), evaluate(quantized, {"x": x})
    for name in ("scores", "pos"):
        err = np.abs(got[name] - ref[name]).max()
        # Two to three quantized products in a row, each off by at most half a step of its
        # activation (range / 255) and of its weight (max|W| / 127) per term: about 1 % of
        # the output's magnitude here; 3 % leaves room without hiding a wrong scale or zero
        # point (those are off by tens of percent).
        assert err < 0.03 * np.abs(ref[name]).max(), (name, err)
        assert err > 0  # it was quantized


def test_one_matmul_is_within_the_rounding_bound():
    rng = np.random.default_rng(5)
    a = rng.normal(0, 1, (7, 32)).astype(np.float32)
    w = rng.normal(0, 0.2, (32, 9)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "w"], ["y"])], "one",
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [7, 32])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [7, 9])],
        [numpy_helper.from_array(w, "w")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    quantized, _ = onnx_quantize.quantize_model(model)
    got = evaluate(quantized, {"a": a})["y"]
    _, a_scale, _ = onnx_quantize.dynamic_quantize_linear(a)
    _, w_scale = onnx_quantize.quantize_weight(w)
    # |a w - a_q w_q| <= sum_k |a_k - a_q,k| |w_k| + |a_q,k| |w_k - w_q,k|
    bound = 32 * (a_scale / 2 * np.abs(w).max() + (np.abs(a).max() + a_scale) * w_scale / 2)
    assert np.abs(got - a @ w).max() <= bound


def test_old_opsets_are_refused():
    model = small_graph()
    model.opset_import[0].version = 10
    with pytest.raises(ValueError, match="opset 10"):
        onnx_quantize.quantize_model(model)


def test_quantize_file_caches_on_the_input(tmp_path):
    src = tmp_path / "m.onnx"
    onnx.save(small_graph(), str(src))
    first = onnx_quantize.quantize_file(src, tmp_path / "m.int8.onnx")
    again = onnx_quantize.quantize_file(src, tmp_path / "m.int8.onnx")
    assert first == again and (tmp_path / "m.int8.onnx.json").exists()
    assert onnx_quantize.quantized_op_counts(tmp_path / "m.int8.onnx") == {
        "DynamicQuantizeLinear": 3, "MatMulInteger": 4, "MatMul": 1}


ORT_SCRIPT = r"""
const ort = require('onnxruntime-node');
const fs = require('fs');
(async () => {
  const [model, optimized, input] = process.argv.slice(2);
  const x = new Float32Array(JSON.parse(fs.readFileSync(input, 'utf8')));
  const s = await ort.InferenceSession.create(model, {graphOptimizationLevel: 'all',
                                                     optimizedModelFilePath: optimized});
  const out = await s.run({x: new ort.Tensor('float32', x, [2, 5, 16])});
  console.log(JSON.stringify({scores: Array.from(out.scores.data),
                              pos: Array.from(out.pos.data)}));
})().catch((e) => { console.error(e.message); process.exit(1); });
"""


@pytest.mark.skipif(shutil.which("node") is None or not (ORT_MODULES / "onnxruntime-node").is_dir(),
                    reason="node or bench/.work/ort (onnxruntime-node, installed by "
                           "bench/gliner_bench.py) missing")
def test_onnx_runtime_runs_the_quantized_graph_with_its_fused_kernels(tmp_path):
    model, _ = onnx_quantize.quantize_model(small_graph(seed=6))
    path, optimized = tmp_path / "q.onnx", tmp_path / "q.optimized.onnx"
    onnx.save(model, str(path))
    x = np.random.default_rng(7).normal(0, 1, (2, 5, 16)).astype(np.float32)
    (tmp_path / "x.json").write_text(json.dumps(x.ravel().tolist()))
    (tmp_path / "run.js").write_text(ORT_SCRIPT)
    p = subprocess.run(["node", str(tmp_path / "run.js"), str(path), str(optimized),
                        str(tmp_path / "x.json")], capture_output=True, text=True,
                       env=dict(os.environ, NODE_PATH=str(ORT_MODULES)), timeout=120)
    assert p.returncode == 0, p.stderr
    got = json.loads(p.stdout)
    ref = evaluate(model, {"x": x})
    for name in ("scores", "pos"):
        ort_out = np.array(got[name], np.float32).reshape(ref[name].shape)
        # Same integer arithmetic; the scale products may round differently in the last bit.
        assert np.abs(ort_out - ref[name]).max() <= 1e-4 * np.abs(ref[name]).max() + 1e-6
    ops = onnx_quantize.quantized_op_counts(optimized)
    assert "MatMulInteger" not in ops  # every one fused
    assert ops.get("MatMulIntegerToFloat", 0) + ops.get("DynamicQuantizeMatMul", 0) == 4


# ---------------------------------------------------------------------------------------------
# The report: spinning runs and the encoder cross-check


def ort_json(encoder_s, heads_s, spinning):
    """A minimal ort_runner.js output: one workload, 2 requests x 3 repetitions."""
    rows = lambda v: [[v] * 3, [v] * 3]  # noqa: E731
    return {"spinning": spinning, "load_seconds": 0.5,
            "memory": {"peak_rss_bytes": 100 * 2**20},
            "workloads": {"short": {"encoder": rows(encoder_s), "heads": rows(heads_s),
                                    "cpu": rows(encoder_s + heads_s),
                                    "encoder_cpu": rows(encoder_s),
                                    "check": {"count_mismatches": 0, "counts_compared": 0}}}}


WORKLOADS = [{"name": "short", "mode": "single", "texts": ["a", "b"]}]


def test_the_faster_spinning_run_is_reported_and_both_are_kept():
    entry = {"runs": {"0": ort_json(0.010, 0.002, "0"), "1": ort_json(0.020, 0.002, "1")},
             "encoder_check": {"0": {"workloads": {"short": {"encoder": [[0.009] * 3] * 2}}}}}
    assert bench_report.ort_best_spinning(entry, ["short"]) == {"short": "0"}
    s = bench_report.summarise({2: {"onnxruntime": entry}}, WORKLOADS, {}, {})
    row = s["2"]["workloads"]["short"]
    assert row["onnxruntime"]["spinning"] == "0"
    assert row["onnxruntime"]["encoder"]["p50_ms"] == pytest.approx(10.0)
    assert row["onnxruntime_by_spinning"]["1"]["encoder_p50_ms"] == pytest.approx(20.0)
    check = row["onnxruntime"]["encoder_check"]
    assert check["ratio"] == pytest.approx(10 / 9) and check["flag"]
    assert bench_report.encoder_check_flags(s) == [("2", "short", pytest.approx(10 / 9))]
    assert s["2"]["engines"]["onnxruntime"]["by_spinning"].keys() == {"0", "1"}
    md = bench_report.markdown(s, {"profile": "t", "checkpoint": "c", "machine": "m",
                                   "load_before": "", "load_after": "", "date": "",
                                   "gemm_peak": {}})
    assert "onnxruntime spinning 0 enc / e2e" in md and "SLOWER than standalone" in md


def test_a_standalone_encoder_within_five_percent_is_not_flagged():
    entry = {"runs": {"1": ort_json(0.010, 0.002, "1")},
             "encoder_check": {"1": {"workloads": {"short": {"encoder": [[0.0098] * 3] * 2}}}}}
    row = bench_report.summarise({1: {"onnxruntime": entry}}, WORKLOADS, {}, {})["1"][
        "workloads"]["short"]
    assert not row["onnxruntime"]["encoder_check"]["flag"]


def test_results_written_before_spinning_was_varied_still_summarise():
    legacy = ort_json(0.010, 0.002, None)
    del legacy["spinning"]
    row = bench_report.summarise({1: {"onnxruntime": legacy}}, WORKLOADS, {}, {})["1"][
        "workloads"]["short"]
    assert row["onnxruntime"]["spinning"] == "1"  # ORT's default


# ---------------------------------------------------------------------------------------------
# The int8 anchor's agreement and how ORT's hidden states are found again


def entity(start, end):
    return {"entities": {"person": [{"text": "x", "start": start, "end": end}]}}


def test_ort_agreement_compares_each_pair_as_the_int8_gate_does():
    sg = {"w": [entity(0, 5), entity(1, 4)]}
    ort8 = {"w": [entity(0, 5), entity(1, 3)]}
    pairs = int8_gate.ort_agreement({"spanguard_fp32": sg, "ort_fp32": sg, "ort_int8": ort8})
    assert set(pairs) == {"ort_int8_vs_ort_fp32", "ort_int8_vs_spanguard_fp32",
                          "ort_fp32_vs_spanguard_fp32"}
    assert pairs["ort_int8_vs_ort_fp32"]["all"]["agreement"] == 0.5
    assert pairs["ort_fp32_vs_spanguard_fp32"]["all"]["agreement"] == 1.0
    lines = "\n".join(int8_gate.ort_markdown({"benchmark_run": {
        "model": "m", "threads": 1, "pairs": pairs}}))
    assert "ORT int8 vs ORT fp32" in lines and "would not pass" in lines


def test_dumped_sequences_map_to_their_unpadded_hidden_rows(tmp_path):
    import ort_decisions

    # One call of two rows padded to 4: sequences of 4 and 2 ids; H = 3.
    doc = {"hidden_size": 3, "calls": [{"rows": 2, "length": 4,
                                        "input_ids": [1, 5, 6, 2, 1, 7, 0, 0],
                                        "seqs": [{"length": 4}, {"length": 2}]}]}
    (tmp_path / "w.json").write_text(json.dumps(doc))
    rows = np.arange(18, dtype=np.float32)
    rows.tofile(tmp_path / "w.f32")
    table, H = ort_decisions.load_hidden(tmp_path, tmp_path, "w")
    assert H == 3
    first = table[np.array([1, 5, 6, 2], np.int64).tobytes()]
    second = table[np.array([1, 7], np.int64).tobytes()]
    assert first.shape == (4, 3) and second.tolist() == [[12, 13, 14], [15, 16, 17]]
    rows[:-3].tofile(tmp_path / "w.f32")
    with pytest.raises(ValueError, match="needs more"):
        ort_decisions.load_hidden(tmp_path, tmp_path, "w")
