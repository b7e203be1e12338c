"""The examples are real programs: run them as a user would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from .conftest import env_with_repo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")


def test_echo_server_and_client_exchange_lines_and_ctrl_c_stops_the_server():
    server = subprocess.Popen([sys.executable, os.path.join(EXAMPLES, "echo_server.py"), "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env_with_repo())
    try:
        line = server.stdout.readline().strip()
        assert line.startswith("listening on 127.0.0.1:")
        port = line.rsplit(":", 1)[1]
        client = subprocess.run(
            [sys.executable, os.path.join(EXAMPLES, "echo_client.py"), port, "127.0.0.1",
             "one", "twö"], capture_output=True, text=True, timeout=20, env=env_with_repo())
        assert client.returncode == 0, client.stderr
        assert client.stdout.splitlines() == ["> one", "> twö", "< one", "< twö"]
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=10)
    lines = out.splitlines()
    assert lines[0].startswith("client connected 127.0.0.1:")
    assert lines[1].startswith("client disconnected 127.0.0.1:")
    assert lines[-1] == "stopped" and server.returncode == 0, err


def test_echo_client_reports_a_refused_connection():
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    client = subprocess.run([sys.executable, os.path.join(EXAMPLES, "echo_client.py"),
                             str(port)], capture_output=True, text=True, timeout=20,
                            env=env_with_repo())
    assert client.returncode == 1
    assert f"connect ECONNREFUSED 127.0.0.1:{port}" in client.stderr


def test_demo_runs():
    out = subprocess.run([sys.executable, os.path.join(EXAMPLES, "demo.py")],
                         capture_output=True, text=True, timeout=60, env=env_with_repo())
    assert out.returncode == 0, out.stderr
    assert "[client] < hello from pynet" in out.stdout


def test_ipc_server_and_client_on_a_unix_socket(tmp_path):
    import tempfile

    d = tempfile.mkdtemp(prefix="pn", dir="/tmp")
    path = os.path.join(d, "demo.sock")
    server = subprocess.Popen([sys.executable, os.path.join(EXAMPLES, "ipc_server.py"), path],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env_with_repo())
    try:
        assert server.stdout.readline().strip() == f"listening on {path!r}"
        client = subprocess.run(
            [sys.executable, os.path.join(EXAMPLES, "ipc_client.py"), path, "Ada", "Grace"],
            capture_output=True, text=True, timeout=20, env=env_with_repo())
        assert client.returncode == 0, client.stderr
        assert client.stdout.splitlines() == ["hello, Ada", "hello, Grace"]
        assert os.path.exists(path)
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=10)
    assert out.splitlines()[-1] == "stopped", err
    assert not os.path.exists(path)  # removed on close
    os.rmdir(d)


def test_ipc_example_on_an_abstract_name():
    if not sys.platform.startswith("linux"):
        import pytest

        pytest.skip("abstract socket names exist on Linux only")
    name = f"@pynet-example-{os.getpid()}"
    server = subprocess.Popen([sys.executable, os.path.join(EXAMPLES, "ipc_server.py"), name],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env_with_repo())
    try:
        server.stdout.readline()
        client = subprocess.run(
            [sys.executable, os.path.join(EXAMPLES, "ipc_client.py"), name, "Linus"],
            capture_output=True, text=True, timeout=20, env=env_with_repo())
        assert client.stdout == "hello, Linus\n", client.stderr
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=10)
