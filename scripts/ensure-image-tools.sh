#!/bin/sh
# What `make image` needs from Debian: debootstrap (the base), podman (imports it), buildah (builds).
set -eu
missing=""
for tool in debootstrap podman buildah; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing="$missing $tool"
done
# shellcheck disable=SC2086 # one word per package
exec "$(dirname "$0")/install-debian-packages.sh" "make image" $missing
