#!/bin/sh
# Builds llama.cpp's llama-server from the source that node-llama-cpp
# carries (llama/gitRelease.bundle), offline, and caches the binary at
# ~/.cache/flatcost/llama-server (or $1), where tests/cli/bench.bats finds
# it.  Optional: the test that uses it skips itself when it is absent.
# About 9 minutes on 2 cores; run tests/engine/setup.sh first.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$HOME/.cache/flatcost/llama-server}
bundle=$here/node_modules/node-llama-cpp/llama/gitRelease.bundle
[ -f "$bundle" ] || { echo "build-llama-server.sh: run tests/engine/setup.sh first" >&2; exit 1; }
[ -x "$out" ] && { echo "build-llama-server.sh: $out exists"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git -c advice.detachedHead=false clone -q "$bundle" "$work/llama.cpp"
cmake -S "$work/llama.cpp" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_OPENSSL=OFF \
    -DLLAMA_CURL=OFF -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=ON \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON \
    >"$work/cmake.log" 2>&1 || { tail -30 "$work/cmake.log" >&2; exit 1; }
cmake --build "$work/build" --target llama-server -j "$(nproc)" \
    >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
cp "$work/build/bin/llama-server" "$out.tmp"
mv "$out.tmp" "$out"
echo "build-llama-server.sh: wrote $out"
