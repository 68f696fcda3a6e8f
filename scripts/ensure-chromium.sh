#!/usr/bin/env bash
# Finds Chromium for the browser tests, installing Debian's package when it is missing and we can.
# Playwright's own browser download cannot work offline, so the tests drive /usr/bin/chromium.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ -r /etc/debian_version ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "ensure-chromium: Chromium is missing at $CHROMIUM and installing it needs root (apt-get install -y chromium)." >&2; exit 1; fi
  fi
  echo "ensure-chromium: installing Debian's chromium package (one time)..." >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: no Chromium at $CHROMIUM. On Debian/Ubuntu run 'apt-get install -y chromium';" >&2
  echo "elsewhere install Chromium and set CHROMIUM_PATH to its executable." >&2
  exit 1
fi
