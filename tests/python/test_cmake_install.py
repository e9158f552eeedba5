"""`cmake --install`: the spanguard binary and the shipped model under PREFIX/share/spanguard/models,
which the installed binary runs without --model, from any working folder, in preference to the
source tree's copy."""

import json
import os
import subprocess

import pytest

BUILD_DIR = os.environ.get("SPANGUARD_BUILD_DIR")

pytestmark = pytest.mark.skipif(BUILD_DIR is None,
                                reason="SPANGUARD_BUILD_DIR is not set (run through ctest)")


def test_installed_binary_runs_its_installed_model(tmp_path):
    prefix = tmp_path / "prefix"
    proc = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", str(prefix),
                           "--component", "Unspecified"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert proc.returncode == 0, proc.stdout.decode()
    binary = prefix / "bin" / "spanguard"
    model = prefix / "share" / "spanguard" / "models" / "spanguard-small-v1"
    assert binary.is_file() and (model / "model.safetensors").is_file()
    assert not (model / "eval").exists()
    env = {k: v for k, v in os.environ.items() if k != "SPANGUARD_MODEL"}
    helped = subprocess.run([str(binary), "redact", "--help"], cwd=str(tmp_path), env=env,
                            stdout=subprocess.PIPE, check=True).stdout.decode()
    assert str(model) in helped
    out = subprocess.run([str(binary), "redact", "--preset", "common", "--threads", "1", "--text",
                          "Mail jo@x.org"], cwd=str(tmp_path), env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, check=False)
    assert out.returncode == 0, out.stderr.decode()
    assert json.loads(out.stdout)["text"] == "Mail <EMAIL_ADDRESS>"
