#!/usr/bin/env bash
# Installs the Debian packages the browser tests need when they are missing: Chromium (Playwright
# drives Debian's build; it never downloads one of its own), ffmpeg (makes the test video),
# sqlite3 (seeds thousands of notes straight into a test server's database), and espeak-ng and
# sox (speak the test sentences and shape them into 16 kHz WAV files for the speech tests), and
# prometheus (its promtool checks and unit-tests the alert rules in docs/ops/).
# Usage: scripts/ensure-debian-packages.sh  (as root, or with sudo available)
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
command -v sox >/dev/null 2>&1 || missing+=(sox)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "missing ${missing[*]} and no apt-get to install them; install them and run again" >&2
  exit 1
fi
as_root=()
[ "$(id -u)" = 0 ] || as_root=(sudo)
echo "==> installing ${missing[*]} (apt)"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
