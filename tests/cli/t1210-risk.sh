#!/bin/bash
# t1210-risk: the AI risk register from the command line: criteria versions,
# taxonomy, add/list/show/treat/accept/review with JSON, treatment actions
# checked against 42001 Annex A and shown through the crosswalks, the
# owner-only acceptance and its invalidation by a score change, a treatment
# change and a new model deployed for the system, the starter library, the
# heat maps and the HTML report (rendered by headless Chromium).

. "$(dirname "$0")/test-lib.sh"

PNG_INK=$AIMS_SRC/tests/cli/png-ink.py
export AIMS_ACTOR=alice

screenshot() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$TEST_DIR/chromium" --hide-scrollbars --window-size=1000,1400 \
		--screenshot="$2" "file://$1" >chromium.log 2>&1 &&
	test -s "$2"
}

test_expect_success 'setup: an AI system with a deployed model' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	aims_db system add credit-score --purpose "score consumer credit applications" --owner "Head of Credit" >/dev/null &&
	echo "model one" >m1.bin && echo "model two" >m2.bin &&
	aims_db model register credit-gbm@1 --file m1.bin >/dev/null &&
	aims_db model register credit-gbm@2 --file m2.bin >/dev/null &&
	aims_db deploy record credit-score --model credit-gbm@1 --env production >/dev/null
'

test_expect_success 'criteria: built-in defaults, then a stored version with digest and audit entry' '
	aims_db risk criteria --json >c0.json &&
	test_json c0.json ".version == 0 and .likelihood_max == 5 and .impact_max == 5 and .score == \"product\" and .appetite == 4 and .tolerance == 9" &&
	aims_db risk criteria --tolerance 10 --note "board decision 2026-11" --json >c1.json &&
	test_json c1.json ".version == 1 and .tolerance == 10 and .appetite == 4 and (.digest | startswith(\"sha256:\"))" &&
	test_json c1.json ".digest != $(jq .digest c0.json)" &&
	expect_exit 3 aims_db risk criteria --appetite 12 &&
	test_grep "tolerance 10: not between the appetite 12" err &&
	expect_exit 3 aims_db risk criteria --score median &&
	aims_db risk criteria --history --json >h.json &&
	test_json h.json "(.versions | length) == 1 and .current.version == 1" &&
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"risk-criteria\")] | length == 1"
'

test_expect_success 'taxonomy lists the issue categories and the 42001 Annex C risk sources' '
	aims_db risk categories --json >cat.json &&
	for c in bias-fairness data-drift misuse adversarial-evasion adversarial-poisoning adversarial-model-extraction \
		adversarial-prompt-injection transparency privacy safety accountability third-party level-of-automation \
		machine-learning system-hardware system-lifecycle technology-readiness environment-complexity; do
		test_json cat.json "[.categories[].id] | index(\"$c\") != null" || return 1
	done
'

test_expect_success 'risk add: JSON keys, refusals' '
	aims_db risk add credit-score --title "Approval rates differ by nationality" --category bias-fairness \
		--owner bob --likelihood 4 --impact 4 --review 2027-05-01 --json >r1.json &&
	test_json r1.json ".id == \"RISK-001\" and .inherent == {likelihood: 4, impact: 4, score: 16} and .status == \"awaiting acceptance\" and .above_tolerance == true and .model == \"credit-gbm@1\"" &&
	test_json r1.json "has(\"id\", \"system\", \"title\", \"category\", \"category_title\", \"description\", \"owner\", \"inherent\", \"treatment\", \"actions\", \"residual\", \"effective_score\", \"above_tolerance\", \"status\", \"review_date\", \"source\", \"model\", \"acceptance\", \"created_at\", \"updated_at\")" &&
	aims_db risk add credit-score --title "Input drift after a product change" --category data-drift \
		--owner bob --likelihood 2 --impact 2 --json >r2.json &&
	test_json r2.json ".status == \"open\" and .inherent.score == 4" &&
	expect_exit 3 aims_db risk add credit-score --title x --category weather --owner bob --likelihood 1 --impact 1 &&
	test_grep "category .weather." err &&
	expect_exit 3 aims_db risk add credit-score --title x --category privacy --owner bob --likelihood 6 --impact 1 &&
	test_grep "likelihood 6: not on the scale 1-5" err &&
	expect_exit 5 aims_db risk add no-system --title x --category privacy --owner bob --likelihood 1 --impact 1 &&
	expect_exit 5 aims_db risk show RISK-099
'

test_expect_success 'treat: actions under 42001 controls, shown through the crosswalks; unknown control refused' '
	expect_exit 3 aims_db risk treat RISK-001 --option modify --action "A.99.1: nothing" &&
	test_grep "control .A.99.1.: not an ISO/IEC 42001 Annex A control" err &&
	expect_exit 3 aims_db risk treat RISK-001 --option transfer &&
	aims_db risk treat RISK-001 --option modify --action "A.7.4: rebalance the training data" \
		--action "A.6.2.4: fairness tests before each release" --residual-likelihood 3 --residual-impact 4 --json >t.json &&
	test_json t.json ".treatment == \"modify\" and .residual.score == 12 and .effective_score == 12 and .status == \"awaiting acceptance\"" &&
	test_json t.json ".actions[1] | .control == \"A.6.2.4\" and (.iso27001 | index(\"A.8.29\") != null) and (.eu_ai_act | index(\"Article 15\") != null)" &&
	test_json t.json ".actions[0].eu_ai_act | index(\"Article 10\") != null"
'

test_expect_success 'accept: only the risk owner; the snapshot names the deployed model' '
	expect_exit 3 aims_db risk accept RISK-001 &&
	test_grep "only its risk owner .bob. can accept it, not .alice." err &&
	AIMS_ACTOR=bob aims_db risk accept RISK-001 --note "monitored monthly" --json >a.json &&
	test_json a.json ".status == \"accepted\" and .acceptance.valid == true and .acceptance.accepted_by == \"bob\" and .acceptance.changed == []" &&
	expect_exit 3 aims_db risk accept RISK-001 --as bob &&
	test_grep "accepted already" err
'

test_expect_success 'a score change invalidates the acceptance: back to awaiting acceptance' '
	aims_db risk review RISK-001 --residual-likelihood 4 --residual-impact 4 --note "complaints rose" --json >rv.json &&
	test_json rv.json ".status == \"awaiting acceptance\" and .acceptance.valid == false and .acceptance.changed == [\"score\"] and .acceptance.invalidated_at != null" &&
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"risk-acceptance\" and .action == \"invalidate\" and .object_id == \"RISK-001\")] | length == 1"
'

test_expect_success 'a treatment change invalidates a new acceptance' '
	aims_db risk accept RISK-001 --as bob >/dev/null &&
	aims_db risk show RISK-001 --json >s.json &&
	test_json s.json ".status == \"accepted\"" &&
	aims_db risk treat RISK-001 --option share --action "A.10.3: supplier guarantees fairness testing" \
		--residual-likelihood 4 --residual-impact 4 --json >t2.json &&
	test_json t2.json ".status == \"awaiting acceptance\" and .acceptance.changed == [\"treatment\"]"
'

test_expect_success 'the statement of applicability lists the risks each control treats' '
	aims_db soa --json >soa.json &&
	test_json soa.json "[.controls[] | select(.control == \"A.10.3\") | .risks[]] | index(\"RISK-001\") != null" &&
	test_json soa.json "[.controls[] | select(.control == \"A.4.6\") | .risks[]] | length == 0"
'

test_expect_success 'a new model version deployed for the system invalidates the acceptance (detected on read)' '
	aims_db risk accept RISK-001 --as bob >/dev/null &&
	aims_db risk show RISK-001 --json >before.json &&
	test_json before.json ".status == \"accepted\" and .model == \"credit-gbm@1\"" &&
	aims_db deploy record credit-score --model credit-gbm@2 --env production >/dev/null &&
	aims_db risk show RISK-001 --json >after.json &&
	test_json after.json ".status == \"awaiting acceptance\" and .model == \"credit-gbm@2\" and .acceptance.valid == false and .acceptance.changed == [\"model\"] and .acceptance.invalidated_at == null" &&
	aims_db risk list --json >l.json &&
	test_json l.json ".risks[0].status == \"awaiting acceptance\"" &&
	aims_db risk review RISK-001 --note "new model noted" >/dev/null &&
	aims_db risk show RISK-001 --json >after2.json &&
	test_json after2.json ".acceptance.invalidated_at != null and .acceptance.changed == [\"model\"]"
'

test_expect_success 'criteria change rescores risks; scales narrower than a risk are refused' '
	expect_exit 3 aims_db risk criteria --likelihood-max 3 &&
	test_grep "RISK-001: its likelihood or impact is outside the new scales" err &&
	aims_db risk criteria --score sum >/dev/null &&
	aims_db risk show RISK-002 --json >sum.json &&
	test_json sum.json ".inherent.score == 4" &&
	aims_db risk show RISK-001 --json >sum1.json &&
	test_json sum1.json ".inherent.score == 8" &&
	aims_db risk criteria --score product >/dev/null
'

test_expect_success 'starter library: added once per system, skipped the second time' '
	aims_db risk library list --json >lib.json &&
	n=$(jq ".library | length" lib.json) &&
	aims_db risk library add credit-score --owner bob --json >add.json &&
	test_json add.json ".added == $n" &&
	aims_db risk library add credit-score --owner bob --json >add2.json &&
	test_json add2.json ".added == 0" &&
	aims_db risk list --system credit-score --json >all.json &&
	test_json all.json "(.risks | length) == $n + 2 and all(.risks[2:][]; .source | startswith(\"library:\"))" &&
	aims_db risk library add credit-score --owner bob --category privacy --json >add3.json &&
	test_json add3.json ".added == 0" &&
	expect_exit 3 aims_db risk library add credit-score --owner bob --category weather
'

test_expect_success 'heat maps: counts per cell, inherent and residual' '
	aims_db risk heatmap --system credit-score --svg inherent.svg >/dev/null &&
	aims_db risk heatmap --system credit-score --residual --svg residual.svg >/dev/null &&
	test_grep -F "data-likelihood=\"4\" data-impact=\"4\" data-count=\"1\"" inherent.svg &&
	test_grep -F "<svg xmlns=\"http://www.w3.org/2000/svg\"" residual.svg &&
	total=$(grep -o "data-count=\"[0-9]*\"" inherent.svg | grep -o "[0-9][0-9]*" | awk "{ s += \$1 } END { print s }") &&
	test_equal "$(jq ".risks | length" all.json)" "$total" &&
	test_equal 25 "$(grep -o "<rect" inherent.svg | wc -l)"
'

test_expect_success 'risk report: self-contained HTML with both heat maps, register, crosswalk and acceptances' '
	aims_db risk report --system credit-score --html report.html >/dev/null &&
	test_grep -F "<h1>AI risk report</h1>" report.html &&
	test_equal 2 "$(grep -o "class=\"heatmap\"" report.html | wc -l)" &&
	test_grep -F "RISK-001" report.html &&
	test_grep -F "A.10.3" report.html &&
	test_grep -F "invalidated" report.html &&
	test_grep -F "Northwind Lending GmbH" report.html &&
	test_grep_not "<script" report.html &&
	test_grep_not "(src|href)=\"(https?:)?//" report.html &&
	aims_db risk report --html all.html >/dev/null &&
	test_grep -F "All AI systems" all.html &&
	test_grep -F "<th>System</th>" all.html &&
	test_grep_not "<th>System</th>" report.html &&
	expect_exit 5 aims_db risk report --system nobody --html x.html
'

test_expect_success 'headless Chromium renders the risk report: text and coloured heat maps' '
	screenshot "$TEST_DIR/report.html" report.png &&
	read -r w h ink colors <<-EOF &&
	$(/usr/bin/python3 "$PNG_INK" report.png)
	EOF
	test_equal "1000 1400" "$w $h" &&
	awk -v ink="$ink" -v c="$colors" "BEGIN { exit !(ink > 0.03 && c >= 8) }"
'

done_testing
