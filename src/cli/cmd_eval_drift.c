/*
 * aims eval drift: data drift between a reference and a current data set,
 * from two files or from an AI system's decision log over two time windows,
 * as a table, JSON or an HTML report, optionally recorded as evidence.
 * Definitions and JSON keys: docs/drift.md.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_eval_drift_opts[] = {
	{ "ref", "FILE", "the reference data (CSV or NDJSON, gzip allowed)", OPT_VALUE },
	{ "cur", "FILE", "the current data to compare with the reference", OPT_VALUE },
	{ "columns", "A,B", "compare only these columns (default: every column of the reference; repeatable)",
	  OPT_VALUE | OPT_MULTI },
	{ "numeric", "A,B", "treat these columns as numeric (a non-number is then an error; repeatable)",
	  OPT_VALUE | OPT_MULTI },
	{ "categorical", "A,B", "treat these columns as categorical (repeatable)", OPT_VALUE | OPT_MULTI },
	{ "alpha", "P", "p-value threshold of the KS and chi-square tests (default 0.05)", OPT_VALUE },
	{ "psi-threshold", "X", "PSI at or above this is drift (default 0.2)", OPT_VALUE },
	{ "share-threshold", "X", "dataset drift when this share of columns drifted (default 0.5)", OPT_VALUE },
	{ "max-exact", "N", "values per column and side kept for the exact KS statistic; above, a quantile "
	  "sketch with a stated error bound (default 10000000)", OPT_VALUE },
	{ "sketch-k", "K", "buffer size of the quantile sketch (default 32768; rank error at most log2(n/K)/(2K))",
	  OPT_VALUE },
	{ "system", "NAME", "compare two windows of this AI system's decision log instead of files", OPT_VALUE },
	{ "ref-since", "TIME", "with --system: start of the reference window (RFC 3339, inclusive)", OPT_VALUE },
	{ "ref-until", "TIME", "with --system: end of the reference window (exclusive)", OPT_VALUE },
	{ "since", "TIME", "with --system: start of the current window (inclusive)", OPT_VALUE },
	{ "until", "TIME", "with --system: end of the current window (exclusive)", OPT_VALUE },
	{ "record", NULL, "with --system: store the result as evaluation evidence and print its id", 0 },
	{ "model", "NAME@VER", "with --record: the model version whose data this is (its digest is kept; gates "
	  "count the evaluation only for that model)", OPT_VALUE },
	{ "check", NULL, "exit 1 when the dataset drifted", 0 },
	{ "html", "FILE", "also write a self-contained HTML report with histograms", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

#define MAX_NAMES 1024

/* split every value of a repeatable comma-list option into names */
static int split_names(const cli_ctx *ctx, const char *opt, char **store, const char **names, size_t *n)
{
	const char *vals[CLI_MAX_VALUES];
	int nv = cli_get_all(ctx, opt, vals, CLI_MAX_VALUES);
	size_t total = 0;
	char *buf, *p;

	*n = 0;
	*store = NULL;
	for (int i = 0; i < nv; i++)
		total += strlen(vals[i]) + 1;
	if (nv == 0)
		return 0;
	if (!(buf = malloc(total + 1)))
		return -1;
	p = buf;
	for (int i = 0; i < nv; i++) {
		size_t len = strlen(vals[i]);
		char *start = p;
		memcpy(p, vals[i], len + 1);
		p += len + 1;
		for (char *s = start;;) {
			char *comma = strchr(s, ',');
			if (comma)
				*comma = '\0';
			if (*s) {
				if (*n >= MAX_NAMES) {
					free(buf);
					return -2;
				}
				names[(*n)++] = s;
			}
			if (!comma)
				break;
			s = comma + 1;
		}
	}
	*store = buf;
	return 0;
}

static int parse_double(const char *s, double *out)
{
	char *end;
	errno = 0;
	*out = strtod(s, &end);
	return !(end == s || *end || errno || !isfinite(*out));
}

static void fmt_p(char *out, size_t n, double p)
{
	if (p != 0 && p < 1e-4)
		snprintf(out, n, "%.2e", p);
	else
		snprintf(out, n, "%.4f", p);
}

static void print_table(const aims_drift *d)
{
	static const char *const heads[] = { "column", "type", "n ref", "n cur", "statistic", "p-value", "distance",
					     "psi", "drift" };
	cli_table *t = cli_table_new(9, heads);
	size_t nd = 0;

	for (size_t i = 0; i < aims_drift_ncolumns(d); i++) {
		const aims_drift_column *c = aims_drift_column_get(d, i);
		char nr[32], nc[32], st[48], pv[32], dist[48], psi[32];
		const char *cells[9];
		int numeric = strcmp(c->type, "numeric") == 0;
		snprintf(nr, sizeof(nr), "%llu", (unsigned long long)c->n_ref);
		snprintf(nc, sizeof(nc), "%llu", (unsigned long long)c->n_cur);
		if (!c->tested) {
			snprintf(st, sizeof(st), "-");
			snprintf(pv, sizeof(pv), "-");
			snprintf(dist, sizeof(dist), "-");
			snprintf(psi, sizeof(psi), "-");
		} else if (numeric) {
			snprintf(st, sizeof(st), "KS %.4f%s", c->ks_statistic, c->approximate ? "~" : "");
			fmt_p(pv, sizeof(pv), c->ks_pvalue);
			snprintf(dist, sizeof(dist), "W1 %.4g", c->wasserstein);
			snprintf(psi, sizeof(psi), "%.4f", c->psi);
		} else {
			snprintf(st, sizeof(st), "chi2 %.2f", c->chi2_statistic);
			fmt_p(pv, sizeof(pv), c->chi2_pvalue);
			snprintf(dist, sizeof(dist), "JS %.4f", c->jensenshannon);
			snprintf(psi, sizeof(psi), "%.4f", c->psi);
		}
		cells[0] = c->name;
		cells[1] = c->type;
		cells[2] = nr;
		cells[3] = nc;
		cells[4] = st;
		cells[5] = pv;
		cells[6] = dist;
		cells[7] = psi;
		cells[8] = !c->tested ? "untested" : c->drift ? "DRIFT" : "no";
		cli_table_add(t, cells);
		nd += c->drift != 0;
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	for (size_t i = 0; i < aims_drift_ncolumns(d); i++) {
		const aims_drift_column *c = aims_drift_column_get(d, i);
		if (c->note)
			printf("note: %s: %s\n", c->name, c->note);
		if (!c->tested)
			printf("note: %s: %s\n", c->name, c->reason);
		if (c->approximate)
			printf("note: %s: approximate (quantile sketch): |D - D_exact| <= %.3g\n", c->name,
			       c->ks_error_bound);
	}
	printf("drift share: %.3f (%zu drifted); dataset drift: %s\n", aims_drift_share(d), nd,
	       aims_drift_dataset(d) ? "yes" : "no");
}

int cmd_eval_drift(cli_ctx *ctx)
{
	aims_drift_options opts = AIMS_DRIFT_OPTIONS_INIT;
	aims_drift_source ref = { 0 }, cur = { 0 };
	aims_drift *d = NULL;
	aims_store *store = NULL;
	aims_buf json = AIMS_BUF_INIT, inputs = AIMS_BUF_INIT, params = AIMS_BUF_INIT, html = AIMS_BUF_INIT;
	const char *cols[MAX_NAMES], *nums[MAX_NAMES], *cats[MAX_NAMES];
	char *s1 = NULL, *s2 = NULL, *s3 = NULL, *id = NULL;
	const char *system = cli_get(ctx, "system"), *v, *html_path = cli_get(ctx, "html");
	int record = cli_flag(ctx, "record"), rc = EXIT_OK, err;

	if (split_names(ctx, "columns", &s1, cols, &opts.ncolumns) < 0 ||
	    split_names(ctx, "numeric", &s2, nums, &opts.nnumeric) < 0 ||
	    split_names(ctx, "categorical", &s3, cats, &opts.ncategorical) < 0) {
		rc = cli_usage(ctx, "too many column names (at most %d)", MAX_NAMES);
		goto done;
	}
	if (cli_get(ctx, "model") && !record) {
		rc = cli_usage(ctx, "--model names the model version of recorded evidence: use it with --record");
		goto done;
	}
	opts.columns = opts.ncolumns ? cols : NULL;
	opts.numeric = nums;
	opts.categorical = cats;
	if ((v = cli_get(ctx, "alpha"))) {
		if (!parse_double(v, &opts.ks_alpha) || !(opts.ks_alpha > 0 && opts.ks_alpha < 1)) {
			rc = cli_usage(ctx, "--alpha: '%s' is not a number between 0 and 1", v);
			goto done;
		}
		opts.chi2_alpha = opts.ks_alpha;
	}
	if ((v = cli_get(ctx, "psi-threshold")) &&
	    (!parse_double(v, &opts.psi_threshold) || !(opts.psi_threshold > 0))) {
		rc = cli_usage(ctx, "--psi-threshold: '%s' is not a positive number", v);
		goto done;
	}
	if ((v = cli_get(ctx, "share-threshold")) &&
	    (!parse_double(v, &opts.share_threshold) || !(opts.share_threshold > 0 && opts.share_threshold <= 1))) {
		rc = cli_usage(ctx, "--share-threshold: '%s' is not a number in (0, 1]", v);
		goto done;
	}
	if ((v = cli_get(ctx, "max-exact"))) {
		char *end;
		unsigned long long n;
		errno = 0;
		n = strtoull(v, &end, 10);
		if (end == v || *end || errno || n < 1 || v[0] == '-') {
			rc = cli_usage(ctx, "--max-exact: '%s' is not a positive integer", v);
			goto done;
		}
		opts.max_exact = n;
	}
	if ((v = cli_get(ctx, "sketch-k"))) {
		char *end;
		unsigned long k;
		errno = 0;
		k = strtoul(v, &end, 10);
		if (end == v || *end || errno || k < 16 || k > 100000000 || v[0] == '-') {
			rc = cli_usage(ctx, "--sketch-k: '%s' is not an integer from 16 to 100000000", v);
			goto done;
		}
		opts.sketch_k = k;
	}
	if (system) {
		if (cli_get(ctx, "ref") || cli_get(ctx, "cur")) {
			rc = cli_usage(ctx, "--system compares windows of a decision log: leave out --ref and --cur");
			goto done;
		}
		if ((rc = cli_open_store(&store, ctx, 0)) != EXIT_OK)
			goto done;
		ref.store = cur.store = store;
		ref.system = cur.system = system;
		ref.since = cli_get(ctx, "ref-since");
		ref.until = cli_get(ctx, "ref-until");
		cur.since = cli_get(ctx, "since");
		cur.until = cli_get(ctx, "until");
		if (!ref.since && !ref.until && !cur.since && !cur.until) {
			rc = cli_usage(ctx, "--system needs time windows: --ref-since/--ref-until and --since/--until");
			goto done;
		}
	} else {
		if (record) {
			rc = cli_usage(ctx, "--record needs --system: evidence is linked to an AI system");
			goto done;
		}
		if (cli_get(ctx, "ref-since") || cli_get(ctx, "ref-until") || cli_get(ctx, "since") ||
		    cli_get(ctx, "until")) {
			rc = cli_usage(ctx, "time windows need --system");
			goto done;
		}
		ref.path = cli_get(ctx, "ref");
		cur.path = cli_get(ctx, "cur");
		if (!ref.path || !cur.path) {
			rc = cli_usage(ctx, "give --ref FILE and --cur FILE (or --system NAME)");
			goto done;
		}
	}
	if ((err = aims_drift_run(&d, &ref, &cur, &opts)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((err = aims_drift_json(&json, d)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (html_path) {
		if ((err = aims_drift_html(&html, d, store)) < 0) {
			rc = cli_fail(err);
			goto done;
		}
		if ((rc = cli_write_file(html_path, html.ptr, html.len)) != EXIT_OK)
			goto done;
	}
	if (record) {
		if ((err = aims_drift_inputs_json(&inputs, d)) < 0 || (err = aims_drift_params_json(&params, d)) < 0 ||
		    (err = aims_eval_record_model(&id, store, system, cli_get(ctx, "model"), "drift", inputs.ptr,
						  params.ptr, json.ptr)) < 0) {
			rc = cli_fail(err);
			goto done;
		}
		if ((rc = cli_after_write(store)) != EXIT_OK)
			goto done;
	}
	if (ctx->json) {
		json_error_t jerr;
		json_t *o = json_loads(json.ptr, 0, &jerr);
		if (!o) {
			fprintf(stderr, "error: drift: cannot format the result: %s\n", jerr.text);
			rc = EXIT_FAILURE_;
			goto done;
		}
		if (id)
			json_object_set_new(o, "evaluation_id", json_string(id));
		rc = cli_print_json(o);
		if (rc != EXIT_OK)
			goto done;
	} else {
		print_table(d);
		if (id)
			printf("recorded %s\n", id);
	}
	if (cli_flag(ctx, "check") && aims_drift_dataset(d))
		rc = EXIT_FINDING;
done:
	free(s1);
	free(s2);
	free(s3);
	free(id);
	aims_buf_release(&json);
	aims_buf_release(&inputs);
	aims_buf_release(&params);
	aims_buf_release(&html);
	aims_drift_free(d);
	aims_store_free(store);
	return rc;
}
