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


def overlap_span_scores(gold_docs, pred_docs, labels):
    """Like span_scores, but a predicted span is right when it overlaps a gold span of its label
    (and a gold span is found when a predicted span of its label overlaps it): credit for finding
    a value even with a word too many or too few, as a redaction that covers most of it."""
    counts = defaultdict(lambda: [0, 0, 0, 0])  # matched pred, pred, found gold, gold

    def overlaps(a, b):
        return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]

    for gold, pred in zip(gold_docs, pred_docs):
        for s in pred:
            counts[s[2]][1] += 1
            counts[s[2]][0] += any(overlaps(s, g) for g in gold)
        for g in gold:
            counts[g[2]][3] += 1
            counts[g[2]][2] += any(overlaps(g, s) for s in pred)
    out = {}
    total = [0, 0, 0, 0]
    for label in labels:
        c = counts[label]
        total = [t + x for t, x in zip(total, c)]
        out[label] = _overlap_prf(c)
    out["micro"] = _overlap_prf(total)
    return out


def _overlap_prf(c):
    matched, pred, found, gold = c
    p = matched / pred if pred else 0.0
    r = found / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, gold


def p_unsafe(result):
    """prompt_safety's probability of "unsafe" from a result with confidences: the task has two
    softmax labels, so the other label's confidence c gives 1 - c."""
    safety = result.get("prompt_safety")
    if not isinstance(safety, dict):
        raise ValueError("p_unsafe needs a result with include_confidence")
    c = float(safety["confidence"])
    return c if safety["label"] == "unsafe" else 1.0 - c


def roc_auc(scores, positives):
    """Area under the ROC curve: the probability that a random positive scores above a random
    negative (ties count half), from the ranks (Mann-Whitney U)."""
    pairs = sorted(zip(scores, positives))
    n_pos = sum(1 for _, y in pairs if y)
    n_neg = len(pairs) - n_pos
    if not n_pos or not n_neg:
        return float("nan")
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        mean_rank = (i + 1 + j) / 2.0  # ranks i+1 .. j share their mean
        rank_sum += mean_rank * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


LENGTH_BUCKETS = ("<32", "32-64", "64-128", "128-256", "256+")


def length_bucket(text):
    n = len(text.split())
    for bound, name in ((32, "<32"), (64, "32-64"), (128, "64-128"), (256, "128-256")):
        if n < bound:
            return name
    return "256+"
