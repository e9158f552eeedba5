"""Randomized parity: the engine against the project's PyTorch reference (python/spanguard_reference)
on freshly generated random-weight checkpoints in the published layout.

For each configuration below, the test writes a checkpoint with python/tools/make_random_checkpoint.py,
generates >= 200 requests (multi-task schemas, descriptions, choices, texts over 384 words, padded
batches) and runs the PyTorch reference on them with python/tools/make_parity_cases.py, which writes a
golden file in the upstream format; then the engine's golden test (schemas_tests, GoldenParity.*)
replays every request and compares input ids, hidden states (<= 1e-4) and the decoded JSON.

The PyTorch reference itself is checked against the upstream goldens in test_torch_reference.py, so
this is a comparison between two independent implementations.

Base shapes (gliner2-base-v1: H=768, 12 layers, 208,476,821 parameters) are too slow for CI; the
documented command in bench/README.md ("Randomized parity at base shape") runs the same test with
SPANGUARD_RANDOM_PARITY_SHAPE=base.
"""
import os
import pathlib
import subprocess
import sys

import pytest

SOURCE = pathlib.Path(os.environ.get("SPANGUARD_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
BUILD = pathlib.Path(os.environ.get("SPANGUARD_BUILD_DIR", SOURCE / "build"))
SCHEMAS_TESTS = BUILD / "tests" / "schemas" / "schemas_tests"
SHAPE = os.environ.get("SPANGUARD_RANDOM_PARITY_SHAPE", "tiny")
COUNT = int(os.environ.get("SPANGUARD_RANDOM_PARITY_CASES", "200"))

CONFIGS = [
    # (counting layer, stored dtype, seed)
    ("count_lstm_v2", "f32", 11),
    ("count_lstm", "f16", 12),
]


def run(cmd, **kw):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    return proc.returncode, proc.stdout


@pytest.mark.parametrize("counting_layer,dtype,seed", CONFIGS)
def test_engine_matches_torch_reference(counting_layer, dtype, seed, tmp_path):
    if not SCHEMAS_TESTS.exists():
        pytest.fail(f"{SCHEMAS_TESTS} is not built")
    checkpoint = tmp_path / "checkpoint"
    golden = tmp_path / "cases.golden.json"
    rc, out = run([sys.executable, str(SOURCE / "python/tools/make_random_checkpoint.py"),
                   "--out", str(checkpoint), "--shape", SHAPE, "--seed", str(seed),
                   "--counting-layer", counting_layer, "--dtype", dtype])
    assert rc == 0, out
    rc, out = run([sys.executable, str(SOURCE / "python/tools/make_parity_cases.py"),
                   "--checkpoint", str(checkpoint), "--out", str(golden), "--count", str(COUNT),
                   "--seed", str(seed)])
    assert rc == 0, out
    env = dict(os.environ, SPANGUARD_PARITY_CHECKPOINT=str(checkpoint), SPANGUARD_PARITY_GOLDEN=str(golden))
    rc, out = run([str(SCHEMAS_TESTS), "--gtest_filter=GoldenParity.*"], env=env)
    summary = [line for line in out.splitlines() if "golden parity" in line or "within" in line]
    print(f"\n[{SHAPE} {counting_layer} {dtype}, {COUNT} cases]", *summary, sep="\n  ")
    assert rc == 0, out[-6000:]
    assert any(f"/{COUNT} cases" in line for line in summary), out[-3000:]
