"""Exports the PyTorch reference (python/spanguard_reference) of a GLiNER2 `span` checkpoint to
ONNX, for the ONNX Runtime column of bench/gliner_bench.py.

Five graphs, all float32, weights stored as initializers (torch.onnx constant-folds what does not
depend on the input, e.g. the relative embeddings projected through every layer's q/k):

  encoder.onnx      input_ids [B, S] int64, attention_mask [B, S] int64 -> hidden [B, S, H]
  span_rep.onnx     words [N, H] (hidden rows of the text tokens)        -> spans [N, K, H]
  count_pred.onnx   prompts [P, H] (the [P] rows of the span blocks)      -> logits [P, 20]
  count_score.onnx  fields [M, H], steps [C] int64, spans [N, K, H]       -> probs [C, M, N, K]
  classifier.onnx   labels [M, H] (the [L] rows of one task)              -> logits [M]

The heads have a data-dependent shape: the number of instances scored is the argmax of the count
logits. It is not traced as a Python loop (that would freeze one count into the graph); instead
count_score takes `steps` = 0..C-1, gathers those rows of the count position embeddings and runs
them through an ONNX GRU, whose sequence length is dynamic. The runner computes C from
count_pred's logits, as spanguard does, and the gathers of hidden rows happen in the runner.

Usage: /usr/bin/python3 bench/onnx_export.py --checkpoint DIR --out DIR [--opset 14]
Writes the graphs and export.json (shapes, opset, torch version); skips the work when export.json
already names the same checkpoint (mtime and size of model.safetensors).
"""

import argparse
import json
import math
import os
import pathlib
import sys
import time
import warnings

import torch
import torch.nn.functional as F

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python"))

from spanguard_reference.checkpoint import load_checkpoint  # noqa: E402
from spanguard_reference.heads import MAX_COUNT, V2_DIM, V2_HEADS, V2_LN_EPS  # noqa: E402
from spanguard_reference.model import GlinerModel  # noqa: E402


class EncoderGraph(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        enc = model.encoder
        H, eps = enc.cfg.hidden_size, enc.cfg.layer_norm_eps
        # The reference normalises over x.shape[-1], which the tracer records as a dynamic value
        # that ONNX LayerNormalization cannot take; it is always H, so give it as a constant.
        enc._ln = lambda x, params: F.layer_norm(x, (H,), params[0], params[1], eps)
        self.encoder = enc

    def forward(self, input_ids, attention_mask):
        return self.encoder(input_ids, attention_mask)


class SpanRepGraph(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.span_rep = model.span_rep

    def forward(self, words):
        return self.span_rep(words)


class CountPredGraph(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.count_pred = model.count_pred

    def forward(self, prompts):
        return self.count_pred.logits(prompts)


class ClassifierGraph(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.classifier = model.classifier

    def forward(self, labels):
        return self.classifier(labels)


def _v2_layer(layer, x):
    """The reference's _V2TransformerLayer.__call__ with the width as a constant: the tracer records
    `B, L, D = x.shape` as dynamic values, which ONNX LayerNormalization cannot take."""
    D, heads = V2_DIM, V2_HEADS
    hd = D // heads
    C, L = x.shape[0], x.shape[1]
    q, k, v = F.linear(x, *layer.in_proj).chunk(3, dim=-1)

    def split(t):
        return t.reshape(C, L, heads, hd).transpose(1, 2)

    q, k, v = split(q), split(k), split(v)
    att = torch.softmax(torch.matmul(q / math.sqrt(hd), k.transpose(-1, -2)), dim=-1)
    ctx = torch.matmul(att, v).transpose(1, 2).reshape(C, L, D)
    x = F.layer_norm(x + F.linear(ctx, *layer.out_proj), (D,), *layer.norm1, V2_LN_EPS)
    ff = F.linear(F.relu(F.linear(x, *layer.linear1)), *layer.linear2)
    return F.layer_norm(x + ff, (D,), *layer.norm2, V2_LN_EPS)


class CountScoreGraph(torch.nn.Module):
    """The reference CountEmbedding with its GRU loop replaced by torch.nn.GRU (exported as one ONNX
    GRU node with a dynamic sequence length), then the span scores sigmoid(<field, span>)."""

    def __init__(self, model, H):
        super().__init__()
        ce = model.count_embed
        self.ce = ce
        self.gru = torch.nn.GRU(H, H, num_layers=1, batch_first=False)
        with torch.no_grad():
            self.gru.weight_ih_l0.copy_(ce.gru.w_ih)
            self.gru.weight_hh_l0.copy_(ce.gru.w_hh)
            self.gru.bias_ih_l0.copy_(ce.gru.b_ih)
            self.gru.bias_hh_l0.copy_(ce.gru.b_hh)

    def forward(self, fields, steps, spans):
        ce = self.ce
        pos = ce.pos_embedding.index_select(0, steps)  # [C, H]
        M, H = fields.shape
        x = pos[:, None, :].expand(pos.shape[0], M, H)  # every field's sequence reads the same rows
        g, _ = self.gru(x, fields[None])  # [C, M, H]
        if ce.variant == "count_lstm":
            cat = torch.cat([g, fields[None].expand_as(g)], dim=-1)
            pen = F.relu(F.linear(cat, *ce.projector[0]))
        else:
            y = g + fields[None]
            z = F.linear(y, *ce.in_projector)
            for layer in ce.layers:
                z = _v2_layer(layer, z)
            first, second, _ = ce.out_projector
            h = F.relu(F.linear(torch.cat([z, y], dim=-1), *first))
            pen = F.relu(F.linear(h, *second))
        out = F.linear(pen, *ce.last_layer)  # [C, M, H]
        C = out.shape[0]
        N, K = spans.shape[0], spans.shape[1]
        logits = torch.matmul(out.reshape(C * M, H), spans.reshape(N * K, H).t())
        return torch.sigmoid(logits).reshape(C, M, N, K)


def checkpoint_stamp(checkpoint):
    """What identifies the checkpoint an export was made from (path, size and mtime of its
    weights), so a later run can reuse the export."""
    st = os.stat(os.path.join(checkpoint, "model.safetensors"))
    return {"checkpoint": os.path.abspath(checkpoint), "size": st.st_size,
            "mtime": int(st.st_mtime)}


def cached_export(out, stamp, files):
    """The export.json of an earlier export of the same checkpoint into `out` when every one of
    `files` is still there; None when the work has to be done."""
    meta_path = out / "export.json"
    if not meta_path.exists():
        return None
    meta = json.loads(meta_path.read_text())
    if meta.get("stamp") == stamp and all((out / f).exists() for f in files):
        return meta
    return None


def export_graphs(out, specs, opset):
    """torch.onnx.export of each (file name, module, args, input names, output names, dynamic
    axes) into `out`. Tracing warns about the encoder's input checks (`if bad.any()`, traced as
    constants) and, for v1, the LSTM's batch_first transposes: expected, so silenced."""
    for name, module, args, input_names, outputs, axes in specs:
        module.eval()
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(module, args, str(out / name), input_names=input_names,
                              output_names=outputs, dynamic_axes=axes, opset_version=opset,
                              do_constant_folding=True)


def command_line(export, doc):
    """main() of an export script: --checkpoint, --out, --opset; prints export.json's content."""
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--opset", type=int, default=14)
    a = p.parse_args()
    print(json.dumps(export(a.checkpoint, a.out, a.opset)))


def export(checkpoint_dir, out_dir, opset=14):
    out = pathlib.Path(out_dir)
    stamp = checkpoint_stamp(checkpoint_dir)
    graphs = ["encoder.onnx", "span_rep.onnx", "count_pred.onnx", "count_score.onnx",
              "classifier.onnx"]
    meta = cached_export(out, stamp, graphs)
    if meta is not None:
        return meta
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    ck = load_checkpoint(checkpoint_dir)
    model = GlinerModel(ck)
    H, K = ck.encoder.hidden_size, ck.config.max_width
    S, N, M, C = 11, 7, 3, 2
    ids = torch.randint(1, ck.encoder.vocab_size, (2, S))
    mask = torch.ones(2, S, dtype=torch.int64)
    mask[1, 8:] = 0
    words = torch.randn(N, H)
    spans = torch.randn(N, K, H)
    specs = [
        ("encoder.onnx", EncoderGraph(model), (ids, mask), ["input_ids", "attention_mask"],
         ["hidden"], {"input_ids": {0: "B", 1: "S"}, "attention_mask": {0: "B", 1: "S"},
                      "hidden": {0: "B", 1: "S"}}),
        ("span_rep.onnx", SpanRepGraph(model), (words,), ["words"], ["spans"],
         {"words": {0: "N"}, "spans": {0: "N"}}),
        ("count_pred.onnx", CountPredGraph(model), (torch.randn(2, H),), ["prompts"], ["logits"],
         {"prompts": {0: "P"}, "logits": {0: "P"}}),
        ("count_score.onnx", CountScoreGraph(model, H),
         (torch.randn(M, H), torch.arange(C, dtype=torch.int64), spans),
         ["fields", "steps", "spans"], ["probs"],
         {"fields": {0: "M"}, "steps": {0: "C"}, "spans": {0: "N"},
          "probs": {0: "C", 1: "M", 2: "N"}}),
        ("classifier.onnx", ClassifierGraph(model), (torch.randn(M, H),), ["labels"], ["logits"],
         {"labels": {0: "M"}, "logits": {0: "M"}}),
    ]
    assert [s[0] for s in specs] == graphs
    export_graphs(out, specs, opset)
    meta = {"stamp": stamp, "graphs": graphs, "opset": opset,
            "torch": torch.__version__, "hidden_size": H, "max_width": K,
            "max_count": MAX_COUNT, "counting_layer": ck.config.counting_layer,
            "export_seconds": round(time.time() - t0, 1)}
    (out / "export.json").write_text(json.dumps(meta, indent=1))
    return meta


if __name__ == "__main__":
    command_line(export, __doc__)
