#!/bin/bash
# t1160-eval-drift-system: drift over an AI system's decision log, by time
# windows (--ref-since/--ref-until for the reference, --since/--until for
# the current window); the log's bookkeeping fields (time, input_digest,
# model_digest, explanation) are left out by default. The same records written as CSV files must give the
# same figures as the log; --record stores the run as evidence.

. "$(dirname "$0")/test-lib.sh"

# the evaluations read a decision log, and decision logs are files beside a SQLite store (their

PY=/usr/bin/python3
REF=$AIMS_SRC/tests/ref/drift_ref.py

# 400 January and 600 February decisions (confidence shifts up in February),
# as NDJSON for the log and as CSV files for the file path
"$PY" - "$TEST_DIR" <<'PYEOF'
import random, sys
d = sys.argv[1]
rnd = random.Random(42)
dig = "sha256:" + "a" * 64
with open(d + "/dec.ndjson", "w") as nd, open(d + "/jan.csv", "w") as a, open(d + "/feb.csv", "w") as b:
    a.write("confidence,model,output.approve\n")
    b.write("confidence,model,output.approve\n")
    for i in range(1000):
        feb = i >= 400
        day = (i % 28) + 1
        t = "2026-%s-%02dT%02d:%02d:00Z" % ("02" if feb else "01", day, i % 24, i % 60)
        c = round(min(0.999999, max(0.0, rnd.gauss(0.7 if feb else 0.6, 0.1))), 6)
        ap = rnd.random() < (0.55 if feb else 0.5)
        nd.write('{"time":"%s","model":"credit@1","input_digest":"%s","output":{"approve":%s},"confidence":%s}\n'
                 % (t, dig, "true" if ap else "false", repr(c)))
        (b if feb else a).write("%s,credit@1,%s\n" % (repr(c), "true" if ap else "false"))
PYEOF

test_expect_success 'setup: store, ledger key, system, decisions' '
	aims_db init >/dev/null &&
	"$AIMS" ledger keygen --name example.com/aims --out "$TEST_DIR/k.key" >/dev/null 2>&1 &&
	aims_db ledger setup --key "$TEST_DIR/k.key" >/dev/null &&
	aims_db system add credit --purpose "credit scoring" --owner risk >/dev/null &&
	echo "credit 1" >credit.bin && aims_db model register credit@1 --file credit.bin >/dev/null &&
	aims_db decision ingest --system credit dec.ndjson >/dev/null
'

test_expect_success 'windows of the log give the figures of the same rows as files' '
	aims_db eval drift --system credit --ref-since 2026-01-01T00:00:00Z --ref-until 2026-02-01T00:00:00Z \
		--since 2026-02-01T00:00:00Z --until 2026-03-01T00:00:00Z --json >sys.json &&
	"$AIMS" eval drift --ref jan.csv --cur feb.csv --json >file.json &&
	test_json sys.json "[.columns[].name] == [\"confidence\", \"model\", \"output.approve\"]" &&
	test_json sys.json ".columns[0] | .n_ref == 400 and .n_cur == 600 and .type == \"numeric\" and .drift" &&
	test_json sys.json "[.columns[1,2].type] == [\"categorical\", \"categorical\"] and .columns[1].statistics.chi2_dof == 0" &&
	jq -S "[.columns[] | {name, type, n_ref, n_cur, statistics}]" sys.json >a &&
	jq -S "[.columns[] | {name, type, n_ref, n_cur, statistics}]" file.json >b &&
	test_cmp b a &&
	test_json sys.json ".inputs[0].name == \"decisions:credit[2026-01-01T00:00:00Z,2026-02-01T00:00:00Z)\" and (.inputs[0].sha256 | startswith(\"sha256:\"))" &&
	"$PY" "$REF" jan.csv feb.csv sys.json >r.out &&
	test_grep "0 mismatches" r.out
'

test_expect_success '--record stores the run as evidence of the system' '
	aims_db eval drift --system credit --ref-until 2026-02-01T00:00:00Z --since 2026-02-01T00:00:00Z \
		--record --json >rec.json &&
	test_json rec.json "(.evaluation_id | test(\"^EVAL-[0-9]+$\")) and .drift_share == 1/3" &&
	aims_db eval drift --system credit --ref-until 2026-02-01T00:00:00Z --since 2026-02-01T00:00:00Z --record >rec.txt &&
	test_grep "^recorded EVAL-[0-9]+$" rec.txt &&
	id=$(jq -r .evaluation_id rec.json) &&
	aims_db eval show "$id" --json >show.json &&
	test_json show.json ".kind == \"drift\" and .system == \"credit\" and (.controls | index(\"A.6.2.6\") != null)" &&
	test_json show.json "[.inputs[].sha256] == [\"$(jq -r ".inputs[0].sha256" rec.json)\", \"$(jq -r ".inputs[1].sha256" rec.json)\"]" &&
	test_json show.json ".results.drift_share == 1/3 and .results.columns[0].statistics.ks_pvalue == $(jq .columns[0].statistics.ks_pvalue rec.json)" &&
	test_json show.json ".params.columns == [\"confidence\", \"model\", \"output.approve\"] and .params.thresholds.ks_alpha == 0.05"
'

test_expect_success 'decision-log mode: usage errors and unknown system' '
	expect_exit 2 aims_db eval drift --system credit &&
	expect_exit 2 aims_db eval drift --system credit --ref jan.csv --since 2026-02-01T00:00:00Z &&
	expect_exit 2 "$AIMS" eval drift --ref jan.csv --cur feb.csv --since 2026-02-01T00:00:00Z &&
	expect_exit 5 aims_db eval drift --system nosuch --since 2026-02-01T00:00:00Z
'

done_testing
