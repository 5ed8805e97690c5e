#!/bin/bash
# t0820-decision-ingest-large: the streaming ingest on an input of 1,000,000
# records whose last line is bad. The bad line is found after every record
# before it was canonicalized, hashed and written to the log; the whole
# batch is rolled back: every file of the log (entries, tiles, checkpoints,
# state) is byte for byte what it was, the committed size is unchanged,
# nothing is left to recover, and the log verifies. The same input with a
# good last line is then ingested, in memory far below the 256 MiB the
# ingest may use (peak RSS from GNU time: a property of the streaming
# design, not a timing; not checked on a binary built with AddressSanitizer,
# whose shadow memory and quarantine are not the program's).

. "$(dirname "$0")/test-lib.sh"

# every file of the log is compared byte for byte; in a PostgreSQL store a refused batch is a
# transaction rolled back (t0800, tests/api/t0410)
test_skip_all_unless_sqlite "the files of a decision log beside a SQLite store"

N=1000000
D64=$(printf 'e%.0s' $(seq 64))
LOG=$TEST_DB.ledger/decision/credit

# gen FILE COUNT LAST: COUNT records, then the line LAST
gen() {
	awk -v d="$D64" -v n="$2" -v last="$3" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "{\"time\":\"2026-02-%02dT%02d:%02d:%02dZ\",\"model\":\"credit@4\",\"input_digest\":\"sha256:%s\",\"output\":{\"id\":%d,\"approve\":%s,\"score\":0.%04d},\"confidence\":0.%02d,\"explanation\":\"score above cut-off\"}\n", 1 + (i / 86400) % 28, (i / 3600) % 24, (i / 60) % 60, i % 60, d, i, i % 3 ? "true" : "false", i % 10000, i % 100
		if (last != "") print last
	}' >"$1"
}

# digest of every file of the log but its lock
snapshot() {
	(cd "$LOG" && find . -type f ! -name lock | LC_ALL=C sort | xargs sha256sum)
}

test_expect_success 'setup: store, key, system, model, 1000 committed records' '
	aims_db init >/dev/null &&
	"$AIMS" ledger keygen --name example.com/aims --out "$TEST_DIR/k.key" >/dev/null 2>&1 &&
	aims_db ledger setup --key "$TEST_DIR/k.key" >/dev/null &&
	aims_db system add credit --purpose "credit scoring" >/dev/null &&
	echo "credit model 4" >m.bin && aims_db model register credit@4 --file m.bin >/dev/null &&
	gen first.ndjson 1000 "" &&
	aims_db decision ingest --system credit first.ndjson >out && test_grep "size 1000," out &&
	snapshot >before
'

test_expect_success "a bad last line after $N good ones: nothing appended, every file of the log unchanged" '
	gen big.ndjson $N "{\"time\":\"2026-02-28T00:00:00Z\",\"model\":\"credit@4\",\"output\":1}" &&
	test "$(wc -l <big.ndjson)" -eq $((N + 1)) &&
	expect_exit 3 aims_db decision ingest --system credit big.ndjson &&
	test_grep "big.ndjson. line $((N + 1)): input_digest" err &&
	snapshot >after && test_cmp before after &&
	aims_db decision log --system credit --json --limit 1 >l.json && test_json l.json ".size == 1000" &&
	aims_db decision recover --system credit >out && test_grep "nothing to recover" out &&
	aims_db decision verify --system credit >out && test_grep "1000 entries" out
'

test_expect_success "a bad line in the middle and a record of an unknown model at the end: the same" '
	sed "500000s/\"model\":\"credit@4\"/\"model\":\"credit@4\",\"model\":\"credit@4\"/" big.ndjson >mid.ndjson &&
	expect_exit 3 aims_db decision ingest --system credit mid.ndjson &&
	test_grep "mid.ndjson. line 500000: column [0-9]*: duplicate object key" err &&
	sed "\$s/.*/{\"time\":\"2026-02-28T00:00:00Z\",\"model\":\"credit@5\",\"input_digest\":\"sha256:$D64\",\"output\":1}/" big.ndjson >ghost.ndjson &&
	expect_exit 3 aims_db decision ingest --system credit ghost.ndjson &&
	test_grep "ghost.ndjson. line $((N + 1)): model: .credit@5. is not a registered model version" err &&
	snapshot >after && test_cmp before after
'

test_expect_success "the same $N records with a good last line: committed, in bounded memory" '
	gen good.ndjson $N "" &&
	/usr/bin/time -f "%M" -o rss.txt "$AIMS" --db "$TEST_DB" decision ingest --system credit good.ndjson >out &&
	test_grep "appended $N records to decision log credit \\(size $((N + 1000)), checkpoint signed\\)" out &&
	kib=$(tail -n 1 rss.txt) && echo "peak RSS: $kib KiB" >&2 &&
	if grep -q __asan_init "$AIMS"; then echo "AddressSanitizer build: RSS not checked" >&2;
	else test "$kib" -lt $((256 * 1024)); fi &&
	aims_db decision verify --system credit >out && test_grep "$((N + 1000)) entries" out
'

done_testing
