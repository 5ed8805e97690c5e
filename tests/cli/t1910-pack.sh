#!/bin/bash
# t1910-pack: evidence packs. A pack of a store like the demo's verifies
# offline (directory and tar; with the pack's own key and with a trusted
# --vkey); changing any byte of any file, removing a file, adding one,
# swapping two proofs (also with a manifest re-signed by the ledger key),
# a wrong key: each makes `pack verify` exit 4 naming the file or entry. An
# independent RFC 9162 check of a proof in Python; index.html works offline;
# --system, --as-of and refusals; the API returns the same pack.

. "$(dirname "$0")/test-lib.sh"
. "$(dirname "$0")/lib-demo-store.sh"

test_expect_success 'setup: a store like the demo and its pack' '
	demo_store &&
	aims_db pack --out pack >out.txt &&
	test_grep "^wrote pack: [0-9]+ files, [0-9]+ ledger entries with inclusion proofs against checkpoint northwind.example/aims size [0-9]+$" out.txt &&
	test -f pack/index.html && test -f pack/manifest.json && test -f pack/manifest.sig &&
	test -f pack/checkpoint.txt && test -f pack/vkey.txt &&
	test_cmp "$TEST_DIR/ledger.vkey" pack/vkey.txt
'

test_expect_success 'what the pack holds: records, reports, OSCAL, entries of those records with proofs' '
	for f in records/soa.json records/soa.html records/gap.json records/gap.html records/risks.json \
		records/risk-report.html records/impact-assessments.json records/evaluations.json \
		records/documents.json records/isms.json records/systems/credit-score.json \
		records/systems/credit-score-aiact.json records/systems/credit-score-obligations.json \
		oscal/profile.json oscal/ssp-credit-score.json oscal/assessment-results.json oscal/poam.json; do
		test -s "pack/$f" || { echo "missing $f" >&2; exit 1; }
	done &&
	aims_db soa --json >soa.json &&
	test_cmp soa.json pack/records/soa.json &&
	jq -r ".entries[] | \"\(.object_type) \(.object_id)\"" pack/manifest.json >objects.txt &&
	test_grep "^evaluation EVAL-0001$" objects.txt &&
	test_grep "^risk RISK-005$" objects.txt &&
	test_grep "^soa-control A.10.4$" objects.txt &&
	test_grep "^impact-assessment IA-001$" objects.txt &&
	test_grep "^ai-system credit-score$" objects.txt &&
	test_grep_not "^account " objects.txt &&
	n=$(jq ".entries | length" pack/manifest.json) &&
	test "$(ls pack/ledger/proofs | wc -l)" = "$n" &&
	test "$(ls pack/ledger/entries | wc -l)" = "$n" &&
	test_json pack/manifest.json "(.files | length) == $(find pack -type f | wc -l) - 2"
'

test_expect_success 'it verifies offline, as a directory and as a tar file, with a trusted key' '
	aims_db pack verify pack >v.txt &&
	test_grep "^verified pack: .* \(with the pack.s own vkey.txt" v.txt &&
	(cd / && "$AIMS" pack verify "$TEST_DIR/pack" --vkey "$TEST_DIR/ledger.vkey") >v2.txt &&
	test_grep_not "own vkey" v2.txt &&
	"$AIMS" pack verify pack --vkey "$(cat ledger.vkey)" --json >v.json &&
	test_json v.json ".ok and .own_key == false and .entries > 20" &&
	aims_db pack --out pack.tar --tar >/dev/null &&
	"$AIMS" pack verify pack.tar --vkey ledger.vkey >vt.txt &&
	test_grep "^verified pack.tar: " vt.txt &&
	mkdir untar && tar -xf pack.tar -C untar &&
	"$AIMS" pack verify untar --vkey ledger.vkey >/dev/null
'

# flip one byte in the middle of FILE (as copy of the pack in ./t)
flip() {
	rm -rf t && cp -r pack t &&
	/usr/bin/python3 -c "
import sys
p = sys.argv[1]
b = bytearray(open(p, \"rb\").read())
i = len(b) // 2
b[i] = b[i] ^ 0x01
open(p, \"wb\").write(bytes(b))
" "t/$1"
}

test_expect_success 'changing any byte of any file fails, naming that file (exit 4)' '
	(cd pack && find . -type f | sed "s|^\./||" | sort) >files.txt &&
	test "$(wc -l <files.txt)" -gt 100 &&
	while read -r f; do
		flip "$f" &&
		if "$AIMS" pack verify t --vkey ledger.vkey >out 2>err; then
			echo "a changed $f verified" >&2; exit 1
		fi
		rc=0; "$AIMS" pack verify t --vkey ledger.vkey >/dev/null 2>&1 || rc=$?
		test "$rc" = 4 || { echo "$f: exit $rc" >&2; cat err >&2; exit 1; }
		case $f in
		manifest.json|manifest.sig) grep -q "manifest" err || { cat err >&2; exit 1; } ;;
		*) grep -qF "$f" err || { echo "$f not named:" >&2; cat err >&2; exit 1; } ;;
		esac
	done <files.txt
'

test_expect_success 'removing a file, adding a file fail naming it' '
	for f in records/soa.json index.html checkpoint.txt ledger/entries/$(ls pack/ledger/entries | head -n1) \
		ledger/proofs/$(ls pack/ledger/proofs | tail -n1) oscal/poam.json; do
		rm -rf t && cp -r pack t && rm "t/$f" &&
		expect_exit 4 "$AIMS" pack verify t --vkey ledger.vkey &&
		test_grep -F "$f: missing" err || exit 1
	done &&
	rm -rf t && cp -r pack t && rm t/manifest.sig &&
	expect_exit 4 "$AIMS" pack verify t --vkey ledger.vkey &&
	test_grep "manifest.sig: missing" err &&
	rm -rf t && cp -r pack t && echo extra >t/records/extra.json &&
	expect_exit 4 "$AIMS" pack verify t --vkey ledger.vkey &&
	test_grep "records/extra.json: not listed in the manifest" err
'

test_expect_success 'swapping two proofs fails naming the file, and with a re-signed manifest naming the entry' '
	a=$(ls pack/ledger/proofs | sort -n | sed -n 2p) && b=$(ls pack/ledger/proofs | sort -n | sed -n 3p) &&
	rm -rf t && cp -r pack t &&
	mv "t/ledger/proofs/$a" x && mv "t/ledger/proofs/$b" "t/ledger/proofs/$a" && mv x "t/ledger/proofs/$b" &&
	expect_exit 4 "$AIMS" pack verify t --vkey ledger.vkey &&
	test_grep "ledger/proofs/(${a}|${b}): SHA-256" err &&
	/usr/bin/python3 -c "
import hashlib, json, sys
m = json.load(open(\"t/manifest.json\"))
for f in m[\"files\"]:
    f[\"sha256\"] = hashlib.sha256(open(\"t/\" + f[\"path\"], \"rb\").read()).hexdigest()
open(\"t/manifest.json\", \"w\").write(json.dumps(m, indent=2) + \"\n\")
print(\"aims evidence pack manifest\nsha256:\" + hashlib.sha256(open(\"t/manifest.json\", \"rb\").read()).hexdigest())
" >sig.txt &&
	"$AIMS" note sign --key ledger.key sig.txt >t/manifest.sig &&
	expect_exit 4 "$AIMS" pack verify t --vkey ledger.vkey &&
	test_grep "entry ${a%.tlog-proof}: (its inclusion proof ledger/proofs/$a does not verify|ledger/proofs/$a is a proof of another entry)" err
'

test_expect_success 'a key that is not the ledger key: exit 4 naming manifest.sig' '
	"$AIMS" ledger keygen --name other.example/aims --out other.key >other.out 2>&1 &&
	tail -n1 other.out >other.vkey &&
	expect_exit 4 "$AIMS" pack verify pack --vkey other.vkey &&
	test_grep "manifest.sig" err
'

test_expect_success 'any RFC 9162 implementation checks a proof: an independent one in Python' '
	i=$(jq -r ".entries[3].index" pack/manifest.json) &&
	/usr/bin/python3 - "pack/ledger/entries/$i.json" "pack/ledger/proofs/$i.tlog-proof" pack/checkpoint.txt <<-\PY
	import base64, hashlib, sys
	entry = open(sys.argv[1], "rb").read()
	lines = open(sys.argv[2]).read().split("\n")
	assert lines[0] == "c2sp.org/tlog-proof@v1"
	index = int(lines[1].split()[1])
	k = 2
	path = []
	while lines[k]:
	    path.append(base64.b64decode(lines[k])); k += 1
	cp = open(sys.argv[3]).read().split("\n")
	size, root = int(cp[1]), base64.b64decode(cp[2])
	# RFC 9162 2.1.3.2
	fn, sn = index, size - 1
	r = hashlib.sha256(b"\x00" + entry).digest()
	for p in path:
	    assert sn != 0
	    if fn & 1 or fn == sn:
	        r = hashlib.sha256(b"\x01" + p + r).digest()
	        if not fn & 1:
	            while True:
	                fn >>= 1; sn >>= 1
	                if fn & 1 or fn == 0:
	                    break
	    else:
	        r = hashlib.sha256(b"\x01" + r + p).digest()
	    fn >>= 1; sn >>= 1
	assert sn == 0 and r == root, "proof does not verify"
	print("ok")
	PY
'

test_expect_success 'index.html opens without a server: every link is a file of the pack' '
	test_grep_not "https?://" pack/index.html &&
	grep -o "href=\"[^\"]*\"" pack/index.html | sed "s/^href=\"//; s/\"$//" | sort -u >links.txt &&
	test "$(wc -l <links.txt)" -gt 20 &&
	while read -r l; do test -f "pack/$l" || { echo "dangling $l" >&2; exit 1; }; done <links.txt
'

test_expect_success '--system, --as-of and refusals' '
	aims_db pack --out sys --system credit-score --json >s.json &&
	test_json s.json ".entries > 0 and .tar == false" &&
	test_json sys/manifest.json ".system == \"credit-score\"" &&
	"$AIMS" pack verify sys --vkey ledger.vkey >/dev/null &&
	aims_db pack --out asof --as-of "$(date -u +%Y-%m-%d)" >/dev/null &&
	"$AIMS" pack verify asof --vkey ledger.vkey >/dev/null &&
	expect_exit 5 aims_db pack --out old --as-of 2001-01-01 &&
	test_grep "no checkpoint of the governance log was signed by the end of 2001-01-01" err &&
	expect_exit 3 aims_db pack --out bad --as-of 2026-13-01 &&
	expect_exit 5 aims_db pack --out ghost --system ghost &&
	expect_exit 5 "$AIMS" pack verify no-such-pack &&
	mkdir full && echo x >full/x &&
	expect_exit 3 aims_db pack --out full &&
	test_grep "not empty" err
'

test_expect_success 'an auditor may make a pack; a store without a signing key cannot' '
	test_account audrey auditor &&
	aims_as audrey pack --out audit >/dev/null &&
	"$AIMS" pack verify audit --vkey ledger.vkey >/dev/null &&
	aims_at nokey.db init --org X >/dev/null &&
	expect_exit 5 aims_at nokey.db pack --out nk &&
	test_grep "no signing key" err
'

test_expect_success 'the API returns the pack as a tar (GET /api/v1/pack?format=tar) and its manifest as JSON' '
	serve_store &&
	curl -sf -H "Authorization: Bearer $(cat "$TEST_DIR/.token-audrey")" \
		"http://127.0.0.1:$(cat port)/api/v1/pack?format=tar&system=credit-score" >api.tar &&
	curl -sf -H "Authorization: Bearer $(cat "$TEST_DIR/.token-audrey")" \
		"http://127.0.0.1:$(cat port)/api/v1/pack" >api.json &&
	"$AIMS" pack verify api.tar --vkey ledger.vkey >/dev/null &&
	test_json api.json ".aims_pack == 1 and (.files | length) > 100"
'

test_expect_success 'gate checks, reviews and Check-and-Act records are in the pack with their ledger entries' '
	demo_oversight &&
	aims_db audit programme create --period 2026 --title "Audits 2026" >/dev/null &&
	aims_db audit programme add PRG-001 AUD-001 >/dev/null &&
	aims_db pack --out pack2 >/dev/null &&
	"$AIMS" pack verify pack2 --vkey ledger.vkey >/dev/null &&
	for f in policies gates gate-checks gate-exceptions reviews oversight-reports incidents nonconformities \
		corrective-actions audits audit-programmes monitoring-plans monitoring-runs; do
		test -s "pack2/records/$f.json" || { echo "missing records/$f.json" >&2; exit 1; }
	done &&
	aims_db gate checks --newest 10000 --json >gc.json && test_cmp gc.json pack2/records/gate-checks.json &&
	aims_db nc list --json >ncl.json && test_cmp ncl.json pack2/records/nonconformities.json &&
	aims_db incident list --json >inc.json && test_cmp inc.json pack2/records/incidents.json &&
	test_json pack2/records/gate-checks.json "[.checks[] | [.check_id, .allowed, .passed]] ==
		[[\"GC-000002\", true, true], [\"GC-000001\", false, false]]" &&
	test_json pack2/records/corrective-actions.json "[.actions[] | .id + \" \" + .nonconformity] == [\"CA-001 NC-001\"]" &&
	test_json pack2/records/audits.json "[.audits[].id] == [\"AUD-001\"]" &&
	aims_db audit programme list --json >prg.json && test_cmp prg.json pack2/records/audit-programmes.json &&
	test_json pack2/records/audit-programmes.json "[.programmes[] | [.id, .audits]] == [[\"PRG-001\", [\"AUD-001\"]]]" &&
	jq -r ".entries[] | \"\(.object_type) \(.object_id) \(.action)\"" pack2/manifest.json >objects2.txt &&
	test_grep "^gate-check GC-000001 refuse$" objects2.txt &&
	test_grep "^gate-check GC-000002 allow$" objects2.txt &&
	test_grep "^policy credit-models create$" objects2.txt &&
	test_grep "^incident INC-001 " objects2.txt &&
	test_grep "^nonconformity NC-001 " objects2.txt &&
	test_grep "^corrective-action CA-001 " objects2.txt &&
	test_grep "^audit AUD-001 " objects2.txt &&
	test_grep "^audit-programme PRG-001 create$" objects2.txt &&
	test_grep "^audit-programme PRG-001 add$" objects2.txt &&
	n=$(jq ".entries | length" pack2/manifest.json) &&
	test "$(ls pack2/ledger/proofs | wc -l)" = "$n"
'

test_expect_success 'changing any byte of any file the oversight and Check-and-Act records added fails, naming it' '
	(cd pack2 && find . -type f | sed "s|^\./||" | sort) >files2.txt &&
	comm -13 files.txt files2.txt >new.txt &&
	test "$(wc -l <new.txt)" -gt 12 &&
	while read -r f; do
		rm -rf t && cp -r pack2 t &&
		/usr/bin/python3 -c "
import sys
p = sys.argv[1]
b = bytearray(open(p, \"rb\").read())
i = len(b) // 2
b[i] = b[i] ^ 0x01
open(p, \"wb\").write(bytes(b))" "t/$f" &&
		rc=0 && { "$AIMS" pack verify t --vkey ledger.vkey >out 2>err || rc=$?; } &&
		test "$rc" = 4 || { echo "$f: exit $rc" >&2; cat err >&2; exit 1; }
		grep -qF "$f" err || { echo "$f not named:" >&2; cat err >&2; exit 1; }
	done <new.txt
'

test_expect_success 'a gate check in the pack is the record its ledger entry names (digest recomputed independently)' '
	/usr/bin/python3 - pack2 <<-\PY
	import hashlib, json, sys
	d = sys.argv[1]
	m = json.load(open(d + "/manifest.json"))
	entries = {e["object_id"]: e for e in m["entries"] if e["object_type"] == "gate-check"}
	checks = json.load(open(d + "/records/gate-checks.json"))["checks"]
	assert len(checks) == 2 and sorted(entries) == ["GC-000001", "GC-000002"], (len(checks), sorted(entries))
	for c in checks:
	    digest = c.pop("digest")
	    canon = json.dumps(c, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
	    assert digest == "sha256:" + hashlib.sha256(canon).hexdigest(), c["check_id"]
	    body = json.load(open(d + "/" + entries[c["check_id"]]["entry"]))
	    assert body["new_digest"] == digest, (c["check_id"], body)
	print("ok")
	PY
'

test_expect_success 'the review queue and the recorded review metrics, with their ledger entries' '
	aims_db review list --json >rl.json && test_cmp rl.json pack2/records/reviews.json &&
	test_json pack2/records/reviews.json "(.reviews | length) > 0 and ([.reviews[] | select(.status == \"reviewed\")] | length) == 1" &&
	test_json pack2/records/oversight-reports.json "[.reports[] | .id + \" \" + .system] == [\"OVR-0001 credit-score\"] and
		(.reports[0].digest | startswith(\"sha256:\"))" &&
	test_grep "^review-queue credit-score select$" objects2.txt &&
	test_grep "^decision-review REV-[0-9]{6} review$" objects2.txt &&
	test_grep "^oversight-report OVR-0001 record$" objects2.txt
'

test_expect_success 'a changed gate check or corrective action, or the entry of a gate check, fails naming it' '
	for f in records/gate-checks.json records/corrective-actions.json records/nonconformities.json \
		$(jq -r ".entries[] | select(.object_type == \"gate-check\") | .entry" pack2/manifest.json | head -n1); do
		rm -rf t && cp -r pack2 t &&
		sed -i "s/GC-000001/GC-000009/; s/CA-001/CA-009/; s/NC-001/NC-009/" "t/$f" &&
		! cmp -s "pack2/$f" "t/$f" &&
		expect_exit 4 "$AIMS" pack verify t --vkey ledger.vkey &&
		test_grep -F "$f: SHA-256" err || exit 1
	done
'

test_expect_success '--system: only that system'"'"'s gate checks, nonconformities and their actions; the organization'"'"'s policies and audits' '
	aims_db system add fraud-check --purpose "flag suspicious payments" >/dev/null &&
	aims_db pack --out pack3 --system fraud-check >/dev/null &&
	"$AIMS" pack verify pack3 --vkey ledger.vkey >/dev/null &&
	test_json pack3/records/gate-checks.json ".checks == []" &&
	test_json pack3/records/nonconformities.json ".nonconformities == []" &&
	test_json pack3/records/corrective-actions.json ".actions == []" &&
	test_json pack3/records/incidents.json ".incidents == []" &&
	test_json pack3/records/policies.json "[.policies[].name] == [\"credit-models\"]" &&
	test_json pack3/records/audits.json "[.audits[].id] == [\"AUD-001\"]" &&
	jq -r ".entries[] | .object_type" pack3/manifest.json | sort -u >types3.txt &&
	test_grep_not "^(gate-check|nonconformity|corrective-action|incident|decision-review)$" types3.txt &&
	test_grep "^policy$" types3.txt && test_grep "^audit$" types3.txt &&
	aims_db pack --out pack4 --system credit-score >/dev/null &&
	test_json pack4/records/corrective-actions.json "[.actions[].id] == [\"CA-001\"]" &&
	test_json pack4/records/gate-checks.json "(.checks | length) == 2"
'

done_testing
