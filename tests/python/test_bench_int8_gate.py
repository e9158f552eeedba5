"""The peer benchmark's int8 accuracy gate (bench/int8_gate.py): what counts as a decision, how
texts are compared, and how bench/int8_agreement.py's report is read."""

import json
import os
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "bench"))

import int8_gate  # noqa: E402

# A formatted result with spans, as `Model::extract(..., include_spans)` writes it.
RESULT = {
    "entities": {"person": [{"text": "Maria", "start": 0, "end": 5}], "email": [],
                 "date": None},
    "sentiment": "positive",
    "prompt_toxicity": [{"label": "benign"}],
    "profile": [{"name": {"text": "Maria", "start": 0, "end": 5}}, {"name": None}],
}


def test_decisions_cover_spans_labels_and_instance_counts():
    d = int8_gate.decisions(RESULT)
    assert ("span", "/entities/person", 0, 5) in d
    assert ("label", "/sentiment", "positive") in d
    assert ("label", "/prompt_toxicity", "benign") in d
    assert ("count", "/profile", 2) in d
    assert ("span", "/profile[0]/name", 0, 5) in d
    assert len(d) == 5  # empty lists and nulls decide nothing


def test_a_moved_span_or_a_changed_count_is_a_different_decision():
    moved = json.loads(json.dumps(RESULT))
    moved["entities"]["person"][0]["end"] = 6
    fewer = json.loads(json.dumps(RESULT))
    fewer["profile"].pop()
    assert int8_gate.decisions(moved) != int8_gate.decisions(RESULT)
    assert int8_gate.decisions(fewer) != int8_gate.decisions(RESULT)


def test_compare_counts_identical_texts_and_matched_spans():
    extra = json.loads(json.dumps(RESULT))
    extra["entities"]["email"] = [{"text": "a@b.c", "start": 9, "end": 14}]
    rep = int8_gate.compare_decisions({"w": [RESULT, RESULT]}, {"w": [RESULT, extra]})
    w = rep["w"]
    assert (w["items"], w["identical"], w["agreement"]) == (2, 1, 0.5)
    assert (w["spans_fp32"], w["spans_other"], w["spans_matched"]) == (4, 5, 4)
    assert rep["all"]["identical"] == 1
    gate = int8_gate.benchmark_gate("m", {"1": rep})
    assert gate["worst_agreement"] == 0.5 and not gate["pass"]
    assert int8_gate.benchmark_gate("m", {"1": int8_gate.compare_decisions(
        {"w": [RESULT]}, {"w": [RESULT]})})["pass"]


def test_compare_refuses_results_that_do_not_line_up():
    with pytest.raises(ValueError, match="'w'"):
        int8_gate.compare_decisions({"w": [RESULT, RESULT]}, {"w": [RESULT]})


def test_eval_summary_reads_int8_agreement_json_and_flags_a_newer_model(tmp_path):
    report = {"eval_default": {
        "pii": {"agreement": {"items": 500, "identical_decisions": 499}, "metric": "micro F1",
                "fp32": 0.80, "int8": 0.797},
        "ner": {"agreement": {"items": 100, "identical_decisions": 100}, "metric": "micro F1",
                "fp32": 0.50, "int8": 0.49}}}
    path = tmp_path / "agreement.json"
    path.write_text(json.dumps(report))
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"")
    os.utime(path, (1000, 1000))
    ev = int8_gate.eval_summary(path, model)
    assert ev["stale"]
    assert ev["sets"]["pii"]["drop_points"] == pytest.approx(0.3)
    assert ev["agreement"] == pytest.approx(599 / 600)
    assert not ev["pass"]  # ner drops a full point
    assert int8_gate.eval_summary(tmp_path / "missing.json") is None
    lines = "\n".join(int8_gate.markdown({"eval": ev}))
    assert "FAIL" in lines and "stale" in lines
