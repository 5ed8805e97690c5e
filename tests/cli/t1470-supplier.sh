#!/bin/bash
# t1470-supplier: the supplier register (ISO/IEC 42001 A.10; issue 16): what
# a supplier provides to which system and model, the responsibilities
# allocated between the organization and the supplier (A.10.2), assessments
# with the next one due (in `aims due`), bad input naming the field, the
# ledger.

. "$(dirname "$0")/test-lib.sh"

at() {
	local when=$1 who=$2
	shift 2
	AIMS_TOKEN=$(cat "$TEST_DIR/.token-$who") AIMS_TEST_NOW=$when "$AIMS_TESTCLOCK" --db "$TEST_DB" "$@"
}

test_expect_success 'setup: accounts, a system and a model' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	test_account cm compliance-manager && test_account ml ml-engineer &&
	aims_db system add credit --purpose "credit scoring" --owner risk >/dev/null &&
	echo weights >w.bin && aims_db model register scorer@3 --file w.bin >/dev/null
'

test_expect_success 'a supplier with what it provides, to which system and model, and who is responsible for what' '
	at 2026-02-01T00:00:00Z cm supplier add "ScoreVendor GmbH" --provides model --provides service --system credit \
		--model scorer@3 --ours "monitoring of drift in production" --theirs "retraining on request" \
		--theirs "documentation of training data" --contact "support@scorevendor.example" \
		--next-assessment 2026-03-01 --json >s.json &&
	test_json s.json ".id == \"SUP-001\" and .title == \"ScoreVendor GmbH\" and .provides == [\"model\", \"service\"] and
		.systems == [\"credit\"] and .models == [\"scorer@3\"] and
		.responsibilities.organization == [\"monitoring of drift in production\"] and
		(.responsibilities.supplier | length) == 2 and .due == \"2026-03-01\" and .added_by == \"cm\""
'

test_expect_success 'its assessment is due, then recorded with the next one' '
	at 2026-03-05T00:00:00Z cm due --json >d.json &&
	test_json d.json "[.items[] | select(.module == \"supplier\") | {id, overdue}] == [{\"id\": \"SUP-001\", \"overdue\": true}]" &&
	at 2026-03-06T00:00:00Z cm supplier assess SUP-001 --result conditional --note "no drift reports yet" \
		--next 2026-09-01 --json >a.json &&
	test_json a.json ".last_result == \"conditional\" and .due == \"2026-09-01\" and .assessments[0].by == \"cm\"" &&
	at 2026-03-06T00:00:00Z cm due --json >d2.json &&
	test_json d2.json "[.items[] | select(.module == \"supplier\")] == []" &&
	at 2026-03-06T00:00:00Z cm supplier list >l.txt &&
	test_grep "^SUP-001 +ScoreVendor GmbH +model,service +conditional +2026-09-01" l.txt
'

test_expect_success 'bad input names the field; permissions; the ledger' '
	before=$(test_store_fingerprint "$TEST_DB") &&
	expect_exit 3 aims_as cm supplier add "ScoreVendor GmbH" --provides model &&
	test_grep "registered already as SUP-001" err &&
	expect_exit 3 aims_as cm supplier add X --provides hardware &&
	test_grep "provides .hardware." err &&
	expect_exit 5 aims_as cm supplier add X --provides model --model ghost@1 &&
	expect_exit 5 aims_as cm supplier add X --provides model --system nosuch &&
	expect_exit 3 aims_as cm supplier assess SUP-001 --result fine --note x &&
	test_grep "result" err &&
	expect_exit 3 at 2026-03-06T00:00:00Z cm supplier assess SUP-001 --result acceptable --note x --next 2026-01-01 &&
	test_grep "next 2026-01-01: the next assessment lies in the future" err &&
	expect_exit 7 aims_as ml supplier add Y --provides data &&
	test_grep "supplier.manage" err &&
	test "$(test_store_fingerprint "$TEST_DB")" = "$before" &&
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_id == \"SUP-001\") | .action] == [\"add\", \"assess\"]" &&
	aims_db ledger verify >/dev/null
'

done_testing
