"""Build-time only: compiles pynet._uv (cffi, out-of-line API mode) against libuv.

libuv is found with pkg-config (``libuv >= 1.44``).  ``PYNET_LIBUV_PREFIX``
points at another installation (its ``include/`` and ``lib/``).  When the
headers cannot be found the build still goes ahead, so that an sdist can be
made; the compile then stops on the shim's single ``#error`` line, which names
the package to install.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

from cffi import FFI

HERE = pathlib.Path(__file__).resolve().parent
MIN_LIBUV = "1.44"


def _pkg_config(*args: str) -> list[str] | None:
    if shutil.which("pkg-config") is None:
        return None
    try:
        out = subprocess.run(
            ["pkg-config", *args, f"libuv >= {MIN_LIBUV}"],
            check=True, capture_output=True, text=True,
        ).stdout
    except subprocess.CalledProcessError:
        return None
    return out.split()


def _libuv_flags() -> dict[str, list[str]]:
    prefix = os.environ.get("PYNET_LIBUV_PREFIX")
    if prefix:
        return {
            "include_dirs": [os.path.join(prefix, "include")],
            "library_dirs": [os.path.join(prefix, "lib")],
            "runtime_library_dirs": [os.path.join(prefix, "lib")],
            "libraries": ["uv"],
        }
    cflags = _pkg_config("--cflags") or []
    libs = _pkg_config("--libs") or ["-luv"]
    return {
        "include_dirs": [f[2:] for f in cflags if f.startswith("-I")],
        "library_dirs": [f[2:] for f in libs if f.startswith("-L")],
        "libraries": [f[2:] for f in libs if f.startswith("-l")] or ["uv"],
    }


ffibuilder = FFI()
ffibuilder.cdef((HERE / "_uv_cdef.h").read_text())
ffibuilder.set_source(
    "pynet._uv",
    (HERE / "_uv_shim.c").read_text(),
    py_limited_api=True,
    # The stable ABI of the oldest CPython we support (the wheel is cp311-abi3):
    # the upcalls use the C API, and cffi alone would pin it at 3.2's.
    define_macros=[("Py_LIMITED_API", "0x030B0000")],
    # -Wfatal-errors: without libuv's headers the shim's #error is the only line printed.
    extra_compile_args=[] if sys.platform == "win32" else ["-O2", "-Wfatal-errors"],
    **_libuv_flags(),
)

if __name__ == "__main__":
    ffibuilder.compile(tmpdir=str(HERE.parent / "build"), verbose=True)
