"""The PEP 517 backend named by pyproject.toml: setuptools' own, reached through this in-tree
module so that pyproject.toml's `backend-path` puts python/ on sys.path, where setuptools then finds
the build commands of spanguard_build.commands."""

from setuptools.build_meta import *  # noqa: F401,F403  (the hooks pip calls)
