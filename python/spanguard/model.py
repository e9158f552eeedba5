"""`GLiNER2`: the reference gliner2 API over the C++ engine. Method names, argument order and
defaults follow the reference (and python/spanguard_reference/api.py); options after `threshold`
(after `batch_size, threshold` for batches) are keyword-only, because the reference's next
positional parameter is `format_results`. Results are plain dicts/lists/str/float in the
reference's shapes and key order.

A GLiNER2 is immutable: share one between threads. The engine runs with the GIL released.
"""

import os

from . import _checks, _spanguard
from ._cpu_model import CpuModel
from .rendering import EntityResult
from .safety import SafetyMixin
from .schema import SchemaBuilder, as_schema

CHUNK_SIZE = 384    # words per window of the *_long calls
CHUNK_OVERLAP = 64  # words shared by consecutive windows

_RELATIVE_POSITIONS = {"hf": "huggingface", "huggingface": "huggingface",
                       "microsoft": "microsoft"}


def _format_results(value):
    if value is not True:
        raise ValueError("format_results=False (the reference's raw internal results) is not "
                         "supported; results are always formatted")


def _wrap(result, text, include_spans):
    """The reference's Python types where JSON has none: relation pairs are (head, tail) tuples.
    Results with entity offsets render as highlighted text in Jupyter."""
    relations = result.get("relation_extraction")
    if isinstance(relations, dict):
        for name, pairs in relations.items():
            if isinstance(pairs, list):
                relations[name] = [tuple(p) if isinstance(p, list) else p for p in pairs]
    if include_spans and isinstance(result.get("entities"), dict) and result["entities"]:
        return EntityResult(result, text)
    return result


class GLiNER2(SafetyMixin, CpuModel):
    """A loaded GLiNER2 model: GLiNER2.from_pretrained(path) or spanguard.load(). Entities,
    classification, relations and JSON structures (extract*, classify_text*), long texts
    (*_long), PII redaction (redact, batch_redact) and moderation (moderate, batch_moderate).
    Immutable: share one between threads."""

    def __init__(self, model):
        if not isinstance(model, _spanguard.Model):
            raise ValueError("use GLiNER2.from_pretrained(path) or spanguard.load(path)")
        self._model = model

    @classmethod
    def from_pretrained(cls, path, relative_positions="hf", precision="fp32", *, device=None,
                        map_location=None):
        """Loads a GLiNER2 checkpoint: a local folder (config.json, encoder_config/,
        model.safetensors, tokenizer.json or spm.model + added_tokens.json), a Hugging Face Hub id
        "ORG/NAME" or "ORG/NAME@REVISION", or an alias such as "gliner2-base" (`spanguard models`
        lists them). Hub models are downloaded into the shared Hugging Face cache (HF_HOME,
        HF_HUB_CACHE; HF_TOKEN, HF_ENDPOINT and HF_HUB_OFFLINE are honoured) and used from it
        afterwards. Raises spanguard.LoadError naming the file and problem.
        `relative_positions`: "hf" (what GLiNER2 runs) or "microsoft" (DeBERTa's original code);
        they differ only for inputs longer than 512 sub-tokens. `precision`: "fp32" (default) or
        "int8" (encoder layers quantized to int8 at load: faster, scores differ slightly;
        bench/README.md). `device` / `map_location`: accepted for gliner2 compatibility; only the
        CPU ("cpu" or None) exists here, other devices are refused."""
        _checks.device(device, "device")
        _checks.device(map_location, "map_location")
        if relative_positions not in _RELATIVE_POSITIONS:
            raise ValueError('relative_positions must be "hf" or "microsoft", got '
                             f"{relative_positions!r}")
        if precision not in ("fp32", "int8"):
            raise ValueError(f'precision must be "fp32" or "int8", got {precision!r}')
        return cls(_spanguard.Model.load(os.fspath(path), _RELATIVE_POSITIONS[relative_positions],
                                         precision))

    @staticmethod
    def create_schema():
        """A schema builder: .entities(...), .classification(...), .relations(...),
        .structure(name).field(...), passed to extract()/batch_extract() as is."""
        return SchemaBuilder()

    def __repr__(self):
        return f"GLiNER2({self._model.directory!r}, hidden_size={self._model.hidden_size})"

    # ------------------------------------------------------------------------------------------
    # Single pass

    def batch_extract(self, texts, schema, batch_size=8, threshold=0.5, *,
                      include_confidence=False, include_spans=False, max_len=None,
                      format_results=True, progress=False):
        """One result per text, in order. `texts`: any sequence of str (list, tuple, pandas
        Series, numpy array, generator). `schema`: a Schema.from_dict dict, a Schema or a
        create_schema() builder; or a list with one of those per text. `progress`: a progress bar
        on stderr."""
        _format_results(format_results)
        texts = _checks.text_list(texts)
        if isinstance(schema, list):
            schema = [as_schema(s) for s in schema]
            if len(schema) != len(texts):
                raise ValueError(f"schema: {len(schema)} schemas for {len(texts)} texts")
        else:
            schema = as_schema(schema)
        include_spans = _checks.flag(include_spans, "include_spans")
        options = (_checks.positive_int(batch_size, "batch_size"), _checks.threshold(threshold),
                   _checks.flag(include_confidence, "include_confidence"), include_spans,
                   _checks.optional_positive_int(max_len, "max_len"))
        results = []
        for start, end in _checks.progress_chunks(texts, progress):
            part = schema[start:end] if isinstance(schema, list) else schema
            results += self._model.extract_batch(texts[start:end], part, *options)
        return [_wrap(r, t, include_spans) for r, t in zip(results, texts)]

    def extract(self, text, schema, threshold=0.5, *, include_confidence=False,
                include_spans=False, max_len=None, format_results=True):
        """The schema's results for one text: {"entities": {...}, task: label, "relation_extraction":
        {...}, structure: [...]} in the reference's shapes. Options: include_confidence,
        include_spans (code point offsets), max_len (words)."""
        _format_results(format_results)
        include_spans = _checks.flag(include_spans, "include_spans")
        result = self._model.extract(
            text, as_schema(schema), _checks.threshold(threshold),
            _checks.flag(include_confidence, "include_confidence"), include_spans,
            _checks.optional_positive_int(max_len, "max_len"))
        return _wrap(result, text, include_spans)

    def batch_extract_entities(self, texts, entity_types, batch_size=8, threshold=0.5, **options):
        """extract_entities over many texts (options as batch_extract)."""
        return self.batch_extract(texts, _spanguard.Schema.from_entity_types(entity_types),
                                  batch_size, threshold, **options)

    def extract_entities(self, text, entity_types, threshold=0.5, **options):
        """`entity_types`: a list of names, or {name: description | {"description", "threshold",
        "dtype"}}. Options: include_confidence, include_spans, max_len."""
        return self.extract(text, _spanguard.Schema.from_entity_types(entity_types), threshold,
                            **options)

    def batch_classify_text(self, texts, tasks, batch_size=8, threshold=0.5, **options):
        """classify_text over many texts. `threshold` is accepted but, as in the reference,
        classification uses each task's cls_threshold."""
        return self.batch_extract(texts, _spanguard.Schema.from_classification_tasks(tasks),
                                  batch_size, threshold, **options)

    def classify_text(self, text, tasks, threshold=0.5, **options):
        """`tasks`: {task: [labels] | {label: description} | {"labels", "multi_label",
        "cls_threshold", "examples", "prompt", "class_act"}}."""
        return self.extract(text, _spanguard.Schema.from_classification_tasks(tasks), threshold,
                            **options)

    def batch_extract_relations(self, texts, relation_types, batch_size=8, threshold=0.5,
                                **options):
        """extract_relations over many texts (options as batch_extract)."""
        return self.batch_extract(texts, _spanguard.Schema.from_relation_types(relation_types),
                                  batch_size, threshold, **options)

    def extract_relations(self, text, relation_types, threshold=0.5, **options):
        """`relation_types`: a list of names or {name: description}; results are (head, tail)
        pairs per relation under "relation_extraction"."""
        return self.extract(text, _spanguard.Schema.from_relation_types(relation_types),
                            threshold, **options)

    def batch_extract_json(self, texts, structures, batch_size=8, threshold=0.5, **options):
        """extract_json over many texts (options as batch_extract)."""
        return self.batch_extract(texts, _spanguard.Schema.from_structures(structures),
                                  batch_size, threshold, **options)

    def extract_json(self, text, structures, threshold=0.5, **options):
        """`structures`: {name: ["field::str::description", {"name": ..., ...}, ...]}."""
        return self.extract(text, _spanguard.Schema.from_structures(structures), threshold,
                            **options)

    def classification_probabilities(self, texts, tasks, batch_size=8):
        """Every label's probability per classification task, per text: [{task: {label: p}}].
        `tasks` as for classify_text (or any schema; its other sections are ignored)."""
        schema = tasks if isinstance(tasks, _spanguard.Schema) else \
            _spanguard.Schema.from_classification_tasks(tasks)
        return self._model.classification_probabilities(
            _checks.text_list(texts), schema, _checks.positive_int(batch_size, "batch_size"))

    # ------------------------------------------------------------------------------------------
    # Long documents: windows of chunk_size words overlapping by chunk_overlap, merged. Offsets
    # index the text as given.

    def batch_extract_long(self, texts, schema, chunk_size=CHUNK_SIZE,
                           chunk_overlap=CHUNK_OVERLAP, batch_size=8, threshold=0.5,
                           include_confidence=False, include_spans=False):
        """extract_long over many texts; windows of all texts share encoder batches."""
        texts = _checks.text_list(texts)
        if isinstance(schema, list):
            schema = [as_schema(s) for s in schema]
        else:
            schema = as_schema(schema)
        include_spans = _checks.flag(include_spans, "include_spans")
        results = self._model.extract_batch_long(
            texts, schema, _checks.positive_int(chunk_size, "chunk_size"),
            _checks.non_negative_int(chunk_overlap, "chunk_overlap"),
            _checks.positive_int(batch_size, "batch_size"), _checks.threshold(threshold),
            _checks.flag(include_confidence, "include_confidence"), include_spans)
        return [_wrap(r, t, include_spans) for r, t in zip(results, texts)]

    def extract_long(self, text, schema, chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP,
                     batch_size=8, threshold=0.5, include_confidence=False, include_spans=False):
        """A text of any length: windows of chunk_size words overlapping by chunk_overlap, each
        run as extract() would, results merged; offsets index the text as given."""
        include_spans = _checks.flag(include_spans, "include_spans")
        result = self._model.extract_long(
            text, as_schema(schema), _checks.positive_int(chunk_size, "chunk_size"),
            _checks.non_negative_int(chunk_overlap, "chunk_overlap"),
            _checks.positive_int(batch_size, "batch_size"), _checks.threshold(threshold),
            _checks.flag(include_confidence, "include_confidence"), include_spans)
        return _wrap(result, text, include_spans)

    def extract_entities_long(self, text, entity_types, **options):
        """extract_entities on a text of any length (options as extract_long)."""
        return self.extract_long(text, _spanguard.Schema.from_entity_types(entity_types),
                                 **options)

    def extract_relations_long(self, text, relation_types, **options):
        """extract_relations on a text of any length (options as extract_long)."""
        return self.extract_long(text, _spanguard.Schema.from_relation_types(relation_types),
                                 **options)

    def extract_json_long(self, text, structures, **options):
        """extract_json on a text of any length (options as extract_long)."""
        return self.extract_long(text, _spanguard.Schema.from_structures(structures), **options)

    def classify_text_long(self, text, tasks, **options):
        """classify_text on a text of any length: each task's most confident window (options as
        extract_long)."""
        return self.extract_long(text, _spanguard.Schema.from_classification_tasks(tasks),
                                 **options)
