"""Node's string encodings (Buffer.from(str, enc) and StringDecoder), for bytes/str."""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from typing import Any

from . import errors

# Node's names (case-insensitive) -> one canonical name.
_ALIASES = {
    "utf8": "utf8", "utf-8": "utf8",
    "ucs2": "utf16le", "ucs-2": "utf16le", "utf16le": "utf16le", "utf-16le": "utf16le",
    "latin1": "latin1", "binary": "latin1",
    "ascii": "ascii", "hex": "hex", "base64": "base64", "base64url": "base64url",
}


def normalize(encoding: Any) -> str | None:
    """Node's normalizeEncoding: a canonical name, or None if unknown."""
    if encoding is None or encoding == "":
        return "utf8"
    if not isinstance(encoding, str):
        return None
    return _ALIASES.get(encoding.lower())


def check(encoding: Any) -> str:
    """The canonical name, or Node's ERR_UNKNOWN_ENCODING."""
    enc = normalize(encoding)
    if enc is None:
        raise errors.make("ERR_UNKNOWN_ENCODING", encoding)
    return enc


def _ufffd(exc: UnicodeError) -> tuple[str, int]:
    if isinstance(exc, UnicodeEncodeError):
        return "\ufffd", exc.end
    raise exc


codecs.register_error("pynet-ufffd", _ufffd)


_HEX_PREFIX = re.compile(r"[0-9a-fA-F]*")


def _hex_to_bytes(s: str) -> bytes:
    # Node stops at the first pair that is not hex and drops an odd last digit.
    digits = _HEX_PREFIX.match(s).end()  # type: ignore[union-attr]
    return bytes.fromhex(s[:digits - digits % 2])


_B64_KEEP = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_")


def _base64_to_bytes(s: str) -> bytes:
    # Node ignores what is not in either alphabet and needs no padding.
    cleaned = "".join(c for c in s.split("=", 1)[0] if c in _B64_KEEP)
    cleaned = cleaned.replace("-", "+").replace("_", "/")
    if len(cleaned) % 4 == 1:
        cleaned = cleaned[:-1]
    try:
        return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except binascii.Error:
        return b""


def _low_bytes(s: str) -> bytes:
    try:
        return s.encode("latin-1")
    except UnicodeEncodeError:
        return bytes(ord(c) & 0xFF for c in s)


_ENCODERS = {
    "utf8": lambda s: s.encode("utf-8", "pynet-ufffd"),
    "utf16le": lambda s: s.encode("utf-16-le", "surrogatepass"),
    "latin1": _low_bytes,
    "ascii": _low_bytes,
    "hex": _hex_to_bytes,
    "base64": _base64_to_bytes,
    "base64url": _base64_to_bytes,
}


def encode(s: str, encoding: str) -> bytes:
    """``Buffer.from(s, encoding)``; ``encoding`` already canonical."""
    return _ENCODERS[encoding](s)  # type: ignore[no-any-return]


_ASCII = bytes(range(128)) * 2


class Decoder:
    """Node's StringDecoder: no character is split across two chunks."""

    __slots__ = ("encoding", "_codec", "_rest")

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._rest = b""
        self._codec: Any = None
        if encoding == "utf8":
            self._codec = codecs.getincrementaldecoder("utf-8")("replace")
        elif encoding == "utf16le":
            self._codec = codecs.getincrementaldecoder("utf-16-le")("replace")

    def write(self, data: bytes) -> str:
        enc = self.encoding
        if self._codec is not None:
            return self._codec.decode(data)  # type: ignore[no-any-return]
        if enc == "latin1":
            return data.decode("latin-1")
        if enc == "ascii":
            return data.translate(_ASCII).decode("ascii")
        if enc == "hex":
            return data.hex()
        data = self._rest + data
        cut = len(data) - len(data) % 3
        self._rest = data[cut:]
        return self._b64(data[:cut])

    def _b64(self, data: bytes) -> str:
        text = base64.b64encode(data).decode("ascii")
        if self.encoding == "base64url":
            text = text.replace("+", "-").replace("/", "_").rstrip("=")
        return text

    def end(self) -> str:
        if self._codec is not None:
            return self._codec.decode(b"", final=True)  # type: ignore[no-any-return]
        rest, self._rest = self._rest, b""
        return self._b64(rest) if rest else ""
