#!/bin/bash
# t1920-exports: exports users expect. --csv on every list command (the
# same rows as the JSON list, read back with Python's csv module; the API's
# ?format=csv is the same bytes); the CycloneDX 1.6 ML-BOM of an AI system
# validated with ajv-cli against the CycloneDX schema (tests/data/cyclonedx)
# with the digests aims recorded; --pdf of HTML reports through headless
# Chromium when it is installed, and a clear error when it is not.

. "$(dirname "$0")/test-lib.sh"
. "$(dirname "$0")/lib-demo-store.sh"

AJV=$AIMS_SRC/node_modules/.bin/ajv
if [ ! -x "$AJV" ]; then
	echo "Bail out! ajv-cli is missing: run 'npm ci' in $AIMS_SRC (scripts/deps.sh does)"
	exit 1
fi

test_expect_success 'setup: a store like the demo' '
	demo_store
'

# csv_matches KEY CMD...: CMD --csv has a header and one row per item of the JSON list KEY, the same ids
csv_matches() {
	local key=$1
	shift
	aims_db "$@" --json >l.json &&
	aims_db "$@" --csv >l.csv &&
	/usr/bin/python3 - "$key" <<-\PY
	import csv, json, sys
	key = sys.argv[1]
	items = json.load(open("l.json"))[key]
	rows = list(csv.reader(open("l.csv", newline="")))
	assert len(rows) == len(items) + 1, (len(rows), len(items))
	header = rows[0]
	assert len(set(header)) == len(header), header
	assert all(len(r) == len(header) for r in rows), "ragged rows"
	for item, row in zip(items, rows[1:]):
	    for k, v in item.items():
	        if isinstance(v, str) and k in header:
	            assert row[header.index(k)] == v, (k, v, row[header.index(k)])
	        if isinstance(v, bool) and k in header:
	            assert row[header.index(k)] == ("true" if v else "false"), k
	        if isinstance(v, int) and not isinstance(v, bool) and k in header:
	            assert row[header.index(k)] == str(v), k
	PY
}

test_expect_success '--csv on every list command: one row per item, the same values' '
	csv_matches systems system list &&
	csv_matches risks risk list &&
	csv_matches risks risk list --system credit-score &&
	csv_matches evaluations eval list &&
	csv_matches documents doc list &&
	csv_matches datasets dataset list &&
	csv_matches models model list &&
	csv_matches deployments deploy list &&
	csv_matches frameworks catalog list &&
	csv_matches assessments assess list &&
	csv_matches users user list &&
	csv_matches versions isms versions &&
	csv_matches crosswalks map list &&
	csv_matches categories risk categories &&
	csv_matches obligations aiact obligations credit-score &&
	csv_matches library risk library list &&
	csv_matches tokens token list --user alice
'

test_expect_success 'nested members: objects as NAME.MEMBER columns, lists joined with "; "' '
	aims_db risk list --csv >r.csv &&
	head -n1 r.csv >h &&
	test_grep "inherent.likelihood,inherent.impact,inherent.score" h &&
	test_grep "acceptance.accepted_by" h &&
	aims_db eval list --csv >e.csv &&
	test_grep ",A.6.2.4; A.6.2.6," e.csv
'

test_expect_success '--csv of the ledger log' '
	aims_db ledger log --json | jq ".entries | length" >n &&
	aims_db ledger log --csv >log.csv &&
	test "$(($(cat n) + 1))" = "$(/usr/bin/python3 -c "import csv; print(len(list(csv.reader(open(\"log.csv\", newline=\"\")))))")" &&
	head -n1 log.csv >h && test_grep "^index,time,actor,action,object_type,object_id,new_digest,prev_digest,pruned" h
'

test_expect_success '--csv of decision logs and the decision list' '
	aims_db decision list --csv >d.csv &&
	printf "system\r\ncredit-score\r\n" >want &&
	test_cmp want d.csv &&
	aims_db decision log --system credit-score --csv --limit 3 >dl.csv &&
	test "$(wc -l <dl.csv)" = 4 &&
	head -n1 dl.csv >h && test_grep "record.input_digest" h
'

test_expect_success 'the API answers ?format=csv with the same bytes (text/csv)' '
	serve_store &&
	curl -sf -D hdr -H "Authorization: Bearer $(cat "$TEST_DIR/.token-alice")" \
		"http://127.0.0.1:$(cat port)/api/v1/risks?format=csv" >api.csv &&
	test_grep -i "^content-type: text/csv" hdr &&
	aims_db risk list --csv >cli.csv &&
	test_cmp cli.csv api.csv &&
	aims_as alice --server "http://127.0.0.1:$(cat port)" system list --csv >remote.csv &&
	aims_db system list --csv >local.csv &&
	test_cmp local.csv remote.csv
'

test_expect_success 'CycloneDX 1.6 ML-BOM of the AI system validates, with the recorded digests' '
	aims_db system bom credit-score --out bom.json >out.txt &&
	test_grep "^wrote bom.json \(CycloneDX 1.6 ML-BOM\)$" out.txt &&
	for f in bom-1.6 spdx jsf-0.82; do gzip -dc "$AIMS_SRC/tests/data/cyclonedx/$f.schema.json.gz" >$f.schema.json; done &&
	"$AJV" validate --spec=draft7 --strict=false -c ajv-formats --errors=text -s bom-1.6.schema.json \
		-r spdx.schema.json -r jsf-0.82.schema.json -d bom.json >ajv.out 2>&1 &&
	test_grep "bom.json valid" ajv.out &&
	jq "del(.components[0].type)" bom.json >bad.json &&
	! "$AJV" validate --spec=draft7 --strict=false -c ajv-formats -s bom-1.6.schema.json \
		-r spdx.schema.json -r jsf-0.82.schema.json -d bad.json >/dev/null 2>&1 &&
	aims_db model show credit-risk@7 --json >m.json &&
	test_json bom.json ".metadata.component.name == \"credit-score\" and .specVersion == \"1.6\"" &&
	test_json bom.json "[.components[] | select(.type == \"machine-learning-model\")][0] | .\"bom-ref\" == \"model:credit-risk@7\" and .hashes[0].content == $(jq ".digest[7:]" m.json)" &&
	test_json bom.json "[.components[] | select(.type == \"machine-learning-model\")][0].modelCard.modelParameters.datasets[0].ref | startswith(\"dataset:\")" &&
	test_json bom.json "[.components[] | select(.type == \"data\")][0].hashes[0].content == \"$(sha256sum "$TEST_DIR/demo-data/apps.csv" | cut -d" " -f1)\"" &&
	test_json bom.json ".dependencies[0] == {\"ref\": \"system:credit-score\", \"dependsOn\": [\"model:credit-risk@7\"]}" &&
	aims_db system bom credit-score >again.json &&
	jq -S . bom.json >a && jq -S . again.json >b && test_cmp a b &&
	expect_exit 5 aims_db system bom ghost
'

have_chromium() {
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ||
		command -v google-chrome >/dev/null 2>&1
}

if have_chromium; then
	test_expect_success '--pdf of HTML reports (headless Chromium)' '
		aims_db risk report --system credit-score --pdf risk.pdf >out.txt &&
		test_grep "^wrote risk.pdf$" out.txt &&
		test "$(head -c 5 risk.pdf)" = "%PDF-" &&
		aims_db soa --pdf soa.pdf >/dev/null &&
		test "$(head -c 5 soa.pdf)" = "%PDF-" &&
		aims_db gap --html gap.html --pdf gap.pdf >/dev/null &&
		test -s gap.html && test "$(head -c 5 gap.pdf)" = "%PDF-"
	'
else
	test_count=$((test_count + 1))
	echo "ok $test_count # skip --pdf of HTML reports: no chromium installed"
fi

test_expect_success '--pdf without Chromium: a clear error, exit 6' '
	AIMS_CHROMIUM=/nonexistent expect_exit 6 aims_db risk report --system credit-score --pdf x.pdf &&
	test_grep "needs headless Chromium" err &&
	test ! -e x.pdf
'

done_testing
