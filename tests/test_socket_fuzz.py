"""Sockets against node's, on scenarios nobody wrote by hand.

A seeded generator makes short programs run on the server side of a real
connection (a Unix socket in a temporary folder) while its peer sends text:
pause/resume, adding and removing 'data' and 'readable' listeners (on, once,
prependListener, off, removeAllListeners), setEncoding, read(n), unshift,
setTimeout on and off, ``readableFlowing = false``, pipe/unpipe into a Writable
that calls back at once or on the next turn, destroy; and writes back: bytes,
strings, with a callback, empty, 20 KB and 1 MiB (more than the kernel takes
at once), 'data' listeners that echo what they get, cork/uncork, end, and a
peer that stops and starts reading; spread over process.nextTick turns.  Each
phase of steps ends when every byte sent has been read and, while the peer
reads, every byte written has reached it, two turns later; the peer ends the
connection last.  ``socket_fuzz.js`` runs the programs in node and this file
runs them on pynet; both log every event, return value and the public state,
and what the peer got, and the logs must be identical.

The same programs also run with pynet's shortcuts switched off: a socket
whose reads always go through ``Socket._onread``, never straight from the
shim to its one 'data' listener, and whose writes always take Node's path
(``stream._write``), never the inlined one nor the write gate.  Every place
that must switch a shortcut off is a step here, and the two pynet logs must
be identical too, node or not.  (Each was checked to fail here or in
test_socket_stream.py when its switch-off is left out; the idle timer's,
whose timer never fires in a scenario, and those for end(), destroy() and
connect(), which a scenario rarely reaches with the gate open, have tests
there.)
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from pathlib import Path
from typing import Any

import pytest

import pynet as net
from pynet import socket as _socket
from pynet.stream import Writable

from . import fuzzing
from .fuzzing import first_difference, node_logs, read_in_readable, show, step_runner

RUNNER = Path(__file__).with_name("socket_fuzz.js")
SEED = 20261202
COUNT = 250

_TEXT = "abcdé"  # é: two bytes in utf8, one in latin1


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_TEXT) for _ in range(rng.choice([1, 2, 3, 5])))


def _step(rng: random.Random) -> list[Any]:
    kind = rng.choices(
        ["send", "pause", "resume", "on", "once", "prependListener", "off",
         "removeAllListeners", "setEncoding", "read", "unshift", "setTimeout", "pipe",
         "unpipe", "readableFlowing", "state", "tick", "destroy",
         "write", "cork", "uncork", "end", "peer pause", "peer resume"],
        [14, 3, 3, 5, 2, 1, 3, 1, 1, 3, 1, 2, 1, 1, 1, 3, 2, 0.2,
         8, 1, 1.5, 0.6, 1, 1])[0]
    if kind == "send":
        return ["send", _text(rng)]
    if kind in ("on", "once", "prependListener"):
        return [kind, rng.choice(["data", "data", "readable", "echo", "echo"])]
    if kind in ("off", "removeAllListeners"):
        return [kind, rng.choice(["data", "data", "readable"])]
    if kind == "write":
        return [kind, rng.choice(["bytes", "bytes", "bytes", "str", "cb", "empty"]),
                rng.choice([_text(rng), _text(rng), _text(rng), 20000, 1 << 20])]
    if kind == "setEncoding":
        return [kind, rng.choice(["utf8", "latin1", "hex"])]
    if kind == "read":
        return [kind, rng.choice([None, None, 0, 1, 3])]
    if kind == "unshift":
        return [kind, _text(rng)]
    if kind == "setTimeout":
        return [kind, rng.choice([0, 100000])]  # on and off: never fires in a scenario
    return [kind]


def make_scenario(rng: random.Random) -> dict[str, Any]:
    phases = [[_step(rng) for _ in range(rng.randint(1, 5))] for _ in range(rng.randint(2, 7))]
    if rng.random() < 0.7:
        # Most programs read the usual way first, on('data') and two chunks (the
        # second is the first one a socket can hand straight to the listener),
        # so that what follows happens to a socket that took the shortcut.
        phases[:0] = [[["on", "data"], ["send", _text(rng)]], [["send", _text(rng)]]]
    return {
        "phases": phases,
        "onReadable": rng.choice(["log", "drain", "read2"]),
        "destHwm": rng.choice([1, 4, 16]),
        "destMode": rng.choice(["sync", "immediate"]),
    }


def scenarios(seed: int, count: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [make_scenario(rng) for _ in range(count)]


def _code(e: BaseException) -> Any:
    return getattr(e, "code", None) or getattr(e, "message", str(e))


# What the shortcuts did in the scenarios run: reads handed straight to a
# listener, the times a socket took that shortcut and went back, and writes
# made while the write gate was open.
counts = {"straight": 0, "on": 0, "off": 0, "gated": 0}


def run_scenario(sc: dict[str, Any], where: str) -> list[Any]:
    """The Python twin of runScenario in socket_fuzz.js (c is the socket under test)."""
    log: list[Any] = []
    c: Any = None
    peer: Any = None
    sent = 0
    ids = 0
    peer_reading = True
    peer_got = 0
    peer_hash = hashlib.sha1()
    listeners: dict[str, list[Any]] = {"data": [], "readable": []}

    def dest_write(chunk: Any, enc: str, cb: Any) -> None:
        log.append(["_write", show(chunk)])
        if sc["destMode"] == "sync":
            cb()
        else:
            net.setImmediate(cb)

    dest = Writable({"highWaterMark": sc["destHwm"], "write": dest_write})
    dest.on("drain", lambda: log.append(["dest drain"]))

    def payload(n: int, size: int | str) -> str:
        # A write's payload: the text given, or ``size`` times one letter.
        return size if isinstance(size, str) else chr(102 + n % 20) * size

    def listener(ev: str) -> Any:
        nonlocal ids
        ids += 1
        n = ids
        if ev == "echo":
            def echo(chunk: Any) -> None:
                gated = bool(c._write_gate)  # open: the handle's pointer
                log.append(["echo", n, c.write(chunk)])
                counts["gated"] += gated
            return echo
        if ev == "data":
            def on_data(chunk: Any) -> None:
                log.append(["data", n, show(chunk)])
                if c._handle is not None and c._handle.reading is on_data:
                    counts["straight"] += 1  # this read came straight from the shim
            return on_data

        def on_readable() -> None:
            log.append(["readable", n, c.readableLength])
            read_in_readable(c, sc["onReadable"], log)
        return on_readable

    def state() -> list[Any]:
        return ["state", c.readableLength, c.readableFlowing, c.isPaused(), c.bytesRead,
                c.destroyed, c.writableLength, c.writableNeedDrain, c.bytesWritten,
                c.writableEnded, c.writableFinished, c.writableCorked]

    def write(kind: str, size: int | str) -> None:
        nonlocal ids
        ids += 1
        n = ids
        text = payload(n, size)
        gated = bool(c._write_gate)  # open: the handle's pointer
        if kind == "str":
            ret = c.write(text)
        elif kind == "empty":
            ret = c.write(b"")
        elif kind == "cb":
            ret = c.write(text.encode(),
                          cb=lambda e=None: log.append(["write cb", n, e and e.code]))
        else:
            ret = c.write(text.encode())
        log.append(["write", n, ret])
        counts["gated"] += gated

    def step(op: list[Any]) -> None:
        nonlocal sent, peer_reading
        name = op[0]
        a = op[1] if len(op) > 1 else None
        if name == "send":
            peer.write(a)
            sent += len(a.encode())
        elif name == "pause":
            c.pause()
        elif name == "resume":
            c.resume()
        elif name in ("on", "once", "prependListener"):
            fn = listener(a)
            ev = "data" if a == "echo" else a
            listeners[ev].append(fn)
            getattr(c, name)(ev, fn)
        elif name == "write":
            write(op[1], op[2])
        elif name == "cork":
            c.cork()
        elif name == "uncork":
            c.uncork()
        elif name == "end":
            c.end()
        elif name == "peer pause":
            peer.pause()
            peer_reading = False
        elif name == "peer resume":
            peer.resume()
            peer_reading = True
        elif name == "off":
            if listeners[a]:
                c.removeListener(a, listeners[a].pop())
        elif name == "removeAllListeners":
            c.removeAllListeners(a)
            listeners[a] = []
        elif name == "setEncoding":
            c.setEncoding(a)
        elif name == "read":
            log.append(["read", a, show(c.read(a))])
        elif name == "unshift":
            log.append(["unshift", a, c.unshift(a)])
        elif name == "setTimeout":
            c.setTimeout(a)
        elif name == "readableFlowing":
            c.readableFlowing = False
        elif name == "pipe":
            c.pipe(dest, {"end": False})
        elif name == "unpipe":
            c.unpipe(dest)
        elif name == "destroy":
            c.destroy()
        elif name == "state":
            log.append(state())
        else:
            raise AssertionError(f"unknown step {name}")

    run_steps = step_runner(step, lambda e: log.append(["throw", _code(e)]))

    def writing() -> bool:
        return peer_reading and not c.writableCorked \
            and (c.writableLength > 0 or peer_got < c.bytesWritten)

    def settle(k: int, then: Any) -> None:
        if (c.bytesRead < sent or writing()) and not c.destroyed and k < 1000:
            net.setImmediate(settle, k + 1, then)
        else:
            net.setImmediate(lambda: net.setImmediate(then))

    def run_phase(p: int) -> None:
        if p >= len(sc["phases"]):
            finish()
            return
        run_steps(sc["phases"][p], 0)
        settle(0, lambda: run_phase(p + 1))

    def finish() -> None:
        nonlocal peer_reading
        peer.resume()
        peer_reading = True
        settle(0, peer_end)

    def peer_end() -> None:
        log.append(["peer end"])
        peer.end()
        k = 0

        def wait() -> None:
            nonlocal k
            if not c.readableEnded and not c.destroyed and k < 50:
                k += 1
                net.setImmediate(wait)
            else:
                log.append(state())
                log.append(["peer got", peer_got, peer_hash.hexdigest()])
                c.destroy()
                peer.destroy()
                server.close()  # run() returns once the socket and the server have closed
        net.setImmediate(wait)

    def on_connection(sock: Any) -> None:
        nonlocal c
        c = sock
        c.on("end", lambda: log.append(["end"]))
        c.on("close", lambda *_: log.append(["close"]))
        c.on("error", lambda e: log.append(["error", _code(e)]))
        c.on("timeout", lambda: log.append(["timeout"]))
        c.on("drain", lambda: log.append(["drain", c.writableLength]))
        c.on("finish", lambda: log.append(["finish"]))
        net.setImmediate(run_phase, 0)

    def on_listening() -> None:
        nonlocal peer
        peer = net.connect(where)
        peer.on("error", lambda e: None)

        def on_peer_data(d: bytes) -> None:
            nonlocal peer_got
            peer_got += len(d)
            peer_hash.update(d)
        peer.on("data", on_peer_data)

    server = net.createServer(on_connection)
    server.listen(where, on_listening)
    net.run()
    return log


def run_all(scs: list[dict[str, Any]], folder: Path) -> list[Any]:
    return [json.loads(json.dumps(run_scenario(sc, str(folder / f"fuzz{i}.sock"))))
            for i, sc in enumerate(scs)]


def test_socket_scenarios_log_what_node_logs_with_and_without_the_shortcuts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = int(os.environ.get("PYNET_FUZZ_SEED", SEED))
    count = int(os.environ.get("PYNET_FUZZ_COUNT", COUNT))
    scs = scenarios(seed, count)

    read_to = _socket._read_to

    def counting_read_to(ptr: Any, fn: Any, reader: Any) -> None:
        counts["on" if reader is None else "off"] += 1
        read_to(ptr, fn, reader)

    monkeypatch.setattr(_socket, "_read_to", counting_read_to)
    monkeypatch.setitem(counts, "straight", 0)
    monkeypatch.setitem(counts, "on", 0)
    monkeypatch.setitem(counts, "off", 0)
    monkeypatch.setitem(counts, "gated", 0)
    (tmp_path / "a").mkdir()
    direct = run_all(scs, tmp_path / "a")
    # A fuzzer that never takes the shortcut, or never leaves it, compares nothing.
    # (The gate opens in under half of them for some seeds: 483 of 1,000 for seed 45.)
    assert counts["on"] > count // 2 and counts["off"] > count // 4 \
        and counts["straight"] > count // 2 and counts["gated"] > count // 3, counts

    # Without: _onread never recognises itself, so it never hands reads over,
    # write() never recognises Socket._write, so every write takes Node's path,
    # and Socket.write is the Python method alone, without the shim's C one.
    monkeypatch.setattr(_socket, "_socket_onread", None)
    monkeypatch.setattr(_socket, "_socket_write", None)
    monkeypatch.setattr(net.Socket, "write", _socket._python_write)
    counts.update(straight=0, on=0, off=0, gated=0)
    (tmp_path / "b").mkdir()
    plain = run_all(scs, tmp_path / "b")
    assert counts == {"straight": 0, "on": 0, "off": 0, "gated": 0}
    diff = first_difference(scs, direct, plain, f"with the shortcut vs without (seed {seed})")
    assert not diff, diff

    (tmp_path / "c").mkdir()
    expected = node_logs(RUNNER, scs, tmp_path / "c", str(tmp_path / "c"))
    if expected is None:
        pytest.skip("node is not installed on this machine: compared pynet with itself only")
    expected, _ = fuzzing.without_node_fromlist_bug(direct, expected)
    diff = first_difference(scs, direct, expected, f"pynet vs node (seed {seed})")
    assert not diff, diff
