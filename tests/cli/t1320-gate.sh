#!/bin/bash
# t1320-gate: policies as code and lifecycle gates (issue 15). With the demo
# policy, a production deployment of a model version without its approvals,
# assessment, evaluations, accepted risks and obligation evidence is refused
# with every reason listed; each condition is then met in turn and the list
# shrinks by exactly that condition, until the deployment passes. Approval
# by the requester is refused, an evaluation of another model digest and
# an evaluation older than the policy allows do not count, an exception
# needs two distinct accounts with the policy's roles. Bad policies are
# refused with file, line and key. Every step is in the ledger.

. "$(dirname "$0")/test-lib.sh"

POLICY=$AIMS_SRC/examples/policy-credit-score.yaml

# evaluation data: label, prediction, score and a group; "fair" has equal selection rates per group,
# "unfair" refuses most of group B (demographic_parity_ratio 0.32); ROC AUC 0.87 in both
gen_data() {
	awk -v bad="$2" 'BEGIN { print "label,pred,score,group";
		for (i = 0; i < 400; i++) {
			g = (i % 4 < 2) ? "A" : "B"; l = (int(i / 4) % 2 == 0) ? 1 : 0;
			s = l ? 0.55 + ((i * 13) % 40) / 100 : 0.05 + ((i * 17) % 40) / 100;
			if (i % 10 == 3) s = 1 - s;
			p = (s >= 0.5) ? 1 : 0;
			if (bad && g == "B" && p == 1 && i % 3 > 0) p = 0;
			printf "%d,%d,%.2f,%s\n", l, p, s, g } }' >"$1"
}

write_answers() {
	cat >"$1" <<-'EOF'
	intended_use: Score consumer credit applications to support a loan officer's decision.
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
}

# unmet conditions of a check as "condition" lines, sorted
unmet_kinds() {
	jq -r '.conditions[] | select(.met | not) | .condition' "$1" | sort | tr '\n' ' '
}

check8() {
	expect_exit "$1" aims_as ml gate check credit-score --model credit-risk@8 --to deployed --json &&
	mv out "$2"
}

test_expect_success 'setup: accounts, a system with two model versions, a classification, a risk, an assessment' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	test_account ml ml-engineer && test_account ro risk-owner && test_account cm compliance-manager &&
	test_account cm2 compliance-manager && test_account rev reviewer &&
	aims_db system add credit-score --role both --intended-use "support loan officers" >/dev/null &&
	echo weights-7 >m7.bin && echo weights-8 >m8.bin && echo weights-9 >m9.bin &&
	aims_db model register credit-risk@7 --file m7.bin >/dev/null &&
	aims_db model register credit-risk@8 --file m8.bin >/dev/null &&
	aims_db model register credit-risk@9 --file m9.bin >/dev/null &&
	aims_db deploy record credit-score --model credit-risk@7 --env production >/dev/null &&
	aims_db aiact classify credit-score --answers "$AIMS_SRC/examples/aiact-credit-score.yaml" >/dev/null &&
	aims_as ro risk add credit-score --title "biased refusals" --category bias-fairness --owner ro \
		--likelihood 4 --impact 4 >/dev/null &&
	write_answers ia.yaml &&
	aims_as ml assess impact credit-score --answers ia.yaml >/dev/null &&
	aims_as cm assess approve IA-001 >/dev/null &&
	gen_data fair.csv 0 && gen_data unfair.csv 1
'

test_expect_success 'before any policy the gate is open and production deployments are not checked' '
	aims_as ml gate check credit-score --model credit-risk@8 --to deployed --json >open.json &&
	test_json open.json ".allowed and .passed and .policy == null and (.conditions | length) == 0 and (.note | test(\"no policy\"))"
'

test_expect_success 'policy check validates a file without storing it' '
	aims_db policy check "$POLICY" >out &&
	test_grep "policy credit-models is valid" out &&
	aims_db policy list --json >pl.json && test_json pl.json ".policies == []"
'

test_expect_code 3 'a bad policy is refused with file, line and key: a threshold' '
	sed "s/roc_auc >= 0.75/roc_auc >> 0.75/" "$POLICY" >bad1.yaml &&
	aims_db policy set bad1.yaml 2>err; rc=$?
	test_grep "'"'"'bad1.yaml'"'"' line 31: stages.validation.evaluations\[0\].thresholds\[0\]" err && exit $rc
'

test_expect_success 'bad policies: unknown key, role, stage, too few exception approvers, review without seed' '
	sed "s/impact_assessment: true/impact_assesment: true/" "$POLICY" >b2.yaml &&
	expect_exit 3 aims_db policy set b2.yaml && test_grep "b2.yaml'"'"' line 13: stages.deployed.impact_assesment: unknown key" err &&
	sed "0,/role: risk-owner/s//role: risk-boss/" "$POLICY" >b3.yaml &&
	expect_exit 3 aims_db policy set b3.yaml && test_grep "line 9: stages.deployed.approvals\[0\].role: .risk-boss. is not a role" err &&
	sed "s/^  deployed:/  production:/" "$POLICY" >b4.yaml &&
	expect_exit 3 aims_db policy set b4.yaml && test_grep "line 7: stages.production: unknown key" err &&
	sed "/^exceptions:/,/^review:/s/count: 1/count: 0/" "$POLICY" >b5.yaml &&
	expect_exit 3 aims_db policy set b5.yaml && test_grep "exceptions.approvals\[0\].count: .0. is not a whole number from 1 to 20" err &&
	sed "/^  seed:/d" "$POLICY" >b6.yaml &&
	expect_exit 3 aims_db policy set b6.yaml && test_grep "review.seed: missing" err &&
	sed "s/^  due_days: 3/  due_days: 0/" "$POLICY" >b8.yaml &&
	expect_exit 3 aims_db policy set b8.yaml && test_grep "line 45: review.due_days: .0. is not a whole number from 1 to 365" err &&
	sed "s/credit-score\]/credit-scoer]/" "$POLICY" >b7.yaml &&
	expect_exit 3 aims_db policy set b7.yaml && test_grep "line 5: applies_to.systems\[0\]: no AI system .credit-scoer." err &&
	expect_exit 7 aims_as ml policy set "$POLICY" && test_grep "permission .policy.manage." err
'

test_expect_success 'policy set stores version 1 with its digest; the same file again changes nothing' '
	aims_as cm policy set "$POLICY" --json >p1.json &&
	test_json p1.json ".name == \"credit-models\" and .version == 1 and .status == \"active\" and .changed and (.digest | startswith(\"sha256:\")) and .actor == \"cm\"" &&
	aims_as cm policy set "$POLICY" --json >p2.json &&
	test_json p2.json ".version == 1 and (.changed | not)" &&
	aims_db policy show credit-models --body --json >ps.json &&
	test_json ps.json "(.body | test(\"policy: credit-models\")) and .review.due_days == 3" &&
	# without due_days the canonical form is what it was before the key existed: the same digest
	sed "/^  due_days:/d" "$POLICY" >nodue.yaml && aims_db policy check nodue.yaml --json >nd.json &&
	test_json nd.json "(.review | has(\"due_days\") | not) and
		.digest == \"sha256:7fd478ba21a6379c727398d733da154862501f598eef0e14a902249e671e52b2\""
'

test_expect_success 'deploying credit-risk@8 to production is refused with every reason (exit 1)' '
	expect_exit 1 aims_as ml deploy record credit-score --model credit-risk@8 --env production &&
	test_grep "refused by policy .credit-models. version 1 \(stage deployed, check GC-000002\): 8 conditions unmet" err &&
	test_grep "approval: 1 account with role risk-owner must approve" err &&
	test_grep "approval: 1 account with role compliance-manager must approve" err &&
	test_grep "impact_assessment: the approved impact assessment IA-001 covers credit-risk@7, not credit-risk@8" err &&
	test_grep "no fairness evaluation of credit-risk@8" err &&
	test_grep "no performance evaluation of credit-risk@8" err &&
	test_grep "risk: RISK-001 .biased refusals. \(score 16 above tolerance 9\) is untreated" err &&
	test_grep "art14-human-oversight" err && test_grep "art26-use-and-oversight" err &&
	aims_db deploy list credit-score --json >dl.json && test_json dl.json "(.deployments | length) == 1"
'

test_expect_success 'gate check lists the same eight unmet conditions (exit 1, JSON), and records the check' '
	check8 1 c0.json &&
	test_json c0.json "(.allowed | not) and (.passed | not) and (.unmet | length) == 8 and .policy.name == \"credit-models\" and .check_id == \"GC-000003\"" &&
	test_equal "aiact_obligation aiact_obligation approval approval evaluation evaluation impact_assessment risk " "$(unmet_kinds c0.json)" &&
	expect_exit 1 aims_as ml gate check credit-score --model credit-risk@8 --to deployed &&
	test_grep "REFUSED" out && test_grep "UNMET approval" out && test_grep "gate refused: credit-risk@8 -> deployed of credit-score, 8 conditions unmet" err
'

test_expect_success 'approvals: a request; the requester may not approve (exit 7); distinct accounts by role' '
	aims_as ml gate request credit-score --model credit-risk@8 --to deployed --note CHG-1 --json >g.json &&
	test_json g.json ".id == \"GATE-0001\" and .status == \"open\" and .requester == \"ml\" and (.needs | length) == 2" &&
	expect_exit 3 aims_as ml gate request credit-score --model credit-risk@8 --to deployed &&
	expect_exit 7 aims_as ml gate approve GATE-0001 &&
	test_grep "GATE-0001: .ml. requested it and may not approve it" err &&
	expect_exit 7 aims_as rev gate approve GATE-0001 &&
	aims_as ro gate approve GATE-0001 --json >a1.json &&
	test_json a1.json ".status == \"open\" and (.approvals | length) == 1 and .approvals[0].roles == [\"risk-owner\"]" &&
	expect_exit 3 aims_as ro gate approve GATE-0001 &&
	test_grep "each account decides once" err &&
	check8 1 c1.json &&
	test_equal "aiact_obligation aiact_obligation approval evaluation evaluation impact_assessment risk " "$(unmet_kinds c1.json)" &&
	test_json c1.json "[.conditions[] | select(.condition == \"approval\" and .met) | .role] == [\"risk-owner\"]" &&
	aims_as cm gate approve GATE-0001 --json >a2.json &&
	test_json a2.json ".status == \"approved\" and ([.needs[] | .have >= .required] | all)" &&
	check8 1 c2.json &&
	test_equal "aiact_obligation aiact_obligation evaluation evaluation impact_assessment risk " "$(unmet_kinds c2.json)"
'

test_expect_success 'an evaluation of another model digest does not count' '
	aims_db eval performance --data fair.csv --label label --pred pred --score score --system credit-score \
		--record --model credit-risk@7 >/dev/null &&
	check8 1 c3.json &&
	test_json c3.json "[.unmet[] | select(test(\"no performance evaluation of credit-risk@8 .digest sha256:[0-9a-f]+.; EVAL-0001 is of credit-risk@7\"))] | length == 1" &&
	test_equal "aiact_obligation aiact_obligation evaluation evaluation impact_assessment risk " "$(unmet_kinds c3.json)"
'

test_expect_success 'an evaluation of this digest counts; one outside its threshold is listed with the value' '
	aims_db eval performance --data fair.csv --label label --pred pred --score score --system credit-score \
		--record --model credit-risk@8 --json >e2.json &&
	test_json e2.json ".evaluation_id == \"EVAL-0002\"" &&
	aims_db eval fairness --data unfair.csv --label label --pred pred --score score --group group \
		--system credit-score --record --model credit-risk@8 >/dev/null &&
	check8 1 c4.json &&
	test_equal "aiact_obligation aiact_obligation evaluation impact_assessment risk " "$(unmet_kinds c4.json)" &&
	test_json c4.json "[.unmet[] | select(test(\"fairness EVAL-0003 is outside the threshold demographic_parity_ratio >= 0.8: group: demographic_parity_ratio 0.32\"))] | length == 1" &&
	test_json c4.json "[.conditions[] | select(.condition == \"evaluation\" and .met and .evaluation == \"EVAL-0002\" and .threshold == \"roc_auc >= 0.75\")] | length == 1" &&
	aims_db eval fairness --data fair.csv --label label --pred pred --score score --group group \
		--system credit-score --record --model credit-risk@8 >/dev/null &&
	check8 1 c5.json &&
	test_equal "aiact_obligation aiact_obligation impact_assessment risk " "$(unmet_kinds c5.json)" &&
	aims_db eval list --json >el.json &&
	test_json el.json "[.evaluations[] | .model] == [\"credit-risk@7\", \"credit-risk@8\", \"credit-risk@8\", \"credit-risk@8\"]"
'

test_expect_success 'an evaluation older than the policy allows does not count (checked as of 100 days ahead)' '
	later=$(date -u -d "+100 days" +%Y-%m-%dT%H:%M:%SZ) &&
	expect_exit 1 aims_as ml gate check credit-score --model credit-risk@8 --to deployed --at "$later" --json &&
	mv out c6.json &&
	test_json c6.json "[.unmet[] | select(test(\"the latest fairness evaluation of credit-risk@8, EVAL-0004 recorded .*, is 100 days old: the policy accepts at most 90 days\"))] | length == 1" &&
	test_json c6.json "[.unmet[] | select(test(\"performance evaluation of credit-risk@8, EVAL-0002 .* is 100 days old\"))] | length == 1" &&
	expect_exit 3 aims_as ml gate check credit-score --model credit-risk@8 --to deployed --at 2020-01-01T00:00:00Z &&
	test_grep "lies in the past" err
'

test_expect_success 'the impact assessment: assessed again with credit-risk@8 in staging, approved by another account' '
	aims_as ml deploy record credit-score --model credit-risk@8 --env staging >/dev/null &&
	aims_as ml assess impact credit-score --answers ia.yaml >/dev/null &&
	expect_exit 7 aims_as ml assess approve IA-002 &&
	aims_as cm assess approve IA-002 >/dev/null &&
	check8 1 c7.json &&
	test_equal "aiact_obligation aiact_obligation risk " "$(unmet_kinds c7.json)" &&
	test_json c7.json "[.conditions[] | select(.condition == \"impact_assessment\" and .met and .assessment == \"IA-002\")] | length == 1"
'

test_expect_success 'the risk above tolerance: treated, then accepted by its owner' '
	aims_as ro risk treat RISK-001 --option modify --action "A.6.2.4: fairness tests before each release" >/dev/null &&
	check8 1 c8.json &&
	test_json c8.json "[.unmet[] | select(test(\"RISK-001 .* is treated and awaits acceptance by its owner ro\"))] | length == 1" &&
	aims_as ro risk accept RISK-001 --note "reviewed with the credit committee" >/dev/null &&
	check8 1 c9.json &&
	test_equal "aiact_obligation aiact_obligation " "$(unmet_kinds c9.json)"
'

test_expect_success 'the obligations: met with evidence; then every condition holds (exit 0)' '
	aims_db aiact obligations credit-score --json >ob.json &&
	o14=$(jq -r ".obligations[] | select(.key == \"art14-human-oversight\") | .id" ob.json) &&
	o26=$(jq -r ".obligations[] | select(.key == \"art26-use-and-oversight\") | .id" ob.json) &&
	aims_as cm aiact obligation set "$o14" --status met --evidence doc:oversight-procedure >/dev/null &&
	check8 1 c10.json &&
	test_equal "aiact_obligation " "$(unmet_kinds c10.json)" &&
	aims_as cm aiact obligation set "$o26" --status met --evidence doc:loan-officer-instructions >/dev/null &&
	check8 0 c11.json &&
	test_json c11.json ".allowed and .passed and (.unmet | length) == 0 and ([.conditions[] | .met] | all) and (.conditions | length) == 7" &&
	aims_as ml gate check credit-score --model credit-risk@8 --to deployed >out &&
	test_grep "ALLOWED" out
'

test_expect_success 'the same deployment now passes' '
	aims_as ml deploy record credit-score --model credit-risk@8 --env production --json >d.json &&
	test_json d.json ".model == \"credit-risk@8\" and .env == \"production\" and .deployed_by == \"ml\""
'

test_expect_success 'exceptions: none without the policy allowing; reason, expiry and two distinct accounts' '
	expect_exit 1 aims_as ml deploy record credit-score --model credit-risk@9 --env production &&
	in5=$(date -u -d "+5 days" +%Y-%m-%d) && in60=$(date -u -d "+60 days" +%Y-%m-%d) &&
	expect_exit 3 aims_as ml gate exception request credit-score --model credit-risk@9 --to deployed \
		--reason "regulator-mandated fix" --expires "$in60" &&
	test_grep "at most 30 days ahead" err &&
	aims_as ml gate exception request credit-score --model credit-risk@9 --to deployed \
		--reason "regulator-mandated fix of the affordability rule" --expires "$in5" --json >x.json &&
	test_json x.json ".id == \"EXC-0001\" and .status == \"pending\" and .requester == \"ml\"" &&
	expect_exit 7 aims_as ml gate exception approve EXC-0001 &&
	test_grep "may not approve it" err &&
	expect_exit 7 aims_as rev gate exception approve EXC-0001 &&
	aims_as ro gate exception approve EXC-0001 --json >x1.json &&
	test_json x1.json ".status == \"pending\" and (.approvals | length) == 1" &&
	expect_exit 3 aims_as ro gate exception approve EXC-0001 &&
	test_grep "distinct accounts" err &&
	expect_exit 1 aims_as ml deploy record credit-score --model credit-risk@9 --env production &&
	aims_as cm gate exception approve EXC-0001 --json >x2.json &&
	test_json x2.json ".status == \"active\" and (.approvals | map(.principal) | sort) == [\"cm\", \"ro\"]" &&
	aims_as ml gate check credit-score --model credit-risk@9 --to deployed --json >c12.json &&
	test_json c12.json ".allowed and (.passed | not) and .exception.id == \"EXC-0001\" and (.unmet | length) > 0" &&
	aims_as ml deploy record credit-score --model credit-risk@9 --env production >/dev/null &&
	aims_db gate exceptions --json >xl.json &&
	test_json xl.json "[.exceptions[] | .id] == [\"EXC-0001\"]"
'

test_expect_success 'two accounts of one role do not fill a policy that names two roles' '
	aims_as ml gate exception request credit-score --model credit-risk@7 --to deployed \
		--reason "roll back" --expires "$(date -u +%Y-%m-%d)" >/dev/null &&
	aims_as cm gate exception approve EXC-0002 >/dev/null &&
	aims_as cm2 gate exception approve EXC-0002 --json >x3.json &&
	test_json x3.json ".status == \"pending\" and (.approvals | length) == 2"
'

test_expect_success 'a rejected request takes no approvals; gate list and checks show the history' '
	aims_as ml gate request credit-score --model credit-risk@9 --to validation >/dev/null &&
	aims_as ro gate reject GATE-0002 --reason "not yet" --json >r.json &&
	test_json r.json ".status == \"rejected\" and .approvals[0].decision == \"reject\"" &&
	expect_exit 3 aims_as cm gate approve GATE-0002 &&
	aims_db gate list --json >gl.json &&
	test_json gl.json "[.gates[] | .id + \":\" + .status] == [\"GATE-0002:rejected\", \"GATE-0001:approved\"]" &&
	aims_db gate checks --system credit-score --json >gc.json &&
	test_json gc.json "[.checks[] | select(.purpose == \"deploy\") | (if .passed then \"pass\" elif .allowed then \"exception\" else \"refuse\" end)] == [\"exception\", \"refuse\", \"refuse\", \"refuse\"]"
'

test_expect_success 'every request, approval, check, refusal and exception is in the ledger, which verifies' '
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"policy\") | .action] == [\"create\"]" &&
	test_json log.json "[.entries[] | select(.object_type == \"gate\") | .action] == [\"request\", \"approve\", \"approve\", \"request\", \"reject\"]" &&
	test_json log.json "[.entries[] | select(.object_type == \"gate\" and .action == \"approve\") | .actor] == [\"ro\", \"cm\"]" &&
	test_json log.json "[.entries[] | select(.object_type == \"gate-check\" and .action == \"refuse\")] | length >= 12" &&
	test_json log.json "[.entries[] | select(.object_type == \"gate-check\" and .action == \"allow-exception\")] | length == 2" &&
	test_json log.json "[.entries[] | select(.object_type == \"gate-exception\") | .action] == [\"request\", \"approve\", \"approve\", \"activate\", \"request\", \"approve\", \"approve\"]" &&
	aims_db ledger verify >/dev/null
'

test_expect_success 'a gate check changed, added or removed with SQL: the state check names it (exit 4)' '
	test_sql "$TEST_DB" "CREATE TABLE saved_checks AS SELECT * FROM gate_checks" &&
	test_json c0.json ".check_id == \"GC-000003\" and (.allowed | not)" &&
	test_sql "$TEST_DB" "UPDATE gate_checks SET allowed = 1 WHERE seq = 3" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate-check GC-000003: changed outside aims \(audit entry [0-9]+\)" out &&
	test_sql "$TEST_DB" "UPDATE gate_checks SET allowed = 0, result = replace(result, '\''\"allowed\":false'\'', '\''\"allowed\":true'\'') WHERE seq = 3" &&
	test_sql "$TEST_DB" "SELECT result FROM gate_checks WHERE seq = 3" | grep -q "\"allowed\":true" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate-check GC-000003: changed outside aims" out &&
	test_sql "$TEST_DB" "DELETE FROM gate_checks; INSERT INTO gate_checks SELECT * FROM saved_checks; DROP TABLE saved_checks" &&
	aims_db ledger verify >/dev/null &&
	test_sql "$TEST_DB" "INSERT INTO gate_checks SELECT 999, system, model, stage, purpose, allowed, exception, result, digest, actor, checked_at FROM gate_checks WHERE seq = 1" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate-check GC-000999: not in the ledger" out &&
	test_sql "$TEST_DB" "DELETE FROM gate_checks WHERE seq = 999" &&
	aims_db ledger verify >/dev/null
'

test_expect_success 'a gate request or decision changed, added or removed with SQL: the state check names it (exit 4)' '
	test_sql "$TEST_DB" "CREATE TABLE saved_req AS SELECT * FROM gate_requests; CREATE TABLE saved_appr AS SELECT * FROM gate_approvals" &&
	restore="DELETE FROM gate_approvals; DELETE FROM gate_requests; INSERT INTO gate_requests SELECT * FROM saved_req; INSERT INTO gate_approvals SELECT * FROM saved_appr" &&
	test_sql "$TEST_DB" "UPDATE gate_requests SET status = '\''open'\'', closed_at = NULL WHERE id = '\''GATE-0002'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate GATE-0002: changed outside aims \(audit entry [0-9]+\)" out &&
	test_sql "$TEST_DB" "$restore" && aims_db ledger verify >/dev/null &&
	test_sql "$TEST_DB" "UPDATE gate_requests SET model = '\''credit-risk@9'\'' WHERE id = '\''GATE-0001'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate GATE-0001: changed outside aims" out &&
	test_sql "$TEST_DB" "$restore" &&
	test_sql "$TEST_DB" "DELETE FROM gate_approvals WHERE request = '\''GATE-0001'\'' AND principal = '\''ro'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate GATE-0001: partly deleted outside aims \(the store no longer has what this audit entry records\) \(audit entry [0-9]+\)" out &&
	test_sql "$TEST_DB" "$restore" &&
	test_sql "$TEST_DB" "INSERT INTO gate_approvals SELECT request, '\''rev'\'', '\''reviewer'\'', decision, note, digest, decided_at FROM gate_approvals WHERE request = '\''GATE-0001'\'' AND principal = '\''ro'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate GATE-0001: changed outside aims" out &&
	test_sql "$TEST_DB" "$restore" &&
	test_sql "$TEST_DB" "INSERT INTO gate_requests SELECT '\''GATE-0099'\'', 99, system, model, model_digest, stage, '\''open'\'', requester, note, policy, digest, requested_at, NULL FROM gate_requests WHERE id = '\''GATE-0002'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate GATE-0099: not in the ledger" out &&
	test_sql "$TEST_DB" "$restore" &&
	test_sql "$TEST_DB" "DELETE FROM gate_approvals WHERE request = '\''GATE-0002'\''; DELETE FROM gate_requests WHERE id = '\''GATE-0002'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate GATE-0002: deleted outside aims" out &&
	test_sql "$TEST_DB" "$restore; DROP TABLE saved_appr; DROP TABLE saved_req" &&
	aims_db ledger verify >/dev/null
'

test_expect_success 'a gate exception activated, changed, added or removed with SQL: the state check names it (exit 4)' '
	test_sql "$TEST_DB" "CREATE TABLE saved_exc AS SELECT * FROM gate_exceptions; CREATE TABLE saved_xa AS SELECT * FROM gate_exception_approvals" &&
	restore="DELETE FROM gate_exception_approvals; DELETE FROM gate_exceptions; INSERT INTO gate_exceptions SELECT * FROM saved_exc; INSERT INTO gate_exception_approvals SELECT * FROM saved_xa" &&
	test_sql "$TEST_DB" "UPDATE gate_exceptions SET status = '\''active'\'', active_at = requested_at WHERE id = '\''EXC-0002'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate-exception EXC-0002: changed outside aims \(audit entry [0-9]+\)" out &&
	test_sql "$TEST_DB" "$restore" && aims_db ledger verify >/dev/null &&
	test_sql "$TEST_DB" "UPDATE gate_exceptions SET expires = '\''2099-12-31'\'' WHERE id = '\''EXC-0001'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate-exception EXC-0001: changed outside aims" out &&
	test_sql "$TEST_DB" "$restore" &&
	test_sql "$TEST_DB" "UPDATE gate_exceptions SET status = '\''pending'\'', active_at = NULL WHERE id = '\''EXC-0001'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate-exception EXC-0001: partly deleted outside aims" out &&
	test_sql "$TEST_DB" "$restore" &&
	test_sql "$TEST_DB" "DELETE FROM gate_exception_approvals WHERE exception = '\''EXC-0001'\'' AND principal = '\''ro'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate-exception EXC-0001: partly deleted outside aims" out &&
	test_sql "$TEST_DB" "$restore" &&
	test_sql "$TEST_DB" "INSERT INTO gate_exceptions SELECT '\''EXC-0099'\'', 99, system, model, stage, reason, expires, status, requester, policy, digest, requested_at, active_at FROM gate_exceptions WHERE id = '\''EXC-0001'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate-exception EXC-0099: not in the ledger" out &&
	test_sql "$TEST_DB" "$restore" &&
	test_sql "$TEST_DB" "DELETE FROM gate_exception_approvals WHERE exception = '\''EXC-0002'\''; DELETE FROM gate_exceptions WHERE id = '\''EXC-0002'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate-exception EXC-0002: deleted outside aims" out &&
	test_sql "$TEST_DB" "$restore; DROP TABLE saved_xa; DROP TABLE saved_exc" &&
	aims_db ledger verify >/dev/null
'

test_expect_success 'policy retire: the gate is open again, in a new version' '
	aims_as cm policy retire credit-models --json >pr.json &&
	test_json pr.json ".version == 2 and .status == \"retired\"" &&
	aims_as ml gate check credit-score --model credit-risk@9 --to deployed --json >c13.json &&
	test_json c13.json ".allowed and .policy == null" &&
	aims_db policy list --name credit-models --json >pv.json &&
	test_json pv.json "[.policies[] | .status] == [\"active\", \"retired\"]"
'

test_expect_success 'a policy version changed, added or removed with SQL: the state check names it (exit 4)' '
	test_sql "$TEST_DB" "CREATE TABLE saved_pol AS SELECT * FROM policies" &&
	restore="DELETE FROM policies; INSERT INTO policies SELECT * FROM saved_pol" &&
	aims_db ledger verify >/dev/null &&
	test_sql "$TEST_DB" "DELETE FROM policies WHERE version = 2" &&
	aims_db policy list --json >pl2.json && test_json pl2.json "[.policies[] | .status] == [\"active\"]" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: policy credit-models: partly deleted outside aims .* \(audit entry [0-9]+\)" out &&
	test_sql "$TEST_DB" "$restore" && aims_db ledger verify >/dev/null &&
	test_sql "$TEST_DB" "UPDATE policies SET status = '\''active'\'' WHERE version = 2" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: policy credit-models: changed outside aims \(audit entry [0-9]+\)" out &&
	test_sql "$TEST_DB" "$restore" &&
	test_sql "$TEST_DB" "UPDATE policies SET body = replace(body, '\''max_days: 30'\'', '\''max_days: 300'\'') WHERE version = 1" &&
	test_sql "$TEST_DB" "SELECT body FROM policies WHERE version = 1" | grep -q "max_days: 300" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: policy credit-models: changed outside aims" out &&
	test_sql "$TEST_DB" "$restore" &&
	test_sql "$TEST_DB" "INSERT INTO policies SELECT name, 3, '\''active'\'', source, source_digest, body, canonical, digest, actor, created_at FROM policies WHERE version = 1" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: policy credit-models: changed outside aims" out &&
	test_sql "$TEST_DB" "$restore" &&
	test_sql "$TEST_DB" "INSERT INTO policies SELECT '\''other'\'', 1, status, source, source_digest, body, canonical, digest, actor, created_at FROM policies WHERE version = 1" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: policy other: not in the ledger" out &&
	test_sql "$TEST_DB" "$restore" &&
	test_sql "$TEST_DB" "DELETE FROM policies" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: policy credit-models: deleted outside aims" out &&
	test_sql "$TEST_DB" "$restore; DROP TABLE saved_pol" &&
	aims_db ledger verify >/dev/null
'

test_expect_success 'the system card shows the gate history and exceptions' '
	aims_db card system credit-score >card.md &&
	test_grep "^## Human oversight: gates and review" card.md &&
	test_grep "No policy applies to this system" card.md &&
	test_grep "EXC-0001: credit-risk@9 -> deployed until" card.md &&
	test_grep "refused" card.md
'

test_expect_success 'after retention drops the bodies of old entries (requests, decisions, versions) the store still verifies' '
	AIMS_TEST_NOW=2099-01-01T00:00:00Z "$AIMS_TESTCLOCK" --db "$TEST_DB" ledger prune >pr.txt &&
	test_grep "^governance log: [1-9][0-9]* entry bodies" pr.txt &&
	aims_db ledger log --json >lp.json &&
	test_json lp.json "[.entries[] | select(.object_type == \"gate\" and .pruned)] | length >= 2" &&
	aims_db ledger verify >/dev/null &&
	test_sql "$TEST_DB" "UPDATE gate_requests SET status = '\''open'\'', closed_at = NULL WHERE id = '\''GATE-0002'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: gate GATE-0002: changed outside aims" out
'

done_testing
