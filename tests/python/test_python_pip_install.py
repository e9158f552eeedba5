"""`pip install --no-build-isolation .` (pyproject.toml): into a fresh virtual environment with the
system site packages, offline, reusing the test build's CMake folder for the extension; the
installed package loads its own copy of the default model with spanguard.load()."""

import json
import os
import subprocess
import sys

import pytest

from python_package_support import BUILD_DIR, SOURCE_DIR, spanguard_package


def test_pip_install_then_load_the_default_model(tmp_path):
    spanguard_package()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    env = dict(os.environ, SPANGUARD_BUILD_DIR=BUILD_DIR, PIP_NO_INDEX="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("SPANGUARD_MODEL", None)
    proc = subprocess.run([python, "-m", "pip", "install", "--no-build-isolation", SOURCE_DIR],
                          cwd=str(tmp_path), env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, check=False)
    assert proc.returncode == 0, proc.stdout.decode()[-4000:]
    script = ("import json, spanguard\n"
              "m = spanguard.load()\n"
              "print(json.dumps([spanguard.__file__, spanguard.default_model_path(),\n"
              "                  m.extract_entities('Mail jo@x.org', ['email'])]))\n")
    out = subprocess.run([python, "-c", script], cwd=str(tmp_path), env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    assert out.returncode == 0, out.stderr.decode()
    path, model, result = json.loads(out.stdout)
    site = str(venv / "lib")
    assert path.startswith(site) and model.startswith(site)
    assert os.path.isfile(os.path.join(model, "model.safetensors"))
    assert result == {"entities": {"email": ["jo@x.org"]}}
    uninstall = subprocess.run([python, "-m", "pip", "uninstall", "-y", "spanguard"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert uninstall.returncode == 0, uninstall.stdout.decode()


def test_load_without_a_path_names_where_it_looked(tmp_path):
    sg = spanguard_package()
    assert os.path.isfile(os.path.join(sg.default_model_path(), "config.json"))
    missing = str(tmp_path / "nowhere")
    old = os.environ.get("SPANGUARD_MODEL")
    os.environ["SPANGUARD_MODEL"] = missing
    try:
        assert sg.default_model_path() == missing
        with pytest.raises(sg.LoadError):
            sg.load()
    finally:
        if old is None:
            del os.environ["SPANGUARD_MODEL"]
        else:
            os.environ["SPANGUARD_MODEL"] = old
