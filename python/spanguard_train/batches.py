"""Training records -> (schema, text) requests -> reference ModelInputs plus loss targets.

The inputs are built with spanguard_reference.inputs.build_input, the very function whose output
the C++ engine is tested against, so training sees byte-identical ids and positions.

Entity-block count target: always 1 (GLiNER2 puts every entity in instance 0 and the engine gates
entities on argmax count > 0, so the count head must say 1 whatever the text; empty texts are
handled by the span scores alone).
"""

import dataclasses
import random
from typing import List, Optional

import torch

from spanguard_reference.inputs import CLASSIFICATION, build_input
from spanguard_reference.schema import parse_schema_dict
from spanguard_reference.words import apply_end_of_text_rule, split_words

from .pii_synth import PII_LABELS


@dataclasses.dataclass
class Example:
    x: object  # ModelInput
    # entity block: list of (label index, start word, end word inclusive)
    spans: Optional[list] = None
    # per classification block (in block order): (multi_label, target tensor, mask tensor)
    cls: List[tuple] = dataclasses.field(default_factory=list)


def word_spans(text, char_spans, max_width):
    """[[start, end, label]] (code points, text before the end-of-text rule) -> [(label, i, j)];
    spans not on word boundaries or wider than max_width words are dropped."""
    words = split_words(apply_end_of_text_rule(text))
    starts = {w.start: i for i, w in enumerate(words)}
    ends = {w.end: i for i, w in enumerate(words)}
    out = []
    for s, e, label in char_spans:
        if s in starts and e in ends and 0 <= ends[e] - starts[s] < max_width:
            out.append((label, starts[s], ends[e]))
    return out


def entity_labels_for(record, rng, p_full=0.5):
    """Entity types of the prompt: for PII, the full 42-label list (as users call it) half of the
    time, else the labels present plus random distractors, shuffled."""
    if record.get("kind") == "ner":
        return list(record["labels"])
    if rng.random() < p_full:
        labels = list(PII_LABELS)
        if rng.random() < 0.3:
            rng.shuffle(labels)
        return labels
    present = sorted({l for _, _, l in record["entities"]})
    others = [l for l in PII_LABELS if l not in present]
    n = rng.randint(max(len(present), 4), 20) - len(present)
    labels = present + rng.sample(others, max(0, min(n, len(others))))
    rng.shuffle(labels)
    return labels


def make_example(tokenizer, record, rng, guard, max_width):
    kind = record.get("kind", "pii")
    if kind in ("pii", "ner"):
        labels = entity_labels_for(record, rng)
        schema = parse_schema_dict({"entities": labels})
        x = build_input(tokenizer, schema, record["text"])
        index = {l: i for i, l in enumerate(labels)}
        spans = [(index[l], i, j) for l, i, j in word_spans(record["text"], record["entities"],
                                                             max_width) if l in index]
        return Example(x, spans=spans)
    if kind == "cls":
        schema = parse_schema_dict({"classifications": [
            {"task": record["task"], "labels": record["labels"]}]})
        x = build_input(tokenizer, schema, record["text"])
        target = torch.tensor(record["labels"].index(record["gold"]))
        return Example(x, cls=[(False, target, None)])
    if kind == "mod":
        tasks = []
        for task, cfg in guard.items():
            tasks.append({"task": task, "labels": cfg["labels"], "multi_label": cfg["multi_label"]})
        x = build_input(tokenizer, parse_schema_dict({"classifications": tasks}), record["text"])
        cls = []
        for task, cfg in guard.items():
            t = record["targets"][task]
            if not cfg["multi_label"]:
                gold = [l for l in cfg["labels"] if t.get(l) == 1]
                cls.append((False, torch.tensor(cfg["labels"].index(gold[0])), None))
            else:
                target = torch.tensor([float(t.get(l, 0)) for l in cfg["labels"]])
                mask = torch.tensor([float(l in t) for l in cfg["labels"]])
                cls.append((True, target, mask))
        return Example(x, cls=cls)
    raise ValueError(f"unknown record kind {kind!r}")


def pad(examples):
    S = max(len(e.x.input_ids) for e in examples)
    ids = torch.zeros(len(examples), S, dtype=torch.int64)
    mask = torch.zeros(len(examples), S, dtype=torch.int64)
    for b, e in enumerate(examples):
        n = len(e.x.input_ids)
        ids[b, :n] = torch.tensor(e.x.input_ids)
        mask[b, :n] = 1
    return ids, mask


class Mixture:
    """Samples records from several pools with fixed probabilities (seeded)."""

    def __init__(self, pools, weights, seed):
        self.pools = [p for p in pools]
        self.weights = weights
        self.rng = random.Random(seed)

    def sample(self):
        pool = self.rng.choices(self.pools, weights=self.weights)[0]
        return pool[self.rng.randrange(len(pool))]


def is_classification(block_positions):
    return block_positions.block.kind == CLASSIFICATION
