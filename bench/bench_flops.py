"""Model FLOPs of the requests in a bench_engine dump (multiply-adds counted as 2 FLOPs).

Encoder, per layer and encoder call of B rows x S tokens (padded: every engine computes the padding
too): q/k/v/o projections 8 S H^2, FFN 4 S H F, content attention (scores and context) 4 S^2 H,
c2p and p2c 4 S R H with R = min(2 S, 2 buckets) relative rows that can occur. The per-checkpoint
projection of the relative embeddings is not counted (spanguard computes it once at load).
Heads: span representation 32 N H^2 (start and end MLPs) + 16 N H^2 + 8 N K H^2 for the span MLP,
whose first layer acts on concat(start, end) and so splits exactly into a start half and an end
half computed once per word (the reference computes it per span, 24 N K H^2; counting the least
work that gives the same function keeps the floor honest); per span block
the count MLP 4 H^2 + 80 H and, for C instances and M fields, the GRU 12 C M H^2, the count_lstm_v2
projectors about 2 C M (128 H + (H + 128) H + 2 H^2) and the scores 2 C M N K H; per
classification task 4 M H^2. Layer norms, softmax and activations are left out (a few percent).
"""

import json
import pathlib


def encoder_flops(rows, length, H, F, layers, buckets=256):
    S = length
    R = min(2 * S, 2 * buckets)
    per_row = 8 * S * H * H + 4 * S * H * F + 4 * S * S * H + 4 * S * R * H
    return rows * layers * per_row


def heads_flops(seq, H, K):
    total = 0
    N = len(seq["text_positions"])
    if seq.get("grid"):
        total += 32 * N * H * H + 16 * N * H * H + 8 * N * K * H * H
    for b in seq["blocks"]:
        M = len(b["positions"]) - 1
        if b["kind"] == "classification":
            total += 4 * M * H * H
            continue
        if not seq.get("grid"):
            continue
        total += 4 * H * H + 80 * H
        C = b.get("instances", 0)
        total += C * M * (12 * H * H + 2 * (128 * H + (H + 128) * H + 2 * H * H))
        total += 2 * C * M * N * K * H
    return total


def request_flops(dump_path, encoder_config):
    """-> list per request of {"encoder": flops, "heads": flops}, from <workload>.json."""
    doc = json.loads(pathlib.Path(dump_path).read_text())
    H, K = doc["hidden_size"], doc["max_width"]
    F = encoder_config["intermediate_size"]
    L = encoder_config["num_hidden_layers"]
    buckets = encoder_config.get("position_buckets", 256)
    out = {}
    for call in doc["calls"]:
        r = out.setdefault(call["request"], {"encoder": 0, "heads": 0, "tokens": 0})
        r["encoder"] += encoder_flops(call["rows"], call["length"], H, F, L, buckets)
        r["tokens"] += call["rows"] * call["length"]
        for seq in call["seqs"]:
            r["heads"] += heads_flops(seq, H, K)
    return [out[k] for k in sorted(out)]
