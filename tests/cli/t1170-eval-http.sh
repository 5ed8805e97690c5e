#!/bin/bash
# t1170-eval-http: the evaluation operations over a real `aims serve` on
# 127.0.0.1 and through `aims --server`: the data as the request body
# (CSV, gzip) or as multipart/form-data parts (drift's ref and cur), an
# empty body for a decision log; the same JSON documents as the command
# line; --record needs permission eval.record (auditors are refused, the
# ledger names the account); HTML reports as a format, including a stored
# drift result; problem documents naming the field.

. "$(dirname "$0")/test-lib.sh"

COLS="--label output.label --pred output.pred --score confidence"
Q="label=output.label&pred=output.pred&score=confidence"

# the server is started by the setup test and stopped when the script ends
serve_stop() {
	if [ -s "$TEST_DIR/serve.pid" ]; then
		kill "$(cat "$TEST_DIR/serve.pid")" 2>/dev/null || true
		rm -f "$TEST_DIR/serve.pid"
	fi
}
trap 'serve_stop; test_cleanup' EXIT

# same_json A B: the same JSON document (keys sorted, numbers as jq reads them)
same_json() {
	jq -S . "$1" >"$1.sorted" && jq -S . "$2" >"$2.sorted" && test_cmp "$1.sorted" "$2.sorted"
}

# api TOKEN-NAME METHOD PATH [curl options...]: the response body to ./body, headers to ./hdr, status printed
api() {
	local who=$1 method=$2 path=$3
	shift 3
	curl -sS -o body -D hdr -w '%{http_code}' -X "$method" -H "Authorization: Bearer $(cat "$TEST_DIR/.token-$who")" \
		"$@" "$(cat "$TEST_DIR/url")/api/v1$path"
}

test_expect_success 'setup: store, ledger key, system, 400 decisions, accounts, server' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	"$AIMS" ledger keygen --name example.com/aims --out "$TEST_DIR/k.key" >/dev/null 2>&1 &&
	aims_db ledger setup --key "$TEST_DIR/k.key" >/dev/null &&
	aims_db system add credit --purpose "credit scoring" >/dev/null &&
	echo "scorer weights 1.0" >model.bin &&
	aims_db model register scorer@1.0 --file model.bin >/dev/null &&
	/usr/bin/python3 -c "
import json, random
r = random.Random(7)
for i in range(400):
    day = 1 + i // 100
    g = \"a\" if r.random() < 0.6 else \"b\"
    label = int(r.random() < (0.6 if g == \"a\" else 0.4))
    score = round(min(max(r.gauss(0.65 if label else 0.35, 0.2), 0), 1), 6)
    print(json.dumps({\"time\": f\"2026-03-0{day}T{i % 24:02d}:00:00Z\", \"model\": \"scorer@1.0\",
        \"input_digest\": \"sha256:\" + \"%064x\" % i, \"confidence\": score,
        \"output\": {\"label\": label, \"pred\": int(score >= 0.5), \"group\": g}}))
" >d.ndjson &&
	aims_db decision ingest --system credit d.ndjson >/dev/null &&
	printf "y,p,s,g\n1,1,0.9,a\n0,0,0.2,a\n1,0,0.4,b\n0,1,0.7,b\n1,1,0.8,a\n0,0,0.1,b\n" >ok.csv &&
	printf "a,b\n1,x\n2,y\n3,x\n4,y\n" >ref.csv &&
	printf "a,b\n5,x\n6,x\n7,x\n8,y\n" >cur.csv &&
	gzip -k cur.csv && gzip -c ok.csv >ok.csv.gz &&
	test_account ml ml-engineer &&
	test_account aud auditor &&
	test_account svc service &&
	{ "$AIMS" --db "$TEST_DB" serve --listen 127.0.0.1:0 --port-file port >serve.log 2>&1 & echo $! >serve.pid; } &&
	for i in $(seq 100); do [ -s port ] && break; sleep 0.05; done &&
	echo "http://127.0.0.1:$(cat port)" >url && test -s port
'

test_expect_success 'fairness: the CSV request body gives the document of the command line' '
	"$AIMS" eval fairness --json --data ok.csv --label y --pred p --score s --group g >cli.json &&
	test_equal 200 "$(api ml POST "/evaluations/fairness?label=y&pred=p&score=s&group=g" \
		--data-binary @ok.csv -H "Content-Type: text/csv")" &&
	test_json body ".kind == \"fairness\" and .input.name == \"request body\" and .input.rows_read == 6" &&
	jq -S "del(.input.name)" cli.json >a && jq -S "del(.input.name)" body >b && test_cmp a b
'

test_expect_success 'performance: a gzip body is recognised by its magic bytes' '
	"$AIMS" eval performance --json --data ok.csv.gz --label y --pred p --score s >cli.json &&
	test_equal 200 "$(api ml POST "/evaluations/performance?label=y&pred=p&score=s" \
		--data-binary @ok.csv.gz -H "Content-Type: application/gzip")" &&
	jq -S "del(.input.name)" cli.json >a && jq -S "del(.input.name)" body >b && test_cmp a b
'

test_expect_success 'drift: ref and cur as multipart/form-data parts, named by their file names' '
	"$AIMS" eval drift --json --ref ref.csv --cur cur.csv.gz >cli.json &&
	test_equal 200 "$(api ml POST /evaluations/drift -F ref=@ref.csv -F cur=@cur.csv.gz)" &&
	same_json cli.json body &&
	test_json body "[.inputs[].name] == [\"ref.csv\", \"cur.csv.gz\"]" &&
	test_equal 400 "$(api ml POST /evaluations/drift -F ref=@ref.csv)" &&
	test_json body ".field == \"cur\" and (.detail | test(\"give --ref FILE and --cur FILE\"))" &&
	test_equal 400 "$(api ml POST /evaluations/drift -F ref=@ref.csv -F cur=@cur.csv -F other=@ok.csv)" &&
	test_json body ".field == \"other\" and (.detail | test(\"not a data input\"))" &&
	test_equal 200 "$(api ml POST "/evaluations/drift?check=true" -F ref=@ref.csv -F cur=@cur.csv)" &&
	test_grep -i "^Aims-Outcome: denied" hdr
'

test_expect_success 'a decision log: an empty body and ?system= give the command line document' '
	aims_db eval fairness --json --system credit $COLS --group output.group --since 2026-03-02T00:00:00Z >cli.json &&
	test_equal 200 "$(api ml POST "/evaluations/fairness?$Q&group=output.group&system=credit&since=2026-03-02T00:00:00Z")" &&
	same_json cli.json body &&
	aims_db eval drift --json --system credit --ref-until 2026-03-03T00:00:00Z --since 2026-03-03T00:00:00Z >cli.json &&
	test_equal 200 "$(api ml POST "/evaluations/drift?system=credit&ref_until=2026-03-03T00:00:00Z&since=2026-03-03T00:00:00Z")" &&
	same_json cli.json body
'

# signed checkpoints of the governance log so far
checkpoints() {
	aims_db ledger verify --no-state | sed -n "s/^governance log: .* \([0-9][0-9]*\) signed checkpoints.*/\1/p"
}

test_expect_success 'record over HTTP: the ledger names the account and a checkpoint is signed; list and show equal the command line' '
	before=$(checkpoints) && test -n "$before" &&
	test_equal 200 "$(api ml POST "/evaluations/performance?$Q&system=credit&record=true")" &&
	test_json body ".evaluation_id == \"EVAL-0001\"" &&
	test_equal 200 "$(api ml POST "/evaluations/drift?system=credit&ref_until=2026-03-03T00:00:00Z&since=2026-03-03T00:00:00Z&record=true")" &&
	test_json body ".evaluation_id == \"EVAL-0002\"" &&
	test_equal $((before + 2)) "$(checkpoints)" &&
	aims_db ledger log >log.txt &&
	test_grep " ml +record +evaluation +EVAL-0001" log.txt &&
	test_grep " ml +record +evaluation +EVAL-0002" log.txt &&
	aims_db eval list --json >cli.json &&
	test_equal 200 "$(api aud GET /evaluations)" && same_json cli.json body &&
	test_grep -i "^X-Total-Count: 2" hdr &&
	aims_db eval show EVAL-0002 --json >cli.json &&
	test_equal 200 "$(api aud GET /evaluations/EVAL-0002)" && same_json cli.json body &&
	test_equal 404 "$(api aud GET /evaluations/EVAL-0099)"
'

test_expect_success 'permissions: recording needs eval.record; evaluating needs read' '
	test_equal 403 "$(api aud POST "/evaluations/performance?$Q&system=credit&record=true")" &&
	test_json body ".detail | test(\"eval.record\")" &&
	test_equal 200 "$(api aud POST "/evaluations/performance?$Q&system=credit")" &&
	test_equal 403 "$(api svc POST "/evaluations/performance?label=y&pred=p" --data-binary @ok.csv)" &&
	test_equal 403 "$(api svc GET /evaluations)" &&
	expect_exit 7 aims_as aud eval performance --data ok.csv --label y --pred p --system credit --record &&
	test_grep "permission .eval.record." err &&
	aims_db eval list --json >l.json && test_json l.json ".evaluations | length == 2"
'

test_expect_success 'errors: problem documents name the field, file and line' '
	test_equal 400 "$(api ml POST "/evaluations/fairness?label=y&pred=p" --data-binary @ok.csv)" &&
	test_json body ".field == \"group\" and (.detail | test(\"at least one --group\"))" &&
	printf "y,p,g\n1,1,a\n0,0\n" >ragged.csv &&
	test_equal 400 "$(api ml POST "/evaluations/fairness?label=y&pred=p&group=g" --data-binary @ragged.csv)" &&
	test_json body ".detail | test(\"request body. line 3: 2 fields, expected 3\")" &&
	test_equal 415 "$(api ml POST "/evaluations/performance?label=y&pred=p" --data-binary @ok.csv \
		-H "Content-Type: application/json")" &&
	test_equal 400 "$(api ml POST "/evaluations/performance?label=y&pred=p&data=ok.csv")" &&
	test_json body ".field == \"data\"" &&
	test_equal 400 "$(api ml POST "/evaluations/performance?pred=p" --data-binary @ok.csv)" &&
	test_json body ".field == \"label\"" &&
	test_equal 400 "$(api ml POST "/evaluations/drift?alpha=2" -F ref=@ref.csv -F cur=@cur.csv)" &&
	test_json body ".field == \"alpha\""
'

test_expect_success 'HTML reports are a format; a stored drift result renders too' '
	test_equal 200 "$(api ml POST "/evaluations/fairness?label=y&pred=p&group=g&format=html" --data-binary @ok.csv)" &&
	test_grep -i "^Content-Type: text/html" hdr && test_grep "Fairness evaluation" body &&
	test_equal 200 "$(api aud GET "/evaluations/EVAL-0002?format=html")" &&
	test_grep -i "^Content-Type: text/html" hdr && test_grep "Data drift report" body &&
	aims_db eval show EVAL-0002 --html stored.html >show.txt &&
	test_grep "EVAL-0002: drift evaluation of AI system .credit." show.txt &&
	test_grep "Data drift report" stored.html && test_grep "<td>confidence</td>" stored.html &&
	test_grep "tested columns drifted" stored.html
'

test_expect_success 'aims --server: the same output as on the store, files streamed as parts' '
	AIMS_TOKEN=$(cat .token-ml) "$AIMS" --server "$(cat url)" eval drift --ref ref.csv --cur cur.csv.gz --json >remote.json &&
	"$AIMS" eval drift --ref ref.csv --cur cur.csv.gz --json >local.json && test_cmp local.json remote.json &&
	AIMS_TOKEN=$(cat .token-ml) "$AIMS" --server "$(cat url)" eval fairness --data - --label y --pred p --group g <ok.csv >remote.txt &&
	"$AIMS" eval fairness --data - --label y --pred p --group g <ok.csv >local.txt && test_cmp local.txt remote.txt &&
	AIMS_TOKEN=$(cat .token-aud) "$AIMS" --server "$(cat url)" eval show EVAL-0001 >remote.txt &&
	aims_db eval show EVAL-0001 >local.txt && test_cmp local.txt remote.txt &&
	AIMS_TOKEN=$(cat .token-aud) "$AIMS" --server "$(cat url)" eval show EVAL-0001 --html r.html >out.txt &&
	test_grep "Performance evaluation" r.html
'

test_expect_success 'a file evaluation needs no store; a decision log does' '
	mkdir -p nostore && cd nostore &&
	"$AIMS" eval performance --data ../ok.csv --label y --pred p >p.txt &&
	test_grep "rows read" p.txt && test ! -e aims.db &&
	expect_exit 5 "$AIMS" eval performance --system credit --label y --pred p &&
	test_grep "aims.db" err && test ! -e aims.db
'

done_testing
