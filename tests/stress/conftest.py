"""Load, faults and leaks.  Reduced sizes in the default suite; ``make stress``
(``PYNET_STRESS=full``) runs the full ones and prints a table of figures."""

from __future__ import annotations

import os
import resource
from collections.abc import Iterator
from typing import Any

import pytest

FULL = os.environ.get("PYNET_STRESS") == "full"
_FIGURES: list[tuple[str, str, Any]] = []


def scale(full: int, reduced: int) -> int:
    """The size of a stress test: the full figure under ``make stress``."""
    return full if FULL else reduced


@pytest.fixture
def figure(request: pytest.FixtureRequest) -> Iterator[Any]:
    """``figure(name, value)`` records one line of the stress table."""
    def record(name: str, value: Any) -> None:
        _FIGURES.append((request.node.name, name, value))
    yield record


def raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < needed:
        pytest.skip(f"needs {needed} fds; this machine's hard RLIMIT_NOFILE is {hard}")
    if soft != resource.RLIM_INFINITY and soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard) if hard !=
                                                    resource.RLIM_INFINITY else needed, hard))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _FIGURES:
        return
    tr = terminalreporter
    tr.write_sep("=", f"pynet stress figures ({'full' if FULL else 'reduced'} sizes)")
    tr.write_line("| test | figure | value |")
    tr.write_line("| --- | --- | ---: |")
    for test, name, value in _FIGURES:
        shown = f"{value:,.2f}" if isinstance(value, float) else (
            f"{value:,}" if isinstance(value, int) else str(value))
        tr.write_line(f"| {test} | {name} | {shown} |")
