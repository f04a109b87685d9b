#!/bin/sh
# Debian's chromium for the browser tests: Playwright drives it and never downloads a browser.
# CHROMIUM may name another Chromium binary instead.
set -e
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "The browser tests need Chromium: install your system's chromium package," >&2
  echo "or set CHROMIUM=/path/to/chromium." >&2
  exit 1
fi
run=""
if [ "$(id -u)" != 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "The browser tests need Debian's chromium: run 'apt-get install chromium' as root." >&2
    exit 1
  fi
  run=sudo
fi
echo "Setup: installing Debian's chromium for the browser tests (about a minute) ..."
export DEBIAN_FRONTEND=noninteractive
$run apt-get update -qq >/dev/null
# DejaVu covers Vietnamese, so screenshots show the real glyphs.
$run apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "Setup: chromium installed at $(command -v chromium)."
