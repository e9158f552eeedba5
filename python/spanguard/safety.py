"""PII redaction and safety moderation: the GLiNER2 methods (a mixin) and the model-free
functions.

    clean = model.redact("Mail jo@x.org", preset="common",
                         operators={"email": {"type": "mask", "chars_to_mask": 4,
                                              "from_end": True}})
    # {"text": "Mail jo@x****", "items": [{"entity_type": "EMAIL_ADDRESS",
    #  "recognizer": "EmailRecognizer", "start": 5, "end": 13, ...}]}
    verdict = model.moderate(prompt="how do I build a bomb?")   # GLiGuard's policy
    # {"verdict": "unsafe", "prompt": {"unsafe": True, "flagged": [...], "tasks": {...}}}

Items carry the canonical entity type ("PERSON", "CREDIT_CARD", ...), the model label that fired
("label") and the recognizer ("model" or a pattern recognizer such as "IbanRecognizer"). Operators
are keyed by canonical type or by any label, plus "default": {"type": "replace", "new_value": "<{entity_type}>"},
{"type": "mask", "masking_char": "*", "chars_to_mask": 4, "from_end": False},
{"type": "hash", "salt": ...}, {"type": "encrypt", "key": ...} (16, 24 or 32 bytes; bytes or
str), {"type": "keep"}. Offsets are code points into the text as given, so text[start:end] is the
detected value.
"""

from . import _checks, _spanguard

_VALIDATE = ("off", "annotate", "reject")


def _operators(operators):
    """The redaction.h JSON form: bytes keys and salts travel as hex."""
    if operators is None:
        return None
    if not isinstance(operators, dict):
        raise ValueError(f"operators must be a dict of label -> operator, got "
                         f"{type(operators).__name__}")
    out = {}
    for label, op in operators.items():
        if isinstance(op, dict):
            op = dict(op)
            for name in ("key", "salt"):
                if isinstance(op.get(name), (bytes, bytearray)):
                    op[name + "_hex"] = bytes(op.pop(name)).hex()
        out[label] = op
    return out


def _labels(labels, preset, entity_types=None, custom_recognizers=None):
    """`preset`'s labels followed by `labels` (a name or list of names), without repeats."""
    if labels is None and preset is None and not entity_types and custom_recognizers is None:
        raise ValueError("give labels=[...], preset=..., entity_types=[...] or "
                         "custom_recognizers=... (presets: "
                         f"{', '.join(_spanguard.pii_preset_names())})")
    out = [] if preset is None else list(pii_preset(preset))
    if labels is not None:
        extra = [labels] if isinstance(labels, str) else _checks.text_list(labels, "labels")
        out += [label for label in extra if label not in out]
    return out


def _validate(value):
    if value not in _VALIDATE:
        raise ValueError(f'validate must be "off", "annotate" or "reject", got {value!r}')
    return value


def _detectors(preset, recognizers, entity_types, custom_recognizers, default_region,
               chunk_size, chunk_overlap):
    """The keyword arguments of the binding's detector options."""
    if isinstance(recognizers, str):
        recognizers = [r.strip() for r in recognizers.split(",")]
    recognizers = list(recognizers)
    types = [] if preset is None else list(_spanguard.pii_preset_entity_types(preset))
    if entity_types is not None:
        types += [entity_types] if isinstance(entity_types, str) else list(entity_types)
    if isinstance(default_region, str):
        default_region = [r.strip().upper() for r in default_region.split(",")]
    return dict(recognizers=recognizers, entity_types=types,
                custom_recognizers=custom_recognizers, default_region=default_region,
                chunk_size=_checks.positive_int(chunk_size, "chunk_size"),
                chunk_overlap=_checks.non_negative_int(chunk_overlap, "chunk_overlap"))


class SafetyMixin:
    def redact(self, text, labels=None, *, preset=None, operators=None, threshold=0.5,
               validate="off", include_original=False, recognizers=("model", "patterns"),
               entity_types=None, custom_recognizers=None, default_region="US",
               chunk_size=128, chunk_overlap=32, format="spanguard"):
        """Finds `labels` (and/or a `preset`'s, see pii_preset) in `text` with the model and the
        pattern recognizers, merges their spans and rewrites each with its operator (default:
        "<ENTITY_TYPE>"). `recognizers`: "model", "patterns" or both (a list or "model,patterns").
        `entity_types`: canonical types the pattern recognizers look for besides the labels'
        ("URL", "CRYPTO", ...). `custom_recognizers`: {"recognizers": [{"name", "entity_type",
        "patterns": [{"regex", "score"}], "context", "deny_list"}]}. `default_region`: regions
        (e.g. "US" or "GB,DE") whose national phone formats are recognized. `chunk_size` /
        `chunk_overlap`: model windows in words. `validate`: "off", "annotate" (items of
        validated types get "valid") or "reject" (spans failing their validator are dropped).
        Returns {"text": redacted, "items": [{"entity_type", "label", "recognizer", "start",
        "end", "redacted_start", "redacted_end", "score", "operator", ["valid"], ["text" with
        include_original]}]}, or Presidio's {"analyzer_results", "anonymizer_result"} with
        format="presidio"."""
        result = _spanguard.redact(
            self._model, text, _labels(labels, preset, entity_types, custom_recognizers),
            _operators(operators), _checks.threshold(threshold), _validate(validate),
            _checks.flag(include_original, "include_original"),
            **_detectors(preset, recognizers, entity_types, custom_recognizers, default_region,
                         chunk_size, chunk_overlap))
        return _shaped(result, format)

    def batch_redact(self, texts, labels=None, *, preset=None, operators=None, threshold=0.5,
                     validate="off", include_original=False, batch_size=8,
                     recognizers=("model", "patterns"), entity_types=None,
                     custom_recognizers=None, default_region="US", chunk_size=128,
                     chunk_overlap=32, format="spanguard", progress=False):
        """redact() over any sequence of texts (list, tuple, pandas Series, numpy array,
        generator); one result per text, in order. `progress`: a progress bar on stderr."""
        texts = _checks.text_list(texts)
        arguments = (_labels(labels, preset, entity_types, custom_recognizers),
                     _operators(operators), _checks.threshold(threshold), _validate(validate),
                     _checks.flag(include_original, "include_original"),
                     _checks.positive_int(batch_size, "batch_size"))
        detectors = _detectors(preset, recognizers, entity_types, custom_recognizers,
                               default_region, chunk_size, chunk_overlap)
        results = []
        for start, end in _checks.progress_chunks(texts, progress):
            results += _spanguard.redact_batch(self._model, texts[start:end], *arguments,
                                               **detectors)
        return [_shaped(r, format) for r in results]

    def moderate(self, prompt=None, response=None, *, policy=None):
        """Moderates a user prompt and/or a model response (at least one). `policy`: None for
        GLiGuard's (gliguard_policy()), or a policy dict of that shape. Returns {"verdict":
        "safe"|"unsafe", "prompt": {...}, "response": {...}} (a side only when given)."""
        return _spanguard.moderate(self._model, prompt, response, policy)

    def batch_moderate(self, inputs, *, policy=None, batch_size=8, progress=False):
        """`inputs`: any sequence of {"prompt": ..., "response": ...} dicts (either may be left
        out) or of prompt strings (list, tuple, pandas Series, generator). `progress`: a progress
        bar on stderr. One result per input, in order."""
        if isinstance(inputs, (str, bytes, dict)) or inputs is None:
            raise ValueError("inputs must be a sequence of prompt strings or {prompt, response} "
                             f"dicts, got {type(inputs).__name__}")
        inputs = inputs.tolist() if hasattr(inputs, "tolist") else list(inputs)
        inputs = [{"prompt": x} if isinstance(x, str) else x for x in inputs]
        batch_size = _checks.positive_int(batch_size, "batch_size")
        results = []
        for start, end in _checks.progress_chunks(inputs, progress, "inputs"):
            results += _spanguard.moderate_batch(self._model, inputs[start:end], policy, batch_size)
        return results


def _shaped(result, format):
    if format == "spanguard":
        return result
    if format == "presidio":
        return _spanguard.redaction_to_presidio(result)
    raise ValueError(f'format must be "spanguard" or "presidio", got {format!r}')


def to_presidio(result):
    """A redaction result in Presidio's shapes: {"analyzer_results": [{"entity_type", "start",
    "end", "score", "analysis_explanation", "recognition_metadata"}], "anonymizer_result":
    {"text", "items": [{"start", "end", "entity_type", "text", "operator"}]}}."""
    return _spanguard.redaction_to_presidio(result)


def deanonymize(text, items, key):
    """Decrypts every "encrypt" item of a redaction result in its redacted `text` with `key`
    (bytes, or str as UTF-8); other items stay as they are. Raises ValueError when a token does
    not authenticate (wrong key, or the text or a label was altered)."""
    if isinstance(key, bytearray):
        key = bytes(key)
    return _spanguard.deanonymize(text, items, key)


def redact_spans(text, spans, *, operators=None, validate="off", include_original=False):
    """Redacts caller-given spans [{"entity_type", "start", "end", "score"}] (code points) with
    no model: overlap resolution, validation and operators only."""
    return _spanguard.redact_spans(text, spans, _operators(operators), _validate(validate),
                                   _checks.flag(include_original, "include_original"))


def pii_preset(name):
    """A named label set: "pii" (GLiNER2-PII's 42 labels) or "common" (a short everyday set)."""
    if not isinstance(name, str):
        raise ValueError(f"preset must be a string, got {type(name).__name__}")
    return _spanguard.pii_preset(name)


def pii_preset_names():
    """The names pii_preset() knows: "pii" and "common"."""
    return _spanguard.pii_preset_names()


def gliguard_policy(threshold=0.5):
    """GLiGuard's moderation policy as a dict (edit it and pass it as `policy=`). `threshold`:
    the single-label tasks' operating threshold."""
    return _spanguard.gliguard_policy(_checks.threshold(threshold))
