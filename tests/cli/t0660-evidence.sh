#!/bin/bash
# t0660-evidence: evidence that proves itself, without holes (issue 20).
# Every tamper of the robustness probe, done here on a copy of a store with a
# signing key, a decision log and governed objects, is exit 4 naming the
# log, the entry or the object; verification changes no byte of the store or
# the logs (digests of every file before and after); checkpoints kept outside
# the store catch truncation, rollback and a fork; witnesses cosign.

. "$(dirname "$0")/test-lib.sh"
test_skip_all_unless_sqlite "a store and its decision log folder copied and tampered with as files; decision logs are files beside a SQLite store (not available on PostgreSQL yet)"

D64=$(printf 'a%.0s' $(seq 64))
PY=/usr/bin/python3
COSIG=$AIMS_SRC/tests/unit/ledger/cosig.py

rec() {
	printf '{"time":"%s","model":"credit-score@2.1","input_digest":"sha256:%s","output":{"id":%d},"confidence":0.5}\n' "$2" "$D64" "$1"
}

# a copy of the test's store in ./c, to tamper with
copy_store() {
	rm -rf c && mkdir c &&
	cp "$TEST_DB" c/aims.db && cp -a "$TEST_DB.ledger" c/aims.db.ledger
}

# digests of every file of the copy (SQLite's -wal and -shm are not content)
snap() {
	(cd c && find . -type f ! -name "*-wal" ! -name "*-shm" | LC_ALL=C sort | xargs sha256sum)
}

# verify the copy: exit 4, the message, and not a byte changed by verifying
verify_fails() {
	snap >before &&
	expect_exit 4 aims_at c/aims.db ledger verify "${@:2}" &&
	cat out err >all &&
	test_grep -F "$1" all &&
	snap >after &&
	test_cmp before after
}

sql() { sqlite3 c/aims.db "$1"; }

test_expect_success 'setup: a store with a key, governed objects and a decision log' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	"$AIMS" ledger keygen --name example.com/aims --out "$TEST_DIR/k.key" >vkey 2>/dev/null &&
	aims_db ledger setup --key "$TEST_DIR/k.key" >/dev/null &&
	aims_db isms import "$AIMS_SRC/examples/isms-soa.csv" >/dev/null &&
	aims_db system add credit --purpose "credit scoring" >/dev/null &&
	echo "weights v2.1" >model.bin &&
	aims_db model register credit-score@2.1 --file model.bin >/dev/null &&
	test_account head-of-credit risk-owner &&
	aims_db risk add credit --title "Unfair refusals" --category bias-fairness --owner head-of-credit \
		--likelihood 3 --impact 4 >/dev/null &&
	for i in $(seq 0 29); do rec $i 2026-11-01T00:00:00Z; done >d.ndjson &&
	aims_db decision ingest --system credit d.ndjson >/dev/null &&
	for i in $(seq 30 39); do rec $i 2026-11-01T00:00:00Z; done | aims_db decision ingest --system credit - >/dev/null &&
	aims_db org set --sector "consumer lending" &&
	aims_db ledger verify >v.txt &&
	test_grep "^governance log: [0-9]+ entries" v.txt &&
	test_grep "^decision log credit: 40 entries" v.txt &&
	test_grep "^state: [0-9]+ governed objects match their latest audit entries$" v.txt
'

test_expect_success 'verification changes no byte of the store or the logs' '
	copy_store && snap >before &&
	aims_at c/aims.db ledger verify >/dev/null &&
	aims_at c/aims.db decision verify --system credit >/dev/null &&
	aims_at c/aims.db ledger verify --json --no-state >/dev/null &&
	snap >after && test_cmp before after
'

# rewrite governance entry $1 with another actor, its leaf hash and its level-0 tile, as
# someone with write access but without the key would: only a signed checkpoint can tell
rewrite_entry() {
	$PY - c/aims.db "$1" <<-\EOF
	import hashlib, json, sqlite3, sys
	db = sqlite3.connect(sys.argv[1]); i = int(sys.argv[2])
	body = json.loads(db.execute("select body from ledger_entries where log='governance' and idx=?", (i,)).fetchone()[0])
	body["actor"] = "mallory"
	b = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
	leaf = hashlib.sha256(b"\x00" + b).digest()
	db.execute("update ledger_entries set actor='mallory', body=?, leaf_hash=? where log='governance' and idx=?", (b, leaf, i))
	t = bytearray(db.execute("select data from ledger_tiles where log='governance' and level=0 and idx=0").fetchone()[0])
	t[32 * i:32 * i + 32] = leaf
	db.execute("update ledger_tiles set data=? where log='governance' and level=0 and idx=0", (bytes(t),))
	db.commit()
	EOF
}

test_expect_success 'an entry rewritten with its leaf hash and tile: the exact entry, from the checkpoints' '
	copy_store &&
	n=$(sql "select count(*) from ledger_entries") && test "$n" -lt 256 &&
	i=$((n - 3)) && rewrite_entry $i &&
	verify_fails "governance log: entry $i no longer verifies" &&
	aims_at c/aims.db ledger verify --json >v.json || true &&
	test_json v.json ".ok == false and .first_bad_entry == $i and .logs[0].first_bad_entry == $i"
'

test_expect_success 'checkpoints deleted, then an entry rewritten: still caught with a key set up' '
	copy_store && rewrite_entry 10 &&
	sql "delete from ledger_checkpoints" &&
	verify_fails "a signing key is set up, but no signed checkpoint covers"
'

test_expect_success 'all governance entries, tiles and checkpoints wiped: caught' '
	copy_store &&
	sql "delete from ledger_entries; delete from ledger_tiles; delete from ledger_checkpoints" &&
	verify_fails "has no entries"
'

test_expect_success 'the last entries truncated with their checkpoints: the object they changed is named' '
	copy_store &&
	n=$(sql "select count(*) from ledger_entries") &&
	sql "delete from ledger_entries where idx = $((n - 1)); delete from ledger_checkpoints where size >= $n;
	     update ledger_tiles set data = substr(data, 1, $(((n - 1) * 32))) where level = 0 and idx = 0" &&
	verify_fails "setting org.sector: not in the ledger"
'

test_expect_success 'an entry appended by hand, not under a signed checkpoint: caught once the grace period is over' '
	copy_store &&
	n=$(sql "select count(*) from ledger_entries") &&
	$PY - c/aims.db <<-\EOF &&
	import hashlib, json, sqlite3, sys
	db = sqlite3.connect(sys.argv[1])
	n = db.execute("select count(*) from ledger_entries").fetchone()[0]
	e = {"action": "update", "actor": "mallory", "new_digest": None, "object_id": "org.x", "object_type": "setting",
	     "prev_digest": None, "time": "2026-01-01T00:00:00Z", "v": 1}
	b = json.dumps(e, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
	leaf = hashlib.sha256(b"\x00" + b).digest()
	db.execute("insert into ledger_entries values (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)",
	           ("governance", n, e["time"], "mallory", "update", "setting", "org.x", b, leaf))
	t = db.execute("select data from ledger_tiles where level = 0 and idx = 0").fetchone()[0]
	db.execute("update ledger_tiles set data = ? where level = 0 and idx = 0", (t + leaf,))
	db.commit()
	EOF
	verify_fails "entries $n to $n are not covered by a signed checkpoint"
'

test_expect_success 'a decision log folder removed: the log is named' '
	copy_store && rm -rf c/aims.db.ledger/decision/credit &&
	verify_fails "decision log '\''credit'\'': its folder" &&
	expect_exit 4 aims_at c/aims.db decision verify --system credit &&
	test_grep "its folder" err
'

test_expect_success 'a ledger_logs row removed: the log the governance log created is still verified and named' '
	copy_store && sql "delete from ledger_logs where id = '\''decision/credit'\''" &&
	verify_fails "decision log '\''credit'\'': the governance log recorded its creation (entry" &&
	expect_exit 4 aims_at c/aims.db decision verify --system credit &&
	test_grep "no ledger_logs row" err
'

test_expect_success 'the checkpoint history removed, cut or corrupted: caught' '
	copy_store && rm c/aims.db.ledger/decision/credit/checkpoints &&
	verify_fails "the checkpoint history '\''checkpoints'\'' is missing" &&
	copy_store && h=c/aims.db.ledger/decision/credit/checkpoints &&
	$PY -c "import sys
d = open(sys.argv[1], \"rb\").read(); n = int.from_bytes(d[:4], \"big\"); open(sys.argv[1], \"wb\").write(d[:4 + n])" $h &&
	test "$($PY -c "import sys; print(len(open(sys.argv[1], \"rb\").read()))" $h)" -lt "$(stat -c %s "$TEST_DB.ledger/decision/credit/checkpoints")" ||
	{ echo "the history has one checkpoint only: cannot cut it" >&2; false; } &&
	verify_fails "is not in the checkpoint history" &&
	copy_store && printf "\\000\\000\\000\\010garbage!" >$h &&
	verify_fails "decision log '\''credit'\''"
'

test_expect_success 'a well-formed record appended by hand: refused by verify, which writes no state and no tile' '
	copy_store &&
	rec 40 2026-11-02T00:00:00Z | $PY -c "import sys
r = sys.stdin.read().strip().encode(); sys.stdout.buffer.write(len(r).to_bytes(4, \"big\") + r)" >>c/aims.db.ledger/decision/credit/entries &&
	verify_fails "that no aims ingest wrote: a foreign append" &&
	test ! -e c/aims.db.ledger/decision/credit/tile/0/000.p/41 &&
	snap >before && expect_exit 4 aims_at c/aims.db decision verify --system credit && snap >after &&
	test_cmp before after
'

test_expect_success 'a recent decision record replaced by a pruned marker: caught (no prune recorded)' '
	copy_store &&
	$PY - c/aims.db.ledger/decision/credit/entries 7 <<-\EOF &&
	import hashlib, sys
	p, k = sys.argv[1], int(sys.argv[2]); d = open(p, "rb").read(); o = 0
	for i in range(k): o += 4 + int.from_bytes(d[o:o + 4], "big")
	n = int.from_bytes(d[o:o + 4], "big"); leaf = hashlib.sha256(b"\x00" + d[o + 4:o + 4 + n]).digest()
	open(p, "wb").write(d[:o] + (0x80000020).to_bytes(4, "big") + leaf + d[o + 4 + n:])
	EOF
	verify_fails "decision log '\''credit'\'': entry 7 has no body (a pruned marker)"
'

test_expect_success 'a recent governance entry whose body was NULLed: caught (no prune recorded)' '
	copy_store && sql "update ledger_entries set body = NULL where idx = 5" &&
	verify_fails "governance log: entry 5 has no body"
'

test_expect_success 'governed data edited with SQL: the object is named' '
	copy_store && sql "update risks set score = 1" &&
	verify_fails "risk RISK-001: changed outside aims (audit entry" &&
	copy_store && sql "update isms_controls set status = '\''implemented'\'' where control = '\''A.7.1'\''" &&
	verify_fails "isms 1: changed outside aims" &&
	copy_store && sql "update ai_systems set purpose = '\''anything'\''" &&
	verify_fails "ai-system credit: changed outside aims" &&
	copy_store && sql "insert into soa_controls values ('\''A.9.9'\'', 1, NULL, '\''implemented'\'', NULL, '\''2026-01-01T00:00:00Z'\'')" &&
	verify_fails "soa-control A.9.9: not in the ledger" &&
	copy_store && sql "delete from risks" &&
	verify_fails "risk RISK-001: deleted outside aims" &&
	copy_store && sql "update ledger_logs set retention_days = 200 where id = '\''decision/credit'\''" &&
	verify_fails "decision-log credit: changed outside aims" &&
	aims_at c/aims.db ledger verify --no-state >/dev/null
'

test_expect_success 'checkpoints kept outside the store: the log grew from them' '
	aims_db ledger checkpoint --export trusted.json >out &&
	test_grep "trusted.json" out &&
	test_json trusted.json ".format == \"aims-checkpoints/v1\" and ([.logs[].log] == [\"governance\", \"decision/credit\"])" &&
	cp "$TEST_DB" before-more.db && cp -a "$TEST_DB.ledger" before-more.db.ledger &&
	aims_db org set --country DE &&
	rec 40 2026-11-03T00:00:00Z | aims_db decision ingest --system credit - >/dev/null &&
	aims_db ledger verify --trusted trusted.json --vkey "$(cat vkey)" >v.txt &&
	test_grep "^governance log: .*grew from the trusted checkpoint of size" v.txt &&
	test_grep "^decision log credit: 41 entries.*grew from the trusted checkpoint of size 40" v.txt
'

test_expect_success '--trusted catches a rollback to an older copy of the store' '
	aims_db ledger checkpoint --export trusted2.json >/dev/null &&
	rm -rf c && mkdir c && cp before-more.db c/aims.db && cp -a before-more.db.ledger c/aims.db.ledger &&
	aims_at c/aims.db ledger verify >/dev/null &&
	verify_fails "fewer than the" --trusted trusted2.json &&
	test_grep "decision log .credit. has 40 entries, fewer than the 41 of the trusted checkpoint" all
'

test_expect_success '--trusted catches a fork: history rewritten and signed again with the same key' '
	rm -rf c && mkdir c && cp before-more.db c/aims.db && cp -a before-more.db.ledger c/aims.db.ledger &&
	aims_at c/aims.db org set --country FR &&
	aims_at c/aims.db org set --name "Someone Else" &&
	aims_at c/aims.db ledger verify >/dev/null &&
	verify_fails "the log was rewritten (a fork)" --trusted trusted2.json
'

test_expect_success '--trusted catches a missing log and a bad export' '
	aims_at fresh.db init >/dev/null &&
	aims_at fresh.db ledger setup --key "$TEST_DIR/k.key" >/dev/null &&
	rm -rf c && mkdir c && cp fresh.db c/aims.db && mkdir c/aims.db.ledger &&
	verify_fails "decision log '\''credit'\'' is in the trusted checkpoints (size 41) but not in the store" --trusted trusted2.json &&
	echo "{}" >bad.json &&
	expect_exit 3 aims_db ledger verify --trusted bad.json &&
	test_grep "aims-checkpoints/v1" err &&
	"$AIMS" ledger keygen --name example.com/aims --out other.key >othervkey 2>/dev/null &&
	expect_exit 4 aims_db ledger verify --trusted trusted2.json --vkey "$(cat othervkey)" &&
	test_grep "trusted checkpoints: log .governance." err
'

test_expect_success 'a witness cosigns the governance checkpoint (c2sp.org/tlog-witness, tlog-cosignature)' '
	"$AIMS" ledger keygen --cosigner --name witness.example/w1 --out w.key >wvkey 2>/dev/null &&
	aims_db ledger checkpoint --witness-request 0 >req &&
	test_equal "old 0" "$(head -n 1 req)" &&
	test_equal "" "$(sed -n 2p req)" &&
	sed 1,2d req >cp.note &&
	"$AIMS" note cosign --key w.key --vkey "$(cat vkey)" --time 1790000000 cp.note >resp &&
	aims_db ledger checkpoint --add-cosignature resp --witness-key "$(cat wvkey)" >out &&
	test_grep "1 witness cosignature" out &&
	aims_db ledger verify --witness-key "$(cat wvkey)" >v.txt &&
	test_grep "^governance log: .*; 1 cosigned by a witness" v.txt &&
	aims_db ledger checkpoint >cosigned.note &&
	"$AIMS" note verify --vkey "$(cat vkey)" --witness-key "$(cat wvkey)" cosigned.note >nv.txt &&
	test_grep "^verified: cosigned by witness.example/w1\+[0-9a-f]{8} at 2026-" nv.txt &&
	$PY "$COSIG" verify "$(cat wvkey)" <cosigned.note >ts && test_equal 1790000000 "$(cat ts)" &&
	expect_exit 3 aims_db ledger checkpoint --add-cosignature resp --witness-key "$(cat wvkey)" &&
	test_grep "already carries" err
'

test_expect_success 'a witness request carries the RFC 9162 consistency proof from the size it cosigned' '
	old=$(sed -n 2p cosigned.note) &&
	aims_db org set --name "Northwind Lending AG" &&
	aims_db ledger checkpoint --witness-request $old >req2 &&
	test_equal "old $old" "$(head -n 1 req2)" &&
	new=$(sed -n "/^$/{n;n;p;q}" req2) &&
	proof=$(sed -n "2,/^$/p" req2 | sed "/^$/d" | $PY -c "import base64, sys; print(\",\".join(base64.b64decode(l).hex() for l in sys.stdin.read().split()))") &&
	oldroot=$(sed -n 3p cosigned.note | $PY -c "import base64, sys; print(base64.b64decode(sys.stdin.read()).hex())") &&
	newroot=$(sed -n "/^$/{n;n;n;p;q}" req2 | $PY -c "import base64, sys; print(base64.b64decode(sys.stdin.read()).hex())") &&
	$PY "$AIMS_SRC/tests/unit/ledger/rfc9162.py" verify-consistency --old $old --size $new --old-root $oldroot \
		--root $newroot --proof "$proof"
'

test_expect_success 'a cosignature that does not verify is refused, and fails verification when planted' '
	"$AIMS" ledger keygen --cosigner --name witness.example/w2 --out w2.key >w2vkey 2>/dev/null &&
	aims_db ledger checkpoint >cp2.note &&
	"$AIMS" note cosign --key w2.key --vkey "$(cat vkey)" cp2.note >resp2 &&
	expect_exit 4 aims_db ledger checkpoint --add-cosignature resp2 --witness-key "$(cat wvkey)" &&
	copy_store &&
	$PY - c/aims.db <<-\EOF &&
	import sqlite3, sys
	db = sqlite3.connect(sys.argv[1])
	note = db.execute("select note from ledger_checkpoints where note like ?", ("%witness.example/w1%",)).fetchone()[0]
	line = note[note.index("\u2014 witness.example/w1 "):]
	k = len("\u2014 witness.example/w1 ") + 30
	bad = line[:k] + ("B" if line[k] == "A" else "A") + line[k + 1:]
	db.execute("update ledger_checkpoints set note = note || ? where size = (select min(size) from ledger_checkpoints)",
	           (bad,))
	db.commit()
	EOF
	verify_fails "invalid cosignature" --witness-key "$(cat wvkey)"
'

test_expect_success 'prune cannot be forced: --now is gone, the clock of aims is the real one' '
	expect_exit 2 aims_db ledger prune --now 2099-01-01T00:00:00Z &&
	expect_exit 2 aims_db decision prune --system credit --now 2099-01-01T00:00:00Z &&
	AIMS_TEST_NOW=2099-01-01T00:00:00Z aims_db ledger prune >p.txt &&
	test_grep "^governance log: 0 entry bodies" p.txt &&
	test_grep "^decision log credit: 0 record bodies pruned" p.txt &&
	aims_db ledger verify >/dev/null
'

test_expect_success 'ledger setup refuses a symbolic link to a key' '
	ln -s "$TEST_DIR/k.key" link.key &&
	expect_exit 3 aims_db ledger setup --key link.key &&
	test_grep "symbolic link" err
'

test_expect_success 'the store, its WAL and the decision logs are private whatever the umask' '
	(umask 000 && aims_at perm.db init >/dev/null &&
	 aims_at perm.db ledger setup --key "$TEST_DIR/k.key" >/dev/null &&
	 aims_at perm.db system add credit >/dev/null &&
	 aims_at perm.db model register credit-score@2.1 --file model.bin >/dev/null &&
	 rec 0 2026-11-01T00:00:00Z | aims_at perm.db decision ingest --system credit - >/dev/null) &&
	test_equal 600 "$(stat -c %a perm.db)" &&
	test_equal 700 "$(stat -c %a perm.db.ledger)" &&
	test_equal 700 "$(stat -c %a perm.db.ledger/decision/credit)" &&
	for f in entries checkpoint checkpoints state lock tile/0/000.p/1; do
		test_equal 600 "$(stat -c %a "perm.db.ledger/decision/credit/$f")" || return 1
	done &&
	(umask 000 && $PY -c "import os, sqlite3, sys
c = sqlite3.connect(\"perm.db\"); c.execute(\"select count(*) from settings\").fetchone()
print(oct(os.stat(\"perm.db-wal\").st_mode & 0o777), oct(os.stat(\"perm.db-shm\").st_mode & 0o777))") >m &&
	test_equal "0o600 0o600" "$(cat m)"
'

done_testing
