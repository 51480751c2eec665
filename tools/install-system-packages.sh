#!/usr/bin/env bash
# Debian packages the kit needs beyond Python, installed once if missing (needs root or sudo):
#   sandbox  bubblewrap, the OS boundary `embedding-lab grade` puts each submission behind
#   browser  chromium for the browser tests (Playwright's own browser download does not work
#            offline), with a small Chinese font so screenshots show 北京欢迎你, not empty boxes
# Usage: tools/install-system-packages.sh sandbox [browser]
set -euo pipefail
missing=()
for need in "$@"; do
  case "$need" in
    sandbox) command -v bwrap >/dev/null || missing+=(bubblewrap) ;;
    browser)
      [ -x /usr/bin/chromium ] || missing+=(chromium)
      fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || missing+=(fonts-wqy-microhei) ;;
    *) echo "unknown need: $need (sandbox, browser)" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "installing ${missing[*]}..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
