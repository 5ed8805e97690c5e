#!/bin/bash
# t0400-isms: aims isms import | show | versions. The example statements of
# applicability import as numbered versions; bad files are refused with exit
# 3 and the file, line and field in the message, and leave the database file
# byte for byte as it was (on PostgreSQL: its data as it was); a missing file is exit 5; '-' reads stdin.

. "$(dirname "$0")/test-lib.sh"

EX=$AIMS_SRC/examples
HEADER=control,applicable,status,justification,owner,evidence

# unchanged: the database file (and its WAL, if any) equals the copy in ./before*; on PostgreSQL,
# a data-only dump of the database equals the one taken before
keep_copy() {
	if [ "$TEST_BACKEND" != sqlite ]; then
		test_store_fingerprint "$TEST_DB" >before.sum
		return
	fi
	cp "$TEST_DB" before.db &&
	if [ -e "$TEST_DB-wal" ]; then cp "$TEST_DB-wal" before.db-wal; else rm -f before.db-wal; fi
}
unchanged() {
	if [ "$TEST_BACKEND" != sqlite ]; then
		test_store_fingerprint "$TEST_DB" >now.sum &&
		test_cmp before.sum now.sum
		return
	fi
	cmp "$TEST_DB" before.db &&
	if [ -e before.db-wal ]; then cmp "$TEST_DB-wal" before.db-wal; else [ ! -s "$TEST_DB-wal" ]; fi
}

# refused NAME LINE FIELD: importing NAME exits 3 naming the file, the line
# and the field, and leaves the store file untouched
refused() {
	keep_copy &&
	expect_exit 3 aims_db isms import "$1" &&
	test_grep -F "error: '$1' line $2: $3" err &&
	unchanged
}

test_expect_success 'setup: init a store' '
	aims_db init >/dev/null
'

test_expect_success 'isms versions on a fresh store: none' '
	aims_db isms versions >out &&
	test_grep "^no ISMS state imported" out &&
	aims_db isms versions --json >v.json &&
	test_json v.json ".versions == []"
'

test_expect_success 'isms show before any import: exit 5' '
	expect_exit 5 aims_db isms show &&
	test_grep "no ISMS state in the store" err
'

test_expect_success 'import the mature example: version 1 with 123 rows' '
	aims_db isms import "$EX/isms-soa.csv" >out &&
	test_grep -F "imported 123 rows from '"'"'$EX/isms-soa.csv'"'"' as ISMS version 1" out
'

test_expect_success 'show --json: counts per status and every Annex A control present' '
	aims_db isms show --json >show.json &&
	test_json show.json ".version == 1 and .framework == \"iso27001-2022\" and .rows == 123" &&
	test_json show.json "(.controls | length) == 123" &&
	test_json show.json ".summary == {\"implemented\": 105, \"partial\": 8, \"planned\": 1,
		\"not-implemented\": 0, \"excluded\": 9, \"missing\": []}" &&
	test_json show.json "[.controls[] | select(.control | startswith(\"A.\"))] | length == 93" &&
	test_json show.json "[.controls[] | select(.applicable == false)] | all(.justification != null)"
'

test_expect_success 'show --json: one control in full, with its evidence references and line' '
	test_json show.json "first(.controls[] | select(.control == \"A.5.15\")) == {
		\"control\": \"A.5.15\", \"applicable\": true, \"status\": \"implemented\",
		\"justification\": null, \"owner\": \"Head of IT Ops\",
		\"evidence\": [\"ISMS-POL-005\", \"Confluence:ISMS/Access-Review-2026Q2\"], \"line\": 16}"
'

test_expect_success 'show --json: digest is the SHA-256 of the file' '
	want=$(sha256sum <"$EX/isms-soa.csv" | cut -d" " -f1) &&
	test_json show.json ".digest == \"$want\""
'

test_expect_success 'show (text): table and summary line' '
	aims_db isms show >out &&
	test_grep "^CONTROL +APPLICABLE +STATUS +OWNER +EVIDENCE$" out &&
	test_grep "^A\.7\.1 +no +excluded" out &&
	test_grep "^9\.2\.1 +yes +implemented +Internal Audit" out &&
	test_grep "^105 implemented, 8 partial, 1 planned, 0 not-implemented, 9 excluded; 0 Annex A controls without a row$" out
'

test_expect_success 'import the young example: version 2; show is the latest' '
	aims_db isms import "$EX/isms-soa-young.csv" >out &&
	test_grep "as ISMS version 2$" out &&
	aims_db isms show --json >young.json &&
	test_json young.json ".version == 2 and .rows == 121" &&
	test_json young.json ".summary == {\"implemented\": 20, \"partial\": 47, \"planned\": 29,
		\"not-implemented\": 17, \"excluded\": 8, \"missing\": [\"A.8.11\", \"A.8.33\"]}"
'

test_expect_success 'the earlier version stays readable: show --version 1' '
	aims_db isms show --version 1 --json >v1.json &&
	test_cmp show.json v1.json
'

test_expect_success 'versions lists both, oldest first' '
	aims_db isms versions --json >v.json &&
	test_json v.json "[.versions[].version] == [1, 2]" &&
	test_json v.json "[.versions[].rows] == [123, 121]" &&
	test_json v.json ".versions[0] | keys_unsorted == [\"version\", \"framework\", \"imported_at\", \"source\", \"digest\", \"rows\"]" &&
	aims_db isms versions >out &&
	test_grep "^VERSION +IMPORTED +ROWS +DIGEST +SOURCE$" out &&
	test_grep "isms-soa-young\.csv$" out
'

test_expect_success 'show --version of a version that does not exist: exit 5' '
	expect_exit 5 aims_db isms show --version 9 &&
	test_grep "no ISMS version 9" err
'

test_expect_success 'show --version with a bad number: exit 2' '
	expect_exit 2 aims_db isms show --version two &&
	test_grep "positive whole number" err
'

test_expect_success 'bad status: exit 3, line and field, store unchanged' '
	{ echo $HEADER; echo "A.5.1,yes,implemented,,,"; echo "A.5.2,yes,done,,,"; } >soa.csv &&
	refused soa.csv 3 "status: '"'"'done'"'"' is not one of implemented, partial, planned, not-implemented"
'

test_expect_success 'unknown control with the Annex A hint' '
	{ echo $HEADER; echo "5.15,yes,implemented,,,"; } >hint.csv &&
	refused hint.csv 2 "control: unknown control '"'"'5.15'"'"' (Annex A controls are written '"'"'A.5.15'"'"')"
'

test_expect_success 'bad applicable value' '
	{ echo $HEADER; echo "A.5.1,perhaps,implemented,,,"; } >app.csv &&
	refused app.csv 2 "applicable: '"'"'perhaps'"'"'"
'

test_expect_success 'duplicate control row names both lines' '
	{ echo $HEADER; echo "A.5.1,yes,implemented,,,"; echo "A.5.2,yes,planned,,,"; echo "A.5.1,yes,partial,,,"; } >dup.csv &&
	refused dup.csv 4 "control: '"'"'A.5.1'"'"' already has a row on line 2"
'

test_expect_success 'excluded control without a justification' '
	{ echo $HEADER; echo "A.7.4,no,,,Facilities,"; } >just.csv &&
	refused just.csv 2 "justification: empty, but control '"'"'A.7.4'"'"' is excluded"
'

test_expect_success 'missing and unknown columns are refused on line 1' '
	echo "control,applicable,status,justification,evidence" >miss.csv &&
	echo "A.5.1,yes,implemented,," >>miss.csv &&
	keep_copy &&
	expect_exit 3 aims_db isms import miss.csv &&
	test_grep -F "error: '"'"'miss.csv'"'"' line 1: missing column '"'"'owner'"'"'" err &&
	echo "$HEADER,notes" >extra.csv &&
	echo "A.5.1,yes,implemented,,,," >>extra.csv &&
	expect_exit 3 aims_db isms import extra.csv &&
	test_grep -F "line 1: unknown column '"'"'notes'"'"'" err &&
	unchanged
'

test_expect_success 'wrong number of fields' '
	{ echo $HEADER; echo "A.5.1,yes,implemented,,"; } >fields.csv &&
	refused fields.csv 2 "5 fields, but the header has 6"
'

test_expect_success 'a bad row deep in the real example: line of the row' '
	n=$(grep -n "^A\.8\.8," "$EX/isms-soa.csv" | cut -d: -f1) &&
	test -n "$n" &&
	sed "${n}s/,implemented,/,in progress,/" "$EX/isms-soa.csv" >deep.csv &&
	refused deep.csv "$n" "status: '"'"'in progress'"'"'"
'

test_expect_success 'empty and header-only files are refused' '
	: >empty.csv &&
	keep_copy &&
	expect_exit 3 aims_db isms import empty.csv &&
	test_grep -F "'"'"'empty.csv'"'"' line 1: empty file" err &&
	echo $HEADER >header.csv &&
	expect_exit 3 aims_db isms import header.csv &&
	test_grep -F "'"'"'header.csv'"'"' line 2: no rows after the header" err &&
	unchanged
'

test_expect_success 'a NUL byte, bad UTF-8 or a control character: exit 3 naming the line, store unchanged' '
	{ echo $HEADER; echo "A.5.1,yes,implemented,,,"; printf "A.5.2,yes,impl\\000emented,,,\\n"; } >nul.csv &&
	keep_copy &&
	expect_exit 3 aims_db isms import nul.csv &&
	test_grep -F "error: '"'"'nul.csv'"'"' line 3: contains a NUL byte" err &&
	{ echo $HEADER; printf "A.5.1,yes,implemented,,Caf\\351,\\n"; } >latin1.csv &&
	expect_exit 3 aims_db isms import latin1.csv &&
	test_grep -F "error: '"'"'latin1.csv'"'"' line 2: not valid UTF-8" err &&
	{ echo $HEADER; printf "A.5.1,yes,implemented,a\\001b,,\\n"; } >ctl.csv &&
	expect_exit 3 aims_db isms import ctl.csv &&
	test_grep -F "error: '"'"'ctl.csv'"'"' line 2: justification: contains a control character" err &&
	unchanged
'

test_expect_success 'refused imports added no version' '
	aims_db isms versions --json >v.json &&
	test_json v.json "[.versions[].version] == [1, 2]"
'

test_expect_success 'a file that does not exist: exit 5' '
	keep_copy &&
	expect_exit 5 aims_db isms import no-such.csv &&
	test_grep -F "no-such.csv" err &&
	unchanged
'

test_expect_success 'import from standard input with -' '
	aims_db isms import - <"$EX/isms-soa.csv" >out &&
	test_grep -F "imported 123 rows from '"'"'(stdin)'"'"' as ISMS version 3" out &&
	aims_db isms show --json >stdin.json &&
	test_json stdin.json ".source == \"(stdin)\" and .rows == 123" &&
	test_json stdin.json ".digest == \"$(jq -r .digest show.json)\""
'

test_expect_success 'a bad file on standard input is refused as (stdin)' '
	keep_copy &&
	printf "%s\nA.5.1,yes,done,,,\n" $HEADER >bad.csv &&
	expect_exit 3 aims_db isms import - <bad.csv &&
	test_grep -F "error: '"'"'(stdin)'"'"' line 2: status:" err &&
	unchanged
'

test_expect_success 'a store without the iso27001-2022 catalog: exit 5, says to run aims init' '
	mkdir only42001 &&
	cp "$AIMS_SRC/catalogs/iso42001-2023.json" only42001/ &&
	aims_at "$TEST_DIR/no27001.db" init --catalogs only42001 >/dev/null &&
	expect_exit 5 aims_at "$TEST_DIR/no27001.db" isms import "$EX/isms-soa.csv" &&
	test_grep "iso27001-2022 catalog is not in the store \(run '"'"'aims init'"'"'\)" err
'

done_testing
