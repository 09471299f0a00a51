# Two commands on a fresh machine with Python 3.9+ and make:
#   make demo   set up, start the emulator, run a real tour of the CLI against it
#   make test   set up, run every check (ruff + pytest)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# pytest workers: most tests wait on sockets and processes, not the CPU, so two per core
# (measured in docs/architecture.md, "Tests")
WORKERS ?= $(shell $(PYTHON) -c 'import os; print(2 * (os.cpu_count() or 1))')

.PHONY: setup test check lint lowest-typer demo bench reliability completions clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else "akool-cli needs Python 3.9 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --prefer-binary -e '.[emulator,livekit,test]'
	@touch $(STAMP)

setup: $(STAMP)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Every test, inside a private network namespace where the machine can make one (root,
# unshare, ip): the LiveKit tests need WebRTC, which leaves loopback out (tests/netns.py
# says more). Workers: see WORKERS.
test: lint
	$(BIN)/python -m tests.netns -- $(BIN)/python -m pytest -n $(WORKERS)

# The edit loop: lint, and the tests not marked slow (end-to-end, hostile, reliability,
# LiveKit), in this machine's namespace.
check: lint
	$(BIN)/python -m pytest -n $(WORKERS) -m "not slow"

# The lowest Typer and click the pyproject allows, in a venv of their own: the parsing,
# completion and help tests again (CI runs it; tools/lowest_typer.py).
LOWEST ?= .venv-lowest
LOWEST_TESTS := tests/cli/help tests/cli/completion tests/cli/core/test_scripting.py \
	tests/hostile/test_arguments.py tests/unit/test_validate.py
lowest-typer: setup
	$(BIN)/python tools/lowest_typer.py $(LOWEST)
	$(LOWEST)/bin/python -m pytest -q -n $(WORKERS) -p no:cacheprovider -W ignore::DeprecationWarning \
		$(LOWEST_TESTS)

completions: setup
	@for shell in bash zsh fish; do \
		$(BIN)/akool completion $$shell > completions/akool.$$shell; \
	done
	@echo "wrote completions/akool.bash, completions/akool.zsh, completions/akool.fish"

bench: setup
	$(BIN)/python benchmarks/bench.py

reliability: setup
	$(BIN)/python tools/reliability_report.py

demo: setup
	@bash docs/demo.sh

clean:
	rm -rf $(VENV) $(LOWEST) .pytest_cache .ruff_cache .mypy_cache .hypothesis
