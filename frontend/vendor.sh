#!/usr/bin/env bash
# Refreshes the browser libraries the panel serves from src/main/resources/static/vendor (see its README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @xterm/xterm@6.0.0 @xterm/addon-fit@0.11.0 >/dev/null)
for f in "$work"/*.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
out=src/main/resources/static/vendor/xterm
cp "$work"/xterm-xterm-6.0.0/package/lib/xterm.js "$work"/xterm-xterm-6.0.0/package/css/xterm.css \
  "$work"/xterm-addon-fit-0.11.0/package/lib/addon-fit.js "$out/"
cp "$work"/xterm-xterm-6.0.0/package/LICENSE "$out/LICENSE"
sed -i 's#//\# sourceMappingURL=.*##' "$out/xterm.js" "$out/addon-fit.js"
