"""`cmake --install`: the spanguard binary and the shipped model under PREFIX/share/spanguard/models,
which the installed binary runs without --model, from any working folder, in preference to the
source tree's copy."""

import json
import os
import pathlib
import subprocess

import pytest

from conftest import BUILD_DIR

pytestmark = pytest.mark.skipif(BUILD_DIR is None,
                                reason="SPANGUARD_BUILD_DIR is not set (run through ctest)")


def install_prefix(tmp_path):
    prefix = tmp_path / "prefix"
    proc = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", str(prefix),
                           "--component", "Unspecified"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert proc.returncode == 0, proc.stdout.decode()
    return prefix


def test_installed_binary_runs_its_installed_model(tmp_path):
    prefix = install_prefix(tmp_path)
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


CONSUMER = r"""
#include <spanguard/spanguard.h>

#include <iostream>

int main() {
    const spanguard::Model model = spanguard::Model::load_default();
    const spanguard::Extraction r =
        model.extract("Mail jo@x.org", spanguard::Schema().entities({"email"}));
    for (const spanguard::Entity& e : r.entities)
        std::cout << "entity " << e.label << " " << e.text << " " << e.start << " " << e.end << "\n";
    spanguard::RedactOptions redact;
    redact.preset = "common";
    std::cout << "redacted " << model.redact("Mail jo@x.org", redact).text << "\n";
    try {
        spanguard::Schema().classification("task", {});
    } catch (const spanguard::RequestError& e) {
        std::cout << "error " << e.where() << "\n";
    }
    std::cout << "model " << model.directory() << "\n";
}
"""

CONSUMER_CMAKE = """cmake_minimum_required(VERSION 3.22)
project(consumer CXX)
find_package(spanguard 0.1 REQUIRED)
add_executable(consumer main.cc)
target_link_libraries(consumer PRIVATE spanguard::spanguard)
"""


def check_consumer_output(out, prefix):
    lines = out.splitlines()
    assert "redacted Mail <EMAIL_ADDRESS>" in lines, out
    assert "error schema.classifications[0].labels" in lines, out
    # The installed library found the model installed beside it, not the source tree's.
    assert f"model {prefix}/share/spanguard/models/spanguard-small-v1" in lines, out


def test_consumer_builds_with_find_package_and_pkg_config(tmp_path):
    prefix = install_prefix(tmp_path)
    header = prefix / "include" / "spanguard" / "spanguard.h"
    assert header.is_file()
    # The one public header needs nothing but the standard library.
    includes = [line for line in header.read_text().splitlines() if line.startswith("#include")]
    assert all(line.startswith("#include <") and "/" not in line for line in includes), includes
    env = {k: v for k, v in os.environ.items() if k != "SPANGUARD_MODEL"}

    source = tmp_path / "consumer"
    source.mkdir()
    (source / "main.cc").write_text(CONSUMER)
    (source / "CMakeLists.txt").write_text(CONSUMER_CMAKE)
    build = tmp_path / "consumer-build"
    for cmd in (["cmake", "-S", str(source), "-B", str(build), f"-DCMAKE_PREFIX_PATH={prefix}"],
                ["cmake", "--build", str(build)]):
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
        assert proc.returncode == 0, proc.stdout.decode()
    run = subprocess.run([str(build / "consumer")], cwd=str(tmp_path), env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    assert run.returncode == 0, run.stderr.decode()
    check_consumer_output(run.stdout.decode(), prefix)

    # pkg-config, with the prefix moved: the .pc file finds its prefix from where it lies.
    moved = tmp_path / "moved"
    prefix.rename(moved)
    pc_dirs = [str(p.parent) for p in moved.rglob("spanguard.pc")]
    assert pc_dirs
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "spanguard"],
                           env={**env, "PKG_CONFIG_PATH": ":".join(pc_dirs)},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    flags = flags.stdout.decode().split()
    libdir = next(f[2:] for f in flags if f.startswith("-L"))
    assert pathlib.Path(libdir).resolve().is_relative_to(moved.resolve()), flags
    binary = tmp_path / "consumer-pc"
    proc = subprocess.run(["g++", "-std=c++17", str(source / "main.cc"), "-o", str(binary),
                           *flags, f"-Wl,-rpath,{libdir}"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert proc.returncode == 0, proc.stdout.decode()
    run = subprocess.run([str(binary)], cwd=str(tmp_path), env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, check=False)
    assert run.returncode == 0, run.stderr.decode()
    check_consumer_output(run.stdout.decode(), pathlib.Path(libdir).resolve().parent)
