#!/bin/sh
# The browser tests drive Debian's Chromium; install it when it is missing.
set -eu
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  echo "Chromium is missing: installing the Debian package 'chromium' ..."
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  exit 0
fi
echo "The browser tests need /usr/bin/chromium. Install it as root: apt-get update && apt-get install -y chromium" >&2
exit 1
