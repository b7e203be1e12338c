"""Reads a valgrind memcheck log: counts the error records, and those that
happen in libuv or pynet's C shim (the top frames of the record are there).

CPython itself reports "uninitialised value" records under memcheck even with
PYTHONMALLOC=malloc (a pure-Python loop of allocations and gc.collect() gives
hundreds on this interpreter build); those are not counted as ours.
"""

from __future__ import annotations

import re
import sys

KINDS = re.compile(r"==\d+== (Invalid (read|write|free)|Conditional jump|Use of uninitialised|"
                   r"Syscall param|Mismatched free|Source and destination overlap)")
OURS = re.compile(r"(libuv|uv_|uv__|pynet_|_uv\.abi3\.so)")


def main() -> int:
    text = open(sys.argv[1]).read()
    records = re.split(r"==\d+== \n", text)
    total = ours = 0
    shown = []
    for rec in records:
        if not KINDS.search(rec):
            continue
        total += 1
        top = re.findall(r"(?:at|by) 0x[0-9A-Fa-f]+: ([^\n]+)", rec)[:4]
        if any(OURS.search(frame) for frame in top):
            ours += 1
            shown.append(rec.strip())
    summary = re.search(r"ERROR SUMMARY: (\d+) errors from (\d+) contexts", text)
    print(f"valgrind error records: {total} (in libuv or pynet's shim: {ours})")
    if summary:
        print(f"valgrind ERROR SUMMARY: {summary.group(1)} errors from {summary.group(2)} contexts")
    for rec in shown[:5]:
        print(rec)
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main())
