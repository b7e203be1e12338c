"""``python -m pynet``: the real command in a subprocess, over loopback and Unix sockets."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from .conftest import env_with_repo

TIMEOUT = 15


def pynet_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "pynet", *args]


class Running:
    """A pynet subprocess; ``where()`` waits for its 'listening on' line."""

    def __init__(self, *args: str, stdin: int | None = subprocess.DEVNULL) -> None:
        self.proc = subprocess.Popen(pynet_cmd(*args), stdin=stdin, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env_with_repo())
        self.err_lines: list[str] = []

    def wait_line(self, pattern: str) -> re.Match[str]:
        deadline = time.monotonic() + TIMEOUT
        assert self.proc.stderr is not None
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline().decode()
            if not line:
                raise AssertionError(f"exited: {self.err_lines}")
            self.err_lines.append(line)
            m = re.search(pattern, line)
            if m:
                return m
        raise AssertionError(f"no line matching {pattern!r}: {self.err_lines}")

    def port(self) -> int:
        return int(self.wait_line(r"(?:listening on|proxy) \S+:(\d+)").group(1))

    def interrupt(self) -> tuple[int, str, str]:
        self.proc.send_signal(signal.SIGINT)
        return self.finish()

    def finish(self) -> tuple[int, str, str]:
        """Waits for the exit; (status, stdout, all of stderr).

        Reads through the same buffered files as wait_line(): communicate()
        would read the raw fds and lose what readline() had buffered.
        """
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=TIMEOUT)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        out, err = self.proc.stdout.read(), self.proc.stderr.read()
        return self.proc.returncode, out.decode(), "".join(self.err_lines) + err.decode()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=TIMEOUT)
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if f is not None:
                f.close()


@pytest.fixture
def running():
    procs: list[Running] = []

    def start(*args: str, **kw) -> Running:
        r = Running(*args, **kw)
        procs.append(r)
        return r

    yield start
    for r in procs:
        r.kill()


def talk(port: int, data: bytes, host: str = "127.0.0.1", bind: str | None = None) -> bytes:
    """Connects, sends ``data``, half-closes, returns everything received until EOF."""
    with socket.create_connection((host, port), timeout=TIMEOUT,
                                  source_address=(bind, 0) if bind else None) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def dropped(port: int, bind: str = "127.0.0.1") -> bool:
    """True when the server closed the connection without a byte of reply."""
    try:
        return talk(port, b"let me in", bind=bind) == b""
    except OSError:  # reset before we could send or half-close: also dropped
        return True


def test_echo_over_tcp_and_ctrl_c_ends_cleanly(running):
    echo = running("echo", "0", "--host", "127.0.0.1", "-v", "--stats")
    port = echo.port()
    payload = os.urandom(300_000)
    assert talk(port, payload) == payload
    echo.wait_line(r"closed 127\.0\.0\.1:\d+: 293\.0 KiB in, 293\.0 KiB out")
    status, _out, err = echo.interrupt()
    assert status == 130
    assert re.search(r"connection from 127\.0\.0\.1:\d+", err)
    assert "summary: 1 connections, 293.0 KiB in, 293.0 KiB out" in err


def test_connect_copies_stdin_and_half_closes_at_eof(running):
    echo = running("echo", "0", "--host", "127.0.0.1", "-v")
    port = echo.port()
    payload = os.urandom(1 << 20)
    out = subprocess.run(pynet_cmd("connect", "127.0.0.1", str(port)), input=payload,
                         capture_output=True, timeout=TIMEOUT, env=env_with_repo())
    assert out.returncode == 0, out.stderr
    assert out.stdout == payload  # bytes in = bytes out, through the FIN


def test_connect_refused_exits_1_with_node_code(running):
    echo = running("echo", "0", "--host", "127.0.0.1", "-v")
    port = echo.port()
    echo.interrupt()  # now nothing listens there
    out = subprocess.run(pynet_cmd("connect", "127.0.0.1", str(port)), input=b"",
                         capture_output=True, timeout=TIMEOUT, env=env_with_repo())
    assert out.returncode == 1
    assert f"connect ECONNREFUSED 127.0.0.1:{port}" in out.stderr.decode()


def test_listen_copies_both_ways_for_one_connection(running):
    listener = running("listen", "0", "--host", "127.0.0.1", "-v", stdin=subprocess.PIPE)
    port = listener.port()
    assert listener.proc.stdin is not None
    listener.proc.stdin.write(b"from the listener")
    listener.proc.stdin.flush()
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        s.sendall(b"from the client")
        got = b""
        while len(got) < len(b"from the listener"):
            got += s.recv(100)
        s.shutdown(socket.SHUT_WR)  # the listener ends its side in turn
        assert s.recv(100) == b""
    status, out, err = listener.finish()
    assert status == 0, err
    assert out == "from the client"
    assert got == b"from the listener"


def test_unix_socket_echo_and_the_file_is_removed_after_ctrl_c(running, tmp_path):
    path = str(tmp_path / "echo.sock")
    echo = running("echo", path, "-v")
    echo.wait_line("listening on")
    assert os.path.exists(path)
    out = subprocess.run(pynet_cmd("connect", path), input=b"over a unix socket",
                         capture_output=True, timeout=TIMEOUT, env=env_with_repo())
    assert out.returncode == 0, out.stderr
    assert out.stdout == b"over a unix socket"
    status, _out, _err = echo.interrupt()
    assert status == 130
    assert not os.path.exists(path)


def test_proxy_tcp_to_unix_socket_with_deny(running, tmp_path):
    path = str(tmp_path / "backend.sock")
    backend = running("echo", path, "-v")
    backend.wait_line("listening on")
    proxy = running("proxy", "127.0.0.1:0", path, "--deny", "127.0.0.2", "-v")
    port = proxy.port()
    payload = os.urandom(200_000)
    assert talk(port, payload) == payload
    # A client from 127.0.0.2 is dropped at accept: it sees the connection end at once.
    assert dropped(port, bind="127.0.0.2")
    # The RST can reach us before the proxy logs the drop: wait for the line.
    proxy.wait_line(r"dropped 127\.0\.0\.2:\d+")
    status, _out, _err = proxy.interrupt()
    assert status == 130


def test_proxy_allow_list_and_max_connections(running, tmp_path):
    path = str(tmp_path / "backend.sock")
    running("echo", path, "-v").wait_line("listening on")
    proxy = running("proxy", "127.0.0.1:0", path, "--allow", "127.0.0.0/31",
                    "--max-connections", "1", "-v")
    port = proxy.port()
    assert talk(port, b"allowed") == b"allowed"
    assert dropped(port, bind="127.0.0.5")
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as first:
        first.sendall(b"x")
        assert first.recv(10) == b"x"  # the first holds the only slot
        assert dropped(port)
    proxy.wait_line("not in --allow")
    status, _out, _err = proxy.interrupt()
    assert status == 130


def test_proxy_idle_timeout_closes_quiet_connections(running, tmp_path):
    path = str(tmp_path / "backend.sock")
    running("echo", path, "-v").wait_line("listening on")
    proxy = running("proxy", "127.0.0.1:0", path, "--idle-timeout", "0.2", "-v")
    port = proxy.port()
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        started = time.monotonic()
        assert s.recv(10) == b""  # closed by the proxy, not by us
        assert time.monotonic() - started >= 0.15


@pytest.mark.parametrize("args", [
    [],
    ["bogus"],
    ["proxy", "8080"],
    ["connect", "127.0.0.1", "http"],
    ["connect"],
    ["echo", "70000"],
    ["proxy", "0", "/tmp/x", "--deny", "not-an-ip"],
])
def test_bad_arguments_exit_2_with_usage(args):
    out = subprocess.run(pynet_cmd(*args), capture_output=True, timeout=TIMEOUT,
                         env=env_with_repo(), stdin=subprocess.DEVNULL)
    assert out.returncode == 2, (args, out.stderr)
    assert b"usage: pynet" in out.stderr


def test_stats_on_a_terminal_is_one_live_line(tmp_path):
    import pty
    import select

    master, slave = pty.openpty()
    proc = subprocess.Popen(pynet_cmd("echo", str(tmp_path / "e.sock"), "--stats"),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave,
                            env=env_with_repo())
    os.close(slave)
    seen = b""
    try:
        deadline = time.monotonic() + TIMEOUT
        while b"\r\x1b[K[pynet] 0 open" not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                seen += os.read(master, 4096)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=TIMEOUT)
        while select.select([master], [], [], 0.2)[0]:
            try:
                seen += os.read(master, 4096)
            except OSError:
                break
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    # On a terminal: the status is redrawn in place with \r, and the summary
    # clears it before printing a plain line.
    assert b"\r\x1b[K[pynet] 0 open, 0 total" in seen
    assert b"pynet: summary: 0 connections" in seen
    assert proc.returncode == 130
