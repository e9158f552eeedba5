"""Every extraction method of the spanguard package against independent references:

- the upstream GLiNER2 package's outputs on the parity checkpoints (shared/reference/parity),
  each golden request replayed through the method of the same name;
- the PyTorch reference (python/spanguard_reference) on a random tiny checkpoint, for every
  method including relations, JSON, the builder, batches and the *_long variants;
- the `spanguard extract` CLI on the same checkpoint (same engine: identical output).

Comparison is compare.py's: confidences within 1e-5 (goldens: 1e-4 with tie swaps), a decision
may differ only when its confidence lies within the tolerance of a threshold.
"""

import json
import os
import subprocess

import pytest
from conftest import require_shared_file

from python_package_support import (LONG, MARIA, REVIEW, SHARED_DIR, TEXTS, TIM, BUILD_DIR,
                                 random_checkpoint, random_model, reference_api,
                                 SOURCE_DIR, spanguard_package)

PARITY_DIR = os.path.join(SHARED_DIR, "reference", "parity")
GOLDENS = ["tiny_count_lstm_v2", "tiny_count_lstm_f16"]


def assert_same(got, want, args, kwargs, tol=1e-5):
    _, compare = reference_api()
    c = compare.compare_results(got, want, compare.request_thresholds(args, kwargs), tol)
    assert c.ok, "\n".join(c.mismatches[:10])
    return c


def combined_builder(sg):
    return (sg.create_schema()
            .entities(["person", "company", "location"])
            .classification("topic", ["business", "sports", "science"])
            .relations(["works_for"])
            .structure("profile").field("name", dtype="str").field("role", dtype="str")
            .field("employer", dtype="list"))


@pytest.mark.parametrize("name", GOLDENS)
def test_upstream_goldens_through_the_python_api(name):
    sg = spanguard_package()
    path = require_shared_file(os.path.join(PARITY_DIR, name + ".golden.json"))
    with open(path, encoding="utf-8") as f:
        golden = json.load(f)
    model = sg.GLiNER2.from_pretrained(os.path.join(PARITY_DIR, name),
                                       relative_positions="microsoft")
    special = {"SCHEMA_COMBINED": combined_builder(sg),
               "SCHEMA_ENTS": {"entities": ["person", "organization", "city", "year"]}}
    near = 0
    for i, case in enumerate(golden["cases"]):
        assert case["error"] is None
        args = [special.get(a, a) if isinstance(a, str) else a for a in case["args"]]
        got = getattr(model, case["api"])(*args, **case["kwargs"])
        _, compare = reference_api()
        c = compare.compare_results(json.loads(json.dumps(got)), case["result"],
                                    compare.request_thresholds(case["args"], case["kwargs"]),
                                    1e-4)
        assert c.ok, f"case {i} ({case['api']}):\n" + "\n".join(c.mismatches[:10])
        near += c.near_threshold
    assert near <= 2, f"{near} near-threshold decisions"


@pytest.fixture(scope="module")
def models():
    sg = spanguard_package()
    api, _ = reference_api()
    return sg, random_model(), api.GLiNER2.from_pretrained(random_checkpoint())


ENTITY_REQUESTS = [
    (["person", "company", "location", "email"], {}),
    (["person", "company", "location", "email"], {"include_confidence": True,
                                                  "include_spans": True}),
    ({"person": {"description": "full name", "threshold": 0.7, "dtype": "str"},
      "city": {"threshold": 0.3}, "date": "a calendar date"}, {"include_confidence": True}),
    (["person", "city"], {"threshold": 0.3, "include_spans": True, "max_len": 6}),
]


@pytest.mark.parametrize("types,kwargs", ENTITY_REQUESTS)
def test_extract_entities_matches_reference(models, types, kwargs):
    _, model, ref = models
    for text in TEXTS:
        assert_same(model.extract_entities(text, types, **kwargs),
                    ref.extract_entities(text, types, **kwargs), [types], kwargs)


def test_classify_relations_json_match_reference(models):
    _, model, ref = models
    tasks = {"sentiment": ["positive", "negative", "neutral"],
             "aspects": {"labels": ["shipping", "support", "price"], "multi_label": True,
                         "cls_threshold": 0.4}}
    structures = {"order": ["id::str::the order number", "product::str", "links::list"],
                  "review": ["verdict::[good|bad|mixed]::str", "issues"]}
    kw = {"include_confidence": True}
    for text in (TIM, REVIEW, MARIA):
        assert_same(model.classify_text(text, tasks, **kw), ref.classify_text(text, tasks, **kw),
                    [tasks], kw)
        assert_same(model.extract_relations(text, ["works_for", "located_in"], **kw,
                                            include_spans=True),
                    ref.extract_relations(text, ["works_for", "located_in"], **kw,
                                          include_spans=True), [], kw)
        assert_same(model.extract_json(text, structures, **kw),
                    ref.extract_json(text, structures, **kw), [structures], kw)


def test_extract_with_builder_and_dict_matches_reference(models):
    sg, model, ref = models
    schema_dict = {"entities": ["person", "company", "location"],
                   "classifications": [{"task": "topic",
                                        "labels": ["business", "sports", "science"]}],
                   "relations": ["works_for"],
                   "structures": {"profile": {"fields": [{"name": "name", "dtype": "str"},
                                                         {"name": "role", "dtype": "str"},
                                                         {"name": "employer"}]}}}
    kw = {"include_confidence": True, "include_spans": True}
    for text in (TIM, MARIA):
        want = ref.extract(text, schema_dict, **kw)
        assert_same(model.extract(text, schema_dict, **kw), want, [schema_dict], kw)
        assert_same(model.extract(text, combined_builder(sg), **kw), want, [schema_dict], kw)


def test_batches_match_reference_and_single_calls(models):
    _, model, ref = models
    types = ["person", "organization", "location"]
    kw = {"include_confidence": True, "include_spans": True}
    got = model.batch_extract_entities(TEXTS, types, 2, **kw)
    want = ref.batch_extract_entities(TEXTS, types, 2, **kw)
    assert len(got) == len(TEXTS)
    for g, w, text in zip(got, want, TEXTS):
        assert_same(g, w, [types], kw)
        assert g == model.extract_entities(text, types, **kw)  # independent of the batch
    tasks = {"sentiment": ["positive", "negative"]}
    for g, w in zip(model.batch_classify_text(TEXTS, tasks, 3, include_confidence=True),
                    ref.batch_classify_text(TEXTS, tasks, 3, include_confidence=True)):
        assert_same(g, w, [tasks], {})
    for g, w in zip(model.batch_extract_relations(TEXTS, ["works_for"]),
                    ref.batch_extract_relations(TEXTS, ["works_for"])):
        assert_same(g, w, [], {})
    structures = {"trip": ["traveler::str", "destination::str"]}
    for g, w in zip(model.batch_extract_json(TEXTS, structures),
                    ref.batch_extract_json(TEXTS, structures)):
        assert_same(g, w, [structures], {})
    # One schema per text.
    schemas = [{"entities": ["person"]}, {"relations": ["works_for"]}]
    for g, text, schema in zip(model.batch_extract(TEXTS[:2], schemas), TEXTS[:2], schemas):
        assert g == model.extract(text, schema)


def test_long_variants_match_reference(models):
    _, model, ref = models
    schema = {"entities": ["person", "organization", "city", "year"]}
    kw = {"chunk_size": 48, "chunk_overlap": 8, "include_confidence": True,
          "include_spans": True}
    want = ref.extract_long(LONG, schema, **kw)
    assert_same(model.extract_long(LONG, schema, **kw), want, [schema], kw)
    assert_same(model.extract_entities_long(LONG, schema["entities"], **kw), want, [schema], kw)
    for g, w in zip(model.batch_extract_long([LONG, TIM], schema, **kw),
                    ref.batch_extract_long([LONG, TIM], schema, **kw)):
        assert_same(g, w, [schema], kw)
    tasks = {"topic": ["politics", "finance"]}
    kw = {"chunk_size": 48, "chunk_overlap": 8}
    assert_same(model.classify_text_long(LONG, tasks, **kw),
                ref.classify_text_long(LONG, tasks, **kw), [tasks], {})
    kw = {"chunk_size": 48, "chunk_overlap": 8, "include_confidence": True}
    assert_same(model.extract_relations_long(LONG, ["works_for"], **kw),
                ref.extract_relations_long(LONG, ["works_for"], **kw), [], kw)
    structures = {"meeting": ["year::str", "place::str"]}
    assert_same(model.extract_json_long(LONG, structures, chunk_size=48, chunk_overlap=8),
                ref.extract_json_long(LONG, structures, chunk_size=48, chunk_overlap=8),
                [structures], {})


def test_long_relations_without_flags_are_pairs(models):
    _, model, ref = models
    kw = {"chunk_size": 48, "chunk_overlap": 8}
    assert_same(model.extract_relations_long(LONG, ["works_for"], **kw),
                ref.extract_relations_long(LONG, ["works_for"], **kw), [], {})


def test_python_equals_the_cli_exactly(models):
    sg, model, _ = models
    schema = {"entities": ["person", "company"],
              "classifications": [{"task": "sentiment", "labels": ["positive", "negative"]}],
              "relations": ["works_for"]}
    binary = os.path.join(BUILD_DIR, "schemas", "spanguard")
    stdin = "".join(json.dumps({"text": t}) + "\n" for t in TEXTS)
    proc = subprocess.run([binary, "extract", "--model", random_checkpoint(), "--schema",
                           json.dumps(schema), "--include-confidence", "--include-spans",
                           "--threads", "1"],
                          input=stdin.encode(), stdout=subprocess.PIPE, check=True)
    cli = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    got = model.batch_extract(TEXTS, schema, include_confidence=True, include_spans=True)
    assert [json.dumps(g) for g in got] == [json.dumps(c) for c in cli]


def test_results_are_plain_python_values_in_reference_key_order(models):
    sg, model, _ = models
    r = model.extract(TIM, {"relations": ["works_for"], "entities": ["person", "company"]},
                      include_confidence=True)
    assert list(r) == ["entities", "relation_extraction"]
    assert list(r["entities"]) == ["person", "company"]
    for item in r["entities"]["person"]:
        assert type(item["text"]) is str and type(item["confidence"]) is float
    assert type(model.extract_entities(TIM, ["person"])) is dict  # no spans: a plain dict


def test_int8_precision_loads_agrees_and_rejects_unknown_names():
    """precision="int8" quantizes the encoder at load: same decisions as fp32 on the shipped
    model's examples, scores close but not identical (so the int8 path really ran)."""
    sg = spanguard_package()
    shipped = os.path.join(SOURCE_DIR, "data", "models", "spanguard-small-v1")
    fp32 = sg.load(shipped)
    int8 = sg.load(shipped, precision="int8")
    texts = ["Contact Maria Lopez at maria.lopez@example.com or +1 415 555 0100.",
             "My card number is 4111 1111 1111 1111 and my IBAN is DE89370400440532013000."]
    labels = ["person", "email", "phone_number", "card_number", "iban"]
    differs = False
    for text in texts:
        a = fp32.extract_entities(text, labels, include_confidence=True)
        b = int8.extract_entities(text, labels, include_confidence=True)
        for label in labels:
            ta = [e["text"] for e in a["entities"][label]]
            tb = [e["text"] for e in b["entities"][label]]
            assert ta == tb, (text, label, ta, tb)
            for ea, eb in zip(a["entities"][label], b["entities"][label]):
                assert abs(ea["confidence"] - eb["confidence"]) < 0.05
                differs |= ea["confidence"] != eb["confidence"]
    assert differs, "int8 scores are bit-identical to fp32: the int8 path did not run"
    with pytest.raises(ValueError, match="precision"):
        sg.load(shipped, precision="int4")
