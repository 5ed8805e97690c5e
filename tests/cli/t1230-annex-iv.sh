#!/bin/bash
# t1230-annex-iv: the Annex IV technical documentation pack: the nine
# sections, every item marked found or missing from what the store holds;
# an empty system has mostly missing items, and recording inventory,
# deployments, risks, an impact assessment, an evaluation and obligation
# evidence turns them into found ones. Rendered by headless Chromium. The pack
# is the HTML format of the operation aiact.annex_iv, the counts its JSON.

. "$(dirname "$0")/test-lib.sh"

PNG_INK=$AIMS_SRC/tests/cli/png-ink.py

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

screenshot() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$TEST_DIR/chromium" --hide-scrollbars --window-size=1000,1400 \
		--screenshot="$2" "file://$1" >chromium.log 2>&1 &&
	test -s "$2"
}

test_expect_success 'setup' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	test_account alice compliance-manager &&
	test_account bob risk-owner &&
	aims_db system add credit-score >/dev/null
'

test_expect_success 'a bare system: nine sections, items missing, nothing invented' '
	aims_db aiact annex-iv credit-score --html bare.html --json >bare.json &&
	test_json bare.json ".items > 15 and .found == 0 and .missing == .items" &&
	for n in 1 2 3 4 5 6 7 8 9; do
		test_grep "<h2>$n\. " bare.html || return 1
	done &&
	test_grep -F "Annex IV technical documentation" bare.html &&
	test_grep_not "<script" bare.html &&
	expect_exit 5 aims_db aiact annex-iv nobody --html x.html
'

test_expect_success 'recorded facts become found items' '
	aims_db system set credit-score --purpose "score consumer credit applications" \
		--intended-use "support loan officers" --oversight human-in-the-loop >/dev/null &&
	echo "a,b" >loans.csv && aims_db dataset register loans@2024 --file loans.csv >/dev/null &&
	echo m1 >m1.bin && aims_db model register credit@1 --file m1.bin --trained-on loans@2024 \
		--description "gradient boosted trees on 40 features" --run run-7 >/dev/null &&
	aims_db deploy record credit-score --model credit@1 --env production >/dev/null &&
	aims_as alice risk add credit-score --title "Evasion by crafted applications" --category adversarial-evasion \
		--owner bob --likelihood 2 --impact 3 >/dev/null &&
	aims_as alice risk treat RISK-001 --option modify --action "A.6.2.4: robustness tests" >/dev/null &&
	printf "y,p,s\n1,1,0.9\n0,0,0.2\n1,0,0.4\n0,1,0.7\n" >eval.csv &&
	aims_db eval performance --data eval.csv --label y --pred p --score s --system credit-score --record >/dev/null &&
	{ printf "role: provider\nprohibited_practice: none\nannex_i_safety_component: false\nannex_iii_area: 5(b)\n";
	  printf "art6_3_exemption: none\nprofiling: true\ninteracts_with_natural_persons: false\n";
	  printf "generates_synthetic_content: false\nemotion_recognition_or_biometric_categorisation: false\n";
	  printf "deep_fake: false\ngpai: false\nsystemic_risk: false\npublic_body_or_public_service: false\n"; } >a.yaml &&
	aims_db aiact classify credit-score --answers a.yaml >/dev/null &&
	id=$(aims_db aiact obligations credit-score --json | jq -r ".obligations[] | select(.key == \"art47-declaration-of-conformity\") | .id") &&
	aims_db aiact obligation set $id --status met --evidence "DoC-2026-001.pdf" >/dev/null &&
	aims_db aiact annex-iv credit-score --html pack.html --json >pack.json &&
	test_json pack.json ".found >= 10 and .found + .missing == .items and .items == $(jq .items bare.json)" &&
	test_grep -F "score consumer credit applications" pack.html &&
	test_grep -F "credit@1" pack.html &&
	test_grep -F "dataset:loans@2024" pack.html &&
	test_grep -F "DoC-2026-001.pdf" pack.html &&
	test_grep -F "EVAL-" pack.html &&
	test_grep -F "treated adversarial-attack risk" pack.html &&
	test_grep -F "classified high-risk" pack.html
'

test_expect_success 'development runs and data come from the lineage graph (OpenLineage)' '
	aims_db system add credit-scoring >/dev/null &&
	aims_db lineage ingest "$AIMS_SRC/fuzz/corpus/openlineage/pipeline.json" >/dev/null &&
	aims_db deploy record credit-scoring --model credit-risk@7 --env production >/dev/null &&
	aims_db aiact annex-iv credit-scoring --html lin.html >/dev/null &&
	test_grep -F "Training runs: run:0190f1a2-6c3d-7e4f-8a5b-1c2d3e4f5a02" lin.html &&
	test_grep -F "Datasets upstream in the lineage: dataset:s3://northwind-curated#features/credit@v41" lin.html
'

test_expect_success 'the pack is the HTML format of aiact.annex_iv; the counts are its JSON' '
	expect_exit 2 aims_db aiact annex-iv credit-score &&
	test_grep "missing --html FILE" err &&
	expect_exit 5 aims_db aiact annex-iv nobody &&
	aims_db aiact annex-iv credit-score --html again.html >again.txt &&
	test_grep "^wrote again.html: [0-9]+ Annex IV items, [0-9]+ found, [0-9]+ missing$" again.txt &&
	serve_store &&
	url="http://127.0.0.1:$(cat port)/api/v1/systems/credit-score/annex-iv" &&
	tok=$(cat "$TEST_DIR/.token-alice") &&
	curl -sf -H "Authorization: Bearer $tok" "$url" >api.json &&
	test_equal "$(jq -c "del(.html)" pack.json)" "$(jq -c . api.json)" &&
	curl -sf -D headers -H "Authorization: Bearer $tok" "$url?format=html" >api.html &&
	test_grep -i "^content-type: text/html" headers &&
	for n in 1 2 3 4 5 6 7 8 9; do
		test_grep "<h2>$n\. " api.html || return 1
	done &&
	AIMS_TOKEN=$tok "$AIMS" --server "http://127.0.0.1:$(cat port)" aiact annex-iv credit-score --html remote.html \
		--json >remote.json &&
	test_equal "$(jq -c "del(.html)" pack.json)" "$(jq -c "del(.html)" remote.json)" &&
	test_json remote.json ".html == \"remote.html\"" &&
	test_grep "<h2>9\. " remote.html
'

test_expect_success 'headless Chromium renders the Annex IV pack' '
	screenshot "$TEST_DIR/pack.html" pack.png &&
	read -r w h ink colors <<-EOF &&
	$(/usr/bin/python3 "$PNG_INK" pack.png)
	EOF
	awk -v ink="$ink" -v c="$colors" "BEGIN { exit !(ink > 0.02 && c >= 4) }"
'

done_testing
