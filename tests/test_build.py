"""The build: libuv found by pkg-config or a prefix, one clear #error without headers."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import shutil
import subprocess

import pytest

import pynet
from pynet._ffi import LIBUV_VERSION

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = ROOT / "pynet" / "_uv_build.py"


def _load_build_module():
    spec = importlib.util.spec_from_file_location("_uv_build_under_test", BUILD)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_linked_libuv_is_at_least_1_44():
    assert LIBUV_VERSION >= (1, 44, 0)
    assert pynet._uv.lib.uv_version() == (
        (LIBUV_VERSION[0] << 16) | (LIBUV_VERSION[1] << 8) | LIBUV_VERSION[2])


def test_prefix_override_points_the_build_at_another_libuv(monkeypatch):
    mod = _load_build_module()
    monkeypatch.setenv("PYNET_LIBUV_PREFIX", "/opt/libuv")
    flags = mod._libuv_flags()
    assert flags["include_dirs"] == ["/opt/libuv/include"]
    assert flags["library_dirs"] == ["/opt/libuv/lib"]
    assert flags["libraries"] == ["uv"]


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc to run the preprocessor")
def test_missing_headers_fail_on_one_error_line_naming_the_package(tmp_path):
    # -nostdinc hides every system header, uv.h included: what a machine
    # without libuv1-dev sees.
    out = subprocess.run(["gcc", "-nostdinc", "-isystem", str(tmp_path), "-fsyntax-only", "-x", "c",
                          str(ROOT / "pynet" / "_uv_shim.c")],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode != 0
    errors = [line for line in out.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, out.stderr
    assert "apt-get install pkg-config libuv1-dev" in errors[0]
    assert "libuv-devel" in errors[0] and "brew install libuv" in errors[0]


def test_the_compiled_module_is_abi3():
    so = pathlib.Path(pynet._uv.__file__).name
    assert ".abi3." in so, so


def test_only_ffi_imports_the_compiled_module():
    users = [p.name for p in (ROOT / "pynet").glob("*.py")
             if "from ._uv import" in p.read_text() or "import pynet._uv" in p.read_text()]
    assert users == ["_ffi.py"]


def test_pure_modules_import_without_the_build():
    code = ("import sys; sys.modules['pynet._uv'] = None\n"
            "import importlib.util, pathlib\n"
            "root = pathlib.Path('pynet')\n"
            "import types; pkg = types.ModuleType('pynet'); pkg.__path__ = [str(root)]\n"
            "sys.modules['pynet'] = pkg\n"
            "import pynet.events, pynet.errors, pynet._validators, pynet._ip, pynet._encoding\n"
            "print('ok')")
    out = subprocess.run([os.sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT)
    assert out.stdout.strip() == "ok", out.stderr
