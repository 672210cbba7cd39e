# Two commands do everything: `make run` (the console) and `make test` (all tests).
# `make serve` runs the production shape (README, "Production").
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: messages compiled-messages run serve test test-sqlite test-sqlite-integration test-sqlite-others test-postgres lint clean vendor system-packages chart-deps bench bench-quick bench-load wrk image image-test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The Helm chart's checks need helm-python-sdk and kubernetes-validate (the `chart` extra, ~370 MB),
# kept out of `dev` so `make run` stays lean; `make test` installs them.
CHART_STAMP := $(VENV)/.chart-stamp

# Only the extra's own packages, read from pyproject.toml (not `-e .[chart]`, which rebuilds the project).
$(CHART_STAMP): $(STAMP) pyproject.toml
	$(PY) -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['chart']))" \
		| $(PY) -m pip install --quiet -r /dev/stdin
	touch $(CHART_STAMP)

chart-deps: $(CHART_STAMP)

# The upload widget and the zip download: npm installs the pinned Uppy, client-zip, hash-wasm and esbuild, esbuild bundles
# them into static/vendor/.
NODE_STAMP := node_modules/.installed-stamp
VENDOR := static/vendor/uppy.js
ZIP_VENDOR := static/vendor/client-zip.js
HASH_VENDOR := static/vendor/hash-wasm.js

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

# Uppy's texts are built for each catalog too (static/vendor/uppy-locale-<language>.js): a new catalog rebuilds them.
$(VENDOR): $(NODE_STAMP) scripts/build-vendor.mjs scripts/uppy-entry.js $(wildcard locale/*/LC_MESSAGES/django.po)
	node scripts/build-vendor.mjs

$(ZIP_VENDOR): $(NODE_STAMP) scripts/build-vendor.mjs scripts/crc32.mjs scripts/crc32.wat
	node scripts/build-vendor.mjs

$(HASH_VENDOR): $(NODE_STAMP) scripts/build-vendor.mjs
	node scripts/build-vendor.mjs

vendor: $(VENDOR) $(ZIP_VENDOR) $(HASH_VENDOR)

# The translations (README "Languages"): one catalog per language under locale/, for the pages and Python
# (django.po) and for the scripts (djangojs.po). `make messages` gathers every marked string into them, keeping
# what is translated (`make messages NEW=fr` starts a catalog for a new language); `make run` and `make test`
# compile them with msgfmt (Debian's gettext).
CATALOGS := $(wildcard locale/*/LC_MESSAGES/*.po)
MAKEMESSAGES := DEBUG=true $(PY) manage.py makemessages $(if $(NEW),--locale=$(NEW),--all) --no-obsolete --add-location=file \
	--ignore=.venv --ignore=node_modules --ignore=.data --ignore=test-artifacts --ignore=tests --ignore=static/vendor \
	--ignore=staticfiles --ignore=benchmarks --ignore=deploy

messages: $(STAMP)
	$(MAKEMESSAGES) --domain=django
	$(MAKEMESSAGES) --domain=djangojs

%.mo: %.po
	@command -v msgfmt >/dev/null || scripts/install-debian-packages.sh "compiling the translations" gettext
	msgfmt --check-format --output-file=$@ $<

compiled-messages: $(CATALOGS:.po=.mo)

# Chromium, PostgreSQL and nginx from Debian, for the tests.
system-packages:
	scripts/ensure-system-packages.sh

ADDR ?= 127.0.0.1:8000

# `exec`: a SIGTERM to make (make passes it on to its child) reaches devserver, not a shell that dies alone.
run: $(STAMP) vendor compiled-messages
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} exec $(PY) manage.py devserver --addr $(ADDR)

# The production shape: gunicorn (console/gunicorn_conf.py), static files by whitenoise from STATIC_ROOT,
# DEBUG off, every setting from the environment (DJANGO_SECRET_KEY, CONNECTION_SECRET_KEYS, ALLOWED_HOSTS ...).
# Migrations are not run here: `.venv/bin/python manage.py migrate` is its own step, before the first start
# and after each upgrade. The static bundle is built only when missing (the image builds it).
serve: $(STAMP) compiled-messages
	@test -f $(VENDOR) -a -f $(ZIP_VENDOR) || $(MAKE) vendor
	DEBUG=false $(PY) manage.py collectstatic --noinput -v0
	DEBUG=false exec $(VENV)/bin/gunicorn --config python:console.gunicorn_conf --bind $(ADDR)

# The import contracts first (pyproject.toml [tool.importlinter]; docs/architecture.md), then three passes side
# by side: the integration tier on SQLite; the unit, browser and deploy tiers on SQLite (the deploy tier's
# production-stack smoke test runs its own PostgreSQL and nginx); and the unit and integration tests that use the
# database again on a throwaway PostgreSQL cluster (`-m database`: the others cannot reach it, and run in the
# SQLite passes). The passes mostly wait (storage restarts, subprocesses, Chromium, the database), so three fit on
# two cores. --output-sync prints each pass whole when it ends; the run fails if any fails, after all have finished.
test: $(STAMP) $(CHART_STAMP) vendor system-packages compiled-messages
	$(VENV)/bin/lint-imports
	$(MAKE) --no-print-directory -j3 --output-sync=target test-sqlite-integration test-sqlite-others test-postgres

# What the passes could share, kept apart: each picks its ports from a range of its own (FREE_PORTS, read by
# storage/dev/seaweedfs.py's free_port), so none is handed a port another picked and has not bound yet;
# SeaweedFS binds each port + 10000 too, and all six spans lie below 32768, where Linux's ephemeral ports (bind
# to port 0, outgoing connections) begin. Each pass keeps its own pytest cache (lastfailed, the seed).
# Data, clusters, browsers and nginx live in temporary directories of each session's own.
SQLITE_INTEGRATION_PORTS := 20000-20899
SQLITE_OTHERS_PORTS := 20900-21799
POSTGRES_PORTS := 21800-22699

# Both SQLite passes, one after the other: every tier on SQLite.
test-sqlite: test-sqlite-integration test-sqlite-others

test-sqlite-integration: $(STAMP)
	FREE_PORTS=$(SQLITE_INTEGRATION_PORTS) $(PY) -m pytest -o cache_dir=.pytest_cache-integration tests/integration

test-sqlite-others: $(STAMP)
	FREE_PORTS=$(SQLITE_OTHERS_PORTS) $(PY) -m pytest tests/unit tests/browser tests/deploy

test-postgres: $(STAMP)
	FREE_PORTS=$(POSTGRES_PORTS) TEST_DATABASE=postgres $(PY) -m pytest -o cache_dir=.pytest_cache-postgres \
		-m database tests/unit tests/integration

# The container image (README "Image"). The Debian base is made once by debootstrap (no registry is
# reachable) and kept; buildah's layer cache makes a second build quick. npm and pip in the build
# trust this machine's CA bundle (CA_BUNDLE), given as a build secret, never stored in the image.
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
IMAGE ?= localhost/oss-console:$(VERSION)
BASE_IMAGE ?= localhost/oss-console-base:bookworm
CA_BUNDLE ?= /etc/ssl/certs/ca-certificates.crt
# The id of the last build: the smoke test runs on this build, even if another tree retags $(IMAGE).
IMAGE_ID_FILE := .data/image.id

image:
	scripts/ensure-image-tools.sh
	BASE_IMAGE=$(BASE_IMAGE) scripts/build-base-image.sh
	@mkdir -p $(dir $(IMAGE_ID_FILE))
	buildah bud --isolation chroot --layers --force-rm --jobs 3 --format docker --build-arg BASE=$(BASE_IMAGE) \
		--secret id=ca-certificates,src=$(CA_BUNDLE) --iidfile $(IMAGE_ID_FILE) -t $(IMAGE) -f Containerfile .

# The image's smoke test (tests/deploy/test_image.py): its own files, run through chroot, answer /readyz.
# Not part of `make test`: building the image from nothing takes 3 to 6 minutes here (README "Image").
image-test: $(STAMP) image system-packages
	IMAGE=$$(cat $(IMAGE_ID_FILE)) IMAGE_TEST=1 $(PY) -m pytest tests/deploy/test_image.py

# Benchmarks (issue #7): SeaweedFS + gunicorn of their own; BENCHMARKS.md is written by `make bench`.
# ROWS=J2,J3 measures only those rows (bench.py --only); the report then goes to .data/bench/BENCHMARKS.md.
BENCH_ONLY = $(if $(ROWS),--only $(ROWS))
wrk:
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk) || echo "wrk missing: P5 uses a Python client"

bench: $(STAMP) wrk
	$(PY) benchmarks/bench.py $(BENCH_ONLY)

bench-quick: $(STAMP) wrk
	$(PY) benchmarks/bench.py --quick $(BENCH_ONLY)

bench-load: $(STAMP)
	$(PY) benchmarks/load_upload.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .pytest_cache-integration .pytest_cache-postgres .import_linter_cache test-artifacts node_modules static/vendor
