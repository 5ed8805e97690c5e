#!/bin/bash
# t1090-reference-data: the test data in tests/data is what its README says
# (SHA256SUMS), and the reference figures stored beside it (tests/data/ref)
# are exactly what pandas, scikit-learn and scipy compute from it today:
# tests/ref/make-refs.sh is run into a temporary folder and compared byte
# for byte, so t1100 and t1150, which compare aims with the stored figures,
# cannot be comparing with stale values.

. "$(dirname "$0")/test-lib.sh"

DATA=$AIMS_SRC/tests/data

test_expect_success 'reference python has pandas 1.5, scikit-learn 1.2 and scipy 1.10' '
	/usr/bin/python3 -c "import sklearn, pandas, scipy
assert sklearn.__version__.startswith(\"1.2\"), sklearn.__version__
assert pandas.__version__.startswith(\"1.5\"), pandas.__version__
assert scipy.__version__.startswith(\"1.10\"), scipy.__version__"
'

test_expect_success 'the data files have the digests in SHA256SUMS' '
	(cd "$DATA" && sha256sum --quiet -c SHA256SUMS) &&
	test "$(ls "$DATA"/*.csv "$DATA"/*.csv.gz | wc -l)" = "$(wc -l <"$DATA/SHA256SUMS")" &&
	test_equal 1b11ff9937de59a211cb913d3da80953a4901dd95ecdf530f33521b0824b2369 \
		"$(gzip -dc "$DATA/fertility_ref.csv.gz" | sha256sum | cut -c1-64)"
'

test_expect_success 'every stored reference file is recomputed equal, and none is left over' '
	"$AIMS_SRC/tests/ref/make-refs.sh" "$TEST_DIR/ref" &&
	diff -r "$DATA/ref" "$TEST_DIR/ref" &&
	test "$(ls "$DATA/ref" | wc -l)" = 11
'

done_testing
