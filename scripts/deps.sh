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
libjansson-dev
libsodium-dev
libssl-dev
libcmocka-dev
zlib1g-dev
libyaml-dev
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

[ -z "$missing" ] && exit 0

echo "deps: installing:$missing" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
