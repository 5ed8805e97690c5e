#!/bin/bash
# t1435-monitor-pass: monitoring plans with fairness, performance and drift
# on data files, run in one pass (aims_eval_pass): each result recorded as
# evidence and equal to what `aims eval fairness|performance|drift` give on
# the same files; thresholds in the policy syntax, a threshold not held
# opens a nonconformity linked to the evaluation; once per period; bad plans
# refused naming the field, nothing written.

. "$(dirname "$0")/test-lib.sh"

DATA=$AIMS_SRC/tests/data
CUR=$DATA/credit_data_decisions.csv

test_expect_success 'setup: a store, an AI system, a drifted copy of the data' '
	aims_db init >/dev/null &&
	aims_db system add credit --purpose "credit scoring" >/dev/null &&
	cp "$CUR" cur.csv &&
	/usr/bin/python3 -c "
import csv, sys
r = list(csv.reader(open(\"cur.csv\", newline=\"\")))
w = csv.writer(open(\"ref.csv\", \"w\", newline=\"\"))
w.writerow(r[0])
for row in r[1:]:
    row[5] = str(int(row[5]) + 15)   # Age shifted: drift
    w.writerow(row)
"
'

test_expect_success 'a plan with the three evaluations on files, thresholds in the policy syntax' '
	aims_db monitor plan add credit-files --system credit --every day --evaluation fairness \
		--evaluation performance --evaluation drift --data cur.csv --reference ref.csv --label y_true \
		--pred y_pred --score y_score --group Marital --column Age --column y_score \
		--threshold "roc_auc >= 0.5" --threshold "demographic_parity_ratio >= 0.01" --json >p.json &&
	test_json p.json ".evaluations == [\"fairness\", \"performance\", \"drift\"] and .kind == \"evaluations\"" &&
	test_json p.json ".thresholds == [\"roc_auc >= 0.5\", \"demographic_parity_ratio >= 0.01\"]" &&
	test_json p.json ".data | startswith(\"/\")" &&
	aims_db monitor plan show credit-files >out &&
	test_grep "fairness \\+ performance \\+ drift of credit.s data every day" out &&
	test_grep "threshold:  roc_auc >= 0.5" out
'

test_expect_success 'a run: three evaluations recorded, each equal to aims eval on the same files' '
	AIMS_TEST_NOW=2026-06-02T01:00:00Z "$AIMS_TESTCLOCK" --db "$TEST_DB" monitor run --json >r.json &&
	test_json r.json ".runs[0].id == \"credit-files/2026-06-01\" and .runs[0].ran_now" &&
	test_json r.json ".runs[0].result.evaluations | keys == [\"drift\", \"fairness\", \"performance\"]" &&
	test_json r.json ".runs[0].result.rows > 0 and (.runs[0].result.input_digest | startswith(\"sha256:\"))" &&
	test_json r.json "[.runs[0].result.thresholds[] | .held] == [true, true]" &&
	test_json r.json "[.runs[0].result.thresholds[] | .kind] == [\"performance\", \"fairness\"]" &&
	test_json r.json ".runs[0].result.dataset_drift" &&
	test_json r.json ".runs[0].status == \"breach\" and (.runs[0].result.nonconformity | startswith(\"NC-\"))" &&
	f=$(jq -r .runs[0].result.evaluations.fairness r.json) &&
	p=$(jq -r .runs[0].result.evaluations.performance r.json) &&
	d=$(jq -r .runs[0].result.evaluations.drift r.json) &&
	aims_db eval show "$f" --json | jq -S .results.sensitive >got-f &&
	"$AIMS" eval fairness --json --data cur.csv --label y_true --pred y_pred --score y_score --group Marital |
		jq -S .sensitive >want-f &&
	test_cmp want-f got-f &&
	aims_db eval show "$p" --json | jq -S ".results | {roc_auc, accuracy, confusion_matrix, brier_score}" >got-p &&
	"$AIMS" eval performance --json --data cur.csv --label y_true --pred y_pred --score y_score |
		jq -S "{roc_auc, accuracy, confusion_matrix, brier_score}" >want-p &&
	test_cmp want-p got-p &&
	aims_db eval show "$d" --json | jq -S "[.results.columns[] | {name, drift, statistics}]" >got-d &&
	"$AIMS" eval drift --json --ref ref.csv --cur cur.csv --columns Age,y_score |
		jq -S "[.columns[] | {name, drift, statistics}]" >want-d &&
	test_cmp want-d got-d &&
	test_json r.json ".runs[0].result.evaluation == \"$d\"" &&
	aims_db nc show "$(jq -r .runs[0].result.nonconformity r.json)" --json >nc.json &&
	test_json nc.json ".evidence == \"evaluation:$d\" and .source == \"monitoring\""
'

test_expect_success 'once per period: a second run the same day records nothing' '
	AIMS_TEST_NOW=2026-06-02T09:00:00Z "$AIMS_TESTCLOCK" --db "$TEST_DB" monitor run --json >r2.json &&
	test_json r2.json ".runs[0].ran_now | not" &&
	aims_db eval list --json >l.json && test_json l.json ".evaluations | length == 3"
'

test_expect_success 'a threshold not held is a breach naming the threshold and its evaluation' '
	aims_db monitor plan add credit-strict --system credit --every day --evaluation performance --data cur.csv \
		--label y_true --pred y_pred --score y_score --threshold "roc_auc >= 0.99" \
		--threshold "no_such_metric > 1" >/dev/null &&
	AIMS_TEST_NOW=2026-06-02T01:00:00Z "$AIMS_TESTCLOCK" --db "$TEST_DB" monitor run --plan credit-strict --json >s.json &&
	test_json s.json ".runs[0].status == \"breach\"" &&
	test_json s.json ".runs[0].result.thresholds[0] | (.held | not) and (.outside | test(\"roc_auc 0[.]\")) and .values == 1" &&
	test_json s.json ".runs[0].result.thresholds[1] | (.held | not) and .values == 0" &&
	p=$(jq -r .runs[0].result.evaluations.performance s.json) &&
	test_json s.json ".runs[0].result.evaluation == \"$p\"" &&
	aims_db nc show "$(jq -r .runs[0].result.nonconformity s.json)" --json >nc2.json &&
	test_json nc2.json ".title | test(\"a threshold not held\")" &&
	AIMS_TEST_NOW=2026-06-02T01:00:00Z "$AIMS_TESTCLOCK" --db "$TEST_DB" monitor run --plan credit-strict >s.txt &&
	test_grep "roc_auc >= 0.99 not held" s.txt
'

test_expect_success 'bad plans are refused naming the field, and nothing is written' '
	before=$(test_store_fingerprint "$TEST_DB") &&
	expect_exit 3 aims_db monitor plan add x1 --system credit --every day --evaluation bias --data cur.csv &&
	test_grep "evaluation .bias.: not one of fairness, performance, drift" err &&
	expect_exit 3 aims_db monitor plan add x2 --system credit --every day --evaluation fairness --data cur.csv \
		--label y_true --pred y_pred &&
	test_grep "fairness needs at least one group column" err &&
	expect_exit 3 aims_db monitor plan add x3 --system credit --every day --evaluation performance --data cur.csv &&
	test_grep "needs the label and pred columns" err &&
	expect_exit 3 aims_db monitor plan add x4 --system credit --every day --evaluation drift --data cur.csv &&
	test_grep "drift of a data file needs a reference file" err &&
	expect_exit 3 aims_db monitor plan add x5 --system credit --every day --evaluation performance \
		--data nosuch.csv --label y_true --pred y_pred &&
	test_grep "data: cannot read .nosuch.csv." err &&
	expect_exit 3 aims_db monitor plan add x6 --system credit --every day --evaluation performance \
		--data cur.csv --label y_true --pred y_pred --threshold "roc_auc >> 2" &&
	test_grep "threshold 1: .roc_auc >> 2.: expected a number after" err &&
	expect_exit 3 aims_db monitor plan add x7 --system credit --every day --evaluation drift --evaluation drift \
		--data cur.csv --reference ref.csv &&
	test_grep "named twice" err &&
	test_equal "$before" "$(test_store_fingerprint "$TEST_DB")"
'

test_expect_success 'a data file gone at run time: the run is recorded as an error saying why' '
	cp cur.csv gone.csv &&
	aims_db monitor plan add credit-gone --system credit --every day --evaluation performance --data gone.csv \
		--label y_true --pred y_pred >/dev/null &&
	rm gone.csv &&
	AIMS_TEST_NOW=2026-06-02T01:00:00Z "$AIMS_TESTCLOCK" --db "$TEST_DB" monitor run --plan credit-gone --json >g.json &&
	test_json g.json ".runs[0].status == \"error\" and (.runs[0].result.error | test(\"gone.csv\"))"
'

done_testing
