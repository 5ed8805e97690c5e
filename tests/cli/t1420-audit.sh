#!/bin/bash
# t1420-audit: internal audits (ISO/IEC 42001 9.2, issue 16). An audit has a
# scope of clauses and AI systems and an auditor with the auditor role who
# owns nothing in the scope; only that auditor samples governed records and
# records findings; a nonconformity finding becomes a nonconformity with
# the audit finding as its source; the audit closes with a summary. Bad
# input names the field; everything is in the ledger.

. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup: accounts, a system with risks owned by a risk owner and by one auditor' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	test_account cm compliance-manager && test_account ro risk-owner && test_account aud auditor &&
	test_account aud2 auditor && test_account ml ml-engineer &&
	aims_db system add credit-score --purpose "score consumer credit applications" --intended-use "support loan officers" \
		--owner "Head of Credit" --role provider >/dev/null &&
	aims_as cm risk library add credit-score --owner ro >/dev/null &&
	aims_as cm risk add credit-score --title "Drift unnoticed" --category data-drift --owner aud2 --likelihood 2 \
		--impact 3 >/dev/null
'

test_expect_success 'an auditor who owns a record in scope is refused (independence)' '
	expect_exit 7 aims_as cm audit plan --title "AI monitoring, Q2" --period 2026-Q2 --auditor aud2 \
		--requirement 9.1 --system credit-score &&
	test_grep "auditor aud2 owns records in the audit.s scope \(RISK-0[0-9]*\)" err &&
	expect_exit 3 aims_as cm audit plan --title x --period 2026-Q2 --auditor ro --requirement 9.1 &&
	test_grep "auditor .ro.: an active account with the auditor role is needed" err
'

test_expect_success 'an independent auditor: planned with its scope' '
	aims_as cm audit plan --title "AI monitoring, Q2" --period 2026-Q2 --auditor aud --requirement 9.1 \
		--requirement A.6.2.6 --system credit-score --planned 2026-06-15 --json >a.json &&
	test_json a.json ".id == \"AUD-001\" and .status == \"planned\" and .auditor == \"aud\" and
		.scope_requirements == [\"9.1\", \"A.6.2.6\"] and .scope_systems == [\"credit-score\"] and .opened_by == \"cm\""
'

test_expect_success 'only its auditor samples records and records findings' '
	expect_exit 7 aims_as aud2 audit sample AUD-001 --record risk:RISK-001 &&
	test_grep "audit AUD-001: only its auditor aud samples records and records findings, not aud2" err &&
	aims_as aud audit sample AUD-001 --record risk:RISK-001 --note "treatment plan read" --json >s.json &&
	test_json s.json ".status == \"in-progress\" and .sample[0].record == \"risk:RISK-001\"" &&
	aims_as aud audit sample AUD-001 --record ai-system:credit-score >/dev/null
'

test_expect_success 'a nonconformity finding becomes a nonconformity' '
	aims_as aud audit finding AUD-001 --kind conformity --requirement A.6.2.6 \
		--text "risk treatment plans are reviewed" --record risk:RISK-001 >/dev/null &&
	aims_as aud audit finding AUD-001 --kind nonconformity --requirement 9.1 \
		--text "no drift evaluation of credit-score in April or May" --owner ro --due 2026-07-31 --json >f.json &&
	test_json f.json ".findings[1].id == \"F-002\" and .findings[1].nonconformity == \"NC-001\"" &&
	aims_as cm nc show NC-001 --json >nc.json &&
	test_json nc.json ".source == \"internal-audit\" and .source_ref == \"AUD-001/F-002\" and .requirement == \"9.1\" and
		.system == \"credit-score\" and .owner == \"ro\" and .due == \"2026-07-31\" and
		.description == \"no drift evaluation of credit-score in April or May\" and .opened_by == \"aud\""
'

test_expect_success 'closing: a summary, then no more changes; the report lists everything' '
	aims_as aud audit close AUD-001 --summary "monitoring of drift to be restored; NC-001 raised" --json >c.json &&
	test_json c.json ".status == \"closed\" and .closed_by == \"aud\" and (.findings | length) == 2" &&
	expect_exit 3 aims_as aud audit finding AUD-001 --kind observation --text late &&
	test_grep "audit AUD-001: closed" err &&
	aims_as cm audit show AUD-001 >r.txt &&
	test_grep "^finding F-002: nonconformity of 9.1: no drift evaluation .* -> NC-001$" r.txt &&
	test_grep "^sampled:  risk:RISK-001: treatment plan read$" r.txt &&
	aims_as cm audit list >l.txt && test_grep "^AUD-001 +2026-Q2 +closed +aud +2 " l.txt
'

test_expect_success 'the audit report: JSON with counts and the nonconformities now, and one HTML page' '
	aims_as ro nc analyse NC-001 --root-cause "the drift job lost its schedule" >/dev/null &&
	aims_as ro audit report AUD-001 --json >rep.json &&
	test_json rep.json ".id == \"AUD-001\" and .status == \"closed\" and
		.counts == {\"conformity\": 1, \"observation\": 0, \"nonconformity\": 1} and
		.nonconformities == [{\"id\": \"NC-001\", \"finding\": \"F-002\", \"title\": \"Audit AUD-001 finding F-002: 9.1\",
			\"status\": \"analysed\", \"owner\": \"ro\", \"due\": \"2026-07-31\"}] and
		(.sample | length) == 2" &&
	aims_as ro audit report AUD-001 >rep.txt &&
	test_grep "^nonconformity NC-001 \\(finding F-002\\): analysed, owner ro, due 2026-07-31$" rep.txt &&
	aims_as ro audit report AUD-001 --html rep.html &&
	for h in "Sampled records" "Findings" "Nonconformities raised and their status" "Conclusion"; do
		test_grep "<h2>[0-9.]* $h</h2>" rep.html || exit 1; done &&
	test_grep "<td>risk:RISK-001</td><td>treatment plan read</td>" rep.html &&
	test_grep "<p>1 conformities, 0 observations, 1 nonconformities.</p>" rep.html &&
	test_grep "<td>NC-001</td><td>F-002</td>.*<td>analysed</td>" rep.html &&
	test_grep "monitoring of drift to be restored; NC-001 raised" rep.html &&
	test_grep "<tr><th>AI systems in scope</th><td>credit-score</td></tr>" rep.html &&
	expect_exit 5 aims_as ro audit report AUD-404 --html none.html &&
	test_grep "AUD-404" err && test ! -e none.html &&
	expect_exit 6 aims_as ro audit report AUD-001 --html nodir/rep.html &&
	test_grep "cannot write .nodir/rep.html." err &&
	test ! -e nodir
'

test_expect_success 'bad input names the field and records nothing' '
	before=$(test_store_fingerprint "$TEST_DB") &&
	expect_exit 3 aims_as cm audit plan --title x --period Q2 --auditor aud &&
	test_grep "scope: name at least one requirement" err &&
	expect_exit 3 aims_as cm audit plan --title x --period Q2 --auditor aud --requirement 11.9 &&
	test_grep "requirement .11.9.: not a clause or control of iso42001-2023" err &&
	expect_exit 5 aims_as cm audit plan --title x --period Q2 --auditor aud --system nosuch &&
	expect_exit 5 aims_as cm audit plan --title x --period Q2 --auditor ghost --requirement 9.1 &&
	expect_exit 7 aims_as ml audit plan --title x --period Q2 --auditor aud --requirement 9.1 &&
	test_grep "audit.manage" err &&
	aims_as cm audit plan --title y --period Q3 --auditor aud --requirement 9.2 >/dev/null &&
	after_plan=$(test_store_fingerprint "$TEST_DB") &&
	expect_exit 5 aims_as aud audit sample AUD-002 --record risk:RISK-999 &&
	test_grep "record risk:RISK-999: no such governed object" err &&
	expect_exit 3 aims_as aud audit sample AUD-002 --record RISK-001 &&
	test_grep "record .RISK-001.: expected TYPE:ID" err &&
	expect_exit 3 aims_as aud audit finding AUD-002 --kind good --text x &&
	test_grep "kind" err &&
	expect_exit 3 aims_as aud audit finding AUD-002 --kind observation --text x --owner ro &&
	test_grep "owner: only for a finding of kind nonconformity" err &&
	expect_exit 3 aims_as aud audit close AUD-002 --summary "nothing" &&
	test_grep "AUD-002: no findings recorded" err &&
	test "$(test_store_fingerprint "$TEST_DB")" = "$after_plan" &&
	test "$before" != "$after_plan"
'

test_expect_success 'the ledger has every step, and verifies' '
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_id == \"AUD-001\") | .action] ==
		[\"plan\", \"sample\", \"sample\", \"finding\", \"finding\", \"close\"]" &&
	aims_db ledger verify >/dev/null
'

done_testing
