"""Server CPU per request for a 1 KiB echo: pynet against Node (and asyncio/uvloop).

    python bench/echo_cpu.py [--size 1024] [--conns 50] [--seconds 3] [--reps 3]

Each server is a small program written as its users write it; a C load
generator (bench/loadgen.c, built here with cc) drives it over loopback.  The
server runs on one core and the load generator on the other (taskset) where
there are two.  Server CPU per request comes from /proc/PID/stat (utime +
stime) over the requests served, which is steadier than requests/s on these
machines.  Servers are interleaved and repeated; medians are reported, with
ratios to Node from the same runs.  Results go to bench/results/echo_cpu.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TICKS = os.sysconf("SC_CLK_TCK")


def build_loadgen() -> str:
    out = os.path.join(HERE, "bin", "loadgen")
    src = os.path.join(HERE, "loadgen.c")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        subprocess.run([os.environ.get("CC", "cc"), "-O2", "-o", out, src], check=True)
    return out


def servers() -> dict[str, list[str]]:
    py = sys.executable
    example = os.path.join(ROOT, "examples", "echo_server.py")
    out = {"pynet (examples/echo_server.py)": [py, example, "0"],
           "pynet (backpressure)": [py, os.path.join(HERE, "echo_pynet.py"), "0"],
           "pynet bare binding (no Socket)": [py, os.path.join(HERE, "echo_bare.py"), "0"]}
    out["pynet attached to asyncio"] = [py, os.path.join(HERE, "echo_pynet_aio.py"), "0"]
    if importlib.util.find_spec("uvloop"):
        out["pynet attached to uvloop"] = [py, os.path.join(HERE, "echo_pynet_aio.py"), "0",
                                           "--uvloop"]
    if shutil.which("node"):
        out["node 'net'"] = ["node", os.path.join(HERE, "echo_node.js"), "0"]
    out["asyncio Protocol"] = [py, os.path.join(HERE, "echo_asyncio.py"), "0"]
    if importlib.util.find_spec("uvloop"):
        out["uvloop Protocol"] = [py, os.path.join(HERE, "echo_asyncio.py"), "0", "--uvloop"]
    return out


def pin(cpu: int) -> list[str]:
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return ["taskset", "-c", str(cpu)]
    return []


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def measure(cmd: list[str], loadgen: str, conns: int, size: int,
            seconds: float) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=ROOT)
    server = subprocess.Popen(pin(1) + cmd, stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = server.stdout.readline()
        if "listening on" not in line:
            raise RuntimeError(f"{cmd}: no 'listening on' line")
        port = line.strip().rsplit(":", 1)[1]
        before = cpu_seconds(server.pid)
        t0 = time.monotonic()
        res = subprocess.run(pin(0) + [loadgen, "127.0.0.1", port, str(conns), str(size),
                                       str(seconds)], capture_output=True, text=True, check=True)
        elapsed = time.monotonic() - t0
        used = cpu_seconds(server.pid) - before
        requests = int(res.stdout.split()[1])
        return used / requests * 1e6, requests / elapsed
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--conns", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated substrings of server names")
    args = ap.parse_args()
    loadgen = build_loadgen()
    progs = servers()
    if args.only:
        wanted = [w.strip() for w in args.only.split(",")]
        progs = {k: v for k, v in progs.items() if any(w in k for w in wanted)}
    cpu: dict[str, list[float]] = {k: [] for k in progs}
    rps: dict[str, list[float]] = {k: [] for k in progs}
    for rep in range(args.reps):
        for name, cmd in progs.items():  # interleaved: every server once per repetition
            us, r = measure(cmd, loadgen, args.conns, args.size, args.seconds)
            cpu[name].append(us)
            rps[name].append(r)
            print(f"rep {rep + 1}: {name}: {us:.2f} us/req, {r:,.0f} req/s", file=sys.stderr)
    ref = "node 'net'" if "node 'net'" in progs else None
    lines = [f"Echo {args.size} B, {args.conns} connections, {args.seconds:g} s x {args.reps} "
             f"(medians; CPU per request is the server's utime+stime / requests)", "",
             "| server | CPU µs/req | req/s | CPU vs Node (lower is better) | req/s vs Node |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for name in progs:
        c, r = statistics.median(cpu[name]), statistics.median(rps[name])
        if ref:
            # Ratios per repetition against Node's run in the same repetition.
            cr = statistics.median(a / b for a, b in zip(cpu[name], cpu[ref], strict=True))
            rr = statistics.median(a / b for a, b in zip(rps[name], rps[ref], strict=True))
            lines.append(f"| {name} | {c:.2f} | {r:,.0f} | {cr:.2f}x | {rr:.2f}x |")
        else:
            lines.append(f"| {name} | {c:.2f} | {r:,.0f} | n/a | n/a |")
    table = "\n".join(lines)
    print(table)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "echo_cpu.md"), "w") as f:
        f.write(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
