# One command to run, one to test. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)

.PHONY: messages run test test-e2e e2e-tools install translations bench bench-search bench-scoring bench-documents bench-report bench-http check-system clean audit-deps

check-system:
	@$(PYTHON) scripts/check_system.py

$(STAMP): requirements.txt
	@$(PYTHON) scripts/check_system.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	@$(VENV)/bin/pybabel compile --use-fuzzy -d translations >/dev/null

run: install translations
	$(FLASK) db upgrade
	$(FLASK) demo load
	@echo "Serving on http://127.0.0.1:5000 — demo accounts: buyer@, firm@, auditor@, admin@demo.example, password demo-2026"
	$(FLASK) run --host 127.0.0.1 --port 5000

# Browser tests (tests/e2e) run inside `make test` when /usr/bin/chromium exists and say SKIPPED
# when it does not; PROCURE_E2E_REQUIRED=1 (set by .ci/run) makes a missing browser a failure.
# Tests run on PYTEST_WORKERS processes (pytest-xdist; 0 = one process).
PYTEST_WORKERS ?= 2
test: install translations e2e-tools
	@rm -rf test-artifacts/screenshots
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-e2e: install translations e2e-tools
	$(PY) -m pytest tests/e2e -m e2e $(PYTEST_ARGS)

# axe-core (accessibility checks injected by the browser tests) from the npm registry, pinned in
# package-lock.json. Without npm the accessibility checks are skipped (required in CI).
AXE := node_modules/axe-core/axe.min.js
e2e-tools: $(AXE)

$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $(AXE); \
	else echo "e2e-tools: npm not found, axe-core not installed (apt-get install npm); accessibility checks will be SKIPPED"; fi

bench: bench-scoring bench-search bench-documents bench-report

bench-scoring: install
	$(PY) bench/bench_scoring.py

bench-search: install
	$(PY) bench/bench_search.py

bench-documents: install
	$(PY) bench/bench_documents.py

bench-report: install
	$(PY) bench/bench_report.py

# HTTP load benchmark (issue 9): gunicorn with 2 workers on loopback, 100,000 profiles, 1,000
# tenders, wrk at 50 connections. Needs wrk (Debian: apt-get install wrk). Not part of `bench` or CI.
bench-http: install
	@command -v wrk >/dev/null 2>&1 || { echo "bench-http: wrk is not installed. Install it with: sudo apt-get install wrk"; exit 2; }
	$(PY) bench/bench_http.py

# Known vulnerabilities in the pinned requirements (pip-audit, PyPI advisory service). --strict:
# a package that could not be checked (e.g. no network to the service) fails the target instead of
# passing silently. pip-audit lives in its own venv so that it does not change what it audits.
AUDIT_VENV := .venv-audit
audit-deps:
	@test -x $(AUDIT_VENV)/bin/pip-audit || { $(PYTHON) -m venv $(AUDIT_VENV) && \
	  $(AUDIT_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt; }
	$(AUDIT_VENV)/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off -r requirements.txt

clean:
	rm -rf $(VENV) $(AUDIT_VENV) .pytest_cache .hypothesis node_modules test-artifacts

# Extract UI strings and merge them into the FR/NL catalogues (then translate the new entries).
messages: install
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -o translations/messages.pot .
	@for lang in fr nl en; do \
	  if [ -f translations/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(VENV)/bin/pybabel -q update -i translations/messages.pot -d translations -l $$lang --no-fuzzy-matching; \
	  else $(VENV)/bin/pybabel -q init -i translations/messages.pot -d translations -l $$lang; fi; done
