#!/bin/bash
# t0210-auth-state: accounts and API tokens against the ledger (issue 20).
# Every change to an account or a token is an audit entry; the state check of
# 'aims ledger verify' recomputes each account's and token's digest from the
# store, so an account or token changed, added or removed with SQL is found
# (exit 4, naming the account or the token id, never a password or token
# hash). Disabling an account revokes its tokens, each with an entry of its
# own, so a clean store still verifies.

. "$(dirname "$0")/test-lib.sh"

# the password and token hashes in the store: none may appear in any output
no_secret_in() {
	local h
	for h in $(test_sql "$TEST_DB" "SELECT password_hash FROM accounts UNION ALL SELECT hash FROM api_tokens"); do
		if grep -qF -- "$h" "$@"; then
			echo "a stored secret hash is in $*" >&2
			return 1
		fi
	done
}

test_expect_success 'setup: accounts with tokens, a disabled account, a revoked token; the store verifies' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	test_account alice compliance-manager && test_account bob reviewer && test_account svc service &&
	aims_db user add carol --role auditor --display-name "Carol Auditor" --json >carol.json &&
	aims_db token create --user svc --json >t2.json &&
	aims_db user disable bob >/dev/null &&
	aims_db token revoke "$(jq -r .id t2.json)" >/dev/null &&
	aims_db token list --all --json >tokens.json &&
	test_json tokens.json "[.tokens[] | select(.account == \"bob\") | .revoked_at != null] == [true]" &&
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"api-token\") | .action] | sort == [\"create\", \"create\", \"create\", \"create\", \"revoke\", \"revoke\"]" &&
	aims_db ledger verify >out &&
	test_grep "^state: [0-9]+ governed objects match their latest audit entries$" out
'

test_expect_success 'an account changed with SQL is named (roles, status, display name, a non-canonical role list)' '
	test_sql "$TEST_DB" "CREATE TABLE saved_accounts AS SELECT * FROM accounts" &&
	test_sql "$TEST_DB" "UPDATE accounts SET roles = '\''admin'\'' WHERE name = '\''alice'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: account alice: changed outside aims \(audit entry [0-9]+\)" out &&
	no_secret_in out err &&
	test_sql "$TEST_DB" "UPDATE accounts SET roles = (SELECT roles FROM saved_accounts s WHERE s.name = accounts.name)" &&
	aims_db ledger verify >/dev/null &&
	test_sql "$TEST_DB" "UPDATE accounts SET status = '\''active'\'' WHERE name = '\''bob'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: account bob: changed outside aims" out &&
	test_sql "$TEST_DB" "UPDATE accounts SET status = '\''disabled'\'' WHERE name = '\''bob'\''" &&
	test_sql "$TEST_DB" "UPDATE accounts SET display_name = '\''Someone Else'\'' WHERE name = '\''carol'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: account carol: changed outside aims" out &&
	test_sql "$TEST_DB" "UPDATE accounts SET display_name = '\''Carol Auditor'\'' WHERE name = '\''carol'\''" &&
	test_sql "$TEST_DB" "UPDATE accounts SET roles = '\''compliance-manager,compliance-manager'\'' WHERE name = '\''alice'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: account alice: changed outside aims" out &&
	test_sql "$TEST_DB" "UPDATE accounts SET roles = '\''compliance-manager'\'' WHERE name = '\''alice'\''" &&
	aims_db ledger verify >/dev/null
'

test_expect_success 'an account added or removed with SQL is named' '
	test_sql "$TEST_DB" "INSERT INTO accounts SELECT '\''mallory'\'', NULL, '\''admin'\'', '\''active'\'', password_hash, password_changed_at, created_at, created_by FROM accounts WHERE name = '\''alice'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: account mallory: not in the ledger" out &&
	no_secret_in out err &&
	test_sql "$TEST_DB" "DELETE FROM accounts WHERE name = '\''mallory'\''" &&
	aims_db ledger verify >/dev/null &&
	test_sql "$TEST_DB" "DELETE FROM accounts WHERE name = '\''carol'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: account carol: deleted outside aims" out &&
	test_sql "$TEST_DB" "INSERT INTO accounts SELECT * FROM saved_accounts WHERE name = '\''carol'\''" &&
	aims_db ledger verify >/dev/null
'

test_expect_success 'a token changed, added or removed with SQL is named by its id, never its hash' '
	bobtok=$(jq -r ".tokens[] | select(.account == \"bob\") | .id" tokens.json) &&
	alicetok=$(jq -r ".tokens[] | select(.account == \"alice\") | .id" tokens.json) &&
	test_sql "$TEST_DB" "CREATE TABLE saved_tokens AS SELECT * FROM api_tokens" &&
	test_sql "$TEST_DB" "UPDATE api_tokens SET revoked_at = NULL WHERE id = '\''$bobtok'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: api-token $bobtok: changed outside aims \(audit entry [0-9]+\)" out &&
	no_secret_in out err &&
	test_sql "$TEST_DB" "UPDATE api_tokens SET revoked_at = (SELECT revoked_at FROM saved_tokens s WHERE s.id = api_tokens.id)" &&
	aims_db ledger verify >/dev/null &&
	test_sql "$TEST_DB" "UPDATE api_tokens SET expires_at = '\''2099-12-31T23:59:59Z'\'', account = '\''carol'\'' WHERE id = '\''$alicetok'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: api-token $alicetok: changed outside aims" out &&
	test_sql "$TEST_DB" "UPDATE api_tokens SET expires_at = (SELECT expires_at FROM saved_tokens s WHERE s.id = api_tokens.id), account = (SELECT account FROM saved_tokens s WHERE s.id = api_tokens.id)" &&
	aims_db ledger verify >/dev/null &&
	test_sql "$TEST_DB" "INSERT INTO api_tokens SELECT '\''tok_aaaaaaaaaaaaaaaa'\'', account, hash, label, created_at, created_by, expires_at, revoked_at FROM api_tokens WHERE id = '\''$alicetok'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: api-token tok_aaaaaaaaaaaaaaaa: not in the ledger" out &&
	no_secret_in out err &&
	test_sql "$TEST_DB" "DELETE FROM api_tokens WHERE id = '\''tok_aaaaaaaaaaaaaaaa'\''" &&
	test_sql "$TEST_DB" "DELETE FROM api_tokens WHERE id = '\''$bobtok'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: api-token $bobtok: deleted outside aims" out &&
	test_sql "$TEST_DB" "INSERT INTO api_tokens SELECT * FROM saved_tokens WHERE id = '\''$bobtok'\''" &&
	aims_db ledger verify >/dev/null
'

test_expect_success 'a store made before disables recorded each revocation still verifies; a token revoked with SQL alone does not' '
	# the old code revoked the tokens of an account it disabled silently, in the transaction of the
	# account'\''s disable entry: the same shape, made here with the UPDATE that code ran, then the disable
	test_account dave service &&
	davetok=$(cut -d. -f1 "$TEST_DIR/.token-dave") &&
	test_sql "$TEST_DB" "UPDATE api_tokens SET revoked_at = '\''2026-01-01T00:00:00Z'\'' WHERE account = '\''dave'\''" &&
	aims_db user disable dave >/dev/null &&
	aims_db ledger log --json >log2.json &&
	test_json log2.json "[.entries[] | select(.object_id == \"$davetok\") | .action] == [\"create\"]" &&
	aims_db ledger verify >/dev/null &&
	aims_db user enable dave >/dev/null &&
	aims_db ledger verify >/dev/null &&
	alicetok=$(jq -r ".tokens[] | select(.account == \"alice\") | .id" tokens.json) &&
	test_sql "$TEST_DB" "UPDATE api_tokens SET revoked_at = '\''2026-01-01T00:00:00Z'\'' WHERE id = '\''$alicetok'\''" &&
	expect_exit 4 aims_db ledger verify &&
	test_grep "state: api-token $alicetok: changed outside aims" out &&
	test_sql "$TEST_DB" "UPDATE api_tokens SET revoked_at = NULL WHERE id = '\''$alicetok'\''" &&
	aims_db ledger verify >/dev/null
'

test_expect_success 'sessions, sign-in failures and password changes are no finding' '
	pw=$(jq -r .initial_password carol.json) &&
	printf "%s\n" "wrong password here" | expect_exit 7 aims_db token create --user carol --password-stdin &&
	printf "%s\n" "$pw" | aims_db token create --user carol --password-stdin --json >ct.json &&
	aims_db user passwd carol --json >/dev/null &&
	test_sql "$TEST_DB" "DROP TABLE saved_accounts; DROP TABLE saved_tokens" &&
	aims_db ledger verify >/dev/null &&
	no_secret_in out err
'

done_testing
