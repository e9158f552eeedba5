"""The user-facing API, mirroring the reference GLiNER2 methods and result shapes (GLINER2.md
§4.6-§4.7):

    model = GLiNER2.from_pretrained("/path/to/checkpoint")
    model.extract_entities(text, ["person", "company"], include_confidence=True)
    model.classify_text(text, {"sentiment": ["positive", "negative"]})
    model.extract_relations(text, ["works_for"])
    model.extract_json(text, {"order": ["id::str", "items::list"]})
    model.extract(text, model.create_schema().entities([...]).relations([...]))
    model.batch_extract_entities(texts, ...), batch_classify_text, batch_extract_relations,
    batch_extract_json, batch_extract
    model.extract_long(text, schema), batch_extract_long, extract_entities_long, ...

Batches are run `batch_size` inputs per encoder call (default 8), right-padded.
"""

from . import long_text, schema as schema_mod
from .checkpoint import load_checkpoint
from .decode import decode
from .formatting import format_results
from .inputs import build_input
from .model import GlinerModel
from .tokenization import GlinerTokenizer


class GLiNER2:
    def __init__(self, checkpoint, tokenizer, relative_positions="hf"):
        self.checkpoint = checkpoint
        self.tokenizer = tokenizer
        self.model = GlinerModel(checkpoint, relative_positions=relative_positions)

    @classmethod
    def from_pretrained(cls, path, relative_positions="hf"):
        """`relative_positions`: "hf" (GLINER2.md §5, what GLiNER2 runs) or "microsoft" (what the
        upstream parity goldens used); they differ only beyond 512 sub-tokens, see deberta.py."""
        return cls(load_checkpoint(path), GlinerTokenizer.from_checkpoint(path),
                   relative_positions=relative_positions)

    @staticmethod
    def create_schema():
        return schema_mod.SchemaBuilder()

    # ------------------------------------------------------------------------------------------
    # Core: schema + texts -> formatted results

    def _run(self, texts, schema, threshold, batch_size, include_confidence, include_spans,
             max_len=None):
        if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
            raise ValueError("texts must be a list of strings")
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) \
                or not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be a number within [0, 1], got {threshold!r}")
        inputs = []
        for i, text in enumerate(texts):
            try:
                inputs.append(build_input(self.tokenizer, schema, text, max_len))
            except ValueError as e:
                raise ValueError(f"texts[{i}]: {e}") from None
        results = []
        for b in range(0, len(inputs), batch_size):
            chunk = inputs[b:b + batch_size]
            for x, outputs in zip(chunk, self.model.forward(chunk)):
                results.append(format_results(decode(outputs, x, threshold),
                                              include_confidence, include_spans))
        return results

    # ------------------------------------------------------------------------------------------
    # Reference API

    def batch_extract(self, texts, schema, batch_size=8, threshold=0.5, include_confidence=False,
                      include_spans=False, max_len=None):
        return self._run(texts, schema_mod.as_schema(schema), threshold, batch_size,
                         include_confidence, include_spans, max_len)

    def extract(self, text, schema, threshold=0.5, include_confidence=False,
                include_spans=False, max_len=None):
        return self.batch_extract([text], schema, 1, threshold, include_confidence,
                                  include_spans, max_len)[0]

    def batch_extract_entities(self, texts, entity_types, batch_size=8, threshold=0.5,
                               include_confidence=False, include_spans=False, max_len=None):
        return self.batch_extract(texts, schema_mod.parse_entity_types(entity_types), batch_size,
                                  threshold, include_confidence, include_spans, max_len)

    def extract_entities(self, text, entity_types, threshold=0.5, include_confidence=False,
                         include_spans=False, max_len=None):
        return self.batch_extract_entities([text], entity_types, 1, threshold,
                                           include_confidence, include_spans, max_len)[0]

    def batch_classify_text(self, texts, tasks, batch_size=8, threshold=0.5,
                            include_confidence=False, include_spans=False, max_len=None):
        # `threshold` is accepted but, as in the reference, not used for classification.
        return self.batch_extract(texts, schema_mod.parse_classification_tasks(tasks),
                                  batch_size, threshold, include_confidence, include_spans,
                                  max_len)

    def classify_text(self, text, tasks, threshold=0.5, include_confidence=False,
                      include_spans=False, max_len=None):
        return self.batch_classify_text([text], tasks, 1, threshold, include_confidence,
                                        include_spans, max_len)[0]

    def batch_extract_relations(self, texts, relation_types, batch_size=8, threshold=0.5,
                                include_confidence=False, include_spans=False, max_len=None):
        return self.batch_extract(texts, schema_mod.parse_relation_types(relation_types),
                                  batch_size, threshold, include_confidence, include_spans,
                                  max_len)

    def extract_relations(self, text, relation_types, threshold=0.5, include_confidence=False,
                          include_spans=False, max_len=None):
        return self.batch_extract_relations([text], relation_types, 1, threshold,
                                            include_confidence, include_spans, max_len)[0]

    def batch_extract_json(self, texts, structures, batch_size=8, threshold=0.5,
                           include_confidence=False, include_spans=False, max_len=None):
        return self.batch_extract(texts, schema_mod.parse_structures(structures), batch_size,
                                  threshold, include_confidence, include_spans, max_len)

    def extract_json(self, text, structures, threshold=0.5, include_confidence=False,
                     include_spans=False, max_len=None):
        return self.batch_extract_json([text], structures, 1, threshold, include_confidence,
                                       include_spans, max_len)[0]

    # ------------------------------------------------------------------------------------------
    # Long documents (GLINER2.md §4.7)

    def batch_extract_long(self, texts, schema, chunk_size=long_text.CHUNK_SIZE,
                           chunk_overlap=long_text.CHUNK_OVERLAP, batch_size=8, threshold=0.5,
                           include_confidence=False, include_spans=False):
        schema = schema_mod.as_schema(schema)
        if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
            raise ValueError("texts must be a list of strings")
        windows = []  # (document index, window)
        for d, text in enumerate(texts):
            if not isinstance(text, str):
                raise ValueError(f"texts[{d}]: text must be a string")
            windows += [(d, w) for w in long_text.split_windows(text, chunk_size, chunk_overlap)]
        chunk_results = self._run([w.text for _, w in windows], schema, threshold, batch_size,
                                  True, True, max_len=chunk_size)
        per_doc = [[] for _ in texts]
        for (d, w), result in zip(windows, chunk_results):
            per_doc[d].append(long_text.shift_result(result, w, texts[d]))
        return [long_text.strip_flags(long_text.merge_results(parts, schema),
                                      include_confidence, include_spans)
                for parts in per_doc]

    def extract_long(self, text, schema, chunk_size=long_text.CHUNK_SIZE,
                     chunk_overlap=long_text.CHUNK_OVERLAP, batch_size=8, threshold=0.5,
                     include_confidence=False, include_spans=False):
        return self.batch_extract_long([text], schema, chunk_size, chunk_overlap, batch_size,
                                       threshold, include_confidence, include_spans)[0]

    def extract_entities_long(self, text, entity_types, **kwargs):
        return self.extract_long(text, schema_mod.parse_entity_types(entity_types), **kwargs)

    def extract_relations_long(self, text, relation_types, **kwargs):
        return self.extract_long(text, schema_mod.parse_relation_types(relation_types), **kwargs)

    def extract_json_long(self, text, structures, **kwargs):
        return self.extract_long(text, schema_mod.parse_structures(structures), **kwargs)

    def classify_text_long(self, text, tasks, **kwargs):
        return self.extract_long(text, schema_mod.parse_classification_tasks(tasks), **kwargs)
