"""python/install.py: installs the package from the existing build folder into a target folder,
from where a fresh interpreter imports it and runs a model; refuses a build folder made for another
interpreter and a target holding something else under that name."""

import os
import subprocess
import sys

from python_package_support import BUILD_DIR, SOURCE_DIR, random_checkpoint, spanguard_package

INSTALL = os.path.join(SOURCE_DIR, "python", "install.py")


def run_install(*args):
    return subprocess.run([sys.executable, INSTALL, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False)


def test_install_into_target_and_import(tmp_path):
    spanguard_package()
    target = tmp_path / "site"
    proc = run_install("--target", str(target), "--build-dir", BUILD_DIR, "-j", "1")
    assert proc.returncode == 0, proc.stderr.decode()
    names = sorted(os.listdir(target / "spanguard"))
    assert "__init__.py" in names and "py.typed" in names and "_spanguard.pyi" in names
    assert any(n.startswith("_spanguard.") and n.endswith(".so") for n in names)
    script = ("import json, sys, spanguard\n"
              "m = spanguard.load(sys.argv[1])\n"
              "print(json.dumps([spanguard.__file__, m.extract_entities('Tim Cook is the CEO of "
              "Apple.', ['person'], include_confidence=True)]))\n")
    out = subprocess.run([sys.executable, "-c", script, random_checkpoint()], cwd=str(tmp_path),
                         env=dict(os.environ, PYTHONPATH=str(target)), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, check=False)
    assert out.returncode == 0, out.stderr.decode()
    import json
    path, result = json.loads(out.stdout)
    assert path == str(target / "spanguard" / "__init__.py")
    assert list(result) == ["entities"]
    # Installing again replaces the earlier install.
    assert run_install("--target", str(target), "--build-dir", BUILD_DIR,
                       "--no-build").returncode == 0


def test_install_refuses_foreign_folders(tmp_path):
    spanguard_package()
    other = tmp_path / "site" / "spanguard"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text("# someone else's package\n")
    proc = run_install("--target", str(tmp_path / "site"), "--build-dir", BUILD_DIR)
    assert proc.returncode == 1 and b"is not a spanguard install" in proc.stderr
    assert (other / "__init__.py").read_text() == "# someone else's package\n"
    fake = tmp_path / "build"
    fake.mkdir()
    (fake / "CMakeCache.txt").write_text(
        "SPANGUARD_PYTHON_INTERPRETER:INTERNAL=/opt/other/python3\n")
    proc = run_install("--target", str(tmp_path / "t2"), "--build-dir", str(fake))
    assert proc.returncode == 1 and b"was configured for /opt/other/python3" in proc.stderr
