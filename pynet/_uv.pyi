# The compiled cffi module (built by _uv_build.py): dynamically typed by nature.
from typing import Any

ffi: Any
lib: Any
