#!/usr/bin/env python3
"""Writes a random-weight GLiNER v1 checkpoint (span_mode markerV0, bidirectional LSTM) in the
folder layout urchade/GLiNER 0.2.x publishes, for benchmarks and engine-vs-reference tests:

    DIR/gliner_config.json (with the DeBERTa-v3 configuration embedded as `encoder_config`),
    DIR/model.safetensors (F32, upstream state-dict names), DIR/spm.model (the real DeBERTa-v3
    SentencePiece model), DIR/added_tokens.json ([MASK] 128000, [FLERT] 128001, <<ENT>> 128002,
    <<SEP>> 128003), DIR/tokenizer_config.json, DIR/special_tokens_map.json

Usage (Debian's Python, which has torch, numpy and sentencepiece):
    /usr/bin/python3 python/tools/make_random_v1_checkpoint.py --out DIR \
        [--shape base|small|tiny] [--seed 1] [--gliner-hidden N] [--spm PATH]

`base` is the encoder of microsoft/deberta-v3-base (768 hidden, 12 layers, 12 heads, FFN 3072)
with the vocabulary of 128,004 rows of gliner_medium-v2.1 / gliner_multi_pii-v1; GLiNER's own
hidden size defaults to the encoder's (768, as those models have: no projection layer).
`--gliner-hidden` other than the encoder's adds `token_rep_layer.projection` (encoder hidden ->
N), as upstream does whenever the two differ. max_width 12, max_len 384, as published.

Weights are normal (std 0.08), LayerNorm weights near 1, from one seed (numpy default_rng), as
make_random_checkpoint.py writes GLiNER2 ones. Then the last layers of the span and label
projections are scaled and their biases offset, with the PyTorch reference running the model on
a few texts, so that span logits centre near -3 with a spread of about 1.5: a few percent of the
candidate spans clear 0.5, decoding finds entities in every text, and some decisions sit near the
threshold (which is what an agreement check needs).
"""

import argparse
import json
import math
import os
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from spanguard_reference import safetensors_io  # noqa: E402
from spanguard_reference.gliner_v1_config import load_v1_config  # noqa: E402
from spanguard_reference.gliner_v1_model import (  # noqa: E402
    GlinerV1Model, V1Tokenizer, split_words)

REPO = os.path.dirname(os.path.dirname(HERE))
SPM_CANDIDATES = [
    os.path.join(os.environ.get("SPANGUARD_SHARED_DIR", os.path.join(REPO, "..", "shared")),
                 "reference", "spm.model"),
    os.path.join(REPO, "data", "tokenizers", "deberta-v3", "spm.model"),
]

SHAPES = {
    # The sizes of parity_v1/span_v1 (head size 32).
    "tiny": dict(hidden_size=64, num_attention_heads=2, num_hidden_layers=2,
                 intermediate_size=128),
    "small": dict(hidden_size=128, num_attention_heads=2, num_hidden_layers=3,
                  intermediate_size=512),
    # microsoft/deberta-v3-base, the encoder of gliner_medium-v2.1.
    "base": dict(hidden_size=768, num_attention_heads=12, num_hidden_layers=12,
                 intermediate_size=3072),
}
VOCAB_SIZE = 128004  # 128000 pieces + [MASK], [FLERT], <<ENT>>, <<SEP>>
ADDED_TOKENS = {"[MASK]": 128000, "[FLERT]": 128001, "<<ENT>>": 128002, "<<SEP>>": 128003}
MAX_WIDTH = 12
MAX_LEN = 384
POSITION_BUCKETS = 256
WEIGHT_STD = 0.08

# Calibration targets (see the module docstring).
SPAN_LOGIT_MEAN = -3.0
SPAN_LOGIT_STD = 1.5
CALIBRATION_TEXTS = [
    "Tim Cook is the CEO of Apple, based in Cupertino. Email tim@apple.com for details.",
    "Maria García flew from Madrid to Berlin on 3 March 2024; call her on +34 612 345 678.",
    "Patient John Smith, born 04/07/1981, SSN 123-45-6789, lives at 12 Baker Street, London.",
    "The committee in Geneva met with Dr. Alice Brown of Acme Corp to review the budget.",
]
CALIBRATION_LABELS = ["person", "organization", "location", "email", "date", "phone number",
                      "address", "social security number"]


def encoder_config_json(enc):
    """The encoder configuration as GLiNER 0.2.x's save_pretrained embeds it (a Hugging Face
    DebertaV2Config dict, generic PretrainedConfig keys included), as in parity_v1/span_v1."""
    H = enc["hidden_size"]
    return {
        "_name_or_path": "microsoft/deberta-v3-base", "add_cross_attention": False,
        "architectures": None, "attention_probs_dropout_prob": 0.1, "bad_words_ids": None,
        "begin_suppress_tokens": None, "bos_token_id": None, "chunk_size_feed_forward": 0,
        "cross_attention_hidden_size": None, "decoder_start_token_id": None,
        "diversity_penalty": 0.0, "do_sample": False, "early_stopping": False,
        "encoder_no_repeat_ngram_size": 0, "eos_token_id": None,
        "exponential_decay_length_penalty": None, "finetuning_task": None,
        "forced_bos_token_id": None, "forced_eos_token_id": None, "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "hidden_size": H, "id2label": {"0": "LABEL_0", "1": "LABEL_1"},
        "initializer_range": 0.02, "intermediate_size": enc["intermediate_size"],
        "is_decoder": False, "is_encoder_decoder": False,
        "label2id": {"LABEL_0": 0, "LABEL_1": 1}, "layer_norm_eps": 1e-07,
        "length_penalty": 1.0, "max_length": 20, "max_position_embeddings": 512,
        "max_relative_positions": -1, "min_length": 0, "model_type": "deberta-v2",
        "no_repeat_ngram_size": 0, "norm_rel_ebd": "layer_norm",
        "num_attention_heads": enc["num_attention_heads"], "num_beam_groups": 1, "num_beams": 1,
        "num_hidden_layers": enc["num_hidden_layers"], "num_return_sequences": 1,
        "output_attentions": False, "output_hidden_states": False, "output_scores": False,
        "pad_token_id": 0, "pooler_dropout": 0, "pooler_hidden_act": "gelu",
        "pooler_hidden_size": H, "pos_att_type": ["p2c", "c2p"], "position_biased_input": False,
        "position_buckets": POSITION_BUCKETS, "prefix": None, "problem_type": None,
        "pruned_heads": {}, "relative_attention": True, "remove_invalid_values": False,
        "repetition_penalty": 1.0, "return_dict": True, "return_dict_in_generate": False,
        "sep_token_id": None, "share_att_key": True, "suppress_tokens": None,
        "task_specific_params": None, "temperature": 1.0, "tf_legacy_loss": False,
        "tie_encoder_decoder": False, "tie_word_embeddings": True, "tokenizer_class": None,
        "top_k": 50, "top_p": 1.0, "torch_dtype": None, "torchscript": False,
        "type_vocab_size": 0, "typical_p": 1.0, "use_bfloat16": False, "vocab_size": VOCAB_SIZE,
    }


def gliner_config_json(shape, enc, hidden):
    return {
        "class_token_index": ADDED_TOKENS["<<ENT>>"], "dropout": 0.4, "embed_ent_token": True,
        "encoder_config": encoder_config_json(enc), "ent_token": "<<ENT>>", "fine_tune": True,
        "fuse_layers": False, "has_rnn": True, "hidden_size": hidden, "labels_encoder": None,
        "labels_encoder_config": None, "max_len": MAX_LEN, "max_neg_type_ratio": 1,
        "max_types": 25, "max_width": MAX_WIDTH, "model_name": "microsoft/deberta-v3-base",
        "model_type": "gliner", "name": f"random v1 {shape}", "num_post_fusion_layers": 1,
        "post_fusion_schema": "", "sep_token": "<<SEP>>", "span_mode": "markerV0",
        "subtoken_pooling": "first", "vocab_size": VOCAB_SIZE, "words_splitter_type": "whitespace",
    }


def _special(content, normalized):
    return {"content": content, "lstrip": False, "normalized": normalized, "rstrip": False,
            "single_word": False, "special": not normalized}


def tokenizer_config_json():
    decoder = {"0": _special("[PAD]", False), "1": _special("[CLS]", False),
               "2": _special("[SEP]", False), "3": _special("[UNK]", False)}
    for token, i in ADDED_TOKENS.items():
        decoder[str(i)] = _special(token, token != "[MASK]")
    return {"added_tokens_decoder": decoder, "bos_token": "[CLS]",
            "clean_up_tokenization_spaces": True, "cls_token": "[CLS]", "do_lower_case": False,
            "eos_token": "[SEP]", "mask_token": "[MASK]",
            # microsoft/deberta-v3-*'s "no limit": the tokenizer never truncates.
            "model_max_length": 1000000000000000019884624838656, "pad_token": "[PAD]",
            "sep_token": "[SEP]", "sp_model_kwargs": {}, "split_by_punct": False,
            "tokenizer_class": "DebertaV2Tokenizer", "unk_token": "[UNK]", "vocab_type": "spm"}


SPECIAL_TOKENS_MAP = {"bos_token": "[CLS]", "cls_token": "[CLS]", "eos_token": "[SEP]",
                      "mask_token": "[MASK]", "pad_token": "[PAD]", "sep_token": "[SEP]",
                      "unk_token": "[UNK]"}


def tensor_shapes(enc, hidden):
    """name -> shape, upstream state-dict names (parity_v1/README.md)."""
    E, FF, H = enc["hidden_size"], enc["intermediate_size"], hidden
    p = "token_rep_layer.bert_layer.model."
    s = {p + "embeddings.word_embeddings.weight": [VOCAB_SIZE, E],
         p + "embeddings.LayerNorm.weight": [E], p + "embeddings.LayerNorm.bias": [E],
         p + "encoder.rel_embeddings.weight": [2 * POSITION_BUCKETS, E],
         p + "encoder.LayerNorm.weight": [E], p + "encoder.LayerNorm.bias": [E]}

    def linear(name, n_out, n_in):
        s[name + ".weight"] = [n_out, n_in]
        s[name + ".bias"] = [n_out]

    for i in range(enc["num_hidden_layers"]):
        layer = f"{p}encoder.layer.{i}."
        for proj in ("query_proj", "key_proj", "value_proj"):
            linear(f"{layer}attention.self.{proj}", E, E)
        linear(layer + "attention.output.dense", E, E)
        s[layer + "attention.output.LayerNorm.weight"] = [E]
        s[layer + "attention.output.LayerNorm.bias"] = [E]
        linear(layer + "intermediate.dense", FF, E)
        linear(layer + "output.dense", E, FF)
        s[layer + "output.LayerNorm.weight"] = [E]
        s[layer + "output.LayerNorm.bias"] = [E]
    if H != E:
        linear("token_rep_layer.projection", H, E)
    for suffix in ("", "_reverse"):
        s[f"rnn.lstm.weight_ih_l0{suffix}"] = [2 * H, H]
        s[f"rnn.lstm.weight_hh_l0{suffix}"] = [2 * H, H // 2]
        s[f"rnn.lstm.bias_ih_l0{suffix}"] = [2 * H]
        s[f"rnn.lstm.bias_hh_l0{suffix}"] = [2 * H]
    r = "span_rep_layer.span_rep_layer."
    for name, n_in in (("project_start", H), ("project_end", H), ("out_project", 2 * H)):
        linear(f"{r}{name}.0", 4 * H, n_in)
        linear(f"{r}{name}.3", H, 4 * H)
    linear("prompt_rep_layer.0", 4 * H, H)
    linear("prompt_rep_layer.3", H, 4 * H)
    return s


def random_weights(shapes, seed):
    rng = np.random.default_rng(seed)
    out = {}
    for name, shape in shapes.items():
        if "LayerNorm" in name and name.endswith(".weight"):
            values = 1.0 + 0.05 * rng.standard_normal(shape, dtype=np.float32)
        elif "LayerNorm" in name:
            values = 0.02 * rng.standard_normal(shape, dtype=np.float32)
        else:
            values = WEIGHT_STD * rng.standard_normal(shape, dtype=np.float32)
        out[name] = torch.from_numpy(values)
    return out


SPAN_LAST = "span_rep_layer.span_rep_layer.out_project.3"
LABEL_LAST = "prompt_rep_layer.3"


def _features(model, texts, labels):
    """Inputs of the two calibrated layers on the calibration texts: span features [N, 4H] (valid
    spans only) and label features [M, 4H]."""
    words = [split_words(t, model.cfg.max_len) for t in texts]
    trace = model.forward(words, labels)
    with torch.no_grad():
        def mlp(params, x):
            w0, b0, w3, b3 = params
            return F.linear(torch.relu(F.linear(x, w0, b0)), w3, b3)
        start, end = mlp(model.project_start, trace.rnn_output), mlp(model.project_end,
                                                                     trace.rnn_output)
        w0, b0 = model.out_project[:2]
        spans = []
        for b, t in enumerate(words):
            n = len(t.words)
            for i in range(n):
                for k in range(min(MAX_WIDTH, n - i)):
                    cat = torch.relu(torch.cat([start[b, i], end[b, i + k]]))
                    spans.append(torch.relu(F.linear(cat, w0, b0)))
        q0, qb0 = model.prompt_rep[:2]
        labels_f = torch.relu(F.linear(trace.label_embeddings.flatten(0, 1), q0, qb0))
    return torch.stack(spans), labels_f


def calibrate(model, weights, seed):
    """Scales and offsets SPAN_LAST and LABEL_LAST in place (the model holds these very tensors)
    until the span logits have SPAN_LOGIT_MEAN and SPAN_LOGIT_STD; -> the final statistics."""
    span_f, label_f = _features(model, CALIBRATION_TEXTS, CALIBRATION_LABELS)

    def logits():
        s = F.linear(span_f, weights[SPAN_LAST + ".weight"], weights[SPAN_LAST + ".bias"])
        q = F.linear(label_f, weights[LABEL_LAST + ".weight"], weights[LABEL_LAST + ".bias"])
        return (s @ q.t()).flatten(), s.mean(0), q.mean(0)

    rng = np.random.default_rng(seed + 1)
    for _ in range(10):
        # Both layers scaled by f scale every logit by f^2 (the logit is bilinear in them).
        values, _, _ = logits()
        factor = math.sqrt(SPAN_LOGIT_STD / max(float(values.std()), 1e-6))
        for name in (SPAN_LAST, LABEL_LAST):
            for part in (".weight", ".bias"):
                weights[name + part].mul_(factor)
        values, span_mean, label_mean = logits()
        delta = SPAN_LOGIT_MEAN - float(values.mean())
        if abs(delta) < 0.05 and abs(float(values.std()) - SPAN_LOGIT_STD) < 0.1:
            break
        # Adding u*e to one bias and +-u*e to the other moves every logit by about +-u^2 when e
        # is orthogonal to the mean span and label vectors (the cross terms average out).
        e = torch.from_numpy(rng.standard_normal(span_mean.shape[0]).astype(np.float32))
        for m in (span_mean, label_mean):
            m = m / max(float(m.norm()), 1e-12)
            e = e - (e @ m) * m
        e = e / e.norm()
        u = math.sqrt(abs(delta))
        weights[SPAN_LAST + ".bias"].add_(u * e)
        weights[LABEL_LAST + ".bias"].add_(math.copysign(u, delta) * e)
    values, _, _ = logits()
    return {"span_logit_mean": round(float(values.mean()), 3),
            "span_logit_std": round(float(values.std()), 3),
            "spans_above_half": round(float((values > 0).float().mean()), 4)}


def _write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write("\n")


def make_v1_checkpoint(out, shape="base", seed=1, gliner_hidden=None, spm_path=None):
    """Writes the folder `out`; -> (number of parameters, calibration statistics)."""
    enc = SHAPES[shape]
    hidden = gliner_hidden or enc["hidden_size"]
    if hidden % 2:
        raise ValueError(f"--gliner-hidden {hidden}: the bidirectional LSTM needs an even size")
    os.makedirs(out, exist_ok=True)
    # Config and tokenizer first: the reference reads them from the folder for calibration.
    _write_json(os.path.join(out, "gliner_config.json"), gliner_config_json(shape, enc, hidden))
    shutil.copyfile(spm_path, os.path.join(out, "spm.model"))
    _write_json(os.path.join(out, "added_tokens.json"), ADDED_TOKENS)
    _write_json(os.path.join(out, "tokenizer_config.json"), tokenizer_config_json())
    _write_json(os.path.join(out, "special_tokens_map.json"), SPECIAL_TOKENS_MAP)
    shapes = tensor_shapes(enc, hidden)
    weights = random_weights(shapes, seed)
    model = GlinerV1Model(load_v1_config(out), weights, V1Tokenizer.from_checkpoint(out))
    stats = calibrate(model, weights, seed)
    safetensors_io.save(os.path.join(out, "model.safetensors"),
                        {k: v.numpy() for k, v in weights.items()}, "F32",
                        metadata={"format": "pt"})
    return sum(int(np.prod(s)) for s in shapes.values()), stats


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="checkpoint folder to write (created)")
    p.add_argument("--shape", default="base", choices=sorted(SHAPES))
    p.add_argument("--tiny", action="store_const", const="tiny", dest="shape",
                   help="same as --shape tiny (the smoke benchmark's size)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--gliner-hidden", type=int,
                   help="GLiNER hidden size (default: the encoder's, i.e. no projection layer)")
    p.add_argument("--spm", help="SentencePiece model (default: ../shared/reference/spm.model)")
    p.add_argument("--threads", type=int, default=1, help="torch threads for calibration")
    a = p.parse_args()
    spm = a.spm or next((c for c in SPM_CANDIDATES if os.path.exists(c)), None)
    if spm is None or not os.path.exists(spm):
        p.error("no spm.model found; pass --spm")
    torch.set_num_threads(a.threads)
    start = time.time()
    try:
        n, stats = make_v1_checkpoint(a.out, a.shape, a.seed, a.gliner_hidden, spm)
    except (ValueError, OSError) as e:
        print(f"make_random_v1_checkpoint: {e}", file=sys.stderr)
        return 1
    print(f"wrote {a.out}: GLiNER v1 markerV0 + LSTM, shape {a.shape}, gliner hidden "
          f"{a.gliner_hidden or SHAPES[a.shape]['hidden_size']}, seed {a.seed}, {n:,} "
          f"parameters, {time.time() - start:.1f} s")
    print("calibration: " + ", ".join(f"{k} {v}" for k, v in stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
