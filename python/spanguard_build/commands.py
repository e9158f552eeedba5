"""setuptools commands of the pip build (pyproject.toml [tool.setuptools.cmdclass]).

build_py builds the pybind11 extension with CMake for the interpreter running pip (python/install.py
does the configure and build; the build folder is build-python/<interpreter> under the repository,
or $SPANGUARD_BUILD_DIR when it names a folder configured for this interpreter, which the tests use
to skip a second build) and puts the package, the extension and the shipped default model
(data/models/spanguard-small-v1 -> spanguard/models/) into the wheel. bdist_wheel marks the wheel as
platform-specific, since it holds a compiled module.
"""

import os
import shutil
import sys

from setuptools.command.build_py import build_py
from wheel.bdist_wheel import bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_MODEL = "spanguard-small-v1"

sys.path.insert(0, os.path.dirname(HERE))
import install  # noqa: E402  (python/install.py: the CMake build of the extension)


def _build_dir():
    given = os.environ.get("SPANGUARD_BUILD_DIR")
    if given and install.same_interpreter(install.cache_value(given, "SPANGUARD_PYTHON_INTERPRETER"),
                                          sys.executable):
        return given, True
    return install.default_build_dir(), False


class BuildPy(build_py):
    """Copies the CMake-built package (Python files, stubs, extension) and the default model."""

    def run(self):
        build_dir, explicit = _build_dir()
        package = install.build(build_dir, explicit, os.cpu_count() or 1)
        dest = os.path.join(self.build_lib, "spanguard")
        if os.path.exists(dest):
            shutil.rmtree(dest)
        os.makedirs(dest)
        for name in sorted(os.listdir(package)):
            if name.endswith((".py", ".pyi", ".so")) or name == "py.typed":
                shutil.copy2(os.path.join(package, name), os.path.join(dest, name))
        model = os.path.join(REPO, "data", "models", DEFAULT_MODEL)
        # The model without its evaluation sets: they document it, they are not needed to run it.
        shutil.copytree(model, os.path.join(dest, "models", DEFAULT_MODEL),
                        ignore=shutil.ignore_patterns("eval", "*.md"))


class BdistWheel(bdist_wheel):
    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False
