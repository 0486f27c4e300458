# Two commands a newcomer needs: `make run` and `make test`. Both install what is missing first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
# wsgi.py runs the production configuration unless told otherwise; `make run` is for a laptop.
export FLASK_CONFIG ?= development
# The suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto

.PHONY: run test lint format test-python install assets chromium translations translations-compile lock clean

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed
	@echo ""
	@echo "SEND Voice is running at http://127.0.0.1:5000 (Ctrl+C to stop)."
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: install $(VENV)/.installed-dev chromium
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# ruff checks the code (pyflakes, pycodestyle, import order, bugbear) and its formatting.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

install: $(VENV)/.installed node_modules/.installed build/manifest.json translations-compile

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# Test and lint tools: only `make test`, `make lint` and `make format` install these.
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end assets are built from the govuk-frontend package, never copied in by hand.
app/static/dist/app.css: node_modules/.installed app/static/scss/app.scss scripts/copy-assets.mjs
	npm run --silent build

# What production serves (app/static_files.py): every static file under a fingerprinted name too,
# with Brotli and gzip copies, and the manifest that maps names to fingerprinted names.
STATIC_FILES := $(shell find app/static -type f -not -path 'app/static/scss/*' 2>/dev/null)
build/manifest.json: $(VENV)/.installed app/static/dist/app.css $(STATIC_FILES) app/static_files.py
	$(BIN)/flask assets

# Build the front end again from scratch, whatever make thinks is up to date (before a deploy).
assets: $(VENV)/.installed node_modules/.installed
	npm run --silent build
	$(BIN)/flask assets

# Browser tests drive Debian's Chromium; install it when missing and we are allowed to.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Chromium from Debian's packages for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is not installed (sudo apt-get install chromium): browser tests will be skipped."; \
	fi

# Extract every string marked for translation and merge it into each language's catalogue.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output --omit-header app
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d translations --statistics

translations-compile: $(VENV)/.installed
	@$(BIN)/pybabel compile -d translations >/dev/null

# Re-pin requirements.txt and requirements-dev.txt after changing requirements.in or
# requirements-dev.in. The dev file holds only what the service itself does not need.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	{ echo "# Pinned by 'make lock' from requirements.in. Install with: pip install -r requirements.txt"; \
	  .lock-venv/bin/pip freeze --exclude-editable; } > requirements.txt
	.lock-venv/bin/pip install --quiet -r requirements-dev.in
	{ echo "# Pinned by 'make lock' from requirements-dev.in, on top of requirements.txt."; \
	  echo "# Install with: pip install -r requirements.txt -r requirements-dev.txt"; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v -x -i -F -f requirements.txt; } > requirements-dev.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) node_modules app/static/dist build .pytest_cache
