/*
 * The body shared by the two libFuzzer harnesses of the evaluation reader,
 * fuzz/rows_csv.c and fuzz/rows_ndjson.c: each defines NDJSON (0 or 1) and
 * includes this file. The input goes to aims_rows_open_mem (NDJSON forced
 * when NDJSON is 1) and the evaluation over it (aims_eval_binary with the
 * first columns as label, prediction, score and group). Promises checked:
 * every row has aims_rows_ncols() fields, each NUL-terminated at its length
 * or NULL (missing, length 0); lines never go back; the counts add up (rows
 * read, skipped, missing per column at most the rows read); a digest exists
 * once the end is reached; an error returns a negative code with a message
 * that names the input (or is out of memory); an evaluation result is JSON
 * with every figure present (a NaN would make jansson drop its key) and
 * finite or null. Any broken promise calls abort().
 */
#ifndef NDJSON
#error "define NDJSON (0: CSV, 1: NDJSON) before including rows_fuzz.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aims/aims.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void named_error(int rc)
{
	CHECK(rc < 0);
	CHECK(aims_error_last()[0] != '\0');
	CHECK(rc == AIMS_ENOMEM || strstr(aims_error_last(), "fuzz") != NULL);
}

static void read_all(const char *data, size_t size)
{
	aims_rows *r = NULL;
	const char *const *f;
	const size_t *l;
	uint64_t last = 0, n = 0;
	char digest[72];
	int rc = aims_rows_open_mem(&r, data, size, "fuzz.in", NDJSON);
	if (rc < 0) {
		CHECK(r == NULL);
		named_error(rc);
		return;
	}
	/* a CSV header has a column at least; a first NDJSON object may be {} */
	CHECK(aims_rows_ncols(r) <= AIMS_ROWS_MAX_COLS && (aims_rows_ncols(r) > 0 || aims_rows_is_ndjson(r)));
	CHECK(aims_rows_digest(digest, r) == AIMS_EUSAGE);
	while ((rc = aims_rows_next(r, &f, &l)) == 1) {
		size_t nc = aims_rows_ncols(r);
		n++;
		for (size_t i = 0; i < nc; i++) {
			if (f[i]) {
				CHECK(l[i] > 0 && l[i] <= size);
				CHECK(f[i][l[i]] == '\0');
			} else {
				CHECK(l[i] == 0);
			}
			CHECK(aims_rows_colname(r, i) != NULL);
		}
		CHECK(aims_rows_line(r) > last);
		last = aims_rows_line(r);
		if (n % 3 == 0)
			aims_rows_skip(r);
	}
	if (rc == 0) {
		CHECK(aims_rows_digest(digest, r) == 0 && strncmp(digest, "sha256:", 7) == 0);
		CHECK(aims_rows_next(r, &f, &l) == 0);
	} else {
		named_error(rc);
	}
	CHECK(aims_rows_read(r) == n);
	CHECK(aims_rows_skipped(r) == n / 3);
	for (size_t i = 0; i < aims_rows_ncols(r); i++)
		CHECK(aims_rows_missing(r, i) <= n);
	aims_rows_free(r);
}

static void has_figures(json_t *o, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(o, keys[i]);
		CHECK(v != NULL);
		CHECK(json_is_null(v) || (json_is_number(v) && json_number_value(v) == json_number_value(v)));
	}
}

static void check_results(const char *fair, const char *perf)
{
	static const char *const pk[] = { "accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "brier", "ece" };
	static const char *const ak[] = { "demographic_parity_difference", "demographic_parity_ratio",
					  "equalized_odds_difference", "equalized_odds_ratio",
					  "equal_opportunity_difference", "equal_opportunity_ratio" };
	static const char *const gk[] = { "selection_rate", "tpr", "fpr", "tnr", "fnr", "precision", "accuracy",
					  "disparate_impact" };
	json_t *f = json_loads(fair, 0, NULL), *p = json_loads(perf, 0, NULL), *s, *g;
	size_t i, k;
	CHECK(f && p);
	has_figures(p, pk, 8);
	json_array_foreach(json_object_get(f, "sensitive"), i, s) {
		has_figures(s, ak, 6);
		json_array_foreach(json_object_get(s, "groups"), k, g)
			has_figures(g, gk, 8);
	}
	CHECK(json_array_size(json_object_get(f, "sensitive")) == 1);
	json_decref(f);
	json_decref(p);
}

static void evaluate(const char *data, size_t size)
{
	aims_rows *r = NULL;
	aims_eval_options o = AIMS_EVAL_OPTIONS_INIT;
	const char *groups[1];
	char *fair = NULL, *perf = NULL;
	if (aims_rows_open_mem(&r, data, size, "fuzz.in", NDJSON) < 0)
		return;
	if (aims_rows_ncols(r) >= 4) {
		o.label = aims_rows_colname(r, 0);
		o.pred = aims_rows_colname(r, 1);
		o.score = aims_rows_colname(r, 2);
		groups[0] = aims_rows_colname(r, 3);
		o.groups = groups;
		o.ngroups = 1;
		o.reference = size % 2 ? "a" : NULL;
		int rc = aims_eval_binary(&fair, &perf, r, &o);
		if (rc == 0) {
			CHECK(fair && perf);
			check_results(fair, perf);
		} else {
			CHECK(!fair && !perf);
			CHECK(aims_error_last()[0] != '\0');
		}
	}
	free(fair);
	free(perf);
	aims_rows_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aims_error_clear();
	read_all((const char *)data, size);
	aims_error_clear();
	evaluate((const char *)data, size);
	return 0;
}
