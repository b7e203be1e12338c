"""Node's argument validators (lib/internal/validators.js), for Python values.

Booleans are not numbers here, as in JavaScript, although Python's ``bool``
is an ``int``.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .errors import make


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# JavaScript's StringToNumber: what it trims (WhiteSpace and LineTerminator,
# which is not what str.strip() trims) and the literals it accepts (ASCII
# digits only; no underscores; a sign only before a decimal or Infinity).
_JS_SPACE = "\t\n\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007" \
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_JS_NUMBER = re.compile(r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
                        r"|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+")


def _to_number(value: Any) -> float:
    """JavaScript's unary ``+`` on a number or string (NaN when it is not one)."""
    if is_number(value):
        try:
            return float(value)
        except OverflowError:  # an int beyond a double: JavaScript would say Infinity
            return math.inf if value > 0 else -math.inf
    if isinstance(value, str):
        text = value.strip(_JS_SPACE)
        if text == "":
            return 0.0
        if _JS_NUMBER.fullmatch(text) is None:
            return math.nan
        if text[0] == "0" and text[1:2] in ("x", "X", "o", "O", "b", "B"):
            try:
                return float(int(text, 0))
            except OverflowError:
                return math.inf
        return float(text.replace("Infinity", "inf"))
    return math.nan


def is_legal_port(port: Any) -> bool:
    """Node's isLegalPort: a number or numeric string in 0..65535."""
    if isinstance(port, str) and port.strip(_JS_SPACE) == "":
        return False
    if not (is_number(port) or isinstance(port, str)):
        return False
    n = _to_number(port)
    return not math.isnan(n) and n.is_integer() and 0 <= n <= 0xFFFF


def validate_port(port: Any, name: str = "Port", allow_zero: bool = True) -> int:
    """Node's validatePort: returns the port as an int."""
    if not is_legal_port(port) or (not allow_zero and _to_number(port) == 0):
        raise make("ERR_SOCKET_BAD_PORT", name, port, allow_zero)
    return int(_to_number(port))


def validate_function(value: Any, name: str) -> None:
    if not callable(value):
        raise make("ERR_INVALID_ARG_TYPE", name, "function", value)


def validate_string(value: Any, name: str) -> None:
    if not isinstance(value, str):
        raise make("ERR_INVALID_ARG_TYPE", name, "string", value)


def validate_boolean(value: Any, name: str) -> None:
    if not isinstance(value, bool):
        raise make("ERR_INVALID_ARG_TYPE", name, "boolean", value)


def validate_object(value: Any, name: str) -> None:
    if not hasattr(value, "get") or not hasattr(value, "items"):
        raise make("ERR_INVALID_ARG_TYPE", name, "object", value)


def validate_number(value: Any, name: str, minimum: float | None = None,
                    maximum: float | None = None) -> None:
    if not is_number(value):
        raise make("ERR_INVALID_ARG_TYPE", name, "number", value)
    lo = minimum is not None and value < minimum
    hi = maximum is not None and value > maximum
    if lo or hi or (value != value and (minimum is not None or maximum is not None)):
        if minimum is not None and maximum is not None:
            rng = f">= {minimum} && <= {maximum}"
        elif minimum is not None:
            rng = f">= {minimum}"
        else:
            rng = f"<= {maximum}"
        raise make("ERR_OUT_OF_RANGE", name, rng, value)


def validate_int32(value: Any, name: str, minimum: int = -(2**31),
                   maximum: int = 2**31 - 1) -> int:
    if not is_number(value):
        raise make("ERR_INVALID_ARG_TYPE", name, "number", value)
    if not float(value).is_integer():
        raise make("ERR_OUT_OF_RANGE", name, "an integer", value)
    if not minimum <= value <= maximum:
        raise make("ERR_OUT_OF_RANGE", name, f">= {minimum} && <= {maximum}", value)
    return int(value)


def validate_uint32(value: Any, name: str, positive: bool = False) -> int:
    return validate_int32(value, name, 1 if positive else 0, 2**32 - 1)


to_number = _to_number


def to_int32(value: Any) -> int:
    """JavaScript's ToInt32, as the C++ side sees a number it is handed (a backlog)."""
    n = _to_number(value)
    if n != n or n in (math.inf, -math.inf):
        return 0
    n = int(n) % 2**32
    return n - 2**32 if n >= 2**31 else n
