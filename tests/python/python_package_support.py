"""Helpers for the spanguard Python package tests (test_python_*.py); holds no tests itself.

The package is imported from the build folder ($SPANGUARD_BUILD_DIR/python/spanguard), never from
the source tree (python/spanguard has no compiled extension). A build configured without the
package (sanitizers, no pybind11) skips these tests; a build that should have it but lacks it
fails them.
"""

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

from conftest import BUILD_DIR
SOURCE_DIR = os.environ.get("SPANGUARD_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SHARED_DIR = os.environ.get("SPANGUARD_SHARED_DIR") or os.path.join(SOURCE_DIR, "..", "shared")


def _package_enabled():
    cache = os.path.join(BUILD_DIR, "CMakeCache.txt")
    with open(cache, encoding="utf-8") as f:
        return "SPANGUARD_PYTHON_ENABLED:INTERNAL=1" in f.read()


@functools.lru_cache(maxsize=None)
def _load_package():
    package_parent = os.path.join(BUILD_DIR, "python")
    init = os.path.join(package_parent, "spanguard", "__init__.py")
    assert os.path.exists(init), f"{init} missing: build the _spanguard target"
    # Other test modules put the source tree's python/ (which has a spanguard/ without the compiled
    # extension) on sys.path; the build's copy must win.
    for name in [m for m in sys.modules if m == "spanguard" or m.startswith("spanguard.")]:
        del sys.modules[name]
    sys.path.insert(0, package_parent)
    import spanguard
    assert os.path.dirname(os.path.dirname(os.path.abspath(spanguard.__file__))) == \
        os.path.abspath(package_parent), f"imported {spanguard.__file__}, not the build's"
    # Keep the 2-core CI machine usable: the tests check results, not speed.
    spanguard.set_num_threads(1)
    return spanguard


def spanguard_package():
    """The built spanguard package (skips when this build has none)."""
    if BUILD_DIR is None:
        pytest.skip("SPANGUARD_BUILD_DIR is not set (run through ctest)")
    if not _package_enabled():
        pytest.skip("this build folder was configured without the Python package")
    return _load_package()


@functools.lru_cache(maxsize=None)
def reference_api():
    """python/spanguard_reference.api (PyTorch), appended to sys.path after the build's package."""
    path = os.path.join(SOURCE_DIR, "python")
    if path not in sys.path:
        sys.path.append(path)
    import torch
    torch.set_num_threads(1)
    from spanguard_reference import api, compare
    return api, compare


@functools.lru_cache(maxsize=None)
def random_checkpoint(seed=7):
    """A random-weight tiny GLiNER2 checkpoint, made once per test process."""
    root = tempfile.mkdtemp(prefix="spanguard-python-tests-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    out = os.path.join(root, "tiny")
    subprocess.run([sys.executable, os.path.join(SOURCE_DIR, "python", "tools",
                                                 "make_random_checkpoint.py"),
                    "--out", out, "--shape", "tiny", "--seed", str(seed)],
                   check=True, stdout=subprocess.DEVNULL)
    return out


@functools.lru_cache(maxsize=None)
def random_model():
    return spanguard_package().GLiNER2.from_pretrained(random_checkpoint())


TIM = "Tim Cook is the CEO of Apple, based in Cupertino. Email tim@apple.com for details."
MARIA = "Maria García flew from Madrid to Berlin on 3 March 2024 with Lufthansa"
REVIEW = "Great product! I love it, but shipping took three weeks and support never answered."
TEXTS = [TIM, MARIA, REVIEW, "ok", "Ünïcödé naïve café — 東京で会いましょう 😀 İstanbul"]
LONG = " ".join(f"In {1900 + i} the committee in Geneva met with Dr. Alice Brown of Acme Corp "
                f"to review budget item {i}." for i in range(40))
