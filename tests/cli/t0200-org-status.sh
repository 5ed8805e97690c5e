#!/bin/bash
# t0200-org-status: aims org set | show, aims status and its content digest,
# and how the store is chosen (--db PATH, --db sqlite:PATH, --db postgres://,
# AIMS_DB).

. "$(dirname "$0")/test-lib.sh"

# digest [aims args...]: the content digest of the test store
digest() {
	aims_db "$@" status --json | jq -r .store.content_digest
}

test_expect_success 'setup: init a store' '
	aims_db init >/dev/null &&
	test_store_exists "$TEST_DB"
'

test_expect_success 'org show --json before anything is set: all null' '
	aims_db org show --json >org.json &&
	test_json org.json ". == {\"name\": null, \"sector\": null, \"country\": null}"
'

test_expect_success 'org show (text) says what is not set' '
	aims_db org show >out &&
	test_grep "^name +\(not set\)$" out
'

test_expect_success 'org set --name/--sector/--country, then org show --json' '
	aims_db org set --name "Northwind Lending GmbH" --sector "consumer lending" --country DE >out &&
	aims_db org show --json >org.json &&
	test_json org.json ". == {\"name\": \"Northwind Lending GmbH\", \"sector\": \"consumer lending\", \"country\": \"DE\"}"
'

test_expect_success 'org show --json lists the keys name, sector, country in that order' '
	test_json org.json "keys_unsorted == [\"name\", \"sector\", \"country\"]"
'

test_expect_success 'org show (text) prints the facts' '
	aims_db org show >out &&
	test_grep "^name +Northwind Lending GmbH$" out &&
	test_grep "^sector +consumer lending$" out &&
	test_grep "^country +DE$" out
'

test_expect_success 'org set keeps the facts it is not given' '
	aims_db org set --sector "retail banking" &&
	aims_db org show --json >org.json &&
	test_json org.json ". == {\"name\": \"Northwind Lending GmbH\", \"sector\": \"retail banking\", \"country\": \"DE\"}"
'

test_expect_success 'org set --name=VALUE form' '
	aims_db org set --name="Northwind Lending GmbH" --sector="consumer lending" &&
	aims_db org show --json >org.json &&
	test_json org.json ".name == \"Northwind Lending GmbH\" and .sector == \"consumer lending\""
'

test_expect_success 'org set keeps UTF-8 and quotes as given' '
	aims_at utf.db init >/dev/null &&
	aims_at utf.db org set --name "Müller & Söhne \"KI\" AG" &&
	aims_at utf.db org show --json >out &&
	test_json out ".name == \"Müller & Söhne \\\"KI\\\" AG\""
'

test_expect_success 'bad country codes exit 2 and change nothing' '
	for c in de DEU D1 12 "D E" ""; do
		expect_exit 2 aims_db org set --country "$c" || exit 1
		test_grep "country" err || exit 1
	done &&
	aims_db org show --json >org.json &&
	test_json org.json ".country == \"DE\""
'

test_expect_success 'a bad country with a good name changes nothing at all' '
	expect_exit 2 aims_db org set --name "Other Name" --country deu &&
	aims_db org show --json >org.json &&
	test_json org.json ".name == \"Northwind Lending GmbH\""
'

test_expect_success 'org set with nothing to set exits 2' '
	expect_exit 2 aims_db org set &&
	test_grep "nothing to set" err
'

test_expect_success 'org set with an empty name exits 2' '
	expect_exit 2 aims_db org set --name "" &&
	test_grep "name" err &&
	aims_db org show --json >org.json &&
	test_json org.json ".name == \"Northwind Lending GmbH\""
'

test_expect_success 'org set with the same option twice exits 2' '
	expect_exit 2 aims_db org set --name A --name B &&
	test_grep "twice" err
'

test_expect_success 'status --json: organization, store and frameworks' '
	aims_db status --json >status.json &&
	test_json status.json "keys_unsorted == [\"organization\", \"store\", \"frameworks\", \"crosswalks\", \"isms\"]" &&
	test_json status.json ".crosswalks == 4 and .isms == null" &&
	test_json status.json ".organization == {\"name\": \"Northwind Lending GmbH\", \"sector\": \"consumer lending\", \"country\": \"DE\"}" &&
	test_json status.json "
		.store.backend == \"$TEST_BACKEND\" and
		.store.location == \"$TEST_DB\" and
		(.store.schema_version | type) == \"number\" and
		(.store.content_digest | test(\"^[0-9a-f]{64}$\"))"
'

test_expect_success 'status --json: schema_version is the one aims version reports' '
	aims_db version --json >version.json &&
	test_json status.json ".store.schema_version == \$v[0].schema" --slurpfile v version.json
'

test_expect_success 'status --json: 4 frameworks with counts by kind' '
	test_json status.json "
		(.frameworks | length == 4) and
		([.frameworks[].framework] | sort == [\"eu-ai-act-2024\", \"iso27001-2022\", \"iso42001-2023\", \"nist-ai-rmf-1.0\"]) and
		all(.frameworks[]; (.kinds | add) == .requirements)" &&
	test_json status.json "
		(.frameworks | map({(.framework): .kinds}) | add) as \$k
		| \$k[\"iso27001-2022\"].control == 93 and \$k[\"iso27001-2022\"].group == 4
		and \$k[\"iso42001-2023\"].control == 38 and \$k[\"iso42001-2023\"].group == 9
		and \$k[\"nist-ai-rmf-1.0\"] == {\"function\": 4, \"category\": 19, \"subcategory\": 72}
		and \$k[\"eu-ai-act-2024\"].article == 113 and \$k[\"eu-ai-act-2024\"].annex == 13
		and \$k[\"eu-ai-act-2024\"][\"annex-iii-area\"] == 8"
'

test_expect_success 'status --json agrees with catalog list --json' '
	aims_db catalog list --json >list.json &&
	test_json list.json ".frameworks | length == 4" &&
	jq -S "[.frameworks[] | {framework, title, version, requirements}] | sort_by(.framework)" list.json >expect &&
	jq -S "[.frameworks[] | {framework, title, version, requirements}] | sort_by(.framework)" status.json >actual &&
	test_cmp expect actual
'

test_expect_success 'status (text) shows the organization, store, digest and frameworks' '
	aims_db status >out &&
	test_grep "^organization: Northwind Lending GmbH \(consumer lending, DE\)$" out &&
	test_grep -F "store:        $TEST_BACKEND '"'"'$TEST_DB'"'"', schema " out &&
	test_grep "^content: +sha256:$(jq -r .store.content_digest status.json)$" out &&
	test_grep "^iso42001-2023 +2023 +90 +.*38 control" out
'

test_expect_success 'the content digest is stable when nothing changes' '
	d1=$(digest) && d2=$(digest) &&
	test_grep "^[0-9a-f]{64}$" <(echo "$d1") &&
	aims_db org show >/dev/null &&
	aims_db catalog list >/dev/null &&
	d3=$(digest) &&
	test_equal "$d1" "$d2" &&
	test_equal "$d1" "$d3" &&
	test_equal "$d1" "$(jq -r .store.content_digest status.json)"
'

test_expect_success 'the content digest changes when the org name changes, and back' '
	d1=$(digest) &&
	aims_db org set --name "Southwind Lending GmbH" &&
	d2=$(digest) &&
	! test_equal "$d1" "$d2" 2>/dev/null &&
	aims_db org set --name "Northwind Lending GmbH" &&
	d3=$(digest) &&
	test_equal "$d1" "$d3"
'

test_expect_success 'setting a fact to the value it has keeps the digest' '
	d1=$(digest) &&
	test -n "$d1" &&
	aims_db org set --country DE &&
	test_equal "$d1" "$(digest)"
'

test_expect_success 'the content digest does not depend on where the store is' '
	d1=$(digest) &&
	if [ "$TEST_BACKEND" = sqlite ]; then
		cp "$TEST_DB" copy.db
	else
		"$AIMS" store copy --from "$TEST_DB" --to "$(test_store copy.db)" >/dev/null
	fi &&
	test_equal "$d1" "$(aims_at copy.db status --json | jq -r .store.content_digest)"
'

test_expect_success 'status on a store with one framework' '
	mkdir nocat && cp "$AIMS_SRC/catalogs/iso42001-2023.json" nocat/ &&
	aims_at one.db init --catalogs nocat >/dev/null &&
	aims_at one.db status --json >out &&
	test_json out "[.frameworks[].framework] == [\"iso42001-2023\"] and .organization.name == null"
'

test_expect_success 'AIMS_DB selects the store' '
	AIMS_DB="$TEST_DB" "$AIMS" org show --json >out &&
	test_json out ".name == \"Northwind Lending GmbH\"" &&
	AIMS_DB="$TEST_DB" "$AIMS" status --json >out &&
	test_json out ".store.location == \"$TEST_DB\""
'

test_expect_success 'AIMS_DB is used by init and org set too' '
	AIMS_DB="$(test_store "$TEST_DIR/env.db")" "$AIMS" init >/dev/null &&
	test_store_exists env.db &&
	AIMS_DB="$(test_store "$TEST_DIR/env.db")" "$AIMS" org set --name "Env Ltd" &&
	aims_at env.db org show --json >out &&
	test_json out ".name == \"Env Ltd\""
'

test_expect_success '--db wins over AIMS_DB' '
	AIMS_DB="$(test_store "$TEST_DIR/env.db")" "$AIMS" --db "$TEST_DB" org show --json >out &&
	test_json out ".name == \"Northwind Lending GmbH\"" &&
	AIMS_DB="$TEST_DB" "$AIMS" org show --json --db "$(test_store "$TEST_DIR/env.db")" >out &&
	test_json out ".name == \"Env Ltd\""
'

test_expect_success 'AIMS_DB naming a missing store: exit 5 naming it' '
	AIMS_DB="$(test_store "$TEST_DIR/nope.db")" expect_exit 5 "$AIMS" status &&
	test_grep "nope.db" err &&
	! test_store_exists nope.db
'

test_sqlite_only "the default store is the file ./aims.db"
test_expect_success 'an empty AIMS_DB means the default ./aims.db' '
	mkdir wd &&
	cp "$TEST_DB" wd/aims.db &&
	(cd wd && AIMS_DB= "$AIMS" org show --json) >out &&
	test_json out ".name == \"Northwind Lending GmbH\""
'

test_sqlite_only "sqlite:PATH names the test store"
test_expect_success '--db sqlite:PATH works and names the file as the location' '
	aims_at "sqlite:$TEST_DB" status --json >out &&
	test_json out ".store.backend == \"sqlite\" and .store.location == \"$TEST_DB\"" &&
	test_json out ".store.content_digest == \"$(digest)\""
'

test_sqlite_only "url.db is a file"
test_expect_success '--db sqlite:PATH for init, org set and org show' '
	aims_at "sqlite:$TEST_DIR/url.db" init >/dev/null &&
	test -f url.db &&
	aims_at "sqlite:$TEST_DIR/url.db" org set --name "Url Ltd" &&
	aims_at url.db org show --json >out &&
	test_json out ".name == \"Url Ltd\"" &&
	AIMS_DB="sqlite:$TEST_DIR/url.db" "$AIMS" org show --json >out &&
	test_json out ".name == \"Url Ltd\""
'

test_expect_success '--db=VALUE form, before and after the command' '
	"$AIMS" --db="$TEST_DB" org show --json >out &&
	test_json out ".name == \"Northwind Lending GmbH\"" &&
	"$AIMS" org show --db="$TEST_DB" --json >out &&
	test_json out ".name == \"Northwind Lending GmbH\""
'

test_expect_success '--db postgres:// without a database: a clear error, exit 3, no file' '
	expect_exit 3 aims_at postgres://127.0.0.1:1 status &&
	test_must_be_empty out &&
	test_grep -F "store '"'"'postgres://127.0.0.1:1'"'"' names no database" err &&
	test ! -e postgres: && test ! -e 127.0.0.1:1
'

test_expect_success '--db postgres:// with no server there: exit 6 naming the store, no file' '
	expect_exit 6 aims_at "postgresql://user@127.0.0.1:1/aims" init &&
	test_grep -F "cannot connect to store '"'"'postgresql://user@127.0.0.1:1/aims'"'"'" err &&
	test ! -e postgresql:
'

test_expect_success '--db postgres:// with a password: never shown' '
	expect_exit 6 aims_at "postgresql://user:s3cret@127.0.0.1:1/aims?password=s3cret2" status &&
	test_grep -F "postgresql://user:***@127.0.0.1:1/aims?password=***" err &&
	test_grep_not "s3cret" err
'

test_expect_success '--db with an unknown URL scheme: a clear error' '
	! aims_at "mysql://x/y" status >out 2>err &&
	test_grep -F "mysql://x/y" err &&
	test_grep "scheme" err
'

test_expect_success '--db sqlite: without a path: a clear error' '
	! aims_at "sqlite:" init >out 2>err &&
	test_grep "sqlite:" err &&
	test_grep "no file" err
'

done_testing
