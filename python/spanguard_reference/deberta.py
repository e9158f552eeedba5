"""DeBERTa-v3 encoder forward pass (GLINER2.md §5), eval mode, float32, written with plain torch
ops.

Per layer: disentangled self-attention with content-to-content, content-to-position (c2p) and
position-to-content (p2c) terms, the relative embeddings projected with the layer's own query/key
projections (share_att_key), scores scaled by 1/sqrt(3 d), masked softmax whose masked entries are
then zeroed; post-LayerNorm residual blocks with an exact (erf) GELU feed-forward.

Tensor names are those of the published state dict under the `encoder.` prefix.
"""

import math

import torch
import torch.nn.functional as F

from .checkpoint import require


def log_bucket_positions(rel, bucket_size, max_position):
    """Relative distances -> log buckets (GLINER2.md §5.3), in float32 as the reference computes
    them."""
    mid = bucket_size // 2
    sign = torch.sign(rel)
    # Distances inside (-mid, mid) keep their value; the placeholder mid-1 only avoids log(0).
    abs_pos = torch.where((rel < mid) & (rel > -mid), torch.full_like(rel, mid - 1), rel.abs())
    log_ratio = torch.log(abs_pos.to(torch.float32) / mid)
    log_scale = torch.log(torch.tensor((max_position - 1) / mid, dtype=torch.float32,
                                       device=rel.device))
    log_pos = torch.ceil(log_ratio / log_scale * (mid - 1)) + mid
    return torch.where(abs_pos <= mid, rel, (log_pos * sign).to(rel.dtype))


# How distances of max_position or more are treated (they only occur in sequences longer than
# max_position sub-tokens):
#   "hf": Hugging Face's DebertaV2Model, which GLiNER2 runs: bucket the raw distance, then clamp
#         the embedding row to [0, 2 buckets - 1]. A key max_position or more positions *after* the
#         query lands on row 0. This is GLINER2.md §5.
#   "microsoft": microsoft/DeBERTa's table lookup, which first clamps the distance to
#         +-(max_position - 1): such a key lands on row 1. The upstream parity goldens
#         (/work/shared/reference/parity) were produced with this implementation.
# Both agree whenever the sequence has at most max_position sub-tokens.
RELATIVE_POSITION_MODES = ("hf", "microsoft")


def relative_index(seq_len, bucket_size, max_position, mode="hf", device=None):
    """idx[i, j] = clamp(bucket(i - j) + bucket_size, 0, 2 bucket_size - 1): the row of the
    normalised relative embeddings used by the pair (query i, key j)."""
    if mode not in RELATIVE_POSITION_MODES:
        raise ValueError(f"relative position mode {mode!r} is not one of {RELATIVE_POSITION_MODES}")
    ids = torch.arange(seq_len, dtype=torch.int64, device=device)
    rel = ids[:, None] - ids[None, :]
    if mode == "microsoft":
        rel = torch.clamp(rel, -max_position + 1, max_position - 1)
    buckets = log_bucket_positions(rel, bucket_size, max_position)
    return torch.clamp(buckets + bucket_size, 0, 2 * bucket_size - 1)


class DebertaV3Encoder:
    def __init__(self, cfg, weights, prefix="encoder.", relative_positions="hf"):
        if relative_positions not in RELATIVE_POSITION_MODES:
            raise ValueError(f"relative_positions {relative_positions!r} is not one of "
                             f"{RELATIVE_POSITION_MODES}")
        self.cfg = cfg
        self.relative_positions = relative_positions
        H, FF = cfg.hidden_size, cfg.intermediate_size

        def w(name, *shape):
            return require(weights, prefix + name, shape)

        self.word_embeddings = w("embeddings.word_embeddings.weight", cfg.vocab_size, H)
        self.emb_ln = (w("embeddings.LayerNorm.weight", H), w("embeddings.LayerNorm.bias", H))
        self.rel_embeddings = w("encoder.rel_embeddings.weight", 2 * cfg.position_buckets, H)
        self.rel_ln = (w("encoder.LayerNorm.weight", H), w("encoder.LayerNorm.bias", H))
        self.layers = []
        for i in range(cfg.num_hidden_layers):
            p = f"encoder.layer.{i}."
            self.layers.append({
                "q": (w(p + "attention.self.query_proj.weight", H, H),
                      w(p + "attention.self.query_proj.bias", H)),
                "k": (w(p + "attention.self.key_proj.weight", H, H),
                      w(p + "attention.self.key_proj.bias", H)),
                "v": (w(p + "attention.self.value_proj.weight", H, H),
                      w(p + "attention.self.value_proj.bias", H)),
                "o": (w(p + "attention.output.dense.weight", H, H),
                      w(p + "attention.output.dense.bias", H)),
                "ln1": (w(p + "attention.output.LayerNorm.weight", H),
                        w(p + "attention.output.LayerNorm.bias", H)),
                "ffn_in": (w(p + "intermediate.dense.weight", FF, H),
                           w(p + "intermediate.dense.bias", FF)),
                "ffn_out": (w(p + "output.dense.weight", H, FF),
                            w(p + "output.dense.bias", H)),
                "ln2": (w(p + "output.LayerNorm.weight", H), w(p + "output.LayerNorm.bias", H)),
            })

    def _ln(self, x, params):
        return F.layer_norm(x, (x.shape[-1],), params[0], params[1], self.cfg.layer_norm_eps)

    def _heads(self, x):
        """[..., S, H] -> [..., n_heads, S, d]"""
        n, d = self.cfg.num_attention_heads, self.cfg.head_size
        return x.view(*x.shape[:-1], n, d).transpose(-3, -2)

    def _attention(self, x, layer, rel, idx, pair_mask):
        B, S, H = x.shape
        scale = math.sqrt(self.cfg.head_size * 3)
        q = self._heads(F.linear(x, *layer["q"]))  # [B, h, S, d]
        k = self._heads(F.linear(x, *layer["k"]))
        v = self._heads(F.linear(x, *layer["v"]))
        qr = self._heads(F.linear(rel, *layer["q"]))  # [h, 2*buckets, d]
        kr = self._heads(F.linear(rel, *layer["k"]))
        scores = torch.matmul(q / scale, k.transpose(-1, -2))
        # c2p: query i against the relative key at idx(i, j).
        c2p = torch.matmul(q / scale, kr.transpose(-1, -2))  # [B, h, S, 2*buckets]
        scores = scores + torch.gather(c2p, -1, idx.expand(B, c2p.shape[1], S, S))
        # p2c: key j against the relative query at idx(i, j); computed per key row, then turned
        # around (idx(i, j) read at [j, i] of the transposed index).
        p2c = torch.matmul(k, (qr / scale).transpose(-1, -2))  # [B, h, S(key), 2*buckets]
        p2c = torch.gather(p2c, -1, idx.t().expand(B, p2c.shape[1], S, S)).transpose(-1, -2)
        scores = scores + p2c
        masked = ~pair_mask[:, None, :, :]
        scores = scores.masked_fill(masked, torch.finfo(scores.dtype).min)
        probs = torch.softmax(scores, dim=-1).masked_fill(masked, 0.0)
        ctx = torch.matmul(probs, v).transpose(1, 2).reshape(B, S, H)
        return self._ln(F.linear(ctx, *layer["o"]) + x, layer["ln1"])

    def __call__(self, input_ids, attention_mask):
        """input_ids, attention_mask: int64 [B, S] -> last_hidden_state float32 [B, S, H]."""
        input_ids = torch.as_tensor(input_ids, dtype=torch.int64)
        mask = torch.as_tensor(attention_mask, dtype=torch.int64)
        if input_ids.dim() != 2 or input_ids.shape != mask.shape:
            raise ValueError(f"input_ids {list(input_ids.shape)} and attention_mask "
                             f"{list(mask.shape)} must both be [batch, seq]")
        bad = (input_ids < 0) | (input_ids >= self.cfg.vocab_size)
        if bool(bad.any()):
            b, s = (int(v) for v in bad.nonzero()[0])
            raise ValueError(f"input_ids[{b}][{s}] = {int(input_ids[b, s])} is outside the "
                             f"vocabulary of {self.cfg.vocab_size} rows")
        S = input_ids.shape[1]
        x = self._ln(F.embedding(input_ids, self.word_embeddings), self.emb_ln)
        x = x * mask[:, :, None].to(x.dtype)
        rel = self._ln(self.rel_embeddings, self.rel_ln)
        idx = relative_index(S, self.cfg.position_buckets, self.cfg.max_relative,
                             self.relative_positions, device=input_ids.device)
        m = mask.bool()
        pair_mask = m[:, :, None] & m[:, None, :]
        for layer in self.layers:
            a = self._attention(x, layer, rel, idx, pair_mask)
            f = F.linear(F.gelu(F.linear(a, *layer["ffn_in"])), *layer["ffn_out"])
            x = self._ln(f + a, layer["ln2"])
        return x
