"""Random-weight GLiNER2 span checkpoints in the exact published layout (GLINER2.md §1.1, §1.4), for
engine-vs-reference testing.

Weights are normal (std 0.08), LayerNorm weights near 1. Three head biases are then calibrated on
a few requests, with this reference running the model, so that decoding random weights gives
non-trivial results:
  * count_pred.2.bias: the count argmax lands on 1-3 (never 0, so every span task decodes);
  * the last layers of span_rep and count_embed: span logits centred below 0 with a spread of
    about 1.5, so roughly one span in six clears 0.5 — entities, structure fields and relation
    arguments are found, and many decisions sit near the threshold;
  * classifier.2: logits centred slightly above 0 with std ~1, so multi-label decisions spread
    around 0.5.
Calibration happens on the values the checkpoint stores (already rounded to F16/BF16 when asked).
"""

import json
import math
import os
import shutil

import numpy as np
import torch

from . import safetensors_io
from .checkpoint import Checkpoint, EncoderConfig, GlinerConfig
from .heads import MAX_COUNT, V2_DIM, V2_FFN, V2_LAYERS
from .inputs import CLASSIFICATION, build_input
from .model import GlinerModel
from .schema import parse_schema_dict
from .tokenization import MARKERS, GlinerTokenizer

SHAPES = {
    # Like the upstream tiny parity checkpoints (head size 32).
    "tiny": dict(hidden_size=64, num_attention_heads=2, num_hidden_layers=2,
                 intermediate_size=128),
    # Head size 64 as in every released backbone.
    "small": dict(hidden_size=128, num_attention_heads=2, num_hidden_layers=3,
                  intermediate_size=512),
    # microsoft/deberta-v3-base as in fastino/gliner2-base-v1.
    "base": dict(hidden_size=768, num_attention_heads=12, num_hidden_layers=12,
                 intermediate_size=3072),
}
VOCAB_SIZE = 128011  # 128000 pieces + [MASK] + 10 markers (GLINER2.md §1.3)
WEIGHT_STD = 0.08
MAX_WIDTH = 8

# Calibration targets (see the module docstring).
SPAN_LOGIT_MEAN = -1.5
SPAN_LOGIT_STD = 1.5
CLASS_LOGIT_MEAN = 0.2
CLASS_LOGIT_STD = 1.0
CLASS_COMMON_DIRECTIONS = 2


def encoder_config(shape):
    return EncoderConfig(vocab_size=VOCAB_SIZE, **SHAPES[shape])


def tensor_shapes(enc, counting_layer):
    """name -> shape of every tensor, in the derived inventory's order."""
    H, FF = enc.hidden_size, enc.intermediate_size
    s = {
        "encoder.embeddings.word_embeddings.weight": [enc.vocab_size, H],
        "encoder.embeddings.LayerNorm.weight": [H],
        "encoder.embeddings.LayerNorm.bias": [H],
        "encoder.encoder.rel_embeddings.weight": [2 * enc.position_buckets, H],
        "encoder.encoder.LayerNorm.weight": [H],
        "encoder.encoder.LayerNorm.bias": [H],
    }
    for i in range(enc.num_hidden_layers):
        p = f"encoder.encoder.layer.{i}."
        for proj in ("query_proj", "key_proj", "value_proj"):
            s[f"{p}attention.self.{proj}.weight"] = [H, H]
            s[f"{p}attention.self.{proj}.bias"] = [H]
        s[p + "attention.output.dense.weight"] = [H, H]
        s[p + "attention.output.dense.bias"] = [H]
        s[p + "attention.output.LayerNorm.weight"] = [H]
        s[p + "attention.output.LayerNorm.bias"] = [H]
        s[p + "intermediate.dense.weight"] = [FF, H]
        s[p + "intermediate.dense.bias"] = [FF]
        s[p + "output.dense.weight"] = [H, FF]
        s[p + "output.dense.bias"] = [H]
        s[p + "output.LayerNorm.weight"] = [H]
        s[p + "output.LayerNorm.bias"] = [H]

    def linear(name, n_out, n_in):
        s[name + ".weight"] = [n_out, n_in]
        s[name + ".bias"] = [n_out]

    r = "span_rep.span_rep_layer."
    linear(r + "project_start.0", 4 * H, H)
    linear(r + "project_start.3", H, 4 * H)
    linear(r + "project_end.0", 4 * H, H)
    linear(r + "project_end.3", H, 4 * H)
    linear(r + "out_project.0", 4 * H, 2 * H)
    linear(r + "out_project.3", H, 4 * H)
    linear("classifier.0", 2 * H, H)
    linear("classifier.2", 1, 2 * H)
    linear("count_pred.0", 2 * H, H)
    linear("count_pred.2", MAX_COUNT, 2 * H)
    s["count_embed.pos_embedding.weight"] = [MAX_COUNT, H]
    s["count_embed.gru.weight_ih_l0"] = [3 * H, H]
    s["count_embed.gru.weight_hh_l0"] = [3 * H, H]
    s["count_embed.gru.bias_ih_l0"] = [3 * H]
    s["count_embed.gru.bias_hh_l0"] = [3 * H]
    if counting_layer == "count_lstm":
        linear("count_embed.projector.0", 4 * H, 2 * H)
        linear("count_embed.projector.2", H, 4 * H)
    elif counting_layer == "count_lstm_v2":
        t = "count_embed.transformer."
        linear(t + "in_projector", V2_DIM, H)
        for i in range(V2_LAYERS):
            p = f"{t}transformer.layers.{i}."
            s[p + "self_attn.in_proj_weight"] = [3 * V2_DIM, V2_DIM]
            s[p + "self_attn.in_proj_bias"] = [3 * V2_DIM]
            linear(p + "self_attn.out_proj", V2_DIM, V2_DIM)
            linear(p + "linear1", V2_FFN, V2_DIM)
            linear(p + "linear2", V2_DIM, V2_FFN)
            for norm in ("norm1", "norm2"):
                s[f"{p}{norm}.weight"] = [V2_DIM]
                s[f"{p}{norm}.bias"] = [V2_DIM]
        linear(t + "out_projector.0", H, V2_DIM + H)
        linear(t + "out_projector.2", H, H)
        linear(t + "out_projector.4", H, H)
    else:
        raise ValueError(f"counting layer must be count_lstm or count_lstm_v2, "
                         f"got {counting_layer!r}")
    return s


def _is_layer_norm(name):
    return "LayerNorm" in name or ".norm1." in name or ".norm2." in name


def random_weights(shapes, seed, dtype):
    rng = np.random.default_rng(seed)
    weights = {}
    for name, shape in shapes.items():
        if _is_layer_norm(name) and name.endswith(".weight"):
            values = 1.0 + 0.05 * rng.standard_normal(shape, dtype=np.float32)
        elif _is_layer_norm(name):
            values = 0.02 * rng.standard_normal(shape, dtype=np.float32)
        else:
            values = WEIGHT_STD * rng.standard_normal(shape, dtype=np.float32)
        weights[name] = torch.from_numpy(safetensors_io.round_to_dtype(values, dtype))
    return weights


# ---------------------------------------------------------------------------------------------
# Calibration

CALIBRATION_TEXTS = [
    "Tim Cook is the CEO of Apple, based in Cupertino. Email tim@apple.com for details.",
    "Maria García flew from Madrid to Berlin on 3 March 2024 with Lufthansa",
    "Great product! I love it, but shipping took three weeks and support never answered.",
    "The committee in Geneva met with Dr. Alice Brown of Acme Corp to review the budget.",
]
CALIBRATION_SCHEMAS = [
    {"entities": ["person", "company", "location", "date"],
     "relations": ["works_for", "located_in"],
     "structures": {"profile": {"fields": [{"name": "name", "dtype": "str"},
                                           {"name": "employer"},
                                           {"name": "level", "choices": ["junior", "senior"]}]}},
     "classifications": [{"task": "topic", "labels": ["business", "sports", "science"],
                          "multi_label": True}]},
    {"entities": {"product": "a thing for sale", "price": None},
     "classifications": [{"task": "sentiment", "labels": ["positive", "negative", "neutral"]}]},
    {"classifications": [{"task": "topic", "labels": ["business", "sports", "science",
                                                      "politics"], "multi_label": True}]},
    {"classifications": [{"task": "intent", "labels": ["question", "complaint", "praise"]},
                         {"task": "urgency", "labels": ["high", "low"]}]},
    {"relations": ["founded", "travels_to"],
     "structures": {"order": {"fields": ["id::str", "items::list", "total::str"]}}},
]


def _last_layers(counting_layer):
    span = "span_rep.span_rep_layer.out_project.3"
    count = ("count_embed.projector.2" if counting_layer == "count_lstm"
             else "count_embed.transformer.out_projector.4")
    return span, count


class _Probe:
    """The calibration inputs run through the encoder once; everything the calibrated layers
    read is cached, so each measurement only re-applies those last layers."""

    def __init__(self, model, inputs, count=3):
        self.model = model
        self.prompts, self.span_features, self.field_features, self.class_features = [], [], [], []
        with torch.no_grad():
            hidden = model.encode(inputs)
            for b, x in enumerate(inputs):
                h = hidden[b]
                spans = model.span_rep.penultimate(h[x.text_positions]).flatten(0, 1)
                for bp in x.blocks:
                    children = h[bp.child_positions]
                    if bp.block.kind == CLASSIFICATION:
                        first = model.classifier.mlp[0]
                        self.class_features.append(
                            torch.relu(torch.nn.functional.linear(children, *first)))
                        continue
                    self.prompts.append(h[bp.prompt_position])
                    # Count forced to `count` so that every instance row is exercised.
                    fields = model.count_embed.penultimate(children, count).flatten(0, 1)
                    self.span_features.append(spans)
                    self.field_features.append(fields)

    def count_logits(self):
        with torch.no_grad():
            return self.model.count_pred.logits(torch.stack(self.prompts))

    def span_logits(self):
        """-> (all span logits, mean span vector, mean field vector)"""
        span_layer = self.model.span_rep.last_layer
        field_layer = self.model.count_embed.last_layer
        logits, span_sum, field_sum, n_span, n_field = [], 0, 0, 0, 0
        with torch.no_grad():
            for spans, fields in zip(self.span_features, self.field_features):
                r = torch.nn.functional.linear(spans, *span_layer)
                p = torch.nn.functional.linear(fields, *field_layer)
                logits.append((p @ r.t()).flatten())
                span_sum, n_span = span_sum + r.sum(0), n_span + r.shape[0]
                field_sum, n_field = field_sum + p.sum(0), n_field + p.shape[0]
        return torch.cat(logits), span_sum / n_span, field_sum / n_field

    def class_logits(self):
        with torch.no_grad():
            return torch.cat([torch.nn.functional.linear(f, *self.model.classifier.mlp[1])
                              for f in self.class_features]).flatten()


def calibrate(weights, gliner_cfg, enc, tokenizer, dtype, seed):
    ck = Checkpoint(path="<memory>", config=gliner_cfg, encoder=enc, weights=weights)
    model = GlinerModel(ck)
    inputs = [build_input(tokenizer, parse_schema_dict(s), t)
              for s in CALIBRATION_SCHEMAS for t in CALIBRATION_TEXTS]
    probe = _Probe(model, inputs)
    span_name, count_name = _last_layers(gliner_cfg.counting_layer)

    def store(name, values):
        # In place: the model's modules hold these very tensors.
        weights[name].copy_(torch.from_numpy(safetensors_io.round_to_dtype(values.numpy(), dtype)))

    # Count head: argmax on 1..3, chosen by the input.
    count_logits = probe.count_logits()
    mean = count_logits.mean(0)
    spread = float(count_logits.std(0).mean()) + 1e-3
    offsets = torch.full((MAX_COUNT,), -4.0 * spread)
    offsets[1:4] = 3.0 * spread
    store("count_pred.2.bias", weights["count_pred.2.bias"] - mean + offsets)

    # Span logits: alternately fix the spread (the logits are bilinear in the two last layers, so
    # scaling both by f scales every logit by f^2) and the centre (adding u*e to one last-layer
    # bias and +-u*e to the other adds ~ +-u^2, with e orthogonal to the mean span and field
    # vectors so the cross terms average out).
    rng = np.random.default_rng(seed + 1)
    for _ in range(8):
        span_logits, _, _ = probe.span_logits()
        factor = math.sqrt(SPAN_LOGIT_STD / max(float(span_logits.std()), 1e-6))
        for name in (span_name, count_name):
            store(name + ".weight", weights[name + ".weight"] * factor)
            store(name + ".bias", weights[name + ".bias"] * factor)
        span_logits, span_mean, field_mean = probe.span_logits()
        delta = SPAN_LOGIT_MEAN - float(span_logits.mean())
        if abs(delta) < 0.05 and abs(float(span_logits.std()) - SPAN_LOGIT_STD) < 0.1:
            break
        e = torch.from_numpy(rng.standard_normal(enc.hidden_size).astype(np.float32))
        for m in (span_mean, field_mean):
            m = m / max(float(m.norm()), 1e-12)
            e = e - (e @ m) * m
        e = e / e.norm()
        u = math.sqrt(abs(delta))
        store(span_name + ".bias", weights[span_name + ".bias"] + u * e)
        store(count_name + ".bias", weights[count_name + ".bias"] + math.copysign(u, delta) * e)

    # Classifier: with random weights the label logits of one block move together with the
    # request (the context dominates). Removing from the last layer the directions along which
    # whole blocks move (top principal components of the per-block mean features) leaves more
    # of the spread between the labels of a block; then logits ~ CLASS_LOGIT_MEAN +- STD.
    features = probe.class_features
    means = torch.stack([f.mean(0) for f in features])
    _, _, v = torch.linalg.svd(means - means.mean(0), full_matrices=False)
    top = v[:CLASS_COMMON_DIRECTIONS]
    w = weights["classifier.2.weight"][0]
    w = w - top.t() @ (top @ w)
    logits = torch.cat(features) @ w
    factor = CLASS_LOGIT_STD / max(float(logits.std()), 1e-6)
    store("classifier.2.weight", (w * factor)[None])
    store("classifier.2.bias", torch.tensor([CLASS_LOGIT_MEAN - float(logits.mean()) * factor]))

    span_logits, _, _ = probe.span_logits()
    class_logits = probe.class_logits()
    return {
        "counts": sorted(set(int(c) for c in probe.count_logits().argmax(-1))),
        "span_logit_mean": float(span_logits.mean()),
        "span_logit_std": float(span_logits.std()),
        "spans_above_half": float((span_logits > 0).float().mean()),
        "class_logit_mean": float(class_logits.mean()),
        "class_logit_std": float(class_logits.std()),
    }


# ---------------------------------------------------------------------------------------------
# Files


def _gliner_config_json(counting_layer, form):
    if form == "published":
        # The 236-byte form of fastino/gliner2-base-v1 (GLINER2.md §1.2).
        return {"_attn_implementation_autoset": True, "counting_layer": counting_layer,
                "max_width": MAX_WIDTH, "model_name": "microsoft/deberta-v3-base",
                "model_type": "extractor", "token_pooling": "first",
                "transformers_version": "4.51.0"}
    return {"architecture": "span", "architecture_version": 1,
            "architectures": ["SpanExtractorModel"], "attn_implementation": "sdpa",
            "config_version": 3, "counting_layer": counting_layer, "max_len": None,
            "max_width": MAX_WIDTH, "model_name": "microsoft/deberta-v3-base",
            "model_type": "extractor",
            "span_head": {"dropout": 0.1, "max_width": MAX_WIDTH, "span_mode": "markerV0"},
            "token_pooling": "first"}


def _encoder_config_json(enc):
    return {"attention_probs_dropout_prob": 0.0, "hidden_act": "gelu",
            "hidden_dropout_prob": 0.0, "hidden_size": enc.hidden_size,
            "initializer_range": 0.02, "intermediate_size": enc.intermediate_size,
            "layer_norm_eps": 1e-07, "max_position_embeddings": 512,
            "max_relative_positions": -1, "model_type": "deberta-v2",
            "norm_rel_ebd": "layer_norm", "num_attention_heads": enc.num_attention_heads,
            "num_hidden_layers": enc.num_hidden_layers, "pad_token_id": 0,
            "pos_att_type": "p2c|c2p", "position_biased_input": False, "position_buckets": 256,
            "relative_attention": True, "share_att_key": True, "type_vocab_size": 0,
            "vocab_size": enc.vocab_size}


def _write_json(path, value, trailing_newline=False):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, sort_keys=True, ensure_ascii=False)
        if trailing_newline:
            f.write("\n")


def added_tokens():
    tokens = {"[MASK]": 128000}
    tokens.update({m: 128001 + i for i, m in enumerate(MARKERS)})
    return tokens


def write_tokenizer_files(out, spm_path):
    shutil.copyfile(spm_path, os.path.join(out, "spm.model"))
    with open(os.path.join(out, "added_tokens.json"), "w", encoding="utf-8") as f:
        json.dump(added_tokens(), f, indent=2)
    _write_json(os.path.join(out, "tokenizer_config.json"),
                {"tokenizer_class": "DebertaV2Tokenizer", "do_lower_case": False,
                 "split_by_punct": False, "vocab_type": "spm",
                 "bos_token": "[CLS]", "eos_token": "[SEP]", "unk_token": "[UNK]",
                 "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
                 "mask_token": "[MASK]", "additional_special_tokens": list(MARKERS)})
    _write_json(os.path.join(out, "special_tokens_map.json"),
                {"bos_token": "[CLS]", "eos_token": "[SEP]", "unk_token": "[UNK]",
                 "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
                 "mask_token": "[MASK]", "additional_special_tokens": list(MARKERS)})


def make_checkpoint(out, shape, seed, counting_layer="count_lstm_v2", dtype="F32",
                    spm_path=None, config_form=None):
    """Writes the checkpoint folder `out`; returns (number of parameters, calibration stats)."""
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {sorted(SHAPES)}, got {shape!r}")
    if spm_path is None or not os.path.exists(spm_path):
        raise ValueError(f"SentencePiece model not found: {spm_path!r}")
    if config_form is None:
        config_form = "published" if shape == "base" else "new"
    enc = encoder_config(shape)
    shapes = tensor_shapes(enc, counting_layer)
    weights = random_weights(shapes, seed, dtype)
    tokenizer = GlinerTokenizer(spm_path, added_tokens())
    gcfg = GlinerConfig(max_width=MAX_WIDTH, counting_layer=counting_layer)
    stats = calibrate(weights, gcfg, enc, tokenizer, dtype, seed)
    os.makedirs(os.path.join(out, "encoder_config"), exist_ok=True)
    # Byte-identical to the reconstructed 236-byte gliner2-base-v1 file (save_pretrained ends it
    # with a newline) or to the upstream tiny parity checkpoints' newer form (no newline).
    _write_json(os.path.join(out, "config.json"), _gliner_config_json(counting_layer, config_form),
                trailing_newline=config_form == "published")
    _write_json(os.path.join(out, "encoder_config", "config.json"), _encoder_config_json(enc))
    safetensors_io.save(os.path.join(out, "model.safetensors"),
                        {k: v.numpy() for k, v in weights.items()}, dtype,
                        metadata={"format": "pt"})
    write_tokenizer_files(out, spm_path)
    n_params = sum(int(np.prod(s)) for s in shapes.values())
    return n_params, stats
