"""Building the `spanguard` Python package with pip: `pip install --no-build-isolation .` from the
repository root (pyproject.toml). The extension is built with CMake, as python/install.py does, and
the wheel carries the package, its stubs and the shipped default model."""
