#!/bin/sh
# Install the Debian packages given after the purpose, when run as root; otherwise say what to install.
# Usage: install-debian-packages.sh "what they are for" package ...  (no packages: nothing to do)
set -eu
purpose="$1"
shift
[ "$#" -gt 0 ] || exit 0
if [ "$(id -u)" = "0" ]; then
  echo "Installing the Debian packages $purpose needs: $* ..."
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
  exit 0
fi
echo "$purpose needs these Debian packages: $*. Install them as root: apt-get update && apt-get install -y $*" >&2
exit 1
