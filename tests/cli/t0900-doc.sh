#!/bin/bash
# t0900-doc: controlled documents from the command line: the full cycle
# (template -> edit -> approve -> edit -> approve) by two accounts, JSON keys,
# four eyes between principals (the author's approval is exit 7 and the same
# approval by another account works, an admin included), the refusals
# (exit 3), a body that is a directory or not UTF-8 refused with the draft
# unchanged, diff, due reviews, the audit trail naming the accounts, the gap
# analysis counting an approved AI policy, and the HTML export rendered by
# headless Chromium.

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

test_expect_success 'setup: init with an organization, the example ISMS and two accounts' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	aims_db isms import "$AIMS_SRC/examples/isms-soa.csv" >/dev/null &&
	test_account alice compliance-manager &&
	test_account bob risk-owner
'

test_expect_success 'doc new --template ai-policy fills the organization and says no systems yet' '
	aims_as alice doc new --template ai-policy --owner CISO --json >new.json &&
	test_json new.json ".id == \"DOC-001\" and .type == \"ai-policy\" and .status == \"draft\" and .version == 1 and .latest_approved == 0" &&
	test_json new.json "has(\"id\", \"type\", \"title\", \"owner\", \"status\", \"version\", \"latest_approved\", \"author\", \"approver\", \"approved_at\", \"next_review\", \"review_months\", \"links\", \"digest\", \"updated_at\")" &&
	test_json new.json ".links | index(\"iso42001-2023:5.2\") != null and index(\"iso27001-2022:A.5.1\") != null" &&
	aims_db doc show DOC-001 --json >show.json &&
	test_json show.json ".body | contains(\"Northwind Lending GmbH\") and contains(\"No AI systems recorded yet\")" &&
	test_json show.json ".author == \"alice\" and .versions == []"
'

test_expect_success 'four eyes: the author may not approve (exit 7, naming both); --approver is gone' '
	expect_exit 7 aims_as alice doc approve DOC-001 &&
	test_grep "DOC-001 \(AI policy\) needs four eyes: its author .alice. may not approve it \(acting as .alice.\)" err &&
	expect_exit 2 aims_as bob doc approve DOC-001 --approver bob &&
	test_grep "unknown option .--approver." err &&
	expect_exit 7 aims_as bob doc edit DOC-001 --title Policy &&
	test_grep "permission .doc.edit." err &&
	aims_db doc show DOC-001 --json >still.json &&
	test_json still.json ".status == \"draft\" and .latest_approved == 0 and .versions == []"
'

test_expect_success 'edit, approve, edit, approve: both versions stay with their digests' '
	printf "# AI policy\n\nFirst text.\nKept line.\n" >v1.md &&
	aims_as alice doc edit DOC-001 --body v1.md >edit.txt &&
	test_grep "^DOC-001: draft version 1 saved$" edit.txt &&
	aims_as bob doc approve DOC-001 --json >a1.json &&
	test_json a1.json ".version == 1 and .approver == \"bob\" and .author == \"alice\" and .status == \"approved\"" &&
	printf "# AI policy\n\nSecond text.\nKept line.\n" | aims_as alice doc edit DOC-001 --body - --link A.3.2 >/dev/null &&
	aims_db doc list --json >list.json &&
	test_json list.json ".documents[0] | .status == \"draft\" and .version == 2 and .latest_approved == 1" &&
	aims_as bob doc approve DOC-001 --json >a2.json &&
	aims_db doc show DOC-001 --json >show2.json &&
	test_json show2.json ".versions | length == 2" &&
	test_json show2.json ".versions[0].digest == $(jq .digest a1.json) and .versions[1].digest == $(jq .digest a2.json)" &&
	test_json show2.json ".versions[0].digest != .versions[1].digest" &&
	test_json show2.json "[.versions[].approver] == [\"bob\", \"bob\"] and [.versions[].author] == [\"alice\", \"alice\"]" &&
	aims_db doc show DOC-001 --version 1 --json >old.json &&
	test_json old.json ".body | contains(\"First text.\")"
'

test_expect_success 'diff between the two approved versions' '
	aims_db doc diff DOC-001 --from 1 --to 2 >diff.txt &&
	test_grep "^--- DOC-001 version 1" diff.txt &&
	test_grep "^\+\+\+ DOC-001 version 2" diff.txt &&
	test_grep "^-First text\.$" diff.txt &&
	test_grep "^\+Second text\.$" diff.txt &&
	test_grep "^\+Links: .*iso42001-2023:A\.3\.2" diff.txt &&
	aims_db doc diff DOC-001 --from 1 --to 2 --json >diff.json &&
	test_equal "$(cat diff.txt)" "$(jq -r .diff diff.json)"
'

test_expect_success 'editing an approved version in place is refused and changes nothing' '
	before=$(aims_db status --json | jq -r .store.content_digest) &&
	expect_exit 3 aims_as alice doc edit DOC-001 --version 1 --title Changed &&
	test_grep "approved and cannot be changed in place" err &&
	test_equal "$before" "$(aims_db status --json | jq -r .store.content_digest)"
'

test_expect_success 'retire: approving a retired document is refused' '
	aims_as alice doc new --type procedure --title "Model release" --owner "Head of ML" --id model-release >/dev/null &&
	aims_as alice doc retire model-release >/dev/null &&
	expect_exit 3 aims_as bob doc approve model-release &&
	test_grep "retired" err &&
	expect_exit 5 aims_db doc show nope &&
	expect_exit 3 aims_as alice doc new --type memo --owner x &&
	expect_exit 3 aims_as alice doc edit DOC-001 --link A.99.9
'

test_expect_success 'doc due lists documents past their review date' '
	aims_as alice doc new --template raci --owner COO >/dev/null &&
	aims_as bob doc approve DOC-003 --date 2024-01-15 >/dev/null &&
	aims_db doc due --json >due.json &&
	test_json due.json ".due | length == 1 and .[0].id == \"DOC-003\" and .[0].next_review == \"2025-01-15\"" &&
	aims_db doc due --now 2025-01-15 --json >due0.json &&
	test_json due0.json ".due | length == 0" &&
	aims_db doc due >due.txt &&
	test_grep "^1 document past its review date" due.txt &&
	expect_exit 3 aims_db doc due --now tomorrow
'

test_expect_success 'an admin who wrote a draft may not approve it either; another account may' '
	test_account root admin &&
	aims_as root doc new --type objectives --owner COO --id objectives >/dev/null &&
	expect_exit 7 aims_as root doc approve objectives &&
	test_grep "its author .root. may not approve it" err &&
	aims_as bob doc approve objectives >ok.txt &&
	test_grep "^objectives version 1 approved by bob on [0-9-]+; next review [0-9-]+$" ok.txt
'

test_expect_success 'doc edit --body: a directory or a file that is not UTF-8 is refused (exit 3), the draft unchanged' '
	aims_as alice doc new --type procedure --title "Release checklist" --owner "Head of ML" --id checklist >/dev/null &&
	printf "# Checklist\n\nDraft text.\n" >c1.md &&
	aims_as alice doc edit checklist --body c1.md >/dev/null &&
	aims_db doc show checklist --json >before.json &&
	before=$(aims_db status --json | jq -r .store.content_digest) &&
	mkdir body.d &&
	expect_exit 3 aims_as alice doc edit checklist --body body.d &&
	test_grep "body.d. is a directory" err &&
	printf "# Checklist\n\n\377\376 not text\n" >latin.md &&
	expect_exit 3 aims_as alice doc edit checklist --body latin.md &&
	test_grep "latin.md. line 3: not valid UTF-8" err &&
	aims_db doc show checklist --json >after.json &&
	test_cmp before.json after.json &&
	test_json after.json ".body == \"# Checklist\\n\\nDraft text.\\n\" and .status == \"draft\"" &&
	test_equal "$before" "$(aims_db status --json | jq -r .store.content_digest)"
'

test_expect_success 'audit trail: create, update, approve and retire entries, naming the accounts' '
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"document\" and .object_id == \"DOC-001\") | .action] == [\"create\", \"update\", \"approve\", \"update\", \"approve\"]" &&
	test_json log.json "[.entries[] | select(.object_type == \"document\" and .object_id == \"DOC-001\") | .actor] == [\"alice\", \"alice\", \"bob\", \"alice\", \"bob\"]" &&
	test_json log.json "[.entries[] | select(.object_id == \"model-release\") | .action] == [\"create\", \"retire\"]"
'

test_expect_success 'the CLI --json and the API give the same document' '
	serve_store &&
	API_AS=bob API_PATH=/documents/DOC-001 same_json doc show DOC-001 &&
	test_json api.json ".id == \"DOC-001\" and (.versions | length) == 2 and (.body | contains(\"Second text.\"))" &&
	API_AS=alice API_PATH="/documents/DOC-001?version=1" same_json doc show DOC-001 --version 1 &&
	test_json api.json ".version == 1 and .status == \"approved\""
'

test_expect_success 'gap analysis counts the approved AI policy as evidence for 5.2 and A.2.2' '
	aims_db gap --json >gap.json &&
	test_json gap.json "[.items[] | select(.id == \"5.2\" or .id == \"A.2.2\") | .status != \"gap\" and (.reusable_evidence | index(\"doc:DOC-001@v2\") != null)] | length == 2 and all"
'

test_expect_success 'export --html: a page per document and an index, self-contained' '
	aims_db doc export --html site >/dev/null &&
	test -s site/index.html && test -s site/DOC-001.html && test -s site/model-release.html &&
	for f in site/*.html; do
		test_grep "^<!DOCTYPE html>" $f &&
		test_grep_not "<script" $f &&
		test_grep_not "(src|href)=\"(https?:)?//" $f &&
		test_grep -F "Northwind Lending GmbH" $f || return 1
	done &&
	test_grep -F "DOC-001.html" site/index.html &&
	test_grep -F "2025-01-15" site/index.html &&
	test_grep "<h2>AI policy</h2>" site/DOC-001.html
'

test_expect_success 'headless Chromium renders the exported document and index' '
	screenshot "$TEST_DIR/site/DOC-003.html" doc.png &&
	read -r w h ink colors <<-EOF &&
	$(/usr/bin/python3 "$PNG_INK" doc.png)
	EOF
	awk -v ink="$ink" "BEGIN { exit !(ink > 0.02) }" &&
	screenshot "$TEST_DIR/site/index.html" index.png &&
	read -r w h ink colors <<-EOF &&
	$(/usr/bin/python3 "$PNG_INK" index.png)
	EOF
	awk -v ink="$ink" "BEGIN { exit !(ink > 0.005) }"
'

done_testing
