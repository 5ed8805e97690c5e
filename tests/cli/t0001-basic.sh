#!/bin/bash
# t0001-basic: version, help, the man page, usage errors and exit statuses
# that do not need a store with content.

. "$(dirname "$0")/test-lib.sh"

test_expect_success '--version prints the version and exits 0' '
	"$AIMS" --version >out &&
	test_grep "^aims [0-9]+\.[0-9]+\.[0-9]+" out &&
	test "$(wc -l <out)" -eq 1
'

# aims version is an operation (GET /api/v1/version): it reports the schema of the store it opens;
# aims --version needs no store
test_expect_success 'version --json has the keys version and schema' '
	aims_db init >/dev/null &&
	aims_db version --json >out &&
	test_json out "keys == [\"schema\", \"version\"]" &&
	test_json out "(.version | type) == \"string\" and (.schema | type) == \"number\" and .schema >= 1" &&
	v=$("$AIMS" --version) &&
	test_equal "aims $(jq -r .version out)" "$v"
'

test_expect_success 'version (text) names the schema' '
	aims_db version >out &&
	test_grep "^aims [0-9.]+ \(store schema [0-9]+\)$" out
'

test_expect_success 'version without a store: exit 5 naming it; --version still works' '
	expect_exit 5 "$AIMS" --db "$TEST_DIR/no-store.db" version &&
	test_grep "no-store\.db" err &&
	test ! -e "$TEST_DIR/no-store.db" &&
	"$AIMS" --db "$TEST_DIR/no-store.db" --version >out &&
	test_grep "^aims [0-9]" out
'

test_expect_success 'help prints the overview with every command' '
	"$AIMS" help >out &&
	test_grep "^usage: aims " out &&
	for c in "catalog list" "catalog show" help init "org set" "org show" status version; do
		test_grep "^  $c +[a-z]" out || exit 1
	done
'

test_expect_success '--help alone prints the overview to stdout and exits 0' '
	"$AIMS" --help >out 2>err &&
	test_must_be_empty err &&
	test_grep "^usage: aims " out &&
	"$AIMS" help >expect &&
	test_cmp expect out
'

test_expect_code 2 'no command at all is a usage error' '
	"$AIMS" >out 2>err
'

test_expect_success 'no command prints the overview to stderr' '
	expect_exit 2 "$AIMS" &&
	test_must_be_empty out &&
	test_grep "^usage: aims " err &&
	test_grep "catalog show" err
'

test_expect_success 'aims help catalog show prints usage, description and options' '
	"$AIMS" help catalog show >out &&
	test_grep "^usage: aims catalog show \[options\] FRAMEWORK \[ID\]$" out &&
	test_grep "^options:$" out &&
	test_grep "^  --json " out &&
	test_grep "^  --kind KIND " out &&
	test_grep "^  --db URL " out
'

test_expect_success 'aims catalog show --help equals aims help catalog show' '
	"$AIMS" help catalog show >expect &&
	test_grep "^usage: aims catalog show " expect &&
	"$AIMS" catalog show --help >out &&
	test_cmp expect out &&
	"$AIMS" catalog show -h >out &&
	test_cmp expect out
'

test_expect_success '--help wins over missing arguments and needs no store' '
	"$AIMS" --db "$TEST_DIR/none.db" catalog show --help >out &&
	test_grep "^usage: aims catalog show" out &&
	test ! -e "$TEST_DIR/none.db"
'

test_expect_success 'help for an unknown command exits 5 and names it' '
	expect_exit 5 "$AIMS" help frobnicate &&
	test_grep "frobnicate" err
'

test_expect_code 2 'unknown command exits 2' '
	"$AIMS" frobnicate
'

test_expect_success 'unknown command: the message names it' '
	expect_exit 2 "$AIMS" frobnicate &&
	test_grep "^error: unknown command .frobnicate." err &&
	test_must_be_empty out
'

test_expect_success 'unknown subcommand of a group exits 2 and lists the group' '
	expect_exit 2 "$AIMS" catalog frobnicate &&
	test_grep "unknown command .aims catalog frobnicate." err &&
	test_grep "catalog list" err
'

test_expect_success 'unknown option after a command exits 2 and names it' '
	expect_exit 2 "$AIMS" version --frobnicate &&
	test_grep "unknown option .--frobnicate." err
'

test_expect_success 'unknown global option exits 2 and names it' '
	expect_exit 2 "$AIMS" --frobnicate version &&
	test_grep "unknown option .--frobnicate." err
'

test_expect_success 'unknown short option exits 2' '
	expect_exit 2 "$AIMS" version -x &&
	test_grep "unknown option .-x." err
'

test_expect_success 'a flag given a value exits 2' '
	expect_exit 2 "$AIMS" version --json=yes &&
	test_grep "takes no value" err
'

test_expect_success 'an option that needs a value, at the end, exits 2' '
	expect_exit 2 "$AIMS" catalog show iso42001-2023 --kind &&
	test_grep "needs a value" err &&
	expect_exit 2 "$AIMS" version --db &&
	test_grep "needs a value" err
'

test_expect_success 'missing arguments exit 2 with the usage line' '
	expect_exit 2 "$AIMS" catalog show &&
	test_grep "missing arguments" err &&
	test_grep "^usage: aims catalog show FRAMEWORK \[ID\]$" err
'

test_expect_success 'too many arguments exit 2' '
	expect_exit 2 "$AIMS" catalog show a b c &&
	test_grep "too many arguments" err &&
	expect_exit 2 "$AIMS" status extra &&
	test_grep "too many arguments" err
'

test_expect_success 'aims catalog alone exits 2 and lists its subcommands' '
	expect_exit 2 "$AIMS" catalog &&
	test_grep "^usage: aims catalog <command>" err &&
	test_grep "^  catalog list +" err &&
	test_grep "^  catalog show +" err &&
	test_grep_not "org set" err
'

test_expect_success 'aims catalog --help lists the subcommands on stdout, exit 0' '
	"$AIMS" catalog --help >out &&
	test_grep "^  catalog list +" out &&
	test_grep "^  catalog show +" out
'

test_expect_success 'aims help --man is docs/aims.1 byte for byte' '
	"$AIMS" help --man >aims.1 &&
	test_cmp "$AIMS_SRC/docs/aims.1" aims.1
'

test_expect_success 'aims help --permissions is docs/permissions.md byte for byte' '
	"$AIMS" help --permissions >permissions.md &&
	test_cmp "$AIMS_SRC/docs/permissions.md" permissions.md
'

test_expect_success 'the man page documents every command and exit status 0-6' '
	"$AIMS" help --man >aims.1 &&
	test_grep "^\.TH AIMS 1" aims.1 &&
	for c in "catalog list" "catalog show" help init "org set" "org show" status version; do
		test_grep "^\.SS \"aims $c" aims.1 || exit 1
	done &&
	for s in 0 1 2 3 4 5 6; do
		test_grep "^\.B $s$" aims.1 || exit 1
	done
'

test_expect_success '--json on a command without JSON output exits 2' '
	expect_exit 2 "$AIMS" --db "$TEST_DIR/none.db" --json init &&
	test_grep "aims init. has no JSON output" err &&
	test ! -e "$TEST_DIR/none.db"
'

test_expect_success '--json after a command without JSON output exits 2' '
	expect_exit 2 "$AIMS" --db "$TEST_DIR/none.db" init --json &&
	test_grep "json" err &&
	test ! -e "$TEST_DIR/none.db"
'

test_expect_success 'a read command on a missing store exits 5 naming the path' '
	expect_exit 5 "$AIMS" --db "$TEST_DIR/missing.db" status &&
	test_grep "$TEST_DIR/missing\.db" err &&
	test_grep "aims init" err &&
	test_must_be_empty out &&
	test ! -e "$TEST_DIR/missing.db"
'

test_expect_success 'every read command refuses a missing store with exit 5' '
	for cmd in "status" "catalog list" "catalog show iso42001-2023" "org show"; do
		expect_exit 5 "$AIMS" --db "$TEST_DIR/missing.db" $cmd || exit 1
		test_grep "missing\.db" err || exit 1
	done &&
	test ! -e "$TEST_DIR/missing.db"
'

test_expect_success 'org set on a missing store exits 5 and does not create it' '
	expect_exit 5 "$AIMS" --db "$TEST_DIR/missing.db" org set --name x &&
	test_grep "missing\.db" err &&
	test ! -e "$TEST_DIR/missing.db"
'

test_expect_success 'the default store is ./aims.db' '
	mkdir cwd && (cd cwd && expect_exit 5 "$AIMS" status && test_grep "aims\.db" err) &&
	test ! -e cwd/aims.db
'

done_testing
