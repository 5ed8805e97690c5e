#!/bin/bash
# t0110-catalog-errors: bad catalog files are refused with the file, the line
# and the JSON path or column, and nothing from a refused load reaches the
# store (docs/catalog-format.md: "nothing from it is loaded"); stores this
# aims cannot read are refused without being changed.

. "$(dirname "$0")/test-lib.sh"

CATS=$AIMS_SRC/catalogs
BASE=iso42001-2023.json

# bad_catalog NAME JQ-EDIT: a one-file catalog dir NAME/ holding iso42001-2023
# edited by JQ-EDIT (jq's default layout: one key per line)
bad_catalog() {
	mkdir "$1" &&
	jq "$2" "$CATS/$BASE" >"$1/$BASE"
}

# line_of FILE FIXED-STRING [N]: the line number of its Nth occurrence
line_of() {
	local n=0 seen=0 line
	while IFS= read -r line; do
		n=$((n + 1))
		if [[ $line == *"$2"* ]]; then
			seen=$((seen + 1))
			[ $seen -eq "${3:-1}" ] && { echo $n; return 0; }
		fi
	done <"$1"
	return 1
}

# frameworks DB: how many frameworks the store holds
frameworks() {
	aims_at "$1" catalog list --json | jq ".frameworks | length"
}

# digest DB: the content digest of the store
digest() {
	aims_at "$1" status --json | jq -r .store.content_digest
}

# refused DIR: init --catalogs DIR on a fresh store exits 3, then the store
# holds no framework; stderr stays in ./err
refused() {
	local db="$TEST_DIR/fresh-$1.db"
	expect_exit 3 aims_at "$db" init --catalogs "$1" || return 1
	if [ -e "$db" ]; then
		# the JSON text, not jq: this runs in every test and jq is slow to start
		aims_at "$db" catalog list --json >list.json || return 1
		test_grep "^  \"frameworks\": \[\]$" list.json || return 1
	fi
}

# ---- (a) JSON syntax errors: file, line and column ----

test_expect_success 'syntax error: exit 3, message names file, line and column' '
	mkdir syntax &&
	printf "{\n  \"aims_catalog\": 1,\n  \"framework\": \"x\"\n  \"title\": \"t\"\n}\n" >syntax/x.json &&
	refused syntax &&
	test_grep -F "syntax/x.json" err &&
	test_grep "line 4 column [0-9]+" err
'

test_expect_success 'doubled comma in a real catalog: line and column of the error' '
	mkdir comma &&
	n=$(line_of "$CATS/$BASE" "\"id\": \"4.2\",") &&
	test -n "$n" &&
	sed "${n}s/,\$/,,/" "$CATS/$BASE" >comma/$BASE &&
	! cmp -s "$CATS/$BASE" comma/$BASE &&
	refused comma &&
	test_grep -F "comma/$BASE" err &&
	test_grep "line $n column [0-9]+" err
'

test_expect_success 'truncated file: exit 3, names the file and a position' '
	mkdir trunc &&
	head -c 2000 "$CATS/$BASE" >trunc/$BASE &&
	refused trunc &&
	test_grep -F "trunc/$BASE" err &&
	test_grep "line [0-9]+" err
'

test_expect_success 'a file that is not a JSON object: exit 3, names the file' '
	mkdir array &&
	echo "[1, 2, 3]" >array/$BASE &&
	refused array &&
	test_grep -F "array/$BASE" err
'

# ---- (b) format errors: file, line and JSON path ----

test_expect_success 'missing title: exit 3, names file, line and requirements[3]' '
	bad_catalog missing ".requirements[3] |= del(.title)" &&
	refused missing &&
	test_grep -F "missing/$BASE" err &&
	id=$(jq -r ".requirements[3].id" missing/$BASE) &&
	test_grep "line $(( $(line_of missing/$BASE "\"id\": \"$id\"") - 1 ))\b" err &&
	test_grep -F "requirements[3]" err &&
	test_grep "title" err
'

test_expect_success 'missing parent: exit 3, names requirements[5] and parent' '
	bad_catalog noparent ".requirements[5] |= del(.parent)" &&
	refused noparent &&
	test_grep -F "noparent/$BASE" err &&
	test_grep -F "requirements[5]" err &&
	test_grep "parent" err
'

test_expect_success 'missing top-level field: exit 3, names the file and the field' '
	bad_catalog nolicence "del(.licence)" &&
	refused nolicence &&
	test_grep -F "nolicence/$BASE" err &&
	test_grep "licence" err
'

test_expect_success 'wrong kind: exit 3, names file, line and requirements[3].kind' '
	bad_catalog kind ".requirements[3].kind = \"widget\"" &&
	refused kind &&
	test_grep -F "kind/$BASE" err &&
	test_grep "line $(line_of kind/$BASE "\"kind\": \"widget\"")\b" err &&
	test_grep -F "requirements[3].kind" err &&
	test_grep "widget" err
'

test_expect_success 'wrong type of a field: exit 3, names the path' '
	bad_catalog type ".requirements[7].title = 42" &&
	refused type &&
	test_grep -F "type/$BASE" err &&
	test_grep -F "requirements[7].title" err
'

test_expect_success 'duplicate id: exit 3, names file, line and the later requirements[N].id' '
	bad_catalog dup ".requirements[3].id = .requirements[2].id" &&
	refused dup &&
	id=$(jq -r ".requirements[2].id" dup/$BASE) &&
	test_grep -F "dup/$BASE" err &&
	test_grep "line $(line_of dup/$BASE "\"id\": \"$id\"" 2)\b" err &&
	test_grep -F "requirements[3].id" err &&
	test_grep "duplicate" err
'

test_expect_success 'parent that does not exist: exit 3, names file, line and requirements[3].parent' '
	bad_catalog noexist ".requirements[3].parent = \"9.9.9\"" &&
	refused noexist &&
	test_grep -F "noexist/$BASE" err &&
	test_grep "line $(line_of noexist/$BASE "\"parent\": \"9.9.9\"")\b" err &&
	test_grep -F "requirements[3].parent" err &&
	test_grep -F "9.9.9" err
'

test_expect_success 'parent that appears later: exit 3, names file, line and requirements[1].parent' '
	bad_catalog later ".requirements[1].parent = .requirements[5].id" &&
	refused later &&
	p=$(jq -r ".requirements[5].id" later/$BASE) &&
	test_grep -F "later/$BASE" err &&
	test_grep "line $(line_of later/$BASE "\"parent\": \"$p\"")\b" err &&
	test_grep -F "requirements[1].parent" err
'

test_expect_success 'a requirement that is its own parent is refused' '
	bad_catalog self ".requirements[3].parent = .requirements[3].id" &&
	refused self &&
	test_grep -F "requirements[3].parent" err
'

test_expect_success 'unknown field: exit 3, names file, line and requirements[3].colour' '
	bad_catalog unknown ".requirements[3].colour = \"blue\"" &&
	refused unknown &&
	test_grep -F "unknown/$BASE" err &&
	test_grep "line $(line_of unknown/$BASE "\"colour\": \"blue\"")\b" err &&
	test_grep -F "requirements[3].colour" err
'

test_expect_success 'unknown top-level field: exit 3, names it' '
	bad_catalog unknowntop ".colour = \"blue\"" &&
	refused unknowntop &&
	test_grep -F "unknowntop/$BASE" err &&
	test_grep "colour" err
'

test_expect_success 'empty title: exit 3, names file, line and requirements[3].title' '
	bad_catalog empty ".requirements[3].title = \"\"" &&
	refused empty &&
	test_grep -F "empty/$BASE" err &&
	test_grep "line $(line_of empty/$BASE "\"title\": \"\"")\b" err &&
	test_grep -F "requirements[3].title" err
'

test_expect_success 'blank title (spaces only): exit 3' '
	bad_catalog blank ".requirements[3].title = \"   \"" &&
	refused blank &&
	test_grep -F "requirements[3].title" err
'

test_expect_success 'empty requirements array: exit 3, names the path' '
	bad_catalog noreqs ".requirements = []" &&
	refused noreqs &&
	test_grep -F "noreqs/$BASE" err &&
	test_grep "requirements" err
'

test_expect_success 'unsupported format version: exit 3, names aims_catalog' '
	bad_catalog version ".aims_catalog = 2" &&
	refused version &&
	test_grep -F "version/$BASE" err &&
	test_grep "aims_catalog" err
'

test_expect_success 'bad framework id: exit 3, names the framework field' '
	bad_catalog fwid ".framework = \"ISO 42001\"" &&
	refused fwid &&
	test_grep -F "fwid/$BASE" err &&
	test_grep "framework" err
'

# ---- (c) nothing is loaded ----

test_expect_success 'fresh store: a good file beside a bad one loads nothing' '
	mkdir mixed &&
	cp "$CATS/iso27001-2022.json" "$CATS/nist-ai-rmf-1.0.json" mixed/ &&
	jq ".requirements[3].kind = \"widget\"" "$CATS/$BASE" >mixed/$BASE &&
	refused mixed &&
	test_grep -F "mixed/$BASE" err &&
	test_store_exists fresh-mixed.db &&
	test_equal 0 "$(frameworks fresh-mixed.db)"
'

test_expect_success 'fresh store: nothing loaded when the bad file sorts first' '
	mkdir first &&
	cp "$CATS/iso27001-2022.json" "$CATS/nist-ai-rmf-1.0.json" first/ &&
	echo "{" >first/a-bad.json &&
	refused first &&
	test_grep -F "first/a-bad.json" err
'

test_expect_success 'initialised store: load the valid catalogs from a dir' '
	cp -R "$CATS" good &&
	aims_db init --catalogs good >out &&
	test_grep "4 framework catalogs loaded" out &&
	aims_db org set --name "Before Ltd" &&
	digest "$TEST_DB" >digest.before &&
	test_grep "^[0-9a-f]{64}$" digest.before &&
	aims_db catalog show iso42001-2023 A.6.2.4 --json >req.before
'

# a valid catalog that differs from the loaded one: a new title for A.6.2.4
# and one more requirement
modified_catalog() {
	jq "(.requirements[] | select(.id == \"A.6.2.4\") | .title) = \"Changed by t0110\"
	    | .requirements += [{\"id\": \"A.99\", \"kind\": \"group\", \"title\": \"Extra\", \"parent\": null}]" \
		"$CATS/$BASE" >"$1"
}

test_expect_success 'initialised store: a modified catalog plus a bad file changes nothing' '
	mkdir update &&
	modified_catalog update/a-$BASE &&
	jq ".requirements[3] |= del(.title)" "$CATS/iso27001-2022.json" >update/z-bad.json &&
	expect_exit 3 aims_db init --catalogs update &&
	test_grep -F "update/z-bad.json" err &&
	test_grep -F "requirements[3]" err &&
	digest "$TEST_DB" >digest.after &&
	test_cmp digest.before digest.after &&
	aims_db catalog show iso42001-2023 A.6.2.4 --json >req.after &&
	test_cmp req.before req.after &&
	expect_exit 5 aims_db catalog show iso42001-2023 A.99
'

test_expect_success 'initialised store: bad file first, then a modified catalog: nothing changes' '
	mkdir update2 &&
	modified_catalog update2/z-$BASE &&
	echo "{\"aims_catalog\": 1," >update2/a-bad.json &&
	expect_exit 3 aims_db init --catalogs update2 &&
	test_grep -F "update2/a-bad.json" err &&
	digest "$TEST_DB" >digest.after &&
	test_cmp digest.before digest.after
'

test_expect_success 'initialised store: --org with a bad catalog dir is not recorded either' '
	expect_exit 3 aims_db init --catalogs update --org "After Ltd" &&
	aims_db org show --json >org.json &&
	test_json org.json ".name == \"Before Ltd\"" &&
	digest "$TEST_DB" >digest.after &&
	test_cmp digest.before digest.after
'

test_expect_success 'the modified catalog alone does load (the checks above can fail)' '
	mkdir update3 &&
	modified_catalog update3/$BASE &&
	aims_db init --catalogs update3 >out &&
	test_grep "1 framework catalogs? loaded" out &&
	aims_db catalog show iso42001-2023 A.6.2.4 --json >req.after &&
	test_json req.after ".requirements[0].title == \"Changed by t0110\"" &&
	aims_db catalog show iso42001-2023 A.99 --json >/dev/null &&
	digest "$TEST_DB" >digest.after &&
	! cmp -s digest.before digest.after
'

# ---- (d) a store newer than this aims ----

test_expect_success 'a store with a newer schema: every command exits 3, naming the version' '
	aims_at future.db init >/dev/null &&
	test_sql future.db "INSERT INTO aims_schema VALUES (999, '"'"'future'"'"', '"'"'2030-01-01T00:00:00Z'"'"')" &&
	test_store_fingerprint future.db >future.sum &&
	for cmd in status "catalog list" "catalog show iso42001-2023" "org show" "org set --name X" init; do
		expect_exit 3 aims_at future.db $cmd || exit 1
		test_grep "schema version 999" err || exit 1
		test_grep "newer" err || exit 1
		test_must_be_empty out || exit 1
	done &&
	test_store_fingerprint future.db >future.now &&
	test_cmp future.sum future.now
'

test_expect_success 'a newer store is refused with --json too, and left as it was' '
	expect_exit 3 aims_at future.db status --json &&
	test_must_be_empty out &&
	test_grep "newer" err &&
	test "$(test_sql future.db "SELECT MAX(version) FROM aims_schema")" = 999 &&
	test_store_fingerprint future.db >future.now &&
	test_cmp future.sum future.now
'

# ---- (e) a file that is not a SQLite database ----

test_sqlite_only "a file that is not a database"
test_expect_success 'a text file as --db: non-zero exit, clear message, file unchanged' '
	printf "these are my notes, not a database\n" >notes.txt &&
	cp notes.txt notes.orig &&
	for cmd in init status "org set --name X" "catalog list"; do
		! aims_at notes.txt $cmd >out 2>err || exit 1
		test_grep "notes\.txt" err || exit 1
		test_grep "not a database" err || exit 1
		test_must_be_empty out || exit 1
	done &&
	test_cmp notes.orig notes.txt &&
	test ! -e notes.txt-wal && test ! -e notes.txt-journal
'

test_sqlite_only "a file that is not a database"
test_expect_success 'random bytes as --db: init fails and the file is unchanged' '
	awk "BEGIN { for (i = 0; i < 4096; i++) printf \"%c\", (i * 7919) % 251 + 1 }" >noise.bin &&
	cp noise.bin noise.orig &&
	! aims_at noise.bin init >out 2>err &&
	test_grep "noise\.bin" err &&
	test_cmp noise.orig noise.bin
'

test_expect_success 'a database of another program: refused by init and status' '
	test_store_create_empty other.db &&
	test_sql other.db "CREATE TABLE t (x integer); INSERT INTO t VALUES (1)" &&
	expect_exit 3 aims_at other.db init &&
	test_grep "other.db" err &&
	test_grep "not an aims store" err &&
	expect_exit 3 aims_at other.db status &&
	test_grep "not an aims store" err &&
	test_equal t "$(test_store_tables other.db)"
'

test_sqlite_only "the file of a SQLite database"
# known breakage: the SQLite backend sets journal_mode=WAL on open
# (src/lib/store/sqlite.c:60), before store.c finds the file is not an aims
# store, so a refused database is switched to WAL for good
test_expect_success 'a SQLite database of another program is left byte for byte unchanged' '
	sqlite3 foreign.db "CREATE TABLE t (x); INSERT INTO t VALUES (1)" &&
	cp foreign.db foreign.orig &&
	expect_exit 3 aims_at foreign.db status &&
	test_cmp foreign.orig foreign.db &&
	test "$(sqlite3 foreign.db "PRAGMA journal_mode")" = delete
'

test_sqlite_only "a directory in place of a file"
test_expect_success 'a directory as --db: refused' '
	mkdir dir.db &&
	! aims_at dir.db init >out 2>err &&
	test_grep "dir\.db" err &&
	test_grep "directory" err
'

# known breakage: a zero-length file is an empty SQLite database, and
# aims_store_open (src/lib/store/store.c:320-328) migrates a store with
# schema 0 even when opts.create is not set, so a read command writes an
# aims schema into any empty file it is pointed at and reports success
test_expect_success 'a read command on an empty file (database) does not turn it into a store' '
	: >empty.db &&
	test_store_create_empty empty.db &&
	expect_exit 5 aims_at empty.db status &&
	test_grep "is empty" err &&
	test_equal "" "$(test_store_tables empty.db)" &&
	test ! -s empty.db
'

done_testing
