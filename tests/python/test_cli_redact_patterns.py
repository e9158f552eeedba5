"""`spanguard redact` with pattern recognizers beside the shipped model: the README's operator
example applies every operator it names, structured values are redacted whole, Presidio-shaped
output, user recognizers, and the window options. Runs the real binary on the shipped model."""

import json
import os
import re
import shlex
import subprocess

import pytest
from conftest import spanguard_binary

from conftest import BUILD_DIR
SOURCE_DIR = os.environ.get("SPANGUARD_SOURCE_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")

pytestmark = pytest.mark.skipif(BUILD_DIR is None,
                                reason="SPANGUARD_BUILD_DIR is not set (run through ctest)")


def redact(*args, stdin=None):
    proc = subprocess.run([spanguard_binary(), "redact", "--threads", "1", *args], input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False,
                          cwd=SOURCE_DIR)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def readme_operator_command():
    """The `spanguard redact ... --operators ...` command of README's redaction section."""
    with open(os.path.join(SOURCE_DIR, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    command = next(b for b in blocks if "--operators" in b and "redact" in b)
    return shlex.split(command.replace("\\\n", " "))


def test_readme_operator_example_applies_every_operator(tmp_path):
    args = readme_operator_command()
    assert args[0].endswith("spanguard") and args[1] == "redact"
    operators = json.loads(args[args.index("--operators") + 1])
    out = tmp_path / "redacted.jsonl"
    args[args.index("--output") + 1] = str(out)
    status, _, err = redact(*args[2:])
    assert status == 0, err
    records = [json.loads(line) for line in out.read_text().splitlines()]
    items = [item for r in records for item in r["result"]["items"]]
    text = "\n".join(r["result"]["text"] for r in records)
    # The quick-start card is masked whatever synonym fired, and the e-mail hashed.
    cards = [i for i in items if i["entity_type"] == "CREDIT_CARD"]
    assert cards and all(i["operator"] == "mask" for i in cards)
    assert "***************1111" in text and "4111 1111 1111 1111" not in text
    emails = [i for i in items if i["entity_type"] == "EMAIL_ADDRESS"]
    assert emails and all(i["operator"] == "hash" for i in emails)
    assert "j.peterson@example.org" not in text
    for key in operators:
        if key != "default":
            assert any(i["operator"] == operators[key]["type"] for i in items), key
    assert all(i["operator"] == "replace" for i in items
               if i["entity_type"] not in ("CREDIT_CARD", "EMAIL_ADDRESS"))


@pytest.mark.parametrize("text,values", [
    ("Access from 2001:db8:85a3::8a2e:370:7334 and from fe80::1 today.",
     ["2001:db8:85a3::8a2e:370:7334", "fe80::1"]),
    ("Call +33 (0)1 51 78 78 14 tomorrow.", ["+33 (0)1 51 78 78 14"]),
    ("Wallet 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2, key AKIAIOSFODNN7EXAMPLE.",
     ["1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "AKIAIOSFODNN7EXAMPLE"]),
])
def test_structured_values_are_redacted_whole(text, values):
    status, out, err = redact("--preset", "pii", "--text", text, "--include-original")
    assert status == 0, err
    result = json.loads(out)
    found = [item["text"] for item in result["items"]]
    for value in values:
        assert value in found, (value, result)
        assert value not in result["text"]
    # No fragment of a value survives next to a redaction.
    for value in values:
        for piece in re.split(r"[:. ()]+", value):
            if len(piece) >= 3:
                assert piece not in result["text"], (piece, result["text"])


def test_recognizers_switch_and_presidio_format():
    text = "Mail jo@example.org from 10.1.2.3"
    status, out, err = redact("--preset", "common", "--recognizers", "patterns", "--text", text)
    assert status == 0, err
    items = json.loads(out)["items"]
    assert [(i["entity_type"], i["recognizer"]) for i in items] == [
        ("EMAIL_ADDRESS", "EmailRecognizer"), ("IP_ADDRESS", "IpRecognizer")]
    status, out, err = redact("--preset", "common", "--recognizers", "patterns",
                              "--format", "presidio", stdin=json.dumps({"text": text}).encode())
    assert status == 0, err
    presidio = json.loads(out)
    assert list(presidio) == ["analyzer_results", "anonymizer_result"]
    first = presidio["analyzer_results"][0]
    assert list(first) == ["entity_type", "start", "end", "score", "analysis_explanation",
                           "recognition_metadata"]
    assert first["recognition_metadata"]["recognizer_name"] == "EmailRecognizer"
    assert text[first["start"]:first["end"]] == "jo@example.org"
    anonymized = presidio["anonymizer_result"]
    assert anonymized["text"] == "Mail <EMAIL_ADDRESS> from <IP_ADDRESS>"
    for item in anonymized["items"]:
        assert list(item) == ["start", "end", "entity_type", "text", "operator"]
        assert anonymized["text"][item["start"]:item["end"]] == item["text"]


def test_custom_recognizers_and_their_errors(tmp_path):
    path = tmp_path / "recognizers.json"
    path.write_text(json.dumps({"recognizers": [
        {"name": "EmployeeId", "entity_type": "EMPLOYEE_ID",
         "patterns": [{"regex": "EMP-[0-9]{6}", "score": 0.9}]},
        {"name": "Codenames", "entity_type": "PROJECT", "deny_list": ["Blue Heron"]}]}))
    status, out, err = redact("--custom-recognizers", str(path), "--recognizers", "patterns",
                              "--text", "EMP-004211 works on Blue Heron.")
    assert status == 0, err
    assert json.loads(out)["text"] == "<EMPLOYEE_ID> works on <PROJECT>."
    path.write_text(json.dumps([{"name": "Broken", "entity_type": "X",
                                 "patterns": [{"regex": "(unclosed"}]}]))
    status, _, err = redact("--custom-recognizers", str(path), "--text", "x")
    assert status != 0
    assert 'recognizers[0].patterns[0].regex: recognizer "Broken": invalid regular expression' \
        in err


def test_window_options_reach_the_model():
    text = " ".join(["Maria Gonzalez paid with card 4111 1111 1111 1111 today."] * 60)
    outs = []
    for size, overlap in (("64", "16"), ("384", "64")):
        status, out, err = redact("--preset", "common", "--recognizers", "model", "--chunk-size",
                                  size, "--chunk-overlap", overlap, "--text", text)
        assert status == 0, err
        outs.append(json.loads(out))
    assert all(r["items"] for r in outs)
    # Every record gets a result and the items stay inside the text, whatever the windows.
    for r in outs:
        assert all(0 <= i["start"] < i["end"] <= len(text) for i in r["items"])


def test_moderate_length_error_names_an_option_it_accepts():
    text = " ".join(f"word{i} is here." for i in range(2000))
    proc = subprocess.run([spanguard_binary(), "moderate", "--threads", "1", "--text", text],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    message = proc.stdout.decode() + proc.stderr.decode()
    assert "--long" in message and "moderate" in message, message
    proc = subprocess.run([spanguard_binary(), "moderate", "--threads", "1", "--long", "--text", text],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout)["verdict"] in ("safe", "unsafe")
