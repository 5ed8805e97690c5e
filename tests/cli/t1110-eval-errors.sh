#!/bin/bash
# t1110-eval-errors: bad files and bad arguments for `aims eval fairness` and
# `aims eval performance` give a clear error naming file, line and column
# (exit 3), exit 5 for an unknown column or a missing file, exit 2 for usage,
# or a documented, flagged result (single class, empty group, undefined
# rates): never a crash and never NaN.

. "$(dirname "$0")/test-lib.sh"

COMMON="--label y --pred p --score s"

test_expect_success 'setup: small files' '
	printf "y,p,s,g\n1,1,0.9,a\n0,0,0.2,a\n1,0,0.4,b\n0,1,0.7,b\n" >ok.csv &&
	printf "y,p,s,g\n1,1,0.9,a\n0,0,0.2\n" >ragged.csv &&
	printf "y,p,s,g\n1,1,0.9,a\n0,0,high,a\n" >word.csv &&
	printf "y,p,s,g\n1,1,0.9,a\n0,0,1.5,a\n" >range.csv &&
	printf "y,p,s,g\n1,1,0.9,a\n1,0,0.2,a\n1,1,0.6,b\n" >oneclass.csv &&
	printf "y,p,s,g\n1,1,0.9,a\n0,0,0.2,a\n,1,0.5,ghost\n1,1,0.6,b\n0,1,0.3,b\n" >empty-group.csv &&
	printf "y,p,s,g\n1,1,0.9,a\n0,\"x\"y,0.2,a\n" >quote.csv &&
	printf "y,p,s,g\n,1,0.9,a\n1,,0.2,a\n" >allmissing.csv
'

test_expect_success 'ragged row: file and line named, exit 3' '
	expect_exit 3 "$AIMS" eval fairness --data ragged.csv $COMMON --group g &&
	test_grep "ragged.csv. line 3: 3 fields, expected 4" err
'

test_expect_success 'bad quoting: file and line named, exit 3' '
	expect_exit 3 "$AIMS" eval performance --data quote.csv $COMMON &&
	test_grep "quote.csv. line 3: text after the closing quote" err
'

test_expect_success 'unknown column: the columns are listed, exit 5' '
	expect_exit 5 "$AIMS" eval fairness --data ok.csv $COMMON --group gender &&
	test_grep "ok.csv.: no column .gender. \(columns: y, p, s, g\)" err &&
	expect_exit 5 "$AIMS" eval performance --data ok.csv --label label --pred p &&
	test_grep "no column .label." err
'

test_expect_success 'non-numeric and out-of-range scores name file, line and column' '
	expect_exit 3 "$AIMS" eval performance --data word.csv $COMMON &&
	test_grep "word.csv. line 3: column .s.: .high. is not a score" err &&
	expect_exit 3 "$AIMS" eval fairness --data range.csv $COMMON --group g &&
	test_grep "range.csv. line 3: column .s.: .1.5. is not a score" err
'

test_expect_success 'missing file: exit 5' '
	expect_exit 5 "$AIMS" eval performance --data nope.csv $COMMON &&
	test_grep "nope.csv" err
'

test_expect_success 'single class: roc_auc and log_loss null with the reason, rates undefined per group' '
	"$AIMS" eval performance --json --data oneclass.csv $COMMON >p.json &&
	test_json p.json ".roc_auc == null and .log_loss == null and .brier != null and .ece != null" &&
	test_json p.json ".undefined.roc_auc | test(\"one class\")" &&
	test_json p.json ".undefined.log_loss | test(\"one class\")" &&
	! grep -i nan p.json &&
	"$AIMS" eval performance --data oneclass.csv $COMMON >p.txt &&
	test_grep "roc_auc: undefined \(only one class" p.txt &&
	"$AIMS" eval fairness --json --data oneclass.csv $COMMON --group g >f.json &&
	test_json f.json ".sensitive[0].groups[0].fpr == null and (.sensitive[0].groups[0].undefined.fpr | test(\"no negative labels\"))" &&
	test_json f.json ".sensitive[0].equalized_odds_difference == null and (.sensitive[0].undefined.equalized_odds_difference | test(\"no group has negative labels\"))" &&
	test_json f.json ".sensitive[0].equal_opportunity_difference != null" &&
	! grep -i nan f.json
'

test_expect_success 'empty group: listed with n 0, rates null with the reason, left out of the aggregates' '
	"$AIMS" eval fairness --json --data empty-group.csv $COMMON --group g >f.json &&
	test_json f.json ".input.rows_skipped == 1 and .input.rows_used == 4 and .input.missing.y == 1" &&
	test_json f.json "[.sensitive[0].groups[].group] == [\"a\", \"b\", \"ghost\"]" &&
	test_json f.json ".sensitive[0].groups[2] | .n == 0 and .selection_rate == null and .disparate_impact == null and .small" &&
	test_json f.json ".sensitive[0].groups[2].undefined.selection_rate | test(\"no rows\")" &&
	test_json f.json ".sensitive[0].demographic_parity_difference == 0.5" &&
	test_json f.json ".sensitive[0].notes[0].groups_left_out == [\"ghost\"]" &&
	! grep -i nan f.json
'

test_expect_success 'all rows missing a value: no usable rows, exit 3' '
	expect_exit 3 "$AIMS" eval performance --data allmissing.csv $COMMON &&
	test_grep "no usable rows \(2 read, 2 skipped" err
'

test_expect_success 'unknown reference group: exit 3' '
	expect_exit 3 "$AIMS" eval fairness --data ok.csv $COMMON --group g --reference zz &&
	test_grep "reference .zz.: no such group in g" err
'

test_expect_success 'usage errors: exit 2' '
	expect_exit 2 "$AIMS" eval fairness --data ok.csv $COMMON &&
	test_grep "at least one --group" err &&
	expect_exit 2 "$AIMS" eval performance --data ok.csv --label y &&
	expect_exit 2 "$AIMS" eval performance $COMMON &&
	expect_exit 2 "$AIMS" eval performance --data ok.csv $COMMON --record &&
	test_grep "needs --system" err &&
	expect_exit 2 "$AIMS" eval performance --data ok.csv $COMMON --since 2026-01-01T00:00:00Z &&
	expect_exit 2 "$AIMS" eval fairness --data ok.csv $COMMON --group g --group g &&
	test_grep "given twice" err &&
	expect_exit 2 "$AIMS" eval fairness --data ok.csv $COMMON --group g --min-group-size 0
'

test_expect_success 'a continuous column as a group is refused past 10000 values' '
	/usr/bin/python3 -c "
print(\"y,p,age\")
for i in range(10001): print(f\"1,1,{i}\")" >wide.csv &&
	expect_exit 3 "$AIMS" eval fairness --data wide.csv --label y --pred p --group age &&
	test_grep "more than 10000 distinct values" err
'

done_testing
