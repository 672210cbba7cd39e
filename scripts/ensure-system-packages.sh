#!/bin/sh
# What the tests need from Debian: Chromium (browser tier) and a font with Chinese glyphs for its pages in
# 简体中文, PostgreSQL (the suite's second database and the production smoke test), nginx (the smoke test's TLS
# proxy) and gettext (msgfmt compiles the translation catalogs).
set -eu
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
[ -x /usr/sbin/nginx ] || missing="$missing nginx"
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing="$missing fonts-noto-cjk"
command -v msgfmt >/dev/null || missing="$missing gettext"
# shellcheck disable=SC2086 # one word per package
exec "$(dirname "$0")/install-debian-packages.sh" "make test" $missing
