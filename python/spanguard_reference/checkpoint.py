"""Loading a GLiNER2 `span` checkpoint folder (GLINER2.md §1): `config.json` (the published
236-byte form
or the newer form with `span_head`/`architecture`), `encoder_config/config.json` (DeBERTa-v2/v3),
`model.safetensors` (read with safetensors_io, never a pickle).

The counting layer is detected from the weight names rather than trusted from the config
(GLINER2.md §1.2 recommendation); a mismatch with the config only warns.
"""

import dataclasses
import json
import os
import warnings

import numpy as np
import torch

from . import safetensors_io


class CheckpointError(ValueError):
    """A checkpoint folder that cannot be used; the message names the file and the key."""


@dataclasses.dataclass
class EncoderConfig:
    hidden_size: int = 768
    num_hidden_layers: int = 12
    num_attention_heads: int = 12
    intermediate_size: int = 3072
    layer_norm_eps: float = 1e-7
    max_position_embeddings: int = 512
    max_relative_positions: int = -1
    position_buckets: int = 256
    vocab_size: int = 128011
    pad_token_id: int = 0

    @property
    def head_size(self):
        return self.hidden_size // self.num_attention_heads

    @property
    def max_relative(self):
        """The `max_position` of the log-bucket function (GLINER2.md §5.3)."""
        if self.max_relative_positions < 1:
            return self.max_position_embeddings
        return self.max_relative_positions


@dataclasses.dataclass
class GlinerConfig:
    max_width: int = 8
    counting_layer: str = "count_lstm"
    token_pooling: str = "first"
    model_name: str = ""


@dataclasses.dataclass
class Checkpoint:
    path: str
    config: GlinerConfig
    encoder: EncoderConfig
    # name -> float32 torch tensor, exactly the names of the published state dict
    weights: dict


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            value = json.load(f)
    except FileNotFoundError:
        raise CheckpointError(f"{path}: file not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CheckpointError(f"{path}: not valid JSON ({e})") from None
    if not isinstance(value, dict):
        raise CheckpointError(f"{path}: expected a JSON object")
    return value


def _get(obj, key, kind, default, path):
    value = obj.get(key, default)
    if value is None:
        return default
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise CheckpointError(f"{path}: '{key}' must be an integer, got {value!r}")
    if kind is float and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise CheckpointError(f"{path}: '{key}' must be a number, got {value!r}")
    if kind is str and not isinstance(value, str):
        raise CheckpointError(f"{path}: '{key}' must be a string, got {value!r}")
    if kind is bool and not isinstance(value, bool):
        raise CheckpointError(f"{path}: '{key}' must be true or false, got {value!r}")
    return kind(value)


def load_gliner_config(path):
    c = _read_json(path)
    architecture = _get(c, "architecture", str, "span", path)
    if architecture != "span":
        raise CheckpointError(f"{path}: architecture '{architecture}' is not supported "
                              "(only the span architecture)")
    span_head = c.get("span_head") or {}
    if not isinstance(span_head, dict):
        raise CheckpointError(f"{path}: 'span_head' must be an object")
    # The newer form nests max_width under span_head; the published form has it at top level.
    max_width = _get(span_head, "max_width", int, None, path)
    if max_width is None:
        max_width = _get(c, "max_width", int, 8, path)
    span_mode = _get(span_head, "span_mode", str, "markerV0", path)
    if span_mode != "markerV0":
        raise CheckpointError(f"{path}: span_head.span_mode '{span_mode}' is not supported")
    pooling = _get(c, "token_pooling", str, "first", path)
    if pooling not in ("first", "mean", "max"):
        raise CheckpointError(f"{path}: token_pooling '{pooling}' is not one of first/mean/max")
    if max_width < 1:
        raise CheckpointError(f"{path}: max_width must be >= 1, got {max_width}")
    return GlinerConfig(
        max_width=max_width,
        counting_layer=_get(c, "counting_layer", str, "count_lstm", path),
        token_pooling=pooling,
        model_name=_get(c, "model_name", str, "", path),
    )


def load_encoder_config(path):
    c = _read_json(path)
    model_type = _get(c, "model_type", str, "deberta-v2", path)
    if model_type != "deberta-v2":
        raise CheckpointError(f"{path}: model_type '{model_type}' is not deberta-v2")
    # The forward pass implemented in deberta.py is exactly DeBERTa-v3's; refuse variants of it.
    expected = {"relative_attention": True, "share_att_key": True, "position_biased_input": False,
                "norm_rel_ebd": "layer_norm", "hidden_act": "gelu", "type_vocab_size": 0}
    for key, want in expected.items():
        if key in c and c[key] != want:
            raise CheckpointError(f"{path}: '{key}' = {c[key]!r} is not supported (need {want!r})")
    pos_att = _get(c, "pos_att_type", str, "p2c|c2p", path)
    kinds = sorted(x.strip() for x in pos_att.replace(",", "|").split("|") if x.strip())
    if kinds != ["c2p", "p2c"]:
        raise CheckpointError(f"{path}: pos_att_type '{pos_att}' is not supported (need p2c|c2p)")
    cfg = EncoderConfig(
        hidden_size=_get(c, "hidden_size", int, 768, path),
        num_hidden_layers=_get(c, "num_hidden_layers", int, 12, path),
        num_attention_heads=_get(c, "num_attention_heads", int, 12, path),
        intermediate_size=_get(c, "intermediate_size", int, 3072, path),
        layer_norm_eps=_get(c, "layer_norm_eps", float, 1e-7, path),
        max_position_embeddings=_get(c, "max_position_embeddings", int, 512, path),
        max_relative_positions=_get(c, "max_relative_positions", int, -1, path),
        position_buckets=_get(c, "position_buckets", int, 256, path),
        vocab_size=_get(c, "vocab_size", int, 128011, path),
        pad_token_id=_get(c, "pad_token_id", int, 0, path),
    )
    if cfg.position_buckets <= 0:
        raise CheckpointError(f"{path}: position_buckets must be > 0 (DeBERTa-v3)")
    if cfg.num_attention_heads <= 0 or cfg.hidden_size % cfg.num_attention_heads:
        raise CheckpointError(f"{path}: hidden_size {cfg.hidden_size} is not divisible by "
                              f"num_attention_heads {cfg.num_attention_heads}")
    return cfg


def detect_counting_layer(names):
    """Spec §1.2: the weight keys say which count embedding a checkpoint has."""
    if "count_embed.transformer.in_projector.weight" in names:
        return "count_lstm_v2"
    if "count_embed.projector.0.weight" in names:
        return "count_lstm"
    if "count_embed.w1" in names:
        return "count_lstm_moe"
    raise CheckpointError("model.safetensors: no count_embed.* weights of a known counting layer")


def load_checkpoint(path):
    config = load_gliner_config(os.path.join(path, "config.json"))
    encoder = load_encoder_config(os.path.join(path, "encoder_config", "config.json"))
    weights_path = os.path.join(path, "model.safetensors")
    if not os.path.exists(weights_path):
        raise CheckpointError(f"{weights_path}: file not found (the reference reads only "
                              "safetensors; it never unpickles a pytorch_model.bin)")
    arrays = safetensors_io.load(weights_path)
    detected = detect_counting_layer(arrays)
    if detected != config.counting_layer:
        # The weights decide (GLINER2.md §1.2); the config value is informational.
        warnings.warn(f"{path}: config.json says counting_layer '{config.counting_layer}' "
                      f"but the weights are {detected}; using {detected}")
        config.counting_layer = detected
    weights = {k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32))
               for k, v in arrays.items()}
    return Checkpoint(path=path, config=config, encoder=encoder, weights=weights)


def require(weights, name, shape):
    """The tensor `name`, checked against `shape` (a tuple of ints)."""
    if name not in weights:
        raise CheckpointError(f"model.safetensors: missing tensor '{name}'")
    t = weights[name]
    if tuple(t.shape) != tuple(shape):
        raise CheckpointError(f"model.safetensors: tensor '{name}' has shape {list(t.shape)}, "
                              f"expected {list(shape)}")
    return t
