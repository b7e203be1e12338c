"""The valgrind log reader counts an error in the shim and ignores CPython's own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# valgrind ends each record with "==PID== " and a newline (note the space).
RECORD = ("==1== Invalid read of size 8\n"
          "==1==    at 0x1: {top} (x.c:1)\n"
          "==1==    by 0x2: _PyEval_EvalFrameDefault (ceval.c:1)\n"
          "==1== \n")


def summary(tmp_path: Path, tops: list[str]) -> subprocess.CompletedProcess[str]:
    log = tmp_path / "v.log"
    log.write_text("".join(RECORD.format(top=t) for t in tops)
                   + "==1== ERROR SUMMARY: 2 errors from 2 contexts\n")
    script = Path(__file__).with_name("valgrind_summary.py")
    return subprocess.run([sys.executable, str(script), str(log)], capture_output=True,
                          text=True, timeout=30)


def test_shim_errors_count_cpython_ones_do_not(tmp_path):
    out = summary(tmp_path, ["pynet_write", "Py_INCREF"])
    assert out.returncode == 1
    assert "valgrind error records: 2 (in libuv or pynet's shim: 1)" in out.stdout
    clean = summary(tmp_path, ["Py_INCREF", "visit_decref"])
    assert clean.returncode == 0
    assert "(in libuv or pynet's shim: 0)" in clean.stdout
