#!/bin/bash
# t1020-cards: model cards, dataset datasheets and AI system technical
# documentation from the inventory and the lineage graph: Markdown sections
# (unknown ones say "Not recorded."), the same Markdown in --json,
# self-contained HTML with escaped content, and headless Chromium rendering
# the system card and an SVG lineage graph with visible ink.

. "$(dirname "$0")/test-lib.sh"

PNG_INK=$AIMS_SRC/tests/cli/png-ink.py
PIPELINE=$AIMS_SRC/fuzz/corpus/openlineage/pipeline.json

screenshot() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$TEST_DIR/chromium" --hide-scrollbars --window-size=${3:-1000,1400} \
		--screenshot="$2" "file://$1" >chromium.log 2>&1 &&
	test -s "$2"
}

test_expect_success 'setup: a system, a registered dataset and model, a pipeline, a deployment' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	aims_db system add credit-scoring --purpose "Scores <consumer> loan applications" --owner "Head of Credit Risk" \
		--intended-use "Decision support for credit officers" --misuse "Automated rejection without review" \
		--affected-groups "loan applicants" --role provider --oversight human-in-the-loop >/dev/null &&
	printf "id,income\n1,2500\n" >applications.csv &&
	aims_db dataset register applications@2026-02 --file applications.csv --source "core banking" \
		--licence internal --personal-data yes --motivation "Train the credit risk model" \
		--biases "urban applicants over-represented" >/dev/null &&
	printf "weights" >model.bin &&
	aims_db model register credit-risk@6 --file model.bin --trained-on applications@2026-02 \
		--framework "scikit-learn 1.2" --licence proprietary >/dev/null &&
	aims_db lineage ingest "$PIPELINE" >/dev/null &&
	test_account alice ml-engineer &&
	aims_as alice deploy record credit-scoring --model credit-risk@6 --env staging --at 2026-02-20T09:00:00Z >/dev/null &&
	aims_as alice deploy record credit-scoring --model credit-risk@7 --env production --at 2026-03-02T09:00:00Z --notes "CHG-7" >/dev/null
'

test_expect_success 'card dataset: the seven datasheet sections, unknown ones not recorded' '
	aims_db card dataset applications@2026-02 >ds.md &&
	for s in Motivation Composition Collection Preprocessing Uses Distribution Maintenance; do
		test_grep "^## $s\$" ds.md || return 1
	done &&
	test_grep "^Train the credit risk model\$" ds.md &&
	test_grep "\*\*Known biases:\*\* urban applicants over-represented" ds.md &&
	test_grep "\*\*Personal data:\*\* yes" ds.md &&
	test_grep "^- .model:credit-risk@6.\$" ds.md &&
	test_grep "^- .system:credit-scoring.\$" ds.md &&
	test "$(grep -c "^Not recorded.\$" ds.md)" -eq 2 &&
	test_grep -F "| SHA-256 | sha256:$(sha256sum applications.csv | cut -d" " -f1) |" ds.md
'

test_expect_success 'card dataset from OpenLineage: the schema facet and the producing run' '
	aims_db card dataset "applications/2026-02.parquet" >raw.md &&
	test_grep -F "| income | double | monthly net income, EUR |" raw.md &&
	aims_db card dataset features/credit >feat.md &&
	test_grep "^- .run:0190f1a2-6c3d-7e4f-8a5b-1c2d3e4f5a01.\$" feat.md &&
	test_grep "northwind_quality" feat.md
'

test_expect_success 'card model: digest, training data and runs, deployments' '
	aims_db card model credit-risk@6 >m6.md &&
	test_grep -F "| Digest | sha256:$(sha256sum model.bin | cut -d" " -f1) |" m6.md &&
	test_grep "^- .dataset:applications@2026-02.\$" m6.md &&
	test_grep -F "| credit-scoring | staging | 2026-02-20T09:00:00Z | alice |" m6.md &&
	aims_db card model credit-risk@7 >m7.md &&
	test_grep "run:0190f1a2-6c3d-7e4f-8a5b-1c2d3e4f5a02. of job .airflow-risk#credit.train_model., state COMPLETE" m7.md &&
	test_grep "No artifact digest is recorded" m7.md
'

test_expect_success 'card system: the technical documentation sections' '
	aims_db card system credit-scoring >sys.md &&
	for s in Purpose Components Data Evaluations Risks "Human oversight" "Deployment history"; do
		test_grep "^## $s\$" sys.md || return 1
	done &&
	test_grep "\*\*Reasonably foreseeable misuse:\*\* Automated rejection without review" sys.md &&
	test_grep -F "| \`credit-risk@7\` | not recorded | - | - | production |" sys.md &&
	test_grep -F "| \`credit-risk@6\` | \`sha256:" sys.md &&
	test_grep -F "s3://northwind-raw#applications/2026-02.parquet@2026-02" sys.md &&
	test_grep "No evaluations are recorded for this system" sys.md &&
	test_grep "No risks are recorded for this system" sys.md &&
	test_grep "human-in-the-loop" sys.md &&
	test_grep -F "| 2 | 2026-03-02T09:00:00Z | \`credit-risk@7\` | production | alice | CHG-7 |" sys.md &&
	expect_exit 5 aims_db card system nosuch
'

test_expect_success 'card --json: the Markdown in a document' '
	aims_db card model credit-risk@6 --json >m6.json &&
	test_json m6.json ".card == \"model\" and .subject == \"credit-risk@6\" and (.markdown | startswith(\"# \"))" &&
	jq -j .markdown m6.json >m6-json.md &&
	test_cmp m6.md m6-json.md &&
	aims_db card system credit-scoring --json >sys.json &&
	test_json sys.json ".card == \"system\" and .subject == \"credit-scoring\"" &&
	expect_exit 5 aims_db card dataset nosuch@1 --json
'

test_expect_success 'HTML cards are self-contained and escape the content' '
	aims_db card system credit-scoring --html sys.html &&
	aims_db card model credit-risk@6 --html m.html &&
	aims_db card dataset applications@2026-02 --html ds.html &&
	test_grep -F "Scores &lt;consumer&gt; loan applications" sys.html &&
	test_grep_not "<consumer>" sys.html &&
	test_grep_not "<script" sys.html &&
	test_grep_not "src=\"http" sys.html &&
	test_grep "<h1>AI system: credit-scoring</h1>" sys.html &&
	test_grep "<h3>Deployment history</h3>" sys.html &&
	test_grep "Northwind Lending GmbH" sys.html &&
	test_grep "<h3>Maintenance</h3>" ds.html &&
	test_grep "<h3>Training data</h3>" m.html
'

test_expect_success 'headless Chromium renders the system card and the lineage SVG' '
	screenshot "$TEST_DIR/sys.html" sys.png &&
	read -r w h ink colors <<-EOF &&
	$(/usr/bin/python3 "$PNG_INK" sys.png)
	EOF
	awk -v ink="$ink" "BEGIN { exit !(ink > 0.02) }" &&
	aims_db lineage graph system:credit-scoring --format svg --out g.svg &&
	screenshot "$TEST_DIR/g.svg" g.png 1800,400 &&
	read -r w h ink colors <<-EOF &&
	$(/usr/bin/python3 "$PNG_INK" g.png)
	EOF
	awk -v ink="$ink" -v c="$colors" "BEGIN { exit !(ink > 0.02 && c >= 5) }"
'

done_testing
