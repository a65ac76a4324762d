#!/bin/sh
# Installs the Debian packages flatcost needs to build and test, when any
# is missing.  Needs root (or sudo) only when something is missing.
set -e
PKGS="build-essential pkg-config libyaml-dev libgsl-dev libcsv-dev
libcurl4-openssl-dev libjansson-dev zlib1g-dev libcmocka-dev bats gnuplot-nox
libxml2-utils mandoc jq python3 python3-jsonschema curl nodejs npm clang libclang-rt-14-dev gcovr valgrind parallel
chromium"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
# nodejs/npm may come from elsewhere than Debian: a working `node` is enough.
case "$missing" in *nodejs*|*npm*)
	if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
		missing=$(echo "$missing" | sed 's/ nodejs//; s/ npm//')
	fi;;
esac
[ -z "$(echo $missing)" ] && exit 0
echo "flatcost: installing build dependencies:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
