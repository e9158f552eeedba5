"""Reading and validating the configuration of a GLiNER v1 checkpoint folder (the layout that
`GLiNER.from_pretrained` of urchade/GLiNER 0.2.x reads): `gliner_config.json` and the DeBERTa-v3
encoder configuration.

Where the encoder configuration comes from, in this order:
  1. `encoder_config` embedded in gliner_config.json (what 0.2.x `save_pretrained` writes);
  2. else `model_name`, when it names a local folder (absolute, or relative to the checkpoint
     folder) holding a `config.json` -- the encoder's own configuration folder;
  3. else `encoder_config/config.json` inside the checkpoint folder (the GLiNER2-style layout).
Upstream would otherwise download `model_name`'s configuration from the Hub; the reference never
downloads, so a folder with none of the three is refused, naming `model_name`. When the encoder
configuration is not embedded, gliner_config.json's `vocab_size` (if not -1) replaces the
encoder's, as upstream does after adding the prompt tokens to the vocabulary.

Only the code path this reference implements is accepted; anything else is refused with a
CheckpointError naming the file, the key and its value, rather than silently computing something
that upstream would not.
"""

import dataclasses
import os

from .checkpoint import CheckpointError, EncoderConfig, _read_json

SPAN_MODES = ("markerV0", "token_level")


@dataclasses.dataclass
class V1Config:
    span_mode: str  # "markerV0" or "token_level"
    max_width: int
    max_len: int
    hidden_size: int  # GLiNER's hidden size (the encoder's, or a projection's output)
    has_rnn: bool
    embed_ent_token: bool
    class_token_index: int  # id of ent_token; the positions of the label vectors
    ent_token: str
    sep_token: str
    encoder: EncoderConfig
    encoder_config_source: str  # where the encoder configuration was read (for messages)


def _get(obj, key, kind, default, where):
    """obj[key] checked against `kind`; `default` when absent or null."""
    value = obj.get(key)
    if value is None:
        return default
    ok = {
        int: isinstance(value, int) and not isinstance(value, bool),
        float: isinstance(value, (int, float)) and not isinstance(value, bool),
        str: isinstance(value, str),
        bool: isinstance(value, bool),
    }[kind]
    if not ok:
        raise CheckpointError(f"{where}: '{key}' must be {kind.__name__}, got {value!r}")
    return kind(value)


def _refuse(where, key, value, why):
    raise CheckpointError(f"{where}: '{key}' = {value!r} is not supported ({why})")


def _check_gliner_keys(c, where):
    """Refuses the GLiNER variants whose forward pass is not the one implemented here."""
    span_mode = c.get("span_mode", "markerV0")
    # Later GLiNER versions spell the token mode "token-level"; it is the same head.
    if span_mode == "token-level":
        span_mode = "token_level"
    if span_mode not in SPAN_MODES:
        _refuse(where, "span_mode", c.get("span_mode"),
                "only markerV0 and token_level are implemented")
    for key, why in (("labels_encoder", "bi-encoder models encode labels separately"),
                     ("labels_encoder_config", "bi-encoder models encode labels separately"),
                     ("labels_decoder", "models with a label decoder generate labels"),
                     ("labels_decoder_config", "models with a label decoder generate labels"),
                     ("decoder_mode", "models with a label decoder generate labels"),
                     ("relations_layer", "relation-extraction models have extra heads"),
                     ("triples_layer", "relation-extraction models have extra heads")):
        if c.get(key) not in (None, "", {}):
            _refuse(where, key, c[key], why)
    if c.get("fuse_layers") not in (None, False):
        _refuse(where, "fuse_layers", c["fuse_layers"],
                "fusing the encoder's layers needs weights this reference does not read")
    if c.get("post_fusion_schema") not in (None, ""):
        _refuse(where, "post_fusion_schema", c["post_fusion_schema"],
                "post-fusion layers between labels and words are not implemented")
    if c.get("words_splitter_type", "whitespace") != "whitespace":
        _refuse(where, "words_splitter_type", c["words_splitter_type"],
                "only the regex word splitter 'whitespace' is implemented")
    if c.get("num_rnn_layers") not in (None, 1):
        _refuse(where, "num_rnn_layers", c["num_rnn_layers"],
                "only a single bidirectional LSTM layer (or none, via has_rnn) is implemented")
    model_type = c.get("model_type", "gliner")
    if model_type not in (None, "gliner", "gliner_uni_encoder_span", "gliner_uni_encoder_token"):
        _refuse(where, "model_type", model_type, "only uni-encoder span/token models")
    return span_mode


def encoder_config_from_dict(c, where):
    """A DeBERTa-v2/v3 configuration (dict, as Hugging Face stores it) -> EncoderConfig, refusing
    every variant whose forward pass differs from deberta.py's (DeBERTa-v3)."""
    model_type = c.get("model_type", "deberta-v2")
    if model_type != "deberta-v2":
        _refuse(where, "model_type", model_type, "the encoder must be DeBERTa-v2/v3")
    expected = {"relative_attention": True, "share_att_key": True, "position_biased_input": False,
                "norm_rel_ebd": "layer_norm", "hidden_act": "gelu", "type_vocab_size": 0}
    for key, want in expected.items():
        if key in c and c[key] != want:
            _refuse(where, key, c[key], f"DeBERTa-v3 has {want!r}")
    if c.get("conv_kernel_size", 0) not in (0, None):
        _refuse(where, "conv_kernel_size", c["conv_kernel_size"],
                "the convolution layer of DeBERTa-v2 xlarge/xxlarge is not implemented")
    if c.get("embedding_size") not in (None, c.get("hidden_size")):
        _refuse(where, "embedding_size", c["embedding_size"],
                "an embedding projection to hidden_size is not implemented")
    pos_att = c.get("pos_att_type", "p2c|c2p")
    # Hugging Face stores a list; microsoft/DeBERTa and older configs a "p2c|c2p" string.
    if isinstance(pos_att, str):
        kinds = [x.strip() for x in pos_att.replace(",", "|").split("|") if x.strip()]
    elif isinstance(pos_att, list) and all(isinstance(x, str) for x in pos_att):
        kinds = [x.strip() for x in pos_att]
    else:
        kinds = None
    if kinds is None or sorted(kinds) != ["c2p", "p2c"]:
        _refuse(where, "pos_att_type", pos_att, "DeBERTa-v3 has both p2c and c2p")
    cfg = EncoderConfig(
        hidden_size=_get(c, "hidden_size", int, 768, where),
        num_hidden_layers=_get(c, "num_hidden_layers", int, 12, where),
        num_attention_heads=_get(c, "num_attention_heads", int, 12, where),
        intermediate_size=_get(c, "intermediate_size", int, 3072, where),
        layer_norm_eps=_get(c, "layer_norm_eps", float, 1e-7, where),
        max_position_embeddings=_get(c, "max_position_embeddings", int, 512, where),
        max_relative_positions=_get(c, "max_relative_positions", int, -1, where),
        position_buckets=_get(c, "position_buckets", int, 256, where),
        vocab_size=_get(c, "vocab_size", int, 128100, where),
        pad_token_id=_get(c, "pad_token_id", int, 0, where),
    )
    if cfg.position_buckets <= 0:
        _refuse(where, "position_buckets", cfg.position_buckets, "DeBERTa-v3 buckets positions")
    if cfg.num_attention_heads <= 0 or cfg.hidden_size % cfg.num_attention_heads:
        raise CheckpointError(f"{where}: hidden_size {cfg.hidden_size} is not divisible by "
                              f"num_attention_heads {cfg.num_attention_heads}")
    return cfg


def _encoder_config(c, folder, where):
    embedded = c.get("encoder_config")
    if embedded is not None:
        if not isinstance(embedded, dict):
            raise CheckpointError(f"{where}: 'encoder_config' must be an object, got "
                                  f"{type(embedded).__name__}")
        return encoder_config_from_dict(embedded, f"{where} encoder_config"), \
            f"{where} encoder_config"
    model_name = c.get("model_name")
    candidates = []
    if isinstance(model_name, str) and model_name:
        candidates.append(os.path.join(folder, model_name, "config.json"))
    candidates.append(os.path.join(folder, "encoder_config", "config.json"))
    for path in candidates:
        if os.path.isfile(path):
            cfg = encoder_config_from_dict(_read_json(path), path)
            vocab = c.get("vocab_size", -1)
            if isinstance(vocab, int) and not isinstance(vocab, bool) and vocab != -1:
                cfg.vocab_size = vocab
            return cfg, path
    raise CheckpointError(
        f"{where}: no 'encoder_config', and neither model_name {model_name!r} nor "
        f"{os.path.join(folder, 'encoder_config')} is a local folder with a config.json (the "
        "reference does not download encoder configurations)")


def load_v1_config(folder, class_token_index=None):
    """gliner_config.json of `folder` -> V1Config. `class_token_index`: the id of ent_token in the
    tokenizer, used when the config has none (-1)."""
    where = os.path.join(folder, "gliner_config.json")
    c = _read_json(where)
    span_mode = _check_gliner_keys(c, where)
    encoder, source = _encoder_config(c, folder, where)
    cfg = V1Config(
        span_mode=span_mode,
        max_width=_get(c, "max_width", int, 12, where),
        max_len=_get(c, "max_len", int, 384, where),
        hidden_size=_get(c, "hidden_size", int, 512, where),
        has_rnn=_get(c, "has_rnn", bool, True, where),
        embed_ent_token=_get(c, "embed_ent_token", bool, True, where),
        class_token_index=_get(c, "class_token_index", int, -1, where),
        ent_token=_get(c, "ent_token", str, "<<ENT>>", where),
        sep_token=_get(c, "sep_token", str, "<<SEP>>", where),
        encoder=encoder,
        encoder_config_source=source,
    )
    if cfg.class_token_index < 0 and class_token_index is not None:
        cfg.class_token_index = class_token_index
    for key in ("max_width", "max_len", "hidden_size"):
        if getattr(cfg, key) < 1:
            _refuse(where, key, getattr(cfg, key), "must be >= 1")
    if cfg.has_rnn and cfg.hidden_size % 2:
        _refuse(where, "hidden_size", cfg.hidden_size,
                "the bidirectional LSTM needs an even size (half per direction)")
    return cfg
