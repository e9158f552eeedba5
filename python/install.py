#!/usr/bin/env python3
"""Builds the spanguard Python package for the interpreter running this script and installs it.
Offline: needs CMake, a C++20 compiler, pybind11 and the interpreter's headers (on Debian:
cmake, g++, pybind11-dev, python3-dev and the other packages of .ci/install-deps); no pip, no PyPI.

    python3 python/install.py                 # user site-packages (inside a venv: the venv's)
    python3 python/install.py --target DIR    # into DIR (then put DIR on PYTHONPATH)

The build goes to build-python/<interpreter> under the repository (reused by later runs);
--build-dir reuses an existing build folder instead, which must have been configured for this same
interpreter (the tests pass the main build folder to skip a second build).
"""

import argparse
import hashlib
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "spanguard"


def fail(message):
    print(f"install.py: error: {message}", file=sys.stderr)
    sys.exit(1)


def cache_value(build_dir, name):
    """A CMakeCache.txt entry (None when absent)."""
    path = os.path.join(build_dir, "CMakeCache.txt")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            if key.split(":")[0] == name:
                return value
    return None


def same_interpreter(a, b):
    return a is not None and os.path.realpath(a) == os.path.realpath(b)


def run(command):
    print("+ " + " ".join(command), flush=True)
    if subprocess.run(command, check=False).returncode != 0:
        fail(f"command failed: {' '.join(command)}")


def configure(build_dir):
    command = ["cmake", "-S", REPO, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
               "-DSPANGUARD_BUILD_TESTS=OFF", "-DSPANGUARD_BUILD_BENCH=OFF",
               "-DSPANGUARD_BUILD_PYTHON=ON", f"-DPython_EXECUTABLE={sys.executable}"]
    if shutil.which("ninja") and not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
        command += ["-G", "Ninja"]
    run(command)


def build(build_dir, explicit, jobs):
    interpreter = cache_value(build_dir, "SPANGUARD_PYTHON_INTERPRETER")
    if not same_interpreter(interpreter, sys.executable):
        if explicit and os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
            fail(f"{build_dir} was configured for {interpreter or 'no Python package'}, not "
                 f"{sys.executable}; leave out --build-dir or pass another folder")
        configure(build_dir)
        interpreter = cache_value(build_dir, "SPANGUARD_PYTHON_INTERPRETER")
        if cache_value(build_dir, "SPANGUARD_PYTHON_ENABLED") != "1" or \
                not same_interpreter(interpreter, sys.executable):
            fail("CMake could not set up the Python package (see its messages above): it needs "
                 "pybind11 (Debian: pybind11-dev) and this interpreter's headers (python3-dev)")
    run(["cmake", "--build", build_dir, "--target", "_spanguard", "-j", str(jobs)])
    return built_package(build_dir)


def built_package(build_dir):
    """The build folder's package, checked to be for this interpreter."""
    interpreter = cache_value(build_dir, "SPANGUARD_PYTHON_INTERPRETER")
    if not same_interpreter(interpreter, sys.executable):
        fail(f"{build_dir} was configured for {interpreter or 'no Python package'}, not "
             f"{sys.executable}")
    package = os.path.join(build_dir, "python", PACKAGE)
    module = "_spanguard" + sysconfig.get_config_var("EXT_SUFFIX")
    if not os.path.exists(os.path.join(package, module)):
        fail(f"the build produced no {module} in {package}")
    return package


def default_build_dir():
    """build-python/<interpreter> under the repository: one folder per interpreter, reused."""
    tag = hashlib.sha256(os.path.realpath(sys.executable).encode()).hexdigest()[:8]
    return os.path.join(REPO, "build-python", f"{sys.implementation.cache_tag}-{tag}")


def destination(args):
    if args.target:
        return os.path.abspath(args.target)
    in_venv = sys.prefix != getattr(sys, "base_prefix", sys.prefix)
    if in_venv and not args.user:
        return sysconfig.get_paths()["purelib"]
    if not site.ENABLE_USER_SITE:
        fail("the user site-packages is disabled for this interpreter; use --target DIR")
    return site.getusersitepackages()


def install(package, site_dir):
    """Copies the package folder (Python files, stubs, the extension) to site_dir/spanguard,
    replacing an earlier install of it but nothing else."""
    dest = os.path.join(site_dir, PACKAGE)
    if os.path.exists(dest):
        if not any(name.startswith("_spanguard") for name in os.listdir(dest)):
            fail(f"{dest} exists and is not a spanguard install; remove it or choose --target")
        shutil.rmtree(dest)
    os.makedirs(dest)
    for name in sorted(os.listdir(package)):
        if name.endswith((".py", ".pyi", ".so")) or name == "py.typed":
            shutil.copy2(os.path.join(package, name), os.path.join(dest, name))
    return dest


def verify(site_dir, dest):
    """Imports the installed package in a fresh interpreter, from a neutral folder."""
    env = dict(os.environ, PYTHONPATH=site_dir)
    with tempfile.TemporaryDirectory() as cwd:
        out = subprocess.run([sys.executable, "-c", "import spanguard; print(spanguard.__file__)"],
                             cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             check=False)
    found = out.stdout.decode().strip()
    if out.returncode != 0 or os.path.dirname(os.path.realpath(found)) != os.path.realpath(dest):
        fail(f"the installed package does not import from {dest}:\n{out.stderr.decode()}{found}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = p.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true",
                       help="install into the user site-packages (the default outside a venv)")
    where.add_argument("--target", metavar="DIR", help="install into DIR")
    p.add_argument("--build-dir", metavar="DIR",
                   help="build folder to use (default: build-python/<interpreter>)")
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                   help="parallel compile jobs")
    p.add_argument("--no-build", action="store_true",
                   help="install what the build folder holds without building (needs --build-dir)")
    args = p.parse_args()
    if shutil.which("cmake") is None:
        fail("cmake not found (Debian: apt-get install cmake)")
    build_dir = os.path.abspath(args.build_dir) if args.build_dir else default_build_dir()
    if args.no_build and not args.build_dir:
        p.error("--no-build needs --build-dir")
    if args.no_build:
        package = built_package(build_dir)
    else:
        package = build(build_dir, args.build_dir is not None, args.jobs)
    site_dir = destination(args)
    dest = install(package, site_dir)
    verify(site_dir, dest)
    print(f"installed {PACKAGE} for {sys.executable} into {dest}")


if __name__ == "__main__":
    main()
