"""Our GLiNER2 heads (heads/, driven through tests/heads/heads_tool) against the PyTorch reference
heads (python/spanguard_reference/heads.py), both fed the upstream goldens' encoder outputs
(encoder_calls[].last_hidden_state) and the same word / marker positions.

For every request of both parity checkpoints (count_lstm_v2 in F32, count_lstm stored as F16) this
compares the count logits and predicted counts, every span probability of every instance
[count, fields, words, max_width] (spans past the text included: both gather (0, 0)), the
classification logits, and the count embedding alone at counts 20 and 25 (the cap). It first checks
that the torch heads on those hidden states reproduce the goldens' decoded JSON, which is what makes
them the reference.
"""

import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest
import torch

SOURCE = pathlib.Path(os.environ["SPANGUARD_SOURCE_DIR"])
SHARED = pathlib.Path(os.environ["SPANGUARD_SHARED_DIR"])
BUILD = pathlib.Path(os.environ["SPANGUARD_BUILD_DIR"])
sys.path.insert(0, str(SOURCE / "python"))

from spanguard_reference.api import GLiNER2  # noqa: E402
from spanguard_reference.goldens import check_case, run_case  # noqa: E402
from spanguard_reference.inputs import CLASSIFICATION  # noqa: E402

# Reads parity checkpoints and goldens in ../shared/reference (conftest.py).
pytestmark = pytest.mark.needs_shared

CHECKPOINTS = ["tiny_count_lstm_v2", "tiny_count_lstm_f16"]
TOLERANCE = 1e-5
# Count-embedding checks per checkpoint (each returns count x fields x H values).
COUNT_EMBEDDING_BLOCKS = 4
FORCED_COUNTS = (20, 25)


def _run_torch(name):
    """Runs every golden case on the torch reference with its encoder replaced by the golden hidden
    states. Returns (decode problems per case, captured [(hidden [S, H], ModelInput, outputs)])."""
    folder = SHARED / "reference" / "parity" / name
    golden = json.loads((SHARED / "reference" / "parity" / f"{name}.golden.json").read_text())
    model = GLiNER2.from_pretrained(str(folder))
    captured = []
    problems = []
    original_heads = model.model.heads

    def heads(hidden, x):
        outputs = original_heads(hidden, x)
        captured.append((hidden, x, outputs))
        return outputs

    model.model.heads = heads
    for n, case in enumerate(golden["cases"]):
        calls = iter(case["encoder_calls"])

        def golden_encoder(ids, mask, calls=calls, n=n):
            want = next(calls)
            assert ids.tolist() == want["input_ids"], f"case {n}: input ids differ from the golden"
            assert mask.tolist() == want["attention_mask"], f"case {n}: attention mask differs"
            return torch.tensor(want["last_hidden_state"], dtype=torch.float32)

        model.model.encoder = golden_encoder
        check = check_case(run_case(model, case), case)
        problems += [f"case {n} ({case['api']}): {p}" for p in check.problems]
    return folder, model, problems, captured


def _tool_request(folder, captured):
    sequences = []
    for i, (hidden, x, outputs) in enumerate(captured):
        span_blocks, class_blocks = [], []
        for out in outputs:
            bp = out.positions
            markers = [bp.prompt_position] + list(bp.child_positions)
            (class_blocks if bp.block.kind == CLASSIFICATION else span_blocks).append(markers)
        sequences.append({"hidden": hidden.tolist(), "text_positions": list(x.text_positions),
                          "span_blocks": span_blocks, "classification_blocks": class_blocks,
                          "count_embeddings": []})
    # The goldens' predicted counts are small; also run the count embedding at the cap and past it.
    budget = COUNT_EMBEDDING_BLOCKS
    for seq in sequences:
        for markers in seq["span_blocks"]:
            if budget and len(markers) > 1:
                budget -= 1
                seq["count_embeddings"] += [{"fields": markers[1:], "count": c}
                                            for c in FORCED_COUNTS]
    return {"checkpoint": str(folder), "sequences": sequences}


@pytest.fixture(scope="module", params=CHECKPOINTS)
def runs(request):
    folder, model, problems, captured = _run_torch(request.param)
    tool_request = _tool_request(folder, captured)
    tool = BUILD / "tests" / "heads" / "heads_tool"
    proc = subprocess.run([str(tool)], input=json.dumps(tool_request), capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return {"name": request.param, "model": model.model, "problems": problems,
            "captured": captured, "request": tool_request, "ours": json.loads(proc.stdout)}


def test_torch_heads_reproduce_golden_results(runs):
    name, problems, captured = runs["name"], runs["problems"], runs["captured"]
    assert captured, f"{name}: no head calls were captured"
    assert not problems, f"{name}: the torch reference does not reproduce the goldens:\n" + \
        "\n".join(problems)


def test_heads_match_torch(runs):
    name, model, captured, ours = runs["name"], runs["model"], runs["captured"], runs["ours"]
    assert len(ours["sequences"]) == len(captured)
    worst = {"count_logits": 0.0, "span_probabilities": 0.0, "classification_logits": 0.0,
             "count_embedding": 0.0}
    mismatches = []
    compared_probs = 0
    compared_embeddings = 0
    instances_seen = set()

    def record(key, got, want, where):
        got = np.asarray(got, dtype=np.float64)
        want = np.asarray(want, dtype=np.float64)
        if got.shape != want.shape:
            mismatches.append(f"{where}: shape {got.shape} vs torch {want.shape}")
            return
        if got.size:
            diff = float(np.abs(got - want).max())
            worst[key] = max(worst[key], diff)
            if diff > TOLERANCE:
                mismatches.append(f"{where}: max |diff| {diff:.3g}")

    for s, ((hidden, x, outputs), seq, asked) in enumerate(
            zip(captured, ours["sequences"], runs["request"]["sequences"])):
        spans = iter(seq["span_blocks"])
        classes = iter(seq["classification_blocks"])
        for b, out in enumerate(outputs):
            where = f"{name} sequence {s} block {b} ({out.positions.block.name})"
            if out.positions.block.kind == CLASSIFICATION:
                record("classification_logits", next(classes)["logits"], out.class_logits, where)
                continue
            got = next(spans)
            prompt = hidden[out.positions.prompt_position]
            with torch.no_grad():
                record("count_logits", got["count_logits"], model.count_pred.logits(prompt), where)
            if got["predicted_count"] != out.count:
                mismatches.append(f"{where}: count {got['predicted_count']} vs torch {out.count}")
                continue
            instances_seen.add(out.count)
            if out.count == 0:
                if got["probabilities"]:
                    mismatches.append(f"{where}: probabilities for count 0")
                continue
            want = out.span_probs.numpy()
            assert got["instances"] == want.shape[0]
            record("span_probabilities", got["probabilities"], want.reshape(-1), where)
            compared_probs += want.size
        assert len(seq["count_embeddings"]) == len(asked["count_embeddings"])
        for request, result in zip(asked["count_embeddings"], seq["count_embeddings"]):
            with torch.no_grad():
                want = model.count_embed(hidden[request["fields"]], request["count"])
            record("count_embedding", result["values"], want.reshape(-1),
                   f"{name} sequence {s} count embedding at count {request['count']}")
            compared_embeddings += 1

    print(f"{name}: {len(captured)} sequences, {compared_probs} span probabilities, "
          f"counts seen {sorted(instances_seen)}, {compared_embeddings} count embeddings, "
          f"max |diff| {worst}")
    assert compared_probs > 0 and compared_embeddings == 2 * COUNT_EMBEDDING_BLOCKS
    assert not mismatches, "\n".join(mismatches[:20])


def test_count_lstm_moe_matches_torch(tmp_path):
    """No parity checkpoint uses count_lstm_moe and the torch reference does not implement it, so
    this builds one (the count_lstm parity checkpoint with its projector replaced by random MoE
    weights) and compares our count embedding with torch.nn.GRU plus the mixture written out in
    torch from GLINER2.md §3.3."""
    from spanguard_reference import safetensors_io

    source = SHARED / "reference" / "parity" / "tiny_count_lstm_f16"
    tensors = {k: v for k, v in safetensors_io.load(str(source / "model.safetensors")).items()
               if not k.startswith("count_embed.projector.")}
    H = tensors["count_embed.pos_embedding.weight"].shape[1]
    E, inner = 4, 2 * H
    rng = np.random.default_rng(5)
    moe = {"count_embed.w1": (E, H, inner), "count_embed.b1": (E, inner),
           "count_embed.w2": (E, inner, H), "count_embed.b2": (E, H),
           "count_embed.router.0.weight": (H, H), "count_embed.router.0.bias": (H,),
           "count_embed.router.2.weight": (E, H), "count_embed.router.2.bias": (E,)}
    for name, shape in moe.items():
        # Router weights larger so the gates are far from uniform.
        scale = 0.5 if "router" in name else 0.15
        tensors[name] = rng.normal(0.0, scale, shape).astype(np.float32)
    (tmp_path / "encoder_config").mkdir()
    (tmp_path / "encoder_config" / "config.json").write_bytes(
        (source / "encoder_config" / "config.json").read_bytes())
    config = json.loads((source / "config.json").read_text())
    config["counting_layer"] = "count_lstm_moe"
    (tmp_path / "config.json").write_text(json.dumps(config))
    safetensors_io.save(str(tmp_path / "model.safetensors"), tensors)

    hidden = rng.normal(0.0, 1.0, (9, H)).astype(np.float32)
    requests = [{"fields": [1, 4, 6], "count": c} for c in (1, 3, 25)]
    tool_request = {"checkpoint": str(tmp_path), "sequences": [{
        "hidden": hidden.tolist(), "text_positions": [7, 8], "span_blocks": [],
        "classification_blocks": [], "count_embeddings": requests}]}
    proc = subprocess.run([str(BUILD / "tests" / "heads" / "heads_tool")],
                          input=json.dumps(tool_request), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)["sequences"][0]["count_embeddings"]

    t = {k: torch.from_numpy(v) for k, v in tensors.items()}
    gru = torch.nn.GRU(H, H)
    with torch.no_grad():
        for name in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"):
            getattr(gru, name).copy_(t["count_embed.gru." + name])
    worst = 0.0
    for request, result in zip(requests, results):
        fields = torch.from_numpy(hidden[request["fields"]])
        steps = min(request["count"], 20)
        with torch.no_grad():
            pos = t["count_embed.pos_embedding.weight"][:steps]
            g, _ = gru(pos[:, None, :].expand(steps, fields.shape[0], H).contiguous(), fields[None])
            gates = torch.softmax(torch.nn.functional.linear(
                torch.nn.functional.gelu(torch.nn.functional.linear(
                    g, t["count_embed.router.0.weight"], t["count_embed.router.0.bias"])),
                t["count_embed.router.2.weight"], t["count_embed.router.2.bias"]), dim=-1)
            x = torch.einsum("cmd,edh->cmeh", g, t["count_embed.w1"]) + t["count_embed.b1"]
            x = torch.einsum("cmeh,ehd->cmed", torch.nn.functional.gelu(x), t["count_embed.w2"])
            want = (gates[..., None] * (x + t["count_embed.b2"])).sum(dim=2)
        assert result["rows"] == steps * fields.shape[0]
        got = np.asarray(result["values"], dtype=np.float64).reshape(want.shape)
        worst = max(worst, float(np.abs(got - want.double().numpy()).max()))
    print(f"count_lstm_moe: max |diff| {worst:.3g}")
    assert worst <= TOLERANCE


def test_tool_reports_positions_outside_the_sequence():
    folder = SHARED / "reference" / "parity" / "tiny_count_lstm_v2"
    request = {"checkpoint": str(folder), "sequences": [{
        "hidden": np.zeros((4, 64)).tolist(), "text_positions": [2, 3], "span_blocks": [[0, 9]],
        "classification_blocks": []}]}
    proc = subprocess.run([str(BUILD / "tests" / "heads" / "heads_tool")],
                          input=json.dumps(request), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "marker position[1] = position 9 is outside the 4 encoder rows" in proc.stderr
