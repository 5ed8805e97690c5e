#!/bin/bash
# t1150-eval-drift: aims eval drift on real data (tests/data), every figure
# compared with the scipy 1.10 figures stored in tests/data/ref (made by
# tests/ref/make-refs.sh, checked by t1090; small made-up files are computed
# here by tests/ref/drift_ref.py with the system python): CPS 1988 northeast
# vs south (the exact KS path) and Fertility by
# mother's age (115k vs 139k rows: the asymptotic path; age has disjoint
# supports, gender1/gender2 are no-drift controls); the quantile-sketch path
# forced with a small --max-exact, checked against the exact statistic and
# its stated bound; the HTML report; bad input.

. "$(dirname "$0")/test-lib.sh"

DATA=$AIMS_SRC/tests/data
STORED=$DATA/ref
PY=/usr/bin/python3
REF=$AIMS_SRC/tests/ref/drift_ref.py

test_expect_success 'cps1988: every figure equals scipy (exact KS)' '
	"$AIMS" eval drift --json --ref "$DATA/cps1988_ref.csv" --cur "$DATA/cps1988_cur.csv" >cps.json &&
	test_json cps.json "[.columns[] | select(.type == \"numeric\") | .statistics.ks_method] == [\"exact\", \"exact\", \"exact\"]" &&
	test_json cps.json "[.columns[].name] == [\"wage\",\"education\",\"experience\",\"ethnicity\",\"smsa\",\"region\",\"parttime\"]" &&
	"$PY" "$REF" check "$STORED/cps1988.drift.json" cps.json >ref.out &&
	test_grep "checked 75 figures, 0 mismatches" ref.out
'

test_expect_success 'cps1988: decisions, inputs and digests' '
	test_json cps.json ".columns[] | select(.name == \"wage\") | .drift and .statistics.ks_pvalue < 1e-50" &&
	test_json cps.json ".columns[] | select(.name == \"experience\") | (.drift | not) and .statistics.ks_pvalue > 0.05" &&
	test_json cps.json ".columns[] | select(.name == \"region\") | .statistics.jensenshannon == 1 and .categories == 2" &&
	test_json cps.json ".drift_share == 6/7 and .dataset_drift and .columns_tested == 7" &&
	test_json cps.json ".inputs[0].sha256 == \"sha256:52af426065feee97339840baacec2ce1779e647911ce4d714a34885796c00b38\" and .inputs[0].rows == 6441" &&
	test_json cps.json ".inputs[1].sha256 == \"sha256:ac7f310c86ebd29c4c6db14d69128857bb74a51166cbc064dc38c6ff9a5223d5\" and .inputs[1].rows == 8760" &&
	test_json cps.json ".thresholds.ks_alpha == 0.05 and .thresholds.psi == 0.2 and .thresholds.psi_floor == 0.0001"
'

test_expect_success 'the reference check fails on a figure that is off by 1e-8' '
	jq ".columns[0].statistics.wasserstein *= (1 + 1e-8)" cps.json >bad.json &&
	! "$PY" "$REF" check "$STORED/cps1988.drift.json" bad.json >bad.out &&
	test_grep "mismatch: wage.wasserstein" bad.out
'

test_expect_success 'fertility: every figure equals scipy (asymptotic KS, 254k rows)' '
	"$AIMS" eval drift --json --ref "$DATA/fertility_ref.csv.gz" --cur "$DATA/fertility_cur.csv.gz" >fert.json &&
	"$PY" "$REF" check "$STORED/fertility.drift.json" fert.json >ref.out &&
	test_grep "checked 87 figures, 0 mismatches" ref.out &&
	test_json fert.json ".columns[] | select(.name == \"age\") | .statistics.ks_statistic == 1 and .statistics.ks_pvalue == 0 and .statistics.ks_method == \"asymp\"" &&
	test_json fert.json "[.columns[] | select(.name == \"gender1\" or .name == \"gender2\") | .drift] == [false, false]" &&
	test_json fert.json "[.columns[] | select(.drift) | .name] == [\"morekids\",\"age\",\"afam\",\"hispanic\",\"other\",\"work\"]" &&
	test_json fert.json ".drift_share == 0.75 and .dataset_drift"
'

test_expect_success 'gzip, NDJSON and standard input give the same figures' '
	gzip -c "$DATA/cps1988_cur.csv" >cur.csv.gz &&
	"$AIMS" eval drift --json --ref "$DATA/cps1988_ref.csv" --cur cur.csv.gz >gz.json &&
	"$PY" -c "import csv, json, sys
w = open(\"ref.ndjson\", \"w\")
for r in csv.DictReader(open(sys.argv[1])):
    w.write(json.dumps(r) + \"\n\")" "$DATA/cps1988_ref.csv" &&
	"$AIMS" eval drift --json --ref ref.ndjson --cur - <"$DATA/cps1988_cur.csv" >nd.json &&
	jq -S "[.columns[] | {name, type, statistics}]" cps.json >a &&
	jq -S "[.columns[] | {name, type, statistics}]" gz.json >b &&
	jq -S "[.columns[] | {name, type, statistics}]" nd.json >c &&
	test_cmp a b && test_cmp a c &&
	test_json gz.json ".inputs[1].name == \"cur.csv.gz\" and .inputs[1].rows == 8760"
'

test_expect_success 'columns, type overrides and thresholds' '
	"$AIMS" eval drift --json --ref "$DATA/cps1988_ref.csv" --cur "$DATA/cps1988_cur.csv" \
		--columns education,parttime --categorical education --alpha 0.001 >sel.json &&
	test_json sel.json "[.columns[] | [.name, .type]] == [[\"education\",\"categorical\"],[\"parttime\",\"categorical\"]]" &&
	test_json sel.json ".columns[1].drift == false and .thresholds.chi2_alpha == 0.001" &&
	"$PY" "$REF" check "$STORED/cps1988-categorical-education.drift.json" sel.json >sel.out &&
	test_grep "0 mismatches" sel.out &&
	test_json sel.json ".columns[0] | .categories > 10 and .statistics.chi2_dof == .categories - 1"
'

test_expect_success 'sketch path: D within the stated bound of the exact D, and said so' '
	"$AIMS" eval drift --json --max-exact 1000 --sketch-k 64 \
		--ref "$DATA/cps1988_ref.csv" --cur "$DATA/cps1988_cur.csv" >sk.json &&
	test_json sk.json "[.columns[] | select(.type == \"numeric\") | .statistics.ks_method] == [\"sketch\",\"sketch\",\"sketch\"]" &&
	test_json sk.json "[.columns[] | select(.type == \"numeric\") | .approximate and .statistics.ks_error_bound > 0 and .statistics.ks_error_bound < 0.2] | all" &&
	"$PY" "$REF" check --max-exact 1000 "$STORED/cps1988.drift.json" sk.json >sk.out &&
	test_grep "0 mismatches" sk.out &&
	test $(grep -c "sketch |D-D_exact|" sk.out) = 3 &&
	"$AIMS" eval drift --max-exact 1000 --sketch-k 64 --ref "$DATA/fertility_ref.csv.gz" --cur "$DATA/fertility_cur.csv.gz" --json >skf.json &&
	"$PY" "$REF" check --max-exact 1000 "$STORED/fertility.drift.json" skf.json >skf.out &&
	test_grep "0 mismatches" skf.out &&
	"$AIMS" eval drift --max-exact 1000 --sketch-k 64 --ref "$DATA/cps1988_ref.csv" --cur "$DATA/cps1988_cur.csv" >sk.txt &&
	test_grep -F "wage: approximate (quantile sketch)" sk.txt
'

test_expect_success 'table output and --check' '
	"$AIMS" eval drift --ref "$DATA/cps1988_ref.csv" --cur "$DATA/cps1988_cur.csv" >t.txt &&
	test_grep "^wage  *numeric  *6441  *8760  *KS 0.1309" t.txt &&
	test_grep -F "drift share: 0.857 (6 drifted); dataset drift: yes" t.txt &&
	expect_exit 1 "$AIMS" eval drift --check --ref "$DATA/cps1988_ref.csv" --cur "$DATA/cps1988_cur.csv" &&
	expect_exit 0 "$AIMS" eval drift --check --columns gender1,gender2 --ref "$DATA/fertility_ref.csv.gz" --cur "$DATA/fertility_cur.csv.gz"
'

test_expect_success 'HTML report: self-contained, one histogram per column' '
	"$AIMS" eval drift --ref "$DATA/cps1988_ref.csv" --cur "$DATA/cps1988_cur.csv" --html r.html >/dev/null &&
	test_grep "<title>Data drift report</title>" r.html &&
	test $(grep -o "<svg " r.html | wc -l) = 7 &&
	test_grep "aria-label=\"reference and current distribution of wage\"" r.html &&
	test_grep_not "<script" r.html &&
	test_grep_not "src=\"http" r.html
'

test_expect_success 'bad input: unknown column, empty file, ragged row, forced numeric on text' '
	printf "x,y,z\n1,a,\n2,b,\n3,c,\n" >r.csv &&
	printf "x,y,z\n1,a,\nfoo,b,\n4,c,\n" >c.csv &&
	expect_exit 5 "$AIMS" eval drift --ref r.csv --cur c.csv --columns q &&
	test_grep "no column .q." err &&
	printf "x,w\n1,2\n" >o.csv &&
	expect_exit 5 "$AIMS" eval drift --ref r.csv --cur o.csv &&
	test_grep "o.csv.: no column .y." err &&
	: >e.csv &&
	expect_exit 3 "$AIMS" eval drift --ref e.csv --cur c.csv &&
	test_grep "e.csv" err &&
	printf "x,y,z\n1,a,\n2,b\n" >rg.csv &&
	expect_exit 3 "$AIMS" eval drift --ref rg.csv --cur c.csv &&
	test_grep "rg.csv. line 3" err &&
	expect_exit 3 "$AIMS" eval drift --ref r.csv --cur c.csv --numeric x &&
	test_grep "c.csv. line 3: column .x.: .foo. is not a finite number" err &&
	expect_exit 5 "$AIMS" eval drift --ref missing.csv --cur c.csv &&
	expect_exit 2 "$AIMS" eval drift --ref r.csv &&
	expect_exit 2 "$AIMS" eval drift --ref r.csv --cur c.csv --alpha 2 &&
	expect_exit 2 "$AIMS" eval drift --ref r.csv --cur c.csv --record
'

test_expect_success 'numbers in one file, text in the other: categorical with a note; all-missing: untested' '
	"$AIMS" eval drift --json --ref r.csv --cur c.csv >m.json &&
	test_json m.json ".columns[0].type == \"categorical\" and (.columns[0].note | test(\"numbers in .r.csv. but text in .c.csv. .line 3: .foo.\"))" &&
	test_json m.json ".columns[2] | (.tested | not) and (.drift | not) and .missing_ref == 3 and .missing_cur == 3" &&
	test_json m.json ".columns_tested == 2 and .drift_share == 0.5" &&
	"$PY" "$REF" r.csv c.csv m.json >m.out &&
	test_grep "0 mismatches" m.out &&
	printf "x,y,z\n" >h.csv &&
	"$AIMS" eval drift --json --ref h.csv --cur c.csv >h.json &&
	test_json h.json ".columns_tested == 0 and .drift_share == 0 and (.dataset_drift | not)" &&
	test_json h.json "[.columns[].statistics | length] == [0, 0, 0]"
'

test_expect_success 'no NaN anywhere: constant columns, one category, single values' '
	printf "a,b\n5,k\n5,k\n" >c1.csv &&
	printf "a,b\n5,k\n" >c2.csv &&
	"$AIMS" eval drift --json --ref c1.csv --cur c2.csv >k.json &&
	test_json k.json ".columns[0].statistics | .ks_statistic == 0 and .ks_pvalue == 1 and .wasserstein == 0 and .psi == 0" &&
	test_json k.json ".columns[1].statistics | .chi2_statistic == 0 and .chi2_pvalue == 1 and .chi2_dof == 0 and .jensenshannon == 0" &&
	test_grep_not -i nan k.json &&
	"$PY" "$REF" c1.csv c2.csv k.json >k.out && test_grep "0 mismatches" k.out
'

done_testing
