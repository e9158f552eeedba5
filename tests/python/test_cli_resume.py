"""Batch integrity of the JSONL runner at scale, and --resume after a crash.

A 10,000-line input with ~5% malformed lines (bad JSON, missing field, non-string field, invalid
UTF-8, empty lines) and one 5 MB line gives exactly 10,000 output lines in order, the malformed ones
as error records and the 5 MB one as a "text too long" record (the default --max-text-bytes is
1 MiB). A run killed with SIGKILL part-way and then continued with --resume leaves a file
byte-identical to the uninterrupted run's, and so does resuming a file whose last line was cut in
the middle.
"""

import json
import os
import signal
import subprocess
import time

import pytest
from conftest import spanguard_binary

from conftest import BUILD_DIR
SOURCE_DIR = os.environ.get("SPANGUARD_SOURCE_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")

pytestmark = pytest.mark.skipif(BUILD_DIR is None, reason="SPANGUARD_BUILD_DIR is not set (run through ctest)")

LINES = 10_000
HUGE_LINE = 1234  # 1-based number of the 5 MB line
WORDS = ["Tim", "Cook", "visited", "Berlin", "with", "Maria", "and", "Apple", "on", "Monday"]


def make_line(n):
    """Input line n (1-based) and the error it must produce (None for a good line)."""
    if n == HUGE_LINE:
        text = ("spam " * (5 * 1024 * 1024 // 5))
        return json.dumps({"text": text}).encode(), 'text too long: "text" is 5,242,880 bytes'
    kind = n % 20  # one line in 20 is malformed: 5%
    if kind == 3:
        return {1: b'{"text": "unterminated', 2: b'{"text": 1}', 3: b'{"body": "no text"}',
                4: b'{"text": "bad \xff byte"}', 0: b""}[n // 20 % 5], "error"
    text = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(2 + n % 5))
    return json.dumps({"text": text}).encode(), None


@pytest.fixture(scope="module")
def big_input(tmp_path_factory):
    path = tmp_path_factory.mktemp("resume") / "input.jsonl"
    expected = []
    with open(path, "wb") as f:
        for n in range(1, LINES + 1):
            line, error = make_line(n)
            f.write(line + (b"\r\n" if n % 97 == 0 else b"\n"))
            expected.append(error)
    return str(path), expected


def command(checkpoint, input_path, output_path, *extra):
    return [spanguard_binary(), "extract", "--model", checkpoint, "--entities", "person,city", "--format", "keyed",
            "--threads", "1", "--batch-size", "16", "--output", output_path, input_path, *extra]


@pytest.fixture(scope="module")
def full_run(checkpoint, big_input, tmp_path_factory):
    input_path, _ = big_input
    output = str(tmp_path_factory.mktemp("resume") / "full.jsonl")
    started = time.monotonic()
    proc = subprocess.run(command(checkpoint, input_path, output), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=False)
    seconds = time.monotonic() - started
    with open(output, "rb") as f:
        data = f.read()
    return proc, data, seconds


def test_ten_thousand_lines_with_malformed_ones(big_input, full_run):
    _, expected = big_input
    proc, data, seconds = full_run
    assert proc.returncode == 1
    assert proc.stdout == b""  # everything went to --output
    lines = data.decode("utf-8").split("\n")
    assert lines[-1] == ""
    records = [json.loads(line) for line in lines[:-1]]
    assert len(records) == LINES
    errors = 0
    for n, (record, error) in enumerate(zip(records, expected), start=1):
        assert record["line"] == n
        if error is None:
            assert list(record) == ["line", "result"] and "entities" in record["result"], record
        else:
            errors += 1
            assert list(record) == ["line", "error"], record
            if error != "error":
                assert record["error"].startswith(error), record["error"][:200]
    assert 450 <= errors <= 600
    summary = proc.stderr.decode().strip().splitlines()[-1]
    assert summary == f"spanguard extract: {LINES} records, {LINES - errors} ok, {errors} errors"
    print(f"{LINES} lines ({errors} error records) in {seconds:.1f} s")


def count_lines(path):
    with open(path, "rb") as f:
        return f.read().count(b"\n")


def test_kill_and_resume_is_byte_identical(checkpoint, big_input, full_run, tmp_path):
    input_path, _ = big_input
    _, full, _ = full_run
    output = str(tmp_path / "killed.jsonl")
    proc = subprocess.Popen(command(checkpoint, input_path, output), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        # Kill once a good part (and the 5 MB line) is written, well before the end.
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if os.path.exists(output) and os.path.getsize(output) > len(full) // 4:
                break
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    with open(output, "rb") as f:
        partial = f.read()
    assert len(full) // 4 < len(partial) < len(full)
    assert full.startswith(partial)  # what was written is the uninterrupted run's beginning
    resumed = subprocess.run(command(checkpoint, input_path, output, "--resume"), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, check=False)
    assert resumed.returncode == 1  # error records remain in the resumed part
    done = partial.count(b"\n")
    assert f"(resumed after {done} lines already in --output '{output}')" in resumed.stderr.decode()
    with open(output, "rb") as f:
        assert f.read() == full


def test_resume_cuts_a_partial_last_line(checkpoint, big_input, full_run, tmp_path):
    input_path, _ = big_input
    _, full, _ = full_run
    # Keep 9,000 complete lines and half of the next one, as a kill in mid-write would.
    cut = 0
    for _ in range(9_000):
        cut = full.index(b"\n", cut) + 1
    next_end = full.index(b"\n", cut) + 1
    output = tmp_path / "cut.jsonl"
    output.write_bytes(full[:cut + (next_end - cut) // 2])
    proc = subprocess.run(command(checkpoint, input_path, str(output), "--resume"), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False)
    assert proc.stderr.decode().strip().splitlines()[-1].startswith(f"spanguard extract: {LINES - 9_000} records")
    assert output.read_bytes() == full
    # Resuming a complete file runs nothing and changes nothing.
    proc = subprocess.run(command(checkpoint, input_path, str(output), "--resume"), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False)
    assert proc.returncode == 0
    assert proc.stderr.decode().startswith("spanguard extract: 0 records, 0 ok, 0 errors")
    assert output.read_bytes() == full


def test_resume_refuses_an_output_longer_than_the_input(checkpoint, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"text": "a"}\n{"text": "b"}\n')
    output = tmp_path / "out.jsonl"
    output.write_bytes(b"1\n2\n3\n")
    proc = subprocess.run(command(checkpoint, str(source), str(output), "--resume"), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False)
    assert proc.returncode == 1
    assert "already has 3 lines but input" in proc.stderr.decode()
    assert "has only 2" in proc.stderr.decode()
    assert output.read_bytes() == b"1\n2\n3\n"
