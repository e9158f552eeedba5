"""GLiNER2 span-architecture heads (GLINER2.md §3), float32 torch, eval mode (dropout off).

* SpanRepresentation: markerV0 — start/end MLPs per word, then an MLP over ReLU(concat(start, end))
  for every (start word, width < max_width).
* CountPredictor: MLP on the [P] vector -> 20 logits; the count is the argmax.
* CountEmbedding: `count_lstm` (GRU + MLP projector) and `count_lstm_v2` (GRU + a small post-LN
  transformer across the fields of each instance + MLP), giving one vector per (instance, field).
* Classifier: MLP on each [L] vector -> one logit.

PyTorch Linear weights are [out, in]; every tensor name is the published state-dict name.
"""

import math

import torch
import torch.nn.functional as F

from .checkpoint import CheckpointError, require

MAX_COUNT = 20  # count classes 0..19 (hard-coded in the reference, GLINER2.md §1.2)
V2_DIM = 128  # count_lstm_v2 transformer width, 4 heads of 32, FFN 256, 2 layers
V2_HEADS = 4
V2_FFN = 256
V2_LAYERS = 2
V2_LN_EPS = 1e-5


def _linear(weights, name, n_out, n_in):
    return (require(weights, name + ".weight", (n_out, n_in)),
            require(weights, name + ".bias", (n_out,)))


def _mlp2(x, first, second):
    """Linear -> ReLU -> Linear (the Sequential indices 0 and 2 or 0 and 3 of the reference)."""
    return F.linear(F.relu(F.linear(x, *first)), *second)


class SpanRepresentation:
    def __init__(self, weights, H, max_width):
        p = "span_rep.span_rep_layer."
        self.max_width = max_width
        self.start = (_linear(weights, p + "project_start.0", 4 * H, H),
                      _linear(weights, p + "project_start.3", H, 4 * H))
        self.end = (_linear(weights, p + "project_end.0", 4 * H, H),
                    _linear(weights, p + "project_end.3", H, 4 * H))
        self.out = (_linear(weights, p + "out_project.0", 4 * H, 2 * H),
                    _linear(weights, p + "out_project.3", H, 4 * H))

    @property
    def last_layer(self):
        return self.out[1]

    def penultimate(self, words):
        """words [N, H] -> [N, max_width, 4H]: the input of the last layer. Span (i, k) covers
        words i..i+k; spans running past the last word use (0, 0), as the reference does, and
        are never read."""
        N = words.shape[0]
        K = self.max_width
        start = _mlp2(words, *self.start)
        end = _mlp2(words, *self.end)
        i = torch.arange(N, device=words.device)[:, None].expand(N, K)
        j = i + torch.arange(K, device=words.device)[None, :]
        valid = j < N
        i = torch.where(valid, i, torch.zeros_like(i))
        j = torch.where(valid, j, torch.zeros_like(j))
        cat = torch.cat([start[i.reshape(-1)], end[j.reshape(-1)]], dim=-1)
        return F.relu(F.linear(F.relu(cat), *self.out[0])).view(N, K, -1)

    def __call__(self, words):
        """words [N, H] -> span vectors [N, max_width, H]."""
        return F.linear(self.penultimate(words), *self.last_layer)


class CountPredictor:
    def __init__(self, weights, H):
        self.mlp = (_linear(weights, "count_pred.0", 2 * H, H),
                    _linear(weights, "count_pred.2", MAX_COUNT, 2 * H))

    def logits(self, prompt_vector):
        return _mlp2(prompt_vector, *self.mlp)

    def __call__(self, prompt_vector):
        """[H] -> int in 0..19 (torch.argmax returns the first maximum on ties)."""
        return int(torch.argmax(self.logits(prompt_vector)))


class Classifier:
    def __init__(self, weights, H):
        self.mlp = (_linear(weights, "classifier.0", 2 * H, H),
                    _linear(weights, "classifier.2", 1, 2 * H))

    def __call__(self, label_vectors):
        """[M, H] -> logits [M]"""
        return _mlp2(label_vectors, *self.mlp).squeeze(-1)


class _Gru:
    """Single-layer PyTorch GRU cell, gate rows stacked [r; z; n]."""

    def __init__(self, weights, H):
        self.w_ih = require(weights, "count_embed.gru.weight_ih_l0", (3 * H, H))
        self.w_hh = require(weights, "count_embed.gru.weight_hh_l0", (3 * H, H))
        self.b_ih = require(weights, "count_embed.gru.bias_ih_l0", (3 * H,))
        self.b_hh = require(weights, "count_embed.gru.bias_hh_l0", (3 * H,))

    def run(self, inputs, h):
        """inputs [T, H] (shared by every sequence), h [M, H] initial states -> [T, M, H]."""
        gi_all = F.linear(inputs, self.w_ih, self.b_ih)  # [T, 3H]
        out = []
        for t in range(inputs.shape[0]):
            gi = gi_all[t]
            gh = F.linear(h, self.w_hh, self.b_hh)  # [M, 3H]
            i_r, i_z, i_n = gi.chunk(3, dim=-1)
            h_r, h_z, h_n = gh.chunk(3, dim=-1)
            r = torch.sigmoid(i_r + h_r)
            z = torch.sigmoid(i_z + h_z)
            n = torch.tanh(i_n + r * h_n)
            h = (1 - z) * n + z * h
            out.append(h)
        return torch.stack(out)


class _V2TransformerLayer:
    """PyTorch TransformerEncoderLayer (post-LN, ReLU, batch_first) in eval mode."""

    def __init__(self, weights, prefix):
        D = V2_DIM
        self.in_proj = (require(weights, prefix + "self_attn.in_proj_weight", (3 * D, D)),
                        require(weights, prefix + "self_attn.in_proj_bias", (3 * D,)))
        self.out_proj = _linear(weights, prefix + "self_attn.out_proj", D, D)
        self.linear1 = _linear(weights, prefix + "linear1", V2_FFN, D)
        self.linear2 = _linear(weights, prefix + "linear2", D, V2_FFN)
        self.norm1 = _linear_norm(weights, prefix + "norm1", D)
        self.norm2 = _linear_norm(weights, prefix + "norm2", D)

    def __call__(self, x):
        """x [B, L, D]: attention runs over L (the fields) within each B (the instance)."""
        B, L, D = x.shape
        hd = D // V2_HEADS
        q, k, v = F.linear(x, *self.in_proj).chunk(3, dim=-1)

        def heads(t):
            return t.view(B, L, V2_HEADS, hd).transpose(1, 2)  # [B, h, L, hd]

        q, k, v = heads(q), heads(k), heads(v)
        att = torch.softmax(torch.matmul(q / math.sqrt(hd), k.transpose(-1, -2)), dim=-1)
        ctx = torch.matmul(att, v).transpose(1, 2).reshape(B, L, D)
        x = F.layer_norm(x + F.linear(ctx, *self.out_proj), (D,), *self.norm1, V2_LN_EPS)
        ff = F.linear(F.relu(F.linear(x, *self.linear1)), *self.linear2)
        return F.layer_norm(x + ff, (D,), *self.norm2, V2_LN_EPS)


def _linear_norm(weights, name, D):
    return (require(weights, name + ".weight", (D,)), require(weights, name + ".bias", (D,)))


class CountEmbedding:
    def __init__(self, weights, H, variant):
        self.variant = variant
        self.pos_embedding = require(weights, "count_embed.pos_embedding.weight", (MAX_COUNT, H))
        self.gru = _Gru(weights, H)
        if variant == "count_lstm":
            self.projector = (_linear(weights, "count_embed.projector.0", 4 * H, 2 * H),
                              _linear(weights, "count_embed.projector.2", H, 4 * H))
        elif variant == "count_lstm_v2":
            p = "count_embed.transformer."
            self.in_projector = _linear(weights, p + "in_projector", V2_DIM, H)
            self.layers = [_V2TransformerLayer(weights, f"{p}transformer.layers.{i}.")
                           for i in range(V2_LAYERS)]
            self.out_projector = (_linear(weights, p + "out_projector.0", H, V2_DIM + H),
                                  _linear(weights, p + "out_projector.2", H, H),
                                  _linear(weights, p + "out_projector.4", H, H))
        else:
            raise CheckpointError(f"counting layer '{variant}' is not supported "
                                  "(count_lstm and count_lstm_v2 are)")

    @property
    def last_layer(self):
        return self.projector[1] if self.variant == "count_lstm" else self.out_projector[2]

    def penultimate(self, fields, count):
        """fields [M, H], count >= 1 -> [count, M, D]: the input of the last layer."""
        count = min(count, MAX_COUNT)
        g = self.gru.run(self.pos_embedding[:count], fields)  # [C, M, H]
        if self.variant == "count_lstm":
            cat = torch.cat([g, fields[None].expand_as(g)], dim=-1)
            return F.relu(F.linear(cat, *self.projector[0]))
        y = g + fields[None]
        z = F.linear(y, *self.in_projector)
        for layer in self.layers:
            z = layer(z)
        first, second, _ = self.out_projector
        h = F.relu(F.linear(torch.cat([z, y], dim=-1), *first))
        return F.relu(F.linear(h, *second))

    def __call__(self, fields, count):
        """fields [M, H], count >= 1 -> [count, M, H] (instance, field, vector)."""
        return F.linear(self.penultimate(fields, count), *self.last_layer)
