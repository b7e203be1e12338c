"""pynet against Node, uvloop, asyncio and C on libuv, in one run.

    python bench/bench.py                 # everything (about 25 minutes)
    python bench/bench.py --quick         # the headline cell and one of each mode
    python bench/bench.py --modes echo --sizes 1024 --conns 50 --transports tcp
    python bench/bench.py --baseline ../pynet-main   # A/B: that checkout's pynet beside this one

Every server is a small standalone program with the same command line
(``PORT|PATH``, printing ``listening on ...``); the C load generator
(``loadgen.c``, built here with the system compiler) drives it over loopback
TCP or a Unix socket, pinned to one core with the server on the other.

Modes:
  echo     connections each send S bytes and wait for all S back, repeat
  stream   one connection keeps 1 MiB in flight through the echo (MiB/s)
  connect  50 slots loop connect, 64-byte echo, close (connections/s)
  dial     the same with the roles swapped: each program's client (dial_*.py/js)
           against the C echo server; the client's CPU per connection
  idle     10,000 connections held after one echo each (server RSS per connection;
           also per connection from 5,000 to 10,000, which leaves fixed costs out)

The figure of merit is the server's CPU time (utime+stime from /proc) per
request, per MiB or per connection: steadier than rates on these machines.
Servers are interleaved within each repetition, and every ratio is taken
between two servers of the same repetition before the median is taken.
Results go to ``bench/results/bench.md``; nothing in the test suite times anything.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.join(HERE, "bin")
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
NODE = "node 'net'"
C = "C on libuv"


# ---------------------------------------------------------------------------
# building and starting

def build(name: str, extra: list[str]) -> str:
    out = os.path.join(BIN, name)
    src = os.path.join(HERE, name + ".c")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src):
        os.makedirs(BIN, exist_ok=True)
        subprocess.run([os.environ.get("CC", "cc"), "-O2", "-o", out, src, *extra], check=True)
    return out


def libuv_flags() -> list[str]:
    try:
        out = subprocess.run(["pkg-config", "--cflags", "--libs", "libuv"], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ["-luv"]
    return out.split()


@dataclass
class Server:
    name: str
    cmd: list[str]
    unix: bool = True  # can it listen on a path?
    root: str = ROOT  # the checkout whose pynet it imports
    dial: list[str] | None = None  # its client program, for the dial mode


def servers(echo_uv: str) -> list[Server]:
    py = sys.executable
    out = [Server("pynet", [py, os.path.join(HERE, "echo_pynet.py")],
                  dial=[py, os.path.join(HERE, "dial_pynet.py")])]
    if shutil.which("node"):
        out.append(Server(NODE, ["node", os.path.join(HERE, "echo_node.js")],
                          dial=["node", os.path.join(HERE, "dial_node.js")]))
    have_uvloop = importlib.util.find_spec("uvloop") is not None
    asyncio_prog = os.path.join(HERE, "echo_asyncio.py")
    if have_uvloop:
        out.append(Server("uvloop streams", [py, asyncio_prog, "--uvloop", "--streams"]))
        out.append(Server("uvloop Protocol", [py, asyncio_prog, "--uvloop"]))
    out.append(Server("asyncio streams", [py, asyncio_prog, "--streams"]))
    out.append(Server("asyncio Protocol", [py, asyncio_prog]))
    out.append(Server(C, [echo_uv]))
    # Only in the headline cell: what the layers cost.
    out.append(Server("pynet bare binding", [py, os.path.join(HERE, "echo_bare.py")], False))
    out.append(Server("pynet attached to uvloop",
                      [py, os.path.join(HERE, "echo_pynet_aio.py"), "--uvloop"], False))
    return out


HEADLINE_ONLY = {"pynet bare binding", "pynet attached to uvloop"}


def pin(cpu: int) -> list[str]:
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return ["taskset", "-c", str(cpu)]
    return []


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def proc_stat(pid: int) -> tuple[float, int]:
    """(CPU seconds, RSS bytes) of a process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS, int(fields[21]) * PAGE


class Running:
    """A server process listening on a fresh port or socket path."""

    def __init__(self, server: Server, transport: str, tmp: str) -> None:
        where = os.path.join(tmp, f"s{time.monotonic_ns()}.sock") if transport == "unix" else "0"
        args = server.cmd[:1] + server.cmd[1:2] + [where] + server.cmd[2:]
        if server.cmd[0].endswith("echo_uv"):
            args = [server.cmd[0], where]
        env = dict(os.environ, PYTHONPATH=server.root)
        # stderr is dropped: some peers print tracebacks when a client resets at the end.
        self.proc = subprocess.Popen(pin(1) + args, stdout=subprocess.PIPE, text=True, env=env,
                                     stderr=subprocess.DEVNULL, preexec_fn=raise_fd_limit)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if "listening on" not in line:
            self.stop()
            raise RuntimeError(f"{args}: no 'listening on' line")
        self.target = line.split("listening on", 1)[1].strip()

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def loadgen(prog: str, mode: str, target: str, conns: int, size: int,
            seconds: float) -> tuple[int, float]:
    """Runs the load generator; (count it printed, elapsed seconds)."""
    t0 = time.monotonic()
    res = subprocess.run(pin(0) + [prog, mode, target, str(conns), str(size), str(seconds)],
                         capture_output=True, text=True, timeout=seconds + 120)
    if res.returncode != 0:
        raise RuntimeError(f"loadgen {mode} {target}: {res.stderr.strip()}")
    return int(res.stdout.split()[-1]), time.monotonic() - t0


# ---------------------------------------------------------------------------
# one measurement per mode: (cost per unit in µs or bytes, units per second)

def measure_rate(prog: str, mode: str, server: Server, transport: str, tmp: str, conns: int,
                 size: int, seconds: float) -> tuple[float, float]:
    run = Running(server, transport, tmp)
    try:
        cpu0, _ = proc_stat(run.proc.pid)
        count, elapsed = loadgen(prog, mode, run.target, conns, size, seconds)
        cpu1, _ = proc_stat(run.proc.pid)
    finally:
        run.stop()
    if mode == "stream":
        mib = count / 2**20
        return (cpu1 - cpu0) / mib * 1e6, mib / elapsed  # CPU µs per MiB, MiB/s
    return (cpu1 - cpu0) / count * 1e6, count / elapsed


def measure_dial(peer: Server, client: Server, transport: str, tmp: str, conns: int,
                 size: int, seconds: float) -> tuple[float, float]:
    """The client side: ``client``'s dial program keeps ``conns`` connections
    going to the C echo server (connect, one echo of ``size`` bytes, end); its
    CPU µs per connection (its own count, from the first connect on) and its
    connections per second."""
    assert client.dial is not None
    run = Running(peer, transport, tmp)
    try:
        env = dict(os.environ, PYTHONPATH=client.root)
        res = subprocess.run(pin(0) + client.dial + [run.target, str(conns), str(size),
                                                     str(seconds)],
                             capture_output=True, text=True, env=env, timeout=seconds + 120,
                             preexec_fn=raise_fd_limit)
    finally:
        run.stop()
    words = res.stdout.split()
    if res.returncode != 0 or len(words) < 4 or words[0] != "connections":
        raise RuntimeError(f"{client.name} dial: {res.stdout.strip()} {res.stderr.strip()}")
    count, cpu = int(words[1]), float(words[3])
    return cpu / count * 1e6, count / seconds


def measure_idle(prog: str, server: Server, transport: str, tmp: str, conns: int,
                 size: int) -> tuple[float, float]:
    """(RSS per held connection, RSS per connection of the second half).

    The first figure divides the server's whole growth by the connections, so
    what it allocates once (an arena touched, a table grown) moves it by as
    much as a per-connection field: 128 KiB is 13 B over 10,000.  The second
    is the growth from half the connections to all of them, per connection:
    the slope, which leaves the fixed costs out."""
    run = Running(server, transport, tmp)
    first, second = conns // 2, conns - conns // 2
    gens: list[subprocess.Popen[str]] = []

    def hold(n: int, seconds: int) -> int:
        gen = subprocess.Popen(pin(0) + [prog, "idle", run.target, str(n), str(size),
                                         str(seconds)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        gens.append(gen)
        assert gen.stdout is not None
        ready = gen.stdout.readline()
        if not ready.startswith("ready"):
            raise RuntimeError(f"loadgen idle: {ready}")
        time.sleep(0.5)  # let the server settle after the last echo
        return proc_stat(run.proc.pid)[1]

    try:
        time.sleep(0.3)
        _, rss0 = proc_stat(run.proc.pid)
        rss_half = hold(first, 30)  # held while the second half connects
        rss1 = hold(second, 2)
        out, err = gens[1].communicate(timeout=120)
        if gens[1].returncode != 0:
            raise RuntimeError(f"loadgen idle: {out} {err}")
    finally:
        for gen in gens:  # the first still holds its half
            if gen.poll() is None:
                gen.kill()
                gen.communicate()
        run.stop()
    return (rss1 - rss0) / conns, (rss1 - rss_half) / second


# ---------------------------------------------------------------------------
# the run

@dataclass
class Cell:
    mode: str
    transport: str
    conns: int
    size: int

    @property
    def label(self) -> str:
        where = "TCP" if self.transport == "tcp" else "Unix"
        if self.mode == "echo":
            return f"echo {where} {_size(self.size)} x{self.conns}"
        if self.mode == "stream":
            return f"stream {where} {_size(self.size)} writes"
        if self.mode == "connect":
            return f"connect {where} x{self.conns}"
        if self.mode == "dial":
            return f"dial {where} x{self.conns} (client side)"
        return f"idle {where} {self.conns:,} conns"


def _size(n: int) -> str:
    return f"{n // 1024} KiB" if n >= 1024 else f"{n} B"


def cells(args: argparse.Namespace) -> list[Cell]:
    out = []
    for transport in args.transports:
        if "echo" in args.modes:
            out += [Cell("echo", transport, c, s) for s in args.sizes for c in args.conns]
        if "stream" in args.modes:
            out.append(Cell("stream", transport, 1, 65536))
        if "connect" in args.modes:
            out.append(Cell("connect", transport, 50, 64))
        if "dial" in args.modes:
            out.append(Cell("dial", transport, 50, 64))
        if "idle" in args.modes:
            out.append(Cell("idle", transport, args.idle_conns, 64))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--modes", default="echo,stream,connect,dial,idle")
    ap.add_argument("--transports", default="tcp,unix")
    ap.add_argument("--sizes", default="64,1024,16384,131072")
    ap.add_argument("--conns", default="1,50")
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--idle-conns", type=int, default=10000)
    ap.add_argument("--only", default="", help="comma-separated substrings of server names")
    ap.add_argument("--baseline", default="", metavar="DIR",
                    help="also run the pynet server of another built checkout (an A/B of a change)")
    ap.add_argument("--quick", action="store_true",
                    help="echo 1 KiB x50, stream, connect and idle (2,000 conns) over TCP")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "bench.md"))
    args = ap.parse_args()
    if args.quick:
        args.transports, args.sizes, args.conns = "tcp", "1024", "50"
        args.idle_conns = min(args.idle_conns, 2000)
    args.modes = args.modes.split(",")
    args.transports = args.transports.split(",")
    args.sizes = [int(s) for s in args.sizes.split(",")]
    args.conns = [int(c) for c in args.conns.split(",")]
    raise_fd_limit()
    # Servers are stopped with SIGINT: when this harness runs as a background job
    # (SIGINT ignored, which children would inherit), handle it so they do not.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    prog = build("loadgen", [])
    progs = servers(build("echo_uv", libuv_flags()))
    peer = next(s for s in progs if s.name == C)  # the dial mode's server
    if args.baseline:
        base = os.path.abspath(args.baseline)
        progs.insert(1, Server("pynet baseline", [sys.executable,
                                                  os.path.join(base, "bench", "echo_pynet.py")],
                               # this checkout's client program, the baseline's pynet
                               root=base, dial=[sys.executable,
                                                os.path.join(HERE, "dial_pynet.py")]))
    if args.only:
        wanted = [w.strip() for w in args.only.split(",")] + [NODE, C]
        progs = [s for s in progs if any(w in s.name for w in wanted)]
    todo = cells(args)
    cost: dict[tuple[str, str], list[float]] = {}
    rate: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="pynet-bench-") as tmp:
        for rep in range(args.reps):
            for cell in todo:
                for server in progs:  # interleaved: every server once per cell and repetition
                    headline = cell.mode == "echo" and cell.size == 1024 and cell.conns == 50 \
                        and cell.transport == "tcp"
                    if server.name in HEADLINE_ONLY and not headline:
                        continue
                    if cell.transport == "unix" and not server.unix:
                        continue
                    if cell.mode == "dial" and server.dial is None:
                        continue
                    key = (cell.label, server.name)
                    try:
                        if cell.mode == "dial":
                            c, r = measure_dial(peer, server, cell.transport, tmp, cell.conns,
                                                cell.size, args.seconds)
                        elif cell.mode == "idle":
                            c, r = measure_idle(prog, server, cell.transport, tmp, cell.conns,
                                                cell.size)
                        else:
                            c, r = measure_rate(prog, cell.mode, server, cell.transport, tmp,
                                                cell.conns, cell.size, args.seconds)
                    except (RuntimeError, subprocess.TimeoutExpired) as e:
                        print(f"rep {rep + 1}: {key}: FAILED {e}", file=sys.stderr)
                        c, r = float("nan"), float("nan")
                    cost.setdefault(key, []).append(c)
                    rate.setdefault(key, []).append(r)
                    print(f"rep {rep + 1}: {cell.label}: {server.name}: {c:,.2f} / {r:,.1f}",
                          file=sys.stderr)
    report = render(todo, progs, cost, rate, args)
    print(report)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(report + "\n")
    return 0


def _ratio(a: list[float], b: list[float]) -> float:
    """Median of per-repetition ratios a/b (NaN-safe)."""
    pairs = [x / y for x, y in zip(a, b, strict=False) if x == x and y == y and y]
    return statistics.median(pairs) if pairs else float("nan")


def _med(xs: list[float]) -> float:
    good = [x for x in xs if x == x]
    return statistics.median(good) if good else float("nan")


def render(todo: list[Cell], progs: list[Server], cost: dict[tuple[str, str], list[float]],
           rate: dict[tuple[str, str], list[float]], args: argparse.Namespace) -> str:
    names = [s.name for s in progs]
    lines = [f"pynet bench: {args.reps} repetitions, {args.seconds:g} s per run, servers "
             "interleaved; medians of same-repetition ratios.", "",
             "**Speed vs Node** = Node's server CPU per unit / this server's (higher is "
             "faster; a unit is a request, a MiB or a connection). "
             "**vs C** is the same against the C libuv server. Idle: server RSS bytes per "
             "held connection (lower is better), and per connection from half the "
             "connections to all of them (the slope, without fixed costs).", ""]
    for what, fn in (("speed vs Node", lambda n: _speed(cost, n, NODE)),
                     ("speed vs C", lambda n: _speed(cost, n, C))):
        lines += [f"### {what}", "", "| cell | " + " | ".join(names) + " |",
                  "| --- |" + " ---: |" * len(names)]
        for cell in todo:
            if cell.mode == "idle" or (cell.mode == "dial" and what == "speed vs C"):
                continue  # (there is no C client to compare with)
            row = [fn((cell.label, n)) for n in names]
            lines.append(f"| {cell.label} | " + " | ".join(row) + " |")
        lines.append("")
    lines += ["### absolute", "", "| cell | unit | " + " | ".join(names) + " |",
              "| --- | --- |" + " ---: |" * len(names)]
    for cell in todo:
        if cell.mode == "idle":
            unit = "RSS B/conn"
            row = [_fmt(_med(cost.get((cell.label, n), []))) for n in names]
            lines.append(f"| {cell.label} | {unit} | " + " | ".join(row) + " |")
            # measure_idle's second figure: the slope, without the fixed costs
            unit = "RSS B/conn, 2nd half"
            row = [_fmt(_med(rate.get((cell.label, n), []))) for n in names]
        else:
            unit = {"echo": "CPU µs/req", "stream": "MiB/s", "connect": "conn/s",
                    "dial": "client CPU µs/conn"}[cell.mode]
            source = cost if cell.mode in ("echo", "dial") else rate
            row = [_fmt(_med(source.get((cell.label, n), []))) for n in names]
        lines.append(f"| {cell.label} | {unit} | " + " | ".join(row) + " |")
        if cell.mode in ("echo", "dial"):  # the load generator's reach shows in the C server's rate
            row = [_fmt(_med(rate.get((cell.label, n), []))) for n in names]
            unit = "req/s" if cell.mode == "echo" else "conn/s"
            lines.append(f"| {cell.label} | {unit} | " + " | ".join(row) + " |")
    return "\n".join(lines)


def _speed(cost: dict[tuple[str, str], list[float]], key: tuple[str, str], ref: str) -> str:
    mine, theirs = cost.get(key), cost.get((key[0], ref))
    if not mine or not theirs:
        return ""
    r = _ratio(theirs, mine)
    return "" if r != r else f"{r:.2f}x"


def _fmt(x: float) -> str:
    if x != x:
        return ""
    return f"{x:,.0f}" if x >= 100 else f"{x:,.2f}"


if __name__ == "__main__":
    sys.exit(main())
