"""The default model's evaluation metrics (python/spanguard_train/metrics.py) on cases worked out
by hand: ROC AUC from ranks with ties, overlap span matching, p(unsafe) from a two-label result,
length buckets; and evaluate_default_model.py refusing a folder that holds none of its sets."""

import os
import sys

import pytest

SOURCE_DIR = os.environ.get("SPANGUARD_SOURCE_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(SOURCE_DIR, "python"))

from spanguard_train import metrics  # noqa: E402


def test_roc_auc():
    # Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of the 4 pairs ordered right.
    assert metrics.roc_auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == 0.75
    assert metrics.roc_auc([0.1, 0.2, 0.9], [0, 0, 1]) == 1.0
    assert metrics.roc_auc([0.9, 0.2, 0.1], [0, 1, 1]) == 0.0
    # A tie between a positive and a negative counts half.
    assert metrics.roc_auc([0.5, 0.5], [0, 1]) == 0.5
    assert metrics.roc_auc([0.3, 0.5, 0.5, 0.7], [0, 0, 1, 1]) == pytest.approx(0.875)
    assert metrics.roc_auc([0.1, 0.2], [1, 1]) != metrics.roc_auc([0.1, 0.2], [1, 1])  # nan


def test_overlap_span_scores():
    gold = [{(0, 10, "person"), (20, 25, "city")}]
    pred = [{(0, 6, "person"), (12, 15, "person"), (20, 25, "postal_code")}]
    scores = metrics.overlap_span_scores(gold, pred, ["person", "city", "postal_code"])
    # person: 1 of 2 predictions overlaps the gold one, which is found; the city's overlap has
    # another label, so it is missed and the postal_code prediction is wrong.
    assert scores["person"] == (0.5, 1.0, pytest.approx(2 / 3), 1)
    assert scores["city"][:3] == (0.0, 0.0, 0.0)
    assert scores["micro"][:2] == (pytest.approx(1 / 3), 0.5)
    exact = metrics.span_scores(gold, pred, ["person", "city", "postal_code"])
    assert exact["micro"][2] == 0.0


def test_p_unsafe_and_length_buckets():
    assert metrics.p_unsafe({"prompt_safety": {"label": "unsafe", "confidence": 0.8}}) == 0.8
    assert metrics.p_unsafe({"prompt_safety": {"label": "safe", "confidence": 0.8}}) == \
        pytest.approx(0.2)
    with pytest.raises(ValueError):
        metrics.p_unsafe({"prompt_safety": "safe"})
    words = lambda n: " ".join(["w"] * n)  # noqa: E731
    assert [metrics.length_bucket(words(n)) for n in (5, 31, 32, 63, 64, 127, 128, 255, 256)] == \
        ["<32", "<32", "32-64", "32-64", "64-128", "64-128", "128-256", "128-256", "256+"]


def test_evaluation_without_any_set_is_an_error_naming_the_folder(tmp_path):
    sys.path.insert(0, os.path.join(SOURCE_DIR, "python", "tools"))
    import evaluate_default_model
    model = os.path.join(SOURCE_DIR, "data", "models", "spanguard-small-v1")
    with pytest.raises(SystemExit, match=f"{tmp_path}: none of the evaluation sets is there"):
        evaluate_default_model.main(["--model", model, "--eval-dir", str(tmp_path),
                                     "--spanguard", "/nonexistent/spanguard", "--no-reference"])
    with pytest.raises(SystemExit, match="none of the evaluation sets"):
        evaluate_default_model.main(["--model", model, "--dev", str(tmp_path),
                                     "--spanguard", "/nonexistent/spanguard", "--no-reference"])
