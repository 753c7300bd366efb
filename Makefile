# Two commands matter on a fresh machine: `make demo` and `make test`. Each does its own set-up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

# Node is needed by `make build` (the release step compiles our Python in it); npm is optional: with it,
# terser minifies the loader, the runtime and the generated JavaScript.
NODE_DEPS := $(if $(shell command -v npm 2>/dev/null),node_modules/.installed)

.PHONY: build demo test test-core test-browser bench clean setup browser package nodejs

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Chromium and chromedriver come from Debian (Selenium Manager cannot download drivers here).
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		echo "Installing chromium and chromium-driver from Debian..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

# The release step compiles our Python with Brython's own compiler in Node (Debian's Node 20 will do).
nodejs:
	@command -v node >/dev/null 2>&1 || { echo "Installing nodejs from Debian..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null; }

setup: $(VENV)/.installed node_modules/.installed browser nodejs

# The packaged assets (banner/static/consent_banner/), then the demo portal's own build into static/dist/.
build: $(VENV)/.installed nodejs $(NODE_DEPS)
	$(PY) -m banner.build --release --config demo/site/config.json --manifest demo/site/cookies.json --out static/dist

# The wheel and the npm tarball, into dist/, with the list of their files.
package: setup
	$(PY) tools/package.py --list

demo: build
	$(PY) demo/server.py --port $(PORT)

test: setup build
	$(PY) -m pytest

test-core: $(VENV)/.installed
	$(PY) -m pytest tests/core

test-browser: setup build
	$(PY) -m pytest tests/browser

bench: setup build
	$(PY) benchmarks/run.py

clean:
	rm -rf static/dist banner/static/consent_banner banner/consent.template.js dist build .pytest_cache
