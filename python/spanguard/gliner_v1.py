"""`GLiNER`: GLiNER v1 checkpoints (urchade/GLiNER: gliner_multi_pii-v1, gliner_*-v2.1 and their
fine-tunes, span_mode markerV0 or token_level) on the C++ engine, with the gliner package's API:

    from spanguard import GLiNER          # instead of: from gliner import GLiNER
    model = GLiNER.from_pretrained("urchade/gliner_multi_pii-v1")   # or "gliner-multi-pii"
    model.predict_entities("Call Ana at +1 415 555 0132.", ["person", "phone number"])
    # [{"start": 5, "end": 8, "text": "Ana", "label": "person", "score": 0.97...}, ...]

Method names, argument names, order and defaults are upstream's (predict_entities,
batch_predict_entities, run); results are plain lists of {"start", "end", "text", "label", "score"}
dicts with code-point offsets, so text[start:end] == entity["text"].

One difference, on purpose: upstream reads only the first max_len words (384) of a text and warns.
Here such texts are read in windows of max_len words overlapping by `window_overlap`, so entities
past word 384 are found (long_text="windows", the default); long_text="truncate" gives upstream's
behaviour, warning included. Shorter texts give the same result either way.

Extras: redact() (entities replaced by "<ENTITY_TYPE>" or another operator, through the model-free
spanguard.redact_spans) and display() (highlighted HTML for Jupyter).

A GLiNER is immutable: share one between threads. The engine runs with the GIL released.
"""

import os
import warnings

from . import _checks, _spanguard
from ._cpu_model import CpuModel
from .rendering import EntityHTML, render_html
from .safety import redact_spans

_RELATIVE_POSITIONS = {"hf": "huggingface", "huggingface": "huggingface",
                       "microsoft": "microsoft"}
_LONG_TEXT = ("windows", "truncate")


def _labels(labels):
    """The entity types as a list of str; a bare string (which upstream would read as characters)
    and an empty list are refused."""
    labels = _checks.text_list(labels, "labels")
    if not labels:
        raise ValueError("labels: give at least one entity type")
    return labels


def _text(text, name="text"):
    if not isinstance(text, str):
        raise ValueError(f"{name} must be a string, got {type(text).__name__}")
    return text


def _long_text(value):
    if value not in _LONG_TEXT:
        raise ValueError(f'long_text must be "windows" or "truncate", got {value!r}')
    return value == "truncate"


class GLiNER(CpuModel):
    """A loaded GLiNER v1 model: GLiNER.from_pretrained(path or Hub id). Entities of any types
    (predict_entities, batch_predict_entities, run), redaction (redact) and display (display).
    Immutable: share one between threads."""

    def __init__(self, model):
        if not isinstance(model, _spanguard.GlinerV1Model):
            raise ValueError("use GLiNER.from_pretrained(path)")
        self._model = model

    @classmethod
    def from_pretrained(cls, pretrained_model_name_or_path, precision="fp32", cache_dir=None, *,
                        revision=None, token=None, local_files_only=False,
                        relative_positions="hf", map_location=None, device=None,
                        load_tokenizer=None):
        """Loads a GLiNER v1 checkpoint: a local folder (gliner_config.json, model.safetensors or
        pytorch_model.bin, tokenizer.json or spm.model + added_tokens.json), a Hugging Face Hub id
        "ORG/NAME" or "ORG/NAME@REVISION", or an alias such as "gliner-multi-pii" (`spanguard
        models` lists them). Hub models are downloaded into the shared Hugging Face cache, as for
        GLiNER2.from_pretrained (HF_HOME, HF_HUB_CACHE, HF_TOKEN, HF_ENDPOINT and HF_HUB_OFFLINE
        are honoured); `cache_dir`, `revision`, `token` and `local_files_only` do what they do for
        huggingface_hub. Raises spanguard.LoadError naming the file and problem.
        `precision`: "fp32" (default) or "int8" (encoder layers quantized at load: faster, scores
        differ slightly). `relative_positions`: "hf" (what GLiNER runs) or "microsoft"
        (DeBERTa's original code); they differ only for inputs longer than 512 sub-tokens.
        `map_location` / `device`: only the CPU ("cpu" or None). `load_tokenizer`: accepted for
        gliner compatibility; the tokenizer is always the checkpoint folder's."""
        _checks.device(map_location, "map_location")
        _checks.device(device, "device")
        if precision not in ("fp32", "int8"):
            raise ValueError(f'precision must be "fp32" or "int8", got {precision!r}')
        if relative_positions not in _RELATIVE_POSITIONS:
            raise ValueError('relative_positions must be "hf" or "microsoft", got '
                             f"{relative_positions!r}")
        if token is not None and not isinstance(token, str):
            raise ValueError(f"token must be a string or None, got {type(token).__name__}")
        path = os.fspath(pretrained_model_name_or_path)
        if revision is not None:
            if not isinstance(revision, str) or not revision:
                raise ValueError(f"revision must be a non-empty string, got {revision!r}")
            if "@" in path:
                raise ValueError(f"{path!r} already names a revision; do not pass revision= too")
            if not os.path.exists(path):  # a local folder has no revisions
                path = f"{path}@{revision}"
        return cls(_spanguard.GlinerV1Model.load(
            path, precision, _RELATIVE_POSITIONS[relative_positions],
            "" if cache_dir is None else os.fspath(cache_dir), token or "",
            _checks.flag(local_files_only, "local_files_only")))

    @property
    def max_len(self):
        """Words per text the model reads in one pass (gliner_config.json's max_len)."""
        return self._model.max_len

    @property
    def max_width(self):
        """The longest span in words (span_mode markerV0)."""
        return self._model.max_width

    @property
    def span_mode(self):
        """"markerV0" or "token_level"."""
        return self._model.span_mode

    def __repr__(self):
        return (f"GLiNER({self._model.directory!r}, span_mode={self._model.span_mode!r}, "
                f"max_len={self._model.max_len})")

    # ------------------------------------------------------------------------------------------
    # Entities

    def _overlap(self, window_overlap):
        """64 words by default, a quarter of max_len for models that read fewer than 256."""
        if window_overlap is None:
            return min(64, self._model.max_len // 4)
        return _checks.non_negative_int(window_overlap, "window_overlap")

    def _predict(self, texts, labels, flat_ner, threshold, multi_label, batch_size, dedupe,
                 long_text, window_overlap):
        results = self._model.predict(
            texts, _labels(labels), _checks.threshold(threshold),
            _checks.flag(flat_ner, "flat_ner"), _checks.flag(multi_label, "multi_label"),
            _checks.positive_int(batch_size, "batch_size"), dedupe, _long_text(long_text),
            self._overlap(window_overlap))
        for result in results:
            for message in result["warnings"]:
                # Upstream's truncation warning, raised where the user called from.
                warnings.warn(message, UserWarning, stacklevel=3)
        return [result["entities"] for result in results]

    def predict_entities(self, text, labels, flat_ner=True, threshold=0.5, multi_label=False, *,
                         long_text="windows", window_overlap=None):
        """Entities of `labels` (entity type names; repeats are dropped, first kept) in `text`:
        [{"start", "end", "text", "label", "score"}] in text order. `flat_ner`: no overlapping
        entities (False: nested ones allowed, crossing ones not). `multi_label`: one span may
        carry several labels. `long_text`: "windows" (default: texts over max_len words are read
        in windows overlapping by `window_overlap` words, by default 64 or a quarter of max_len
        when that is less) or "truncate" (upstream: the first max_len words, with a
        UserWarning)."""
        return self._predict([_text(text)], labels, flat_ner, threshold, multi_label, 8, True,
                             long_text, window_overlap)[0]

    def batch_predict_entities(self, texts, labels, flat_ner=True, threshold=0.5,
                               multi_label=False, *, batch_size=8, long_text="windows",
                               window_overlap=None):
        """predict_entities over many texts (any sequence of str): one entity list per text, in
        order. `batch_size`: texts per encoder call (results do not depend on it)."""
        return self._predict(_checks.text_list(texts), labels, flat_ner, threshold, multi_label,
                             batch_size, True, long_text, window_overlap)

    def run(self, texts, labels, flat_ner=True, threshold=0.5, multi_label=False, batch_size=8, *,
            long_text="windows", window_overlap=None):
        """batch_predict_entities as upstream's run(): `labels` are used as given, repeats
        included (a repeated label can then be reported twice)."""
        return self._predict(_checks.text_list(texts), labels, flat_ner, threshold, multi_label,
                             batch_size, False, long_text, window_overlap)

    # ------------------------------------------------------------------------------------------
    # spanguard extras

    def redact(self, text, labels, threshold=0.5, *, flat_ner=True, multi_label=False,
               operators=None, include_original=False, long_text="windows", window_overlap=None):
        """`text` with the entities predict_entities finds rewritten: by default each becomes
        "<ENTITY_TYPE>", its label's canonical type ("person" -> <PERSON>, "email" ->
        <EMAIL_ADDRESS>; other labels upper-cased, "phone number" -> <PHONE_NUMBER>).
        `operators`: as for spanguard.redact_spans / GLiNER2.redact, keyed by label, canonical type
        or "default": {"type": "replace" | "mask" | "hash" | "encrypt" | "keep", ...}. Overlapping
        entities (flat_ner=False) are merged first. Returns {"text": redacted, "items": [{
        "entity_type", "label", "start", "end", "redacted_start", "redacted_end", "score",
        "operator", ...}]} (offsets in code points)."""
        entities = self.predict_entities(text, labels, flat_ner, threshold, multi_label,
                                         long_text=long_text, window_overlap=window_overlap)
        spans = [{"entity_type": e["label"], "start": e["start"], "end": e["end"],
                  "score": e["score"]} for e in entities]
        return redact_spans(text, spans, operators=operators, include_original=include_original)

    def batch_redact(self, texts, labels, threshold=0.5, *, flat_ner=True, multi_label=False,
                     operators=None, include_original=False, batch_size=8, long_text="windows",
                     window_overlap=None):
        """redact() over many texts, one result per text in order."""
        texts = _checks.text_list(texts)
        found = self.batch_predict_entities(texts, labels, flat_ner, threshold, multi_label,
                                            batch_size=batch_size, long_text=long_text,
                                            window_overlap=window_overlap)
        return [redact_spans(text, [{"entity_type": e["label"], "start": e["start"],
                                     "end": e["end"], "score": e["score"]} for e in entities],
                             operators=operators, include_original=include_original)
                for text, entities in zip(texts, found)]

    def display(self, text, labels, threshold=0.5, *, flat_ner=True, multi_label=False,
                colors=None, long_text="windows", window_overlap=None):
        """The entities of `text` as highlighted HTML (Jupyter shows it; str() gives the HTML).
        Of nested entities the outer one is drawn. `colors`: {label: CSS colour}."""
        entities = self.predict_entities(text, labels, flat_ner, threshold, multi_label,
                                         long_text=long_text, window_overlap=window_overlap)
        return EntityHTML(render_html(text, [(e["start"], e["end"], e["label"])
                                             for e in entities], colors))
