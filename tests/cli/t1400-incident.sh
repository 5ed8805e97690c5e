#!/bin/bash
# t1400-incident: AI incidents and their EU AI Act reporting clocks (issue 16).
# With a fixed clock (the test clock's AIMS_TEST_NOW): a serious incident's
# report is due 15 days after awareness (Art. 73(2)), 10 days where a death
# may have been caused (Art. 73(4)), 2 days for a widespread infringement or
# a disruption of critical infrastructure (Art. 73(3)); a provider reports to
# the market surveillance authority, a deployer to the provider and then the
# authority (Art. 26(5)). The clock's view (open, overdue, met, met-late),
# `list --overdue`, closing refused before the reports, the system's risks
# and impact assessment marked for review, an incident opening a
# nonconformity, permissions, bad input naming the field, the ledger and its
# state check.

. "$(dirname "$0")/test-lib.sh"

# the test clock as account NAME (or as the OS user with NAME "-"): at TIME ARGS...
at() {
	local when=$1 who=$2
	shift 2
	if [ "$who" = - ]; then
		AIMS_TEST_NOW=$when "$AIMS_TESTCLOCK" --db "$TEST_DB" "$@"
	else
		AIMS_TOKEN=$(cat "$TEST_DIR/.token-$who") AIMS_TEST_NOW=$when "$AIMS_TESTCLOCK" --db "$TEST_DB" "$@"
	fi
}

AWARE=2026-03-02T09:30:00Z

test_expect_success 'setup: accounts, a system where we are provider, one where we are deployer, risks, an assessment' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	test_account cm compliance-manager && test_account ro risk-owner && test_account ml ml-engineer &&
	test_account aud auditor &&
	aims_db system add credit-score --purpose "score consumer credit applications" --intended-use "support loan officers" \
		--owner "Head of Credit" --role provider >/dev/null &&
	aims_db system add cv-screen --purpose "rank job applications" --intended-use "shortlist candidates" \
		--owner "Head of HR" --role deployer >/dev/null &&
	aims_as cm risk library add credit-score --owner ro >/dev/null &&
	cat >answers.yaml <<-EOF &&
	intended_use: Score consumer credit applications to support a loan officer.
	affected_groups:
	  - group: loan applicants
	benefits: [faster decisions]
	harms:
	  - harm: an applicant is refused credit because of a biased score
	    level: individual
	    affected: loan applicants
	    severity: high
	    reversibility: partially-reversible
	misuse: [marketing]
	mitigations: [a loan officer reviews every refusal]
	human_oversight: A loan officer confirms or overrides every refusal.
	EOF
	aims_as cm assess impact credit-score --answers answers.yaml >/dev/null
'

test_expect_success 'a serious incident (Art. 73(2)): report due 15 days after awareness, to the authority' '
	at 2026-03-03T10:00:00Z ml incident open credit-score --title "Refusals doubled for applicants over 60" \
		--harm fundamental-rights --severity high --serious --awareness $AWARE \
		--affected-groups "loan applicants over 60" --isms-control A.5.24 --json >i1.json &&
	test_json i1.json ".id == \"INC-001\" and .serious and .serious_case == \"default\" and
		.article == \"Art. 73(2)\" and .report_days == 15 and .awareness == \"$AWARE\" and
		.deadline == \"2026-03-17T09:30:00Z\" and .role == \"provider\" and
		.required_reports == [\"market-surveillance-authority\"] and .status == \"open\" and
		.opened_by == \"ml\" and .isms_controls == [\"A.5.24\"] and .deadline_state == \"open\" and
		.hours_left == 335"
'

test_expect_success 'death (Art. 73(4)): 10 days; widespread and critical infrastructure (Art. 73(3)): 2 days' '
	at 2026-03-03T10:00:00Z ml incident open credit-score --title "t2" --harm health --severity critical --serious \
		--serious-case death --awareness $AWARE --json >i2.json &&
	test_json i2.json ".deadline == \"2026-03-12T09:30:00Z\" and .article == \"Art. 73(4)\" and .report_days == 10" &&
	at 2026-03-03T10:00:00Z ml incident open credit-score --title "t3" --harm fundamental-rights --severity critical \
		--serious --serious-case widespread --awareness $AWARE --json >i3.json &&
	test_json i3.json ".deadline == \"2026-03-04T09:30:00Z\" and .article == \"Art. 73(3)\" and .report_days == 2" &&
	at 2026-03-03T10:00:00Z ml incident open credit-score --title "t4" --harm critical-infrastructure \
		--severity critical --serious --serious-case critical-infrastructure --awareness $AWARE --json >i4.json &&
	test_json i4.json ".deadline == \"2026-03-04T09:30:00Z\" and (.article | test(\"3\\\\(49\\\\)\\\\(b\\\\)\"))"
'

test_expect_success 'a deployer informs the provider, then the authority (Art. 26(5)); not serious: no clock' '
	at 2026-03-03T10:00:00Z ml incident open cv-screen --title "Ranking ignored a qualification" \
		--harm fundamental-rights --severity medium --serious --awareness $AWARE --json >d.json &&
	test_json d.json ".id == \"INC-005\" and .role == \"deployer\" and
		.required_reports == [\"provider\", \"market-surveillance-authority\"]" &&
	at 2026-03-03T10:00:00Z ml incident open cv-screen --title "Slow responses" --harm other --severity low \
		--json >n.json &&
	test_json n.json ".serious == false and .deadline == null and .deadline_state == null and .required_reports == []" &&
	at 2026-03-03T10:00:00Z ml incident open cv-screen --title "override role" --harm other --severity low \
		--serious --role provider --json >o.json &&
	test_json o.json ".required_reports == [\"market-surveillance-authority\"]"
'

test_expect_success 'the clock: overdue after the deadline, --overdue lists exactly those' '
	at 2026-03-05T00:00:00Z - incident list --overdue --json >od.json &&
	test_json od.json "[.incidents[].id] == [\"INC-004\", \"INC-003\"]" &&
	at 2026-03-20T00:00:00Z - incident list --overdue --json >od2.json &&
	test_json od2.json "[.incidents[].id] == [\"INC-007\", \"INC-005\", \"INC-004\", \"INC-003\", \"INC-002\", \"INC-001\"]" &&
	at 2026-03-20T00:00:00Z - incident list --overdue >od.txt &&
	test_grep "^INC-001 .*2026-03-17T09:30:00Z \(overdue\)" od.txt &&
	at 2026-03-20T00:00:00Z - incident show INC-001 --json >s.json &&
	test_json s.json ".deadline_state == \"overdue\" and .hours_left == null"
'

test_expect_success 'closing a serious incident before its report is refused, naming the recipient' '
	expect_exit 3 at 2026-03-05T00:00:00Z cm incident close INC-001 --note "resolved" &&
	test_grep "incident INC-001: a serious incident closes only after its report to market-surveillance-authority" err &&
	at 2026-03-05T00:00:00Z - incident show INC-001 --json >s.json && test_json s.json ".status == \"open\""
'

test_expect_success 'a report in time meets the deadline; a late one is met-late; then the incident closes' '
	at 2026-03-06T12:00:00Z cm incident report INC-001 --to market-surveillance-authority \
		--name "BaFin market surveillance" --channel portal --reference "MSA-2026-0042" --json >r.json &&
	test_json r.json ".status == \"reported\" and .deadline_state == \"met\" and
		.reports[0].sent_at == \"2026-03-06T12:00:00Z\" and .reports[0].recorded_by == \"cm\" and
		.reports[0].reference == \"MSA-2026-0042\" and .reports[0].kind == \"complete\"" &&
	at 2026-03-20T00:00:00Z cm incident report INC-002 --to market-surveillance-authority --json >r2.json &&
	test_json r2.json ".deadline_state == \"met-late\"" &&
	at 2026-03-07T00:00:00Z cm incident close INC-001 --note "model retrained; see NC" --json >c.json &&
	test_json c.json ".status == \"closed\" and .closed_by == \"cm\" and .closure == \"model retrained; see NC\"" &&
	expect_exit 3 at 2026-03-07T00:00:00Z cm incident update INC-001 --note "more" &&
	test_grep "incident INC-001: closed" err
'

test_expect_success 'a deployer needs both reports; an initial report counts (Art. 73(5))' '
	at 2026-03-03T11:00:00Z cm incident report INC-005 --to provider --name "Vendor AG" --json >p.json &&
	test_json p.json ".status == \"open\" and .deadline_state == \"open\"" &&
	at 2026-03-03T12:00:00Z cm incident report INC-005 --to market-surveillance-authority --kind initial --json >p2.json &&
	test_json p2.json ".status == \"reported\" and .deadline_state == \"met\" and .reports[1].kind == \"initial\""
'

test_expect_success 'not serious: closes with a note, no report needed' '
	at 2026-03-04T00:00:00Z ml incident close INC-006 --note "capacity added" --json >c.json &&
	test_json c.json ".status == \"closed\""
'

test_expect_success 'the system'"'"'s risks and its impact assessment are marked for review' '
	test_json i1.json "[.marked_for_review[] | select(.type == \"impact-assessment\") | .id] == [\"IA-001\"] and
		([.marked_for_review[] | select(.type == \"risk\")] | length) > 3" &&
	test_json d.json ".marked_for_review == []" &&
	test "$(test_sql "$TEST_DB" "SELECT COUNT(*) FROM review_marks WHERE source = '"'"'incident:INC-001'"'"'")" -gt 3
'

test_expect_success 'an incident opens its nonconformity, linked both ways' '
	at 2026-03-07T00:00:00Z cm incident nc INC-002 --requirement A.8.4 --owner ro --due 2026-04-30 --json >nc.json &&
	test_json nc.json ".id == \"NC-001\" and .source == \"incident\" and .source_ref == \"INC-002\" and
		.system == \"credit-score\" and .owner == \"ro\" and .requirement == \"A.8.4\" and .actions == []" &&
	at 2026-03-07T00:00:00Z - incident show INC-002 --json >s.json &&
	test_json s.json ".nonconformities == [\"NC-001\"]"
'

test_expect_success 'permissions: an auditor reads but does not record; an ML engineer does not report' '
	expect_exit 7 aims_as aud incident open credit-score --title x --harm other --severity low &&
	test_grep "incident.manage" err &&
	expect_exit 7 aims_as ml incident report INC-003 --to provider &&
	test_grep "incident.report" err &&
	aims_as aud incident list --json >l.json && test_json l.json ".incidents | length == 7"
'

test_expect_success 'bad input names the field and records nothing' '
	before=$(test_store_fingerprint "$TEST_DB") &&
	expect_exit 5 aims_as ml incident open nosuch --title x --harm other --severity low &&
	test_grep "nosuch" err &&
	expect_exit 3 aims_as ml incident open credit-score --title x --harm cosmic --severity low &&
	test_grep "harm" err &&
	expect_exit 3 aims_as ml incident open credit-score --title x --harm other --severity low --awareness yesterday &&
	test_grep "awareness .yesterday.: expected an RFC 3339 time" err &&
	expect_exit 3 at 2026-03-03T10:00:00Z ml incident open credit-score --title x --harm other --severity low \
		--awareness 2026-04-01T00:00:00Z &&
	test_grep "awareness .*in the future" err &&
	expect_exit 3 aims_as ml incident open credit-score --title x --harm other --severity low --serious-case death &&
	test_grep "serious_case .death.: only for a serious incident" err &&
	expect_exit 3 aims_as ml incident open credit-score --title x --harm other --severity low --isms-control A.99.1 &&
	test_grep "isms_controls .A.99.1.: not a clause or control of iso27001-2022" err &&
	expect_exit 5 aims_as ml incident open credit-score --title x --harm other --severity low --model ghost@9 &&
	expect_exit 3 aims_as ml incident open credit-score --title "two
lines" --harm other --severity low &&
	test_grep "title" err &&
	expect_exit 3 at 2026-03-03T10:00:00Z cm incident report INC-003 --to market-surveillance-authority \
		--sent-at 2026-03-01T00:00:00Z &&
	test_grep "sent_at 2026-03-01T00:00:00Z: before the incident.s awareness time" err &&
	expect_exit 5 aims_as cm incident show INC-099 &&
	test_grep "incident INC-099: not found" err &&
	test "$(test_store_fingerprint "$TEST_DB")" = "$before"
'

test_expect_success 'every write is in the ledger, which verifies; a changed incident is found by the state check' '
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_id == \"INC-001\") | .action] == [\"open\", \"report\", \"close\"]" &&
	test_json log.json "[.entries[] | select(.object_type == \"nonconformity\")] | length == 1" &&
	aims_db ledger verify >v.txt &&
	test_sql "$TEST_DB" "UPDATE pdca_records SET body = replace(body, '"'"'\"severity\":\"high\"'"'"', '"'"'\"severity\":\"low\"'"'"') WHERE id = '"'"'INC-001'"'"'" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "INC-001" out
'

test_expect_success 'the API: open an incident and read it back as the CLI does' '
	rm -f port &&
	{ "$AIMS" --db "$TEST_DB" serve --listen 127.0.0.1:0 --port-file port 2>serve.err & } &&
	server_pid=$! &&
	for _ in $(seq 200); do test -s port && break; sleep 0.05; done &&
	tok=$(cat "$TEST_DIR/.token-ml") &&
	curl -s -o api.json -w "%{http_code}" -H "Authorization: Bearer $tok" -H "Content-Type: application/json" \
		-d "{\"title\":\"over HTTP\",\"harm\":\"other\",\"severity\":\"low\"}" \
		"http://127.0.0.1:$(cat port)/api/v1/systems/credit-score/incidents" >code &&
	test "$(cat code)" = 201 &&
	test_json api.json ".id == \"INC-008\" and .opened_by == \"ml\"" &&
	curl -s -o bad.json -w "%{http_code}" -H "Authorization: Bearer $tok" -H "Content-Type: application/json" \
		-d "{\"title\":\"x\",\"harm\":\"other\",\"severity\":\"huge\"}" \
		"http://127.0.0.1:$(cat port)/api/v1/systems/credit-score/incidents" >code &&
	test "$(cat code)" = 400 && test_grep "severity" bad.json &&
	aims_as ml incident show INC-008 --json >cli.json &&
	curl -sf -H "Authorization: Bearer $tok" "http://127.0.0.1:$(cat port)/api/v1/incidents/INC-008" >get.json &&
	test "$(jq -S "del(.hours_left)" get.json)" = "$(jq -S "del(.hours_left)" cli.json)";
	rc=$?; kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null; test $rc = 0
'

done_testing
