#!/bin/bash
# t0700-note: aims ledger keygen | note sign | note verify. keygen prints a
# C2SP verifier key (name+8 hex+base64) and writes the signer key 0600,
# never over an existing file; sign and verify round-trip; a changed note
# is exit 4, a malformed one exit 3; the published vector of Go's
# golang.org/x/mod/sumdb/note verifies and is reproduced byte for byte.

. "$(dirname "$0")/test-lib.sh"

PETER_VKEY='PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'
PETER_SKEY='PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz'
PETER_B64='x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM='
EMDASH=$(printf '\342\200\224')

# the Go vector: the text, an empty line, the signature line
go_text() {
	printf '%s\n' "If you think cryptography is the answer to your problem," \
		"then you don't know what your problem is."
}
go_note() {
	go_text && printf '\n%s PeterNeumann %s\n' "$EMDASH" "$PETER_B64"
}

test_expect_success 'keygen prints a verifier key name+8 hex+base64 and nothing secret' '
	"$AIMS" ledger keygen --name example.com/log --out log.key >vkey 2>msg &&
	test_grep "^example\.com/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$" vkey &&
	test_equal 1 "$(wc -l <vkey)" &&
	test_grep_not PRIVATE vkey &&
	test_grep_not PRIVATE msg &&
	test_grep -F "log.key" msg
'

test_expect_success 'the key file is 0600 and holds the matching signer key' '
	test_equal 600 "$(stat -c %a log.key)" &&
	test_equal 1 "$(wc -l <log.key)" &&
	test_grep "^PRIVATE\+KEY\+example\.com/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$" log.key &&
	id=$(cut -d+ -f2 vkey) &&
	test_grep -F "PRIVATE+KEY+example.com/log+$id+" log.key
'

test_expect_success 'keygen never overwrites a key file (exit 3)' '
	cp log.key before.key &&
	expect_exit 3 "$AIMS" ledger keygen --name example.com/log --out log.key &&
	test_grep -F "already exists" err &&
	test_must_be_empty out &&
	cmp log.key before.key
'

test_expect_success 'keygen writes ./ORIGIN.key by default; a name with / needs --out' '
	"$AIMS" ledger keygen --name mylog >v2 2>/dev/null &&
	test_equal 600 "$(stat -c %a mylog.key)" &&
	test_grep "^mylog\+" v2 &&
	expect_exit 2 "$AIMS" ledger keygen --name a.example/log &&
	test_grep -F "contains '"'"'/'"'"'" err &&
	expect_exit 2 "$AIMS" ledger keygen &&
	expect_exit 3 "$AIMS" ledger keygen --name "a+b" --out ab.key &&
	test_grep "not valid" err &&
	test ! -e ab.key
'

test_expect_success 'keygen does not follow a symbolic link at --out' '
	ln -s target.key link.key &&
	expect_exit 3 "$AIMS" ledger keygen --name x --out link.key &&
	test ! -e target.key
'

test_expect_success 'sign then verify round-trips' '
	printf "example.com/log\n3\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n" >body &&
	"$AIMS" note sign --key log.key body >cp.note &&
	test_equal "$(head -c "$(wc -c <body)" cp.note)" "$(cat body)" &&
	test_grep "^$EMDASH example\.com/log [A-Za-z0-9+/]{91}=$" cp.note &&
	"$AIMS" note verify --vkey "$(cat vkey)" cp.note >out &&
	test_grep -F "verified: signed by $(cut -d+ -f1,2 vkey)" out &&
	"$AIMS" note verify --text --vkey "$(cat vkey)" cp.note >text &&
	cmp text body &&
	"$AIMS" note sign --key log.key - <body | cmp - cp.note
'

test_expect_success 'a tampered note is exit 4 and says why' '
	sed "2s/3/4/" cp.note >bad.note &&
	expect_exit 4 "$AIMS" note verify --vkey "$(cat vkey)" bad.note &&
	test_grep -F "invalid signature for key" err &&
	test_must_be_empty out
'

test_expect_success 'a note signed by another key is exit 4' '
	expect_exit 4 "$AIMS" note verify --vkey "$(cat v2)" cp.note &&
	test_grep -F "no signature by a known key" err
'

test_expect_success 'a malformed note or key is exit 3, a missing file exit 5' '
	head -n 3 cp.note >trunc.note &&
	expect_exit 3 "$AIMS" note verify --vkey "$(cat vkey)" trunc.note &&
	test_grep "malformed note" err &&
	sed "s/$EMDASH/--/" cp.note >dash.note &&
	expect_exit 3 "$AIMS" note verify --vkey "$(cat vkey)" dash.note &&
	test_grep "em dash" err &&
	expect_exit 3 "$AIMS" note verify --vkey "not-a-key" cp.note &&
	expect_exit 3 "$AIMS" note verify --vkey "$(cat log.key)" cp.note &&
	test_grep_not PRIVATE err &&
	expect_exit 5 "$AIMS" note verify --vkey "$(cat vkey)" nosuch.note &&
	expect_exit 2 "$AIMS" note verify cp.note
'

test_expect_success 'verifier keys from a file, with comments and other keys' '
	{ echo "# trusted keys" && echo && cat v2 && cat vkey; } >keys &&
	"$AIMS" note verify --vkey-file keys cp.note >out &&
	test_grep "verified" out
'

test_expect_success 'sign refuses a key file others can read, or a link to one' '
	chmod 644 mylog.key &&
	expect_exit 3 "$AIMS" note sign --key mylog.key body &&
	test_grep -F "accessible by group or others" err &&
	test_grep_not PRIVATE err &&
	chmod 600 mylog.key &&
	ln -s log.key alias.key &&
	expect_exit 3 "$AIMS" note sign --key alias.key body &&
	test_grep "symbolic link" err &&
	expect_exit 5 "$AIMS" note sign --key none.key body
'

test_expect_success 'sign refuses a text without a final newline' '
	printf "no newline" >nonl &&
	expect_exit 3 "$AIMS" note sign --key log.key nonl &&
	test_grep "newline" err
'

test_expect_success 'the Go sumdb/note vector verifies (exit 0)' '
	go_note >go.note &&
	"$AIMS" note verify --vkey "$PETER_VKEY" go.note >out &&
	test_grep -F "verified: signed by PeterNeumann+c74f20a3" out &&
	"$AIMS" note verify --text --vkey "$PETER_VKEY" go.note >text &&
	go_text | cmp - text
'

test_expect_success 'signing the Go text with the Go key gives the Go note byte for byte' '
	(umask 077 && echo "$PETER_SKEY" >peter.key) &&
	go_text | "$AIMS" note sign --key peter.key >mine.note &&
	cmp mine.note go.note
'

test_expect_success 'the Go vector with a flipped byte is exit 4' '
	go_note | sed "1s/think/thinK/" >flip.note &&
	expect_exit 4 "$AIMS" note verify --vkey "$PETER_VKEY" flip.note &&
	go_note | sed "s/PeterNeumann x08go/PeterNeumanX x08go/" >name.note &&
	expect_exit 4 "$AIMS" note verify --vkey "$PETER_VKEY" name.note
'

done_testing
