"""Long documents (GLINER2.md §4.7): overlapping word windows, each extracted on its own, then
merged.

Windows: the document's words (regex of §2.3 on the text as given), `chunk_size` words per window,
stepping `chunk_size - chunk_overlap`; the last window ends at the last word. A window's text is
the document substring from its first word's start to its last word's end. Each window runs as a
normal request with max_len = chunk_size, confidences and offsets on.

Merging (per output key):
  * entity lists: union, most confident first, drop duplicates by (lower text, start, end) and
    spans overlapping a kept one; result in positional order (start, end, text). A `str` entity
    type takes the first item of that positional list.
  * other lists of span items: the same without overlap removal.
  * lists of other items (relation pairs, structure instances, choices, multi-label labels): one
    per canonical form without confidences, keeping the most confident; first-seen order.
  * classification dicts {label, confidence}: the most confident.
  * plain strings: majority vote, ties to the first.
Finally confidences/offsets are dropped per the caller's flags.

Only the entity path is covered by the upstream goldens; the rest follows the spec's prose.
"""

import dataclasses
import json

from .inputs import CLASSIFICATION, ENTITIES, RELATION, STRUCTURE, build_task_blocks
from .words import split_words

CHUNK_SIZE = 384
CHUNK_OVERLAP = 64


@dataclasses.dataclass
class Window:
    text: str
    start: int  # code points into the document
    end: int


def split_windows(text, chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP):
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    if isinstance(chunk_overlap, bool) or not isinstance(chunk_overlap, int) \
            or not 0 <= chunk_overlap < chunk_size:
        raise ValueError(f"chunk_overlap must be within [0, chunk_size), got {chunk_overlap!r}")
    words = split_words(text)
    if not words:
        return [Window(text, 0, len(text))]
    step = chunk_size - chunk_overlap
    windows = []
    first = 0
    while True:
        last = min(first + chunk_size, len(words)) - 1
        start, end = words[first].start, words[last].end
        windows.append(Window(text[start:end], start, end))
        if last == len(words) - 1:
            return windows
        first += step


def _is_span(v):
    return isinstance(v, dict) and "start" in v and "end" in v and "text" in v


def _shift(v, window, document):
    if _is_span(v):
        start, end = v["start"] + window.start, v["end"] + window.start
        out = dict(v, start=start, end=end)
        # A span covering the window's synthetic final "." can end past the document; only spans
        # inside the document are re-sliced from it.
        if end <= len(document):
            out["text"] = document[start:end]
        return out
    if isinstance(v, dict):
        return {k: _shift(x, window, document) for k, x in v.items()}
    if isinstance(v, list):
        return [_shift(x, window, document) for x in v]
    return v


def shift_result(result, window, document):
    """A window's result (confidences and offsets on) moved to document offsets."""
    return _shift(result, window, document)


def _canonical(v):
    def strip(x):
        if isinstance(x, dict):
            return {k: strip(y) for k, y in x.items() if k != "confidence"}
        if isinstance(x, list):
            return [strip(y) for y in x]
        return x
    return json.dumps(strip(v), sort_keys=True, ensure_ascii=False)


def _confidence(v):
    """An item's confidence: its own, or for composite items the sum over its parts."""
    if isinstance(v, dict):
        if isinstance(v.get("confidence"), float):
            return v["confidence"]
        return sum(_confidence(x) for x in v.values())
    if isinstance(v, list):
        return sum(_confidence(x) for x in v)
    return 0.0


def merge_span_list(items, remove_overlaps):
    kept, seen = [], set()
    for item in sorted(items, key=lambda s: -s["confidence"]):
        key = (item["text"].lower(), item["start"], item["end"])
        if key in seen:
            continue
        if remove_overlaps and any(not (item["end"] <= k["start"] or item["start"] >= k["end"])
                                   for k in kept):
            continue
        seen.add(key)
        kept.append(item)
    return sorted(kept, key=lambda s: (s["start"], s["end"], s["text"]))


def _merge_other_list(items):
    best = {}
    order = []
    for item in items:
        key = _canonical(item)
        if key not in best:
            order.append(key)
            best[key] = item
        elif _confidence(item) > _confidence(best[key]):
            best[key] = item
    return [best[k] for k in order]


def _merge_list(values, remove_overlaps=False):
    items = [x for v in values if isinstance(v, list) for x in v]
    if items and all(_is_span(x) for x in items):
        return merge_span_list(items, remove_overlaps)
    return _merge_other_list(items)


def _merge_scalar(values):
    present = [v for v in values if v is not None]
    if not present:
        return None
    if all(isinstance(v, dict) and "confidence" in v for v in present):
        best = present[0]
        for v in present[1:]:
            if v["confidence"] > best["confidence"]:
                best = v
        return best
    if all(isinstance(v, str) for v in present):
        counts = {}
        for v in present:
            counts[v] = counts.get(v, 0) + 1
        top = max(counts.values())
        return next(v for v in present if counts[v] == top)
    return present[0]


def merge_results(parts, schema):
    """parts: the shifted window results of one document, in window order. A document of one
    window goes through the same merge (its entity lists come out in positional order)."""
    out = {}
    relations = None
    for block in build_task_blocks(schema):
        if block.kind == ENTITIES:
            ents = {}
            for e in block.task:
                values = [p["entities"][e.name] for p in parts if e.name in p["entities"]]
                if not values:
                    continue
                if e.dtype == "str":
                    merged = merge_span_list([v for v in values if v is not None], True)
                    ents[e.name] = merged[0] if merged else None
                else:
                    ents[e.name] = _merge_list(values, remove_overlaps=True)
            out["entities"] = ents
        elif block.kind == STRUCTURE:
            values = [p[block.name] for p in parts]
            lists = [v for v in values if isinstance(v, list)]
            out[block.name] = _merge_list(lists) if lists else {}
        elif block.kind == RELATION:
            if relations is None:
                relations = {}
            relations[block.name] = _merge_list(
                [p["relation_extraction"][block.name] for p in parts])
        elif block.kind == CLASSIFICATION:
            values = [p[block.name] for p in parts]
            if block.task.multi_label:
                out[block.name] = _merge_list(values)
            else:
                out[block.name] = _merge_scalar(values)
    if relations is not None:
        out["relation_extraction"] = relations
    return out


def _strip(v, include_confidence, include_spans):
    if _is_span(v):
        if not include_confidence and not include_spans:
            return v["text"]
        out = {"text": v["text"]}
        if include_confidence:
            out["confidence"] = v["confidence"]
        if include_spans:
            out["start"], out["end"] = v["start"], v["end"]
        return out
    if isinstance(v, dict) and set(v) == {"text", "confidence"}:  # choice item
        return v if include_confidence else v["text"]
    if isinstance(v, dict) and set(v) == {"label", "confidence"}:  # classification
        return v if include_confidence else v["label"]
    if isinstance(v, dict) and set(v) == {"head", "tail"} and not (include_confidence
                                                                    or include_spans):
        return (_strip(v["head"], False, False), _strip(v["tail"], False, False))
    if isinstance(v, dict):
        return {k: _strip(x, include_confidence, include_spans) for k, x in v.items()}
    if isinstance(v, list):
        return [_strip(x, include_confidence, include_spans) for x in v]
    return v


def strip_flags(result, include_confidence, include_spans):
    return _strip(result, include_confidence, include_spans)
