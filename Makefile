# coopkg: the two quick-start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install browser fonts virtuoso lint bench loadtest docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the project's metadata changes; editable, so code edits need nothing.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,docs]'
	touch $(STAMP)

install: $(STAMP)

demo: install fonts
	$(BIN)/kg build data --out out --pdf
	@echo
	@echo "Open the page: $(CURDIR)/out/graph.html"

# Debian's chromium for the browser tests, when it is missing and apt-get can get it.
browser:
	@if ! command -v chromium >/dev/null 2>&1 && [ -z "$$COOPKG_CHROMIUM" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "WARNING: no chromium and no way to install it: browser tests will be skipped (they fail under CI)"; \
	  fi; \
	fi

# A CJK font, so that Chinese names show in the screenshots and the PDF report instead of
# empty boxes: Debian's WenQuanYi Zen Hei when none is installed and apt-get can get it.
fonts:
	@if command -v fc-list >/dev/null 2>&1 && [ -n "$$(fc-list :lang=zh 2>/dev/null)" ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing a CJK font (fonts-wqy-zenhei) for Chinese names in pictures"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null \
	    || echo "WARNING: could not install fonts-wqy-zenhei: Chinese names will show as boxes in pictures"; \
	else \
	  echo "WARNING: no CJK font and no way to install one: Chinese names will show as boxes in pictures"; \
	fi

# Debian's Virtuoso for the store tests (tests/stores.py starts its own virtuoso-t on free
# ports with a fresh database; the Debian service is never started).
virtuoso:
	@if ! command -v virtuoso-t >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's virtuoso-opensource for the store tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null; \
	  else \
	    echo "WARNING: no virtuoso-t and no way to install it: Virtuoso tests will be skipped (they fail under CI)"; \
	  fi; \
	fi

lint: install
	$(BIN)/ruff check kg tests benchmarks scripts
	$(BIN)/ruff format --check kg tests benchmarks scripts

test: install browser fonts virtuoso lint
	$(BIN)/python -m pytest -q

bench: install browser
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/build_100.py
	$(BIN)/python benchmarks/page_5000.py
	$(BIN)/python benchmarks/hostile_extract.py
	$(BIN)/python benchmarks/scale.py

# `kg serve` under 8 concurrent clients on 127.0.0.1 (seed graph and 1,000 synthetic
# releases, built once into out/loadtest/); prints q/s and latency, writes out/loadtest.json.
loadtest: install
	$(BIN)/python benchmarks/loadtest.py

docs: install
	$(BIN)/python scripts/build_docs.py

clean:
	rm -rf out .pytest_cache .ruff_cache
