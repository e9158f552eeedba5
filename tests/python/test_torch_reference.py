"""The PyTorch reference implementation (python/spanguard_reference) against independent truth:

* the upstream goldens (/work/shared/reference/parity): for every case, input ids and attention
  masks identical, hidden states within 1e-4, decoded JSON identical except confidences within
  1e-5, decisions within 1e-5 of a threshold and confidence-order ties within 1e-5 (counted);
* the relative-position bucket table computed for the spec (deberta_v3_log_bucket_table.csv);
* the derived gliner2-base-v1 tensor inventory (gliner2_tensor_shapes_derived.json);
* the safetensors files written by the real `safetensors` library (the goldens' checkpoints),
  numpy's float16 and torch's bfloat16 conversions for the writer.

Runs on CPU with one torch thread (small tensors; more threads only add contention).
"""

import csv
import json
import os
import struct
import subprocess
import sys

import numpy as np
import pytest
from conftest import require_shared_file

torch = pytest.importorskip("torch")

SOURCE_DIR = os.environ.get(
    "SPANGUARD_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SHARED_DIR = os.environ.get("SPANGUARD_SHARED_DIR", os.path.join(SOURCE_DIR, "..", "shared"))
REFERENCE = os.path.join(SHARED_DIR, "reference")
PARITY = os.path.join(REFERENCE, "parity")
PYTHON_DIR = os.path.join(SOURCE_DIR, "python")
sys.path.insert(0, PYTHON_DIR)

from spanguard_reference import deberta, goldens, random_checkpoint, safetensors_io  # noqa
from spanguard_reference.api import GLiNER2  # noqa: E402
from spanguard_reference.schema import parse_field_spec_string  # noqa: E402

torch.set_num_threads(1)

GOLDEN_CHECKPOINTS = ["tiny_count_lstm_v2", "tiny_count_lstm_f16"]


def _need(path):
    return require_shared_file(path)


# ---------------------------------------------------------------------------------------------
# Upstream goldens


@pytest.mark.parametrize("name", GOLDEN_CHECKPOINTS)
def test_golden_parity(name):
    golden = json.load(open(_need(os.path.join(PARITY, name + ".golden.json")), encoding="utf-8"))
    # The goldens were produced with microsoft/DeBERTa, whose relative positions differ from
    # Hugging Face's beyond 512 sub-tokens (one case has 935); see deberta.py.
    model = GLiNER2.from_pretrained(os.path.join(PARITY, name), relative_positions="microsoft")
    passed, max_dh, near, swaps, failures = 0, 0.0, 0, 0, []
    for i, case in enumerate(golden["cases"]):
        check = goldens.check_case(goldens.run_case(model, case), case)
        max_dh = max(max_dh, check.max_hidden_diff)
        near += check.near_threshold
        swaps += check.tie_swaps
        if check.problems:
            failures.append(f"case {i} ({case['api']}): " + "; ".join(check.problems[:3]))
        else:
            passed += 1
    print(f"\ntorch reference golden parity: {passed}/{len(golden['cases'])} cases ({name}), "
          f"max |dh| = {max_dh:.2g}, decisions within 1e-5 of a threshold: {near}, "
          f"confidence ties ordered differently: {swaps}")
    assert not failures, "\n".join(failures)
    assert passed == len(golden["cases"]) == 27


def test_hf_relative_positions_differ_from_goldens_only_beyond_512():
    """Spec §5 (Hugging Face, what GLiNER2 runs) and microsoft/DeBERTa (the goldens) agree on
    every case up to 512 sub-tokens and disagree on the 935-sub-token one."""
    golden = json.load(open(_need(os.path.join(PARITY, "tiny_count_lstm_v2.golden.json")),
                            encoding="utf-8"))
    model = GLiNER2.from_pretrained(os.path.join(PARITY, "tiny_count_lstm_v2"))
    for case in golden["cases"]:
        length = max(len(ids) for call in case["encoder_calls"] for ids in call["input_ids"])
        if length > 512 or case["api"] != "extract_entities":
            continue
        assert not goldens.check_case(goldens.run_case(model, case), case).problems
    long_case = golden["cases"][23]
    assert len(long_case["encoder_calls"][0]["input_ids"][0]) == 935
    check = goldens.check_case(goldens.run_case(model, long_case), long_case)
    assert check.max_hidden_diff > 1e-2


def test_relative_index_matches_the_spec_table():
    rows = list(csv.DictReader(open(_need(os.path.join(REFERENCE,
                                                         "deberta_v3_log_bucket_table.csv")))))
    n = 1200
    idx = {mode: deberta.relative_index(n, 256, 512, mode) for mode in ("hf", "microsoft")}
    checked = 0
    for row in rows:
        d = int(row["abs_relative_distance"])
        if d >= n:
            break
        # idx[i, j] with i - j = +d and i - j = -d.
        assert int(idx["hf"][d, 0]) == int(row["c2p_index_for_positive_i_minus_j"])
        assert int(idx["hf"][0, d]) == int(row["c2p_index_for_negative"])
        assert int(idx["microsoft"][d, 0]) == int(row["c2p_index_for_positive_i_minus_j"])
        want_negative = int(row["c2p_index_for_negative"]) if d < 512 else 1
        assert int(idx["microsoft"][0, d]) == want_negative
        checked += 1
    assert checked == n
    assert torch.equal(deberta.relative_index(512, 256, 512, "hf"),
                       deberta.relative_index(512, 256, 512, "microsoft"))


# ---------------------------------------------------------------------------------------------
# Schema parsing vectors from the spec (§4.7b)


def test_field_spec_strings():
    f = parse_field_spec_string("verdict::[good|bad| mixed ]::the verdict", "f")
    assert (f.name, f.dtype, f.choices, f.description) == ("verdict", "str",
                                                          ["good", "bad", "mixed"], "the verdict")
    f = parse_field_spec_string("channel::list::[email|phone]", "f")
    assert (f.dtype, f.choices) == ("list", ["email", "phone"])
    f = parse_field_spec_string("channel::[email|phone]::list", "f")
    assert f.dtype == "list"
    f = parse_field_spec_string("id::str::", "f")
    assert (f.dtype, f.description) == ("str", None)
    with pytest.raises(ValueError, match="field name"):
        parse_field_spec_string("::str", "structures.x[0]")


# ---------------------------------------------------------------------------------------------
# safetensors reader/writer


def _header(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        raw = f.read(n)
        data = f.read()
    return n, json.loads(raw), data


def _check_layout(path):
    n, header, data = _header(path)
    assert n % 8 == 0
    header.pop("__metadata__", None)
    spans = sorted((v["data_offsets"][0], v["data_offsets"][1], v) for v in header.values())
    pos = 0
    for begin, end, v in spans:
        assert begin == pos, "data must be contiguous, in order"
        size = {"F32": 4, "F16": 2, "BF16": 2}[v["dtype"]]
        assert end - begin == size * int(np.prod(v["shape"]))
        pos = end
    assert pos == len(data)
    return header


def test_safetensors_writer(tmp_path):
    rng = np.random.default_rng(0)
    tensors = {"b.weight": rng.standard_normal((3, 5)).astype(np.float32),
               "a.bias": rng.standard_normal(7).astype(np.float32),
               "c.scalar_like": np.array([1e-8, 65504.0, -3.5, 1.0 / 3.0], dtype=np.float32)}
    for dtype in ("F32", "F16", "BF16"):
        path = str(tmp_path / f"t_{dtype}.safetensors")
        safetensors_io.save(path, tensors, dtype, metadata={"format": "pt"})
        header = _check_layout(path)
        assert list(header) == sorted(tensors)
        loaded = safetensors_io.load(path)
        for name, values in tensors.items():
            if dtype == "F32":
                want = values
            elif dtype == "F16":
                want = values.astype(np.float16).astype(np.float32)
            else:  # torch's own float32 -> bfloat16 rounding
                want = torch.from_numpy(values).to(torch.bfloat16).to(torch.float32).numpy()
            assert header[name]["shape"] == list(values.shape)
            np.testing.assert_array_equal(loaded[name], want)


def test_safetensors_reader_on_library_written_files():
    for name, dtype in (("tiny_count_lstm_v2", "F32"), ("tiny_count_lstm_f16", "F16")):
        path = _need(os.path.join(PARITY, name, "model.safetensors"))
        header = _check_layout(path)
        loaded = safetensors_io.load(path)
        assert set(loaded) == set(header)
        assert {v["dtype"] for v in header.values()} == {dtype}


def test_safetensors_reader_rejects_bad_files(tmp_path):
    path = tmp_path / "bad.safetensors"
    raw = json.dumps({"x": {"dtype": "F32", "shape": [4], "data_offsets": [0, 12]}}).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"\0" * 12)
    with pytest.raises(safetensors_io.SafetensorsError, match="'x'.*needs 16 bytes"):
        safetensors_io.load(str(path))
    path.write_bytes(struct.pack("<Q", 1 << 40) + b"{}")
    with pytest.raises(safetensors_io.SafetensorsError, match="implausibly large"):
        safetensors_io.load(str(path))


# ---------------------------------------------------------------------------------------------
# Random checkpoint generator


def test_base_shapes_match_the_derived_inventory():
    derived = json.load(open(_need(os.path.join(REFERENCE, "gliner2_tensor_shapes_derived.json"))))
    base = random_checkpoint.tensor_shapes(random_checkpoint.encoder_config("base"),
                                           "count_lstm_v2")
    assert list(base.items()) == list(derived["gliner2-base-v1"].items())
    assert sum(int(np.prod(s)) for s in base.values()) == 208_476_821
    # The same derivation with count_lstm and mDeBERTa's vocabulary gives gliner2-multi-v1.
    enc = random_checkpoint.encoder_config("base")
    enc.vocab_size = 250112
    multi = random_checkpoint.tensor_shapes(enc, "count_lstm")
    summary = derived["summary"]["gliner2-multi-v1 (mdeberta-v3-base, count_lstm)"]
    assert len(multi) == summary["num_tensors"]
    assert sum(int(np.prod(s)) for s in multi.values()) == summary["num_params"]


def _generate(tmp_path, *args):
    out = str(tmp_path / "ck")
    tool = os.path.join(PYTHON_DIR, "tools", "make_random_checkpoint.py")
    proc = subprocess.run([sys.executable, tool, "--out", out, *args], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out


def test_generated_tiny_checkpoint_has_the_upstream_layout(tmp_path):
    out = _generate(tmp_path, "--shape", "tiny", "--seed", "11")
    golden_dir = _need(os.path.join(PARITY, "tiny_count_lstm_v2"))
    # Same shapes as the upstream tiny checkpoint (hidden 64, 2 heads, 2 layers, FFN 128), which
    # the real `safetensors` library wrote: every tensor name, dtype and shape must agree.
    ours = _check_layout(os.path.join(out, "model.safetensors"))
    theirs = _check_layout(os.path.join(golden_dir, "model.safetensors"))
    assert {k: (v["dtype"], v["shape"]) for k, v in ours.items()} == \
        {k: (v["dtype"], v["shape"]) for k, v in theirs.items()}
    for rel in ("config.json", "encoder_config/config.json", "added_tokens.json"):
        assert json.load(open(os.path.join(out, rel))) == \
            json.load(open(os.path.join(golden_dir, rel))), rel
    assert open(os.path.join(out, "spm.model"), "rb").read() == \
        open(os.path.join(golden_dir, "spm.model"), "rb").read()


def test_generated_count_lstm_bf16_checkpoint(tmp_path):
    out = _generate(tmp_path, "--shape", "tiny", "--seed", "12", "--counting-layer",
                    "count_lstm", "--dtype", "bf16")
    header = _check_layout(os.path.join(out, "model.safetensors"))
    assert {v["dtype"] for v in header.values()} == {"BF16"}
    heads = {k: v["shape"] for k, v in header.items() if not k.startswith("encoder.")}
    theirs = _check_layout(_need(os.path.join(PARITY, "tiny_count_lstm_f16",
                                              "model.safetensors")))
    assert heads == {k: v["shape"] for k, v in theirs.items() if not k.startswith("encoder.")}
    assert json.load(open(os.path.join(out, "config.json")))["counting_layer"] == "count_lstm"


def _nonempty(v):
    return v not in (None, [], {})


@pytest.mark.parametrize("args", [("--seed", "21"),
                                  ("--seed", "22", "--counting-layer", "count_lstm",
                                   "--dtype", "f16")])
def test_random_heads_decode_to_nontrivial_results(tmp_path, args):
    model = GLiNER2.from_pretrained(_generate(tmp_path, "--shape", "tiny", *args))
    texts = ["Alice Smith works for Acme Corporation in Paris since 2019.",
             "The quarterly report from Globex was reviewed by Hank Scorpio on Monday.",
             "Order #A-1029 for the iPhone 15 Pro costs $999 and ships from Berlin.",
             "ok"]
    schema = (model.create_schema()
              .entities(["person", "organization", "location"])
              .relations(["works_for"])
              .classification("topic", ["business", "sports", "science", "politics"],
                              multi_label=True)
              .structure("record").field("name", dtype="str").field("facts"))
    results = model.batch_extract(texts, schema)
    entities = sum(len(v) for r in results for v in r["entities"].values())
    records = [inst for r in results if isinstance(r["record"], list) for inst in r["record"]]
    relations = sum(len(r["relation_extraction"]["works_for"]) for r in results)
    assert entities > 0 and records and relations > 0, results
    assert all(_nonempty(v) for r in records for v in r.values() if v is not None)
    # Multi-label decisions spread around the threshold: some block keeps some labels only.
    aspects = model.batch_classify_text(texts, {"aspects": {
        "labels": ["price", "quality", "shipping", "support", "design"], "multi_label": True}})
    kept = [len(r["topic"]) for r in results] + [len(r["aspects"]) for r in aspects]
    assert any(1 < n < 4 for n in kept), kept


def test_published_config_form_is_byte_identical_to_the_reconstruction(tmp_path):
    out = _generate(tmp_path, "--shape", "tiny", "--seed", "13", "--config-form", "published")
    want = open(_need(os.path.join(REFERENCE, "gliner2-base-v1_config.reconstructed.json")),
                "rb").read()
    assert len(want) == 236
    assert open(os.path.join(out, "config.json"), "rb").read() == want
    # The reference loads both forms.
    assert GLiNER2.from_pretrained(out).checkpoint.config.max_width == 8


# ---------------------------------------------------------------------------------------------
# Count embedding for counts above 1 (the upstream goldens only ever predict 1): compare with
# PyTorch's own nn.GRU and nn.TransformerEncoderLayer, the modules the reference is built from.


@pytest.mark.parametrize("name", GOLDEN_CHECKPOINTS)
def test_count_embedding_matches_torch_modules(name):
    from spanguard_reference.checkpoint import load_checkpoint
    from spanguard_reference.heads import CountEmbedding

    ck = load_checkpoint(_need(os.path.join(PARITY, name)))
    w = ck.weights
    H = ck.encoder.hidden_size
    ours = CountEmbedding(w, H, ck.config.counting_layer)
    gru = torch.nn.GRU(H, H, num_layers=1)
    gru.load_state_dict({k[len("count_embed.gru."):]: v for k, v in w.items()
                         if k.startswith("count_embed.gru.")})
    gru.eval()
    fields = torch.randn(5, H, generator=torch.Generator().manual_seed(3))
    C = 7
    with torch.no_grad():
        steps = w["count_embed.pos_embedding.weight"][:C, None, :].expand(C, 5, H)
        g, _ = gru(steps, fields[None])  # [C, M, H]
        if ck.config.counting_layer == "count_lstm":
            cat = torch.cat([g, fields[None].expand_as(g)], dim=-1)
            p = "count_embed.projector."
            want = torch.nn.functional.linear(
                torch.relu(torch.nn.functional.linear(cat, w[p + "0.weight"], w[p + "0.bias"])),
                w[p + "2.weight"], w[p + "2.bias"])
        else:
            t = "count_embed.transformer."
            y = g + fields[None]
            z = torch.nn.functional.linear(y, w[t + "in_projector.weight"],
                                           w[t + "in_projector.bias"])
            for i in range(2):
                layer = torch.nn.TransformerEncoderLayer(128, 4, 256, dropout=0.1,
                                                         batch_first=True)
                prefix = f"{t}transformer.layers.{i}."
                layer.load_state_dict({k[len(prefix):]: v for k, v in w.items()
                                       if k.startswith(prefix)})
                layer.eval()
                z = layer(z)
            h = torch.cat([z, y], dim=-1)
            for i, act in ((0, True), (2, True), (4, False)):
                h = torch.nn.functional.linear(h, w[f"{t}out_projector.{i}.weight"],
                                               w[f"{t}out_projector.{i}.bias"])
                h = torch.relu(h) if act else h
            want = h
        got = ours(fields, C)
    assert got.shape == (C, 5, H)
    assert float((got - want).abs().max()) < 1e-5


# ---------------------------------------------------------------------------------------------
# Randomized case generator: output format only (its values are this reference's own)


def test_parity_case_tool_writes_the_golden_format(tmp_path):
    ck = _generate(tmp_path, "--shape", "tiny", "--seed", "14")
    out = str(tmp_path / "cases.golden.json")
    tool = os.path.join(PYTHON_DIR, "tools", "make_parity_cases.py")
    proc = subprocess.run([sys.executable, tool, "--checkpoint", ck, "--out", out, "--count",
                           "16", "--seed", "5"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    data = json.load(open(out, encoding="utf-8"))
    upstream = json.load(open(_need(os.path.join(PARITY, "tiny_count_lstm_v2.golden.json")),
                              encoding="utf-8"))
    assert len(data["cases"]) == 16
    apis = {c["api"] for c in data["cases"]}
    assert {"extract_entities", "classify_text", "extract_relations", "extract_json",
            "extract", "batch_extract_long"} <= apis
    for case in data["cases"]:
        assert list(case) == list(upstream["cases"][0]), "same keys, same order"
        assert case["error"] is None and case["result"] is not None
        for call in case["encoder_calls"]:
            assert list(call) == ["input_ids", "attention_mask", "last_hidden_state"]
            batch, seq = len(call["input_ids"]), len(call["input_ids"][0])
            assert np.shape(call["attention_mask"]) == (batch, seq)
            assert np.shape(call["last_hidden_state"]) == (batch, seq, 64)
