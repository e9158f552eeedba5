"""Evaluation metrics of the default model: span-level exact match and classification scores."""

from collections import defaultdict


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def span_scores(gold_docs, pred_docs, labels):
    """gold_docs / pred_docs: per document a set of (start, end, label). An exact match needs the
    same code-point offsets and label. -> {"micro": (p, r, f, support), label: (...)}"""
    counts = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    for gold, pred in zip(gold_docs, pred_docs):
        for s in pred:
            counts[s[2]][0 if s in gold else 1] += 1
        for s in gold:
            if s not in pred:
                counts[s[2]][2] += 1
    out = {}
    total = [0, 0, 0]
    for label in labels:
        tp, fp, fn = counts[label]
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
        out[label] = prf(tp, fp, fn) + (tp + fn,)
    out["micro"] = prf(*total) + (total[0] + total[2],)
    return out


def entity_set(result, labels):
    """A formatted extraction result (include_spans) -> set of (start, end, label)."""
    ents = (result or {}).get("entities") or {}
    out = set()
    for label in labels:
        for item in ents.get(label) or []:
            out.add((item["start"], item["end"], label))
    return out


def gliguard_unsafe(result):
    """GLiGuard's prompt decision rule (GLINER2.md §7.1) on a formatted result with confidences:
    unsafe iff prompt_safety = unsafe or any non-benign toxicity / jailbreak label is flagged."""
    safety = result.get("prompt_safety")
    label = safety["label"] if isinstance(safety, dict) else safety
    if label == "unsafe":
        return True
    for task in ("prompt_toxicity", "jailbreak_detection"):
        for item in result.get(task) or []:
            name = item["label"] if isinstance(item, dict) else item
            if name != "benign":
                return True
    return False


def multilabel_set(result, task):
    return {i["label"] if isinstance(i, dict) else i for i in (result.get(task) or [])}


def single_label(result, task):
    v = result.get(task)
    return v["label"] if isinstance(v, dict) else v
