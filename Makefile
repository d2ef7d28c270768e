# Two commands do everything on a fresh machine:
#   make demo   builds the bundled demo (the card's worked example) and prints the card
#   make test   runs every check: sqlfluff, dbt parse, dbt unit/data tests, pytest end to end
# Both create the virtual environment from the pinned requirements first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
export DBT_PROFILES_DIR := $(CURDIR)
export ECOM_SAGE_GAP_DUCKDB_PATH ?= $(CURDIR)/ecom_sage_gap.duckdb
DEMO_VARS := {gap_as_of: "2026-04-14T09:00:00Z"}
VARS ?= $(DEMO_VARS)

.PHONY: setup demo schedule card test lint parse pytest clean

setup: $(VENV)/.installed profiles.yml

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

profiles.yml: profiles.yml.example
	cp -n profiles.yml.example profiles.yml || true
	touch profiles.yml

# The card's worked example. The alert gate runs last and its verdict is printed with
# the card; the demo itself succeeds when the marts are built.
demo: setup
	$(DBT) build --exclude tag:alert --vars '$(VARS)'
	$(DBT) test --select tag:alert --vars '$(VARS)' > target/alert_gate.log 2>&1; \
		echo $$? > target/alert_gate.status
	$(BIN)/python scripts/print_card.py --database "$(ECOM_SAGE_GAP_DUCKDB_PATH)" \
		--alert-status-file target/alert_gate.status

# What a scheduler runs: build everything, then the alert gate, which fails the run
# (exit 1) when the B2B gap is above its threshold.
schedule: setup
	$(DBT) build --exclude tag:alert --vars '$(VARS)'
	$(DBT) test --select tag:alert --vars '$(VARS)'

card: setup
	$(BIN)/python scripts/print_card.py --database "$(ECOM_SAGE_GAP_DUCKDB_PATH)"

test: setup lint parse pytest

lint: setup
	$(BIN)/sqlfluff lint models macros tests/generic tests/singular analyses --processes 2

parse: setup
	$(BIN)/python scripts/check_parse.py

pytest: setup
	$(BIN)/pytest tests_py

clean:
	rm -rf target logs dbt_packages ecom_sage_gap.duckdb ecom_sage_gap.duckdb.wal
