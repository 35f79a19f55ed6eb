# One command to run, one to test. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)

.PHONY: messages run test test-e2e install translations bench bench-search bench-scoring bench-documents check-system clean

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

test: install translations
	$(PY) -m pytest $(PYTEST_ARGS)

test-e2e: install translations
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

bench: bench-scoring bench-search

bench-scoring: install
	$(PY) bench/bench_scoring.py

bench-search: install
	$(PY) bench/bench_search.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# Extract UI strings and merge them into the FR/NL catalogues (then translate the new entries).
messages: install
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -o translations/messages.pot .
	@for lang in fr nl en; do \
	  if [ -f translations/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(VENV)/bin/pybabel -q update -i translations/messages.pot -d translations -l $$lang --no-fuzzy-matching; \
	  else $(VENV)/bin/pybabel -q init -i translations/messages.pot -d translations -l $$lang; fi; done
