#!/bin/bash
# t1100-eval-reference: `aims eval fairness` and `aims eval performance` on the
# real decisions files of tests/data (HMDA, ResumeNames with two sensitive
# columns and their intersection, credit_data with Marital and age_group)
# compared figure by figure, to 1e-9 relative, with the reference figures
# stored in tests/data/ref (computed by pandas and scikit-learn with
# tests/ref/make-refs.sh; t1090 checks they still are); the same data as gzip
# and as NDJSON give the same figures.

. "$(dirname "$0")/test-lib.sh"

DATA=$AIMS_SRC/tests/data
STORED=$DATA/ref
REF="/usr/bin/python3 $AIMS_SRC/tests/ref/eval_ref.py"
COMMON="--label y_true --pred y_pred --score y_score"

check() {  # check FILE REF-NAME GROUP-ARGS...: fairness and performance against the stored reference
	f=$1; r=$2; shift 2
	"$AIMS" eval fairness --json --data "$DATA/$f" $COMMON "$@" >fair.json &&
	$REF check fair.json "$STORED/$r.fairness.json" >cmp.out &&
	test_grep "figures equal" cmp.out &&
	"$AIMS" eval performance --json --data "$DATA/$f" $COMMON >perf.json &&
	$REF check perf.json "$STORED/${r%%-*}.performance.json" >cmp.out &&
	test_grep "figures equal" cmp.out
}

test_expect_success 'HMDA decisions (afam) equal the reference' '
	check hmda_decisions.csv hmda-afam --group afam &&
	test_json fair.json ".input.rows_read == 952 and .input.rows_skipped == 0" &&
	test_json fair.json ".input.sha256 == \"sha256:4d034efcda5c376b0eaabb08c9c06fd2ee9186b3a204d25720ae2b1f5b031de0\""
'

test_expect_success 'ResumeNames decisions (ethnicity, gender, intersection) equal the reference' '
	check resumenames_decisions.csv resumenames-ethnicity-gender --group ethnicity --group gender &&
	test_json fair.json "[.sensitive[].name] == [\"ethnicity\", \"gender\", \"ethnicity & gender\"]" &&
	test_json fair.json ".sensitive[2].groups | length == 4"
'

test_expect_success 'credit_data decisions (Marital, age_group) equal the reference, small groups flagged' '
	check credit_data_decisions.csv credit-marital-age --group Marital --group age_group &&
	test_json fair.json "[.sensitive[0].groups[] | select(.small) | .group] == [\"divorced\", \"widow\"]" &&
	test_json fair.json ".flags | map(select(test(\"small group\"))) | length > 0"
'

test_expect_success '--pos-label 0 and --reference equal the reference' '
	"$AIMS" eval fairness --json --data "$DATA/credit_data_decisions.csv" --label y_true --pred y_pred \
		--group Marital --pos-label 0 --reference married >fair.json &&
	$REF check fair.json "$STORED/credit-marital-pos0.fairness.json" >cmp.out &&
	test_grep "figures equal" cmp.out &&
	test_json fair.json ".sensitive[0].reference == \"married\" and .sensitive[0].reference_rule == \"given\"" &&
	"$AIMS" eval performance --json --data "$DATA/credit_data_decisions.csv" $COMMON --pos-label 0 >perf.json &&
	$REF check perf.json "$STORED/credit-pos0.performance.json" >cmp.out &&
	test_grep "figures equal" cmp.out
'

test_expect_success 'the check fails on a figure that is off by 1e-8 and on a wrong count' '
	"$AIMS" eval performance --json --data "$DATA/hmda_decisions.csv" $COMMON >perf.json &&
	jq ".accuracy *= (1 + 1e-8)" perf.json >bad.json &&
	! $REF check bad.json "$STORED/hmda.performance.json" >cmp.out &&
	test_grep "accuracy: ours" cmp.out &&
	jq ".confusion_matrix.tp += 1" perf.json >bad.json &&
	! $REF check bad.json "$STORED/hmda.performance.json" >cmp.out &&
	test_grep "confusion_matrix.tp" cmp.out
'

test_expect_success 'gzip and NDJSON inputs give the same figures as the CSV' '
	"$AIMS" eval fairness --json --data "$DATA/resumenames_decisions.csv" $COMMON \
		--group ethnicity --group gender >csv.json &&
	gzip -c "$DATA/resumenames_decisions.csv" >d.csv.gz &&
	"$AIMS" eval fairness --json --data d.csv.gz $COMMON --group ethnicity --group gender >gz.json &&
	/usr/bin/python3 -c "import csv, json, sys
for r in csv.DictReader(open(sys.argv[1])):
    print(json.dumps({\"id\": int(r[\"id\"]), \"out\": {\"y_true\": int(r[\"y_true\"]), \"y_pred\": int(r[\"y_pred\"]),
                      \"y_score\": float(r[\"y_score\"])}, \"who\": {\"ethnicity\": r[\"ethnicity\"], \"gender\": r[\"gender\"]}}))
" "$DATA/resumenames_decisions.csv" >d.ndjson &&
	gzip -c d.ndjson >d.ndjson.gz &&
	"$AIMS" eval fairness --json --data d.ndjson.gz --label out.y_true --pred out.y_pred --score out.y_score \
		--group who.ethnicity --group who.gender >nd.json &&
	test_json gz.json ".input.format == \"csv\" and (.input.sha256 | startswith(\"sha256:\"))" &&
	test_json nd.json ".input.format == \"ndjson\" and .input.rows_read == 1948" &&
	jq -S "[.sensitive[] | del(.name, .columns) | .groups |= map(del(.values))]" csv.json >a &&
	jq -S "[.sensitive[] | del(.name, .columns) | .groups |= map(del(.values))]" gz.json >b &&
	jq -S "[.sensitive[] | del(.name, .columns) | .groups |= map(del(.values))]" nd.json >c &&
	test_cmp a b && test_cmp a c &&
	"$AIMS" eval performance --json --data d.ndjson.gz --label out.y_true --pred out.y_pred --score out.y_score >p1.json &&
	"$AIMS" eval performance --json --data "$DATA/resumenames_decisions.csv" $COMMON >p2.json &&
	jq -S "del(.input, .params)" p1.json >a && jq -S "del(.input, .params)" p2.json >b && test_cmp a b
'

test_expect_success 'standard input as data' '
	"$AIMS" eval performance --json --data - $COMMON <"$DATA/hmda_decisions.csv" >stdin.json &&
	"$AIMS" eval performance --json --data "$DATA/hmda_decisions.csv" $COMMON >file.json &&
	test_json stdin.json ".input.name == \"(stdin)\"" &&
	jq -S "del(.input.name)" stdin.json >a && jq -S "del(.input.name)" file.json >b && test_cmp a b
'

done_testing
