#!/bin/sh
# The image's base: Debian 12 (bookworm), made by debootstrap from the Debian mirror and imported
# with podman, because no container registry is reachable here (no `FROM debian:bookworm`).
# Does nothing when the base image already exists: delete it (podman rmi) to make it again, with
# Debian's latest updates.
set -eu
BASE_IMAGE=${BASE_IMAGE:-localhost/oss-console-base:bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

if podman image exists "$BASE_IMAGE"; then
  echo "$BASE_IMAGE exists: not made again"
  exit 0
fi

root=$(mktemp -d /var/tmp/oss-console-base.XXXXXX)
# --one-file-system: never follow a mount debootstrap might leave behind (proc, sys) into the host.
trap 'rm -rf --one-file-system "$root"' EXIT

debootstrap --variant=minbase bookworm "$root" "$MIRROR"
cat > "$root/etc/apt/sources.list" <<SOURCES
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $SECURITY_MIRROR bookworm-security main
SOURCES
# debootstrap takes bookworm as released; the updates and security fixes come from the lines above.
chroot "$root" apt-get update
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get upgrade -y
# No manuals, info pages or translations in what apt installs later (copyright files stay), as in
# Debian's slim images; and none of those debootstrap already put there.
cat > "$root/etc/dpkg/dpkg.cfg.d/excludes" <<EXCLUDES
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EXCLUDES
find "$root/usr/share/doc" -type f ! -name copyright -delete
rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/log/*.log

tar --numeric-owner -C "$root" -c . | podman import \
  --change 'CMD ["/bin/bash"]' \
  --message "debootstrap --variant=minbase bookworm $MIRROR ($(date -u +%Y-%m-%d))" \
  - "$BASE_IMAGE"
