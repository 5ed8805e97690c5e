#!/bin/bash
# t0670-inputs-outputs: the other findings of the robustness probe (issue
# 20). A directory given as an input file is refused (exit 3) by every
# command; a document body must be UTF-8; reports are written to a new file
# beside the target and renamed, never through a planted symbolic link; a
# model directory's links out of it are refused; control characters from
# data are shown escaped; Markdown outputs escape raw HTML; run ids compare
# case-insensitively; a busy store is waited for, up to a limit; ingesting an
# OpenLineage event is linear in its inputs.

. "$(dirname "$0")/test-lib.sh"

PY=/usr/bin/python3
RUN=3f5e8d1c-aaaa-4222-8333-944455556666

test_expect_success 'setup: a store with a key, a system, a document, a risk' '
	aims_db init >/dev/null &&
	"$AIMS" ledger keygen --name example.com/aims --out "$TEST_DIR/k.key" >vkey 2>/dev/null &&
	aims_db ledger setup --key "$TEST_DIR/k.key" >/dev/null &&
	aims_db system add credit --purpose "credit scoring" >/dev/null &&
	aims_db doc new --type scope --owner CISO --id scope >/dev/null &&
	aims_db doc show scope --json >doc0.json &&
	mkdir D
'

test_expect_success 'a directory given as an input file is refused with exit 3 by every command' '
	vk=$(cat vkey) &&
	while read -r cmd; do
		eval "expect_exit 3 $cmd" || { echo "not refused: $cmd" >&2; return 1; }
		test_grep "D" err || return 1
	done <<-EOF
	aims_db isms import D
	aims_db doc edit scope --body D
	aims_db doc new --type scope --owner o --body D
	aims_db assess impact credit --answers D
	aims_db aiact classify credit --answers D
	aims_db lineage ingest D
	aims_db mlflow import D
	"$AIMS" note sign --key "$TEST_DIR/k.key" D
	"$AIMS" note verify --vkey "\$vk" D
	"$AIMS" note verify --vkey-file D doc0.json
	"$AIMS" note cosign --key "$TEST_DIR/k.key" --vkey "\$vk" D
	aims_db decision ingest --system credit D
	"$AIMS" decision verify-receipt D --vkey "\$vk"
	aims_db dataset register ds@1 --file D
	aims_db model register m@1 --file D
	aims_db eval performance --data D --label a --pred b
	aims_db eval drift --ref D --cur D
	aims_db ledger setup --key D
	aims_db ledger verify --trusted D
	aims_db ledger checkpoint --add-cosignature D --witness-key "\$vk"
	EOF
'

test_sqlite_only "a directory given as the store is a path; on PostgreSQL --db names a database, not a path"
test_expect_success 'a directory given as the store is refused with exit 3' '
	expect_exit 3 aims_at D status &&
	test_grep "D" err
'

test_expect_success 'doc edit --body DIR leaves the draft as it was' '
	aims_db doc show scope --json >doc1.json &&
	test_equal "$(jq -r .body doc0.json)" "$(jq -r .body doc1.json)" &&
	test "$(jq -r ".body | length" doc1.json)" -gt 100
'

test_expect_success 'doc --body refuses invalid UTF-8 with the line, and keeps the draft' '
	printf "# Scope\n\nAll AI systems.\nCaf\351 r\351gion\n" >latin1.md &&
	expect_exit 3 aims_db doc edit scope --body latin1.md &&
	test_grep "latin1.md. line 4: not valid UTF-8" err &&
	expect_exit 3 aims_db doc new --type scope --owner o --body latin1.md &&
	aims_db doc show scope --json >doc2.json &&
	test_equal "$(jq -r .body doc0.json)" "$(jq -r .body doc2.json)" &&
	printf "# Scope\n\nCaf\303\251 r\303\251gion\n" >utf8.md &&
	aims_db doc edit scope --body utf8.md >/dev/null
'

test_expect_success 'a report never writes through a planted link: not the temporary file, not the target' '
	echo "keep me" >victim &&
	ln -s victim out.html.tmp &&
	aims_db risk report --html out.html >/dev/null &&
	test_equal "keep me" "$(cat victim)" &&
	test -f out.html && test ! -L out.html && test_grep "<html" out.html &&
	ln -s victim out2.html &&
	aims_db risk report --html out2.html >/dev/null &&
	test_equal "keep me" "$(cat victim)" &&
	test ! -L out2.html && test_grep "<html" out2.html &&
	ls -a >files && test_grep_not "out2?\.html\.[0-9a-f]+\.tmp$" files
'

test_expect_success 'model register --dir: a link out of the directory is refused, one inside is followed' '
	mkdir -p model outside && echo weights >model/w.bin && echo secret >outside/secret &&
	ln -s ../outside/secret model/leak &&
	expect_exit 3 aims_db model register m@1 --dir model &&
	test_grep "outside the directory" err &&
	rm model/leak && ln -s w.bin model/alias.bin &&
	aims_db model register m@1 --dir model --json >m.json &&
	test_json m.json "[.files[].path] == [\"alias.bin\", \"w.bin\"] and (.files[0].digest == .files[1].digest)"
'

test_expect_success 'control characters from data are shown escaped, in output and in errors' '
	printf "# Scope\n\nEve\033[2J\033]0;pwned\007 was here\n" >esc.md &&
	aims_db doc edit scope --body esc.md >/dev/null &&
	aims_db doc show scope >show.txt &&
	test_grep -F "Eve\\x1b[2J\\x1b]0;pwned\\x07 was here" show.txt &&
	! grep -q "$(printf "\033")" show.txt &&
	aims_db doc show scope --json >show.json &&
	test_json show.json ".body | contains(\"Eve\\u001b[2J\")" &&
	expect_exit 3 aims_db system show "$(printf "x\033[31mred")" &&
	test_grep "name: must be one line of text without control characters" err &&
	! grep -q "$(printf "\033")" err
'

test_expect_success 'an output named /dev/null (a device) is written to, never replaced' '
	mkfifo out.fifo &&
	{ cat out.fifo >fifo.txt & } && reader=$! &&
	aims_db card system credit --html out.fifo >/dev/null &&
	wait $reader && test_grep "<html" fifo.txt && test -p out.fifo &&
	aims_db card system credit --html /dev/null >/dev/null &&
	test -c /dev/null
'
test_expect_success 'Markdown outputs escape raw HTML from user fields (card, FRIA)' '
	aims_db system set credit --purpose "<script>alert(1)</script> scoring" >/dev/null &&
	aims_db card system credit >card.md &&
	test_grep -F "&lt;script>alert(1)&lt;/script> scoring" card.md &&
	test_grep_not "<script" card.md &&
	aims_db card system credit --html card.html >/dev/null &&
	test_grep -F "&lt;script&gt;alert(1)&lt;/script&gt; scoring" card.html &&
	aims_db aiact classify credit --answers "$AIMS_SRC/examples/aiact-credit-score.yaml" >/dev/null &&
	test_account o risk-owner &&
	aims_db risk add credit --title "<img src=x onerror=alert(1)>" --category bias-fairness --owner o \
		--likelihood 2 --impact 2 >/dev/null &&
	aims_db aiact fria credit --force --out fria.md >/dev/null &&
	test_grep -F "&lt;img src=x onerror=alert(1)>" fria.md &&
	test_grep_not "<img" fria.md
'

test_expect_success 'run ids compare case-insensitively' '
	UP=$(echo $RUN | tr a-f A-F) &&
	printf "%s\n" "{\"eventType\":\"COMPLETE\",\"eventTime\":\"2026-03-01T10:00:00Z\",\"producer\":\"x\",\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/\$defs/RunEvent\",\"run\":{\"runId\":\"$UP\"},\"job\":{\"namespace\":\"ns\",\"name\":\"train\"},\"inputs\":[{\"namespace\":\"s3://b\",\"name\":\"in.parquet\"}],\"outputs\":[]}" >up.json &&
	aims_db lineage ingest up.json >/dev/null &&
	aims_db lineage run $RUN --json >r1.json &&
	aims_db lineage run $UP --json >r2.json &&
	test_cmp r1.json r2.json &&
	echo model >m2.bin &&
	aims_db model register m@2 --file m2.bin --run "$UP" >/dev/null &&
	aims_db lineage upstream model:m@2 --json >up2.json &&
	test_json up2.json "[.nodes[] | select(.type == \"run\")] | length == 1" &&
	test "$(test_sql "$TEST_DB" "select count(*) from runs")" -eq 1
'

test_sqlite_only "the store is held busy through Python's sqlite3 module (PostgreSQL's lock waits and retries are tested in tests/unit/store)"
test_expect_success 'a writer waits for a busy store, up to AIMS_BUSY_TIMEOUT, then says so' '
	$PY -c "import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute(\"BEGIN IMMEDIATE\")
open(\"locked\", \"w\").close(); time.sleep(1.5); c.execute(\"COMMIT\")" "$TEST_DB" &
	while [ ! -e locked ]; do sleep 0.05; done &&
	aims_db org set --name "Waited Ltd" &&
	wait &&
	rm -f locked &&
	$PY -c "import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute(\"BEGIN IMMEDIATE\")
open(\"locked\", \"w\").close(); time.sleep(1.5); c.execute(\"COMMIT\")" "$TEST_DB" &
	while [ ! -e locked ]; do sleep 0.05; done &&
	expect_exit 6 env AIMS_BUSY_TIMEOUT=200 "$AIMS" --db "$TEST_DB" org set --name "Impatient Ltd" &&
	test_grep "the store is busy: another writer held it for more than 200 ms" err &&
	wait &&
	test_equal "Waited Ltd" "$(test_sql "$TEST_DB" "select value from settings where key = '\''org.name'\''")"
'

test_expect_success 'an OpenLineage event with 5000 inputs: every dataset stored once, in sequence' '
	$PY -c "import json
print(json.dumps({\"eventType\": \"COMPLETE\", \"eventTime\": \"2026-03-02T10:00:00Z\", \"producer\": \"x\",
  \"schemaURL\": \"https://openlineage.io/spec/2-0-2/OpenLineage.json#/\$defs/RunEvent\",
  \"run\": {\"runId\": \"3f5e8d1c-bbbb-4222-8333-944455556666\"}, \"job\": {\"namespace\": \"ns\", \"name\": \"big\"},
  \"inputs\": [{\"namespace\": \"s3://b\", \"name\": \"part/%05d.parquet\" % i} for i in range(5000)] +
            [{\"namespace\": \"s3://b\", \"name\": \"in.parquet\"}],
  \"outputs\": [{\"namespace\": \"s3://b\", \"name\": \"out.parquet\"}]}))" >big.json &&
	aims_db lineage ingest big.json >/dev/null &&
	test "$(test_sql "$TEST_DB" "select count(*), count(distinct seq), max(seq) - min(seq) + 1 from datasets")" = "5002|5002|5002" &&
	aims_db lineage run 3f5e8d1c-bbbb-4222-8333-944455556666 --json >big-run.json &&
	test_json big-run.json ".inputs | length == 5001" &&
	aims_db ledger verify >/dev/null
'

done_testing
