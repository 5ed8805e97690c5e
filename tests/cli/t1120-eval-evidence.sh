#!/bin/bash
# t1120-eval-evidence: evaluations over an AI system's decision log
# (--system with --since/--until), stored as evidence (--record): ids, the
# controls, inputs' digests, the audit entry, `aims eval list|show`, refusal
# for an unknown system with nothing stored; and the HTML reports.

. "$(dirname "$0")/test-lib.sh"

# the evaluations read a decision log, and decision logs are files beside a SQLite store (their

export AIMS_ACTOR=alice
COLS="--label output.label --pred output.pred --score confidence"

test_expect_success 'setup: store, ledger key, AI system, 400 decisions over 4 days' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	"$AIMS" ledger keygen --name example.com/aims --out "$TEST_DIR/k.key" >/dev/null 2>&1 &&
	aims_db ledger setup --key "$TEST_DIR/k.key" >/dev/null &&
	aims_db system add credit --purpose "credit scoring" >/dev/null &&
	echo "scorer 1.0" >scorer.bin && aims_db model register scorer@1.0 --file scorer.bin >/dev/null &&
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
	AIMS_TEST_NOW=2026-03-01T00:00:00Z "$AIMS_TESTCLOCK" --db "$TEST_DB" decision ingest --system credit d.ndjson >/dev/null
'

test_expect_success 'fairness over the decision log equals the same records read from a file' '
	aims_db eval fairness --json --system credit $COLS --group output.group >log.json &&
	aims_db eval fairness --json --data d.ndjson $COLS --group output.group >file.json &&
	test_json log.json ".input.name == \"decisions:credit\" and .input.rows_read == 400 and .input.format == \"ndjson\"" &&
	jq -S ".sensitive" log.json >a && jq -S ".sensitive" file.json >b && test_cmp a b
'

test_expect_success '--since/--until select a window of the log' '
	aims_db eval performance --json --system credit $COLS --since 2026-03-02T00:00:00Z \
		--until 2026-03-04T00:00:00+00:00 >win.json &&
	test_json win.json ".input.rows_read == 200" &&
	sed -n "101,300p" d.ndjson >win.ndjson &&
	aims_db eval performance --json --data win.ndjson $COLS >wfile.json &&
	jq -S "del(.input, .params)" win.json >a && jq -S "del(.input, .params)" wfile.json >b && test_cmp a b &&
	expect_exit 3 aims_db eval performance --system credit $COLS --since yesterday &&
	test_grep "not an RFC 3339" err &&
	expect_exit 5 aims_db eval performance --system credit $COLS --since 2030-01-01T00:00:00Z &&
	expect_exit 5 aims_db eval performance --system nosuch $COLS
'

test_expect_success '--record stores the result as evidence with an audit entry' '
	aims_db eval fairness --system credit $COLS --group output.group --record >rec.txt &&
	test_grep "recorded EVAL-0001 for AI system .credit. \(controls A.6.2.4 A.6.2.6\)" rec.txt &&
	aims_db eval performance --json --data d.ndjson $COLS --system credit --record >rec.json &&
	test_json rec.json ".evaluation_id == \"EVAL-0002\"" &&
	aims_db eval list --json >list.json &&
	test_json list.json "[.evaluations[].id] == [\"EVAL-0001\", \"EVAL-0002\"]" &&
	test_json list.json ".evaluations[0] | has(\"id\", \"system\", \"kind\", \"recorded_at\", \"controls\", \"summary\", \"tool_version\", \"digest\")" &&
	test_json list.json ".evaluations[0].controls == [\"A.6.2.4\", \"A.6.2.6\"] and .evaluations[0].kind == \"fairness\"" &&
	test_json list.json ".evaluations[1].summary | test(\"^n 400, accuracy\")" &&
	aims_db eval list --kind performance --json >l2.json &&
	test_json l2.json "[.evaluations[].id] == [\"EVAL-0002\"]" &&
	aims_db eval list >list.txt && test_grep "EVAL-0001 +credit +fairness" list.txt &&
	aims_db eval show EVAL-0002 --json >show.json &&
	test_json show.json ".inputs == [{\"name\": \"d.ndjson\", \"sha256\": (\"sha256:\" + \"$(sha256sum d.ndjson | cut -c1-64)\"), \"rows\": 400}]" &&
	test_json show.json ".results.roc_auc == $(jq .roc_auc rec.json) and .params.score == \"confidence\"" &&
	test_json show.json ".tool_version | startswith(\"aims \")" &&
	aims_db eval show EVAL-0001 >show.txt && test_grep "input decisions:credit: 400 rows, sha256:" show.txt &&
	aims_db ledger log >ledger.txt && test_grep "record +evaluation +EVAL-0002" ledger.txt
'

test_expect_success 'record refusals: unknown system (nothing stored), unknown id' '
	aims_db decision ingest --system other d.ndjson >/dev/null 2>&1 || true &&
	expect_exit 5 aims_db eval performance --data d.ndjson $COLS --system ghost --record &&
	test_grep "ghost" err &&
	aims_db eval list --json >list.json && test_json list.json ".evaluations | length == 2" &&
	expect_exit 5 aims_db eval show EVAL-0099 &&
	test_grep "EVAL-0099" err
'

test_expect_success 'pruned decision records are left out and counted as skipped' '
	AIMS_TEST_NOW=2026-09-02T00:00:00Z "$AIMS_TESTCLOCK" --db "$TEST_DB" decision prune --system credit --days 183 >/dev/null &&
	aims_db eval performance --json --system credit $COLS >pruned.json &&
	test_json pruned.json ".input.rows_read == 200 and .input.rows_skipped == 200 and .input.rows_used == 200" &&
	sed -n "201,400p" d.ndjson >late.ndjson &&
	aims_db eval performance --json --data late.ndjson $COLS >late.json &&
	jq -S "del(.input, .params)" pruned.json >a && jq -S "del(.input, .params)" late.json >b && test_cmp a b
'

test_expect_success 'HTML reports: self-contained, charts drawn, four-fifths band, ROC and calibration' '
	aims_db eval fairness --system credit $COLS --group output.group --html fair.html >/dev/null &&
	test_grep "<svg" fair.html && test_grep "four-fifths band 0.8" fair.html &&
	test_grep "demographic_parity_difference" fair.html &&
	test_grep_not "<script" fair.html && test_grep_not "(src|href)=.https?:" fair.html &&
	aims_db eval performance --data d.ndjson $COLS --html perf.html >/dev/null &&
	test_grep "aria-label=\"ROC curve\"" perf.html && test_grep "aria-label=\"calibration curve\"" perf.html &&
	test_grep "<polyline" perf.html && test_grep_not "<script" perf.html &&
	aims_db eval show EVAL-0001 --html stored.html >/dev/null &&
	test_grep "Fairness evaluation" stored.html
'

done_testing
