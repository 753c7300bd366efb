# Two commands matter on a fresh machine: `make demo` and `make test`. Each does its own set-up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

# Node is needed by `make build` (the release step compiles our Python in it); npm is optional: with it,
# terser minifies the loader, the runtime and the generated JavaScript.
NODE_DEPS := $(if $(shell command -v npm 2>/dev/null),node_modules/.installed)

.PHONY: build demo demo-static test test-core test-browser lint bench clean setup browser package nodejs postgres nginx screenshots

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# What the release step alone needs (package.json's devDependencies: terser, acorn; 11 packages), for
# `make package`; a full install (above) already has them and is left as it is.
node_modules/.build-tools: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make package needs npm (Node.js 20 and npm): terser minifies \
	the files and npm packs the npm package"; exit 1; }
	@if [ -f node_modules/.installed ] && [ node_modules/.installed -nt package-lock.json ]; then :; else \
		npm ci --omit=optional --no-audit --no-fund --loglevel=error; fi
	touch $@

# The release step's Python: the pinned brython package, whose runtime the build copies (no test tools).
$(VENV)/.build-installed: pyproject.toml
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[build]'
	touch $@

# The three browser engines come from Debian (Selenium Manager cannot download drivers here): Chromium
# and chromedriver; Firefox ESR, driven over WebDriver BiDi (Debian has no geckodriver); WebKitGTK's
# WebKitWebDriver, on a private Xvfb display.
BROWSER_FILES := /usr/bin/chromium /usr/bin/chromedriver /usr/bin/firefox-esr /usr/bin/WebKitWebDriver /usr/bin/Xvfb
BROWSER_PACKAGES := chromium chromium-driver firefox-esr webkit2gtk-driver xvfb

browser:
	@for f in $(BROWSER_FILES); do [ -x $$f ] || missing=1; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing $(BROWSER_PACKAGES) from Debian..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	fi

# The release step compiles our Python with Brython's own compiler in Node (Debian's Node 20 will do).
nodejs:
	@command -v node >/dev/null 2>&1 || { echo "Installing nodejs from Debian..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null; }

# The consent log's tests start their own PostgreSQL server (tests/django_log/postgres_kit.py) from Debian's
# binaries, in /usr/lib/postgresql/<major>/bin. Without them (and no apt-get), those tests skip, saying why.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "Installing postgresql from Debian..."; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } || \
		echo "postgresql could not be installed: the consent log's PostgreSQL tests will be skipped"; }

# The page-cache tests put Debian's nginx (proxy_cache) in front of the demo portal; they start their own
# server with a private configuration (tests/browser/test_page_cache.py).
nginx:
	@[ -x /usr/sbin/nginx ] || { echo "Installing nginx-light from Debian..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }

setup: $(VENV)/.installed node_modules/.installed browser nodejs postgres nginx

# The packaged assets (banner/static/consent_banner/), then the demo portal's own build into static/dist/.
build: $(VENV)/.installed nodejs $(NODE_DEPS)
	$(PY) tools/release.py
	$(PY) -m banner.server.build --config demo/site/config.json --manifest demo/site/cookies.json --out static/dist

# The wheel and the npm tarball, into dist/, with the list of their files. Light on purpose: Python 3.11+,
# Node.js 20 and npm; no browser, no test tools, no root (README, "Install").
package: $(VENV)/.build-installed nodejs node_modules/.build-tools
	$(PY) tools/package.py --list

# The demo Django portal (demo/portal/): its SQLite database migrated, its manifest's two published versions
# and a few thousand generated consent records (demo_data, once), an `admin` user (password `demo`) for
# /admin/, then Django's development server.
demo: build
	$(PY) demo/manage.py migrate --noinput -v0
	$(PY) demo/manage.py demo_data
	@DJANGO_SUPERUSER_PASSWORD=demo $(PY) demo/manage.py createsuperuser --noinput --username admin \
		--email admin@example.org >/dev/null 2>&1 || true
	@echo "Demo portal on http://127.0.0.1:$(PORT)/  (admin: admin / demo; Ctrl+C to stop)"
	$(PY) demo/manage.py runserver --noreload 127.0.0.1:$(PORT)

# The same pages as static HTML with the plain script tag (no server side): what the browser suite and
# the benchmarks serve.
demo-static: build
	$(PY) demo/server.py --port $(PORT)

test: setup build lint
	$(PY) -m pytest

# ruff, configured in pyproject.toml ([tool.ruff]): errors and likely bugs, in a second.
lint: $(VENV)/.installed
	$(PY) -m ruff check .

test-core: $(VENV)/.installed
	$(PY) -m pytest tests/core

test-browser: setup build
	$(PY) -m pytest tests/browser

# docs/screenshots/{light,dark,dsfr}-{1280,375}.png (docs/theming.md), with Debian's headless Chromium.
screenshots: setup build
	$(PY) tools/screenshots.py

bench: setup build
	$(PY) -m benchmarks

clean:
	rm -rf static/dist banner/static/consent_banner banner/consent.template.js dist build .pytest_cache
