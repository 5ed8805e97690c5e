#!/bin/bash
# t1490-objective: AI objectives (ISO/IEC 42001 6.2; issue 16) with KPIs
# computed from the store, targets and trends, with a fixed clock: overdue
# corrective actions, open nonconformities, serious incidents reported in
# time, evaluations recorded, and a rate with nothing to count; bad input
# names the field.

. "$(dirname "$0")/test-lib.sh"

at() {
	local when=$1 who=$2
	shift 2
	AIMS_TOKEN=$(cat "$TEST_DIR/.token-$who") AIMS_TEST_NOW=$when "$AIMS_TESTCLOCK" --db "$TEST_DB" "$@"
}

printf 'label,pred,group\n1,1,a\n0,1,b\n1,0,a\n0,0,b\n1,1,b\n0,0,a\n' >"$TEST_DIR/ev.csv"

test_expect_success 'setup: objectives, and a quarter of records' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	test_account cm compliance-manager && test_account ml ml-engineer &&
	aims_db system add credit --purpose "credit scoring" --owner risk --role provider >/dev/null &&
	at 2026-01-02T00:00:00Z cm objective add --title "No corrective action overdue" --kpi overdue-actions \
		--target "<= 0" --every month --json >o1.json &&
	test_json o1.json ".id == \"OBJ-001\" and .target == {\"op\": \"<=\", \"value\": 0} and .every == \"month\" and .owner == \"cm\"" &&
	at 2026-01-02T00:00:00Z cm objective add --title "Serious incidents reported in time" \
		--kpi incidents-reported-in-time --target ">= 1" --system credit >/dev/null &&
	at 2026-01-02T00:00:00Z cm objective add --title "At most one open nonconformity" --kpi open-nonconformities \
		--target "<= 1" --every month >/dev/null &&
	at 2026-01-02T00:00:00Z cm objective add --title "Evaluate every month" --kpi evaluations-recorded \
		--target ">= 1" --every month >/dev/null &&
	at 2026-01-02T00:00:00Z cm objective add --title "Few overrides" --kpi override-rate --target "<= 0.1" \
		--every month >/dev/null &&
	at 2026-03-05T00:00:00Z cm nc open --title "Drift unmonitored" --source monitoring >/dev/null &&
	at 2026-03-05T00:00:00Z cm nc action add NC-001 --description "monthly plan" --owner ml --due 2026-03-20 >/dev/null &&
	at 2026-03-10T00:00:00Z ml incident open credit --title "Refusals doubled" --harm fundamental-rights \
		--severity high --serious --awareness 2026-03-10T00:00:00Z >/dev/null &&
	at 2026-03-12T00:00:00Z cm incident report INC-001 --to market-surveillance-authority >/dev/null &&
	at 2026-04-02T00:00:00Z ml eval fairness --data "$TEST_DIR/ev.csv" --label label --pred pred --group group \
		--system credit --record >/dev/null
'

test_expect_success 'March: each KPI computed from the store against its target' '
	at 2026-04-15T00:00:00Z cm objective status --period 2026-03 --json >m.json &&
	test_json m.json "[.objectives[] | {id, value, met}] == [
		{\"id\": \"OBJ-005\", \"value\": null, \"met\": null},
		{\"id\": \"OBJ-004\", \"value\": 0, \"met\": false},
		{\"id\": \"OBJ-003\", \"value\": 1, \"met\": true},
		{\"id\": \"OBJ-002\", \"value\": 1, \"met\": true},
		{\"id\": \"OBJ-001\", \"value\": 1, \"met\": false}]" &&
	test_json m.json "[.objectives[] | select(.id == \"OBJ-002\") | .trend[].period] == [\"2026-03\", \"2025-Q4\", \"2025-Q3\", \"2025-Q2\"]"
'

test_expect_success 'the current periods and the trend' '
	at 2026-04-15T00:00:00Z cm objective status --json >c.json &&
	test_json c.json "[.objectives[] | select(.id == \"OBJ-001\") | .trend[] | [.period, .value]] ==
		[[\"2026-04\", 1], [\"2026-03\", 1], [\"2026-02\", 0], [\"2026-01\", 0]]" &&
	test_json c.json "[.objectives[] | select(.id == \"OBJ-004\") | .value, .met] == [1, true]" &&
	test_json c.json "[.objectives[] | select(.id == \"OBJ-002\") | .trend[0].period] == [\"2026-Q2\"]" &&
	at 2026-04-15T00:00:00Z cm objective status >c.txt &&
	test_grep "^OBJ-001 +overdue-actions +<= 0 +1 +NO +2026-01 0, 2026-02 0, 2026-03 1, 2026-04 1 +No corrective action overdue" c.txt &&
	test_grep "^OBJ-005 +override-rate +<= 0.1 +no data +- " c.txt
'

test_expect_success 'the management review pack lists the objectives of the period' '
	at 2026-04-15T00:00:00Z cm review-pack --period 2026-03 --json >p.json &&
	test_json p.json "[.objectives[] | {id, target, value, met}] | map(select(.id == \"OBJ-001\")) ==
		[{\"id\": \"OBJ-001\", \"target\": \"<= 0\", \"value\": 1, \"met\": false}]"
'

test_expect_success 'bad input names the field; permissions; the ledger' '
	expect_exit 3 aims_as cm objective add --title x --kpi happiness --target ">= 1" &&
	test_grep "kpi" err &&
	expect_exit 3 aims_as cm objective add --title x --kpi drift-alerts --target "about 2" &&
	test_grep "target .about 2.: expected an operator and a number" err &&
	expect_exit 3 aims_as cm objective add --title x --kpi drift-alerts --target "<= 2" --every week &&
	expect_exit 5 aims_as cm objective add --title x --kpi drift-alerts --target "<= 2" --system nosuch &&
	expect_exit 3 aims_as cm objective status --period 2026-13 &&
	test_grep "period" err &&
	expect_exit 7 aims_as ml objective add --title x --kpi drift-alerts --target "<= 2" &&
	test_grep "objective.manage" err &&
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"objective\")] | length == 5"
'

done_testing
