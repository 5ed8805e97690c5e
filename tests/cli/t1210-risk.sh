#!/bin/bash
# t1210-risk: the AI risk register from the command line: criteria versions,
# taxonomy, add/list/show/treat/accept/review with JSON, owners that must be
# principals, treatment actions checked against 42001 Annex A and shown
# through the crosswalks, acceptance by the owner's account only (any other
# account, an admin too, exit 7) and its invalidation by a score change, a
# treatment change and a new model deployed for the system, risk set and the
# migration of a free-text owner, the starter library, the heat maps and the
# HTML report (rendered by headless Chromium).

. "$(dirname "$0")/test-lib.sh"

PNG_INK=$AIMS_SRC/tests/cli/png-ink.py

screenshot() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$TEST_DIR/chromium" --hide-scrollbars --window-size=1000,1400 \
		--screenshot="$2" "file://$1" >chromium.log 2>&1 &&
	test -s "$2"
}

# serve the test's store on a free loopback port for the rest of the calling test: the port in ./port,
# the server stopped when the test's shell exits
serve_store() {
	rm -f port
	"$AIMS" --db "$TEST_DB" serve --listen 127.0.0.1:0 --port-file port 2>serve.err &
	server_pid=$!
	trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null' EXIT
	for _ in $(seq 200); do
		test -s port && return 0
		sleep 0.05
	done
	echo "aims serve did not start:" >&2
	cat serve.err >&2
	return 1
}

# same_json CLI-ARGS... : the CLI's --json document equals the API's (GET PATH as ACCOUNT) and the one
# 'aims --server' prints, keys sorted; set API_PATH and API_AS first
same_json() {
	aims_db "$@" --json | jq -S . >cli.json &&
	curl -sf -H "Authorization: Bearer $(cat "$TEST_DIR/.token-$API_AS")" \
		"http://127.0.0.1:$(cat port)/api/v1$API_PATH" | jq -S . >api.json &&
	aims_as "$API_AS" --server "http://127.0.0.1:$(cat port)" "$@" --json | jq -S . >remote.json &&
	test_cmp cli.json api.json &&
	test_cmp cli.json remote.json &&
	test -s cli.json
}

test_expect_success 'setup: an AI system with a deployed model; accounts' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	test_account alice compliance-manager &&
	test_account bob risk-owner &&
	test_account carol risk-owner &&
	test_account root admin &&
	test_account audrey auditor &&
	aims_db system add credit-score --purpose "score consumer credit applications" --owner "Head of Credit" >/dev/null &&
	echo "model one" >m1.bin && echo "model two" >m2.bin &&
	aims_db model register credit-gbm@1 --file m1.bin >/dev/null &&
	aims_db model register credit-gbm@2 --file m2.bin >/dev/null &&
	aims_db deploy record credit-score --model credit-gbm@1 --env production >/dev/null
'

test_expect_success 'criteria: built-in defaults, then a stored version with digest and audit entry' '
	aims_db risk criteria --json >c0.json &&
	test_json c0.json ".version == 0 and .likelihood_max == 5 and .impact_max == 5 and .score == \"product\" and .appetite == 4 and .tolerance == 9" &&
	expect_exit 7 aims_as bob risk criteria --tolerance 10 &&
	test_grep "permission .risk.criteria." err &&
	aims_as alice risk criteria --tolerance 10 --note "board decision 2026-11" --json >c1.json &&
	test_json c1.json ".version == 1 and .tolerance == 10 and .appetite == 4 and (.digest | startswith(\"sha256:\")) and .actor == \"alice\"" &&
	test_json c1.json ".digest != $(jq .digest c0.json)" &&
	expect_exit 3 aims_as alice risk criteria --appetite 12 &&
	test_grep "tolerance 10: not between the appetite 12" err &&
	expect_exit 3 aims_as alice risk criteria --score median &&
	expect_exit 2 aims_as alice risk criteria --note "no change" &&
	aims_db risk criteria >c.txt &&
	test_grep "^risk criteria version 1$" c.txt &&
	test_grep "^  tolerance:  up to 10 " c.txt &&
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

test_expect_success 'risk add: JSON keys, refusals; the owner must be a principal' '
	aims_as alice risk add credit-score --title "Approval rates differ by nationality" --category bias-fairness \
		--owner bob --likelihood 4 --impact 4 --review 2027-05-01 --json >r1.json &&
	test_json r1.json ".id == \"RISK-001\" and .owner == \"bob\" and .inherent == {likelihood: 4, impact: 4, score: 16} and .status == \"awaiting acceptance\" and .above_tolerance == true and .model == \"credit-gbm@1\"" &&
	test_json r1.json "has(\"id\", \"system\", \"title\", \"category\", \"category_title\", \"description\", \"owner\", \"inherent\", \"treatment\", \"actions\", \"residual\", \"effective_score\", \"above_tolerance\", \"status\", \"review_date\", \"source\", \"model\", \"acceptance\", \"created_at\", \"updated_at\")" &&
	aims_as alice risk add credit-score --title "Input drift after a product change" --category data-drift \
		--owner bob --likelihood 2 --impact 2 >r2.txt &&
	test_grep "^added RISK-002 to credit-score$" r2.txt &&
	aims_db risk show RISK-002 --json >r2.json &&
	test_json r2.json ".status == \"open\" and .inherent.score == 4" &&
	expect_exit 3 aims_as alice risk add credit-score --title x --category privacy --owner "Head of Credit" --likelihood 1 --impact 1 &&
	test_grep "risk owner .Head of Credit. is not an account of this store" err &&
	expect_exit 3 aims_as alice risk add credit-score --title x --category weather --owner bob --likelihood 1 --impact 1 &&
	test_grep "category .weather." err &&
	expect_exit 3 aims_as alice risk add credit-score --title x --category privacy --owner bob --likelihood 6 --impact 1 &&
	test_grep "likelihood 6: not on the scale 1-5" err &&
	expect_exit 5 aims_as alice risk add no-system --title x --category privacy --owner bob --likelihood 1 --impact 1 &&
	expect_exit 2 aims_as alice risk add credit-score --title x --category privacy --likelihood 1 --impact 1 &&
	test_grep "missing --owner" err &&
	expect_exit 7 aims_as audrey risk add credit-score --title x --category privacy --owner bob --likelihood 1 --impact 1 &&
	expect_exit 5 aims_db risk show RISK-099 &&
	aims_db risk list --json >l0.json &&
	test_json l0.json ".risks | length == 2"
'

test_expect_success 'treat: actions under 42001 controls, shown through the crosswalks; unknown control refused' '
	expect_exit 3 aims_as alice risk treat RISK-001 --option modify --action "A.99.1: nothing" &&
	test_grep "control .A.99.1.: not an ISO/IEC 42001 Annex A control" err &&
	expect_exit 3 aims_as alice risk treat RISK-001 --option transfer &&
	expect_exit 3 aims_as alice risk treat RISK-001 --option modify --action "no control given" &&
	test_grep "expected .CONTROL: TEXT." err &&
	aims_as alice risk treat RISK-001 --option modify --action "A.7.4: rebalance the training data" \
		--action "A.6.2.4: fairness tests before each release" --residual-likelihood 3 --residual-impact 4 --json >t.json &&
	test_json t.json ".treatment == \"modify\" and .residual.score == 12 and .effective_score == 12 and .status == \"awaiting acceptance\"" &&
	test_json t.json ".actions[1] | .control == \"A.6.2.4\" and (.iso27001 | index(\"A.8.29\") != null) and (.eu_ai_act | index(\"Article 15\") != null)" &&
	test_json t.json ".actions[0].eu_ai_act | index(\"Article 10\") != null"
'

test_expect_success 'accept: only the owner account; anyone else, an admin too, is refused (exit 7)' '
	expect_exit 7 aims_as alice risk accept RISK-001 &&
	test_grep "only its risk owner .bob. can accept it, not .alice." err &&
	expect_exit 7 aims_as root risk accept RISK-001 &&
	test_grep "only its risk owner .bob. can accept it, not .root." err &&
	expect_exit 7 aims_as carol risk accept RISK-001 &&
	test_grep "not .carol." err &&
	expect_exit 7 aims_db risk accept RISK-001 &&
	test_grep "not .os:" err &&
	expect_exit 2 aims_as alice risk accept RISK-001 --as bob &&
	test_grep "unknown option .--as." err &&
	aims_db risk show RISK-001 --json >na.json &&
	test_json na.json ".acceptance == null and .status == \"awaiting acceptance\""
'

test_expect_success 'accept: the owner account accepts; the snapshot names the deployed model' '
	aims_as bob risk accept RISK-001 --note "monitored monthly" --json >a.json &&
	test_json a.json ".status == \"accepted\" and .acceptance.valid == true and .acceptance.accepted_by == \"bob\" and .acceptance.changed == []" &&
	expect_exit 3 aims_as bob risk accept RISK-001 &&
	test_grep "accepted already" err &&
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"risk\" and .object_id == \"RISK-001\" and .action == \"accept\") | .actor] == [\"bob\"]"
'

test_expect_success 'a score change invalidates the acceptance: back to awaiting acceptance' '
	aims_as alice risk review RISK-001 --residual-likelihood 4 --residual-impact 4 --note "complaints rose" --json >rv.json &&
	test_json rv.json ".status == \"awaiting acceptance\" and .acceptance.valid == false and .acceptance.changed == [\"score\"] and .acceptance.invalidated_at != null" &&
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"risk-acceptance\" and .action == \"invalidate\" and .object_id == \"RISK-001\")] | length == 1"
'

test_expect_success 'a treatment change invalidates a new acceptance' '
	aims_as bob risk accept RISK-001 >acc.txt &&
	test_grep "^RISK-001 accepted by bob$" acc.txt &&
	aims_db risk show RISK-001 --json >s.json &&
	test_json s.json ".status == \"accepted\"" &&
	aims_as alice risk treat RISK-001 --option share --action "A.10.3: supplier guarantees fairness testing" \
		--residual-likelihood 4 --residual-impact 4 --json >t2.json &&
	test_json t2.json ".status == \"awaiting acceptance\" and .acceptance.changed == [\"treatment\"]"
'

test_expect_success 'the statement of applicability lists the risks each control treats' '
	aims_db soa --json >soa.json &&
	test_json soa.json "[.controls[] | select(.control == \"A.10.3\") | .risks[]] | index(\"RISK-001\") != null" &&
	test_json soa.json "[.controls[] | select(.control == \"A.4.6\") | .risks[]] | length == 0"
'

test_expect_success 'a new model version deployed for the system invalidates the acceptance (detected on read)' '
	aims_as bob risk accept RISK-001 >/dev/null &&
	aims_db risk show RISK-001 --json >before.json &&
	test_json before.json ".status == \"accepted\" and .model == \"credit-gbm@1\"" &&
	aims_db deploy record credit-score --model credit-gbm@2 --env production >/dev/null &&
	aims_db risk show RISK-001 --json >after.json &&
	test_json after.json ".status == \"awaiting acceptance\" and .model == \"credit-gbm@2\" and .acceptance.valid == false and .acceptance.changed == [\"model\"] and .acceptance.invalidated_at == null" &&
	aims_db risk list --json >l.json &&
	test_json l.json ".risks[0].status == \"awaiting acceptance\"" &&
	aims_as bob risk review RISK-001 --note "new model noted" >rv.txt &&
	test_grep "^RISK-001 reviewed: score 16, status awaiting acceptance, next review 2027-05-01$" rv.txt &&
	aims_db risk show RISK-001 --json >after2.json &&
	test_json after2.json ".acceptance.invalidated_at != null and .acceptance.changed == [\"model\"]"
'

test_expect_success 'criteria change rescores risks; scales narrower than a risk are refused' '
	expect_exit 3 aims_as alice risk criteria --likelihood-max 3 &&
	test_grep "RISK-001: its likelihood or impact is outside the new scales" err &&
	aims_as alice risk criteria --score sum >/dev/null &&
	aims_db risk show RISK-002 --json >sum.json &&
	test_json sum.json ".inherent.score == 4" &&
	aims_db risk show RISK-001 --json >sum1.json &&
	test_json sum1.json ".inherent.score == 8" &&
	aims_as alice risk criteria --score product >/dev/null
'

test_expect_success 'risk set: change title, owner (a principal) and review date; the new owner alone accepts' '
	expect_exit 3 aims_as alice risk set RISK-002 --owner "Head of Data" &&
	test_grep "risk owner .Head of Data. is not an account" err &&
	expect_exit 3 aims_as alice risk set RISK-002 &&
	test_grep "nothing to change" err &&
	aims_as alice risk set RISK-002 --owner carol --title "Input drift after a product launch" --review 2027-06-30 --json >set.json &&
	test_json set.json ".owner == \"carol\" and .title == \"Input drift after a product launch\" and .review_date == \"2027-06-30\" and .inherent.score == 4" &&
	aims_as alice risk set RISK-002 --owner carol >same.txt &&
	test_grep "^RISK-002: unchanged$" same.txt &&
	expect_exit 7 aims_as bob risk accept RISK-002 &&
	aims_as carol risk accept RISK-002 >/dev/null &&
	aims_db ledger log --object RISK-002 --json >log2.json &&
	test_json log2.json "[.entries[] | select(.object_type == \"risk\") | [.action, .actor]] == [[\"create\", \"alice\"], [\"update\", \"alice\"], [\"accept\", \"carol\"]]" &&
	test_json log2.json ".entries[] | select(.action == \"update\") | .new_digest != .prev_digest"
'

test_expect_success 'migration: a risk whose owner is old free text is given an account owner with risk set' '
	aims_as alice risk add credit-score --title "Prompt injection through uploaded documents" \
		--category adversarial-prompt-injection --owner bob --likelihood 3 --impact 4 >/dev/null &&
	test_sql "$TEST_DB" "UPDATE risks SET owner = '"'"'Head of Credit'"'"' WHERE id = '"'"'RISK-003'"'"'" &&
	aims_db risk show RISK-003 --json >old.json &&
	test_json old.json ".owner == \"Head of Credit\"" &&
	expect_exit 7 aims_as bob risk accept RISK-003 &&
	test_grep "only its risk owner .Head of Credit. can accept it, not .bob." err &&
	aims_as alice risk set RISK-003 --owner bob >/dev/null &&
	aims_as bob risk accept RISK-003 --json >acc3.json &&
	test_json acc3.json ".owner == \"bob\" and .acceptance.accepted_by == \"bob\" and .status == \"accepted\""
'

test_expect_success 'the CLI --json and the API give the same risk document' '
	serve_store &&
	API_AS=carol API_PATH=/risks/RISK-001 same_json risk show RISK-001 &&
	test_json api.json ".id == \"RISK-001\" and .acceptance.accepted_by == \"bob\" and (.actions | length) == 1" &&
	API_AS=audrey API_PATH=/risks/RISK-003 same_json risk show RISK-003 &&
	aims_as audrey --server "http://127.0.0.1:$(cat port)" risk show RISK-003 >remote.txt &&
	aims_db risk show RISK-003 >local.txt &&
	test_cmp local.txt remote.txt
'

test_expect_success 'starter library: added once per system, skipped the second time; the owner is a principal' '
	aims_db risk library list --json >lib.json &&
	n=$(jq ".library | length" lib.json) &&
	expect_exit 3 aims_as alice risk library add credit-score --owner "Head of Credit" &&
	test_grep "risk owner .Head of Credit. is not an account" err &&
	aims_as alice risk library add credit-score --owner bob --json >add.json &&
	test_json add.json ".added == $n and .system == \"credit-score\"" &&
	aims_as alice risk library add credit-score --owner bob >add2.txt &&
	test_grep "^added 0 risks from the starter library to credit-score$" add2.txt &&
	aims_db risk list --system credit-score --json >all.json &&
	test_json all.json "(.risks | length) == $n + 3 and all(.risks[3:][]; .source | startswith(\"library:\"))" &&
	aims_as alice risk library add credit-score --owner bob --category privacy --json >add3.json &&
	test_json add3.json ".added == 0" &&
	expect_exit 3 aims_as alice risk library add credit-score --owner bob --category weather
'

test_expect_success 'heat maps: counts per cell, inherent and residual' '
	aims_db risk heatmap --system credit-score --svg inherent.svg >/dev/null &&
	aims_db risk heatmap --system credit-score --residual --svg residual.svg >/dev/null &&
	test_grep -F "data-likelihood=\"4\" data-impact=\"4\" data-count=\"1\"" inherent.svg &&
	test_grep -F "<svg xmlns=\"http://www.w3.org/2000/svg\"" residual.svg &&
	total=$(grep -o "data-count=\"[0-9]*\"" inherent.svg | grep -o "[0-9][0-9]*" | awk "{ s += \$1 } END { print s }") &&
	test_equal "$(jq ".risks | length" all.json)" "$total" &&
	test_equal 25 "$(grep -o "<rect" inherent.svg | wc -l)" &&
	aims_db risk heatmap --system credit-score --json >hm.json &&
	test_json hm.json "(.cells | length) == 25 and ([.cells[].count] | add) == $total and .residual == false" &&
	test_json hm.json ".cells[] | select(.likelihood == 4 and .impact == 4) | .count == 1 and .zone == \"above-tolerance\"" &&
	expect_exit 2 aims_db risk heatmap --system credit-score &&
	test_grep "missing --svg FILE" err
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
	expect_exit 5 aims_db risk report --system nobody --html x.html &&
	aims_db risk report --system credit-score --json >figures.json &&
	test_json figures.json ".risks == $(jq ".risks | length" all.json) and .accepted == 2 and .system == \"credit-score\""
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
