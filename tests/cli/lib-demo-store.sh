# lib-demo-store.sh: a store like the demo's (make demo) for the tests of the
# auditor's interfaces (OSCAL, evidence packs): sourced after test-lib.sh.
#
#   demo_store    fill $TEST_DB: organization, signed ledger (key in $TEST_DIR/ledger.key,
#                 verifier key in $TEST_DIR/ledger.vkey), the ISMS state of examples/isms-soa.csv,
#                 two SoA decisions (A.10.4 excluded, A.7.5 partial), accounts alice
#                 (compliance-manager) and bob (risk-owner), AI system credit-score with a
#                 dataset, a model and a deployment, its decision log (SQLite only), the EU AI Act
#                 classification, an approved impact assessment, the library's risks with one
#                 treated and one accepted, and two recorded evaluations (fairness, performance)
#
#   demo_oversight  after demo_store: the records of lifecycle gates, human review and Check and Act,
#                 as `make demo` makes them: accounts ml (ml-engineer) and aud (auditor), the policy of
#                 examples/policy-credit-score.yaml, model credit-risk@8, gate checks GC-000001
#                 (validation, refused) and GC-000002 (approved, passed: no conditions), on SQLite the
#                 decisions of examples/decisions-credit-score-review.ndjson (selected for review, one
#                 reviewed, recorded as review metrics OVR-0001), incident INC-001, nonconformity NC-001
#                 (9.1, owned by bob, due 2026-01-31) with corrective action CA-001 (due 2026-01-15), and
#                 internal audit AUD-001 planned
#
#   serve_store   serve $TEST_DB on a free loopback port for the rest of the calling test (port in
#                 ./port; the server is stopped when the test's shell exits)
#
# shellcheck shell=bash

serve_store() {
	rm -f port
	"$AIMS" --db "$TEST_DB" serve --listen 127.0.0.1:0 --port-file port 2>serve.err &
	server_pid=$!
	trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null' EXIT
	for _ in $(seq 200); do
		test -s port && return 0
		sleep 0.05
	done
	echo "aims serve did not start:" >&2
	cat serve.err >&2
	return 1
}

demo_store() {
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	"$AIMS" ledger keygen --name northwind.example/aims --out "$TEST_DIR/ledger.key" >/dev/null 2>&1 &&
	aims_db ledger setup --key "$TEST_DIR/ledger.key" >"$TEST_DIR/ledger.setup" &&
	tail -n 1 "$TEST_DIR/ledger.setup" >"$TEST_DIR/ledger.vkey" &&
	aims_db isms import "$AIMS_SRC/examples/isms-soa.csv" >/dev/null &&
	aims_db soa set A.10.4 --applicable no \
		--justification "No AI system is offered to customers; all AI use is internal" >/dev/null &&
	aims_db soa set A.7.5 --applicable yes --status partial --owner "Head of Data" \
		--justification "Credit models are trained on lending records whose origin must be traceable" >/dev/null &&
	test_account alice compliance-manager &&
	test_account bob risk-owner &&
	aims_db system add credit-score --purpose "score consumer credit applications" \
		--intended-use "support loan officers deciding consumer loans" \
		--misuse "automated refusal without a loan officer's review" --owner "Head of Credit" \
		--lifecycle operating --role both --oversight human-in-the-loop \
		--affected-groups "consumer loan applicants" >/dev/null &&
	mkdir -p "$TEST_DIR/demo-data" "$TEST_DIR/demo-model" &&
	printf 'applicant_id,income\nA-1,2480.00\nA-2,3125.50\n' >"$TEST_DIR/demo-data/apps.csv" &&
	printf 'weights 7\n' >"$TEST_DIR/demo-model/weights.bin" &&
	aims_db dataset register applications@2026-02 --file "$TEST_DIR/demo-data/apps.csv" \
		--source "loan application export" --personal-data yes >/dev/null &&
	aims_db model register credit-risk@7 --dir "$TEST_DIR/demo-model" --framework "scikit-learn 1.2" \
		--description "gradient-boosted credit-risk score" --trained-on applications@2026-02 >/dev/null &&
	aims_db deploy record credit-score --model credit-risk@7 --env production \
		--at 2026-03-02T09:00:00Z >/dev/null &&
	aims_db decision ingest --system credit-score "$AIMS_SRC/examples/decisions-credit-score.ndjson" >/dev/null &&
	aims_db aiact classify credit-score --answers "$AIMS_SRC/examples/aiact-credit-score.yaml" >/dev/null &&
	aims_as alice assess impact credit-score --answers "$AIMS_SRC/examples/impact-credit-score.yaml" >/dev/null &&
	aims_as bob assess approve IA-001 >/dev/null &&
	aims_as alice risk library add credit-score --owner bob >/dev/null &&
	aims_as alice risk treat RISK-001 --option modify \
		--action "A.7.4: rebalance and document the training data by group" \
		--action "A.6.2.4: fairness tests before each release" --residual-likelihood 2 --residual-impact 4 >/dev/null &&
	aims_as bob risk accept RISK-005 --note "officer review of every refusal" >/dev/null &&
	/usr/bin/python3 -c "
import json, random
r = random.Random(7)
for i in range(200):
    g = \"a\" if r.random() < 0.6 else \"b\"
    label = int(r.random() < (0.6 if g == \"a\" else 0.4))
    score = round(min(max(r.gauss(0.65 if label else 0.35, 0.2), 0), 1), 6)
    print(json.dumps({\"label\": label, \"pred\": int(score >= 0.5), \"score\": score, \"group\": g}))
" >"$TEST_DIR/demo-eval.ndjson" &&
	aims_db eval fairness --data "$TEST_DIR/demo-eval.ndjson" --label label --pred pred --score score \
		--group group --system credit-score --record >/dev/null &&
	aims_db eval performance --data "$TEST_DIR/demo-eval.ndjson" --label label --pred pred --score score \
		--system credit-score --record >/dev/null
}

demo_oversight() {
	test_account ml ml-engineer && test_account aud auditor && test_account rev reviewer &&
	aims_as alice policy set "$AIMS_SRC/examples/policy-credit-score.yaml" >/dev/null &&
	printf 'weights 8\n' >"$TEST_DIR/demo-model/weights8.bin" &&
	aims_db model register credit-risk@8 --file "$TEST_DIR/demo-model/weights8.bin" >/dev/null &&
	{ aims_as ml gate check credit-score --model credit-risk@8 --to validation >/dev/null; test $? = 1; } &&
	aims_as ml gate check credit-score --model credit-risk@8 --to approved >/dev/null &&
	aims_db decision ingest --system credit-score "$AIMS_SRC/examples/decisions-credit-score-review.ndjson" \
		>/dev/null &&
	aims_as rev review accept "$(aims_as rev review next --json | jq -r .item.id)" >/dev/null &&
	aims_as alice review report credit-score >/dev/null &&
	aims_as alice incident open credit-score --title "Applicants over 60 refused twice as often" \
		--harm fundamental-rights --severity high >/dev/null &&
	aims_as alice nc open --title "Drift of the credit score was not monitored" --source internal-audit \
		--requirement 9.1 --system credit-score --owner bob --due 2026-01-31 >/dev/null &&
	aims_as bob nc action add NC-001 --description "schedule a monthly drift evaluation with an alert" \
		--owner bob --due 2026-01-15 >/dev/null &&
	aims_as alice audit plan --title "AI monitoring" --period 2026-Q4 --auditor aud --requirement 9.1 >/dev/null
}
