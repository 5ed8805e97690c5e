#!/bin/bash
# t1460-concern: concerns and reports of adverse impact (ISO/IEC 42001 A.3.3,
# A.8.3; issue 16). Accounts submit; triage and close with an outcome, a
# concern opening a nonconformity; without an account only when the
# organization turned public intake on, through the API's public path and
# the web form, rate-limited per address, the answer naming only the new id;
# bad input names the field; the ledger has every step.

. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup: accounts and a system' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	test_account cm compliance-manager && test_account ro risk-owner && test_account ml ml-engineer &&
	test_account aud auditor &&
	aims_db system add credit --purpose "credit scoring" --intended-use "support loan officers" --owner risk \
		--role provider >/dev/null
'

test_expect_success 'an account submits; triage; close opening a nonconformity' '
	aims_as ml concern submit --summary "Applicants over 60 refused more often" --system credit \
		--details "seen in the March decisions" --json >c.json &&
	test_json c.json ".id == \"CON-001\" and .status == \"new\" and .submitted_by == \"ml\" and .kind == \"concern\"" &&
	expect_exit 3 aims_as cm concern close CON-001 --outcome x &&
	test_grep "CON-001: not triaged yet" err &&
	aims_as cm concern triage CON-001 --category bias-fairness --severity high --owner ro --json >t.json &&
	test_json t.json ".status == \"triaged\" and .owner == \"ro\" and .triaged_by == \"cm\"" &&
	aims_as ro concern close CON-001 --outcome "confirmed; fairness evaluation added" --nonconformity --json >cl.json &&
	test_json cl.json ".status == \"closed\" and .nonconformity == \"NC-001\" and .outcome.by == \"ro\"" &&
	aims_as cm nc show NC-001 --json >nc.json &&
	test_json nc.json ".source == \"concern\" and .source_ref == \"CON-001\" and .system == \"credit\" and .owner == \"ro\"" &&
	expect_exit 3 aims_as cm concern triage CON-001 --category other --severity low &&
	test_grep "CON-001: closed" err
'

test_expect_success 'without an account: refused until the organization allows it, then rate-limited' '
	rm -f port &&
	{ "$AIMS" --db "$TEST_DB" serve --listen 127.0.0.1:0 --port-file port 2>serve.err & } &&
	server_pid=$! &&
	for _ in $(seq 200); do test -s port && break; sleep 0.05; done &&
	url="http://127.0.0.1:$(cat port)" &&
	code=$(curl -s -o r0.json -w "%{http_code}" -H "Content-Type: application/json" -d "{\"summary\":\"hello\"}" \
		"$url/api/v1/public/concerns") &&
	test "$code" = 401 && test_grep "not enabled public intake" r0.json &&
	expect_exit 7 aims_as ml concern intake on &&
	aims_as cm concern intake on >on.txt &&
	test_grep "accepted \(rate-limited\)" on.txt &&
	code=$(curl -s -o r1.json -w "%{http_code}" -H "Content-Type: application/json" \
		-d "{\"summary\":\"The chatbot told me my loan was refused because of my age\",\"kind\":\"adverse-impact\"}" \
		"$url/api/v1/public/concerns") &&
	test "$code" = 201 &&
	test_json r1.json "keys == [\"id\", \"status\", \"submitted_at\"] and .id == \"CON-002\"" &&
	code=$(curl -s -o f.html -w "%{http_code}" --data-urlencode "summary=Form works" --data-urlencode "details=" \
		"$url/concern") &&
	test "$code" = 201 && test_grep "id=\"concern-id\">CON-003<" f.html &&
	for i in 1 2 3; do
		curl -s -o /dev/null -H "Content-Type: application/json" -d "{\"summary\":\"again\"}" \
			"$url/api/v1/public/concerns" || exit 1
	done &&
	code=$(curl -s -o r6.json -w "%{http_code}" -H "Content-Type: application/json" -d "{\"summary\":\"sixth\"}" \
		"$url/api/v1/public/concerns") &&
	test "$code" = 429 && test_grep "too many concerns" r6.json &&
	code=$(curl -s -o big.json -w "%{http_code}" -H "Content-Type: application/json" \
		-d "{\"summary\":\"x\",\"details\":\"$(head -c 5000 /dev/zero | tr "\0" a)\"}" "$url/api/v1/public/concerns") &&
	test "$code" = 400 && test_grep "details: at most 4000 bytes" big.json;
	rc=$?; kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null; test $rc = 0
'

test_expect_success 'the register: anonymous submissions say so; lists and shows' '
	aims_as aud concern show CON-002 --json >s.json &&
	test_json s.json ".submitted_by == \"anonymous\" and .kind == \"adverse-impact\"" &&
	aims_as aud concern list --status new --json >l.json &&
	test_json l.json "[.concerns[].id] == [\"CON-006\", \"CON-005\", \"CON-004\", \"CON-003\", \"CON-002\"]" &&
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_id == \"CON-001\") | .action] == [\"submit\", \"triage\", \"close\"]" &&
	test_json log.json "[.entries[] | select(.object_id == \"CON-002\") | .actor] == [\"unknown\"]" &&
	aims_db ledger verify >/dev/null
'

test_expect_success 'bad input names the field and records nothing' '
	before=$(test_store_fingerprint "$TEST_DB") &&
	expect_exit 3 aims_as ml concern submit --summary "two
lines" &&
	test_grep "summary" err &&
	expect_exit 3 aims_as ml concern submit --summary x --details "$(head -c 4100 /dev/zero | tr "\0" a)" &&
	test_grep "details: at most 4000 bytes" err &&
	expect_exit 5 aims_as ml concern submit --summary x --system nosuch &&
	expect_exit 3 aims_as cm concern triage CON-002 --category gossip --severity low &&
	test_grep "category .gossip." err &&
	expect_exit 3 aims_as cm concern triage CON-002 --category other --severity low --owner nobody &&
	expect_exit 5 aims_as cm concern show CON-404 &&
	test "$(test_store_fingerprint "$TEST_DB")" = "$before"
'

done_testing
