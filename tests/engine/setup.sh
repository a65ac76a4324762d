#!/bin/sh
# Installs the test engine (node-llama-cpp with the prebuilt CPU libraries
# of this platform) under tests/engine/node_modules when absent.
# Idempotent and quiet; nothing is compiled and no model is downloaded.
# (`npm ci` fails on this package: use `npm install`.)
set -e
cd "$(dirname "$0")"
case "$(uname -m)" in
x86_64|amd64) arch=x64 ;;
aarch64|arm64) arch=arm64 ;;
*) echo "setup.sh: no prebuilt node-llama-cpp for $(uname -m)" >&2; exit 1 ;;
esac
if [ -f node_modules/node-llama-cpp/package.json ] &&
   [ -d "node_modules/@node-llama-cpp/linux-$arch" ]; then
	exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "setup.sh: npm not found" >&2; exit 1; }
export NODE_LLAMA_CPP_SKIP_DOWNLOAD=true
npm install --omit=optional --no-audit --no-fund --loglevel=error \
    --no-save --no-package-lock \
    node-llama-cpp@3.22.1 "@node-llama-cpp/linux-$arch@3.22.1" >/dev/null
