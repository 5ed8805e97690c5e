#!/bin/sh
# Banned functions (after git's banned.h) and a few style checks (after
# curl's checksrc) over every C file of the project. Exit 1 on a finding.
set -u
cd "$(dirname "$0")/.." || exit 2

files=$(git ls-files '*.c' '*.h' 2>/dev/null; ls src/*/*.c src/*/*/*.c src/*/*/*.h include/aims/*.h tests/unit/*/*.c tests/unit/*.h fuzz/*.c bench/*.c bench/*.h tools/*.c 2>/dev/null)
files=$(printf '%s\n' $files | sort -u)
status=0

# why: unbounded copies, no truncation signal, hidden state, no error reporting
banned='strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|atoll|gets|strncpy|strncat|asctime|ctime|gmtime|localtime|tmpnam|mktemp'
for f in $files; do
	[ -f "$f" ] || continue
	# strip string literals and // comments before matching, keep line numbers
	hits=$(sed -e 's/"\([^"\\]\|\\.\)*"/""/g' -e 's://.*$::' "$f" |
		grep -nE "(^|[^A-Za-z0-9_.>])($banned)[[:space:]]*\(" || true)
	if [ -n "$hits" ]; then
		printf '%s\n' "$hits" | sed "s|^|$f:|; s|\$|  <- banned function|"
		status=1
	fi
	# trailing whitespace
	tw=$(grep -nE '[[:space:]]+$' "$f" || true)
	if [ -n "$tw" ]; then
		printf '%s\n' "$tw" | sed "s|^\([0-9]*\):.*|$f:\1: trailing whitespace|"
		status=1
	fi
done

# every printf-like function in the public and internal headers carries a format attribute
for f in include/aims/*.h src/lib/*/*.h src/cli/*.h; do
	[ -f "$f" ] || continue
	awk -v f="$f" '
		/\.\.\.\)/ && !/__attribute__\(\(format/ && !/^#define/ && !/^[ \t]*(\/\*|\*)/ {
			line = $0; getline nextline;
			if (nextline !~ /__attribute__\(\(format/) { print f ":" NR ": variadic function without a format attribute"; bad = 1 }
		}
		END { exit bad }' "$f" || status=1
done

[ $status -eq 0 ] && echo "check-banned: ok ($(printf '%s\n' $files | wc -l) files)"
exit $status
