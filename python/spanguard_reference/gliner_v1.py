"""PyTorch reference of the GLiNER v1 code path (urchade/GLiNER 0.2.x: uni-encoder DeBERTa-v3,
span mode markerV0 or token_level, optional bidirectional LSTM), used as the independent truth
for the engine's v1 support. The algorithm is described in
/work/shared/reference/parity_v1/README.md; gliner_v1_model.py (forward pass) and
gliner_v1_decode.py (decoding) say what each step does.

    model = load_v1("/path/to/gliner_v1_folder")
    predict_entities(model, text, ["person", "organization"], threshold=0.5)
    batch_predict_entities(model, texts, labels, threshold=0.5, flat_ner=True, multi_label=False)
    run(model, texts, labels, threshold=0.5, flat_ner=True, multi_label=False, batch_size=8)

Results are, per text, lists of {"start", "end", "text", "label", "score"} (code-point offsets,
half-open; score a float32 probability as a Python float), as upstream returns them.
`predict_entities` and `batch_predict_entities` deduplicate the labels keeping the first
occurrence (case kept); `run` does not. Texts with more than max_len words are truncated with
upstream's UserWarning.

Upstream raises IndexError on two inputs where this reference returns the correct answer
instead: a text without words has no entities, and token_level batches ignore the padded word
positions of shorter texts (see gliner_v1_decode.py).

Weights are read from model.safetensors only (a pickled pytorch_model.bin is never loaded).
`model.on_forward`, when set, receives the ForwardTrace of every forward call (input ids, masks,
word_ids, hidden states, pooled vectors, logits) so that tests can compare each layer.
"""

import os

import numpy as np
import torch

from . import safetensors_io
from .checkpoint import CheckpointError
from .gliner_v1_config import load_v1_config
from .gliner_v1_decode import decode_text
from .gliner_v1_model import GlinerV1Model, V1Tokenizer, split_words


class GlinerV1:
    def __init__(self, folder, config, tokenizer, model):
        self.folder = folder
        self.config = config
        self.tokenizer = tokenizer
        self.model = model
        self.on_forward = None

    def forward(self, words, labels):
        """words: list of TextWords -> ForwardTrace (also given to on_forward)."""
        trace = self.model.forward(words, labels)
        if self.on_forward is not None:
            self.on_forward(trace)
        return trace


def load_v1(folder, relative_positions="hf"):
    """A GLiNER v1 checkpoint folder -> GlinerV1.

    `relative_positions`: "hf" (Hugging Face's DeBERTa, what GLiNER runs) or "microsoft"
    (microsoft/DeBERTa, what the parity_v1 goldens used); they differ only for sequences longer
    than 512 sub-tokens, see deberta.py."""
    tokenizer = V1Tokenizer.from_checkpoint(folder)
    config = load_v1_config(folder)
    where = os.path.join(folder, "gliner_config.json")
    for key in ("ent_token", "sep_token"):
        token = getattr(config, key)
        if tokenizer.token_id(token) is None:
            raise CheckpointError(f"{where}: {key} {token!r} is not an added token of "
                                  f"{os.path.join(folder, 'added_tokens.json')}")
    ent_id = tokenizer.token_id(config.ent_token)
    if config.class_token_index < 0:
        config.class_token_index = ent_id
    elif config.class_token_index != ent_id:
        # Upstream looks for class_token_index in the ids; if it is not the id the tokenizer
        # gives ent_token, no label vector would be found.
        raise CheckpointError(f"{where}: 'class_token_index' = {config.class_token_index} but "
                              f"the tokenizer gives {config.ent_token!r} id {ent_id}")
    if config.encoder.vocab_size <= max(tokenizer.special.values()):
        raise CheckpointError(f"{config.encoder_config_source}: 'vocab_size' = "
                              f"{config.encoder.vocab_size} does not cover the added tokens "
                              f"(largest id {max(tokenizer.special.values())})")
    weights_path = os.path.join(folder, "model.safetensors")
    if not os.path.exists(weights_path):
        raise CheckpointError(f"{weights_path}: file not found (pickled pytorch_model.bin "
                              "checkpoints are not read by the reference)")
    weights = {k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32))
               for k, v in safetensors_io.load(weights_path).items()}
    model = GlinerV1Model(config, weights, tokenizer, relative_positions=relative_positions)
    return GlinerV1(folder, config, tokenizer, model)


def _check_labels(labels):
    """-> the labels as a list; a bare string (which would iterate as characters) is refused."""
    if isinstance(labels, str) or not all(isinstance(x, str) for x in labels):
        raise TypeError("labels must be a list of strings")
    labels = list(labels)
    if not labels:
        raise ValueError("at least one label is needed")
    return labels


def _predict(model, texts, labels, threshold, flat_ner, multi_label):
    """One forward call over `texts` -> list of entity lists."""
    words = [split_words(t, model.config.max_len) for t in texts]
    trace = model.forward(words, labels)
    token_mode = model.config.span_mode == "token_level"
    out = []
    for b, (text, w) in enumerate(zip(texts, words)):
        logits = trace.logits[:, b] if token_mode else trace.logits[b]
        out.append(decode_text(model.config.span_mode, logits, text, w, labels, threshold,
                               flat_ner, multi_label))
    return out


def batch_predict_entities(model, texts, labels, threshold=0.5, flat_ner=True,
                           multi_label=False):
    """All texts in one forward call; labels deduplicated (first occurrence kept)."""
    labels = list(dict.fromkeys(_check_labels(labels)))
    if not texts:
        return []
    return _predict(model, list(texts), labels, threshold, flat_ner, multi_label)


def predict_entities(model, text, labels, threshold=0.5, flat_ner=True, multi_label=False):
    return batch_predict_entities(model, [text], labels, threshold, flat_ner, multi_label)[0]


def run(model, texts, labels, threshold=0.5, flat_ner=True, multi_label=False, batch_size=8):
    """`batch_size` texts per forward call; labels used as given (no deduplication)."""
    labels = _check_labels(labels)
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    texts = list(texts)
    out = []
    for i in range(0, len(texts), batch_size):
        out += _predict(model, texts[i:i + batch_size], labels, threshold, flat_ner, multi_label)
    return out
