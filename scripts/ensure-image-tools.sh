#!/bin/sh
# What `make image` needs from Debian: debootstrap (the base), podman (imports it), buildah (builds).
# Installs what is missing when run as root; otherwise says what to install.
set -eu
missing=""
for tool in debootstrap podman buildah; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing="$missing $tool"
done
if [ -z "$missing" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  echo "Installing the Debian packages make image needs:$missing ..."
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
  exit 0
fi
echo "make image needs these Debian packages:$missing. Install them as root: apt-get update && apt-get install -y$missing" >&2
exit 1
