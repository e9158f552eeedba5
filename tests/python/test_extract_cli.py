"""`spanguard extract` end to end against the upstream goldens, and its JSONL contract.

Every request of both parity goldens (shared/reference/parity/*.golden.json) is rewritten as a
Schema.from_dict schema plus command-line flags and run through the CLI; each output line must equal
the reference's result: same keys, key order, strings, offsets and list order, confidences within
1e-4. As in golden_parity_test.cc, two list items whose confidences differ by less than 1e-5 may
come out in either order (counted).

The contract: one output line per input line in input order, an {"error": "line N: ..."} record in
place of each bad line, exit status 1 when there was one, 2 for usage errors.
"""

import json
import os
import subprocess

import pytest
from conftest import spanguard_binary

from conftest import BUILD_DIR
SHARED_DIR = os.environ.get("SPANGUARD_SHARED_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")
PARITY_DIR = os.path.join(SHARED_DIR, "reference", "parity")
CHECKPOINTS = ["tiny_count_lstm_v2", "tiny_count_lstm_f16"]

pytestmark = pytest.mark.skipif(BUILD_DIR is None, reason="SPANGUARD_BUILD_DIR is not set (run through ctest)")

SCHEMA_COMBINED = {
    "entities": ["person", "company", "location"],
    "classifications": [{"task": "topic", "labels": ["business", "sports", "science"]}],
    "relations": ["works_for"],
    "structures": {"profile": {"fields": [{"name": "name", "dtype": "str"},
                                          {"name": "role", "dtype": "str"},
                                          {"name": "employer", "dtype": "list"}]}},
}
SCHEMA_ENTS = {"entities": ["person", "organization", "city", "year"]}


def run_extract(checkpoint, schema, lines, *flags):
    """Runs the CLI on raw input lines; returns (exit status, output records, stderr)."""
    stdin = "".join(line + "\n" for line in lines).encode("utf-8")
    proc = subprocess.run(
        [spanguard_binary(), "extract", "--model", checkpoint, "--schema", json.dumps(schema),
         "--threads", "1", *flags],
        input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    out = proc.stdout.decode("utf-8")
    assert out.endswith("\n") or out == ""
    records = [json.loads(line) for line in out.split("\n")[:-1]]
    return proc.returncode, records, proc.stderr.decode("utf-8", "replace")


def schema_for(api, spec):
    """The Schema.from_dict form of a golden request's schema argument."""
    if spec == "SCHEMA_COMBINED":
        return SCHEMA_COMBINED
    if spec == "SCHEMA_ENTS":
        return SCHEMA_ENTS
    if api in ("extract_entities", "batch_extract_entities"):
        return {"entities": spec}
    if api in ("classify_text", "batch_classify_text"):
        tasks = []
        for task, config in spec.items():
            if isinstance(config, dict) and "labels" in config:
                tasks.append({"task": task, **config})
            else:
                tasks.append({"task": task, "labels": config})
        return {"classifications": tasks}
    if api == "extract_relations":
        return {"relations": spec}
    if api == "extract_json":
        return {"structures": {name: {"fields": fields} for name, fields in spec.items()}}
    raise AssertionError(f"no schema rule for {api}")


def flags_for(api, kwargs):
    flags = ["--relative-distances", "microsoft"]  # the goldens' DeBERTa implementation
    if api == "batch_extract_long":
        flags.append("--long")
    for key, value in kwargs.items():
        if key == "threshold":
            flags += ["--threshold", repr(value)]
        elif key == "include_confidence" and value:
            flags.append("--include-confidence")
        elif key == "include_spans" and value:
            flags.append("--include-spans")
        elif key == "batch_size":
            flags += ["--batch-size", str(value)]
        elif key in ("include_confidence", "include_spans"):
            pass
        else:
            raise AssertionError(f"kwarg {key} is not understood by this test")
    return flags


class Comparison:
    """Structural equality with float tolerance; near-tie swaps in lists are undone and counted."""

    def __init__(self):
        self.swaps = 0
        self.max_diff = 0.0

    def diff(self, want, got, path="result"):
        if isinstance(want, float) or isinstance(got, float):
            if not isinstance(want, (int, float)) or not isinstance(got, (int, float)):
                return f"{path}: {want!r} vs {got!r}"
            d = abs(want - got)
            self.max_diff = max(self.max_diff, d)
            return "" if d <= 1e-4 else f"{path}: {want!r} vs {got!r}"
        if type(want) is not type(got):
            return f"{path}: expected {want!r}, got {got!r}"
        if isinstance(want, dict):
            if list(want) != list(got):
                return f"{path}: keys {list(want)} vs {list(got)}"
            for k in want:
                d = self.diff(want[k], got[k], f"{path}.{k}")
                if d:
                    return d
            return ""
        if isinstance(want, list):
            got = list(got)
            for i in range(min(len(want), len(got))):
                if Comparison().diff(want[i], got[i]):
                    for j in range(i + 1, len(got)):
                        if not self._near_tie(got[i], got[j]):
                            break
                        if not Comparison().diff(want[i], got[j]):
                            got[i], got[j] = got[j], got[i]
                            self.swaps += 1
                            break
                d = self.diff(want[i], got[i], f"{path}[{i}]")
                if d:
                    return d
            return "" if len(want) == len(got) else f"{path}: {len(want)} items vs {len(got)}"
        return "" if want == got else f"{path}: expected {want!r}, got {got!r}"

    @staticmethod
    def _near_tie(a, b):
        ca = a.get("confidence") if isinstance(a, dict) else None
        cb = b.get("confidence") if isinstance(b, dict) else None
        return isinstance(ca, float) and isinstance(cb, float) and abs(ca - cb) <= 1e-5


@pytest.mark.needs_shared
@pytest.mark.parametrize("name", CHECKPOINTS)
def test_goldens_through_the_cli(name):
    with open(os.path.join(PARITY_DIR, name + ".golden.json"), encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    checkpoint = os.path.join(PARITY_DIR, name)
    swaps = 0
    for number, case in enumerate(cases):
        api, args, kwargs = case["api"], case["args"], case["kwargs"]
        batched = api.startswith("batch_")
        texts = args[0] if batched else [args[0]]
        expected = case["result"] if batched else [case["result"]]
        status, records, stderr = run_extract(
            checkpoint, schema_for(api, args[1]), [json.dumps({"text": t}) for t in texts],
            *flags_for(api, kwargs))
        assert status == 0, f"case {number}: {stderr}"
        assert len(records) == len(expected), f"case {number}"
        for want, got in zip(expected, records):
            cmp = Comparison()
            d = cmp.diff(want, got)
            assert not d, f"{name} case {number} ({api}): {d}"
            swaps += cmp.swaps
    print(f"{name}: {len(cases)}/{len(cases)} cases through the CLI, {swaps} near-tie swaps")


@pytest.mark.needs_shared
def test_error_records_keep_their_place():
    checkpoint = os.path.join(PARITY_DIR, "tiny_count_lstm_v2")
    schema = {"entities": ["person"], "classifications": [{"task": "t", "labels": ["a", "b"]}]}
    good = ["Tim Cook is the CEO of Apple.", "Maria flew to Berlin", "", "ok"]
    lines = [json.dumps({"text": good[0]}),
             "not json",
             json.dumps({"text": good[1], "id": 7}),  # other keys are ignored
             json.dumps({"text": 5}),
             "",
             json.dumps({"text": good[2]}),
             json.dumps(["text"]),
             json.dumps({"text": good[3]})]
    status, records, _ = run_extract(checkpoint, schema, lines, "--batch-size", "2")
    assert status == 1
    assert len(records) == len(lines)
    assert records[1]["error"].startswith("line 2: invalid JSON")
    assert records[3] == {"error": "line 4: expected a JSON object with a \"text\" string"}
    assert records[4]["error"].startswith("line 5: invalid JSON")
    assert records[6]["error"].startswith("line 7: expected a JSON object")
    # The good lines' results are the ones each gives alone.
    for index, text in zip([0, 2, 5, 7], good):
        alone_status, alone, _ = run_extract(checkpoint, schema, [json.dumps({"text": text})])
        assert alone_status == 0
        assert records[index] == alone[0], index


@pytest.mark.needs_shared
def test_a_text_the_engine_rejects_becomes_an_error_record():
    # With --max-len 2 the last kept word of "hello \u200b world" is the zero-width space, which
    # yields no sub-token, so it has no position to read (the reference would index past the
    # sequence): that line alone becomes an error record, its batch neighbours still run.
    checkpoint = os.path.join(PARITY_DIR, "tiny_count_lstm_v2")
    lines = [json.dumps({"text": "fine text"}), json.dumps({"text": "hello \u200b world"}),
             json.dumps({"text": "also fine"})]
    status, records, _ = run_extract(checkpoint, {"entities": ["x"]}, lines, "--max-len", "2")
    assert status == 1
    assert len(records) == 3
    assert "entities" in records[0] and "entities" in records[2]
    assert records[1]["error"].startswith("line 2: text: the last word (word 1, byte offset 6) "
                                          "yields no sub-token"), records[1]


@pytest.mark.parametrize("flags,message", [
    ([], "--model DIR is required"),
    (["--model", "x"], "--schema JSON|PATH is required"),
    (["--model", "x", "--schema", "{}", "--threshold", "2"], "--threshold needs a number in [0, 1]"),
    (["--model", "x", "--schema", "{}", "--chunk-size", "9"], "--chunk-size and --chunk-overlap need --long"),
    (["--model", "x", "--schema", "{}", "--bogus"], "unknown argument '--bogus'"),
])
def test_usage_errors(flags, message):
    # Without --model the shipped default model is used; point the default at a missing folder so
    # the "no model" message is what this test sees whether or not the default model is built.
    env = dict(os.environ, SPANGUARD_MODEL="/nonexistent/spanguard-model")
    proc = subprocess.run([spanguard_binary(), "extract", *flags], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False, env=env)
    assert proc.returncode == 2
    assert message in proc.stderr.decode("utf-8")


def test_schema_errors_name_the_field():
    checkpoint = os.path.join(PARITY_DIR, "tiny_count_lstm_v2")
    proc = subprocess.run(
        [spanguard_binary(), "extract", "--model", checkpoint, "--schema",
         json.dumps({"entities": {"person": {"threshold": 1.5}}})],
        input=b"", stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    assert proc.returncode == 1
    assert "entities.person.threshold" in proc.stderr.decode("utf-8")
