"""GLiNER v1 folders through the `spanguard` tool (shared/reference/parity_v1): extract returns
every golden case's entities (the upstream runtime's result, grouped by type), redact runs with
--labels on a v1 model, and requests a v1 model cannot answer fail with a message naming them."""

import json
import os
import subprocess

import pytest
from conftest import BUILD_DIR, SHARED_DIR, spanguard_binary

V1_DIR = os.path.join(SHARED_DIR, "reference", "parity_v1")

pytestmark = [
    pytest.mark.skipif(BUILD_DIR is None, reason="SPANGUARD_BUILD_DIR is not set (run through ctest)"),
    pytest.mark.skipif(not os.path.isdir(V1_DIR), reason="needs ../shared/reference/parity_v1"),
]


def cli(*args, stdin=None):
    proc = subprocess.run([spanguard_binary(), *args], input=stdin, capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("name", ["span_v1", "token_v1"])
def test_extract_gives_the_upstream_entities(name):
    golden = json.load(open(os.path.join(V1_DIR, f"{name}.golden.json"), encoding="utf-8"))
    checked = 0
    for case in golden["cases"]:
        if case["api"] != "predict_entities" or case["error"] or case["warnings"]:
            continue
        text, labels = case["args"]
        kw = case["kwargs"]
        if not kw.get("flat_ner", True) or kw.get("multi_label") or len(set(labels)) != len(labels):
            continue  # the tool runs flat, single-label extraction
        schema = {"entities": list(labels)}
        status, out, err = cli("extract", "--model", os.path.join(V1_DIR, name), "--schema",
                               json.dumps(schema), "--include-spans", "--include-confidence",
                               "--threshold", repr(kw.get("threshold", 0.5)), "--text", text)
        assert status == 0, err
        got = json.loads(out)["entities"]
        expected = {label: [] for label in labels}
        for e in case["result"]:
            expected[e["label"]].append(e)
        for label in labels:
            mine = sorted((g["start"], g["end"], g["text"]) for g in got[label])
            theirs = sorted((e["start"], e["end"], e["text"]) for e in expected[label])
            assert mine == theirs, (name, text, label)
            for g in got[label]:
                score = next(e["score"] for e in expected[label] if e["start"] == g["start"])
                assert abs(g["confidence"] - score) < 1e-5
        checked += 1
    assert checked >= 8


def test_redact_and_refusals():
    text = "Tim Cook is the CEO of Apple. Email tim@apple.com for details."
    status, out, err = cli("redact", "--model", os.path.join(V1_DIR, "span_v1"), "--labels",
                           "person,email", "--text", text)
    assert status == 0, err
    result = json.loads(out)
    assert "tim@apple.com" not in result["text"]  # the pattern recognizers run beside the model
    assert all(item["start"] < item["end"] <= len(text) for item in result["items"])
    status, _, err = cli("classify", "--model", os.path.join(V1_DIR, "span_v1"), "--labels", "a,b",
                         "--text", "hi")
    assert status != 0 and "GLiNER v1 model extracts entity types only" in err
    status, _, err = cli("extract", "--model", os.path.join(V1_DIR, "token_v1"), "--schema",
                         '{"entities": {"person": "a human"}}', "--text", "hi")
    assert status != 0 and "entities.person" in err and "descriptions" in err
