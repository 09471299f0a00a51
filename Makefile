# Two commands on a fresh machine with Python 3.9+ and make:
#   make demo   set up, start the emulator, run a real tour of the CLI against it
#   make test   set up, run every check (ruff + pytest)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup test lint demo bench reliability completions clean

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

# Inside a private network namespace where the machine can make one (root, unshare, ip):
# the LiveKit tests need WebRTC, which leaves loopback out (tests/netns.py says more).
test: lint
	$(BIN)/python -m tests.netns -- $(BIN)/python -m pytest -n 4

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
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
