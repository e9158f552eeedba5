"""The GLiNER v1 peer benchmark's parts (bench/gliner_v1_bench.py): the random v1 checkpoint tool
writes the published folder layout, with and without the projection layer; bench_engine_v1 and
the PyTorch reference decode the same entities from it; the module bench/onnx_export_v1.py
exports computes the reference's logits (its LSTM is rewritten for export); and the agreement
count the report prints."""

import json
import os
import pathlib
import struct
import subprocess
import sys

import pytest
from conftest import BUILD_DIR, SHARED_DIR, SOURCE_DIR, require_shared_file

sys.path.insert(0, os.path.join(SOURCE_DIR, "bench"))
sys.path.insert(0, os.path.join(SOURCE_DIR, "python"))

import bench_workloads  # noqa: E402
import gliner_v1_bench  # noqa: E402

TOOL = os.path.join(SOURCE_DIR, "python", "tools", "make_random_v1_checkpoint.py")


@pytest.fixture(scope="module", params=[None, 32], ids=["no-projection", "projection-32"])
def v1_checkpoint(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("v1") / "ckpt"
    cmd = ["/usr/bin/python3", TOOL, "--out", str(path), "--tiny", "--seed", "3"]
    if request.param:
        cmd += ["--gliner-hidden", str(request.param)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return path


def tensor_names(path):
    with open(path, "rb") as f:
        header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
    header.pop("__metadata__", None)
    return {k: (v["dtype"], v["shape"]) for k, v in header.items()}


def test_layout_matches_the_parity_checkpoint(v1_checkpoint):
    span_v1 = pathlib.Path(require_shared_file(
        os.path.join(SHARED_DIR, "reference", "parity_v1", "span_v1", "model.safetensors"))).parent
    for name in ("gliner_config.json", "added_tokens.json", "tokenizer_config.json",
                 "special_tokens_map.json", "spm.model", "model.safetensors"):
        assert (v1_checkpoint / name).exists(), name
    mine = json.loads((v1_checkpoint / "gliner_config.json").read_text())
    theirs = json.loads((span_v1 / "gliner_config.json").read_text())
    assert set(mine) == set(theirs)
    assert set(mine["encoder_config"]) == set(theirs["encoder_config"])
    for name in ("added_tokens.json", "tokenizer_config.json", "special_tokens_map.json"):
        assert json.loads((v1_checkpoint / name).read_text()) == \
            json.loads((span_v1 / name).read_text()), name
    ours = tensor_names(v1_checkpoint / "model.safetensors")
    reference = tensor_names(span_v1 / "model.safetensors")
    projection = {"token_rep_layer.projection.weight", "token_rep_layer.projection.bias"}
    if mine["hidden_size"] == mine["encoder_config"]["hidden_size"]:
        assert ours == reference  # the same sizes as span_v1 (tiny), same names and F32
    else:
        assert set(ours) == set(reference) | projection
        assert ours["token_rep_layer.projection.weight"][1] == [mine["hidden_size"], 64]


@pytest.mark.skipif(BUILD_DIR is None, reason="SPANGUARD_BUILD_DIR is not set (run through ctest)")
def test_engine_and_reference_decode_the_same_entities(v1_checkpoint, tmp_path):
    from spanguard_reference.gliner_v1 import load_v1, predict_entities

    engine = os.path.join(BUILD_DIR, "bench", "bench_engine_v1")
    assert os.path.exists(engine), f"{engine} has not been built"
    workloads = bench_workloads.make_v1_workloads("smoke")
    path = tmp_path / "workloads.json"
    path.write_text(json.dumps(workloads))
    decisions = tmp_path / "decisions.json"
    subprocess.run([engine, "--model", str(v1_checkpoint), "--workloads", str(path), "--threads",
                    "1", "--pass", "e2e", "--decisions", str(decisions)], check=True,
                   stdout=subprocess.DEVNULL)
    mine = json.loads(decisions.read_text())
    model = load_v1(str(v1_checkpoint))
    found = 0
    for w in workloads["workloads"]:
        theirs = [predict_entities(model, t, w["schema"]["entities"]) for t in w["texts"]]
        a = gliner_v1_bench.agreement(mine[w["name"]], theirs)
        assert a["texts_identical"] == a["texts"], (w["name"], a)
        assert a["max_score_diff"] < 1e-5
        found += a["decisions"]
    assert found > 0  # the calibration makes random weights find entities


def test_export_module_computes_the_reference_logits(v1_checkpoint):
    import torch
    from onnx_export_v1 import CHECK_LABELS, CHECK_TEXTS, V1Graph, graph_inputs
    from spanguard_reference.gliner_v1 import load_v1

    model = load_v1(str(v1_checkpoint))
    # Texts of different lengths in one batch: the backward LSTM reverses each within its own.
    inputs, trace = graph_inputs(model, CHECK_TEXTS, CHECK_LABELS[:4])
    assert len(set(int(n) for n in inputs[3].sum(dim=1))) == len(CHECK_TEXTS)
    with torch.no_grad():
        logits = V1Graph(model).eval()(*inputs)
    assert logits.shape == trace.logits.shape
    assert float((logits - trace.logits).abs().max()) < 1e-4


def test_agreement_counts_texts_and_decisions():
    a = [[{"start": 0, "end": 3, "label": "person", "score": 0.9}],
         [{"start": 5, "end": 9, "label": "email", "score": 0.6}]]
    b = [[{"start": 0, "end": 3, "label": "person", "score": 0.9000001}],
         [{"start": 5, "end": 9, "label": "date", "score": 0.6}]]
    got = gliner_v1_bench.agreement(a, b)
    assert got["texts_identical"] == 1 and got["texts"] == 2
    assert got["decisions_differing"] == 2 and got["decisions"] == 2
    assert got["max_score_diff"] == pytest.approx(1e-7, abs=1e-9)
