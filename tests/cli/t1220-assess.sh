#!/bin/bash
# t1220-assess: AI system impact assessments: a questionnaire in YAML and in
# JSON, refusals naming file, line and key, versions, four-eyes approval
# between accounts (the author's approval exit 7, another account's
# accepted), the audit trail naming them, and the assessment falling due
# again when the system changes significantly (new model deployed, new
# intended use, new data source).

. "$(dirname "$0")/test-lib.sh"

write_answers() {
	cat >"$1" <<-'EOF'
	intended_use: Score consumer credit applications to support a loan officer's decision.
	affected_groups:
	  - group: loan applicants
	    description: private persons applying for consumer credit
	    vulnerable: false
	  - group: applicants with a thin credit history
	    vulnerable: true
	benefits:
	  - faster decisions
	  - consistent criteria across branches
	harms:
	  - harm: an applicant is refused credit because of a biased score
	    level: individual
	    affected: loan applicants
	    severity: high
	    reversibility: partially-reversible
	  - harm: whole neighbourhoods are under-served
	    level: society
	    affected: residents of some postcodes
	    severity: medium
	    reversibility: reversible
	misuse:
	  - using the score for marketing offers
	mitigations:
	  - monthly fairness report
	  - a loan officer reviews every refusal
	human_oversight: A loan officer confirms or overrides every refusal.
	EOF
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

test_expect_success 'setup: a system with a model trained on a registered dataset; accounts' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	test_account alice compliance-manager &&
	test_account bob risk-owner &&
	aims_db system add credit-score --purpose "credit scoring" --intended-use "support loan officers" >/dev/null &&
	echo "a,b" >loans.csv && echo "a,b,c" >loans2.csv &&
	aims_db dataset register loans@2024 --file loans.csv >/dev/null &&
	aims_db dataset register loans@2025 --file loans2.csv >/dev/null &&
	echo m1 >m1.bin && echo m2 >m2.bin && echo m3 >m3.bin &&
	aims_db model register credit@1 --file m1.bin --trained-on loans@2024 >/dev/null &&
	aims_db model register credit@2 --file m2.bin --trained-on loans@2024 >/dev/null &&
	aims_db model register credit@3 --file m3.bin --trained-on loans@2024 --trained-on loans@2025 >/dev/null &&
	aims_db deploy record credit-score --model credit@1 --env production >/dev/null
'

test_expect_success 'assess impact records a draft version with digests and an audit entry' '
	write_answers ia.yaml &&
	aims_as alice assess impact credit-score --answers ia.yaml --json >ia.json &&
	test_json ia.json ".id == \"IA-001\" and .version == 1 and .status == \"draft\" and .author == \"alice\" and .approver == null" &&
	test_json ia.json ".answers.harms[0].severity == \"high\" and .answers.affected_groups[1].vulnerable == true" &&
	test_json ia.json "(.digest | startswith(\"sha256:\")) and .source_digest == \"sha256:$(sha256sum ia.yaml | cut -d" " -f1)\"" &&
	test_json ia.json ".system_due == true and .due_reasons == \"no approved impact assessment\"" &&
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"impact-assessment\" and .action == \"create\")] | length == 1"
'

test_expect_success 'the same questionnaire as JSON has the same canonical digest' '
	jq -n --slurpfile x <(aims_db assess show IA-001 --json | jq .answers) "\$x[0]" >ia.json.in &&
	aims_as alice assess impact credit-score --answers ia.json.in --json >ia2.json &&
	test_json ia2.json ".version == 2 and .digest == $(jq .digest ia.json)"
'

test_expect_success 'bad questionnaires: unknown, missing, wrong type, bad value; exit 3 naming file, line and key' '
	write_answers good.yaml &&
	sed "s/^human_oversight:/oversight_mode:/" good.yaml >unknown.yaml &&
	expect_exit 3 aims_db assess impact credit-score --answers unknown.yaml &&
	test_grep "^error: .unknown.yaml. line 27: oversight_mode: unknown key" err &&
	grep -v "^human_oversight:" good.yaml >missing.yaml &&
	expect_exit 3 aims_db assess impact credit-score --answers missing.yaml &&
	test_grep "missing.yaml. line 1: human_oversight: missing answer" err &&
	sed "s/^    severity: high/    severity: catastrophic/" good.yaml >enum.yaml &&
	expect_exit 3 aims_db assess impact credit-score --answers enum.yaml &&
	test_grep "^error: .enum.yaml. line 15: harms\[0\].severity: .catastrophic. is not one of low, medium, high, critical" err &&
	sed "s/^    vulnerable: true/    vulnerable: often/" good.yaml >type.yaml &&
	expect_exit 3 aims_db assess impact credit-score --answers type.yaml &&
	test_grep "^error: .type.yaml. line 7: affected_groups\[1\].vulnerable: wrong type" err &&
	sed "/reversibility: reversible$/d" good.yaml >harm.yaml &&
	expect_exit 3 aims_db assess impact credit-score --answers harm.yaml &&
	test_grep "harm.yaml. line [0-9]+: harms\[1\].reversibility: missing answer" err &&
	sed "s/^benefits:/benefits: []\nx:/" good.yaml >empty.yaml &&
	expect_exit 3 aims_db assess impact credit-score --answers empty.yaml &&
	aims_db assess list --json >l.json &&
	test_json l.json "(.assessments | length) == 2"
'

test_expect_success 'four eyes: the author may not approve (exit 7, naming both); --approver is gone' '
	expect_exit 7 aims_as alice assess approve IA-001 &&
	test_grep "IA-001 needs four eyes: its author .alice. may not approve it \(acting as .alice.\)" err &&
	expect_exit 2 aims_as bob assess approve IA-001 --approver carol &&
	test_grep "unknown option .--approver." err &&
	aims_db assess show IA-001 --json >still.json &&
	test_json still.json ".status == \"draft\" and .approver == null"
'

test_expect_success 'another account approves; the system state is recorded' '
	aims_as bob assess approve IA-001 --json >ap.json &&
	test_json ap.json ".status == \"approved\" and .author == \"alice\" and .approver == \"bob\" and .snapshot.model == \"credit@1\" and .snapshot.data_sources == [\"dataset:loans@2024\"]" &&
	test_json ap.json ".system_due == false and .due_reasons == null" &&
	expect_exit 3 aims_as bob assess approve IA-001 &&
	test_grep "only a draft can be approved" err &&
	aims_as bob assess approve IA-002 >ok.txt &&
	test_grep "^IA-002 approved by bob$" ok.txt &&
	aims_db assess list --json >l2.json &&
	test_json l2.json "[.assessments[].status] == [\"superseded\", \"approved\"] and .systems == [{system: \"credit-score\", due: false, reasons: null}]" &&
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"impact-assessment\") | [.action, .actor]] == [[\"create\", \"alice\"], [\"create\", \"alice\"], [\"approve\", \"bob\"], [\"approve\", \"bob\"]]"
'

test_expect_success 'due again: new model deployed, then a new data source, then a new intended use' '
	aims_db deploy record credit-score --model credit@2 --env production >/dev/null &&
	aims_db assess list --json >d1.json &&
	test_json d1.json ".systems[0].due == true and (.systems[0].reasons | contains(\"new model deployed (credit@1 -> credit@2)\"))" &&
	write_answers ia3.yaml && aims_as alice assess impact credit-score --answers ia3.yaml >rec.txt &&
	test_grep "^recorded IA-003 for credit-score \(draft; approve with .aims assess approve IA-003.\)$" rec.txt &&
	aims_as bob assess approve IA-003 >/dev/null &&
	aims_db assess list --json >d2.json &&
	test_json d2.json ".systems[0].due == false" &&
	aims_db deploy record credit-score --model credit@3 --env production >/dev/null &&
	aims_db assess list --json >d3.json &&
	test_json d3.json ".systems[0].reasons | contains(\"new data source dataset:loans@2025\")" &&
	write_answers ia4.yaml && aims_as alice assess impact credit-score --answers ia4.yaml >/dev/null &&
	aims_as bob assess approve IA-004 >/dev/null &&
	aims_db system set credit-score --intended-use "decide loans automatically" >/dev/null &&
	aims_db assess list >d4.txt &&
	test_grep "credit-score: impact assessment due: new intended use" d4.txt
'

test_expect_success 'data sources from the lineage graph: a dataset a training run used counts' '
	aims_db system add credit-scoring --purpose "scores loan applications" >/dev/null &&
	aims_db lineage ingest "$AIMS_SRC/fuzz/corpus/openlineage/pipeline.json" >/dev/null &&
	aims_db deploy record credit-scoring --model credit-risk@7 --env production >/dev/null &&
	write_answers ls.yaml && aims_as alice assess impact credit-scoring --answers ls.yaml --json >ls.json &&
	id=$(jq -r .id ls.json) &&
	aims_as bob assess approve $id --json >lsa.json &&
	test_json lsa.json ".snapshot.data_sources | index(\"dataset:s3://northwind-curated#features/credit@v41\") != null" &&
	test_json lsa.json ".snapshot.data_sources | any(startswith(\"dataset:s3://northwind-raw#applications/2026-02.parquet\"))" &&
	jq ".[3] | .eventTime = \"2026-03-05T10:00:00Z\" | .inputs += [{namespace: \"s3://bureau\", name: \"scores\"}]" \
		"$AIMS_SRC/fuzz/corpus/openlineage/pipeline.json" >extra.json &&
	aims_db lineage ingest extra.json >/dev/null &&
	aims_db assess list --system credit-scoring --json >ls2.json &&
	test_json ls2.json ".systems[0].due == true and (.systems[0].reasons | contains(\"new data source dataset:s3://bureau#scores\"))"
'

test_expect_success 'the CLI --json and the API give the same assessment document' '
	serve_store &&
	API_AS=bob API_PATH=/impact-assessments/IA-001 same_json assess show IA-001 &&
	test_json api.json ".id == \"IA-001\" and .author == \"alice\" and .approver == \"bob\" and has(\"system_due\")"
'

test_expect_success 'show and list in text; unknown ids' '
	aims_db assess show IA-001 >show.txt &&
	test_grep "IA-001  credit-score version 1  superseded" show.txt &&
	expect_exit 5 aims_db assess show IA-404 &&
	expect_exit 5 aims_db assess impact nobody --answers ia.yaml &&
	expect_exit 5 aims_db assess impact credit-score --answers no-such.yaml &&
	mkdir answers.d && expect_exit 3 aims_db assess impact credit-score --answers answers.d &&
	test_grep "answers.d. is a directory" err &&
	write_answers stdin.yaml && aims_as alice assess impact credit-score --answers - --json <stdin.yaml >in.json &&
	test_json in.json ".source == \"standard input\" and .source_digest == \"sha256:$(sha256sum stdin.yaml | cut -d" " -f1)\""
'

done_testing
