#!/usr/bin/env bash
# JupyterHub's proxy, configurable-http-proxy, from the npm registry, into DIR:
#   tools/install-hub-proxy.sh DIR  ->  DIR/node_modules/.bin/configurable-http-proxy
# Node and npm come from Debian (apt) when missing; needs root or sudo only then.
# 4.6.x runs on Debian 12's Node 18 (5.x needs Node 20).
set -euo pipefail
dest=$(realpath -m "${1:?usage: tools/install-hub-proxy.sh DIR}")
version=4.6.3
chp="$dest/node_modules/.bin/configurable-http-proxy"
if [ -x "$chp" ] && [ "$("$chp" --version 2>/dev/null)" = "$version" ]; then
  echo "$chp"; exit 0
fi
if ! command -v npm >/dev/null; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
mkdir -p "$dest"
npm install --prefix "$dest" --no-audit --no-fund --silent "configurable-http-proxy@$version" >&2
"$chp" --version >&2
echo "$chp"
