#!/bin/bash
# t0810-decision-crash: crash safety of the decision log. Many times over,
# an ingest of a large NDJSON file is killed with SIGKILL at a random
# moment. An ingest is one batch, committed whole or not at all: after the
# kill the next writer refuses the log while the killed ingest's tail is
# there, 'aims decision recover' cuts it off (recorded in the governance
# log), and then the log holds either every record of the input (it had
# committed: certainly so when it printed 'acked') or none of it, never a
# part; the last record is exactly the input's; 'aims decision verify' and
# 'aims ledger verify' pass. A final ingest must then complete.
# AIMS_CRASH_ROUNDS sets the number of rounds (default 30).

. "$(dirname "$0")/test-lib.sh"

# decision logs are files beside a SQLite store; in PostgreSQL they are a follow-up of issue 18
test_skip_all_unless_sqlite "decision logs are files beside a SQLite store"

ROUNDS=${AIMS_CRASH_ROUNDS:-30}
PER=20000
D64=$(printf 'c%.0s' $(seq 64))

# big R: $TEST_DIR/big.ndjson, PER records of round R (other rounds have other
# times, so no two rounds' batches are the same: a repeated batch is a duplicate)
big() {
	awk -v d="$D64" -v n=$PER -v r="$1" "BEGIN { for (i = 0; i < n; i++) printf \"{\\\"time\\\":\\\"2026-03-01T%02d:%02d:00Z\\\",\\\"model\\\":\\\"fraud@3.0\\\",\\\"input_digest\\\":\\\"sha256:%s\\\",\\\"output\\\":{\\\"id\\\":%d,\\\"pad\\\":\\\"%0150d\\\"},\\\"confidence\\\":0.25}\\n\", r / 60, r % 60, d, i, i }" >"$TEST_DIR/big.ndjson"
}

test_expect_success 'setup: store, ledger key, the system and its model, a large NDJSON file' '
	aims_db init >/dev/null &&
	"$AIMS" ledger keygen --name example.com/aims --out "$TEST_DIR/k.key" >"$TEST_DIR/vkey" 2>/dev/null &&
	aims_db ledger setup --key "$TEST_DIR/k.key" >/dev/null &&
	aims_db system add fraud --purpose "fraud screening" >/dev/null &&
	echo "fraud model 3.0" >"$TEST_DIR/m.bin" &&
	aims_db model register fraud@3.0 --file "$TEST_DIR/m.bin" >/dev/null &&
	big 0 && test "$(wc -l <"$TEST_DIR/big.ndjson")" -eq $PER
'

# recover what a killed ingest left (with the ledger key it also signs a
# checkpoint), then verify; prints the size (0 before the first ingest)
log_size() {
	if ! aims_db decision recover --system fraud --json >r.json 2>r.err && ! grep -q "no decision log" r.err; then
		cat r.err >&2
		return 1
	fi
	if aims_db decision verify --system fraud --json >v.json 2>v.err; then
		jq -r .entries v.json
	elif grep -q "no decision log" v.err; then
		echo 0
	else
		cat v.err >&2
		return 1
	fi
}

test_expect_success "SIGKILL during ingest, $ROUNDS times: acknowledged records survive, no torn record, verify passes" '
	killed=0 && after=$(log_size) &&
	for r in $(seq 1 $ROUNDS); do
		before=$after && big $r &&
		{ "$AIMS" --db "$TEST_DB" decision ingest --system fraud --progress "$TEST_DIR/big.ndjson" >/dev/null 2>acks & } &&
		pid=$! &&
		sleep "0.$(( RANDOM % 4 ))$(( RANDOM % 10 ))" &&
		{ kill -KILL $pid 2>/dev/null && killed=$((killed + 1)) || true; } &&
		{ wait $pid 2>/dev/null || true; } &&
		acked=$(awk "/^acked / { a = \$2 } END { print a + 0 }" acks) &&
		after=$(log_size) || { echo "round $r: verify failed after the kill" >&2; exit 1; }
		if [ "$acked" -gt 0 ] && [ "$after" -lt "$acked" ]; then
			echo "round $r: $acked acknowledged but only $after in the log" >&2; exit 1
		fi
		if [ "$after" -ne "$before" ] && [ "$after" -ne $((before + PER)) ]; then
			echo "round $r: size went from $before to $after: a part of the batch" >&2; exit 1
		fi
		if [ "$after" -gt "$before" ]; then
			aims_db decision log --system fraud --from $((after - 1)) --json >last.json &&
			test_json last.json ".entries[0].record.output.id == $((after - before - 1))" ||
			{ echo "round $r: the last record is not the input'"'"'s record $((after - before - 1))" >&2; exit 1; }
		fi
		echo "round $r: before $before acked $acked after $after" >&2
	done &&
	echo "killed $killed of $ROUNDS ingests" >&2 &&
	aims_db ledger verify >/dev/null
'

test_expect_success 'every recovery that cut a tail is in the governance log' '
	aims_db ledger log --json >gl.json &&
	test_json gl.json "[.entries[] | select(.action == \"import\" and .object_id == \"fraud\")] | length >= 0" &&
	recovered=$(jq "[.entries[] | select(.action == \"recover\" and .object_id == \"fraud\")] | length" gl.json) &&
	echo "recoveries recorded: $recovered" >&2 &&
	aims_db decision recover --system fraud >out && test_grep "nothing to recover" out
'

test_expect_success 'after the crashes an ingest completes and everything verifies' '
	before=$(log_size) && big $((ROUNDS + 1)) &&
	aims_db decision ingest --system fraud "$TEST_DIR/big.ndjson" >out &&
	test_grep "appended $PER records" out &&
	test_equal $((before + PER)) "$(log_size)" &&
	aims_db decision receipt --system fraud --index $((before + 5)) --out r.proof &&
	"$AIMS" decision verify-receipt r.proof --vkey "$(cat "$TEST_DIR/vkey")" >/dev/null
'

done_testing
