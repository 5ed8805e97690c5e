#!/bin/bash
# t0800-decision: AI decision logs end to end: NDJSON ingest (bad lines
# refused with their line number, nothing appended), the canonical form,
# receipts verified offline, verify, tamper tests that flip bytes in the
# entries and the tiles, recovery of a torn tail, retention pruning.

. "$(dirname "$0")/test-lib.sh"

# decision logs are files beside a SQLite store; in PostgreSQL they are a follow-up of issue 18
test_skip_all_unless_sqlite "decision logs are files beside a SQLite store"

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

test_expect_success 'setup: init, ledger key' '
	aims_db init >/dev/null &&
	"$AIMS" ledger keygen --name example.com/aims --out "$TEST_DIR/k.key" >"$TEST_DIR/vkey" 2>/dev/null &&
	aims_db ledger setup --key "$TEST_DIR/k.key" >/dev/null
'

test_expect_success 'ingest without a ledger key is refused with what to do' '
	aims_at nokey.db init >/dev/null &&
	rec 0 2026-01-01T00:00:00Z >one.ndjson &&
	expect_exit 5 aims_at nokey.db decision ingest --system credit one.ndjson &&
	test_grep "aims ledger keygen" err && test_grep "aims ledger setup --key" err
'

test_expect_success 'a bad system name is a usage error' '
	expect_exit 2 aims_db decision ingest --system "../x" one.ndjson &&
	expect_exit 2 aims_db decision ingest one.ndjson
'

test_expect_success 'ingest appends, acknowledges and signs a checkpoint' '
	for i in $(seq 0 599); do rec $i 2026-01-01T00:00:00Z; done >a.ndjson &&
	aims_db decision ingest --system credit --progress a.ndjson >out 2>err &&
	test_grep "^appended 600 records to decision log credit \(size 600, checkpoint signed\)$" out &&
	test_grep "^acked 600$" err &&
	test -f "$LOG/checkpoint" && test -f "$LOG/tile/0/001" && test -f "$LOG/tile/0/002.p/88"
'

test_expect_success 'a bad line is refused with its line number and nothing is appended' '
	{ rec 600 2026-01-02T00:00:00Z; rec 601 2026-01-02T00:00:00Z; echo "{\"time\":\"yesterday\"}"; } >bad.ndjson &&
	cp "$LOG/entries" entries.before &&
	expect_exit 3 aims_db decision ingest --system credit bad.ndjson &&
	test_grep "bad.ndjson. line 3: time" err &&
	test_cmp entries.before "$LOG/entries" &&
	printf "%s\n" "{\"time\":\"2026-01-01T00:00:00Z\",\"model\":\"m@1\",\"input_digest\":\"sha256:$D64\",\"output\":1,\"colour\":\"red\"}" >unk.ndjson &&
	expect_exit 3 aims_db decision ingest --system credit unk.ndjson &&
	test_grep "line 1: unknown key .colour." err &&
	printf "%s\n" "{\"time\":\"2026-01-01T00:00:00Z\",\"input_digest\":\"sha256:$D64\",\"output\":1}" >nomodel.ndjson &&
	expect_exit 3 aims_db decision ingest --system credit nomodel.ndjson &&
	test_grep "line 1: model" err &&
	printf "{\"time\":\"2026-01-01T00:00:00Z\",\n" >broken.ndjson &&
	expect_exit 3 aims_db decision ingest --system credit broken.ndjson &&
	test_grep "line 1" err &&
	test_cmp entries.before "$LOG/entries"
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
	cp -a "$LOG" saved
'

restore() { rm -rf "$LOG" && cp -a saved "$LOG"; }

test_expect_success 'a flipped byte in a record is found and named' '
	off=$(python3 -c "import struct
d = open(\"$LOG/entries\", \"rb\").read(); o = 0
for i in range(123): o += 4 + struct.unpack(\">I\", d[o:o+4])[0]
print(o + 40)") &&
	flip "$LOG/entries" $off &&
	expect_exit 4 aims_db decision verify --system credit &&
	test_grep "entry 123 no longer verifies" err && restore
'

test_expect_success 'a flipped byte in a length word, a truncation, a removed record: exit 4' '
	flip "$LOG/entries" 2 &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "entry 0" err && restore &&
	size=$(stat -c %s "$LOG/entries") &&
	truncate -s $((size - 300)) "$LOG/entries" &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "beyond" err && restore &&
	python3 -c "import struct
p = \"$LOG/entries\"; d = open(p, \"rb\").read(); o = 0
for i in range(7): o += 4 + struct.unpack(\">I\", d[o:o+4])[0]
n = 4 + struct.unpack(\">I\", d[o:o+4])[0]
open(p, \"wb\").write(d[:o] + d[o+n:] + d[o:o+n])" &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "entry 7 no longer verifies" err && restore
'

test_expect_success 'a flipped byte in a full tile, a partial tile, a missing tile: exit 4' '
	flip "$LOG/tile/0/001" 100 &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "entry 259 no longer verifies" err && restore &&
	p=$(ls "$LOG"/tile/0/002.p/*) && flip "$p" 64 &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "entry 514" err && restore &&
	rm "$LOG/tile/0/000" &&
	expect_exit 4 aims_db decision verify --system credit && test_grep "tile/0/000" err && restore &&
	flip "$LOG/checkpoint" 50 &&
	expect_exit 4 aims_db decision verify --system credit && restore &&
	aims_db decision verify --system credit >/dev/null
'

test_expect_success 'a torn tail (crash during a write) is cut off on open' '
	printf "\000\000\001\000{\"time\"" >>"$LOG/entries" &&
	aims_db decision verify --system credit >out && test_grep "601 entries" out &&
	test_equal "$(stat -c %s saved/entries)" "$(stat -c %s "$LOG/entries")" &&
	rec 601 2026-01-04T00:00:00Z | aims_db decision ingest --system credit - >/dev/null &&
	aims_db decision verify --system credit >out && test_grep "602 entries" out
'

test_expect_success 'prune: the minimum period is enforced, old bodies dropped, tree still verifies' '
	expect_exit 3 aims_db decision prune --system credit --days 100 &&
	test_grep "183" err &&
	aims_db decision prune --system credit --now 2026-03-01T00:00:00Z >out &&
	test_grep "pruned 0 records" out &&
	aims_db decision prune --system credit --now 2026-07-05T00:00:00Z --json >p.json &&
	test_json p.json ".pruned == 600" &&
	aims_db decision verify --system credit >out && test_grep "602 entries" out &&
	aims_db decision log --system credit --json --from 599 --limit 3 >l.json &&
	test_json l.json ".entries[0].pruned and .entries[0].record == null and (.entries[1].pruned | not)" &&
	aims_db decision receipt --system credit --index 5 --out p5.proof &&
	expect_exit 3 "$AIMS" decision verify-receipt p5.proof --vkey "$(cat vkey)" &&
	test_grep "pruned" err
'

test_expect_success 'a pruned record is proven with its original bytes' '
	aims_db decision receipt --system credit --index 5 --out p5.proof &&
	rec 5 2026-01-01T00:00:00Z | python3 -c "import json,sys
o = json.loads(sys.stdin.read()); c = o.pop(\"confidence\")
s = json.dumps(o, sort_keys=True, separators=(\",\", \":\"), ensure_ascii=True)
sys.stdout.write(\"{\\\"confidence\\\":%s,\" % c + s[1:])" >e5 &&
	"$AIMS" decision verify-receipt p5.proof --vkey "$(cat vkey)" --entry e5
'

done_testing
