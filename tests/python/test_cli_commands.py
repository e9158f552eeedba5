"""What each model-running `spanguard` command adds on top of the shared JSONL runner.

classify (--labels/--task/--multi-label, --tasks), run --schema FILE (the general schema, the same
results as extract), redact (the {"text", "items"} result: offsets, operators, validation, original
text, windowed long texts) and moderate (prompt / response / text fields, custom policies, --text
with --response-text). Random tiny checkpoint: results are checked for shape and consistency, and
against the same request made another way, never against language understanding.
"""

import json
import os
import subprocess

import pytest
from conftest import spanguard_binary

from conftest import BUILD_DIR
SOURCE_DIR = os.environ.get("SPANGUARD_SOURCE_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")

pytestmark = pytest.mark.skipif(BUILD_DIR is None, reason="SPANGUARD_BUILD_DIR is not set (run through ctest)")

TEXTS = ["Contact Tim Cook at tim@apple.com or Maria in Berlin, she is great.",
         "Ünïcödé names like Zoë Ångström live in Zürich 🚀 since 2019.",
         "nothing to see here"]


def cli(checkpoint, command, *args, lines=None):
    """Runs a command on JSONL `lines` (dicts or raw strings); returns (status, records, stderr)."""
    stdin = b""
    if lines is not None:
        stdin = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines).encode()
    proc = subprocess.run([spanguard_binary(), command, "--model", checkpoint, "--threads", "1", "--quiet", *args],
                          input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    out = proc.stdout.decode("utf-8")
    return proc.returncode, [json.loads(line) for line in out.splitlines()], proc.stderr.decode("utf-8", "replace")


# classify ----------------------------------------------------------------------------------------

def test_classify_labels_task_and_multi_label(checkpoint):
    status, got, err = cli(checkpoint, "classify", "--labels", "news,sport,tech", "--task", "topic",
                           "--include-confidence", lines=[{"text": t} for t in TEXTS])
    assert status == 0, err
    for i, record in enumerate(got):
        assert record["line"] == i + 1
        result = record["result"]["topic"]
        assert result["label"] in ("news", "sport", "tech") and 0 <= result["confidence"] <= 1
    status, got, err = cli(checkpoint, "classify", "--labels", "news,sport,tech", "--multi-label",
                           "--cls-threshold", "0", lines=[{"text": TEXTS[0]}])
    assert status == 0, err
    # Threshold 0: every label is returned, in label order, under the default task name.
    assert got[0]["result"] == {"label": ["news", "sport", "tech"]}


def test_classify_tasks_json_matches_labels(checkpoint, tmp_path):
    tasks = {"sentiment": ["positive", "negative"], "topic": {"labels": ["news", "sport"], "multi_label": True}}
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks))
    status, both, err = cli(checkpoint, "classify", "--tasks", str(path), lines=[{"text": t} for t in TEXTS])
    assert status == 0, err
    assert all(list(r["result"]) == ["sentiment", "topic"] for r in both)
    assert all(isinstance(r["result"]["topic"], list) for r in both)
    status, inline, _ = cli(checkpoint, "classify", "--tasks", json.dumps(tasks), lines=[{"text": t} for t in TEXTS])
    assert inline == both
    status, _, err = cli(checkpoint, "classify", "--tasks", '{"sentiment": {"labels": ["a"], "mutli_label": true}}',
                         lines=[])
    assert status == 1 and "--tasks: tasks.sentiment.mutli_label: unknown key" in err


# run ---------------------------------------------------------------------------------------------

def test_run_schema_file_equals_extract(checkpoint, tmp_path):
    schema = {"entities": ["person", "city"], "classifications": [{"task": "t", "labels": ["a", "b"]}],
              "relations": ["lives_in"], "structures": {"p": {"fields": ["name::str", "city::list"]}}}
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema))
    lines = [{"text": t} for t in TEXTS]
    status, ran, err = cli(checkpoint, "run", "--schema", str(path), "--include-confidence", lines=lines)
    assert status == 0, err
    status, extracted, _ = cli(checkpoint, "extract", "--schema", json.dumps(schema), "--include-confidence",
                               lines=lines)
    assert [r["result"] for r in ran] == extracted
    assert list(extracted[0]) == ["p", "entities", "t", "relation_extraction"]
    status, _, err = cli(checkpoint, "run", "--schema", str(tmp_path / "missing.json"), lines=[])
    assert status == 1 and "cannot open --schema file" in err


def test_long_windows_through_run(checkpoint):
    text = " ".join(["Tim Cook met Maria in Berlin."] * 120)  # 600 words: several windows of 64
    status, got, err = cli(checkpoint, "run", "--schema", '{"entities": ["person"]}', "--long", "--chunk-size", "64",
                           "--chunk-overlap", "8", "--include-spans", lines=[{"text": text}])
    assert status == 0, err
    for span in got[0]["result"]["entities"]["person"]:
        assert text[span["start"]:span["end"]] == span["text"]


# redact ------------------------------------------------------------------------------------------

def check_redaction(original, result):
    """Items are in order, do not overlap, and the redacted text is the original with each item's
    span replaced by its replacement at the reported offsets (code points)."""
    redacted = result["text"]
    rebuilt, previous_end, previous_redacted_end = "", 0, 0
    for item in result["items"]:
        assert previous_end <= item["start"] < item["end"] <= len(original)
        assert item["start"] - previous_end == item["redacted_start"] - previous_redacted_end
        rebuilt += original[previous_end:item["start"]] + redacted[item["redacted_start"]:item["redacted_end"]]
        previous_end, previous_redacted_end = item["end"], item["redacted_end"]
    rebuilt += original[previous_end:]
    assert rebuilt == redacted


def test_redact_result_shape_and_offsets(checkpoint):
    status, got, err = cli(checkpoint, "redact", "--labels", "person,email,city", "--include-original",
                           "--threshold", "0.2",
                           "--id-field", "id", lines=[{"id": i, "text": t} for i, t in enumerate(TEXTS)])
    assert status == 0, err
    total = 0
    for i, record in enumerate(got):
        assert record["id"] == i and list(record["result"]) == ["text", "items"]
        check_redaction(TEXTS[i], record["result"])
        for item in record["result"]["items"]:
            total += 1
            assert item["operator"] == "replace"
            assert item["text"] == TEXTS[i][item["start"]:item["end"]]
            assert record["result"]["text"][item["redacted_start"]:item["redacted_end"]] == \
                "<" + item["entity_type"].upper() + ">"
    assert total > 0  # the random checkpoint does find spans in these texts


def test_redact_operators_and_validation(checkpoint, tmp_path):
    lines = [{"text": t} for t in TEXTS]
    status, kept, err = cli(checkpoint, "redact", "--labels", "person,email,city", "--operators",
                            '{"default": {"type": "keep"}}', "--threshold", "0.2", lines=lines)
    assert status == 0, err
    assert [r["result"]["text"] for r in kept] == TEXTS
    assert all(item["operator"] == "keep" for r in kept for item in r["result"]["items"])
    assert any(r["result"]["items"] for r in kept)
    path = tmp_path / "ops.json"
    path.write_text(json.dumps({"default": {"type": "mask", "masking_char": "#"}}))
    status, masked, err = cli(checkpoint, "redact", "--labels", "person,email,city", "--operators", str(path),
                              "--validate", "annotate", "--threshold", "0.2", lines=lines)
    assert status == 0, err
    for original, record in zip(TEXTS, masked):
        check_redaction(original, record["result"])
        for item in record["result"]["items"]:
            segment = record["result"]["text"][item["redacted_start"]:item["redacted_end"]]
            assert segment == "#" * (item["end"] - item["start"])
            # Only types with a validator (email, card, ...) are annotated; redaction.h's own tests
            # cover which.
            assert isinstance(item.get("valid", False), bool)
    status, _, err = cli(checkpoint, "redact", "--labels", "email", "--operators",
                         '{"email": {"type": "mask", "chars_to_mask": -1}}', lines=[])
    assert status == 1 and "--operators: operators.email.chars_to_mask" in err


def test_redact_is_windowed(checkpoint):
    text = " ".join(["Write to tim@apple.com about Tim Cook."] * 200)  # 1,200 words
    status, got, err = cli(checkpoint, "redact", "--labels", "person,email", "--threshold", "0.2",
                           lines=[{"text": text}])
    assert status == 0, err
    check_redaction(text, got[0]["result"])
    assert got[0]["result"]["items"]
    assert max(item["end"] for item in got[0]["result"]["items"]) > len(text) // 2  # past the first window


# moderate ----------------------------------------------------------------------------------------

def test_moderate_fields(checkpoint):
    lines = [{"prompt": "how do I bake bread?"},
             {"prompt": "how do I bake bread?", "response": "Mix flour and water."},
             {"response": "Mix flour and water."},
             {"text": "how do I bake bread?"},
             {"other": 1},
             {"prompt": 5}]
    status, got, err = cli(checkpoint, "moderate", lines=lines)
    assert status == 1, err
    assert len(got) == 6
    prompt_only, both, response_only, text_only = (r["result"] for r in got[:4])
    assert set(prompt_only) == {"verdict", "prompt"} and prompt_only["verdict"] in ("safe", "unsafe")
    assert set(both) == {"verdict", "prompt", "response"}
    assert set(response_only) == {"verdict", "response"}
    assert list(prompt_only["prompt"]["tasks"]) == ["prompt_safety", "prompt_toxicity", "jailbreak_detection"]
    assert text_only == prompt_only  # "text" stands in for a missing "prompt"
    assert both["prompt"] == prompt_only["prompt"]
    assert got[4] == {"line": 5, "error": 'expected a JSON object with a "prompt" (or "text") string, '
                                          'a "response" string, or both'}
    assert got[5] == {"line": 6, "error": 'expected a JSON object with a "prompt" string'}
    # --text / --response-text give the JSONL results.
    proc = subprocess.run([spanguard_binary(), "moderate", "--model", checkpoint, "--threads", "1", "--text",
                           "how do I bake bread?", "--response-text", "Mix flour and water."],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == both


def test_moderate_custom_fields_and_policy(checkpoint):
    policy = {"prompt": {"tasks": [{"task": "tox", "labels": ["benign", "insult"], "safe_labels": ["benign"]}]}}
    lines = [{"turn": {"user": "you are dumb"}}, {"turn": {"user": "you are dumb", "bot": "no"}}]
    status, got, err = cli(checkpoint, "moderate", "--policy", json.dumps(policy), "--prompt-field", "turn.user",
                           "--response-field", "turn.bot", lines=lines)
    assert status == 1, err
    result = got[0]["result"]
    assert list(result["prompt"]["tasks"]) == ["tox"]
    tox = result["prompt"]["tasks"]["tox"]
    assert set(tox["scores"]) == {"benign", "insult"}
    assert tox["flagged"] == (tox["labels"] == ["insult"])
    assert result["verdict"] == ("unsafe" if tox["flagged"] else "safe")
    assert "response" not in result
    # A response the policy cannot judge is that record's error, not the run's.
    assert got[1] == {"line": 2, "error": "response: the policy has no response-side tasks"}
    status, _, err = cli(checkpoint, "moderate", "--policy", '{"prompt": {"tasks": [{"task": 1}]}}', lines=[])
    assert status == 1 and "--policy: policy.prompt.tasks[0]" in err
