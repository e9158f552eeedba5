"""Writes a trained model in the published GLiNER2 checkpoint layout (GLINER2.md §1.1):
config.json, encoder_config/config.json, model.safetensors (F16 by default), spm.model,
added_tokens.json (+ tokenizer_config.json / special_tokens_map.json for Hugging Face tools)."""

import json
import os
import shutil

from spanguard_reference import safetensors_io
from spanguard_reference.tokenization import MARKERS


def gliner_config_json(gliner, model_name):
    return {"architecture": "span", "architecture_version": 1,
            "architectures": ["SpanExtractorModel"], "counting_layer": gliner.counting_layer,
            "max_len": None, "max_width": gliner.max_width, "model_name": model_name,
            "model_type": "extractor",
            "span_head": {"dropout": 0.0, "max_width": gliner.max_width, "span_mode": "markerV0"},
            "token_pooling": "first"}


def encoder_config_json(enc):
    return {"attention_probs_dropout_prob": 0.0, "hidden_act": "gelu",
            "hidden_dropout_prob": 0.0, "hidden_size": enc.hidden_size,
            "initializer_range": 0.02, "intermediate_size": enc.intermediate_size,
            "layer_norm_eps": enc.layer_norm_eps,
            "max_position_embeddings": enc.max_position_embeddings,
            "max_relative_positions": -1, "model_type": "deberta-v2",
            "norm_rel_ebd": "layer_norm", "num_attention_heads": enc.num_attention_heads,
            "num_hidden_layers": enc.num_hidden_layers, "pad_token_id": 0,
            "pos_att_type": "p2c|c2p", "position_biased_input": False,
            "position_buckets": enc.position_buckets, "relative_attention": True,
            "share_att_key": True, "type_vocab_size": 0, "vocab_size": enc.vocab_size}


def added_tokens(n_pieces):
    """[MASK] then the ten markers right after the SentencePiece pieces, as DeBERTa-v3 does."""
    tokens = {"[MASK]": n_pieces}
    tokens.update({m: n_pieces + 1 + i for i, m in enumerate(MARKERS)})
    return tokens


def _write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")


def write_tokenizer(out, spm_path, n_pieces):
    os.makedirs(out, exist_ok=True)
    shutil.copyfile(spm_path, os.path.join(out, "spm.model"))
    _write_json(os.path.join(out, "added_tokens.json"), added_tokens(n_pieces))
    specials = {"bos_token": "[CLS]", "eos_token": "[SEP]", "unk_token": "[UNK]",
                "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
                "mask_token": "[MASK]", "additional_special_tokens": list(MARKERS)}
    _write_json(os.path.join(out, "tokenizer_config.json"),
                dict(specials, tokenizer_class="DebertaV2Tokenizer", do_lower_case=False,
                     split_by_punct=False, vocab_type="spm"))
    _write_json(os.path.join(out, "special_tokens_map.json"), specials)


def export(out, weights, enc, gliner, spm_path, n_pieces, dtype="F16",
           model_name="spanguard-small-v1"):
    """weights: name -> float32 tensor. Writes atomically enough for a reader: the weights file
    is written under a temporary name and renamed."""
    os.makedirs(os.path.join(out, "encoder_config"), exist_ok=True)
    _write_json(os.path.join(out, "config.json"), gliner_config_json(gliner, model_name))
    _write_json(os.path.join(out, "encoder_config", "config.json"), encoder_config_json(enc))
    tmp = os.path.join(out, "model.safetensors.tmp")
    safetensors_io.save(tmp, {k: v.cpu().numpy() for k, v in weights.items()}, dtype,
                        metadata={"format": "pt"})
    os.replace(tmp, os.path.join(out, "model.safetensors"))
    write_tokenizer(out, spm_path, n_pieces)
