#!/bin/sh
# make-refs.sh [OUTDIR]: recompute the reference figures that tests/cli/t1100
# and t1150 compare aims with, from the data in tests/data/, with Debian's
# /usr/bin/python3 and its pandas 1.5, scikit-learn 1.2 and scipy 1.10
# (python3-pandas, python3-sklearn, python3-scipy). OUTDIR defaults to
# tests/data/ref; the tests run this into a temporary folder and compare the
# result with the stored files byte for byte.
set -eu
cd "$(dirname "$0")/../data"
out=${1:-ref}
mkdir -p "$out"
PY=/usr/bin/python3
EVAL="$PY ../ref/eval_ref.py compute"
DRIFT="$PY ../ref/drift_ref.py compute"
C="--label y_true --pred y_pred --score y_score"

$EVAL fairness --data hmda_decisions.csv $C --group afam >"$out/hmda-afam.fairness.json"
$EVAL performance --data hmda_decisions.csv $C >"$out/hmda.performance.json"
$EVAL fairness --data resumenames_decisions.csv $C --group ethnicity --group gender \
	>"$out/resumenames-ethnicity-gender.fairness.json"
$EVAL performance --data resumenames_decisions.csv $C >"$out/resumenames.performance.json"
$EVAL fairness --data credit_data_decisions.csv $C --group Marital --group age_group \
	>"$out/credit-marital-age.fairness.json"
$EVAL performance --data credit_data_decisions.csv $C >"$out/credit.performance.json"
$EVAL fairness --data credit_data_decisions.csv --label y_true --pred y_pred --group Marital \
	--pos-label 0 --reference married >"$out/credit-marital-pos0.fairness.json"
$EVAL performance --data credit_data_decisions.csv $C --pos-label 0 >"$out/credit-pos0.performance.json"
$DRIFT cps1988_ref.csv cps1988_cur.csv >"$out/cps1988.drift.json"
$DRIFT --categorical education cps1988_ref.csv cps1988_cur.csv >"$out/cps1988-categorical-education.drift.json"
$DRIFT fertility_ref.csv.gz fertility_cur.csv.gz >"$out/fertility.drift.json"
