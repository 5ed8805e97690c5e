#!/bin/bash
# t1300-api-parity: the command line's --json and the HTTP API answer with
# the same document for the same object, because both run the same
# operation of the library (issue 13). A real `aims serve` on 127.0.0.1 (an
# ephemeral port) serves the test's store; for each read operation of the
# catalogs, the organization, the status, the ISMS state, the AI systems,
# the accounts, whoami and version, `aims ... --json` run as an account and
# GET /api/v1/... with that account's API token are compared after jq -S.
# Then the API's error paths: 401 without a token, 403 naming the missing
# permission, 404 for an unknown object, 400 naming the field, 428 without
# If-Match, 412 for a stale If-Match (nothing lost), every error a problem
# document (RFC 9457), and the security headers on every response.

. "$(dirname "$0")/test-lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	echo "Bail out! curl is required (scripts/deps.sh installs it)"
	exit 1
fi

EX=$AIMS_SRC/examples

# the server runs in the background for the whole script; the EXIT trap stops it
stop_server() {
	local pid
	if [ -s "$TEST_DIR/server.pid" ]; then
		pid=$(cat "$TEST_DIR/server.pid")
		kill "$pid" 2>/dev/null || true
		# wait for it to go (it is not this shell's child when started in a test's subshell)
		for _ in $(seq 1 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		rm -f "$TEST_DIR/server.pid"
	fi
}
trap 'stop_server; test_cleanup' EXIT

# the server's URL and the API's base URL, once the server wrote its port
server_url() {
	echo "http://127.0.0.1:$(cat "$TEST_DIR/port")"
}
api_base() {
	echo "$(server_url)/api/v1"
}

# api NAME PATH [curl options...]: GET PATH as account NAME; body on stdout, fails on an HTTP error
api() {
	local name=$1 path=$2
	shift 2
	curl -sS --fail-with-body -H "Authorization: Bearer $(cat "$TEST_DIR/.token-$name")" "$@" "$(api_base)$path"
}

# request METHOD PATH [curl options...]: any request; the status to ./status, the headers to ./headers and
# the body to ./body
request() {
	local method=$1 path=$2
	shift 2
	curl -sS -X "$method" -D headers -o body -w "%{http_code}" "$@" "$(api_base)$path" >status
}

# header NAME: the value of a response header in ./headers (the last response's)
header() {
	tr -d '\r' <headers | awk -v h="$(echo "$1" | tr 'A-Z' 'a-z')" \
		'{ n = index($0, ":"); if (n && tolower(substr($0, 1, n - 1)) == h) { print substr($0, n + 2) } }' | tail -n 1
}

# same NAME API-PATH CLI-ARGS...: the CLI's --json (as account NAME) and GET API-PATH (with its token)
# are the same document
same() {
	local name=$1 path=$2 tag
	shift 2
	tag=$(echo "$path" | tr -c 'a-zA-Z0-9\n' _)
	aims_as "$name" "$@" --json >"cli$tag.raw" &&
	jq -S . "cli$tag.raw" >"cli$tag.json" &&
	api "$name" "$path" >"api$tag.raw" &&
	jq -S . "api$tag.raw" >"api$tag.json" &&
	test_cmp "cli$tag.json" "api$tag.json"
}

# problem STATUS: ./status is STATUS and ./body a problem document with that status
problem() {
	test_equal "$1" "$(cat status)" &&
	test_grep -i "^content-type: application/problem\+json" <(tr -d '\r' <headers) &&
	test_json body ".status == $1 and (.title | type) == \"string\" and (.detail | type) == \"string\""
}

test_expect_success 'setup: a store with an organization, ISMS versions, systems and accounts' '
	aims_db init >/dev/null &&
	aims_db org set --name "Northwind Lending GmbH" --sector "consumer lending" --country DE &&
	aims_db isms import "$EX/isms-soa.csv" >/dev/null &&
	aims_db isms import "$EX/isms-soa-young.csv" >/dev/null &&
	aims_db system add credit-scoring --purpose "Scores consumer loan applications" --lifecycle deployed \
		--role deployer --oversight human-in-the-loop >/dev/null &&
	aims_db system add chat-assist --purpose "Answers customer questions" >/dev/null &&
	test_account admin admin &&
	test_account auditor auditor &&
	test_account cm compliance-manager &&
	test_account svc service
'

test_expect_success 'setup: aims serve on 127.0.0.1, an ephemeral port' '
	"$AIMS" serve --listen 127.0.0.1:0 --port-file "$TEST_DIR/port" --db "$TEST_DB" \
		>"$TEST_DIR/serve.out" 2>"$TEST_DIR/serve.err" </dev/null &
	echo $! >"$TEST_DIR/server.pid" &&
	for _ in $(seq 1 100); do
		grep -qx "[0-9][0-9]*" "$TEST_DIR/port" 2>/dev/null && break
		if ! kill -0 "$(cat "$TEST_DIR/server.pid")" 2>/dev/null; then
			echo "aims serve exited before it listened:" >&2
			cat "$TEST_DIR/serve.err" >&2
			exit 1
		fi
		sleep 0.1
	done &&
	if ! grep -qx "[0-9][0-9]*" "$TEST_DIR/port" 2>/dev/null; then
		echo "aims serve wrote no port within 10 seconds:" >&2
		cat "$TEST_DIR/serve.err" >&2
		exit 1
	fi &&
	test "$(cat "$TEST_DIR/port")" -gt 0 &&
	request GET /version -H "Authorization: Bearer $(cat .token-auditor)" &&
	test_equal 200 "$(cat status)"
'

test_expect_success 'catalog list and catalog show: the same documents' '
	same auditor "/catalogs?limit=1000" catalog list &&
	test_json "api_catalogs_limit_1000.json" ".frameworks | length == 4" &&
	for f in iso27001-2022 iso42001-2023 nist-ai-rmf-1.0 eu-ai-act-2024; do
		same auditor "/catalogs/$f" catalog show "$f" || exit 1
	done &&
	same auditor "/catalogs/iso42001-2023?id=A.6" catalog show iso42001-2023 A.6 &&
	same auditor "/catalogs/nist-ai-rmf-1.0?id=GOVERN%201.1" catalog show nist-ai-rmf-1.0 "GOVERN 1.1" &&
	same auditor "/catalogs/eu-ai-act-2024?id=Chapter%20III&kind=article" \
		catalog show eu-ai-act-2024 "Chapter III" --kind article &&
	test_json "api_catalogs_eu_ai_act_2024_id_Chapter_20III_kind_article.json" \
		"(.requirements | length) > 0 and all(.requirements[]; .kind == \"article\")"
'

test_expect_success 'org show and status: the same documents' '
	same auditor /org org show &&
	test_json api_org.json ".name == \"Northwind Lending GmbH\" and .country == \"DE\"" &&
	same auditor /status status &&
	test_json api_status.json ".store.location == \"$TEST_DB\" and .isms.version == 2 and (.frameworks | length) == 4"
'

test_expect_success 'isms show (latest and --version 1) and isms versions: the same documents' '
	same auditor /isms isms show &&
	test_json api_isms.json ".version == 2 and .rows == 121" &&
	same auditor "/isms?version=1" isms show --version 1 &&
	test_json api_isms_version_1.json ".version == 1 and .rows == 123" &&
	same auditor "/isms/versions?limit=1000" isms versions &&
	test_json api_isms_versions_limit_1000.json "[.versions[].version] == [1, 2]"
'

test_expect_success 'system list and system show: the same documents' '
	same auditor "/systems?limit=1000" system list &&
	test_json api_systems_limit_1000.json "[.systems[].name] | sort == [\"chat-assist\", \"credit-scoring\"]" &&
	same auditor /systems/credit-scoring system show credit-scoring &&
	test_json api_systems_credit_scoring.json ".lifecycle == \"deployed\" and .deployments == []"
'

test_expect_success 'user list, user show, whoami and version: the same documents' '
	same auditor "/users?limit=1000" user list &&
	test_json api_users_limit_1000.json "[.users[].name] | index(\"auditor\") != null" &&
	same auditor /users/cm user show cm &&
	same auditor /whoami whoami &&
	test_json api_whoami.json ".principal == \"auditor\" and .roles == [\"auditor\"]" &&
	same admin /whoami whoami &&
	same auditor /version version &&
	test_json api_version.json ".version == \"$("$AIMS" --version | cut -d" " -f2)\""
'

test_expect_success 'aims --server: the same document as on the store directly' '
	aims_as auditor status --json | jq -S . >local.json &&
	AIMS_TOKEN=$(cat .token-auditor) "$AIMS" --server "$(server_url)" status --json |
		jq -S . >remote.json &&
	test_cmp local.json remote.json &&
	aims_as auditor isms show --version 1 --json | jq -S . >local.json &&
	AIMS_TOKEN=$(cat .token-auditor) "$AIMS" --server "$(server_url)" isms show --version 1 \
		--json | jq -S . >remote.json &&
	test_cmp local.json remote.json
'

test_expect_success 'documents carry an ETag and the security headers' '
	request GET /systems/credit-scoring -H "Authorization: Bearer $(cat .token-auditor)" &&
	test_equal 200 "$(cat status)" &&
	test_grep "^\"sha256:[0-9a-f]{32}\"$" <(header ETag) &&
	test_equal nosniff "$(header X-Content-Type-Options)" &&
	test_grep "default-src .none." <(header Content-Security-Policy) &&
	test_grep -i "^application/json" <(header Content-Type)
'

test_expect_success 'no token: 401 problem, with the security headers' '
	request GET /systems &&
	problem 401 &&
	test_grep -i "^Bearer" <(header WWW-Authenticate) &&
	test_equal nosniff "$(header X-Content-Type-Options)" &&
	test -n "$(header Content-Security-Policy)" &&
	request GET /status -H "Authorization: Bearer aims_not_a_token" &&
	problem 401
'

test_expect_success 'a role without the permission: 403 naming the permission, nothing changed' '
	aims_as auditor org show --json >before.json &&
	request PATCH /org -H "Authorization: Bearer $(cat .token-auditor)" -H "Content-Type: application/json" \
		--data "{\"name\": \"Taken Over Ltd\"}" &&
	problem 403 &&
	test_json body ".detail | contains(\"org.manage\")" &&
	request GET /status -H "Authorization: Bearer $(cat .token-svc)" &&
	problem 403 &&
	test_json body ".detail | contains(\"permission '"'"'read'"'"'\")" &&
	request POST /isms/versions -H "Authorization: Bearer $(cat .token-auditor)" \
		-H "Content-Type: application/json" --data "{\"file\": \"x\"}" &&
	problem 403 &&
	test_json body ".detail | contains(\"isms.manage\")" &&
	aims_as auditor org show --json >after.json &&
	test_cmp before.json after.json
'

test_expect_success 'an unknown object: 404 problem' '
	request GET /systems/no-such-system -H "Authorization: Bearer $(cat .token-auditor)" &&
	problem 404 &&
	test_json body ".detail | contains(\"no-such-system\")" &&
	request GET /catalogs/iso9999-2099 -H "Authorization: Bearer $(cat .token-auditor)" &&
	problem 404 &&
	request GET "/catalogs/iso42001-2023?id=A.99" -H "Authorization: Bearer $(cat .token-auditor)" &&
	problem 404 &&
	test_json body ".detail | contains(\"A.99\")" &&
	request GET "/isms?version=9" -H "Authorization: Bearer $(cat .token-auditor)" &&
	problem 404
'

test_expect_success 'a bad value: 400 problem naming the field, nothing changed' '
	request GET /systems/credit-scoring -H "Authorization: Bearer $(cat .token-cm)" &&
	etag=$(header ETag) &&
	test -n "$etag" &&
	cp body before.json &&
	request PATCH /systems/credit-scoring -H "Authorization: Bearer $(cat .token-cm)" -H "If-Match: $etag" \
		-H "Content-Type: application/json" --data "{\"lifecycle\": \"bogus\"}" &&
	problem 400 &&
	test_json body ".field == \"lifecycle\" and (.detail | contains(\"bogus\"))" &&
	request PATCH /org -H "Authorization: Bearer $(cat .token-cm)" -H "If-Match: *" \
		-H "Content-Type: application/json" --data "{\"country\": \"deu\"}" &&
	problem 400 &&
	test_json body ".field == \"country\"" &&
	request GET "/catalogs/iso42001-2023?kind=controls" -H "Authorization: Bearer $(cat .token-cm)" &&
	problem 400 &&
	test_json body ".field == \"kind\"" &&
	request GET "/isms?version=0" -H "Authorization: Bearer $(cat .token-cm)" &&
	problem 400 &&
	test_json body ".field == \"version\"" &&
	api cm /systems/credit-scoring >after.json &&
	test_cmp before.json after.json
'

test_expect_success 'an ISMS file with a bad row over HTTP: 400 naming the line, no new version' '
	jq -Rs "{file: ., source: \"soa.csv\"}" <<-EOF >bad.json &&
	control,applicable,status,justification,owner,evidence
	A.5.1,yes,implemented,,,
	A.5.2,yes,done,,,
	EOF
	request POST /isms/versions -H "Authorization: Bearer $(cat .token-cm)" -H "Content-Type: application/json" \
		--data @bad.json &&
	problem 400 &&
	test_json body ".detail | startswith(\"'"'"'soa.csv'"'"' line 3: status:\")" &&
	api cm "/isms/versions?limit=1000" >v.json &&
	test_json v.json "[.versions[].version] == [1, 2]"
'

test_expect_success 'an ISMS file over HTTP: 201 with the new version, as the CLI shows it' '
	jq -Rs "{file: ., source: \"isms-soa.csv\"}" <"$EX/isms-soa.csv" >good.json &&
	request POST /isms/versions -H "Authorization: Bearer $(cat .token-cm)" -H "Content-Type: application/json" \
		--data @good.json &&
	test_equal 201 "$(cat status)" &&
	test_json body ".version == 3 and .rows == 123 and .source == \"isms-soa.csv\"" &&
	jq -S . body >posted.json &&
	aims_as auditor isms show --json | jq -S . >shown.json &&
	test_cmp shown.json posted.json
'

test_expect_success 'an update without If-Match: 428 problem' '
	request PATCH /systems/credit-scoring -H "Authorization: Bearer $(cat .token-cm)" \
		-H "Content-Type: application/json" --data "{\"purpose\": \"changed without a precondition\"}" &&
	problem 428 &&
	request PATCH /org -H "Authorization: Bearer $(cat .token-cm)" \
		-H "Content-Type: application/json" --data "{\"sector\": \"retail banking\"}" &&
	problem 428 &&
	aims_as auditor system show credit-scoring --json >s.json &&
	test_json s.json ".purpose == \"Scores consumer loan applications\""
'

test_expect_success 'a stale If-Match: 412 problem, the other writer'"'"'s change is kept' '
	request GET /systems/credit-scoring -H "Authorization: Bearer $(cat .token-cm)" &&
	old=$(header ETag) &&
	aims_as cm system set credit-scoring --purpose "Scores loan applications (v2)" >/dev/null &&
	request PATCH /systems/credit-scoring -H "Authorization: Bearer $(cat .token-cm)" -H "If-Match: $old" \
		-H "Content-Type: application/json" --data "{\"purpose\": \"lost update\"}" &&
	problem 412 &&
	aims_as auditor system show credit-scoring --json >s.json &&
	test_json s.json ".purpose == \"Scores loan applications (v2)\"" &&
	request GET /org -H "Authorization: Bearer $(cat .token-cm)" &&
	old=$(header ETag) &&
	aims_as cm org set --sector "retail banking" &&
	request PATCH /org -H "Authorization: Bearer $(cat .token-cm)" -H "If-Match: $old" \
		-H "Content-Type: application/json" --data "{\"sector\": \"lost update\"}" &&
	problem 412 &&
	api cm /org >o.json &&
	test_json o.json ".sector == \"retail banking\""
'

test_expect_success 'an update with the current ETag: 200, the same document the CLI then shows' '
	request GET /org -H "Authorization: Bearer $(cat .token-cm)" &&
	etag=$(header ETag) &&
	request PATCH /org -H "Authorization: Bearer $(cat .token-cm)" -H "If-Match: $etag" \
		-H "Content-Type: application/json" --data "{\"sector\": \"consumer lending\"}" &&
	test_equal 200 "$(cat status)" &&
	test_json body ". == {\"name\": \"Northwind Lending GmbH\", \"sector\": \"consumer lending\", \"country\": \"DE\"}" &&
	test_grep "^\"sha256:[0-9a-f]{32}\"$" <(header ETag) &&
	! test_equal "$etag" "$(header ETag)" 2>/dev/null &&
	jq -S . body >patched.json &&
	aims_as auditor org show --json | jq -S . >shown.json &&
	test_cmp shown.json patched.json
'

test_expect_success 'aims --server org set and system set: the update changes the current version' '
	AIMS_TOKEN=$(cat .token-cm) "$AIMS" --server "$(server_url)" org set --sector "retail banking" >out &&
	test_must_be_empty out &&
	api cm /org >o.json &&
	test_json o.json ".sector == \"retail banking\" and .name == \"Northwind Lending GmbH\"" &&
	AIMS_TOKEN=$(cat .token-cm) "$AIMS" --server "$(server_url)" system set credit-scoring \
		--purpose "Scores loan applications (v3)" --json | jq -S . >remote.json &&
	aims_as auditor system show credit-scoring --json | jq -S . >local.json &&
	test_cmp local.json remote.json &&
	test_json local.json ".purpose == \"Scores loan applications (v3)\"" &&
	AIMS_TOKEN=$(cat .token-cm) expect_exit 3 "$AIMS" --server "$(server_url)" org set --country deu &&
	test_grep "country '"'"'deu'"'"'" err
'

test_expect_success 'the audit trail names the principals: the OS user for init, accounts over HTTP' '
	aims_db ledger log --json >log.json &&
	me=$(id -un) &&
	test_json log.json "[.entries[] | select(.action == \"load\") | .actor] | length > 0 and all(. == \"os:$me\")" &&
	test_json log.json "any(.entries[]; .actor == \"cm\" and .action == \"import\" and .object_type == \"isms\"
		and .object_id == \"3\")" &&
	test_json log.json "any(.entries[]; .actor == \"cm\" and .object_type == \"setting\"
		and .object_id == \"org.sector\")"
'

test_expect_success 'the server stops cleanly on SIGTERM' '
	pid=$(cat "$TEST_DIR/server.pid") &&
	kill -TERM "$pid" &&
	for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done &&
	! kill -0 "$pid" 2>/dev/null &&
	rm -f "$TEST_DIR/server.pid" &&
	test_grep "stopping" "$TEST_DIR/serve.err"
'

done_testing
