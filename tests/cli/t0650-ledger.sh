#!/bin/bash
# t0650-ledger: the governance log from the command line: every write is an
# audit entry with its actor; with a key recorded, writes sign checkpoints
# that verify with the public key alone; tampering with the stored entries,
# tiles or checkpoints is exit 4 naming the entry; retention pruning keeps
# the tree verifiable.

. "$(dirname "$0")/test-lib.sh"

# init loads 4 catalogs and 4 crosswalks (8 entries), then the ISMS import and the SoA change
test_expect_success 'setup: a store with writes by the local OS user' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	aims_db isms import "$AIMS_SRC/examples/isms-soa.csv" >/dev/null &&
	aims_db soa set A.7.5 --owner "Head of Data" --status partial
'

test_expect_success 'ledger log: one entry per write, with actor and digests' '
	aims_db ledger log --json >log.json &&
	test_json log.json ".log == \"governance\" and (.entries | length) == 11" &&
	test_json log.json "[.entries[].index] == [range(0; 11)]" &&
	me="os:$(id -un)" &&
	test_json log.json ".entries[0] | .actor == \"$me\" and .action == \"load\" and .object_type == \"framework\" and (.new_digest | test(\"^sha256:[0-9a-f]{64}$\")) and .prev_digest == null" &&
	test_json log.json ".entries[9] | .actor == \"$me\" and .action == \"import\" and .object_type == \"isms\" and .object_id == \"1\"" &&
	test_json log.json ".entries[10] | .object_type == \"soa-control\" and .object_id == \"A.7.5\"" &&
	aims_db ledger log --object A.7.5 --json >one.json &&
	test_json one.json ".entries | length == 1" &&
	aims_db ledger log >log.txt &&
	test_grep "soa-control A.7.5" log.txt
'

test_expect_success 'the ISMS import entry carries the digest of the version stored, which holds the file digest' '
	aims_db isms show --json >isms.json &&
	test_equal "$(sha256sum <"$AIMS_SRC/examples/isms-soa.csv" | cut -d" " -f1)" "$(jq -r .digest isms.json)" &&
	test_json log.json ".entries[9].new_digest | test(\"^sha256:[0-9a-f]{64}$\")" &&
	test "$(jq -r ".entries[9].new_digest" log.json)" != "sha256:$(jq -r .digest isms.json)" &&
	test_sql "$TEST_DB" "UPDATE isms_controls SET owner = '\''nobody'\'' WHERE control = '\''A.5.15'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "isms 1: changed outside aims" out &&
	test_sql "$TEST_DB" "UPDATE isms_controls SET owner = '\''Head of IT Ops'\'' WHERE control = '\''A.5.15'\''" &&
	aims_db ledger verify >/dev/null
'

test_expect_success 'a second init with the same catalogs adds no entry' '
	aims_db init >/dev/null &&
	aims_db ledger log --json >log2.json &&
	test_json log2.json ".entries | length == 11"
'

test_expect_success 'ledger verify without checkpoints' '
	aims_db ledger verify >v.txt &&
	test_grep "^governance log: 11 entries" v.txt
'

test_expect_success 'keygen, setup: writes now sign checkpoints' '
	"$AIMS" ledger keygen --name northwind.example/aims --out gov.key >vkey.txt &&
	test_equal 600 "$(stat -c %a gov.key)" &&
	aims_db ledger setup --key gov.key >setup.txt &&
	test_grep -F "$(cat vkey.txt)" setup.txt &&
	aims_db soa set A.6.2.4 --owner "ML Lead" &&
	aims_db ledger checkpoint >cp.note &&
	head -n 2 cp.note >cp.head &&
	printf "northwind.example/aims\n14\n" >cp.want &&
	test_cmp cp.want cp.head &&
	"$AIMS" note verify --vkey "$(cat vkey.txt)" cp.note &&
	aims_db ledger verify --json >v.json &&
	test_json v.json ".ok and .logs[0].entries == 14 and .logs[0].checkpoints >= 2" &&
	aims_db ledger verify --vkey "$(cat vkey.txt)"
'

test_expect_success 'no secret in what setup and verify print' '
	! grep -q PRIVATE setup.txt v.json cp.note &&
	test_grep_not "PRIVATE" setup.txt
'

test_expect_success 'another key with the same name does not verify the checkpoints' '
	"$AIMS" ledger keygen --name northwind.example/aims --out other.key >other.txt &&
	expect_exit 4 aims_db ledger verify --vkey "$(cat other.txt)" &&
	test_grep "checkpoint at size" err
'

# tampered SQL: work on a copy (a copy of the file; on PostgreSQL a database made by 'aims store copy'),
# change it behind aims's back (sqlite3 or psql), expect exit 4 and a message naming the entry;
# tampered SQL [POSTGRES-SQL] NEEDLE: the second form when PostgreSQL spells the change differently
tampered() {
	local sql=$1 needle=$2
	if [ $# -eq 3 ]; then
		[ "$TEST_BACKEND" = sqlite ] || sql=$2
		needle=$3
	fi
	aims_db ledger checkpoint >/dev/null &&
	test_store_drop t.db &&
	if [ "$TEST_BACKEND" = sqlite ]; then
		sqlite3 "$TEST_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null &&
		cp "$TEST_DB" t.db
	else
		"$AIMS" store copy --from "$TEST_DB" --to "$(test_store t.db)" >/dev/null &&
		aims_at t.db ledger verify >/dev/null
	fi &&
	test_sql t.db "$sql" &&
	expect_exit 4 aims_at t.db ledger verify &&
	test_grep "$needle" err
}

test_expect_success 'a changed audit field is detected' '
	tampered "UPDATE ledger_entries SET actor = '\''mallory'\'' WHERE idx = 8" "entry 8 no longer verifies"
'

test_expect_success 'a removed entry is detected' '
	tampered "DELETE FROM ledger_entries WHERE idx = 4" "entry 4 is missing"
'

test_expect_success 'a flipped byte in a tile is detected' '
	tampered "UPDATE ledger_tiles SET data = zeroblob(32) || substr(data, 33) WHERE level = 0" \
		"UPDATE ledger_tiles SET data = decode(repeat('\''00'\'', 32), '\''hex'\'') || substr(data, 33) WHERE level = 0" \
		"tile 0/0 differs"
'

test_expect_success 'truncating the log below its last checkpoint is detected' '
	tampered "DELETE FROM ledger_entries WHERE idx >= 12; UPDATE ledger_tiles SET data = substr(data, 1, 12 * 32)" "beyond the 12 entries"
'

test_expect_success 'a forged checkpoint is detected' '
	tampered "UPDATE ledger_checkpoints SET note = replace(note, '\''northwind.example/aims'\'', '\''mallory.example/aims'\'')" \
		"checkpoint at size"
'

test_expect_success 'prune: below six months refused; the real clock only; old bodies dropped, tree still verifies' '
	expect_exit 3 aims_db ledger prune --retention-days 30 &&
	test_grep "minimum of 183 days" err &&
	expect_exit 2 aims_db ledger prune --now 2099-01-01T00:00:00Z &&
	test_grep "unknown option .--now." err &&
	for n in First Second Third; do aims_db org set --name "$n Ltd" || return 1; done &&
	aims_db ledger prune >p.txt &&
	test_grep "^governance log: 0 entry bodies" p.txt &&
	AIMS_TEST_NOW=2099-01-01T00:00:00Z aims_db ledger prune >p1.txt &&
	test_grep "^governance log: 0 entry bodies" p1.txt &&
	AIMS_TEST_NOW=2099-01-01T00:00:00Z "$AIMS_TESTCLOCK" --db "$TEST_DB" ledger prune >p2.txt &&
	test_grep "^governance log: [1-9][0-9]* entry bodies" p2.txt &&
	test_grep_not "^governance log: 0 " p2.txt &&
	aims_db ledger verify &&
	aims_db ledger log --json >pl.json &&
	test_json pl.json "[.entries[] | select(.pruned)] | length >= 3" &&
	test_json pl.json ".entries[-1] | .action == \"prune\" and .object_type == \"ledger\" and (.object_id | startswith(\"governance below \")) and .pruned == false" &&
	test_json pl.json "[.entries | group_by([.object_type, .object_id])[] | last | .pruned] | any | not" &&
	test_json pl.json "[.entries | group_by([.object_type, .object_id])[] | .[:-1][] | .pruned] | all"
'

done_testing
