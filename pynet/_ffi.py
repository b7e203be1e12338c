"""The one importer of the compiled module ``pynet._uv``."""

from __future__ import annotations

try:
    from ._uv import ffi, lib
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError(
        "pynet's compiled part (pynet._uv) is not built. From a checkout run "
        "`make dev` (or `pip install -e .`); it needs libuv >= 1.44 and its headers "
        "(Debian/Ubuntu: apt-get install pkg-config libuv1-dev)."
    ) from exc

__all__ = ["ffi", "lib", "LIBUV_VERSION"]

LIBUV_VERSION: tuple[int, int, int] = (
    (lib.uv_version() >> 16) & 0xFF, (lib.uv_version() >> 8) & 0xFF, lib.uv_version() & 0xFF,
)
