#!/bin/sh
# What the tests need from Debian: Chromium (browser tier), PostgreSQL (the suite's second database
# and the production smoke test) and nginx (the smoke test's TLS proxy).
set -eu
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
[ -x /usr/sbin/nginx ] || missing="$missing nginx"
# shellcheck disable=SC2086 # one word per package
exec "$(dirname "$0")/install-debian-packages.sh" "make test" $missing
