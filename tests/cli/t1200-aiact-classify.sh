#!/bin/bash
# t1200-aiact-classify: EU AI Act classification from answers files: the
# seven cases of issue 7 (CV screening, credit scoring, social scoring, a
# chatbot, a spam filter, an Annex III system with an Art. 6(3) exemption,
# the same with profiling), JSON answers, refusals of bad answers files
# naming file, line and key, and obligations as tracked items. The documents
# are the operations' (aiact.*): the CLI's --json equals the API's, writes
# need aiact.manage and name the acting principal, obligation set needs
# If-Match over HTTP, the FRIA Markdown is a format of its operation.

. "$(dirname "$0")/test-lib.sh"

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

# api METHOD PATH ACCOUNT [CURL-ARGS...]: the HTTP status on stdout, the body in ./body
api() {
	local method=$1 path=$2 who=$3
	shift 3
	curl -s -o body -w "%{http_code}" -X "$method" -H "Authorization: Bearer $(cat "$TEST_DIR/.token-$who")" \
		"$@" "http://127.0.0.1:$(cat port)/api/v1$path"
}

# answers_v1 FILE [key=value ...]: a version 1 file (the 13 keys before issue 17)
answers_v1() {
	local file=$1
	shift
	{
		echo "# a version 1 answers file"
		for kv in role=provider prohibited_practice=none annex_i_safety_component=false annex_iii_area=none \
			art6_3_exemption=none profiling=false interacts_with_natural_persons=false \
			generates_synthetic_content=false emotion_recognition_or_biometric_categorisation=false \
			deep_fake=false gpai=false systemic_risk=false public_body_or_public_service=false; do
			local k=${kv%%=*} v=${kv#*=}
			for o in "$@"; do
				[ "${o%%=*}" = "$k" ] && v=${o#*=}
			done
			echo "$k: $v"
		done
	} >"$file"
}

# answers FILE [key=value ...]: every key with a harmless default, then the overrides
answers() {
	local file=$1
	shift
	{
		echo "# answers written by t1200"
		for kv in role=provider art2_exclusion=none prohibited_practice=none annex_i_safety_component=false \
			annex_i_section_b=false annex_iii_area=none art6_3_exemption=none profiling=false \
			interacts_with_natural_persons=false generates_synthetic_content=false emotion_recognition=false \
			biometric_categorisation=none deep_fake=false gpai=false systemic_risk=false gpai_open_source=false \
			builds_on_third_party_gpai=false free_open_source_licence=false public_authority=false \
			provides_public_service=false affects_workers=true law_enforcement_or_migration=false; do
			local k=${kv%%=*} v=${kv#*=}
			for o in "$@"; do
				[ "${o%%=*}" = "$k" ] && v=${o#*=}
			done
			echo "$k: $v"
		done
	} >"$file"
}

test_expect_success 'setup: a store with one AI system per case' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	for s in cv-screen credit-score social-score chatbot spam-filter doc-sorter doc-sorter-profiling fresh \
		legacy grid-control border-check; do
		aims_db system add $s --purpose "test system $s" >/dev/null || return 1
	done
'

test_expect_success 'CV screening for recruitment (4(a)) by a provider: high-risk, Art. 9-15 and 17' '
	answers cv.yaml role=provider "annex_iii_area=4(a)" profiling=true &&
	aims_db aiact classify cv-screen --answers cv.yaml --json >cv.json &&
	test_json cv.json ".tier == \"high-risk\" and .fria_required == false and .exemption == null" &&
	test_json cv.json ".basis == [\"Article 6(2)\", \"Annex III point 4(a)\"]" &&
	for a in 9 10 11 12 13 14 15 17; do
		test_json cv.json "[.obligations[].article] | index(\"Article $a\") != null" || return 1
	done &&
	test_json cv.json "[.obligations[].role] | index(\"deployer\") == null" &&
	test_json cv.json "has(\"system\", \"version\", \"tier\", \"basis\", \"obligations\", \"fria_required\", \"exemption\", \"answers\", \"digest\", \"classified_at\")" &&
	test_json cv.json ".obligations[0] | has(\"key\", \"article\", \"requirement\", \"role\", \"description\", \"id\", \"status\")"
'

test_expect_success 'credit scoring (5(b)) by a deployer: high-risk, Art. 26 and a FRIA' '
	answers credit.yaml role=deployer "annex_iii_area=5(b)" profiling=true &&
	aims_db aiact classify credit-score --answers credit.yaml --json >credit.json &&
	test_json credit.json ".tier == \"high-risk\" and .fria_required == true" &&
	test_json credit.json "[.obligations[].article] | index(\"Article 26(1)-(2)\") != null and index(\"Article 27\") != null" &&
	test_json credit.json "[.obligations[].requirement] | index(\"Article 26\") != null" &&
	test_json credit.json "[.obligations[].article] | index(\"Article 9\") == null and index(\"Article 17\") == null"
'

test_expect_success 'social scoring: prohibited (Art. 5(1)(c))' '
	answers social.yaml prohibited_practice=social-scoring role=both &&
	aims_db aiact classify social-score --answers social.yaml --json >social.json &&
	test_json social.json ".tier == \"prohibited\" and .basis == [\"Article 5(1)(c)\"] and .fria_required == false" &&
	test_json social.json "[.obligations[].article] == [\"Article 5(1)\"]"
'

test_expect_success 'a customer-service chatbot: limited-risk (Art. 50)' '
	answers chat.yaml role=provider interacts_with_natural_persons=true &&
	aims_db aiact classify chatbot --answers chat.yaml --json >chat.json &&
	test_json chat.json ".tier == \"limited-risk\" and .basis == [\"Article 50(1)\"]" &&
	test_json chat.json "[.obligations[].article] == [\"Article 4\", \"Article 50(1)\"]" &&
	answers chat-deployer.yaml role=deployer interacts_with_natural_persons=true &&
	aims_db aiact classify chatbot --answers chat-deployer.yaml --json >chat2.json &&
	test_json chat2.json ".tier == \"limited-risk\" and .version == 2"
'

test_expect_success 'a spam filter: minimal-risk' '
	answers spam.yaml role=deployer &&
	aims_db aiact classify spam-filter --answers spam.yaml --json >spam.json &&
	test_json spam.json ".tier == \"minimal-risk\" and .basis == [] and .fria_required == false" &&
	test_json spam.json "[.obligations[].article] == [\"Article 4\"]"
'

test_expect_success 'Annex III with an Art. 6(3) exemption and no profiling: not high-risk, Art. 6(4) and 49(2) duties' '
	answers exempt.yaml role=provider "annex_iii_area=4(a)" art6_3_exemption=narrow-procedural-task &&
	aims_db aiact classify doc-sorter --answers exempt.yaml --json >exempt.json &&
	test_json exempt.json ".tier == \"minimal-risk\" and .fria_required == false" &&
	test_json exempt.json ".exemption.article == \"Article 6(3)(a)\"" &&
	test_json exempt.json "[.exemption.duties[].article] == [\"Article 6(4)\", \"Article 49(2)\"]" &&
	test_json exempt.json "[.obligations[].article] | index(\"Article 6(4)\") != null and index(\"Article 49(2)\") != null" &&
	test_json exempt.json "[.obligations[].article] | index(\"Article 9\") == null" &&
	test_json exempt.json ".basis == [\"Annex III point 4(a)\", \"Article 6(3)(a)\"]"
'

test_expect_success 'the same with profiling: high-risk' '
	answers prof.yaml role=provider "annex_iii_area=4(a)" art6_3_exemption=narrow-procedural-task profiling=true &&
	aims_db aiact classify doc-sorter-profiling --answers prof.yaml --json >prof.json &&
	test_json prof.json ".tier == \"high-risk\" and .exemption == null" &&
	test_json prof.json ".basis | index(\"Article 6(2)\") != null and index(\"Article 6(3), third subparagraph (profiling of natural persons)\") != null" &&
	test_json prof.json "[.obligations[].article] | index(\"Article 9\") != null and index(\"Article 6(4)\") == null"
'

test_expect_success 'JSON answers are accepted and give the same result' '
	answers credit-y.yaml role=deployer "annex_iii_area=5(b)" profiling=true &&
	jq -n "{role: \"deployer\", art2_exclusion: \"none\", prohibited_practice: \"none\",
		annex_i_safety_component: false, annex_i_section_b: false, annex_iii_area: \"5(b)\",
		art6_3_exemption: \"none\", profiling: true, interacts_with_natural_persons: false,
		generates_synthetic_content: false, emotion_recognition: false, biometric_categorisation: \"none\",
		deep_fake: false, gpai: false, systemic_risk: false, gpai_open_source: false,
		builds_on_third_party_gpai: false, free_open_source_licence: false, public_authority: false,
		provides_public_service: false, affects_workers: true, law_enforcement_or_migration: false}" >credit.json.in &&
	aims_db aiact classify credit-score --answers credit.json.in --json >credit2.json &&
	test_json credit2.json ".version == 2 and .tier == \"high-risk\" and .fria_required == true" &&
	test_equal "$(jq -c .obligations credit.json)" "$(jq -c .obligations credit2.json)"
'

test_expect_success 'bad answers files: unknown key, missing key, wrong type, bad value; exit 3 with file, line, key; nothing stored' '
	answers good.yaml &&
	{ cat good.yaml; echo "risk_level: high"; } >unknown.yaml &&
	expect_exit 3 aims_db aiact classify fresh --answers unknown.yaml &&
	test_grep "^error: '"'"'unknown.yaml'"'"' line 24: risk_level: unknown key" err &&
	grep -v "^deep_fake:" good.yaml >missing.yaml &&
	expect_exit 3 aims_db aiact classify fresh --answers missing.yaml &&
	test_grep "missing.yaml.* line [0-9]+: deep_fake: missing answer" err &&
	sed "s/^profiling: false/profiling: sometimes/" good.yaml >type.yaml &&
	expect_exit 3 aims_db aiact classify fresh --answers type.yaml &&
	test_grep "^error: '"'"'type.yaml'"'"' line 9: profiling: wrong type: expected true or false" err &&
	sed "s/^role: provider/role: user/" good.yaml >enum.yaml &&
	expect_exit 3 aims_db aiact classify fresh --answers enum.yaml &&
	test_grep "^error: '"'"'enum.yaml'"'"' line 2: role: '"'"'user'"'"' is not one of provider, deployer, both, product-manufacturer, importer, distributor, authorised-representative" err &&
	sed "s/^annex_iii_area: none/annex_iii_area: 9(z)/" good.yaml >area.yaml &&
	expect_exit 3 aims_db aiact classify fresh --answers area.yaml &&
	test_grep "line 7: annex_iii_area: '"'"'9\(z\)'"'"' is not one of" err &&
	sed "s/^systemic_risk: false/systemic_risk: true/" good.yaml >gpai.yaml &&
	expect_exit 3 aims_db aiact classify fresh --answers gpai.yaml &&
	test_grep "line 16: systemic_risk: true only for a general-purpose AI model" err &&
	sed "s/^art6_3_exemption: none/art6_3_exemption: preparatory-task/" good.yaml >exnone.yaml &&
	expect_exit 3 aims_db aiact classify fresh --answers exnone.yaml &&
	test_grep "art6_3_exemption: an Art. 6\(3\) exemption applies only to an Annex III system" err &&
	printf "{\"role\": \"provider\", \"gpai\": \"no\"}" >type.json &&
	expect_exit 3 aims_db aiact classify fresh --answers type.json &&
	test_grep "type.json.* line 1: gpai: wrong type|type.json.* line 1: [a-z_]+: missing answer" err &&
	printf "role: [provider\n" >syntax.yaml &&
	expect_exit 3 aims_db aiact classify fresh --answers syntax.yaml &&
	test_grep "syntax.yaml.* line [0-9]+: YAML syntax error" err &&
	expect_exit 5 aims_db aiact show fresh
'

test_expect_success 'a version 1 answers file keeps working: old keys read as documented, warnings on stderr' '
	answers_v1 old.yaml role=deployer "annex_iii_area=3(a)" public_body_or_public_service=true &&
	aims_db aiact classify legacy --answers old.yaml --json >old.json 2>old.err &&
	test_grep "^warning: '"'"'old.yaml'"'"': a version 1 answers file" old.err &&
	test_grep "^warning: '"'"'old.yaml'"'"' line 14: public_body_or_public_service: read as provides_public_service \(Art. 27\(1\)\); whether the deployer is a public authority \(Art. 26\(8\), 49\(3\)\) cannot be decided" old.err &&
	test_json old.json ".answers.format == 1 and .answers.provides_public_service == true and .answers.public_authority == false" &&
	test_json old.json ".fria_required == true and ([.obligations[].article] | index(\"Article 26(8)\") == null)" &&
	test_json old.json ".warnings | length == 2" &&
	aims_db aiact show legacy >show.txt &&
	test_grep "^warnings:" show.txt &&
	{ cat old.yaml; echo "public_authority: true"; } >mixed.yaml &&
	expect_exit 3 aims_db aiact classify legacy --answers mixed.yaml &&
	test_grep "mixed.yaml.* line 15: public_authority: a key of the current answers format in a version 1 file" err
'

test_expect_success 'Annex III point 2 registers nationally (Art. 49(5)); points 6 and 7 non-publicly (49(4))' '
	answers grid.yaml role=both annex_iii_area=2 public_authority=true &&
	aims_db aiact classify grid-control --answers grid.yaml --json >grid.json &&
	test_json grid.json "[.obligations[].article] | index(\"Article 49(5)\") != null and index(\"Article 49(1)\") == null" &&
	test_json grid.json "[.obligations[].article] | index(\"Article 26(8)\") == null and index(\"Article 86\") == null" &&
	test_json grid.json ".fria_required == false" &&
	answers border.yaml role=both "annex_iii_area=7(d)" public_authority=true affects_workers=false \
		law_enforcement_or_migration=true &&
	aims_db aiact classify border-check --answers border.yaml --json >border.json &&
	test_json border.json "[.obligations[].article] | index(\"Article 49(1)\") != null and index(\"Article 49(4)\") != null and index(\"Article 26(8)\") != null" &&
	test_json border.json "[.obligations[].article] | index(\"Article 26(7)\") == null" &&
	test_json border.json ".fria_required == true and .answers.format == 3"
'

test_expect_success 'Art. 49(4) for Annex III point 1 only in law enforcement, migration, asylum or border control' '
	aims_db system add face-match --purpose "remote biometric identification" >/dev/null &&
	answers bank.yaml role=provider "annex_iii_area=1(a)" &&
	aims_db aiact classify face-match --answers bank.yaml --json >bank.json &&
	test_json bank.json "[.obligations[].article] | index(\"Article 49(1)\") != null and index(\"Article 49(4)\") == null" &&
	answers police.yaml role=provider "annex_iii_area=1(a)" law_enforcement_or_migration=true &&
	aims_db aiact classify face-match --answers police.yaml --json >police.json &&
	test_json police.json "[.obligations[].article] | index(\"Article 49(1)\") != null and index(\"Article 49(4)\") != null" &&
	answers contra.yaml role=provider "annex_iii_area=6(b)" &&
	expect_exit 3 aims_db aiact classify face-match --answers contra.yaml &&
	test_grep "contra.yaml.* line 23: law_enforcement_or_migration: Annex III point 6\(b\) is in the areas of law enforcement" err &&
	grep -v "^law_enforcement_or_migration:" bank.yaml >v2.yaml &&
	aims_db aiact classify face-match --answers v2.yaml --json >v2.json 2>v2.err &&
	test_grep "^warning: '"'"'v2.yaml'"'"': no law_enforcement_or_migration" v2.err &&
	test_json v2.json ".answers.format == 2 and .answers.law_enforcement_or_migration == false" &&
	test_json v2.json "[.obligations[].article] | index(\"Article 49(4)\") == null"
'

test_expect_success 'aiact obligations --on: whether each obligation applies yet (Art. 113)' '
	aims_db aiact obligations border-check --on 2025-03-01 --json >on1.json &&
	test_json on1.json ".on == \"2025-03-01\"" &&
	test_json on1.json "[.obligations[] | select(.applies) | .article] == [\"Article 4\"]" &&
	test_json on1.json "all(.obligations[]; has(\"applies_from\") and has(\"applies\"))" &&
	test_json on1.json "(.obligations[] | select(.article == \"Article 9\") | .applies_from) == \"2026-08-02\"" &&
	aims_db aiact obligations border-check --on 2026-08-02 --json >on2.json &&
	test_json on2.json "all(.obligations[]; .applies)" &&
	aims_db aiact obligations border-check --on 2026-08-01 >on.txt &&
	test_grep "^ID +ARTICLE +ROLE +STATUS +APPLIES +EVIDENCE +DESCRIPTION" on.txt &&
	test_grep "Article 4 +both +open +yes " on.txt &&
	test_grep "Article 9 +provider +open +from 2026-08-02 " on.txt &&
	test_grep "; 1 apply on 2026-08-01$" on.txt &&
	aims_db aiact obligations border-check --json >today.json &&
	test_json today.json ".on | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}$\")" &&
	aims_db aiact obligations border-check >today.txt &&
	test_grep "apply on [0-9-]+ \(today\)$" today.txt &&
	expect_exit 3 aims_db aiact obligations border-check --on 2026-02-30 &&
	test_grep "2026-02-30.* is not a date" err &&
	aims_db aiact show border-check >show.txt &&
	test_grep "OBL-[0-9]+ +Article 9 \(applies from 2026-08-02\)" show.txt
'

test_expect_success 'an unknown system is refused (exit 5), a missing file too' '
	answers good.yaml &&
	expect_exit 5 aims_db aiact classify no-such-system --answers good.yaml &&
	test_grep "no AI system .no-such-system." err &&
	expect_exit 5 aims_db aiact classify fresh --answers nowhere.yaml
'

test_expect_success 'obligations are tracked: status, evidence, met needs evidence, kept across re-classification' '
	aims_db aiact obligations cv-screen --json >obl.json &&
	test_json obl.json ".tier == \"high-risk\" and (.obligations | length) == 18 and all(.obligations[]; .status == \"open\")" &&
	id=$(jq -r ".obligations[] | select(.key == \"art9-risk-management\") | .id" obl.json) &&
	expect_exit 3 aims_db aiact obligation set $id --status met &&
	test_grep "needs evidence" err &&
	aims_db aiact obligation set $id --status met --evidence DOC-007 --evidence "https://wiki.example/rms" --json >set.json &&
	test_json set.json ".status == \"met\" and .evidence == [\"DOC-007\", \"https://wiki.example/rms\"]" &&
	aims_db aiact classify cv-screen --answers cv.yaml --json >again.json &&
	test_json again.json ".version == 2 and (.obligations[] | select(.key == \"art9-risk-management\") | .status == \"met\" and .id == \"$id\")" &&
	answers cv-exempt.yaml role=provider "annex_iii_area=4(a)" art6_3_exemption=preparatory-task &&
	aims_db aiact classify cv-screen --answers cv-exempt.yaml >/dev/null &&
	aims_db aiact obligations cv-screen --all --json >all.json &&
	test_json all.json "(.obligations[] | select(.key == \"art9-risk-management\") | .active == false and .status == \"met\")" &&
	test_json all.json "(.obligations[] | select(.key == \"art6-4-assessment\") | .active == true)" &&
	expect_exit 3 aims_db aiact obligation set $id --status done &&
	expect_exit 5 aims_db aiact obligation set OBL-999 --status met --evidence x &&
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"aiact-classification\")] | length == 17" &&
	test_json log.json "[.entries[] | select(.object_type == \"aiact-obligation\" and .action == \"update\")] | length == 1"
'

test_expect_success 'FRIA template for the credit scoring deployer; refused where not required' '
	aims_db aiact fria credit-score --out fria.md >/dev/null &&
	for s in "## (a)" "## (b)" "## (c)" "## (d)" "## (e)" "## (f)" "Art. 27(3)"; do
		test_grep -F "$s" fria.md || return 1
	done &&
	test_grep -F "Northwind Lending GmbH" fria.md &&
	test_grep -F "Annex III point 5(b)" fria.md &&
	expect_exit 3 aims_db aiact fria spam-filter &&
	test_grep "does not require a fundamental rights impact assessment" err &&
	aims_db aiact fria spam-filter --force >forced.md &&
	test_grep -F "## (d)" forced.md &&
	expect_exit 5 aims_db aiact fria fresh
'

test_expect_success 'classify and obligation set need aiact.manage; the ledger names the acting principal' '
	test_account carla compliance-manager &&
	test_account audrey auditor &&
	test_account rob risk-owner &&
	answers chat3.yaml role=provider interacts_with_natural_persons=true &&
	expect_exit 7 aims_as audrey aiact classify chatbot --answers chat3.yaml &&
	test_grep "permission .aiact.manage." err &&
	expect_exit 7 aims_as rob aiact classify chatbot --answers chat3.yaml &&
	aims_db aiact show chatbot --json >still.json &&
	test_json still.json ".version == 2" &&
	AIMS_ACTOR=mallory aims_as carla aiact classify chatbot --answers chat3.yaml --json >c3.json &&
	test_json c3.json ".version == 3" &&
	id=$(jq -r ".obligations[0].id" c3.json) &&
	expect_exit 7 aims_as audrey aiact obligation set $id --note "looked at it" &&
	aims_as carla aiact obligation set $id --note "transparency notice drafted" >set.txt &&
	test_grep "^$id \(chatbot, Article 4\): open, 0 evidence references$" set.txt &&
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"aiact-classification\") | .actor] | last == \"carla\"" &&
	test_json log.json "[.entries[] | select(.object_type == \"aiact-obligation\") | .actor] | last == \"carla\"" &&
	test_json log.json "[.entries[] | .actor] | index(\"mallory\") == null" &&
	expect_exit 2 aims_as carla aiact obligation set $id &&
	test_grep "nothing to change" err
'

test_expect_success 'aiact obligation show: the document obligation set changes' '
	id=$(aims_db aiact obligations chatbot --json | jq -r ".obligations[0].id") &&
	aims_db aiact obligation show $id --json >one.json &&
	test_json one.json ".id == \"$id\" and .note == \"transparency notice drafted\" and .system == \"chatbot\"" &&
	aims_db aiact obligations chatbot --json | jq ".obligations[0] | del(.applies)" >from-list.json &&
	test_equal "$(jq -S -c . from-list.json)" "$(jq -S -c . one.json)" &&
	aims_db aiact obligation show $id >one.txt &&
	test_grep "^$id  Article 4 " one.txt &&
	expect_exit 5 aims_db aiact obligation show OBL-999
'

test_expect_success 'the CLI --json and the API give the same classification and obligation documents' '
	serve_store &&
	API_AS=audrey API_PATH=/systems/credit-score/aiact-classification same_json aiact show credit-score &&
	test_json api.json ".system == \"credit-score\" and .tier == \"high-risk\" and .version == 2" &&
	API_AS=audrey API_PATH=/systems/cv-screen/aiact-classification same_json aiact show cv-screen &&
	API_AS=audrey API_PATH=/systems/border-check/aiact-obligations?on=2026-08-01 \
		same_json aiact obligations border-check --on 2026-08-01 &&
	id=$(jq -r ".obligations[0].id" api.json) &&
	API_AS=audrey API_PATH=/aiact-obligations/$id same_json aiact obligation show $id &&
	aims_as audrey --server "http://127.0.0.1:$(cat port)" aiact show credit-score >remote.txt &&
	aims_db aiact show credit-score >local.txt &&
	test_cmp local.txt remote.txt
'

test_expect_success 'obligation set over HTTP: If-Match with the obligation ETag; a stale one is refused (412)' '
	serve_store &&
	id=$(aims_db aiact obligations chatbot --json | jq -r ".obligations[1].id") &&
	test_equal 200 "$(api GET /aiact-obligations/$id carla -D headers)" &&
	etag=$(sed -n "s/^[Ee][Tt]ag: *//p" headers | tr -d "\r") &&
	test_equal 200 "$(api PATCH /aiact-obligations/$id carla -H "Content-Type: application/json" \
		-H "If-Match: $etag" -d "{\"status\": \"met\", \"evidence\": [\"DOC-9\"]}")" &&
	test_json body ".status == \"met\" and .evidence == [\"DOC-9\"]" &&
	test_equal 412 "$(api PATCH /aiact-obligations/$id carla -H "Content-Type: application/json" \
		-H "If-Match: $etag" -d "{\"status\": \"open\"}")" &&
	aims_db aiact obligation show $id --json >now.json &&
	test_json now.json ".status == \"met\"" &&
	test_equal 400 "$(api PATCH /aiact-obligations/$id carla -H "Content-Type: application/json" \
		-H "If-Match: *" -d "{\"status\": \"done\"}")" &&
	test_json body ".field == \"status\"" &&
	aims_as carla --server "http://127.0.0.1:$(cat port)" aiact obligation set $id --note "checked remotely" >remote.txt &&
	test_grep "^$id \(chatbot, " remote.txt &&
	aims_db aiact obligation show $id --json >remote-set.json &&
	test_json remote-set.json ".note == \"checked remotely\" and .status == \"met\""
'

test_expect_success 'classify over HTTP: the answers in the body; a bad one names the request body, line and key' '
	serve_store &&
	answers spam2.yaml role=deployer &&
	jq -n --rawfile a spam2.yaml "{answers: \$a}" >req.json &&
	test_equal 201 "$(api POST /systems/spam-filter/aiact-classification carla -H "Content-Type: application/json" \
		--data-binary @req.json)" &&
	test_json body ".system == \"spam-filter\" and .tier == \"minimal-risk\" and .version == 2" &&
	sed "s/^profiling: false/profiling: sometimes/" spam2.yaml >bad2.yaml &&
	jq -n --rawfile a bad2.yaml "{answers: \$a}" >bad.json &&
	test_equal 400 "$(api POST /systems/spam-filter/aiact-classification carla -H "Content-Type: application/json" \
		--data-binary @bad.json)" &&
	test_json body ".field == \"answers\" and (.detail | test(\"request body.* line 9: profiling: wrong type\"))" &&
	test_equal 403 "$(api POST /systems/spam-filter/aiact-classification audrey -H "Content-Type: application/json" \
		--data-binary @req.json)"
'

test_expect_success 'the FRIA: Markdown on stdout or --out, its JSON, and the Markdown format over HTTP' '
	aims_db aiact fria credit-score >fria1.md &&
	aims_db aiact fria credit-score --json >fria.json &&
	test_json fria.json ".system == \"credit-score\" and .fria_required and .tier == \"high-risk\"" &&
	jq -j .markdown fria.json >fria2.md &&
	test_cmp fria1.md fria2.md &&
	expect_exit 2 aims_db aiact fria credit-score --json --out x.md &&
	serve_store &&
	test_equal 200 "$(api GET "/systems/credit-score/fria?format=markdown" audrey -D headers)" &&
	test_grep -i "^content-type: text/markdown" headers &&
	test_cmp fria1.md body &&
	test_equal 409 "$(api GET "/systems/spam-filter/fria?format=markdown" audrey)" &&
	test_grep "does not require a fundamental rights impact assessment" body &&
	aims_as audrey --server "http://127.0.0.1:$(cat port)" aiact fria credit-score --out remote.md >out &&
	test_grep "^wrote remote.md$" out &&
	test_cmp fria1.md remote.md
'

done_testing
