#!/bin/bash
# t1410-nc: nonconformities and corrective actions (ISO/IEC 42001 10.2,
# issue 16). A nonconformity is opened against a requirement of the loaded
# catalog, analysed for its root cause, given corrective actions with owner
# and due date; an action is done by its owner and reviewed for
# effectiveness by another account: a corrective action cannot close without
# an effectiveness review that found it effective, a nonconformity cannot
# close while an action is open. Overdue actions by the clock, permissions,
# bad input naming the field, the ledger.

. "$(dirname "$0")/test-lib.sh"

at() {
	local when=$1 who=$2
	shift 2
	AIMS_TOKEN=$(cat "$TEST_DIR/.token-$who") AIMS_TEST_NOW=$when "$AIMS_TESTCLOCK" --db "$TEST_DB" "$@"
}

test_expect_success 'setup: accounts and a system' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	test_account cm compliance-manager && test_account ro risk-owner && test_account ml ml-engineer &&
	test_account aud auditor &&
	aims_db system add credit-score --purpose "score consumer credit applications" --intended-use "support loan officers" \
		--owner "Head of Credit" --role provider >/dev/null
'

test_expect_success 'a nonconformity against ISO/IEC 42001 9.1, owned by another account' '
	at 2026-04-01T09:00:00Z cm nc open --title "Drift of the credit score was not monitored in March" \
		--source internal-audit --source-ref AUD-001/F-002 --requirement 9.1 --system credit-score \
		--owner ro --due 2026-05-31 --evidence "evaluation:EVAL-0001" --json >nc.json &&
	test_json nc.json ".id == \"NC-001\" and .status == \"open\" and .source == \"internal-audit\" and
		.requirement == \"9.1\" and .owner == \"ro\" and .opened_by == \"cm\" and .due == \"2026-05-31\" and
		.root_cause == null and .actions == []" &&
	at 2026-04-01T09:00:00Z cm nc show NC-001 >nc.txt &&
	test_grep "^requirement: ISO/IEC 42001 9.1$" nc.txt
'

test_expect_success 'closing without a root cause or without actions is refused' '
	expect_exit 3 at 2026-04-02T00:00:00Z cm nc close NC-001 --note done &&
	test_grep "NC-001: no root cause recorded" err &&
	at 2026-04-02T00:00:00Z ro nc analyse NC-001 --root-cause "the monitoring job lost its schedule after a migration" \
		--json >a.json &&
	test_json a.json ".status == \"analysed\" and .root_cause.by == \"ro\"" &&
	expect_exit 3 at 2026-04-02T00:00:00Z cm nc close NC-001 --note done &&
	test_grep "NC-001: no corrective action" err
'

test_expect_success 'corrective actions with owner and due date; overdue by the clock' '
	at 2026-04-02T00:00:00Z ro nc action add NC-001 --description "schedule drift evaluation monthly with an alert" \
		--owner ml --due 2026-04-30 --json >ca1.json &&
	test_json ca1.json ".id == \"CA-001\" and .nonconformity == \"NC-001\" and .owner == \"ml\" and
		.status == \"open\" and .overdue == false" &&
	at 2026-04-02T00:00:00Z ro nc action add NC-001 --description "review monitoring plans quarterly" \
		--owner cm --due 2026-06-30 --json >ca2.json &&
	test_json ca2.json ".id == \"CA-002\" and .owner == \"cm\" and .added_by == \"ro\"" &&
	at 2026-05-02T00:00:00Z aud nc actions --overdue --json >od.json &&
	test_json od.json "[.actions[].id] == [\"CA-001\"] and .actions[0].overdue" &&
	at 2026-05-02T00:00:00Z aud nc list --json >l.json &&
	test_json l.json ".nonconformities[0].actions_total == 2 and .nonconformities[0].actions_open == 2"
'

test_expect_success 'an action closes only after an effectiveness review found it effective' '
	expect_exit 3 at 2026-04-10T00:00:00Z ro nc action close CA-001 &&
	test_grep "CA-001: open; an action closes only after an effectiveness review found it effective" err &&
	expect_exit 3 at 2026-04-10T00:00:00Z ro nc action review CA-001 --result effective --note early &&
	test_grep "effectiveness review follows the owner.s report that it is done" err &&
	at 2026-04-10T00:00:00Z ml nc action done CA-001 --note "monthly job with alerting in place" --json >d.json &&
	test_json d.json ".status == \"done\" and .done.by == \"ml\"" &&
	expect_exit 3 at 2026-04-10T00:00:00Z ro nc action close CA-001 &&
	test_grep "CA-001: done; an action closes only after" err
'

test_expect_success 'the owner may not review their own action (four eyes); nor may a role without nc.review' '
	at 2026-04-11T00:00:00Z ro nc action done CA-002 --note "added to the quarterly calendar" >/dev/null &&
	expect_exit 7 at 2026-04-11T00:00:00Z cm nc action review CA-002 --result effective --note "it works" &&
	test_grep "corrective action CA-002: cm owns it and may not review its own action" err &&
	expect_exit 7 at 2026-04-11T00:00:00Z ml nc action review CA-001 --result effective --note x &&
	test_grep "nc.review" err
'

test_expect_success 'not effective: the action is open again, the review kept; effective: it closes' '
	at 2026-04-12T00:00:00Z ro nc action review CA-001 --result not-effective \
		--note "the April run did not alert on a breach" --json >r1.json &&
	test_json r1.json ".status == \"open\" and .done == null and .review.result == \"not-effective\" and .review.by == \"ro\"" &&
	at 2026-04-20T00:00:00Z ml nc action done CA-001 --note "alert routing fixed" >/dev/null &&
	at 2026-04-28T00:00:00Z ro nc action review CA-001 --result effective --note "April and a test breach alerted" \
		--evidence "evaluation:EVAL-0009" --json >r2.json &&
	test_json r2.json ".status == \"effective\" and .previous_reviews[0].result == \"not-effective\" and
		.review.evidence == \"evaluation:EVAL-0009\"" &&
	at 2026-04-28T00:00:00Z ro nc action close CA-001 --json >c.json &&
	test_json c.json ".status == \"closed\" and .closed_by == \"ro\""
'

test_expect_success 'a nonconformity closes only when every action is closed' '
	expect_exit 3 at 2026-04-29T00:00:00Z cm nc close NC-001 --note "done" &&
	test_grep "corrective action CA-002 is done" err &&
	at 2026-04-29T00:00:00Z ro nc action review CA-002 --result effective --note "calendar entry seen" >/dev/null &&
	at 2026-04-29T00:00:00Z ro nc action close CA-002 >/dev/null &&
	at 2026-04-30T00:00:00Z cm nc close NC-001 --note "both actions effective" --json >cl.json &&
	test_json cl.json ".status == \"closed\" and (.actions | map(.status) == [\"closed\", \"closed\"])" &&
	expect_exit 3 at 2026-04-30T00:00:00Z ro nc action add NC-001 --description more --due 2026-06-01 &&
	test_grep "NC-001: closed" err
'

test_expect_success 'permissions: an auditor reads but does not write; an ML engineer does not review' '
	expect_exit 7 aims_as aud nc open --title x --source other &&
	test_grep "nc.manage" err &&
	expect_exit 7 aims_as aud nc action review CA-001 --result effective --note x &&
	test_grep "nc.review" err &&
	aims_as ml nc open --title "second" --source monitoring --json >n2.json &&
	test_json n2.json ".id == \"NC-002\" and .owner == \"ml\"" &&
	aims_as ml nc action add NC-002 --description y --due 2026-12-31 >/dev/null &&
	aims_as ml nc action done CA-003 --note z >/dev/null &&
	expect_exit 7 aims_as ml nc action review CA-003 --result effective --note w &&
	test_grep "nc.review" err
'

test_expect_success 'bad input names the field and records nothing' '
	before=$(test_store_fingerprint "$TEST_DB") &&
	expect_exit 3 aims_as cm nc open --title x --source gossip &&
	test_grep "source" err &&
	expect_exit 3 aims_as cm nc open --title x --source other --requirement 99.9 &&
	test_grep "requirement .99.9.: not a clause or control of iso42001-2023" err &&
	expect_exit 5 aims_as cm nc open --title x --source other --system nosuch &&
	expect_exit 3 aims_as cm nc open --title x --source other --owner nobody &&
	test_grep "nobody" err &&
	expect_exit 3 aims_as cm nc open --title x --source other --due 2026-02-30 &&
	test_grep "due" err &&
	expect_exit 2 aims_as cm nc action add NC-002 --description y &&
	test_grep "missing --due" err &&
	expect_exit 3 aims_as cm nc action review CA-003 --result maybe --note w &&
	test_grep "result" err &&
	expect_exit 5 aims_as cm nc show NC-404 &&
	test_grep "nonconformity NC-404: not found" err &&
	test "$(test_store_fingerprint "$TEST_DB")" = "$before"
'

test_expect_success 'every step is in the ledger; lists as CSV' '
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_id == \"CA-001\") | .action] ==
		[\"add\", \"done\", \"review\", \"done\", \"review\", \"close\"]" &&
	test_json log.json "[.entries[] | select(.object_id == \"NC-001\") | .action] == [\"open\", \"analyse\", \"close\"]" &&
	aims_db ledger verify >/dev/null &&
	aims_as aud nc list --csv >l.csv &&
	head -n1 l.csv >h && test_grep "^id,title,closed_at,closed_by,closure,description,due,evidence,opened_at" h &&
	test "$(wc -l <l.csv)" = 3
'

done_testing
