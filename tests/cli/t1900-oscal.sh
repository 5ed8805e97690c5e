#!/bin/bash
# t1900-oscal: OSCAL 1.1.2 export of every kind from a store like the demo's,
# each validated with ajv-cli against NIST's official JSON schemas
# (tests/data/oscal, copied with their provenance); stable UUIDv5 ids (two
# exports of one state are identical, a write changes the document's uuid but
# not the controls'); the contents auditors look for; refusals; the API
# returns the CLI's document.

. "$(dirname "$0")/test-lib.sh"
. "$(dirname "$0")/lib-demo-store.sh"

AJV=$AIMS_SRC/node_modules/.bin/ajv
SCHEMAS=$AIMS_SRC/tests/data/oscal
if [ ! -x "$AJV" ]; then
	echo "Bail out! ajv-cli is missing: run 'npm ci' in $AIMS_SRC (scripts/deps.sh does)"
	exit 1
fi

# validate SCHEMA FILE: ajv-cli with the formats OSCAL uses, errors as text (the schemas are kept gzipped)
validate() {
	local s="$TEST_DIR/oscal_$1_schema.json"
	[ -s "$s" ] || gzip -dc "$SCHEMAS/oscal_$1_schema.json.gz" >"$s" || return 1
	"$AJV" validate --spec=draft7 -c ajv-formats --errors=text -s "$s" -d "$2" \
		>ajv.out 2>&1 || { cat ajv.out >&2; return 1; }
}

test_expect_success 'setup: a store like the demo' '
	demo_store
'

test_expect_success 'catalogs: ISO 42001 outline (our summaries, no ISO text) and the NIST AI RMF validate' '
	aims_db oscal export catalog --out cat.json >out.txt &&
	test_grep "^wrote cat.json \(OSCAL catalog\)$" out.txt &&
	validate catalog cat.json &&
	test_json cat.json ".catalog.metadata[\"oscal-version\"] == \"1.1.2\"" &&
	test_json cat.json "[.catalog.groups[].id] | index(\"a.6\") != null and index(\"clause-4\") != null" &&
	test_json cat.json "[.. | objects | select(.id? == \"a.6.2.4\")][0] | .props[0].value == \"A.6.2.4\" and .parts[0].name == \"overview\"" &&
	test_json cat.json "[.. | objects | select(.name? == \"statement\")] | length == 0" &&
	aims_db oscal export catalog --framework nist-ai-rmf-1.0 --out nist.json >/dev/null &&
	validate catalog nist.json &&
	test_json nist.json "[.. | objects | select(.id? == \"govern-1.1\")][0].parts[] | select(.name == \"statement\") | .prose | startswith(\"Legal and regulatory\")"
'

test_expect_success 'profile: the SoA (included, excluded with justification, status, owner) validates' '
	aims_db oscal export profile --out profile.json >/dev/null &&
	validate profile profile.json &&
	test_json profile.json ".profile.imports[0][\"exclude-controls\"][0][\"with-ids\"] == [\"a.10.4\"]" &&
	test_json profile.json ".profile.imports[0][\"include-controls\"][0][\"with-ids\"] | length == 37" &&
	test_json profile.json ".profile.modify.alters[] | select(.[\"control-id\"] == \"a.7.5\") | .adds[0] | (.props[] | select(.name == \"owner\") | .value == \"Head of Data\") and (.parts[0].prose | startswith(\"Credit models\"))"
'

test_expect_success 'component-definition: aims and the AI system with the controls they implement' '
	aims_db oscal export component-definition --out cd.json >/dev/null &&
	validate component cd.json &&
	test_json cd.json "[.[\"component-definition\"].components[].title] == [\"aims\", \"credit-score\"]" &&
	test_json cd.json ".[\"component-definition\"].components[1][\"control-implementations\"][0][\"implemented-requirements\"] | map(.[\"control-id\"]) | index(\"a.6.2.4\") != null"
'

test_expect_success 'ssp of the AI system: inventory facts, requirements, links to evidence' '
	aims_db oscal export ssp --system credit-score --out ssp.json >/dev/null &&
	validate ssp ssp.json &&
	test_json ssp.json ".[\"system-security-plan\"][\"system-characteristics\"] | .[\"system-name\"] == \"credit-score\" and .status.state == \"operational\"" &&
	test_json ssp.json "[.[\"system-security-plan\"][\"system-implementation\"].components[].title] == [\"credit-score\", \"model:credit-risk@7\"]" &&
	test_json ssp.json ".[\"system-security-plan\"][\"control-implementation\"][\"implemented-requirements\"] | length == 38" &&
	test_json ssp.json ".[\"system-security-plan\"][\"control-implementation\"][\"implemented-requirements\"][] | select(.[\"control-id\"] == \"a.10.4\") | .statements[0][\"by-components\"][0][\"implementation-status\"].state == \"not-applicable\"" &&
	test_json ssp.json ".[\"system-security-plan\"][\"control-implementation\"][\"implemented-requirements\"][] | select(.[\"control-id\"] == \"a.6.2.4\") | [.links[].text] | index(\"EVAL-0001\") != null"
'

test_expect_success 'assessment-results: gap findings, evaluations with their digests' '
	aims_db oscal export assessment-results --out ar.json >/dev/null &&
	validate assessment-results ar.json &&
	aims_db eval list --json >evals.json &&
	d=$(jq -r ".evaluations[0].digest" evals.json) &&
	test_json ar.json "[.[\"assessment-results\"][\"back-matter\"].resources[] | select(.title | startswith(\"Evaluation EVAL-0001\")) | .rlinks[0].hashes[0].value] == [\"${d#sha256:}\"]" &&
	test_json ar.json ".[\"assessment-results\"].results[0].findings | length == 69" &&
	test_json ar.json "[.[\"assessment-results\"].results[0].observations[] | select(.methods == [\"TEST\"])] | length == 2" &&
	aims_db oscal export assessment-results --system credit-score --out ar-s.json >/dev/null &&
	validate assessment-results ar-s.json
'

test_expect_success 'poam: gaps and the accepted risk' '
	aims_db oscal export poam --out poam.json >/dev/null &&
	validate poam poam.json &&
	test_json poam.json ".[\"plan-of-action-and-milestones\"].risks | length == 1 and .[0].status == \"deviation-approved\"" &&
	test_json poam.json "[.[\"plan-of-action-and-milestones\"][\"poam-items\"][] | select(.title | startswith(\"Accepted risk RISK-005\"))] | length == 1" &&
	aims_db oscal export poam --system credit-score --out poam-s.json >/dev/null &&
	validate poam poam-s.json &&
	test_json poam-s.json ".[\"plan-of-action-and-milestones\"][\"system-id\"].id == \"credit-score\""
'

test_expect_success 'the schemas reject what they must (the validation can fail)' '
	jq "del(.profile.imports)" profile.json >bad.json &&
	! validate profile bad.json &&
	jq ".catalog.uuid = \"not-a-uuid\"" cat.json >bad.json &&
	! validate catalog bad.json
'

test_expect_success 'stable: one state exports identically; a write changes the document uuid only' '
	aims_db oscal export profile >p1.json &&
	aims_db oscal export profile >p2.json &&
	test_cmp p1.json p2.json &&
	aims_db soa set A.9.2 --owner "Head of Credit" >/dev/null &&
	aims_db oscal export profile >p3.json &&
	! test_cmp p1.json p3.json 2>/dev/null &&
	test_equal "$(jq -r .profile[\"back-matter\"].resources[0].uuid p1.json)" \
		"$(jq -r .profile[\"back-matter\"].resources[0].uuid p3.json)" &&
	test "$(jq -r .profile.uuid p1.json)" != "$(jq -r .profile.uuid p3.json)" &&
	/usr/bin/python3 -c "import uuid; print(uuid.uuid5(uuid.UUID(\"3b0e8f52-615d-5c2e-9a44-7c1f0d6e4219\"), \"resource/catalog/iso42001-2023\"))" >want &&
	jq -r .profile[\"back-matter\"].resources[0].uuid p1.json >got &&
	test_cmp want got
'

test_expect_success 'refusals: unknown kind (3), ssp without a system (2), unknown system (5)' '
	expect_exit 3 aims_db oscal export mapping &&
	test_grep "kind" err &&
	expect_exit 2 aims_db oscal export ssp &&
	test_grep "system" err &&
	expect_exit 5 aims_db oscal export ssp --system ghost &&
	expect_exit 5 aims_db oscal export catalog --framework nist-csf-2.0 &&
	expect_exit 2 aims_db oscal export poam --framework nist-ai-rmf-1.0
'

soa_decisions() {
	jq -c "[.controls[] | select(.decided or .status or .owner or .justification) |
		{control, decided, applicable, justification, status, owner}]"
}

test_expect_success 'round trip: the exported profile imported into a fresh store reproduces the SoA decisions' '
	aims_db oscal export profile --out rt.json >/dev/null &&
	aims_db soa --json | soa_decisions >want.json &&
	test_json want.json "length == 3" &&
	aims_at fresh.db init --org "Somewhere Else" >/dev/null &&
	aims_at fresh.db oscal import rt.json >out.txt &&
	test_grep "^recorded the ISO/IEC 42001 SoA decisions of the OSCAL profile rt.json: 3 controls, 1 excluded$" out.txt &&
	aims_at fresh.db soa --json | soa_decisions >got.json &&
	test_cmp want.json got.json &&
	aims_at fresh.db ledger log >log.txt &&
	test_grep "soa-control +A.10.4" log.txt
'

test_expect_success 'ISO 27001 SSP of another GRC tool: a new ISMS version (status, justification, owner, evidence)' '
	aims_at isms.db init --org "Northwind Lending GmbH" >/dev/null &&
	aims_at isms.db oscal import "$AIMS_SRC/tests/data/oscal/iso27001-ssp.json" --json >imp.json &&
	test_json imp.json ".target == \"isms\" and .model == \"system-security-plan\" and .isms_version == 1 and .controls == 5 and .excluded == 1" &&
	aims_at isms.db isms show --json >isms.json &&
	test_json isms.json "[.controls[] | select(.control == \"A.5.15\")][0] | .status == \"partial\" and .owner == \"IT Operations\" and .evidence == [\"ISMS-ACP-002\"]" &&
	test_json isms.json "[.controls[] | select(.control == \"A.7.4\")][0] | .applicable == false and (.justification | startswith(\"Offices\"))" &&
	test_json isms.json "[.controls[] | select(.control == \"9.2.1\")][0].status == \"implemented\"" &&
	aims_at isms.db gap --json >gap.json &&
	test_json gap.json ".summary.requirements == 70"
'

test_expect_success 'ISO 27001 profile: include-all with exclusions and alterations; versions kept' '
	aims_at isms.db oscal import "$AIMS_SRC/tests/data/oscal/iso27001-profile.json" >out.txt &&
	test_grep "^imported ISMS state version 2 from the OSCAL profile .*: 123 controls, 2 excluded$" out.txt &&
	aims_at isms.db isms show --json >isms.json &&
	test_json isms.json ".summary.excluded == 2 and .summary.implemented == 1" &&
	test_json isms.json "[.controls[] | select(.control == \"A.8.19\")][0].justification | startswith(\"No software\")" &&
	aims_at isms.db isms versions --json >v.json &&
	test_json v.json ".versions | length == 2"
'

test_expect_success 'bad documents: file, line and JSON path named, nothing written' '
	aims_at isms.db isms versions --json >v0.json &&
	jq ".profile.imports[0][\"exclude-controls\"][0][\"with-ids\"] += [\"a.99.1\"]" \
		"$AIMS_SRC/tests/data/oscal/iso27001-profile.json" >bad1.json &&
	expect_exit 3 aims_at isms.db oscal import bad1.json &&
	test_grep "bad1.json. line [0-9]+: profile.imports\[0\].exclude-controls\[0\].with-ids\[2\]: .a.99.1. is not an ISO/IEC 27001:2022 control" err &&
	jq "del(.profile.modify.alters[1])" "$AIMS_SRC/tests/data/oscal/iso27001-profile.json" >bad2.json &&
	expect_exit 3 aims_at isms.db oscal import bad2.json &&
	test_grep "control A.8.19 is excluded without a justification" err &&
	jq ".[\"system-security-plan\"][\"control-implementation\"][\"implemented-requirements\"][1][\"by-components\"][0][\"implementation-status\"].state = \"done\"" \
		"$AIMS_SRC/tests/data/oscal/iso27001-ssp.json" >bad3.json &&
	expect_exit 3 aims_at isms.db oscal import bad3.json &&
	test_grep "implemented-requirements\[1\].by-components\[0\].implementation-status.state: status .done." err &&
	printf "{\"profile\": {\"imports\": [}}" >bad4.json &&
	expect_exit 3 aims_at isms.db oscal import bad4.json &&
	test_grep "bad4.json" err &&
	echo "{\"catalog\": {}}" >bad5.json &&
	expect_exit 3 aims_at isms.db oscal import bad5.json &&
	test_grep "one OSCAL profile or system-security-plan" err &&
	jq ".profile.imports[0][\"include-controls\"] = [{\"with-ids\": [\"a.7.4\"]}]" \
		"$AIMS_SRC/tests/data/oscal/iso27001-profile.json" >bad6.json &&
	expect_exit 3 aims_at isms.db oscal import bad6.json &&
	test_grep "both included and excluded" err &&
	aims_at isms.db isms versions --json >v1.json &&
	test_cmp v0.json v1.json
'

test_expect_success 'permissions: an auditor may export but not import (exit 7), nothing written' '
	test_account audrey auditor &&
	aims_as audrey oscal export poam >/dev/null &&
	expect_exit 7 aims_as audrey oscal import rt.json &&
	aims_db soa --json | soa_decisions >after.json &&
	test_cmp want.json after.json
'

test_expect_success 'the API returns the CLI document (GET /api/v1/oscal/{kind}) and aims --server prints it' '
	serve_store &&
	aims_db oscal export ssp --system credit-score | jq -S . >cli.json &&
	curl -sf -H "Authorization: Bearer $(cat "$TEST_DIR/.token-alice")" \
		"http://127.0.0.1:$(cat port)/api/v1/oscal/ssp?system=credit-score" | jq -S . >api.json &&
	aims_as alice --server "http://127.0.0.1:$(cat port)" oscal export ssp --system credit-score | jq -S . >remote.json &&
	test_cmp cli.json api.json &&
	test_cmp cli.json remote.json &&
	test_json api.json ".[\"system-security-plan\"][\"system-characteristics\"][\"system-name\"] == \"credit-score\""
'

AR='.["assessment-results"]'
PM='.["plan-of-action-and-milestones"]'

test_expect_success 'assessment-results: each gate check an observation with its record digest, a finding per gate' '
	demo_oversight &&
	aims_db oscal export assessment-results --out ar2.json >/dev/null &&
	validate assessment-results ar2.json &&
	aims_db gate checks --json >gc.json &&
	d1=$(jq -r ".checks[] | select(.check_id == \"GC-000001\") | .digest" gc.json) &&
	test_json ar2.json "[$AR.results[0].observations[] | select(any(.props[]?; .name == \"gate-check-id\" and .value == \"GC-000001\"))
		| (.props[] | select(.name == \"record-digest\") | .value)] == [\"$d1\"]" &&
	test_json ar2.json "[$AR[\"back-matter\"].resources[] | select(.title | startswith(\"Gate check GC-000001 \"))
		| .rlinks[0].hashes[0].value] == [\"${d1#sha256:}\"]" &&
	test_json ar2.json "[$AR.results[0].findings[] | select(.title | startswith(\"Lifecycle gate\"))
		| [.target[\"target-id\"], .target.status.state, (.props[] | select(.name == \"gate-outcome\") | .value)]] ==
		[[\"a.6.2.4_smt\", \"not-satisfied\", \"refused\"], [\"a.6.2.5_smt\", \"satisfied\", \"passed\"]]" &&
	u=$(jq -r "$AR.results[0].observations[] | select(any(.props[]?; .name == \"gate-check-id\" and .value == \"GC-000001\")) | .uuid" ar2.json) &&
	test_json ar2.json "[$AR.results[0].findings[] | select(.title | startswith(\"A.6.2.4 \")) | .[\"related-observations\"][][\"observation-uuid\"]]
		| index(\"$u\") != null" &&
	aims_db oscal export ssp --system credit-score --out ssp2.json >/dev/null &&
	validate ssp ssp2.json &&
	SP=".[\"system-security-plan\"][\"control-implementation\"][\"implemented-requirements\"][]" &&
	test_json ssp2.json "[$SP | select(.[\"control-id\"] == \"a.6.2.4\") | .links[].text] | index(\"gate-check:GC-000001\") != null" &&
	test_json ssp2.json "[$SP | select(.[\"control-id\"] == \"a.6.2.5\") | .links[].text] | index(\"gate-check:GC-000002\") != null" &&
	test_json ssp2.json "[$SP | select(.[\"control-id\"] == \"a.6.2.6\") | .links[]?.text | select(startswith(\"gate-check:\"))] == []" &&
	aims_db system add fraud-check --purpose "flag suspicious payments" >/dev/null &&
	aims_db oscal export assessment-results --system fraud-check --out ar3.json >/dev/null &&
	validate assessment-results ar3.json &&
	test_json ar3.json "[.. | objects | select(.name? == \"gate-check-id\")] == []"
'

test_expect_success 'poam: the refused gate (not the passed one), the open nonconformity and its overdue corrective action' '
	aims_db oscal export poam --out poam2.json >/dev/null &&
	validate poam poam2.json &&
	test_json poam2.json "[$PM[\"poam-items\"][] | select(any(.props[]?; .name == \"gate-check-id\"))
		| [(.props[] | select(.name == \"gate-check-id\") | .value), (.props[] | select(.name == \"label\") | .value)]] ==
		[[\"GC-000001\", \"A.6.2.4\"]]" &&
	test_json poam2.json "[$PM[\"poam-items\"][] | select(.title | startswith(\"Nonconformity NC-001: \"))
		| (.props[] | select(.name == \"label\" or .name == \"owner\" or .name == \"due\") | .value)] == [\"9.1\", \"bob\", \"2026-01-31\"]" &&
	test_json poam2.json "[$PM[\"poam-items\"][] | select(.title | startswith(\"Corrective action CA-001 for NC-001: \"))
		| (.props[] | select(.name == \"overdue\") | .value)] == [\"true\"]" &&
	aims_db oscal export poam --system fraud-check --out poam3.json >/dev/null &&
	validate poam poam3.json &&
	test_json poam3.json "[$PM[\"poam-items\"][] | select(.title | test(\"NC-001|CA-001|gate\"))] == []" &&
	aims_db oscal export poam --out poam2b.json >/dev/null && test_cmp poam2.json poam2b.json
'

test_expect_success 'poam: decisions waiting for review longer than the policy'"'"'s due_days, by the clock' '
	n=$(aims_db review list --json | jq "[.reviews[] | select(.status != \"reviewed\")] | length") &&
	test "$n" -gt 0 &&
	first=$(aims_db review list --status pending --json | jq -r ".reviews[0].id") &&
	AIMS_TEST_NOW=$(date -u -d "+2 days" +%Y-%m-%dT%H:%M:%SZ) "$AIMS_TESTCLOCK" --db "$TEST_DB" \
		oscal export poam --out early.json >/dev/null &&
	test_json early.json "[$PM[\"poam-items\"][] | select(.title | test(\"waiting longer than\"))] == []" &&
	AIMS_TEST_NOW=$(date -u -d "+4 days" +%Y-%m-%dT%H:%M:%SZ) "$AIMS_TESTCLOCK" --db "$TEST_DB" \
		oscal export poam --out late.json >/dev/null &&
	validate poam late.json &&
	test_json late.json "[$PM[\"poam-items\"][] | select(.title | test(\"waiting longer than 3 days for human review\"))
		| [(.props[] | select(.name == \"overdue-reviews\" or .name == \"oldest-review\" or .name == \"ai-system\") | .value)]] ==
		[[\"credit-score\", \"$n\", \"$first\"]]"
'

done_testing
