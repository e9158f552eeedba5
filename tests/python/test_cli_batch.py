"""The JSONL batch contract shared by `spanguard extract|classify|run|redact|moderate`.

One output line per input line, in input order, whatever the batch size or thread count; an error
record {"line": N, ["id": ...,] "error": "..."} in place of each line that cannot run (bad JSON,
invalid UTF-8, missing or non-string field, empty line); CRLF accepted; dotted --text-field and
--id-field; keyed / merge / bare output shapes; --text for one string; the stderr summary and exit
statuses (0 all ok, 1 any error record, 2 usage). Runs on a random tiny checkpoint: the results are
meaningless as language understanding but deterministic, which is all these tests need.
"""

import json
import os
import re
import select
import subprocess
import threading
import time

import pytest
from conftest import spanguard_binary

from conftest import BUILD_DIR
SOURCE_DIR = os.environ.get("SPANGUARD_SOURCE_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")

pytestmark = pytest.mark.skipif(BUILD_DIR is None, reason="SPANGUARD_BUILD_DIR is not set (run through ctest)")


def cli(*args, stdin=b"", env=None):
    """Runs the tool; returns (status, stdout bytes, stderr text)."""
    full_env = dict(os.environ)
    full_env.pop("SPANGUARD_MODEL", None)
    full_env.update(env or {})
    proc = subprocess.run([spanguard_binary(), *args], input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=full_env, check=False)
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")


def records(out):
    text = out.decode("utf-8")
    assert text.endswith("\n"), text[-200:]
    return [json.loads(line) for line in text.split("\n")[:-1]]


def fixture(name):
    return os.path.join(FIXTURES, name)


ENTITIES = ["--entities", "person,company,city", "--threads", "1"]


def alone(checkpoint, text, *flags):
    """The bare result of one text through --text."""
    status, out, err = cli("extract", "--model", checkpoint, *ENTITIES, *flags, "--text", text)
    assert status == 0, err
    (result,) = records(out)
    return result


def test_malformed_lines_become_error_records_in_place(checkpoint):
    status, out, err = cli("extract", "--model", checkpoint, *ENTITIES, "--format", "keyed", "--id-field", "id",
                           fixture("cli_malformed.jsonl"))
    assert status == 1
    got = records(out)
    assert len(got) == 9  # the last line has no '\n' and still counts
    assert got[0] == {"id": "a", "result": alone(checkpoint, "Tim Cook is the CEO of Apple.")}
    assert got[1]["line"] == 2 and "id" not in got[1] and got[1]["error"].startswith("invalid JSON: ")
    assert got[2] == {"line": 3, "id": "c",
                      "error": 'expected a JSON object with a "text" string; "text" is missing'}
    assert got[3] == {"line": 4, "id": "d", "error": 'expected a JSON object with a "text" string'}
    assert got[4] == {"line": 5, "error": "invalid UTF-8 at byte offset 24 of the line"}
    assert got[5] == {"line": 6, "error": "invalid JSON: empty line"}
    # CRLF: the '\r' is not part of the record.
    assert got[6] == {"id": "g", "result": alone(checkpoint, "Maria flew to Berlin.")}
    assert got[7] == {"line": 8, "error": 'id field "id" is missing'}
    assert got[8] == {"id": 9, "result": alone(checkpoint, "The last line has no newline")}
    assert err.strip().splitlines()[-1] == "spanguard extract: 9 records, 3 ok, 6 errors"


def test_bare_shape_keeps_the_extract_contract(checkpoint):
    status, out, _ = cli("extract", "--model", checkpoint, *ENTITIES, stdin=open(fixture("cli_malformed.jsonl"), "rb").read())
    assert status == 1
    got = records(out)
    assert len(got) == 9
    assert got[0] == alone(checkpoint, "Tim Cook is the CEO of Apple.")
    assert got[3] == {"error": 'line 4: expected a JSON object with a "text" string'}
    assert got[4] == {"error": "line 5: invalid UTF-8 at byte offset 24 of the line"}
    assert got[7]["error"].startswith('line 8: expected a JSON object with a "text" string, got an array')


def test_dotted_text_and_id_fields(checkpoint):
    status, out, _ = cli("run", "--model", checkpoint, "--schema", '{"entities": ["person", "city"]}', "--threads", "1",
                         "--text-field", "doc.body", "--id-field", "meta.id", fixture("cli_nested.jsonl"))
    assert status == 1
    got = records(out)
    assert got[0] == {"id": "n1", "result": cli_result(checkpoint, "Tim Cook is the CEO of Apple.")}
    assert got[1] == {"id": 2, "result": cli_result(checkpoint, "Maria flew to Berlin on Monday.")}
    assert got[2] == {"line": 3, "error": 'id field "meta.id" is missing'}
    assert got[3] == {"line": 4, "id": "n4", "error": 'expected a JSON object with a "doc.body" string'}
    # Digits index arrays.
    status, out, _ = cli("run", "--model", checkpoint, "--schema", '{"entities": ["person", "city"]}', "--threads", "1",
                         "--text-field", "doc.turns.0", fixture("cli_nested.jsonl"))
    got = records(out)
    assert got[0] == {"line": 1, "result": cli_result(checkpoint, "Hello there")}
    assert got[1] == {"line": 2, "result": cli_result(checkpoint, "Only one turn")}
    assert got[2]["error"] == 'expected a JSON object with a "doc.turns.0" string; "doc.turns.0" is missing'


def cli_result(checkpoint, text):
    status, out, err = cli("run", "--model", checkpoint, "--schema", '{"entities": ["person", "city"]}', "--threads",
                           "1", "--text", text)
    assert status == 0, err
    return records(out)[0]


def test_merge_adds_the_result_to_the_input_record(checkpoint):
    lines = [{"text": "Tim Cook is the CEO of Apple.", "keep": [1, {"x": None}], "result": "replaced"},
             {"text": "Maria flew to Berlin.", "z": 1, "a": 2}]
    stdin = "".join(json.dumps(r) + "\n" for r in lines).encode()
    status, out, _ = cli("extract", "--model", checkpoint, *ENTITIES, "--merge", stdin=stdin)
    assert status == 0
    got = records(out)
    for line, record in zip(lines, got):
        expected = dict(line)
        expected["result"] = alone(checkpoint, line["text"])
        assert record == expected
    # Input key order survives; a custom field name.
    status, out, _ = cli("extract", "--model", checkpoint, *ENTITIES, "--merge", "--output-field", "spans", stdin=stdin)
    assert list(records(out)[1]) == ["text", "z", "a", "spans"]
    # An error keeps the error shape.
    status, out, _ = cli("extract", "--model", checkpoint, *ENTITIES, "--merge", stdin=b'[1]\n{"text": "x"}\n')
    assert status == 1
    assert records(out)[0] == {"line": 1, "error": "--format merge needs each line to be a JSON object, got an array"}


def mixed_input(count=23):
    lines = []
    for i in range(count):
        if i % 7 == 3:
            lines.append(b"{broken")
        elif i % 11 == 5:
            lines.append(json.dumps({"id": i}).encode())
        else:
            words = ["Tim", "Cook", "visited", "Berlin", "and", "Apple", "on", "Monday", "with", "Maria"]
            text = " ".join(words[(i + k) % len(words)] for k in range(3 + i % 9))
            lines.append(json.dumps({"id": i, "text": text}).encode())
    return b"\n".join(lines) + b"\n"


def test_order_and_bytes_do_not_depend_on_batch_size_or_threads(checkpoint):
    stdin = mixed_input()
    outputs = {}
    for batch in ("1", "3", "8"):
        for threads in ("1", "2"):
            status, out, _ = cli("extract", "--model", checkpoint, "--entities", "person,company,city",
                                 "--include-confidence", "--include-spans", "--format", "keyed", "--id-field", "id",
                                 "--batch-size", batch, "--threads", threads, stdin=stdin)
            assert status == 1
            outputs[(batch, threads)] = out
    reference = outputs[("1", "1")]
    for key, out in outputs.items():
        assert out == reference, key
    got = records(reference)
    assert len(got) == 23
    for i, record in enumerate(got):
        if i % 7 == 3:
            assert record["line"] == i + 1 and "error" in record
        else:
            assert record["id"] == i


def test_text_mode(checkpoint):
    status, out, err = cli("classify", "--model", checkpoint, "--labels", "a,b,c", "--task", "t", "--threads", "1",
                           "--text", "hello world")
    assert status == 0, err
    (result,) = records(out)
    assert set(result) == {"t"} and result["t"] in ("a", "b", "c")
    assert err == ""  # no summary for a single string
    # The same text through JSONL gives the same result.
    status, out, _ = cli("classify", "--model", checkpoint, "--labels", "a,b,c", "--task", "t", "--threads", "1",
                         stdin=b'{"text": "hello world"}\n')
    assert records(out) == [{"line": 1, "result": result}]
    # A text over --max-text-bytes fails with status 1 and a message on stderr.
    status, out, err = cli("classify", "--model", checkpoint, "--labels", "a,b", "--max-text-bytes", "4",
                           "--text", "hello")
    assert status == 1 and out == b""
    assert "text too long" in err and "5 bytes" in err


def test_text_too_long_and_line_too_long(checkpoint):
    stdin = (json.dumps({"text": "x" * 50}) + "\n" + json.dumps({"text": "short"}) + "\n").encode()
    status, out, _ = cli("extract", "--model", checkpoint, *ENTITIES, "--format", "keyed", "--max-text-bytes", "10",
                         stdin=stdin)
    assert status == 1
    got = records(out)
    assert got[0] == {"line": 1, "error": 'text too long: "text" is 50 bytes, over --max-text-bytes 10'}
    assert "result" in got[1]


def test_summary_and_exit_status(checkpoint):
    status, out, err = cli("extract", "--model", checkpoint, *ENTITIES, stdin=b'{"text": "a"}\n{"text": "b"}\n')
    assert status == 0 and len(records(out)) == 2
    assert err == "spanguard extract: 2 records, 2 ok, 0 errors\n"
    status, out, err = cli("extract", "--model", checkpoint, *ENTITIES, "--quiet", stdin=b'{"text": "a"}\n')
    assert status == 0 and err == ""
    status, out, err = cli("extract", "--model", checkpoint, *ENTITIES, stdin=b"")
    assert status == 0 and out == b"" and err == "spanguard extract: 0 records, 0 ok, 0 errors\n"
    status, _, err = cli("extract", "--model", checkpoint, *ENTITIES, "/nonexistent/input.jsonl")
    assert status == 1 and "cannot open input '/nonexistent/input.jsonl'" in err


@pytest.mark.parametrize("args,message", [
    (["extract", "--entities", "a", "--id-field", "id"], "--id-field needs --format keyed or merge"),
    (["extract", "--entities", "a", "--format", "pretty"], "--format must be bare, keyed or merge"),
    (["redact", "--preset", "pii", "--format", "pretty"],
     "--format must be bare, keyed, merge or presidio, not 'pretty'"),
    (["extract", "--entities", "a,,b"], "--entities needs a comma-separated list"),
    (["run", "--entities", "a"], "unknown argument '--entities'"),
    (["extract", "--entities", "a", "--quiet=yes"], "option --quiet takes no value"),
    (["tokenize", "--offset-units=words"], "--offset-units must be bytes or codepoints"),
    (["run"], "--schema JSON|PATH is required"),
    (["classify", "--labels", "a", "--tasks", "{}"], "give either --labels a,b,c or --tasks"),
    (["redact"], "give --labels a,b,c, --preset NAME, --entities T,... or --custom-recognizers"),
    (["redact", "--labels", "a", "--preset", "pii"], "give either --labels a,b,c or --preset NAME"),
    (["redact", "--entities", "FOO"], "--entities: no pattern recognizer finds 'FOO'"),
    (["redact", "--labels", "a", "--recognizers", "regex"],
     "--recognizers takes model, patterns or model,patterns, not 'regex'"),
    (["redact", "--labels", "a", "--chunk-size", "32", "--chunk-overlap", "32"],
     "--chunk-overlap must be smaller than --chunk-size"),
    (["moderate", "--chunk-size", "32"], "--chunk-size and --chunk-overlap need --long"),
    (["redact", "--preset", "nope"], 'unknown preset "nope"'),
    (["redact", "--labels", "a", "--validate", "maybe"], "--validate must be off, annotate or reject"),
    (["extract", "--entities", "a", "--resume"], "--resume needs --output PATH"),
    (["extract", "--entities", "a", "--text", "x", "in.jsonl"], "--text and an input file exclude each other"),
    (["extract", "--entities", "a", "--text-field", "a..b"], "--text-field 'a..b'"),
    (["extract", "--entities", "a", "--batch-size", "0"], "--batch-size needs an integer >= 1"),
])
def test_usage_errors(checkpoint, args, message):
    status, _, err = cli(*args, "--model", checkpoint)
    assert status == 2, err
    assert message in err, err
    assert "usage: spanguard " + args[0] in err


def test_default_model(checkpoint):
    # $SPANGUARD_MODEL stands in for --model.
    status, out, err = cli("extract", *ENTITIES, "--text", "Tim Cook", env={"SPANGUARD_MODEL": checkpoint})
    assert status == 0, err
    assert records(out)[0] == alone(checkpoint, "Tim Cook")
    status, _, err = cli("extract", *ENTITIES, "--text", "x", env={"SPANGUARD_MODEL": "/nonexistent/model"})
    assert status == 2
    assert "SPANGUARD_MODEL='/nonexistent/model' is not a folder" in err


@pytest.mark.parametrize("command", ["extract", "classify", "run", "redact", "moderate"])
def test_help(command):
    status, out, _ = cli(command, "--help")
    assert status == 0
    text = out.decode()
    assert text.startswith("usage: spanguard " + command)
    for needle in ("example:", "--text-field PATH", "--id-field PATH", "--format SHAPE", "--merge", "--resume",
                   "--batch-size N", "--threads N", "--max-text-bytes N", "--model DIR", "exactly one line per input",
                   '{"line": N, "id": ID, "error": "..."}'):
        assert needle in text, (command, needle)
    assert max(len(line) for line in text.splitlines()) <= 100
    status, out, _ = cli("--help")
    assert status == 0 and ("  " + command + " ") in out.decode()


def test_progress_only_on_a_terminal(checkpoint, tmp_path):
    import pty
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(json.dumps({"text": f"line {i} of Tim Cook"}).encode() + b"\n" for i in range(3000)))
    master, slave = pty.openpty()
    try:
        proc = subprocess.run([spanguard_binary(), "extract", "--model", checkpoint, *ENTITIES, str(source)],
                              stdout=subprocess.DEVNULL, stderr=slave, check=False)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other side is closed and drained
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    assert proc.returncode == 0
    text = seen.decode("utf-8", "replace")
    assert "records/s" in text and "ETA" in text, text  # a file input has a known size
    assert text.rstrip().endswith("spanguard extract: 3000 records, 3000 ok, 0 errors")


def test_a_round_ends_at_8_mib_so_big_lines_stream(checkpoint):
    # A round reads up to 8 batches of lines, but beyond its first batch it stops at 8 MiB: eight
    # lines of 1.1 MiB (one batch) must come back while the ninth line is still being written,
    # instead of the tool waiting for 56 more lines. The texts are over --max-text-bytes, so they
    # become error records without reaching the model. The unfinished ninth line is longer than
    # the reader's 64 KiB buffer, so the reader is not left waiting for bytes to fill it.
    big = (json.dumps({"text": "y" * (1100 * 1024)}) + "\n").encode()
    ninth = json.dumps({"text": "z" * (200 * 1024)}).encode()
    proc = subprocess.Popen([spanguard_binary(), "extract", "--model", checkpoint, *ENTITIES, "--quiet",
                             "--batch-size", "8", "--max-text-bytes", "1000", "--format", "keyed"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def write(data):
        proc.stdin.write(data)
        proc.stdin.flush()

    writer = threading.Thread(target=write, args=(big * 8 + ninth,))
    writer.start()
    got = b""
    deadline = time.monotonic() + 120
    try:
        while got.count(b"\n") < 8 and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 1.0)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 1 << 16)
                if not chunk:
                    break
                got += chunk
        arrived = got.count(b"\n")
        assert arrived == 8, f"{arrived} of 8 lines came back while the ninth was unfinished"
        writer.join()
        write(b"\n")
    finally:
        writer.join()
        proc.stdin.close()
        rest = proc.stdout.read()
        proc.wait(timeout=60)
        proc.stderr.close()
        proc.stdout.close()
    lines = [json.loads(line) for line in (got + rest).decode().splitlines()]
    assert [r["line"] for r in lines] == list(range(1, 10))
    assert all(r["error"].startswith("text too long") for r in lines)


@pytest.mark.parametrize("command", ["tokenize", "convert-tokenizer", "extract", "classify", "run", "redact",
                                     "moderate"])
def test_every_option_in_help_is_accepted(command, tmp_path):
    """The help and the parser read one option table: every option --help lists parses (it may then
    fail on its value or on the combination, never as an unknown argument)."""
    status, out, _ = cli(command, "--help")
    assert status == 0
    names = sorted(set(re.findall(r"^  (?:FILE \| )?(--[a-z0-9-]+)", out.decode(), re.M)))
    assert len(names) >= 4, names
    env = {k: v for k, v in os.environ.items() if k != "SPANGUARD_MODEL"}
    for name in names:
        # In an empty folder: --output=x may create x there; --input=x finds nothing.
        proc = subprocess.run([spanguard_binary(), command, name + "=x"], input=b"", stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, cwd=str(tmp_path), env=env, check=False)
        assert b"unknown argument" not in proc.stderr, (command, name, proc.stderr)
    # An option shown with a value placeholder wants one.
    valued = re.findall(r"^  (--[a-z0-9-]+) [A-Z]", out.decode(), re.M)
    assert valued
    status, _, err = cli(command, valued[-1])
    assert status == 2 and f"option {valued[-1]} needs a value" in err, err
