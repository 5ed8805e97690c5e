#!/bin/bash
# test-lib.sh: shared helpers for the end-to-end CLI tests (TAP, run by prove).
#
# Each tests/cli/tNNNN-<area>.sh sources this file, calls test_expect_success /
# test_expect_code / test_expect_failure for each test, then done_testing.
# The style follows git's t/test-lib.sh: a test is a string of shell commands,
# eval'd in a subshell whose working directory is this script's own temporary
# directory ($TEST_DIR, under $AIMS_TEST_TMP, default /tmp), which is removed
# at the end (kept if AIMS_TEST_KEEP is set). When a test fails, its commands
# and what they wrote to stderr and stdout are printed as TAP diagnostics
# ("# " lines).
#
# Environment: AIMS (absolute path of the aims binary), AIMS_SRC (root of
# the source tree), AIMS_TEST_TMP (where temporary directories go),
# AIMS_TESTCLOCK (aims linked with the test clock: AIMS_TEST_NOW=TIME moves
# its clock; default beside AIMS). The Makefile's cli-test target sets them.
#
# Backends: by default every store is a SQLite file in $TEST_DIR. When
# AIMS_TEST_DB_URL_BASE is set (tests/pg-harness.sh sets it to a postgres://
# URL ending in '/'), every store the script names is a PostgreSQL database
# of its own instead, named after the script, its process and the store's
# name, and dropped when the script ends; $TEST_BACKEND says which
# ("sqlite" or "postgres"). Tests name stores as before (aims_db, aims_at
# NAME, test_account --db NAME) and go through these helpers for anything
# that depends on what a store is:
#   test_store NAME          the --db URL of store NAME (a path on SQLite)
#   test_store_exists NAME   the store exists (file, or database)
#   test_store_drop NAME     remove it (with a SQLite store's -wal and -shm)
#   test_store_create_empty NAME  an empty database (SQLite makes the file itself)
#   test_sql NAME SQL        run SQL on the store behind the library's back (sqlite3 or
#                            psql; rows printed with | between columns)
#   test_store_tables NAME   its table names, comma-separated, sorted
#   test_store_fingerprint NAME  a digest of all it holds (file bytes, or a pg_dump)
#   test_sqlite_only REASON  the next test runs on SQLite only (a TAP skip with REASON
#                            on PostgreSQL); test_skip_all_unless_sqlite REASON: the whole
#                            script (a TAP "1..0 # SKIP"); test_postgres_only REASON: the
#                            next test runs on PostgreSQL only
#
# Tests chain their commands with && as in git; they also run under set -e,
# so a forgotten && does not hide a failing step (helpers must therefore
# never leave a bare failing command: use "if" or "||"). test_expect_code
# runs without set -e and compares the status of the last command.
# test_expect_failure marks a known breakage (TAP "# TODO").
#
# Inside a test:
#   aims_db ARGS...          run aims on the test's store ($TEST_DB)
#   aims_at DB ARGS...       run aims on another store
#   test_account NAME ROLE.. create an account with those roles and an API token for it
#   aims_as NAME ARGS...     run aims on the test's store as that account (AIMS_TOKEN)
#   expect_exit N CMD...     run CMD with stdout to ./out and stderr to ./err and
#                            succeed only if it exits with status N
#   test_json FILE FILTER    succeed if jq -e FILTER is true on FILE (with the
#                            helper functions in $TEST_JQ_DEFS)
#   test_cmp EXPECTED ACTUAL succeed if the files are equal (shows a diff if not)
#   test_grep PATTERN FILE   some line matches the extended regexp (-F: the fixed
#                            string; -i: ignoring case), with a diagnostic if not
#   test_grep_not PATTERN FILE  no line matches
#   test_must_be_empty FILE
#   test_equal EXPECTED ACTUAL  two strings
#
# shellcheck shell=bash

# `prove tests/cli/t*.sh` also matches this file: run on its own, it is an
# empty, skipped test script
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	echo "1..0 # SKIP test-lib.sh is the library the tests source, not a test"
	exit 0
fi

# ---- environment ------------------------------------------------------------

: "${AIMS_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${AIMS:=$AIMS_SRC/build/aims}"
: "${AIMS_TEST_TMP:=/tmp}"
# the same aims with the test clock (AIMS_TEST_NOW moves it), for retention tests
: "${AIMS_TESTCLOCK:=$(dirname "$AIMS")/aims-testclock}"
export AIMS AIMS_SRC AIMS_TEST_TMP AIMS_TESTCLOCK

# nothing from the caller's environment may choose the store, the server, the principal or the layout
unset AIMS_DB AIMS_SERVER AIMS_TOKEN AIMS_ACTOR COLUMNS
export LC_ALL=C TZ=UTC

test_count=0
test_failed=0
test_fixed=0
test_broken=0
test_name=$(basename "$0" .sh)

if [ ! -x "$AIMS" ]; then
	echo "Bail out! aims binary '$AIMS' not found or not executable (set AIMS)"
	exit 1
fi
case "$AIMS" in
/*) ;;
*) AIMS=$(cd "$(dirname "$AIMS")" && pwd)/$(basename "$AIMS") ;;
esac
if ! command -v jq >/dev/null 2>&1; then
	echo "Bail out! jq is required (scripts/deps.sh installs it)"
	exit 1
fi

mkdir -p "$AIMS_TEST_TMP" || { echo "Bail out! cannot create '$AIMS_TEST_TMP'"; exit 1; }
TEST_DIR=$(mktemp -d "$AIMS_TEST_TMP/aims-$test_name.XXXXXX") ||
	{ echo "Bail out! cannot create a temporary directory in '$AIMS_TEST_TMP'"; exit 1; }
TEST_DIR=$(cd "$TEST_DIR" && pwd)

if [ -n "${AIMS_TEST_DB_URL_BASE:-}" ]; then
	TEST_BACKEND=postgres
	if ! command -v psql >/dev/null 2>&1; then
		echo "Bail out! psql is required for the PostgreSQL run (postgresql-client-15)"
		exit 1
	fi
else
	TEST_BACKEND=sqlite
fi
export TEST_BACKEND

# the database of store NAME: t<NNNN>_<pid>_<name>, lowercase letters, digits and '_', at most 63 bytes
# (of a URL made by test_store: its last part)
test_pg_name_() {
	local n=$1
	case $n in
	"$AIMS_TEST_DB_URL_BASE"*) printf '%s' "${n#"$AIMS_TEST_DB_URL_BASE"}"; return 0 ;;
	"$TEST_DIR"/*) n=${n#"$TEST_DIR"/} ;;
	esac
	n=$(printf '%s_%s_%s' "${test_name%%-*}" "$$" "$n" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9_\n' '_')
	printf '%s' "${n:0:63}"
}

# test_store NAME: the --db URL of store NAME (NAME as it is on SQLite; an URL stays itself)
test_store() {
	case $1 in
	*://* | sqlite:*) printf '%s\n' "$1"; return 0 ;;
	esac
	if [ "$TEST_BACKEND" = sqlite ]; then
		printf '%s\n' "$1"
		return 0
	fi
	local db
	db=$(test_pg_name_ "$1")
	grep -qx "$db" "$TEST_DIR/.pg-dbs" 2>/dev/null || printf '%s\n' "$db" >>"$TEST_DIR/.pg-dbs"
	printf '%s%s\n' "$AIMS_TEST_DB_URL_BASE" "$db"
}

# psql on the server's maintenance database
test_pg_admin_() {
	psql -X -q -v ON_ERROR_STOP=1 -d "${AIMS_TEST_DB_URL_BASE}postgres" "$@" >/dev/null 2>&1
}

test_store_exists() {
	if [ "$TEST_BACKEND" = sqlite ]; then
		test -f "$1"
	else
		[ "$(psql -X -qAt -d "${AIMS_TEST_DB_URL_BASE}postgres" \
			-c "SELECT count(*) FROM pg_database WHERE datname = '$(test_pg_name_ "$1")'")" = 1 ]
	fi
}

test_store_drop() {
	if [ "$TEST_BACKEND" = sqlite ]; then
		rm -f "$1" "$1-wal" "$1-shm"
	else
		test_store "$1" >/dev/null &&
		test_pg_admin_ -c "DROP DATABASE IF EXISTS \"$(test_pg_name_ "$1")\" WITH (FORCE)"
	fi
}

test_store_create_empty() {
	[ "$TEST_BACKEND" = sqlite ] && return 0
	test_store "$1" >/dev/null &&
	test_pg_admin_ -c "CREATE DATABASE \"$(test_pg_name_ "$1")\""
}

test_sql() {
	if [ "$TEST_BACKEND" = sqlite ]; then
		sqlite3 "$1" "$2"
	else
		psql -X -qAt -v ON_ERROR_STOP=1 -d "$(test_store "$1")" -c "$2"
	fi
}

# test_store_fingerprint NAME: a digest of everything in the store (the file's bytes; a data-only
# pg_dump), to show that a refused command changed nothing
test_store_fingerprint() {
	if [ "$TEST_BACKEND" = sqlite ]; then
		sha256sum <"$1"
	else
		pg_dump --data-only -d "$(test_store "$1")" | grep -v '^--\|^\\restrict \|^\\unrestrict ' | sha256sum
	fi
}

test_store_tables() {
	if [ "$TEST_BACKEND" = sqlite ]; then
		sqlite3 "$1" "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)"
	else
		test_sql "$1" "SELECT string_agg(table_name::text, ',' ORDER BY table_name::text) FROM information_schema.tables WHERE table_schema = current_schema()"
	fi
}

TEST_DB=$(test_store "$TEST_DIR/aims.db")
export TEST_DB

test_cleanup() {
	if [ -n "$AIMS_TEST_KEEP" ]; then
		echo "# kept $TEST_DIR"
		return
	fi
	if [ "$TEST_BACKEND" = postgres ] && [ -s "$TEST_DIR/.pg-dbs" ]; then
		local args=() db
		while IFS= read -r db; do
			args+=(-c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)")
		done <"$TEST_DIR/.pg-dbs"
		test_pg_admin_ "${args[@]}" || echo "# could not drop the databases of $test_name"
	fi
	rm -rf "$TEST_DIR"
}
trap test_cleanup EXIT

# ---- helpers for use inside tests ---------------------------------------------

# aims on the test's own store
aims_db() {
	"$AIMS" --db "$TEST_DB" "$@"
}

# aims on another store: aims_at NAME ARGS... (NAME: a path on SQLite, see test_store)
aims_at() {
	local db
	db=$(test_store "$1") || return 1
	shift
	"$AIMS" --db "$db" "$@"
}

# test_account NAME ROLE... [--db PATH]: create account NAME with the roles (acting as the OS user, who
# is admin on a store it opens directly) and an API token for it, signed in with the one-time password;
# the token is kept in $TEST_DIR/.token-NAME for aims_as
test_account() {
	local db=$TEST_DB name=$1 pw tok
	shift
	local args=()
	while [ $# -gt 0 ]; do
		case $1 in
		--db) db=$(test_store "$2"); shift 2 ;;
		*) args+=(--role "$1"); shift ;;
		esac
	done
	pw=$(AIMS_TOKEN= "$AIMS" --db "$db" user add "$name" "${args[@]}" --json | jq -r .initial_password) &&
	tok=$(printf '%s\n' "$pw" | AIMS_TOKEN= "$AIMS" --db "$db" token create --user "$name" --password-stdin \
		--json | jq -r .token) &&
	printf '%s\n' "$tok" >"$TEST_DIR/.token-$name"
}

# aims_as NAME ARGS...: run aims on the test's store as account NAME (made by test_account)
aims_as() {
	local name=$1
	shift
	AIMS_TOKEN=$(cat "$TEST_DIR/.token-$name") "$AIMS" --db "$TEST_DB" "$@"
}

# expect_exit N CMD...: run CMD, stdout to ./out, stderr to ./err; status must be N
expect_exit() {
	local want=$1 got
	shift
	# not "cmd; got=$?": under the test's set -e a failing cmd would end the test
	if "$@" >out 2>err; then
		got=0
	else
		got=$?
	fi
	if [ "$got" != "$want" ]; then
		echo "expected exit status $want, got $got from: $*" >&2
		cut -c1-300 err | awk '{ print "  stderr: " $0 }' >&2
		return 1
	fi
	return 0
}

# jq functions every test_json filter can use:
#   count(KIND)  the number of .requirements of that kind
#   ids          the ids of .requirements, in order
#   req(ID)      the requirement with that id
TEST_JQ_DEFS='
def count(k): [.requirements[] | select(.kind == k)] | length;
def ids: [.requirements[].id];
def req(i): first(.requirements[] | select(.id == i));
'

# test_json FILE FILTER [jq options...]: FILE must hold one JSON document on
# which jq -e FILTER is true
test_json() {
	local file=$1 filter=$2
	shift 2
	# exactly one JSON document: jq -e on an empty file would succeed
	if ! jq -e -n "$@" "$TEST_JQ_DEFS
		input as \$doc_
		| if ([inputs] | length) > 0 then error(\"more than one JSON document\")
		  else \$doc_ | ($filter) end" "$file" >/dev/null 2>jq.err; then
		echo "jq filter is not true: $filter" >&2
		echo "  on $file:" >&2
		test_show_ "$file" 25
		awk '{ print "  jq: " $0 }' jq.err >&2
		return 1
	fi
}

# test_cmp EXPECTED ACTUAL
test_cmp() {
	if ! cmp -s "$1" "$2"; then
		echo "files differ: $1 $2" >&2
		diff -u "$1" "$2" | head -n 60 >&2
		return 1
	fi
}

# show the start of a file, each line indented and cut to a sane width
test_show_() {
	head -n "${2:-20}" "$1" | cut -c1-200 | awk '{ print "  | " $0 }' >&2
}

# test_match_ [-F] [-i] PATTERN FILE: print the first line of FILE that
# matches (an extended regexp as in grep -E, or a fixed string with -F).
# Done in the shell: a grep process per assertion costs more than the test.
test_match_() {
	local fixed='' line pat file rc=1
	while [ $# -gt 2 ]; do
		case $1 in
		-F) fixed=1 ;;
		-i) shopt -s nocasematch ;;
		*) echo "test_grep: unknown option '$1'" >&2; shopt -u nocasematch; return 2 ;;
		esac
		shift
	done
	pat=$1 file=$2
	if [ ! -r "$file" ]; then
		echo "test_grep: cannot read '$file'" >&2
		shopt -u nocasematch
		return 2
	fi
	while IFS= read -r line || [ -n "$line" ]; do
		if [ -n "$fixed" ]; then
			[[ $line == *"$pat"* ]] && { rc=0; break; }
		else
			[[ $line =~ $pat ]] && { rc=0; break; }
		fi
	done <"$file"
	shopt -u nocasematch
	[ $rc -eq 0 ] && printf '%s\n' "$line"
	return $rc
}

# test_grep [-F] [-i] PATTERN FILE: some line of FILE matches, else a diagnostic
test_grep() {
	local file=${*: -1} rc=0
	# (helpers run under the test's set -e: a bare failing command would end it)
	test_match_ "$@" >/dev/null || rc=$?
	if [ $rc -eq 1 ]; then
		echo "no line of $file matches: ${*:1:$#-1}" >&2
		test_show_ "$file"
	fi
	return $rc
}

# test_grep_not [-F] [-i] PATTERN FILE: no line of FILE matches
test_grep_not() {
	local file=${*: -1} line rc=0
	line=$(test_match_ "$@") || rc=$?
	if [ $rc -eq 0 ]; then
		echo "unexpected match for ${*:1:$#-1} in $file:" >&2
		printf '  | %s\n' "${line:0:200}" >&2
		return 1
	fi
	[ $rc -eq 1 ]
}

test_must_be_empty() {
	if [ -s "$1" ]; then
		echo "'$1' is not empty:" >&2
		test_show_ "$1"
		return 1
	fi
}

# test_equal EXPECTED ACTUAL: two strings
test_equal() {
	if [ "$1" != "$2" ]; then
		echo "expected '$1', got '$2'" >&2
		return 1
	fi
}

# ---- running tests ---------------------------------------------------------------

# print a file as TAP diagnostics
test_diag_file() {
	local label=$1 file=$2
	[ -s "$file" ] || return 0
	echo "# $label:"
	head -n 80 "$file" | cut -c1-300 | awk '{ print "#   " $0 }'
}

# test_run_ COMMANDS: eval in a subshell in $TEST_DIR; sets test_rc_
# With `set -e` a missing && does not hide a failing step.
test_run_() {
	(
		cd "$TEST_DIR" || exit 99
		set -e
		eval "$1"
	) >"$TEST_DIR/.test-stdout" 2>"$TEST_DIR/.test-stderr"
	test_rc_=$?
}

test_report_failure_() {
	local desc=$1 cmds=$2 extra=$3
	echo "not ok $test_count - $desc$extra"
	echo "#   failed commands:"
	printf '%s\n' "$cmds" | sed 's/^/#     /'
	test_diag_file "stderr" "$TEST_DIR/.test-stderr"
	test_diag_file "stdout" "$TEST_DIR/.test-stdout"
}

# test_sqlite_only REASON: the next test is about SQLite (files, sqlite3): on the PostgreSQL run it is
# reported as a TAP skip with REASON
test_skip_reason_=
test_sqlite_only() {
	test_skip_reason_="SQLite only: $1"
	test_skip_on_=sqlite
}

# test_postgres_only REASON: the next test runs on PostgreSQL only
test_postgres_only() {
	test_skip_reason_="PostgreSQL only: $1"
	test_skip_on_=postgres
}

# the next test is skipped (it says so, with the reason, and counts as run)
test_skipping_() {
	local desc=$1 reason=$test_skip_reason_ on=$test_skip_on_
	test_skip_reason_=
	test_skip_on_=
	[ -n "$reason" ] && [ "$TEST_BACKEND" != "$on" ] || return 1
	test_count=$((test_count + 1))
	echo "ok $test_count - $desc # skip $reason"
	return 0
}

# test_skip_all_unless_sqlite REASON: on the PostgreSQL run, the whole script is skipped
test_skip_all_unless_sqlite() {
	if [ "$TEST_BACKEND" != sqlite ]; then
		echo "1..0 # SKIP SQLite only: $1"
		exit 0
	fi
}

# test_expect_success DESC COMMANDS: COMMANDS must succeed
test_expect_success() {
	[ $# -eq 2 ] || { echo "Bail out! test_expect_success needs 2 arguments"; exit 1; }
	test_skipping_ "$1" && return 0
	test_count=$((test_count + 1))
	test_run_ "$2"
	if [ "$test_rc_" -eq 0 ]; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		test_report_failure_ "$1" "$2" " (exit status $test_rc_)"
	fi
}

# test_expect_code N DESC COMMANDS: COMMANDS must exit with status N
# (not under set -e: the status is that of the last command)
test_expect_code() {
	[ $# -eq 3 ] || { echo "Bail out! test_expect_code needs 3 arguments"; exit 1; }
	local want=$1
	test_skipping_ "$2" && return 0
	test_count=$((test_count + 1))
	(
		cd "$TEST_DIR" || exit 99
		eval "$3"
	) >"$TEST_DIR/.test-stdout" 2>"$TEST_DIR/.test-stderr"
	test_rc_=$?
	if [ "$test_rc_" -eq "$want" ]; then
		echo "ok $test_count - $2"
	else
		test_failed=$((test_failed + 1))
		test_report_failure_ "$2" "$3" " (expected exit status $want, got $test_rc_)"
	fi
}

# test_expect_failure DESC COMMANDS: a known breakage, reported as TAP TODO
test_expect_failure() {
	[ $# -eq 2 ] || { echo "Bail out! test_expect_failure needs 2 arguments"; exit 1; }
	test_skipping_ "$1" && return 0
	test_count=$((test_count + 1))
	test_run_ "$2"
	if [ "$test_rc_" -eq 0 ]; then
		test_fixed=$((test_fixed + 1))
		echo "ok $test_count - $1 # TODO known breakage vanished"
	else
		test_broken=$((test_broken + 1))
		test_report_failure_ "$1" "$2" " # TODO known breakage"
	fi
}

# done_testing: the plan, then exit non-zero if any test failed
done_testing() {
	echo "1..$test_count"
	if [ "$test_broken" -gt 0 ] || [ "$test_fixed" -gt 0 ]; then
		echo "# $test_broken known breakage(s), $test_fixed fixed"
	fi
	if [ "$test_failed" -gt 0 ]; then
		echo "# failed $test_failed of $test_count test(s) in $test_name"
		exit 1
	fi
	exit 0
}
