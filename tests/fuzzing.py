"""What the fuzzers that diff pynet against node share (test_stream_fuzz.py,
test_socket_fuzz.py): the step runner, node's logs, and the first difference."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pynet as net

from .conftest import NODE


def show(v: Any) -> Any:
    """A logged chunk: bytes as ``b:`` and their latin-1 text (``show`` in the JS)."""
    if v is None:
        return None
    return "b:" + v.decode("latin-1") if isinstance(v, bytes) else v


def read_in_readable(stream: Any, how: str, log: list[Any]) -> None:
    """What a scenario's 'readable' listener reads after logging the event
    (``onReadable``): everything there is ("drain"), two ("read2"), or nothing."""
    if how == "drain":
        while (chunk := stream.read()) is not None:
            log.append(["read in readable", show(chunk)])
    elif how == "read2":
        log.append(["read in readable", show(stream.read(2))])


def step_runner(step: Callable[[list[Any]], None],
                on_throw: Callable[[Exception], None]) -> Callable[[list[Any], int], None]:
    """run_steps(steps, i): the steps in order; ``["tick"]`` goes on with the rest
    on the next tick, and a step that raises is logged by ``on_throw`` (runSteps in
    the JavaScript twins)."""

    def run_steps(steps: list[Any], i: int) -> None:
        while i < len(steps):
            if steps[i][0] == "tick":
                net.nextTick(run_steps, steps, i + 1)
                return
            try:
                step(steps[i])
            except Exception as e:  # noqa: BLE001 - logged, as the JS twin does
                on_throw(e)
            i += 1

    return run_steps


def node_logs(runner: Path, scs: list[dict[str, Any]], folder: Path,
              *args: str) -> list[Any] | None:
    """Each scenario's log from the JavaScript twin ``runner``; None without node."""
    if NODE is None:
        return None
    path = folder / "scenarios.json"
    path.write_text(json.dumps(scs))
    out = subprocess.run([NODE, str(runner), str(path), *args], capture_output=True,
                         text=True, timeout=120, check=True)
    return json.loads(out.stdout)


def _reads(log: list[Any]) -> list[tuple[int, str]]:
    """The (n, text) of each logged read(n) that returned text."""
    return [(e[1], e[2]) for e in log if isinstance(e, list) and len(e) == 3
            and e[0] == "read" and isinstance(e[1], int) and isinstance(e[2], str)
            and not e[2].startswith("b:")]


def without_node_fromlist_bug(got: list[Any], want: list[Any]) -> tuple[list[Any], int]:
    """node's logs, less the scenarios where node 20 shows its fromList bug.

    With an encoding set and several strings buffered, Node 20's read(n)
    compares what is left of n with the number of buffered chunks instead of
    the chunk's length (``n === buf.length``), so it can return a whole chunk,
    more than n characters, and count n of them gone (the readable length
    then says there is data that is not there).  nodejs/node#61884 (merged
    2026-02) fixed it on main; pynet reads n characters, as the fix does.  In
    such a scenario pynet's log stands in for node's once every read(n) of
    pynet's returned at most n characters (so the two still differ if pynet
    read too much).  Returns the logs to compare with and how many stood in."""
    out, replaced = list(want), 0
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        if any(len(text) > n for n, text in _reads(w)) \
                and all(len(text) <= n for n, text in _reads(g)):
            out[i] = g
            replaced += 1
    return out, replaced


def first_difference(scs: list[dict[str, Any]], got: list[Any], want: list[Any],
                     what: str) -> str:
    """How many scenarios differ, and where the first one does; "" when none."""
    differ = [i for i in range(len(scs)) if got[i] != want[i]]
    if not differ:
        return ""
    i = differ[0]
    g, w = got[i], want[i]
    k = next(k for k in range(max(len(g), len(w))) if k >= len(g) or k >= len(w) or g[k] != w[k])
    return (f"{what}: {len(differ)} of {len(scs)} scenarios differ; first: #{i} "
            f"{json.dumps(scs[i])}\nfrom entry {k}:\n  got:      {g[k:k + 6]}\n"
            f"  expected: {w[k:k + 6]}")
