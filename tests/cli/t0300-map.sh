#!/bin/bash
# t0300-map: aims init loads the crosswalks after the framework catalogs;
# aims map list | show | path read them back, inverted when only the other
# direction is stored, and follow rows one or two hops (docs/catalog-format.md).
# A bad crosswalk file stops init with the file, line and field, and nothing
# is loaded.

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

CATS=$AIMS_SRC/catalogs
CW27=crosswalk-iso27001-2022_iso42001-2023.json

# line_of FILE FIXED-STRING: the line number of its first occurrence
line_of() {
	local n=0 line
	while IFS= read -r line; do
		n=$((n + 1))
		[[ $line == *"$2"* ]] && { echo $n; return 0; }
	done <"$1"
	return 1
}

# digest DB: the content digest of the store
digest() {
	aims_at "$1" status --json | jq -r .store.content_digest
}

test_expect_success 'init loads 4 catalogs and 4 crosswalks' '
	aims_db init >out &&
	test_grep "4 framework catalogs loaded, 4 crosswalks loaded" out
'

test_expect_success 'map list (text): one row per crosswalk with its row count' '
	aims_db map list >out &&
	test_grep "^FROM +TO +ROWS +TITLE" out &&
	test_grep "^iso27001-2022 +eu-ai-act-2024 +12 +" out &&
	test_grep "^iso27001-2022 +iso42001-2023 +136 +" out &&
	test_grep "^iso42001-2023 +eu-ai-act-2024 +123 +" out &&
	test_grep "^nist-ai-rmf-1.0 +iso42001-2023 +280 +" out &&
	test "$(wc -l <out)" -eq 5
'

test_expect_success 'map list --json: keys, counts and file digests' '
	aims_db map list --json >list.json &&
	test_json list.json ".crosswalks | length == 4" &&
	test_json list.json "[.crosswalks[] | keys_unsorted[0:6]] | all(. == [\"from\", \"to\", \"title\", \"source\", \"licence\", \"method\"])" &&
	test_json list.json "[.crosswalks[] | .rows] == [12, 136, 123, 280]" &&
	test_json list.json "[.crosswalks[] | has(\"digest\") and has(\"loaded_at\")] | all" &&
	test_json list.json "[.crosswalks[] | has(\"notes\")] | all" &&
	want=$(sha256sum "$CATS/$CW27" | cut -d" " -f1) &&
	test_json list.json ".crosswalks[1].digest == \"$want\""
'

test_expect_success 'map show --json: the stored rows as in the file' '
	aims_db map show --from iso27001-2022 --to iso42001-2023 --json >show.json &&
	test_json show.json "keys_unsorted == [\"from\", \"to\", \"title\", \"source\", \"licence\", \"method\", \"notes\", \"digest\", \"inverted\", \"mappings\", \"targets\"]" &&
	test_json show.json ".inverted == false" &&
	jq -S .mappings "$CATS/$CW27" >expect &&
	jq -S .mappings show.json >actual &&
	test_cmp expect actual &&
	jq -S ".targets | sort_by(.id)" "$CATS/$CW27" >expect &&
	jq -S ".targets | sort_by(.id)" show.json >actual &&
	test_cmp expect actual &&
	test_json show.json "[.mappings[] | keys_unsorted] | unique == [[\"source\", \"target\", \"relationship\", \"rationale\", \"confidence\", \"explanation\"]]"
'

test_expect_success 'map show the other way round is the stored crosswalk inverted' '
	aims_db map show --from iso42001-2023 --to iso27001-2022 --json >inv.json &&
	test_json inv.json ".inverted == true and .from == \"iso42001-2023\" and .to == \"iso27001-2022\"" &&
	test_json inv.json ".targets == []" &&
	test_json inv.json "[.mappings[] | select(.relationship == \"no-relationship\")] == []" &&
	test_json inv.json "(.mappings | length) == ($(jq "[.mappings[] | select(.source != null)] | length" "$CATS/$CW27"))" &&
	test_json inv.json "[.mappings[] | select(.relationship == \"superset-of\")] | length == $(jq "[.mappings[] | select(.relationship == \"subset-of\")] | length" "$CATS/$CW27")" &&
	test_json inv.json "first(.mappings[] | select(.source == \"A.6.2.8\" and .target == \"A.8.15\")) | .relationship == \"intersects-with\"" &&
	aims_db map show --from iso42001-2023 --to iso27001-2022 >out &&
	test_grep "read inverted from the stored crosswalk iso27001-2022 -> iso42001-2023" out
'

test_expect_success 'map show --target: only that requirement, with what it adds' '
	aims_db map show --from iso27001-2022 --to iso42001-2023 --target A.5.5 >out &&
	test_grep "^SOURCE +REL +TARGET +CONF +EXPLANATION" out &&
	test_grep "^- +no-relationship +A.5.5 +high +" out &&
	test_grep "what iso42001-2023 A.5.5 adds:" out &&
	aims_db map show --from iso27001-2022 --to iso42001-2023 --target A.6.2.8 --json >t.json &&
	test_json t.json "[.mappings[].target] | unique == [\"A.6.2.8\"]" &&
	test_json t.json "[.mappings[].source] | index(\"A.8.15\") != null" &&
	test_json t.json "[.targets[].id] == [\"A.6.2.8\"]"
'

test_expect_success 'map show: usage and not-found exit statuses' '
	expect_exit 2 aims_db map show --from iso27001-2022 &&
	test_grep "required" err &&
	expect_exit 2 aims_db map show --to iso27001-2022 &&
	expect_exit 5 aims_db map show --from nist-ai-rmf-1.0 --to eu-ai-act-2024 &&
	test_grep "no crosswalk between .nist-ai-rmf-1.0. and .eu-ai-act-2024." err &&
	expect_exit 5 aims_db map show --from iso27001-2022 --to iso42001-2023 --target A.99 &&
	test_grep "A.99" err
'

test_expect_success 'map path: two hops from 27001 A.8.15 to Article 12 via 42001 A.6.2.8' '
	aims_db map path iso27001-2022:A.8.15 "eu-ai-act-2024:Article 12" >out &&
	test_grep "^iso27001-2022:A.8.15 -> eu-ai-act-2024:Article 12: [0-9]+ paths?$" out &&
	test_grep "partial support, 2 hops" out &&
	test_grep -F "iso27001-2022:A.8.15 intersects-with iso42001-2023:A.6.2.8 (confidence high)" out &&
	test_grep -F "iso42001-2023:A.6.2.8 intersects-with eu-ai-act-2024:Article 12" out
'

test_expect_success 'map path --json: keys, hops as FRAMEWORK:ID strings' '
	aims_db map path iso27001-2022:A.8.15 "eu-ai-act-2024:Article 12" --json >p.json &&
	test_json p.json "keys_unsorted == [\"from\", \"to\", \"paths\"]" &&
	test_json p.json ".from == {\"framework\": \"iso27001-2022\", \"id\": \"A.8.15\"}" &&
	test_json p.json ".to == {\"framework\": \"eu-ai-act-2024\", \"id\": \"Article 12\"}" &&
	test_json p.json "[.paths[] | keys_unsorted] | unique == [[\"support\", \"hops\"]]" &&
	test_json p.json "[.paths[].hops[] | keys_unsorted[0:6]] | unique == [[\"from\", \"to\", \"relationship\", \"confidence\", \"explanation\", \"reversed\"]]" &&
	test_json p.json "[.paths[].hops[] | select(.to | startswith(\"eu-ai-act-2024:\")) | .role] | unique == [\"provider\"]" &&
	test_json p.json "[.paths[].hops[] | select(.to | startswith(\"iso42001-2023:\")) | has(\"role\")] | all | not" &&
	test_json p.json "any(.paths[]; .hops[0].to == \"iso42001-2023:A.6.2.8\" and .hops[1].to == \"eu-ai-act-2024:Article 12\")" &&
	test_json p.json "all(.paths[]; .support == \"partial\" and (.hops | length) == 2 and .hops[0].from == \"iso27001-2022:A.8.15\")"
'

test_expect_success 'map path back against the stored direction' '
	aims_db map path "eu-ai-act-2024:Article 12" iso27001-2022:A.8.15 --json >back.json &&
	test_json back.json "any(.paths[]; .hops[0].to == \"iso42001-2023:A.6.2.8\" and .hops[1].to == \"iso27001-2022:A.8.15\")" &&
	test_json back.json "all(.paths[].hops[]; .reversed)"
'

test_expect_success 'map path from the AI scope to the ISMS scope: partial support, never full (issue 17)' '
	aims_db map path iso42001-2023:4.3 iso27001-2022 --json >scope.json &&
	test_json scope.json "(.paths | length) > 0 and all(.paths[]; .support == \"partial\")" &&
	test_json scope.json ".paths[0].hops[0] | .to == \"iso27001-2022:4.3\" and .relationship == \"intersects-with\" and .reversed" &&
	aims_db map path iso42001-2023:4.3 iso27001-2022 >out &&
	test_grep "row read against its direction" out &&
	! test_grep "full support" out
'

test_expect_success 'map path: a direct route from 27001 to the cybersecurity of Art. 15(5), binding the provider' '
	aims_db map path iso27001-2022:A.8.29 "eu-ai-act-2024:Article 15" >out &&
	test_grep "partial support, 1 hop" out &&
	test_grep -F "iso27001-2022:A.8.29 intersects-with eu-ai-act-2024:Article 15 (confidence high, binds provider)" out
'

test_expect_success 'map show: rows to the EU AI Act name the role they bind (issue 17)' '
	aims_db map show --from iso42001-2023 --to eu-ai-act-2024 --json >eu.json &&
	test_json eu.json "[.mappings[] | keys_unsorted] | unique == [[\"source\", \"target\", \"relationship\", \"rationale\", \"confidence\", \"explanation\", \"role\"]]" &&
	test_json eu.json "[.mappings[] | select(.target == \"Article 26\") | .role] | unique == [\"deployer\"]" &&
	test_json eu.json "[.mappings[] | select(.target == \"Article 25\") | .source] | contains([\"A.10.2\", \"A.10.3\"])" &&
	test_json eu.json "[.mappings[] | select(.target == \"Article 20\") | .source] | contains([\"10.2\", \"A.8.4\"])" &&
	aims_db map show --from iso42001-2023 --to eu-ai-act-2024 --target "Article 27" >out &&
	test_grep "^SOURCE +REL +TARGET +ROLE +CONF +EXPLANATION" out &&
	test_grep "^6.1.4 +intersects-with +Article 27 +deployer +medium +" out &&
	aims_db map show --from eu-ai-act-2024 --to iso42001-2023 --json >euinv.json &&
	test_json euinv.json ".inverted and ([.mappings[].role] | all(. != null))"
'

test_expect_success 'map path to a framework: everything reachable, one hop first, strongest first' '
	aims_db map path iso42001-2023:A.6.2.8 eu-ai-act-2024 --json >all.json &&
	test_json all.json ".to == {\"framework\": \"eu-ai-act-2024\", \"id\": null}" &&
	test_json all.json "[.paths[].hops[-1].to] | index(\"eu-ai-act-2024:Article 12\") != null" &&
	test_json all.json "all(.paths[]; .hops[-1].to | startswith(\"eu-ai-act-2024:\"))" &&
	aims_db map path "nist-ai-rmf-1.0:GOVERN 1.2" iso42001-2023 --json >one.json &&
	test_json one.json "(.paths | length) > 0 and all(.paths[]; (.hops | length) == 1)" &&
	aims_db map path iso27001-2022:A.5.1 eu-ai-act-2024 --json >mix.json &&
	test_json mix.json "[.paths[] | (.hops | length)] as \$h | \$h == (\$h | sort)" &&
	aims_db map path iso27001-2022:9.2.1 iso42001-2023 --json >full.json &&
	test_json full.json "[.paths[].support] | index(\"full\") == 0"
'

test_expect_success 'map path exit statuses: 1 no path, 2 malformed, 5 unknown' '
	expect_exit 1 aims_db map path iso42001-2023:A.5.5 iso27001-2022 &&
	test_grep "no path from iso42001-2023:A.5.5 to iso27001-2022" out &&
	expect_exit 1 aims_db map path iso42001-2023:A.5.5 iso27001-2022 --json &&
	test_json out ".paths == []" &&
	expect_exit 2 aims_db map path iso27001-2022 eu-ai-act-2024 &&
	test_grep "FRAMEWORK:ID" err &&
	expect_exit 2 aims_db map path iso27001-2022: eu-ai-act-2024 &&
	expect_exit 2 aims_db map path iso27001-2022:A.8.15 eu-ai-act-2024: &&
	expect_exit 2 aims_db map path :A.8.15 eu-ai-act-2024 &&
	expect_exit 2 aims_db map path iso27001-2022:A.8.15 &&
	expect_exit 2 aims_db map path iso27001-2022:A.8.15 iso27001-2022:A.8.16 &&
	expect_exit 5 aims_db map path iso27001-2022:A.99 eu-ai-act-2024 &&
	test_grep "no requirement .A.99. in .iso27001-2022." err &&
	expect_exit 5 aims_db map path no-such-fw:1 eu-ai-act-2024 &&
	test_grep "no-such-fw" err &&
	expect_exit 5 aims_db map path iso27001-2022:A.8.15 "eu-ai-act-2024:Article 999"
'

test_expect_success 'the CLI --json and the API give the same crosswalk documents; a reader needs no more than read' '
	test_account audrey auditor &&
	serve_store &&
	API_AS=audrey API_PATH=/crosswalks same_json map list &&
	test_json api.json ".crosswalks | length == 4" &&
	q="/crosswalk-rows?from=iso27001-2022&to=iso42001-2023&target=A.6.2.8" &&
	API_AS=audrey API_PATH=$q same_json map show --from iso27001-2022 --to iso42001-2023 --target A.6.2.8 &&
	test_json api.json "[.targets[].id] == [\"A.6.2.8\"]" &&
	q="/crosswalk-paths?from=iso27001-2022:A.8.15&to=eu-ai-act-2024:Article%2012" &&
	API_AS=audrey API_PATH=$q same_json map path iso27001-2022:A.8.15 "eu-ai-act-2024:Article 12" &&
	test_json api.json "(.paths | length) > 0" &&
	aims_as audrey --server "http://127.0.0.1:$(cat port)" map path iso27001-2022:A.8.15 "eu-ai-act-2024:Article 12" \
		>remote.txt &&
	aims_db map path iso27001-2022:A.8.15 "eu-ai-act-2024:Article 12" >local.txt &&
	test_cmp local.txt remote.txt &&
	expect_exit 1 aims_as audrey --server "http://127.0.0.1:$(cat port)" map path iso42001-2023:A.5.5 iso27001-2022 &&
	test_grep "no path from iso42001-2023:A.5.5 to iso27001-2022" out &&
	test_equal 400 "$(curl -s -o bad.json -w "%{http_code}" -H "Authorization: Bearer $(cat "$TEST_DIR/.token-audrey")" \
		"http://127.0.0.1:$(cat port)/api/v1/crosswalk-paths?from=iso27001-2022&to=eu-ai-act-2024")" &&
	test_json bad.json ".field == \"from\" and (.detail | contains(\"FRAMEWORK:ID\"))"
'

test_expect_success 'help and the man page describe the map commands' '
	"$AIMS" help map show >out &&
	test_grep -F "\"inverted\"" out &&
	"$AIMS" help --man >man &&
	test_grep -F "map path" man
'

test_expect_success 'setup: a store with everything loaded, and its digest' '
	aims_db org set --name "Map Ltd" &&
	digest "$TEST_DB" >digest.before &&
	test_grep "^[0-9a-f]{64}$" digest.before
'

test_expect_success 'init with a crosswalk naming an unknown id: exit 3, file, line, field; nothing loaded' '
	cp -R "$CATS" badid &&
	jq ".mappings[5].source = \"A.99.99\"" "$CATS/$CW27" >badid/$CW27 &&
	line=$(line_of badid/$CW27 "\"A.99.99\"") &&
	expect_exit 3 aims_db init --catalogs badid &&
	test_grep -F "badid/$CW27" err &&
	test_grep -F "line $line: mappings[5].source: '"'"'A.99.99'"'"' is not a requirement of '"'"'iso27001-2022'"'"'" err &&
	digest "$TEST_DB" >digest.after &&
	test_cmp digest.before digest.after &&
	expect_exit 3 aims_at fresh-badid.db init --catalogs badid &&
	aims_at fresh-badid.db catalog list --json >list.json &&
	test_json list.json ".frameworks == []" &&
	aims_at fresh-badid.db map list --json >cw.json &&
	test_json cw.json ".crosswalks == []"
'

test_expect_success 'init with a bad relationship: exit 3 naming file, line and field' '
	cp -R "$CATS" badrel &&
	jq ".mappings[7].relationship = \"related-to\"" "$CATS/$CW27" >badrel/$CW27 &&
	line=$(line_of badrel/$CW27 "\"related-to\"") &&
	expect_exit 3 aims_db init --catalogs badrel &&
	test_grep -F "badrel/$CW27" err &&
	test_grep -F "line $line: mappings[7].relationship: unknown relationship '"'"'related-to'"'"'" err &&
	digest "$TEST_DB" >digest.after &&
	test_cmp digest.before digest.after
'

test_expect_success 'init with a crosswalk whose framework is not in the store: exit 3, nothing loaded' '
	mkdir partial &&
	cp "$CATS/iso42001-2023.json" "$CATS/$CW27" partial/ &&
	expect_exit 3 aims_at fresh-partial.db init --catalogs partial &&
	test_grep -F "partial/$CW27" err &&
	test_grep -F "line 3: from: framework '"'"'iso27001-2022'"'"' is not in the store" err &&
	aims_at fresh-partial.db catalog list --json >list.json &&
	test_json list.json ".frameworks == []"
'

test_expect_success 'a crosswalk alone loads against the frameworks already in the store' '
	mkdir alone &&
	cp "$CATS/$CW27" alone/ &&
	aims_at alone.db init >/dev/null &&
	aims_at alone.db init --catalogs alone >out &&
	test_grep "0 framework catalogs loaded, 1 crosswalk loaded" out
'

test_expect_success 'a duplicate row is refused with both positions' '
	cp -R "$CATS" dup &&
	jq ".mappings += [.mappings[0]]" "$CATS/$CW27" >dup/$CW27 &&
	expect_exit 3 aims_db init --catalogs dup &&
	test_grep -F "mappings[136]: duplicate row for source" err &&
	test_grep -F "(also mappings[0])" err &&
	digest "$TEST_DB" >digest.after &&
	test_cmp digest.before digest.after
'

test_expect_success 'a good folder with the crosswalk sorted first still loads' '
	mkdir order &&
	cp "$CATS/iso27001-2022.json" "$CATS/iso42001-2023.json" order/ &&
	cp "$CATS/$CW27" order/0-first.json &&
	aims_at order.db init --catalogs order >out &&
	test_grep "2 framework catalogs loaded, 1 crosswalk loaded" out &&
	aims_at order.db map list --json >o.json &&
	test_json o.json "[.crosswalks[] | [.from, .to, .rows]] == [[\"iso27001-2022\", \"iso42001-2023\", 136]]"
'

done_testing
