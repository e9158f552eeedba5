"""Decoding GLiNER v1 logits into entities, as urchade/GLiNER 0.2.x does, for one text at a time.

Candidates are (start word, end word, class, score) with inclusive word ends; probabilities are
float32 sigmoids, compared with the threshold in float32 (`p > threshold`, strict, except the
token mode's inside test, which rejects only `p_inside < threshold`).

  * span (markerV0): every (i, k, c) with p > threshold and i + k < n, enumerated in (i, k, c)
    order;
  * token_level: starts (word, c) with p_start > threshold and ends (word, c) with
    p_end > threshold, both in (word, c) order; for each start, then each end of the same class
    with end >= start: kept unless some p_inside in [start, end] is below the threshold; score =
    min(p_inside[start..end], p_start, p_end).

Then greedy selection: candidates stable-sorted by descending score, each kept when compatible
with all those kept before; flat: no shared word; nested: disjoint or one inside the other (not
crossing); an identical (start, end) conflicts unless multi_label. The kept list is returned
stable-sorted by start word.

Where this deliberately differs from upstream (which raises IndexError there, see
/work/shared/reference/parity_v1/README.md): only the text's own n words are decoded. A text
without words (whose single "[PAD]" position upstream decodes) has no entities, and in token mode
starts/ends at padded word positions of a shorter text in a batch are ignored.
"""

import numpy as np
import torch


def _compatible(a, b, flat, multi_label):
    """a, b: (start, end, ...) with inclusive ends."""
    if a[0] == b[0] and a[1] == b[1]:
        return multi_label
    disjoint = a[0] > b[1] or b[0] > a[1]
    if flat:
        return disjoint
    nested = (a[0] <= b[0] and a[1] >= b[1]) or (b[0] <= a[0] and b[1] >= a[1])
    return disjoint or nested


def greedy(candidates, flat_ner=True, multi_label=False):
    """candidates: list of (start, end, class, score) in enumeration order -> kept, by start."""
    kept = []
    for c in sorted(candidates, key=lambda x: -x[3]):  # sorted() is stable
        if all(_compatible(c, k, flat_ner, multi_label) for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda x: x[0])


def span_candidates(logits, n, threshold):
    """logits [L, max_width, C] of one text with n words -> candidates."""
    if n == 0:
        return []
    probs = torch.sigmoid(logits).numpy()
    out = []
    for i, k, c in np.argwhere(probs > np.float32(threshold)):  # row-major: (i, k, c)
        i, k, c = int(i), int(k), int(c)
        if i + k < n:
            out.append((i, i + k, c, float(probs[i, k, c])))
    return out


def token_candidates(logits, n, threshold):
    """logits [3, L, C] (start, end, inside) of one text with n words -> candidates."""
    if n == 0:
        return []
    thr = np.float32(threshold)
    p_start, p_end, p_inside = (torch.sigmoid(logits[j, :n]).numpy() for j in range(3))
    starts = [(int(w), int(c)) for w, c in np.argwhere(p_start > thr)]
    ends = [(int(w), int(c)) for w, c in np.argwhere(p_end > thr)]
    out = []
    for st, cs in starts:
        for ed, ce in ends:
            if ed < st or ce != cs:
                continue
            inside = p_inside[st:ed + 1, cs]
            if (inside < thr).any():
                continue
            score = min(float(inside.min()), float(p_start[st, cs]), float(p_end[ed, cs]))
            out.append((st, ed, cs, score))
    return out


def to_entities(kept, text, words, labels):
    """words: gliner_v1_model.TextWords of `text`."""
    out = []
    for st, ed, c, score in kept:
        start, end = words.starts[st], words.ends[ed]
        out.append({"start": start, "end": end, "text": text[start:end], "label": labels[c],
                    "score": score})
    return out


def decode_text(span_mode, logits, text, words, labels, threshold=0.5, flat_ner=True,
                multi_label=False):
    """One text's logits (span [L, K, C] or token [3, L, C]) -> list of entity dicts."""
    if span_mode == "markerV0":
        candidates = span_candidates(logits, words.count, threshold)
    else:
        candidates = token_candidates(logits, words.count, threshold)
    return to_entities(greedy(candidates, flat_ner, multi_label), text, words, labels)
