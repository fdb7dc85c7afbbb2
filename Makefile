# product_analytics: every command a user or CI needs. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EVENTS_DIR ?= data/events
DEMO_PERSONS ?= 2000
DEMO_DAYS ?= 60

export DO_NOT_TRACK := 1
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
CI_DIR := target/ci

.PHONY: help venv demo-data run build summary test lint lint-sql lint-python dbt-test pytest bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -r requirements.txt -e .
	touch $@

venv: $(BIN)/.installed  ## create .venv with the pinned dependencies

demo-data: venv  ## generate demo events into data/events when it is empty
	@if [ -z "$$(find $(EVENTS_DIR) -type f 2>/dev/null | head -1)" ]; then \
		echo "generating demo events into $(EVENTS_DIR)"; \
		$(BIN)/pa-generate --persons $(DEMO_PERSONS) --days $(DEMO_DAYS) --seed 42 --out $(EVENTS_DIR); \
	else echo "$(EVENTS_DIR) already holds events: not generating"; fi

build: venv  ## production build over $(EVENTS_DIR) into $$DUCKDB_PATH (default warehouse.duckdb): dbt build without unit tests, then compaction
	$(BIN)/dbt build --exclude-resource-type unit_test --vars '{raw_events_path: $(EVENTS_DIR)}'
	$(BIN)/pa-compact-warehouse --if-deleted

summary: venv  ## print the run summary of the warehouse
	$(BIN)/python -m product_analytics_tools.summary

run: demo-data build summary report  ## set up, generate demo data if needed, build everything, print the summary and the report's path

# SQLFluff renders every model twice: against a fresh warehouse (the full-build branch) and
# against the dbt-test warehouse (the incremental branch of every incremental model).
LINT_FRESH_DB := $(CI_DIR)/lint-fresh.duckdb
# the models whose SQL differs on an incremental run
INCREMENTAL_MODELS = $(shell grep -rlE --include="*.sql" "is_incremental|in_rebuilt_buckets" models)
lint-sql: venv $(CI_DIR)/ci.duckdb  ## SQLFluff over the full-build and the incremental branch of every model
	rm -f $(LINT_FRESH_DB)
	DUCKDB_PATH=$(LINT_FRESH_DB) $(BIN)/sqlfluff lint models tests analyses --processes 2
	DUCKDB_PATH=$(CI_DIR)/ci.duckdb $(BIN)/sqlfluff lint $(INCREMENTAL_MODELS) --processes 2
	rm -f $(LINT_FRESH_DB)

lint-python: venv
	$(BIN)/ruff check src tests/python
	$(BIN)/ruff format --check src tests/python
	$(BIN)/mypy

lint: lint-python lint-sql  ## ruff, mypy and SQLFluff

# vars that move most expectations: unit tests must hold under them (STYLE: pinned vars)
SECOND_VAR_SET := min_event_date: "1990-01-01", reporting_timezone: Asia/Kolkata, session_timeout_minutes: 15, session_max_hours: 6, reporting_currency: EUR, conversion_window_days: 3, keep_emails: true
dbt-test: venv  ## build generated test data, run every dbt unit and data test on it, then the unit tests under a second var set
	rm -rf $(CI_DIR) && mkdir -p $(CI_DIR)
	$(BIN)/pa-generate --persons 300 --days 21 --seed 7 --out $(CI_DIR)/events
	DUCKDB_PATH=$(CI_DIR)/ci.duckdb $(BIN)/dbt build --target test --vars '{raw_events_path: $(CI_DIR)/events}'
	@echo "unit tests again under a second var set: every unit test pins the vars it reads"
	DUCKDB_PATH=$(CI_DIR)/ci.duckdb $(BIN)/dbt test --target test --select test_type:unit \
		--vars '{raw_events_path: $(CI_DIR)/events, $(SECOND_VAR_SET)}'

$(CI_DIR)/ci.duckdb:
	$(MAKE) dbt-test

pytest: venv  ## the Python test suite (generator, conformance, reference, incremental runs)
	$(BIN)/pytest -q

test: lint-python dbt-test lint-sql test-integrations pytest  ## every check: lint, dbt unit and data tests, the integrations, pytest

SIZE ?= 1m
bench: venv  ## SIZE=100k|1m|10m|100m: time, events/s and peak memory of the builds (data cached in target/bench/data); writes target/bench/<size>.json and docs/benchmarks.md
	$(BIN)/python -m product_analytics_tools.bench --size $(SIZE)

# -- Using the marts: Great Expectations, MetricFlow, LookML, the report, docs, orchestrators --
.PHONY: validate semantic-check lookml lookml-check report docs browser test-integrations test-orchestration
ORCH_VENV := .venv-orchestration
CHROMIUM := /usr/bin/chromium-headless-shell

validate: venv  ## Great Expectations on the marts of $$DUCKDB_PATH; data docs in target/gx/data_docs
	$(BIN)/python -m product_analytics_tools.validate

semantic-check: venv  ## MetricFlow: validate the semantic layer and run one `mf query` per metric on $$DUCKDB_PATH
	$(BIN)/dbt parse --quiet
	$(BIN)/mf validate-configs
	$(BIN)/python -m product_analytics_tools.semantic_checks

lookml: venv  ## regenerate the Looker views and explores in looker/ from the dbt manifest
	$(BIN)/dbt parse --quiet
	$(BIN)/python -m product_analytics_tools.lookml --out looker

lookml-check: venv  ## fail when looker/ differs from a fresh generation
	$(BIN)/dbt parse --quiet
	$(BIN)/python -m product_analytics_tools.lookml --out looker --check

report: venv  ## the static HTML report of $$DUCKDB_PATH: target/report/index.html
	$(BIN)/python -m product_analytics_tools.report --out target/report/index.html

docs: venv  ## the dbt docs site of $$DUCKDB_PATH: target/index.html, and one self-contained target/static_index.html
	$(BIN)/dbt docs generate --static
	@echo "dbt docs: $(CURDIR)/target/static_index.html (or serve target/ with .venv/bin/dbt docs serve)"

$(CHROMIUM):
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null 2>&1 \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null)

browser: $(CHROMIUM)  ## headless Chromium for the report test (Debian's chromium-headless-shell)

test-integrations: venv browser  ## on the dbt-test warehouse: GX validation, MetricFlow checks, LookML freshness
	DUCKDB_PATH=$(CI_DIR)/ci.duckdb $(BIN)/python -m product_analytics_tools.validate --docs-dir $(CI_DIR)/gx_data_docs
	DUCKDB_PATH=$(CI_DIR)/ci.duckdb $(BIN)/dbt parse --quiet --target test
	DUCKDB_PATH=$(CI_DIR)/ci.duckdb $(BIN)/mf validate-configs
	DUCKDB_PATH=$(CI_DIR)/ci.duckdb $(BIN)/python -m product_analytics_tools.semantic_checks --out-dir $(CI_DIR)/metricflow
	$(BIN)/python -m product_analytics_tools.lookml --out looker --check

$(ORCH_VENV)/bin/.installed: requirements-orchestration.txt pyproject.toml
	$(PYTHON) -m venv $(ORCH_VENV)
	$(ORCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(ORCH_VENV)/bin/uv pip install --quiet --python $(ORCH_VENV)/bin/python -r requirements-orchestration.txt -e .
	touch $@

test-orchestration: venv $(ORCH_VENV)/bin/.installed  ## load the Dagster and Airflow examples (own venv .venv-orchestration)
	$(BIN)/ruff check orchestration
	$(BIN)/ruff format --check orchestration
	$(BIN)/dbt parse --quiet
	$(ORCH_VENV)/bin/pytest -q orchestration

clean:  ## remove build output (keeps .venv and data)
	rm -rf target logs warehouse.duckdb

# Apache Spark (dbt-spark, local session): optional, DuckDB users never need pyspark.
.PHONY: venv-spark test-spark run-spark
$(BIN)/.installed-spark: $(BIN)/.installed requirements-spark.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -r requirements-spark.txt
	touch $@

venv-spark: $(BIN)/.installed-spark  ## add dbt-spark and pyspark to .venv (needs Java 17)

SPARK_TESTS := tests/python/test_macros_cross_engine.py tests/python/test_spark_landing_prototype.py \
	tests/python/test_spark_conformance.py
test-spark: venv-spark  ## Spark checks: every dispatched macro equal on both engines, the conformance suite built on Spark
	PA_REQUIRE_SPARK=1 PA_RUN_SPARK_BUILDS=1 $(BIN)/pytest -q $(SPARK_TESTS)

SPARK_WAREHOUSE_DIR ?= $(CURDIR)/target/spark-warehouse
run-spark: venv-spark demo-data  ## the production build of $(EVENTS_DIR) on Spark (local session) into $$SPARK_WAREHOUSE_DIR; base_events__ledger does not build on Spark yet
	SPARK_WAREHOUSE_DIR=$(SPARK_WAREHOUSE_DIR) SPARK_LOCAL_IP=127.0.0.1 $(BIN)/dbt build --target spark \
		--exclude-resource-type unit_test --vars '{raw_events_path: $(abspath $(EVENTS_DIR))}'
