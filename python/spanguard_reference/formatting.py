"""Raw decoded results (decode.py) -> the reference API's output JSON (GLINER2.md §4.6).

Span items render as a plain string, {text, confidence}, {text, start, end} or
{text, confidence, start, end} depending on include_confidence / include_spans. Lists of span items
are de-duplicated: by lower-cased text when offsets are not shown, by (lower-cased text, start,
end) when they are; the first (most confident, or first positional) occurrence is kept.
Choice items render as a plain string or {text, confidence} (they have no offsets).

Keys come in block order (structures, "entities", classification tasks) with
"relation_extraction" last.
"""

from .inputs import CLASSIFICATION, ENTITIES, RELATION, STRUCTURE


def render_span(item, include_confidence, include_spans):
    if not include_confidence and not include_spans:
        return item["text"]
    out = {"text": item["text"]}
    if include_confidence:
        out["confidence"] = item["confidence"]
    if include_spans:
        out["start"] = item["start"]
        out["end"] = item["end"]
    return out


def render_choice(item, include_confidence):
    if include_confidence:
        return {"text": item["text"], "confidence": item["confidence"]}
    return item["text"]


def _render_item(item, include_confidence, include_spans):
    if item is None:
        return None
    if "start" in item:
        return render_span(item, include_confidence, include_spans)
    return render_choice(item, include_confidence)


def dedupe_items(items, include_spans):
    seen = set()
    out = []
    for item in items:
        key = item["text"].lower()
        if include_spans and "start" in item:
            key = (key, item["start"], item["end"])
        if key in seen:
            continue
        seen.add(key)
        out.append(item)
    return out


def _render_list(items, include_confidence, include_spans):
    return [_render_item(i, include_confidence, include_spans)
            for i in dedupe_items(items, include_spans)]


def _render_value(value, include_confidence, include_spans):
    if isinstance(value, list):
        return _render_list(value, include_confidence, include_spans)
    return _render_item(value, include_confidence, include_spans)


def _render_classification(raw, include_confidence):
    def one(label, conf):
        return {"label": label, "confidence": conf} if include_confidence else label

    if isinstance(raw, list):
        return [one(label, conf) for label, conf in raw]
    return one(*raw)


def format_results(decoded, include_confidence=False, include_spans=False):
    """decoded: list of (block, raw result) -> dict."""
    out = {}
    relations = None
    for block, raw in decoded:
        if block.kind == STRUCTURE:
            if raw is None:
                out[block.name] = {}
            else:
                out[block.name] = [
                    {f: _render_value(v, include_confidence, include_spans)
                     for f, v in inst.items()} for inst in raw]
        elif block.kind == ENTITIES:
            ents = {}
            if raw is not None:
                for e in block.task:
                    items = raw[e.name]
                    if e.dtype == "str":
                        ents[e.name] = _render_item(items[0] if items else None,
                                                    include_confidence, include_spans)
                    else:
                        ents[e.name] = _render_list(items, include_confidence, include_spans)
            out["entities"] = ents
        elif block.kind == RELATION:
            if relations is None:
                relations = {}
            pairs = []
            for head, tail in raw:
                if include_confidence or include_spans:
                    pairs.append({"head": render_span(head, include_confidence, include_spans),
                                  "tail": render_span(tail, include_confidence, include_spans)})
                else:
                    pairs.append((head["text"], tail["text"]))
            relations[block.name] = pairs
        elif block.kind == CLASSIFICATION:
            out[block.name] = _render_classification(raw, include_confidence)
    if relations is not None:
        out["relation_extraction"] = relations
    return out
