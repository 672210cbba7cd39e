#!/bin/sh
# What the tests need from Debian: Chromium (browser tier), PostgreSQL (the suite's second database
# and the production smoke test) and nginx (the smoke test's TLS proxy). Installs what is missing
# when run as root; otherwise says what to install.
set -eu
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
[ -x /usr/sbin/nginx ] || missing="$missing nginx"
if [ -z "$missing" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  echo "Installing the Debian packages the tests need:$missing ..."
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
  exit 0
fi
echo "The tests need these Debian packages:$missing. Install them as root: apt-get update && apt-get install -y$missing" >&2
exit 1
