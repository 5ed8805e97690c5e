#!/bin/bash
# t0600-merkle: the store-independent RFC 9162 tools (aims merkle root,
# inclusion, consistency, verify-inclusion, verify-consistency): the
# Certificate Transparency reference vectors, agreement with the independent
# Python transcription of RFC 9162 (tests/unit/ledger/rfc9162.py) on roots,
# proofs and corrupted proofs, input rules and exit statuses 0/2/3/4.

. "$(dirname "$0")/test-lib.sh"

REF=$AIMS_SRC/tests/unit/ledger/rfc9162.py
PY=/usr/bin/python3

# the eight leaves of the CT reference data set
ct_leaves() {
	printf '\n00\n10\n2021\n3031\n40414243\n5051525354555657\n606162636465666768696a6b6c6d6e6f\n'
}

test_expect_success 'root of the CT reference leaves, sizes 1 to 8' '
	set -- 6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d \
		fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125 \
		aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77 \
		d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7 \
		4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4 \
		76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef \
		ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c \
		5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328 &&
	for n in 1 2 3 4 5 6 7 8; do
		ct_leaves | head -n $n | "$AIMS" merkle root >out &&
		test_equal "$1" "$(cat out)" &&
		shift || exit 1
	done
'

test_expect_success 'no input is the empty tree; no store is opened' '
	"$AIMS" --db "$TEST_DIR/none.db" merkle root </dev/null >out &&
	test_equal e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 "$(cat out)" &&
	test ! -e "$TEST_DIR/none.db"
'

test_expect_success 'input rules: empty line = empty entry, last newline optional, CRLF, upper case' '
	printf "\n00\n" | "$AIMS" merkle root >a &&
	printf "\n00" | "$AIMS" merkle root >b &&
	printf "\r\n00\r\n" | "$AIMS" merkle root >c &&
	test_cmp a b && test_cmp a c &&
	test_equal fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125 "$(cat a)" &&
	printf "ABCD\n" | "$AIMS" merkle root >u && printf "abcd\n" | "$AIMS" merkle root >l &&
	test_cmp u l &&
	printf "\n" | "$AIMS" merkle root >one &&
	test_equal 6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d "$(cat one)" &&
	printf "\n\n" | "$AIMS" merkle root >two &&
	printf "\n\n" | $PY "$REF" root >two.py &&
	test_cmp two.py two
'

test_expect_success 'bad hex exits 3 and names the line' '
	printf "00\nzz\n" >in && expect_exit 3 "$AIMS" merkle root <in &&
	test_grep "line 2 column 1: .z. is not a hex digit" err &&
	printf "00\n0\n" >in && expect_exit 3 "$AIMS" merkle root <in &&
	test_grep "line 2: odd number of hex digits" err &&
	printf "00\n0x11\n" >in && expect_exit 3 "$AIMS" merkle inclusion --index 0 <in &&
	test_grep "line 2 column 2: .x. is not" err
'

test_expect_success 'inclusion and consistency JSON match the Python reference' '
	ct_leaves >leaves &&
	"$AIMS" merkle inclusion --index 5 <leaves >inc.json &&
	$PY "$REF" inclusion --index 5 <leaves >inc.py &&
	test_json inc.json ". == $(cat inc.py)" &&
	test_json inc.json ".size == 8 and .index == 5 and (.proof | length) == 3" &&
	test_json inc.json ".proof[0] == \"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b\"" &&
	"$AIMS" merkle consistency --old 6 --size 8 <leaves >con.json &&
	$PY "$REF" consistency --old 6 --size 8 <leaves >con.py &&
	test_json con.json ". == $(cat con.py)" &&
	test_json con.json ".old_root == \"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef\"" &&
	test_json con.json ".proof == [\"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a\", \"ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0\", \"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7\"]" &&
	"$AIMS" merkle consistency --old 8 <leaves >same.json &&
	test_json same.json ".proof == [] and .old_root == .root"
'

test_expect_success 'a proof printed by aims verifies with aims (exit 0)' '
	ct_leaves >leaves &&
	"$AIMS" merkle inclusion --index 2 --size 7 <leaves >inc.json &&
	"$AIMS" merkle verify-inclusion --index 2 --size 7 \
		--leaf-hash "$(jq -r .leaf_hash inc.json)" --root "$(jq -r .root inc.json)" \
		--proof "$(jq -r ".proof | join(\",\")" inc.json)" >out &&
	test_grep "^valid" out &&
	"$AIMS" merkle consistency --old 3 --size 7 <leaves >con.json &&
	"$AIMS" merkle verify-consistency --old 3 --size 7 --old-root "$(jq -r .old_root con.json)" \
		--root "$(jq -r .root con.json)" --proof "$(jq -r ".proof | join(\",\")" con.json)"
'

test_expect_success 'empty proofs: --proof "" (size 1; equal sizes with equal roots)' '
	L=6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d &&
	"$AIMS" merkle verify-inclusion --index 0 --size 1 --leaf-hash $L --root $L --proof "" &&
	"$AIMS" merkle verify-consistency --old 1 --size 1 --old-root $L --root $L --proof "" &&
	R=fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125 &&
	expect_exit 4 "$AIMS" merkle verify-consistency --old 1 --size 1 --old-root $L --root $R --proof "" &&
	test_grep "roots differ" err &&
	expect_exit 4 "$AIMS" merkle verify-consistency --old 1 --size 2 --old-root $L --root $R --proof "" &&
	test_grep "too short" err &&
	expect_exit 4 "$AIMS" merkle verify-inclusion --index 0 --size 2 --leaf-hash $L --root $R --proof "" &&
	test_grep "too short" err
'

test_expect_success 'invalid proofs exit 4 and say why' '
	L=6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d &&
	R=fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125 &&
	P=86a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7 &&
	expect_exit 4 "$AIMS" merkle verify-inclusion --index 2 --size 2 --leaf-hash $L --root $R --proof $P &&
	test_grep "not below the tree size" err &&
	expect_exit 4 "$AIMS" merkle verify-inclusion --index 0 --size 2 --leaf-hash $L --root $R --proof $P &&
	test_grep "not to the given root" err &&
	expect_exit 4 "$AIMS" merkle verify-inclusion --index 0 --size 2 --leaf-hash $L --root $R --proof $P,$P &&
	test_grep "too long" err &&
	expect_exit 4 "$AIMS" merkle verify-consistency --old 0 --size 2 --old-root $L --root $R --proof $P &&
	test_grep "old size 0" err &&
	expect_exit 4 "$AIMS" merkle verify-consistency --old 3 --size 2 --old-root $L --root $R --proof $P &&
	test_grep "larger than the size" err
'

test_expect_success 'malformed arguments exit 2' '
	L=6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d &&
	expect_exit 2 "$AIMS" merkle verify-inclusion --index x --size 1 --leaf-hash $L --root $L --proof "" &&
	test_grep "index .x.: expected a non-negative decimal number" err &&
	expect_exit 2 "$AIMS" merkle verify-inclusion --index -1 --size 1 --leaf-hash $L --root $L --proof "" &&
	expect_exit 2 "$AIMS" merkle verify-inclusion --index 0 --size 99999999999999999999 --leaf-hash $L --root $L --proof "" &&
	test_grep "too large" err &&
	expect_exit 2 "$AIMS" merkle verify-inclusion --index 0 --size 1 --leaf-hash ${L}00 --root $L --proof "" &&
	test_grep "leaf-hash" err &&
	expect_exit 2 "$AIMS" merkle verify-inclusion --index 0 --size 1 --leaf-hash $L --root zz --proof "" &&
	expect_exit 2 "$AIMS" merkle verify-inclusion --index 0 --size 1 --leaf-hash $L --root $L --proof $L, &&
	test_grep "proof element 2" err &&
	expect_exit 2 "$AIMS" merkle verify-inclusion --index 0 --size 1 --leaf-hash $L --root $L --proof "${L:1}g" &&
	expect_exit 2 "$AIMS" merkle verify-inclusion --index 0 --size 1 --leaf-hash $L --root $L &&
	test_grep "missing --proof" err &&
	expect_exit 2 "$AIMS" merkle verify-consistency --old 1 --size 1 --root $L --proof "" &&
	test_grep "missing --old-root" err &&
	expect_exit 2 "$AIMS" merkle inclusion </dev/null &&
	test_grep "missing --index" err &&
	ct_leaves >leaves &&
	expect_exit 2 "$AIMS" merkle inclusion --index 8 <leaves &&
	test_grep "not below the tree size 8" err &&
	expect_exit 2 "$AIMS" merkle consistency --old 0 <leaves &&
	expect_exit 2 "$AIMS" merkle consistency --old 9 <leaves &&
	expect_exit 3 "$AIMS" merkle consistency --old 1 --size 9 <leaves &&
	test_grep "has 8 leaves" err
'

test_expect_success 'sizes 1-64: roots, proofs and corrupted proofs agree with rfc9162.py' '
	$PY "$REF" crosscheck "$AIMS" 64 >cross.out 2>&1 || { cat cross.out >&2; exit 1; } &&
	test_grep "0 mismatches" cross.out
'

done_testing
