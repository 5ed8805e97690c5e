#!/bin/bash
# t0665-evidence-store: the tampers of t0660 (issue 20) where a decision log
# lives in the store (PostgreSQL, docs/ledger.md "Decision logs in
# PostgreSQL"), done with SQL on a copy of the store: each is exit 4 naming
# the log, the entry or the object, and verification changes no row (a dump
# of every table, digested before and after).

. "$(dirname "$0")/test-lib.sh"
if [ "$TEST_BACKEND" != postgres ]; then
	echo "1..0 # SKIP PostgreSQL only: decision logs kept in the store; beside a SQLite store they are files (t0660)"
	exit 0
fi

D64=$(printf 'a%.0s' $(seq 64))

rec() {
	printf '{"time":"%s","model":"credit-score@2.1","input_digest":"sha256:%s","output":{"id":%d},"confidence":0.5}\n' "$2" "$D64" "$1"
}

# a copy of the test's store, in the database of the name c, to tamper with
copy_store() {
	test_sql "$(test_store c)" "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1
	aims_db store copy --from "$TEST_DB" --to "$(test_store c)" >/dev/null
}

sql() { test_sql "$(test_store c)" "$1" >/dev/null; }

# every row of every table of the copy, sorted, digested
snap() {
	pg_dump --data-only --no-owner "$(test_store c)" | grep -v '^--' | grep -v '^\\' | LC_ALL=C sort | sha256sum
}

# verify the copy: exit 4, the message, and not a row changed by verifying
verify_fails() {
	snap >before &&
	expect_exit 4 aims_at c ledger verify "${@:2}" &&
	cat out err >all &&
	test_grep -F "$1" all &&
	snap >after &&
	test_cmp before after
}

test_expect_success 'setup: a store with a key, governed objects and a decision log kept in the store' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	"$AIMS" ledger keygen --name example.com/aims --out "$TEST_DIR/k.key" >vkey 2>/dev/null &&
	aims_db ledger setup --key "$TEST_DIR/k.key" >/dev/null &&
	aims_db system add credit --purpose "credit scoring" >/dev/null &&
	echo "weights v2.1" >model.bin &&
	aims_db model register credit-score@2.1 --file model.bin >/dev/null &&
	test_account head-of-credit risk-owner &&
	aims_db risk add credit --title "Unfair refusals" --category bias-fairness --owner head-of-credit \
		--likelihood 3 --impact 4 >/dev/null &&
	for i in $(seq 0 29); do rec $i 2026-11-01T00:00:00Z; done | aims_db decision ingest --system credit - >/dev/null &&
	aims_db store copy --from "$TEST_DB" --to "$(test_store old)" >/dev/null &&
	for i in $(seq 30 39); do rec $i 2026-11-01T00:00:00Z; done | aims_db decision ingest --system credit - >/dev/null &&
	test_equal store "$(test_sql "$TEST_DB" "SELECT storage FROM ledger_logs WHERE id = '\''decision/credit'\''")" &&
	aims_db org set --sector "consumer lending" &&
	copy_store && aims_at c ledger verify >v.txt &&
	test_grep "^decision log credit: 40 entries" v.txt
'

test_expect_success 'verification changes no row of the store' '
	copy_store && snap >before &&
	aims_at c ledger verify >/dev/null &&
	aims_at c decision verify --system credit >/dev/null &&
	aims_at c ledger verify --json --no-state >/dev/null &&
	snap >after && test_cmp before after
'

test_expect_success 'every row of the log removed (its entries, tiles, checkpoints): the log is named' '
	copy_store &&
	sql "DELETE FROM ledger_decision_entries; DELETE FROM ledger_decision_tiles; DELETE FROM ledger_decision_checkpoints" &&
	verify_fails "decision log '\''credit'\''" &&
	expect_exit 4 aims_at c decision verify --system credit
'

test_expect_success 'the log, its head and its batches removed, only the registration left: caught' '
	copy_store &&
	sql "DELETE FROM ledger_decision_entries; DELETE FROM ledger_decision_tiles; DELETE FROM ledger_decision_checkpoints;
	     DELETE FROM ledger_decision_batches; DELETE FROM ledger_decision_heads" &&
	verify_fails "credit"
'

test_expect_success 'a ledger_logs row removed: the log the governance log created is named' '
	copy_store && sql "SET session_replication_role = replica; DELETE FROM ledger_logs WHERE id = '\''decision/credit'\''" &&
	verify_fails "decision log '\''credit'\'': the governance log recorded its creation (entry"
'

test_expect_success 'the checkpoint history cut or with a hole: caught' '
	copy_store && sql "DELETE FROM ledger_decision_checkpoints WHERE seq = (SELECT max(seq) FROM ledger_decision_checkpoints)" &&
	verify_fails "decision log '\''credit'\''" &&
	copy_store && sql "DELETE FROM ledger_decision_checkpoints WHERE seq = 1" &&
	verify_fails "decision log '\''credit'\''"
'

test_expect_success 'a record appended with SQL: refused by verify and by the next writer, naming the entry' '
	copy_store &&
	sql "INSERT INTO ledger_decision_entries (log, idx, body) SELECT log, 40, body FROM ledger_decision_entries WHERE idx = 39" &&
	verify_fails "foreign append" &&
	rec 40 2026-11-02T00:00:00Z >next.ndjson &&
	expect_exit 4 aims_at c decision ingest --system credit next.ndjson &&
	test_grep "entry 40 in the store is beyond the 40 committed" err
'

test_expect_success 'a recent record whose body was NULLed: caught (no prune recorded)' '
	copy_store && sql "UPDATE ledger_decision_entries SET body = NULL WHERE idx = 7" &&
	verify_fails "decision log '\''credit'\'': entry 7 has no body"
'

# governance entry $1 rewritten with another actor, its leaf hash and its level-0 tile, in SQL
rewrite_entry() {
	sql "UPDATE ledger_entries SET actor = 'mallory',
	       body = convert_to(replace(convert_from(body, 'UTF8'), '\"actor\":\"' || actor || '\"', '\"actor\":\"mallory\"'), 'UTF8') WHERE log = 'governance' AND idx = $1;
	     UPDATE ledger_entries SET leaf_hash = sha256('\\x00'::bytea || body) WHERE log = 'governance' AND idx = $1;
	     UPDATE ledger_tiles t SET data = overlay(t.data PLACING e.leaf_hash FROM 32 * $1 + 1 FOR 32)
	       FROM ledger_entries e WHERE e.log = 'governance' AND e.idx = $1 AND t.log = 'governance' AND t.level = 0 AND t.idx = 0"
}

test_expect_success 'governance: an entry rewritten with its leaf hash and tile is named exactly' '
	copy_store &&
	n=$(test_sql "$(test_store c)" "SELECT count(*) FROM ledger_entries WHERE log = '\''governance'\''") && test "$n" -lt 256 &&
	i=$((n - 3)) && rewrite_entry $i &&
	verify_fails "governance log: entry $i no longer verifies" &&
	test_grep "signed checkpoint of size" all
'

test_expect_success 'governance: checkpoints deleted after a rewrite, and everything wiped: caught with a key set up' '
	copy_store && rewrite_entry 10 && sql "DELETE FROM ledger_checkpoints" &&
	verify_fails "a signing key is set up, but no signed checkpoint covers" &&
	copy_store && sql "DELETE FROM ledger_entries; DELETE FROM ledger_tiles; DELETE FROM ledger_checkpoints" &&
	verify_fails "has no entries"
'

test_expect_success 'governance: a recent body NULLed, governed data edited with SQL: named' '
	copy_store && sql "UPDATE ledger_entries SET body = NULL WHERE idx = 5" &&
	verify_fails "governance log: entry 5 has no body" &&
	copy_store && sql "UPDATE risks SET score = 1" &&
	verify_fails "risk RISK-001: changed outside aims (audit entry" &&
	copy_store && sql "UPDATE ledger_logs SET retention_days = 200 WHERE id = '\''decision/credit'\''" &&
	verify_fails "decision-log credit: changed outside aims"
'

test_expect_success '--trusted: a rollback to an older copy of the store is caught on the store-kept log' '
	aims_db ledger checkpoint --export trusted.json >/dev/null &&
	test_json trusted.json "[.logs[].log] == [\"governance\", \"decision/credit\"]" &&
	aims_at old ledger verify >/dev/null &&
	expect_exit 4 aims_at old ledger verify --trusted trusted.json --vkey "$(cat vkey)" &&
	test_grep "decision log .credit. has 30 entries, fewer than the 40 of the trusted checkpoint" err
'

test_expect_success 'a checkpoint that cannot be signed after the commit: exit 0, said, not duplicated on retry, signed at the next write' '
	chmod 644 "$TEST_DIR/k.key" &&
	rec 40 2026-11-03T00:00:00Z >e.ndjson &&
	aims_db decision ingest --system credit e.ndjson >out 2>err &&
	test_grep "size 41, checkpoint not signed" out &&
	test_grep "warning: the records are committed, but the checkpoint of decision log credit was not signed" err &&
	aims_db decision ingest --system credit e.ndjson >out 2>err &&
	test_grep "already ingested: .* is entries 40 to 40 of decision log credit; nothing appended \(size 41\)" out &&
	expect_exit 4 aims_db decision verify --system credit &&
	test_grep "entries 40 to 40 are not covered by a signed checkpoint" err &&
	chmod 600 "$TEST_DIR/k.key" &&
	rec 41 2026-11-03T00:00:00Z | aims_db decision ingest --system credit - >out 2>err &&
	test_grep "size 42, checkpoint signed" out && test_must_be_empty err &&
	aims_db decision verify --system credit >out && test_grep "42 entries" out &&
	aims_db ledger verify >/dev/null
'

done_testing
