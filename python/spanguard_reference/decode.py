"""Decoding the heads' outputs into per-task results (GLINER2.md §4.1-§4.5).

Produces "raw" results that always carry confidences and character offsets; formatting.py turns
them into the API's JSON shapes. A span item is a dict {"text", "confidence", "start", "end"}
(offsets: code points, half-open, into the text after the end-of-text rule); a choice item is
{"text", "confidence"}.

Raw result per block kind:
  structure       None when the count is 0, else a list of instances, each an ordered dict
                  field -> item | None (str fields) or list of items (list fields)
  entities        None when the count is 0, else an ordered dict type -> list of items
                  (confidence order) or item | None (dtype "str")
  relation        list of (head item, tail item)
  classification  (label, confidence) or, multi-label, a list of them
"""

import re

import numpy as np
import torch

from .inputs import CLASSIFICATION, ENTITIES, RELATION, STRUCTURE


def _f32(x):
    return np.float32(x)


def span_candidates(probs, x, threshold):
    """probs [N_text, K] of one (instance, field) -> items with prob >= threshold (compared in
    float32), in positional order (start word ascending, then width). Only the rows of real words
    are read (the choice prefix comes first and is skipped)."""
    words = x.words
    n = len(words)
    rows = probs[len(x.prefix):].numpy()
    hits = np.argwhere(rows >= _f32(threshold))  # row-major: start, then width
    out = []
    for i, k in hits:
        i, k = int(i), int(k)
        if i + k + 1 > n:
            continue
        start, end = words[i].start, words[i + k].end
        text = x.text[start:end].strip()
        if not text:
            continue
        out.append({"text": text, "confidence": float(rows[i, k]), "start": start, "end": end})
    return out


def greedy_non_overlap(items):
    """Most confident first (ties: earlier start, then earlier end); drop spans overlapping a kept
    one. Result in that confidence order."""
    kept = []
    for c in sorted(items, key=lambda s: (-s["confidence"], s["start"], s["end"])):
        if all(c["end"] <= k["start"] or c["start"] >= k["end"] for k in kept):
            kept.append(c)
    return kept


def _passes(text, validators):
    for v in validators:
        flags = re.IGNORECASE if v.case_insensitive else 0
        if v.mode == "full":
            ok = re.fullmatch(v.pattern, text, flags) is not None
        else:
            ok = re.search(v.pattern, text, flags) is not None
        if ok == v.exclude:
            return False
    return True


def _threshold(own, default):
    return default if own is None else own


def _choice_value(field, probs, x, threshold):
    """Choice field of one instance: each choice is scored at the first choice-prefix token equal
    to it case-insensitively (width 0)."""
    lowered = [t.lower() for t in x.prefix]
    scored = []
    for choice in field.choices:
        pos = lowered.index(choice.lower())
        scored.append((choice, probs[pos, 0]))
    thr = _f32(threshold)
    if field.dtype == "list":
        out, seen = [], set()
        for choice, p in scored:
            if p.numpy() >= thr and choice not in seen:
                seen.add(choice)
                out.append({"text": choice, "confidence": float(p)})
        return out
    best = max(range(len(scored)), key=lambda j: (float(scored[j][1]), -j))
    choice, p = scored[best]
    return {"text": choice, "confidence": float(p)} if p.numpy() >= thr else None


def decode_structure(out, x, threshold):
    s = out.positions.block.task
    if not out.count:
        return None
    instances = []
    for t in range(out.count):
        inst = {}
        for m, field in enumerate(s.fields):
            thr = _threshold(field.threshold, threshold)
            probs = out.span_probs[t, m]
            if field.choices:
                inst[field.name] = _choice_value(field, probs, x, thr)
                continue
            cands = [c for c in span_candidates(probs, x, thr)
                     if _passes(c["text"], field.validators)]
            if field.dtype == "str":
                inst[field.name] = cands[0] if cands else None
            else:
                inst[field.name] = greedy_non_overlap(cands)
        if any(v is not None and v != [] for v in inst.values()):
            instances.append(inst)
    return instances


def decode_entities(out, x, threshold):
    if not out.count:
        return None
    result = {}
    # Instance 0 only (GLINER2.md §4.2).
    for m, e in enumerate(out.positions.block.task):
        kept = greedy_non_overlap(span_candidates(out.span_probs[0, m], x,
                                                  _threshold(e.threshold, threshold)))
        result[e.name] = kept
    return result


def decode_relation(out, x, threshold):
    r = out.positions.block.task
    pairs = []
    thr = _threshold(r.threshold, threshold)
    for t in range(out.count or 0):
        head = span_candidates(out.span_probs[t, 0], x, thr)
        tail = span_candidates(out.span_probs[t, 1], x, thr)
        if head and tail:
            pairs.append((head[0], tail[0]))
    return pairs


def classification_probs(task, logits):
    act = task.class_act
    if act == "auto":
        act = "sigmoid" if task.multi_label else "softmax"
    return torch.sigmoid(logits) if act == "sigmoid" else torch.softmax(logits, dim=-1)


def decode_classification(out, x, threshold):
    task = out.positions.block.task
    probs = classification_probs(task, out.class_logits)
    names = [label.name for label in task.labels]
    best = int(torch.argmax(probs))
    if not task.multi_label:
        return (names[best], float(probs[best]))
    # float32 probabilities promoted to double against the double threshold.
    chosen = [(n, float(p)) for n, p in zip(names, probs) if float(p) >= task.cls_threshold]
    return chosen or [(names[best], float(probs[best]))]


_DECODERS = {STRUCTURE: decode_structure, ENTITIES: decode_entities, RELATION: decode_relation,
             CLASSIFICATION: decode_classification}


def decode(outputs, x, threshold):
    """-> list of (block, raw result) in block order."""
    return [(o.positions.block, _DECODERS[o.positions.block.kind](o, x, threshold))
            for o in outputs]
