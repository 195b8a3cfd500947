# Two commands from a fresh clone: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   := .demo

.PHONY: run test test-future test-core test-ui test-pg bench screenshots clean lock

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "pip==26.3"
	@# both wheels install the `sqlcipher3` package: a venv from before the switch must lose the old one first
	$(BIN)/python -m pip uninstall --quiet --yes sqlcipher3-binary 2>/dev/null || true
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

## Open the desk on a demo database of its own (created once in .demo/, never your real data); its logins use the
## password laopan-demo (README), typed into the login dialog.
run: $(STAMP)
	LAOPAN_PASSWORD=laopan-demo $(BIN)/laopan --data-dir $(DEMO) demo --cases 2000 --seed 7 --if-empty
	$(BIN)/laopan --data-dir $(DEMO)

## The whole suite, headless. PostgreSQL tests use LAOPAN_TEST_DATABASE_URL (skipped with a reason when unset outside CI).
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

## The suite again with the process clock moved (LAOPAN_NOW): to a leap day's late evening (the whole suite), then
## to a day when UTC is still on the day before (the calendar-dependent tests). Whatever ignores the injected clock fails.
## The slow proofs (crash safety, process concurrency, wheel build) read no calendar and already ran in `make test`.
test-future: $(STAMP)
	LAOPAN_NOW=2028-02-29T23:30+08:00 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)
	LAOPAN_NOW=2031-06-30T07:30+08:00 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m dates $(PYTEST_ARGS)

test-core: $(STAMP)
	$(BIN)/python -m pytest tests/core $(PYTEST_ARGS)

## tests/pg and the [postgresql] variants of the core tests marked both_engines.
test-pg: $(STAMP)
	LAOPAN_TEST_DATABASE_URL=$${LAOPAN_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
	  $(BIN)/python -m pytest -m pg tests/core tests/pg $(PYTEST_ARGS)

## Figures against DESIGN.md §6 on a cached 100k-case database (.bench/).
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

## Regenerate docs/screenshots/ offscreen from demo data.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tools.screenshots docs/screenshots

## Re-resolve constraints.txt from pyproject.toml (developers only; commit the result).
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet -e '.[test,dev]'
	.lockvenv/bin/pip freeze --exclude-editable | grep -v '^laopan' > constraints.txt
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) $(DEMO) .bench build dist *.egg-info
