# OCOP plans → data. `make help` lists the targets.
SHELL := /bin/bash
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
RAW_DIR ?= data/raw
OUT_DIR ?= data/processed
WORKERS ?= 0
EXTRA ?=
CORPUS ?= ../shared/corpus/vi-legal.txt.gz
EVAL_DIR ?= ../shared/eval
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng poppler-utils \
	fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 fonts-texgyre fonts-freefont-ttf
# benchmark only: OCRmyPDF to compare with (and unpaper, which its --clean runs: only recommended, so not pulled in),
# the serif fonts of the synthetic scans
BENCH_APT_PACKAGES := ocrmypdf unpaper fonts-liberation2 fonts-texgyre fonts-dejavu-extra fonts-freefont-ttf
STAMP := $(VENV)/.installed
WORD_LIST := build/vntk-dictionary-1.0.0.tgz
# old releases of the vietnam-provinces package and the last year each one's list of units held (`former-districts`)
FORMER_UNIT_RELEASES := 0.2:2020 0.5.0:2024

.PHONY: help setup system-deps extract test lint bench bench-ocr eval model former-districts clean db query ingest

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

setup: system-deps $(STAMP) ## create .venv and install Python and Debian packages when missing

system-deps:
	@bash scripts/install-system-deps.sh $(APT_PACKAGES)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install python3 and python3-venv" >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); bash scripts/install-system-deps.sh python3-venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -c 'import diacritics'  # compiles the restorer's numba kernels once; they are cached in diacritics/__pycache__
	@touch $@

extract: setup ## run every stage on RAW_DIR (data/raw) and write the tables to OUT_DIR (data/processed)
	$(PY) -m pipeline extract --raw-dir "$(RAW_DIR)" --out-dir "$(OUT_DIR)" --workers $(WORKERS) $(EXTRA)

db: setup ## build OUT_DIR/ocop.duckdb: the tables, and views joining facts to their documents
	$(PY) -m pipeline db --out-dir "$(OUT_DIR)"

query: export OCOP_SQL = $(SQL)
query: setup ## run SQL="..." on OUT_DIR's DuckDB database (built first when needed) and print the result
	@test -n "$$OCOP_SQL" || { echo 'usage: make query SQL="SELECT * FROM budget_facts"' >&2; exit 2; }
	@$(PY) -m pipeline query --out-dir "$(OUT_DIR)" "$$OCOP_SQL"

ingest: setup ## copy SRC=<file or folder> into RAW_DIR/<province>/ and its MANIFEST.csv [PROVINCE=...]
	@test -n "$(SRC)" || { echo 'usage: make ingest SRC=<file or folder> [PROVINCE="Đồng Tháp"]' >&2; exit 2; }
	$(PY) -m pipeline ingest "$(SRC)" --raw-dir "$(RAW_DIR)" $(if $(PROVINCE),--province "$(PROVINCE)")

test: setup ## run the whole test suite
	$(PY) -m pytest -q

lint: setup ## ruff over the code
	$(PY) -m ruff check .

eval: setup ## score the tables in OUT_DIR against the development gold facts
	$(PY) -m bench.eval_facts --out-dir "$(OUT_DIR)" --gold "$(EVAL_DIR)/facts"

bench: setup ## run the benchmarks and print their figures (see bench/RESULTS.md)
	@bash scripts/install-system-deps.sh $(BENCH_APT_PACKAGES)
	$(PY) -m bench.run_all --corpus "$(CORPUS)" --eval-dir "$(EVAL_DIR)"

bench-ocr: setup ## OCR benchmark: synthetic scans read by Tesseract, OCRmyPDF and the pipeline (bench/out/ocr.json)
	@bash scripts/install-system-deps.sh $(BENCH_APT_PACKAGES)
	$(PY) -m bench.ocr_bench --pages 3 --corpus "$(CORPUS)" --corpus-pages 1

model: setup $(WORD_LIST) ## rebuild the diacritics model from the shared corpus and an npm word list
	$(PY) -m diacritics.build --corpus "$(CORPUS)" --out diacritics/models
	$(PY) -m diacritics.window_build --corpus "$(CORPUS)" --out diacritics/models
	$(PY) -m diacritics.abbreviations_build --word-list $(WORD_LIST) --out diacritics/models
	$(PY) -m diacritics.confidence_build --corpus "$(CORPUS)" --model-dir diacritics/models

former-districts: setup ## rebuild extractors/patterns/former_districts.tsv from old releases of vietnam-provinces
	rm -rf build/former-units && mkdir -p build/former-units
	for release in $(FORMER_UNIT_RELEASES); do \
		$(PY) -m pip download --quiet --no-deps "vietnam-provinces==$${release%%:*}" -d "build/former-units/$${release%%:*}"; \
		args+=" --release $$(ls build/former-units/$${release%%:*}/*.whl):$${release##*:}"; \
	done; $(PY) -m extractors.former_districts_build $$args

$(WORD_LIST): # the Viet74K word list of the @vntk/dictionary npm package (MIT), read by `make model` only
	@command -v npm >/dev/null || bash scripts/install-system-deps.sh npm
	mkdir -p $(@D) && cd $(@D) && npm pack --silent @vntk/dictionary@1.0.0 >/dev/null

clean: ## remove generated tables and intermediate files (never data/raw)
	rm -rf data/processed data/interim
