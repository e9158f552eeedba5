"""What every Python test shares: the build and source folders, the built `spanguard` tool, a tiny
random checkpoint for the command-line tests, where the fixtures beside the repository are, and
the `needs_shared` marker.

../shared/reference (parity checkpoints, upstream goldens, Hugging Face samples) is present in CI
and in the development workspace, not in a user's clone. Tests marked `needs_shared` are skipped,
with the reason, when it is missing, and fail instead when SPANGUARD_REQUIRE_FIXTURES=1 (set by
.ci/run), so CI never silently stops running them.
"""

import os
import subprocess

import pytest

SOURCE_DIR = os.environ.get("SPANGUARD_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SHARED_DIR = os.environ.get("SPANGUARD_SHARED_DIR") or os.path.join(SOURCE_DIR, "..", "shared")
# Set by ctest; suites that run built programs skip without it.
BUILD_DIR = os.environ.get("SPANGUARD_BUILD_DIR")


def spanguard_binary():
    """The `spanguard` tool of the build folder."""
    path = os.path.join(BUILD_DIR, "schemas", "spanguard")
    assert os.path.exists(path), f"{path} has not been built"
    return path


@pytest.fixture(scope="session")
def checkpoint(tmp_path_factory):
    """A tiny random-weight GLiNER2 checkpoint (made once per session) for command-line tests."""
    path = tmp_path_factory.getbasetemp() / "cli_tiny_checkpoint"
    if not (path / "config.json").exists():
        subprocess.run(["/usr/bin/python3", os.path.join(SOURCE_DIR, "python", "tools", "make_random_checkpoint.py"),
                        "--out", str(path), "--shape", "tiny", "--seed", "7"],
                       check=True, stdout=subprocess.DEVNULL)
    return str(path)


def shared_present():
    return os.path.isfile(os.path.join(SHARED_DIR, "reference", "spm.model"))


def require_shared_file(path):
    """`path` (under ../shared) when it exists; else the test is skipped, or fails when
    SPANGUARD_REQUIRE_FIXTURES=1."""
    if os.path.exists(path):
        return path
    if os.environ.get("SPANGUARD_REQUIRE_FIXTURES") == "1":
        pytest.fail(f"{path} is missing (SPANGUARD_REQUIRE_FIXTURES=1)")
    pytest.skip(f"{path} is missing: the fixtures beside the repository are not beside this clone")


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_shared: reads ../shared/reference beside the clone")


def pytest_collection_modifyitems(config, items):
    needing = [item for item in items if item.get_closest_marker("needs_shared")]
    if not needing or shared_present():
        return
    where = os.path.join(SHARED_DIR, "reference")
    if os.environ.get("SPANGUARD_REQUIRE_FIXTURES") == "1":
        raise pytest.UsageError(f"{len(needing)} tests need {where}, which is missing "
                                "(SPANGUARD_REQUIRE_FIXTURES=1)")
    skip = pytest.mark.skip(reason=f"needs {where}, which is not beside this clone")
    for item in needing:
        item.add_marker(skip)
