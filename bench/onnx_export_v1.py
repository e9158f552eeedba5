"""Exports the PyTorch reference of a GLiNER v1 checkpoint (python/spanguard_reference/
gliner_v1_model.py; span_mode markerV0, optional LSTM and projection) to ONNX, for the ONNX
Runtime column of bench/gliner_v1_bench.py.

Two graphs, float32, weights stored as initializers:

  model.onnx    the whole v1 forward pass, what one deploys:
                input_ids [B, S] int64, attention_mask [B, S] int64,
                word_positions [B, L] int64 (row of each text word's first sub-token; -1 for a
                  word without sub-tokens or a padded word position),
                word_mask [B, L] int64 (1 for the text's word positions),
                type_positions [B, C] int64 (the <<ENT>> rows, one per entity type)
                -> logits [B, L, max_width, C] (upstream's span logits)
  encoder.onnx  the DeBERTa encoder alone: input_ids, attention_mask -> hidden [B, S, E], for the
                encoder-only column.

B, S, L and C are dynamic. Tokenisation and decoding are not in the graphs (upstream's own ONNX
export leaves them out too); the runner feeds the ids and positions spanguard built.

The reference runs its LSTM on packed sequences; a trace cannot export that with per-text
lengths, so the graph runs two one-directional ONNX LSTMs (the same weights): the forward one on
the padded words (padding comes after every valid step, so it changes no valid output), the
backward one on each text's words reversed within its own length (a gather), then reversed back;
padded positions are zeroed as pad_packed_sequence leaves them. Before writing, the graph module is
checked in PyTorch against the reference's forward on a few texts, and check.json keeps those
inputs with the reference's logits and hidden states so that the ONNX Runtime runner can check
ORT against the reference (`node bench/ort_runner_v1.js --check ...`).

Usage: /usr/bin/python3 bench/onnx_export_v1.py --checkpoint DIR --out DIR [--opset 14]
Writes the graphs, check.json and export.json (shapes, opset, torch version); skips the work when
export.json already names the same checkpoint (mtime and size of model.safetensors).
"""

import json
import pathlib
import sys
import time

import torch
import torch.nn.functional as F

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "python"))
sys.path.insert(0, str(HERE))

from onnx_export import (EncoderGraph, cached_export, checkpoint_stamp,  # noqa: E402
                         command_line, export_graphs)
from spanguard_reference.gliner_v1 import load_v1  # noqa: E402
from spanguard_reference.gliner_v1_model import split_words  # noqa: E402

CHECK_TEXTS = [
    "Tim Cook is the CEO of Apple, based in Cupertino. Email tim@apple.com for details.",
    "Call Ana García on +34 612 345 678 before 3 March 2024.",
    "Patient John Smith, born 04/07/1981, SSN 123-45-6789, lives at 12 Baker Street, London, "
    "and works for Acme Corp as a senior accountant since 2019.",
]
CHECK_LABELS = ["person", "organization", "phone number", "email", "date", "address"]


def _mlp(params, x):
    w0, b0, w3, b3 = params
    return F.linear(torch.relu(F.linear(x, w0, b0)), w3, b3)


class V1Graph(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        m = model.model
        if m.cfg.span_mode != "markerV0":
            raise ValueError(f"span_mode {m.cfg.span_mode!r}: only markerV0 is exported")
        self.m = m
        self.encoder = EncoderGraph(m)
        self.K = m.cfg.max_width
        H = m.cfg.hidden_size
        self.lstm_f = self.lstm_b = None
        if m.lstm is not None:
            self.lstm_f = torch.nn.LSTM(H, H // 2, num_layers=1, batch_first=True)
            self.lstm_b = torch.nn.LSTM(H, H // 2, num_layers=1, batch_first=True)
            with torch.no_grad():
                for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                    getattr(self.lstm_f, f"{kind}_l0").copy_(getattr(m.lstm, f"{kind}_l0"))
                    getattr(self.lstm_b, f"{kind}_l0").copy_(
                        getattr(m.lstm, f"{kind}_l0_reverse"))

    def forward(self, input_ids, attention_mask, word_positions, word_mask, type_positions):
        m = self.m
        hidden = self.encoder(input_ids, attention_mask)
        tokens = hidden if m.projection is None else F.linear(hidden, *m.projection)
        H = m.cfg.hidden_size
        B, L = word_positions.shape[0], word_positions.shape[1]
        has = (word_positions >= 0).to(tokens.dtype)[..., None]
        pos = word_positions.clamp(min=0)
        words = torch.gather(tokens, 1, pos[..., None].expand(B, L, H)) * has
        labels = torch.gather(tokens, 1, type_positions[..., None].expand(
            B, type_positions.shape[1], H))
        n = word_mask.sum(dim=1)  # word positions per text
        valid_words = word_mask.to(tokens.dtype)[..., None]
        if self.lstm_f is not None:
            fwd, _ = self.lstm_f(words)
            t = torch.arange(L)[None, :]
            rev = torch.where(t < n[:, None], n[:, None] - 1 - t, t.expand(B, L))
            rev_idx = rev[..., None].expand(B, L, H)
            back, _ = self.lstm_b(torch.gather(words, 1, rev_idx))
            back = torch.gather(back, 1, rev[..., None].expand(B, L, H // 2))
            rnn = torch.cat([fwd, back], dim=-1) * valid_words
        else:
            rnn = words
        K = self.K
        start, end = _mlp(m.project_start, rnn), _mlp(m.project_end, rnn)
        i = torch.arange(L)[:, None].expand(L, K)
        j = i + torch.arange(K)[None, :]
        valid = j[None] < n[:, None, None]  # [B, L, K]; also false for every i past the text
        si = torch.where(valid, i[None], torch.zeros_like(i)[None]).reshape(B, L * K)
        ej = torch.where(valid, j[None], torch.zeros_like(j)[None]).reshape(B, L * K)
        s = torch.gather(start, 1, si[..., None].expand(B, L * K, H))
        e = torch.gather(end, 1, ej[..., None].expand(B, L * K, H))
        spans = _mlp(m.out_project, torch.relu(torch.cat([s, e], dim=-1)))  # [B, L*K, H]
        queries = _mlp(m.prompt_rep, labels)  # [B, C, H]
        logits = torch.matmul(spans, queries.transpose(1, 2))  # [B, L*K, C]
        return logits.reshape(B, L, K, queries.shape[1])


def graph_inputs(model, texts, labels):
    """The reference's own forward over `texts` -> (the graph's five inputs, its trace)."""
    words = [split_words(t, model.config.max_len) for t in texts]
    trace = model.forward(words, labels)
    B = len(texts)
    prompt = 2 * len(labels) + 1
    L = max(len(w.words) for w in words)
    word_positions = torch.full((B, L), -1, dtype=torch.int64)
    word_mask = torch.zeros(B, L, dtype=torch.int64)
    for b, (w, wids) in enumerate(zip(words, trace.word_ids)):
        word_mask[b, :len(w.words)] = 1
        for p, wid in enumerate(wids):
            if wid is not None and wid >= prompt and word_positions[b, wid - prompt] < 0:
                word_positions[b, wid - prompt] = p
    ent = trace.input_ids == model.config.class_token_index
    type_positions = torch.stack([ent[b].nonzero().flatten() for b in range(B)])
    return (trace.input_ids, trace.attention_mask, word_positions, word_mask,
            type_positions), trace


def export(checkpoint_dir, out_dir, opset=14):
    out = pathlib.Path(out_dir)
    stamp = checkpoint_stamp(checkpoint_dir)
    graphs = ["model.onnx", "encoder.onnx"]
    meta = cached_export(out, stamp, graphs + ["check.json"])
    if meta is not None:
        return meta
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    model = load_v1(checkpoint_dir)
    graph = V1Graph(model).eval()
    inputs, trace = graph_inputs(model, CHECK_TEXTS, CHECK_LABELS)
    with torch.no_grad():
        mine = graph(*inputs)
    # The rewrite of the LSTM and the span gathers must compute what the reference computes.
    torch_diff = float((mine - trace.logits).abs().max())
    if torch_diff > 1e-4:
        raise RuntimeError(f"the export module differs from the reference: max |logit diff| "
                           f"{torch_diff:.2e}")
    names = ["input_ids", "attention_mask", "word_positions", "word_mask", "type_positions"]
    specs = [
        ("model.onnx", graph, inputs, names, ["logits"],
         {"input_ids": {0: "B", 1: "S"}, "attention_mask": {0: "B", 1: "S"},
          "word_positions": {0: "B", 1: "L"}, "word_mask": {0: "B", 1: "L"},
          "type_positions": {0: "B", 1: "C"}, "logits": {0: "B", 1: "L", 3: "C"}}),
        ("encoder.onnx", EncoderGraph(model.model).eval(), inputs[:2],
         ["input_ids", "attention_mask"], ["hidden"],
         {"input_ids": {0: "B", 1: "S"}, "attention_mask": {0: "B", 1: "S"},
          "hidden": {0: "B", 1: "S"}}),
    ]
    export_graphs(out, specs, opset)
    check = {"texts": CHECK_TEXTS, "labels": CHECK_LABELS,
             "inputs": {k: {"shape": list(v.shape), "data": v.flatten().tolist()}
                        for k, v in zip(names, inputs)},
             "logits": {"shape": list(trace.logits.shape),
                        "data": trace.logits.flatten().tolist()},
             "hidden": {"shape": list(trace.last_hidden_state.shape),
                        "data": trace.last_hidden_state.flatten().tolist()}}
    (out / "check.json").write_text(json.dumps(check))
    cfg = model.config
    meta = {"stamp": stamp, "graphs": graphs, "opset": opset, "torch": torch.__version__,
            "hidden_size": cfg.hidden_size, "encoder_hidden_size": cfg.encoder.hidden_size,
            "max_width": cfg.max_width, "has_rnn": cfg.has_rnn, "span_mode": cfg.span_mode,
            "module_vs_reference_max_abs_diff": torch_diff,
            "export_seconds": round(time.time() - t0, 1)}
    (out / "export.json").write_text(json.dumps(meta, indent=1))
    return meta


if __name__ == "__main__":
    command_line(export, __doc__)
