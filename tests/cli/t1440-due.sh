#!/bin/bash
# t1440-due: `aims due` lists what is due or overdue across the modules
# (issue 16), with a fixed clock: a document past its review date, a risk
# above tolerance awaiting treatment, risks an incident marked for review, a
# serious incident's report, a nonconformity and its corrective action, a
# planned audit, a monitoring run not yet run; dated items first, overdue
# ones flagged; --for keeps one owner's, --within leaves out later ones.

. "$(dirname "$0")/test-lib.sh"

at() {
	local when=$1 who=$2
	shift 2
	AIMS_TOKEN=$(cat "$TEST_DIR/.token-$who") AIMS_TEST_NOW=$when "$AIMS_TESTCLOCK" --db "$TEST_DB" "$@"
}

NOW=2026-06-10T12:00:00Z

test_expect_success 'setup: a store with something due in every module' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	test_account cm compliance-manager && test_account ro risk-owner && test_account board risk-owner &&
	test_account ml ml-engineer && test_account aud auditor &&
	aims_db system add credit --purpose "credit scoring" --intended-use "support loan officers" --owner risk \
		--role provider >/dev/null &&
	at 2025-01-01T00:00:00Z cm doc new --template ai-policy --owner cm --id ai-policy >/dev/null &&
	at 2025-01-02T00:00:00Z cm doc submit ai-policy >/dev/null &&
	at 2025-01-03T00:00:00Z board doc approve ai-policy >/dev/null &&
	at 2026-06-01T00:00:00Z cm risk add credit --title "Biased refusals" --category bias-fairness --owner ro \
		--likelihood 5 --impact 5 >/dev/null &&
	at 2026-06-05T00:00:00Z ml incident open credit --title "Refusals doubled" --harm fundamental-rights \
		--severity high --serious --awareness 2026-06-05T00:00:00Z >/dev/null &&
	at 2026-06-05T00:00:00Z cm nc open --title "No drift monitoring" --source internal-audit --owner ro \
		--due 2026-06-30 >/dev/null &&
	at 2026-06-05T00:00:00Z cm nc action add NC-001 --description "monthly drift plan" --owner ml \
		--due 2026-06-08 >/dev/null &&
	at 2026-06-05T00:00:00Z cm audit plan --title "Monitoring" --period 2026-Q3 --auditor aud --requirement 9.1 \
		--planned 2026-07-01 >/dev/null &&
	at 2026-05-01T00:00:00Z ml monitor plan add credit-monthly --system credit --every month \
		--ref-since 2026-01-01T00:00:00Z --ref-until 2026-02-01T00:00:00Z --owner ml >/dev/null
'

test_expect_success 'everything due, dated first by date, overdue flagged' '
	at $NOW cm due --json >d.json &&
	test_json d.json ".today == \"2026-06-10\" and .until == \"2026-07-10\"" &&
	test_json d.json "[.items[] | select(.due != null) | .id] ==
		[\"ai-policy\", \"credit-monthly/2026-05\", \"CA-001\", \"INC-001\", \"NC-001\", \"AUD-001\"]" &&
	test_json d.json "[.items[] | select(.overdue) | .id] == [\"ai-policy\", \"credit-monthly/2026-05\", \"CA-001\"]" &&
	test_json d.json "[.items[] | select(.module == \"risk\") | .owner] == [\"ro\"]" &&
	test_json d.json "[.items[] | select(.module == \"incident\") | .due] == [\"2026-06-20T00:00:00Z\"]" &&
	test_json d.json "[.items[] | select(.module == \"corrective-action\") | .what] == [\"corrective action of NC-001: monthly drift plan\"]" &&
	at $NOW cm due >d.txt &&
	test_grep "^2026-06-08 +OVERDUE +corrective action of NC-001: monthly drift plan +CA-001 +ml$" d.txt
'

test_expect_success 'the risk the incident marked for review is listed for its owner' '
	test_json d.json "[.items[] | select(.what | startswith(\"review (incident INC-001\")) | .owner] == [\"ro\"]"
'

test_expect_success '--for keeps one owner'"'"'s items; --within leaves out later ones' '
	at $NOW cm due --for ml --json >m.json &&
	test_json m.json "[.items[].id] == [\"credit-monthly/2026-05\", \"CA-001\", \"INC-001\"]" &&
	at $NOW cm due --within 5 --json >w.json &&
	test_json w.json "[.items[] | select(.due != null) | .id] == [\"ai-policy\", \"credit-monthly/2026-05\", \"CA-001\"]" &&
	at $NOW cm due --for nobody >n.txt &&
	test_grep "^nothing due until 2026-07-10$" n.txt &&
	expect_exit 3 at $NOW cm due --within 9999 &&
	test_grep "within" err
'

test_expect_success 'done items leave the list' '
	at 2026-06-11T00:00:00Z cm incident report INC-001 --to market-surveillance-authority >/dev/null &&
	at 2026-06-11T00:00:00Z ml nc action done CA-001 --note "plan added" >/dev/null &&
	at 2026-06-11T00:00:00Z cm due --json >d2.json &&
	test_json d2.json "[.items[] | select(.module == \"incident\")] == []" &&
	test_json d2.json "[.items[] | select(.id == \"CA-001\") | .what] == [\"effectiveness review of corrective action of NC-001: monthly drift plan\"]"
'

done_testing
