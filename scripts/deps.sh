#!/bin/sh
# Install every Debian package that building, testing, linting, fuzzing and
# benchmarking aims needs. Idempotent: prints nothing and touches nothing when
# all packages are present. Run as root (or with sudo available).
set -eu

PKGS="
build-essential
pkg-config
libsqlite3-dev
sqlite3
libpq-dev
postgresql-15
postgresql-client-15
libjansson-dev
libsodium-dev
libssl-dev
libcmocka-dev
zlib1g-dev
libyaml-dev
libcurl4-openssl-dev
libmicrohttpd-dev
wrk
curl
python3-scipy
python3-sklearn
python3-pandas
python3-numpy
clang
llvm
libclang-rt-14-dev
clang-tidy
cppcheck
perl
jq
time
chromium
fonts-dejavu-core
"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

# the test tools from npm (OpenAPI lint, JSON Schema validation, browser tests), pinned in
# package-lock.json; installed once into node_modules/ beside this script's repository
npm_tools() {
	root=$(cd "$(dirname "$0")/.." && pwd)
	[ -d "$root/node_modules/@redocly/cli" ] && [ -d "$root/node_modules/playwright-core" ] && return 0
	if ! command -v npm >/dev/null 2>&1; then
		echo "deps: installing: nodejs npm" >&2
		$SUDO apt-get update -qq >/dev/null
		$SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
	fi
	echo "deps: installing the npm test tools (npm ci)" >&2
	(cd "$root" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

if [ -z "$missing" ]; then
	npm_tools
	exit 0
fi

echo "deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
npm_tools
