"""The HTML rendering of entity results: text and labels escaped, a colour per label, spans at
their code-point offsets, and results with spans rendering themselves in Jupyter."""

import html
import re

import pytest

from python_package_support import TIM, random_model, spanguard_package


def marks(page):
    return re.findall(r'<mark class="spanguard-entity" data-label="([^"]*)" '
                      r'style="background: ([^;]*);[^>]*>(.*?)<span[^>]*>(.*?)</span></mark>', page)


def test_display_escapes_text_and_labels_and_colours_labels():
    sg = spanguard_package()
    text = "<b>Tom & Jerry</b> met \"O'Neil\" in 東京 😀 <script>x</script>"
    start = text.index("Tom")
    city = text.index("東京")
    result = {"entities": {
        "per<son>": [{"text": "Tom & Jerry", "start": start, "end": start + 11}],
        "city": {"text": "東京", "start": city, "end": city + 2},
        "empty": None,
        "person2": [{"text": "O'Neil", "start": text.index("O'"), "end": text.index("O'") + 6}],
    }}
    page = sg.display(text, result, colors={"city": "#123456"}).html
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    found = marks(page)
    assert [(m[0], m[2], m[3]) for m in found] == [
        ("per&lt;son&gt;", "Tom &amp; Jerry", "per&lt;son&gt;"),
        ("person2", "O&#x27;Neil", "person2"),
        ("city", "東京", "city")]
    colours = {m[0]: m[1] for m in found}
    assert colours["city"] == "#123456"
    assert colours["per&lt;son&gt;"] == sg.rendering.label_color("per<son>")
    # The text reads back unchanged once the markup is removed.
    plain = re.sub(r"<span[^>]*>.*?</span>", "", page)
    assert html.unescape(re.sub(r"<[^>]+>", "", plain)) == text


def test_display_rejects_unsafe_colours_and_results_without_offsets():
    sg = spanguard_package()
    r = {"entities": {"a": [{"text": "x", "start": 0, "end": 1}]}}
    with pytest.raises(ValueError, match="CSS colour"):
        sg.display("x", r, colors={"a": "red; background-image: url(evil)"})
    with pytest.raises(ValueError, match="include_spans"):
        sg.display("x", {"entities": {"a": ["x"]}})
    with pytest.raises(ValueError, match="outside the text"):
        sg.display("x", {"entities": {"a": [{"text": "x", "start": 0, "end": 9}]}})


def test_same_label_same_colour_and_overlaps_drawn_once():
    sg = spanguard_package()
    text = "New York City"
    r = {"entities": {"city": [{"text": "New York City", "start": 0, "end": 13},
                               {"text": "York", "start": 4, "end": 8}],
                      "state": [{"text": "New York", "start": 0, "end": 8}]}}
    found = marks(sg.display(text, r).html)
    assert [m[2] for m in found] == ["New York City"]
    same = {"entities": {"state": [{"start": 0, "end": 8}], "city": [{"start": 0, "end": 8}]}}
    assert [m[0] for m in marks(sg.display(text, same).html)] == ["state"]
    a = marks(sg.display("ab", {"entities": {"x": [{"start": 0, "end": 1}],
                                             "y": [{"start": 1, "end": 2}]}}).html)
    b = marks(sg.display("ba", {"entities": {"y": [{"start": 0, "end": 1}]}}).html)
    assert a[1][1] == b[0][1]


def test_results_with_spans_render_in_jupyter():
    sg = spanguard_package()
    model = random_model()
    text = "Tim Cook is the CEO of Apple"  # no final '.': spans may reach the appended one
    r = model.extract_entities(text, ["person", "company"], include_spans=True,
                               threshold=0.05)
    assert isinstance(r, dict) and isinstance(r, sg.EntityResult)
    page = r._repr_html_()
    spans = [item for items in r["entities"].values() for item in items]
    assert spans, "the random model found nothing at threshold 0.05"
    drawn = marks(page)
    assert drawn and all(html.unescape(m[2]) in [s["text"] for s in spans] for m in drawn)
    assert page == sg.display(text, r).html
    redacted = model.redact(TIM, ["person", "email"], threshold=0.05)
    assert len(marks(sg.display(TIM, redacted).html)) == len(redacted["items"])
