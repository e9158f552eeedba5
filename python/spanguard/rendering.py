"""Entity results as highlighted text (HTML), for Jupyter and for reports:

    spanguard.display(text, model.extract_entities(text, labels, include_spans=True))

renders `text` with every entity span marked in its label's colour and the label beside it, as
displaCy does. Also accepts a redaction result ({"text", "items"}), drawn over the original text,
and a GLiNER v1 entity list ([{"start", "end", "label", ...}], GLiNER.predict_entities).
All text and labels are HTML-escaped; colours are chosen per label (stable across calls) unless
`colors` maps labels to CSS colours.
"""

import html
import re
import zlib

from . import _spanguard

# Light backgrounds that keep black text readable.
PALETTE = ("#7aecec", "#bfeeb7", "#feca74", "#ff9561", "#aa9cfc", "#c887fb", "#9cc9cc",
           "#ffeb80", "#ff8197", "#f0d0ff", "#bfe1d9", "#e4e7d2", "#ddd1c6", "#a8d1f0")

_CSS_COLOR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,30}|(rgb|rgba|hsl|hsla)\([0-9., %]{1,60}\)")


def label_color(label, colors=None):
    """The label's colour: `colors[label]` when given, else a palette entry picked by a hash of the
    label, so a label keeps its colour across calls and processes."""
    if colors and label in colors:
        color = colors[label]
        if not isinstance(color, str) or not _CSS_COLOR.fullmatch(color):
            raise ValueError(f"colors[{label!r}]: not a CSS colour: {color!r}")
        return color
    return PALETTE[zlib.crc32(label.encode("utf-8")) % len(PALETTE)]


def _entity_spans(entities):
    spans = []
    for label, value in entities.items():
        items = value if isinstance(value, list) else [] if value is None else [value]
        for item in items:
            if not isinstance(item, dict) or "start" not in item or "end" not in item:
                raise ValueError(f"entities.{label}: items have no offsets; call with "
                                 "include_spans=True")
            spans.append((item["start"], item["end"], label))
    return spans


def collect_spans(result):
    """(start, end, label) for every span of an extraction result with offsets (its "entities"),
    of a redaction result (its "items") or of a GLiNER v1 entity list."""
    if isinstance(result, list) and all(isinstance(e, dict) and {"start", "end", "label"} <= set(e)
                                        for e in result):
        return [(e["start"], e["end"], e["label"]) for e in result]
    if isinstance(result, dict) and isinstance(result.get("entities"), dict):
        return _entity_spans(result["entities"])
    if isinstance(result, dict) and isinstance(result.get("items"), list):
        return [(item["start"], item["end"], item["entity_type"]) for item in result["items"]]
    raise ValueError('display needs an extraction result with "entities" (include_spans=True), '
                     'a redaction result with "items" or a list of GLiNER entities')


def _non_overlapping(spans):
    """Spans in text order; of overlapping spans the earlier, then longer one is drawn, and of
    equal spans the one listed first (results list labels in request order)."""
    spans = list(spans)
    kept = []
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], spans[i][0] - spans[i][1], i))
    for start, end, label in (spans[i] for i in order):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, label))
    return kept


def render_html(text, spans, colors=None):
    """`spans`: (start, end, label) in code points into `text`."""
    out = []
    pos = 0
    for start, end, label in _non_overlapping(spans):
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span [{start}, {end}) of {label!r} lies outside the text "
                             f"({len(text)} code points)")
        out.append(html.escape(text[pos:start]))
        out.append(
            f'<mark class="spanguard-entity" data-label="{html.escape(label)}" '
            f'style="background: {label_color(label, colors)}; padding: 0.2em 0.35em; '
            f'margin: 0 0.15em; border-radius: 0.35em; line-height: 1">'
            f"{html.escape(text[start:end])}"
            f'<span style="font-size: 0.7em; font-weight: bold; margin-left: 0.4em; '
            f'vertical-align: middle">{html.escape(label)}</span></mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return ('<div class="spanguard-entities" style="line-height: 2.4; white-space: pre-wrap; '
            f'font-family: sans-serif">{"".join(out)}</div>')


class EntityHTML:
    """Rendered entities; Jupyter shows `_repr_html_()`, `str()` gives the HTML too."""

    def __init__(self, html_text):
        self.html = html_text

    def _repr_html_(self):
        return self.html

    def __str__(self):
        return self.html

    def __repr__(self):
        return f"EntityHTML({len(self.html)} characters of HTML)"


def display(text, result, *, colors=None):
    """Highlights `result`'s spans in `text` (the text passed to the call that made `result`).
    Single-pass offsets index the text after the end-of-text rule (a "." may have been appended),
    which is applied here when a span reaches past `text`."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    spans = collect_spans(result)
    if any(end > len(text) for _, end, _ in spans):
        text = _spanguard.end_of_text_rule(text)
    return EntityHTML(render_html(text, spans, colors))


class EntityResult(dict):
    """An extraction result (a plain dict in every other way) that renders as highlighted text in
    Jupyter. Returned by the extraction calls when include_spans=True and entities were asked
    for."""

    def __init__(self, result, text):
        super().__init__(result)
        self.source_text = text

    def _repr_html_(self):
        return display(self.source_text, self).html
