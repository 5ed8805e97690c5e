#!/bin/bash
# t0810-decision-crash: crash safety of the decision log. Many times over,
# an ingest of a large NDJSON file is killed with SIGKILL at a random
# moment; then every record it acknowledged ('acked N' after each
# fdatasync) must be in the log, nothing unacknowledged may be half there
# (the torn tail is cut off on the next open, and the last record present
# must be exactly the input's), and 'aims decision verify' and 'aims ledger
# verify' must pass. A final ingest must then complete.
# AIMS_CRASH_ROUNDS sets the number of rounds (default 30).

. "$(dirname "$0")/test-lib.sh"

# decision logs are files beside a SQLite store; in PostgreSQL they are a follow-up of issue 18
test_skip_all_unless_sqlite "decision logs are files beside a SQLite store"

ROUNDS=${AIMS_CRASH_ROUNDS:-30}
PER=20000
D64=$(printf 'c%.0s' $(seq 64))

test_expect_success 'setup: store, ledger key, a large NDJSON file' '
	aims_db init >/dev/null &&
	"$AIMS" ledger keygen --name example.com/aims --out "$TEST_DIR/k.key" >"$TEST_DIR/vkey" 2>/dev/null &&
	aims_db ledger setup --key "$TEST_DIR/k.key" >/dev/null &&
	awk -v d="$D64" -v n=$PER "BEGIN { for (i = 0; i < n; i++) printf \"{\\\"time\\\":\\\"2026-03-01T12:00:00Z\\\",\\\"model\\\":\\\"fraud@3.0\\\",\\\"input_digest\\\":\\\"sha256:%s\\\",\\\"output\\\":{\\\"id\\\":%d,\\\"pad\\\":\\\"%0150d\\\"},\\\"confidence\\\":0.25}\n\", d, i, i }" >"$TEST_DIR/big.ndjson" &&
	test "$(wc -l <"$TEST_DIR/big.ndjson")" -eq $PER
'

# restart (any command that opens the log recovers it and, with the ledger
# key, signs a checkpoint), then verify; prints the size (0 before the first ingest)
log_size() {
	aims_db decision log --system fraud --limit 1 >/dev/null 2>&1 || true
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
		before=$after &&
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
		if [ "$after" -lt "$before" ] || [ "$after" -gt $((before + PER)) ]; then
			echo "round $r: size went from $before to $after" >&2; exit 1
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

test_expect_success 'after the crashes an ingest completes and everything verifies' '
	before=$(log_size) &&
	aims_db decision ingest --system fraud "$TEST_DIR/big.ndjson" >out &&
	test_grep "appended $PER records" out &&
	test_equal $((before + PER)) "$(log_size)" &&
	aims_db decision receipt --system fraud --index $((before + 5)) --out r.proof &&
	"$AIMS" decision verify-receipt r.proof --vkey "$(cat "$TEST_DIR/vkey")" >/dev/null
'

done_testing
