# geomap: `make site` builds the map from seeds/, `make test` runs the whole suite.
# Both set everything up first on a fresh machine with Python 3.11+ (and npm for the site's assets).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOME_DIR := .geomap
INDEX_STAMP := $(HOME_DIR)/gazetteer.stamp

# Raw gazetteer sources live outside the repository (see gazetteer/SOURCES.md).
# Use ../shared/gazetteer-src when it is there, unless GEOMAP_SOURCES is set already.
ifeq ($(origin GEOMAP_SOURCES), undefined)
  ifneq ($(wildcard ../shared/gazetteer-src/SOURCES.md),)
    GEOMAP_SOURCES := $(abspath ../shared/gazetteer-src)
  endif
endif
export GEOMAP_SOURCES

GAZETTEER_INPUTS := $(wildcard gazetteer/curated/*) $(wildcard geomap/gazetteer/*.py) geomap/translit.py geomap/_text.py

.PHONY: all site test gazetteer bench serve clean lint venv

all: site

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "geomap needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

venv: $(STAMP)

# The index is rebuilt when curated data or the build code changes.
$(INDEX_STAMP): $(STAMP) $(GAZETTEER_INPUTS)
	$(BIN)/geomap gazetteer build
	@mkdir -p $(HOME_DIR) && touch $@

gazetteer: $(STAMP)
	$(BIN)/geomap gazetteer build
	@mkdir -p $(HOME_DIR) && touch $(INDEX_STAMP)

site: $(INDEX_STAMP)
	$(BIN)/geomap build seeds --out site

test: $(INDEX_STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check geomap tests bench

bench: $(INDEX_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run_all.py

serve: site
	@echo "serving site/ on http://127.0.0.1:8000/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory site 8000

clean:
	rm -rf $(VENV) $(HOME_DIR) .pytest_cache .ruff_cache tests/output
	find site -mindepth 1 ! -name README.md -exec rm -rf {} +
