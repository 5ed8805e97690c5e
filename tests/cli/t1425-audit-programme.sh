#!/bin/bash
# t1425-audit-programme: audit programmes (ISO/IEC 42001 9.2.2, issue 16). A
# programme (PRG-NNN) plans the internal audits of a period; audits join it
# when planned (--programme) or afterwards (audit programme add) if their
# period lies inside the programme's; the programme shows which clauses,
# Annex A controls and AI systems its audits cover and which not, each
# audit's status and the nonconformities their findings opened. Bad input
# names the field and writes nothing; every write is in the ledger and an
# SQL edit of a programme is found by the state check.

. "$(dirname "$0")/test-lib.sh"

CATALOG=$AIMS_SRC/catalogs/iso42001-2023.json

test_expect_success 'setup: accounts and three AI systems, one retired' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	test_account cm compliance-manager && test_account ro risk-owner && test_account aud auditor &&
	test_account ml ml-engineer &&
	for s in credit-score hiring-screen chatbot; do
		aims_db system add $s --purpose "p" --intended-use "u" --owner "Head of Credit" --role provider >/dev/null ||
		exit 1; done &&
	aims_db system set chatbot --status retired >/dev/null
'

test_expect_success 'create: PRG-001 for a period, nothing covered yet' '
	aims_as cm audit programme create --period 2026-01-01..2027-01-01 --title "AIMS internal audits 2026" \
		--objective "every clause and control once a year" --frequency "each quarter" \
		--method "interviews and record sampling" --json >p.json &&
	test_json p.json ".id == \"PRG-001\" and .period == \"2026-01-01..2027-01-01\" and .since == \"2026-01-01\" and
		.until == \"2027-01-01\" and .owner == \"cm\" and .opened_by == \"cm\" and .audits == [] and
		.frequency == \"each quarter\" and .method == \"interviews and record sampling\" and
		.objective == \"every clause and control once a year\" and .audit_status == [] and .nonconformities == []" &&
	jq -r "[.requirements[] | select(.kind == \"control\") | .id]" "$CATALOG" >controls.json &&
	jq "[.requirements[] | select(.kind == \"clause\") | .id] as \$all |
		[.requirements[] | select(.kind == \"clause\") | .parent] as \$parents |
		[\$all[] | select(. as \$c | \$parents | index(\$c) | not)]" "$CATALOG" >leaves.json &&
	test "$(jq length leaves.json)" = 32 &&
	test_json p.json ".coverage.clauses == {\"covered\": [], \"uncovered\": $(jq -c . leaves.json)} and
		.coverage.controls == {\"covered\": [], \"uncovered\": $(jq -c . controls.json)} and
		.coverage.systems == {\"covered\": [], \"uncovered\": [\"credit-score\", \"hiring-screen\"]}"
'

test_expect_success 'audits join: planned into the programme, or added afterwards' '
	aims_as cm audit plan --title "Performance evaluation, Q2" --period 2026-Q2 --auditor aud --requirement 9 \
		--requirement A.6.2.6 --system credit-score --programme PRG-001 --json >a1.json &&
	test_json a1.json ".id == \"AUD-001\" and .programme == \"PRG-001\"" &&
	aims_as cm audit plan --title "Context and planning, Q3" --period 2026-07-01..2026-10-01 --auditor aud \
		--requirement 4.1 --requirement 6.1 --requirement 9.2.1 --requirement A.2 --json >a2.json &&
	test_json a2.json ".id == \"AUD-002\" and .programme == null" &&
	aims_as cm audit programme add PRG-001 AUD-002 --json >p.json &&
	test_json p.json ".audits == [\"AUD-001\", \"AUD-002\"]" &&
	aims_as cm audit show AUD-002 --json >a2.json && test_json a2.json ".programme == \"PRG-001\"" &&
	aims_as cm audit list --json >al.json &&
	test_json al.json "[.audits[] | {id, programme}] == [{\"id\": \"AUD-002\", \"programme\": \"PRG-001\"},
		{\"id\": \"AUD-001\", \"programme\": \"PRG-001\"}]"
'

test_expect_success 'coverage: what the audits scope, with what is under it; the rest is listed as not covered' '
	aims_as cm audit programme show PRG-001 --json >p.json &&
	test_json p.json ".coverage.clauses.covered == [
		{\"id\": \"4.1\", \"audits\": [\"AUD-002\"]},
		{\"id\": \"6.1.1\", \"audits\": [\"AUD-002\"]}, {\"id\": \"6.1.2\", \"audits\": [\"AUD-002\"]},
		{\"id\": \"6.1.3\", \"audits\": [\"AUD-002\"]}, {\"id\": \"6.1.4\", \"audits\": [\"AUD-002\"]},
		{\"id\": \"9.1\", \"audits\": [\"AUD-001\"]}, {\"id\": \"9.2.1\", \"audits\": [\"AUD-001\", \"AUD-002\"]},
		{\"id\": \"9.2.2\", \"audits\": [\"AUD-001\"]}, {\"id\": \"9.3.1\", \"audits\": [\"AUD-001\"]},
		{\"id\": \"9.3.2\", \"audits\": [\"AUD-001\"]}, {\"id\": \"9.3.3\", \"audits\": [\"AUD-001\"]}]" &&
	test_json p.json ".coverage.clauses.uncovered == [\"4.2\", \"4.3\", \"4.4\", \"5.1\", \"5.2\", \"5.3\", \"6.2\",
		\"6.3\", \"7.1\", \"7.2\", \"7.3\", \"7.4\", \"7.5.1\", \"7.5.2\", \"7.5.3\", \"8.1\", \"8.2\", \"8.3\", \"8.4\",
		\"10.1\", \"10.2\"]" &&
	test_json p.json ".coverage.controls.covered == [{\"id\": \"A.2.2\", \"audits\": [\"AUD-002\"]},
		{\"id\": \"A.2.3\", \"audits\": [\"AUD-002\"]}, {\"id\": \"A.2.4\", \"audits\": [\"AUD-002\"]},
		{\"id\": \"A.6.2.6\", \"audits\": [\"AUD-001\"]}]" &&
	test_json p.json ".coverage.controls.uncovered == ($(jq -c . controls.json) -
		[\"A.2.2\", \"A.2.3\", \"A.2.4\", \"A.6.2.6\"]) and (.coverage.controls.uncovered | length) == 34" &&
	test_json p.json ".coverage.systems == {\"covered\": [{\"id\": \"credit-score\", \"audits\": [\"AUD-001\"]}],
		\"uncovered\": [\"hiring-screen\"]}"
'

test_expect_success 'the audits status and the nonconformities their findings opened, with their status now' '
	aims_as aud audit finding AUD-001 --kind conformity --requirement 9.1 --text "monitoring runs monthly" >/dev/null &&
	aims_as aud audit finding AUD-001 --kind nonconformity --requirement 9.3.2 --text "no review of audit results" \
		--owner ro --due 2026-09-30 >/dev/null &&
	aims_as aud audit close AUD-001 --summary "review inputs incomplete; NC-001" >/dev/null &&
	aims_as ro nc analyse NC-001 --root-cause "the review template lacked the input" >/dev/null &&
	aims_as ro audit programme show PRG-001 --json >p.json &&
	test_json p.json "[.audit_status[] | {id, status, auditor, findings}] == [
		{\"id\": \"AUD-001\", \"status\": \"closed\", \"auditor\": \"aud\",
		 \"findings\": {\"conformity\": 1, \"observation\": 0, \"nonconformity\": 1}},
		{\"id\": \"AUD-002\", \"status\": \"planned\", \"auditor\": \"aud\",
		 \"findings\": {\"conformity\": 0, \"observation\": 0, \"nonconformity\": 0}}]" &&
	test_json p.json ".nonconformities == [{\"id\": \"NC-001\", \"audit\": \"AUD-001\", \"finding\": \"F-002\",
		\"title\": \"Audit AUD-001 finding F-002: 9.3.2\", \"status\": \"analysed\", \"owner\": \"ro\",
		\"due\": \"2026-09-30\"}]"
'

test_expect_success 'JSON keys are the documented ones' '
	test_json p.json "keys == [\"audit_status\", \"audits\", \"coverage\", \"frequency\", \"id\", \"method\",
		\"nonconformities\", \"objective\", \"opened_at\", \"opened_by\", \"owner\", \"period\", \"since\", \"status\", \"title\",
		\"until\"] and (.coverage | keys) == [\"clauses\", \"controls\", \"systems\"] and
		([.coverage[] | keys] | unique) == [[\"covered\", \"uncovered\"]] and
		(.audit_status[0] | keys) == [\"auditor\", \"closed_at\", \"findings\", \"id\", \"period\", \"planned\",
		\"status\", \"title\"] and
		(.nonconformities[0] | keys) == [\"audit\", \"due\", \"finding\", \"id\", \"owner\", \"status\", \"title\"]" &&
	aims_as ro audit programme list --json >l.json &&
	test_json l.json "(.programmes | length) == 1 and (.programmes[0] | del(.opened_at)) == ($(jq -c . p.json) |
		del(.opened_at))"
'

test_expect_success 'text output: show and list' '
	aims_as ro audit programme show PRG-001 >s.txt &&
	test_grep "^PRG-001  AIMS internal audits 2026$" s.txt &&
	test_grep "^period:    2026-01-01..2027-01-01 \(2026-01-01..2027-01-01, end exclusive\)$" s.txt &&
	test_grep "^  AUD-001  2026-Q2  closed  auditor aud  findings 1 conformity, 0 observation, 1 nonconformity" s.txt &&
	test_grep "^nonconformity NC-001 \(AUD-001/F-002\): analysed, owner ro, due 2026-09-30$" s.txt &&
	test_grep "^  clauses   11 of 32 covered$" s.txt &&
	test_grep "^    9.2.1 by AUD-001 AUD-002$" s.txt &&
	test_grep "^    not covered: 4.2 4.3 4.4 5.1 5.2 5.3 6.2 6.3 7.1 7.2 7.3 7.4 7.5.1 7.5.2 7.5.3 8.1 8.2 8.3 8.4 10.1 10.2$" s.txt &&
	test_grep "^  controls  4 of 38 covered$" s.txt &&
	test_grep "^  systems   1 of 2 covered$" s.txt &&
	test_grep "^    not covered: hiring-screen$" s.txt &&
	aims_as ro audit programme list >l.txt &&
	test_grep "^PRG-001 +2026-01-01..2027-01-01 +2 +11/32 +4/38 +1/2 +AIMS internal audits 2026$" l.txt &&
	aims_as ro audit show AUD-001 >a.txt && test_grep "^programme: PRG-001$" a.txt
'

test_expect_success 'bad input: a clear error, a non-zero exit, nothing written' '
	aims_as cm audit plan --title "Q1 2027" --period 2027-Q1 --auditor aud --requirement 5.2 >/dev/null &&
	aims_as cm audit plan --title "free text period" --period "spring" --auditor aud --requirement 5.2 >/dev/null &&
	aims_as cm audit programme create --period 2027 --title "2027" >/dev/null &&
	before=$(test_store_fingerprint "$TEST_DB") &&
	expect_exit 3 aims_as cm audit programme create --period 2026-13 --title x &&
	test_grep "period .2026-13.: expected a year \(2026\), a quarter \(2026-Q2\), a month \(2026-05\) or YYYY-MM-DD..YYYY-MM-DD" err &&
	expect_exit 3 aims_as cm audit programme create --period 2026-12-31..2026-01-01 --title x &&
	test_grep "period .2026-12-31..2026-01-01.: expected" err &&
	expect_exit 3 aims_as cm audit programme create --period 2026-02-30..2026-04-01 --title x &&
	expect_exit 3 aims_as cm audit programme create --period 2026 --title x --owner ghost &&
	test_grep "owner" err &&
	expect_exit 5 aims_as cm audit programme add PRG-001 AUD-099 &&
	test_grep "audit AUD-099: not found" err &&
	expect_exit 5 aims_as cm audit programme add PRG-009 AUD-003 &&
	test_grep "audit programme PRG-009: not found" err &&
	expect_exit 5 aims_as cm audit programme show PRG-009 &&
	test_grep "audit programme PRG-009: not found" err &&
	expect_exit 3 aims_as cm audit programme add PRG-001 AUD-003 &&
	test_grep "audit AUD-003: its period 2027-Q1 \(2027-01-01..2027-04-01\) is outside audit programme PRG-001.s period 2026-01-01..2027-01-01" err &&
	expect_exit 3 aims_as cm audit programme add PRG-002 AUD-004 &&
	test_grep "audit AUD-004: its period .spring. is not a year \(2026\), a quarter" err &&
	expect_exit 3 aims_as cm audit programme add PRG-001 AUD-001 &&
	test_grep "audit AUD-001 is already in audit programme PRG-001$" err &&
	expect_exit 3 aims_as cm audit programme add PRG-002 AUD-001 &&
	test_grep "audit AUD-001 is already in audit programme PRG-001; an audit belongs to one programme" err &&
	expect_exit 3 aims_as cm audit plan --title x --period 2027-Q2 --auditor aud --requirement 5.2 --programme PRG-001 &&
	test_grep "period 2027-Q2 \(2027-04-01..2027-07-01\): outside audit programme PRG-001.s period" err &&
	expect_exit 3 aims_as cm audit plan --title x --period Q2 --auditor aud --requirement 5.2 --programme PRG-001 &&
	test_grep "period .Q2.: an audit of audit programme PRG-001 needs a year" err &&
	expect_exit 5 aims_as cm audit plan --title x --period 2026-Q4 --auditor aud --requirement 5.2 --programme PRG-404 &&
	test_grep "audit programme PRG-404: not found" err &&
	expect_exit 5 aims_as cm audit plan --title x --period 2026-Q4 --auditor ghost --requirement 5.2 --programme PRG-001 &&
	expect_exit 7 aims_as ml audit programme create --period 2026 --title x &&
	test_grep "audit.manage" err &&
	expect_exit 7 aims_as aud audit programme add PRG-002 AUD-003 &&
	test_grep "audit.manage" err &&
	test "$(test_store_fingerprint "$TEST_DB")" = "$before"
'

test_expect_success 'the management review pack lists the programmes whose period meets its own (also FROM..TO)' '
	aims_as cm review-pack --period 2026 --json >rp.json &&
	test_json rp.json ".audit_programmes == [{\"id\": \"PRG-001\", \"title\": \"AIMS internal audits 2026\",
		\"period\": \"2026-01-01..2027-01-01\", \"audits\": 2, \"audits_closed\": 1,
		\"clauses_covered\": 11, \"clauses_total\": 32, \"controls_covered\": 4, \"controls_total\": 38,
		\"systems_covered\": 1, \"systems_total\": 2, \"nonconformities_open\": 1}]" &&
	aims_as cm review-pack --period 2026 --html rp.html &&
	test_grep "<td>PRG-001</td>" rp.html &&
	aims_as cm review-pack --period 2026-10-01..2027-01-01 --json >rp1.json &&
	test_json rp1.json ".since == \"2026-10-01\" and .until == \"2027-01-01\" and [.audit_programmes[].id] == [\"PRG-001\"]" &&
	aims_as cm review-pack --period 2027-01-01..2027-02-01 --json >rp2.json &&
	test_json rp2.json "[.audit_programmes[].id] == [\"PRG-002\"]" &&
	aims_as cm review-pack --period 2025 --json >rp0.json &&
	test_json rp0.json ".audit_programmes == []"
'

test_expect_success 'every write is in the ledger; an SQL edit of a programme is found (exit 4)' '
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"audit-programme\" and .object_id == \"PRG-001\") |
		.action] == [\"create\", \"add\", \"add\"]" &&
	test_json log.json "[.entries[] | select(.object_type == \"audit-programme\" and .object_id == \"PRG-001\") |
		.actor] == [\"cm\", \"cm\", \"cm\"]" &&
	aims_db ledger verify >/dev/null &&
	before=$(test_store_fingerprint "$TEST_DB") &&
	test_sql "$TEST_DB" "UPDATE pdca_records SET body = replace(body, '"'"'\"AUD-001\",'"'"', '"'"''"'"') WHERE id = '"'"'PRG-001'"'"'" &&
	test "$(test_store_fingerprint "$TEST_DB")" != "$before" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "PRG-001" out
'

done_testing
