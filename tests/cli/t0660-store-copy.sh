#!/bin/bash
# t0660-store-copy: aims store copy moves a whole store into a new one, across
# backends in both directions: the test's store (a SQLite file, or on the
# PostgreSQL run a database) is copied into a SQLite file and that file into
# a new store of the run's backend. Content digest, the governance ledger's
# entries, root and signed checkpoints, accounts and API tokens come out
# equal, and the copies verify and go on working; a destination with content
# is refused and left alone; usage errors; a store with decision logs (files
# beside a SQLite store) is refused.

. "$(dirname "$0")/test-lib.sh"

# facts NAME: what must be equal in every copy, as JSON
facts() {
	local db
	db=$(test_store "$1") &&
	{
		"$AIMS" --db "$db" status --json | jq -c .store.content_digest &&
		"$AIMS" --db "$db" ledger log --json | jq -cS . &&
		"$AIMS" --db "$db" ledger verify --json | jq -c "[.ok, [.logs[] | {entries, checkpoints}]]" &&
		"$AIMS" --db "$db" user list --json | jq -cS .
	}
}

test_expect_success 'setup: content, a ledger key and signed checkpoints, an account with a token' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	aims_db isms import "$AIMS_SRC/examples/isms-soa.csv" >/dev/null &&
	"$AIMS" ledger keygen --name northwind.example/aims --out gov.key >vkey.txt &&
	aims_db ledger setup --key gov.key >/dev/null &&
	aims_db soa set A.7.5 --owner "Head of Data" --status partial &&
	test_account alice ml-engineer &&
	aims_as alice system add credit --purpose "score loans" >/dev/null &&
	aims_db ledger checkpoint >/dev/null &&
	facts "$TEST_DB" >orig.facts &&
	test_grep "true" orig.facts
'

test_expect_success "store copy into a SQLite file: everything equal, and it verifies" '
	"$AIMS" store copy --from "$TEST_DB" --to "$TEST_DIR/file.db" --json >c1.json &&
	test_json c1.json ".from_backend == \"$TEST_BACKEND\" and .to_backend == \"sqlite\" and .to == \"$TEST_DIR/file.db\"" &&
	test_json c1.json ".tables > 20 and .rows > 100 and .ledger.size > 10 and .ledger.checkpoint_size == .ledger.size" &&
	test_equal "$(aims_db status --json | jq -r .store.content_digest)" "$(jq -r .content_digest c1.json)" &&
	facts "sqlite:$TEST_DIR/file.db" >file.facts &&
	test_cmp orig.facts file.facts &&
	"$AIMS" --db "$TEST_DIR/file.db" ledger verify --vkey "$(cat vkey.txt)"
'

test_expect_success "and back into a new $TEST_BACKEND store: still equal" '
	"$AIMS" store copy --from "$TEST_DIR/file.db" --to "$(test_store back.db)" >c2.txt &&
	test_grep "^copied [0-9]+ tables, [0-9]+ rows from sqlite" c2.txt &&
	test_grep "^content: +sha256:$(jq -r .content_digest c1.json) on both$" c2.txt &&
	test_grep "^ledger: +$(jq -r .ledger.size c1.json) entries, root $(jq -r .ledger.root c1.json) on both$" c2.txt &&
	test_grep "^checkpoint: size $(jq -r .ledger.size c1.json), the same signed note on both$" c2.txt &&
	facts back.db >back.facts &&
	test_cmp orig.facts back.facts &&
	aims_at back.db ledger verify --vkey "$(cat vkey.txt)"
'

test_expect_success 'the token of an account works on the copies' '
	AIMS_TOKEN=$(cat .token-alice) "$AIMS" --db "$TEST_DIR/file.db" whoami >w1 &&
	AIMS_TOKEN=$(cat .token-alice) aims_at back.db whoami >w2 &&
	test_grep "^alice " w1 &&
	test_cmp w1 w2
'

test_expect_success 'a copy is a store like any other: writes go on, the ledger grows and verifies' '
	aims_at back.db org set --sector "consumer lending" &&
	aims_at back.db ledger checkpoint >/dev/null &&
	aims_at back.db ledger verify --json >v.json &&
	test_json v.json ".ok and .logs[0].entries == $(jq -r .ledger.size c1.json) + 1"
'

test_expect_success 'a destination with content is refused and left as it was' '
	test_store_fingerprint back.db >before.sum &&
	expect_exit 3 "$AIMS" store copy --from "$TEST_DB" --to "$(test_store back.db)" &&
	test_grep "is not empty \(table .[a-z_]+. has rows\); copy into a new store" err &&
	test_must_be_empty out &&
	test_store_fingerprint back.db >after.sum &&
	test_cmp before.sum after.sum
'

test_expect_success 'usage: --from and --to are both needed' '
	expect_exit 2 "$AIMS" store copy --from "$TEST_DB" &&
	test_grep "give the store to copy with --from URL and the new one with --to URL" err &&
	expect_exit 2 "$AIMS" store copy --to "$TEST_DIR/x.db" &&
	test ! -e x.db
'

test_expect_success 'a missing source: exit 5, and no destination is made' '
	expect_exit 5 "$AIMS" store copy --from "$(test_store none.db)" --to "$(test_store new.db)" &&
	test_grep "no aims store" err &&
	! test_store_exists none.db &&
	! test_store_exists new.db
'

test_sqlite_only "a decision log kept in files beside a SQLite store"
test_expect_success 'a store with decision logs in files beside it is refused: those files are not copied' '
	aims_db system add credit-score --purpose "credit scoring" >/dev/null &&
	echo "weights v7" >model.bin &&
	aims_db model register credit-risk@7 --file model.bin >/dev/null &&
	aims_db decision ingest --system credit-score "$AIMS_SRC/examples/decisions-credit-score.ndjson" >/dev/null &&
	expect_exit 3 "$AIMS" store copy --from "$TEST_DB" --to "$TEST_DIR/withlogs.db" &&
	test_grep "has decision logs \(decision/credit-score\)" err &&
	"$AIMS" --db "$TEST_DIR/withlogs.db" status --json >s.json &&
	test_json s.json ".frameworks == []"
'

test_postgres_only "decision logs kept in a PostgreSQL store"
test_expect_success 'decision logs kept in the store are copied with it: to SQLite and back, every root and checkpoint equal' '
	aims_db system add credit-score --purpose "credit scoring" >/dev/null &&
	echo "weights v7" >model.bin &&
	aims_db model register credit-risk@7 --file model.bin >/dev/null &&
	aims_db decision ingest --system credit-score "$AIMS_SRC/examples/decisions-credit-score.ndjson" >/dev/null &&
	aims_db decision receipt --system credit-score --index 3 --out r3.proof &&
	"$AIMS" store copy --from "$TEST_DB" --to "$TEST_DIR/logs.db" >/dev/null &&
	"$AIMS" store copy --from "$TEST_DIR/logs.db" --to "$(test_store logs-back)" >/dev/null &&
	for db in "$TEST_DB" "$TEST_DIR/logs.db" "$(test_store logs-back)"; do
		"$AIMS" --db "$db" decision verify --system credit-score --json | jq -c . >>verified &&
		"$AIMS" --db "$db" decision log --system credit-score --json | jq -cS . | sha256sum >>logs &&
		"$AIMS" --db "$db" decision receipt --system credit-score --index 3 >>receipts &&
		"$AIMS" --db "$db" ledger verify >/dev/null || return 1
	done &&
	test_equal 3 "$(wc -l <verified)" && test_equal 1 "$(sort -u verified | wc -l)" &&
	test_equal 1 "$(sort -u logs | wc -l)" &&
	head -n1 verified >v.json && test_json v.json ".verified and .entries > 0" &&
	cat r3.proof r3.proof r3.proof | cmp - receipts &&
	"$AIMS" decision verify-receipt r3.proof --vkey "$(cat vkey.txt)" >/dev/null &&
	printf "%s\n" "{\"time\":\"2026-03-09T00:00:00Z\",\"model\":\"credit-risk@7\",\"input_digest\":\"sha256:$(printf "b%.0s" $(seq 64))\",\"output\":1}" >one.ndjson &&
	"$AIMS" --db "$TEST_DIR/logs.db" decision ingest --system credit-score one.ndjson >/dev/null &&
	"$AIMS" --db "$TEST_DIR/logs.db" decision verify --system credit-score >/dev/null
'

done_testing
