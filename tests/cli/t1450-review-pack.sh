#!/bin/bash
# t1450-review-pack: the management review pack (ISO/IEC 42001 9.3; issue
# 16). With a fixed clock, a quarter's worth of records in every module;
# the pack for that quarter shows each 9.3.2 input computed from the store
# (previous review records and actions, changes to the organization and to
# the AI systems from the ledger, monitoring runs and evaluations,
# nonconformities and corrective actions, audit results, incidents, key
# figures, risk status, opportunities), and an input with nothing in the
# period says so; the review's decisions are recorded as a controlled
# document approved by another account.

. "$(dirname "$0")/test-lib.sh"

at() {
	local when=$1 who=$2
	shift 2
	AIMS_TOKEN=$(cat "$TEST_DIR/.token-$who") AIMS_TEST_NOW=$when "$AIMS_TESTCLOCK" --db "$TEST_DB" "$@"
}

printf 'label,pred,group\n' >"$TEST_DIR/ev.csv"
for i in $(seq 1 40); do
	printf '%d,%d,%s\n' $((i % 2)) $(((i / 2) % 2)) $([ $((i % 3)) = 0 ] && echo a || echo b) >>"$TEST_DIR/ev.csv"
done

test_expect_success 'setup: Q1 review recorded and approved; a quarter of records in every module (Q2)' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	test_account cm compliance-manager && test_account board risk-owner && test_account ro risk-owner &&
	test_account ml ml-engineer && test_account aud auditor &&
	aims_db system add credit --purpose "credit scoring" --intended-use "support loan officers" --owner risk \
		--role provider >/dev/null &&
	printf "Restore drift monitoring.\n" >q1.md &&
	at 2026-03-30T00:00:00Z cm review-pack record --period 2026-Q1 --decisions q1.md >/dev/null &&
	at 2026-03-30T00:00:00Z cm doc submit management-review-2026-q1 >/dev/null &&
	at 2026-03-31T00:00:00Z board doc approve management-review-2026-q1 >/dev/null &&
	at 2026-04-02T00:00:00Z ml system add scoring-v2 --purpose "next scoring model" --owner risk >/dev/null &&
	at 2026-04-03T00:00:00Z ml eval fairness --data ev.csv --label label --pred pred --group group --system credit \
		--record >/dev/null &&
	at 2026-04-05T00:00:00Z ml monitor plan add credit-monthly --system credit --every month \
		--ref-since 2026-01-01T00:00:00Z --ref-until 2026-02-01T00:00:00Z >/dev/null &&
	at 2026-04-05T00:00:00Z ml monitor run >/dev/null &&
	at 2026-04-10T00:00:00Z cm nc open --title "No drift monitoring in March" --source monitoring --requirement 9.1 \
		--owner ro --due 2026-05-31 >/dev/null &&
	at 2026-04-10T00:00:00Z cm nc open --title "Open one" --source other >/dev/null &&
	at 2026-04-10T00:00:00Z cm nc action add NC-001 --description "feed the decision log" --owner ml \
		--due 2026-04-30 >/dev/null &&
	at 2026-04-20T00:00:00Z ro nc analyse NC-001 --root-cause "the service never sent its decisions" >/dev/null &&
	at 2026-04-21T00:00:00Z ml nc action done CA-001 --note "service now logs decisions" >/dev/null &&
	at 2026-04-22T00:00:00Z ro nc action review CA-001 --result effective --note "decisions arrive" >/dev/null &&
	at 2026-04-22T00:00:00Z ro nc action close CA-001 >/dev/null &&
	at 2026-04-23T00:00:00Z cm nc close NC-001 --note "fixed" >/dev/null &&
	at 2026-05-10T00:00:00Z cm audit plan --title "Monitoring" --period 2026-Q2 --auditor aud --requirement 9.1 \
		>/dev/null &&
	at 2026-05-11T00:00:00Z aud audit finding AUD-001 --kind observation --text "alerts go to one person only" >/dev/null &&
	at 2026-05-11T00:00:00Z aud audit finding AUD-001 --kind conformity --text "plans exist" >/dev/null &&
	at 2026-05-12T00:00:00Z aud audit close AUD-001 --summary "monitoring restored" >/dev/null &&
	at 2026-05-20T00:00:00Z ml incident open credit --title "Refusals doubled" --harm fundamental-rights \
		--severity high --serious --awareness 2026-05-20T00:00:00Z >/dev/null &&
	at 2026-05-22T00:00:00Z cm incident report INC-001 --to market-surveillance-authority >/dev/null &&
	at 2026-06-01T00:00:00Z cm risk add credit --title "Biased refusals" --category bias-fairness --owner ro \
		--likelihood 5 --impact 5 >/dev/null
'

test_expect_success 'the Q2 pack: every 9.3.2 input computed from the store' '
	at 2026-07-02T00:00:00Z cm review-pack --period 2026-Q2 --json >p.json &&
	test_json p.json ".since == \"2026-04-01\" and .until == \"2026-07-01\"" &&
	test_json p.json "[.previous_reviews[] | {id, status}] == [{\"id\": \"management-review-2026-q1\", \"status\": \"approved\"}]" &&
	test_json p.json "[.changes.ai_systems[] | .object_id] | index(\"scoring-v2\") != null" &&
	test_json p.json "[.changes.ai_systems[] | .object_id] | index(\"credit\") == null" &&
	test_json p.json "[.monitoring.runs[] | {id, status}] == [{\"id\": \"credit-monthly/2026-03\", \"status\": \"error\"}]" &&
	test_json p.json "[.monitoring.evaluations[] | .kind] == [\"fairness\"] and .monitoring.evaluations_by_system_and_kind == {\"credit fairness\": 1}" &&
	test_json p.json "[.nonconformities.opened[].id] == [\"NC-002\", \"NC-001\"] and [.nonconformities.open_at_end[].id] == [\"NC-002\"]" &&
	test_json p.json ".nonconformities.corrective_actions_by_status == {\"closed\": 1} and .nonconformities.corrective_actions_overdue == 0" &&
	test_json p.json ".audits == [{\"id\": \"AUD-001\", \"title\": \"Monitoring\", \"auditor\": \"aud\", \"summary\": \"monitoring restored\", \"conformities\": 1, \"observations\": 1, \"nonconformities\": 0}]" &&
	test_json p.json "[.incidents[] | {id, deadline_state}] == [{\"id\": \"INC-001\", \"deadline_state\": \"met\"}]" &&
	test_json p.json ".kpis == {\"monitoring_runs_within_thresholds\": 0, \"corrective_actions_overdue\": 0, \"serious_incidents_reported_in_time\": 1}" &&
	test_json p.json ".risks.total == 1 and .risks.above_tolerance == 1" &&
	test_json p.json "[.opportunities[] | .kind] == [\"nonconformity closed\", \"audit observation\"] and .opportunities[0].root_cause == \"the service never sent its decisions\""
'

test_expect_success 'the HTML report has every input; an empty one says none was recorded' '
	at 2026-07-02T00:00:00Z cm review-pack --period 2026-Q2 --html q2.html &&
	for h in "9.3.2 a" "9.3.2 b" "9.3.2 c" "9.3.2 d" "9.3.2 e"; do test_grep "<h2>$h " q2.html || exit 1; done &&
	test_grep "INC-001" q2.html && test_grep "AUD-001" q2.html &&
	at 2026-07-02T00:00:00Z cm review-pack --period 2025 --html y.html &&
	test "$(grep -c "None recorded in the period" y.html)" -ge 8
'

test_expect_success 'the decisions are recorded as a controlled document, approved by another account' '
	printf "1. Route drift alerts to a team.\n2. Keep monthly plans.\n" >q2.md &&
	at 2026-07-03T00:00:00Z cm review-pack record --period 2026-Q2 --decisions q2.md --json >r.json &&
	test_json r.json ".document == \"management-review-2026-q2\" and (.pack_digest | startswith(\"sha256:\"))" &&
	aims_as cm doc show management-review-2026-q2 --json >d.json &&
	test_json d.json ".type == \"management-review\" and .status == \"draft\" and .owner == \"cm\"" &&
	aims_as cm doc show management-review-2026-q2 >d.txt &&
	test_grep "Route drift alerts to a team" d.txt && test_grep "incidents: 1" d.txt &&
	at 2026-07-03T00:00:00Z cm doc submit management-review-2026-q2 >/dev/null &&
	expect_exit 7 at 2026-07-03T00:00:00Z cm doc approve management-review-2026-q2 &&
	at 2026-07-04T00:00:00Z board doc approve management-review-2026-q2 >/dev/null
'

test_expect_success 'the gap analysis counts the processes operated in aims as covered (docs/gap-analysis.md)' '
	aims_db isms import "$AIMS_SRC/examples/isms-soa-young.csv" >/dev/null &&
	aims_as cm gap --json >g.json &&
	test_json g.json "[.items[] | select(.id == \"9.2.1\" or .id == \"9.2.2\") | {status, credit, credited_by}] ==
		[{\"status\": \"covered\", \"credit\": 1, \"credited_by\": \"aims\"},
		 {\"status\": \"covered\", \"credit\": 1, \"credited_by\": \"aims\"}]" &&
	test_json g.json "[.items[] | select(.id == \"9.2.1\") | .aims_evidence[]] == [\"audit:AUD-001\"]" &&
	test_json g.json "[.items[] | select(.id == \"10.2\") | .status, .aims_evidence[0]] == [\"covered\", \"nonconformity:NC-001\"]" &&
	test_json g.json "[.items[] | select(.id == \"A.8.4\") | .status, .aims_evidence[0]] == [\"covered\", \"incident:INC-001\"]" &&
	test_json g.json "[.items[] | select(.id == \"9.3.3\") | .status, .aims_evidence[0]] == [\"covered\", \"doc:management-review-2026-q1@v1\"]" &&
	test_json g.json "[.items[] | select(.id == \"9.1\") | .status] == [\"gap\"]"
'

test_expect_success 'bad input names the field' '
	expect_exit 3 aims_as cm review-pack --period 2026-Q5 &&
	test_grep "period .2026-Q5.: expected a year" err &&
	expect_exit 3 aims_as cm review-pack --period 2026-05-01..2026-04-01 &&
	expect_exit 3 aims_as cm review-pack record --period 2026-Q2 --decisions q2.md &&
	test_grep "management-review-2026-q2" err &&
	expect_exit 7 aims_as aud review-pack record --period 2026-Q3 --decisions q2.md &&
	test_grep "doc.edit" err
'

done_testing
