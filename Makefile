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

build: venv  ## dbt build over $(EVENTS_DIR) into $$DUCKDB_PATH (default warehouse.duckdb)
	$(BIN)/dbt build --vars '{raw_events_path: $(EVENTS_DIR)}'

summary: venv  ## print the run summary of the warehouse
	$(BIN)/python -m product_analytics_tools.summary

run: demo-data build summary  ## set up, generate demo data if needed, build everything, print the summary

lint-sql: venv
	$(BIN)/sqlfluff lint models tests analyses macros --processes 2

lint-python: venv
	$(BIN)/ruff check src tests/python
	$(BIN)/ruff format --check src tests/python
	$(BIN)/mypy

lint: lint-sql lint-python  ## SQLFluff and ruff and mypy

CI_DIR := target/ci
dbt-test: venv  ## build generated test data and run every dbt unit and data test on it
	rm -rf $(CI_DIR) && mkdir -p $(CI_DIR)
	$(BIN)/pa-generate --persons 300 --days 21 --seed 7 --out $(CI_DIR)/events
	DUCKDB_PATH=$(CI_DIR)/ci.duckdb $(BIN)/dbt build --target test --vars '{raw_events_path: $(CI_DIR)/events}'

pytest: venv  ## the Python test suite (generator, conformance, reference, incremental runs)
	$(BIN)/pytest -q

test: lint dbt-test pytest  ## every check: lint, dbt unit and data tests, pytest

bench: venv  ## time and memory of generating 1M events and building them
	$(BIN)/python -m product_analytics_tools.bench

clean:  ## remove build output (keeps .venv and data)
	rm -rf target logs warehouse.duckdb

# Apache Spark (dbt-spark, local session): optional, DuckDB users never need pyspark.
.PHONY: venv-spark test-spark
$(BIN)/.installed-spark: $(BIN)/.installed requirements-spark.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -r requirements-spark.txt
	touch $@

venv-spark: $(BIN)/.installed-spark  ## add dbt-spark and pyspark to .venv (needs Java 17)

SPARK_TESTS := tests/python/test_macros_cross_engine.py tests/python/test_spark_landing_prototype.py
test-spark: venv-spark  ## cross-engine checks: every dispatched macro equal on DuckDB and Spark
	PA_REQUIRE_SPARK=1 $(BIN)/pytest -q $(SPARK_TESTS)
