#!/bin/bash
# t0800-decision: AI decision logs end to end: NDJSON ingest bound to the
# inventory (unknown system and unknown model refused), bad lines refused
# with their line number and nothing appended, the canonical form (integers
# outside int64 included), receipts verified offline, verify, tamper tests
# that flip bytes in the entries and the tiles, a foreign append refused by
# the next writer, the torn tail of a killed ingest removed by 'decision
# recover', idempotent retries, a checkpoint that cannot be signed after the
# commit, retention pruning.

. "$(dirname "$0")/test-lib.sh"

# On SQLite a log's entries, tiles and checkpoints are files beside the store, on PostgreSQL rows in
# the store: the tests that damage them by hand do it for each (test_sqlite_only / test_postgres_only).

D64=$(printf 'a%.0s' $(seq 64))

# rec I TIME: one decision record as an NDJSON line
rec() {
	printf '{"time":"%s","model":"credit-score@2.1","input_digest":"sha256:%s","output":{"approve":true,"id":%d},"confidence":0.87,"explanation":"income above threshold"}\n' "$2" "$D64" "$1"
}

# flip FILE OFFSET: flip the lowest bit of one byte
flip() {
	python3 -c 'import sys
f = open(sys.argv[1], "r+b"); o = int(sys.argv[2]); f.seek(o); b = f.read(1); f.seek(o); f.write(bytes([b[0] ^ 1]))' "$1" "$2"
}

LOG=$TEST_DB.ledger/decision/credit

# log_rows: what the log of credit holds (its entries file, or its rows in a PostgreSQL store)
log_rows() {
	if [ "$TEST_BACKEND" = sqlite ]; then
		cat "$LOG/entries"
	else
		test_sql "$TEST_DB" "SELECT idx, encode(body, 'hex') FROM ledger_decision_entries ORDER BY log, idx"
	fi
}

# pg SQL: change the log's rows behind aims' back (PostgreSQL); the state is saved before and restored
pg() { test_sql "$TEST_DB" "$1" >/dev/null; }

test_expect_success 'setup: init, ledger key, the AI system and its model in the inventory' '
	aims_db init >/dev/null &&
	"$AIMS" ledger keygen --name example.com/aims --out "$TEST_DIR/k.key" >"$TEST_DIR/vkey" 2>/dev/null &&
	aims_db ledger setup --key "$TEST_DIR/k.key" >/dev/null &&
	aims_db system add credit --purpose "credit scoring" >/dev/null &&
	echo "weights v2.1" >model.bin &&
	aims_db model register credit-score@2.1 --file model.bin >/dev/null
'

test_expect_success 'an AI system that is not in the inventory is refused (exit 5) and gets no log' '
	rec 0 2026-01-01T00:00:00Z >one.ndjson &&
	expect_exit 5 aims_db decision ingest --system nosuch one.ndjson &&
	test_grep "AI system .nosuch. is not in the inventory" err &&
	test_grep "aims system add nosuch" err &&
	test ! -e "$TEST_DB.ledger/decision/nosuch" &&
	aims_db decision list >out && test_grep_not nosuch out
'

test_expect_success 'ingest without a ledger key is refused with what to do' '
	aims_at nokey.db init >/dev/null &&
	aims_at nokey.db system add credit >/dev/null &&
	expect_exit 5 aims_at nokey.db decision ingest --system credit one.ndjson &&
	test_grep "aims ledger keygen" err && test_grep "aims ledger setup --key" err
'

test_expect_success 'a bad system name is a usage error' '
	expect_exit 2 aims_db decision ingest --system "../x" one.ndjson &&
	expect_exit 2 aims_db decision ingest one.ndjson
'

test_expect_success 'a model that is not a registered model version refuses the batch (exit 3, line and value)' '
	{ rec 0 2026-01-01T00:00:00Z; rec 1 2026-01-01T00:00:00Z | sed "s/credit-score@2.1/ghost@99/"; } >ghost.ndjson &&
	expect_exit 3 aims_db decision ingest --system credit ghost.ndjson &&
	test_grep "ghost.ndjson. line 2: model: .ghost@99. is not a registered model version" err &&
	aims_db decision log --system credit --json >l.json &&
	test_json l.json ".size == 0" &&
	printf "%s\n" "{\"time\":\"2026-01-01T00:00:00Z\",\"model\":\"credit-score@2.1\",\"model_digest\":\"sha256:$D64\",\"input_digest\":\"sha256:$D64\",\"output\":1}" >dig.ndjson &&
	expect_exit 3 aims_db decision ingest --system credit dig.ndjson &&
	test_grep "line 1: model_digest: sha256:a* is not the digest registered for model credit-score@2.1" err
'

test_expect_success 'ingest appends, acknowledges and signs a checkpoint' '
	for i in $(seq 0 599); do rec $i 2026-01-01T00:00:00Z; done >a.ndjson &&
	aims_db decision ingest --system credit --progress a.ndjson >out 2>err &&
	test_grep "^appended 600 records to decision log credit \(size 600, checkpoint signed\)$" out &&
	test_grep "^acked 600$" err
'

test_sqlite_only "the files of a log beside a SQLite store"
test_expect_success 'the log beside the store: entries, tiles (full ones packed), checkpoint' '
	test -f "$LOG/checkpoint" && test -f "$LOG/tile/0/002.p/88" && test -f "$LOG/tile/1/000.p/2" &&
	test "$(stat -c %s "$LOG/tile0.pack")" -eq $((2 * 8192)) && test ! -e "$LOG/tile/0/001"
'

test_postgres_only "the rows of a log kept in a PostgreSQL store"
test_expect_success 'the log in the store: 600 entries, tiles 0/0, 0/1 (full), 0/2 (88), 1/0 (2), a checkpoint' '
	test_equal 600 "$(test_sql "$TEST_DB" "SELECT count(*) FROM ledger_decision_entries WHERE log = '\''decision/credit'\''")" &&
	test_sql "$TEST_DB" "SELECT level, idx, length(data) / 32 FROM ledger_decision_tiles ORDER BY level, idx" >tiles &&
	printf "0|0|256\n0|1|256\n0|2|88\n1|0|2\n" >want && test_cmp want tiles &&
	test_equal "1|600" "$(test_sql "$TEST_DB" "SELECT seq, size FROM ledger_decision_checkpoints")"
'

test_expect_success 'a bad line is refused with its line number and nothing is appended' '
	{ rec 600 2026-01-02T00:00:00Z; rec 601 2026-01-02T00:00:00Z; echo "{\"time\":\"yesterday\"}"; } >bad.ndjson &&
	log_rows >entries.before &&
	expect_exit 3 aims_db decision ingest --system credit bad.ndjson &&
	test_grep "bad.ndjson. line 3: time" err &&
	log_rows >entries.mid && test_cmp entries.before entries.mid &&
	printf "%s\n" "{\"time\":\"2026-01-01T00:00:00Z\",\"model\":\"m@1\",\"input_digest\":\"sha256:$D64\",\"output\":1,\"colour\":\"red\"}" >unk.ndjson &&
	expect_exit 3 aims_db decision ingest --system credit unk.ndjson &&
	test_grep "line 1: unknown key .colour." err &&
	printf "%s\n" "{\"time\":\"2026-01-01T00:00:00Z\",\"input_digest\":\"sha256:$D64\",\"output\":1}" >nomodel.ndjson &&
	expect_exit 3 aims_db decision ingest --system credit nomodel.ndjson &&
	test_grep "line 1: model" err &&
	printf "{\"time\":\"2026-01-01T00:00:00Z\",\n" >broken.ndjson &&
	expect_exit 3 aims_db decision ingest --system credit broken.ndjson &&
	test_grep "line 1" err &&
	log_rows >entries.after && test_cmp entries.before entries.after
'

test_expect_success 'standard input, blank lines, the canonical form' '
	{ echo; printf "%s\n" "{ \"review\": {\"reason\": \"manual check\", \"action\": \"override\", \"reviewer\": \"J. M\u00fcller\"}, \"time\": \"2026-01-03T10:00:00+01:00\", \"output\": {\"b\": 1, \"a\": [true, null, \"\u00e9\"]}, \"model_digest\": \"sha256:$D64\", \"input_digest\": \"sha256:$D64\", \"confidence\": 0.50 }"; echo "   "; } |
		aims_db decision ingest --system credit - >out &&
	test_grep "appended 1 records" out &&
	aims_db decision log --system credit --from 600 >log.txt &&
	printf "600\t%s\n" "{\"confidence\":0.5,\"input_digest\":\"sha256:$D64\",\"model_digest\":\"sha256:$D64\",\"output\":{\"a\":[true,null,\"\\u00E9\"],\"b\":1},\"review\":{\"action\":\"override\",\"reason\":\"manual check\",\"reviewer\":\"J. M\\u00FCller\"},\"time\":\"2026-01-03T10:00:00+01:00\"}" >expect &&
	test_cmp expect log.txt
'

test_expect_success 'log --json: records, leaf hashes, limits' '
	aims_db decision log --system credit --from 10 --limit 3 --json >log.json &&
	test_json log.json ".size == 601 and (.entries | length == 3) and .entries[0].index == 10" &&
	test_json log.json ".entries[0].record.output.id == 10 and .entries[0].pruned == false" &&
	test_json log.json ".origin == \"example.com/aims/decision/credit\"" &&
	aims_db decision log --system credit --from 10 --limit 1 | cut -f2- | tr -d "\n" >e10 &&
	{ printf "\0"; cat e10; } | sha256sum | cut -c1-64 >want &&
	jq -r ".entries[0].leaf_hash" log.json >got && test_cmp want got
'

test_expect_success 'decision list names the logs' '
	aims_db decision list >out && test_grep "^credit$" out
'

test_expect_success 'receipt verified offline; wrong key, changed receipt, wrong entry refused' '
	aims_db decision receipt --system credit --index 300 --out r.proof &&
	test_grep "^c2sp.org/tlog-proof@v1$" r.proof &&
	"$AIMS" decision verify-receipt r.proof --vkey "$(cat vkey)" >out &&
	test_grep "entry 300" out &&
	aims_db decision log --system credit --from 300 --limit 1 | cut -f2- >e300 &&
	"$AIMS" decision verify-receipt r.proof --vkey "$(cat vkey)" --entry e300 &&
	aims_db decision log --system credit --from 301 --limit 1 | cut -f2- >e301 &&
	expect_exit 4 "$AIMS" decision verify-receipt r.proof --vkey "$(cat vkey)" --entry e301 &&
	"$AIMS" ledger keygen --name example.com/aims --out other.key >othervkey 2>/dev/null &&
	expect_exit 4 "$AIMS" decision verify-receipt r.proof --vkey "$(cat othervkey)" &&
	sed "s/^index 300$/index 301/" r.proof >r2.proof &&
	expect_exit 4 "$AIMS" decision verify-receipt r2.proof --vkey "$(cat vkey)" &&
	expect_exit 5 aims_db decision receipt --system credit --index 601
'

test_expect_success 'verify passes on the untouched log' '
	aims_db decision verify --system credit >out &&
	test_grep "601 entries" out &&
	aims_db decision verify --system credit --vkey "$(cat vkey)" --json >v.json &&
	test_json v.json ".verified and .entries == 601" &&
	expect_exit 4 aims_db decision verify --system credit --vkey "$(cat othervkey)" &&
	{ [ "$TEST_BACKEND" != sqlite ] || cp -a "$LOG" saved; }
'

restore() { rm -rf "$LOG" && cp -a saved "$LOG"; }

test_sqlite_only "the log's files beside the store; on PostgreSQL the same checks on its rows follow"
test_expect_success 'a flipped byte in a record is found and named' '
	off=$(python3 -c "import struct
d = open(\"$LOG/entries\", \"rb\").read(); o = 0
for i in range(123): o += 4 + struct.unpack(\">I\", d[o:o+4])[0]
print(o + 40)") &&
	flip "$LOG/entries" $off &&
	expect_exit 4 aims_db decision verify --system credit &&
	test_grep "entry 123 no longer verifies" err && restore
'

test_sqlite_only "the log's files beside the store; on PostgreSQL the same checks on its rows follow"
test_expect_success 'a flipped byte in a length word, a truncation, a removed record: exit 4' '
	flip "$LOG/entries" 2 &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "entry 0" err && restore &&
	size=$(stat -c %s "$LOG/entries") &&
	truncate -s $((size - 300)) "$LOG/entries" &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "fewer than the 601 the store committed" err && restore &&
	python3 -c "import struct
p = \"$LOG/entries\"; d = open(p, \"rb\").read(); o = 0
for i in range(7): o += 4 + struct.unpack(\">I\", d[o:o+4])[0]
n = 4 + struct.unpack(\">I\", d[o:o+4])[0]
open(p, \"wb\").write(d[:o] + d[o+n:] + d[o:o+n])" &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "entry 7 no longer verifies" err && restore
'

test_sqlite_only "the log's files beside the store; on PostgreSQL the same checks on its rows follow"
test_expect_success 'a flipped byte in a full tile, a partial tile, a missing tile: exit 4' '
	flip "$LOG/tile0.pack" $((8192 + 100)) &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "entry 259 no longer verifies" err && restore &&
	p=$(ls "$LOG"/tile/0/002.p/*) && flip "$p" 64 &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "entry 514" err && restore &&
	dd if=/dev/zero of="$LOG/tile0.pack" bs=8192 count=1 conv=notrunc 2>/dev/null &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "tile/0/000. is missing from tile0.pack" err && restore &&
	flip "$LOG/checkpoint" 50 &&
	expect_exit 4 aims_db decision verify --system credit && restore &&
	aims_db decision verify --system credit >/dev/null
'

test_sqlite_only "the log's files beside the store; on PostgreSQL the same checks on its rows follow"
test_expect_success 'a record appended by hand is a foreign append: writers refuse it (exit 4, offset)' '
	size=$(stat -c %s "$LOG/entries") &&
	printf "\000\000\000\003{}\n" >>"$LOG/entries" &&
	rec 601 2026-01-04T00:00:00Z >next.ndjson &&
	expect_exit 4 aims_db decision ingest --system credit next.ndjson &&
	test_grep "7 bytes at offset $size of .entries., after its 601 committed records, were not written by aims" err &&
	expect_exit 4 aims_db decision verify --system credit &&
	test_grep "offset $size" err &&
	expect_exit 4 aims_db decision recover --system credit &&
	test_grep "foreign append" err &&
	test_equal $((size + 7)) "$(stat -c %s "$LOG/entries")" &&
	aims_db decision recover --system credit --discard-foreign --json >r.json &&
	test_json r.json ".cut_bytes == 7 and .foreign and .offset == $size and .size == 601" &&
	test_cmp saved/entries "$LOG/entries" &&
	aims_db ledger log --json >gl.json &&
	test_json gl.json "[.entries[] | select(.action == \"recover\" and .object_id == \"credit\")] | length == 1" &&
	aims_db decision verify --system credit >out && test_grep "601 entries" out
'

test_sqlite_only "the log's files beside the store; on PostgreSQL the same checks on its rows follow"
test_expect_success 'a killed ingest leaves a torn tail: writers refuse (exit 3) until decision recover cuts it' '
	awk -v d="$D64" "BEGIN { for (i = 0; i < 40000; i++) printf \"{\\\"time\\\":\\\"2026-01-05T00:00:00Z\\\",\\\"model\\\":\\\"credit-score@2.1\\\",\\\"input_digest\\\":\\\"sha256:%s\\\",\\\"output\\\":{\\\"id\\\":%d,\\\"pad\\\":\\\"%0200d\\\"}}\n\", d, i, i }" >big.ndjson &&
	size=$(stat -c %s "$LOG/entries") &&
	mkfifo fifo &&
	{ "$AIMS" --db "$TEST_DB" decision ingest --system credit fifo >/dev/null 2>kill.err & } && pid=$! &&
	{ { cat big.ndjson; sleep 60; } >fifo & } && feeder=$! &&
	n=0 && while [ "$(stat -c %s "$LOG/entries")" -le "$size" ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done &&
	kill -KILL $pid && { wait $pid 2>/dev/null || true; } &&
	kill $feeder 2>/dev/null; { wait $feeder 2>/dev/null || true; } &&
	grown=$(stat -c %s "$LOG/entries") && test "$grown" -gt "$size" &&
	expect_exit 3 aims_db decision ingest --system credit next.ndjson &&
	test_grep "an ingest that did not commit left $((grown - size)) bytes at offset $size" err &&
	test_grep "aims decision recover --system credit" err &&
	aims_db decision log --system credit --json --limit 1 >l.json && test_json l.json ".size == 601" &&
	aims_db decision verify --system credit >out && test_grep "601 entries" out &&
	aims_db decision recover --system credit --json >r.json &&
	test_json r.json ".cut_bytes == $((grown - size)) and (.foreign | not) and .size == 601" &&
	test_cmp saved/entries "$LOG/entries" &&
	aims_db decision recover --system credit >out && test_grep "nothing to recover" out &&
	aims_db decision ingest --system credit next.ndjson >out && test_grep "size 602" out &&
	aims_db decision verify --system credit >out && test_grep "602 entries" out &&
	aims_db ledger verify >/dev/null
'

test_postgres_only "the rows of a log kept in a PostgreSQL store"
test_expect_success 'rows changed behind aims: a flipped byte, a removed row, a changed tile, checkpoints removed: exit 4' '
	pg "CREATE TABLE saved_e AS SELECT * FROM ledger_decision_entries; CREATE TABLE saved_t AS SELECT * FROM ledger_decision_tiles; CREATE TABLE saved_c AS SELECT * FROM ledger_decision_checkpoints" &&
	restore_pg() { pg "DELETE FROM ledger_decision_entries; INSERT INTO ledger_decision_entries SELECT * FROM saved_e; DELETE FROM ledger_decision_tiles; INSERT INTO ledger_decision_tiles SELECT * FROM saved_t; DELETE FROM ledger_decision_checkpoints; INSERT INTO ledger_decision_checkpoints SELECT * FROM saved_c"; } &&
	pg "UPDATE ledger_decision_entries SET body = set_byte(body, 40, get_byte(body, 40) # 1) WHERE idx = 123" &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "entry 123 no longer verifies" err && restore_pg &&
	pg "DELETE FROM ledger_decision_entries WHERE idx = 7" &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "entry 7 is missing from the store" err && restore_pg &&
	pg "DELETE FROM ledger_decision_entries WHERE idx >= 500" &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "entry 500 is missing" err && restore_pg &&
	pg "UPDATE ledger_decision_tiles SET data = set_byte(data, 100, get_byte(data, 100) # 1) WHERE level = 0 AND idx = 1" &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "entry 259 no longer verifies" err && restore_pg &&
	pg "UPDATE ledger_decision_tiles SET data = set_byte(data, 33, get_byte(data, 33) # 1) WHERE level = 1" &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "tile 1/0" err && restore_pg &&
	pg "DELETE FROM ledger_decision_checkpoints" &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "not covered by a signed checkpoint" err && restore_pg &&
	pg "UPDATE ledger_decision_checkpoints SET note = replace(note, '\''600'\'', '\''601'\'')" &&
	expect_exit 4 aims_db decision verify --system credit && restore_pg &&
	pg "UPDATE ledger_decision_entries SET body = NULL WHERE idx = 3" &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "entry 3 has no body" err && restore_pg &&
	aims_db decision verify --system credit >out && test_grep "601 entries" out &&
	pg "DROP TABLE saved_e; DROP TABLE saved_t; DROP TABLE saved_c"
'

test_postgres_only "the rows of a log kept in a PostgreSQL store"
test_expect_success 'a row inserted behind aims past the committed head: writers and verify refuse it (exit 4)' '
	pg "INSERT INTO ledger_decision_entries (log, idx, body) VALUES ('\''decision/credit'\'', 601, '\''\\x7b7d'\'')" &&
	rec 601 2026-01-04T00:00:00Z >next.ndjson &&
	expect_exit 4 aims_db decision ingest --system credit next.ndjson &&
	test_grep "entry 601 in the store is beyond the 601 committed: a foreign append" err &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "foreign append" err &&
	pg "DELETE FROM ledger_decision_entries WHERE idx = 601" &&
	aims_db decision verify --system credit >out && test_grep "601 entries" out
'

test_postgres_only "the rows of a log kept in a PostgreSQL store"
test_expect_success 'a killed ingest leaves nothing: its transaction never committed; the next writer goes on' '
	awk -v d="$D64" "BEGIN { for (i = 0; i < 40000; i++) printf \"{\\\"time\\\":\\\"2026-01-05T00:00:00Z\\\",\\\"model\\\":\\\"credit-score@2.1\\\",\\\"input_digest\\\":\\\"sha256:%s\\\",\\\"output\\\":{\\\"id\\\":%d}}\n\", d, i }" >big.ndjson &&
	test_equal 40000 "$(wc -l <big.ndjson)" &&
	mkfifo fifo &&
	{ "$AIMS" --db "$TEST_DB" decision ingest --system credit fifo >/dev/null 2>kill.err & } && pid=$! &&
	{ { cat big.ndjson; sleep 60; } >fifo & } && feeder=$! &&
	n=0 && while [ "$(test_sql "$TEST_DB" "SELECT count(*) FROM pg_stat_activity WHERE state = '\''idle in transaction'\''")" = 0 ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done &&
	sleep 0.5 && kill -KILL $pid && { wait $pid 2>/dev/null || true; } &&
	kill $feeder 2>/dev/null; { wait $feeder 2>/dev/null || true; } &&
	aims_db decision ingest --system credit next.ndjson >out && test_grep "size 602" out &&
	test_equal 602 "$(test_sql "$TEST_DB" "SELECT count(*) FROM ledger_decision_entries")" &&
	aims_db decision recover --system credit >out && test_grep "nothing to recover" out &&
	aims_db decision verify --system credit >out && test_grep "602 entries" out &&
	aims_db ledger verify >/dev/null
'

test_expect_success 'a retried batch is not added twice: same records, or the same --idempotency-key' '
	aims_db decision ingest --system credit next.ndjson >out &&
	test_grep "already ingested: this batch .sha256:[0-9a-f]*. is entries 601 to 601 of decision log credit" out &&
	for i in 602 603 604; do rec $i 2026-01-06T00:00:00Z; done >b.ndjson &&
	aims_db decision ingest --system credit --idempotency-key req-7 --json b.ndjson >i1.json &&
	test_json i1.json ".appended == 3 and .first == 602 and .size == 605 and (.duplicate | not) and .idempotency_key == \"req-7\"" &&
	aims_db decision ingest --system credit --idempotency-key req-7 --json b.ndjson >i2.json &&
	test_json i2.json ".appended == 0 and .duplicate and .first == 602 and .size == 605" &&
	test_equal "$(jq -r .batch_digest i1.json)" "$(jq -r .batch_digest i2.json)" &&
	rec 605 2026-01-06T00:00:00Z >c.ndjson &&
	expect_exit 3 aims_db decision ingest --system credit --idempotency-key req-7 c.ndjson &&
	test_grep "idempotency key .req-7. was used for another batch" err &&
	aims_db decision log --system credit --json --limit 1 >l.json && test_json l.json ".size == 605" &&
	expect_exit 2 aims_db decision ingest --system credit --idempotency-key "" c.ndjson
'

test_expect_success 'integers outside int64 become the nearest double, as docs/ledger.md says' '
	printf "%s\n" "{\"time\":\"2026-01-07T00:00:00Z\",\"model\":\"credit-score@2.1\",\"input_digest\":\"sha256:$D64\",\"output\":{\"max\":9223372036854775807,\"min\":-9223372036854775808,\"over\":9223372036854775808,\"big\":18446744073709551616,\"under\":-99999999999999999999,\"minus0\":-0,\"real\":1E5}}" >big-int.ndjson &&
	aims_db decision ingest --system credit big-int.ndjson >/dev/null &&
	aims_db decision log --system credit --from 605 | cut -f2 >got &&
	printf "%s\n" "{\"input_digest\":\"sha256:$D64\",\"model\":\"credit-score@2.1\",\"output\":{\"big\":1.8446744073709552e19,\"max\":9223372036854775807,\"min\":-9223372036854775808,\"minus0\":0,\"over\":9.2233720368547758e18,\"real\":100000.0,\"under\":-1e20},\"time\":\"2026-01-07T00:00:00Z\"}" >want &&
	test_cmp want got &&
	printf "%s\n" "{\"time\":\"2026-01-07T00:00:00Z\",\"model\":\"credit-score@2.1\",\"input_digest\":\"sha256:$D64\",\"output\":1e400}" >inf.ndjson &&
	expect_exit 3 aims_db decision ingest --system credit inf.ndjson &&
	test_grep "line 1: column [0-9]*: real number overflow" err
'

test_sqlite_only "the log's files beside the store; on PostgreSQL the same checks on its rows follow"
test_expect_success 'a checkpoint that cannot be signed after the commit: exit 0, said, signed at the next write' '
	mkdir "$LOG/checkpoint.tmp" &&
	rec 606 2026-01-08T00:00:00Z >d.ndjson &&
	aims_db decision ingest --system credit d.ndjson >out 2>err &&
	test_grep "size 607, checkpoint not signed" out &&
	test_grep "warning: the records are committed, but the checkpoint of decision log credit was not signed" err &&
	rmdir "$LOG/checkpoint.tmp" &&
	chmod 644 "$TEST_DIR/k.key" &&
	rec 607 2026-01-08T00:00:00Z >e.ndjson &&
	aims_db decision ingest --system credit --json e.ndjson >j.json 2>err &&
	test_json j.json ".size == 608 and (.checkpoint | not)" &&
	test_grep "the ledger key could not be loaded" err &&
	chmod 600 "$TEST_DIR/k.key" &&
	rec 608 2026-01-08T00:00:00Z >f.ndjson &&
	aims_db decision ingest --system credit f.ndjson >out 2>err &&
	test_grep "size 609, checkpoint signed" out && test_must_be_empty err &&
	"$AIMS" note verify --vkey "$(cat vkey)" --text "$LOG/checkpoint" >cp.txt &&
	test_equal 609 "$(sed -n 2p cp.txt)" &&
	aims_db decision verify --system credit >out && test_grep "609 entries" out
'

test_expect_success 'prune: the minimum period is enforced, the real clock only, none while the log is young' '
	expect_exit 3 aims_db decision prune --system credit --days 100 &&
	test_grep "183" err &&
	expect_exit 2 aims_db decision prune --system credit --now 2027-01-01T00:00:00Z &&
	AIMS_TEST_NOW=2099-01-01T00:00:00Z aims_db decision prune --system credit >out &&
	test_grep "pruned 0 records" out
'

# a log created (by the test clock) on 2026-01-02, pruned on 2026-07-05: the period
# reaches back to 2026-01-03, so the 600 records of 2026-01-01 go, the later ones stay

test_expect_success 'prune: old bodies dropped from the start of the log, recorded, tree still verifies' '
	aims_db system add credit-old --purpose "credit scoring, the old model" >/dev/null &&
	AIMS_TEST_NOW=2026-01-02T00:00:00Z "$AIMS_TESTCLOCK" --db "$TEST_DB" decision ingest --system credit-old a.ndjson >/dev/null &&
	{ rec 600 2026-01-03T09:00:00Z; rec 601 2026-01-01T00:00:00Z; } | AIMS_TEST_NOW=2026-01-02T00:00:00Z \
		"$AIMS_TESTCLOCK" --db "$TEST_DB" decision ingest --system credit-old - >/dev/null &&
	AIMS_TEST_NOW=2026-07-05T00:00:00Z "$AIMS_TESTCLOCK" --db "$TEST_DB" decision prune --system credit-old --json >p.json &&
	test_json p.json ".pruned == 600" &&
	aims_db decision verify --system credit-old >out && test_grep "602 entries" out &&
	aims_db ledger verify >/dev/null &&
	aims_db ledger log --json >gl.json &&
	test_json gl.json ".entries[-1] | .action == \"prune\" and .object_type == \"ledger\" and .object_id == \"decision/credit-old below 600\"" &&
	aims_db decision log --system credit-old --json --from 599 --limit 3 >l.json &&
	test_json l.json ".entries[0].pruned and .entries[0].record == null and (.entries[1].pruned | not) and (.entries[2].pruned | not)" &&
	aims_db decision receipt --system credit-old --index 5 --out p5.proof &&
	expect_exit 3 "$AIMS" decision verify-receipt p5.proof --vkey "$(cat vkey)" &&
	test_grep "pruned" err
'

test_expect_success 'a pruned record is proven with its original bytes' '
	aims_db decision receipt --system credit-old --index 5 --out p5.proof &&
	rec 5 2026-01-01T00:00:00Z | python3 -c "import json,sys
o = json.loads(sys.stdin.read()); c = o.pop(\"confidence\")
s = json.dumps(o, sort_keys=True, separators=(\",\", \":\"), ensure_ascii=True)
sys.stdout.write(\"{\\\"confidence\\\":%s,\" % c + s[1:])" >e5 &&
	"$AIMS" decision verify-receipt p5.proof --vkey "$(cat vkey)" --entry e5
'

done_testing
