#!/bin/sh
# The repository alone must build, demonstrate, test and benchmark aims: a
# clone has no reference folder beside it. This check (part of `make lint`)
# fails when anything the build, the tests, the demo, the fuzzers, CI or the
# benchmarks use names the maintainers' sibling reference folder, in any of
# the spellings a path to it takes:
#   ../shared (also ..//shared, $AIMS_SRC/../shared), /work/shared,
#   shared/data, shared/reference, shared/guides, and "shared" as a quoted
#   path component (os.path.join(ROOT, "..", "shared")).
# It scans every text file under Makefile, tests/, bench/, fuzz/, .ci/,
# scripts/, examples/ and tools/. scripts/gen-catalogs.py, a maintainer's
# tool that reads reference texts, takes their folder as a required
# argument and names no default, so it is scanned like everything else;
# only this file, which must spell the patterns, is left out.
# Data a test needs is copied into tests/data/ with its provenance
# (tests/data/README.md).
set -u
cd "$(dirname "$0")/.." || exit 2

pattern='\.\./+shared([^A-Za-z0-9_-]|$)|/work/shared|(^|[^A-Za-z0-9_-])shared/(data|reference|guides)([^A-Za-z0-9_-]|$)|["'"'"']shared["'"'"']'
self=scripts/check-self-contained.sh
status=0
for f in Makefile $(find tests bench fuzz .ci scripts examples tools -type f 2>/dev/null | sort); do
	[ "$f" = "$self" ] && continue
	hits=$(grep -InE "$pattern" "$f" 2>/dev/null || true)
	if [ -n "$hits" ]; then
		printf '%s\n' "$hits" | sed "s|^|$f:|; s|\$|  <- names a folder outside the repository|"
		status=1
	fi
done
[ $status -eq 0 ] || echo "check-self-contained: copy what is needed into tests/data/ (see tests/data/README.md)"
exit $status
