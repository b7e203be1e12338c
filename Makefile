# pynet: one-command set-up, demo, tests and benchmark.
# Installs what is missing: pkg-config + libuv1-dev (apt, Debian/Ubuntu), a .venv, pynet in it.

PY ?= python3
VENV ?= .venv
VPY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SOURCES := pyproject.toml setup.py pynet/_uv_build.py pynet/_uv_cdef.h pynet/_uv_shim.c

.PHONY: all deps dev demo test lint bench stress valgrind clean

all: test

deps:
	@if ! pkg-config --atleast-version=1.44 libuv 2>/dev/null; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing pkg-config and libuv1-dev with apt-get"; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq pkg-config libuv1-dev >/dev/null; \
	  else \
	    echo "pynet needs libuv >= 1.44 with its headers and pkg-config (Fedora: dnf install libuv-devel pkgconf; macOS: brew install libuv pkg-config)"; \
	    exit 1; \
	  fi; \
	fi

$(VENV)/.installed: $(SOURCES) | deps
	$(PY) -m venv $(VENV)
	$(VPY) -m pip install -q -e '.[test]'
	touch $@

dev: $(VENV)/.installed

demo: dev
	$(VPY) examples/demo.py

lint: dev
	$(VPY) -m ruff check pynet tests examples bench
	$(VPY) -m mypy pynet

test: dev lint
	$(VPY) -m pytest -n 2 -q

bench: dev
	$(VPY) bench/bench.py $(BENCH_ARGS)

# Load, faults, leaks and fuzzing at full size (the default suite runs them reduced).
stress: dev
	PYNET_STRESS=full $(VPY) -m pytest tests/stress -p no:xdist -q --timeout 1800

# The destroy-in-callback torture under valgrind memcheck; counts errors in libuv/the shim.
valgrind: dev
	@if ! command -v valgrind >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing valgrind with apt-get"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq valgrind >/dev/null; \
	  else echo "make valgrind needs valgrind installed"; exit 1; fi; \
	fi
	PYTHONMALLOC=malloc valgrind --tool=memcheck --num-callers=30 --log-file=valgrind.log \
	  $(VPY) tests/stress/torture.py $(or $(ROUNDS),20)
	$(VPY) tests/stress/valgrind_summary.py valgrind.log

clean:
	rm -rf build dist *.egg-info pynet/_uv.c pynet/_uv.o pynet/*.so .pytest_cache
